package investor

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
)

// Validate reports every bad field of the pool, wrapped in
// ErrInvalidInput: a Method that is not one of the three, a negative fee
// rate, a missing or unknown FeeRounding.
func (p Pool) Validate() error {
	var l field.List
	p.validate(&l)
	return l.Err(ErrInvalidInput)
}

func (p Pool) validate(l *field.List) {
	switch {
	case p.Method == "":
		l.Add("Pool.Method", p.Method, field.ErrRequired, "scheduled_scheduled, scheduled_actual or actual_actual")
	case !p.Method.Valid():
		l.Add("Pool.Method", p.Method, field.ErrNotSupported, "scheduled_scheduled, scheduled_actual or actual_actual")
	}
	if p.ServicingFeeRate.IsNegative() {
		l.Add("Pool.ServicingFeeRate", p.ServicingFeeRate.String(), field.ErrOutOfRange, "must not be negative")
	}
	if p.GuarantyFeeRate.IsNegative() {
		l.Add("Pool.GuarantyFeeRate", p.GuarantyFeeRate.String(), field.ErrOutOfRange, "must not be negative")
	}
	switch {
	case p.FeeRounding == "":
		l.Add("Pool.FeeRounding", nil, field.ErrRequired, money.RoundingChoices())
	case !p.FeeRounding.Valid():
		l.Add("Pool.FeeRounding", p.FeeRounding, field.ErrNotSupported, money.RoundingChoices())
	}
}

// validate checks p and m and returns the month's currency: that of the
// first amount that has one.
func validate(p Pool, m Month) (money.Currency, error) {
	var l field.List
	p.validate(&l)
	cur := currencyOf(m)
	if m.To <= m.From {
		l.Add("Month.To", m.To.String(), field.ErrInvalid, fmt.Sprintf("must be after From (%s)", m.From))
	}
	if len(m.Loans) > MaxLoans {
		l.Add("Month.Loans", len(m.Loans), field.ErrOutOfRange, fmt.Sprintf("at most %d loans", MaxLoans))
		return cur, l.Err(ErrInvalidInput)
	}
	prior := validateCarry(&l, p, m, cur)
	seen := make(map[string]int, len(m.Loans))
	for i, lm := range m.Loans {
		path := fmt.Sprintf("Month.Loans[%d]", i)
		if j, dup := seen[lm.LoanID]; dup && lm.LoanID != "" {
			l.Add(path+".LoanID", lm.LoanID, field.ErrInvalid, fmt.Sprintf("also Month.Loans[%d]", j))
		}
		seen[lm.LoanID] = i
		lc, carried := prior[lm.LoanID]
		validateLoan(&l, path, p, m, lm, lc, carried, cur)
	}
	for k, c := range m.Prior.Loans {
		if _, ok := seen[c.LoanID]; !ok && owes(c) {
			l.Add(fmt.Sprintf("Month.Prior.Loans[%d]", k), c.LoanID, field.ErrInvalid,
				"the loan still owes (scheduled balance or unpaid installments) but is not among the month's loans")
		}
	}
	return cur, l.Err(ErrInvalidInput)
}

func owes(c LoanCarry) bool {
	return c.Balance.IsPositive() || c.UnpaidPrincipal.IsPositive() || c.UnpaidNetInterest.IsPositive() ||
		c.UnpaidServicingFee.IsPositive() || c.UnpaidGuarantyFee.IsPositive()
}

// currencyOf is the currency of the month's first amount carrying one.
func currencyOf(m Month) money.Currency {
	for _, lm := range m.Loans {
		for _, a := range lm.amounts() {
			if a.amount.Currency().Valid() {
				return a.amount.Currency()
			}
		}
	}
	for _, c := range m.Prior.Loans {
		for _, a := range c.amounts() {
			if a.amount.Currency().Valid() {
				return a.amount.Currency()
			}
		}
	}
	return money.Currency{}
}

type named struct {
	name   string
	amount money.Amount
}

func (lm LoanMonth) amounts() []named {
	return []named{{"ScheduledBalance", lm.ScheduledBalance}, {"ScheduledPrincipal", lm.ScheduledPrincipal},
		{"ScheduledInterest", lm.ScheduledInterest}, {"CollectedPrincipal", lm.CollectedPrincipal},
		{"CollectedInterest", lm.CollectedInterest}, {"Curtailment", lm.Curtailment},
		{"PayoffPrincipal", lm.PayoffPrincipal}, {"PayoffInterest", lm.PayoffInterest}}
}

