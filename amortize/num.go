package amortize

import (
	"github.com/lendcore/servicing/money"
	"github.com/shopspring/decimal"
)

// workPlaces is the number of decimal places kept by every intermediate
// quantity in the solvers (payment, rate, APR). Each product is truncated to
// it, so the work is bounded and deterministic; 40 places leave more than 25
// correct digits after 1,200 compounding steps, far beyond the cent.
const workPlaces = 40

var (
	dOne  = decimal.NewFromInt(1)
	dTwo  = decimal.NewFromInt(2)
	dHalf = decimal.New(5, -1)
)

// trunc cuts d to workPlaces decimals (toward zero), the one step that keeps
// intermediate products bounded.
func trunc(d decimal.Decimal) decimal.Decimal {
	if d.Exponent() >= -workPlaces {
		return d
	}
	r, _ := money.RoundDecimal(d, workPlaces, money.TowardZero) // mode is valid: no error
	return r
}

// mul returns a·b truncated to workPlaces.
func mul(a, b decimal.Decimal) decimal.Decimal { return trunc(a.Mul(b)) }

// div returns a/b at workPlaces; the caller checks b ≠ 0.
func div(a, b decimal.Decimal) decimal.Decimal { return a.DivRound(b, workPlaces) }

// ratio returns num/den as a decimal at workPlaces; den ≠ 0.
func ratio(num, den int64) decimal.Decimal {
	return decimal.NewFromInt(num).DivRound(decimal.NewFromInt(den), workPlaces)
}

// powInt returns x^n (n ≥ 0) by repeated squaring, truncating each product.
func powInt(x decimal.Decimal, n int) decimal.Decimal {
	result := dOne
	for n > 0 {
		if n&1 == 1 {
			result = mul(result, x)
		}
		n >>= 1
		if n > 0 {
			x = mul(x, x)
		}
	}
	return result
}

// gcd returns the greatest common divisor of |a| and |b| (gcd(0, b) = |b|).
func gcd(a, b int64) int64 {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// mulOK returns a·b and whether it fits in an int64 (a, b ≥ 0).
func mulOK(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if p/b != a || p < 0 {
		return 0, false
	}
	return p, true
}
