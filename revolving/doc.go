// Package revolving computes the billing cycles of open-end credit (a line
// of credit, a HELOC): from a cycle's opening balance and its dated
// activity — draws, payments, credits, fees — the finance charge, the new
// balance, the minimum payment and its due date, with the figures a
// periodic statement shows under Regulation Z §1026.7 (previous balance,
// payments, other credits, draws, fees, interest charged, new balance, the
// balance subject to interest, the periodic rate and the APR it
// corresponds to, the minimum payment due and the payment due date).
//
// A cycle is the half-open span [Start, End): End is the statement
// (closing) date, and activity dated on it belongs to the next cycle.
// The finance charge is accrual's interest on the interest-bearing balance
// (draws less payments and credits to principal; fees are owed but bear
// none):
//
//   - [DailyBalance]: each day's balance × the annual rate × the day's year
//     fraction under the terms' day count, summed exactly and rounded once
//     (accrual.Timeline, rounding at posting) — 12 CFR 1026.7(b)(5)'s
//     daily balance method;
//   - [AverageDailyBalance]: the average of the daily balances, rounded to
//     the cent, × the annual rate × the cycle's year fraction, rounded
//     (accrual.SimpleInterest).
//
// [Terms] are a billing cycle's terms — the APR, the day count, the finance
// charge method, the rounding, the minimum payment and the due date's
// distance — the part of a line's contract a cycle needs (loan.LineTerms
// and loan.Terms hold the whole contract).
//
// The minimum payment is a share of the new interest-bearing balance plus
// the cycle's interest and the fees owed, at least a floor, at most the
// new balance. The package is pure: it reads no clock and does no I/O.
package revolving
