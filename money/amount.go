package money

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// MaxMinor bounds the magnitude of an Amount in minor units (10^15: ten
// trillion dollars in cents). Constructors reject larger values, so adding up
// to 9,000 bounded amounts can never overflow int64.
const MaxMinor = 1_000_000_000_000_000

func inRange(v int64) bool { return v <= MaxMinor && v >= -MaxMinor }

// Amount is an exact amount of money: an integer number of minor units of its
// Currency. It is an immutable value; pass it by value.
//
// The zero Amount is zero with no currency. Add and Sub take the currency of
// whichever operand has one, so a zero Amount works as an accumulator.
// Mixing two different currencies is a programming error that the library
// prevents at its boundaries (one currency per loan); use [Amount.SameCurrency]
// to check amounts from outside.
type Amount struct {
	minor int64
	ci    uint16 // index into the currency table; pointer-free so tables of amounts cost the GC nothing
}

// New returns minor units of cur, e.g. New(12345, USD) is 123.45 USD.
func New(minor int64, cur Currency) (Amount, error) {
	if !cur.Valid() {
		return Amount{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, cur.Code)
	}
	if !inRange(minor) {
		return Amount{}, fmt.Errorf("%w: %d minor units", ErrOverflow, minor)
	}
	return Amount{minor: minor, ci: indexOf(cur)}, nil
}

// MustNew is New for literals; it panics on bad input.
func MustNew(minor int64, cur Currency) Amount {
	a, err := New(minor, cur)
	if err != nil {
		panic(err)
	}
	return a
}

// Zero returns zero of cur.
func Zero(cur Currency) Amount { return Amount{ci: indexOf(cur)} }

// Parse reads a plain decimal string ("1234.56", "-0.5", "+7") as an amount of
// cur. It accepts no more decimals than the currency has, except trailing
// zeros ("17.00" for JPY); it never rounds.
func Parse(s string, cur Currency) (Amount, error) {
	if !cur.Valid() {
		return Amount{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, cur.Code)
	}
	minor, err := parseMinor(s, cur.Scale)
	if err != nil {
		return Amount{}, err
	}
	return Amount{minor: minor, ci: indexOf(cur)}, nil
}

// MustParse is Parse for literals; it panics on bad input.
func MustParse(s string, cur Currency) Amount {
	a, err := Parse(s, cur)
	if err != nil {
		panic(err)
	}
	return a
}

func parseMinor(s string, scale int32) (int64, error) {
	bad := func(why string) (int64, error) {
		return 0, fmt.Errorf("%w: %q: %s", ErrInvalidAmount, s, why)
	}
	t := s
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	intPart, frac, _ := strings.Cut(t, ".")
	if intPart == "" && frac == "" {
		return bad("no digits")
	}
	var v uint64
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return bad("not a decimal number")
		}
		v = v*10 + uint64(c-'0')
		if v > MaxMinor {
			return 0, fmt.Errorf("%w: %q", ErrOverflow, s)
		}
	}
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return bad("not a decimal number")
		}
		if int32(i) >= scale {
			if c != '0' {
				return bad(fmt.Sprintf("more than %d decimal places", scale))
			}
			continue
		}
		v = v*10 + uint64(c-'0')
	}
	for i := int32(len(frac)); i < scale; i++ {
		v *= 10
	}
	if v > MaxMinor {
		return 0, fmt.Errorf("%w: %q", ErrOverflow, s)
	}
	if neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

// Minor returns the amount in minor units (cents for USD).
func (a Amount) Minor() int64 { return a.minor }

// Currency returns the amount's currency.
func (a Amount) Currency() Currency { return table[a.ci] }

// Decimal returns the exact value as a decimal in major units.
func (a Amount) Decimal() decimal.Decimal { return decimal.New(a.minor, -table[a.ci].Scale) }

// SameCurrency reports whether a and b carry the same currency.
func (a Amount) SameCurrency(b Amount) bool { return a.ci == b.ci }

func pick(a, b uint16) uint16 {
	if a == 0 {
		return b
	}
	return a
}

// Add returns a + b. See the type's doc on currencies.
func (a Amount) Add(b Amount) Amount {
	return Amount{minor: a.minor + b.minor, ci: pick(a.ci, b.ci)}
}

// Sub returns a − b.
func (a Amount) Sub(b Amount) Amount {
	return Amount{minor: a.minor - b.minor, ci: pick(a.ci, b.ci)}
}

// Neg returns −a.
func (a Amount) Neg() Amount { return Amount{minor: -a.minor, ci: a.ci} }

// Abs returns |a|.
func (a Amount) Abs() Amount {
	if a.minor < 0 {
		return a.Neg()
	}
	return a
}

// Mul returns a·n for a whole number n; it fails when the result exceeds MaxMinor.
func (a Amount) Mul(n int64) (Amount, error) {
	hi, lo, neg := MulRatio(a.minor, n)
	q, ok := DivRound(hi, lo, neg, 1, TowardZero)
	if !ok || !inRange(q) {
		return Amount{}, fmt.Errorf("%w: %s × %d", ErrOverflow, a, n)
	}
	return Amount{minor: q, ci: a.ci}, nil
}

