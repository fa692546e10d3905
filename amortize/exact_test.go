package amortize

import (
	"math/big"
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

// TestRoundRatio checks the exact payment rounding against money.RoundRat
// (the oracle) for every mode, signs, ties and increments.
func TestRoundRatio(t *testing.T) {
	modes := []money.RoundingMode{money.HalfEven, money.HalfUp, money.TowardZero, money.AwayFromZero, money.Floor, money.Ceiling}
	fracs := [][2]int64{{1, 1}, {5, 2}, {7, 2}, {-5, 2}, {-7, 2}, {10, 3}, {-10, 3}, {11, 3}, {123456789, 1000}, {0, 7}, {1, 4}, {-3, 4},
		{5, -2}, {-7, -2}, {11, -3}}
	for _, mode := range modes {
		for _, f := range fracs {
			for _, inc := range []int64{1, 5, 100} {
				got, err := roundRatio(big.NewInt(f[0]), big.NewInt(f[1]), inc, money.USD, mode)
				require.NoError(t, err)
				// Oracle: round (f/inc) cents to whole units with mode, times inc.
				q, err := money.RoundRat(big.NewRat(f[0], f[1]*inc), money.JPY, mode)
				require.NoError(t, err)
				require.Equal(t, q.Minor()*inc, got.Minor(), "%d/%d inc %d %s", f[0], f[1], inc, mode)
			}
		}
	}
	// roundRatio must not change its arguments (the fast path uses them in place).
	n, d := big.NewInt(-7), big.NewInt(2)
	_, err := roundRatio(n, d, 1, money.USD, money.HalfUp)
	require.NoError(t, err)
	require.Equal(t, "-7/2", n.String()+"/"+d.String())
}

// TestPow checks pow against big.Int.Exp (the standard library as oracle).
func TestPow(t *testing.T) {
	for _, x := range []int64{0, 1, 2, 2413, 2400, -3, 1 << 40} {
		for _, n := range []int{0, 1, 2, 3, 7, 12, 359, 360, 1200} {
			want := new(big.Int).Exp(big.NewInt(x), big.NewInt(int64(n)), nil)
			require.Zero(t, want.Cmp(pow(big.NewInt(x), n)), "%d^%d", x, n)
		}
	}
}

// TestLevelRatioOracle solves daily-interest and graduated payments and
// checks them against the balance recursion in math/big.Rat: with the
// unrounded payment P the balance after the last installment is exactly 0.
func TestLevelRatioOracle(t *testing.T) {
	tm := mortgage(t, "250000.00", "7.25", 120)
	tm.InterestMethod, tm.DayCount = InterestDaily, accrual.DayCount{Convention: accrual.Act365Fixed}
	am, err := newAmortizer(&tm, tm.Installments)
	require.NoError(t, err)
	require.Greater(t, len(am.segs), 3, "daily periods differ")
	sn, sd := int64(3), int64(40) // weights 1, 1.075, 1.075² every 12 installments, up to 2 steps
	w := &weights{wn: func(j int) *big.Int {
		m := min(j/12, 2)
		x := new(big.Int).Exp(big.NewInt(sd+sn), big.NewInt(int64(m)), nil)
		return x.Mul(x, new(big.Int).Exp(big.NewInt(sd), big.NewInt(int64(2-m)), nil))
	}, wd: new(big.Int).Exp(big.NewInt(sd), big.NewInt(2), nil)}
	for _, ws := range []*weights{nil, w} {
		num, den := levelRatio(tm.Principal.Minor(), 0, tm.Installments, am.bigFactor, false, ws)
		p := new(big.Rat).SetFrac(num, den)
		bal := new(big.Rat).SetInt64(tm.Principal.Minor())
		for k := range tm.Installments {
			n, d := am.bigFactor(k)
			bal.Add(bal, new(big.Rat).Mul(bal, new(big.Rat).SetFrac(n, d)))
			wk := big.NewRat(1, 1)
			if ws != nil {
				wk.SetFrac(ws.wn(k), ws.wd)
			}
			bal.Sub(bal, new(big.Rat).Mul(p, wk))
		}
		require.Zero(t, bal.Sign(), "balance left %s", bal.FloatString(6))
	}
}
