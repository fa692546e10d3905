package amortize

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestDueDatesMatchSchedule checks the incremental monthly stepping against
// schedule.DueDates (the reference) for every first due day of 2023–2025
// (leap and common Februaries, every anchor day 1–31), both end-of-month
// policies and steps of 1, 2, 3, 6 and 12 months.
func TestDueDatesMatchSchedule(t *testing.T) {
	tm := mortgage(t, "1000.00", "5", 40)
	for first := date.New(2023, time.January, 1); first < date.New(2026, time.January, 1); first++ {
		for _, every := range []int{1, 2, 3, 6, 12} {
			for _, eom := range []schedule.EOMPolicy{schedule.EOMAnchor, schedule.EOMLastDay} {
				if eom == schedule.EOMLastDay && first.Day() != lastDay(first.Year(), first.Month()) {
					continue
				}
				tm.FirstDueDate, tm.FundingDate, tm.EOM = first, first-40, eom
				tm.Frequency = schedule.Frequency{Unit: schedule.UnitMonth, Every: every}
				got, err := dueDates(&tm, 40)
				require.NoError(t, err)
				want, err := schedule.DueDates(tm.plan(40))
				require.NoError(t, err)
				require.Equal(t, want, got, "first %s every %d %s", first, every, eom)
			}
		}
	}
}
