package amortize

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/shopspring/decimal"
)

// SolvePayment returns the regular payment Compute uses for t: the solved
// level payment (ShapeLevel; the first one when rate steps re-solve it), the
// first amortizing payment (ShapeEqualPrincipal), the first step
// (ShapeGraduated) or the installment (ShapeAddOn). Errors are Compute's.
//
// A plain level loan (periodic interest, a regular or prepaid first period,
// one rate, no interest-only or down payment) is solved in closed form
// without building the table; every other one reads Compute's Payment. Both
// give the same payment (FuzzSolvePaymentFast).
func SolvePayment(t Terms) (money.Amount, error) {
	if p, ok := t.fastPayment(); ok {
		return p, nil
	}
	return solvePaymentExact(t)
}

// solvePaymentExact is SolvePayment's reference: the Payment of Compute's
// table.
func solvePaymentExact(t Terms) (money.Amount, error) {
	tb, err := Compute(t)
	if err != nil {
		return money.Amount{}, err
	}
	return tb.Payment, nil
}

// SolveInstallments returns how many installments of the level payment
// repay t.Principal (t.Installments is ignored): the count of rows until a
// payment reaches the payoff, whose last installment is at most payment. It
// returns an error wrapping ErrInvalidTerms naming Terms.Payment when the
// payment does not exceed the first period's interest or does not repay the
// loan within MaxPayments installments.
func SolveInstallments(t Terms, payment money.Amount) (int, error) {
	t.Shape, t.Payment, t.Installments, t.BalloonAt = ShapeLevel, payment, MaxPayments, 0
	if !payment.IsPositive() {
		var l field.List
		l.Add("Terms.Payment", payment.String(), field.ErrOutOfRange, "must be positive")
		return 0, l.Err(ErrInvalidTerms)
	}
	tb, err := Compute(t)
	if err != nil {
		return 0, err
	}
	if last := tb.Rows[len(tb.Rows)-1]; last.Payment.GreaterThan(payment) {
		var l field.List
		l.Add("Terms.Payment", payment.String(), field.ErrOutOfRange,
			fmt.Sprintf("payment too small to amortize within %d installments", MaxPayments))
		return 0, l.Err(ErrInvalidTerms)
	}
	return len(tb.Rows), nil
}

// SolveRate returns the annual nominal rate at which the exact (unrounded)
// level payment of t equals payment, rounded half-even to rate.Scale
// decimals; t.AnnualRate and RateSteps are ignored. With periodic interest it
// solves principal = payment·a(n, i) and returns i × periods a year; with
// daily interest or an actual first period it searches the annual rate
// directly. It returns ErrInvalidTerms naming Terms.Payment when payment ×
// installments is below the principal (a negative rate), and ErrNotConverged
// when the bounded solver fails.
func SolveRate(t Terms, payment money.Amount) (rate.Rate, error) {
	t.Shape, t.RateSteps, t.Payment, t.BalloonAt, t.InterestOnly = ShapeLevel, nil, money.Amount{}, 0, 0
	total, err := payment.Mul(int64(t.Installments))
	if err != nil || !payment.IsPositive() || total.LessThan(t.Principal) {
		var l field.List
		l.Add("Terms.Payment", payment.String(), field.ErrOutOfRange, "payments must at least repay the principal")
		return rate.Rate{}, l.Err(ErrInvalidTerms)
	}
	probe := t
	probe.AnnualRate = rate.MustPercent("10") // any positive rate: factors are proportional to it
	am, err := newAmortizer(&probe, t.Installments)
	if err != nil {
		return rate.Rate{}, err
	}
	p := payment.Decimal()
	if am.uniform(0, t.Installments) && am.oddInterest.IsZero() {
		i, err := solveLevelRate(t.Principal.Decimal(), p, t.Installments)
		if err != nil {
			return rate.Rate{}, err
		}
		ppy, _ := t.Frequency.PeriodsPerYear()
		return rate.FromFractionRounded(i.Mul(decimal.NewFromInt(int64(ppy))), money.HalfEven)
	}
	// Factors scale linearly with the rate: g_k(r) = g_k(10 %) · r / 10 %.
	base := make([]decimal.Decimal, t.Installments)
	for k := range base {
		base[k] = am.factor(k)
	}
	lo, hi := decimal.Zero, decimal.NewFromInt(10) // up to 100× the probe: 1,000 %
	tol := decimal.New(1, -16)
	for iter := 0; iter < MaxAPRIterations; iter++ {
		mid := mul(lo.Add(hi), dHalf)
		if levelAt(t.Principal.Decimal(), base, mid).GreaterThan(p) {
			hi = mid
		} else {
			lo = mid
		}
		if hi.Sub(lo).LessThan(tol) {
			return rate.FromFractionRounded(mul(mid, probe.AnnualRate.Fraction()), money.HalfEven)
		}
	}
	return rate.Rate{}, fmt.Errorf("%w: rate for payment %s", ErrNotConverged, payment)
}

// levelAt is the exact level payment for factors base·s.
func levelAt(b decimal.Decimal, base []decimal.Decimal, s decimal.Decimal) decimal.Decimal {
	prod, sum := dOne, decimal.Zero
	for j := len(base) - 1; j >= 0; j-- {
		sum = sum.Add(prod)
		prod = mul(prod, dOne.Add(mul(base[j], s)))
	}
	return div(mul(b, prod), sum)
}

// EffectiveAnnualRate returns (1 + r/m)^m − 1 for the nominal annual rate r
// compounded m times a year (the APY-style effective rate; 12 for monthly),
// rounded half-even to rate.Scale decimals.
func EffectiveAnnualRate(r rate.Rate, periodsPerYear int) (rate.Rate, error) {
	if periodsPerYear < 1 || periodsPerYear > 366 {
		var l field.List
		l.Add("periodsPerYear", periodsPerYear, field.ErrOutOfRange, "1 to 366")
		return rate.Rate{}, l.Err(ErrInvalidTerms)
	}
	g := div(r.Fraction(), decimal.NewFromInt(int64(periodsPerYear)))
	return rate.FromFractionRounded(powInt(dOne.Add(g), periodsPerYear).Sub(dOne), money.HalfEven)
}
