package servicing

import (
	"context"

	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// LoanID identifies a loan within a store. The host chooses it (for example
// its own account number); the engine never invents one.
type LoanID string

// Checkpoint is a stored snapshot from which replay may start.
//
// A checkpoint folds the loan's events 1..Version, all of which are effective
// on or before Through; replay continues with the events effective after
// Through. A checkpoint whose later events include one effective on or before
// its Through (a backdated event) is stale; the engine detects that and starts
// from an earlier checkpoint, so stores never delete or edit checkpoints.
type Checkpoint struct {
	// Version is the log length the snapshot reflects (0: no checkpoint).
	Version int64
	// Through is the last business date folded into the snapshot.
	Through date.Date
	// loan.State is the canonical encoding of the loan's state (see
	// [loan.State.MarshalBinary]); stores keep it as opaque bytes.
	State []byte
}

// IdempotencyRecord remembers the first result of a command, so a retry with
// the same key returns it instead of applying the command again. Keys belong to
// one loan and never expire.
type IdempotencyRecord struct {
	// Key is the command's idempotency key, unique within the loan.
	Key string
	// PayloadHash is the SHA-256 of the command's canonical encoding; a retry
	// with a different hash is an [ErrIdempotencyConflict].
	PayloadHash [32]byte
	// Version is the loan's version after the command committed.
	Version int64
	// Result is the encoded result returned to the first caller; stores keep
	// it as opaque bytes.
	Result []byte
}

// Batch is everything one command writes, committed in one atomic call.
type Batch struct {
	// Events are the new events, numbered expectedVersion+1, +2, ... (may be
	// empty when only a checkpoint is saved).
	Events []loan.Event
	// Checkpoint, when non-nil, is saved with the events; its Version is at
	// most the new version.
	Checkpoint *Checkpoint
	// Idempotency, when non-nil, is recorded with the events; its Key must not
	// already exist for the loan.
	Idempotency *IdempotencyRecord
	// Outbox are the domain events the command caused (its Result.Domain),
	// in order. A store that implements [OutboxReader] records them in the
	// same transaction, record i with the id (loan, new version, i); one
	// that does not ignores them. A batch with Outbox records and no events
	// is an ErrInvalidBatch (its records' ids would repeat a commit's).
	Outbox []loan.DomainEvent
}

// CheckpointLoader loads the point replay starts from.
type CheckpointLoader interface {
	// LoadCheckpoint returns the loan's checkpoint with the latest Through on
	// or before notAfter (ties: the highest Version), or a zero Checkpoint if
	// none qualifies, together with the loan's current version (its number
	// of events). Pass date.Max() for the latest checkpoint.
	//
	// Errors: ErrNotFound if the loan has no events; the context's error if
	// ctx is done.
	LoadCheckpoint(ctx context.Context, loan LoanID, notAfter date.Date) (cp Checkpoint, version int64, err error)
}

// EventReader reads a loan's log.
type EventReader interface {
	// Events returns the loan's events with Seq ≥ from, in Seq order; an
	// unknown loan or a from beyond the end gives an empty slice. The caller
	// may modify the returned slice.
	//
	// Errors: the context's error if ctx is done.
	Events(ctx context.Context, loan LoanID, from int64) ([]loan.Event, error)
}

// EventAppender is an optional extension of EventReader. When the Store
// implements it, portfolio end of day reads each loan's events into one
// buffer per worker instead of a new slice per loan.
type EventAppender interface {
	// AppendEvents appends the loan's events with Seq ≥ from, in Seq order,
	// to dst and returns the extended slice: the events Events returns,
	// without allocating when dst has room. It keeps no reference to dst.
	//
	// Errors: the context's error if ctx is done.
	AppendEvents(ctx context.Context, loan LoanID, from int64, dst []loan.Event) ([]loan.Event, error)
}

// Committer writes one command's result.
type Committer interface {
	// Commit appends b.Events, saves b.Checkpoint and records b.Idempotency
	// atomically, provided the loan's current version equals expectedVersion
	// (0 for a new loan). It returns the new version. Once it returns nil the
	// batch is durable; on any error either all of the batch was written or
	// none of it (a host whose connection fails after the commit may return an
	// error for a write that happened — the engine copes with that by
	// idempotency keys).
	//
	// Errors: ErrVersionConflict if the version differs; ErrDuplicateKey if
	// b.Idempotency.Key is already recorded; ErrInvalidBatch for a malformed
	// batch; the context's error if ctx is done before the commit.
	Commit(ctx context.Context, loan LoanID, expectedVersion int64, b Batch) (newVersion int64, err error)
}

// IdempotencyLookup finds earlier commands by key.
type IdempotencyLookup interface {
	// LookupIdempotency returns the record committed with key for the loan.
	//
	// Errors: ErrNotFound if no commit carried the key; the context's error
	// if ctx is done.
	LookupIdempotency(ctx context.Context, loan LoanID, key string) (IdempotencyRecord, error)
}

// Store is everything the engine needs from a host's storage. Verify an
// implementation with servicingtest.TestStore.
type Store interface {
	CheckpointLoader
	EventReader
	Committer
	IdempotencyLookup
}

// DayCloser is an optional extension of Store: a portfolio-level record of
// the business days end of day closed. When the Store implements it,
// [Engine.EndOfDayPortfolio] writes nothing for a loan whose day is quiet
// (accrual only: no fee, status change, milestone or other domain event).
// Accrual is a function of the loan's state and the date, so the loan's next
// command or end of day folds the quiet days in one step with the same
// balances, accrued interest and payoff as if a marker had been written
// for each; only the loan's LastDayClosed and version, which count what was
// written, differ. The record keeps portfolio end of day idempotent: a day
// already closed over the same loans is not run again.
//
// The record is keyed by the date and a digest of the loans closed, so a
// portfolio closed in several calls a day (shards) records each call.
type DayCloser interface {
	// CloseDay records that end of day for on ran without error over the
	// loans whose digest is loans. Recording the same pair again is not
	// an error.
	//
	// Errors: the context's error if ctx is done.
	CloseDay(ctx context.Context, on date.Date, loans [32]byte) error
	// DayClosed reports whether CloseDay recorded (on, loans).
	//
	// Errors: the context's error if ctx is done.
	DayClosed(ctx context.Context, on date.Date, loans [32]byte) (bool, error)
}
