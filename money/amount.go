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
//
// Mixing two different currencies can never silently give a number: Add,
// Sub, Cmp, LessThan, GreaterThan, Min and Max panic with an error wrapping
// [ErrCurrencyMismatch] when both operands are non-zero and carry different
// currencies (a zero amount is nothing in any currency and takes the
// other's).
// That is a programming error, like an index out of range: the library
// checks every amount's currency where it comes in (one currency per loan),
// and its engine turns a panic into an error before anything is written.
// Check amounts from outside with [Amount.SameCurrency] or [CheckSame].
// Equal reports false for amounts of different currencies.
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

// pick returns the currency of a result of x and y: the one they share,
// or that of the operand that has one; a zero operand (nothing, in any
// currency) defers to the other. Two non-zero amounts of different
// currencies panic.
func pick(x, y Amount) uint16 {
	a, b := x.ci, y.ci
	switch {
	case a == b || b == 0:
		return a
	case a == 0:
		return b
	case y.minor == 0:
		return a
	case x.minor == 0:
		return b
	}
	panic(fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, table[a].Code, table[b].Code))
}

// CheckSame returns an error wrapping ErrCurrencyMismatch when a and b
// carry different currencies (a zero Amount without currency matches any),
// and nil otherwise: the check to make before combining amounts that came
// from outside.
func CheckSame(a, b Amount) error {
	if a.ci != b.ci && a.ci != 0 && b.ci != 0 {
		return fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, a.Format(), b.Format())
	}
	return nil
}

// Add returns a + b. See the type's doc on currencies.
func (a Amount) Add(b Amount) Amount {
	return Amount{minor: a.minor + b.minor, ci: pick(a, b)}
}

// Sub returns a − b.
func (a Amount) Sub(b Amount) Amount {
	return Amount{minor: a.minor - b.minor, ci: pick(a, b)}
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
// It panics for two different currencies (see the type's doc).
func (a Amount) Cmp(b Amount) int {
	pick(a, b)
	switch {
	case a.minor < b.minor:
		return -1
	case a.minor > b.minor:
		return 1
	}
	return 0
}

// Equal reports whether a and b have the same value in the same currency
// (zero equals zero in any currency); non-zero amounts of different
// currencies are not equal.
func (a Amount) Equal(b Amount) bool {
	return a.minor == b.minor && (a.ci == b.ci || a.ci == 0 || b.ci == 0 || a.minor == 0)
}

// LessThan reports a < b; it panics for two different currencies.
func (a Amount) LessThan(b Amount) bool {
	pick(a, b)
	return a.minor < b.minor
}

// GreaterThan reports a > b; it panics for two different currencies.
func (a Amount) GreaterThan(b Amount) bool {
	pick(a, b)
	return a.minor > b.minor
}

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

// Min returns the smaller of a and b; it panics for two different
// currencies.
func Min(a, b Amount) Amount {
	pick(a, b)
	if b.minor < a.minor {
		return b
	}
	return a
}

// Max returns the larger of a and b; it panics for two different
// currencies.
func Max(a, b Amount) Amount {
	pick(a, b)
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

// MarshalText writes the amount with its code, as Format does ("USD
// 1234.50"), or "0" for the zero Amount without currency: the one spelling
// of an amount in JSON, text and SQL, which reads back without context.
func (a Amount) MarshalText() ([]byte, error) { return a.appendFormat(nil), nil }

// AppendText appends MarshalText's spelling of the amount to b
// (encoding.TextAppender): the same bytes, without allocating.
func (a Amount) AppendText(b []byte) ([]byte, error) { return a.appendFormat(b), nil }

func (a Amount) appendFormat(b []byte) []byte {
	if a.ci == 0 {
		return a.appendText(b)
	}
	b = append(b, table[a.ci].Code...)
	b = append(b, ' ')
	return a.appendText(b)
}

// UnmarshalText reads "CODE 1234.56" (any known currency) or a plain
// "1234.56". A plain number needs the receiver to carry its currency
// already (set it with Zero(cur) before decoding), except zero, which reads
// as the zero Amount without currency into a receiver without one.
// Reading a bare non-zero number into a currency-less Amount, or a code
// other than the one the receiver carries, is an error rather than a guess.
func (a *Amount) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	cur := table[a.ci]
	if code, num, ok := strings.Cut(s, " "); ok {
		c, err := CurrencyOf(code)
		if err != nil {
			return err
		}
		if a.ci != 0 && c != cur {
			return fmt.Errorf("%w: %q read into an amount of %s", ErrCurrencyMismatch, s, cur.Code)
		}
		cur, s = c, strings.TrimSpace(num)
	}
	if cur.Code == "" {
		if v, err := Parse(s, JPY); err == nil && v.IsZero() {
			*a = Amount{}
			return nil
		}
		return fmt.Errorf("%w: %q has no currency", ErrInvalidAmount, s)
	}
	v, err := Parse(s, cur)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalJSON writes the amount as a JSON string holding its text form
// (see MarshalText).
func (a Amount) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 30)
	b = append(b, '"')
	b = a.appendFormat(b)
	return append(b, '"'), nil
}

// UnmarshalJSON reads a JSON string (or a bare JSON number, read as text,
// never through a float); see UnmarshalText for the currency rule. null
// leaves the amount unchanged.
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

// Value implements driver.Valuer: the text form with the code ("USD
// 1234.50"), which Scan reads back.
func (a Amount) Value() (driver.Value, error) { return string(a.appendFormat(nil)), nil }

// Scan implements sql.Scanner. Strings and []byte are read as text
// (UnmarshalText's rule); an int64 column holds minor units (12345 is
// 123.45 USD), of the currency the receiver already carries, so scanning
// an integer needs one; nil is zero.
func (a *Amount) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return a.UnmarshalText([]byte(v))
	case []byte:
		return a.UnmarshalText(v)
	case int64:
		if a.ci == 0 {
			return fmt.Errorf("%w: %d minor units scanned into an amount without currency", ErrInvalidAmount, v)
		}
		x, err := New(v, table[a.ci])
		if err != nil {
			return err
		}
		*a = x
		return nil
	case nil:
		*a = Amount{ci: a.ci}
		return nil
	}
	return fmt.Errorf("%w: cannot scan %T", ErrInvalidAmount, src)
}
