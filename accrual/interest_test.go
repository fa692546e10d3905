package accrual

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func d(y int, m time.Month, day int) date.Date { return date.New(y, m, day) }

// TestFedDSIFirstMonth checks the Federal Reserve daily-simple-interest
// example (RULES.md, federalreserve.gov/pubs/leasing/resource/different/
// early_exp6.htm): $18,800 at 9 % has first-month interest $141.00. By hand:
// 18,800 × 0.09 = 1,692 a year; one month of it is 1,692 / 12 = 141.00, the
// same as 30/360 over one 30-day month (1,692 × 30/360 = 141.00).
func TestFedDSIFirstMonth(t *testing.T) {
	bal := moneytest.USD(t, "18800.00")
	r := rate.MustPercent("9")
	dc := DayCount{Convention: Thirty360US}
	yf, err := dc.YearFraction(d(2024, time.January, 15), d(2024, time.February, 15))
	require.NoError(t, err)
	require.Equal(t, Fraction{1, 12}, yf)
	got, err := SimpleInterest(bal, r, yf, money.HalfEven)
	require.NoError(t, err)
	moneytest.Equal(t, "141.00", got)
}

func TestSimpleInterestAndPerDiem(t *testing.T) {
	tests := []struct {
		name    string
		balance string
		rate    string
		yf      Fraction
		mode    money.RoundingMode
		want    string
	}{
		// 100,000 × 0.065 / 365 = 17.808219…  → 17.81
		{"per diem 365", "100000.00", "6.5", Fraction{1, 365}, money.HalfEven, "17.81"},
		// 100,000 × 0.065 / 360 = 18.05555… → 18.06 half-even, 18.05 truncated
		{"per diem 360", "100000.00", "6.5", Fraction{1, 360}, money.HalfEven, "18.06"},
		{"per diem 360 truncated", "100000.00", "6.5", Fraction{1, 360}, money.TowardZero, "18.05"},
		// 1,000 × 0.05 × 1/2 = 25 exactly
		{"half year", "1000.00", "5", Fraction{1, 2}, money.HalfEven, "25.00"},
		// 0.01 × 0.10 / 365 is far below half a cent
		{"tiny", "0.01", "10", Fraction{1, 365}, money.HalfEven, "0.00"},
		// a tie: 1.00 × 12.5 % × 1/25 = 0.005 → 0.00 half-even, 0.01 half-up
		{"tie half even", "1.00", "12.5", Fraction{1, 25}, money.HalfEven, "0.00"},
		{"tie half up", "1.00", "12.5", Fraction{1, 25}, money.HalfUp, "0.01"},
		{"negative balance", "-1000.00", "5", Fraction{1, 2}, money.HalfEven, "-25.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SimpleInterest(moneytest.USD(t, tc.balance), rate.MustPercent(tc.rate), tc.yf, tc.mode)
			require.NoError(t, err)
			moneytest.Equal(t, tc.want, got)
		})
	}
	pd, err := PerDiem(moneytest.USD(t, "100000.00"), rate.MustPercent("6.5"), 365, money.HalfEven)
	require.NoError(t, err)
	moneytest.Equal(t, "17.81", pd)
}
