package accrual

import (
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func ptr[T any](v T) *T { return &v }

// TestGoldenDayCounts covers each convention over awkward dates (month ends,
// 28/29 February, the 31st, year ends, leap years). Every expected value is
// derived by hand in the comment beside it from the convention's definition
// (ISDA 2006 §4.16, SIA 30/360 US, ICMA Rule 251), not from this code.
func TestGoldenDayCounts(t *testing.T) {
	fin := Period{Start: d(2024, 1, 31), End: d(2024, 4, 30)} // quarterly reference, 90 days
	tests := []struct {
		name       string
		dc         DayCount
		start, end date.Date
		days       int
		yf         Fraction
	}{
		// Bond basis: D1 31→30, D2 29 stays: 30·1 + (29−30) = 29.
		{"bond 31 Jan-29 Feb", DayCount{Convention: Thirty360BondBasis}, d(2024, 1, 31), d(2024, 2, 29), 29, Fraction{29, 360}},
		// D1 30, D2 31→30 because D1 is 30: 30·2 + 0 = 60 = 1/6 year.
		{"bond 30 Jan-31 Mar", DayCount{Convention: Thirty360BondBasis}, d(2024, 1, 30), d(2024, 3, 31), 60, Fraction{1, 6}},
		// D1 29 (not 30), so D2 31 stays: 30 + 2 = 32.
		{"bond 29 Feb-31 Mar", DayCount{Convention: Thirty360BondBasis}, d(2024, 2, 29), d(2024, 3, 31), 32, Fraction{4, 45}},
		// Year end to year end: both 31→30: 360·1 = 360.
		{"bond year ends", DayCount{Convention: Thirty360BondBasis}, d(2023, 12, 31), d(2024, 12, 31), 360, Fraction{1, 1}},
		// US EOM: D1 last Feb→30, then D2 31 with D1 ≥ 30 → 30: 30.
		{"US 29 Feb-31 Mar", DayCount{Convention: Thirty360US}, d(2024, 2, 29), d(2024, 3, 31), 30, Fraction{1, 12}},
		// US EOM: both last of Feb → D2 30, D1 30: 360 + 0.
		{"US Feb ends", DayCount{Convention: Thirty360USAlias}, d(2023, 2, 28), d(2024, 2, 29), 360, Fraction{1, 1}},
		// US without the February rule: D1 29 stays, D2 31 stays: 30 + 2.
		{"US no-EOM 29 Feb-31 Mar", DayCount{Convention: Thirty360USNoEOM}, d(2024, 2, 29), d(2024, 3, 31), 32, Fraction{4, 45}},
		// 30E: D2 31→30 always: 30 + (30−29) = 31.
		{"30E 29 Feb-31 Mar", DayCount{Convention: Thirty360E}, d(2024, 2, 29), d(2024, 3, 31), 31, Fraction{31, 360}},
		// 30E ISDA: D1 last Feb→30, D2 31→30: 30.
		{"30E ISDA 29 Feb-31 Mar", DayCount{Convention: Thirty360EISDA}, d(2024, 2, 29), d(2024, 3, 31), 30, Fraction{1, 12}},
		// 30E ISDA, end is termination: D2 29 Feb stays: 6·30 + (29−30) = 179.
		{"30E ISDA termination", DayCount{Convention: Thirty360EISDA, Termination: ptr(d(2024, 2, 29))}, d(2023, 8, 31), d(2024, 2, 29), 179, Fraction{179, 360}},
		// Same, not termination: D2 → 30: 180 = 1/2.
		{"30E ISDA not termination", DayCount{Convention: Thirty360EISDA}, d(2023, 8, 31), d(2024, 2, 29), 180, Fraction{1, 2}},
		// Act/360 over 29 Feb: 2 days.
		{"act360 leap day", DayCount{Convention: Act360}, d(2024, 2, 28), d(2024, 3, 1), 2, Fraction{1, 180}},
		// Act/365F over leap year 2024: 366/365.
		{"act365F leap year", DayCount{Convention: Act365Fixed}, d(2023, 12, 31), d(2024, 12, 31), 366, Fraction{366, 365}},
		// 365L annual: 29 Feb 2024 in (start, end] → 366; 366 days → 1.
		{"365L annual", DayCount{Convention: Act365L, FrequencyMonths: 12}, d(2023, 3, 1), d(2024, 3, 1), 366, Fraction{1, 1}},
		// 365L semiannual: end in leap 2024 → 182/366 = 91/183.
		{"365L semi leap end", DayCount{Convention: Act365L, FrequencyMonths: 6}, d(2023, 9, 1), d(2024, 3, 1), 182, Fraction{91, 183}},
		// 365L semiannual: end in 2025 → 181/365.
		{"365L semi", DayCount{Convention: Act365L, FrequencyMonths: 6}, d(2024, 9, 1), d(2025, 3, 1), 181, Fraction{181, 365}},
		// NL/365: 2 actual days less 29 Feb → 1.
		{"NL365 over leap day", DayCount{Convention: NL365}, d(2024, 2, 28), d(2024, 3, 1), 1, Fraction{1, 365}},
		// NL/365: leap year 366 − 1 = 365 → 1.
		{"NL365 leap year", DayCount{Convention: NL365}, d(2024, 1, 1), d(2025, 1, 1), 365, Fraction{1, 1}},
		// NL/365: start on 29 Feb is excluded (start, end]: 1 day.
		{"NL365 from leap day", DayCount{Convention: NL365}, d(2024, 2, 29), d(2024, 3, 1), 1, Fraction{1, 365}},
		// ISDA: 1 day of 2023 /365 + 1 day of 2024 /366 = (366+365)/133590.
		{"ISDA year end", DayCount{Convention: ActActISDA}, d(2023, 12, 31), d(2024, 1, 2), 2, Fraction{731, 133590}},
		// ISDA: 184/365 (Jul–Dec 2023) + 366/366 + 181/365 (Jan–Jun 2025) = 2.
		{"ISDA two years", DayCount{Convention: ActActISDA}, d(2023, 7, 1), d(2025, 7, 1), 731, Fraction{2, 1}},
		// AFB: no whole year fits (28 Feb 2024 < start); 365 days contain
		// 29 Feb 2024 → 365/366.
		{"AFB from leap day", DayCount{Convention: ActActAFB}, d(2024, 2, 29), d(2025, 2, 28), 365, Fraction{365, 366}},
		// AFB: 29 Feb 2024 back one year is 28 Feb 2023 = start → 1 year.
		{"AFB to leap day", DayCount{Convention: ActActAFB}, d(2023, 2, 28), d(2024, 2, 29), 366, Fraction{1, 1}},
		// AFB: four whole years.
		{"AFB four years", DayCount{Convention: ActActAFB}, d(2020, 3, 1), d(2024, 3, 1), 1461, Fraction{4, 1}},
		// ICMA inside a 90-day quarterly reference: 75·3/(90·12) = 5/24.
		{"ICMA short", DayCount{Convention: ActActICMA, Reference: &fin, FrequencyMonths: 3, EOM: true}, d(2024, 2, 15), d(2024, 4, 30), 75, Fraction{5, 24}},
		// ICMA long first stub: notional [31 Oct 2023, 31 Jan 2024) = 92 days,
		// overlap 47 → 47/368; plus the full reference 1/4 = 92/368 → 139/368.
		{"ICMA long stub", DayCount{Convention: ActActICMA, Reference: &fin, FrequencyMonths: 3, EOM: true}, d(2023, 12, 15), d(2024, 4, 30), 137, Fraction{139, 368}},
		// Fineract actual/actual, FEB_29_PERIOD_ONLY: Feb 2024 contains 29 Feb → 29/366.
		{"basis feb29 period in", DayCount{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapFeb29Period}, d(2024, 2, 1), d(2024, 3, 1), 29, Fraction{29, 366}},
		// March 2024 has no 29 Feb → 31/365.
		{"basis feb29 period out", DayCount{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapFeb29Period}, d(2024, 3, 1), d(2024, 4, 1), 31, Fraction{31, 365}},
		// FULL_LEAP_YEAR: every 2024 day over 366 → 31/366.
		{"basis whole year", DayCount{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapWholeYear}, d(2024, 3, 1), d(2024, 4, 1), 31, Fraction{31, 366}},
		// 30-day months, 360-day year: D1 31→30: 2·30 + (1−30) = 31.
		{"basis 30/360", DayCount{Convention: Basis, YearDays: Year360, MonthDays: Month30}, d(2024, 1, 31), d(2024, 3, 1), 31, Fraction{31, 360}},
		// 364-day year: one week is 1/52.
		{"basis 364", DayCount{Convention: Basis, YearDays: Year364, MonthDays: MonthActual}, d(2024, 12, 28), d(2025, 1, 4), 7, Fraction{1, 52}},
		// Empty interval is zero under every convention.
		{"empty", DayCount{Convention: ActActISDA}, d(2024, 2, 29), d(2024, 2, 29), 0, Fraction{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := tc.dc.Days(tc.start, tc.end)
			require.NoError(t, err)
			require.Equal(t, tc.days, n, "days")
			yf, err := tc.dc.YearFraction(tc.start, tc.end)
			require.NoError(t, err)
			require.Equal(t, tc.yf, yf, "year fraction %s", yf)
		})
	}
}

func TestICMAReference(t *testing.T) {
	// First period ending 15 Jul 2003, semiannual: reference 15 Jan–15 Jul.
	p, err := ICMAReference(d(2002, 8, 15), d(2003, 7, 15), 6, true, FirstPeriod)
	require.NoError(t, err)
	require.Equal(t, Period{d(2003, 1, 15), d(2003, 7, 15)}, p)
	// Final period from 30 Nov 1999, quarterly EOM: 30 Nov → 29 Feb 2000.
	p, err = ICMAReference(d(1999, 11, 30), d(2000, 4, 30), 3, true, FinalPeriod)
	require.NoError(t, err)
	require.Equal(t, Period{d(1999, 11, 30), d(2000, 2, 29)}, p)
	_, err = ICMAReference(d(2000, 1, 1), d(2000, 2, 1), 0, false, "odd")
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"months", "kind"}, field.Fields(err))
}

