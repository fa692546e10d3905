package collections

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// ErrInvalid is wrapped by the validation errors of this package.
var ErrInvalid = errors.New("collections: invalid input")

// MaxPlanPayments bounds an arrangement's planned payments.
const MaxPlanPayments = 120

// Receipt is money received on a date (reversed payments left out).
type Receipt struct {
	On     date.Date
	Amount money.Amount
}

// Outcome is where a promise or an arrangement stands.
type Outcome string

// The outcomes.
const (
	// Pending: not yet due, not yet paid.
	Pending Outcome = "pending"
	// Kept: paid in full by its date (an arrangement: every planned
	// amount so far, or the whole plan once its last date passes).
	Kept Outcome = "kept"
	// Broken: a date passed with less received than promised.
	Broken Outcome = "broken"
)

// Promise is a borrower's promise to pay Amount by On, made on Made (a
// promise to pay, PTP, recorded by a collector).
type Promise struct {
	// Made is the day the promise was made; receipts from then count.
	Made date.Date `json:"made"`
	// On is the promised date; ≥ Made.
	On date.Date `json:"on"`
	// Amount is the amount promised; > 0.
	Amount money.Amount `json:"amount"`
	// Channel is how the promise was taken (phone, web, letter);
	// informational.
	Channel string `json:"channel,omitempty"`
}

// Validate returns an error wrapping ErrInvalid naming every bad field of
// p, under path.
func (p Promise) Validate(path string) error {
	var l field.List
	if p.On < p.Made {
		l.Add(path+".On", p.On.String(), field.ErrOutOfRange, "before the day it was made")
	}
	if !p.Amount.IsPositive() {
		l.Add(path+".Amount", p.Amount.String(), field.ErrOutOfRange, "must be positive")
	}
	return l.Err(ErrInvalid)
}

// Judgement is the outcome of a promise or arrangement on a date.
type Judgement struct {
	// Outcome is pending, kept or broken.
	Outcome Outcome `json:"outcome"`
	// On is the day the outcome was reached: the day the money made it
	// whole (kept) or the day after the date that passed unpaid (broken);
	// zero while pending.
	On date.Date `json:"on,omitzero"`
	// Paid is what was received towards it through the as-of date.
	Paid money.Amount `json:"paid"`
	// Short is what a broken promise or plan lacked on its date.
	Short money.Amount `json:"short"`
}

// Judge returns whether p was kept at the end of asOf, from receipts:
// kept on the day the receipts dated in [Made, On] first reach Amount,
// broken on On+1 when they do not, pending before.
func Judge(p Promise, receipts []Receipt, asOf date.Date) Judgement {
	paid := money.Zero(p.Amount.Currency())
	for _, r := range sorted(receipts) {
		if r.On < p.Made || r.On > p.On || r.On > asOf {
			continue
		}
		paid = paid.Add(r.Amount)
		if paid.Cmp(p.Amount) >= 0 {
			return Judgement{Outcome: Kept, On: r.On, Paid: paid, Short: money.Zero(paid.Currency())}
		}
	}
	if asOf > p.On {
		return Judgement{Outcome: Broken, On: p.On + 1, Paid: paid, Short: p.Amount.Sub(paid)}
	}
	return Judgement{Outcome: Pending, Paid: paid, Short: money.Zero(paid.Currency())}
}

// Planned is one dated amount of an arrangement.
type Planned struct {
	On     date.Date    `json:"on"`
	Amount money.Amount `json:"amount"`
}

// Arrangement is a payment plan agreed on Made: the Payments, oldest
// first. While it is kept the servicer holds the collection steps its
// policy names (HoldLateFees, HoldContacts, HoldStatus).
type Arrangement struct {
	// Made is the day the plan was agreed; receipts from then count.
	Made date.Date `json:"made"`
	// Payments are the planned amounts, strictly increasing dates, each
	// on or after Made; 1 to MaxPlanPayments.
	Payments []Planned `json:"payments"`
	// HoldLateFees asks the servicer to waive late fees charged while the
	// plan is kept (a host policy; the engine's WaiveHeldLateFees does it).
	HoldLateFees bool `json:"hold_late_fees,omitempty"`
	// HoldContacts keeps the loan out of the collections queue while the
	// plan is kept.
	HoldContacts bool `json:"hold_contacts,omitempty"`
	// HoldStatus keeps the status ladder from climbing above the rung the
	// loan had on Made while the plan is kept (days past due still count;
	// non-accrual and charge-off are not held). A servicing engine folds
	// it (delinquency.StatusHold from Made to HoldingUntil).
	HoldStatus bool `json:"hold_status,omitempty"`
}

