package delinquency

import (
	"errors"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestCanWorkout: FFIEC — workout programs at most once per five years. A
// workout started 15 Mar 2020 blocks another until 60 months later, 15 Mar
// 2025. Month-end: 29 Feb 2020 + 60 months = 28 Feb 2025 (clamped).
func TestCanWorkout(t *testing.T) {
	tests := []struct {
		name  string
		asOf  string
		prior []string
		ok    bool
	}{
		{"none before", "2025-03-14", nil, true},
		{"one day short of 5 years", "2025-03-14", []string{"2020-03-15"}, false},
		{"exactly 5 years", "2025-03-15", []string{"2020-03-15"}, true},
		{"older and recent", "2025-03-15", []string{"2012-01-01", "2024-06-30"}, false},
		{"two old ones", "2025-03-15", []string{"2012-01-01", "2019-06-30"}, true},
		{"leap day, day before", "2025-02-27", []string{"2020-02-29"}, false},
		{"leap day, clamped", "2025-02-28", []string{"2020-02-29"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := WorkoutRequest{AsOf: d(tc.asOf)}
			for _, p := range tc.prior {
				r.PriorWorkouts = append(r.PriorWorkouts, d(p))
			}
			err := CanWorkout(r)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrWorkoutRefused)
			require.ErrorIs(t, err, ErrWorkoutWithin5Years)
		})
	}
}

func TestCanWorkout_BadInput(t *testing.T) {
	err := CanWorkout(WorkoutRequest{AsOf: d("2025-01-01"), PriorWorkouts: []date.Date{d("2025-01-02"), 0}})
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"WorkoutRequest.PriorWorkouts[0]", "WorkoutRequest.PriorWorkouts[1]"}, field.Fields(err))
	err = CanWorkout(WorkoutRequest{AsOf: MaxDate + 1, PriorWorkouts: make([]date.Date, MaxWorkouts+1)})
	require.Equal(t, []string{"WorkoutRequest.AsOf", "WorkoutRequest.PriorWorkouts"}, field.Fields(err))
}

// FuzzCanWorkout: any input returns nil, a refusal or a bad-input error;
// never a panic.
func FuzzCanWorkout(f *testing.F) {
	f.Add(int64(738000), int64(737000), int64(0))
	f.Add(int64(0), int64(-5), int64(1<<40))
	f.Fuzz(func(t *testing.T, asOf, a, b int64) {
		err := CanWorkout(WorkoutRequest{AsOf: date.Date(asOf), PriorWorkouts: []date.Date{date.Date(a), date.Date(b)}})
		if err != nil {
			require.True(t, errors.Is(err, ErrWorkoutRefused) || errors.Is(err, ErrInvalidInput))
		}
	})
}
