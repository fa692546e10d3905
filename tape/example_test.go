package tape_test

import (
	"fmt"
	"strings"

	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/tape"
)

// A tape exported by an origination system under its own column names:
// one good loan, one whose rate lacks its unit.
func ExampleRead() {
	csv := `Loan Number,Borrower ID,Program,Note Amount,Note Rate,Funded,First Payment
MTG-1,BRW-1,mortgage_30_fixed,300000.00,6.5%,2025-01-15,2025-03-01
MTG-2,BRW-2,mortgage_30_fixed,180000.00,6.5,2025-01-20,2025-03-01
`
	tp, err := tape.Read(strings.NewReader(csv), tape.Options{
		Products: product.Builtin(),
		Columns: map[string]string{"Loan Number": "loan_id", "Borrower ID": "borrower", "Program": "product",
			"Note Amount": "principal", "Note Rate": "annual_rate", "Funded": "funding_date", "First Payment": "first_due_date"},
	})
	fmt.Println("invalid:", err != nil)
	for _, l := range tp.Loans {
		n, _ := l.Request.Terms.Normalized()
		// 300000.00 at 6.5 % over 360 months: 1625.00 × 6.991797/5.991797.
		fmt.Println(l.Row, l.ID, l.Request.Product, n.Payment)
	}
	for _, e := range tp.Errors {
		fmt.Println(e.Row, e.Column, e.Err.Field)
	}
	// Output:
	// invalid: true
	// 2 MTG-1 mortgage_30_fixed 1896.20
	// 3 Note Rate Terms.annual_rate
}
