package investor

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
)

// Remit computes the pool's remittance for month m: each loan's line
// under p.Method, the totals and their reconciliation, and the carry for
// the next month. It validates p and m first and returns an error wrapping
// ErrInvalidInput naming every bad field (see [Pool.Validate] and
// [LoanMonth]); it returns ErrInvariant if a line or the totals do not
// reconcile, which no valid input can cause.
func Remit(p Pool, m Month) (Remittance, error) {
	cur, err := validate(p, m)
	if err != nil {
		return Remittance{}, err
	}
	z := money.Zero(cur)
	prior := make(map[string]LoanCarry, len(m.Prior.Loans))
	for _, c := range m.Prior.Loans {
		prior[c.LoanID] = c
	}
	r := Remittance{Method: p.Method, From: m.From, To: m.To, Totals: zeroFigures(z),
		Loans: make([]LoanRemittance, 0, len(m.Loans)), Carry: Carry{Method: p.Method, To: m.To, Loans: []LoanCarry{}}}
	for i, lm := range m.Loans {
		lc, ok := prior[lm.LoanID]
		if !ok {
			lc = zeroCarry(lm.LoanID, z)
		}
		line, next, err := p.remitLoan(lm, lc, z)
		if err != nil {
			return Remittance{}, fmt.Errorf("loan %d (%s): %w", i, lm.LoanID, err)
		}
		if err := line.Figures.Check(); err != nil {
			return Remittance{}, fmt.Errorf("loan %d (%s): %w", i, lm.LoanID, err)
		}
		if r.Totals, err = r.Totals.plus(line.Figures); err != nil {
			return Remittance{}, fmt.Errorf("totals: %w", err)
		}
		r.Loans = append(r.Loans, line)
		if !lm.PaidOff {
			r.Carry.Loans = append(r.Carry.Loans, next)
		}
	}
	if err := r.Totals.Check(); err != nil {
		return Remittance{}, fmt.Errorf("totals: %w", err)
	}
	r.Reconciliation = r.Totals.Reconciliation()
	slices.SortFunc(r.Carry.Loans, func(a, b LoanCarry) int { return cmp.Compare(a.LoanID, b.LoanID) })
	return r, nil
}

// shares is an amount of interest by who it belongs to: the investor's net
// interest, the servicing fee and the guaranty fee.
type shares struct{ net, svc, gty money.Amount }

func (s shares) total() money.Amount { return s.net.Add(s.svc).Add(s.gty) }
func (s shares) add(t shares) shares {
	return shares{s.net.Add(t.net), s.svc.Add(t.svc), s.gty.Add(t.gty)}
}
func (s shares) sub(t shares) shares {
	return shares{s.net.Sub(t.net), s.svc.Sub(t.svc), s.gty.Sub(t.gty)}
}

// split divides interest into its shares given the two fee amounts: the
// guaranty fee first, then the servicing fee, each at most what is left, and
// the investor the rest (never negative).
func split(interest, svc, gty money.Amount) shares {
	z := interest.Sub(interest)
	gty = money.Max(z, money.Min(gty, interest))
	svc = money.Max(z, money.Min(svc, interest.Sub(gty)))
	return shares{net: interest.Sub(gty).Sub(svc), svc: svc, gty: gty}
}

// strip is one month's fee at annual rate r on balance: balance × r / 12,
// rounded with the pool's FeeRounding (accrual's simple interest over a
// twelfth of a year).
func (p Pool) strip(balance money.Amount, r rate.Rate) (money.Amount, error) {
	return accrual.SimpleInterest(balance, r, accrual.Fraction{Num: 1, Den: 12}, p.FeeRounding)
}

// scheduledShares splits the month's scheduled interest: the fee strips on
// the scheduled balance, the investor the rest.
func (p Pool) scheduledShares(lm LoanMonth) (shares, error) {
	svc, err := p.strip(lm.ScheduledBalance, p.ServicingFeeRate)
	if err != nil {
		return shares{}, fmt.Errorf("servicing fee: %w", err)
	}
	gty, err := p.strip(lm.ScheduledBalance, p.GuarantyFeeRate)
	if err != nil {
		return shares{}, fmt.Errorf("guaranty fee: %w", err)
	}
	return split(lm.ScheduledInterest, svc, gty), nil
}

// payoffShares splits a payoff's interest on the days basis the loan's
// quote used: each fee is interest × fee rate / note rate, rounded with
// FeeRounding; the investor keeps the rest.
func (p Pool) payoffShares(lm LoanMonth, z money.Amount) (shares, error) {
	i := lm.PayoffInterest
	note := lm.NoteRate.Units()
	if i.IsZero() || note == 0 {
		return shares{net: i.Add(z), svc: z, gty: z}, nil
	}
	svc, err := i.MulDiv(p.ServicingFeeRate.Units(), note, p.FeeRounding)
	if err != nil {
		return shares{}, fmt.Errorf("payoff servicing fee: %w", err)
	}
	gty, err := i.MulDiv(p.GuarantyFeeRate.Units(), note, p.FeeRounding)
	if err != nil {
		return shares{}, fmt.Errorf("payoff guaranty fee: %w", err)
	}
	return split(i, svc, gty), nil
}

