package amortize

import (
	"math"
	"math/bits"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/rickb777/date/v2/gregorian"
	"github.com/shopspring/decimal"
)

// This file is the fast path of APR. The readable reference is aprSolve
// (decimal Newton over unitPeriodsBetween's terms). Here each payment's time
// is counted by unitPeriodsQuick (the same count, by month arithmetic
// instead of stepping back one unit-period at a time) as an exact fraction,
// a float64 Newton solve proposes the unit-period rate i, and the answer is
// decided exactly: the present value is evaluated at the decimals
// i_lo = i − δ and i_hi = i + δ (δ ≈ 10^-14) in 63-bit fixed point, every
// product and quotient rounded down for a lower bound and up for an upper
// one. The present value falls strictly as the rate rises, so
// PV_low(i_lo) > A > PV_high(i_hi) proves the root lies in (i_lo, i_hi);
// when that interval, times the unit-periods a year, rounds to one APR at
// rate.Scale decimals, that APR is the exact root's. Otherwise APR takes the
// reference path. FuzzAPRFast holds the two equal.

// fastTerm is one payment for the fast path: amount in minor units and time
// periods + fn/fd unit-periods. The time fields are 32-bit (aprFast admits
// fd ≤ 2^20, fn ≤ 4·fd, periods ≤ 2^30), so a term is 24 bytes, not 32.
type fastTerm struct {
	amount  int64
	periods int32
	fn, fd  int32
}

// maxFastAPRMinor bounds each amount in the fast path (2^52 minor units), so
// every fixed-point product and the sums of up to MaxPayments of them fit
// in 128 bits.
const maxFastAPRMinor = 1 << 52

// aprFast is APR by the fixed-point enclosure; ok is false when it does not
// apply (amounts out of range or in another currency, payments not above
// the amount financed) or cannot decide.
func aprFast(amount money.Amount, adv date.Date, pays []Payment, unit schedule.Frequency, perYear accrual.Fraction) (APRResult, bool) {
	a := amount.Minor()
	if a <= 0 || a > maxFastAPRMinor || perYear.Num > 1<<20 || perYear.Den > 1<<20 {
		return APRResult{}, false
	}
	terms := make([]fastTerm, len(pays))
	var sum int64
	for k, p := range pays {
		m := p.Amount.Minor()
		if m <= 0 || m > maxFastAPRMinor || p.Amount.Currency() != amount.Currency() {
			return APRResult{}, false
		}
		sum += m
		var t int
		var fn, fd int64
		if unit.Unit == schedule.UnitSemiMonth && k > 0 {
			t, fn, fd = semiMonthsAfter(adv, p.Date, pays[k-1].Date, terms[k-1])
		} else {
			t, fn, fd = unitPeriodsQuick(adv, p.Date, unit)
		}
		if fd <= 0 || fd > 1<<20 || fn < 0 || fn > 4*fd || t < 0 || t > 1<<30 {
			return APRResult{}, false
		}
		terms[k] = fastTerm{amount: m, periods: int32(t), fn: int32(fn), fd: int32(fd)}
	}
	if sum <= a { // a zero or negative rate: the reference answers (and refuses)
		return APRResult{}, false
	}
	i, iters, ok := aprFloat(float64(a), terms)
	if !ok {
		return APRResult{}, false
	}
	fi := math.Round(math.Ldexp(i, 60)) // i is verified as ic/2^60
	if !(fi > 1<<20 && fi < 1<<62) {
		return APRResult{}, false
	}
	ic := uint64(fi)
	// Enclose the root in [ic − δ, ic + δ], δ about 10^-15 relative, wider
	// (×16, ×256) when the float guess was not that close.
	var lo, hi uint64
	found := false
	for delta := 64 + ic>>50; delta < ic/2 && delta < 1<<40 && !found; delta <<= 4 {
		lo, hi = ic-delta, ic+delta
		found = pvSide(a, terms, lo, false) > 0 && pvSide(a, terms, hi, true) < 0
		if delta > 1<<20+ic>>40 {
			break
		}
	}
	if !found {
		return APRResult{}, false
	}
	r, ok := aprUnits(lo, hi, perYear)
	if !ok {
		return APRResult{}, false
	}
	apr, err := rate.FromUnits(r)
	if err != nil {
		return APRResult{}, false
	}
	upr := decimal.NewFromInt(int64(ic)).DivRound(decimal.NewFromInt(1<<60), 20)
	return APRResult{APR: apr, UnitPeriodRate: upr, UnitPeriodsPerYear: wholePerYear(perYear),
		UnitPeriodsPerYearFraction: perYear, UnitPeriod: unit, Iterations: iters}, true
}

