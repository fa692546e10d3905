package amortize

import (
	"time"

	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// monthStepper generates the contractual due dates of an unadjusted
// monthly plan one after another with schedule's end-of-month rule (the
// anchor day clamped to each month, or its last day): one addition per
// month instead of a date decode per installment. Plans that need a
// calendar or are not monthly go through schedule.DueDates. Tests check the
// two against each other over every anchor day, policy and step.
type monthStepper struct {
	d           date.Date
	y           int
	m           time.Month
	day, anchor int
	every       int
	lastDayRule bool
}

// newMonthStepper returns a stepper at p.FirstDue, or false when p is not
// an unadjusted monthly plan. p must be valid.
func newMonthStepper(p schedule.Plan) (monthStepper, bool) {
	if p.Frequency.Unit != schedule.UnitMonth || p.Adjust != schedule.Unadjusted || p.DueDay != 0 {
		return monthStepper{}, false
	}
	y, m, day := p.FirstDue.Date()
	return monthStepper{d: p.FirstDue, y: y, m: m, day: day, anchor: day, every: p.Frequency.Every,
		lastDayRule: p.EOM == schedule.EOMLastDay}, true
}

// next returns the current due date and steps to the following one: the
// rest of this month, the whole months between, then the new month's day.
func (g *monthStepper) next() date.Date {
	d := g.d
	step := lastDay(g.y, g.m) - g.day
	for range g.every - 1 {
		g.m, g.y = nextMonth(g.m, g.y)
		step += lastDay(g.y, g.m)
	}
	g.m, g.y = nextMonth(g.m, g.y)
	last := lastDay(g.y, g.m)
	g.day = min(g.anchor, last)
	if g.lastDayRule {
		g.day = last
	}
	g.d += date.Date(step + g.day)
	return d
}

// skip steps over n dates.
func (g *monthStepper) skip(n int) {
	for range n {
		g.next()
	}
}

// dueDates returns the due dates of t's first count installments (t valid).
func dueDates(t *Terms, count int) ([]schedule.Due, error) {
	p := t.plan(count)
	g, ok := newMonthStepper(p)
	if !ok {
		return schedule.DueDates(p)
	}
	out := make([]schedule.Due, count)
	for k := range out {
		d := g.next()
		out[k] = schedule.Due{Contractual: d, Adjusted: d}
	}
	return out, nil
}

// nextMonth returns the month after m of year y.
func nextMonth(m time.Month, y int) (time.Month, int) {
	if m == time.December {
		return time.January, y + 1
	}
	return m + 1, y
}

// lastDay returns the number of days of month m of year y (proleptic
// Gregorian).
func lastDay(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
