// Package tape reads a loan tape — the CSV file an origination system (LOS)
// hands a servicer, a funded loan a row — into the boarding requests
// Engine.Board takes.
//
// # Columns
//
// The header names the columns, in any order and any case:
//
//	loan_id          the loan's id in the engine (required, unique in the tape)
//	borrower         the host's borrower reference (required)
//	los_reference    the origination system's loan number
//	product          a loan product (package product) whose defaults the row is laid over
//	product_version  its version (the latest when empty)
//	principal        "300000.00", in the loan's currency
//	annual_rate      "6.5%" or "650bp" (a bare number is refused)
//	funding_date     YYYY-MM-DD
//	first_due_date   YYYY-MM-DD
//	installments     a whole number (where the product lets a loan choose)
//	payment          the periodic payment (empty: solved at boarding)
//	escrow_payment   the periodic escrow payment
//	terms.<member>   any other member of the terms, as JSON or as text
//
// An empty cell is a value not given. A row without a product gives its
// terms whole (terms.currency, terms.accrual, ...), as loan.ParseBoarding
// reads them. [Options.Columns] maps an LOS's own header names onto these
// ("Note Rate" → annual_rate), so a tape is read as the LOS wrote it.
//
// # Errors
//
// Every problem is reported at once as an [*Error] naming its row (the CSV
// record's number, the header being row 1) and its column as the file names
// it, wrapping the *field.Error its owner gave: loan.ParseBoarding or the
// product catalogue decide what a value may be, and the tape only says where
// it came from. Read returns the rows that read beside the errors; boarding
// nothing from a tape with an error, or only its good rows when asked, is
// the caller's choice (servicing.Engine.BoardTape).
//
// # Determinism
//
// The package is pure: it reads what it is given, never the clock, and the
// same bytes give the same loans and errors in the same order.
package tape
