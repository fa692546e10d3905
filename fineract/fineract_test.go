package fineract_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/field"
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

// TestChargeFeeRefused: only FLAT charges on a specified due date are
// reproduced; other charge times and calculations are refused naming the
// setting.
func TestChargeFeeRefused(t *testing.T) {
	for _, c := range []struct{ time, calc, setting string }{
		{"DISBURSEMENT", "FLAT", "chargeTimeType"},
		{"INSTALMENT_FEE", "FLAT", "chargeTimeType"},
		{"SPECIFIED_DUE_DATE", "PERCENT_OF_AMOUNT", "chargeCalculationType"},
	} {
		_, _, _, err := fineract.ChargeFee(money.EUR, fineract.Charge{Name: "fee", ChargeTimeType: c.time,
			ChargeCalculationType: c.calc, DueDate: "2023-02-01", Amount: "50"})
		var u *fineract.UnsupportedError
		require.ErrorAs(t, err, &u, c.time)
		require.Equal(t, c.setting, u.Setting)
		require.ErrorIs(t, err, fineract.ErrUnsupported)
	}
}

// zeroRate is a 0 % loan of principal over n monthly installments from
// 1 Jan 2023 under the given strategy.
func zeroRate(t *testing.T, principal string, n int, strategy string) *servicing.Engine {
	t.Helper()
	p, l := cumulative()
	p.DaysInYearType, p.DaysInMonthType = "ACTUAL", "ACTUAL"
	l.Principal, l.InterestRatePerPeriod, l.NumberOfRepayments, l.TransactionProcessingStrategyCode = principal, "0", n, strategy
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	return board(t, terms)
}

func charge(t *testing.T, eng *servicing.Engine, on string, penalty bool, due, amount string) {
	t.Helper()
	typ, amt, dueOn, err := fineract.ChargeFee(money.EUR, fineract.Charge{Penalty: penalty, ChargeTimeType: "SPECIFIED_DUE_DATE",
		ChargeCalculationType: "FLAT", DueDate: due, Amount: amount})
	require.NoError(t, err)
	_, err = eng.AssessCharge(context.Background(), "l", date.MustParseISO(on), typ, amt, dueOn,
		servicing.Meta{IdempotencyKey: "charge " + on + due + amount + fmt.Sprint(penalty)})
	require.NoError(t, err)
}

func paid(t *testing.T, eng *servicing.Engine, on, amount string) map[string]string {
	t.Helper()
	res, err := eng.PostPayment(context.Background(), "l", date.MustParseISO(on), money.MustParse(amount, money.EUR),
		servicing.Meta{IdempotencyKey: "pay " + on + amount})
	require.NoError(t, err)
	h, err := eng.History(context.Background(), "l", date.MustParseISO(on))
	require.NoError(t, err)
	sum := map[string]money.Amount{}
	for _, tx := range h.Transactions {
		if tx.Seq != res.Version {
			continue
		}
		for _, ln := range tx.Lines {
			k := fmt.Sprintf("%d %s", ln.Installment, ln.Component)
			if _, ok := sum[k]; !ok {
				sum[k] = money.Zero(money.EUR)
			}
			sum[k] = sum[k].Add(ln.Amount)
		}
	}
	out := map[string]string{}
	for k, a := range sum {
		out[k] = a.Decimal().StringFixed(2)
	}
	return out
}

// Charges with a due date are owed with the installment whose period holds
// the date (Fineract LoanRepaymentScheduleProcessingWrapper.isInPeriod):
// 3000 at 0 % over 3 months from 1 Jan 2023, installments of 1000 due
// 1 Feb, 1 Mar, 1 Apr. Penalties of 50 due 15 Jan and 20 Jan and a fee of
// 50 due 20 Jan all fall in (1 Jan, 1 Feb]: installment 1 owes 1150. Under
// due-penalty-fee-interest-principal-in-advance-principal-penalty-fee-interest
// 1150 received on 15 Jan pays installment 1 whole: 100 of penalties, 50
// of fee, 1000 of principal; nothing reaches installment 2.
func TestChargesOwedWithTheirInstallment(t *testing.T) {
	eng := zeroRate(t, "3000", 3, "due-penalty-fee-interest-principal-in-advance-principal-penalty-fee-interest-strategy")
	charge(t, eng, "2023-01-15", true, "2023-01-15", "50")
	charge(t, eng, "2023-01-15", true, "2023-01-20", "50")
	charge(t, eng, "2023-01-15", false, "2023-01-20", "50")
	got := paid(t, eng, "2023-01-15", "1150")
	require.Equal(t, map[string]string{"1 late_fee": "100.00", "1 other_fee": "50.00", "1 principal": "1000.00"}, got)
	s, err := eng.State(context.Background(), "l", date.MustParseISO("2023-01-15"))
	require.NoError(t, err)
	require.Equal(t, "2000.00", s.Principal.Decimal().StringFixed(2))
	require.Len(t, s.Charges, 3)
	for _, c := range s.Charges {
		require.Equal(t, 1, c.Installment)
		require.True(t, c.Open.IsZero())
	}
	// The charges are part of the canonical state encoding.
	b, err := s.MarshalBinary()
	require.NoError(t, err)
	var back loan.State
	require.NoError(t, back.UnmarshalBinary(b))
	require.Equal(t, s.Charges, back.Charges)
	b2, err := back.MarshalBinary()
	require.NoError(t, err)
	var again loan.State
	require.NoError(t, again.UnmarshalBinary(b2))
	require.Equal(t, back.Hash(), again.Hash())

	// A charge after the last due date belongs to no installment: refused
	// naming DueOn, nothing written.
	_, err = eng.AssessCharge(context.Background(), "l", date.MustParseISO("2023-01-16"), loan.FeeOther, money.MustParse("5", money.EUR),
		date.MustParseISO("2023-04-02"), servicing.Meta{IdempotencyKey: "late charge"})
	var fe *field.Error
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "DueOn", fe.Field)
	after, err := eng.State(context.Background(), "l", date.MustParseISO("2023-01-16"))
	require.NoError(t, err)
	require.Len(t, after.Charges, 3)
}

// A charge whose due date has passed is paid before the principal of an
// installment not yet due (Fineract's in-advance handler pays the charges
// due by the transaction date first): 1000 at 0 % in one installment due
// 1 Feb 2023, a fee of 20 due 20 Jan; under
// due-penalty-interest-principal-fee-in-advance-penalty-interest-principal-fee
// 500 received on 25 Jan pays the fee 20, then 480 of principal (a fee not
// yet due would come after principal: 500 on 15 Jan pays principal only).
func TestPastChargeBeforePrincipal(t *testing.T) {
	const pipf = "due-penalty-interest-principal-fee-in-advance-penalty-interest-principal-fee-strategy"
	eng := zeroRate(t, "1000", 1, pipf)
	charge(t, eng, "2023-01-10", false, "2023-01-20", "20")
	require.Equal(t, map[string]string{"1 principal": "500.00"}, paid(t, eng, "2023-01-15", "500"))

	eng = zeroRate(t, "1000", 1, pipf)
	charge(t, eng, "2023-01-10", false, "2023-01-20", "20")
	require.Equal(t, map[string]string{"1 other_fee": "20.00", "1 principal": "480.00"}, paid(t, eng, "2023-01-25", "500"))
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
