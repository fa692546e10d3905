package payment_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// Example follows the CFPB example for Reg Z §1026.36(c)(1)(ii): $1,000 due
// each month, $900 already held in suspense, $400 arrives in March: $1,000 is
// applied to January and $300 stays held.
func Example() {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	var rs []payment.Receivable
	for m := time.January; m <= time.March; m++ {
		due := date.New(2024, m, 1)
		rs = append(rs,
			payment.Receivable{Installment: int(m), Component: payment.Interest, DueDate: due, Open: usd("500.00")},
			payment.Receivable{Installment: int(m), Component: payment.Principal, DueDate: due, Open: usd("300.00")},
			payment.Receivable{Installment: int(m), Component: payment.Escrow, DueDate: due, Open: usd("200.00")})
	}
	a, err := payment.Allocate(payment.GSEMortgage(), payment.Input{
		On: date.New(2024, time.March, 15), Amount: usd("400.00"), Suspense: usd("900.00"),
		Type: payment.Repayment, Receivables: rs,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(a)
	// Output:
	// 2024-03-15 repayment received 400.00 + 900.00 from suspense
	//   500.00 → installment 1 interest due 2024-01-01 (past due): rule 1 "past_due_interest" of order gse_mortgage (horizontal, oldest installment first)
	//   300.00 → installment 1 principal due 2024-01-01 (past due): rule 2 "past_due_principal" of order gse_mortgage (horizontal, oldest installment first)
	//   200.00 → installment 1 escrow due 2024-01-01 (past due): rule 3 "past_due_escrow" of order gse_mortgage (horizontal, oldest installment first)
	//   300.00 → suspense: installment 2 needs 1000.00 in full (partial policy suspense)
}

// ExampleCompiled compiles a product's rules once and posts two payments
// with them, reusing one Allocation: the GSE order pays the installment's
// interest, principal and escrow, then the late charge.
func ExampleCompiled() {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	rules, err := payment.GSEMortgage().Compile()
	if err != nil {
		fmt.Println(err)
		return
	}
	due := date.New(2024, time.May, 1)
	rs := []payment.Receivable{
		{Installment: 1, Component: payment.Interest, DueDate: due, Open: usd("400.00")},
		{Installment: 1, Component: payment.Principal, DueDate: due, Open: usd("250.00")},
		{Installment: 1, Component: payment.Escrow, DueDate: due, Open: usd("150.00")},
		{Installment: 1, Component: payment.Penalty, DueDate: due + 15, Open: usd("40.00")},
	}
	var a payment.Allocation
	for _, amount := range []string{"500.00", "840.00"} {
		in := payment.Input{On: date.New(2024, time.May, 20), Amount: usd(amount), Type: payment.Repayment, Receivables: rs}
		if err := rules.AllocateInto(&a, in); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d lines, suspense %s, open %v\n", amount, len(a.Lines), a.Suspense, a.Open)
	}
	// Output:
	// 500.00: 0 lines, suspense 500.00, open [400.00 250.00 150.00 40.00]
	// 840.00: 4 lines, suspense 0.00, open [0.00 0.00 0.00 0.00]
}

// ExampleQuote_fannieMae prices a conventional payoff by the Fannie Mae rule:
// interest paid through 1 March, funds arriving 17 May: two whole months of
// 200,000.00 × 6.5 % / 12 and 16 days of 200,000.00 × 6.5 % / 365.
func ExampleQuote_fannieMae() {
	q, err := payment.Quote(payment.QuoteRequest{
		On: date.New(2024, time.May, 17), Currency: money.USD, InterestFrom: date.New(2024, time.March, 1),
		Receivables: []payment.Receivable{{Installment: 1, Component: payment.Principal,
			DueDate: date.New(2054, time.March, 1), Open: money.MustParse("200000.00", money.USD)}},
		Method: payment.FannieMaeConventional, Rate: rate.MustPercent("6.5"), Rounding: money.HalfEven,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d months + %d days: interest %s, per diem %s, payoff %s good through %s\n",
		q.InterestMonths, q.AccrualDays, q.AccruedInterest, q.PerDiem, q.Total, q.GoodThrough)
	// Output:
	// 2 months + 16 days: interest 2736.53, per diem 35.62, payoff 202736.53 good through 2024-05-17
}
