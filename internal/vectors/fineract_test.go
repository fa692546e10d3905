package vectors

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fineractPassing are the Fineract scenarios the profile reproduces in
// full: all of testdata/vectors/fineract_schedules.json, which is in the
// testdata/vectors/*.json set (TestVectors: it must pass whole). The list
// names each case and the class it stands for.
var fineractPassing = []string{
	"fineract-EMICalculation-Part1-C3153", // progressive, Actual/Actual across 1 January
	"fineract-EMICalculation-Part1-C3158", // progressive, 360/30, every 2 weeks
	"fineract-EMICalculation-Part1-C3159", // progressive, 365/Actual
	"fineract-EMICalculation-Part1-C3160",
	"fineract-EMICalculation-Part1-C3161", // progressive with a 25 % down payment
	"fineract-EMICalculation-Part1-C3165", // progressive, 360/30
	"fineract-EMICalculation-Part1-C3200",
	"fineract-EMICalculation-Part1-C3205",      // progressive, every 30 days, with a down payment
	"fineract-LoanAccrualActivity-Part1-C3186", // every 5 days; early repayment over the total: all scheduled interest, overpaid
	"fineract-LoanRepayment-Part2-C2656",       // whole-unit installments; repayment in advance
	"fineract-LoanRepayment-Part2-C2694",       // repayment on the due date
	"fineract-LoanRepayment-Part2-C2699",       // a partial repayment in advance, then the rest on the due date
	"fineract-LoanRepayment-Part1-C2494",       // cumulative, equal principal
	"fineract-LoanRepayment-Part1-C2490",       // flat interest, whole-unit installments
	"fineract-LoanRepayment-Part1-C2493",       // cumulative, daily interest: EMI on 30-day periods, 365-day year
	// Charges on a specified due date, owed with their installment.
	"fineract-LoanRepayment-Part2-C2661",
	"fineract-LoanRepayment-Part2-C2665",
	"fineract-LoanRepayment-Part2-C2695",
	"fineract-LoanRepayment-Part2-C2700",
	"fineract-LoanRepayment-Part2-C2705", // flat interest; charges paid, reversed and paid again
	// Interest recalculation: a pay-off on the last due date, every
	// installment paid late in full (the schedule's interest stands).
	"fineract-EMICalculation-Part3-C3434",
	"fineract-EMICalculation-Part3-C3435",
	"fineract-EMICalculation-Part3-C3441",
	"fineract-EMICalculation-Part3-C3538", // FEB_29_PERIOD_ONLY
	"fineract-EMICalculation-Part3-C3541", // disbursed on the 31st: month-end due dates
	// Interest recalculation, early repayments (amortize.Progressive).
	"fineract-EMICalculation-Part2-C3252", // a cent over the interest to date
	"fineract-EMICalculation-Part2-C3255", // two early repayments of one installment
	"fineract-EMICalculation-Part2-C3256", // the EMI two weeks early
	"fineract-EMICalculation-Part2-C3258", // pay-off after an early repayment
	"fineract-EMICalculation-Part1-C3212", // pay-off before the last due date, TILL_REST_FREQUENCY_DATE
	"fineract-EMICalculation-Part1-C3214", // pay-off of an overdue loan, TILL_REST_FREQUENCY_DATE
	"fineract-EMICalculation-Part2-C3238", // overdue principal bears interest to the business date
	"fineract-EMICalculation-Part3-C3798", // pay-off of two overdue installments, undone
	// Interest recalculation on cumulative schedules (mifos-standard).
	"fineract-LoanRepayment-Part1-C2556", // REDUCE_EMI_AMOUNT, on time
	"fineract-LoanRepayment-Part1-C2557", // REDUCE_EMI_AMOUNT, early, the EMI
	"fineract-LoanRepayment-Part1-C2560", // REDUCE_EMI_AMOUNT, early, in part
	"fineract-LoanRepayment-Part1-C2629", // REDUCE_NUMBER_OF_INSTALLMENTS
	"fineract-LoanRepayment-Part1-C2631", // RESCHEDULE_NEXT_REPAYMENTS
	// Interest recalculation, money for the last installments.
	"fineract-EMICalculation-Part2-C3290", // the EMI for the last installment
	"fineract-EMICalculation-Part2-C3291", // two EMIs for the last two
	"fineract-EMICalculation-Part2-C3292", // then a pay-off, the first installment last
}

