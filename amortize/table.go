package amortize

import (
	"fmt"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Row is one installment of a Table. Payment = Interest + Principal + Fees +
// Escrow, and Balance is the previous row's Balance less Principal.
type Row struct {
	// N is the installment number, from 1.
	N int `json:"n"`
	// DueDate is the (business-day adjusted) due date.
	DueDate date.Date `json:"due_date"`
	// Payment is the amount due for the installment.
	Payment money.Amount `json:"payment"`
	// Interest is the interest part, rounded per Terms.InterestRounding.
	Interest money.Amount `json:"interest"`
	// Principal is the principal part (negative under negative amortization).
	Principal money.Amount `json:"principal"`
	// Fees is the fee part; zero in tables from Compute (filled by callers).
	Fees money.Amount `json:"fees"`
	// Escrow is the escrow part; zero in tables from Compute.
	Escrow money.Amount `json:"escrow"`
	// Balance is the principal balance after the installment.
	Balance money.Amount `json:"balance"`
}

// Totals sums a Table's columns.
type Totals struct {
	Payment   money.Amount `json:"payment"`
	Interest  money.Amount `json:"interest"`
	Principal money.Amount `json:"principal"`
	Fees      money.Amount `json:"fees"`
	Escrow    money.Amount `json:"escrow"`
}

// Table is an amortization table: the installments a borrower owes. The last
// row absorbs every rounding residue, so its payment usually differs from the
// level payment by a few cents.
type Table struct {
	// Principal is the opening balance the rows repay.
	Principal money.Amount `json:"principal"`
	// Payment is the regular payment: the solved or given level payment (the
	// first amortizing payment for other shapes; the installment for add-on).
	Payment money.Amount `json:"payment"`
	// FinanceCharge is the precomputed finance charge of an add-on loan, and
	// Totals.Interest otherwise.
	FinanceCharge money.Amount `json:"finance_charge"`
	// Rows are the installments in order.
	Rows []Row `json:"rows"`
	// Totals sums the rows.
	Totals Totals `json:"totals"`
	// DownPayment is the down payment (Terms.DownPayment) as installment 0,
	// due on the funding date, before the rows; the zero Row when there is
	// none. Its principal and Principal sum to the terms' principal.
	DownPayment Row `json:"down_payment,omitzero"`
}

// Check verifies the table's invariants and returns an error wrapping
// ErrInvariant with the numbers when one fails: each row's Payment equals
// Interest + Principal + Fees + Escrow and its Balance the previous Balance
// less Principal; no Balance is negative; the principal parts sum to
// Principal; the final Balance is exactly zero; Totals are the column sums.
//
// It is one pass over the rows in int64 minor units (amounts are bounded by
// money.MaxMinor and a table by MaxPayments rows, so no sum overflows); the
// error path re-reads the row to print its amounts.
func (tb Table) Check() error {
	bal := tb.Principal.Minor()
	var pay, in, prin, fees, esc int64
	rows := tb.Rows
	for i := range rows {
		r := &rows[i]
		p := r.Principal.Minor()
		if r.Interest.Minor()+p+r.Fees.Minor()+r.Escrow.Minor() != r.Payment.Minor() {
			return fmt.Errorf("%w: row %d: payment %s ≠ interest %s + principal %s + fees %s + escrow %s",
				ErrInvariant, r.N, r.Payment, r.Interest, r.Principal, r.Fees, r.Escrow)
		}
		bal -= p
		if bal != r.Balance.Minor() {
			return fmt.Errorf("%w: row %d: balance %s ≠ previous balance less principal %s", ErrInvariant, r.N, r.Balance,
				minorString(bal))
		}
		if bal < 0 {
			return fmt.Errorf("%w: row %d: negative balance %s", ErrInvariant, r.N, r.Balance)
		}
		if i > 0 && r.N != rows[i-1].N+1 {
			return fmt.Errorf("%w: row %d follows row %d", ErrInvariant, r.N, rows[i-1].N)
		}
		pay += r.Payment.Minor()
		in += r.Interest.Minor()
		prin += p
		fees += r.Fees.Minor()
		esc += r.Escrow.Minor()
	}
	if bal != 0 {
		return fmt.Errorf("%w: final balance %d minor units, want 0", ErrInvariant, bal)
	}
	if prin != tb.Principal.Minor() {
		return fmt.Errorf("%w: principal parts sum to %d minor units, want %s", ErrInvariant, prin, tb.Principal)
	}
	tt := &tb.Totals
	if pay != tt.Payment.Minor() || in != tt.Interest.Minor() || prin != tt.Principal.Minor() ||
		fees != tt.Fees.Minor() || esc != tt.Escrow.Minor() {
		return fmt.Errorf("%w: totals %+v ≠ column sums payment %d, interest %d, principal %d, fees %d, escrow %d (minor units)",
			ErrInvariant, tb.Totals, pay, in, prin, fees, esc)
	}
	return nil
}

func (t Totals) add(r Row) Totals {
	return Totals{Payment: t.Payment.Add(r.Payment), Interest: t.Interest.Add(r.Interest),
		Principal: t.Principal.Add(r.Principal), Fees: t.Fees.Add(r.Fees), Escrow: t.Escrow.Add(r.Escrow)}
}

// minorString prints a minor-unit count for invariant messages.
func minorString(v int64) string { return fmt.Sprintf("%d minor units", v) }
