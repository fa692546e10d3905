package fineract_test

import (
	"context"
	"testing"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/fineract"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func cumulative() (fineract.Product, fineract.Loan) {
	p := fineract.Product{CurrencyCode: "EUR", DigitsAfterDecimal: 2, InterestRateFrequencyType: "PER_YEAR",
		DaysInYearType: "360", DaysInMonthType: "30", InstallmentAmountInMultiplesOf: 1}
	l := fineract.Loan{Principal: "1000", InterestRatePerPeriod: "12", InterestType: "DECLINING_BALANCE",
		InterestCalculationPeriodType: "SAME_AS_REPAYMENT_PERIOD", AmortizationType: "EQUAL_INSTALLMENTS", NumberOfRepayments: 3,
		RepaymentEvery: 1, RepaymentFrequencyType: "MONTHS", ExpectedDisbursementDate: "2023-01-01",
		TransactionProcessingStrategyCode: "mifos-standard-strategy"}
	return p, l
}

// installmentAmountInMultiplesOf 1 on a cumulative loan: the EMI of 1000
// at 1 % a month over 3 months, 340.0221…, is rounded half even to whole
// euros, 340; the last installment takes the rest. The engine boards it.
func TestWholeUnitInstallments(t *testing.T) {
	p, l := cumulative()
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	require.EqualValues(t, 100, terms.PaymentIncrement)
	tb, err := amortize.Compute(terms.Terms)
	require.NoError(t, err)
	require.Equal(t, "340.00", tb.Payment.Decimal().StringFixed(2))
	require.Equal(t, "10.00", tb.Rows[0].Interest.Decimal().StringFixed(2))
	last := tb.Rows[2]
	require.True(t, last.Balance.IsZero())
	require.Equal(t, "336.70", last.Principal.Decimal().StringFixed(2)) // 1000 − 330 − 333.30
	require.Equal(t, "340.07", last.Payment.Decimal().StringFixed(2))   // with 3.37 interest

	// Progressive schedules ignore it for the EMI (ProgressiveEMICalculator
	// never rounds to multiples); a down payment is rounded under both.
	p.LoanScheduleType, l.InterestCalculationPeriodType = "PROGRESSIVE", "DAILY"
	p.EnableDownPayment, p.DisbursedAmountPercentageForDownPayment = true, "12.45" // 124.50 → 124 (half even)
	l.Principal = "1000"
	p.InstallmentAmountInMultiplesOf = 1
	terms, err = fineract.Terms(p, l)
	require.NoError(t, err)
	require.Zero(t, terms.PaymentIncrement)
	require.Equal(t, "124.00", terms.DownPayment.Decimal().StringFixed(2))
}

// Every 30 days is a schedule of 30-day periods the engine services.
func TestEveryNDays(t *testing.T) {
	p, l := cumulative()
	p.LoanScheduleType, l.InterestCalculationPeriodType, p.InstallmentAmountInMultiplesOf = "PROGRESSIVE", "DAILY", 0
	l.RepaymentEvery, l.RepaymentFrequencyType = 30, "DAYS"
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	tb, err := amortize.Compute(terms.Terms)
	require.NoError(t, err)
	require.Equal(t, "2023-01-31", tb.Rows[0].DueDate.String())
	require.Equal(t, "2023-03-02", tb.Rows[1].DueDate.String())
	eng := board(t, terms)
	s, err := eng.State(context.Background(), "l", terms.FundingDate)
	require.NoError(t, err)
	require.Equal(t, 3, s.Installments)
}

// A repayment above everything owed is spread over the installments, each
// paid in full with its scheduled interest (payment.Rules.InstallmentsOnly),
// and the rest is a credit balance: the loan is paid off, overpaid.
func TestRepaymentBeyondTheTotal(t *testing.T) {
	p, l := cumulative()
	p.InstallmentAmountInMultiplesOf = 0
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	require.True(t, terms.Allocation.InstallmentsOnly)
	tb, err := amortize.Compute(terms.Terms)
	require.NoError(t, err)
	eng := board(t, terms)
	ctx := context.Background()
	on := date.New(2023, 1, 10)
	_, err = eng.PostPayment(ctx, "l", on, money.MustParse("1100", terms.Currency()), servicing.Meta{IdempotencyKey: "p"})
	require.NoError(t, err)
	s, err := eng.State(ctx, "l", on)
	require.NoError(t, err)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	total := tb.Totals.Payment
	require.Equal(t, money.MustParse("1100", terms.Currency()).Sub(total).String(), s.CreditBalance.String())
}

