package amortize

import (
	"fmt"
	"math/big"
	"math/bits"

	"github.com/lendcore/servicing/money"
)

// This file solves payments exactly. A level payment is a ratio of two
// integers built from the period factors g_k = num_k/den_k; it is formed
// once per solve in math/big integers and rounded once, so the table's
// per-row work stays in 128-bit integers and nothing is truncated.

// weights gives the relative size wn[j]/wd of each installment's payment in
// a level solve (graduated payments); nil means every weight is 1.
type weights struct {
	wn func(j int) *big.Int
	wd *big.Int
}

// levelRatio returns the exact level payment in minor units as num/den: the
// payment P with weights w_j such that bal·Π(1+g_k) = P·Σ_j w_j·Π_{k>j}(1+g_k)
// over installments j in [from, to), where fac(j) is g_j. It runs the
// recursion A ← A(1+g), C ← C(1+g) + w over a common denominator D:
//
//	a ← a·(d_j+n_j),  c ← c·(d_j+n_j) + wn_j·D·d_j,  D ← D·d_j
//
// so P = a·wd/c. When every factor is the same n/d and there are no weights
// it uses the closed form P = bal·n·(d+n)^N / (d·((d+n)^N − d^N)).
func levelRatio(bal int64, from, to int, fac func(j int) (n, d *big.Int), uniform bool, w *weights) (num, den *big.Int) {
	count := to - from
	if w == nil && uniform {
		n, d := fac(from)
		if n.Sign() == 0 {
			return big.NewInt(bal), big.NewInt(int64(count))
		}
		s := new(big.Int).Add(d, n)
		sN := pow(s, count)
		dN := pow(d, count)
		num = new(big.Int).Mul(big.NewInt(bal), n)
		num.Mul(num, sN)
		den = new(big.Int).Sub(sN, dN)
		den.Mul(den, d)
		return num, den
	}
	a, c, dd := big.NewInt(bal), new(big.Int), big.NewInt(1)
	s, t := new(big.Int), new(big.Int)
	for j := from; j < to; j++ {
		n, d := fac(j)
		s.Add(d, n)
		a.Mul(a, s)
		c.Mul(c, s)
		t.Mul(dd, d)
		if w != nil {
			c.Add(c, new(big.Int).Mul(w.wn(j), t))
		} else {
			c.Add(c, t)
		}
		dd.Set(t)
	}
	if w != nil {
		a.Mul(a, w.wd)
	}
	return a, c
}

// roundRatio rounds the positive or negative ratio num/den of minor units
// to a multiple of inc (≥ 1) minor units with mode. The integer quotient
// and the remainder's position (zero, below, at or above half) are exact;
// the rounding decision itself is money.DivRound's, applied to the proxy
// (4q + c)/4 with c ∈ {0, 1, 2, 3}, which rounds exactly as num/den does.
func roundRatio(num, den *big.Int, inc int64, cur money.Currency, mode money.RoundingMode) (money.Amount, error) {
	if den.Sign() == 0 {
		return money.Amount{}, money.ErrDivisionByZero
	}
	neg := (num.Sign() < 0) != (den.Sign() < 0)
	n, d := num, den // the common case, both positive and inc 1, needs no copies
	if num.Sign() < 0 {
		n = new(big.Int).Neg(num)
	}
	if den.Sign() < 0 || inc > 1 {
		d = new(big.Int).Abs(den)
		if inc > 1 {
			d.Mul(d, big.NewInt(inc))
		}
	}
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if !q.IsInt64() || q.Int64() > money.MaxMinor {
		return money.Amount{}, fmt.Errorf("%w: payment %s/%s", money.ErrOverflow, num, den)
	}
	var c int64
	if r.Sign() != 0 {
		c = int64(2 + r.Lsh(r, 1).Cmp(d)) // 1 below half, 2 half, 3 above (r is QuoRem's own)
	}
	units, ok := money.DivRound(0, uint64(4*q.Int64()+c), neg && (q.Sign() != 0 || c != 0), 4, mode)
	if !ok {
		return money.Amount{}, fmt.Errorf("%w: payment %s/%s", money.ErrOverflow, num, den)
	}
	minor, ok := mulOK(abs64(units), max(inc, 1))
	if !ok {
		return money.Amount{}, fmt.Errorf("%w: payment %s/%s", money.ErrOverflow, num, den)
	}
	if units < 0 {
		minor = -minor
	}
	return money.New(minor, cur)
}

// pow returns x^n (n ≥ 0) by left-to-right binary exponentiation into two
// buffers sized once for the result, so a 360-period solve allocates two
// numbers instead of one per squaring (as big.Int.Exp with no modulus does).
func pow(x *big.Int, n int) *big.Int {
	words := (x.BitLen()*n)/bits.UintSize + 2
	z := new(big.Int).SetBits(make([]big.Word, 0, words))
	t := new(big.Int).SetBits(make([]big.Word, 0, words))
	z.SetInt64(1)
	for i := bits.Len(uint(n)) - 1; i >= 0; i-- {
		t.Mul(z, z)
		z, t = t, z
		if n>>i&1 == 1 {
			t.Mul(z, x)
			z, t = t, z
		}
	}
	return z
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
