package schedule

import (
	"github.com/rickb777/date/v2"
)

// BusinessDayConvention says how a date that falls on a non-business day
// moves (ISDA's term). The zero value is invalid in a Plan: the convention
// must be chosen explicitly (Unadjusted is a choice).
type BusinessDayConvention string

// Adjustment is the former name of [BusinessDayConvention].
//
// Deprecated: use BusinessDayConvention.
type Adjustment = BusinessDayConvention

// The business-day conventions (ISDA 2006 Definitions, Section 4.12).
const (
	// Unadjusted leaves the date as it is.
	Unadjusted BusinessDayConvention = "unadjusted"
	// Following moves to the first business day on or after the date.
	Following BusinessDayConvention = "following"
	// ModifiedFollowing moves to the first business day on or after the
	// date unless that falls in the next month, in which case it moves to
	// the last business day before the date.
	ModifiedFollowing BusinessDayConvention = "modified_following"
	// Preceding moves to the last business day on or before the date.
	Preceding BusinessDayConvention = "preceding"
	// ModifiedPreceding moves to the last business day on or before the
	// date unless that falls in the previous month, in which case it moves
	// to the first business day after the date.
	ModifiedPreceding BusinessDayConvention = "modified_preceding"
)

// valid reports whether a is one of the conventions.
func (a BusinessDayConvention) valid() bool {
	switch a {
	case Unadjusted, Following, ModifiedFollowing, Preceding, ModifiedPreceding:
		return true
	}
	return false
}

// MaxSearchDays bounds every business-day search: a calendar with no business
// day in this many consecutive days is treated as broken.
const MaxSearchDays = 400

// MaxBusinessDays bounds the n of AddBusinessDays (about 15 years of
// business days); larger magnitudes are clamped.
const MaxBusinessDays = 4000

// Adjust moves d to a business day of cal by convention a. A business day is
// returned unchanged by every convention; Unadjusted, an unknown convention
// and a nil cal return d unchanged. If cal has no business day within
// MaxSearchDays of d (a broken calendar) Adjust returns d unchanged; Plan
// reports that case as ErrNoBusinessDay.
func Adjust(d date.Date, cal Calendar, a BusinessDayConvention) date.Date {
	r, ok := adjust(d, cal, a)
	if !ok {
		return d
	}
	return r
}

// adjust is Adjust that also says whether a business day was found.
func adjust(d date.Date, cal Calendar, a BusinessDayConvention) (date.Date, bool) {
	if cal == nil || a == Unadjusted || !a.valid() || cal.IsBusinessDay(d) {
		return d, true
	}
	switch a {
	case Following:
		return search(d, cal, 1)
	case Preceding:
		return search(d, cal, -1)
	case ModifiedFollowing:
		if r, ok := search(d, cal, 1); ok && monthIndex(r) == monthIndex(d) {
			return r, true
		}
		return search(d, cal, -1)
	default: // ModifiedPreceding
		if r, ok := search(d, cal, -1); ok && monthIndex(r) == monthIndex(d) {
			return r, true
		}
		return search(d, cal, 1)
	}
}

// search returns the first business day of cal from d (inclusive) in
// direction step (+1 or −1), looking at most MaxSearchDays days.
func search(d date.Date, cal Calendar, step date.Date) (date.Date, bool) {
	for i := 0; i <= MaxSearchDays; i++ {
		if cal.IsBusinessDay(d) {
			return d, true
		}
		d += step
	}
	return d, false
}

// AddBusinessDays returns the date n business days of cal after d (before it
// when n is negative). d itself need not be a business day and is never
// counted: from Friday 5 July 2024, 7 Federal Reserve business days is
// Tuesday 16 July 2024. n = 0 returns d unchanged (use Adjust to move it to a
// business day). A nil cal counts every day. |n| is clamped to
// MaxBusinessDays; if cal has no business day within MaxSearchDays at some
// step (a broken calendar) the search stops and d is returned unchanged.
func AddBusinessDays(d date.Date, n int, cal Calendar) date.Date {
	r, ok := addBusinessDays(d, n, cal)
	if !ok {
		return d
	}
	return r
}

func addBusinessDays(d date.Date, n int, cal Calendar) (date.Date, bool) {
	step := date.Date(1)
	if n < 0 {
		step, n = -1, -n // n = MinInt stays negative: clamped below
	}
	if n > MaxBusinessDays || n < 0 {
		n = MaxBusinessDays
	}
	if cal == nil {
		return d + step*date.Date(n), true
	}
	for range n {
		next, ok := search(d+step, cal, step)
		if !ok {
			return d, false
		}
		d = next
	}
	return d, true
}
