package schedule

import (
	"slices"
	"time"

	"github.com/rickb777/date/v2"
)

// Calendar tells business days from non-business days. Hosts may implement
// it themselves (a bank's own holiday table, a different weekend); the
// package offers Weekends, USFederalReserve, HolidayList and Union.
// A nil Calendar is treated everywhere in this package as "every day is a
// business day".
//
// IsBusinessDay must be pure: the same date always gives the same answer.
type Calendar interface {
	IsBusinessDay(d date.Date) bool
}

// isWeekend reports whether d is a Saturday or Sunday.
func isWeekend(d date.Date) bool {
	w := weekday(d)
	return w == time.Saturday || w == time.Sunday
}

// weekends is the Saturday–Sunday calendar.
type weekends struct{}

func (weekends) IsBusinessDay(d date.Date) bool { return !isWeekend(d) }

// Weekends returns the calendar on which every Monday to Friday is a
// business day and every Saturday and Sunday is not.
func Weekends() Calendar { return weekends{} }

// fedReserve is the Federal Reserve Banks' calendar.
type fedReserve struct{}

// USFederalReserve returns the calendar of the Federal Reserve Banks (the
// days Fedwire and FedACH settle), computed by rule from the holiday schedule
// the Board publishes as page K.8, "Holidays Observed by the Federal Reserve
// System" (federalreserve.gov/aboutthefed/k8.htm):
//
//   - New Year's Day, 1 January;
//   - Birthday of Martin Luther King, Jr., third Monday of January (from 1986);
//   - Washington's Birthday, third Monday of February;
//   - Memorial Day, last Monday of May;
//   - Juneteenth National Independence Day, 19 June (from 2021);
//   - Independence Day, 4 July;
//   - Labor Day, first Monday of September;
//   - Columbus Day, second Monday of October;
//   - Veterans Day, 11 November;
//   - Thanksgiving Day, fourth Thursday of November;
//   - Christmas Day, 25 December;
//
// plus Saturdays and Sundays. As K.8 states, a holiday falling on a Sunday
// closes the Reserve Banks on the following Monday, and a holiday falling on
// a Saturday does not close them on the Friday before (only the Board of
// Governors closes then), so e.g. Friday 31 December 2021 is a business day.
//
// The rules are today's (Uniform Monday Holiday Act dates, Veterans Day on
// 11 November as since 1978); years before 1986 follow them as well and are
// not historically exact. One-off closures (national days of mourning) are
// not included: add them with Union and HolidayList.
func USFederalReserve() Calendar { return fedReserve{} }

func (fedReserve) IsBusinessDay(d date.Date) bool {
	w := weekday(d)
	if w == time.Saturday || w == time.Sunday {
		return false
	}
	y, m, day := civil(d)
	return !fedHoliday(y, m, day, w)
}

// fedHoliday reports whether the weekday y-m-day (weekday w, never Saturday
// or Sunday) is a Reserve Bank holiday. A fixed-date holiday closes its own
// date, or the Monday after when it falls on Sunday (that Monday is day+1).
func fedHoliday(y, m, day int, w time.Weekday) bool {
	fixed := func(hd int) bool { return day == hd || (day == hd+1 && w == time.Monday) }
	nthMonday := func(n int) bool { return w == time.Monday && (day-1)/7 == n-1 }
	switch m {
	case 1:
		return fixed(1) || (y >= 1986 && nthMonday(3))
	case 2:
		return nthMonday(3)
	case 5:
		return w == time.Monday && day > 31-7 // last Monday
	case 6:
		return y >= 2021 && fixed(19)
	case 7:
		return fixed(4)
	case 9:
		return nthMonday(1)
	case 10:
		return nthMonday(2)
	case 11:
		return fixed(11) || (w == time.Thursday && (day-1)/7 == 3)
	case 12:
		return fixed(25)
	}
	return false
}

// holidayList is Saturday–Sunday plus a sorted set of holidays.
type holidayList struct {
	days []date.Date // sorted, no duplicates
}

// HolidayList returns a calendar on which Saturdays, Sundays and every date
// in holidays are not business days. The list is copied (later changes to
// the caller's slice do not affect the calendar), sorted, and may hold
// duplicates and weekend dates. Lookups are binary searches.
func HolidayList(holidays ...date.Date) Calendar {
	days := slices.Clone(holidays)
	slices.Sort(days)
	return holidayList{days: slices.Compact(days)}
}

func (h holidayList) IsBusinessDay(d date.Date) bool {
	if isWeekend(d) {
		return false
	}
	_, found := slices.BinarySearch(h.days, d)
	return !found
}

// union is closed whenever any member is closed.
type union struct {
	cals []Calendar
}

// Union returns a calendar on which a day is a business day only when it is
// one on every given calendar: a day closed on any of them is closed. Nil
// calendars are skipped; the union of none has every day a business day.
// Typical use: Union(USFederalReserve(), HolidayList(stateHolidays...)).
func Union(cals ...Calendar) Calendar {
	u := union{}
	for _, c := range cals {
		if c != nil {
			u.cals = append(u.cals, c)
		}
	}
	return u
}

func (u union) IsBusinessDay(d date.Date) bool {
	for _, c := range u.cals {
		if !c.IsBusinessDay(d) {
			return false
		}
	}
	return true
}