// ValidatePlan returns an error wrapping ErrInvalid naming every bad field
// of a, under path, in the currency cur.
func (a Arrangement) ValidatePlan(path string, cur money.Currency) error {
	var l field.List
	if n := len(a.Payments); n == 0 || n > MaxPlanPayments {
		l.Add(path+".Payments", n, field.ErrOutOfRange, fmt.Sprintf("1 to %d planned payments", MaxPlanPayments))
		return l.Err(ErrInvalid)
	}
	prev := a.Made - 1
	for i, p := range a.Payments {
		pp := fmt.Sprintf("%s.Payments[%d]", path, i)
		if p.On <= prev {
			l.Add(pp+".On", p.On.String(), field.ErrOutOfRange, "dates must increase, from the day it was made")
		}
		prev = max(prev, p.On)
		switch {
		case !p.Amount.IsPositive():
			l.Add(pp+".Amount", p.Amount.String(), field.ErrOutOfRange, "must be positive")
		case p.Amount.Currency() != cur:
			l.Add(pp+".Amount", p.Amount.Format(), field.ErrInvalid, "currency differs from the loan's "+cur.Code)
		}
	}
	return l.Err(ErrInvalid)
}

// JudgePlan returns whether a is kept at the end of asOf: on each planned
// date that has passed, the receipts dated from Made through it must total
// at least the planned amounts through it (paying ahead counts). It is
// broken on the day after the first date that fails, kept (completed) on
// the last planned date when every one held, pending in between.
func JudgePlan(a Arrangement, receipts []Receipt, asOf date.Date) Judgement {
	cur := a.Payments[0].Amount.Currency()
	rs := sorted(receipts)
	paid, due := money.Zero(cur), money.Zero(cur)
	j := 0
	for _, p := range a.Payments {
		if p.On >= asOf+1 {
			break
		}
		due = due.Add(p.Amount)
		for ; j < len(rs) && rs[j].On <= p.On; j++ {
			if rs[j].On >= a.Made {
				paid = paid.Add(rs[j].Amount)
			}
		}
		if paid.Cmp(due) < 0 && p.On < asOf {
			return Judgement{Outcome: Broken, On: p.On + 1, Paid: paid, Short: due.Sub(paid)}
		}
	}
	for ; j < len(rs) && rs[j].On <= asOf; j++ {
		if rs[j].On >= a.Made {
			paid = paid.Add(rs[j].Amount)
		}
	}
	last := a.Payments[len(a.Payments)-1]
	total := money.Zero(cur)
	for _, p := range a.Payments {
		total = total.Add(p.Amount)
	}
	if last.On <= asOf && paid.Cmp(total) >= 0 {
		return Judgement{Outcome: Kept, On: last.On, Paid: paid, Short: money.Zero(cur)}
	}
	return Judgement{Outcome: Pending, Paid: paid, Short: money.Zero(cur)}
}

// Holding reports whether a is in force and kept on day: agreed by then,
// not broken by then, and its last date not yet passed.
func Holding(a Arrangement, receipts []Receipt, day date.Date) bool {
	if day < a.Made || day > a.Payments[len(a.Payments)-1].On {
		return false
	}
	return JudgePlan(a, receipts, day).Outcome != Broken
}

// HoldingUntil returns the first day a is no longer in force and kept
// given receipts: the day after the first planned date whose amounts
// through it the receipts dated from Made through it do not cover (the day
// JudgePlan finds it broken), else the day after its last date. Holding(a,
// receipts, day) is Made ≤ day < HoldingUntil(a, receipts). The answer
// for a day reads only the receipts dated before it, so a servicer folding
// a loan's history day by day knows it on that day; receipts added later
// can only move it later.
func HoldingUntil(a Arrangement, receipts []Receipt) date.Date {
	cur := a.Payments[0].Amount.Currency()
	last := a.Payments[len(a.Payments)-1].On
	rs := sorted(receipts)
	paid, due := money.Zero(cur), money.Zero(cur)
	j := 0
	for _, p := range a.Payments {
		due = due.Add(p.Amount)
		for ; j < len(rs) && rs[j].On <= p.On; j++ {
			if rs[j].On >= a.Made {
				paid = paid.Add(rs[j].Amount)
			}
		}
		if paid.Cmp(due) < 0 {
			return max(p.On+1, a.Made)
		}
	}
	return max(last+1, a.Made)
}

func sorted(rs []Receipt) []Receipt {
	if slices.IsSortedFunc(rs, func(a, b Receipt) int { return cmp.Compare(a.On, b.On) }) {
		return rs
	}
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(a, b Receipt) int { return cmp.Compare(a.On, b.On) })
	return out
}
