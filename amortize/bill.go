package amortize

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// Biller bills installments one at a time with the table's own row rule,
// from a balance the caller holds. A servicing engine needs it because the
// loan's balance departs from the table (curtailments, late or partial
// payments, a recast) while each installment must still be billed as
// amortize bills it: installment k's interest is the interest of its period
// on the balance before it, its payment the level payment in force, the
// final one (or one the payment would exceed) the whole balance plus
// interest. Compute's rows are exactly the Biller's rows for a loan paid as
// scheduled (TestBillerMatchesCompute holds them equal on random terms).
//
// Periods are numbered by the table's grid: period n (1-based) is
// [due date n−1, due date n), period 1 starting at FundingDate (or the
// regular start with OddPrepaid); periods past Installments continue the
// grid (an extended loan). A Biller is immutable and cheap to build (no
// table, no date list); build a new one when the rate path changes.
// It serves every shape but add-on (whose installments are fixed at
// origination): each installment's scheduled payment is the shape's own
// (Scheduled), or a recast one the caller holds (Recast, Reamortize).
type Biller struct {
	am      amortizer // the terms (am.t), rounding, currency and interest helpers (no segments)
	grid    schedule.Grid
	ppy     int64
	regular accrual.Fraction
	first   accrual.Fraction // period 1's fraction under InterestPeriodic
	start1  date.Date        // period 1's start
	// The shape's scheduled payments as boarded: the level payment
	// (ShapeLevel: Terms.Payment or solved), the principal part
	// (ShapeEqualPrincipal), the payment of each step (ShapeGraduated).
	level, part money.Amount
	steps       []money.Amount
}

// NewBiller validates t and returns its Biller. It returns Compute's
// validation errors (wrapping ErrInvalidTerms), including an irregular
// first period without OddFirstPeriod; the add-on shape is ErrInvalidTerms naming Terms.Shape. The
// shape's payments are solved as Compute solves them (the level payment
// over the installments after the interest-only ones, the equal principal
// part, the graduated steps), on the principal at the first amortizing
// installment (interest-only installments leave it whole). With a down
// payment it bills the rows of the rest (Terms.DownPayment: the rows
// amortize Principal − DownPayment; the down payment is the host's
// installment 0).
func NewBiller(t Terms) (*Biller, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	t = t.financed()
	if t.Shape == ShapeAddOn {
		return nil, fieldErr("Terms.Shape", t.Shape, fmt.Errorf("an add-on loan's installments are fixed at origination (Compute)"))
	}
	cur := t.Principal.Currency()
	b := &Biller{grid: t.plan(t.Installments).Grid()}
	b.am = amortizer{t: t, cur: cur, zero: money.Zero(cur), shape: kindOf(t.Shape), horizon: t.Installments}
	ppy, _ := t.Frequency.PeriodsPerYear()
	b.regular = accrual.Fraction{Num: 1, Den: int64(ppy)}
	b.am.regular = b.regular
	var err error
	if b.start1, err = t.firstStart(); err != nil {
		return nil, err
	}
	if t.InterestMethod == InterestPeriodic {
		b.ppy = int64(ppy)
		if b.first, err = b.am.oddFirstPeriod(); err != nil {
			return nil, err
		}
	}
	if err := b.solveShape(); err != nil {
		return nil, err
	}
	return b, nil
}

