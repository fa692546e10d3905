package loan

import (
	"fmt"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/rickb777/date/v2"
)

// Payoff is the amount that pays the loan in full if funds arrive on
// GoodThrough (Reg Z §1026.36(c)(3)): principal + interest to (not
// including) that day + unpaid fees − suspense − credit balance.
type Payoff struct {
	GoodThrough date.Date    `json:"good_through"`
	Principal   money.Amount `json:"principal"`
	Interest    money.Amount `json:"interest"`
	Fees        money.Amount `json:"fees"`
	Suspense    money.Amount `json:"suspense"`
	Credit      money.Amount `json:"credit"`
	Total       money.Amount `json:"total"`
	// PerDiem is one more day's interest, for funds arriving later.
	PerDiem money.Amount `json:"per_diem"`
	// Escrow is the escrow balance refunded after payoff (Reg X
	// §1024.34(b)); not netted into Total.
	Escrow money.Amount `json:"escrow"`
	// EscrowAdvance is what the servicer advanced for escrow
	// disbursements; owed, and included in Total.
	EscrowAdvance money.Amount `json:"escrow_advance"`
	// Rebate is the unearned finance charge of a precomputed loan,
	// subtracted from Total (omitted when zero).
	Rebate money.Amount `json:"rebate,omitzero"`
}

// Payoff returns the payoff quote for funds arriving on on (≥ s.AsOf).
// Scheduled loans owe interest from the last paid due date; daily simple
// loans owe the accrued interest plus accrual to on. Both use the loan's day
// count (accrual.DayCount) and rounding; the per diem uses a 360-day year for
// 30/360 and ACT/360 loans and 365 otherwise. Terms.PayoffInterest
// PayoffDayCount or PayoffFannieMae prices that interest and the per diem
// through payment.Quote instead, unless a rate cap (RateCapped) reaches
// into the period, which keeps the capped accrual.
func (s State) Payoff(on date.Date) (Payoff, error) {
	if on < s.AsOf {
		return Payoff{}, fmt.Errorf("%w: payoff date %s before state date %s", ErrInvalidInput, on, s.AsOf)
	}
	f := folder{s: s}
	z := money.Zero(s.Terms.Currency())
	p := Payoff{GoodThrough: on, Principal: s.Principal, Interest: s.AccruedInterest, Suspense: s.Suspense,
		Credit: s.CreditBalance, Escrow: s.Escrow, Fees: money.Sum(s.LateFees, s.NSFFees, s.OtherFees), PerDiem: z,
		EscrowAdvance: s.EscrowAdvance}
	if s.Status == StatusChargedOff || s.Status == StatusPaidOff {
		p.Principal, p.Interest = z, z
		p.Total = money.Max(z, p.Fees.Add(p.EscrowAdvance).Sub(p.Suspense).Sub(p.Credit))
		return p, nil
	}
	if s.Terms.Accrual == AccrualPrecomputed {
		return s.precomputedPayoff(p, on)
	}
	from := s.AccrualFrom
	if s.Terms.Accrual == AccrualScheduled {
		from = f.periodStart(s.NextInstallment)
	}
	stopped := s.Status == StatusNonAccrual && s.Terms.Accrual == AccrualDailySimple
	if s.Terms.PayoffInterest != PayoffAccrual && on >= from && !stopped && !(s.CapTo > from && s.CapFrom < on && s.CapMax.Cmp(s.Rate) < 0) {
		i, pd, err := s.quoteInterest(from, on)
		if err != nil {
			return Payoff{}, err
		}
		p.Interest, p.PerDiem = p.Interest.Add(i), pd
		p.Total = money.Sum(p.Principal, p.Interest, p.Fees, p.EscrowAdvance).Sub(p.Suspense).Sub(p.Credit)
		return p, nil
	}
	if on > from && !stopped {
		i, err := f.interest(from, on)
		if err != nil {
			return Payoff{}, err
		}
		p.Interest = p.Interest.Add(i)
	}
	days := 365
	switch s.Terms.DayCount.Convention {
	case accrual.Act360, accrual.Thirty360US, accrual.Thirty360USAlias, accrual.Thirty360BondBasis,
		accrual.Thirty360E, accrual.Thirty360EISDA, accrual.Thirty360USNoEOM:
		days = 360
	}
	pd, err := accrual.PerDiem(s.Principal, s.Rate, days, s.Terms.InterestRounding)
	if err != nil {
		return Payoff{}, fmt.Errorf("payoff per diem: %w", err)
	}
	if !stopped {
		p.PerDiem = pd
	}
	p.Total = money.Sum(p.Principal, p.Interest, p.Fees, p.EscrowAdvance).Sub(p.Suspense).Sub(p.Credit)
	return p, nil
}

