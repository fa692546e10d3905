// Package servicing is the loan-servicing engine: it keeps each loan as an
// append-only log of immutable events in a store the host owns, folds the
// log with the pure package loan (which composes schedule, accrual,
// amortize, payment and delinquency), and writes every command as one
// atomic, idempotent commit.
//
// # Layout
//
//	servicing (this package)  Engine: commands, queries, storage interfaces, portfolio end of day
//	product                   pure: loan products (defaults and limits) and product boarding
//	loan                      pure: contract, events, state, the fold, canonical encoding, hash
//	payment  delinquency      pure rules: where money goes / how late a loan is (siblings)
//	amortize accrual escrow   pure math: tables and billing / day counts and interest / RESPA
//	schedule                  pure dates: due dates, frequencies, calendars
//	money rate field          vocabulary: amounts with currency, rates, field errors
//
// The engine keeps no rules of its own: billing is amortize's, lateness and
// fees are delinquency's, allocation is payment's, day counts are
// accrual's (see package loan).
//
// # Commands
//
// [Engine.Board] (from an LOS payload, [loan.ParseBoarding], or one naming
// a loan product, product.Catalogue.ParseBoarding, whose product and
// version the Boarded event records),
// [Engine.PostPayment] and [Engine.PostPaymentWith] (the transaction type
// chooses the waterfall's order; a receipt covering the payoff quote pays the
// loan off), [Engine.ReversePayment], [Engine.AssessFee], [Engine.AssessCharge] (a
// fee owed with the installment whose period holds its due date),
// [Engine.WaiveFee],
// [Engine.ChangeRate], [Engine.ResetIndex], [Engine.CapRate],
// [Engine.Modify] (re-ages and workout programs held to the FFIEC limits,
// delinquency.CanReAge and CanWorkout), [Engine.Pause] (forbearance or a
// payment holiday: due dates moved, interest capitalized, deferred or
// waived, no paused day counted past due), [Engine.Draw] (a draw on a
// multi-disbursement loan's commitment, loan.DrawTerms, or on a line of
// credit, loan.LineTerms), [Engine.DisburseEscrow],
// [Engine.ChargeOff], [Engine.Recover], [Engine.Adjust],
// [Engine.AnalyzeEscrow] (the Reg X §1024.17 annual analysis over the
// terms' escrow items; [Engine.EscrowAnalysis] is the query),
// [Engine.RefundCredit], [Engine.RefundEscrow] (after payoff, within
// loan.EscrowRefundDays business days), [Engine.MigrateRules], [Engine.EndOfDay] and
// [Engine.EndOfDayPortfolio]. Each is validated (every bad field named,
// errors wrapping [ErrInvalidCommand]), idempotent by key and one atomic
// commit; a command that would take a loan past a bound is refused
// (loan.ErrLimit), and one that makes no sense on a closed loan too
// ([ErrLoanClosed]). Nothing is written on any error, and a panic below the
// engine is reported as loan.ErrInvariant, never raised to the host.
//
// A command's [Result] carries its domain events, dated by the business
// date they happened on; a command that changes history (backdated, a
// reversal) reports what it changed, the events it undid marked Retracted.
//
// # Queries
//
// [Engine.State], [Engine.KnownAt] (as the log stood at a time),
// [Engine.PayoffQuote], [Engine.Statement] (Reg Z §1026.41 data),
// [Engine.History] and [Engine.AllocationTrace].
//
// # Storage
//
// The host implements [Store] (four small interfaces) over its own
// database; servicingtest.TestStore checks an implementation, and
// servicingtest.MemStore is the in-memory reference. A checkpoint is only a
// cache: one that cannot be read is skipped, the log folded instead and the
// problem reported to [Config.Notify] as a [*CheckpointError]; every
// checkpoint is decoded and compared before it is committed.
//
// # Observability
//
// [Config.Logger] and [Config.Observer] see each command's event kind, loan,
// outcome, duration and attempts, its retries, checkpoint fallbacks and slow
// end-of-day loans, and never a borrower, actor, idempotency key or amount.
// With neither set the engine makes no observation call.
//
// # Compatibility
//
// The engine promises that nothing accepted changes an old loan's numbers
// silently. Events carry their schema version and old schemas decode
// through upcasters; a loan is folded under the servicing rules version it
// was boarded with until [Engine.MigrateRules] moves it on from a date; and
// the canonical state encoding and its hash change only with a new
// loan.EncodingVersion (old checkpoints are then refolded from the log). The
// first release's logs (testdata/compat/v1) and this release's
// (testdata/compat_v2_logs.golden) are kept with the numbers and hashes they
// fold to, and tests hold them. Boarding payloads in the first release's
// terms format are still read, with their meaning kept, and boarded under
// the current rules. See package loan's Compatibility section for the
// versions.
//
// Releases follow semantic versioning, and CHANGELOG.md says what each
// changed. Whatever the release, a log any earlier release wrote is read and
// folded to the numbers it folded to, under its own rules version:
//
//   - A patch release (v0.2.1 after v0.2.0) fixes bugs, documentation and
//     speed. It changes no exported API, no event schema
//     (loan.SchemaVersion), no state encoding (loan.EncodingVersion, so no
//     state hash), no servicing rules (loan.RulesVersion) and no wire
//     format (boarding payloads, products, the scenario format and its JSON
//     Schema). A fix that would change an accepted loan's numbers waits for
//     a minor release and a new rules version.
//   - A minor release adds: exported names, optional members of a wire
//     format (the JSON Schemas gain them; an older payload still reads the
//     same), event kinds, a new event schema (with upcasters from every
//     older one), a new rules version (loans boarded from then on take it;
//     others keep theirs until migrated), and a new state encoding (new
//     hashes, recorded in the changelog; older checkpoints are refolded).
//     Before v1.0.0 a minor release may also change or remove exported API
//     or a wire format's member, each listed under Changed or Removed with
//     what to do instead.
//   - A major release (from v1.0.0 on) is the only one that may change or
//     remove exported API or a wire format's member incompatibly. It never
//     drops reading an older event schema or folding under an older rules
//     version: that would make a stored loan unreadable.
//
// # Errors
//
// Every error wraps one of the sentinels in errors.go or package loan's;
// validation errors also carry a *field.Error per bad field.
//
// # Determinism
//
// The engine never reads the wall clock: [Config.Now] is required. The same
// events give byte-identical state (loan.State.MarshalBinary and Hash).
package servicing
