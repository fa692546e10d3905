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

// progressive100 is Fineract's end-to-end loan LP2 (360/30, interest
// recalculation daily): EUR 100 at 7 % over 6 months from 1 Jan 2024. Its
// EMI is 17.01; each 30/360 month's rate factor is 0.07 × 30 / 360 =
// 0.0058333…, the first period's interest 100 × 0.0058333 = 0.58.
func progressive100(t *testing.T) Progressive {
	t.Helper()
	eur := money.MustCurrency("EUR")
	p, err := NewProgressive(Terms{Principal: money.MustParse("100", eur), AnnualRate: rate.MustPercent("7"), Installments: 6,
		Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, FundingDate: date.New(2024, time.January, 1),
		FirstDueDate: date.New(2024, time.February, 1), Shape: ShapeLevel, InterestMethod: InterestDaily,
		DayCount:         accrual.DayCount{Convention: accrual.Basis, YearDays: accrual.Year360, MonthDays: accrual.Month30},
		InterestRounding: money.HalfEven, PaymentRounding: money.HalfEven, EMIAdjust: EMIAdjustFineract}, RecalculationProgressive)
	require.NoError(t, err)
	return p
}

type progRow struct{ emi, principal, interest, balance string }

func requirePeriods(t *testing.T, p Progressive, want []progRow) {
	t.Helper()
	got := p.Periods()
	require.Len(t, got, len(want))
	for i, w := range want {
		g := got[i]
		require.Equal(t, w, progRow{g.EMI.String(), g.Principal.String(), g.Interest.String(), g.Balance.String()}, "installment %d", i+1)
	}
}

// pay pays installment k on date on what Payable asks, interest first,
// at most amount (Fineract's advanced allocation: in-advance interest,
// then in-advance principal of the next installment).
func pay(t *testing.T, p Progressive, k int, on date.Date, amount string) (Progressive, string, string) {
	t.Helper()
	amt := money.MustParse(amount, money.MustCurrency("EUR"))
	i, pr, err := p.Payable(k, on)
	require.NoError(t, err)
	i = money.Min(i, amt)
	pr = money.Min(pr, amt.Sub(i))
	p, err = p.PayInterest(k, i)
	require.NoError(t, err)
	p, err = p.PayPrincipal(k, on, pr)
	require.NoError(t, err)
	return p, i.String(), pr.String()
}

// The contractual schedule (Fineract C3256 before the repayment): 17.01 a
// month, interest 0.58, 0.49, 0.39, 0.29, 0.20, 0.10, the last 17.00.
func TestProgressiveSchedule(t *testing.T) {
	requirePeriods(t, progressive100(t), []progRow{
		{"17.01", "16.43", "0.58", "83.57"}, {"17.01", "16.52", "0.49", "67.05"}, {"17.01", "16.62", "0.39", "50.43"},
		{"17.01", "16.72", "0.29", "33.71"}, {"17.01", "16.81", "0.20", "16.90"}, {"17.00", "16.90", "0.10", "0.00"}})
}

// An early repayment of the EMI (Fineract C3256): 17.01 on 15 Jan. The
// interest to that day is 100 × 0.0058333 × 14/31 = 0.2634 → 0.26, so the
// installment takes 0.26 of interest and 16.75 of principal and is paid.
// The period's interest on the rest, 83.25 × 0.0058333 × 17/31 = 0.2663 →
// 0.27, is not recognised by installment 1 and moves to installment 2:
// 83.25 × 0.0058333 = 0.4856 → 0.49, + 0.27 = 0.76, principal 16.25,
// balance 67.00; then 0.39, 0.29, 0.20, 0.10 on the lower balances, and the
// last installment takes 100 + 2.00 − 102.05 = −0.05: 16.95.
func TestProgressiveEarlyRepayment(t *testing.T) {
	p, i, pr := pay(t, progressive100(t), 1, date.New(2024, time.January, 15), "17.01")
	require.Equal(t, []string{"0.26", "16.75"}, []string{i, pr})
	requirePeriods(t, p, []progRow{
		{"17.01", "16.75", "0.26", "83.25"}, {"17.01", "16.25", "0.76", "67.00"}, {"17.01", "16.62", "0.39", "50.38"},
		{"17.01", "16.72", "0.29", "33.66"}, {"17.01", "16.81", "0.20", "16.85"}, {"16.95", "16.85", "0.10", "0.00"}})
}

