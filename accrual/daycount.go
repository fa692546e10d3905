package accrual

import (
	"fmt"
	"strings"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// Convention names a day-count convention. The string values are the names
// used by testdata/vectors/daycount.json and are stable for JSON and configs.
// The zero Convention "" is invalid: a loan must declare how it counts days.
type Convention string

// Day-count conventions. ISDA references are to the 2006 ISDA Definitions,
// section 4.16; ICMA to its Rule 251.
const (
	// Thirty360BondBasis is 30/360 "Bond Basis" (ISDA 4.16(f)): D1 = 31 → 30;
	// D2 = 31 → 30 only when D1 (after its own rule) is 30.
	Thirty360BondBasis Convention = "30_360_BOND_BASIS"
	// Thirty360US is 30/360 US (SIA) with the end-of-month February rule: if
	// D1 and D2 are both the last day of February, D2 → 30; D1 last day of
	// February → 30; then D2 = 31 with D1 ≥ 30 → 30; D1 = 31 → 30.
	Thirty360US Convention = "30U_360_EOM"
	// Thirty360USAlias is another name for [Thirty360US] ("30/360 US").
	Thirty360USAlias Convention = "30_360_US"
	// Thirty360USNoEOM is 30/360 US without the February rule.
	Thirty360USNoEOM Convention = "30U_360_NO_EOM"
	// Thirty360E is 30E/360 "Eurobond Basis" (ISDA 4.16(g)): any 31 → 30.
	Thirty360E Convention = "30E_360"
	// Thirty360EISDA is 30E/360 (ISDA) (ISDA 4.16(h)): a 31 or a last day of
	// February → 30, except a last day of February that is the termination
	// date ([DayCount.Termination]).
	Thirty360EISDA Convention = "30E_360_ISDA"
	// Act360 is Actual/360 (ISDA 4.16(e)).
	Act360 Convention = "ACT_360"
	// Act365Fixed is Actual/365 (Fixed) (ISDA 4.16(d)).
	Act365Fixed Convention = "ACT_365F"
	// Act365L is Actual/365L (ICMA Rule 251.1(i)): actual days over 366 or
	// 365. With annual periods ([DayCount.FrequencyMonths] = 12) the divisor
	// is 366 when a 29 February falls after the start and on or before the
	// end; otherwise it is 366 when the end date is in a leap year.
	Act365L Convention = "ACT_365L"
	// NL365 is NL/365 ("no leap"): actual days less each 29 February after
	// the start and on or before the end, over 365.
	NL365 Convention = "NL_365"
	// ActActISDA is Actual/Actual (ISDA) (ISDA 4.16(b)): days falling in leap
	// years over 366 plus the other days over 365.
	ActActISDA Convention = "ACT_ACT_ISDA"
	// ActActICMA is Actual/Actual (ICMA) (Rule 251): days over (days in the
	// reference coupon period × coupons a year), summed over notional coupon
	// periods when the period is a long stub. It needs [DayCount.Reference].
	ActActICMA Convention = "ACT_ACT_ICMA"
	// ActActAFB is Actual/Actual (AFB, "Euro"): whole years counted back from
	// the end date, plus the remaining days over 366 when they include a
	// 29 February and 365 otherwise.
	ActActAFB Convention = "ACT_ACT_AFB"
	// ActActFineract is Apache Fineract's Actual/Actual (days in year
	// ACTUAL, days in month ACTUAL, leap policy FULL_LEAP_YEAR): a period is
	// cut at each 31 December, and 31 December itself is counted in the
	// following year. [start, end) within one year is its days over that
	// year's length; across years, the days from start to 31 December (not
	// counting it) over the start year's length, each whole year from
	// 31 December to 31 December over the next year's length, and the days
	// from the last 31 December to end over the end year's length. So
	// 12 Dec 2023 → 12 Jan 2024 is 19/365 + 12/366, where ISDA gives
	// 20/365 + 11/366. Fineract: ProgressiveEMICalculator
	// calculatePeriodFractions (LocalDate.of(year, 12, 31) as each year's end).
	ActActFineract Convention = "ACT_ACT_FINERACT"
	// Basis is the "days in year × days in month" model that servicing
	// platforms expose (Fineract, Nortridge, Mambu): see [DayCount.YearDays],
	// [DayCount.MonthDays] and [DayCount.Leap].
	Basis Convention = "BASIS"
)

// Conventions lists every supported convention (aliases excluded), in a
// stable order.
func Conventions() []Convention {
	return []Convention{Thirty360BondBasis, Thirty360US, Thirty360USNoEOM, Thirty360E,
		Thirty360EISDA, Act360, Act365Fixed, Act365L, NL365, ActActISDA, ActActICMA,
		ActActAFB, ActActFineract, Basis}
}

// conventionChoices lists the accepted names for an error's detail.
func conventionChoices() string {
	names := make([]string, 0, 16)
	for _, c := range Conventions() {
		names = append(names, string(c))
	}
	return "one of " + strings.Join(names, ", ") + " (or " + string(Thirty360USAlias) + ")"
}

// YearBasis is the "days in year" setting of the [Basis] convention.
type YearBasis string

// Days-in-year settings.
const (
	// YearActual divides by 365 or 366, as [DayCount.Leap] says.
	YearActual YearBasis = "actual"
	// Year360 divides by 360.
	Year360 YearBasis = "360"
	// Year364 divides by 364 (52 weeks).
	Year364 YearBasis = "364"
	// Year365 divides by 365 in every year.
	Year365 YearBasis = "365"
	// Year366 divides by 366 in every year (a Nortridge ratio).
	Year366 YearBasis = "366"
)

// MonthBasis is the "days in month" setting of the [Basis] convention.
type MonthBasis string

// Days-in-month settings.
const (
	// MonthActual counts calendar days.
	MonthActual MonthBasis = "actual"
	// Month30 counts every month as 30 days, by the 30/360 Bond Basis rule
	// (ISDA 4.16(f)).
	Month30 MonthBasis = "30"
)

// LeapPolicy says when [YearActual] divides by 366.
type LeapPolicy string

// Leap-year policies.
const (
	// LeapWholeYear: every day of a leap year counts 1/366, every other day
	// 1/365 (Fineract FULL_LEAP_YEAR; the same as Actual/Actual ISDA).
	LeapWholeYear LeapPolicy = "whole_year"
	// LeapFeb29Period: the whole period counts over 366 when it contains a
	// 29 February (start ≤ 29 Feb < end), otherwise over 365 (Fineract
	// FEB_29_PERIOD_ONLY). It is not additive across a split period.
	LeapFeb29Period LeapPolicy = "feb29_in_period"
)

// Period is a half-open date range [Start, End).
type Period struct {
	Start date.Date
	End   date.Date
}

// DayCount is a day-count convention with the parameters some conventions
// need. Only the fields its Convention reads matter; others are ignored.
// Intervals are half-open: [start, end) counts start and not end.
type DayCount struct {
	// Convention is required; "" is invalid.
	Convention Convention `json:"convention"`
	// Termination is the termination (maturity) date for 30E/360 (ISDA):
	// when an end date equals it, a last day of February is not moved to 30.
	// nil means no end date is the termination date.
	Termination *date.Date `json:"termination,omitempty"`
	// Reference is the regular coupon period that ACT_ACT_ICMA measures
	// against (required for it). Notional periods before it step back from
	// Reference.Start and after it step forward from Reference.End, by
	// FrequencyMonths, with end-of-month clamping. [ICMAReference] builds it
	// from a schedule's first, regular or final period.
	Reference *Period `json:"reference,omitempty"`
	// FrequencyMonths is the length of a regular coupon period in months
	// (12 annual, 6, 3, 1). ACT_ACT_ICMA: 0 derives it from Reference as
	// round(12·days/365), as QuantLib does. ACT_365L: required; 12 selects
	// the annual rule.
	FrequencyMonths int `json:"frequency_months,omitempty"`
	// EOM makes ACT_ACT_ICMA notional dates roll to month ends when their
	// anchor (Reference.Start backward, Reference.End forward) is one.
	EOM bool `json:"eom,omitempty"`
	// YearDays, MonthDays and Leap configure the Basis convention; YearDays
	// and MonthDays are required for it, Leap when YearDays is YearActual.
	YearDays  YearBasis  `json:"year_days,omitempty"`
	MonthDays MonthBasis `json:"month_days,omitempty"`
	Leap      LeapPolicy `json:"leap,omitempty"`
}

// Validate reports every problem with dc's fields, wrapped in
// ErrInvalidInput, with field paths under "DayCount".
func (dc DayCount) Validate() error {
	var l field.List
	dc.validate(&l, "DayCount")
	return l.Err(ErrInvalidInput)
}

func (dc DayCount) validate(l *field.List, path string) {
	switch dc.Convention {
	case Thirty360BondBasis, Thirty360US, Thirty360USAlias, Thirty360USNoEOM, Thirty360E,
		Thirty360EISDA, Act360, Act365Fixed, NL365, ActActISDA, ActActAFB, ActActFineract:
	case "":
		l.Add(path+".Convention", dc.Convention, field.ErrRequired, "")
	case Act365L:
		if dc.FrequencyMonths <= 0 {
			l.Add(path+".FrequencyMonths", dc.FrequencyMonths, field.ErrRequired, "ACT_365L needs the coupon frequency")
		}
	case ActActICMA:
		dc.validateICMA(l, path)
	case Basis:
		dc.validateBasis(l, path)
	default:
		l.Add(path+".Convention", dc.Convention, field.ErrNotSupported, conventionChoices())
	}
}

func (dc DayCount) validateBasis(l *field.List, path string) {
	switch dc.YearDays {
	case YearActual:
		switch dc.Leap {
		case LeapFeb29Period:
		case LeapWholeYear:
			if dc.MonthDays == Month30 {
				l.Add(path+".Leap", dc.Leap, field.ErrNotSupported, "30-day months with whole-year leap policy")
			}
		case "":
			l.Add(path+".Leap", dc.Leap, field.ErrRequired, "")
		default:
			l.Add(path+".Leap", dc.Leap, field.ErrNotSupported, "")
		}
	case Year360, Year364, Year365, Year366:
	case "":
		l.Add(path+".YearDays", dc.YearDays, field.ErrRequired, "")
	default:
		l.Add(path+".YearDays", dc.YearDays, field.ErrNotSupported, "")
	}
	switch dc.MonthDays {
	case MonthActual, Month30:
	case "":
		l.Add(path+".MonthDays", dc.MonthDays, field.ErrRequired, "")
	default:
		l.Add(path+".MonthDays", dc.MonthDays, field.ErrNotSupported, "")
	}
}

// check validates dc and the interval together.
func (dc DayCount) check(start, end date.Date) error {
	var l field.List
	dc.validate(&l, "DayCount")
	checkDates(&l, "start", start, "end", end)
	return l.Err(ErrInvalidInput)
}

// Days returns the convention's day count for [start, end): the 30/360
// count for the 30/360 family and Basis with 30-day months, actual days less
// leap days for NL/365, and actual days otherwise. Days returns an error
// wrapping ErrInvalidInput if the convention is unknown or incomplete, a date
// is outside 0001..9999, or end is before start.
func (dc DayCount) Days(start, end date.Date) (int, error) {
	if err := dc.check(start, end); err != nil {
		return 0, err
	}
	return dc.days(start, end), nil
}

func (dc DayCount) days(start, end date.Date) int {
	switch dc.Convention {
	case Thirty360BondBasis, Thirty360US, Thirty360USAlias, Thirty360USNoEOM, Thirty360E, Thirty360EISDA:
		return dc.thirty(start, end)
	case NL365:
		return int(end-start) - feb29Count(start+1, end+1)
	case Basis:
		if dc.MonthDays == Month30 {
			return thirty360(Thirty360BondBasis, start, end, false)
		}
	}
	return int(end - start)
}

// YearFraction returns the exact year fraction of [start, end) under the
// convention, reduced. It returns an error wrapping ErrInvalidInput for the
// same reasons as [DayCount.Days], and for ACT_ACT_ICMA without a Reference.
func (dc DayCount) YearFraction(start, end date.Date) (Fraction, error) {
	if err := dc.check(start, end); err != nil {
		return Fraction{}, err
	}
	return dc.yearFraction(start, end)
}

// yearFraction assumes dc and the dates are valid.
func (dc DayCount) yearFraction(start, end date.Date) (Fraction, error) {
	if start == end {
		return ZeroFraction, nil
	}
	switch dc.Convention {
	case Thirty360BondBasis, Thirty360US, Thirty360USAlias, Thirty360USNoEOM, Thirty360E, Thirty360EISDA:
		return reduce(int64(dc.thirty(start, end)), 360), nil
	case Act360:
		return reduce(int64(end-start), 360), nil
	case Act365Fixed:
		return reduce(int64(end-start), 365), nil
	case NL365:
		return reduce(int64(dc.days(start, end)), 365), nil
	case Act365L:
		return reduce(int64(end-start), int64(dc.act365LDen(start, end))), nil
	case ActActISDA:
		return actActISDA(start, end), nil
	case ActActAFB:
		return actActAFB(start, end), nil
	case ActActFineract:
		return actActFineract(start, end), nil
	case ActActICMA:
		return dc.icma(start, end)
	case Basis:
		return dc.basis(start, end), nil
	}
	return Fraction{}, fmt.Errorf("%w: convention %q", ErrInvalidInput, dc.Convention)
}
