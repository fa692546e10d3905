package fineract_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/fineract"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// recalculating is a progressive product with daily interest
// recalculation: 100 EUR at 7 % over 6 months on 360/30 (17.01 a month).
func recalculating() (fineract.Product, fineract.Loan) {
	p := fineract.Product{LoanScheduleType: "PROGRESSIVE", CurrencyCode: "EUR", DigitsAfterDecimal: 2,
		InterestRateFrequencyType: "PER_YEAR", DaysInYearType: "360", DaysInMonthType: "30",
		IsInterestRecalculationEnabled: true, InterestRecalculationCompoundingMethod: "NONE",
		RescheduleStrategyMethod: "ADJUST_LAST_UNPAID_PERIOD", RecalculationRestFrequencyType: "DAILY",
		RecalculationRestFrequencyInterval: 1, PreClosureInterestCalculationStrategy: "TILL_PRE_CLOSE_DATE",
		PaymentAllocation: []fineract.PaymentAllocation{{TransactionType: "DEFAULT", FutureInstallmentAllocationRule: "NEXT_INSTALLMENT",
			AllocationOrder: []string{"PAST_DUE_PENALTY", "PAST_DUE_FEE", "PAST_DUE_PRINCIPAL", "PAST_DUE_INTEREST",
				"DUE_PENALTY", "DUE_FEE", "DUE_PRINCIPAL", "DUE_INTEREST",
				"IN_ADVANCE_PENALTY", "IN_ADVANCE_FEE", "IN_ADVANCE_PRINCIPAL", "IN_ADVANCE_INTEREST"}}}}
	l := fineract.Loan{Principal: "100", InterestRatePerPeriod: "7", InterestType: "DECLINING_BALANCE",
		InterestCalculationPeriodType: "DAILY", AmortizationType: "EQUAL_INSTALLMENTS", NumberOfRepayments: 6,
		RepaymentEvery: 1, RepaymentFrequencyType: "MONTHS", ExpectedDisbursementDate: "2024-01-01",
		TransactionProcessingStrategyCode: "advanced-payment-allocation-strategy"}
	return p, l
}

// TestRecalculationRefusals: every recalculation setting the profile does
// not reproduce is refused naming it.
func TestRecalculationRefusals(t *testing.T) {
	for _, c := range []struct {
		setting string
		edit    func(*fineract.Product, *fineract.Loan)
	}{
		{"isInterestRecalculationEnabled", func(p *fineract.Product, _ *fineract.Loan) { p.LoanScheduleType = "CUMULATIVE" }},
		{"isInterestRecalculationEnabled", func(_ *fineract.Product, l *fineract.Loan) {
			l.TransactionProcessingStrategyCode = "mifos-standard-strategy"
		}},
		{"interestCalculationPeriodType", func(_ *fineract.Product, l *fineract.Loan) {
			l.InterestCalculationPeriodType = "SAME_AS_REPAYMENT_PERIOD"
		}},
		{"interestRecalculationCompoundingMethod", func(p *fineract.Product, _ *fineract.Loan) { p.InterestRecalculationCompoundingMethod = "INTEREST" }},
		{"recalculationRestFrequencyType", func(p *fineract.Product, _ *fineract.Loan) {
			p.RecalculationRestFrequencyType = "SAME_AS_REPAYMENT_PERIOD"
		}},
		{"recalculationRestFrequencyInterval", func(p *fineract.Product, _ *fineract.Loan) { p.RecalculationRestFrequencyInterval = 2 }},
		{"rescheduleStrategyMethod", func(p *fineract.Product, _ *fineract.Loan) { p.RescheduleStrategyMethod = "REDUCE_EMI_AMOUNT" }},
		{"preClosureInterestCalculationStrategy", func(p *fineract.Product, _ *fineract.Loan) { p.PreClosureInterestCalculationStrategy = "NONE" }},
	} {
		p, l := recalculating()
		c.edit(&p, &l)
		_, err := fineract.Terms(p, l)
		var u *fineract.UnsupportedError
		require.ErrorAs(t, err, &u, c.setting)
		require.Equal(t, c.setting, u.Setting)
	}
	p, l := recalculating()
	p.PreClosureInterestCalculationStrategy = ""
	r, err := fineract.RecalculationOf(p, l)
	require.NoError(t, err)
	require.Equal(t, "TILL_PRE_CLOSE_DATE", r.PreClosure) // Fineract's default
	p.IsInterestRecalculationEnabled = false
	r, err = fineract.RecalculationOf(p, l)
	require.NoError(t, err)
	require.Nil(t, r)
}