// Two early repayments of one installment (Fineract C3255): 15 on 15 Jan
// pays 0.26 of interest and 14.74 of principal; 2.01 on 20 Jan pays the
// interest since, 85.26 × 0.0058333 × 5/31 = 0.0803 → 0.08, and 1.93 of
// principal. Installment 1 closes with 0.34 of interest; the rest of its
// period, 83.33 × 0.0058333 × 12/31 = 0.1882 → 0.19, moves to installment
// 2: 0.49 + 0.19 = 0.68.
func TestProgressiveTwoEarlyRepayments(t *testing.T) {
	p, i, pr := pay(t, progressive100(t), 1, date.New(2024, time.January, 15), "15")
	require.Equal(t, []string{"0.26", "14.74"}, []string{i, pr})
	p, i, pr = pay(t, p, 1, date.New(2024, time.January, 20), "2.01")
	require.Equal(t, []string{"0.08", "1.93"}, []string{i, pr})
	requirePeriods(t, p, []progRow{
		{"17.01", "16.67", "0.34", "83.33"}, {"17.01", "16.33", "0.68", "67.00"}, {"17.01", "16.62", "0.39", "50.38"},
		{"17.01", "16.72", "0.29", "33.66"}, {"17.01", "16.81", "0.20", "16.85"}, {"16.95", "16.85", "0.10", "0.00"}})
}

// A repayment one cent over the interest to date (Fineract C3252): 0.27 on
// 15 Jan pays 0.26 of interest and 0.01 of principal. The period's
// interest is still 0.26 + 99.99 × 0.0058333 × 17/31 = 0.3199 → 0.32,
// 0.58 in all, and 0.01 < 17.01 − 0.58: the installment keeps 0.58 of
// interest and the schedule does not change.
func TestProgressiveCentOverInterest(t *testing.T) {
	p, i, pr := pay(t, progressive100(t), 1, date.New(2024, time.January, 15), "0.27")
	require.Equal(t, []string{"0.26", "0.01"}, []string{i, pr})
	requirePeriods(t, p, progressive100(t).periodsAsRows())
	left, _, err := p.Payable(1, date.New(2024, time.February, 1))
	require.NoError(t, err)
	require.Equal(t, "0.32", left.String()) // 0.58 − 0.26 paid
}

func (p Progressive) periodsAsRows() []progRow {
	var out []progRow
	for _, g := range p.Periods() {
		out = append(out, progRow{g.EMI.String(), g.Principal.String(), g.Interest.String(), g.Balance.String()})
	}
	return out
}

// Bad input is refused naming the field, never a panic.
func TestProgressiveRefusals(t *testing.T) {
	p := progressive100(t)
	_, err := p.PayInterest(7, money.MustParse("1", money.MustCurrency("EUR")))
	require.ErrorIs(t, err, ErrInvalidTerms)
	_, err = p.PayPrincipal(1, date.New(2023, time.December, 31), money.MustParse("1", money.MustCurrency("EUR")))
	require.ErrorIs(t, err, ErrInvalidTerms)
	_, err = p.PayPrincipal(1, date.New(2024, time.January, 2), money.MustParse("1", money.MustCurrency("USD")))
	require.ErrorIs(t, err, ErrInvalidTerms)
	_, err = NewProgressive(Terms{Shape: ShapeEqualPrincipal, InterestMethod: InterestPeriodic}, RecalculationProgressive)
	require.ErrorIs(t, err, ErrInvalidTerms)
}

