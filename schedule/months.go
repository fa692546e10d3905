package schedule

import (
	"time"

	"github.com/rickb777/date/v2"
)

// EOMPolicy is the end-of-month rule for monthly stepping: what happens when
// the due day does not exist in a month (the 31st in April, the 29th to 31st
// in February). The zero value is invalid for monthly plans: the rule must be
// chosen explicitly.
type EOMPolicy string

// The end-of-month policies.
const (
	// EOMAnchor keeps every date on the original (anchor) day, clamped to
	// the month's last day when the month is shorter, and returns to the
	// anchor day as soon as it exists again: 31 Jan → 29 Feb → 31 Mar →
	// 30 Apr → 31 May, never 29 Mar. Dates are computed from the anchor,
	// never chained from the previous (clamped) date.
	EOMAnchor EOMPolicy = "anchor"
	// EOMLastDay puts every date on the last day of its month: 30 Apr →
	// 31 May → 30 Jun → 31 Jul. In a Plan the first due date must itself
	// be the last day of its month.
	EOMLastDay EOMPolicy = "last_day"
)

// valid reports whether p is one of the policies.
func (p EOMPolicy) valid() bool { return p == EOMAnchor || p == EOMLastDay }

// AddMonths returns the date months calendar months after d (before it when
// months is negative), on anchorDay clamped to the target month's last day
// (EOMAnchor), or on the target month's last day (EOMLastDay).
//
// anchorDay ≤ 0 means d's own day; a value above 31 is treated as 31 (the
// last day of every month). An unknown policy is treated as EOMAnchor. Unlike
// date.AddDate, AddMonths never rolls into the following month: 31 Jan 2024
// plus one month is 29 Feb 2024, and 31 Jan 2024 plus two months with anchor
// 31 is 31 Mar 2024.
func AddMonths(d date.Date, months int, anchorDay int, eom EOMPolicy) date.Date {
	y, m, day := civil(d)
	if anchorDay <= 0 {
		anchorDay = day
	}
	ny, nm := addMonthIndex(y, m, months)
	last := daysIn(ny, nm)
	if eom == EOMLastDay || anchorDay > last {
		return fromCivil(ny, nm, last)
	}
	return fromCivil(ny, nm, anchorDay)
}

// addMonthIndex returns year y, month m (1–12) moved by n months.
func addMonthIndex(y, m, n int) (int, int) {
	t := y*12 + (m - 1) + n
	ny := floorDiv(t, 12)
	return ny, t - ny*12 + 1
}

// monthIndex is a month's position on a single count (year×12 + month−1).
func monthIndex(d date.Date) int {
	y, m, _ := civil(d)
	return y*12 + m - 1
}

// isLastDayOfMonth reports whether d is the last day of its month.
func isLastDayOfMonth(d date.Date) bool {
	y, m, day := civil(d)
	return day == daysIn(y, m)
}

// daysIn returns the number of days in month m (1–12) of year y
// (proleptic Gregorian calendar).
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// floorDiv divides rounding toward negative infinity (b > 0).
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Day-number conversions. date.Date counts days from 0001-01-01; these use
// the well-known era decomposition of the proleptic Gregorian calendar (400
// years = 146097 days, years starting 1 March so the leap day comes last),
// which is exact integer arithmetic, allocation-free and panic-free for any
// input. The tests check them against date.New and time.Date for every day of
// several centuries.
const (
	daysPerEra = 146097
	// shift moves day 0 from 0001-01-01 to 0000-03-01, the start of an era:
	// 0000-03-01 is 306 days before 0001-01-01.
	shift = 306
)

// fromCivil returns the date of year y, month m (1–12), day dd (1–31, valid
// for the month).
func fromCivil(y, m, dd int) date.Date {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400           // [0, 399]
	mp := (m + 9) % 12           // March = 0 … February = 11
	doy := (153*mp+2)/5 + dd - 1 // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return date.Date(era*daysPerEra + doe - shift)
}

// civil returns year, month (1–12) and day of d.
func civil(d date.Date) (y, m, dd int) {
	z := int(d) + shift
	era := floorDiv(z, daysPerEra)
	doe := z - era*daysPerEra                              // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11]
	dd = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, dd
}

// weekday returns the day of the week of d (0001-01-01 was a Monday).
func weekday(d date.Date) time.Weekday {
	w := (int(d)%7 + 7 + int(time.Monday)) % 7
	return time.Weekday(w)
}
