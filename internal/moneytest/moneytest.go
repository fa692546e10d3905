// Package moneytest has test helpers that compare money and decimals by value
// and print them at a fixed scale, so tests never compare representations
// (1.0 and 1.00 are equal; decimal.Zero and NewFromInt(0) are equal).
package moneytest

import (
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/shopspring/decimal"
)

// Equal fails the test unless got equals want, where want is a decimal string
// ("1264.14") or a money.Amount.
func Equal(t testing.TB, want any, got money.Amount, msgAndArgs ...any) {
	t.Helper()
	var w money.Amount
	switch v := want.(type) {
	case string:
		cur := got.Currency()
		if cur.Code == "" {
			cur = money.USD
		}
		var err error
		if w, err = money.Parse(v, cur); err != nil {
			t.Fatalf("moneytest.Equal: bad want %q: %v", v, err)
		}
	case money.Amount:
		w = v
	default:
		t.Fatalf("moneytest.Equal: want must be string or money.Amount, got %T", want)
	}
	if !got.Equal(w) {
		t.Errorf("got %s, want %s %v", got, w, msgAndArgs)
	}
}

// DecimalEqual fails the test unless got equals want numerically.
func DecimalEqual(t testing.TB, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	w, err := decimal.NewFromString(want)
	if err != nil {
		t.Fatalf("moneytest.DecimalEqual: bad want %q: %v", want, err)
	}
	if !got.Equal(w) {
		t.Errorf("got %s, want %s %v", got.String(), w.String(), msgAndArgs)
	}
}

// USD parses a USD literal, failing the test on bad input.
func USD(t testing.TB, s string) money.Amount {
	t.Helper()
	a, err := money.Parse(s, money.USD)
	if err != nil {
		t.Fatalf("moneytest.USD(%q): %v", s, err)
	}
	return a
}

// Percent parses a percentage literal such as "6.5", failing the test on bad input.
func Percent(t testing.TB, s string) rate.Rate {
	t.Helper()
	r, err := rate.Percent(s)
	if err != nil {
		t.Fatalf("moneytest.Percent(%q): %v", s, err)
	}
	return r
}