func (c LoanCarry) amounts() []named {
	return []named{{"Balance", c.Balance}, {"UnpaidPrincipal", c.UnpaidPrincipal}, {"UnpaidNetInterest", c.UnpaidNetInterest},
		{"UnpaidServicingFee", c.UnpaidServicingFee}, {"UnpaidGuarantyFee", c.UnpaidGuarantyFee},
		{"AdvancedPrincipal", c.AdvancedPrincipal}, {"AdvancedInterest", c.AdvancedInterest}}
}

// validAmounts reports each amount that is negative, beyond MaxMinor or in
// another currency than cur; ok says there was none.
func validAmounts(l *field.List, path string, as []named, cur money.Currency) (ok bool) {
	n := l.Len()
	for _, a := range as {
		p := path + "." + a.name
		switch {
		case a.amount.IsNegative():
			l.Add(p, a.amount.String(), field.ErrOutOfRange, "must not be negative")
		case a.amount.Minor() > money.MaxMinor:
			l.Add(p, a.amount.String(), field.ErrOutOfRange, "above money.MaxMinor")
		case money.CheckSame(a.amount, money.Zero(cur)) != nil:
			l.Add(p, a.amount.Format(), field.ErrInvalid, "currency differs from the pool's "+cur.Code)
		}
	}
	return l.Len() == n
}

// validateLoan checks one loan's month against the pool, the month's dates
// and the loan's carry lc (zero amounts when not carried).
func validateLoan(l *field.List, path string, p Pool, m Month, lm LoanMonth, lc LoanCarry, carried bool, cur money.Currency) {
	switch {
	case lm.LoanID == "":
		l.Add(path+".LoanID", lm.LoanID, field.ErrRequired, "")
	case len(lm.LoanID) > MaxLoanID:
		l.Add(path+".LoanID", len(lm.LoanID), field.ErrOutOfRange, fmt.Sprintf("at most %d bytes", MaxLoanID))
	}
	if fees, err := p.ServicingFeeRate.Add(p.GuarantyFeeRate); err == nil && lm.NoteRate.Cmp(fees) < 0 {
		l.Add(path+".NoteRate", lm.NoteRate.String(), field.ErrOutOfRange,
			fmt.Sprintf("below the pool's fees (servicing %s + guaranty %s = %s): the net rate would be negative",
				p.ServicingFeeRate, p.GuarantyFeeRate, fees))
	}
	if !validAmounts(l, path, lm.amounts(), cur) {
		return
	}
	z := money.Zero(cur)
	b, sp := lm.ScheduledBalance, lm.ScheduledPrincipal
	unpaidP := lc.UnpaidPrincipal.Add(z)
	unpaidI := money.Sum(z, lc.UnpaidNetInterest, lc.UnpaidServicingFee, lc.UnpaidGuarantyFee)
	if carried && !b.Equal(lc.Balance) {
		l.Add(path+".ScheduledBalance", b.String(), field.ErrInvalid, "the carry's balance is "+lc.Balance.String())
	}
	if sp.GreaterThan(b) {
		l.Add(path+".ScheduledPrincipal", sp.String(), field.ErrOutOfRange, "above the scheduled balance "+b.String())
	} else if left := b.Sub(sp); lm.Curtailment.GreaterThan(left) {
		l.Add(path+".Curtailment", lm.Curtailment.String(), field.ErrOutOfRange, "above the scheduled balance left, "+left.String())
	}
	if owed := unpaidP.Add(sp); lm.CollectedPrincipal.GreaterThan(owed) {
		l.Add(path+".CollectedPrincipal", lm.CollectedPrincipal.String(), field.ErrOutOfRange, "more than was due ("+owed.String()+
			": earlier months' unpaid and the month's principal); report extra principal as Curtailment, an installment paid ahead in the month it falls due")
	}
	if owed := unpaidI.Add(lm.ScheduledInterest); lm.CollectedInterest.GreaterThan(owed) {
		l.Add(path+".CollectedInterest", lm.CollectedInterest.String(), field.ErrOutOfRange, "more than was due ("+owed.String()+
			": earlier months' unpaid and the month's interest); report an installment paid ahead in the month it falls due")
	}
	collected := money.Sum(z, lm.CollectedPrincipal, lm.CollectedInterest, lm.Curtailment, lm.PayoffPrincipal, lm.PayoffInterest)
	if collected.Minor() > money.MaxMinor || b.Add(unpaidP).Minor() > money.MaxMinor {
		l.Add(path, lm.LoanID, field.ErrOutOfRange, "amounts beyond money.MaxMinor")
	}
	validatePayoff(l, path, m, lm, unpaidP.Add(sp), unpaidI.Add(lm.ScheduledInterest))
}

