package schedule

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func TestAddMonths(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		months int
		anchor int
		eom    EOMPolicy
		want   string
	}{
		{"31 Jan to leap February", "2024-01-31", 1, 31, EOMAnchor, "2024-02-29"},
		{"31 Jan to common February", "2023-01-31", 1, 31, EOMAnchor, "2023-02-28"},
		{"back to the 31st in March", "2024-01-31", 2, 31, EOMAnchor, "2024-03-31"},
		{"29 Feb with its own day", "2024-02-29", 1, 0, EOMAnchor, "2024-03-29"},
		{"29 Feb anchored to 31", "2024-02-29", 1, 31, EOMAnchor, "2024-03-31"},
		{"30 Apr anchored to 30", "2024-04-30", 1, 0, EOMAnchor, "2024-05-30"},
		{"30 Apr last day", "2024-04-30", 1, 0, EOMLastDay, "2024-05-31"},
		{"last day into February", "2024-01-15", 1, 0, EOMLastDay, "2024-02-29"},
		{"backwards over a year end", "2024-01-15", -1, 0, EOMAnchor, "2023-12-15"},
		{"backwards into February", "2024-03-31", -1, 0, EOMAnchor, "2024-02-29"},
		{"thirteen months", "2024-01-31", 13, 0, EOMAnchor, "2025-02-28"},
		{"1900 is not leap", "1900-01-31", 1, 0, EOMAnchor, "1900-02-28"},
		{"2000 is leap", "2000-01-31", 1, 0, EOMAnchor, "2000-02-29"},
		{"zero months, anchor above 31", "2024-04-10", 0, 40, EOMAnchor, "2024-04-30"},
		{"unknown policy acts as anchor", "2024-01-31", 1, 0, "sideways", "2024-02-29"},
		{"360 months", "2024-01-31", 360, 0, EOMAnchor, "2054-01-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, d(tt.want), AddMonths(d(tt.in), tt.months, tt.anchor, tt.eom))
		})
	}
}

// TestAddMonthsOracle compares AddMonths with an oracle built on package
// time: the target month is time.Date(y, m+n, 1) and its length is the day of
// time.Date(y, m+n+1, 0).
func TestAddMonthsOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lo, hi := int(d("1900-01-01")), int(d("2200-12-31"))
	for range 20000 {
		start := date.Date(lo + r.IntN(hi-lo))
		n := r.IntN(4801) - 2400
		anchor := r.IntN(32) // 0 = start's own day
		eom := EOMAnchor
		if r.IntN(4) == 0 {
			eom = EOMLastDay
		}
		y, m, day := start.Date()
		target := time.Date(y, m+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
		last := time.Date(y, m+time.Month(n)+1, 0, 12, 0, 0, 0, time.UTC).Day()
		wantDay := anchor
		if wantDay == 0 {
			wantDay = day
		}
		if eom == EOMLastDay || wantDay > last {
			wantDay = last
		}
		want := date.New(target.Year(), target.Month(), wantDay)
		got := AddMonths(start, n, anchor, eom)
		if got != want {
			t.Fatalf("AddMonths(%s, %d, %d, %s) = %s, want %s", start, n, anchor, eom, got, want)
		}
	}
}

// TestAddMonthsNoPanic: absurd inputs give some date, never a panic.
func TestAddMonthsNoPanic(t *testing.T) {
	for _, start := range []date.Date{math.MinInt64, 0, d("2024-01-31"), math.MaxInt64} {
		for _, n := range []int{math.MinInt, -1, 0, 1, math.MaxInt} {
			for _, a := range []int{math.MinInt, 0, 31, math.MaxInt} {
				_ = AddMonths(start, n, a, EOMAnchor)
				_ = AddMonths(start, n, a, EOMLastDay)
			}
		}
	}
}