// aprUnits returns the APR in rate units (10^-Scale) when every unit-period
// rate strictly between lo/2^60 and hi/2^60, times perYear, rounds to it:
// x = i·N·10^12/D, and 2x = Q/D + (less than 1/D) with Q = ⌊lo·N·10^12/2^59⌋,
// so ⌊2x⌋ = ⌊Q/D⌋. No odd integer may lie strictly between 2x_lo and 2x_hi
// (a rounding boundary R ± ½); then the APR is ⌊(⌊2x_lo⌋+1)/2⌋.
func aprUnits(lo, hi uint64, perYear accrual.Fraction) (int64, bool) {
	nf := uint64(perYear.Num) * uint64(rate.Unit) // ≤ 2^20 · 10^12 < 2^60
	d := uint64(perYear.Den)
	twice := func(x uint64) uint64 {
		h, l := bits.Mul64(x, nf)
		return (h<<5 | l>>59) / d // h < 2^59: the shifted value fits
	}
	a, c := twice(lo), twice(hi)
	if c != a && (c != a+1 || c&1 == 1) {
		return 0, false
	}
	return int64((a + 1) >> 1), true
}

// aprFloat proposes the unit-period rate by Newton's method in float64 from
// the tangent at zero, i0 = (ΣP − A)/Σ P·τ: the present value is convex and
// falling in i, so i0 lies below the root and the iterates climb to it.
func aprFloat(a float64, terms []fastTerm) (float64, int, bool) {
	var sum, moment float64
	for _, t := range terms {
		p := float64(t.amount)
		sum += p
		moment += p * (float64(t.periods) + float64(t.fn)/float64(t.fd))
	}
	x := (sum - a) / moment
	done := 0
	for it := 1; it <= 100; it++ {
		v := 1 / (1 + x)
		disc, tp := 1.0, 0
		var pv, dpv float64
		for _, t := range terms {
			if tn := int(t.periods); tn < tp {
				disc, tp = math.Pow(v, float64(tn)), tn
			}
			for tp < int(t.periods) {
				disc *= v
				tp++
			}
			f := float64(t.fn) / float64(t.fd)
			den := 1 + f*x
			term := float64(t.amount) * disc / den
			pv += term
			dpv -= term * (f/den + float64(t.periods)*v)
		}
		if dpv == 0 || math.IsNaN(pv) {
			return 0, it, false
		}
		step := (pv - a) / dpv
		x -= step
		if !(x > 0) || math.IsInf(x, 0) {
			return 0, it, false
		}
		if math.Abs(step) <= 1e-13*x {
			done++ // one more step after the iterates settle
			if done == 2 {
				return x, it, true
			}
		}
	}
	return 0, 100, false
}

// pvSide compares the present value at i = ic/2^60 with the amount
// financed a: +1 when a lower bound of it exceeds a (upper false), −1 when an
// upper bound of it is below a (upper true), 0 when the bound does not
// decide (or a quantity leaves the fixed-point range).
func pvSide(a int64, terms []fastTerm, ic uint64, upper bool) int {
	// v = 2^60 / (2^60 + ic) = 2^123/(2^60 + ic) in Q63.
	v, rem := bits.Div64(1<<59, 0, 1<<60+ic)
	if upper && rem != 0 {
		v++
	}
	disc, tp := one63, 0 // v^tp
	var rq uint64        // 1/(1 + f·i) in Q63 for the cached fraction
	cfn, cfd := int32(-1), int32(0)
	var sh, sl uint64 // Σ amount·disc·rq in Q63, 128 bits
	for _, t := range terms {
		tn := int(t.periods)
		if tn < tp {
			disc, tp = one63, 0
		}
		if tn-tp > 64 {
			disc, tp = mulDir(disc, powDir(v, tn-tp, upper), upper), tn
		}
		for tp < tn {
			disc = mulDir(disc, v, upper)
			tp++
		}
		if t.fn != cfn || t.fd != cfd {
			cfn, cfd = t.fn, t.fd
			var ok bool
			if rq, ok = recipQ63(int64(t.fn), int64(t.fd), ic, upper); !ok {
				return 0
			}
		}
		ph, pl := bits.Mul64(uint64(t.amount), mulDir(disc, rq, upper))
		var c uint64
		sl, c = bits.Add64(sl, pl, 0)
		sh += ph + c
	}
	ah, al := bits.Mul64(uint64(a), one63)
	switch {
	case !upper && (sh > ah || sh == ah && sl > al):
		return 1
	case upper && (sh < ah || sh == ah && sl < al):
		return -1
	}
	return 0
}

