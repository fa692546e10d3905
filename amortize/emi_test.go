package amortize

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestEMIAdjustFineract works Fineract's EMI adjustment by hand: EUR 3000
// at 12 % (1 % a 30/360 month) over 6 months solves to 517.65, leaving a
// last installment of 517.61 (d = −0.04). 0.04 × 100 = 4 > ⌊6/2⌋ = 3, so
// 517.65 − 0.04/6 (−0.0067 → −0.01) = 517.64 is tried: its last
// installment is 512.54 + 5.13 = 517.67 (d = 0.03), nearer, and is kept.
func TestEMIAdjustFineract(t *testing.T) {
	eur := money.MustCurrency("EUR")
	tm := Terms{Principal: money.MustParse("3000.00", eur), AnnualRate: rate.MustPercent("12"), Installments: 6,
		Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, FundingDate: date.New(2024, time.January, 1),
		FirstDueDate: date.New(2024, time.February, 1), Shape: ShapeLevel, InterestMethod: InterestDaily,
		DayCount:         accrual.DayCount{Convention: accrual.Basis, YearDays: accrual.Year360, MonthDays: accrual.Month30},
		InterestRounding: money.HalfEven, PaymentRounding: money.HalfEven}
	plain, err := Compute(tm)
	require.NoError(t, err)
	require.Equal(t, "517.65", plain.Payment.String())
	require.Equal(t, "517.61", plain.Rows[5].Payment.String())

	tm.EMIAdjust = EMIAdjustFineract
	adj, err := Compute(tm)
	require.NoError(t, err)
	require.Equal(t, "517.64", adj.Payment.String())
	require.Equal(t, "512.54", adj.Rows[5].Principal.String())
	require.Equal(t, "5.13", adj.Rows[5].Interest.String())
	require.Equal(t, "517.67", adj.Rows[5].Payment.String())

	b, err := NewBiller(tm)
	require.NoError(t, err)
	require.Equal(t, "517.64", b.Scheduled(1, money.Zero(eur), money.Amount{}).String(), "the Biller settles on Compute's payment")

	// 2380.15 over 3 months from 7000.00 leaves 2380.17: 2 cents > ⌊3/2⌋ = 1,
	// 2380.16 leaves 2380.15, nearer.
	tm.Principal, tm.Installments = money.MustParse("7000.00", eur), 3
	adj, err = Compute(tm)
	require.NoError(t, err)
	require.Equal(t, "2380.16", adj.Payment.String())
	require.Equal(t, "2380.15", adj.Rows[2].Payment.String())
}
