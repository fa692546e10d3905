package accrual

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestDailyRounding30360CountsTheMonth is the user report: 100,000.00 at
// 6 % on 30U/360 (EOM) with daily rounding over February 2023 came to
// 466.76 = 28 × 16.67, because each day was counted on its own and the
// one-day count of [28 Feb, 1 Mar) is 1 (the February rule moves D1 to 30).
// The convention counts 30 days for the month, so the days are now measured
// from the run's start. One day is 100,000 × 0.06 / 360 = 16.666… → 16.67
// (half away from zero; half-even gives the same), three days 50.00 exactly,
// two days 33.333… → 33.33. Daily rounding keeps its cents of difference
// from rounding once (500.00), as it should: it rounds each step.
func TestDailyRounding30360CountsTheMonth(t *testing.T) {
	tests := []struct {
		name       string
		start, end date.Date
		days       int    // actual days in the run (Result.Days)
		daily      string // RoundDaily
		posting    string // RoundAtPosting
	}{
		// From 1 Feb 2023: 1..27 Feb are one day each (Days(1 Feb, 28 Feb)
		// = 27); 28 Feb earns Days(1 Feb, 1 Mar) − 27 = 30 − 27 = 3 days.
		// 27 × 16.67 + 50.00 = 450.09 + 50.00 = 500.09. At posting:
		// 100,000 × 0.06 × 30/360 = 500.00.
		{"February 2023", d(2023, 2, 1), d(2023, 3, 1), 28, "500.09", "500.00"},
		// January: D2 = 31 stays 31 (D1 = 1 < 30), so Days(1 Jan, 31 Jan)
		// = 30 = Days(1 Jan, 1 Feb): 1..30 Jan one day each, 31 Jan none.
		// 30 × 16.67 = 500.10 (it was 31 × 16.67 = 516.77).
		{"January 2023 (31 days)", d(2023, 1, 1), d(2023, 2, 1), 31, "500.10", "500.00"},
		// Leap February: 29 Feb 2024 is the last day of February but 1 Feb
		// is not, so D2 stays 29: Days(1 Feb, 29 Feb) = 28 one-day steps,
		// then 29 Feb earns 30 − 28 = 2 days. 28 × 16.67 + 33.33 = 466.76 +
		// 33.33 = 500.09 (it was 29 × 16.67 = 483.43).
		{"February 2024 (leap)", d(2024, 2, 1), d(2024, 3, 1), 29, "500.09", "500.00"},
		// From the last day of February: D1 28 Feb → 30, so [28 Feb, 1 Mar)
		// is one day; D2 31 Mar → 30 (D1 ≥ 30), so Days(28 Feb, 31 Mar) =
		// 30 = Days(28 Feb, 30 Mar) + 0: 28 Feb and 1..29 Mar one day each,
		// 30 Mar none. 30 × 16.67 = 500.10.
		{"28 Feb to 31 Mar 2023", d(2023, 2, 28), d(2023, 3, 31), 31, "500.10", "500.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := flat(Thirty360US, "100000.00", "6", tc.start, RoundDaily)
			tl.Mode = money.HalfAwayFromZero
			daily, err := tl.Accrue(tc.start, tc.end)
			require.NoError(t, err)
			moneytest.Equal(t, tc.daily, daily.Interest)
			require.Equal(t, tc.days, daily.Days)
			tl.Rounding = RoundAtPosting
			once, err := tl.Accrue(tc.start, tc.end)
			require.NoError(t, err)
			moneytest.Equal(t, tc.posting, once.Interest)
		})
	}
}

