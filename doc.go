// Package servicing is the loan-servicing engine: it keeps each loan as an
// append-only log of immutable events, folds the log into the loan's state
// with the pure packages below it (schedule, accrual, amortize, payment,
// delinquency), and writes every command as one atomic, idempotent commit to
// a store the host owns.
//
// # Representation
//
// A loan is its event log ([Event]): boarding, payments, reversals, fees,
// rate changes, index resets of an adjustable rate, rate caps (SCRA),
// escrow disbursements, modifications, charge-off, recoveries, adjustments
// and end-of-day markers. Each event carries the business date it takes effect
// (EffectiveOn) and the instant it was recorded (RecordedAt, from the injected
// clock). State is a pure fold of the log ([Replay]); stored checkpoints
// ([Checkpoint]) let replay start part way.
//
// # Waterfall and delinquency
//
// The engine keeps no rules of its own about where money goes or how late
// a loan is. Each payment is handed to payment's compiled rules
// (payment.Compiled.AllocateInto) with the loan's open window as
// receivables: every installment from the oldest unpaid one through the one
// due in the payment's cycle (principal, interest, escrow), the outstanding
// fees, interest accrued outside installments, an escrow advance, and the
// principal beyond the window (what extra money curtails). The rules are
// data in [Terms] (Allocation.Rules): payment.GSEMortgage by default for
// scheduled and precomputed interest, payment.Consumer for daily simple
// interest (a precomputed loan's payoff amount, or more, closes it with the
// unearned finance charge rebated: [State.Payoff]). The
// allocation trace is payment's own lines and rules ([Line.Rule],
// [Line.Bucket]). Installments partly paid under a partial policy of apply
// are kept in [State.Partial].
//
// Days past due, late fees (grace, basis, minimum, cap, no pyramiding) and
// the MBA/OTS reporting methods come from delinquency.Evaluator over the
// same window and the credits the waterfall applied ([State.DaysPastDue],
// [State.Delinquency]); a late fee is decided the day after each
// installment's grace period.
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
