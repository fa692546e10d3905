package loan

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/revolving"
	"github.com/rickb777/date/v2"
)

// apply folds one event effective on f.s.AsOf.
func (f *folder) apply(e Event) error {
	s := &f.s
	d := e.EffectiveOn
	if b, ok := e.Payload.(Boarded); ok {
		if s.Status != StatusPending {
			return fmt.Errorf("%w: loan boarded twice", ErrInvalidEvent)
		}
		s.Rules = max(b.Rules, 1)
		s.Principal = s.Terms.Principal
		s.AccrualFrom = d
		s.Status = StatusCurrent
		if s.line() {
			s.CycleStart, s.CycleOpen = d, s.Principal
		}
		f.j.begin(d, e.Seq, TransactionKind(KindBoarded), s.Principal)
		return nil
	}
	if s.Status == StatusPending {
		return fmt.Errorf("%w: %s before boarding", ErrInvalidEvent, e.Kind)
	}
	if err := f.recalcAllows(e); err != nil {
		return err
	}
	var err error
	switch p := e.Payload.(type) {
	case PaymentReceived:
		s.holdReceipt(d, p.Amount)
		err = f.payment(d, e.Seq, p.Amount, p.transactionType(), p.Extra)
	case PaymentReversed:
		tx := f.j.begin(d, e.Seq, TransactionKind(KindPaymentReversed), p.NSFFee)
		tx.reverses(p.PaymentSeq)
		f.emit(DomainEvent{Type: DomainPaymentReversed, On: d, Ref: p.PaymentSeq, Amount: p.NSFFee})
		if p.NSFFee.IsPositive() {
			s.NSFFees = s.NSFFees.Add(p.NSFFee)
			f.activity(d, revolving.Fee, p.NSFFee)
			f.j.fee(d, FeeNSF, p.NSFFee, 0, "returned payment")
			f.emit(DomainEvent{Type: DomainFeeAssessed, On: d, Amount: p.NSFFee})
		}
	case FeeAssessed:
		if p.DueOn != 0 {
			err = f.addCharge(d, p)
			break
		}
		f.addFee(p.Type, p.Amount)
		f.j.fee(d, p.Type, p.Amount, 0, "assessed by the servicer")
		f.emit(DomainEvent{Type: DomainFeeAssessed, On: d, Amount: p.Amount})
	case FeeWaived:
		f.waive(d, e.Seq, p)
	case RateChanged:
		err = f.changeRate(d, p.Rate)
	case Modified:
		err = f.modify(d, p)
	case ChargedOff:
		err = f.chargeOff(d, e.Seq, p.Behavior)
	case RecoveryReceived:
		if s.Status == StatusChargedOff {
			err = f.recover(d, e.Seq, p.Amount)
		} else {
			err = f.payment(d, e.Seq, p.Amount, payment.Recovery, "")
		}
	case Adjustment:
		err = f.adjust(d, e.Seq, p)
	case DayClosed:
		s.LastDayClosed = max(s.LastDayClosed, d)
	case EscrowDisbursed:
		f.disburse(d, e.Seq, p)
		f.chargeItem(p.Payee, p.Amount) // a bill naming an item (its Name) is that item's
	case RateCapped:
		err = f.capRate(d, p)
	case IndexReset:
		err = f.resetIndex(d, p)
	case Paused:
		err = f.pause(d, e.Seq, p)
	case Drawn:
		err = f.draw(d, e.Seq, p)
	case EscrowRefunded:
		f.refundEscrow(d, e.Seq, p)
	case EscrowAnalyzed:
		err = f.analyzedEscrow(d, e.Seq, p)
	case ServicingTransferred, RequestReceived, NoticeSent:
		f.recordNotices(d, e.Payload)
	case PartyChanged:
		// People on the loan: no balance depends on them.
	case ArrangementMade:
		err = f.arrange(d, p) // folded only when it holds the status ladder
	case PromiseMade, ContactAttempted:
		// Collections records: judged against receipts, never folded.
	case CreditRefunded:
		// The refund was paid out; when a change of history (the reversal
		// of the payment that made the credit) leaves less credit than was
		// refunded, the rest is owed back (other fees).
		x := money.Min(p.Amount, s.CreditBalance)
		s.CreditBalance = s.CreditBalance.Sub(x)
		tx := f.j.begin(d, e.Seq, TransactionKind(KindCreditRefunded), p.Amount).line(0, AccountCreditBalance, x.Neg(), "refunded")
		if over := p.Amount.Sub(x); over.IsPositive() {
			s.OtherFees = s.OtherFees.Add(over)
			tx.line(0, AccountOtherFee, over, "refunded beyond the credit balance: owed back")
		}
	case RulesMigrated:
		if p.Rules <= s.Rules || p.Rules > RulesVersion {
			return fmt.Errorf("%w: migration from rules %d to %d (this release folds up to %d)", ErrInvalidEvent, s.Rules, p.Rules, RulesVersion)
		}
		if err := f.crystallize(d); err != nil {
			return err
		}
		if s.Rules < 2 {
			// Rules 2 read the rate and the payment in force from their
			// paths: start them from what rules 1 left in force.
			from := min(d, f.periodStart(s.NextInstallment))
			s.Rates = []accrual.RateChange{{On: from, Rate: s.Rate}}
			s.Payments = []PaymentStep{{From: s.NextInstallment, Payment: s.Payment}}
			f.bl = nil
		}
		s.Rules = p.Rules
	default:
		err = fmt.Errorf("%w: unknown payload %T", ErrInvalidEvent, e.Payload)
	}
	if err != nil {
		return err
	}
	if err := f.reconcileItems(); err != nil {
		return err
	}
	f.updateStatus()
	return f.invariant()
}

