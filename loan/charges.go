package loan

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/rickb777/date/v2"
)

// InstallmentCharge is a charge owed with an installment: a fee assessed
// with a due date (FeeAssessed.DueOn). It belongs to the installment whose
// period (previous due date, due date] holds DueOn, the first period
// including its start ([State.ChargeInstallment]); the waterfall offers it
// as one of that installment's receivables, due on DueOn (a penalty for
// FeeLate, a fee otherwise), so the order's rules for that installment's
// timing decide when it is paid. A charge never makes its installment
// unpaid for days past due or late fees: those look at the periodic
// payment only (Reg Z §1026.36(c)(2)); it is owed until paid, and a payoff
// owes the charges due on or before its date.
type InstallmentCharge struct {
	// Installment is the installment the charge is owed with.
	Installment int
	// DueOn is the charge's due date.
	DueOn date.Date
	// Type is the kind of fee (FeeLate: a penalty).
	Type FeeType
	// Amount is the charge assessed; Open what is still owed of it.
	Amount, Open money.Amount
}

// component is the payment component the charge is allocated as.
func (c InstallmentCharge) component() payment.Component {
	if c.Type == FeeLate {
		return payment.Penalty
	}
	return payment.Fee
}

// ChargeInstallment returns the installment a charge due on d is owed
// with: the first installment whose due date is on or after d, so the
// period (previous due date, due date] holds d and the first period its
// start, the funding date, too. ok is false for a date before funding or
// after the last due date in force.
func (s State) ChargeInstallment(d date.Date) (k int, ok bool) {
	if d < s.Terms.FundingDate || s.line() {
		return 0, false
	}
	f := folder{s: s}
	for k := 1; k <= s.Installments; k++ {
		if f.dueDate(k) >= d {
			return k, true
		}
	}
	return 0, false
}

// addCharge books a FeeAssessed with a due date, effective on d, as a
// charge of the installment that holds its due date.
func (f *folder) addCharge(d date.Date, p FeeAssessed) error {
	s := &f.s
	k, ok := s.ChargeInstallment(p.DueOn)
	if !ok {
		return fmt.Errorf("%w: fee due on %s: no installment holds the date", ErrInvalidEvent, p.DueOn)
	}
	s.Charges = append(slices.Clip(s.Charges), InstallmentCharge{Installment: k, DueOn: p.DueOn, Type: p.Type, Amount: p.Amount, Open: p.Amount})
	f.j.fee(d, p.Type, p.Amount, k, "charge owed with installment")
	return nil
}

// chargesOpen reports whether any installment charge is still owed.
func (s State) chargesOpen() bool {
	for _, c := range s.Charges {
		if c.Open.IsPositive() {
			return true
		}
	}
	return false
}

// chargesDue totals the installment charges still owed that are due on or
// before on.
func (s State) chargesDue(on date.Date) money.Amount {
	t := money.Zero(s.Terms.Currency())
	for _, c := range s.Charges {
		if c.DueOn <= on {
			t = t.Add(c.Open)
		}
	}
	return t
}

// payCharge books x paid to charge i.
func (f *folder) payCharge(i int, x money.Amount) {
	s := &f.s
	s.Charges = slices.Clone(s.Charges) // states share the slice
	s.Charges[i].Open = s.Charges[i].Open.Sub(x)
	s.PaidFees = s.PaidFees.Add(x)
}

// clearCharges closes every charge at a payoff or charge-off: those due by
// then were owed in it, the later ones are not owed (payment.Quote leaves
// charges due after the payoff date out).
func (f *folder) clearCharges() {
	s := &f.s
	if !s.chargesOpen() {
		return
	}
	s.Charges = slices.Clone(s.Charges)
	for i := range s.Charges {
		s.Charges[i].Open = money.Zero(s.Charges[i].Open.Currency())
	}
}

// chargeName is the ledger's component name of a charge of type t.
func chargeName(t FeeType) Account {
	switch t {
	case FeeLate:
		return AccountLateFee
	case FeeNSF:
		return AccountNSFFee
	}
	return AccountOtherFee
}
