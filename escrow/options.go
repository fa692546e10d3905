package escrow

import (
	"fmt"

	"github.com/lendcore/servicing/money"
)

// Action is something Reg X §1024.17(f) lets a servicer do with a surplus,
// shortage or deficiency. The string values are stable, for JSON.
type Action string

// Actions.
const (
	// Ignore: allow the shortage or deficiency to exist and do nothing.
	Ignore Action = "ignore"
	// Collect: require repayment in one sum within Option.Days.
	Collect Action = "collect"
	// Spread: require repayment in equal monthly payments over at least
	// Option.MinMonths months.
	Spread Action = "spread"
	// Refund: refund the surplus to the borrower (within Option.Days when
	// the rule sets a deadline).
	Refund Action = "refund"
	// Credit: credit the surplus against next year's escrow payments.
	Credit Action = "credit"
	// Retain: keep the surplus in the account under the loan documents
	// (borrower not current, §1024.17(f)(2)(ii)).
	Retain Action = "retain"
	// PerLoanDocuments: recover the deficiency as the loan documents allow
	// (borrower not current, §1024.17(f)(4)(iii), as quoted in the CFPB
	// Mortgage Servicing FAQs, escrow question 7).
	PerLoanDocuments Action = "per_loan_documents"
)

// Option is one allowed disposition. Days and MinMonths are zero when the
// rule sets no such number for the action.
type Option struct {
	Action    Action
	Days      int
	MinMonths int
}

// String describes the option: "collect within 30 days", "spread over ≥ 12 months".
func (o Option) String() string {
	switch {
	case o.Days > 0:
		return fmt.Sprintf("%s within %d days", o.Action, o.Days)
	case o.MinMonths > 0:
		return fmt.Sprintf("%s over ≥ %d months", o.Action, o.MinMonths)
	}
	return string(o.Action)
}

// classify sets the surplus, shortage and deficiency of the current balance
// against the target balance, with their options.
func classify(r *Result, a Analysis) {
	zero := money.Zero(a.Currency)
	bal := zero.Add(a.CurrentBalance)
	gap := r.TargetBalance.Sub(bal)
	r.Surplus, r.Shortage, r.Deficiency = zero, zero, zero
	switch {
	case gap.IsNegative():
		r.Surplus = gap.Neg()
	case bal.IsNegative():
		r.Deficiency = bal.Neg()
		r.Shortage = r.TargetBalance
	default:
		r.Shortage = gap
	}
	r.SurplusOptions = SurplusOptions(r.Surplus, a.BorrowerCurrent)
	r.ShortageOptions = ShortageOptions(r.Shortage, r.MonthlyPayment)
	r.DeficiencyOptions = DeficiencyOptions(r.Deficiency, r.MonthlyPayment, a.BorrowerCurrent)
}

// SurplusOptions returns what §1024.17(f)(2) allows for a surplus: if the
// borrower is current, a refund within 30 days when the surplus is at least
// [SurplusRefundThreshold] major units, else a refund or a credit against
// next year's payments; if not current, retention under the loan documents.
// It returns nil for a surplus ≤ 0.
func SurplusOptions(surplus money.Amount, borrowerCurrent bool) []Option {
	switch {
	case !surplus.IsPositive():
		return nil
	case !borrowerCurrent:
		return []Option{{Action: Retain}}
	case surplus.Minor() >= majorUnits(SurplusRefundThreshold, surplus.Currency()):
		return []Option{{Action: Refund, Days: SurplusRefundDays}}
	}
	return []Option{{Action: Refund}, {Action: Credit}}
}

// ShortageOptions returns what §1024.17(f)(3) allows for a shortage, given
// one month's escrow payment: below one month, ignore it, collect it within
// 30 days, or spread it over at least 12 months; at or above one month,
// ignore it or spread it over at least 12 months. It returns nil for a
// shortage ≤ 0.
func ShortageOptions(shortage, monthlyPayment money.Amount) []Option {
	switch {
	case !shortage.IsPositive():
		return nil
	case shortage.LessThan(monthlyPayment):
		return []Option{{Action: Ignore}, {Action: Collect, Days: ShortageCollectDays}, {Action: Spread, MinMonths: ShortageSpreadMonths}}
	}
	return []Option{{Action: Ignore}, {Action: Spread, MinMonths: ShortageSpreadMonths}}
}

// DeficiencyOptions returns what §1024.17(f)(4) allows for a deficiency,
// given one month's escrow payment. If the borrower is current: below one
// month, ignore it, collect it within 30 days, or spread it over 2 or more
// monthly payments; at or above one month, ignore it or spread it over 2 or
// more months. If not current: recovery under the loan documents. It
// returns nil for a deficiency ≤ 0.
func DeficiencyOptions(deficiency, monthlyPayment money.Amount, borrowerCurrent bool) []Option {
	switch {
	case !deficiency.IsPositive():
		return nil
	case !borrowerCurrent:
		return []Option{{Action: PerLoanDocuments}}
	case deficiency.LessThan(monthlyPayment):
		return []Option{{Action: Ignore}, {Action: Collect, Days: DeficiencyCollectDays}, {Action: Spread, MinMonths: DeficiencySpreadMonths}}
	}
	return []Option{{Action: Ignore}, {Action: Spread, MinMonths: DeficiencySpreadMonths}}
}

// majorUnits returns n major units of cur in minor units (cur's scale is at
// most 3 for the currencies money knows; an unknown scale counts as 0).
func majorUnits(n int64, cur money.Currency) int64 {
	for range max(cur.Scale, 0) {
		n *= 10
	}
	return n
}