// TestDailyRounding30360AcrossABreakpoint: a paydown to 50,000.00 on
// 15 Feb 2023 splits February into two runs, each counted from its own
// start. [1 Feb, 15 Feb): 14 days × 16.67 = 233.38. [15 Feb, 1 Mar):
// Days = 30 + 1 − 15 = 16; 15..27 Feb are 13 one-day steps of 50,000 ×
// 0.06 / 360 = 8.333… → 8.33 (108.29) and 28 Feb earns 16 − 13 = 3 days =
// 25.00. Total 233.38 + 108.29 + 25.00 = 366.67, the same as rounding once:
// 233.333… + 133.333… = 366.666… → 366.67.
func TestDailyRounding30360AcrossABreakpoint(t *testing.T) {
	start, end := d(2023, 2, 1), d(2023, 3, 1)
	tl := flat(Thirty360US, "100000.00", "6", start, RoundDaily)
	tl.Principal = append(tl.Principal, BalanceChange{On: d(2023, 2, 15), Balance: usd("50000.00")})
	r, err := tl.Accrue(start, end)
	require.NoError(t, err)
	moneytest.Equal(t, "366.67", r.Interest)
	require.Len(t, r.Segments, 2)
	tl.Rounding = RoundAtPosting
	r, err = tl.Accrue(start, end)
	require.NoError(t, err)
	moneytest.Equal(t, "366.67", r.Interest)
}

// TestDayStepsWhereTheDaysFall shows, for a run from 1 Feb 2023, the days
// counted on 26, 27 and 28 Feb (1..25 Feb are one day each everywhere) and
// the total. Bond, US, US no-EOM, 30E and Basis 360/30 leave D2 = 28
// (1 Feb is not a last day of February): Days(1 Feb, 28 Feb) = 27, and
// 28 Feb earns 30 − 27 = 3. 30E ISDA moves the end date 28 Feb (last of
// February) to 30: Days(1 Feb, 28 Feb) = 29, so 27 Feb earns 29 − 26 = 3
// and 28 Feb 30 − 29 = 1; unless 28 Feb is the termination date, which
// keeps D2 = 28 and gives the 3 days back to 28 Feb.
func TestDayStepsWhereTheDaysFall(t *testing.T) {
	term := d(2023, 2, 28)
	tests := []struct {
		dc   DayCount
		last [3]int // 26, 27, 28 Feb
	}{
		{DayCount{Convention: Thirty360BondBasis}, [3]int{1, 1, 3}},
		{DayCount{Convention: Thirty360US}, [3]int{1, 1, 3}},
		{DayCount{Convention: Thirty360USAlias}, [3]int{1, 1, 3}},
		{DayCount{Convention: Thirty360USNoEOM}, [3]int{1, 1, 3}},
		{DayCount{Convention: Thirty360E}, [3]int{1, 1, 3}},
		{DayCount{Convention: Thirty360EISDA}, [3]int{1, 3, 1}},
		{DayCount{Convention: Thirty360EISDA, Termination: &term}, [3]int{1, 1, 3}},
		{DayCount{Convention: Basis, YearDays: Year360, MonthDays: Month30}, [3]int{1, 1, 3}},
	}
	for _, tc := range tests {
		t.Run(string(tc.dc.Convention), func(t *testing.T) {
			a := d(2023, 2, 1)
			steps := stepDays(t, tc.dc, a, d(2023, 3, 1))
			for i, n := range steps[:25] {
				require.Equal(t, 1, n, "day %s", a+date.Date(i))
			}
			require.Equal(t, tc.last[:], steps[25:])
		})
	}
}

// stepDays returns the days each day of [a, b) counts under daily
// rounding: its step fraction times the day's per-diem year, which must be
// a whole number.
func stepDays(t *testing.T, dc DayCount, a, b date.Date) []int {
	t.Helper()
	s := dayStepper{dc: dc, start: a}
	var out []int
	for day := a; day < b; day++ {
		yf, err := s.next(day)
		require.NoError(t, err)
		den := int64(dc.perDiemDays(day))
		require.Zero(t, yf.Num*den%yf.Den, "%s %s: step %s not whole days of 1/%d", dc.Convention, day, yf, den)
		out = append(out, int(yf.Num*den/yf.Den))
	}
	return out
}

