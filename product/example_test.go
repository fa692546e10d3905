package product_test

import (
	"context"
	"fmt"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
)

// The built-in catalogue, and what each loan of each product gives.
func ExampleBuiltin() {
	for _, p := range product.Builtin().Products() {
		fmt.Println(p.Name, p.Version, p.Required, p.Overridable)
	}
	// Output:
	// auto_loan 1 [principal annual_rate funding_date first_due_date] [installments]
	// bridge_loan 1 [principal annual_rate funding_date first_due_date] []
	// construction_loan 1 [principal annual_rate funding_date first_due_date draws] []
	// consumer_add_on 1 [principal annual_rate funding_date first_due_date] [installments]
	// heloc 1 [principal annual_rate funding_date line] []
	// mortgage_15_fixed 1 [principal annual_rate funding_date first_due_date] [escrow_payment]
	// mortgage_30_fixed 1 [principal annual_rate funding_date first_due_date] [escrow_payment]
	// mortgage_arm_5_1 1 [principal annual_rate funding_date first_due_date] [escrow_payment arm]
	// personal_loan 1 [principal annual_rate funding_date first_due_date] [installments]
}

// A 30-year fixed mortgage boarded from its product: the payload gives the
// principal, rate and dates; the product gives the rest, and the payment
// (300,000.00 at 6.5 % over 360 months) is solved at boarding. The
// loan's log records the product and version.
func ExampleCatalogue_ParseBoarding() {
	ctx := context.Background()
	req, err := product.Builtin().ParseBoarding([]byte(`{"product": "mortgage_30_fixed",
	  "terms": {"principal": "300000.00", "annual_rate": "6.5%",
	            "funding_date": "2025-01-15", "first_due_date": "2025-03-01"},
	  "borrower": "BRW-1"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(),
		Now: func() time.Time { return time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := e.Board(ctx, "MTG-1", req, servicing.Meta{IdempotencyKey: "board-MTG-1"}); err != nil {
		fmt.Println(err)
		return
	}
	s, err := e.State(ctx, "MTG-1", date.New(2025, 3, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Product, req.ProductVersion)
	fmt.Println(s.Payment.Format(), "a month for", s.Terms.Installments, "months from", s.Terms.FirstDueDate)
	fmt.Println("late fee after", s.Terms.Delinquency.LateFee.GraceDays, "days:", s.Terms.Delinquency.LateFee.PercentBasisPoints, "bp of P&I")
	// Output:
	// mortgage_30_fixed 1
	// USD 1896.20 a month for 360 months from 2025-03-01
	// late fee after 15 days: 500 bp of P&I
}

// A payload is checked whole: every value missing, every value outside the
// product's limits and every member the product keeps for itself is named
// at once, and nothing is boarded.
func ExampleCatalogue_ParseBoarding_refused() {
	_, err := product.Builtin().ParseBoarding([]byte(`{"product": "personal_loan",
	  "terms": {"principal": "75000.00", "annual_rate": "39%", "shape": "equal_principal",
	            "funding_date": "2025-01-10"},
	  "borrower": "BRW-2"}`))
	for _, fe := range field.Errors(err) {
		fmt.Println(fe)
	}
	// Output:
	// Terms.first_due_date: required: each loan of personal_loan v1 gives it (no default)
	// Terms.shape: not supported: personal_loan v1 sets it; a loan gives principal, annual_rate, funding_date, first_due_date and may give installments
	// Terms.principal: out of range (75000.00): personal_loan v1 lends 1000.00 to 50000.00
	// Terms.annual_rate: out of range (39.0000%): personal_loan v1 lends at rates at most 36.0000%
}

// A host ships its own products as JSON: here an equipment loan, monthly
// 30/360 over 48 months by default (24 to 60), from 10,000.00. A loan of
// 48,000.00 at 8 % pays 48,000 × (0.08/12) / (1 − (1 + 0.08/12)^−48) =
// 1,171.82.
func ExampleParseCatalogue() {
	c, err := product.ParseCatalogue([]byte(`{"products": [{
	  "name": "equipment_loan", "version": 1,
	  "description": "Equipment loan: monthly level payments, 30/360 scheduled interest.",
	  "defaults": {"currency": "USD", "installments": 48, "frequency": {"unit": "month", "every": 1},
	    "eom": "anchor", "shape": "level", "interest_method": "periodic",
	    "day_count": {"convention": "30U_360_EOM"}, "odd_first_period": "prepaid",
	    "interest_rounding": "half_away_from_zero", "payment_rounding": "half_away_from_zero",
	    "accrual": "scheduled", "escrow_payment": "0.00",
	    "delinquency": {"recognition": "full", "method": "days_past_due",
	      "late_fee": {"grace_days": 10, "method": "flat", "flat_amount": "50.00"},
	      "status": {"delinquent_days": 1, "default_days": 90, "non_accrual_days": 90,
	                 "charge_off_days": 120, "charge_off": "regular"}}},
	  "required": ["principal", "annual_rate", "funding_date", "first_due_date"],
	  "overridable": ["installments"],
	  "limits": {"principal_min": "10000.00", "installments_min": 24, "installments_max": 60}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	req, err := c.ParseBoarding([]byte(`{"product": "equipment_loan",
	  "terms": {"principal": "48000.00", "annual_rate": "8%",
	            "funding_date": "2025-04-01", "first_due_date": "2025-05-01"},
	  "borrower": "ACME-7"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := req.Terms.Normalized()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Product, req.ProductVersion, t.Payment.Format(), t.Installments)
	// Output:
	// equipment_loan 1 USD 1171.82 48
}

// A product changes by a new version: a lender that makes no mortgage
// below 50,000.00 adds version 2 of the 30-year fixed product. Payloads
// get the latest unless they name a version, and loans boarded under
// version 1 keep it in their log.
func ExampleNewCatalogue() {
	v2 := product.Mortgage30Fixed()
	v2.Version = 2
	v2.Limits.PrincipalMin = money.MustParse("50000.00", money.USD)
	c, err := product.NewCatalogue(append(product.Builtin().Products(), v2)...)
	if err != nil {
		fmt.Println(err)
		return
	}
	latest, _ := c.Latest("mortgage_30_fixed")
	first, _ := c.Lookup("mortgage_30_fixed", 1)
	fmt.Println(latest.Version, latest.Limits.PrincipalMin.Format(), "to", latest.Limits.PrincipalMax.Format())
	fmt.Println(first.Version, first.Limits.PrincipalMin.IsZero())
	_, err = c.ParseBoarding([]byte(`{"product": "mortgage_30_fixed",
	  "terms": {"principal": "40000.00", "annual_rate": "6.5%",
	            "funding_date": "2025-01-15", "first_due_date": "2025-03-01"}, "borrower": "B"}`))
	fmt.Println(err)
	// Output:
	// 2 USD 50000.00 to USD 832750.00
	// 1 true
	// loan: invalid input: loan: invalid terms: Terms.principal: out of range (40000.00): mortgage_30_fixed v2 lends 50000.00 to 832750.00
}