func TestAddMonthsClamps(t *testing.T) {
	// 31 Jan + 1 month is 29 Feb in a leap year, + 2 months is 31 Mar.
	require.Equal(t, d(2024, 2, 29), addMonths(d(2024, 1, 31), 1, 31, false))
	require.Equal(t, d(2024, 3, 31), addMonths(d(2024, 1, 31), 2, 31, false))
	require.Equal(t, d(2023, 11, 30), addMonths(d(2024, 1, 31), -2, 31, false))
	// EOM: 30 Nov stepping 3 months lands on the last day, 29 Feb 2000.
	require.Equal(t, d(2000, 2, 29), addMonths(d(1999, 11, 30), 3, 30, true))
	require.Equal(t, d(2000, 5, 31), addMonths(d(1999, 11, 30), 6, 30, true))
}

func TestDayCountErrors(t *testing.T) {
	tests := []struct {
		name   string
		dc     DayCount
		start  date.Date
		end    date.Date
		fields []string
		is     error
	}{
		{"end before start", DayCount{Convention: Act360}, d(2024, 2, 1), d(2024, 1, 1), []string{"end"}, field.ErrOutOfRange},
		{"unknown convention", DayCount{Convention: "ACT_999"}, d(2024, 1, 1), d(2024, 2, 1), []string{"DayCount.Convention"}, field.ErrNotSupported},
		{"missing convention", DayCount{}, d(2024, 1, 1), d(2024, 2, 1), []string{"DayCount.Convention"}, field.ErrRequired},
		{"ICMA without reference", DayCount{Convention: ActActICMA}, d(2024, 1, 1), d(2024, 2, 1), []string{"DayCount.Reference"}, field.ErrRequired},
		{"ICMA empty reference", DayCount{Convention: ActActICMA, Reference: &Period{d(2024, 1, 1), d(2024, 1, 1)}}, d(2024, 1, 1), d(2024, 2, 1), []string{"DayCount.Reference.End"}, field.ErrOutOfRange},
		{"365L without frequency", DayCount{Convention: Act365L}, d(2024, 1, 1), d(2024, 2, 1), []string{"DayCount.FrequencyMonths"}, field.ErrRequired},
		{"basis incomplete", DayCount{Convention: Basis, YearDays: YearActual}, d(2024, 1, 1), d(2024, 2, 1), []string{"DayCount.Leap", "DayCount.MonthDays"}, field.ErrRequired},
		{"date out of range", DayCount{Convention: Act360}, date.Date(-5), d(2024, 2, 1), []string{"start"}, field.ErrOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.dc.YearFraction(tc.start, tc.end)
			require.ErrorIs(t, err, ErrInvalidInput)
			require.ErrorIs(t, err, tc.is)
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
			require.Equal(t, tc.fields, field.Fields(err))
			_, err = tc.dc.Days(tc.start, tc.end)
			require.ErrorIs(t, err, ErrInvalidInput)
		})
	}
}