// disburse pays an escrow item out of the escrow balance, advancing what
// the balance lacks.
func (f *folder) disburse(d date.Date, seq int64, p EscrowDisbursed) {
	s := &f.s
	x := money.Min(p.Amount, money.Max(s.Escrow, money.Zero(p.Amount.Currency())))
	s.Escrow = s.Escrow.Sub(x)
	adv := p.Amount.Sub(x)
	s.EscrowAdvance = s.EscrowAdvance.Add(adv)
	tx := f.j.begin(d, seq, TransactionKind(KindEscrowDisbursed), p.Amount)
	tx.line(0, AccountEscrow, x.Neg(), "paid from the escrow balance")
	tx.line(0, AccountEscrowAdvance, adv, "advanced by the servicer (Reg X 1024.17(k))")
}

// capRate sets the rate cap from d; daily simple interest accrued so far is
// booked at the old terms first.
func (f *folder) capRate(d date.Date, p RateCapped) error {
	if f.closed() {
		return nil
	}
	if err := f.crystallize(d); err != nil {
		return err
	}
	f.s.CapMax, f.s.CapFrom, f.s.CapTo = p.Max, d, max(d, p.To)
	return nil
}

// indexHistory is the index values of the resets so far, as the
// accrual.IndexSeries ARM.Adjust reads (by index date).
type indexHistory []IndexObservation

func (h indexHistory) ValueOn(d date.Date) (rate.Rate, bool) {
	for _, o := range h {
		if o.On == d {
			return o.Index, true
		}
	}
	return rate.Rate{}, false
}

// resetIndex records an index value on change date d and moves the rate to
// what accrual.ARM gives after every reset so far, recasting the payment.
func (f *folder) resetIndex(d date.Date, p IndexReset) error {
	s := &f.s
	arm := s.Terms.ARM
	if arm == nil {
		return fmt.Errorf("%w: index reset on a fixed-rate loan", ErrInvalidEvent)
	}
	if n := len(s.IndexResets); n > 0 && s.IndexResets[n-1].On >= d {
		return fmt.Errorf("%w: index reset on %s not after the previous one", ErrInvalidEvent, d)
	}
	if len(s.IndexResets) >= MaxChanges {
		return fmt.Errorf("%w: more than %d index resets", ErrLimit, MaxChanges)
	}
	resets := append(slices.Clip(s.IndexResets), IndexObservation{On: d, Index: p.Index}) // copy on write
	changes := make([]date.Date, len(resets))
	series := make(indexHistory, len(resets))
	for i, o := range resets {
		changes[i] = o.On
		series[i] = IndexObservation{On: o.On - date.Date(arm.LookBackDays), Index: o.Index}
	}
	adjs, err := arm.Adjust(changes, series)
	if err != nil {
		return fmt.Errorf("%w: index reset: %w", ErrInvalidEvent, err)
	}
	s.IndexResets = resets
	return f.changeRate(d, adjs[len(adjs)-1].Rate)
}

