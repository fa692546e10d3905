package money

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// RoundingMode names how a value between two representable ones is resolved.
// The zero value "" is invalid: every rounding in a financial computation must
// be declared. The string values are stable and meant for JSON and configs.
type RoundingMode string

// Rounding modes. Examples are rounding to whole units.
const (
	// HalfEven rounds to the nearest, ties to the even neighbour (banker's):
	// 2.5 → 2, 3.5 → 4, −2.5 → −2.
	HalfEven RoundingMode = "half_even"
	// HalfAwayFromZero rounds to the nearest, ties away from zero ("half up"
	// in most lending documents): 2.5 → 3, −2.5 → −3.
	HalfAwayFromZero RoundingMode = "half_away_from_zero"
	// HalfUp is another name for HalfAwayFromZero, the usual reading of
	// "rounded half up to the cent" in notes and servicing guides.
	HalfUp = HalfAwayFromZero
	// TowardZero truncates: 2.9 → 2, −2.9 → −2.
	TowardZero RoundingMode = "toward_zero"
	// AwayFromZero rounds any fraction up in magnitude: 2.1 → 3, −2.1 → −3.
	AwayFromZero RoundingMode = "away_from_zero"
	// Floor rounds toward negative infinity: 2.9 → 2, −2.1 → −3.
	Floor RoundingMode = "floor"
	// Ceiling rounds toward positive infinity: 2.1 → 3, −2.9 → −2.
	Ceiling RoundingMode = "ceiling"
)

// Valid reports whether m is one of the named modes.
func (m RoundingMode) Valid() bool {
	switch m {
	case HalfEven, HalfAwayFromZero, TowardZero, AwayFromZero, Floor, Ceiling:
		return true
	}
	return false
}

// Check returns an error wrapping ErrInvalidRounding when m is not valid;
// its text lists the accepted names.
func (m RoundingMode) Check() error {
	if !m.Valid() {
		return fmt.Errorf("%w: %q (%s)", ErrInvalidRounding, string(m), RoundingChoices())
	}
	return nil
}

// String returns the mode's wire name.
func (m RoundingMode) String() string { return string(m) }

// RoundingModes returns the valid modes in a fixed order, for help texts and
// exhaustive tests.
func RoundingModes() []RoundingMode {
	return []RoundingMode{HalfEven, HalfAwayFromZero, TowardZero, AwayFromZero, Floor, Ceiling}
}

// RoundingChoices describes the accepted names for an error's detail, so a
// host that wrote a wrong one sees what would have worked.
func RoundingChoices() string {
	return "one of half_even, half_away_from_zero (or half_up), toward_zero, away_from_zero, floor, ceiling"
}

// roundingAliases maps the other spellings users write, once folded by
// foldRoundingName, to the canonical mode. They follow the names of
// java.math.RoundingMode (UP, DOWN, HALF_UP, HALF_EVEN, CEILING, FLOOR) and
// Python's decimal module (ROUND_HALF_UP, ...; the prefix is dropped), where
// HALF_UP rounds ties away from zero and DOWN truncates. HALF_DOWN (ties
// toward zero) is not a mode here and stays unknown.
var roundingAliases = map[string]RoundingMode{
	"half_up": HalfAwayFromZero, "half_away": HalfAwayFromZero, "half_even": HalfEven,
	"bankers": HalfEven, "banker_s": HalfEven, "half_to_even": HalfEven,
	"down": TowardZero, "truncate": TowardZero, "up": AwayFromZero,
}

// ParseRoundingMode reads a rounding mode as users write it: the wire names
// (half_even, half_away_from_zero, toward_zero, away_from_zero, floor,
// ceiling), their Go constant names (HalfUp, HalfEven, TowardZero, ...),
// kebab, space or upper case (half-up, HALF_UP, "half up"), and the Java and
// Python names (HALF_UP, ROUND_HALF_EVEN, DOWN, UP). It returns the canonical
// mode, or an error wrapping ErrInvalidRounding that lists the accepted
// names.
func ParseRoundingMode(s string) (RoundingMode, error) {
	m := canonicalRounding(s)
	if err := m.Check(); err != nil {
		return "", err
	}
	return m, nil
}

// canonicalRounding maps an accepted spelling to its mode and returns any
// other text unchanged, so validation can report it with its field path.
func canonicalRounding(s string) RoundingMode {
	if m := RoundingMode(s); m.Valid() || s == "" {
		return m
	}
	f := foldRoundingName(s)
	if m := RoundingMode(f); m.Valid() {
		return m
	}
	if m, ok := roundingAliases[f]; ok {
		return m
	}
	return RoundingMode(s)
}

// foldRoundingName lowers s to snake case: "HalfUp", "half-up", "HALF UP"
// and "ROUND_HALF_UP" all become "half_up".
func foldRoundingName(s string) string {
	b := make([]byte, 0, len(s)+4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if i > 0 && s[i-1] >= 'a' && s[i-1] <= 'z' {
				b = append(b, '_')
			}
			b = append(b, c+'a'-'A')
		case c == '-' || c == ' ' || c == '\'':
			b = append(b, '_')
		default:
			b = append(b, c)
		}
	}
	f := string(b)
	if len(f) > len("round_") && f[:len("round_")] == "round_" {
		f = f[len("round_"):]
	}
	return f
}

