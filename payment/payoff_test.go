package payment

import (
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// payoffLoan: on 15 Mar 2024 installments 2 and 3 are past due, 4 is the
// current cycle, 5 carries the rest of the principal. UPB = 301.50 + 303.00
// + 304.50 + 99,000.00 = 99,909.00. Interest is billed through 1 Mar.
func payoffLoan(t testing.TB) []Receivable {
	return join(
		inst(t, 2, d(2024, time.February, 1), "498.50", "301.50", "200.00"),
		[]Receivable{{Installment: 2, Component: Penalty, DueDate: d(2024, time.February, 16), Open: usd(t, "40.00")}},
		[]Receivable{{Installment: 0, Component: Fee, DueDate: d(2024, time.February, 20), Open: usd(t, "25.00"), Ref: "NSF"}},
		inst(t, 3, d(2024, time.March, 1), "497.00", "303.00", "200.00"),
		inst(t, 4, d(2024, time.April, 1), "495.50", "304.50", "200.00"),
		inst(t, 5, d(2024, time.May, 1), "494.00", "99000.00", "200.00"),
	)
}

// TestQuoteByHand. Per diem = 99,909.00 × 6% / 365 = 16.4233… → 16.42.
// 14 days [1 Mar, 15 Mar): exact 99,909 × 0.06 × 14 / 365 = 229.9275… →
// 229.93; per diem first 16.42 × 14 = 229.88. Billed interest 498.50 +
// 497.00 = 995.50, escrow 400.00, fee 25.00, penalty 40.00; suspense 150.00
// and escrow balance 1,200.00 netted. Total = 99,909.00 + 995.50 + 229.93 +
// 400 + 25 + 40 − 150 − 1,200 = 100,249.43 (100,249.38 per diem first).
func TestQuoteByHand(t *testing.T) {
	req := QuoteRequest{
		On: d(2024, time.March, 15), Currency: money.USD, Receivables: payoffLoan(t),
		InterestFrom: d(2024, time.March, 1), Rate: rate.MustPercent("6"), DaysInYear: 365,
		Rounding: money.HalfEven, Suspense: usd(t, "150.00"), EscrowBalance: usd(t, "1200.00"), NetEscrow: true,
	}
	q, err := Quote(req)
	require.NoError(t, err)
	require.Equal(t, req.On, q.GoodThrough)
	require.Equal(t, 14, q.AccrualDays)
	moneytest.Equal(t, "16.42", q.PerDiem)
	moneytest.Equal(t, "99909.00", q.Principal)
	moneytest.Equal(t, "995.50", q.Interest)
	moneytest.Equal(t, "229.93", q.AccruedInterest)
	moneytest.Equal(t, "400.00", q.Escrow)
	moneytest.Equal(t, "25.00", q.Fees)
	moneytest.Equal(t, "40.00", q.Penalties)
	moneytest.Equal(t, "1200.00", q.EscrowCredit)
	moneytest.Equal(t, "100249.43", q.Total)
	moneytest.Equal(t, "0.00", q.Refund)

	a, err := Allocate(GSEMortgage(), q.Posting(q.Total))
	require.NoError(t, err)
	allPaid(t, q.Posting(q.Total), a)

	req.PerDiemFirst = true
	q, err = Quote(req)
	require.NoError(t, err)
	moneytest.Equal(t, "229.88", q.AccruedInterest)
	moneytest.Equal(t, "100249.38", q.Total)

	// An escrow advance is owed; money on hand beyond the payoff is refunded.
	req.EscrowBalance = usd(t, "-75.00")
	req.Suspense = usd(t, "200000.00")
	q, err = Quote(req)
	require.NoError(t, err)
	moneytest.Equal(t, "75.00", q.EscrowAdvance)
	moneytest.Equal(t, "0.00", q.Total)
	// 200,000 − (99,909 + 995.50 + 229.88 + 400 + 75 + 25 + 40) = 98,325.62
	moneytest.Equal(t, "98325.62", q.Refund)
	in := q.Posting(q.Total)
	a, err = Allocate(OldestFirst(), in)
	require.NoError(t, err)
	moneytest.Equal(t, q.Refund, a.Credit)
}

func allPaid(t testing.TB, in Input, a Allocation) {
	t.Helper()
	conserved(t, in, a)
	for i, o := range a.Open {
		require.True(t, o.IsZero(), "receivable %d still owes %s", i, o)
	}
	moneytest.Equal(t, "0.00", a.Suspense)
	moneytest.Equal(t, "0.00", a.Credit)
	moneytest.Equal(t, "0.00", a.Returned)
}

// randomLoan builds a loan of 1–24 monthly installments with some past due,
// random late charges and stand-alone fees, on a random date.
func randomLoan(r *rand.Rand) (rs []Receivable, on date.Date) {
	n := 1 + r.IntN(24)
	first := date.New(2020, time.Month(1+r.IntN(12)), 1+r.IntN(28))
	for k := 1; k <= n; k++ {
		due := first + date.Date(30*(k-1))
		amt := func(max int64) money.Amount { return money.MustNew(r.Int64N(max), money.USD) }
		rs = append(rs,
			Receivable{Installment: k, Component: Interest, DueDate: due, Open: amt(200_000)},
			Receivable{Installment: k, Component: Principal, DueDate: due, Open: amt(500_000)},
			Receivable{Installment: k, Component: Escrow, DueDate: due, Open: amt(40_000)})
		if r.IntN(4) == 0 {
			rs = append(rs, Receivable{Installment: k, Component: Penalty, DueDate: due + 15, Open: amt(5_000)})
		}
		if r.IntN(6) == 0 {
			rs = append(rs, Receivable{Installment: 0, Component: Fee, DueDate: due + date.Date(r.IntN(30)), Open: amt(3_500)})
		}
	}
	on = first + date.Date(r.IntN(30*n+30))
	return rs, on
}

// TestQuoteThenPostClearsEverything: over many random loans and every
// preset, posting exactly the quoted total on the good-through date leaves
// every receivable, suspense and credit at 0.00; one cent less leaves one
// cent owed; one cent more is a one-cent credit.
func TestQuoteThenPostClearsEverything(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 2024))
	presets := allPresets()
	names := []string{"gse", "consumer", "oldest", "mifos", "pfip", "pipf", "advanced"}
	modes := []money.RoundingMode{money.HalfEven, money.HalfUp, money.Floor, money.Ceiling}
	for i := range 400 {
		rs, on := randomLoan(r)
		cycle, ok := CycleDueDate(rs, on)
		from := on - date.Date(r.IntN(40))
		if ok && cycle-30 < on && cycle-30 > from {
			from = cycle - 30
		}
		req := QuoteRequest{
			On: on, Currency: money.USD, Receivables: rs, InterestFrom: from,
			Rate:       rate.MustPercent([]string{"0", "3.25", "6.875", "18", "29.99"}[r.IntN(5)]),
			DaysInYear: []int{360, 365, 366}[r.IntN(3)], Rounding: modes[r.IntN(len(modes))],
			PerDiemFirst: r.IntN(2) == 0, Suspense: money.MustNew(r.Int64N(100_000), money.USD),
			EscrowBalance: money.MustNew(r.Int64N(200_000)-100_000, money.USD), NetEscrow: r.IntN(2) == 0,
		}
		switch r.IntN(4) {
		case 0:
			req.DaysInYear, req.Method = 0, FannieMaeConventional
		case 1:
			req.DaysInYear = 0
			req.DayCount.Convention = []accrual.Convention{accrual.Act360, accrual.Act365Fixed, accrual.ActActISDA}[r.IntN(3)]
		}
		q, err := Quote(req)
		require.NoError(t, err)
		if req.DaysInYear == 0 {
			checkAccruedByMethod(t, req, q)
		} else {
			checkAccrued(t, req, q)
		}
		rules := presets[names[i%len(names)]]
		in := q.Posting(q.Total)
		a, err := Allocate(rules, in)
		require.NoError(t, err)
		if q.Refund.IsPositive() {
			moneytest.Equal(t, q.Refund, a.Credit)
			continue
		}
		allPaid(t, in, a)
		if q.Total.IsPositive() {
			less, err := Allocate(rules, q.Posting(q.Total.Sub(money.MustNew(1, money.USD))))
			require.NoError(t, err)
			var owed int64
			for _, o := range less.Open {
				owed += o.Minor()
			}
			require.Equal(t, int64(1), owed)
		}
		more, err := Allocate(rules, q.Posting(q.Total.Add(money.MustNew(1, money.USD))))
		require.NoError(t, err)
		moneytest.Equal(t, "0.01", more.Credit)
	}
}

