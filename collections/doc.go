// Package collections answers the collector's questions about a loan: was
// a promise to pay kept, is a payment arrangement holding, and which loans
// are due for a contact today and in what order.
//
// It is pure: plain values in (the promise or plan, the receipts since,
// the as-of date), plain values out. It never reads a loan's log; package
// loan and the engine hand it the receipts. Days past due are
// delinquency's, passed in as numbers.
//
// # Representation
//
// A [Promise] is one dated amount; an [Arrangement] is a plan of dated
// amounts. Both are judged "at the end of the as-of day": a receipt dated
// the as-of day counts, and a date that has passed unpaid is broken the
// day after. Receipts are [Receipt] values (date, amount), reversals
// already removed.
//
// # Rounding
//
// Only sums of amounts in one currency: nothing is rounded.
//
// # Errors
//
// [Validate] and [ValidatePlan] return errors wrapping [ErrInvalid] that
// name every bad field.
//
// # Determinism
//
// No clock: the as-of date is an argument. [Queue] sorts with a total
// order (priority, days past due, loan id), so the same loans give the
// same queue.
package collections
