package accrual

import (
	"time"

	"github.com/rickb777/date/v2"
)

// isdaDen is 365·366, a common denominator of every Act/Act (ISDA) term.
const isdaDen = 365 * 366

// actActISDA is Actual/Actual (ISDA) (2006 ISDA Definitions 4.16(b)): the
// days of [start, end) falling in a leap year over 366 plus the rest over 365.
func actActISDA(start, end date.Date) Fraction {
	y1, _, _ := start.Date()
	y2, _, _ := end.Date()
	if y1 == y2 {
		return reduce(int64(end-start), int64(daysInYear(y1)))
	}
	// Days in y1 after start, whole years between, days in y2 before end.
	first := int64(date.New(y1+1, time.January, 1) - start)
	last := int64(end - date.New(y2, time.January, 1))
	num := first*int64(isdaDen/daysInYear(y1)) + int64(y2-y1-1)*isdaDen + last*int64(isdaDen/daysInYear(y2))
	return reduce(num, isdaDen)
}

// actActFineract is Fineract's Actual/Actual (see [ActActFineract]): the
// days of [start, end) are cut at each 31 December, which belongs to the
// next year.
func actActFineract(start, end date.Date) Fraction {
	y1, _, _ := start.Date()
	y2, _, _ := end.Date()
	if y1 == y2 {
		return reduce(int64(end-start), int64(daysInYear(y1)))
	}
	// start → 31 Dec y1 over y1; each 31 Dec → 31 Dec over the later year;
	// 31 Dec (y2−1) → end over y2.
	first := int64(date.New(y1, time.December, 31) - start)
	num := first * int64(isdaDen/daysInYear(y1))
	for y := y1 + 1; y < y2; y++ {
		num += int64(daysInYear(y)) * int64(isdaDen/daysInYear(y))
	}
	last := int64(end - date.New(y2-1, time.December, 31))
	num += last * int64(isdaDen/daysInYear(y2))
	return reduce(num, isdaDen)
}

// actActAFB is Actual/Actual (AFB): count whole years back from end while
// they stay on or after start (29 Feb steps back to 28 Feb), then the
// remaining days over 366 if they contain a 29 February (start ≤ 29 Feb <
// remaining end), else over 365.
func actActAFB(start, end date.Date) Fraction {
	_, _, anchor := end.Date()
	years := 0
	rest := end
	for {
		prev := addMonths(end, -12*(years+1), anchor, false)
		if prev < start {
			break
		}
		years++
		rest = prev
	}
	den := int64(365)
	if feb29Count(start, rest) > 0 {
		den = 366
	}
	return reduce(int64(years)*den+int64(rest-start), den)
}

// act365LDen is the Actual/365L divisor of [start, end).
func (dc DayCount) act365LDen(start, end date.Date) int {
	if dc.FrequencyMonths == 12 {
		if feb29Count(start+1, end+1) > 0 {
			return 366
		}
		return 365
	}
	y, _, _ := end.Date()
	return daysInYear(y)
}

// basis is the configurable days-in-year × days-in-month model.
func (dc DayCount) basis(start, end date.Date) Fraction {
	n := int64(dc.days(start, end))
	if fixed := dc.YearDays.fixedDays(); fixed > 0 {
		return reduce(n, int64(fixed))
	}
	if dc.Leap == LeapWholeYear {
		return actActISDA(start, end)
	}
	if feb29Count(start, end) > 0 {
		return reduce(n, 366)
	}
	return reduce(n, 365)
}
