package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestScheduleRoundingSpellings: -rounding takes the spellings users write;
// half_up is half_away_from_zero, so the reference mortgage's payment stays
// 1264.14. An unknown mode is refused with the accepted names.
func TestScheduleRoundingSpellings(t *testing.T) {
	_, want, _ := cliRun(t, append(scheduleArgs, "-format", "csv")...)
	code, got, errs := cliRun(t, append(scheduleArgs, "-format", "csv", "-rounding", "HALF_UP", "-payment-rounding", "half-up")...)
	require.Equal(t, 0, code, errs)
	require.Equal(t, want, got)
	require.Contains(t, got, "1264.14")
	code, _, errs = cliRun(t, append(scheduleArgs, "-rounding", "nearest")...)
	require.NotEqual(t, 0, code)
	require.Contains(t, errs, "Terms.InterestRounding")
	require.Contains(t, errs, "one of half_even, half_away_from_zero (or half_up)")
}
