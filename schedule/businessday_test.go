package schedule

import (
	"math"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// never is a broken calendar with no business days.
type never struct{}

func (never) IsBusinessDay(date.Date) bool { return false }

func TestAdjust(t *testing.T) {
	fed := USFederalReserve()
	// Weekdays and holidays below are from the 2024 calendar and K.8.
	tests := []struct {
		name string
		in   string
		a    BusinessDayConvention
		want string
	}{
		{"business day unchanged", "2024-07-03", ModifiedFollowing, "2024-07-03"},
		{"unadjusted holiday", "2024-07-04", Unadjusted, "2024-07-04"},
		{"following holiday", "2024-07-04", Following, "2024-07-05"},
		{"preceding holiday", "2024-07-04", Preceding, "2024-07-03"},
		{"following Saturday", "2024-07-06", Following, "2024-07-08"},
		{"preceding Sunday", "2024-07-07", Preceding, "2024-07-05"},
		// Sat 31 Aug; Mon 2 Sep is Labor Day, so following is Tue 3 Sep.
		{"following crosses month", "2024-08-31", Following, "2024-09-03"},
		{"modified following stays in month", "2024-08-31", ModifiedFollowing, "2024-08-30"},
		{"modified following inside month", "2024-03-16", ModifiedFollowing, "2024-03-18"},
		// Sat 1 Jun 2024: preceding is Fri 31 May, another month.
		{"preceding crosses month", "2024-06-01", Preceding, "2024-05-31"},
		{"modified preceding stays in month", "2024-06-01", ModifiedPreceding, "2024-06-03"},
		{"modified preceding inside month", "2024-06-16", ModifiedPreceding, "2024-06-14"},
		// Sun 1 Jan 2023 → Mon 2 Jan closed → Tue 3 Jan.
		{"following New Year on Sunday", "2023-01-01", Following, "2023-01-03"},
		{"unknown convention", "2024-07-04", "nearest", "2024-07-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, d(tt.want), Adjust(d(tt.in), fed, tt.a))
		})
	}
}

func TestAdjustDegenerate(t *testing.T) {
	day := d("2024-07-04")
	require.Equal(t, day, Adjust(day, nil, Following), "nil calendar: every day is a business day")
	for _, a := range []BusinessDayConvention{Following, Preceding, ModifiedFollowing, ModifiedPreceding} {
		require.Equal(t, day, Adjust(day, never{}, a), "broken calendar: unchanged")
		_, ok := adjust(day, never{}, a)
		require.False(t, ok)
	}
}

func TestAddBusinessDays(t *testing.T) {
	fed := USFederalReserve()
	tests := []struct {
		name string
		in   string
		n    int
		cal  Calendar
		want string
	}{
		// Fri 5 Jul 2024 + 7: 8, 9, 10, 11, 12, 15, 16 July.
		{"payoff 7 business days", "2024-07-05", 7, fed, "2024-07-16"},
		// Wed 3 Jul + 1 skips Thu 4 Jul (Independence Day).
		{"over a holiday", "2024-07-03", 1, fed, "2024-07-05"},
		// Sat 6 Jul: the first business day after is Mon 8 Jul.
		{"from a weekend", "2024-07-06", 1, fed, "2024-07-08"},
		{"zero leaves the date", "2024-07-06", 0, fed, "2024-07-06"},
		// Tue 9 Jul − 3: 8, 5, 3 July (4 July closed).
		{"backwards", "2024-07-09", -3, fed, "2024-07-03"},
		// Fri 29 Nov 2024 − 1 skips Thanksgiving (28 Nov) → Wed 27 Nov.
		{"backwards over Thanksgiving", "2024-11-29", -1, fed, "2024-11-27"},
		{"nil calendar counts days", "2024-07-05", 7, nil, "2024-07-12"},
		{"weekends only", "2024-07-03", 2, Weekends(), "2024-07-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, d(tt.want), AddBusinessDays(d(tt.in), tt.n, tt.cal))
		})
	}
}

func TestAddBusinessDaysBounds(t *testing.T) {
	day := d("2024-07-05")
	require.Equal(t, day, AddBusinessDays(day, 5, never{}), "broken calendar: unchanged")
	// |n| is clamped to MaxBusinessDays, including math.MinInt.
	require.Equal(t, AddBusinessDays(day, MaxBusinessDays, Weekends()), AddBusinessDays(day, math.MaxInt, Weekends()))
	require.Equal(t, AddBusinessDays(day, -MaxBusinessDays, Weekends()), AddBusinessDays(day, math.MinInt, Weekends()))
	// 4000 weekday steps on a weekends calendar are exactly 800 weeks.
	require.Equal(t, day+800*7, AddBusinessDays(day, MaxBusinessDays, Weekends()))
}

// TestAddBusinessDaysProperty: with n > 0 the result is a business day after
// d, and exactly n business days lie in (d, result]; symmetric for n < 0.
func TestAddBusinessDaysProperty(t *testing.T) {
	fed := USFederalReserve()
	for start := d("2024-01-01"); start < d("2025-01-01"); start++ {
		for _, n := range []int{1, 2, 7, 30, -1, -7} {
			got := AddBusinessDays(start, n, fed)
			require.True(t, fed.IsBusinessDay(got))
			lo, hi := start+1, got
			if n < 0 {
				lo, hi = got, start-1
			}
			count := 0
			for x := lo; x <= hi; x++ {
				if fed.IsBusinessDay(x) {
					count++
				}
			}
			require.Equal(t, max(n, -n), count, "%s %+d → %s", start, n, got)
		}
	}
}
