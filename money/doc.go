// Package money holds exact amounts of money bound to a currency, and the one
// rounding function that every other package uses to turn an intermediate
// quantity into money.
//
// # Representation
//
// An [Amount] is an integer count of the currency's minor units (cents for USD,
// yen for JPY, fils for BHD) plus its [Currency]. It is an immutable value:
// pass it by value, not by pointer, and compare with [Amount.Equal] or
// [Amount.Cmp]. Addition and subtraction are exact integer arithmetic and never
// allocate. Amounts are bounded by [MaxMinor] minor units so that sums of many
// amounts cannot overflow; constructors reject anything larger.
//
// Intermediate quantities (interest before it is billed, a share of a fee) are
// shopspring decimals or exact integer ratios; the only way back to an Amount
// is a named rounding step: [Round] for decimals and [Amount.MulDiv] for exact
// ratios.
//
// # Currencies
//
// An amount's text form carries its code ("USD 1234.50"): JSON, text and
// SQL (Value) write it, so an amount reads back into a zero Amount without
// context, and a bare "1234.50" reads only into an Amount that carries its
// currency already. An SQL integer column is minor units of the receiver's
// currency. Combining two non-zero amounts of different currencies panics
// with an error wrapping [ErrCurrencyMismatch]: that is a programming error
// (amounts are checked where they come in, [CheckSame]), never a number.
//
// # Rounding
//
// [RoundingMode] names each mode. The zero value "" is invalid on purpose: a
// financial rounding rule must be chosen at the call site. One decision
// function implements every mode, for both the decimal and the integer paths,
// so they can never disagree.
//
// # Errors
//
// Parsing and rounding return errors wrapping [ErrInvalidAmount],
// [ErrCurrencyMismatch], [ErrUnknownCurrency], [ErrInvalidRounding] or
// [ErrOverflow]; nothing in this package panics on bad input except the Must
// constructors, meant for literals in tests and package variables, and the
// arithmetic of two currencies (see Currencies).
//
// # Determinism
//
// No globals are read or written (shopspring's DivisionPrecision is never
// relied on: every division names its precision), no clock, no floats.
package money
