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

// Payoff returns the payoff quote for funds arriving on on (≥ s.AsOf):
// principal, interest to (not including) on, unpaid fees and the escrow
// advance, less suspense and the credit balance. Scheduled loans owe
// interest on the principal from the paid-to date (the start of the oldest
// unpaid installment's period) less interest already credited to partly
// paid installments; daily simple loans owe the accrued interest plus
// accrual to on; precomputed loans, see precomputedPayoff.
//
// Under rules 2 the quote is payment.Quote's: the interest and per diem by
// the loan's day count (Terms.PayoffInterest PayoffAccrual and
// PayoffDayCount; the per diem is one ordinary day of on's month, a day over
// accrual.DayCount.DaysInYear) or payment.FannieMaeConventional; a rate cap
// (RateCapped) reaching into the period prices the capped accrual
// (accrual.Timeline) and a per diem at the capped rate. A receipt that
// covers the quote on its date pays the loan off (see [RulesVersion]).
// Under rules 1 the first release's quote is kept.
func (s State) Payoff(on date.Date) (Payoff, error) { return s.PayoffCarry(on, Carry{}) }

// PayoffCarry is Payoff, with c the Carry that came with s (FoldCarry,
// ReplayCarry): a precomputed loan's quote reuses the add-on table and
// rebate c holds instead of building them again. As with FoldCarry, a
// Carry only saves work: the quote is Payoff's either way.
func (s State) PayoffCarry(on date.Date, c Carry) (Payoff, error) {
	if on < s.AsOf {
		return Payoff{}, fmt.Errorf("%w: payoff date %s before state date %s", ErrInvalidInput, on, s.AsOf)
	}
	if s.rules2() && s.Terms.Accrual != AccrualPrecomputed && s.Status != StatusChargedOff && s.Status != StatusPaidOff {
		q, err := s.quote(on)
		return q.Payoff, err
	}
	f := folder{s: s}
	if c.of(&s) {
		f.bl, f.addOn, f.rebater = c.bl, c.addOn, c.rebater
	}
	z := money.Zero(s.Terms.Currency())
	p := s.payoffBase(on)
	if s.Status == StatusChargedOff || s.Status == StatusPaidOff {
		p.Principal, p.Interest = z, z
		p.Total = money.Max(z, p.Fees.Add(p.EscrowAdvance).Sub(p.Suspense).Sub(p.Credit))
		return p, nil
	}
	if s.Terms.Accrual == AccrualPrecomputed {
		return f.precomputedQuote(p, on)
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

// payoffBase is the quote's balances before interest: principal, accrued
// interest, fees, escrow, the escrow advance, suspense and credit.
func (s *State) payoffBase(on date.Date) Payoff {
	return Payoff{GoodThrough: on, Principal: s.Principal, Interest: s.AccruedInterest, Suspense: s.Suspense,
		Credit: s.CreditBalance, Escrow: s.Escrow, Fees: money.Sum(s.LateFees, s.NSFFees, s.OtherFees, s.chargesDue(on)),
		PerDiem: money.Zero(s.Terms.Currency()), EscrowAdvance: s.EscrowAdvance}
}

// precomputedQuote finishes the quote of a precomputed loan: Interest is
// the finance charge not yet paid (the add-on charge less the interest paid,
// plus interest adjustments) and Rebate the unearned finance charge
// (amortize.UnearnedFinanceCharge with the terms' AddOnEarning, no
// statutory waiver: the whole rebate is credited) after the installments
// whose due dates fall on or before on: an installment is earned on its due
// date, and there is no per diem. Total is Principal + Interest − Rebate +
// fees + escrow advance − suspense − credit.
// The folder's add-on table is computed once per fold, not per receipt.
func (f *folder) precomputedQuote(p Payoff, on date.Date) (Payoff, error) {
	s := &f.s
	tb, err := f.addOnTable()
	if err != nil {
		return Payoff{}, err
	}
	earned := 0
	for earned < s.Terms.Installments && f.dueDate(earned+1) <= on {
		earned++
	}
	if f.rebater == nil {
		if f.rebater, err = amortize.NewRebater(amortize.RebateRequest{Method: s.Terms.AddOnEarning, Profile: amortize.ProfileNone,
			FinanceCharge: tb.FinanceCharge, AmountFinanced: s.Terms.Principal, Payments: s.Terms.Installments,
			Rounding: s.Terms.InterestRounding}); err != nil {
			return Payoff{}, fmt.Errorf("payoff rebate: %w", err)
		}
	}
	r, err := f.rebater.Unearned(earned)
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

// quoted is a rules-2 payoff quote: the loan's Payoff, payment's quote whose
// receivables a payoff receipt is allocated against, and the interest a
// rate cap forgives over the quoted period.
type quoted struct {
	Payoff
	pq       payment.PayoffQuote
	forgiven money.Amount
}

// quote prices the payoff on on under rules 2 with payment.Quote.
func (s State) quote(on date.Date) (quoted, error) {
	f := folder{s: s}
	cur := s.Terms.Currency()
	z := money.Zero(cur)
	q := payment.QuoteRequest{On: on, Currency: cur, Rate: s.Rate, Rounding: s.Terms.InterestRounding,
		Suspense: s.Suspense.Add(s.CreditBalance), EscrowBalance: s.EscrowAdvance.Neg()}
	if s.Principal.IsPositive() {
		k := max(1, min(s.NextInstallment, s.Installments))
		q.Receivables = append(q.Receivables, payment.Receivable{Installment: k, Component: payment.Principal, DueDate: on, Open: s.Principal, Ref: "principal"})
	}
	for _, r := range []struct {
		c   payment.Component
		a   money.Amount
		ref string
	}{{payment.Interest, s.AccruedInterest, "accrued interest"}, {payment.Penalty, s.LateFees, "late"},
		{payment.Fee, s.NSFFees, "nsf"}, {payment.Fee, s.OtherFees, "other"},
		{payment.Interest, s.DeferredInterest, "deferred interest"}, {payment.Interest, s.pauseAccrued(), "pause interest"}} {
		if r.a.IsPositive() {
			q.Receivables = append(q.Receivables, payment.Receivable{Component: r.c, DueDate: on, Open: r.a, Ref: r.ref})
		}
	}
	for _, c := range s.Charges {
		// Installment charges: payment.Quote owes those due by on.
		if c.Open.IsPositive() {
			q.Receivables = append(q.Receivables, payment.Receivable{Component: c.component(), DueDate: c.DueOn, Open: c.Open, Ref: string(chargeName(c.Type))})
		}
	}
	from := s.AccrualFrom
	if s.Terms.Accrual == AccrualScheduled {
		from = f.periodStart(s.NextInstallment)
	}
	if s.line() {
		// A line owes the finance charge of its cycle so far (revolving's
		// daily balances), and nothing more.
		i, err := s.lineInterest(on)
		if err != nil {
			return quoted{}, err
		}
		if i.IsPositive() {
			q.Receivables = append(q.Receivables, payment.Receivable{Component: payment.Interest, DueDate: on, Open: i, Ref: "line interest"})
		}
		from = on
	}
	from, cut, err := f.pauseQuote(from, on)
	if err != nil {
		return quoted{}, err
	}
	if dp := s.unpaidDownPayment(); dp.IsPositive() && s.Terms.Accrual == AccrualScheduled && on > from {
		// Scheduled interest runs on the rows' balance: the down payment
		// bears none.
		x, err := f.simpleInterest(dp, from, on)
		if err != nil {
			return quoted{}, err
		}
		cut = cut.Add(x)
	}
	if s.Status == StatusNonAccrual && s.Terms.Accrual == AccrualDailySimple || from > on {
		from = on // no interest accrues
	}
	q.InterestFrom = from
	switch s.Terms.PayoffInterest {
	case PayoffFannieMae:
		q.Method = payment.FannieMaeConventional
	default:
		q.DayCount = s.Terms.DayCount
	}
	capped := s.CapTo > from && s.CapFrom < on && s.CapMax.Cmp(s.Rate) < 0
	forgiven := z
	if capped {
		// The cap's owner prices the capped interest; the quote adds none.
		i, fg, err := f.interestOn(s.Principal, from, on)
		if err != nil {
			return quoted{}, err
		}
		forgiven = fg
		if i.IsPositive() {
			q.Receivables = append(q.Receivables, payment.Receivable{Component: payment.Interest, DueDate: on, Open: i, Ref: "capped interest"})
		}
		q.InterestFrom = on
	}
	if !capped && s.Terms.Accrual == AccrualScheduled && len(s.Rates) > 0 && from < on {
		// Scheduled interest is priced at the rates the installments bill
		// (amortize's): a rate change takes effect from the period it
		// reprices, not for the whole span from the paid-to date.
		if err := f.quoteRatePath(&q, from, on); err != nil {
			return quoted{}, err
		}
	}
	pq, err := payment.Quote(q)
	if err != nil {
		return quoted{}, fmt.Errorf("payoff quote: %w", err)
	}
	// Interest already credited to partly paid installments paid part of
	// the interest since the paid-to date; a pause took its days' interest
	// out of the span (cut).
	credited := cut
	for _, p := range s.Partial {
		if p.Seq >= s.NextInstallment {
			credited = credited.Add(p.PaidInterest)
		}
	}
	if credited.IsPositive() {
		for i := range pq.Receivables {
			r := &pq.Receivables[i]
			if r.Component == payment.Interest && r.Installment == 0 && credited.IsPositive() {
				x := money.Min(credited, r.Open)
				r.Open, credited = r.Open.Sub(x), credited.Sub(x)
				pq.AccruedInterest = pq.AccruedInterest.Sub(money.Min(x, pq.AccruedInterest))
				pq.Total = money.Max(z, pq.Total.Sub(x))
			}
		}
	}
	if capped {
		pd, err := s.cappedPerDiem(on)
		if err != nil {
			return quoted{}, err
		}
		pq.PerDiem = pd
	}
	if from == on && s.Status == StatusNonAccrual {
		pq.PerDiem = z
	}
	p := Payoff{GoodThrough: on, Principal: pq.Principal, Interest: pq.Interest.Add(pq.AccruedInterest),
		Fees: pq.Fees.Add(pq.Penalties), Suspense: s.Suspense, Credit: s.CreditBalance, Total: pq.Total,
		PerDiem: pq.PerDiem, Escrow: s.Escrow, EscrowAdvance: pq.EscrowAdvance}
	return quoted{Payoff: p, pq: pq, forgiven: forgiven}, nil
}

// quoteRatePath sets q's rate to the one billing applies on [from, on)
// when it is one; across a change it prices each piece with payment.Quote
// (interest rounded per piece), adds their sum as an interest receivable
// and leaves the per diem at the last piece's rate.
func (f *folder) quoteRatePath(q *payment.QuoteRequest, from, on date.Date) error {
	bl, err := f.biller()
	if err != nil {
		return err
	}
	segs := bl.BilledRates(from, on)
	if len(segs) == 0 {
		return nil
	}
	q.Rate = segs[len(segs)-1].Rate
	if len(segs) == 1 {
		return nil
	}
	sum := money.Zero(q.Currency)
	for i, sg := range segs {
		end := on
		if i+1 < len(segs) {
			end = segs[i+1].On
		}
		piece := *q
		piece.Rate, piece.InterestFrom, piece.On, piece.Receivables = sg.Rate, sg.On, end, nil
		piece.Suspense, piece.EscrowBalance = money.Zero(q.Currency), money.Zero(q.Currency)
		if p := f.s.Principal; p.IsPositive() {
			piece.Receivables = []payment.Receivable{{Installment: max(1, min(f.s.NextInstallment, f.s.Installments)),
				Component: payment.Principal, DueDate: end, Open: p, Ref: "principal"}}
		}
		pq, err := payment.Quote(piece)
		if err != nil {
			return fmt.Errorf("payoff interest %s to %s at %s: %w", sg.On, end, sg.Rate, err)
		}
		sum = sum.Add(pq.AccruedInterest)
	}
	if sum.IsPositive() {
		q.Receivables = append(q.Receivables, payment.Receivable{Component: payment.Interest, DueDate: on, Open: sum, Ref: "interest at the billed rates"})
	}
	q.InterestFrom = on
	return nil
}

// cappedPerDiem is one day's interest on the principal at the capped rate
// on on, over the year accrual gives the day count.
func (s State) cappedPerDiem(on date.Date) (money.Amount, error) {
	r := s.Rate
	if s.CapFrom <= on && on < s.CapTo && s.CapMax.Cmp(r) < 0 {
		r = s.CapMax
	}
	days, err := s.Terms.DayCount.DaysInYear(on)
	if err != nil {
		return money.Amount{}, fmt.Errorf("payoff per diem: %w", err)
	}
	return accrual.PerDiem(s.Principal, r, days, s.Terms.InterestRounding)
}