// TestRecalculationChecks: money in advance under NEXT_INSTALLMENT or
// LAST_INSTALLMENT is reproduced (the recalculated schedule), under
// REAMORTIZATION refused naming futureInstallmentAllocationRule; a repayment while an installment
// is overdue that is not exactly what is due is refused; the schedule is
// refused while an installment is overdue; a pay-off before the last due
// date is refused, on it the unpaid installments pay the loan off.
func TestRecalculationChecks(t *testing.T) {
	p, l := recalculating()
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	require.Equal(t, amortize.RecalculationProgressive, terms.Recalculation)
	r, err := fineract.RecalculationOf(p, l)
	require.NoError(t, err)
	eng := board(t, terms)
	ctx := context.Background()
	cur := terms.Currency()
	state := func(on date.Date) loan.State {
		s, err := eng.State(ctx, "l", on)
		require.NoError(t, err)
		return s
	}
	refused := func(err error, setting string) {
		t.Helper()
		var u *fineract.UnsupportedError
		require.ErrorAs(t, err, &u)
		require.Equal(t, setting, u.Setting)
	}
	emi := money.MustParse("17.01", cur)
	early := date.New(2024, 1, 15)
	require.NoError(t, r.Repayment(state(early), early, emi)) // in advance, next installment
	last, _ := recalculating()
	last.PaymentAllocation[0].FutureInstallmentAllocationRule = "LAST_INSTALLMENT"
	rl, err := fineract.RecalculationOf(last, l)
	require.NoError(t, err)
	require.NoError(t, rl.Repayment(state(early), early, emi))
	last.PaymentAllocation[0].FutureInstallmentAllocationRule = "REAMORTIZATION"
	rl, err = fineract.RecalculationOf(last, l)
	require.NoError(t, err)
	refused(rl.Repayment(state(early), early, emi), "futureInstallmentAllocationRule")
	due := date.New(2024, 2, 1)
	require.NoError(t, r.Repayment(state(due), due, emi))
	_, err = eng.PostPayment(ctx, "l", due, emi, servicing.Meta{IdempotencyKey: "p1"})
	require.NoError(t, err)
	require.NoError(t, r.Schedule(state(date.New(2024, 3, 1)), date.New(2024, 3, 1)))
	require.NoError(t, r.Schedule(state(date.New(2024, 3, 2)), date.New(2024, 3, 2))) // 1 March overdue: recalculated
	require.NoError(t, r.Repayment(state(date.New(2024, 3, 5)), date.New(2024, 3, 5), money.MustParse("10", cur)))
	// A pay-off on 15 Feb (TILL_PRE_CLOSE_DATE): the principal 83.57 and
	// installment 2's interest to the day, 83.57 × 0.07 × 30/360 × 14/29 =
	// 0.2353 → 0.24; the later installments ask none. Under
	// TILL_REST_FREQUENCY_DATE installment 2 asks its whole period,
	// 83.57 × 0.0058333 = 0.4875 → 0.49 (Fineract C3212: 84.06).
	feb15 := date.New(2024, 2, 15)
	amt, err := r.Payoff(state(feb15), feb15)
	require.NoError(t, err)
	require.Equal(t, "83.81", amt.String())
	rest := *r
	rest.PreClosure = "TILL_REST_FREQUENCY_DATE"
	restTerms, restState := terms, state(feb15)
	restTerms.Recalculation = rest.Mode()
	restState.Terms = restTerms
	amt, err = rest.Payoff(restState, feb15)
	require.NoError(t, err)
	require.Equal(t, "84.06", amt.String())
	// Overdue principal bears interest until paid: on 5 Mar, with
	// installment 2 (16.52 + 0.49, due 1 Mar) unpaid, installment 3 asks
	// the balance 83.57 × 0.0058333 × 4/31 = 0.0629 → 0.06:
	// 83.57 + 0.49 + 0.06 = 84.12.
	mar5 := date.New(2024, 3, 5)
	amt, err = r.Payoff(state(mar5), mar5)
	require.NoError(t, err)
	require.Equal(t, "84.12", amt.String())
	s5, err := state(mar5).Recalculated()
	require.NoError(t, err)
	// Seen on 5 Mar, installment 3's interest is 0.06 on the 4 overdue days
	// and 67.05 × 0.0058333 × 27/31 = 0.3406 → 0.34 after: 0.40 (Fineract
	// C3238), where the contract asked 0.39.
	require.Equal(t, "0.40", s5.Periods()[2].Interest.String())

	// Late, in full on the last due date: nothing paid after 1 Feb, the
	// balance stays 83.57 through every later period, 83.57 × 0.0058333 =
	// 0.4875 → 0.49 each: 83.57 + 5 × 0.49 = 86.02 (the contract asked
	// 85.04).
	end := date.New(2024, 7, 1)
	amt, err = r.Payoff(state(end), end)
	require.NoError(t, err)
	require.Equal(t, "86.02", amt.String())
	require.NoError(t, r.Repayment(state(end), end, amt))
	_, err = eng.PostPayment(ctx, "l", end, amt, servicing.Meta{IdempotencyKey: "p2"})
	require.NoError(t, err)
	s := state(end)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.True(t, s.CreditBalance.IsZero())
}

