package fineract_test

import (
	"errors"
	"fmt"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/fineract"
)

// A progressive Fineract loan on Actual/Actual: the first period,
// 12 Dec 2023 → 12 Jan 2024, earns 10000 × 9.4822 % × (19/365 + 12/366).
func ExampleTerms() {
	p := fineract.Product{LoanScheduleType: "PROGRESSIVE", CurrencyCode: "EUR", DigitsAfterDecimal: 2,
		InterestRateFrequencyType: "PER_YEAR", DaysInYearType: "ACTUAL", DaysInMonthType: "ACTUAL"}
	l := fineract.Loan{Principal: "10000", InterestRatePerPeriod: "9.4822", InterestType: "DECLINING_BALANCE",
		InterestCalculationPeriodType: "DAILY", AmortizationType: "EQUAL_INSTALLMENTS", NumberOfRepayments: 6,
		RepaymentEvery: 1, RepaymentFrequencyType: "MONTHS", ExpectedDisbursementDate: "2023-12-12",
		TransactionProcessingStrategyCode: "mifos-standard-strategy"}
	t, err := fineract.Terms(p, l)
	if err != nil {
		panic(err)
	}
	tb, err := amortize.Compute(t.Terms)
	if err != nil {
		panic(err)
	}
	for _, r := range tb.Rows {
		fmt.Println(r.DueDate, r.Principal, r.Interest, r.Balance)
	}

	p.IsInterestRecalculationEnabled = true
	_, err = fineract.Terms(p, l)
	var u *fineract.UnsupportedError
	fmt.Println(errors.As(err, &u), u.Setting)
	// Output:
	// 2024-01-12 1632.67 80.45 8367.33
	// 2024-02-12 1645.92 67.20 6721.41
	// 2024-03-12 1662.62 50.50 5058.79
	// 2024-04-12 1672.49 40.63 3386.30
	// 2024-05-12 1686.80 26.32 1699.50
	// 2024-06-12 1699.50 13.65 0.00
	// true isInterestRecalculationEnabled
}
