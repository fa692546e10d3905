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

// cumulative5000 is Fineract's end-to-end loan of the cumulative
// recalculation scenarios: EUR 5000 at 12 % over 6 months from 1 Nov 2022,
// daily interest on a 365-day year, installments in whole euros. Its EMI
// (SolvePayment30): g = 0.12 × 30/365 = 0.0098630…, 5000 × g /
// (1 − (1 + g)^−6) = 862.2… → 862.
func cumulative5000(t *testing.T, mode Recalculation) Progressive {
	t.Helper()
	eur := money.MustCurrency("EUR")
	tm := Terms{Principal: money.MustParse("5000", eur), AnnualRate: rate.MustPercent("12"), Installments: 6,
		Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, FundingDate: date.New(2022, time.November, 1),
		FirstDueDate: date.New(2022, time.December, 1), Shape: ShapeLevel, InterestMethod: InterestDaily,
		DayCount:         accrual.DayCount{Convention: accrual.Basis, YearDays: accrual.Year365, MonthDays: accrual.MonthActual},
		InterestRounding: money.HalfEven, PaymentRounding: money.HalfEven, PaymentIncrement: 100}
	emi, err := SolvePayment30(tm)
	require.NoError(t, err)
	require.Equal(t, "862.00", emi.String())
	tm.Payment = emi
	p, err := NewProgressive(tm, mode)
	require.NoError(t, err)
	return p
}

// An early payment under REDUCE_EMI_AMOUNT (Fineract C2557): 863 on
// 27 Nov pays principal only (interest falls due on 1 Dec). Installment 1's
// interest is 5000 × 0.12 × 26/365 = 42.74 and 4137 × 0.12 × 4/365 = 5.44,
// 48.18; its principal is the 863 paid (more than 862 − 48.18). The five
// installments left are re-solved on 4137: 4137 × g / (1 − (1 + g)^−5) =
// 851.7… → 852; installment 2's interest 4137 × 0.12 × 31/365 = 42.16.
func TestCumulativeReduceEMI(t *testing.T) {
	p := cumulative5000(t, RecalculationCumulativeReduceEMI)
	nov27 := date.New(2022, time.November, 27)
	i, pr, err := p.Payable(1, nov27)
	require.NoError(t, err)
	require.Equal(t, []string{"0.00", "5000.00"}, []string{i.String(), pr.String()})
	p, err = p.PayPrincipal(1, nov27, money.MustParse("863", money.MustCurrency("EUR")))
	require.NoError(t, err)
	got := p.Periods()
	require.Equal(t, []string{"863.00", "48.18", "4137.00"}, []string{got[0].Principal.String(), got[0].Interest.String(), got[0].Balance.String()})
	require.Equal(t, []string{"852.00", "809.84", "42.16"}, []string{got[1].EMI.String(), got[1].Principal.String(), got[1].Interest.String()})
	require.Equal(t, "0.00", got[5].Balance.String())
	back, err := RestoreProgressive(p.t, p.mode, p.EMIs(), []ProgressiveCredit{{Installment: 1, On: nov27, Amount: money.MustParse("863", money.MustCurrency("EUR"))}})
	require.NoError(t, err)
	require.Equal(t, got, back.Periods())
}

// Payments beyond the EMI on the due dates under
// REDUCE_NUMBER_OF_INSTALLMENTS (Fineract C2629): 1000 on 1 Dec pays
// 5000 × 0.12 × 30/365 = 49.32 of interest and 950.68 of principal; 2000
// on 1 Jan pays 4049.32 × 0.12 × 31/365 = 41.27 and 1958.73. The EMI stays
// 862 on the 2090.59 left: 840.69 + 21.31, 850.49 + 11.51, and the last
// 399.41 + 4.07; the sixth installment falls away.
func TestCumulativeReduceTerm(t *testing.T) {
	eur := money.MustCurrency("EUR")
	p := cumulative5000(t, RecalculationCumulativeReduceTerm)
	var credits []ProgressiveCredit
	for _, c := range []struct {
		k      int
		on     date.Date
		amount string
	}{{1, date.New(2022, time.December, 1), "1000"}, {2, date.New(2023, time.January, 1), "2000"}} {
		i, _, err := p.Payable(c.k, c.on)
		require.NoError(t, err)
		pr := money.MustParse(c.amount, eur).Sub(i)
		if p, err = p.PayInterest(c.k, i); err == nil {
			p, err = p.PayPrincipal(c.k, c.on, pr)
		}
		require.NoError(t, err)
		credits = append(credits, ProgressiveCredit{Installment: c.k, Interest: true, Amount: i}, ProgressiveCredit{Installment: c.k, On: c.on, Amount: pr})
	}
	back, err := RestoreProgressive(p.t, p.mode, p.EMIs(), credits)
	require.NoError(t, err)
	require.Equal(t, p.Periods(), back.Periods())
	got := p.Periods()
	require.Len(t, got, 5)
	var rows [][2]string
	for _, q := range got {
		rows = append(rows, [2]string{q.Principal.String(), q.Interest.String()})
	}
	require.Equal(t, [][2]string{{"950.68", "49.32"}, {"1958.73", "41.27"}, {"840.69", "21.31"}, {"850.49", "11.51"}, {"399.41", "4.07"}}, rows)
}

// The same payments under RESCHEDULE_NEXT_REPAYMENTS (Fineract C2631):
// they paid 950.68 − (862 − 49.32) = 138 and 1958.73 − (862 − 41.27) =
// 1138 of principal beyond their EMI less interest, 1276. Installment 3
// asks 2090.59 × 0.12 × 31/365 = 21.31 of interest and 862 − 21.31 =
// 840.69 of principal, all of it covered: 21.31; installment 4 asks
// 2090.59 × 0.12 × 28/365 = 19.24 and 842.76 − 435.31 = 407.45: 426.69;
// installment 5 is a whole EMI again, 844.85 + 17.15, and the last takes
// the rest, 838.29 + 8.27.
func TestCumulativeRescheduleNext(t *testing.T) {
	eur := money.MustCurrency("EUR")
	p := cumulative5000(t, RecalculationCumulativeRescheduleNext)
	for _, c := range []struct {
		k      int
		on     date.Date
		amount string
	}{{1, date.New(2022, time.December, 1), "1000"}, {2, date.New(2023, time.January, 1), "2000"}} {
		i, _, err := p.Payable(c.k, c.on)
		require.NoError(t, err)
		if p, err = p.PayInterest(c.k, i); err == nil {
			p, err = p.PayPrincipal(c.k, c.on, money.MustParse(c.amount, eur).Sub(i))
		}
		require.NoError(t, err)
	}
	var rows [][2]string
	for _, q := range p.Periods() {
		rows = append(rows, [2]string{q.Principal.String(), q.Interest.String()})
	}
	require.Equal(t, [][2]string{{"950.68", "49.32"}, {"1958.73", "41.27"}, {"0.00", "21.31"}, {"407.45", "19.24"},
		{"844.85", "17.15"}, {"838.29", "8.27"}}, rows)
}