// A pay-off after an early repayment (Fineract C3258): 17.01 on 15 Jan
// closes installment 1 with 0.26 of interest; on 20 Jan installment 2,
// whose period has not started, asks what installment 1's period accrued
// since beyond what it recognised, 83.25 × 0.0058333 × 5/31 = 0.0783 →
// 0.08, and 17.01 − 0.08 = 16.93 of principal; installment 3 asks no
// interest. 83.33 pays 0.08 and 83.25 of principal: 16.93, 17.01 × 3 and
// the last 15.29, whose EMI becomes 15.29 (100 + 0.34 − 102.00 = −1.66 on
// 16.95).
func TestProgressivePayoffAfterEarlyRepayment(t *testing.T) {
	jan20 := date.New(2024, time.January, 20)
	p, _, _ := pay(t, progressive100(t), 1, date.New(2024, time.January, 15), "17.01")
	i, pr, err := p.Payable(2, jan20)
	require.NoError(t, err)
	require.Equal(t, []string{"0.08", "16.93"}, []string{i.String(), pr.String()})
	i, pr, err = p.Payable(3, jan20)
	require.NoError(t, err)
	require.Equal(t, []string{"0.00", "17.01"}, []string{i.String(), pr.String()})
	p, _, _ = pay(t, p, 2, jan20, "17.01")
	for k := 3; k <= 5; k++ {
		p, _, _ = pay(t, p, k, jan20, "17.01")
	}
	p, i6, pr6 := pay(t, p, 6, jan20, "15.29")
	require.Equal(t, []string{"0.00", "15.29"}, []string{i6, pr6})
	requirePeriods(t, p, []progRow{
		{"17.01", "16.75", "0.26", "83.25"}, {"17.01", "16.93", "0.08", "66.32"}, {"17.01", "17.01", "0.00", "49.31"},
		{"17.01", "17.01", "0.00", "32.30"}, {"17.01", "17.01", "0.00", "15.29"}, {"15.29", "15.29", "0.00", "0.00"}})
}

// RecalculationProgressiveToDueDate (Fineract TILL_REST_FREQUENCY_DATE,
// C3212): after installment 1 is paid on its due date, money received on
// 15 Feb counts for installment 2 on its due date, 1 Mar, and pays its
// whole period's interest, 83.57 × 0.0058333 = 0.4875 → 0.49 (0.24 to the
// day under RecalculationProgressive); money on 15 Mar counts on 1 Apr.
func TestProgressiveToDueDate(t *testing.T) {
	base := progressive100(t)
	p, err := NewProgressive(base.t, RecalculationProgressiveToDueDate)
	require.NoError(t, err)
	feb1, feb15, mar1 := date.New(2024, time.February, 1), date.New(2024, time.February, 15), date.New(2024, time.March, 1)
	p, _, _ = pay(t, p, 1, feb1, "17.01")
	require.Equal(t, mar1, p.PayDate(feb15))
	require.Equal(t, date.New(2024, time.April, 1), p.PayDate(mar1+14))
	i, pr, err := p.Payable(2, p.PayDate(feb15))
	require.NoError(t, err)
	require.Equal(t, []string{"0.49", "16.52"}, []string{i.String(), pr.String()})
	base, _, _ = pay(t, base, 1, feb1, "17.01")
	require.Equal(t, feb15, base.PayDate(feb15))
	i, _, err = base.Payable(2, feb15)
	require.NoError(t, err)
	require.Equal(t, "0.24", i.String())
}

