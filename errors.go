package servicing

import (
	"errors"
	"fmt"
)

// Errors returned by the engine and by host stores. Test them with errors.Is;
// a store must return (or wrap) these so the engine can react to them.
var (
	// ErrNotFound means the loan, event, payment or idempotency key does not exist.
	ErrNotFound = errors.New("servicing: not found")
	// ErrVersionConflict means a commit named an expected version that is no
	// longer the loan's current version (optimistic concurrency); nothing was
	// written. Reload and retry with the same idempotency key.
	ErrVersionConflict = errors.New("servicing: version conflict")
	// ErrDuplicateKey means a commit carried an idempotency key that is already
	// recorded for the loan; nothing was written. The engine reacts by looking
	// the key up and returning the first result.
	ErrDuplicateKey = errors.New("servicing: idempotency key already committed")
	// ErrIdempotencyConflict means a command reused an idempotency key with a
	// different payload than the first time.
	ErrIdempotencyConflict = errors.New("servicing: idempotency key reused with a different payload")
	// ErrInvalidCommand means a command failed validation; the error names
	// every bad field (errors.As with *field.Error). Nothing was written.
	ErrInvalidCommand = errors.New("servicing: invalid command")
	// ErrInvalidBatch means a store was handed a malformed batch (events not
	// numbered from expectedVersion+1, or a checkpoint beyond the new version).
	ErrInvalidBatch = errors.New("servicing: invalid commit batch")
	// ErrInvalidConfig means the engine configuration is incomplete, e.g. no
	// clock was injected.
	ErrInvalidConfig = errors.New("servicing: invalid engine config")
	// ErrLoanExists means a boarding command named a loan that already has events.
	ErrLoanExists = errors.New("servicing: loan already boarded")
	// ErrLoanClosed means the command cannot apply to a loan that is paid off
	// or charged off.
	ErrLoanClosed = errors.New("servicing: loan closed")
	// ErrCorruptCheckpoint means a stored checkpoint could not be decoded or
	// its hash does not match its content.
	ErrCorruptCheckpoint = errors.New("servicing: corrupt checkpoint")
	// ErrTooManyRetries means a command kept losing optimistic-concurrency
	// races beyond the configured retry limit.
	ErrTooManyRetries = errors.New("servicing: too many version conflicts")
)

// CheckpointError reports a stored checkpoint the engine could not use: it
// could not be decoded (Err wraps loan.ErrCorruptState). The engine folds
// the loan from its log instead, so the call it happened in still
// succeeds; the error reaches the host through Config.Notify. It wraps
// ErrCorruptCheckpoint.
type CheckpointError struct {
	Loan    LoanID // the loan whose checkpoint it was
	Version int64  // the checkpoint's version
	Err     error  // why it could not be used
}

// Error describes the checkpoint and why it was skipped.
func (e *CheckpointError) Error() string {
	return fmt.Sprintf("servicing: loan %q checkpoint v%d skipped, log folded instead: %v", e.Loan, e.Version, e.Err)
}

// Unwrap returns ErrCorruptCheckpoint and the decoding error, for errors.Is.
func (e *CheckpointError) Unwrap() []error { return []error{ErrCorruptCheckpoint, e.Err} }