// TestFineractPassingNeverShrinks runs the Fineract scenarios and fails if
// a listed case stops passing, or a case is neither listed nor failing
// with a reason (never skipped).
func TestFineractPassingNeverShrinks(t *testing.T) {
	rep, err := CheckFile("../../testdata/vectors/fineract_schedules.json")
	require.NoError(t, err)
	var passed []string
	for _, o := range rep.Outcomes {
		require.False(t, o.Skipped, o.ID)
		if o.Passed {
			passed = append(passed, o.ID)
		} else {
			require.NotEmpty(t, o.Actual+o.Note, "%s fails without a reason", o.ID)
		}
	}
	for _, id := range fineractPassing {
		require.Contains(t, passed, id, "a Fineract case that passed no longer does")
	}
	p, f, _ := rep.Counts()
	t.Logf("fineract_schedules: %d passed, %d failed", p, f)
	for _, o := range rep.Failures() {
		if !strings.HasPrefix(o.Actual, "unsupported: ") && !slices.Contains(fineractPassing, o.ID) {
			t.Logf("%s: expected %s, got %s (%s)", o.ID, o.Expected, o.Actual, o.Note)
		}
	}
}

// TestFineractUndoRepayment plays C2699 (two repayments of 500 paying a
// 1000 loan) and then undoes the first: the reversed repayment keeps its
// row as it stood, the second is processed again alone (the balance after
// it is 500) and the loan is active with 500 outstanding. Undoing a
// repayment that is not in force is a mismatch, never a pass.
func TestFineractUndoRepayment(t *testing.T) {
	data, err := os.ReadFile("../../testdata/vectors/fineract_schedules.json")
	require.NoError(t, err)
	var top struct {
		Cases []fineractCase `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(data, &top))
	var c fineractCase
	for _, x := range top.Cases {
		if strings.HasSuffix(x.ID, "-C2699") {
			c = x
		}
	}
	require.NotEmpty(t, c.ID)
	var steps []fineractEvent
	require.NoError(t, json.Unmarshal([]byte(`[
	 {"op": "set_business_date", "date": "2023-02-05"},
	 {"op": "undo_transaction", "nth": 1, "transaction_type": "Repayment", "transaction_date": "2023-01-25"},
	 {"op": "expect_transaction_reverted", "transaction_type": "Repayment", "transaction_date": "2023-01-25"},
	 {"op": "expect_transactions", "exact_count": true, "rows": [
	  {"date": "2023-01-01", "type": "Disbursement", "amount": "1000.0", "principal_balance_after": "1000.0"},
	  {"date": "2023-01-25", "type": "Repayment", "amount": "500.0", "principal": "500.0", "principal_balance_after": "500.0"},
	  {"date": "2023-02-01", "type": "Repayment", "amount": "500.0", "principal": "500.0", "principal_balance_after": "500.0"}]},
	 {"op": "expect_status", "status": "ACTIVE"},
	 {"op": "expect_total_outstanding", "amount": "500"}
	]`), &steps))
	ok := c
	ok.Events = append(slices.Clip(c.Events), steps...)
	o := runFineract(ok)
	require.True(t, o.Passed, "%+v", o)

	bad := c
	bad.Events = append(slices.Clip(c.Events), steps[:2]...)
	bad.Events = append(bad.Events, steps[1]) // the same repayment again: no longer in force
	o = runFineract(bad)
	require.False(t, o.Passed)
	require.Contains(t, o.Note, "undo_transaction")
}