func (f *folder) closed() bool {
	return f.s.Status == StatusPaidOff || f.s.Status == StatusChargedOff
}

// payment applies money received on d: a payoff when it covers the payoff
// quote, else through the waterfall as transaction type typ.
func (f *folder) payment(d date.Date, seq int64, amt money.Amount, typ payment.TransactionType, extra payment.Extra) error {
	s := &f.s
	switch s.Status {
	case StatusChargedOff:
		return f.recover(d, seq, amt)
	case StatusPaidOff:
		s.CreditBalance = s.CreditBalance.Add(amt)
		f.j.begin(d, seq, TransactionKind(KindPaymentReceived), amt).line(0, AccountCreditBalance, amt, "loan already paid off")
		return nil
	}
	if err := f.crystallize(d); err != nil {
		return err
	}
	held := s.Suspense
	tx := f.j.begin(d, seq, TransactionKind(KindPaymentReceived), amt)
	tx.line(0, AccountFromSuspense, held.Neg(), "suspense applied with the payment")
	wasDelinquent := s.DelinquentSince != 0
	paid, err := f.precomputedPayoff(d, amt, typ, tx)
	if err == nil && !paid {
		paid, err = f.payoff(d, amt, typ, tx)
	}
	if err == nil && !paid {
		err = f.allocate(d, amt, typ, extra, tx, false)
	}
	if err != nil {
		return err
	}
	if wasDelinquent && (f.closed() || s.NextInstallment > s.Installments || f.dueDate(s.NextInstallment) >= d) {
		// Cured: no periodic payment due and unpaid before today.
		f.j.delinquency(d, s.DelinquentSince, false)
		s.DelinquentSince = 0
	}
	return nil
}

// precomputedPayoff pays a precomputed loan off on d when amt and suspense
// cover its payoff quote ([State.Payoff]): fees, the escrow advance, the
// earned finance charge and the principal are paid, the unearned finance
// charge is rebated (State.Rebated) and anything over goes to the credit
// balance. It reports false, changing nothing, for other loans, smaller
// amounts, and receipts not of the payoff type when the rules keep
// receipts to the installments (payment.Rules.InstallmentsOnly: the
// waterfall applies those).
func (f *folder) precomputedPayoff(d date.Date, amt money.Amount, typ payment.TransactionType, tx *Transaction) (bool, error) {
	s := &f.s
	if s.Terms.Accrual != AccrualPrecomputed || f.closed() || !s.Principal.IsPositive() {
		return false, nil
	}
	if typ != payment.Payoff {
		rules, err := f.compiled()
		if err != nil || rules.InstallmentsOnly() {
			return false, err // the waterfall spreads it over the installments: no rebate
		}
	}
	if s.rules2() {
		if periodic, err := f.periodicReceipt(d, amt, typ); periodic || err != nil {
			return false, err // a periodic payment even when it covers the quote
		}
	}
	q, err := f.precomputedQuote(s.payoffBase(d), d)
	if err != nil {
		return false, err
	}
	z := money.Zero(amt.Currency())
	have := amt.Add(s.Suspense).Add(s.CreditBalance)
	need := money.Sum(q.Principal, q.Interest, q.Fees, q.EscrowAdvance).Sub(q.Rebate)
	if have.LessThan(need) {
		return false, nil
	}
	interest := money.Max(z, q.Interest.Sub(q.Rebate))
	principal := q.Principal.Sub(money.Max(z, q.Rebate.Sub(q.Interest)))
	tx.line(0, AccountLateFee, s.LateFees, "payoff")
	tx.line(0, AccountNSFFee, s.NSFFees, "payoff")
	tx.line(0, AccountOtherFee, s.OtherFees, "payoff")
	for _, c := range s.Charges {
		if c.DueOn <= d {
			tx.line(c.Installment, chargeName(c.Type), c.Open, "payoff")
		}
	}
	tx.line(0, AccountEscrowAdvance, s.EscrowAdvance, "payoff")
	tx.line(0, AccountInterest, interest, "payoff: finance charge earned")
	tx.line(0, AccountPrincipal, principal, "payoff")
	s.PaidFees = s.PaidFees.Add(q.Fees)
	s.PaidEscrow = s.PaidEscrow.Add(s.EscrowAdvance)
	s.PaidInterest, s.PaidPrincipal = s.PaidInterest.Add(interest), s.PaidPrincipal.Add(principal)
	s.LateFees, s.NSFFees, s.OtherFees, s.EscrowAdvance = z, z, z, z
	f.clearCharges()
	s.Principal, s.AccruedInterest, s.Suspense, s.CreditBalance = z, z, z, z
	s.Rebated = q.Rebate
	f.j.begin(d, 0, TransactionFinanceChargeRebate, q.Rebate).line(0, AccountInterest, q.Rebate,
		"unearned finance charge rebated at payoff ("+string(s.Terms.AddOnEarning)+", amortize.UnearnedFinanceCharge)")
	s.ClosedOn = d
	f.setStatus(StatusPaidOff, d, 0)
	s.NextInstallment = s.Installments + 1
	s.Partial = nil
	f.j.paidOff(d)
	if over := have.Sub(need); over.IsPositive() {
		s.CreditBalance = over
		tx.line(0, AccountCreditBalance, over, "overpayment")
	}
	return true, nil
}

