package amortize

import (
	"math/big"
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/stretchr/testify/require"
)

var fastModes = []money.RoundingMode{money.HalfEven, money.HalfAwayFromZero, money.TowardZero,
	money.AwayFromZero, money.Floor, money.Ceiling}

// exactLevel is the reference the fast path must equal: levelRatio's closed
// form rounded by roundRatio.
func exactLevel(t testing.TB, bal, n, d int64, count int, inc int64, mode money.RoundingMode) int64 {
	t.Helper()
	fac := func(int) (*big.Int, *big.Int) { return big.NewInt(n), big.NewInt(d) }
	num, den := levelRatio(bal, 0, count, fac, true, nil)
	p, err := roundRatio(num, den, inc, money.USD, mode)
	require.NoError(t, err)
	return p.Minor()
}

// FuzzSolvePaymentFast holds the fast level payment equal to the exact one
// to the minor unit: levelPaymentFast against levelRatio + roundRatio over
// balances 1 to 2^50 minor units, rates 0 to 100 % in rate units, every
// frequency's periods a year, 1 to MaxPayments periods, increments and
// every rounding mode; and SolvePayment against Compute's Payment over terms
// that take and that leave the fast path (odd periods, prepaid, rate steps,
// interest-only, increments).
func FuzzSolvePaymentFast(f *testing.F) {
	f.Add(int64(20_000_000), int64(65_000_000_000), 360, uint8(3), uint8(1), uint8(0))
	f.Add(int64(1), int64(1_000_000_000_000), 1200, uint8(0), uint8(5), uint8(1))
	f.Add(int64(1<<50), int64(1), 1, uint8(6), uint8(0), uint8(2))
	f.Add(int64(100_000), int64(0), 7, uint8(3), uint8(2), uint8(3))
	f.Add(int64(1_000_000), int64(120_000_000_000), 12, uint8(3), uint8(4), uint8(4))
	f.Add(int64(300_000), int64(120_000_000_000), 6, uint8(3), uint8(1), uint8(5))
	f.Fuzz(func(t *testing.T, bal, micro int64, count int, freq, mode, opts uint8) {
		bal = 1 + abs(bal)%(1<<50)
		units := abs(micro) % (rate.Unit + 1) // 0 to 100 % in rate units
		count = 1 + int(abs(int64(count))%MaxPayments)
		ppy := []int64{1, 2, 4, 6, 12, 24, 26, 52, 365}[freq%9]
		inc := []int64{1, 1, 1, 5, 100, 1000}[opts%6]
		md := fastModes[int(mode)%len(fastModes)]
		r, err := rate.FromUnits(units)
		if err != nil {
			t.Skip()
		}
		num, den, fits := interestRatio(r, accrual.Fraction{Num: 1, Den: ppy})
		if !fits {
			t.Skip()
		}
		if got, ok := levelPaymentFast(bal, num, den, count, inc, md); ok {
			if want := exactLevel(t, bal, num, den, count, inc, md); got != want {
				t.Fatalf("bal %d factor %d/%d n %d inc %d %s: fast %d, exact %d", bal, num, den, count, inc, md, got, want)
			}
		}
		// SolvePayment against the table's payment on monthly terms.
		tm := mortgage(t, "1.00", "0", count)
		tm.Principal = money.MustNew(1+bal%100_000_000_000, money.USD)
		tm.AnnualRate, tm.PaymentRounding, tm.PaymentIncrement = r, md, inc
		switch opts % 7 {
		case 1:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-9, OddActualPeriod
		case 2:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate+5, OddPrepaid
		case 3:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-3, OddDaysInterest
		case 4:
			tm.RateSteps = []RateStep{{FromInstallment: 1 + count/2, AnnualRate: rate.MustPercent("3")}}
		case 5:
			tm.InterestOnly = count / 3
		case 6:
			tm.InterestMethod = InterestDaily
		}
		got, gerr := SolvePayment(tm)
		want, werr := solvePaymentExact(tm)
		if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("errors differ: fast %v, exact %v", gerr, werr)
		}
		if !got.Equal(want) {
			t.Fatalf("%+v: SolvePayment %s, Compute %s", tm, got, want)
		}
	})
}

// TestLevelPaymentFastDecides: on realistic loans the fast path decides (it
// does not fall back) and equals the exact payment.
func TestLevelPaymentFastDecides(t *testing.T) {
	undecided := 0
	for i := range 2000 {
		bal := int64(100_000 + i*7919%100_000_000)
		r := rate.MustPercent([]string{"0", "2.99", "6.5", "9.875", "18", "29.99"}[i%6])
		count := 1 + i*37%480
		num, den, _ := interestRatio(r, accrual.Fraction{Num: 1, Den: 12})
		md := fastModes[i%len(fastModes)]
		got, ok := levelPaymentFast(bal, num, den, count, 1, md)
		if !ok {
			undecided++
			continue
		}
		require.Equal(t, exactLevel(t, bal, num, den, count, 1, md), got, "case %d", i)
	}
	require.Zero(t, undecided)
}
