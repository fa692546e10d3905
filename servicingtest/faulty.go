package servicingtest

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// ErrInjected is the error Faulty returns for an injected fault.
var ErrInjected = errors.New("servicingtest: injected fault")

// Faulty wraps a store and injects faults by call index: every method call
// (of any method) counts, starting at 1, so a test can fail "the k-th store
// call" of a command and then retry. It is safe for concurrent use.
type Faulty struct {
	// Inner is the wrapped store. Required.
	Inner servicing.Store
	// FailAt is the call index that fails with ErrInjected without reaching
	// Inner (0: never).
	FailAt int64
	// AmbiguousAt is the call index that reaches Inner and then returns
	// ErrInjected anyway: for Commit, the batch is written but the caller
	// hears an error (0: never).
	AmbiguousAt int64
	// Latency is added before every call (0: none); it honours ctx.
	Latency time.Duration
	// CorruptCheckpoints makes LoadCheckpoint return every checkpoint with
	// its state truncated by one byte, as a damaged disk or a bad migration
	// might: the engine must skip it and fold the log (and report it
	// through servicing.Config.Notify).
	CorruptCheckpoints bool

	calls atomic.Int64
}

// Calls returns the number of calls made so far.
func (f *Faulty) Calls() int64 { return f.calls.Load() }

// Reset zeroes the call counter and clears both faults.
func (f *Faulty) Reset() {
	f.calls.Store(0)
	f.FailAt, f.AmbiguousAt = 0, 0
}

// before counts the call, sleeps, and reports whether to fail now (fail) or
// after calling Inner (ambiguous).
func (f *Faulty) before(ctx context.Context) (fail, ambiguous bool, err error) {
	n := f.calls.Add(1)
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-ctx.Done():
			t.Stop()
			return false, false, ctx.Err()
		case <-t.C:
		}
	}
	return n == f.FailAt, n == f.AmbiguousAt, nil
}

// LoadCheckpoint implements [servicing.CheckpointLoader].
func (f *Faulty) LoadCheckpoint(ctx context.Context, id servicing.LoanID, notAfter date.Date) (servicing.Checkpoint, int64, error) {
	fail, amb, err := f.before(ctx)
	if err != nil || fail {
		return servicing.Checkpoint{}, 0, errors.Join(err, injected(fail))
	}
	cp, v, err := f.Inner.LoadCheckpoint(ctx, id, notAfter)
	if amb && err == nil {
		return servicing.Checkpoint{}, 0, ErrInjected
	}
	if f.CorruptCheckpoints && len(cp.State) > 0 {
		cp.State = cp.State[: len(cp.State)-1 : len(cp.State)-1]
	}
	return cp, v, err
}

// Events implements [servicing.EventReader].
func (f *Faulty) Events(ctx context.Context, id servicing.LoanID, from int64) ([]loan.Event, error) {
	fail, amb, err := f.before(ctx)
	if err != nil || fail {
		return nil, errors.Join(err, injected(fail))
	}
	ev, err := f.Inner.Events(ctx, id, from)
	if amb && err == nil {
		return nil, ErrInjected
	}
	return ev, err
}

// LookupIdempotency implements [servicing.IdempotencyLookup].
func (f *Faulty) LookupIdempotency(ctx context.Context, id servicing.LoanID, key string) (servicing.IdempotencyRecord, error) {
	fail, amb, err := f.before(ctx)
	if err != nil || fail {
		return servicing.IdempotencyRecord{}, errors.Join(err, injected(fail))
	}
	r, err := f.Inner.LookupIdempotency(ctx, id, key)
	if amb && err == nil {
		return servicing.IdempotencyRecord{}, ErrInjected
	}
	return r, err
}

// Commit implements [servicing.Committer].
func (f *Faulty) Commit(ctx context.Context, id servicing.LoanID, expected int64, b servicing.Batch) (int64, error) {
	fail, amb, err := f.before(ctx)
	if err != nil || fail {
		return 0, errors.Join(err, injected(fail))
	}
	v, err := f.Inner.Commit(ctx, id, expected, b)
	if amb && err == nil {
		return 0, ErrInjected
	}
	return v, err
}

func injected(fail bool) error {
	if fail {
		return ErrInjected
	}
	return nil
}
