package loan

import (
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// Carry is what a fold built that a fold continuing from the state it
// returned can use again instead of building it anew: the amortize biller
// of that state's terms and rate path (building one solves the shape's
// payments, about half of folding one payment), and a precomputed loan's
// add-on table and rebate (an actuarial one takes milliseconds). A host that keeps a
// loan's latest state in memory keeps its Carry beside it. Carry only
// saves work: the zero Carry holds nothing, and one that is not of the
// state it comes with is not used, so the fold's result is Fold's either
// way. It is checked by the state's rate path (the same path, not an equal
// one) and the terms' main fields, not by the whole terms: a Carry belongs
// with the state it was returned with and that state's copies.
type Carry struct {
	bl *amortize.Biller
	// addOn and rebater are a precomputed loan's add-on table and its
	// rebate (a function of the terms alone; the actuarial table is
	// slow to build).
	addOn   *amortize.Table
	rebater *amortize.Rebater
	// The state the biller was built for: its rate path (copy on write:
	// a path is never changed in place, so the same backing array and
	// length are the same path) and its terms' identity.
	rates              []accrual.RateChange
	principal, payment money.Amount
	key                carryKey
}

// carryKey is the comparable part of the terms a Carry checks.
type carryKey struct {
	funding, firstDue  date.Date
	rows, interestOnly int
	rate               rate.Rate
	freq               schedule.Frequency
	shape              amortize.Shape
	method             amortize.InterestMethod
	earning            amortize.RebateMethod
}

func keyOf(t *Terms) carryKey {
	return carryKey{t.FundingDate, t.FirstDueDate, t.Installments, t.InterestOnly, t.AnnualRate, t.Frequency, t.Shape, t.InterestMethod, t.AddOnEarning}
}

// FoldCarry is Fold from state from, with c the Carry the fold that
// returned from returned (or the zero Carry); it also returns the Carry of
// the state it returns. Its state and domain events are Fold's.
func FoldCarry(from State, c Carry, events []Event, asOf date.Date) (State, []DomainEvent, Carry, error) {
	rec := []DomainEvent{}
	s, err := replayCarry(from, events, asOf, nil, &rec, &c)
	return s, rec, c, err
}

// ReplayCarry is ReplayFrom from state from, with c the Carry that came
// with it (or the zero Carry); it also returns the Carry of the state it
// returns. Its state is ReplayFrom's.
func ReplayCarry(from State, c Carry, events []Event, asOf date.Date) (State, Carry, error) {
	s, err := replayCarry(from, events, asOf, nil, nil, &c)
	return s, c, err
}

// of reports whether c was built for state s.
func (c *Carry) of(s *State) bool {
	t := &s.Terms
	return (c.bl != nil || c.addOn != nil) && len(c.rates) == len(s.Rates) && (len(c.rates) == 0 || &c.rates[0] == &s.Rates[0]) &&
		c.key == keyOf(t) && c.principal.Equal(t.Principal) && c.payment.Equal(t.Payment)
}

// carryOf is the Carry of folder f's state: its biller, when it built one
// for the state's rate path, and its add-on table and rebate.
func carryOf(f *folder) Carry {
	if f.bl == nil && f.addOn == nil {
		return Carry{}
	}
	t := &f.s.Terms
	return Carry{bl: f.bl, addOn: f.addOn, rebater: f.rebater, rates: f.s.Rates, principal: t.Principal, payment: t.Payment, key: keyOf(t)}
}
