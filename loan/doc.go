// Package loan is a loan as a pure value: the contract ([Terms]), the
// immutable events of its log ([Event]), the state a fold of the log gives
// ([State], [Replay], [ReplayFrom], [Fold]), the state's canonical encoding
// and hash, and the queries a state answers (payoff quotes, delinquency,
// statements, the ledger). It does no I/O, reads no clock, starts no
// goroutine and keeps no process-wide cache; the engine in the module root
// stores logs and checkpoints and runs commands on top of it.
//
// # One owner per rule
//
// The fold composes the rule packages and restates none of them:
//
//   - what is billed on each due date is amortize's: Terms embeds
//     amortize.Terms, and each scheduled installment is billed by
//     amortize.Biller — the table's row rule, for every shape: level, equal
//     principal, graduated, custom, interest-only installments, balloons —
//     from the scheduled balance, under the rate path of the loan's rate
//     changes (State.Rates) and the amounts a recast put in force
//     (State.Payments: Biller.Recast at a rate change, Biller.Reamortize at a
//     modification or an extra-money recast); a precomputed loan bills its
//     add-on table; a loan paid as scheduled is billed exactly its
//     amortize.Compute table;
//   - how much interest between two dates, and the per diem's year, are
//     accrual's (DayCount.YearFraction, DayCount.DaysInYear, Timeline's rate
//     cap);
//   - where each cent of a receipt goes is payment's: the loan's
//     payment.Rules with the receipt's transaction type and extra-money
//     method (pay ahead bills the future installments the money reaches;
//     reduce term moves the maturity in; a receipt that covers the payoff
//     quote is payment.Payoff, priced by payment.Quote);
//   - days past due, the tolerance, partial-payment recognition, late fees
//     and pyramiding, the status ladder, re-age and workout limits are
//     delinquency's (Terms.Delinquency is a delinquency.Policy, validated by
//     it; Evaluator.OldestUnpaid, LateFee, StatusPolicy.Rung, FeeShortfall).
//
// Differential tests hold the engine's answers equal to the owners' on
// random terms and histories.
//
// # Representation
//
// A loan's log starts with a Boarded event carrying the normalized terms
// (see [Terms.Normalized]), the rules version ([RulesVersion]) and, for a
// loan boarded from a product, the product's name and version; every
// later event carries the business date it takes effect (EffectiveOn). The
// fold applies events in (EffectiveOn, Seq) order and the passage of time
// between them: due dates, late-fee decisions (the day after grace),
// suspense sweeps, ladder thresholds and non-accrual. A reversed payment is
// skipped as if it never came. [Fold] also records the domain events of the
// business dates it crosses, each dated by the day it happened.
//
// # Records without money
//
// Some events record servicing facts that move no money: a transfer of
// servicing ([ServicingTransferred]), a borrower's request
// ([RequestReceived]), a notice sent ([NoticeSent]), a promise to pay, an
// arrangement or a contact attempt ([PromiseMade], [ArrangementMade],
// [ContactAttempted]) and a change of the people on the loan
// ([PartyChanged]). The fold checks their place in the log and counts
// them in Version; no balance depends on them. An arrangement that holds
// the status ladder (ArrangementMade.HoldStatus) is the one the fold
// keeps ([State.Hold]): while its plan is kept the status does not climb
// above the rung the loan had when it was made. The notices they make due
// are reported as [DomainNoticeDue] events, and [State.Notices] lists the
// loan's whole notice calendar; with [Terms.NoticeDue] the fold reports
// the calendar's statements and early intervention notices too, on the
// first day the calendar lists each. A party's personal data is never in the
// log: PartyChanged carries a reference to the host's vault and the names
// of the changed fields, so erasing the data changes no event, state or
// hash.
//
// # Compatibility
//
// What a log means never changes silently:
//
//   - Events are persisted with their schema version ([SchemaVersion]);
//     older schemas decode through upcasters into the current types (schema
//     1, the first release: bare amounts in the envelope's currency, terms
//     in the legacy format). A newer schema is refused.
//   - A loan is folded under the rules version it was boarded with
//     (Boarded.Rules; schema-1 logs: rules 1) until a [RulesMigrated] event
//     moves it on from a date; [RulesVersion] lists what each version
//     changed. testdata/compat holds 160 logs of the first release with the
//     numbers it gave, and they still fold to them.
//   - The state encoding and its hash are versioned ([EncodingVersion]);
//     checkpoints of another version are only caches and are refolded.
//     testdata/compat_v1_hashes.golden and compat_v2_logs.golden pin the
//     hashes: an encoding change shows there and needs a new version.
//
// # Errors
//
// Errors wrap the sentinels in errors.go: [ErrInvalidTerms] and
// [ErrInvalidInput] (with a *field.Error per bad field), [ErrInvalidEvent],
// [ErrLimit] (a running total or count past its bound, naming the field),
// [ErrInvariant] (a bug, with the numbers), [ErrCorruptState] and
// [ErrTooManyEvents].
//
// # Determinism
//
// The same events give byte-identical states ([State.MarshalBinary],
// [State.Hash]): no clock, no map iteration in results, no floats.
package loan