// validatePayoff checks a payoff collects everything owed (owedP, owedI:
// the unpaid installments and the month's) and retires the scheduled
// balance on a date inside the month, and that a loan not paid off has no
// payoff figures.
func validatePayoff(l *field.List, path string, m Month, lm LoanMonth, owedP, owedI money.Amount) {
	if !lm.PaidOff {
		if !lm.PayoffPrincipal.IsZero() {
			l.Add(path+".PayoffPrincipal", lm.PayoffPrincipal.String(), field.ErrInvalid, "only with PaidOff")
		}
		if !lm.PayoffInterest.IsZero() {
			l.Add(path+".PayoffInterest", lm.PayoffInterest.String(), field.ErrInvalid, "only with PaidOff")
		}
		if lm.PayoffOn != 0 {
			l.Add(path+".PayoffOn", lm.PayoffOn.String(), field.ErrInvalid, "only with PaidOff")
		}
		return
	}
	if lm.PayoffOn < m.From || lm.PayoffOn >= m.To {
		l.Add(path+".PayoffOn", lm.PayoffOn.String(), field.ErrOutOfRange, fmt.Sprintf("inside the month [%s, %s)", m.From, m.To))
	}
	if left := lm.ScheduledBalance.Sub(lm.ScheduledPrincipal).Sub(lm.Curtailment); !lm.PayoffPrincipal.Equal(left) {
		l.Add(path+".PayoffPrincipal", lm.PayoffPrincipal.String(), field.ErrInvalid,
			"a payoff retires the scheduled balance left after the month's principal and curtailment, "+left.String()+
				" (a short payoff or liquidation is not supported)")
	}
	if !lm.CollectedPrincipal.Equal(owedP) {
		l.Add(path+".CollectedPrincipal", lm.CollectedPrincipal.String(), field.ErrInvalid,
			"a payoff collects every unpaid installment's principal, "+owedP.String())
	}
	if !lm.CollectedInterest.Equal(owedI) {
		l.Add(path+".CollectedInterest", lm.CollectedInterest.String(), field.ErrInvalid,
			"a payoff collects every unpaid installment's interest, "+owedI.String())
	}
}

// validateCarry checks the prior carry against the pool and the month and
// returns it by loan id.
func validateCarry(l *field.List, p Pool, m Month, cur money.Currency) map[string]LoanCarry {
	c := m.Prior
	out := make(map[string]LoanCarry, len(c.Loans))
	if c.Method == "" && c.To == 0 && len(c.Loans) == 0 {
		return out // the pool's first month
	}
	if c.Method != p.Method {
		l.Add("Month.Prior.Method", c.Method, field.ErrInvalid, fmt.Sprintf("the carry of a %q pool", p.Method))
	}
	if c.To != m.From {
		l.Add("Month.Prior.To", c.To.String(), field.ErrInvalid, fmt.Sprintf("the month must start where the carry ends (From is %s)", m.From))
	}
	if len(c.Loans) > MaxLoans {
		l.Add("Month.Prior.Loans", len(c.Loans), field.ErrOutOfRange, fmt.Sprintf("at most %d loans", MaxLoans))
		return out
	}
	z := money.Zero(cur)
	for k, lc := range c.Loans {
		path := fmt.Sprintf("Month.Prior.Loans[%d]", k)
		if k > 0 && lc.LoanID <= c.Loans[k-1].LoanID {
			l.Add(path+".LoanID", lc.LoanID, field.ErrInvalid, "not after "+c.Loans[k-1].LoanID+" (sorted, unique)")
		}
		out[lc.LoanID] = lc
		if !validAmounts(l, path, lc.amounts(), cur) || !p.Method.Valid() {
			continue
		}
		u := shares{lc.UnpaidNetInterest.Add(z), lc.UnpaidServicingFee.Add(z), lc.UnpaidGuarantyFee.Add(z)}
		ap, ai := advances(p.Method, lc.UnpaidPrincipal.Add(z), u, z)
		if !lc.AdvancedPrincipal.Equal(ap) {
			l.Add(path+".AdvancedPrincipal", lc.AdvancedPrincipal.String(), field.ErrInvalid, "the method advances "+ap.String()+" of what is unpaid")
		}
		if !lc.AdvancedInterest.Equal(ai) {
			l.Add(path+".AdvancedInterest", lc.AdvancedInterest.String(), field.ErrInvalid, "the method advances "+ai.String()+" of what is unpaid")
		}
	}
	return out
}