// stepConventions are the day counts of the step properties: every
// convention except ACT_ACT_ICMA (which has no per-diem year), in every
// variant whose one-day rule differs.
func stepConventions() []DayCount {
	term := d(2024, 2, 29)
	out := []DayCount{{Convention: Thirty360USAlias}, {Convention: Thirty360EISDA, Termination: &term},
		{Convention: Act365L, FrequencyMonths: 12}, {Convention: Act365L, FrequencyMonths: 6},
		{Convention: Act365L, FrequencyMonths: 1}}
	for _, c := range Conventions() {
		switch c {
		case ActActICMA, Act365L, Basis:
			continue
		}
		out = append(out, DayCount{Convention: c})
	}
	for _, y := range []YearBasis{Year360, Year364, Year365, Year366} {
		for _, m := range []MonthBasis{MonthActual, Month30} {
			out = append(out, DayCount{Convention: Basis, YearDays: y, MonthDays: m})
		}
	}
	return append(out,
		DayCount{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapWholeYear},
		DayCount{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapFeb29Period},
		DayCount{Convention: Basis, YearDays: YearActual, MonthDays: Month30, Leap: LeapFeb29Period})
}

// TestPropertyDayStepsSumToDays: for every convention (except ICMA) and
// random runs [a, b) over 1600–2400, the days counted by the daily steps
// sum exactly to Days(a, b), the count YearFraction(a, b) uses; under
// 30-day months each step is 0..3 days. Where the divisor is fixed (the
// 30/360 family, Basis with a fixed YearDays) the step fractions also sum
// exactly to YearFraction(a, b).
func TestPropertyDayStepsSumToDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	all := stepConventions()
	for i := range 3000 {
		dc := all[i%len(all)]
		a := d(1600, 1, 1) + date.Date(rng.IntN(290000))
		if i%3 == 0 { // start near a February end
			a = d(1600+rng.IntN(800), time.February, 24+rng.IntN(6)) // 29/30 Feb normalize to March
		}
		b := a + date.Date(rng.IntN(800))
		want, err := dc.Days(a, b)
		require.NoError(t, err)
		sum := 0
		for _, n := range stepDays(t, dc, a, b) {
			if dc.thirtyMonths() {
				require.True(t, n >= 0 && n <= 3, "%s step of %d days", dc.Convention, n)
			}
			sum += n
		}
		require.Equal(t, want, sum, "%s [%s, %s)", dc.Convention, a, b)
		if dc.thirtyMonths() && (dc.Convention != Basis || dc.YearDays != YearActual) {
			requireStepsSumToYearFraction(t, dc, a, b)
		}
	}
}

func requireStepsSumToYearFraction(t *testing.T, dc DayCount, a, b date.Date) {
	t.Helper()
	s := dayStepper{dc: dc, start: a}
	total := ZeroFraction
	for day := a; day < b; day++ {
		yf, err := s.next(day)
		require.NoError(t, err)
		total, err = total.Add(yf)
		require.NoError(t, err)
	}
	want, err := dc.YearFraction(a, b)
	require.NoError(t, err)
	require.Equal(t, want, total, "%s [%s, %s)", dc.Convention, a, b)
}

// thirtyFamily are the 30-day-month day counts with a fixed divisor.
func thirtyFamily() []DayCount {
	term := d(2024, 2, 29)
	out := []DayCount{{Convention: Thirty360EISDA, Termination: &term}}
	for _, c := range []Convention{Thirty360BondBasis, Thirty360US, Thirty360USAlias, Thirty360USNoEOM, Thirty360E, Thirty360EISDA} {
		out = append(out, DayCount{Convention: c})
	}
	for _, y := range []YearBasis{Year360, Year364, Year365, Year366} {
		out = append(out, DayCount{Convention: Basis, YearDays: y, MonthDays: Month30})
	}
	return out
}