// MulDiv returns a·num/den rounded to the minor unit with mode, computed
// exactly in 128-bit integers without allocation. It is the fast, exact path
// for interest (balance × rate numerator / rate denominator) and shares.
func (a Amount) MulDiv(num, den int64, mode RoundingMode) (Amount, error) {
	if err := mode.Check(); err != nil {
		return Amount{}, err
	}
	if den == 0 {
		return Amount{}, ErrDivisionByZero
	}
	hi, lo, neg := MulRatio(a.minor, num)
	q, ok := DivRound(hi, lo, neg, den, mode)
	if !ok || !inRange(q) {
		return Amount{}, fmt.Errorf("%w: %s × %d / %d", ErrOverflow, a, num, den)
	}
	return Amount{minor: q, ci: a.ci}, nil
}

// Cmp returns −1, 0 or +1 as a is less than, equal to or greater than b.
func (a Amount) Cmp(b Amount) int {
	switch {
	case a.minor < b.minor:
		return -1
	case a.minor > b.minor:
		return 1
	}
	return 0
}

// Equal reports whether a and b have the same value (currencies not compared,
// so a zero Amount equals zero of any currency).
func (a Amount) Equal(b Amount) bool { return a.minor == b.minor }

// LessThan reports a < b.
func (a Amount) LessThan(b Amount) bool { return a.minor < b.minor }

// GreaterThan reports a > b.
func (a Amount) GreaterThan(b Amount) bool { return a.minor > b.minor }

// IsZero reports a == 0.
func (a Amount) IsZero() bool { return a.minor == 0 }

// IsPositive reports a > 0.
func (a Amount) IsPositive() bool { return a.minor > 0 }

// IsNegative reports a < 0.
func (a Amount) IsNegative() bool { return a.minor < 0 }

// Sign returns −1, 0 or +1.
func (a Amount) Sign() int {
	switch {
	case a.minor < 0:
		return -1
	case a.minor > 0:
		return 1
	}
	return 0
}

// Min returns the smaller of a and b.
func Min(a, b Amount) Amount {
	if b.minor < a.minor {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func Max(a, b Amount) Amount {
	if b.minor > a.minor {
		return b
	}
	return a
}

// String returns the plain decimal form with exactly the currency's decimals,
// e.g. "1234.50" or "-0.07"; no code, no grouping.
func (a Amount) String() string {
	return string(a.appendText(make([]byte, 0, 24)))
}

// Format returns the amount with its code, e.g. "USD 1234.50".
func (a Amount) Format() string {
	if a.ci == 0 {
		return a.String()
	}
	return table[a.ci].Code + " " + a.String()
}

func (a Amount) appendText(b []byte) []byte {
	u := abs64(a.minor)
	if a.minor < 0 {
		b = append(b, '-')
	}
	scale := table[a.ci].Scale
	if scale == 0 {
		return strconv.AppendUint(b, u, 10)
	}
	unit := uint64(pow10[scale])
	b = strconv.AppendUint(b, u/unit, 10)
	b = append(b, '.')
	frac := u % unit
	for p := unit / 10; p > 0; p /= 10 {
		b = append(b, byte('0'+frac/p%10))
	}
	return b
}

// MarshalText writes the plain decimal form (see String).
func (a Amount) MarshalText() ([]byte, error) { return a.appendText(nil), nil }

// UnmarshalText reads either "CODE 1234.56" (any known currency) or a plain
// "1234.56", which needs the receiver to carry its currency already (set it
// with Zero(cur) before decoding). Reading a bare number into a currency-less
// Amount is an error rather than a guess.
func (a *Amount) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	cur := table[a.ci]
	if code, num, ok := strings.Cut(s, " "); ok {
		c, err := CurrencyOf(code)
		if err != nil {
			return err
		}
		cur, s = c, strings.TrimSpace(num)
	}
	if cur.Code == "" {
		return fmt.Errorf("%w: %q has no currency", ErrInvalidAmount, s)
	}
	v, err := Parse(s, cur)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalJSON writes the amount as a JSON string holding the plain decimal.
func (a Amount) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 26)
	b = append(b, '"')
	b = a.appendText(b)
	return append(b, '"'), nil
}

// UnmarshalJSON reads a JSON string (or a bare JSON number, read as text,
// never through a float); see UnmarshalText for the currency rule.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return a.UnmarshalText([]byte(s))
}

// Value implements driver.Valuer: the plain decimal string (store the
// currency code in its own column).
func (a Amount) Value() (driver.Value, error) { return a.String(), nil }

// Scan implements sql.Scanner for string, []byte and int64 columns, with the
// currency rule of UnmarshalText.
func (a *Amount) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return a.UnmarshalText([]byte(v))
	case []byte:
		return a.UnmarshalText(v)
	case int64:
		return a.UnmarshalText([]byte(strconv.FormatInt(v, 10)))
	case nil:
		*a = Amount{ci: a.ci}
		return nil
	}
	return fmt.Errorf("%w: cannot scan %T", ErrInvalidAmount, src)
}