// UnmarshalText reads any spelling ParseRoundingMode accepts as its
// canonical mode, so "half_up" in a JSON payload means HalfUp. Text it does
// not know is kept as written and never fails here: the validation of the
// value that holds it names the field and lists the accepted names.
func (m *RoundingMode) UnmarshalText(b []byte) error {
	*m = canonicalRounding(string(b))
	return nil
}

// roundUp is the single rounding decision used by every path in the library.
// Given a quotient truncated toward zero, it says whether its magnitude must
// grow by one unit. half is the sign of (2·remainder − divisor): −1 below the
// midpoint, 0 exactly on it, +1 above; inexact says the remainder is non-zero;
// odd is the parity of the truncated magnitude; neg is the sign of the exact
// value.
func roundUp(mode RoundingMode, neg, inexact, odd bool, half int) bool {
	if !inexact {
		return false
	}
	switch mode {
	case TowardZero:
		return false
	case AwayFromZero:
		return true
	case Floor:
		return neg
	case Ceiling:
		return !neg
	case HalfAwayFromZero:
		return half >= 0
	case HalfEven:
		return half > 0 || (half == 0 && odd)
	}
	return false
}

// RoundDecimal rounds d to places decimal places with mode. It is the decimal
// form of the library's one rounding rule; use it for intermediate quantities
// (rates, factors) and [Round] to make money.
func RoundDecimal(d decimal.Decimal, places int32, mode RoundingMode) (decimal.Decimal, error) {
	if err := mode.Check(); err != nil {
		return decimal.Decimal{}, err
	}
	q, exact := roundCoefficient(d, places, mode)
	if exact {
		return d, nil
	}
	return decimal.NewFromBigInt(q, -places), nil
}

// roundCoefficient returns d·10^places rounded to an integer; exact reports
// that d already had at most places decimals (q is then nil).
func roundCoefficient(d decimal.Decimal, places int32, mode RoundingMode) (q *big.Int, exact bool) {
	exp := d.Exponent()
	if exp >= -places {
		return nil, true
	}
	coef := d.Coefficient()
	neg := coef.Sign() < 0
	coef.Abs(coef)
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-places-exp)), nil)
	q, r := new(big.Int).QuoRem(coef, div, new(big.Int))
	twice := r.Lsh(r, 1)
	half := twice.Cmp(div)
	if roundUp(mode, neg, twice.Sign() != 0, q.Bit(0) == 1, half) {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q, false
}

// Round is the only way from an intermediate decimal to money: it rounds d to
// the currency's minor unit with mode. It fails on an invalid mode or
// currency, or when the result exceeds MaxMinor.
func Round(d decimal.Decimal, cur Currency, mode RoundingMode) (Amount, error) {
	if err := mode.Check(); err != nil {
		return Amount{}, err
	}
	if !cur.Valid() {
		return Amount{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, cur.Code)
	}
	q, exact := roundCoefficient(d, cur.Scale, mode)
	if exact {
		q = d.Shift(cur.Scale).BigInt()
	}
	if !q.IsInt64() || !inRange(q.Int64()) {
		return Amount{}, fmt.Errorf("%w: %s", ErrOverflow, d.String())
	}
	return Amount{minor: q.Int64(), ci: indexOf(cur)}, nil
}

// RoundRat rounds the exact rational r to the currency's minor unit with mode.
func RoundRat(r *big.Rat, cur Currency, mode RoundingMode) (Amount, error) {
	if err := mode.Check(); err != nil {
		return Amount{}, err
	}
	if !cur.Valid() {
		return Amount{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, cur.Code)
	}
	num := new(big.Int).Mul(r.Num(), big.NewInt(cur.unit()))
	q, ok := divRoundBig(num, r.Denom(), mode)
	if !ok || !q.IsInt64() || !inRange(q.Int64()) {
		return Amount{}, fmt.Errorf("%w: %s", ErrOverflow, r.RatString())
	}
	return Amount{minor: q.Int64(), ci: indexOf(cur)}, nil
}

// divRoundBig returns num/den rounded with mode (den > 0 after sign fixing).
func divRoundBig(num, den *big.Int, mode RoundingMode) (*big.Int, bool) {
	if den.Sign() == 0 {
		return nil, false
	}
	n := new(big.Int).Set(num)
	d := new(big.Int).Set(den)
	if d.Sign() < 0 {
		n.Neg(n)
		d.Neg(d)
	}
	neg := n.Sign() < 0
	n.Abs(n)
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	twice := r.Lsh(r, 1)
	if roundUp(mode, neg, twice.Sign() != 0, q.Bit(0) == 1, twice.Cmp(d)) {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q, true
}

// DivRound returns num/den rounded to an integer with mode, using 128-bit
// intermediate arithmetic so it never allocates. ok is false when den is zero
// or the quotient does not fit in an int64.
func DivRound(hiNum, loNum uint64, negNum bool, den int64, mode RoundingMode) (q int64, ok bool) {
	if den == 0 {
		return 0, false
	}
	neg := negNum
	ud := uint64(den)
	if den < 0 {
		neg = !neg
		ud = uint64(-den)
	}
	if hiNum >= ud {
		return 0, false
	}
	uq, r := divu128(hiNum, loNum, ud)
	half := -1
	if rest := ud - r; r > rest {
		half = 1
	} else if r == rest {
		half = 0
	}
	if roundUp(mode, neg && (uq != 0 || r != 0), r != 0, uq&1 == 1, half) {
		uq++
	}
	if uq > 1<<63-1 {
		return 0, false
	}
	if neg {
		return -int64(uq), true
	}
	return int64(uq), true
}