func TestFraction(t *testing.T) {
	f, err := NewFraction(180, -360)
	require.NoError(t, err)
	require.Equal(t, Fraction{-1, 2}, f)
	_, err = NewFraction(1, 0)
	require.ErrorIs(t, err, ErrInvalidInput)
	s, err := Fraction{170, 365}.Add(Fraction{14, 366})
	require.NoError(t, err)
	// 170/365 + 14/366 = (170·366 + 14·365)/133590 = 67330/133590 = 6733/13359.
	require.Equal(t, Fraction{6733, 13359}, s)
	s, err = Fraction{1, 4}.Add(Fraction{1, 4})
	require.NoError(t, err)
	require.Equal(t, Fraction{1, 2}, s)
	dec, err := Fraction{6733, 13359}.Decimal(12, "half_even")
	require.NoError(t, err)
	// 6733/13359 = 0.504004790778… (the QuantLib Act/Act ISDA figure).
	require.Equal(t, "0.504004790778", dec.String())
	require.Equal(t, "6733/13359", Fraction{6733, 13359}.String())
	require.Equal(t, -1, Fraction{1, 3}.Cmp(Fraction{1, 2}))
	require.True(t, ZeroFraction.IsZero() && ZeroFraction.Valid())
	_, err = Fraction{1, 3}.Decimal(30, "half_even")
	require.ErrorIs(t, err, ErrInvalidInput)
}

var _ = time.January
