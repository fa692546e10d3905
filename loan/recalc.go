package loan

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/rickb777/date/v2"
)

// Interest recalculation (Terms.Recalculation): the fold keeps what each
// payment credited to each installment, and amortize's recalculation mode
// turns those credits into the installments billed. The fold restates no
// part of the rule.

// MaxCredits bounds State.Credits; a fold past it fails with ErrLimit.
const MaxCredits = 64 * MaxInstallments

// Credit is money a payment credited to one installment's principal or
// interest, on the date it was received: the input of an interest
// recalculation mode (amortize.Progressive's PayInterest and PayPrincipal),
// kept in State.Credits in the order applied.
type Credit struct {
	Installment int
	On          date.Date
	// Interest is true for interest, false for principal.
	Interest bool
	Amount   money.Amount
}

func (t Terms) validateRecalculation(l *field.List, p string) {
	switch t.Recalculation {
	case amortize.RecalculationNone:
		return
	case amortize.RecalculationProgressive, amortize.RecalculationProgressiveToDueDate,
		amortize.RecalculationCumulativeReduceEMI, amortize.RecalculationCumulativeReduceTerm, amortize.RecalculationCumulativeRescheduleNext:
	default:
		l.Add(p+".Recalculation", t.Recalculation, field.ErrNotSupported, "want progressive, progressive_to_due_date or none")
		return
	}
	switch {
	case t.Accrual != AccrualScheduled:
		l.Add(p+".Recalculation", t.Recalculation, field.ErrNotSupported, "with scheduled accrual")
	case t.Line != nil || t.Draws != nil || t.ARM != nil || len(t.EscrowItems) > 0 || t.EscrowPayment.IsPositive():
		l.Add(p+".Recalculation", t.Recalculation, field.ErrNotSupported, "without a line, draws, an ARM or escrow")
	}
	if _, err := amortize.NewProgressive(t.Terms, t.Recalculation); err != nil {
		l.Add(p+".Recalculation", t.Recalculation, field.ErrNotSupported, err.Error())
	}
}

// recalcAllows refuses, for a loan under an interest recalculation mode,
// the events that change its terms, rate or due dates: the mode bills the
// schedule of the terms as boarded, which they would leave behind.
func (f *folder) recalcAllows(e Event) error {
	if !f.s.recalculating() {
		return nil
	}
	switch e.Payload.(type) {
	case RateChanged, Modified, RateCapped, IndexReset, Paused, Drawn:
		return fmt.Errorf("%w: %s on a loan under interest recalculation %s", ErrInvalidEvent, e.Kind, f.s.Terms.Recalculation)
	}
	return nil
}

// recalculating reports whether the loan bills by an interest
// recalculation mode.
func (s State) recalculating() bool { return s.Terms.Recalculation != amortize.RecalculationNone }

// recalcBase is the loan under its recalculation mode with the credits so
// far, not seen on any date: rebuilt in one computation from the credits
// and the EMIs they left (State.RecalcEMIs, amortize.RestoreProgressive).
func (s State) recalcBase() (amortize.Progressive, error) {
	if !s.recalculating() {
		return amortize.Progressive{}, fmt.Errorf("%w: the loan has no interest recalculation", ErrInvalidInput)
	}
	if len(s.Credits) == 0 {
		return amortize.NewProgressive(s.Terms.Terms, s.Terms.Recalculation)
	}
	cs := make([]amortize.ProgressiveCredit, len(s.Credits))
	for i, c := range s.Credits {
		cs[i] = amortize.ProgressiveCredit(c)
	}
	p, err := amortize.RestoreProgressive(s.Terms.Terms, s.Terms.Recalculation, s.RecalcEMIs, cs)
	if err != nil {
		return amortize.Progressive{}, fmt.Errorf("recalculation: %w", err)
	}
	return p, nil
}

// Recalculated returns the loan's installments under its interest
// recalculation mode (Terms.Recalculation) with the credits so far, seen
// on AsOf (principal overdue then bears interest until AsOf,
// amortize.Progressive.At): the schedule as it stands on AsOf. It is an
// error for a loan without one.
func (s State) Recalculated() (amortize.Progressive, error) {
	p, err := s.recalcBase()
	if err != nil {
		return amortize.Progressive{}, err
	}
	// Principal overdue on AsOf bears interest until then.
	return p.At(s.AsOf)
}

