// Package servicing is the loan-servicing engine: it keeps each loan as an
// append-only log of immutable events, folds the log into the loan's state
// with the pure packages below it (schedule, accrual, amortize, payment,
// delinquency), and writes every command as one atomic, idempotent commit to
// a store the host owns.
//
// # Representation
//
// A loan is its event log ([Event]): boarding, payments, reversals, fees,
// rate changes, modifications, charge-off, recoveries, adjustments and
// end-of-day markers. Each event carries the business date it takes effect
// (EffectiveOn) and the instant it was recorded (RecordedAt, from the injected
// clock). State is a pure fold of the log ([Replay]); stored checkpoints
// ([Checkpoint]) let replay start part way.
//
// # Storage
//
// The host implements [Store] (four small interfaces) over its own database;
// servicingtest.TestStore checks an implementation, and servicingtest.MemStore
// is the in-memory reference.
//
// # Errors
//
// Every error the package returns wraps one of the sentinels in errors.go;
// validation errors also carry a *field.Error per bad field.
//
// # Determinism
//
// The engine never reads the wall clock: [Config.Now] is required. The same
// events give byte-identical state (see [State.MarshalBinary] and
// [State.Hash]).
package servicing
