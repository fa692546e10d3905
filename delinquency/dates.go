package delinquency

import (
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// addMonths returns d moved by n calendar months, clamped to the target
// month's last day (31 Jan + 1 month = 28/29 Feb), by schedule's one
// month-stepping rule; it never rolls into the next month as AddDate does.
func addMonths(d date.Date, n int) date.Date {
	return schedule.AddMonths(d, n, 0, schedule.EOMAnchor)
}
