package schedule

import "errors"

// Errors returned by this package. Test them with errors.Is; the problems with
// single fields inside them are *field.Error values (errors.As).
var (
	// ErrInvalidPlan means a Plan (or the dates given to FirstPeriod) failed
	// validation; the wrapped field errors name every bad field.
	ErrInvalidPlan = errors.New("schedule: invalid plan")
	// ErrInvalidFrequency means a Frequency failed validation.
	ErrInvalidFrequency = errors.New("schedule: invalid frequency")
	// ErrNoBusinessDay means a calendar reported no business day within the
	// bounded search window (MaxSearchDays days) around a date: the calendar
	// is broken, or closes for more than a year.
	ErrNoBusinessDay = errors.New("schedule: no business day within search window")
)
