package loan

import (
	"fmt"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// ScheduledDue returns what the loan has still to pay, as billed, of its
// unpaid installments falling due after after and on or before through:
// their principal and interest (the open parts of partly paid ones; escrow
// and fees are left out). It is the scheduled amortization a portfolio or
// investor report measures prepayment and advances against, asked of the
// loan's own billing (amortize's rows under the rate and payment paths;
// daily simple interest accrued to each due date) rather than re-derived.
// With after = s.AsOf it is the installments still to come; with after =
// s.AsOf − 1 it also holds one due on s.AsOf and unpaid at its end (owed,
// not yet past due). A closed loan has nothing due.
func (s State) ScheduledDue(after, through date.Date) (principal, interest money.Amount, err error) {
	z := money.Zero(s.Terms.Currency())
	if through <= after || s.Status == StatusPaidOff || s.Status == StatusChargedOff || s.Status == StatusPending {
		return z, z, nil
	}
	f := folder{s: s}
	if _, _, err := f.bills(through); err != nil {
		return z, z, fmt.Errorf("scheduled due: %w", err)
	}
	if s.Terms.Accrual == AccrualDailySimple {
		// As the statement does: the interest accrued through the last
		// due date billed, as if paid that day.
		last := date.Date(0)
		for _, b := range f.bs {
			if b.due <= through {
				last = max(last, b.due)
			}
		}
		f = folder{s: s}
		if err := f.crystallize(last); err != nil {
			return z, z, fmt.Errorf("scheduled due: %w", err)
		}
		if _, _, err := f.bills(through); err != nil {
			return z, z, fmt.Errorf("scheduled due: %w", err)
		}
	}
	principal, interest = z, z
	for _, b := range f.bs {
		if b.due > after && b.due <= through {
			principal, interest = principal.Add(b.openP), interest.Add(b.openI)
		}
	}
	return principal, interest, nil
}