// checkAccrued recomputes the per diem and accrued interest with math/big
// as an independent oracle: UPB × rate × days / DaysInYear must round to the
// floor or the floor + 1 minor unit (whatever the mode), and per-diem-first
// interest is exactly the per diem times the days.
func checkAccrued(t *testing.T, req QuoteRequest, q PayoffQuote) {
	t.Helper()
	var upb int64
	for _, r := range req.Receivables {
		if r.Component == Principal {
			upb += r.Open.Minor()
		}
	}
	days := int64(req.On - req.InterestFrom)
	daily := new(big.Rat).SetFrac(
		new(big.Int).Mul(big.NewInt(upb), big.NewInt(req.Rate.Units())),
		new(big.Int).Mul(big.NewInt(rate.Unit), big.NewInt(int64(req.DaysInYear))))
	within := func(got int64, exact *big.Rat) {
		lo := new(big.Int).Quo(exact.Num(), exact.Denom()).Int64()
		require.True(t, got == lo || got == lo+1, "got %d vs exact %s", got, exact.FloatString(4))
	}
	within(q.PerDiem.Minor(), daily)
	if req.PerDiemFirst {
		require.Equal(t, q.PerDiem.Minor()*days, q.AccruedInterest.Minor())
		return
	}
	within(q.AccruedInterest.Minor(), new(big.Rat).Mul(daily, big.NewRat(days, 1)))
}

func TestQuoteValidation(t *testing.T) {
	_, err := Quote(QuoteRequest{
		On: d(2024, time.March, 1), InterestFrom: d(2024, time.April, 1), DaysInYear: 362,
		Rate: rate.MustPercent("-1"), Suspense: usd(t, "-1.00"), AccrualDays: -2,
		Receivables: []Receivable{{Installment: 1, Component: "bonus", DueDate: d(2024, time.March, 1)}},
	})
	require.ErrorIs(t, err, ErrInvalidQuote)
	require.Equal(t, []string{"QuoteRequest.Currency", "QuoteRequest.InterestFrom", "QuoteRequest.AccrualDays",
		"QuoteRequest.Rate", "QuoteRequest.DaysInYear", "QuoteRequest.Rounding", "QuoteRequest.Suspense",
		"QuoteRequest.Receivables[0].Component"}, fieldsOf(err))
}
