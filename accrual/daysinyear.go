package accrual

import (
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// DaysInYear returns the number of days in the year a per diem divides by on
// date on under dc: the per diem of a payoff quote is balance × rate /
// DaysInYear(on) (pass it to [PerDiem]). The day count owns this number so
// that no caller restates it from a list of convention names (a "360/30"
// [Basis] loan quoted over 365 was such a copy), and it agrees with the day
// count: YearFraction(on, on+1) is exactly Days(on, on+1) / DaysInYear(on),
// which is 1/DaysInYear(on) on an ordinary day (one the convention counts
// as one day: not a 30/360 month end or a last day of February, not the day
// before 29 February under NL_365).
//
//	Convention                          DaysInYear(on)
//	30/360 family (all, and aliases)    360
//	ACT_360                             360
//	ACT_365F                            365
//	NL_365                              365
//	ACT_365L, FrequencyMonths 12        366 if on+1 is 29 February, else 365
//	ACT_365L, other frequencies         366 if on+1 falls in a leap year, else 365
//	ACT_ACT_ISDA                        366 if on falls in a leap year, else 365
//	ACT_ACT_AFB                         366 if on is 29 February, else 365
//	ACT_ACT_ICMA                        error: needs a reference coupon period
//	BASIS, YearDays 360/364/365/366     YearDays (MonthDays does not matter)
//	BASIS, YearActual, whole_year       366 if on falls in a leap year, else 365
//	BASIS, YearActual, feb29_in_period  366 if on is 29 February, else 365
//
// ACT_365L, ACT_ACT_AFB and the feb29_in_period policy choose their divisor
// from the whole period being counted, not from the day. A per diem has only
// the day [on, on+1), so DaysInYear gives the divisor those conventions give
// that one-day period: the same figure as [Timeline.PerDiem] and as a
// [RoundDaily] accrual of the day. A calendar-year rule ("366 whenever on is
// in a leap year") would be simpler to state but would disagree with both,
// e.g. ACT_365L semiannual on 31 December 2023 (the one-day period ends in
// 2024, so 366) or annual on 1 March 2024 (no 29 February in (on, on+1], so
// 365); a per diem that differs from the daily accrual drifts by cents.
//
// ACT_ACT_ICMA divides by the days of the reference coupon period times the
// coupons a year, which depend on where on sits in the schedule, not on on
// alone: use [DayCount.YearFraction] with [DayCount.Reference] instead.
//
// DaysInYear returns the error of [DayCount.Validate] when dc is invalid,
// and an error wrapping ErrInvalidInput naming "on" when on is outside
// 0001-01-01..9999-12-31, or "DayCount.Convention" for ACT_ACT_ICMA.
func (dc DayCount) DaysInYear(on date.Date) (int, error) {
	if err := dc.Validate(); err != nil {
		return 0, err
	}
	var l field.List
	checkDate(&l, "on", on)
	if dc.Convention == ActActICMA {
		l.Add("DayCount.Convention", dc.Convention, field.ErrNotSupported,
			"ACT_ACT_ICMA has no per-diem year: it needs a reference coupon period")
	}
	if err := l.Err(ErrInvalidInput); err != nil {
		return 0, err
	}
	return dc.perDiemDays(on), nil
}

// perDiemDays is DaysInYear for a valid dc other than ACT_ACT_ICMA (for
// which it returns 0) and a valid on.
func (dc DayCount) perDiemDays(on date.Date) int {
	switch dc.Convention {
	case Thirty360BondBasis, Thirty360US, Thirty360USAlias, Thirty360USNoEOM, Thirty360E,
		Thirty360EISDA, Act360:
		return 360
	case Act365Fixed, NL365:
		return 365
	case Act365L:
		return dc.act365LDen(on, on+1)
	case ActActISDA:
		return daysInYear(on.Year())
	case ActActFineract:
		// 31 December is counted in the next year.
		if _, m, d := on.Date(); m == time.December && d == 31 {
			return daysInYear(on.Year() + 1)
		}
		return daysInYear(on.Year())
	case ActActAFB:
		return leapDayDivisor(on)
	case Basis:
		return dc.basisPerDiemDays(on)
	}
	return 0
}

// basisPerDiemDays is perDiemDays for the Basis convention.
func (dc DayCount) basisPerDiemDays(on date.Date) int {
	if n := dc.YearDays.fixedDays(); n > 0 {
		return n
	}
	if dc.Leap == LeapWholeYear {
		return daysInYear(on.Year())
	}
	return leapDayDivisor(on)
}

// leapDayDivisor is the divisor of the one-day period [on, on+1) under the
// rules that divide a period by 366 when it contains a 29 February (AFB,
// feb29_in_period): 366 when on is 29 February, else 365.
func leapDayDivisor(on date.Date) int {
	if feb29Count(on, on+1) > 0 {
		return 366
	}
	return 365
}

// fixedDays is the divisor of a fixed days-in-year setting (360, 364, 365
// or 366), and 0 for YearActual or an unknown setting.
func (y YearBasis) fixedDays() int {
	switch y {
	case Year360:
		return 360
	case Year364:
		return 364
	case Year365:
		return 365
	case Year366:
		return 366
	}
	return 0
}
