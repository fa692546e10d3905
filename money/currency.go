package money

import (
	"fmt"
	"slices"
	"strings"
)

// Currency is an ISO 4217 currency: its alphabetic code and the number of
// decimal places of its minor unit. Persist the Code; Scale is looked up.
// The zero Currency is invalid.
type Currency struct {
	// Code is the ISO 4217 alphabetic code, e.g. "USD".
	Code string
	// Scale is the number of minor-unit decimal places (USD 2, JPY 0, BHD 3).
	Scale int32
}

// Common currencies.
var (
	USD = Currency{"USD", 2}
	EUR = Currency{"EUR", 2}
	GBP = Currency{"GBP", 2}
	CAD = Currency{"CAD", 2}
	JPY = Currency{"JPY", 0}
	BHD = Currency{"BHD", 3}
	KWD = Currency{"KWD", 3}
)

// currencies is the ISO 4217 minor-unit table (list one, 2024 edition) for the
// codes a servicer is likely to meet. Codes not listed are rejected rather than
// guessed.
var currencies = map[string]int32{
	"AED": 2, "ARS": 2, "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0,
	"CNY": 2, "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2,
	"HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0,
	"KES": 2, "KRW": 0, "KWD": 3, "LYD": 3, "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2,
	"NZD": 2, "OMR": 3, "PEN": 2, "PHP": 2, "PKR": 2, "PLN": 2, "QAR": 2, "RON": 2,
	"RUB": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2,
	"UAH": 2, "UGX": 0, "USD": 2, "VND": 0, "XAF": 0, "XOF": 0, "ZAR": 2,
}

// CurrencyOf returns the currency with the ISO 4217 code (case-insensitive).
func CurrencyOf(code string) (Currency, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	scale, ok := currencies[c]
	if !ok {
		return Currency{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, code)
	}
	return Currency{Code: c, Scale: scale}, nil
}

// MustCurrency is CurrencyOf for literals; it panics on an unknown code.
func MustCurrency(code string) Currency {
	c, err := CurrencyOf(code)
	if err != nil {
		panic(err)
	}
	return c
}

// Valid reports whether c is a known currency with its ISO scale.
func (c Currency) Valid() bool {
	s, ok := currencies[c.Code]
	return ok && s == c.Scale
}

// String returns the code.
func (c Currency) String() string { return c.Code }

// table lists every known currency at a fixed index (0 is "no currency");
// index maps a code to its place, by its three letters (a perfect hash: no
// map lookup on the hot path of Zero and New). Both are built once at
// package initialisation and never change.
var table, index = buildTable()

func buildTable() ([]Currency, *[26 * 26 * 26]uint16) {
	codes := make([]string, 0, len(currencies))
	for c := range currencies {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	t := make([]Currency, 1, len(codes)+1)
	m := new([26 * 26 * 26]uint16)
	for _, c := range codes {
		k, ok := codeKey(c)
		if !ok {
			panic("money: currency code " + c + " is not three letters A-Z")
		}
		m[k] = uint16(len(t))
		t = append(t, Currency{Code: c, Scale: currencies[c]})
	}
	return t, m
}

// codeKey is the place of a three-letter code A–Z in index.
func codeKey(code string) (int, bool) {
	if len(code) != 3 {
		return 0, false
	}
	k := 0
	for i := range 3 {
		c := code[i]
		if c < 'A' || c > 'Z' {
			return 0, false
		}
		k = k*26 + int(c-'A')
	}
	return k, true
}

// indexOf returns c's table index; 0 for the zero or an unknown currency.
func indexOf(c Currency) uint16 {
	k, ok := codeKey(c.Code)
	if !ok {
		return 0
	}
	return index[k]
}

// unit returns 10^Scale.
func (c Currency) unit() int64 { return pow10[c.Scale] }

var pow10 = [...]int64{1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
	100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000, 1_000_000_000_000,
	10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
	10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000}
