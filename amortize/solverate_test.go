package amortize

import (
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestSolveRateRoundTrip: for daily interest (Act/365, Act/360) and an
// actual odd first period, the rate SolveRate returns for a table's solved
// payment gives that same payment back to the cent, and lies within
// 0.0001 % of the original rate (a cent of payment on these loans is worth
// far more than that).
func TestSolveRateRoundTrip(t *testing.T) {
	tests := []struct {
		name, principal, pct string
		n                    int
		edit                 func(*Terms)
	}{
		{"daily act/365 30y", "200000.00", "6.5", 360, func(tm *Terms) {
			tm.InterestMethod, tm.DayCount = InterestDaily, accrual.DayCount{Convention: accrual.Act365Fixed}
		}},
		{"daily act/360 5y", "18800.00", "9", 60, func(tm *Terms) {
			tm.InterestMethod, tm.DayCount = InterestDaily, accrual.DayCount{Convention: accrual.Act360}
		}},
		{"odd actual period", "50000.00", "11.25", 120, func(tm *Terms) {
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-13, OddActualPeriod
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm := mortgage(t, tc.principal, tc.pct, tc.n)
			tc.edit(&tm)
			p, err := SolvePayment(tm)
			require.NoError(t, err)
			r, err := SolveRate(tm, p)
			require.NoError(t, err)
			diff := r.Fraction().Sub(tm.AnnualRate.Fraction()).Abs()
			require.True(t, diff.LessThan(decimal.New(1, -6)), "rate %s vs %s", r, tm.AnnualRate)
			back := tm
			back.AnnualRate = r
			p2, err := SolvePayment(back)
			require.NoError(t, err)
			require.True(t, p2.Equal(p), "payment at solved rate %s: %s, want %s", r, p2, p)
		})
	}
}