// take is the part of owed that amt pays: all of it, none of it, or, in
// between, amt divided in proportion to the shares (largest remainder, ties
// to the investor, then the servicer) so the parts sum to amt.
func take(owed shares, amt, z money.Amount) (shares, error) {
	switch {
	case amt.Equal(owed.total()):
		return owed, nil
	case amt.IsZero():
		return shares{z, z, z}, nil
	}
	parts, err := amt.Allocate([]int64{owed.net.Minor(), owed.svc.Minor(), owed.gty.Minor()})
	if err != nil {
		return shares{}, err
	}
	return shares{parts[0], parts[1], parts[2]}, nil
}

// advances is the advance outstanding against what a loan leaves unpaid:
// under S/S its principal, under S/S and S/A its net interest and guaranty
// fee (the servicing fee is never advanced).
func advances(m Method, unpaidPrincipal money.Amount, unpaid shares, z money.Amount) (principal, interest money.Amount) {
	principal, interest = z, z
	if m.scheduledPrincipal() {
		principal = principal.Add(unpaidPrincipal)
	}
	if m.scheduledInterest() {
		interest = interest.Add(unpaid.net).Add(unpaid.gty)
	}
	return principal, interest
}

// remitLoan is one validated loan's month given its carry lc: collections
// pay lc's unpaid amounts first, then the month's installment; what is
// left unpaid of the installment is advanced as the method says.
func (p Pool) remitLoan(lm LoanMonth, lc LoanCarry, z money.Amount) (LoanRemittance, LoanCarry, error) {
	due, err := p.scheduledShares(lm)
	if err != nil {
		return LoanRemittance{}, LoanCarry{}, err
	}
	pay, err := p.payoffShares(lm, z)
	if err != nil {
		return LoanRemittance{}, LoanCarry{}, err
	}
	unpaid := shares{lc.UnpaidNetInterest.Add(z), lc.UnpaidServicingFee.Add(z), lc.UnpaidGuarantyFee.Add(z)}

	// Principal: the old arrears, then the month's.
	oldP := money.Min(lm.CollectedPrincipal, lc.UnpaidPrincipal).Add(z)
	newP := lm.CollectedPrincipal.Sub(oldP)
	shortP := lm.ScheduledPrincipal.Sub(newP)
	// Interest: likewise, each part by its shares.
	old, err := take(unpaid, money.Min(lm.CollectedInterest, unpaid.total()), z)
	if err != nil {
		return LoanRemittance{}, LoanCarry{}, err
	}
	now, err := take(due, lm.CollectedInterest.Sub(old.total()), z)
	if err != nil {
		return LoanRemittance{}, LoanCarry{}, err
	}
	short := due.sub(now)

	f := zeroFigures(z)
	f.ScheduledBalance = lm.ScheduledBalance.Add(z)
	f.EndingBalance = f.ScheduledBalance.Sub(lm.ScheduledPrincipal).Sub(lm.Curtailment).Sub(lm.PayoffPrincipal)
	prepaid := lm.Curtailment.Add(lm.PayoffPrincipal)
	f.Collected = money.Sum(z, lm.CollectedPrincipal, lm.CollectedInterest, prepaid, lm.PayoffInterest)
	f.Retained = money.Sum(old.svc, now.svc, pay.svc)
	f.RemittedPrincipal = lm.CollectedPrincipal.Add(prepaid).Add(z)
	if p.Method.scheduledPrincipal() {
		f.RemittedPrincipal = lm.ScheduledPrincipal.Add(prepaid).Add(z)
		f.AdvancedPrincipal, f.RecoveredPrincipal = shortP, oldP
	}
	f.RemittedInterest = money.Sum(old.net, now.net, pay.net)
	f.GuarantyFee = money.Sum(old.gty, now.gty, pay.gty)
	if p.Method.scheduledInterest() {
		f.RemittedInterest, f.GuarantyFee = due.net.Add(pay.net), due.gty.Add(pay.gty)
		f.AdvancedInterest, f.RecoveredInterest = short.net.Add(short.gty), old.net.Add(old.gty)
	}
	f.Remitted = f.RemittedPrincipal.Add(f.RemittedInterest)
	f.Advanced = f.AdvancedPrincipal.Add(f.AdvancedInterest)
	f.Recovered = f.RecoveredPrincipal.Add(f.RecoveredInterest)

	next := LoanCarry{LoanID: lm.LoanID, Balance: f.EndingBalance,
		UnpaidPrincipal: lc.UnpaidPrincipal.Add(z).Sub(oldP).Add(shortP)}
	u := unpaid.sub(old).add(short)
	next.UnpaidNetInterest, next.UnpaidServicingFee, next.UnpaidGuarantyFee = u.net, u.svc, u.gty
	next.AdvancedPrincipal, next.AdvancedInterest = advances(p.Method, next.UnpaidPrincipal, u, z)
	f.AdvanceOutstanding = next.AdvancedPrincipal.Add(next.AdvancedInterest)

	net, err := netRate(lm.NoteRate, p)
	if err != nil {
		return LoanRemittance{}, LoanCarry{}, err
	}
	line := LoanRemittance{LoanID: lm.LoanID, NoteRate: lm.NoteRate, NetRate: net, PaidOff: lm.PaidOff,
		Delinquent: next.UnpaidPrincipal.IsPositive() || u.total().IsPositive(), Figures: f}
	return line, next, nil
}