// payoff pays the loan off on d under rules 2 when amt with the money on
// hand (suspense, credit balance) covers the payoff quote for d
// ([State.Payoff]): the receipt is allocated against the quote's
// receivables by the payoff transaction type's order (payment.Payoff;
// partial money applied, extra curtailing), so principal, interest to d,
// fees and the escrow advance settle, the loan is paid off, and money beyond
// the quote is a credit balance to refund. It reports false, changing
// nothing, when the receipt does not cover the quote, when it is not of
// the payoff type and the rules keep receipts to the installments
// (payment.Rules.InstallmentsOnly), and for precomputed loans and rules 1.
//
// A receipt not of the payoff type that is exactly what the cycle asks for
// (every installment past due and the one due in d's cycle, with their
// escrow, and the fees and escrow advance owed), or more when that takes in
// the last installment, is a periodic payment even when it covers the
// quote: the last installment is billed as amortize bills it and escrow goes
// to the escrow account. Between the quote and the cycle's amount it is a
// payoff (a periodic payment would leave the loan short and open).
func (f *folder) payoff(d date.Date, amt money.Amount, typ payment.TransactionType, tx *Transaction) (bool, error) {
	s := &f.s
	if !s.rules2() || s.Terms.Accrual == AccrualPrecomputed || f.closed() || s.line() && !s.linePayoff(typ) {
		return false, nil
	}
	if amt.Add(s.Suspense).Add(s.CreditBalance).LessThan(s.Principal) {
		return false, nil // the quote is at least the principal less the money on hand
	}
	if typ != payment.Payoff {
		rules, err := f.compiled()
		if err != nil || rules.InstallmentsOnly() {
			return false, err // the waterfall spreads it over the installments
		}
	}
	if periodic, err := f.periodicReceipt(d, amt, typ); (periodic || err != nil) && !s.line() {
		return false, err
	}
	q, err := s.quote(d)
	if err != nil {
		return false, err
	}
	onHand := s.Suspense.Add(s.CreditBalance)
	// The quote's Total is already net of the money on hand.
	if amt.LessThan(q.pq.Total) || !q.pq.Refund.IsZero() && amt.IsZero() {
		return false, nil
	}
	rules, err := f.compiled()
	if err != nil {
		return false, err
	}
	in := payment.Input{On: d, Amount: amt, Type: payment.Payoff, Receivables: q.pq.Receivables, Suspense: onHand,
		Partial: payment.PartialApply, Extra: payment.ExtraCurtail}
	if err := rules.AllocateInto(&f.alloc, in); err != nil {
		return false, fmt.Errorf("payoff %s on %s: %w", amt, d, err)
	}
	z := money.Zero(amt.Currency())
	for i := range f.alloc.Lines {
		ln := &f.alloc.Lines[i]
		x := ln.Amount
		name := Account(ln.Component)
		switch ln.Ref {
		case "principal":
			s.PaidPrincipal = s.PaidPrincipal.Add(x)
		case "late":
			s.PaidFees, name = s.PaidFees.Add(x), AccountLateFee
		case "nsf":
			s.PaidFees, name = s.PaidFees.Add(x), AccountNSFFee
		case "other":
			s.PaidFees, name = s.PaidFees.Add(x), AccountOtherFee
		case "late_fee", "nsf_fee", "other_fee": // installment charges
			s.PaidFees, name = s.PaidFees.Add(x), Account(ln.Ref)
		case "escrow advance":
			s.PaidEscrow, name = s.PaidEscrow.Add(x), AccountEscrowAdvance
		default: // interest: accrued, capped or to the payoff date
			s.PaidInterest = s.PaidInterest.Add(x)
		}
		if tx != nil {
			tx.line(ln.Installment, name, x, "payoff: "+ln.Rule.String())
			tx.Lines[len(tx.Lines)-1].Bucket = string(ln.Rule.Bucket)
		}
	}
	tx.line(0, AccountFromSuspense, onHand.Neg().Add(s.Suspense), "credit balance applied with the payoff")
	s.InterestForgiven = s.InterestForgiven.Add(q.forgiven)
	s.Principal, s.AccruedInterest, s.LateFees, s.NSFFees, s.OtherFees, s.EscrowAdvance = z, z, z, z, z, z
	f.clearCharges()
	s.Suspense, s.CreditBalance = z, f.alloc.Credit
	s.DeferredInterest = z
	if i := s.openPause(); i >= 0 {
		s.Pauses = slices.Clone(s.Pauses)
		s.Pauses[i].Accrued, s.Pauses[i].Booked = z, true // paid in the quote
	}
	if f.alloc.Credit.IsPositive() {
		tx.line(0, AccountCreditBalance, f.alloc.Credit, "beyond the payoff quote: to refund")
	}
	s.AccrualFrom = d
	s.ClosedOn = d
	f.setStatus(StatusPaidOff, d, 0)
	s.NextInstallment, s.Partial = s.Installments+1, nil
	f.j.paidOff(d)
	return true, nil
}

