// Package payment decides where each cent of a payment goes: receivables,
// waterfall rules as data, partial and extra money, payoff quotes, and a
// reason for every amount.
//
// Everything here is a pure function of its inputs: the open receivables, the
// payment, the rules and the date. [Allocate] returns an [Allocation] whose
// allocation lines each name the receivable they paid and the [Rule] that
// sent the money there; [Quote] prices a payoff that [Allocate] then clears
// to the cent.
//
// # Representation
//
// A [Receivable] is what is still owed for one component (principal,
// interest, escrow, fee, penalty) of one installment, or a stand-alone charge
// (Installment 0: an NSF fee, an escrow advance). On a date each is past due
// (due date before it), due (due within the current cycle, up to and
// including the earliest installment due date on or after the date) or in
// advance (a later cycle); see [Receivable.TimingOn].
//
// [Rules] are plain JSON-serializable data: an [Order] ranks the fifteen
// [Bucket]s {past due, due, in advance} × {penalty, fee, interest, principal,
// escrow}, says whether installments are walked horizontally or vertically,
// and gives a [FutureRule] for future installments; orders may differ per
// [TransactionType]. A [Partial] policy (apply, suspense, return) with an
// optional shortfall tolerance and an [Extra] method (pay ahead, curtail,
// reduce term, recast) complete them. Presets: [GSEMortgage], [Consumer],
// [OldestFirst], [FineractMifosStandard], [FineractDuePFIPInAdvancePPFI],
// [FineractDuePIPFInAdvancePIPF], [FineractAdvanced].
//
// [Allocate] validates and compiles its rules on every call. A host posting
// many payments under one loan product compiles them once with
// [Rules.Compile] and calls [Compiled.Allocate], or [Compiled.AllocateInto]
// to reuse one [Allocation]'s slices and allocate no memory at all. All three
// give the same allocation.
//
// # Rounding
//
// Allocation moves whole minor units and never rounds: sums are exact. The
// one rounding is in [Quote]: interest accrued to the payoff date, rounded
// once with the caller's mode (or the per diem rounded, then times the days).
// The interest follows the loan's accrual.DayCount when the request carries
// one, or a payoff rule such as [FannieMaeConventional] (whole months on a
// 360-day year, the part month on a 365-day year); otherwise it is days over
// DaysInYear.
// A recast's new payment is the host's (amortize) to compute from
// [ExtraOutcome].
//
// # Errors
//
// Bad rules return [ErrInvalidRules], bad input [ErrInvalidInput], a bad
// payoff request [ErrInvalidQuote], each wrapping a *field.Error per bad
// field ("Rules.Default.Buckets[3]", "Input.Receivables[2].Component").
// [ErrInvariant] reports a broken internal check (a bug) with the numbers.
// Nothing panics.
//
// # Determinism
//
// No clock, no globals that change, no map order in results: the same input
// gives the same allocation, line for line. Ties between receivables are
// broken by installment number, due date and input index.
package payment
