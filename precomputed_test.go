package servicing_test

import (
	"context"
	"math"
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// addOnLoan is a precomputed loan: 1,000.00 at 12% add-on over 12 months,
// funded 2024-01-15, first due 2024-02-15. Finance charge 1000 × 0.12 ×
// 12/12 = 120.00; total of payments 1,120.00; installment 1120/12 =
// 93.333… → 93.33, the last 1120 − 11 × 93.33 = 93.37.
func addOnLoan(earning amortize.RebateMethod) loan.Terms {
	t := autoLoan()
	t.Principal, t.Installments, t.Payment = usd("1000.00"), 12, usd("93.33")
	t.AnnualRate = rate.MustPercent("12")
	t.FundingDate, t.FirstDueDate = d(2024, 1, 15), d(2024, 2, 15)
	t.Accrual, t.Shape, t.InterestMethod, t.AddOnEarning = loan.AccrualPrecomputed, amortize.ShapeAddOn, amortize.InterestPeriodic, earning
	return t
}

// TestPrecomputedRule78: the Rule of 78s earns 120.00 × (13−k)/78 in
// installment k, split to the cent by largest remainder: the floors
// 18.46 16.92 15.38 13.84 12.30 10.76 9.23 7.69 6.15 4.61 3.07 1.53 sum to
// 119.94; the six largest remainders (k6 .9231, k12 .8462, k5 .7692, k11
// .6923, k4 .6154, k10 .5385) take a cent each: 18.46, 16.92, 15.38, 13.85,
// 12.31, 10.77, …
//
// Three installments paid on time: interest 18.46 + 16.92 + 15.38 = 50.76,
// principal 3 × 93.33 − 50.76 = 229.23, balance 770.77. A payoff on
// 2024-04-20 (three due dates passed, 9 of 12 remaining) rebates
// 120 × 9·10/(12·13) = 69.2307… → 69.23 of the 120 − 50.76 = 69.24 unpaid:
// 770.77 + 69.24 − 69.23 = 770.78 (= the remaining payments 8 × 93.33 +
// 93.37 = 840.01 less 69.23). On 2024-06-20 with nothing more paid, five
// due dates passed: 120 × 7·8/156 = 43.0769… → 43.08: 770.77 + 69.24 −
// 43.08 = 796.93.
func TestPrecomputedRule78(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "P1", addOnLoan(amortize.RebateRule78))
	for i, on := range []struct{ m, day int }{{2, 15}, {3, 15}, {4, 15}} {
		_, err := e.PostPayment(ctx, "P1", d(2024, monthOf(on.m), on.day), usd("93.33"), key("pay"+string(rune('a'+i))))
		require.NoError(t, err)
	}
	s := requireMatchesReplay(t, store, "P1", d(2024, 4, 20))
	moneytest.Equal(t, "770.77", s.Principal)
	moneytest.Equal(t, "50.76", s.PaidInterest)
	require.Equal(t, 4, s.NextInstallment)

	q, err := s.Payoff(d(2024, 4, 20))
	require.NoError(t, err)
	moneytest.Equal(t, "69.24", q.Interest)
	moneytest.Equal(t, "69.23", q.Rebate)
	moneytest.Equal(t, "770.78", q.Total)
	moneytest.Equal(t, "0.00", q.PerDiem)

	late, err := e.PayoffQuote(ctx, "P1", d(2024, 6, 20))
	require.NoError(t, err)
	moneytest.Equal(t, "43.08", late.Rebate)
	moneytest.Equal(t, "796.93", late.Total)

	r, err := e.PostPayment(ctx, "P1", d(2024, 4, 20), usd("770.78"), key("payoff"))
	require.NoError(t, err)
	var types []loan.DomainEventType
	for _, de := range r.Domain {
		types = append(types, de.Type)
	}
	require.Contains(t, types, loan.DomainPaidOff)
	s = requireMatchesReplay(t, store, "P1", d(2024, 5, 1))
	require.Equal(t, loan.StatusPaidOff, s.Status)
	moneytest.Equal(t, "0.00", s.Principal)
	moneytest.Equal(t, "69.23", s.Rebated)
	moneytest.Equal(t, "1000.00", s.PaidPrincipal)
	moneytest.Equal(t, "50.77", s.PaidInterest, "50.76 + the cent the rebate formula leaves earned")
	moneytest.Equal(t, "0.00", s.CreditBalance)
}

