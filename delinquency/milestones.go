package delinquency

import (
	"errors"
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// Reg X day counts used by [Evaluator.Milestones].
const (
	// LiveContactDay is the day of delinquency by which live contact must
	// be attempted (Reg X §1024.39(a)).
	LiveContactDay = 36
	// WrittenNoticeDay is the day of delinquency by which the written
	// early-intervention notice must be sent (Reg X §1024.39(b)).
	WrittenNoticeDay = 45
	// ForeclosureWaitDays is how long a loan must be delinquent before the
	// first foreclosure notice or filing: more than 120 days (Reg X
	// §1024.41(f)(1)).
	ForeclosureWaitDays = 120
	// WrittenNoticeRepeatDays is the shortest gap between two written
	// early-intervention notices: not more than once during any 180-day
	// period (Reg X §1024.39(b)(1)).
	WrittenNoticeRepeatDays = 180
)

// Milestones are the regulatory dates of the current delinquency. Each
// "by" date is the date on which DPD reaches the named day if nothing more
// is paid (so pause days push it out); the host schedules the action.
// Because they are computed from the oldest unpaid installment, they move
// forward under rolling delinquency: Jan 1 missed, Feb 3 payment applied to
// January, and the 120-day clock restarts from Feb 1.
type Milestones struct {
	// DelinquentSince is the due date of the oldest unpaid installment.
	DelinquentSince date.Date
	// LiveContactBy is the date DPD reaches 36 (§1024.39(a)).
	LiveContactBy date.Date
	// RepeatLiveContactBy is 36 days after the latest due date on or
	// before the as-of date while delinquent (§1024.39(a): again after each
	// due date); equal to LiveContactBy until a later due date passes.
	RepeatLiveContactBy date.Date
	// WrittenNoticeBy is the date DPD reaches 45 (§1024.39(b)).
	WrittenNoticeBy date.Date
	// LiveContacts lists every live-contact deadline of the current
	// delinquency up to the as-of date (§1024.39(a)): LiveContactBy, then
	// 36 days after each later due date on or before the as-of date, when
	// that falls after LiveContactBy. Oldest first.
	LiveContacts []date.Date
	// WrittenNotices lists the written-notice deadlines of the current
	// delinquency up to the as-of date (§1024.39(b)): WrittenNoticeBy, then
	// 45 days after each later due date on or before the as-of date, but
	// no more than once in any 180-day period: a deadline less than
	// WrittenNoticeRepeatDays after the previous listed notice is
	// dropped. Each notice is assumed sent on its deadline (the latest
	// permitted day); a host that sends earlier re-applies the limit to
	// its own send dates. Oldest first.
	WrittenNotices []date.Date
	// FirstFilingEligibleOn is the first date DPD exceeds 120, the earliest
	// first foreclosure notice or filing (§1024.41(f)(1)).
	FirstFilingEligibleOn date.Date
	// ChargeOffOn is the date DPD reaches Policy.Status.ChargeOffDays.
	ChargeOffOn date.Date
}

// Milestones returns the milestone dates at the end of asOf, and false when
// nothing periodic is past due.
func (e *Evaluator) Milestones(asOf date.Date) (Milestones, bool) {
	var k int
	var s date.Date
	if st, as := e.accel(asOf); st != accelNone {
		if st == accelPaid || as >= asOf {
			return Milestones{}, false
		}
		k, s = e.acc.k, as
	} else {
		k, _ = e.oldest(asOf, true)
		if k == len(e.due) || e.due[k] >= asOf {
			return Milestones{}, false
		}
		s = e.due[k]
	}
	m := Milestones{
		DelinquentSince:       s,
		LiveContactBy:         e.dayReached(s, LiveContactDay),
		WrittenNoticeBy:       e.dayReached(s, WrittenNoticeDay),
		FirstFilingEligibleOn: e.dayReached(s, ForeclosureWaitDays+1),
		ChargeOffOn:           e.dayReached(s, e.policy.Status.ChargeOffDays),
	}
	last := s
	for i := k; i < len(e.due) && e.due[i] <= asOf; i++ {
		last = e.due[i]
	}
	m.RepeatLiveContactBy = max(m.LiveContactBy, last+LiveContactDay)
	m.LiveContacts = []date.Date{m.LiveContactBy}
	m.WrittenNotices = []date.Date{m.WrittenNoticeBy}
	for i := k; i < len(e.due) && e.due[i] <= asOf; i++ {
		if e.due[i] <= s {
			continue
		}
		if c := e.due[i] + LiveContactDay; c > m.LiveContactBy {
			m.LiveContacts = append(m.LiveContacts, c)
		}
		if w := e.due[i] + WrittenNoticeDay; w >= m.WrittenNotices[len(m.WrittenNotices)-1]+WrittenNoticeRepeatDays {
			m.WrittenNotices = append(m.WrittenNotices, w)
		}
	}
	return m, true
}

// Calendar says which days are business days: schedule's calendars
// (weekends, Federal Reserve, holiday lists, unions) are Calendars.
type Calendar = schedule.Calendar

// AddBusinessDays returns the date n business days after d (d itself not
// counted), as Reg X §1024.41 counts deadlines ("5 days (excluding legal
// public holidays, Saturdays, and Sundays)" for acknowledging a loss
// mitigation application). It returns an error wrapping [ErrInvalidInput]
// when cal is nil, n is outside 0–3650, d is outside [MinDate, MaxDate], or
// the calendar has no business day for a year.
func AddBusinessDays(d date.Date, n int, cal Calendar) (date.Date, error) {
	var l field.List
	if cal == nil {
		l.Add("cal", nil, field.ErrRequired, "")
	}
	if n < 0 || n > 3650 {
		l.Add("n", n, field.ErrOutOfRange, "0 to 3650")
	}
	checkDate(&l, "d", d)
	if err := l.Err(ErrInvalidInput); err != nil {
		return 0, err
	}
	r := schedule.AddBusinessDays(d, n, cal)
	if n > 0 && r == d || r > MaxDate {
		// schedule returns d unchanged when the calendar has no business day
		// within its search bound.
		return 0, errors.Join(ErrInvalidInput, field.New("cal", nil, field.ErrInvalid, "no business day found"))
	}
	return r, nil
}

// Payment is a payment received, for the re-age check.
type Payment struct {
	// ReceivedOn is the day it was received.
	ReceivedOn date.Date
	// Amount is the amount received; ≥ 0.
	Amount money.Amount
	// LenderFunded marks money advanced or funded by the lender, which
	// never qualifies (FFIEC: payments "not funded by the lender").
	LenderFunded bool
}

// ReAgeRequest holds what [CanReAge] checks.
type ReAgeRequest struct {
	// AsOf is the date of the proposed re-age.
	AsOf date.Date
	// OpenedOn is the date the account was opened.
	OpenedOn date.Date
	// MinimumPayment is the contractual minimum (or periodic) payment; > 0.
	MinimumPayment money.Amount
	// Payments is the payment history; only payments in the three months
	// ending on AsOf matter.
	Payments []Payment
	// PriorReAges are the dates of earlier re-ages, each ≤ AsOf.
	PriorReAges []date.Date
}

// CanReAge applies the FFIEC re-aging limits (Uniform Retail Credit
// Classification, 65 FR 36903; stated there for open-end accounts) and
// returns nil when the account may be re-aged on r.AsOf. Otherwise it
// returns an error wrapping [ErrReAgeRefused] joined with every reason that
// applies: [ErrAccountTooNew] (open < 9 months), [ErrTooFewPayments]
// (borrower-funded payments received in (AsOf − 3 months, AsOf] total less
// than 3 × MinimumPayment, which is what three consecutive minimum payments
// or the same cumulative amount means), [ErrReAgedWithin12Months],
// [ErrReAgedTwiceIn5Years]. Bad input returns an error wrapping
// [ErrInvalidInput] naming the fields. The willingness-and-ability test is
// the host's judgement.
func CanReAge(r ReAgeRequest) error {
	if err := r.validate(); err != nil {
		return err
	}
	var why []error
	if addMonths(r.OpenedOn, 9) > r.AsOf {
		why = append(why, ErrAccountTooNew)
	}
	windowStart := addMonths(r.AsOf, -3)
	var paid int64
	for _, p := range r.Payments {
		if !p.LenderFunded && p.ReceivedOn > windowStart && p.ReceivedOn <= r.AsOf {
			paid += p.Amount.Minor()
		}
	}
	if paid < 3*r.MinimumPayment.Minor() {
		why = append(why, ErrTooFewPayments)
	}
	in12, in60 := 0, 0
	for _, d := range r.PriorReAges {
		if addMonths(d, 12) > r.AsOf {
			in12++
		}
		if addMonths(d, 60) > r.AsOf {
			in60++
		}
	}
	if in12 > 0 {
		why = append(why, ErrReAgedWithin12Months)
	}
	if in60 >= 2 {
		why = append(why, ErrReAgedTwiceIn5Years)
	}
	if len(why) == 0 {
		return nil
	}
	return errors.Join(append([]error{ErrReAgeRefused}, why...)...)
}

func (r ReAgeRequest) validate() error {
	var l field.List
	checkDate(&l, "ReAgeRequest.AsOf", r.AsOf)
	checkDate(&l, "ReAgeRequest.OpenedOn", r.OpenedOn)
	if r.OpenedOn > r.AsOf {
		l.Add("ReAgeRequest.OpenedOn", r.OpenedOn, field.ErrInvalid, "after AsOf")
	}
	cur := r.MinimumPayment.Currency()
	checkAmount(&l, "ReAgeRequest.MinimumPayment", r.MinimumPayment, cur)
	if !r.MinimumPayment.IsPositive() {
		l.Add("ReAgeRequest.MinimumPayment", r.MinimumPayment.String(), field.ErrRequired, "must be positive")
	}
	if len(r.Payments) > MaxCredits {
		l.Add("ReAgeRequest.Payments", len(r.Payments), field.ErrOutOfRange, "too many payments")
		return l.Err(ErrInvalidInput)
	}
	var total int64
	for i, p := range r.Payments {
		pp := fmt.Sprintf("ReAgeRequest.Payments[%d]", i)
		checkDate(&l, pp+".ReceivedOn", p.ReceivedOn)
		checkAmount(&l, pp+".Amount", p.Amount, cur)
		total = addCapped(total, p.Amount.Minor())
	}
	if total > money.MaxMinor {
		l.Add("ReAgeRequest.Payments", len(r.Payments), field.ErrOutOfRange, "total exceeds money.MaxMinor")
	}
	if len(r.PriorReAges) > MaxReAges {
		l.Add("ReAgeRequest.PriorReAges", len(r.PriorReAges), field.ErrOutOfRange, "too many re-ages")
		return l.Err(ErrInvalidInput)
	}
	for i, d := range r.PriorReAges {
		dp := fmt.Sprintf("ReAgeRequest.PriorReAges[%d]", i)
		checkDate(&l, dp, d)
		if d > r.AsOf {
			l.Add(dp, d, field.ErrInvalid, "after AsOf")
		}
	}
	return l.Err(ErrInvalidInput)
}
