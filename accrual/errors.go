package accrual

import "errors"

// Errors returned by this package. Validation failures wrap ErrInvalidInput
// around a joined list of [*field.Error] values, one per bad field, so both
// errors.Is(err, ErrInvalidInput) and errors.As(err, &fe) work.
var (
	// ErrInvalidInput means an argument or configuration field is bad; the
	// wrapped *field.Error values name each one.
	ErrInvalidInput = errors.New("accrual: invalid input")
	// ErrOverflow means an exact result does not fit the representation
	// (a year fraction beyond int64, or interest beyond money.MaxMinor).
	ErrOverflow = errors.New("accrual: overflow")
	// ErrIndexMissing means a host-supplied IndexSeries had no value for a
	// date the variable-rate rules needed.
	ErrIndexMissing = errors.New("accrual: index value missing")
)