// recipQ63 is 1/(1 + (fn/fd)·ic/2^60) in Q63, rounded down (up when up is
// set); ok is false when f·i ≥ 1 (out of the fixed-point range).
func recipQ63(fn, fd int64, ic uint64, up bool) (uint64, bool) {
	if fn == 0 {
		return one63, true
	}
	// y = f·i in Q63 = fn·ic·8/fd, rounded the other way (a larger y makes
	// a smaller reciprocal).
	h, l := bits.Mul64(uint64(fn), ic)
	h, l = h<<3|l>>61, l<<3
	ud := uint64(fd)
	if h >= ud {
		return 0, false
	}
	y, r := bits.Div64(h, l, ud)
	if !up && r != 0 {
		y++
	}
	if y >= one63 {
		return 0, false
	}
	q, r := bits.Div64(1<<62, 0, one63+y) // 2^126/(2^63 + y)
	if up && r != 0 {
		q++
	}
	return q, true
}

// mulDir is a·b/2^63 rounded down, or up when up is set.
func mulDir(a, b uint64, up bool) uint64 {
	lo, hi := mulQ63(a, b)
	if up {
		return hi
	}
	return lo
}

// powDir is v^n (n ≥ 1) in Q63 rounded down, or up when up is set.
func powDir(v uint64, n int, up bool) uint64 {
	lo, hi := powQ63(v, v, n)
	if up {
		return hi
	}
	return lo
}

// unitPeriodsQuick is unitPeriodsBetween with the fraction as fn/fd and the
// whole month unit-periods counted by month arithmetic (an estimate from the
// calendar months between the dates, corrected by at most a step or two)
// instead of one step back at a time; other units step as it does, weeks and
// days by division.
func unitPeriodsQuick(adv, pay date.Date, u schedule.Frequency) (whole int, fn, fd int64) {
	switch u.Unit {
	case schedule.UnitMonth:
		ay, am, ad := adv.Date()
		py, pm, pd := pay.Date()
		// stepBack(n) is pay's day clamped in the month n·Every before
		// pay's: on or after adv when that month is after adv's, or is adv's
		// and the clamped day is not before adv's day.
		gap := (py-ay)*12 + int(pm) - int(am)
		n := max(gap/u.Every, 0)
		if n > 0 && n*u.Every == gap && min(pd, gregorian.DaysIn(ay, am)) < ad {
			n--
		}
		cur := pay
		if n > 0 {
			cur = stepBack(pay, pay, n, u)
		}
		months := 0
		// With one-month units the month left over is always empty: one
		// more month back from cur is no later than stepBack(n+1) < adv.
		for u.Every > 1 {
			prev := addMonthsClamped(cur, -1, cur.Day())
			if prev < adv {
				break
			}
			months++
			cur = prev
		}
		return n, int64(months)*30 + int64(cur-adv), 30 * int64(u.Every)
	case schedule.UnitWeek, schedule.UnitDay:
		step := int64(u.Every)
		if u.Unit == schedule.UnitWeek {
			step *= 7
		}
		days := int64(pay - adv)
		return int(days / step), days % step, step
	}
	whole = 0
	cur := pay
	for {
		prev := stepBack(cur, pay, whole+1, u)
		if prev < adv {
			break
		}
		whole++
		cur = prev
	}
	return whole, int64(cur - adv), 15
}

// semiMonthsAfter is unitPeriodsQuick for a semi-month unit given the count
// of the previous payment (on prev, counted as pt): counting back from pay
// steps through stepBack(pay), and from there on the count is that date's,
// so when stepBack(pay) is prev (payments on the stream's grid) the answer
// is pt's plus one unit-period, in one step instead of one per unit-period.
func semiMonthsAfter(adv, pay, prev date.Date, pt fastTerm) (int, int64, int64) {
	u := schedule.SemiMonthly(1, 16)
	if back := stepBack(pay, pay, 1, u); back == prev && prev >= adv {
		return int(pt.periods) + 1, int64(pt.fn), int64(pt.fd)
	}
	return unitPeriodsQuick(adv, pay, u)
}
