package amortize

import (
	"math/big"
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

// ratOracle builds a level periodic table in exact rational arithmetic,
// independently of the package: periodic rate i = r/ppy; the payment is
// B·i·q/(q−1) with q = (1+i)^n (B/n at zero rate) rounded with payMode;
// each row's interest is bal·i rounded with intMode; the last row pays the
// balance plus interest.
func ratOracle(t *testing.T, tm Terms, ppy int64) []Row {
	t.Helper()
	cur := tm.Principal.Currency()
	num, den := tm.AnnualRate.Ratio()
	i := big.NewRat(num, den*ppy)
	b := new(big.Rat).SetFrac64(tm.Principal.Minor(), 100)
	n := tm.Installments
	var p *big.Rat
	if i.Sign() == 0 {
		p = new(big.Rat).Quo(b, big.NewRat(int64(n), 1))
	} else {
		one := big.NewRat(1, 1)
		q := big.NewRat(1, 1)
		onePlus := new(big.Rat).Add(one, i)
		for range n {
			q.Mul(q, onePlus)
		}
		p = new(big.Rat).Mul(b, i)
		p.Mul(p, q)
		p.Quo(p, new(big.Rat).Sub(q, one))
	}
	pay, err := money.RoundRat(p, cur, tm.PaymentRounding)
	require.NoError(t, err)
	bal := tm.Principal
	var rows []Row
	for k := 1; k <= n; k++ {
		x := new(big.Rat).SetFrac64(bal.Minor(), 100)
		x.Mul(x, i)
		in, err := money.RoundRat(x, cur, tm.InterestRounding)
		require.NoError(t, err)
		due := pay
		if k == n || !due.LessThan(bal.Add(in)) {
			due = bal.Add(in)
		}
		prin := due.Sub(in)
		bal = bal.Sub(prin)
		rows = append(rows, Row{N: k, Payment: due, Interest: in, Principal: prin, Balance: bal})
		if bal.IsZero() {
			break
		}
	}
	return rows
}

// TestOracle compares every row of level tables with the math/big oracle.
func TestOracle(t *testing.T) {
	tests := []struct {
		name, principal, pct string
		n                    int
		mode                 money.RoundingMode
	}{
		{"reference 30y", "200000.00", "6.5", 360, money.HalfUp},
		{"15y odd rate", "123456.78", "7.125", 180, money.HalfUp},
		{"banker's", "98765.43", "4.875", 240, money.HalfEven},
		{"truncating", "5000.00", "18.99", 60, money.TowardZero},
		{"one cent 100 years", "0.01", "99", 1200, money.HalfUp},
		{"huge", "1000000000000.00", "100", 1200, money.HalfUp},
		{"zero rate", "1000.00", "0", 7, money.HalfUp},
		{"single", "500.00", "12", 1, money.Ceiling},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm := mortgage(t, tc.principal, tc.pct, tc.n)
			tm.InterestRounding, tm.PaymentRounding = tc.mode, tc.mode
			tb, err := Compute(tm)
			require.NoError(t, err)
			want := ratOracle(t, tm, 12)
			require.Len(t, tb.Rows, len(want))
			for k, w := range want {
				g := tb.Rows[k]
				if !g.Payment.Equal(w.Payment) || !g.Interest.Equal(w.Interest) || !g.Principal.Equal(w.Principal) || !g.Balance.Equal(w.Balance) {
					t.Fatalf("row %d: got %s/%s/%s/%s, want %s/%s/%s/%s", k+1, g.Payment, g.Interest, g.Principal, g.Balance,
						w.Payment, w.Interest, w.Principal, w.Balance)
				}
			}
		})
	}
}
