package accrual_test

import (
	"fmt"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// Year fractions are exact: Act/Act (ISDA) over a year end splits the days
// between a 365-day and a 366-day year.
func ExampleDayCount_YearFraction() {
	dc := accrual.DayCount{Convention: accrual.ActActISDA}
	yf, err := dc.YearFraction(date.New(2003, 7, 15), date.New(2004, 1, 15))
	if err != nil {
		panic(err)
	}
	dec, _ := yf.Decimal(12, money.HalfEven)
	fmt.Println(yf, dec)
	// Output: 6733/13359 0.504004790778
}

// The Federal Reserve's daily-simple-interest example: $18,800 at 9 % earns
// $141.00 in the first month (30/360: one month is 1/12 of a year).
func ExampleSimpleInterest() {
	dc := accrual.DayCount{Convention: accrual.Thirty360US}
	yf, _ := dc.YearFraction(date.New(2024, 1, 15), date.New(2024, 2, 15))
	i, _ := accrual.SimpleInterest(money.MustParse("18800", money.USD), rate.MustPercent("9"), yf, money.HalfEven)
	fmt.Println(yf, i)
	// Output: 1/12 141.00
}

// A servicemember's loan at 9 % is capped at 6 % (SCRA) from 16 January:
// the interest above the cap is forgiven and reported apart.
func ExampleTimeline_Accrue() {
	start := date.New(2024, 1, 1)
	tl := accrual.Timeline{
		DayCount:  accrual.DayCount{Convention: accrual.Act360},
		Principal: []accrual.BalanceChange{{On: start, Balance: money.MustParse("100000", money.USD)}},
		Rates:     []accrual.RateChange{{On: start, Rate: rate.MustPercent("9")}},
		Caps:      []accrual.RateCap{{From: date.New(2024, 1, 16), To: date.New(2025, 1, 16), Max: rate.MustPercent("6")}},
		Rounding:  accrual.RoundAtPosting,
		Mode:      money.HalfEven,
	}
	r, err := tl.Accrue(start, date.New(2024, 2, 1))
	if err != nil {
		panic(err)
	}
	fmt.Println("charged", r.Interest, "forgiven", r.Forgiven, "days", r.Days)
	// Output: charged 641.67 forgiven 133.33 days 31
}

// Per diem on a payoff quote: $250,000 at 6.875 % over a 365-day year is
// 17,187.50 / 365 = 47.0890… → 47.09.
func ExamplePerDiem() {
	pd, _ := accrual.PerDiem(money.MustParse("250000", money.USD), rate.MustPercent("6.875"), 365, money.HalfEven)
	fmt.Println(pd)
	// Output: 47.09
}

// A payoff quote's per diem divides by the loan's per-diem year, which the
// day count knows: 200,000 × 6 % = 12,000 a year; over 360 days 33.333… →
// 33.33 for 30/360 and for the "360/30" platform basis, over 365 days
// 32.876… → 32.88 for Act/365F.
func ExampleDayCount_DaysInYear() {
	balance, r := money.MustParse("200000", money.USD), rate.MustPercent("6")
	on := date.New(2024, 3, 15)
	for _, dc := range []accrual.DayCount{
		{Convention: accrual.Thirty360US},
		{Convention: accrual.Basis, YearDays: accrual.Year360, MonthDays: accrual.Month30},
		{Convention: accrual.Act365Fixed},
	} {
		days, err := dc.DaysInYear(on)
		if err != nil {
			panic(err)
		}
		pd, err := accrual.PerDiem(balance, r, days, money.HalfAwayFromZero)
		if err != nil {
			panic(err)
		}
		fmt.Println(dc.Convention, days, pd)
	}
	// Output:
	// 30U_360_EOM 360 33.33
	// BASIS 360 33.33
	// ACT_365F 365 32.88
}
