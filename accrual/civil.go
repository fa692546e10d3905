package accrual

import (
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// Dates accepted by this package: 0001-01-01 through 9999-12-31. The bound
// keeps every day count below four million, so exact fractions and products
// stay inside 64- and 128-bit integers.
var (
	minDate = date.New(1, time.January, 1)
	maxDate = date.New(9999, time.December, 31)
)

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInYear(y int) int {
	if isLeap(y) {
		return 366
	}
	return 365
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// isLastOfMonth reports whether d is the last day of its month.
func isLastOfMonth(y int, m time.Month, d int) bool { return d == daysIn(y, m) }

// addMonths steps d by n months (n may be negative) and puts the result on
// anchorDay clamped to the target month's length, so 31 Jan + 1 month is
// 28 or 29 Feb and 31 Jan + 2 months is 31 Mar. With eom the result is the
// target month's last day. It never uses AddDate, which rolls 31 Jan + 1
// month into March.
func addMonths(d date.Date, n, anchorDay int, eom bool) date.Date {
	y, m, _ := d.Date()
	total := y*12 + int(m-1) + n
	ty, tm := floorDiv(total, 12), time.Month(floorMod(total, 12)+1)
	last := daysIn(ty, tm)
	day := anchorDay
	if eom || day > last {
		day = last
	}
	return date.New(ty, tm, day)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

// feb29Count returns how many 29 Februaries fall in the half-open day range
// [from, to) (as date ordinals); from ≤ to.
func feb29Count(from, to date.Date) int {
	if to <= from {
		return 0
	}
	y1, _, _ := from.Date()
	y2, _, _ := (to - 1).Date()
	n := 0
	for y := y1; y <= y2; y++ {
		if !isLeap(y) {
			continue
		}
		f := date.New(y, time.February, 29)
		if f >= from && f < to {
			n++
		}
	}
	return n
}

// checkDates records a problem for a date outside the supported range or an
// end before its start.
func checkDates(l *field.List, startPath string, start date.Date, endPath string, end date.Date) {
	checkDate(l, startPath, start)
	checkDate(l, endPath, end)
	if end < start {
		l.Add(endPath, end, field.ErrOutOfRange, "before "+startPath+" "+start.String())
	}
}

func checkDate(l *field.List, path string, d date.Date) {
	if d < minDate || d > maxDate {
		l.Add(path, d, field.ErrOutOfRange, "outside 0001-01-01..9999-12-31")
	}
}
