// Package delinquency answers "how late is this loan, what does that
// trigger, and what may we do about it": days past due, aging buckets, late
// fees, status and charge-off, re-age limits and Reg X milestone dates.
//
// It is a pure layer-3 package: plain values in ([Loan], [Policy], an as-of
// date), plain values out. It never imports payment; the engine passes what
// the waterfall credited to each installment as [Credit] values.
//
// # Representation
//
// A [Loan] lists its [Installment] values (the periodic payment is principal +
// interest + escrow, Reg Z §1026.36(c)(1)) with the credits applied to each,
// dated by receipt. [New] validates a loan and a policy once and returns an
// [Evaluator] whose queries are cheap: [Evaluator.DaysPastDue],
// [Evaluator.Bucket] and [Evaluator.LateFee] for one loan on one day do not
// allocate.
//
// Loan and Policy are plain data and round-trip through JSON; amounts are
// written with their currency code ("USD 12.50") so they read back without
// context.
//
// Every answer is "at the end of the as-of day": a credit received on the
// as-of date counts, and an installment due on the as-of date is due but not
// past due.
//
// # Days past due
//
// DPD follows Reg X §1024.31: it is measured from the due date of the oldest
// periodic payment not recognized as paid, so a payment applied to the oldest
// installment moves the start forward (Jan 1 missed, Feb 3 payment: 3 DPD on
// Feb 4). Fees never make an installment unpaid. A tolerance (an amount or a
// percentage of the periodic payment) lets a small shortfall count as paid.
// The FFIEC partial-payment methods are [RecognizeNinetyPercent] and
// [RecognizeAggregate]; a loan uses one [Recognition], never both.
//
// Pause periods ([Pause]: forbearance, deferment, delinquency pause) are
// half-open date ranges whose days are not counted: DPD on day t is the number
// of days in [oldest unpaid due date, t) outside every pause. So DPD stays
// constant while a pause lasts and resumes counting after it; installments
// keep falling due, and the properties "DPD grows by one a day with no
// payment" and "DPD is 0 exactly when nothing is past due" hold outside
// pauses.
//
// After acceleration ([Acceleration], Reg X §1024.31 comment) the loan stays
// delinquent until the accelerated amount is paid: DPD runs on from the
// oldest installment unpaid on the acceleration date, and the amount to bring
// the loan current is the unpaid accelerated balance.
//
// Reporting methods: [MethodDaysPastDue], [MethodMBA] and [MethodOTS] (OTS
// runs one month behind MBA in month-end reports).
//
// # Status
//
// [Evaluator.History] sweeps the loan day by day and returns aging bucket
// spans ([AgingBucketSpan]; in this package's names — Policy.Buckets,
// [Evaluator.Bucket] — a bucket is always an aging bucket, [AgingBucket]),
// [Transition] values (date, from, to, reason) and delinquency [Episode]
// values whose date of first delinquency is never rewritten. Status ladder:
// current → delinquent → default → non-accrual (left only when brought
// current) → charged off (FFIEC: 120 DPD closed-end, 180 open-end), with
// credits after charge-off reported as recoveries; paid off and closed are
// terminal and come from the host.
//
// # Workouts and milestones
//
// [CanReAge] and [CanWorkout] apply the FFIEC limits (re-age: 9 months open,
// 3 qualifying payments, once in 12 months and twice in 5 years; workout
// programs once in 5 years). [Evaluator.Milestones] gives the Reg X §1024.39
// live-contact and written-notice deadlines (written notices no more than
// once per 180 days) and the §1024.41 first-filing date. [CardSafeHarbor]
// and [Profile.FeeCap] give the credit-card late-fee safe harbour.
//
// # Rounding
//
// Percent late fees are rounded once with [LateFeePolicy.Rounding]; percent
// tolerances are rounded toward zero. All sums are exact integer minor units.
//
// # Errors
//
// Bad input returns errors wrapping [ErrInvalidLoan], [ErrInvalidPolicy] or
// [ErrInvalidInput] that hold one [*field.Error] per bad field ("Loan.
// Installments[2].DueDate"). [Profile.Check] returns [ErrProfileViolation];
// [CanReAge] returns [ErrReAgeRefused] and [CanWorkout] [ErrWorkoutRefused],
// each joined with typed reasons. Nothing
// panics.
//
// # Determinism
//
// No clock, no I/O, no goroutines, no mutable globals, no map iteration in
// results: the same inputs give the same outputs.
package delinquency