// solveShape solves the shape's payments as Compute does, with its own
// solver (a table's payer over the same terms) where a solve is needed, so
// that a Biller and a table cannot disagree on them. A given level payment
// is taken as it is (Compute checks that it amortizes).
func (b *Biller) solveShape() error {
	t := b.am.t
	k := min(t.InterestOnly, t.Installments-1) // the first amortizing installment (0-based)
	switch {
	case b.am.shape == kindCustom:
		return nil
	case b.am.shape == kindLevel && !t.Payment.IsZero():
		b.level = t.Payment
		return nil
	case b.am.shape == kindEqualPrincipal:
		var err error
		b.part, err = b.am.equalPart(t.Principal, t.Installments-k)
		return err
	}
	am, err := newAmortizer(&t, t.Installments)
	if err != nil {
		return err
	}
	pp := &payer{am: am, horizon: t.Installments, ioEnd: k}
	interest, err := am.interest(am.seg(k), t.Principal)
	if err != nil {
		return err
	}
	if _, err := pp.due(k, t.Principal, interest); err != nil {
		return err
	}
	b.level, b.steps = pp.level, pp.steps
	if t.EMIAdjust != EMIAdjustNone && b.am.shape == kindLevel {
		tb, err := am.run(0, t.Principal, t.Rows(), t.Installments, money.Amount{})
		if err != nil {
			return err
		}
		if b.level, err = adjustLevel(t, tb); err != nil {
			return err
		}
	}
	return nil
}

// Scheduled returns installment n's payment under the shape, before the
// payoff cap, given the installment's interest as billed and the amount of
// the last Recast or Reamortize step in force (the zero Amount, without a
// currency: none, the shape as boarded; a zero in the loan's currency is a
// recast to zero — a balance too small for its payment to round above it,
// repaid by the last installment as Compute's table does): the interest alone for an interest-only installment (n ≤
// InterestOnly, level and equal-principal shapes), the level payment
// (ShapeLevel), the principal part plus interest (ShapeEqualPrincipal), the
// step in force (ShapeGraduated), the listed payment (ShapeCustom; zero
// past the list). A servicer bills it from the balance it holds, so a
// curtailment shortens the term and leaves the payments as they were.
func (b *Biller) Scheduled(n int, interest, recast money.Amount) money.Amount {
	switch b.am.shape {
	case kindLevel:
		if n <= b.am.t.InterestOnly {
			return interest
		}
		if inForce(recast) {
			return recast
		}
		return b.level
	case kindEqualPrincipal:
		if n <= b.am.t.InterestOnly {
			return interest
		}
		if inForce(recast) {
			return recast.Add(interest)
		}
		return b.part.Add(interest)
	case kindGraduated:
		if inForce(recast) {
			return recast
		}
		g := b.am.t.Graduation
		return b.steps[min((n-1)/g.EveryInstallments, g.Steps)]
	case kindCustom:
		if n <= len(b.am.t.CustomPayments) {
			return b.am.t.CustomPayments[n-1]
		}
	}
	return b.am.zero
}

// inForce reports whether recast is a recast step's amount rather than
// none (the zero Amount, which carries no currency).
func inForce(recast money.Amount) bool { return !recast.IsZero() || recast.Currency().Valid() }

// Step is a scheduled amount from installment From on, after a recast: the
// level or graduated payment, or the equal principal part.
type Step struct {
	From   int
	Amount money.Amount
}

// ResolvesAtRateChange reports whether the shape's payments are re-solved
// when the rate changes, as Compute re-solves them on a rate path: level and
// graduated payments are; an equal principal part and custom payments stay
// (the interest alone follows the rate).
func (b *Biller) ResolvesAtRateChange() bool {
	return b.am.shape == kindLevel || b.am.shape == kindGraduated
}

// Recast re-solves the scheduled amounts from installment n that repay bal
// over periods n to last (inclusive), as Compute re-solves them at a rate
// change: the level payment at the rate in force for period n held to
// maturity (Payment), the equal principal part (bal over the installments
// left), or the graduated steps (the rises keep their installments).
// Interest-only installments still ahead stay interest only: the recast
// starts after them. Custom payments have no recast (ErrInvalidTerms naming
// Terms.Shape), as Modify refuses them.
func (b *Biller) Recast(n, last int, bal money.Amount) ([]Step, error) {
	return b.recast(n, last, bal, 0)
}

// Reamortize is Recast as Modify re-amortizes at a modification: a
// graduated schedule starts its rises again from installment n.
func (b *Biller) Reamortize(n, last int, bal money.Amount) ([]Step, error) {
	return b.recast(n, last, bal, n-1)
}