// precomputedPayoff finishes the quote of a precomputed loan: Interest is
// the finance charge not yet paid (the add-on charge less the interest paid,
// plus interest adjustments) and Rebate the unearned finance charge
// (amortize.UnearnedFinanceCharge with the terms' AddOnEarning, no
// statutory waiver: the whole rebate is credited) after the installments
// whose due dates fall on or before on: an installment is earned on its due
// date, and there is no per diem. Total is Principal + Interest − Rebate +
// fees + escrow advance − suspense − credit.
func (s State) precomputedPayoff(p Payoff, on date.Date) (Payoff, error) {
	f := folder{s: s}
	tb, err := f.addOnTable()
	if err != nil {
		return Payoff{}, err
	}
	earned := 0
	for earned < s.Terms.Installments && f.dueDate(earned+1) <= on {
		earned++
	}
	r, err := amortize.UnearnedFinanceCharge(amortize.RebateRequest{Method: s.Terms.AddOnEarning, Profile: amortize.ProfileNone,
		FinanceCharge: tb.FinanceCharge, AmountFinanced: s.Terms.Principal, Payments: s.Terms.Installments,
		PaymentsMade: earned, Rounding: s.Terms.InterestRounding})
	if err != nil {
		return Payoff{}, fmt.Errorf("payoff rebate: %w", err)
	}
	z := money.Zero(s.Terms.Currency())
	p.Interest = money.Max(z, tb.FinanceCharge.Sub(s.PaidInterest)).Add(s.AccruedInterest)
	p.Rebate = money.Min(r.Unearned, p.Principal.Add(p.Interest))
	p.Total = money.Max(z, money.Sum(p.Principal, p.Interest, p.Fees, p.EscrowAdvance).Sub(p.Rebate).Sub(p.Suspense).Sub(p.Credit))
	return p, nil
}

// quoteInterest is the interest on the principal over [from, on) and the
// per diem, priced by payment.Quote under the terms' PayoffInterest.
func (s State) quoteInterest(from, on date.Date) (interest, perDiem money.Amount, err error) {
	cur := s.Terms.Currency()
	q := payment.QuoteRequest{On: on, Currency: cur, InterestFrom: from, Rate: s.Rate, Rounding: s.Terms.InterestRounding}
	if s.Principal.IsPositive() {
		q.Receivables = []payment.Receivable{{Installment: s.NextInstallment, Component: payment.Principal, DueDate: on, Open: s.Principal, Ref: "principal"}}
	}
	switch s.Terms.PayoffInterest {
	case PayoffFannieMae:
		q.Method = payment.FannieMaeConventional
	default:
		q.DayCount = s.Terms.DayCount
	}
	pq, err := payment.Quote(q)
	if err != nil {
		return money.Amount{}, money.Amount{}, fmt.Errorf("payoff interest (%s): %w", s.Terms.PayoffInterest, err)
	}
	return pq.AccruedInterest, pq.PerDiem, nil
}

// ChargedOffBalance returns what the borrower still owes on a charged-off
// loan on date on (≥ s.AsOf): ChargedOff, plus under a regular charge-off
// the interest on ChargedOffPrincipal from the last recovery (or the
// charge-off) to on, with the loan's day count and rounding. Zero for a
// loan not charged off.
func (s State) ChargedOffBalance(on date.Date) (money.Amount, error) {
	if s.Status != StatusChargedOff {
		return money.Zero(s.Terms.Currency()), nil
	}
	if on < s.AsOf {
		return money.Amount{}, fmt.Errorf("%w: date %s before state date %s", ErrInvalidInput, on, s.AsOf)
	}
	if s.ChargeOff != delinquency.ChargeOffRegular || on <= s.AccrualFrom {
		return s.ChargedOff, nil
	}
	f := folder{s: s}
	i, err := f.simpleInterest(s.ChargedOffPrincipal, s.AccrualFrom, on)
	if err != nil {
		return money.Amount{}, err
	}
	return s.ChargedOff.Add(i), nil
}
