package money

import "errors"

// Errors returned by this package. Test them with errors.Is.
var (
	// ErrInvalidAmount means a text or decimal could not be read as an amount
	// of the currency (bad syntax, or more decimals than the currency has).
	ErrInvalidAmount = errors.New("money: invalid amount")
	// ErrCurrencyMismatch means two amounts of different currencies met.
	ErrCurrencyMismatch = errors.New("money: currency mismatch")
	// ErrUnknownCurrency means the ISO 4217 code is not in the table.
	ErrUnknownCurrency = errors.New("money: unknown currency")
	// ErrInvalidRounding means the rounding mode is empty or unknown.
	ErrInvalidRounding = errors.New("money: invalid rounding mode")
	// ErrOverflow means a result would exceed MaxMinor minor units.
	ErrOverflow = errors.New("money: amount out of range")
	// ErrDivisionByZero means a ratio had a zero denominator or weights summed to zero.
	ErrDivisionByZero = errors.New("money: division by zero")
)
