package amortize

import (
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// The thresholds are inclusive (a balance exactly at 80 % reaches it), a
// value so high that the first row is below both gives the first due date
// for both, and a bad value is refused naming OriginalValue.
func TestHPADatesBounds(t *testing.T) {
	tm := Terms{Principal: money.MustParse("1000.00", money.USD), Installments: 10, Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
		FundingDate: date.New(2024, 1, 1), FirstDueDate: date.New(2024, 2, 1), Shape: ShapeEqualPrincipal, InterestMethod: InterestPeriodic,
		DayCount: accrual.DayCount{Convention: accrual.Thirty360US}, InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp}
	tb, err := Compute(tm) // 0 %: balances 900, 800, …, 0
	require.NoError(t, err)
	m, err := HPADates(tb, money.MustParse("1000.00", money.USD))
	require.NoError(t, err)
	require.Equal(t, 2, m.RequestRow, "800.00 is 80 % exactly")
	require.Equal(t, 3, m.AutomaticRow, "780.00: the first balance at most 78 % is 700.00")
	require.Equal(t, date.New(2024, 7, 1), m.Final, "the 5th of 10 installments is due 1 Jun 2024")
	m, err = HPADates(tb, money.MustParse("100000.00", money.USD))
	require.NoError(t, err)
	require.Equal(t, [2]int{1, 1}, [2]int{m.RequestRow, m.AutomaticRow})
	_, err = HPADates(tb, money.MustParse("0.00", money.USD))
	require.ErrorIs(t, err, ErrInvalidTerms)
	require.Equal(t, []string{"OriginalValue"}, field.Fields(err))
}
