package loan

import (
	"errors"
	"fmt"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/revolving"
	"github.com/rickb777/date/v2"
)

// This file holds multi-disbursement loans (construction loans,
// tranche-funded business loans): a commitment drawn in parts, each draw
// adding to the principal and re-solving the schedule by the terms' draw
// policy with amortize's own re-amortization.

// DrawTerms make a loan multi-disbursement. Principal is the draw at
// funding; later draws (Drawn events) add to it up to Commitment. Interest
// accrues on the drawn balance only, from each draw's date, so draws need
// daily simple interest. A construction loan is a DrawTerms loan whose
// amortize terms start with InterestOnly installments (the draw period):
// each draw re-solves the level payment that follows them.
type DrawTerms struct {
	// Commitment is the most that may be drawn in all, Principal included;
	// at least Principal.
	Commitment money.Amount `json:"commitment"`
	// Until is the last day a draw may be made; zero: while the loan is
	// open.
	Until date.Date `json:"until,omitempty"`
	// Policy is what a draw does to the schedule: DrawRecast (the
	// default) or DrawExtend.
	Policy DrawPolicy `json:"policy,omitempty"`
	// Tranches are the draws planned at origination (informational: the
	// fold reads only the Drawn events), in date order, within the draw
	// period, together at most Commitment − Principal.
	Tranches []Tranche `json:"tranches,omitempty"`
}

// DrawPolicy names what a draw does to the schedule.
type DrawPolicy string

// The draw policies.
const (
	// DrawRecast keeps the term and re-solves the payment for the new
	// balance (amortize.Biller.Reamortize: interest-only installments
	// still ahead stay interest only).
	DrawRecast DrawPolicy = "recast"
	// DrawExtend keeps the payment and lengthens the term to what the new
	// balance needs at it (amortize's rows); a draw the payment cannot
	// amortize is refused.
	DrawExtend DrawPolicy = "extend"
)

// Tranche is one planned draw.
type Tranche struct {
	// On is the planned date of the draw.
	On date.Date `json:"on"`
	// Amount is the planned amount, positive.
	Amount money.Amount `json:"amount"`
}

// MaxTranches bounds DrawTerms.Tranches.
const MaxTranches = 120

// Drawn disburses Amount more of the commitment on the event's date
// (DrawTerms).
type Drawn struct {
	// Amount is the amount disbursed, > 0 and at most what is undrawn.
	Amount money.Amount `json:"amount"`
}

// Kind returns KindDrawn.
func (Drawn) Kind() Kind { return KindDrawn }

func (p Drawn) currency() money.Currency { return p.Amount.Currency() }

// Errors of a draw the terms do not allow (wrapped in the command's field
// errors, naming the field).
var (
	// ErrOverCommitment: the draw is more than what is undrawn.
	ErrOverCommitment = errors.New("loan: beyond the undrawn commitment")
	// ErrDrawPeriodOver: the draw is after DrawTerms.Until (a line's
	// LineTerms.DrawUntil).
	ErrDrawPeriodOver = errors.New("loan: after the draw period")
	// ErrOverLimit: a line's draw would take the balance past its credit
	// limit (LineTerms.OverLimit allows it).
	ErrOverLimit = errors.New("loan: beyond the credit limit")
)

// validate checks draw terms d of a loan with terms t.
func (d *DrawTerms) validate(l *field.List, p string, t *Terms) {
	cur := t.Currency()
	if t.Accrual != AccrualDailySimple {
		l.Add(p+".Accrual", t.Accrual, field.ErrNotSupported, "draws need daily simple interest: interest accrues on each draw from its date")
	}
	if t.Shape == amortize.ShapeCustom || t.Shape == amortize.ShapeAddOn {
		l.Add(p+".Shape", t.Shape, field.ErrNotSupported, "a draw re-solves the schedule: level, equal principal or graduated")
	}
	switch {
	case d.Commitment.Currency() != cur:
		l.Add(p+".Draws.Commitment", d.Commitment.Format(), field.ErrInvalid, "in the loan's currency")
	case d.Commitment.LessThan(t.Principal) || d.Commitment.Minor() > money.MaxMinor:
		l.Add(p+".Draws.Commitment", d.Commitment.String(), field.ErrOutOfRange, "at least the principal (the draw at funding)")
	}
	if d.Until != 0 && d.Until < t.FundingDate {
		l.Add(p+".Draws.Until", d.Until.String(), field.ErrOutOfRange, "not before the funding date")
	}
	switch d.Policy {
	case "", DrawRecast, DrawExtend:
	default:
		l.Add(p+".Draws.Policy", d.Policy, field.ErrNotSupported, "recast or extend")
	}
	if len(d.Tranches) > MaxTranches {
		l.Add(p+".Draws.Tranches", len(d.Tranches), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxTranches))
		return
	}
	planned, prev := money.Zero(cur), t.FundingDate
	for i, tr := range d.Tranches {
		q := fmt.Sprintf("%s.Draws.Tranches[%d]", p, i)
		if tr.On < prev || d.Until != 0 && tr.On > d.Until {
			l.Add(q+".On", tr.On.String(), field.ErrOutOfRange, "in date order, from the funding date to Until")
		}
		prev = max(prev, tr.On)
		if tr.Amount.Currency() != cur || !tr.Amount.IsPositive() {
			l.Add(q+".Amount", tr.Amount.Format(), field.ErrOutOfRange, "positive, in the loan's currency")
			continue
		}
		planned = planned.Add(tr.Amount)
	}
	if d.Commitment.Currency() == cur && planned.Add(t.Principal).GreaterThan(d.Commitment) {
		l.Add(p+".Draws.Tranches", planned.String(), field.ErrOutOfRange, "more than the commitment less the principal")
	}
}

