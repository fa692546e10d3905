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

// A 30-year mortgage: 200,000.00 at 6.5 %, interest rounded half-up monthly.
func ExampleCompute() {
	tb, err := amortize.Compute(amortize.Terms{
		Principal:        money.MustParse("200000.00", money.USD),
		AnnualRate:       rate.MustPercent("6.5"),
		Installments:     360,
		Frequency:        schedule.Monthly(),
		EOM:              schedule.EOMAnchor,
		FundingDate:      date.New(2024, time.January, 1),
		FirstDueDate:     date.New(2024, time.February, 1),
		Shape:            amortize.ShapeLevel,
		InterestMethod:   amortize.InterestPeriodic,
		DayCount:         accrual.DayCount{Convention: accrual.Thirty360US},
		InterestRounding: money.HalfUp,
		PaymentRounding:  money.HalfUp,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	first, last := tb.Rows[0], tb.Rows[len(tb.Rows)-1]
	fmt.Println("payment", tb.Payment, "first interest", first.Interest)
	fmt.Println("last", last.DueDate, last.Payment, "balance", last.Balance)
	fmt.Println("total interest", tb.Totals.Interest)
	// Output:
	// payment 1264.14 first interest 1083.33
	// last 2054-01-01 1259.56 balance 0.00
	// total interest 255085.82
}

// Regulation Z Appendix J (c)(1)(i): 5,000 financed, 24 monthly payments of
// 230 → APR 9.69 %.
func ExampleAPR() {
	res, err := amortize.APR(amortize.APRRequest{
		AmountFinanced: money.MustParse("5000", money.USD),
		Advance:        date.New(1978, time.January, 10),
		Streams: []amortize.PaymentStream{{Amount: money.MustParse("230", money.USD), Count: 24,
			First: date.New(1978, time.February, 10), Frequency: schedule.Monthly()}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	apr, _ := money.RoundDecimal(res.APR.PercentValue(), 2, money.HalfUp)
	fmt.Println(apr.StringFixed(2) + "%")
	// Output: 9.69%
}

// Rule of 78s: 100.00 finance charge, 12 payments, 9 remaining → 90/156.
func ExampleUnearnedFinanceCharge() {
	r, err := amortize.UnearnedFinanceCharge(amortize.RebateRequest{Method: amortize.RebateRule78,
		Profile: amortize.ProfileUSConsumer, FinanceCharge: money.MustParse("100.00", money.USD),
		Payments: 12, PaymentsMade: 3, Rounding: money.HalfUp})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Unearned, r.FractionNum, r.FractionDen)
	// Output: 57.69 90 156
}

// A rate path: 1,000.00 at 12 % monthly over 3 installments; the rate falls
// to 6 % on 1 Feb 2024, the first due date, so period 2 [1 Feb, 1 Mar) and
// later run at 0.5 % a month and the level payment is recast there.
//
// By hand: 1,000·0.01·1.01³/(1.01³−1) = 10.30301/0.030301 = 340.022… →
// 340.02; interest 10.00, balance 669.98. Recast at 0.5 % over 2:
// 669.98·0.005·1.005²/(1.005²−1) = 3.38348…/0.010025 = 337.504… → 337.50;
// interest 669.98·0.005 = 3.3499 → 3.35, balance 335.83. The last row pays
// 335.83 + 1.67915 → 1.68 = 337.51.
func ExampleCompute_ratePath() {
	tb, err := amortize.Compute(amortize.Terms{
		Principal:        money.MustParse("1000.00", money.USD),
		AnnualRate:       rate.MustPercent("12"),
		RatePath:         []accrual.RateChange{{On: date.New(2024, time.February, 1), Rate: rate.MustPercent("6")}},
		Installments:     3,
		Frequency:        schedule.Monthly(),
		EOM:              schedule.EOMAnchor,
		FundingDate:      date.New(2024, time.January, 1),
		FirstDueDate:     date.New(2024, time.February, 1),
		Shape:            amortize.ShapeLevel,
		InterestMethod:   amortize.InterestPeriodic,
		InterestRounding: money.HalfUp,
		PaymentRounding:  money.HalfUp,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range tb.Rows {
		fmt.Println(r.N, r.DueDate, r.Payment, r.Interest, r.Principal, r.Balance)
	}
	// Output:
	// 1 2024-02-01 340.02 10.00 330.02 669.98
	// 2 2024-03-01 337.50 3.35 334.15 335.83
	// 3 2024-04-01 337.51 1.68 335.83 0.00
}

// A down payment due at funding: 10,000.00 with 2,500.00 down, at 12 %
// over 12 months (1 % a month). The rows amortize the 7,500.00 left:
// 7,500 × 0.01 / (1 − 1.01^−12) = 666.366… → 666.37, the first row's
// interest 75.00.
func ExampleCompute_downPayment() {
	tb, err := amortize.Compute(amortize.Terms{
		Principal:        money.MustParse("10000.00", money.USD),
		DownPayment:      money.MustParse("2500.00", money.USD),
		AnnualRate:       rate.MustPercent("12"),
		Installments:     12,
		Frequency:        schedule.Monthly(),
		EOM:              schedule.EOMAnchor,
		FundingDate:      date.New(2024, time.January, 1),
		FirstDueDate:     date.New(2024, time.February, 1),
		Shape:            amortize.ShapeLevel,
		InterestMethod:   amortize.InterestPeriodic,
		DayCount:         accrual.DayCount{Convention: accrual.Thirty360US},
		InterestRounding: money.HalfUp,
		PaymentRounding:  money.HalfUp,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	dp := tb.DownPayment
	fmt.Println("down", dp.DueDate, dp.Payment, "then", tb.Principal, "at", tb.Payment, "first interest", tb.Rows[0].Interest)
	// Output:
	// down 2024-01-01 2500.00 then 7500.00 at 666.37 first interest 75.00
}

// The Homeowners Protection Act dates of ExampleCompute's mortgage
// (200,000.00 at 6.5 %, 1,264.14 a month from 1 Feb 2024) on a 230,000.00
// original value. The scheduled balance after k payments is P(1+r)^k −
// M((1+r)^k − 1)/r with r = 0.065/12: 184,130.39 after 72 payments and
// 183,863.62 after 73, so it first reaches 80 % (184,000.00) with
// installment 73, due 1 Feb 2030; 179,684.25 after 88 and 179,393.40 after
// 89, so 78 % (179,400.00) with installment 89, due 1 Jun 2031 (the table's
// rounded balances, 183,863.58 and 179,393.36, agree). The midpoint of the
// 360 installments is the 180th, due 1 Jan 2039: final termination 1 Feb
// 2039.
func ExampleHPADates() {
	tb, _ := amortize.Compute(amortize.Terms{
		Principal: money.MustParse("200000.00", money.USD), AnnualRate: rate.MustPercent("6.5"), Installments: 360,
		Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
		FundingDate: date.New(2024, time.January, 1), FirstDueDate: date.New(2024, time.February, 1),
		Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic,
		DayCount:         accrual.DayCount{Convention: accrual.Thirty360US},
		InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp,
	})
	m, err := amortize.HPADates(tb, money.MustParse("230000.00", money.USD))
	fmt.Println(err, m.RequestRow, m.Request, m.AutomaticRow, m.Automatic, m.Final)
	// Output:
	// <nil> 73 2030-02-01 89 2031-06-01 2039-02-01
}