// recalcBills lays out the open window on d under the recalculation mode:
// from the oldest unpaid installment, each billed as the mode asks it on
// the receipt's pay date (amortize.Progressive.Payable: an installment
// not yet due asks the interest to that date and EMI less it). It stops
// after the installment due in d's cycle, or, for a pay-ahead receipt,
// bills every installment (the future rule picks among them); the
// principal billed never exceeds the balance.
func (f *folder) recalcBills(d date.Date, n int) (rest money.Amount, err error) {
	s := &f.s
	z := money.Zero(s.Terms.Currency())
	p, err := s.recalcBase()
	if err != nil {
		return z, err
	}
	// A receipt is priced on the loan seen on its pay date: overdue
	// principal it pays bore interest until then.
	if p, err = p.At(p.PayDate(d)); err != nil {
		return z, err
	}
	periods := p.Periods()
	total, pi := z, 0
	for k := max(s.NextInstallment, 1); k <= len(periods) && len(f.bs) < n; k++ {
		q := periods[k-1]
		b := bill{k: k, due: q.DueDate, paidFees: z, cP: q.PaidPrincipal, cI: q.PaidInterest, cE: z, forgiven: z, deferred: z, e: z, openE: z,
			idxP: -1, idxI: -1, idxE: -1}
		for pi < len(s.Partial) && s.Partial[pi].Seq < k {
			pi++
		}
		if pi < len(s.Partial) && s.Partial[pi].Seq == k {
			b.paidFees, b.lastPaid = s.Partial[pi].PaidFees, s.Partial[pi].LastPaidOn
		}
		if b.openI, b.openP, err = p.Payable(k, p.PayDate(d)); err != nil {
			return z, err
		}
		b.openP = money.Min(b.openP, s.Principal)
		total = total.Add(b.openP)
		f.bs = append(f.bs, b)
		if b.due >= d && !f.ahead.IsPositive() {
			break // a pay-ahead receipt bills every installment: the future rule picks
		}
	}
	// The principal billed is at most the balance: the installment the
	// waterfall reaches last gives way — the last one, or under a
	// last-installment future rule the first one not yet due.
	excess := total.Sub(s.Principal)
	order := make([]int, 0, len(f.bs))
	if s.Terms.RulesFor(s.Rules).Default.Future == payment.LastInstallment {
		for i := range f.bs {
			if f.bs[i].due > d {
				order = append(order, i)
			}
		}
		for i := len(f.bs) - 1; i >= 0; i-- {
			if f.bs[i].due <= d {
				order = append(order, i)
			}
		}
	} else {
		for i := len(f.bs) - 1; i >= 0; i-- {
			order = append(order, i)
		}
	}
	for _, i := range order {
		if !excess.IsPositive() {
			break
		}
		b := &f.bs[i]
		x := money.Min(excess, b.openP)
		b.openP, excess = b.openP.Sub(x), excess.Sub(x)
	}
	billed := z
	for i := range f.bs {
		b := &f.bs[i]
		b.p, b.i = b.cP.Add(b.openP), b.cI.Add(b.openI)
		billed = billed.Add(b.openP)
	}
	return money.Max(z, s.Principal.Sub(billed)), nil
}

// credit records what an allocation line paid to an installment's
// principal or interest under the recalculation mode, on the date the mode
// counts it (amortize.Progressive.PayDate), and applies it to p, the loan
// under the mode with the credits before it; the caller stores p's EMIs
// (State.RecalcEMIs) once the allocation is booked.
func (f *folder) credit(p *amortize.Progressive, d date.Date, ln *payment.AllocationLine) error {
	if ln.Installment < 1 || ln.Component != payment.Principal && ln.Component != payment.Interest {
		return nil
	}
	s := &f.s
	if len(s.Credits) >= MaxCredits {
		return fmt.Errorf("%w: State.Credits: more than %d", ErrLimit, MaxCredits)
	}
	c := Credit{Installment: ln.Installment, On: p.PayDate(d), Interest: ln.Component == payment.Interest, Amount: ln.Amount}
	next, err := p.Credit(amortize.ProgressiveCredit(c))
	if err != nil {
		return fmt.Errorf("recalculation: %w", err)
	}
	*p = next
	s.Credits = append(slices.Clip(s.Credits), c)
	return nil
}