func board(t *testing.T, terms loan.Terms) *servicing.Engine {
	t.Helper()
	tick := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	eng, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: func() time.Time {
		tick = tick.Add(time.Second)
		return tick
	}})
	require.NoError(t, err)
	_, err = eng.Board(context.Background(), "l", loan.BoardingRequest{Terms: terms, Borrower: "b"}, servicing.Meta{IdempotencyKey: "board"})
	require.NoError(t, err)
	return eng
}

// TestChargeFeeRefused: a charge with a due date is refused naming
// chargeTimeType (it would bill with an installment), never assessed as a
// fee owed at once.
func TestChargeFeeRefused(t *testing.T) {
	_, _, _, err := fineract.ChargeFee(fineract.Charge{Name: "NSF fee", Penalty: true, ChargeTimeType: "SPECIFIED_DUE_DATE",
		ChargeCalculationType: "FLAT", DueDate: "2023-02-01", Amount: "50"})
	var u *fineract.UnsupportedError
	require.ErrorAs(t, err, &u)
	require.Equal(t, "chargeTimeType", u.Setting)
	require.ErrorIs(t, err, fineract.ErrUnsupported)
}

// A cumulative schedule with DAILY interest (Fineract's LoanApplicationTerms
// for interestCalculationPeriodType DAILY, days in year ACTUAL): 5000 at 12 %
// a year over 18 months from 1 Nov 2022, installments in whole euros.
//
//   - EMI: every period 30 days of a 365-day year, g = 0.12 × 30 / 365 =
//     0.0098630…; 5000 × g / (1 − (1 + g)^−18) = 304.53…, to whole euros 305.
//   - first period, 30 actual days: 5000 × 0.12 × 30 / 365 = 49.315… → 49.32,
//     principal 305 − 49.32 = 255.68, balance 4744.32.
//   - 1 Feb → 1 Mar 2024 (29 days, a leap year, still 365): 894.75 × 0.12 ×
//     29 / 365 = 8.5305… → 8.53 (a 366-day year would give 8.51).
//   - the last installment: 299.38 of principal and 299.38 × 0.12 × 30 / 365
//     = 2.9528… → 2.95 of interest, 302.33.
func TestCumulativeDailyInterest(t *testing.T) {
	p, l := cumulative()
	p.DaysInYearType, p.DaysInMonthType = "ACTUAL", "ACTUAL"
	l.Principal, l.NumberOfRepayments, l.InterestCalculationPeriodType, l.ExpectedDisbursementDate = "5000", 18, "DAILY", "2022-11-01"
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	tb, err := amortize.Compute(terms.Terms)
	require.NoError(t, err)
	require.Equal(t, "305.00", tb.Payment.Decimal().StringFixed(2))
	require.Equal(t, "49.32", tb.Rows[0].Interest.Decimal().StringFixed(2))
	require.Equal(t, "4744.32", tb.Rows[0].Balance.Decimal().StringFixed(2))
	require.Equal(t, "2024-03-01", tb.Rows[15].DueDate.String())
	require.Equal(t, "8.53", tb.Rows[15].Interest.Decimal().StringFixed(2))
	last := tb.Rows[17]
	require.Equal(t, "299.38", last.Principal.Decimal().StringFixed(2))
	require.Equal(t, "302.33", last.Payment.Decimal().StringFixed(2))

	l.RepaymentFrequencyType = "WEEKS"
	_, err = fineract.Terms(p, l)
	var u *fineract.UnsupportedError
	require.ErrorAs(t, err, &u)
	require.Equal(t, "repaymentFrequencyType", u.Setting)
}