// periodicReceipt reports whether a receipt of amt on d (with the money on
// hand) is a periodic payment rather than a payoff, whatever the quote: not
// of the payoff type, and exactly what the cycle asks for, or more when the
// cycle takes in the last installment (see payoff).
func (f *folder) periodicReceipt(d date.Date, amt money.Amount, typ payment.TransactionType) (bool, error) {
	if typ == payment.Payoff {
		return false, nil
	}
	s := &f.s
	cycle, rest, err := f.cycleDue(d)
	if err != nil {
		return false, err
	}
	have := amt.Add(s.Suspense).Add(s.CreditBalance)
	return have.Equal(cycle) || have.GreaterThan(cycle) && rest.IsZero(), nil
}

// cycleDue is what the cycle of d asks for: the open window's
// installments (past due and the one due in d's cycle) with escrow, and the
// fees, charges and escrow advance owed; rest is the principal beyond the
// window.
func (f *folder) cycleDue(d date.Date) (due, rest money.Amount, err error) {
	s := &f.s
	if rest, _, err = f.bills(d); err != nil {
		return money.Amount{}, money.Amount{}, err
	}
	due = money.Sum(s.LateFees, s.NSFFees, s.OtherFees, s.EscrowAdvance)
	for i := range f.bs {
		b := &f.bs[i]
		due = money.Sum(due, b.openP, b.openI, b.openE)
	}
	if n := len(f.bs); n > 0 {
		for _, c := range s.Charges {
			if c.Installment <= f.bs[n-1].k {
				due = due.Add(c.Open)
			}
		}
	}
	return due, rest, nil
}

