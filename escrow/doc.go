// Package escrow runs the escrow account analysis of Regulation X (12 CFR
// 1024.17, RESPA): from the projected tax and insurance bills of a
// computation year it computes the monthly escrow payment, the cushion, the
// trial running balances of Appendix E, the target balance (the initial
// deposit of a new account), the low point, and the surplus, shortage or
// deficiency of the current balance with the dispositions the rule allows.
//
// [Analyze] is a pure function of an [Analysis]:
//
//   - Step 1 (initial trial balance): start from zero at the end of the month
//     before the first payment; each month add the monthly payment (1/12 of
//     the annual disbursements) and subtract that month's bills.
//   - Step 2: raise every balance by the absolute value of the lowest one, so
//     the lowest balance is zero.
//   - Step 3: raise every balance by the cushion (at most 1/6 of the annual
//     disbursements, §1024.17(c)(1)), so the lowest balance equals the
//     cushion. The opening step-3 balance is the target balance.
//
// [Aggregate] analysis, which §1024.17(d)(2) requires, runs these steps over
// all bills together (Appendix E part I: $130 a month, target $1,040, low
// point $260 in December). [SingleItem] analysis runs them per item and adds
// the results (Appendix E part II), which, rounding aside, never needs less money
// than aggregate analysis.
//
// # Representation
//
// Amounts are [money.Amount] values in Analysis.Currency. Months are calendar
// months ([time.Month]); the computation year is the twelve months starting
// at Analysis.FirstPaymentMonth, and every trial balance has [Rows] rows, the
// first being the opening balance. The cushion is an exact [Fraction] (1/6,
// not 0.1667).
//
// # Rounding
//
// Two amounts are rounded, each once: the monthly payment, annual / 12
// rounded to the minor unit with the declared Analysis.Rounding, and the
// cushion, annual × Cushion rounded down (money.Floor) so it can never exceed
// the 1/6 cap. Everything else is exact integer addition of minor units.
// In single-item analysis each item is rounded on its own and the account
// figures are the sums.
//
// # Errors
//
// Bad input returns an error wrapping [ErrInvalidAnalysis] that joins one
// *field.Error per bad field (paths like "Analysis.Disbursements[2].Month");
// a cushion above 1/6 is [ErrCushionAboveCap], which also matches
// field.ErrOutOfRange. A broken internal invariant (a bug) returns
// [ErrInvariant] with the numbers. Nothing panics.
//
// # Determinism
//
// No clock, I/O, goroutines, floats or mutable globals. Single-item results
// list items in the order they first appear in the input, never in map order.
package escrow
