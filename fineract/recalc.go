package fineract

import (
	"fmt"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Recalculation is a progressive product's interest recalculation
// (isInterestRecalculationEnabled) as the profile reproduces it.
//
// Fineract keeps a progressive loan's interest on a model of its
// repayment periods (ProgressiveLoanInterestScheduleModel): each period's
// interest is the outstanding balance of each of its interest periods ×
// the period's rate factor, and a principal payment is a balance
// correction on the day it is paid (principal left unpaid past its due
// date stays in the balance and bears interest until it is paid); under
// ADJUST_LAST_UNPAID_PERIOD the EMI is kept and the last unpaid
// installment takes the difference. The profile boards the loan with
// loan.Terms.Recalculation set to that model (amortize.Progressive): a
// repayment before an installment's due date pays the interest to its
// date, and the rest of the period's interest moves to the next
// installment; preClosureInterestCalculationStrategy picks the mode
// ([Recalculation.Mode]).
//
// Money in advance under a futureInstallmentAllocationRule other than
// NEXT_INSTALLMENT or LAST_INSTALLMENT reaches later installments by rules
// the profile does not follow: [Recalculation.Repayment] refuses it with
// an [*UnsupportedError], never approximated.
type Recalculation struct {
	// PreClosure is the product's preClosureInterestCalculationStrategy
	// (TILL_PRE_CLOSE_DATE when the product leaves it unset, Fineract's
	// default).
	PreClosure string
	// Future is the DEFAULT allocation's futureInstallmentAllocationRule.
	Future string
	// Reschedule is a cumulative schedule's rescheduleStrategyMethod
	// (REDUCE_EMI_AMOUNT, REDUCE_NUMBER_OF_INSTALLMENTS,
	// RESCHEDULE_NEXT_REPAYMENTS); empty for a progressive one.
	Reschedule string
}

// RecalculationOf returns the interest recalculation of loan l of product
// p: nil when isInterestRecalculationEnabled is false, an
// *UnsupportedError naming the first recalculation setting the profile
// does not reproduce. Reproduced: a PROGRESSIVE schedule with daily
// interest (interestCalculationPeriodType DAILY) under the
// advanced-payment-allocation-strategy, interestRecalculationCompoundingMethod
// NONE, recalculationRestFrequencyType DAILY every 1 day,
// rescheduleStrategyMethod ADJUST_LAST_UNPAID_PERIOD, and
// preClosureInterestCalculationStrategy TILL_PRE_CLOSE_DATE or
// TILL_REST_FREQUENCY_DATE; or a CUMULATIVE schedule of equal installments
// with daily interest under the mifos-standard-strategy, the same
// compounding and rest, and rescheduleStrategyMethod REDUCE_EMI_AMOUNT,
// REDUCE_NUMBER_OF_INSTALLMENTS or RESCHEDULE_NEXT_REPAYMENTS.
func RecalculationOf(p Product, l Loan) (*Recalculation, error) {
	if !p.IsInterestRecalculationEnabled {
		return nil, nil
	}
	cumulative := p.LoanScheduleType == "CUMULATIVE" || p.LoanScheduleType == ""
	switch {
	case cumulative && l.TransactionProcessingStrategyCode == "mifos-standard-strategy" && l.AmortizationType == "EQUAL_INSTALLMENTS":
		switch m := p.RescheduleStrategyMethod; m {
		case "REDUCE_EMI_AMOUNT", "REDUCE_NUMBER_OF_INSTALLMENTS", "RESCHEDULE_NEXT_REPAYMENTS":
		default:
			return nil, unsupported("rescheduleStrategyMethod", m, "REDUCE_EMI_AMOUNT, REDUCE_NUMBER_OF_INSTALLMENTS or RESCHEDULE_NEXT_REPAYMENTS on cumulative schedules")
		}
	case p.LoanScheduleType != "PROGRESSIVE" || l.TransactionProcessingStrategyCode != "advanced-payment-allocation-strategy":
		return nil, unsupported("isInterestRecalculationEnabled", true,
			"interest recalculation is reproduced on PROGRESSIVE schedules with the advanced-payment-allocation-strategy and on CUMULATIVE equal installments with the mifos-standard-strategy")
	case p.RescheduleStrategyMethod != "ADJUST_LAST_UNPAID_PERIOD":
		return nil, unsupported("rescheduleStrategyMethod", p.RescheduleStrategyMethod, "only ADJUST_LAST_UNPAID_PERIOD on progressive schedules")
	}
	switch {
	case l.InterestCalculationPeriodType != "DAILY":
		return nil, unsupported("interestCalculationPeriodType", l.InterestCalculationPeriodType, "recalculated interest is daily")
	case p.InterestRecalculationCompoundingMethod != "NONE":
		return nil, unsupported("interestRecalculationCompoundingMethod", p.InterestRecalculationCompoundingMethod, "only NONE (no compounding)")
	case p.RecalculationRestFrequencyType != "DAILY":
		return nil, unsupported("recalculationRestFrequencyType", p.RecalculationRestFrequencyType, "only DAILY")
	case p.RecalculationRestFrequencyInterval > 1:
		return nil, unsupported("recalculationRestFrequencyInterval", p.RecalculationRestFrequencyInterval, "only every 1 day")
	}
	pre := p.PreClosureInterestCalculationStrategy
	switch pre {
	case "":
		pre = "TILL_PRE_CLOSE_DATE"
	case "TILL_PRE_CLOSE_DATE", "TILL_REST_FREQUENCY_DATE":
	default:
		return nil, unsupported("preClosureInterestCalculationStrategy", pre, "TILL_PRE_CLOSE_DATE or TILL_REST_FREQUENCY_DATE")
	}
	r := &Recalculation{PreClosure: pre}
	if cumulative {
		r.Reschedule = p.RescheduleStrategyMethod
		return r, nil
	}
	for _, a := range p.PaymentAllocation {
		if a.TransactionType != "DEFAULT" {
			continue
		}
		r.Future = a.FutureInstallmentAllocationRule
	}
	return r, nil
}

// installment is one installment of the recalculated schedule as the
// engine numbers them.
type installment struct {
	due  date.Date
	owed money.Amount // what is still unpaid
}

// installments are s's installments from its oldest unpaid one on, with
// what each still owes under the recalculated schedule
// (loan.State.Recalculated); an error when the loan no longer bills its
// boarded schedule (modified, deferred, re-aged) or owes fees.
func installments(s loan.State) ([]installment, error) {
	if s.TermsVersion > 1 || s.DueOffset != 0 || len(s.Pauses) > 0 {
		return nil, unsupported("isInterestRecalculationEnabled", true, "a loan whose terms or due dates changed after boarding")
	}
	if money.Sum(s.LateFees, s.NSFFees, s.OtherFees).IsPositive() || len(s.Charges) > 0 {
		return nil, unsupported("isInterestRecalculationEnabled", true, "a recalculated loan with fees or charges")
	}
	p, err := s.Recalculated()
	if err != nil {
		return nil, err
	}
	periods := p.Periods()
	if s.Installments != len(periods) && s.Terms.Recalculation != amortize.RecalculationCumulativeReduceTerm {
		return nil, unsupported("isInterestRecalculationEnabled", true, "a loan whose term changed after boarding")
	}
	var out []installment
	for k := max(s.NextInstallment, 1); k <= len(periods); k++ {
		q := periods[k-1]
		owed := q.Principal.Add(q.Interest).Sub(q.PaidPrincipal).Sub(q.PaidInterest)
		out = append(out, installment{due: q.DueDate, owed: owed})
	}
	return out, nil
}

// Repayment checks a repayment of amount received on on, s being the
// loan's state on on before it. Money that pays what is due on or before
// on (past due or due that day) is reproduced, and so is money beyond it
// under futureInstallmentAllocationRule NEXT_INSTALLMENT or
// LAST_INSTALLMENT (the advanced strategy's order takes an installment
// not due on the payment's date as in advance, payment.Order.DueOnDueDate,
// and its future rule picks it). Otherwise it returns an *UnsupportedError
// naming futureInstallmentAllocationRule.
func (r *Recalculation) Repayment(s loan.State, on date.Date, amount money.Amount) error {
	ins, err := installments(s)
	if err != nil {
		return err
	}
	due, overdue := money.Zero(amount.Currency()), false
	for _, in := range ins {
		if in.due <= on {
			due = due.Add(in.owed)
		}
		overdue = overdue || in.due < on && in.owed.IsPositive()
	}
	switch {
	case r.Reschedule != "" && overdue:
		return unsupported("isInterestRecalculationEnabled", true, fmt.Sprintf(
			"a repayment on %s of a cumulative recalculated loan with an installment overdue is not reproduced", on))
	case r.Reschedule != "":
		return nil
	case amount.GreaterThan(due) && r.Future != "NEXT_INSTALLMENT" && r.Future != "LAST_INSTALLMENT":
		return unsupported("futureInstallmentAllocationRule", r.Future, fmt.Sprintf(
			"money in advance (%s beyond the %s due on %s) is reproduced under NEXT_INSTALLMENT or LAST_INSTALLMENT", amount.Sub(due), due, on))
	}
	return nil
}

// Schedule checks that the loan's schedule on on (s being its state on
// on) is Fineract's: the engine's recalculated installments are, overdue
// ones included (their principal bears interest until paid, seen on on:
// amortize.Progressive.At), as long as the loan keeps its boarded terms
// (an *UnsupportedError naming isInterestRecalculationEnabled otherwise).
func (r *Recalculation) Schedule(s loan.State, on date.Date) error {
	_, err := installments(s)
	return err
}

// Mode is the engine's recalculation mode for the product's
// preClosureInterestCalculationStrategy: TILL_PRE_CLOSE_DATE is
// amortize.RecalculationProgressive (money before a due date pays the
// interest to its date), TILL_REST_FREQUENCY_DATE with a daily rest
// amortize.RecalculationProgressiveToDueDate (money paid inside an
// installment's period pays its whole period's interest: Fineract's
// in-advance pay date is the installment's due date).
func (r *Recalculation) Mode() amortize.Recalculation {
	switch r.Reschedule {
	case "REDUCE_EMI_AMOUNT":
		return amortize.RecalculationCumulativeReduceEMI
	case "REDUCE_NUMBER_OF_INSTALLMENTS":
		return amortize.RecalculationCumulativeReduceTerm
	case "RESCHEDULE_NEXT_REPAYMENTS":
		return amortize.RecalculationCumulativeRescheduleNext
	}
	if r.PreClosure == "TILL_REST_FREQUENCY_DATE" {
		return amortize.RecalculationProgressiveToDueDate
	}
	return amortize.RecalculationProgressive
}

// Payoff returns the amount that pays the loan off on on (s being the
// loan's state on on): the principal outstanding and the interest each
// unpaid installment asks on on under the recalculated schedule — an
// installment due by on its unpaid interest (overdue principal having
// borne interest to on), a later one what amortize.Progressive.Payable
// gives on the pay date (the interest to on, or to the current period's
// due date under TILL_REST_FREQUENCY_DATE:
// ProgressiveLoanScheduleGenerator.calculatePrepaymentAmount); on or
// after the last due date, every installment's unpaid amount. A pay-off
// of a cumulative recalculated loan before its last due date is refused
// with an *UnsupportedError naming preClosureInterestCalculationStrategy.
func (r *Recalculation) Payoff(s loan.State, on date.Date) (money.Amount, error) {
	ins, err := installments(s)
	if err != nil {
		return money.Amount{}, err
	}
	p, err := s.Recalculated()
	if err == nil {
		p, err = p.At(p.PayDate(on))
	}
	if err != nil {
		return money.Amount{}, err
	}
	periods := p.Periods()
	total, last := money.Zero(s.Terms.Currency()), true
	for _, in := range ins {
		if in.due > on {
			last = false
		}
		total = total.Add(in.owed)
	}
	if last {
		if !total.IsPositive() {
			return money.Amount{}, unsupported("isInterestRecalculationEnabled", true, "a pay-off of a loan that owes nothing")
		}
		return total, nil
	}
	if r.Reschedule != "" {
		return money.Amount{}, unsupported("preClosureInterestCalculationStrategy", r.PreClosure, fmt.Sprintf(
			"a pay-off on %s before the last due date of a cumulative recalculated loan is not reproduced", on))
	}
	total = s.Principal
	for k := max(s.NextInstallment, 1); k <= len(periods); k++ {
		q := periods[k-1]
		if q.DueDate <= on {
			total = total.Add(q.Interest.Sub(q.PaidInterest))
			continue
		}
		i, _, err := p.Payable(k, p.PayDate(on))
		if err != nil {
			return money.Amount{}, err
		}
		total = total.Add(i)
	}
	return total, nil
}
