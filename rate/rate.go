package rate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lendcore/servicing/money"
	"github.com/shopspring/decimal"
)

// Scale is the number of decimal places of fraction a Rate holds.
const Scale = 12

// Unit is 10^Scale: the Rate units in a fraction of 1 (100 %).
const Unit int64 = 1_000_000_000_000

// maxUnits bounds a rate's magnitude at 10,000 % so exact products with any
// money.Amount fit in 128 bits.
const maxUnits = 100 * Unit

// FactorPlaces is the precision of decimal factors (periodic and daily rates).
const FactorPlaces = 20

// Errors returned by this package.
var (
	// ErrInvalidRate means the text or value is not a rate, or is out of range.
	ErrInvalidRate = errors.New("rate: invalid rate")
	// ErrNoUnit means a rate's text lacks "%" or "bp".
	ErrNoUnit = errors.New("rate: missing unit (write 6.5% or 650bp)")
	// ErrPrecision means a value has more than Scale decimals of fraction.
	ErrPrecision = errors.New("rate: more precision than a Rate holds")
)

// Rate is an annual nominal rate as an exact decimal fraction (see the
// package doc). The zero Rate is 0 %, a valid rate (zero-rate loans exist).
type Rate struct {
	u int64
}

// Zero is 0 %.
var Zero = Rate{}

// Percent reads a percentage such as "6.5" or "6.5%" (the unit is optional
// here because the name says it): Percent("6.5") is 0.065.
func Percent(s string) (Rate, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	return fromDecimalString(s, Scale-2)
}

// MustPercent is Percent for literals; it panics on bad input.
func MustPercent(s string) Rate {
	r, err := Percent(s)
	if err != nil {
		panic(err)
	}
	return r
}

// BasisPoints returns bps hundredths of a percent: BasisPoints(650) is 6.5 %.
func BasisPoints(bps int64) (Rate, error) {
	const perBP = Unit / 10_000
	if bps > maxUnits/perBP || bps < -maxUnits/perBP {
		return Rate{}, fmt.Errorf("%w: %d bp", ErrInvalidRate, bps)
	}
	return Rate{u: bps * perBP}, nil
}

// FromFraction returns the rate whose fraction is d (0.065 for 6.5 %).
func FromFraction(d decimal.Decimal) (Rate, error) {
	if d.Exponent() < -Scale {
		if !d.Equal(d.Truncate(Scale)) {
			return Rate{}, fmt.Errorf("%w: %s", ErrPrecision, d)
		}
		d = d.Truncate(Scale)
	}
	v := d.Shift(Scale)
	if v.Abs().GreaterThan(decimal.NewFromInt(maxUnits)) {
		return Rate{}, fmt.Errorf("%w: %s out of range", ErrInvalidRate, d)
	}
	return Rate{u: v.IntPart()}, nil
}

// FromFractionRounded is FromFraction after rounding d to Scale places with
// mode: the explicit step for computed rates (an index average, an APR).
func FromFractionRounded(d decimal.Decimal, mode money.RoundingMode) (Rate, error) {
	r, err := money.RoundDecimal(d, Scale, mode)
	if err != nil {
		return Rate{}, err
	}
	return FromFraction(r)
}

// FromUnits returns the rate of u trillionths (see Units).
func FromUnits(u int64) (Rate, error) {
	if u > maxUnits || u < -maxUnits {
		return Rate{}, fmt.Errorf("%w: %d units", ErrInvalidRate, u)
	}
	return Rate{u: u}, nil
}

