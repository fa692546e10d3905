package schedule

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func d(s string) date.Date { return date.MustParseISO(s) }

// TestFedHolidayVectors runs every case of the shared reference file (K.8,
// St. Louis Fed, Richmond Fed): the Reserve Bank closure day is not a
// business day; for a Saturday holiday the Friday before is one. Around each
// holiday (±3 days) no other weekday is closed, so the calendar does not
// over-close either.
func TestFedHolidayVectors(t *testing.T) {
	raw, err := os.ReadFile("../testdata/vectors/fed_holidays.json")
	require.NoError(t, err)
	var top struct {
		Cases []struct {
			ID     string  `json:"id"`
			Date   string  `json:"date"`
			Closed *string `json:"reserve_banks_closed_on"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(raw, &top))
	require.Len(t, top.Cases, 80)
	fed := USFederalReserve()
	for _, c := range top.Cases {
		t.Run(c.ID, func(t *testing.T) {
			hd := d(c.Date)
			closed := hd - 1 // Saturday holiday: the Friday before stays open
			if c.Closed != nil {
				closed = d(*c.Closed)
				require.False(t, fed.IsBusinessDay(closed), "%s should be closed", closed)
			} else {
				require.Equal(t, time.Saturday, hd.Weekday())
				require.True(t, fed.IsBusinessDay(closed), "Friday %s should be open", closed)
			}
			for x := hd - 3; x <= hd+3; x++ {
				if x == closed && c.Closed != nil {
					continue
				}
				require.Equal(t, !isWeekend(x), fed.IsBusinessDay(x), "%s near %s", x, hd)
			}
		})
	}
}

// TestFedHolidayFacts: closures and openings known from the Federal Reserve's
// published schedules (and the weekday of each date, checked with package
// time in TestFedMatchesListOracle).
func TestFedHolidayFacts(t *testing.T) {
	tests := []struct {
		day  string
		open bool
		why  string
	}{
		{"2021-12-31", true, "New Year's Day 2022 on Saturday: Friday open"},
		{"2022-01-17", false, "MLK Day 2022"},
		{"2022-06-20", false, "Juneteenth 2022 on Sunday: Monday closed"},
		{"2021-06-18", true, "Juneteenth 2021 on Saturday: Friday open"},
		{"2023-06-19", false, "Juneteenth 2023, Monday"},
		{"2020-06-19", true, "no Juneteenth before 2021"},
		{"2017-01-02", false, "New Year's Day 2017 on Sunday"},
		{"2023-01-02", false, "New Year's Day 2023 on Sunday"},
		{"2010-12-24", true, "Christmas 2010 on Saturday: Friday open"},
		{"2022-12-26", false, "Christmas 2022 on Sunday"},
		{"2024-11-28", false, "Thanksgiving 2024"},
		{"2024-11-29", true, "day after Thanksgiving is open"},
		{"2024-10-14", false, "Columbus Day 2024"},
		{"2024-11-11", false, "Veterans Day 2024, Monday"},
		{"2023-11-10", true, "Veterans Day 2023 on Saturday: Friday open"},
		{"2024-05-27", false, "Memorial Day 2024"},
		{"2024-05-20", true, "not the last Monday of May"},
		{"2024-09-02", false, "Labor Day 2024"},
		{"2024-02-19", false, "Washington's Birthday 2024"},
		{"1985-01-21", true, "MLK Day not observed before 1986"},
		{"1986-01-20", false, "first MLK Day"},
		{"2024-07-06", false, "Saturday"},
		{"2024-07-07", false, "Sunday"},
		{"2024-07-08", true, "ordinary Monday"},
	}
	fed := USFederalReserve()
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			require.Equal(t, tt.open, fed.IsBusinessDay(d(tt.day)), tt.why)
		})
	}
}

// fedHolidaysOracle lists a year's Reserve Bank closure days with package
// time, written independently of fedHoliday: it finds nth weekdays by
// walking the month and applies K.8's observance rule to each date.
func fedHolidaysOracle(y int) map[date.Date]bool {
	nth := func(m time.Month, wd time.Weekday, n int) time.Time {
		t := time.Date(y, m, 1, 12, 0, 0, 0, time.UTC)
		for t.Weekday() != wd {
			t = t.AddDate(0, 0, 1)
		}
		return t.AddDate(0, 0, 7*(n-1))
	}
	last := func(m time.Month, wd time.Weekday) time.Time {
		t := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC)
		for t.Weekday() != wd {
			t = t.AddDate(0, 0, -1)
		}
		return t
	}
	fixed := func(m time.Month, day int) time.Time { return time.Date(y, m, day, 12, 0, 0, 0, time.UTC) }
	hs := []time.Time{
		fixed(time.January, 1), nth(time.February, time.Monday, 3), last(time.May, time.Monday),
		fixed(time.July, 4), nth(time.September, time.Monday, 1), nth(time.October, time.Monday, 2),
		fixed(time.November, 11), nth(time.November, time.Thursday, 4), fixed(time.December, 25),
	}
	if y >= 1986 {
		hs = append(hs, nth(time.January, time.Monday, 3))
	}
	if y >= 2021 {
		hs = append(hs, fixed(time.June, 19))
	}
	out := map[date.Date]bool{}
	for _, h := range hs {
		switch h.Weekday() {
		case time.Saturday: // Reserve Banks stay open on Friday
		case time.Sunday:
			out[date.NewAt(h.AddDate(0, 0, 1))] = true
		default:
			out[date.NewAt(h)] = true
		}
	}
	return out
}

// TestFedMatchesListOracle compares the rule-based calendar with the
// independent list oracle on every day from 1980 to 2100.
func TestFedMatchesListOracle(t *testing.T) {
	fed := USFederalReserve()
	for y := 1980; y <= 2100; y++ {
		hol := fedHolidaysOracle(y)
		for x := date.New(y, time.January, 1); x <= date.New(y, time.December, 31); x++ {
			wd := x.Weekday()
			want := wd != time.Saturday && wd != time.Sunday && !hol[x]
			if fed.IsBusinessDay(x) != want {
				t.Fatalf("%s (%s): IsBusinessDay = %v, want %v", x, wd, !want, want)
			}
		}
	}
}

func TestWeekends(t *testing.T) {
	cal := Weekends()
	// 2024-07-01 was a Monday.
	want := []bool{true, true, true, true, true, false, false, true}
	for i, w := range want {
		require.Equal(t, w, cal.IsBusinessDay(d("2024-07-01")+date.Date(i)), "day %d", i)
	}
}

func TestHolidayList(t *testing.T) {
	src := []date.Date{d("2024-07-10"), d("2024-07-08"), d("2024-07-08"), d("2024-07-06")}
	cal := HolidayList(src...)
	src[0] = d("2024-07-11") // the calendar keeps its own copy
	tests := []struct {
		day  string
		open bool
	}{
		{"2024-07-05", true}, {"2024-07-06", false}, {"2024-07-07", false}, {"2024-07-08", false},
		{"2024-07-09", true}, {"2024-07-10", false}, {"2024-07-11", true}, {"2024-07-13", false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.open, cal.IsBusinessDay(d(tt.day)), tt.day)
	}
	require.True(t, HolidayList().IsBusinessDay(d("2024-07-08")))
}

func TestUnion(t *testing.T) {
	// A state holiday (Patriots' Day, Massachusetts, 15 April 2024) added
	// to the Fed calendar.
	cal := Union(USFederalReserve(), nil, HolidayList(d("2024-04-15")))
	require.False(t, cal.IsBusinessDay(d("2024-04-15")))
	require.False(t, cal.IsBusinessDay(d("2024-07-04")))
	require.False(t, cal.IsBusinessDay(d("2024-07-06")))
	require.True(t, cal.IsBusinessDay(d("2024-04-16")))
	require.True(t, Union().IsBusinessDay(d("2024-07-06")), "union of nothing: every day")
}
