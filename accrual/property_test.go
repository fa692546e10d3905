package accrual

import (
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// additive lists conventions whose year fraction is a sum over days, so
// [a, c) = [a, b) + [b, c) must hold exactly.
var additive = []DayCount{
	{Convention: Act360}, {Convention: Act365Fixed}, {Convention: ActActISDA}, {Convention: NL365},
	{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapWholeYear},
	{Convention: Basis, YearDays: Year364, MonthDays: MonthActual},
}

// oracleDay is the one-day year fraction of day under dc, computed
// independently with the time package (not this package's calendar code).
func oracleDay(dc DayCount, day date.Date) *big.Rat {
	tm := day.MidnightUTC()
	next := tm.AddDate(0, 0, 1)
	yearLen := int64(time.Date(tm.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(tm.Year(), 1, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch dc.Convention {
	case Act360:
		return big.NewRat(1, 360)
	case Act365Fixed:
		return big.NewRat(1, 365)
	case NL365:
		if next.Month() == time.February && next.Day() == 29 {
			return new(big.Rat)
		}
		return big.NewRat(1, 365)
	case Basis:
		if dc.YearDays == Year364 {
			return big.NewRat(1, 364)
		}
	}
	return big.NewRat(1, yearLen) // Act/Act ISDA and whole-year basis
}

func randTimeline(rng *rand.Rand, dc DayCount, start date.Date, days int) Timeline {
	tl := Timeline{DayCount: dc, Rounding: RoundAtPosting, Mode: money.HalfEven}
	on := start
	for range 1 + rng.IntN(4) {
		tl.Principal = append(tl.Principal, BalanceChange{On: on, Balance: money.MustNew(rng.Int64N(100_000_000_00), money.USD)})
		tl.Rates = append(tl.Rates, RateChange{On: on, Rate: rate.Rate{}})
		r, _ := rate.BasisPoints(rng.Int64N(3000))
		tl.Rates[len(tl.Rates)-1].Rate = r
		on += date.Date(1 + rng.IntN(days))
	}
	return tl
}

// TestPropertyAdditiveExact checks, for random balance and rate timelines,
// that the unrounded interest over [a, c) equals [a, b) + [b, c) exactly and
// equals a day-by-day math/big oracle.
func TestPropertyAdditiveExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		dc := additive[i%len(additive)]
		a := d(1999, 1, 1) + date.Date(rng.IntN(12000))
		c := a + date.Date(1+rng.IntN(800))
		b := a + date.Date(rng.IntN(int(c-a)+1))
		tl := randTimeline(rng, dc, a, int(c-a))
		whole, err := tl.Accrue(a, c)
		require.NoError(t, err)
		left, err := tl.Accrue(a, b)
		require.NoError(t, err)
		right, err := tl.Accrue(b, c)
		require.NoError(t, err)
		sum := new(big.Rat).Add(left.Exact, right.Exact)
		require.Zero(t, whole.Exact.Cmp(sum), "%s [%s,%s,%s): %s ≠ %s", dc.Convention, a, b, c, whole.Exact, sum)

		oracle := new(big.Rat)
		for day := a; day < c; day++ {
			bal := tl.balanceOn(day).Decimal().Rat()
			num, den := tl.rateOn(day).Ratio()
			v := new(big.Rat).Mul(bal, big.NewRat(num, den))
			oracle.Add(oracle, v.Mul(v, oracleDay(dc, day)))
		}
		require.Zero(t, whole.Exact.Cmp(oracle), "%s oracle: %s ≠ %s", dc.Convention, whole.Exact, oracle)
		// The posted figure is the exact one rounded once.
		want, err := money.RoundRat(oracle, money.USD, money.HalfEven)
		require.NoError(t, err)
		require.True(t, want.Equal(whole.Interest))
	}
}

// TestPropertyYearFractionAdditive checks yf(a,c) = yf(a,b) + yf(b,c) for
// the additive conventions over random dates in 1600–2400.
func TestPropertyYearFractionAdditive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		dc := additive[i%len(additive)]
		a := d(1600, 1, 1) + date.Date(rng.IntN(290000))
		c := a + date.Date(rng.IntN(3000))
		b := a + date.Date(rng.IntN(int(c-a)+1))
		ac, err := dc.YearFraction(a, c)
		require.NoError(t, err)
		ab, _ := dc.YearFraction(a, b)
		bc, _ := dc.YearFraction(b, c)
		s, err := ab.Add(bc)
		require.NoError(t, err)
		require.Equal(t, ac, s, "%s %s %s %s", dc.Convention, a, b, c)
	}
}

// TestPropertyMonotoneAndZero: interest never falls when balance or rate
// rises, and a zero balance or zero rate gives exactly zero, for every
// convention and both rounding policies.
func TestPropertyMonotoneAndZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ref := Period{Start: d(2024, 1, 15), End: d(2024, 7, 15)}
	var all []DayCount
	for _, c := range Conventions() {
		dc := DayCount{Convention: c, FrequencyMonths: 6, Reference: &ref, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapFeb29Period}
		all = append(all, dc)
	}
	for i := range 600 {
		dc := all[i%len(all)]
		a := d(2020, 1, 1) + date.Date(rng.IntN(2000))
		c := a + date.Date(rng.IntN(400))
		b1 := rng.Int64N(1_000_000_00)
		b2 := b1 + rng.Int64N(1_000_000_00)
		r1 := rng.Int64N(2500)
		r2 := r1 + rng.Int64N(2500)
		policy := []RoundingPolicy{RoundAtPosting, RoundDaily}[i%2]
		get := func(bal, bps int64) money.Amount {
			r, _ := rate.BasisPoints(bps)
			tl := Timeline{DayCount: dc, Rounding: policy, Mode: money.HalfEven,
				Principal: []BalanceChange{{On: a, Balance: money.MustNew(bal, money.USD)}},
				Rates:     []RateChange{{On: a, Rate: r}}}
			res, err := tl.Accrue(a, c)
			require.NoError(t, err)
			return res.Interest
		}
		lo, hi := get(b1, r1), get(b2, r2)
		require.LessOrEqual(t, lo.Minor(), hi.Minor(), "%s", dc.Convention)
		require.LessOrEqual(t, get(b1, r2).Minor(), hi.Minor())
		require.Zero(t, get(0, r2).Minor())
		require.Zero(t, get(b2, 0).Minor())
	}
}

// TestCivilCalendar checks the package's month stepping and leap-day count
// against the time package over four centuries.
func TestCivilCalendar(t *testing.T) {
	for y := 1896; y <= 2404; y++ {
		for m := time.January; m <= time.December; m++ {
			last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
			require.Equal(t, last, daysIn(y, m))
		}
		n := feb29Count(d(y, 1, 1), d(y+1, 1, 1))
		require.Equal(t, time.Date(y, 3, 0, 0, 0, 0, 0, time.UTC).Day() == 29, n == 1, "year %d", y)
	}
}
