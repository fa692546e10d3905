package rate_test

import (
	"fmt"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
)

// A rate's text always carries its unit, so 6.5 % and 0.065 cannot be mixed up.
func ExampleParse() {
	r, _ := rate.Parse("6.5%")
	fmt.Println(r, r.Fraction())
	_, err := rate.Parse("6.5")
	fmt.Println(err)
	// Output:
	// 6.5000% 0.065
	// rate: missing unit (write 6.5% or 650bp): "6.5"
}

// One month's interest on a balance, exactly: balance × rate / 12.
func ExampleRate_Ratio() {
	r := rate.MustPercent("6.5")
	num, den := r.Ratio()
	balance := money.MustParse("200000.00", money.USD)
	interest, _ := balance.MulDiv(num, den*12, money.HalfUp)
	fmt.Println(interest)
	// Output: 1083.33
}
