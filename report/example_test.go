package report_test

import (
	"fmt"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/report"
)

// Prepayment speed: 1,000.00 prepaid in a month on a 100,500.00 balance of
// which 500.00 was scheduled principal is an SMM of 1 %, a CPR of 1 −
// 0.99^12 = 11.36 %.
func ExampleAnnualize() {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	smm, _ := report.SMM(usd("1000.00"), usd("100500.00"), usd("500.00"))
	fmt.Println(smm, report.Annualize(smm).Round(4))
	// Output:
	// 0.01 0.1136
}
