package accrual

import (
	"fmt"
	"math/big"
	"math/bits"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// SimpleInterest returns balance × r × yf rounded once to the currency's
// minor unit with mode. The product is exact: it runs in 128-bit integers
// without allocation when the terms allow (always, for real loans), and in
// math/big otherwise. Negative balances or rates give negative interest.
// SimpleInterest returns an error wrapping ErrInvalidInput if mode is invalid
// or yf has a non-positive denominator, and ErrOverflow if the result exceeds
// money.MaxMinor.
func SimpleInterest(balance money.Amount, r rate.Rate, yf Fraction, mode money.RoundingMode) (money.Amount, error) {
	if !mode.Valid() || yf.Den <= 0 {
		return money.Amount{}, simpleInterestError(mode, yf)
	}
	num, den := r.Ratio()
	if q, ok := mulMulDiv(balance.Minor(), num, yf.Num, den, yf.Den, mode); ok {
		if q <= money.MaxMinor && q >= -money.MaxMinor {
			return money.New(q, balance.Currency())
		}
		return money.Amount{}, fmt.Errorf("%w: interest on %s at %s × %s", ErrOverflow, balance, r, yf)
	}
	p := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(balance.Minor()), big.NewInt(num)), big.NewInt(den))
	p.Mul(p, yf.Rat())
	p.Quo(p, new(big.Rat).SetInt64(unitOf(balance.Currency())))
	a, err := money.RoundRat(p, balance.Currency(), mode)
	if err != nil {
		return money.Amount{}, fmt.Errorf("%w: interest on %s at %s × %s: %w", ErrOverflow, balance, r, yf, err)
	}
	return a, nil
}

func simpleInterestError(mode money.RoundingMode, yf Fraction) error {
	var l field.List
	if !mode.Valid() {
		l.Add("mode", mode, field.ErrNotSupported, "rounding mode")
	}
	if yf.Den <= 0 {
		l.Add("yf.Den", yf.Den, field.ErrOutOfRange, "must be positive")
	}
	return l.Err(ErrInvalidInput)
}

func unitOf(c money.Currency) int64 {
	u := int64(1)
	for range c.Scale {
		u *= 10
	}
	return u
}

// mulMulDiv returns a·b·c/(d·e) rounded with mode using 128-bit integers; ok
// is false when an intermediate or the result does not fit (the caller then
// uses math/big). d and e are positive.
func mulMulDiv(a, b, c, d, e int64, mode money.RoundingMode) (int64, bool) {
	if d <= 0 || e <= 0 {
		return 0, false
	}
	hd, den := bits.Mul64(uint64(d), uint64(e))
	if hd != 0 || den > maxInt64 {
		// Reduce the rate ratio first (units over 10^12 share factors of 10).
		if g := gcd(abs(b), d); g > 1 {
			b, d = b/g, d/g
		}
		if g := gcd(abs(c), e); g > 1 {
			c, e = c/g, e/g
		}
		hd, den = bits.Mul64(uint64(d), uint64(e))
		if hd != 0 || den > maxInt64 {
			return 0, false
		}
	}
	hi, lo, neg := money.MulRatio(a, b)
	uc := uint64(abs(c))
	if c == minInt64 {
		return 0, false
	}
	h1, l1 := bits.Mul64(lo, uc)
	h2, l2 := bits.Mul64(hi, uc)
	if h2 != 0 {
		return 0, false
	}
	top, carry := bits.Add64(h1, l2, 0)
	if carry != 0 {
		return 0, false
	}
	if c < 0 {
		neg = !neg
	}
	if top|l1 == 0 {
		neg = false
	}
	return money.DivRound(top, l1, neg, int64(den), mode)
}

// PerDiem returns one day's interest on balance at r over a daysInYear-day
// year (360, 364, 365 or 366), rounded once with mode: balance × r /
// daysInYear. Take daysInYear from [DayCount.DaysInYear], which knows it for
// every convention. It returns an error wrapping ErrInvalidInput if
// daysInYear is not positive or mode is invalid.
func PerDiem(balance money.Amount, r rate.Rate, daysInYear int, mode money.RoundingMode) (money.Amount, error) {
	if daysInYear <= 0 {
		var l field.List
		l.Add("daysInYear", daysInYear, field.ErrOutOfRange, "must be positive")
		return money.Amount{}, l.Err(ErrInvalidInput)
	}
	return SimpleInterest(balance, r, Fraction{Num: 1, Den: int64(daysInYear)}, mode)
}

// DayInterest returns the interest earned on the single day [day, day+1) on
// balance at r under dc, rounded with mode: one day on its own, as
// YearFraction(day, day+1) counts it. Under 30/360 conventions that count is
// not one for every day: the 30th of a 31-day month earns nothing (30 → 31
// is no day), the 31st earns one day, and a last day of February can earn up
// to three days (under 30U_360_EOM and 30E_360_ISDA, which move a last day of
// February to the 30th, it earns one, and 30E_360_ISDA gives the extra days
// to the day before it instead). Such one-day counts do not add up to a
// month's 30 days, so do not sum DayInterest over a period: [Timeline.Accrue]
// with [RoundDaily] measures each day from the start of its run instead. It
// returns an error wrapping ErrInvalidInput for a bad convention, mode or
// date.
func (dc DayCount) DayInterest(balance money.Amount, r rate.Rate, day date.Date, mode money.RoundingMode) (money.Amount, error) {
	yf, err := dc.dayFraction(day)
	if err != nil {
		return money.Amount{}, err
	}
	return SimpleInterest(balance, r, yf, mode)
}

// dayFraction is YearFraction(day, day+1) with a fast path for the
// conventions whose one-day fraction needs no calendar arithmetic.
func (dc DayCount) dayFraction(day date.Date) (Fraction, error) {
	switch dc.Convention {
	case Act360:
		if day >= minDate && day < maxDate {
			return Fraction{Num: 1, Den: 360}, nil
		}
	case Act365Fixed:
		if day >= minDate && day < maxDate {
			return Fraction{Num: 1, Den: 365}, nil
		}
	}
	return dc.YearFraction(day, day+1)
}

// thirtyMonths reports whether dc counts 30-day months (the 30/360 family,
// and Basis with Month30): the conventions whose one-day counts do not add
// up over a period.
func (dc DayCount) thirtyMonths() bool {
	switch dc.Convention {
	case Thirty360BondBasis, Thirty360US, Thirty360USAlias, Thirty360USNoEOM, Thirty360E, Thirty360EISDA:
		return true
	case Basis:
		return dc.MonthDays == Month30
	}
	return false
}

// dayStepper gives the year fraction each day of a run [start, end) earns
// under daily rounding, so that the days counted over the run equal
// Days(start, end). Under 30-day months a day earns the increment
// Days(start, day+1) − Days(start, day) (0 to 3 days) over
// DaysInYear(day): from 1 Feb 2023, 28 Feb earns 3 days; from 1 Jan under
// 30U/360, 31 Jan earns none. Other conventions count each day by
// dayFraction, which already adds up. Call next for start, start+1, … in
// order; dc and the run must be valid.
type dayStepper struct {
	dc      DayCount
	start   date.Date
	counted int // Days(start, day) before the call for day
}

// next returns the year fraction of day, the run's next day.
func (s *dayStepper) next(day date.Date) (Fraction, error) {
	if !s.dc.thirtyMonths() {
		return s.dc.dayFraction(day)
	}
	n := s.dc.days(s.start, day+1)
	yf := reduce(int64(n-s.counted), int64(s.dc.perDiemDays(day)))
	s.counted = n
	return yf, nil
}