// netRate is the pass-through rate: the note rate less both fee rates.
func netRate(note rate.Rate, p Pool) (rate.Rate, error) {
	fees, err := p.ServicingFeeRate.Add(p.GuarantyFeeRate)
	if err != nil {
		return rate.Rate{}, err
	}
	return note.Sub(fees)
}

func zeroCarry(id string, z money.Amount) LoanCarry {
	return LoanCarry{LoanID: id, Balance: z, UnpaidPrincipal: z, UnpaidNetInterest: z, UnpaidServicingFee: z,
		UnpaidGuarantyFee: z, AdvancedPrincipal: z, AdvancedInterest: z}
}

func zeroFigures(z money.Amount) Figures {
	var f Figures
	for _, a := range f.amounts() {
		*a = z
	}
	return f
}

// amounts lists f's fields, in declaration order.
func (f *Figures) amounts() []*money.Amount {
	return []*money.Amount{&f.ScheduledBalance, &f.EndingBalance, &f.Collected, &f.RemittedPrincipal, &f.RemittedInterest,
		&f.Remitted, &f.Retained, &f.GuarantyFee, &f.AdvancedPrincipal, &f.AdvancedInterest, &f.Advanced,
		&f.RecoveredPrincipal, &f.RecoveredInterest, &f.Recovered, &f.AdvanceOutstanding}
}

// plus returns f + g field by field; a total beyond money.MaxMinor is an
// error wrapping money.ErrOverflow.
func (f Figures) plus(g Figures) (Figures, error) {
	out := f
	gs := g.amounts()
	for i, a := range out.amounts() {
		s := a.Add(*gs[i])
		if s.Minor() > money.MaxMinor || s.Minor() < -money.MaxMinor {
			return Figures{}, fmt.Errorf("%w: %s + %s", money.ErrOverflow, a, gs[i])
		}
		*a = s
	}
	return out, nil
}

// Reconciliation returns the six terms of f's reconciliation and their
// difference.
func (f Figures) Reconciliation() Reconciliation {
	r := Reconciliation{Collected: f.Collected, Remitted: f.Remitted, Retained: f.Retained, GuarantyFee: f.GuarantyFee,
		Advanced: f.Advanced, Recovered: f.Recovered}
	r.Difference = r.Collected.Sub(money.Sum(r.Remitted, r.Retained, r.GuarantyFee, r.Recovered).Sub(r.Advanced))
	return r
}

// Check returns an error wrapping ErrInvariant, with the numbers, unless
// Collected = Remitted + Retained + GuarantyFee + Recovered − Advanced to the
// minor unit.
func (r Reconciliation) Check() error {
	want := money.Sum(r.Remitted, r.Retained, r.GuarantyFee, r.Recovered).Sub(r.Advanced)
	if !r.Collected.Equal(want) {
		return fmt.Errorf("%w: collected %s ≠ remitted %s + retained %s + guaranty fee %s + recovered %s − advanced %s = %s",
			ErrInvariant, r.Collected, r.Remitted, r.Retained, r.GuarantyFee, r.Recovered, r.Advanced, want)
	}
	return nil
}

// Check returns an error wrapping ErrInvariant, with the numbers, unless f
// reconciles (see [Reconciliation.Check]), each total is the sum of its
// principal and interest parts, and no figure is negative.
func (f Figures) Check() error {
	for _, c := range []struct {
		name        string
		total, p, i money.Amount
	}{
		{"remitted", f.Remitted, f.RemittedPrincipal, f.RemittedInterest},
		{"advanced", f.Advanced, f.AdvancedPrincipal, f.AdvancedInterest},
		{"recovered", f.Recovered, f.RecoveredPrincipal, f.RecoveredInterest},
	} {
		if !c.total.Equal(c.p.Add(c.i)) {
			return fmt.Errorf("%w: %s %s ≠ principal %s + interest %s", ErrInvariant, c.name, c.total, c.p, c.i)
		}
	}
	for _, a := range f.amounts() {
		if a.IsNegative() {
			return fmt.Errorf("%w: a negative figure %s in %+v", ErrInvariant, a, f)
		}
	}
	return f.Reconciliation().Check()
}
