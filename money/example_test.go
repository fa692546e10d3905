package money_test

import (
	"fmt"

	"github.com/lendcore/servicing/money"
	"github.com/shopspring/decimal"
)

// Round is the one named step from an intermediate decimal to money.
func ExampleRound() {
	perDiem := decimal.RequireFromString("27.397260273972602739")
	for _, mode := range []money.RoundingMode{money.HalfEven, money.TowardZero, money.Ceiling} {
		a, _ := money.Round(perDiem, money.USD, mode)
		fmt.Println(mode, a)
	}
	// Output:
	// half_even 27.40
	// toward_zero 27.39
	// ceiling 27.40
}

// Split hands out the leftover cents to the first parts, so the parts always
// sum to the whole.
func ExampleAmount_Split() {
	fee := money.MustParse("100.00", money.USD)
	parts, _ := fee.Split(3)
	fmt.Println(parts, money.Sum(parts...))
	// Output: [33.34 33.33 33.33] 100.00
}

// Allocate divides in proportion to weights by the largest-remainder method.
func ExampleAmount_Allocate() {
	pay := money.MustParse("0.05", money.USD)
	parts, _ := pay.Allocate([]int64{2, 2, 1})
	fmt.Println(parts)
	// Output: [0.02 0.02 0.01]
}

// Currencies carry their ISO 4217 minor units.
func ExampleParse() {
	yen, _ := money.Parse("1500", money.JPY)
	dinar, _ := money.Parse("1.250", money.BHD)
	_, err := money.Parse("1.5", money.JPY)
	fmt.Println(yen.Format(), dinar.Format())
	fmt.Println(err)
	// Output:
	// JPY 1500 BHD 1.250
	// money: invalid amount: "1.5": more than 0 decimal places
}

// AppendText writes MarshalText's spelling into a buffer the caller
// reuses: the code, a space and the amount.
func ExampleAmount_AppendText() {
	buf := []byte("paid: ")
	buf, _ = money.MustParse("1199.10", money.USD).AppendText(buf)
	fmt.Println(string(buf))
	// Output:
	// paid: USD 1199.10
}
