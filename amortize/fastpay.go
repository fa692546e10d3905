package amortize

import (
	"math"
	"math/bits"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
)

// This file is the fast path of the level payment. The readable reference
// is levelRatio's closed form rounded by roundRatio (exact.go): the payment
// is X = bal·n·(d+n)^N / (d·((d+n)^N − d^N)) rounded once. Here the same X
// is written X = bal·n / (d·(1 − v^N)) with v = d/(d+n) < 1, and v^N is
// enclosed between two 63-bit fixed-point bounds (each product rounded down
// for the lower bound and up for the upper one), so X is enclosed too. A
// float64 estimate proposes the quotient q = ⌊X/inc⌋; the rounding is then
// decided by exact 192-bit integer comparisons of X against q·inc, (q+½)·inc
// and (q+1)·inc using the bounds. When a comparison cannot be decided from
// the bounds (X within about 10^-15 of a boundary, or an exact tie) the
// fast path reports !ok and the caller takes the exact path, so the answer
// is always the exact path's. FuzzSolvePaymentFast holds the two equal.

// one63 is 1 in the Q63 fixed point used for v and its powers.
const one63 = uint64(1) << 63

// mulQ63 returns a·b/2^63 rounded down and rounded up (a, b ≤ 2^63).
func mulQ63(a, b uint64) (lo, hi uint64) {
	h, l := bits.Mul64(a, b)
	q := h<<1 | l>>63
	if l&(one63-1) != 0 {
		return q, q + 1
	}
	return q, q
}

// powQ63 encloses v^n (n ≥ 1) for v in [vl, vu] ⊂ [0, 2^63] by left-to-right
// binary exponentiation, rounding the lower chain down and the upper up.
func powQ63(vl, vu uint64, n int) (lo, hi uint64) {
	lo, hi = vl, vu
	for i := bits.Len(uint(n)) - 2; i >= 0; i-- {
		lo, _ = mulQ63(lo, lo)
		_, hi = mulQ63(hi, hi)
		if n>>i&1 == 1 {
			lo, _ = mulQ63(lo, vl)
			_, hi = mulQ63(hi, vu)
		}
	}
	return lo, hi
}

// u192 is an unsigned 192-bit integer, most significant word first.
type u192 [3]uint64

// mul3 returns a·b·c as 192 bits (a·b < 2^128 always; the caller keeps the
// product below 2^192).
func mul3(a, b, c uint64) u192 {
	h1, l1 := bits.Mul64(a, b)
	h2, l2 := bits.Mul64(l1, c)
	h3, l3 := bits.Mul64(h1, c)
	mid, carry := bits.Add64(h2, l3, 0)
	return u192{h3 + carry, mid, l2}
}

func (x u192) cmp(y u192) int {
	for i := range x {
		switch {
		case x[i] < y[i]:
			return -1
		case x[i] > y[i]:
			return 1
		}
	}
	return 0
}

// maxFastMinor bounds the balance the fast path takes (2^50 minor units,
// about 11 trillion dollars), so that X, its float estimate and every
// comparison stay far inside their ranges.
const maxFastMinor = 1 << 50

// levelPaymentFast returns the level payment in minor units that repays bal
// over count periods at the periodic factor n/d (0 < n ≤ d, d + n < 2^62),
// rounded with mode to a multiple of inc ≥ 1 minor units, exactly as
// roundRatio(levelRatio(…)) does; ok is false when the fast path does not
// apply or cannot decide (the caller then takes the exact path).
func levelPaymentFast(bal, n, d int64, count int, inc int64, mode money.RoundingMode) (int64, bool) {
	if bal <= 0 || bal > maxFastMinor || n < 0 || n > d || d >= 1<<61 || count < 1 || inc < 1 || inc > 1<<20 {
		return 0, false
	}
	if n == 0 { // zero rate: bal / count, exact in 128 bits
		return roundUnits(0, uint64(bal), int64(count)*inc, inc, mode)
	}
	s := uint64(d + n)
	// v = d/s in Q63: d·2^63 = (d>>1, d<<63) in two words; d < s so the
	// quotient fits.
	vq, vr := bits.Div64(uint64(d)>>1, uint64(d)<<63, s)
	vu := vq
	if vr != 0 {
		vu++
	}
	pl, pu := powQ63(vq, vu, count)
	if pu >= one63 {
		return 0, false
	}
	wl, wu := one63-pu, one63-pl // 2^63·(1 − v^N) lies in [wl, wu]
	// X = bal·n·2^63 / (d·W); the float estimate only proposes q.
	y := float64(bal) * float64(n) * 0x1p63 / (float64(d) * float64(wl)) / float64(inc)
	if !(y >= 0 && y < 1<<52) {
		return 0, false
	}
	q := uint64(math.Floor(y))
	// 2X vs m·inc  ⇔  bal·n·2^64 vs m·inc·d·W.
	h, l := bits.Mul64(uint64(bal), uint64(n))
	lhs := u192{h, l, 0}
	side := func(m uint64) int {
		mi := m * uint64(inc) // < 2^54: m ≤ 2^53+2, inc ≤ 2^20 would not fit, so check
		if m != 0 && mi/m != uint64(inc) {
			return 0
		}
		if lhs.cmp(mul3(mi, uint64(d), wu)) > 0 {
			return 1 // 2X > m·inc whatever W is
		}
		if lhs.cmp(mul3(mi, uint64(d), wl)) < 0 {
			return -1
		}
		return 0
	}
	if side(2*q) != 1 || side(2*q+2) != -1 {
		return 0, false
	}
	var c uint64
	switch side(2*q + 1) {
	case -1:
		c = 1 // below half
	case 1:
		c = 3 // above half
	default:
		return 0, false
	}
	return roundUnits(0, 4*q+c, 4, inc, mode)
}