// TestMonthEndDueDates: disbursed on the 31st, every monthly due date is
// its month's last day (Fineract's seed day clamped); disbursed on the
// 30th, on the 30th or the month's end; a 30 January seed whose first due
// date is clamped to February is refused naming expectedDisbursementDate.
func TestMonthEndDueDates(t *testing.T) {
	p, l := recalculating()
	l.ExpectedDisbursementDate = "2024-10-31"
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	tb, err := amortize.Compute(terms.Terms)
	require.NoError(t, err)
	var got []string
	for _, r := range tb.Rows {
		got = append(got, r.DueDate.String())
	}
	require.Equal(t, []string{"2024-11-30", "2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"}, got)

	l.ExpectedDisbursementDate = "2024-11-30"
	terms, err = fineract.Terms(p, l)
	require.NoError(t, err)
	tb, err = amortize.Compute(terms.Terms)
	require.NoError(t, err)
	require.Equal(t, "2025-02-28", tb.Rows[2].DueDate.String())
	require.Equal(t, "2025-03-30", tb.Rows[3].DueDate.String())

	l.ExpectedDisbursementDate = "2025-01-30"
	_, err = fineract.Terms(p, l)
	var u *fineract.UnsupportedError
	require.ErrorAs(t, err, &u)
	require.Equal(t, "expectedDisbursementDate", u.Setting)
}

// An early repayment through the engine (Fineract C3256): 17.01 on
// 15 January pays the interest to that day, 100 × 0.07 × 30/360 × 14/31 =
// 0.2634 → 0.26, and 16.75 of principal; the engine's recalculated
// schedule then bills installment 2 with the rest of January's interest,
// 83.25 × 0.0058333 × 17/31 = 0.27, on top of its own 0.49: 0.76.
func TestRecalculatedEarlyRepayment(t *testing.T) {
	p, l := recalculating()
	p.PaymentAllocation[0].AllocationOrder = []string{"PAST_DUE_PENALTY", "PAST_DUE_FEE", "PAST_DUE_INTEREST", "PAST_DUE_PRINCIPAL",
		"DUE_PENALTY", "DUE_FEE", "DUE_INTEREST", "DUE_PRINCIPAL", "IN_ADVANCE_PENALTY", "IN_ADVANCE_FEE", "IN_ADVANCE_INTEREST", "IN_ADVANCE_PRINCIPAL"}
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	eng := board(t, terms)
	ctx := context.Background()
	on := date.New(2024, 1, 15)
	res, err := eng.PostPayment(ctx, "l", on, money.MustParse("17.01", terms.Currency()), servicing.Meta{IdempotencyKey: "p"})
	require.NoError(t, err)
	h, err := eng.History(ctx, "l", on)
	require.NoError(t, err)
	got := map[string]string{}
	for _, tx := range h.Transactions {
		if tx.Seq == res.Version {
			for _, ln := range tx.Lines {
				got[string(ln.Component)] = ln.Amount.String()
			}
		}
	}
	require.Equal(t, map[string]string{"interest": "0.26", "principal": "16.75"}, got)
	s, err := eng.State(ctx, "l", on)
	require.NoError(t, err)
	require.Equal(t, 2, s.NextInstallment)
	rp, err := s.Recalculated()
	require.NoError(t, err)
	q := rp.Periods()[1]
	require.Equal(t, []string{"16.25", "0.76"}, []string{q.Principal.String(), q.Interest.String()})

	// The credits are part of the canonical state encoding.
	b, err := s.MarshalBinary()
	require.NoError(t, err)
	var back loan.State
	require.NoError(t, back.UnmarshalBinary(b))
	require.Equal(t, s.Credits, back.Credits)
	require.Len(t, back.Credits, 2)

	// The mode needs scheduled accrual: refused naming Terms.Recalculation.
	bad := terms
	bad.Accrual = loan.AccrualDailySimple
	err = bad.Validate()
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
	var fields []string
	for _, fe := range field.Errors(err) {
		fields = append(fields, fe.Field)
	}
	require.Contains(t, fields, "Terms.Recalculation")
}

