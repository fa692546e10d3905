package escrow_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/money"
)

// The Reg X Appendix E aggregate example: three tax bills, a 1/6 cushion,
// first payment in July.
func ExampleAnalyze() {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	r, err := escrow.Analyze(escrow.Analysis{
		Method:            escrow.Aggregate,
		Currency:          money.USD,
		FirstPaymentMonth: time.July,
		Disbursements: []escrow.Disbursement{
			{Item: "county taxes", Month: time.July, Amount: usd("500")},
			{Item: "school taxes", Month: time.September, Amount: usd("360")},
			{Item: "county taxes", Month: time.December, Amount: usd("700")},
		},
		Cushion:         escrow.MaxCushion(),
		Rounding:        money.Ceiling,
		CurrentBalance:  usd("1100"),
		BorrowerCurrent: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("monthly payment:", r.MonthlyPayment)
	fmt.Println("cushion:", r.Cushion)
	fmt.Println("target balance:", r.TargetBalance)
	fmt.Println("low point:", r.LowPoint, "in", r.Step3[r.LowPointRow].Month)
	fmt.Println("surplus:", r.Surplus, r.SurplusOptions)
	for _, row := range r.Step3[:4] {
		fmt.Printf("%.3s %7s %7s %8s\n", row.Month, row.Payment, row.Disbursement, row.Balance)
	}
	// Output:
	// monthly payment: 130.00
	// cushion: 260.00
	// target balance: 1040.00
	// low point: 260.00 in December
	// surplus: 60.00 [refund within 30 days]
	// Jun    0.00    0.00  1040.00
	// Jul  130.00  500.00   670.00
	// Aug  130.00    0.00   800.00
	// Sep  130.00  360.00   570.00
}

// A cushion above the 1/6 cap is rejected with a field error.
func ExampleAnalysis_Validate() {
	a := escrow.Analysis{
		Method: escrow.Aggregate, Currency: money.USD, FirstPaymentMonth: time.January,
		Cushion: escrow.Fraction{Num: 1, Den: 4}, Rounding: money.HalfEven,
	}
	fmt.Println(a.Validate())
	// Output:
	// escrow: invalid analysis: Analysis.Cushion: out of range: cushion above 1/6 of annual disbursements (Reg X 1024.17(c)(1)) (1/4): at most 1/6
}
