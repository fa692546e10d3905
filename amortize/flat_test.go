package amortize_test

import (
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func flatTerms(t *testing.T, principal int64, pct string, n int, inc int64) amortize.Terms {
	r, err := rate.Percent(pct)
	require.NoError(t, err)
	p, err := money.New(principal, money.EUR)
	require.NoError(t, err)
	fund := date.New(2022, 11, 1)
	return amortize.Terms{Principal: p, AnnualRate: r, Installments: n, Frequency: schedule.EveryMonths(1), EOM: schedule.EOMAnchor,
		FundingDate: fund, FirstDueDate: date.New(2022, 12, 1), DayCount: accrual.DayCount{Convention: accrual.Thirty360US},
		Shape: amortize.ShapeAddOn, AddOnEarning: amortize.RebateFlat, InterestMethod: amortize.InterestPeriodic,
		InterestRounding: money.HalfEven, PaymentRounding: money.HalfEven, PaymentIncrement: inc}
}

// Hand-worked flat tables. 5000 at 12 % over 18 months in whole units:
// interest 5000 × 12 % × 18/12 = 900, 50 an installment; principal share
// 277.78 → 278; installment 328, the last 5900 − 17 × 328 = 324 (Fineract's
// C2490). 1000 at 10 % over 3, to the cent: charge 25.00, shares 333.33 and
// 8.33, installment 341.66 (not 1025 ÷ 3 = 341.67), the last 341.68 with
// interest 8.34.
func TestFlatAddOn(t *testing.T) {
	tb, err := amortize.Compute(flatTerms(t, 500000, "12", 18, 100))
	require.NoError(t, err)
	require.Equal(t, "900.00", tb.FinanceCharge.Decimal().StringFixed(2))
	require.Equal(t, "328.00", tb.Rows[0].Payment.Decimal().StringFixed(2))
	require.Equal(t, "278.00", tb.Rows[0].Principal.Decimal().StringFixed(2))
	require.Equal(t, "4722.00", tb.Rows[0].Balance.Decimal().StringFixed(2))
	last := tb.Rows[17]
	require.Equal(t, "324.00", last.Payment.Decimal().StringFixed(2))
	require.Equal(t, "50.00", last.Interest.Decimal().StringFixed(2))
	require.True(t, last.Balance.IsZero())

	tb, err = amortize.Compute(flatTerms(t, 100000, "10", 3, 0))
	require.NoError(t, err)
	require.Equal(t, "341.66", tb.Rows[0].Payment.Decimal().StringFixed(2))
	require.Equal(t, "8.33", tb.Rows[1].Interest.Decimal().StringFixed(2))
	require.Equal(t, "341.68", tb.Rows[2].Payment.Decimal().StringFixed(2))
	require.Equal(t, "8.34", tb.Rows[2].Interest.Decimal().StringFixed(2))
	require.True(t, tb.Rows[2].Balance.IsZero())
}

// The flat rebate: the shares of the installments not yet paid (25.00 over
// 3: 8.33 earned a payment; after one 16.67, after all none).
func TestFlatRebate(t *testing.T) {
	fc, _ := money.New(2500, money.EUR)
	fin, _ := money.New(100000, money.EUR)
	r, err := amortize.NewRebater(amortize.RebateRequest{Method: amortize.RebateFlat, Profile: amortize.ProfileNone,
		FinanceCharge: fc, AmountFinanced: fin, Payments: 3, Rounding: money.HalfEven})
	require.NoError(t, err)
	for made, want := range []string{"25.00", "16.67", "8.34", "0.00"} {
		u, err := r.Unearned(made)
		require.NoError(t, err)
		require.Equal(t, want, u.Unearned.Decimal().StringFixed(2), "after %d", made)
	}
}
