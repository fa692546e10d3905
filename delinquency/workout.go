package delinquency

import (
	"errors"
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// MaxWorkouts is the largest number of earlier workouts a [WorkoutRequest]
// may list.
const MaxWorkouts = 100

// WorkoutIntervalMonths is the FFIEC limit on workout programs: at most one
// in any five years (60 months) (FFIEC Uniform Retail Credit Classification,
// 65 FR 36903; RULES.md, "FFIEC", marked † as a secondary summary).
const WorkoutIntervalMonths = 60

// WorkoutRequest holds what [CanWorkout] checks.
type WorkoutRequest struct {
	// AsOf is the date the proposed workout would start.
	AsOf date.Date
	// PriorWorkouts are the start dates of earlier workout programs on the
	// account, each ≤ AsOf; their order does not matter.
	PriorWorkouts []date.Date
}

// CanWorkout applies the FFIEC limit on workout programs (at most one per
// five years) and returns nil when a workout may start on r.AsOf. Otherwise
// it returns an error wrapping [ErrWorkoutRefused] joined with
// [ErrWorkoutWithin5Years]: an earlier workout started less than 60 calendar
// months before AsOf (one started on 15 Mar 2020 blocks until 14 Mar 2025
// and allows 15 Mar 2025). Bad input returns an error wrapping
// [ErrInvalidInput] naming the fields. Whether the borrower qualifies
// (willingness and ability to repay) is the host's judgement.
func CanWorkout(r WorkoutRequest) error {
	if err := r.validate(); err != nil {
		return err
	}
	for _, d := range r.PriorWorkouts {
		if addMonths(d, WorkoutIntervalMonths) > r.AsOf {
			return errors.Join(ErrWorkoutRefused, ErrWorkoutWithin5Years)
		}
	}
	return nil
}

func (r WorkoutRequest) validate() error {
	var l field.List
	checkDate(&l, "WorkoutRequest.AsOf", r.AsOf)
	if len(r.PriorWorkouts) > MaxWorkouts {
		l.Add("WorkoutRequest.PriorWorkouts", len(r.PriorWorkouts), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxWorkouts))
		return l.Err(ErrInvalidInput)
	}
	for i, d := range r.PriorWorkouts {
		p := fmt.Sprintf("WorkoutRequest.PriorWorkouts[%d]", i)
		checkDate(&l, p, d)
		if d > r.AsOf {
			l.Add(p, d, field.ErrInvalid, "after AsOf")
		}
	}
	return l.Err(ErrInvalidInput)
}