// recast is Recast with the graduated rises counted from installment
// from+1 (0-based from, as a table run's first installment).
func (b *Biller) recast(n, last int, bal money.Amount, from int) ([]Step, error) {
	t := b.am.t
	if b.am.shape == kindLevel || b.am.shape == kindEqualPrincipal {
		n = max(n, t.InterestOnly+1)
	}
	if n > last {
		return nil, nil
	}
	switch b.am.shape {
	case kindLevel:
		p, err := b.Payment(n, last, bal)
		return []Step{{From: n, Amount: p}}, err
	case kindEqualPrincipal:
		p, err := b.am.equalPart(bal, last-n+1)
		return []Step{{From: n, Amount: p}}, err
	case kindGraduated:
		t.Installments, t.Payment = last, money.Amount{}
		am, err := newAmortizer(&t, last)
		if err != nil {
			return nil, err
		}
		pp := &payer{am: am, from: from, horizon: last}
		if err := pp.solveGraduated(n-1, bal); err != nil {
			return nil, err
		}
		g := t.Graduation
		var out []Step
		for m := min((n-1-from)/g.EveryInstallments, g.Steps); m <= g.Steps; m++ {
			out = append(out, Step{From: max(n, from+m*g.EveryInstallments+1), Amount: pp.steps[m]})
		}
		return out, nil
	}
	return nil, fieldErr("Terms.Shape", t.Shape, fmt.Errorf("custom payments are not re-amortized"))
}

// Last is the installment whose payment is the payoff as boarded: BalloonAt,
// or Installments.
func (b *Biller) Last() int { return b.am.t.Rows() }

// Period returns period n's contractual dates [start, end): end is the n-th
// due date of the grid.
func (b *Biller) Period(n int) (start, end date.Date) {
	end = b.grid.At(n - 1)
	if n == 1 {
		return b.start1, end
	}
	return b.grid.At(n - 2), end
}

// rateOn is the annual rate in force on d: AnnualRate before the first
// change of the terms' RatePath, then the last change on or before d.
func (b *Biller) rateOn(d date.Date) rate.Rate {
	path := b.am.t.RatePath
	i, _ := slices.BinarySearchFunc(path, d, func(c accrual.RateChange, d date.Date) int { return cmp.Compare(c.On, d+1) })
	if i == 0 {
		return b.am.t.AnnualRate
	}
	return path[i-1].Rate
}

// BilledRates returns the rate billing applies to each day of [from, to),
// as a path starting at from: under InterestPeriodic a period's days all
// bear the rate in force on its first day, under InterestDaily each day the
// rate in force on it. Interest accrued over part of the table (a payoff
// from the paid-to date) is priced over these pieces so that it agrees with
// what the installments bill. Empty when to ≤ from.
func (b *Biller) BilledRates(from, to date.Date) []accrual.RateChange {
	if to <= from {
		return nil
	}
	var out []accrual.RateChange
	add := func(on date.Date, r rate.Rate) {
		if n := len(out); n == 0 || out[n-1].Rate.Cmp(r) != 0 {
			out = append(out, accrual.RateChange{On: on, Rate: r})
		}
	}
	if b.ppy == 0 {
		add(from, b.rateOn(from))
		for _, c := range b.am.t.RatePath {
			if c.On > from && c.On < to {
				add(c.On, c.Rate)
			}
		}
		return out
	}
	// The period holding from, then each period starting before to.
	n, bound := 1, max(b.am.t.Installments, MaxPayments)
	for n < bound {
		if _, end := b.Period(n); end > from {
			break
		}
		n++
	}
	for ; ; n++ {
		start, end := b.Period(n)
		add(max(start, from), b.rateOn(start))
		if end >= to || n >= bound {
			return out
		}
	}
}

