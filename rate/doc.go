// Package rate holds annual interest rates as exact decimal fractions.
//
// # Representation
//
// A [Rate] is an annual nominal rate stored as an integer count of 10^-12
// (one trillionth) of the fraction: 6.5 % is 0.065, held as 65,000,000,000.
// Twelve decimals of fraction (ten of percent) cover every published index and
// contract rate; a value with more digits is refused, never silently
// rounded — round it explicitly with [FromFractionRounded]. Rates compare
// with ==, and copying one never allocates.
//
// # Text
//
// The text form always carries its unit: "6.5%" or "650bp". Parsing a bare
// "6.5" is an error, so 6.5 % and 0.065 can never be confused and a loan can
// never be charged 100 times its rate by a typo in a config file.
//
// # Factors
//
// [Rate.Ratio] gives the rate as an exact integer ratio for exact interest
// (see money.Amount.MulDiv). [Rate.Periodic] and [Rate.Daily] give decimal
// factors rounded half-even to [FactorPlaces] decimal places, the documented
// internal precision; none of this ever goes through float.
//
// # Errors
//
// Constructors return errors wrapping [ErrInvalidRate], [ErrNoUnit] or
// [ErrPrecision].
package rate