// Undrawn is what is left of the commitment (zero without DrawTerms), or
// of a line's credit limit (Terms.Line: the limit less the balance, at
// least zero).
func (s State) Undrawn() money.Amount {
	if s.line() {
		return money.Max(money.Zero(s.Terms.Currency()), s.Terms.Line.CreditLimit.Sub(s.Principal))
	}
	if s.Terms.Draws == nil {
		return money.Zero(s.Terms.Currency())
	}
	return s.Terms.Draws.Commitment.Sub(s.Terms.Principal).Sub(s.Draws)
}

// draw applies a Drawn event effective on d: the principal grows from d
// and the schedule is re-solved by the draw policy.
func (f *folder) draw(d date.Date, seq int64, p Drawn) error {
	s := &f.s
	if f.closed() {
		return fmt.Errorf("%w: a draw on a closed loan", ErrInvalidEvent)
	}
	if s.line() {
		return f.lineDraw(d, seq, p)
	}
	if s.Terms.Draws == nil || !s.rules2() {
		return fmt.Errorf("%w: the loan takes no draws", ErrInvalidEvent)
	}
	if !p.Amount.IsPositive() || p.Amount.GreaterThan(s.Undrawn()) {
		return fmt.Errorf("%w: %w: draw of %s with %s undrawn", ErrInvalidEvent, ErrOverCommitment, p.Amount, s.Undrawn())
	}
	if err := f.crystallize(d); err != nil {
		return err
	}
	s.Principal, s.Draws = s.Principal.Add(p.Amount), s.Draws.Add(p.Amount)
	s.TermsVersion++
	f.j.begin(d, seq, TransactionKind(KindDrawn), p.Amount).line(0, AccountPrincipal, p.Amount, "draw on the commitment")
	if s.Terms.Draws.Policy == DrawExtend {
		return f.fitTerm(true)
	}
	return f.recast(d, false)
}

// lineDraw applies a draw on a line: the credit balance pays for it
// first, the rest adds to the balance from d.
func (f *folder) lineDraw(d date.Date, seq int64, p Drawn) error {
	s := &f.s
	lt := s.Terms.Line
	if !p.Amount.IsPositive() {
		return fmt.Errorf("%w: draw of %s", ErrInvalidEvent, p.Amount)
	}
	if lt.DrawUntil != 0 && d > lt.DrawUntil {
		return fmt.Errorf("%w: %w: draw on %s, draws until %s", ErrInvalidEvent, ErrDrawPeriodOver, d, lt.DrawUntil)
	}
	tx := f.j.begin(d, seq, TransactionKind(KindDrawn), p.Amount)
	c := money.Min(p.Amount, s.CreditBalance)
	if !lt.OverLimit && s.Principal.Add(p.Amount).Sub(c).GreaterThan(lt.CreditLimit) {
		return fmt.Errorf("%w: %w: draw of %s on a balance of %s, limit %s", ErrInvalidEvent, ErrOverLimit, p.Amount, s.Principal, lt.CreditLimit)
	}
	s.Principal, s.Draws = s.Principal.Add(p.Amount), s.Draws.Add(p.Amount)
	f.activity(d, revolving.Draw, p.Amount)
	tx.line(0, AccountPrincipal, p.Amount, "draw on the line")
	if c.IsPositive() {
		// The credit balance pays for the draw at once.
		s.CreditBalance, s.Principal, s.PaidPrincipal = s.CreditBalance.Sub(c), s.Principal.Sub(c), s.PaidPrincipal.Add(c)
		f.activity(d, revolving.Payment, c)
		tx.line(0, AccountCreditBalance, c.Neg(), "the credit balance pays for the draw")
	}
	return nil
}
