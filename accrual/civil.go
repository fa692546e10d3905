package accrual

import (
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/rickb777/date/v2/gregorian"
)

// Dates accepted by this package: 0001-01-01 through 9999-12-31. The bound
// keeps every day count below four million, so exact fractions and products
// stay inside 64- and 128-bit integers.
var (
	minDate = date.New(1, time.January, 1)
	maxDate = date.New(9999, time.December, 31)
)

func isLeap(y int) bool { return gregorian.IsLeap(y) }

func daysInYear(y int) int { return gregorian.DaysInYear(y) }

func daysIn(y int, m time.Month) int { return gregorian.DaysIn(y, m) }

// isLastOfMonth reports whether d is the last day of its month.
func isLastOfMonth(y int, m time.Month, d int) bool { return d == daysIn(y, m) }

// addMonths steps d by n months (n may be negative) onto anchorDay clamped
// to the target month's length (31 Jan + 1 month is 28 or 29 Feb, + 2 months
// 31 Mar), or onto the month's last day with eom: schedule's one
// month-stepping rule, never AddDate.
func addMonths(d date.Date, n, anchorDay int, eom bool) date.Date {
	policy := schedule.EOMAnchor
	if eom {
		policy = schedule.EOMLastDay
	}
	return schedule.AddMonths(d, n, anchorDay, policy)
}

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
