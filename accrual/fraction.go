package accrual

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/lendcore/servicing/money"
	"github.com/shopspring/decimal"
)

// Fraction is an exact year fraction Num/Den, reduced to lowest terms with
// Den > 0. Every day count of this package yields one without loss: 30/360
// gives n/360 reduced, Act/Act (ISDA) sums like 170/365 + 14/366 give a
// single reduced fraction. Values beyond int64 are refused with ErrOverflow
// rather than approximated; [Fraction.Rat] gives the value as a *big.Rat for
// arbitrary-precision work. The zero Fraction (0/0) is invalid; use
// [ZeroFraction] for zero.
type Fraction struct {
	Num int64
	Den int64
}

// ZeroFraction is the year fraction 0/1.
var ZeroFraction = Fraction{Num: 0, Den: 1}

// NewFraction returns num/den reduced; it fails when den is zero.
func NewFraction(num, den int64) (Fraction, error) {
	if den == 0 {
		return Fraction{}, fmt.Errorf("%w: fraction denominator 0", ErrInvalidInput)
	}
	if den < 0 {
		if num == minInt64 || den == minInt64 {
			return Fraction{}, fmt.Errorf("%w: %d/%d", ErrOverflow, num, den)
		}
		num, den = -num, -den
	}
	return reduce(num, den), nil
}

const (
	minInt64 = -1 << 63
	maxInt64 = 1<<63 - 1
)

// reduce divides num and den (den > 0) by their greatest common divisor.
func reduce(num, den int64) Fraction {
	g := gcd(abs(num), den)
	if g > 1 {
		num, den = num/g, den/g
	}
	return Fraction{Num: num, Den: den}
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	if a == 0 {
		return 1
	}
	return a
}

// Valid reports whether f has a positive denominator.
func (f Fraction) Valid() bool { return f.Den > 0 }

// IsZero reports whether f is zero.
func (f Fraction) IsZero() bool { return f.Num == 0 }

// Rat returns f as a new *big.Rat (nil-safe: an invalid Fraction gives 0).
func (f Fraction) Rat() *big.Rat {
	if f.Den <= 0 {
		return new(big.Rat)
	}
	return big.NewRat(f.Num, f.Den)
}

// String returns "Num/Den", e.g. "180/360" reduced as "1/2".
func (f Fraction) String() string {
	return strconv.FormatInt(f.Num, 10) + "/" + strconv.FormatInt(f.Den, 10)
}

// Cmp returns −1, 0 or +1 as f is below, equal to or above g (both valid).
func (f Fraction) Cmp(g Fraction) int {
	return f.Rat().Cmp(g.Rat())
}

// Add returns f + g reduced; it fails with ErrOverflow when the exact sum
// does not fit int64 terms.
func (f Fraction) Add(g Fraction) (Fraction, error) {
	if f.Den == g.Den {
		n := f.Num + g.Num
		if (f.Num >= 0) == (g.Num >= 0) && (n >= 0) != (f.Num >= 0) {
			return fromRat(new(big.Rat).Add(f.Rat(), g.Rat()))
		}
		return reduce(n, f.Den), nil
	}
	return fromRat(new(big.Rat).Add(f.Rat(), g.Rat()))
}

// fromRat converts r to a Fraction, failing when a term exceeds int64.
func fromRat(r *big.Rat) (Fraction, error) {
	if !r.Num().IsInt64() || !r.Denom().IsInt64() {
		return Fraction{}, fmt.Errorf("%w: year fraction %s", ErrOverflow, r.RatString())
	}
	return Fraction{Num: r.Num().Int64(), Den: r.Denom().Int64()}, nil
}

// Decimal returns f rounded to places decimal places (0..18) with mode, the
// way to print or store a year fraction at a documented precision. It is
// exact: one rounding of the true quotient, computed in 128-bit integers.
func (f Fraction) Decimal(places int32, mode money.RoundingMode) (decimal.Decimal, error) {
	if f.Den <= 0 || places < 0 || places > 18 {
		return decimal.Decimal{}, fmt.Errorf("%w: fraction %s to %d places", ErrInvalidInput, f, places)
	}
	if err := mode.Check(); err != nil {
		return decimal.Decimal{}, err
	}
	scale := int64(1)
	for range places {
		scale *= 10
	}
	hi, lo, neg := money.MulRatio(f.Num, scale)
	q, ok := money.DivRound(hi, lo, neg, f.Den, mode)
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("%w: fraction %s to %d places", ErrOverflow, f, places)
	}
	return decimal.New(q, -places), nil
}