// roundUnits rounds the non-negative (hi, lo)/den with mode to a whole count
// of inc-sized units and returns it in minor units (as roundRatio does).
func roundUnits(hi, lo uint64, den, inc int64, mode money.RoundingMode) (int64, bool) {
	units, ok := money.DivRound(hi, lo, false, den, mode)
	if !ok {
		return 0, false
	}
	minor, ok := mulOK(units, inc)
	if !ok || minor > money.MaxMinor {
		return 0, false
	}
	return minor, true
}

// solveLevelFast is solveLevel by levelPaymentFast when the periods [k, to)
// share one factor (the closed form's case) and the fast path decides;
// otherwise solveLevel itself.
func (am *amortizer) solveLevelFast(bal money.Amount, k, to int) (money.Amount, error) {
	sk := am.seg(k)
	if am.ppy > 0 && sk.fits && (k > 0 || sk.yf == am.regular) {
		if p, ok := levelPaymentFast(bal.Minor(), sk.num, sk.den, to-k, max(am.t.PaymentIncrement, 1), am.t.PaymentRounding); ok {
			return money.New(p, am.cur)
		}
	}
	return am.solveLevel(bal, k, to)
}

// fastPayment is SolvePayment's closed form for a plain level loan; ok is
// false when t is not one (or is invalid, or the fast path cannot decide),
// and SolvePayment then reads Compute's table.
func (t *Terms) fastPayment() (money.Amount, bool) {
	if t.Shape != ShapeLevel || t.InterestMethod != InterestPeriodic || !t.Payment.IsZero() || t.InterestOnly != 0 ||
		!t.DownPayment.IsZero() || t.EMIAdjust != EMIAdjustNone || len(t.RateSteps) > 0 || len(t.RatePath) > 0 ||
		t.Variable != nil || t.Calendar != nil {
		return money.Amount{}, false
	}
	if t.Validate() != nil {
		return money.Amount{}, false
	}
	per, err := t.plan(t.Installments).FirstPeriod()
	if err != nil || per.RegularStart != t.FundingDate && t.OddFirstPeriod != OddPrepaid {
		return money.Amount{}, false
	}
	ppy, _ := t.Frequency.PeriodsPerYear()
	num, den, fits := interestRatio(t.AnnualRate, accrual.Fraction{Num: 1, Den: int64(ppy)})
	if !fits || ppy < 1 {
		return money.Amount{}, false
	}
	p, ok := levelPaymentFast(t.Principal.Minor(), num, den, t.Installments, max(t.PaymentIncrement, 1), t.PaymentRounding)
	if !ok {
		return money.Amount{}, false
	}
	// The table Compute would build must not fail: a payment at least the
	// first period's interest rounded up to the interest increment keeps
	// every balance at or below the principal, so no row can overflow.
	// Below it (a payment rounded down to nothing, say) the exact path
	// decides, error and all.
	iinc := max(t.InterestIncrement, 1)
	if den > (1<<62)/iinc {
		return money.Amount{}, false
	}
	hi, lo := bits.Mul64(uint64(t.Principal.Minor()), uint64(num))
	first, ok := roundUnits(hi, lo, den*iinc, iinc, money.Ceiling)
	// A payment rounded to nothing is not the table's: Compute then reports
	// the first row's payment.
	if !ok || p < first || p == 0 {
		return money.Amount{}, false
	}
	a, err := money.New(p, t.Principal.Currency())
	return a, err == nil
}
