package revolving_test

import (
	"fmt"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/revolving"
	"github.com/rickb777/date/v2"
)

// A statement: 1,000.00 owed on 1 Jan 2025 at 18 % (actual/365), a 500.00
// draw on 11 Jan and a 300.00 payment on 21 Jan. Daily balances 1,000.00 ×
// 10 days + 1,500.00 × 10 + 1,200.00 × 11 = 38,200.00 dollar-days, so the
// finance charge is 38,200 × 0.18 / 365 = 18.84 and the minimum 2 % of
// 1,200.00 plus the interest, 42.84, due 25 days after the 1 Feb statement.
func ExampleCompute() {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	st, err := revolving.Compute(revolving.Terms{
		APR: rate.MustPercent("18"), DayCount: accrual.DayCount{Convention: accrual.Act365Fixed},
		Method: revolving.DailyBalance, Rounding: money.HalfUp, MinPercentBasisPoints: 200, MinFloor: usd("25.00"), DueDays: 25,
	}, revolving.Cycle{
		Start: date.New(2025, 1, 1), End: date.New(2025, 2, 1), Balance: usd("1000.00"), Fees: usd("0.00"),
		Activity: []revolving.Activity{
			{On: date.New(2025, 1, 11), Kind: revolving.Draw, Amount: usd("500.00")},
			{On: date.New(2025, 1, 21), Kind: revolving.Payment, Amount: usd("300.00")},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.PreviousBalance, st.Payments, st.Draws, st.InterestCharged, st.NewBalance, st.MinimumPayment, st.DueDate)
	// Output:
	// 1000.00 300.00 500.00 18.84 1218.84 42.84 2025-02-26
}
