package collections_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// A promise to pay 500.00 by 12 Apr, made on 5 Apr, with 200.00 received
// on 8 Apr: pending on the 12th, broken on the 13th.
func ExampleJudge() {
	p := collections.Promise{Made: date.New(2025, time.April, 5), On: date.New(2025, time.April, 12), Amount: money.MustParse("500.00", money.USD)}
	rs := []collections.Receipt{{On: date.New(2025, time.April, 8), Amount: money.MustParse("200.00", money.USD)}}
	for _, day := range []int{12, 13} {
		j := collections.Judge(p, rs, date.New(2025, time.April, day))
		fmt.Println(day, j.Outcome, j.Short.Format())
	}
	// Output:
	// 12 pending USD 0.00
	// 13 broken USD 300.00
}

// A plan of 300.00 on 15 May and 14 Jun, agreed on 30 Apr, with only the
// May money received: it holds through 14 Jun and is broken from 15 Jun,
// the day a servicer holding the status ladder lets it climb again.
func ExampleHoldingUntil() {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	a := collections.Arrangement{Made: date.New(2024, time.April, 30), HoldStatus: true, Payments: []collections.Planned{
		{On: date.New(2024, time.May, 15), Amount: usd("300.00")},
		{On: date.New(2024, time.June, 14), Amount: usd("300.00")},
	}}
	rs := []collections.Receipt{{On: date.New(2024, time.May, 15), Amount: usd("300.00")}}
	fmt.Println(collections.HoldingUntil(a, rs))
	fmt.Println(collections.Holding(a, rs, date.New(2024, time.June, 14)), collections.Holding(a, rs, date.New(2024, time.June, 15)))
	// Output:
	// 2024-06-15
	// true false
}