// Interest returns period n's interest on balance bal, rounded with the
// terms' InterestRounding: the periodic rate in force on the period's first
// day (InterestPeriodic, the first period by OddFirstPeriod), or the
// day-count year fraction of the period at the rates in force over it,
// split at each change (InterestDaily). The odd days' interest of
// OddDaysInterest is not included (see Bill).
func (b *Biller) Interest(n int, bal money.Amount) (money.Amount, error) {
	start, end := b.Period(n)
	return b.interest(n, start, end, bal)
}

// interest is Interest for period n of dates [start, end).
func (b *Biller) interest(n int, start, end date.Date, bal money.Amount) (money.Amount, error) {
	if b.ppy > 0 {
		yf := b.regular
		if n == 1 {
			yf = b.first
		}
		return b.am.fractionInterest(bal, b.rateOn(start), yf)
	}
	yf, err := b.am.t.DayCount.YearFraction(start, end)
	if err != nil {
		return money.Amount{}, fieldErr("Terms.DayCount", b.am.t.DayCount.Convention, err)
	}
	path := b.am.t.RatePath
	i, _ := slices.BinarySearchFunc(path, start, func(c accrual.RateChange, d date.Date) int { return cmp.Compare(c.On, d+1) })
	if i >= len(path) || path[i].On >= end {
		return b.am.fractionInterest(bal, b.rateOn(start), yf)
	}
	// The rate changes inside the period: the sum of rate × year fraction
	// over its pieces, rounded once.
	sum := new(big.Rat)
	a, r := start, b.rateOn(start)
	for ; ; i++ {
		c := end
		if i < len(path) && path[i].On < end {
			c = path[i].On
		}
		piece, err := b.am.t.DayCount.YearFraction(a, c)
		if err != nil {
			return money.Amount{}, fieldErr("Terms.DayCount", b.am.t.DayCount.Convention, err)
		}
		rn, rd := r.Ratio()
		x := big.NewRat(rn, rd)
		sum.Add(sum, x.Mul(x, big.NewRat(piece.Num, piece.Den)))
		if c == end {
			break
		}
		a, r = c, path[i].Rate
	}
	return b.am.ratInterest(bal, sum)
}

// Bill returns the row of period n from opening balance bal: interest as
// Interest gives it (plus the odd days' interest in period 1 with
// OddDaysInterest, which the payment also carries); the payment is the
// shape's own (Scheduled) with recast, the amount of the caller's last
// Recast step in force (zero: none), or the whole balance plus interest
// when final or when the payment would reach it; principal is payment less interest. The row's
// Balance is bal less its principal and its DueDate the contractual due
// date.
func (b *Biller) Bill(n int, bal, recast money.Amount, final bool) (Row, error) {
	start, end := b.Period(n)
	interest, err := b.interest(n, start, end, bal)
	if err != nil {
		return Row{}, err
	}
	due := b.Scheduled(n, interest, recast)
	if n == 1 && !b.am.oddInterest.IsZero() {
		interest, due = interest.Add(b.am.oddInterest), due.Add(b.am.oddInterest)
	}
	if payoff := bal.Add(interest); final || !due.LessThan(payoff) {
		due = payoff
	}
	z := b.am.zero
	p := due.Sub(interest)
	return Row{N: n, DueDate: end, Payment: due, Interest: interest, Principal: p, Fees: z, Escrow: z, Balance: bal.Sub(p)}, nil
}

// Payment re-solves the level payment that repays bal over periods n to
// last (inclusive) at the rate in force for period n held to maturity, as
// Compute re-solves it at a rate change: a recast. It is rounded with the
// terms' PaymentRounding.
func (b *Biller) Payment(n, last int, bal money.Amount) (money.Amount, error) {
	t := b.am.t
	t.Installments, t.Payment = last, money.Amount{}
	am, err := newAmortizer(&t, last)
	if err != nil {
		return money.Amount{}, err
	}
	return am.solveLevel(bal, n-1, last)
}
