package amortize

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// MITermination holds the Homeowners Protection Act dates of a loan's
// private mortgage insurance (12 U.S.C. 4901–4902), all read from the
// initial amortization schedule (Compute of the terms as originated):
//   - Request: the due date of the first installment after which the
//     principal balance is scheduled to be at most 80 % of the original
//     value — the date from which the borrower may request cancellation
//     (§4902(a), with a good payment history and the value not declined);
//   - Automatic: the same at 78 % — insurance terminates on it if the
//     borrower is current then, else on the first day of the month after
//     the borrower becomes current (§4902(b));
//   - Final: the first day of the month after the midpoint of the
//     amortization period, if current (§4902(c)).
//
// RequestRow and AutomaticRow are the installments (Row.N) reaching each
// threshold.
type MITermination struct {
	Request, Automatic, Final date.Date
	RequestRow, AutomaticRow  int
}

// HPADates returns the mortgage insurance dates of table tb (the initial
// schedule) for a property of originalValue (the lesser of the sales price
// and the appraised value at origination). The thresholds are 80 % and
// 78 % of originalValue rounded half up to the cent. It returns an error
// wrapping ErrInvalidTerms naming OriginalValue when the value is not
// positive or not in the table's currency.
func HPADates(tb Table, originalValue money.Amount) (MITermination, error) {
	if !originalValue.IsPositive() || originalValue.Currency() != tb.Principal.Currency() || len(tb.Rows) == 0 {
		var l field.List
		l.Add("OriginalValue", originalValue.Format(), field.ErrOutOfRange, "positive, in the loan's currency")
		return MITermination{}, l.Err(ErrInvalidTerms)
	}
	at80, err := originalValue.MulDiv(80, 100, money.HalfUp)
	if err != nil {
		return MITermination{}, fmt.Errorf("HPA 80 %%: %w", err)
	}
	at78, err := originalValue.MulDiv(78, 100, money.HalfUp)
	if err != nil {
		return MITermination{}, fmt.Errorf("HPA 78 %%: %w", err)
	}
	var m MITermination
	for _, row := range tb.Rows {
		if m.RequestRow == 0 && !row.Balance.GreaterThan(at80) {
			m.Request, m.RequestRow = row.DueDate, row.N
		}
		if !row.Balance.GreaterThan(at78) {
			m.Automatic, m.AutomaticRow = row.DueDate, row.N
			break
		}
	}
	mid := tb.Rows[(len(tb.Rows)+1)/2-1].DueDate
	y, mo, _ := mid.Date()
	m.Final = date.New(y, mo+1, 1)
	if mo == time.December {
		m.Final = date.New(y+1, time.January, 1)
	}
	return m, nil
}