func fromDecimalString(s string, shift int32) (Rate, error) {
	if s == "" {
		return Rate{}, fmt.Errorf("%w: empty", ErrInvalidRate)
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != '.' && c != '-' && c != '+' {
			return Rate{}, fmt.Errorf("%w: %q", ErrInvalidRate, s)
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Rate{}, fmt.Errorf("%w: %q", ErrInvalidRate, s)
	}
	return FromFraction(d.Shift(-(Scale - shift)))
}

// Parse reads the text form: "6.5%", "6.5 %" or "650bp" / "650 bps". A bare
// number is refused with ErrNoUnit.
func Parse(s string) (Rate, error) {
	t := strings.TrimSpace(s)
	switch {
	case strings.HasSuffix(t, "%"):
		return fromDecimalString(strings.TrimSpace(strings.TrimSuffix(t, "%")), Scale-2)
	case strings.HasSuffix(t, "bps"), strings.HasSuffix(t, "bp"):
		t = strings.TrimSuffix(strings.TrimSuffix(t, "s"), "bp")
		return fromDecimalString(strings.TrimSpace(t), Scale-4)
	}
	return Rate{}, fmt.Errorf("%w: %q", ErrNoUnit, s)
}

// MustParse is Parse for literals; it panics on bad input.
func MustParse(s string) Rate {
	r, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return r
}

// Units returns the rate in trillionths of a fraction (6.5 % → 65,000,000,000).
func (r Rate) Units() int64 { return r.u }

// Ratio returns the rate as the exact ratio num/den of a fraction; with
// money.Amount.MulDiv it gives exact interest: b.MulDiv(num, den·12, mode)
// is one month of simple interest at r on b.
func (r Rate) Ratio() (num, den int64) { return r.u, Unit }

// Fraction returns the rate as a decimal fraction (0.065).
func (r Rate) Fraction() decimal.Decimal { return decimal.New(r.u, -Scale) }

// PercentValue returns the rate in percent (6.5).
func (r Rate) PercentValue() decimal.Decimal { return decimal.New(r.u, -(Scale - 2)) }

// Periodic returns r/n, the nominal rate per period for n periods a year,
// rounded half-even to FactorPlaces decimals. n must be positive.
func (r Rate) Periodic(n int) (decimal.Decimal, error) {
	if n <= 0 {
		return decimal.Decimal{}, fmt.Errorf("%w: %d periods a year", ErrInvalidRate, n)
	}
	return r.divide(int64(n))
}

// Daily returns r/daysInYear (the per-diem factor) rounded half-even to
// FactorPlaces decimals. daysInYear must be positive (360, 364, 365, 366).
func (r Rate) Daily(daysInYear int) (decimal.Decimal, error) {
	if daysInYear <= 0 {
		return decimal.Decimal{}, fmt.Errorf("%w: %d days a year", ErrInvalidRate, daysInYear)
	}
	return r.divide(int64(daysInYear))
}

func (r Rate) divide(n int64) (decimal.Decimal, error) {
	// Exact quotient first at two extra places, then one named rounding.
	q := r.Fraction().DivRound(decimal.NewFromInt(n), FactorPlaces+2)
	return money.RoundDecimal(q, FactorPlaces, money.HalfEven)
}

// IsZero reports r == 0 %.
func (r Rate) IsZero() bool { return r.u == 0 }

// IsNegative reports r < 0 %.
func (r Rate) IsNegative() bool { return r.u < 0 }

// Cmp returns −1, 0 or +1 as r is below, equal to or above s.
func (r Rate) Cmp(s Rate) int {
	switch {
	case r.u < s.u:
		return -1
	case r.u > s.u:
		return 1
	}
	return 0
}

// Add returns r + s (a margin over an index); it fails beyond ±10,000 %.
func (r Rate) Add(s Rate) (Rate, error) { return FromUnits(r.u + s.u) }

// Sub returns r − s.
func (r Rate) Sub(s Rate) (Rate, error) { return FromUnits(r.u - s.u) }

// Min returns the lower of r and s.
func Min(r, s Rate) Rate {
	if s.u < r.u {
		return s
	}
	return r
}

// Max returns the higher of r and s.
func Max(r, s Rate) Rate {
	if s.u > r.u {
		return s
	}
	return r
}

// RoundToStep rounds r to a multiple of step with mode, e.g. the nearest
// 0.125 % for an ARM's fully indexed rate. step must be positive.
func (r Rate) RoundToStep(step Rate, mode money.RoundingMode) (Rate, error) {
	if step.u <= 0 {
		return Rate{}, fmt.Errorf("%w: rounding step %s", ErrInvalidRate, step)
	}
	if err := mode.Check(); err != nil {
		return Rate{}, err
	}
	hi, lo, neg := money.MulRatio(r.u, 1)
	q, ok := money.DivRound(hi, lo, neg, step.u, mode)
	if !ok {
		return Rate{}, fmt.Errorf("%w: %s", ErrInvalidRate, r)
	}
	return FromUnits(q * step.u)
}

// String returns the percentage with at least four decimals, more when the
// rate has them: "6.5000%", "5.31234567%".
func (r Rate) String() string { return r.format(4) + "%" }

// format writes the percent value with at least minPlaces decimals.
func (r Rate) format(minPlaces int) string {
	u := r.u
	neg := u < 0
	if neg {
		u = -u
	}
	const perPercent = Unit / 100
	whole := strconv.FormatInt(u/perPercent, 10)
	frac := fmt.Sprintf("%010d", u%perPercent)
	frac = strings.TrimRight(frac, "0")
	for len(frac) < minPlaces {
		frac += "0"
	}
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// MarshalText writes the shortest exact form with its unit: "6.5%".
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.format(0) + "%"), nil }

// UnmarshalText reads the text form (see Parse); a bare number is an error.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
