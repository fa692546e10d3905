package delinquency

import (
	"time"

	"github.com/rickb777/date/v2"
)

// addMonths returns d moved by n calendar months, clamped to the target
// month's last day (31 Jan + 1 month = 28/29 Feb). It is a local copy of the
// one month-stepping rule this package needs (schedule is a sibling layer
// written concurrently); it never rolls into the next month as AddDate does.
func addMonths(d date.Date, n int) date.Date {
	y, m, day := d.Date()
	t := y*12 + int(m) - 1 + n
	ny, nm := t/12, t%12
	if nm < 0 {
		nm += 12
		ny--
	}
	last := daysIn(ny, time.Month(nm+1))
	return date.New(ny, time.Month(nm+1), min(day, last))
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.April, time.June, time.September, time.November:
		return 30
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}