// A loan under interest recalculation keeps its boarded terms: a rate
// change is refused (the mode bills the schedule as boarded) and nothing
// is written.
func TestRecalculatedTermsStay(t *testing.T) {
	p, l := recalculating()
	terms, err := fineract.Terms(p, l)
	require.NoError(t, err)
	eng := board(t, terms)
	ctx := context.Background()
	_, err = eng.ChangeRate(ctx, "l", date.New(2024, 1, 10), rate.MustPercent("9"), servicing.Meta{IdempotencyKey: "rate"})
	require.ErrorIs(t, err, loan.ErrInvalidEvent)
	s, err := eng.State(ctx, "l", date.New(2024, 1, 10))
	require.NoError(t, err)
	require.Equal(t, 1, s.TermsVersion)
	require.Equal(t, rate.MustPercent("7"), s.Rate)
}

// Cumulative equal installments under the mifos-standard-strategy
// recalculate with REDUCE_EMI_AMOUNT, REDUCE_NUMBER_OF_INSTALLMENTS or
// RESCHEDULE_NEXT_REPAYMENTS (amortize's cumulative modes);
// ADJUST_LAST_UNPAID_PERIOD, a progressive strategy, is refused there
// naming rescheduleStrategyMethod. inMultiplesOf 1 changes nothing in a
// currency with decimals (Fineract rounds to multiples only without them)
// and is accepted; 20 in a currency without decimals is refused.
func TestCumulativeRecalculation(t *testing.T) {
	p, l := cumulative()
	p.DaysInYearType, p.DaysInMonthType, p.InMultiplesOf = "ACTUAL", "ACTUAL", 1
	p.IsInterestRecalculationEnabled, p.InterestRecalculationCompoundingMethod = true, "NONE"
	p.RecalculationRestFrequencyType, p.RecalculationRestFrequencyInterval = "DAILY", 1
	l.InterestCalculationPeriodType = "DAILY"
	for method, mode := range map[string]amortize.Recalculation{
		"REDUCE_EMI_AMOUNT":             amortize.RecalculationCumulativeReduceEMI,
		"REDUCE_NUMBER_OF_INSTALLMENTS": amortize.RecalculationCumulativeReduceTerm,
		"RESCHEDULE_NEXT_REPAYMENTS":    amortize.RecalculationCumulativeRescheduleNext,
	} {
		p.RescheduleStrategyMethod = method
		terms, err := fineract.Terms(p, l)
		require.NoError(t, err, method)
		require.Equal(t, mode, terms.Recalculation)
	}
	p.RescheduleStrategyMethod = "ADJUST_LAST_UNPAID_PERIOD"
	_, err := fineract.Terms(p, l)
	var u *fineract.UnsupportedError
	require.ErrorAs(t, err, &u)
	require.Equal(t, "rescheduleStrategyMethod", u.Setting)

	p, l = cumulative()
	p.CurrencyCode, p.DigitsAfterDecimal, p.InMultiplesOf = "JPY", 0, 20
	_, err = fineract.Terms(p, l)
	require.ErrorAs(t, err, &u)
	require.Equal(t, "inMultiplesOf", u.Setting)
}