func (f *folder) feeBalance(t FeeType) *money.Amount {
	switch t {
	case FeeLate:
		return &f.s.LateFees
	case FeeNSF:
		return &f.s.NSFFees
	}
	return &f.s.OtherFees
}

func (f *folder) addFee(t FeeType, a money.Amount) {
	b := f.feeBalance(t)
	*b = b.Add(a)
	f.activity(f.s.AsOf, revolving.Fee, a)
}

func (f *folder) waive(d date.Date, seq int64, p FeeWaived) {
	b := f.feeBalance(p.Type)
	x := money.Min(*b, p.Amount)
	*b = b.Sub(x)
	f.activity(d, revolving.FeeCredit, x)
	f.j.begin(d, seq, TransactionKind(KindFeeWaived), x).line(0, Account(string(p.Type)+"_fee"), x, "waived")
}

func (f *folder) changeRate(d date.Date, r rate.Rate) error {
	if f.closed() {
		return nil
	}
	if err := f.crystallize(d); err != nil {
		return err
	}
	f.s.Rate = r
	f.s.TermsVersion++
	f.setRate(d, r)
	return f.recast(d, true)
}

// setRate records rate r from date d in the rate path (rules 2; a second
// change on the same date replaces the first).
func (f *folder) setRate(d date.Date, r rate.Rate) {
	s := &f.s
	if !s.rules2() {
		return
	}
	rs := slices.Clip(s.Rates) // copy on write: states share the path; checkLimits bounds it
	if n := len(rs); n > 0 && rs[n-1].On == d {
		rs = rs[: n-1 : n-1]
	}
	s.Rates = append(rs, accrual.RateChange{On: d, Rate: r})
	f.bl = nil // the biller reads the path it was built with
}

// recast re-solves the payments from date d, at a rate change (atRate) or
// a re-amortization (a modification, extra money recast): under rules 2
// amortize's (recastFrom), under rules 1 a periodic solve for the whole
// principal over the installments left, at the rate in force, for every
// unpaid installment.
func (f *folder) recast(d date.Date, atRate bool) error {
	s := &f.s
	if s.rules2() {
		return f.recastFrom(d, atRate)
	}
	n := s.Installments - s.NextInstallment + 1
	if n < 1 || s.Principal.IsZero() {
		return nil
	}
	p, err := f.levelPayment(s.NextInstallment, n)
	if err != nil {
		return err
	}
	s.Payment = p
	return nil
}

func (f *folder) modify(d date.Date, m Modified) error {
	s := &f.s
	if f.closed() {
		return nil
	}
	if err := f.crystallize(d); err != nil {
		return err
	}
	s.TermsVersion++
	switch m.Type {
	case ModRecast:
		return f.recast(d, false)
	case ModReamortize, ModTermExtension:
		if m.Rate != nil {
			s.Rate = *m.Rate
			f.setRate(d, *m.Rate)
		}
		s.Installments += m.ExtendInstallments
		if s.Installments > MaxInstallments {
			return fmt.Errorf("%w: %d installments after modification", ErrInvalidEvent, s.Installments)
		}
		return f.recast(d, false)
	case ModDeferment, ModForbearance:
		s.DueOffset += m.DeferInstallments
		s.Installments += m.DeferInstallments
	case ModReage:
		past := 0
		for k := s.NextInstallment; k <= s.Installments && f.dueDate(k) < d; k++ {
			past++
		}
		// Installment numbers stay; their dates move by the periods past due.
		s.DueOffset += past
		if s.DelinquentSince != 0 {
			f.j.delinquency(d, s.DelinquentSince, false)
			s.DelinquentSince = 0
		}
	default:
		return fmt.Errorf("%w: modification %q", ErrInvalidEvent, m.Type)
	}
	if s.Installments > MaxInstallments {
		return fmt.Errorf("%w: %d installments after modification", ErrInvalidEvent, s.Installments)
	}
	return nil
}

