package collections

import (
	"cmp"
	"slices"

	"github.com/rickb777/date/v2"
)

// QueuePolicy decides which loans are due for a contact: rules as data, so
// a host stores its own.
type QueuePolicy struct {
	// MinDaysPastDue is the lowest days past due that puts a loan in the
	// queue; 0 means 1 (any delinquency).
	MinDaysPastDue int `json:"min_days_past_due,omitempty"`
	// ContactEveryDays is the least number of days between two contact
	// attempts on a loan; 0 means every day.
	ContactEveryDays int `json:"contact_every_days,omitempty"`
	// BrokenPromiseDays keeps a loan whose promise broke within this many
	// days in the queue first, whatever its days past due; 0 means 7.
	BrokenPromiseDays int `json:"broken_promise_days,omitempty"`
}

// Candidate is what the queue needs of one loan on the as-of date to decide
// whether it is due for a contact.
type Candidate struct {
	// Loan is the loan's id.
	Loan string
	// DaysPastDue is delinquency's count on the as-of date.
	DaysPastDue int
	// LastContact is the latest contact attempt (Contacted false: none).
	LastContact date.Date
	Contacted   bool
	// Promise is the latest promise's judgement (HasPromise false: none).
	Promise    Judgement
	HasPromise bool
	// HoldingArrangement is true while a kept arrangement that holds
	// contacts is in force.
	HoldingArrangement bool
	// DoNotContact is true when the borrower may not be contacted on the
	// as-of date (a do-not-contact window, a cease-communication request).
	DoNotContact bool
}

// Account is the former name of [Candidate]: an account is a journal's
// (loan.Account).
//
// Deprecated: use Candidate.
type Account = Candidate

// Reason says why a loan is in the queue.
type Reason string

// The reasons, in priority order.
const (
	ReasonBrokenPromise Reason = "broken_promise"
	ReasonDaysPastDue   Reason = "days_past_due"
)

// Entry is one loan due for a contact.
type Entry struct {
	Loan        string `json:"loan"`
	Reason      Reason `json:"reason"`
	DaysPastDue int    `json:"days_past_due"`
}

// Queue returns the loans due for a contact on asOf, in working order:
// recently broken promises first, then by days past due (most first), then
// by loan id. A loan is left out while the borrower may not be contacted,
// while a kept arrangement holds contacts, while a promise is pending
// (the borrower said when they will pay), and within ContactEveryDays of
// its last attempt.
func Queue(p QueuePolicy, cands []Candidate, asOf date.Date) []Entry {
	minDPD := max(p.MinDaysPastDue, 1)
	broken := date.Date(p.BrokenPromiseDays)
	if broken == 0 {
		broken = 7
	}
	out := []Entry{}
	for _, a := range cands {
		if a.DoNotContact || a.HoldingArrangement || a.HasPromise && a.Promise.Outcome == Pending {
			continue
		}
		if a.Contacted && asOf < a.LastContact+date.Date(max(p.ContactEveryDays, 1)) {
			continue
		}
		switch {
		case a.HasPromise && a.Promise.Outcome == Broken && asOf < a.Promise.On+broken:
			out = append(out, Entry{Loan: a.Loan, Reason: ReasonBrokenPromise, DaysPastDue: a.DaysPastDue})
		case a.DaysPastDue >= minDPD:
			out = append(out, Entry{Loan: a.Loan, Reason: ReasonDaysPastDue, DaysPastDue: a.DaysPastDue})
		}
	}
	slices.SortFunc(out, func(x, y Entry) int {
		if x.Reason != y.Reason {
			return cmp.Compare(rank(x.Reason), rank(y.Reason))
		}
		if c := cmp.Compare(y.DaysPastDue, x.DaysPastDue); c != 0 {
			return c
		}
		return cmp.Compare(x.Loan, y.Loan)
	})
	return out
}

func rank(r Reason) int {
	if r == ReasonBrokenPromise {
		return 0
	}
	return 1
}
