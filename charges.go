package servicing

import (
	"context"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// AssessCharge charges a fee on date on that is owed with an installment:
// the one whose period holds dueOn (loan.State.ChargeInstallment). It is
// billed with that installment and paid by the allocation rules as one of
// its receivables (a penalty for loan.FeeLate, a fee otherwise), unlike
// AssessFee's fee, owed from its date outside the installments (Apache
// Fineract's charges with a due date work this way). A dueOn before
// funding or after the last due date is refused naming DueOn.
func (e *Engine) AssessCharge(ctx context.Context, id LoanID, on date.Date, t loan.FeeType, amount money.Amount, dueOn date.Date, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindFeeAssessed, on: on, meta: m,
		payload: loan.FeeAssessed{Type: t, Amount: amount, DueOn: dueOn},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			positive(fl, "Amount", amount, l)
			if t == "" {
				fl.Add("Type", nil, field.ErrRequired, "")
			}
			if _, ok := l.state.ChargeInstallment(dueOn); !ok {
				fl.Add("DueOn", dueOn.String(), field.ErrOutOfRange, "no installment's period holds the date")
			}
		}})
}