// chargeOff writes the receivables off on d with behaviour b (empty: the
// terms' ladder's, regular without one).
func (f *folder) chargeOff(d date.Date, seq int64, b delinquency.ChargeOffBehavior) error {
	s := &f.s
	if f.closed() {
		return nil
	}
	if err := f.crystallize(d); err != nil {
		return err
	}
	z := money.Zero(s.Principal.Currency())
	total := money.Sum(s.Principal, s.AccruedInterest, s.LateFees, s.NSFFees, s.OtherFees, s.chargesDue(d))
	f.j.begin(d, seq, TransactionKind(KindChargedOff), total)
	s.ChargedOff, s.ChargedOffPrincipal = total, s.Principal
	s.ChargeOff = delinquency.ChargeOffRegular
	if b != "" {
		s.ChargeOff = b
	} else if s.Terms.Ladder && s.Terms.Delinquency.Status.ChargeOff != "" {
		s.ChargeOff = s.Terms.Delinquency.Status.ChargeOff
	}
	s.AccrualFrom = d // regular: interest on the charged-off principal runs from here
	dpd := 0
	if due, late, err := f.lateDue(d); err == nil && late && due < d {
		dpd = s.calendar().Days(due, d)
	}
	s.Principal, s.AccruedInterest, s.LateFees, s.NSFFees, s.OtherFees = z, z, z, z, z
	f.clearCharges()
	s.ClosedOn = d
	f.setStatus(StatusChargedOff, d, dpd)
	if s.DelinquentSince != 0 {
		f.j.delinquency(d, s.DelinquentSince, false)
		s.DelinquentSince = 0
	}
	return nil
}

// recover applies money received after charge-off to the charged-off
// balance: under a regular charge-off the interest accrued on the
// charged-off principal since the last recovery is booked first; interest
// and fees are reduced before principal.
func (f *folder) recover(d date.Date, seq int64, amt money.Amount) error {
	s := &f.s
	if s.ChargeOff == delinquency.ChargeOffRegular && d > s.AccrualFrom {
		i, err := f.simpleInterest(s.ChargedOffPrincipal, s.AccrualFrom, d)
		if err != nil {
			return err
		}
		s.ChargedOff, s.AccrualFrom = s.ChargedOff.Add(i), d
	}
	tx := f.j.begin(d, seq, TransactionKind(KindRecovery), amt)
	x := money.Min(amt, s.ChargedOff)
	if over := x.Sub(s.ChargedOff.Sub(s.ChargedOffPrincipal)); over.IsPositive() {
		s.ChargedOffPrincipal = s.ChargedOffPrincipal.Sub(over)
	}
	s.ChargedOff, s.Recovered = s.ChargedOff.Sub(x), s.Recovered.Add(x)
	tx.line(0, AccountRecovery, x, "after charge-off")
	if rest := amt.Sub(x); rest.IsPositive() {
		s.CreditBalance = s.CreditBalance.Add(rest)
		tx.line(0, AccountCreditBalance, rest, "beyond the charged-off balance")
	}
	return nil
}

func (f *folder) adjust(d date.Date, seq int64, a Adjustment) error {
	s := &f.s
	if a.Bucket == BucketPrincipal {
		if err := f.crystallize(d); err != nil {
			return err
		}
	}
	var b *money.Amount
	switch a.Bucket {
	case BucketPrincipal:
		b = &s.Principal
	case BucketInterest:
		b = &s.AccruedInterest
	case BucketFees:
		b = &s.OtherFees
	case BucketEscrow:
		b = &s.Escrow
	case BucketSuspense:
		b = &s.Suspense
	default:
		return fmt.Errorf("%w: adjustment bucket %q", ErrInvalidEvent, a.Bucket)
	}
	*b = b.Add(a.Amount)
	switch a.Bucket {
	case BucketPrincipal:
		f.activity(d, revolving.Draw, a.Amount) // a credit when negative
	case BucketFees:
		f.activity(d, revolving.Fee, a.Amount)
	}
	f.j.begin(d, seq, TransactionKind(KindAdjustment), a.Amount).line(0, Account(a.Bucket), a.Amount, "adjustment")
	return nil
}

