package schedule

import (
	"math"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestCivilMatchesDateLibrary checks the package's own day-number
// conversions against rickb777/date (which goes through package time) for
// every day from 1583 to 2500, and that they round-trip.
func TestCivilMatchesDateLibrary(t *testing.T) {
	first, last := date.New(1583, time.January, 1), date.New(2500, time.December, 31)
	for d := first; d <= last; d++ {
		y, m, dd := civil(d)
		wy, wm, wd := d.Date()
		if y != wy || m != int(wm) || dd != wd {
			t.Fatalf("civil(%s) = %d-%d-%d", d, y, m, dd)
		}
		if got := fromCivil(y, m, dd); got != d {
			t.Fatalf("fromCivil(%d, %d, %d) = %d, want %d", y, m, dd, got, d)
		}
		if weekday(d) != d.Weekday() {
			t.Fatalf("weekday(%s) = %s, want %s", d, weekday(d), d.Weekday())
		}
		if daysIn(y, m) != d.LastDayOfMonth() {
			t.Fatalf("daysIn(%d, %d) = %d", y, m, daysIn(y, m))
		}
	}
}

// TestCivilExtremes: any day number converts without panicking, including
// ones far outside the calendar.
func TestCivilExtremes(t *testing.T) {
	for _, d := range []date.Date{math.MinInt64, math.MinInt64 + 1, -1, 0, 1, math.MaxInt64 - 1, math.MaxInt64} {
		y, m, dd := civil(d)
		_ = fromCivil(y, m, dd)
		_ = weekday(d)
	}
	// 0001-01-01 is day 0 and a Monday (date.Zero).
	y, m, dd := civil(0)
	require.Equal(t, [3]int{1, 1, 1}, [3]int{y, m, dd})
	require.Equal(t, time.Monday, weekday(0))
	require.Equal(t, time.Sunday, weekday(-1))
}
