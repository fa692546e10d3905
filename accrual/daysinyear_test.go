package accrual

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// ordinaryDay reports whether the convention counts [on, on+1) as exactly
// one day, decided from the calendar rather than from Days: under 30-day
// months day 1..27 of a month (28 → 29 and 29 → 30 are one day too, but
// this keeps clear of every February rule), except that 30E_360_ISDA moves
// an end date on the last day of February to the 30th, so 27 February of a
// common year counts 3; under NL_365 every day but the one before 29 Feb.
func ordinaryDay(dc DayCount, on date.Date) bool {
	y, m, day := (on + 1).Date()
	if dc.thirtyMonths() {
		if dc.Convention == Thirty360EISDA && lastOfFeb(y, m, day) {
			return false
		}
		return on.Day() <= 27
	}
	if dc.Convention == NL365 {
		return !(m == time.February && day == 29)
	}
	return true
}

// TestDaysInYearMatchesYearFraction holds the per-diem year and the day
// count equal, the differential the two copies of this rule never had: for
// every convention except ICMA, on thousands of random days over 1600–2400
// and on every day of 2023–2024, YearFraction(on, on+1) is exactly
// Days(on, on+1)/DaysInYear(on), and exactly 1/DaysInYear(on) (reduced) on
// an ordinary day.
func TestDaysInYearMatchesYearFraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 31))
	for _, dc := range stepConventions() {
		ordinary := 0
		check := func(on date.Date) {
			n, err := dc.DaysInYear(on)
			require.NoError(t, err)
			yf, err := dc.YearFraction(on, on+1)
			require.NoError(t, err)
			days, err := dc.Days(on, on+1)
			require.NoError(t, err)
			require.Equal(t, reduce(int64(days), int64(n)), yf, "%+v on %s", dc, on)
			if ordinaryDay(dc, on) {
				ordinary++
				require.Equal(t, Fraction{Num: 1, Den: int64(n)}, yf, "%+v on ordinary %s", dc, on)
			}
		}
		for range 3000 {
			check(d(1600, 1, 1) + date.Date(rng.IntN(292000)))
		}
		for on := d(2023, 1, 1); on < d(2025, 1, 1); on++ {
			check(on)
		}
		require.Greater(t, ordinary, 2500, "%+v", dc)
	}
}

// TestDaysInYearTable pins the doc comment's table on the days where the
// rules differ: 15 June and 31 December of common 2023 and leap 2024,
// 28 and 29 February 2024 and 1 March 2024.
func TestDaysInYearTable(t *testing.T) {
	days := []date.Date{d(2023, 6, 15), d(2023, 12, 31), d(2024, 2, 28), d(2024, 2, 29), d(2024, 3, 1), d(2024, 6, 15), d(2024, 12, 31)}
	tests := []struct {
		name string
		dc   DayCount
		want []int
	}{
		{"30/360", DayCount{Convention: Thirty360BondBasis}, []int{360, 360, 360, 360, 360, 360, 360}},
		{"ACT_360", DayCount{Convention: Act360}, []int{360, 360, 360, 360, 360, 360, 360}},
		{"ACT_365F", DayCount{Convention: Act365Fixed}, []int{365, 365, 365, 365, 365, 365, 365}},
		{"NL_365", DayCount{Convention: NL365}, []int{365, 365, 365, 365, 365, 365, 365}},
		// Annual: 366 only when on+1 is 29 February (28 Feb 2024).
		{"ACT_365L annual", DayCount{Convention: Act365L, FrequencyMonths: 12}, []int{365, 365, 366, 365, 365, 365, 365}},
		// Other frequencies: the year of on+1; 31 Dec 2023 → 2024 → 366,
		// 31 Dec 2024 → 2025 → 365.
		{"ACT_365L quarterly", DayCount{Convention: Act365L, FrequencyMonths: 3}, []int{365, 366, 366, 366, 366, 366, 365}},
		{"ACT_ACT_ISDA", DayCount{Convention: ActActISDA}, []int{365, 365, 366, 366, 366, 366, 366}},
		{"ACT_ACT_AFB", DayCount{Convention: ActActAFB}, []int{365, 365, 365, 366, 365, 365, 365}},
		{"Basis 364", DayCount{Convention: Basis, YearDays: Year364, MonthDays: Month30}, []int{364, 364, 364, 364, 364, 364, 364}},
		{"Basis 366", DayCount{Convention: Basis, YearDays: Year366, MonthDays: MonthActual}, []int{366, 366, 366, 366, 366, 366, 366}},
		{"Basis whole year", DayCount{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapWholeYear}, []int{365, 365, 366, 366, 366, 366, 366}},
		{"Basis feb29 period", DayCount{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapFeb29Period}, []int{365, 365, 365, 366, 365, 365, 365}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i, on := range days {
				n, err := tc.dc.DaysInYear(on)
				require.NoError(t, err)
				require.Equal(t, tc.want[i], n, "on %s", on)
			}
		})
	}
}

