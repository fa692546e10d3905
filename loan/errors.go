package loan

import "errors"

// Errors returned by the fold, the codecs and the queries of this package.
// Test them with errors.Is; validation errors also carry a *field.Error per
// bad field.
var (
	// ErrInvalidTerms means loan terms failed validation; the error names
	// every bad field.
	ErrInvalidTerms = errors.New("loan: invalid terms")
	// ErrInvalidEvent means an event could not be decoded or applied (unknown
	// kind, payload of the wrong kind, event dated before boarding).
	ErrInvalidEvent = errors.New("loan: invalid event")
	// ErrBeforeBoarding means a state was asked for a date before the
	// loan's boarding takes effect (wrapped with ErrInvalidEvent): the loan
	// did not exist then, which a portfolio snapshot reads as "not in it".
	ErrBeforeBoarding = errors.New("loan: date before boarding")
	// ErrInvalidInput means a query or request was given bad arguments (a
	// payoff date before the state's date, a boarding request with a bad
	// field); the error names every bad field.
	ErrInvalidInput = errors.New("loan: invalid input")
	// ErrInvariant means a fold broke an accounting invariant (allocation not
	// equal to the amount received, a negative balance); the error carries
	// the numbers. It signals a bug, never bad input.
	ErrInvariant = errors.New("loan: invariant violated")
	// ErrCorruptState means a state encoding could not be decoded.
	ErrCorruptState = errors.New("loan: corrupt state encoding")
	// ErrLimit means a command would take a loan past one of its bounds (a
	// running total above money.MaxMinor, more than MaxChanges rate
	// changes); the error names the field. Nothing is written.
	ErrLimit = errors.New("loan: limit exceeded")
	// ErrTooManyEvents means a fold was given more than MaxEvents events.
	ErrTooManyEvents = errors.New("loan: too many events")
)
