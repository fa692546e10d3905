// Package product is loan products: named, versioned sets of terms from
// which a loan is boarded by giving only what differs — a 30-year fixed
// mortgage needs its principal, rate, funding date and first due date, and
// takes everything else (monthly 30/360 scheduled interest, the prepaid odd
// days, the GSE waterfall, 15 days' grace and a 5 % late charge…) from the
// product.
//
// A [Product] is a Go value and JSON data alike (read strictly, written
// back the same), so a host can ship its own catalogue. It holds
//
//   - Defaults: a loan.Terms with every term but the ones each loan gives;
//   - Required: the terms members each loan must give (JSON names:
//     "principal", "annual_rate", "funding_date", "first_due_date");
//   - Overridable: the members a loan may give in place of the default;
//   - Limits: the ranges a loan's principal, rate and term must fall in,
//     and the day of the month it falls due on.
//
// A [Catalogue] holds products by name and version. [Builtin] is a small
// catalogue of common US products ([Mortgage30Fixed], [Mortgage15Fixed],
// [ARM51], [AutoLoan], [PersonalLoan], [BridgeLoan], [ConsumerAddOn]),
// each citing the source of its conventions.
//
// # Boarding
//
// [Catalogue.ParseBoarding] reads a payload naming a product,
//
//	{"product": "mortgage_30_fixed",
//	 "terms": {"principal": "300000.00", "annual_rate": "6.5%",
//	           "funding_date": "2025-01-15", "first_due_date": "2025-03-01"},
//	 "borrower": "B-1"}
//
// (optionally "product_version"; the latest otherwise, and the payload's
// other members are loan.ParseBoarding's: borrower, los_reference,
// history). It lays the loan's terms members over the product's defaults —
// a member given replaces the default whole — and hands the result to
// loan.ParseBoarding, so the terms are read and validated by package loan
// alone; the payment, left out, is solved at boarding
// (loan.Terms.Normalized). It reports every problem at once, each with its
// path: required values missing, members the product does not let a loan
// change, values outside the product's limits, and whatever loan finds.
// The request it returns names the product and version, which the engine
// records in the loan's Boarded event.
//
// # One owner per rule
//
// A product supplies defaults and limits only. What makes terms valid is
// loan's (Terms.Validate, which asks amortize, delinquency, payment and
// accrual), and Product.Validate asks it too: a product's defaults must be
// valid loan terms but for the values each loan gives.
//
// Products are pure data: this package does no I/O and reads no clock.
package product