// Overdue principal bears interest until paid (Fineract C3238):
// installment 1 paid on 1 Feb; of installment 2 (16.52 + 0.49, due 1 Mar)
// 10 of principal is paid on 5 Mar. Seen on 5 Mar the rest, 6.52, is taken
// as paid that day: installment 3's period bears 83.57 × 0.0058333 ×
// 4/31 = 0.0629 → 0.06 over 1-5 Mar and 67.05 × 0.0058333 × 27/31 =
// 0.3406 → 0.34 after, 0.40. Seen on 10 Mar the 6.52 bore interest five
// days more: 0.06 + 73.57 × 0.0058333 × 5/31 = 0.0692 → 0.07 + 67.05 ×
// 0.0058333 × 22/31 = 0.2776 → 0.28, 0.41, and the last installment takes
// the cent: 17.02.
func TestProgressiveOverdue(t *testing.T) {
	p, _, _ := pay(t, progressive100(t), 1, date.New(2024, time.February, 1), "17.01")
	p, err := p.PayPrincipal(2, date.New(2024, time.March, 5), money.MustParse("10", money.MustCurrency("EUR")))
	require.NoError(t, err)
	on5, err := p.At(date.New(2024, time.March, 5))
	require.NoError(t, err)
	on10, err := p.At(date.New(2024, time.March, 10))
	require.NoError(t, err)
	require.Equal(t, "0.49", on5.Periods()[1].Interest.String())
	require.Equal(t, "0.40", on5.Periods()[2].Interest.String())
	require.Equal(t, "0.41", on10.Periods()[2].Interest.String())
	require.Equal(t, "17.02", on10.Periods()[5].EMI.String())
}

// RestoreProgressive rebuilds, in one computation, the loan that applying
// its credits one by one gives: the same schedule, seen on any date.
func TestRestoreProgressiveMatchesReplay(t *testing.T) {
	eur := money.MustCurrency("EUR")
	credits := []ProgressiveCredit{
		{Installment: 1, On: date.New(2024, time.January, 15), Interest: true, Amount: money.MustParse("0.26", eur)},
		{Installment: 1, On: date.New(2024, time.January, 15), Amount: money.MustParse("14.74", eur)},
		{Installment: 1, On: date.New(2024, time.January, 20), Interest: true, Amount: money.MustParse("0.08", eur)},
		{Installment: 1, On: date.New(2024, time.January, 20), Amount: money.MustParse("1.93", eur)},
		{Installment: 6, On: date.New(2024, time.January, 20), Amount: money.MustParse("5", eur)},
		{Installment: 2, On: date.New(2024, time.March, 5), Amount: money.MustParse("10", eur)},
	}
	p := progressive100(t)
	for i, c := range credits {
		var err error
		p, err = p.Credit(c)
		require.NoError(t, err)
		back, err := RestoreProgressive(p.t, p.mode, p.EMIs(), credits[:i+1])
		require.NoError(t, err)
		for _, on := range []date.Date{0, date.New(2024, time.March, 5), date.New(2024, time.March, 10), date.New(2024, time.August, 1)} {
			a, err := p.At(on)
			require.NoError(t, err)
			b, err := back.At(on)
			require.NoError(t, err)
			require.Equal(t, a.Periods(), b.Periods(), "credit %d, on %s", i, on)
		}
	}
	_, err := RestoreProgressive(p.t, p.mode, p.EMIs()[:5], credits)
	require.ErrorIs(t, err, ErrInvalidTerms)
}

// Money for the last installment (Fineract C3290, LAST_INSTALLMENT):
// 17.01 on 15 Jan for installment 6, whose period has not started, asks
// no interest and the level payment 17.01 of principal (the last EMI,
// 17.00, is a cent off it); paid beyond its EMI, the EMI becomes 17.01.
// January's interest is then 0.26 + 82.99 × 0.0058333 × 17/31 = 0.27,
// 0.53, and the balance is lower all along: 0.39, 0.29, 0.19, 0.10; the
// last unpaid installment, 5, takes 100 + 1.50 − 102.06 = −0.56: 16.45.
func TestProgressiveLastInstallment(t *testing.T) {
	p := progressive100(t)
	on := date.New(2024, time.January, 15)
	i, pr, err := p.Payable(6, on)
	require.NoError(t, err)
	require.Equal(t, []string{"0.00", "17.01"}, []string{i.String(), pr.String()})
	p, err = p.PayPrincipal(6, on, pr)
	require.NoError(t, err)
	requirePeriods(t, p, []progRow{
		{"17.01", "16.48", "0.53", "83.52"}, {"17.01", "16.62", "0.39", "66.90"}, {"17.01", "16.72", "0.29", "50.18"},
		{"17.01", "16.82", "0.19", "33.36"}, {"16.45", "16.35", "0.10", "17.01"}, {"17.01", "17.01", "0.00", "0.00"}})
}
