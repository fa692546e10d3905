package strictjson_test

import (
	"errors"
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

var ErrInvalidBoarding = errors.New("servicing: invalid boarding")

// A boarding payload is decoded into a wire type whose amount is preset to
// the loan's currency; every problem comes back at once, with its path.
func ExampleDecode() {
	type wireTerms struct {
		Principal    money.Amount `json:"principal"`
		Installments int          `json:"installments"`
		FirstDue     date.Date    `json:"first_due"`
	}
	type wireBoarding struct {
		LoanID string    `json:"loan_id"`
		Terms  wireTerms `json:"terms"`
	}

	good := []byte(`{"loan_id":"L-1","terms":{"principal":"12000.00","installments":36,"first_due":"2024-02-29"}}`)
	w := wireBoarding{Terms: wireTerms{Principal: money.Zero(money.USD)}}
	fmt.Println(strictjson.Decode(good, &w), w.Terms.Principal.Format(), w.Terms.FirstDue)

	bad := []byte(`{"loan_id":"L-2","terms":{"principal":"12000.00","installments":360.5,"first_due":"2024-02-30","comands":[]}}`)
	w = wireBoarding{Terms: wireTerms{Principal: money.Zero(money.USD)}}
	err := strictjson.Decode(bad, &w)
	if err != nil {
		err = fmt.Errorf("%w: %w", ErrInvalidBoarding, err)
	}
	fmt.Println(errors.Is(err, ErrInvalidBoarding), field.Fields(err))
	fmt.Println(err)
	// Output:
	// <nil> USD 12000.00 2024-02-29
	// true [terms.installments terms.first_due terms.comands]
	// servicing: invalid boarding: terms.installments: invalid (360.5): an integer
	// terms.first_due: invalid ("2024-02-30"): 2024-02-30: February 2024 has 29 days
	// terms.comands: not supported: unknown member; allowed: first_due, installments, principal
}

// ParseDate refuses the dates that date.ParseISO would normalise.
func ExampleParseDate() {
	for _, s := range []string{"2024-02-29", "2024-02-30", "2024-13-45"} {
		d, err := strictjson.ParseDate(s)
		lax, _ := date.ParseISO(s)
		fmt.Printf("%s: strict %v %v, lax %v\n", s, d, err, lax)
	}
	// Output:
	// 2024-02-29: strict 2024-02-29 <nil>, lax 2024-02-29
	// 2024-02-30: strict 0001-01-01 strictjson: date "2024-02-30": February 2024 has 29 days, lax 2024-03-01
	// 2024-13-45: strict 0001-01-01 strictjson: date "2024-13-45": month 13 is not 01-12, lax 2025-02-14
}