// recastFrom re-solves the payments under rules 2 as amortize does: at a
// rate change (atRate) as Compute does on a rate path (amortize.Biller.Recast:
// level and graduated payments re-solved, an equal principal part and
// custom payments kept), at a re-amortization as Modify does
// (amortize.Biller.Reamortize). It starts from the first unpaid installment
// whose period starts on or after d with periodic interest, or whose
// period ends after d with daily interest (a period split by the change is
// recast at the rate of its end), the earlier periods keeping what they
// had; on the scheduled balance before it, over the installments left to
// the end of the amortization term (past a balloon). The new amounts are
// steps of State.Payments.
func (f *folder) recastFrom(d date.Date, atRate bool) error {
	s := &f.s
	if s.Terms.Accrual == AccrualPrecomputed || !s.Principal.IsPositive() {
		return nil
	}
	bl, err := f.biller()
	if err != nil {
		return err
	}
	if atRate && !bl.ResolvesAtRateChange() {
		return nil
	}
	k := max(s.NextInstallment, s.firstRow())
	if s.Terms.InterestMethod == amortize.InterestDaily {
		for k <= s.Installments && f.dueDate(k) <= d {
			k++
		}
	} else {
		for k <= s.Installments && f.periodStart(k) < d {
			k++
		}
	}
	if k > s.Installments {
		return nil
	}
	// The scheduled balance before installment k: the principal less what
	// the installments before it are billed (they fall in d's window).
	if _, _, err := f.bills(d); err != nil {
		return err
	}
	bal := s.Principal
	for _, b := range f.bs {
		if b.k < k {
			bal = bal.Sub(b.openP)
		}
	}
	if !bal.IsPositive() {
		return nil
	}
	off := f.row(k) - k
	n := k + off
	last := f.row(s.Installments) + s.Terms.Installments - s.Terms.Rows()
	var steps []amortize.Step
	if atRate {
		steps, err = bl.Recast(n, last, bal)
	} else {
		steps, err = bl.Reamortize(n, last, bal)
	}
	if err != nil {
		// Terms amortize cannot re-solve (custom payments): the event asks
		// for what this loan cannot do.
		return fmt.Errorf("%w: recast from installment %d: %w", ErrInvalidEvent, k, err)
	}
	if len(steps) == 0 {
		return nil
	}
	ps := slices.Clip(s.Payments)
	for len(ps) > 0 && ps[len(ps)-1].From >= steps[0].From-off {
		ps = ps[: len(ps)-1 : len(ps)-1]
	}
	if len(ps)+len(steps) > MaxChanges {
		return fmt.Errorf("%w: more than %d recasts", ErrLimit, MaxChanges)
	}
	for _, st := range steps {
		ps = append(ps, PaymentStep{From: st.From - off, Payment: st.Amount})
	}
	s.Payments = ps
	if s.Terms.Shape != amortize.ShapeEqualPrincipal {
		s.Payment = steps[0].Amount
	}
	return nil
}

// levelPayment solves the level payment for the principal over n
// installments from installment k with amortize.SolvePayment (periodic
// interest, payment rounded half away from zero to the cent, or to the
// terms' PaymentIncrement).
func (f *folder) levelPayment(k, n int) (money.Amount, error) {
	s := &f.s
	p, err := amortize.SolvePayment(amortize.Terms{
		Principal: s.Principal, AnnualRate: s.Rate, Installments: n,
		Frequency: s.Terms.Frequency, EOM: s.Terms.EOM,
		FundingDate: f.periodStart(k), FirstDueDate: f.dueDate(k),
		Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic,
		InterestRounding: s.Terms.InterestRounding, PaymentRounding: money.HalfAwayFromZero,
		PaymentIncrement: s.Terms.PaymentIncrement,
	})
	if err != nil {
		return money.Amount{}, fmt.Errorf("recast over %d installments: %w", n, err)
	}
	return p, nil
}
