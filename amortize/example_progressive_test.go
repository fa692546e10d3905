package amortize_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// Fineract's interest recalculation: the EMI of 17.01 paid on 15 January,
// before its 1 February due date, takes only the interest to that day;
// the interest of the rest of the period moves to the next installment
// and the last installment shrinks.
func ExampleNewProgressive() {
	eur := money.MustCurrency("EUR")
	p, err := amortize.NewProgressive(amortize.Terms{Principal: money.MustParse("100", eur), AnnualRate: rate.MustPercent("7"),
		Installments: 6, Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, FundingDate: date.New(2024, time.January, 1),
		FirstDueDate: date.New(2024, time.February, 1), Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestDaily,
		DayCount:         accrual.DayCount{Convention: accrual.Basis, YearDays: accrual.Year360, MonthDays: accrual.Month30},
		InterestRounding: money.HalfEven, PaymentRounding: money.HalfEven, EMIAdjust: amortize.EMIAdjustFineract},
		amortize.RecalculationProgressive)
	if err != nil {
		panic(err)
	}
	on := date.New(2024, time.January, 15)
	interest, principal, _ := p.Payable(1, on)
	fmt.Println("payable on", on, interest, principal)
	if p, err = p.PayInterest(1, interest); err == nil {
		p, err = p.PayPrincipal(1, on, principal)
	}
	if err != nil {
		panic(err)
	}
	for _, q := range p.Periods() {
		fmt.Println(q.N, q.DueDate, q.EMI, q.Principal, q.Interest, q.Balance)
	}
	// Output:
	// payable on 2024-01-15 0.26 16.75
	// 1 2024-02-01 17.01 16.75 0.26 83.25
	// 2 2024-03-01 17.01 16.25 0.76 67.00
	// 3 2024-04-01 17.01 16.62 0.39 50.38
	// 4 2024-05-01 17.01 16.72 0.29 33.66
	// 5 2024-06-01 17.01 16.81 0.20 16.85
	// 6 2024-07-01 16.95 16.85 0.10 0.00
}