// TestPropertyDaily30360NearPosting: for random 30-day-month conventions,
// balance and rate timelines and runs, daily-rounded interest stays within
// the counted days (in minor units) of interest rounded once. Both sum the
// same exact day shares x_i (they now count the same days); each step with
// days rounds off less than one unit and a step with none is exactly 0, so
// with k ≤ counted steps with days: toward zero, Σ⌊x_i⌋ ≤ ⌊Σx_i⌋ <
// Σ⌊x_i⌋ + k, so 0 ≤ posting − daily ≤ max(counted − 1, 0); half even,
// |daily − posting| ≤ k/2 + 1/2, so 2·|daily − posting| ≤ counted + 1. The
// old one-day counts broke this by whole days (500.00 against 466.76).
func TestPropertyDaily30360NearPosting(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 23))
	family := thirtyFamily()
	for i := range 1500 {
		dc := family[i%len(family)]
		a := d(1990, 1, 1) + date.Date(rng.IntN(15000))
		b := a + date.Date(rng.IntN(400))
		tl := randTimeline(rng, dc, a, int(b-a)+1)
		tl.Mode = []money.RoundingMode{money.TowardZero, money.HalfEven}[i%2]
		posting, err := tl.Accrue(a, b)
		require.NoError(t, err)
		tl.Rounding = RoundDaily
		daily, err := tl.Accrue(a, b)
		require.NoError(t, err)
		counted := 0
		for _, s := range daily.Segments {
			counted += dc.days(s.Start, s.End)
		}
		diff := posting.Interest.Minor() - daily.Interest.Minor()
		if tl.Mode == money.TowardZero {
			require.True(t, diff >= 0 && diff <= int64(max(counted-1, 0)),
				"%s [%s, %s) %d days: posting %s daily %s", dc.Convention, a, b, counted, posting.Interest, daily.Interest)
		} else {
			require.LessOrEqual(t, 2*abs(diff), int64(counted+1),
				"%s [%s, %s) %d days: posting %s daily %s", dc.Convention, a, b, counted, posting.Interest, daily.Interest)
		}
	}
}

// TestSingleDayUnchanged pins the one-day figures that DayInterest and
// Timeline.PerDiem document, which measure a day on its own (a one-day run
// is its own start, so the fix does not move them). 100,000 at 6 %:
// one day 16.67, three days 50.00.
func TestSingleDayUnchanged(t *testing.T) {
	tests := []struct {
		name string
		conv Convention
		day  date.Date
		want string
	}{
		// D1 30, D2 31 → 30 (D1 ≥ 30): no day.
		{"US 30 Jan", Thirty360US, d(2023, 1, 30), "0.00"},
		// D1 31 → 30, D2 = 1 Feb: 30 + 1 − 30 = 1 day.
		{"US 31 Jan", Thirty360US, d(2023, 1, 31), "16.67"},
		// Bond: D1 28 stays: 30 + 1 − 28 = 3 days.
		{"bond 28 Feb 2023", Thirty360BondBasis, d(2023, 2, 28), "50.00"},
		// US EOM: D1 last of February → 30: 1 day.
		{"US 28 Feb 2023", Thirty360US, d(2023, 2, 28), "16.67"},
		// 30E ISDA: D2 28 Feb (last of February) → 30: 30 − 27 = 3 days.
		{"30E ISDA 27 Feb 2023", Thirty360EISDA, d(2023, 2, 27), "50.00"},
		// Bond, leap year: 30 + 1 − 29 = 2 days = 33.333… → 33.33.
		{"bond 29 Feb 2024", Thirty360BondBasis, d(2024, 2, 29), "33.33"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dc := DayCount{Convention: tc.conv}
			got, err := dc.DayInterest(usd("100000.00"), rate.MustPercent("6"), tc.day, money.HalfEven)
			require.NoError(t, err)
			moneytest.Equal(t, tc.want, got)
			for _, p := range []RoundingPolicy{RoundDaily, RoundAtPosting} {
				pd, err := flat(tc.conv, "100000.00", "6", tc.day, p).PerDiem(tc.day)
				require.NoError(t, err)
				moneytest.Equal(t, tc.want, pd, p)
			}
		})
	}
}