// TestDaysInYearPlatformSettings maps each platform setting of the table in
// doc.go onto its DayCount and per-diem year, on a common-year and a
// leap-year day (15 June 2023 and 2024) and on 29 February 2024. Settings
// with a named equivalent must agree with it. The "360/30" Basis row is the
// loan that was quoted over 365 by a caller's list of convention names.
func TestDaysInYearPlatformSettings(t *testing.T) {
	days := []date.Date{d(2023, 6, 15), d(2024, 6, 15), d(2024, 2, 29)}
	basis := func(y YearBasis, m MonthBasis, l LeapPolicy) DayCount {
		return DayCount{Convention: Basis, YearDays: y, MonthDays: m, Leap: l}
	}
	tests := []struct {
		setting string
		dc      DayCount
		named   *DayCount // the named convention doc.go equates it with
		want    [3]int
	}{
		{"Fineract ACTUAL/ACTUAL FULL_LEAP_YEAR", basis(YearActual, MonthActual, LeapWholeYear), &DayCount{Convention: ActActISDA}, [3]int{365, 366, 366}},
		{"Fineract ACTUAL/ACTUAL FEB_29_PERIOD_ONLY", basis(YearActual, MonthActual, LeapFeb29Period), nil, [3]int{365, 365, 366}},
		{"Fineract 360/30", basis(Year360, Month30, ""), &DayCount{Convention: Thirty360BondBasis}, [3]int{360, 360, 360}},
		{"Fineract 360/ACTUAL", basis(Year360, MonthActual, ""), &DayCount{Convention: Act360}, [3]int{360, 360, 360}},
		{"Fineract 364/ACTUAL", basis(Year364, MonthActual, ""), nil, [3]int{364, 364, 364}},
		{"Fineract 365/ACTUAL", basis(Year365, MonthActual, ""), &DayCount{Convention: Act365Fixed}, [3]int{365, 365, 365}},
		{"Nortridge 366/ACT", basis(Year366, MonthActual, ""), nil, [3]int{366, 366, 366}},
		{"Nortridge 366/30", basis(Year366, Month30, ""), nil, [3]int{366, 366, 366}},
		{"Nortridge 365/30", basis(Year365, Month30, ""), nil, [3]int{365, 365, 365}},
		{"Nortridge 364/30", basis(Year364, Month30, ""), nil, [3]int{364, 364, 364}},
		{"Nortridge ACT/30 (feb29 period)", basis(YearActual, Month30, LeapFeb29Period), nil, [3]int{365, 365, 366}},
		{"Mambu ACT/365F", DayCount{Convention: Act365Fixed}, nil, [3]int{365, 365, 365}},
		{"Mambu ACT/360", DayCount{Convention: Act360}, nil, [3]int{360, 360, 360}},
		{"Mambu 30E/360 ISDA", DayCount{Convention: Thirty360EISDA}, nil, [3]int{360, 360, 360}},
		{"Mortgage 30U_360_EOM", DayCount{Convention: Thirty360US}, nil, [3]int{360, 360, 360}},
		{"Mortgage 30_360_BOND_BASIS", DayCount{Convention: Thirty360BondBasis}, nil, [3]int{360, 360, 360}},
		{"Daily simple ACT_365F", DayCount{Convention: Act365Fixed}, nil, [3]int{365, 365, 365}},
	}
	for _, tc := range tests {
		t.Run(tc.setting, func(t *testing.T) {
			for i, on := range days {
				n, err := tc.dc.DaysInYear(on)
				require.NoError(t, err)
				require.Equal(t, tc.want[i], n, "on %s", on)
				if tc.named != nil {
					m, err := tc.named.DaysInYear(on)
					require.NoError(t, err)
					require.Equal(t, m, n, "named %s on %s", tc.named.Convention, on)
				}
			}
		})
	}
}

// TestDaysInYearPerDiemMatchesTimeline: PerDiem over DaysInYear(on) is the
// per diem Timeline.PerDiem charges on an ordinary day, for every
// convention except ICMA (200,000.00 at 6.125 %, half even).
func TestDaysInYearPerDiemMatchesTimeline(t *testing.T) {
	bal, r := usd("200000.00"), rate.MustPercent("6.125")
	for _, dc := range stepConventions() {
		for _, on := range []date.Date{d(2023, 3, 15), d(2024, 2, 29), d(2024, 7, 4), d(2023, 12, 31)} {
			if !ordinaryDay(dc, on) {
				continue
			}
			n, err := dc.DaysInYear(on)
			require.NoError(t, err)
			want, err := PerDiem(bal, r, n, money.HalfEven)
			require.NoError(t, err)
			tl := flat(Act360, "200000.00", "6.125", on, RoundAtPosting)
			tl.DayCount = dc
			got, err := tl.PerDiem(on)
			require.NoError(t, err)
			moneytest.Equal(t, want, got, dc, on)
		}
	}
}

func TestDaysInYearErrors(t *testing.T) {
	ref := Period{Start: d(2024, 1, 15), End: d(2024, 7, 15)}
	tests := []struct {
		name   string
		dc     DayCount
		on     date.Date
		fields []string
		is     error
	}{
		{"ICMA with reference", DayCount{Convention: ActActICMA, Reference: &ref, FrequencyMonths: 6}, d(2024, 3, 1), []string{"DayCount.Convention"}, field.ErrNotSupported},
		{"ICMA without reference", DayCount{Convention: ActActICMA}, d(2024, 3, 1), []string{"DayCount.Reference"}, field.ErrRequired},
		{"unknown convention", DayCount{Convention: "ACT_999"}, d(2024, 3, 1), []string{"DayCount.Convention"}, field.ErrNotSupported},
		{"missing convention", DayCount{}, d(2024, 3, 1), []string{"DayCount.Convention"}, field.ErrRequired},
		{"basis incomplete", DayCount{Convention: Basis, YearDays: YearActual}, d(2024, 3, 1), []string{"DayCount.Leap", "DayCount.MonthDays"}, field.ErrRequired},
		{"date out of range", DayCount{Convention: Act360}, date.Date(-1), []string{"on"}, field.ErrOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := tc.dc.DaysInYear(tc.on)
			require.Zero(t, n)
			require.ErrorIs(t, err, ErrInvalidInput)
			require.ErrorIs(t, err, tc.is)
			require.Equal(t, tc.fields, field.Fields(err))
			if verr := tc.dc.Validate(); verr != nil {
				require.Equal(t, field.Fields(verr), field.Fields(err), "the Validate error")
			}
		})
	}
}
