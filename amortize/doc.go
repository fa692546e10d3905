// Package amortize turns loan terms into the installments a borrower owes
// (an amortization [Table]), solves for the payment, the number of
// installments or the rate, computes the Regulation Z Appendix J [APR], and
// the unearned finance charge of a prepaid precomputed loan.
//
// # Representation
//
// Amounts are money.Amount (exact minor units); rates are rate.Rate (exact
// annual nominal fractions); dates are date.Date from schedule's due dates.
// Each period's interest is balance × rate × period fraction computed exactly
// as one 128-bit integer ratio (money.Amount.MulDiv), falling back to
// math/big when the ratio does not fit. Periods that share a rate and a
// year fraction share one precomputed ratio (a segment), so a table costs
// one multiply-divide per row. A level payment is solved exactly, once per
// table (and once per rate change), as a ratio of math/big integers
// (closed form bal·g·q/(q−1) with q = (1+g)^n for equal periods, the
// balance recursion otherwise) and rounded once. The rate and APR solvers
// work in decimals truncated to 40 places, never in floating point.
//
// Shapes ([Shape]): level annuity, equal principal, graduated, custom list
// and precomputed add-on; interest-only installments, a balloon, rate steps
// and zero rates combine with them. The rate may follow a path: by
// installment (RateStep), by date in accrual's terms (accrual.RateChange),
// or an index + margin ARM (accrual.ARM with an accrual.IndexSeries); the
// level payment is recast at each change. Interest methods ([InterestMethod]):
// periodic (rate ÷ periods a year) or daily simple interest over each actual
// period with an accrual.DayCount. An irregular first period is handled one
// of two ways ([OddFirstPeriod]): OddDaysInterest collects the odd days'
// interest with the first payment (the payment itself is solved as if the
// period were regular); OddActualPeriod charges the first period over its
// actual length and solves one level payment over it.
//
// # Rounding
//
// Interest is rounded once per period with Terms.InterestRounding (to a
// multiple of Terms.InterestIncrement minor units); a solved payment is
// rounded once with Terms.PaymentRounding (to the cent, up to the cent, or a
// multiple of Terms.PaymentIncrement). The last installment pays the
// remaining balance plus its interest, so it absorbs every residue and the
// final balance is exactly zero.
//
// # Errors
//
// Bad input returns an error wrapping [ErrInvalidTerms], [ErrInvalidAPR] or
// [ErrInvalidRebate] around a *field.Error for every bad field (errors.Is
// and errors.As both work). Bounded solvers return [ErrNotConverged] rather
// than loop. A table that breaks an invariant returns [ErrInvariant]: Σ
// principal = principal, final balance 0, no negative balance, each balance
// the previous less the row's principal.
//
// # Determinism
//
// The package is pure: no I/O, clock, goroutines or mutable globals. The
// same Terms give the same Table, byte for byte.
package amortize
