package investor

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
)

// FromStates fills a loan's month from the loan folded at the start and at
// the end of it: start as of the day before the month (Month.From − 1) and
// end as of its last day (Month.To − 1), so the month is (start.AsOf,
// end.AsOf] in the loan's terms. Every figure is the loan's own answer:
//
//   - NoteRate is start.Rate, the rate in force at the start.
//   - ScheduledPrincipal and ScheduledInterest are
//     start.ScheduledDue(start.AsOf, end.AsOf): the installment billed in the month
//     (in a payoff's month, only one due on or before the payoff date:
//     one due after it is never owed, the payoff's interest replaces it).
//   - ScheduledBalance is start.Principal less the principal of the
//     installments past due at the start (start.Delinquency().PastDue):
//     the balance had every installment been paid.
//   - What was collected is end.PaidPrincipal − start.PaidPrincipal and
//     end.PaidInterest − start.PaidInterest. It pays the installments past
//     due at the start and the month's first (CollectedPrincipal,
//     CollectedInterest, at most what they bill); the principal beyond is a
//     Curtailment.
//   - A payoff is end.Status == loan.StatusPaidOff with end.ClosedOn in
//     the month: the principal and interest beyond the installments are
//     PayoffPrincipal and PayoffInterest (a curtailment earlier in the
//     month is then part of PayoffPrincipal), PayoffOn is end.ClosedOn.
//
// Money the loan holds unapplied (suspense) is not collected until the
// loan applies it: the investor sees it in the month it pays principal or
// interest. Under the GSE preset, money beyond the installments due pays
// the next installment ahead when it covers one (refused below) and waits
// in suspense when it does not.
//
// FromStates returns an error wrapping ErrInvalidInput, naming the field,
// when the states do not describe one open loan over a month of this
// kind: an accrual other than scheduled (mortgage-style interest; daily
// simple interest paid late is more than was billed), dates out of order,
// currencies that differ, a loan not open at the start or charged off at
// the end, less paid at the end than at the start (a reversal of an
// earlier month's payment), interest paid beyond the installments without
// a payoff (an installment paid ahead: report it in the month it falls
// due), or the oldest unpaid installment due on start.AsOf itself (neither
// past due nor in the month; put the start on a day no installment falls
// due, as the day before the month is for installments due on the 1st).
func FromStates(loanID string, start, end loan.State) (LoanMonth, error) {
	if err := checkStates(start, end); err != nil {
		return LoanMonth{}, err
	}
	past, err := start.Delinquency()
	if err != nil {
		return LoanMonth{}, fmt.Errorf("investor: loan %s: past due at the start: %w", loanID, err)
	}
	through := end.AsOf
	paidOff := end.Status == loan.StatusPaidOff && end.ClosedOn > start.AsOf && end.ClosedOn <= end.AsOf
	if paidOff {
		// An installment falling due after the payoff is never owed: the
		// payoff's interest to its date replaces it.
		through = end.ClosedOn
	}
	sp, si, err := start.ScheduledDue(start.AsOf, through)
	if err != nil {
		return LoanMonth{}, fmt.Errorf("investor: loan %s: scheduled in the month: %w", loanID, err)
	}
	z := money.Zero(start.Terms.Currency())
	lm := LoanMonth{LoanID: loanID, NoteRate: start.Rate, ScheduledBalance: start.Principal.Sub(past.PastDue.Principal),
		ScheduledPrincipal: sp, ScheduledInterest: si, Curtailment: z, PayoffPrincipal: z, PayoffInterest: z}
	paidP := end.PaidPrincipal.Sub(start.PaidPrincipal)
	paidI := end.PaidInterest.Sub(start.PaidInterest)
	owedI := past.PastDue.Interest.Add(si)
	lm.CollectedPrincipal = money.Min(paidP, past.PastDue.Principal.Add(sp))
	lm.CollectedInterest = money.Min(paidI, owedI)
	beyondP, beyondI := paidP.Sub(lm.CollectedPrincipal), paidI.Sub(lm.CollectedInterest)
	if paidOff {
		lm.PaidOff, lm.PayoffOn = true, end.ClosedOn
		lm.PayoffPrincipal, lm.PayoffInterest = beyondP, beyondI
		return lm, nil
	}
	if beyondI.IsPositive() {
		var l field.List
		l.Add("end.PaidInterest", end.PaidInterest.String(), field.ErrNotSupported, fmt.Sprintf(
			"%s of interest paid beyond the installments owed (%s) without a payoff: an installment paid ahead", beyondI, owedI))
		return LoanMonth{}, l.Err(ErrInvalidInput)
	}
	lm.Curtailment = beyondP
	return lm, nil
}

// checkStates reports what makes start and end unusable for FromStates.
func checkStates(start, end loan.State) error {
	var l field.List
	if start.Terms.Accrual != loan.AccrualScheduled {
		l.Add("start.Terms.Accrual", start.Terms.Accrual, field.ErrNotSupported, "scheduled (mortgage-style) interest only")
	}
	if start.Terms.Currency() != end.Terms.Currency() {
		l.Add("end.Terms.Currency", end.Terms.Currency().Code, field.ErrInvalid, "not the start's "+start.Terms.Currency().Code)
	}
	if end.AsOf <= start.AsOf {
		l.Add("end.AsOf", end.AsOf.String(), field.ErrInvalid, "must be after start.AsOf "+start.AsOf.String())
	}
	switch start.Status {
	case loan.StatusPending, loan.StatusPaidOff, loan.StatusChargedOff, "":
		l.Add("start.Status", start.Status, field.ErrInvalid, "the loan must be open at the start of the month")
	}
	if end.Status == loan.StatusChargedOff {
		l.Add("end.Status", end.Status, field.ErrNotSupported, "a charge-off (liquidation with a loss) is not remitted here")
	}
	if l.Len() > 0 {
		return l.Err(ErrInvalidInput)
	}
	if end.PaidPrincipal.LessThan(start.PaidPrincipal) {
		l.Add("end.PaidPrincipal", end.PaidPrincipal.String(), field.ErrNotSupported,
			"less than at the start ("+start.PaidPrincipal.String()+"): a reversal of an earlier month's payment")
	}
	if end.PaidInterest.LessThan(start.PaidInterest) {
		l.Add("end.PaidInterest", end.PaidInterest.String(), field.ErrNotSupported,
			"less than at the start ("+start.PaidInterest.String()+"): a reversal of an earlier month's payment")
	}
	if due, ok := start.NextDueDate(); ok && due == start.AsOf {
		l.Add("start.AsOf", start.AsOf.String(), field.ErrNotSupported,
			"the oldest unpaid installment falls due on the start date itself; start the day before it")
	}
	return l.Err(ErrInvalidInput)
}
