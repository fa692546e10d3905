package money

import "math/bits"

// Scaler multiplies amounts by one fixed ratio num/den and rounds with one
// fixed mode: Apply(a) returns exactly what a.MulDiv(num, den, mode) returns,
// result and error, for every a. It is for loops that apply one ratio to
// many amounts (an amortization table's interest, row after row): the mode
// is decoded and the divisor's reciprocal computed once in NewScaler, so
// when |a·num| fits in 64 bits Apply divides with two multiplications
// instead of a hardware division. Every other case (a 128-bit product, an
// overflow) goes through MulDiv itself. FuzzScalerMatchesMulDiv holds the
// two paths equal.
//
// The zero Scaler is not usable; build one with NewScaler.
type Scaler struct {
	num, den int64
	mode     RoundingMode
	unum     uint64 // |num|
	ud       uint64 // |den|
	recip    uint64 // ⌊(2^64−1)/ud⌋
	neg      bool   // num and den have opposite signs
	kind     uint8  // mode decoded (kindTowardZero …)
}

// The rounding modes decoded for Scaler.
const (
	kindTowardZero uint8 = iota
	kindAwayFromZero
	kindFloor
	kindCeiling
	kindHalfAway
	kindHalfEven
)

// NewScaler returns the Scaler of num/den rounded with mode. It fails as
// MulDiv would for every amount: with an error wrapping ErrInvalidRounding
// for an invalid mode, or ErrDivisionByZero when den is zero.
func NewScaler(num, den int64, mode RoundingMode) (Scaler, error) {
	if err := mode.Check(); err != nil {
		return Scaler{}, err
	}
	if den == 0 {
		return Scaler{}, ErrDivisionByZero
	}
	s := Scaler{num: num, den: den, mode: mode, unum: abs64(num), ud: abs64(den), neg: (num < 0) != (den < 0)}
	s.recip = ^uint64(0) / s.ud
	switch mode {
	case AwayFromZero:
		s.kind = kindAwayFromZero
	case Floor:
		s.kind = kindFloor
	case Ceiling:
		s.kind = kindCeiling
	case HalfAwayFromZero:
		s.kind = kindHalfAway
	case HalfEven:
		s.kind = kindHalfEven
	}
	return s, nil
}

// Apply returns a·num/den rounded to the minor unit with the Scaler's
// mode: a.MulDiv(num, den, mode), result and error.
func (s Scaler) Apply(a Amount) (Amount, error) {
	hi, n := bits.Mul64(abs64(a.minor), s.unum)
	if hi != 0 || s.ud == 0 {
		return a.MulDiv(s.num, s.den, s.mode)
	}
	// recip ≥ 2^64/ud − 1, so n·recip/2^64 > n/ud − 1 (n < 2^64): the
	// estimate is the quotient or one less, and one correction makes it
	// exact.
	q, _ := bits.Mul64(n, s.recip)
	r := n - q*s.ud
	if r >= s.ud {
		q++
		r -= s.ud
	}
	neg := (a.minor < 0) != s.neg
	if r != 0 {
		var up bool
		switch rest := s.ud - r; s.kind {
		case kindAwayFromZero:
			up = true
		case kindFloor:
			up = neg
		case kindCeiling:
			up = !neg
		case kindHalfAway:
			up = r >= rest
		case kindHalfEven:
			up = r > rest || r == rest && q&1 == 1
		}
		if up {
			q++
		}
	}
	if q > MaxMinor {
		return a.MulDiv(s.num, s.den, s.mode) // the overflow error
	}
	if neg {
		return Amount{minor: -int64(q), ci: a.ci}, nil
	}
	return Amount{minor: int64(q), ci: a.ci}, nil
}
