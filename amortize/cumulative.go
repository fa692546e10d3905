package amortize

import (
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// SolvePayment30 solves the level payment of t as Apache Fineract's
// cumulative schedule with daily interest does
// (LoanApplicationTerms.pmtForInstallment): an annuity whose every period
// is 30 days of t.DayCount's year (the periods counted from the first of
// the funding month under the 30/360 month rule), rounded with
// t.PaymentRounding to t.PaymentIncrement. t's other fields are as for
// SolvePayment; t.Payment is ignored.
func SolvePayment30(t Terms) (money.Amount, error) {
	emi := t
	emi.Payment = money.Amount{}
	emi.FundingDate = t.FundingDate - date.Date(t.FundingDate.Day()-1)
	emi.FirstDueDate = schedule.AddMonths(emi.FundingDate, t.Frequency.Every, 1, schedule.EOMAnchor)
	emi.EOM = schedule.EOMAnchor
	emi.InterestMethod = InterestDaily
	emi.DayCount = accrual.DayCount{Convention: accrual.Basis, YearDays: t.DayCount.YearDays, MonthDays: accrual.Month30}
	return SolvePayment(emi)
}

// cumulative reports whether the mode is one of Fineract's cumulative
// recalculations.
func (r Recalculation) cumulative() bool {
	return r == RecalculationCumulativeReduceEMI || r == RecalculationCumulativeReduceTerm || r == RecalculationCumulativeRescheduleNext
}

// computeCumulative is compute under a cumulative mode: each installment's
// interest is its period's on the actual balance (cut at the principal
// paid inside it), its principal the larger of EMI − interest and the
// principal paid to it (all of the balance for the last, or when that is
// less), no interest carried between installments; under
// RecalculationCumulativeReduceEMI the installments after the last one
// money reached take a new EMI, SolvePayment30 of the balance left over
// the installments left; under RecalculationCumulativeRescheduleNext the
// principal paid beyond EMI − interest pays the later installments'
// principal in order.
func (p *Progressive) computeCumulative() error {
	if err := p.cumulativePass(); err != nil {
		return err
	}
	if p.mode != RecalculationCumulativeReduceEMI {
		return nil
	}
	m := -1
	for i, q := range p.periods {
		if q.paidP.IsPositive() || q.paidI.IsPositive() {
			m = i
		}
	}
	if m < 0 || m+1 >= len(p.periods) {
		return nil
	}
	t := p.t
	nx := p.periods[m+1]
	t.Principal, t.Installments, t.FundingDate, t.FirstDueDate = nx.open, len(p.periods)-m-1, p.periods[m].due, nx.due
	if !t.Principal.IsPositive() {
		return nil
	}
	emi, err := SolvePayment30(t)
	if err != nil {
		return err
	}
	for i := m + 1; i < len(p.periods); i++ {
		p.periods[i].emi = emi
	}
	return p.cumulativePass()
}

func (p *Progressive) cumulativePass() error {
	z := money.Zero(p.t.Principal.Currency())
	open, shown, ahead := p.t.Principal, p.t.Principal, z
	for i := range p.periods {
		q := &p.periods[i]
		q.open, q.unrecIn, q.virtIn = open, z, z
		calc, end, err := p.periodInterest(i, open, q.due)
		if err != nil {
			return err
		}
		q.interest = money.Max(calc, q.paidI)
		sched := money.Max(z, q.emi.Sub(q.interest))
		q.principal = money.Max(sched, q.paidP)
		if p.mode == RecalculationCumulativeRescheduleNext {
			if q.paidP.IsPositive() || q.paidI.IsPositive() {
				ahead = ahead.Add(money.Max(z, q.paidP.Sub(sched)))
			} else if ahead.IsPositive() {
				x := money.Min(sched, ahead)
				q.principal, ahead = sched.Sub(x), ahead.Sub(x)
			}
		}
		if i == len(p.periods)-1 || q.principal.GreaterThan(open) {
			q.principal = money.Max(open, q.paidP)
		}
		open = money.Max(z, end.Sub(q.principal).Add(q.paidP))
		shown = money.Max(z, shown.Sub(q.principal))
		q.balance = shown
	}
	return nil
}