// TestPrecomputedLessThanPayoff: 700.00 on 2024-04-20 does not cover the
// 770.78 payoff: the waterfall pays installments 4 (13.85 + 79.48) and on
// as scheduled; nothing is rebated.
func TestPrecomputedLessThanPayoff(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "P1", addOnLoan(amortize.RebateRule78))
	for i, m := range []int{2, 3, 4} {
		_, err := e.PostPayment(ctx, "P1", d(2024, monthOf(m), 15), usd("93.33"), key("pay"+string(rune('a'+i))))
		require.NoError(t, err)
	}
	_, err := e.PostPayment(ctx, "P1", d(2024, 4, 20), usd("93.33"), key("fourth"))
	require.NoError(t, err)
	s := requireMatchesReplay(t, store, "P1", d(2024, 4, 20))
	require.Equal(t, loan.StatusCurrent, s.Status)
	moneytest.Equal(t, "64.61", s.PaidInterest, "50.76 + 13.85")
	moneytest.Equal(t, "691.29", s.Principal, "770.77 − (93.33 − 13.85)")
	moneytest.Equal(t, "0.00", s.Rebated)
}

// TestPrecomputedActuarial checks the actuarial add-on loan against an
// independent float64 oracle: the monthly rate i solving 1000 = (1120/12) ×
// a(12, i) by bisection (≈ 1.788 %, APR ≈ 21.46 %, the textbook figure for
// a 12 % one-year add-on loan), each installment earning the balance × i
// rounded half away from zero, and the rebate after three payments the nine
// remaining exact payments less their present value, rounded half away.
// Roughly: 9 × 93.333 − 93.333 × a(9, 0.01788) = 840.00 − 769.58 ≈ 70.42.
func TestPrecomputedActuarial(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "P1", addOnLoan(amortize.RebateActuarial))
	for i, m := range []int{2, 3, 4} {
		_, err := e.PostPayment(ctx, "P1", d(2024, monthOf(m), 15), usd("93.33"), key("pay"+string(rune('a'+i))))
		require.NoError(t, err)
	}
	exact := 1120.0 / 12
	annuity := func(i float64, n int) float64 { return (1 - math.Pow(1+i, -float64(n))) / i }
	lo, hi := 1e-9, 1.0
	for range 200 {
		mid := (lo + hi) / 2
		if exact*annuity(mid, 12) > 1000 {
			lo = mid
		} else {
			hi = mid
		}
	}
	i := (lo + hi) / 2
	require.InDelta(t, 0.01788, i, 0.00001)
	cents := func(x float64) int64 { return int64(math.Round(x * 100)) } // half away from zero
	bal, paidInt := int64(100000), int64(0)
	for range 3 {
		in := cents(float64(bal) / 100 * i)
		paidInt += in
		bal -= 9333 - in
	}
	unearned := cents(9*exact - exact*annuity(i, 9))
	require.InDelta(t, 7042, unearned, 1)

	s := requireMatchesReplay(t, store, "P1", d(2024, 4, 20))
	moneytest.Equal(t, money.MustNew(bal, money.USD), s.Principal)
	moneytest.Equal(t, money.MustNew(paidInt, money.USD), s.PaidInterest)
	q, err := s.Payoff(d(2024, 4, 20))
	require.NoError(t, err)
	moneytest.Equal(t, money.MustNew(unearned, money.USD), q.Rebate)
	moneytest.Equal(t, money.MustNew(bal+12000-paidInt-unearned, money.USD), q.Total)
}

// TestPrecomputedTermsRejected: the Rule of 78s past 61 months (15 U.S.C.
// 1615(b)), a payment that is not the add-on installment, a missing earning
// method, and a rate change on a precomputed loan.
func TestPrecomputedTermsRejected(t *testing.T) {
	long := addOnLoan(amortize.RebateRule78)
	long.Installments = 72
	require.ErrorContains(t, long.Validate(), "Terms.AddOnEarning")
	pay := addOnLoan(amortize.RebateRule78)
	pay.Payment = usd("93.34")
	require.ErrorContains(t, pay.Validate(), "Terms.Payment")
	none := addOnLoan("")
	require.ErrorContains(t, none.Validate(), "Terms.AddOnEarning")
	other := autoLoan()
	other.AddOnEarning = amortize.RebateRule78
	require.ErrorContains(t, other.Validate(), "Terms.AddOnEarning")

	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "P1", addOnLoan(amortize.RebateRule78))
	_, err := e.ChangeRate(context.Background(), "P1", d(2024, 3, 1), mortgage().AnnualRate, key("rate"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.ErrorContains(t, err, "Terms.Accrual")
}
