package loan

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// This file holds payment pauses (forbearance, deferment, a payment
// holiday): the installments due in the pause move past its end, the
// interest of its days is capitalized, deferred to maturity or waived, and
// delinquency counts none of its days (delinquency.PauseCalendar).

// PauseInterest says what a payment pause does with the interest of its
// days.
type PauseInterest string

// The pause interest treatments.
const (
	// PauseCapitalize accrues the interest and adds it to the principal
	// when the pause ends; the payment is then re-solved over the
	// installments left (amortize.Biller.Reamortize; a custom-payment loan
	// keeps its payments and the last installment takes the rest).
	PauseCapitalize PauseInterest = "capitalize"
	// PauseDefer accrues the interest and holds it apart
	// (State.DeferredInterest): it bears no interest and is due with the
	// last installment or in a payoff, as a payment deferral's
	// non-interest-bearing balance is.
	PauseDefer PauseInterest = "defer"
	// PauseWaive charges no interest for the pause (State.InterestWaived
	// reports what was not charged).
	PauseWaive PauseInterest = "waive"
)

// MaxPauses bounds State.Pauses (delinquency.MaxPauses: the periods one
// delinquency loan holds).
const MaxPauses = delinquency.MaxPauses

// Paused grants a payment pause from the event's effective date until To
// (exclusive). Unless KeepDueDates, every installment falling due in the
// pause moves, with all later ones, by the whole periods the pause covers
// (the maturity moves out as much), and Interest says what happens to the
// interest of those days. Installments already past due on the effective
// date stay due: a pause on a delinquent loan freezes its days past due
// (delinquency counts no paused day) without curing it. Rules 2 and later;
// not for precomputed loans.
type Paused struct {
	// To is the first day after the pause; after the effective date.
	To date.Date `json:"to"`
	// Type is how delinquency reports the pause (forbearance when empty).
	Type delinquency.PauseKind `json:"type,omitempty"`
	// Interest is the treatment of the pause's interest; required unless
	// KeepDueDates.
	Interest PauseInterest `json:"interest,omitempty"`
	// KeepDueDates leaves the due dates and the interest as they are: a
	// pause of delinquency aging alone (a disaster, a dispute), during
	// which installments still fall due and late fees are not charged.
	KeepDueDates bool `json:"keep_due_dates,omitempty"`
}

// Kind returns KindPaused.
func (Paused) Kind() Kind { return KindPaused }

func (Paused) currency() money.Currency { return money.Currency{} }

// Pause is a payment pause as the fold applied it.
type Pause struct {
	// From and To are the paused days [From, To); Type is how delinquency
	// reports them.
	From, To date.Date
	Type     delinquency.PauseKind
	// Interest is the treatment of the interest (empty: due dates kept).
	Interest PauseInterest
	// First is the first installment moved; it and every later one moved
	// by Periods periods (0: none moved).
	First, Periods int
	// Start and End bound the interest the pause treats: for scheduled
	// interest the periods no installment bills any more (the period start
	// of First as it was, to its period start now); for daily simple
	// interest the paused days.
	Start, End date.Date
	// Accrued is daily simple interest of the pause accrued and not yet
	// capitalized or deferred; Booked is set once the pause's interest is.
	Accrued money.Amount
	Booked  bool
}

// pauseOf returns the pause a Paused event effective on d grants, with its
// first installment and periods read from the schedule in force.
func (f *folder) pauseOf(d date.Date, p Paused) Pause {
	s := &f.s
	z := money.Zero(s.Terms.Currency())
	pz := Pause{From: d, To: p.To, Type: p.Type, Interest: p.Interest, Accrued: z, Booked: true}
	if pz.Type == "" {
		pz.Type = delinquency.Forbearance
	}
	if p.KeepDueDates {
		pz.Interest = ""
		return pz
	}
	k := max(s.NextInstallment, s.firstRow())
	for k <= s.Installments && f.dueDate(k) < d {
		k++
	}
	if k <= s.Installments {
		idx := f.row(k) - 1
		m := 0
		for m < MaxInstallments && f.gridAt(idx+m) < p.To {
			m++
		}
		if m > 0 {
			pz.First, pz.Periods = k, m
			if s.Terms.Accrual != AccrualDailySimple {
				pz.Start, pz.End, pz.Booked = f.gridAt(idx-1), f.gridAt(idx+m-1), false
			}
		}
	}
	if s.Terms.Accrual == AccrualDailySimple {
		pz.Start, pz.End, pz.Booked = d, p.To, false
	}
	return pz
}

// pause applies a Paused event effective on d.
func (f *folder) pause(d date.Date, seq int64, p Paused) error {
	s := &f.s
	if f.closed() {
		return nil
	}
	if !s.rules2() || s.Terms.Accrual == AccrualPrecomputed {
		return fmt.Errorf("%w: a payment pause needs rules 2 and a loan that is not precomputed", ErrInvalidEvent)
	}
	switch p.Interest {
	case PauseCapitalize, PauseDefer, PauseWaive:
	case "":
		if !p.KeepDueDates {
			return fmt.Errorf("%w: a pause that moves due dates needs an interest treatment", ErrInvalidEvent)
		}
	default:
		return fmt.Errorf("%w: pause interest %q", ErrInvalidEvent, p.Interest)
	}
	if p.To <= d {
		return fmt.Errorf("%w: pause to %s not after %s", ErrInvalidEvent, p.To, d)
	}
	if n := len(s.Pauses); n > 0 && s.Pauses[n-1].To > d {
		return fmt.Errorf("%w: pause from %s overlaps the one to %s", ErrInvalidEvent, d, s.Pauses[n-1].To)
	}
	if len(s.Pauses) >= MaxPauses {
		return fmt.Errorf("%w: more than %d pauses", ErrLimit, MaxPauses)
	}
	if err := f.crystallize(d); err != nil {
		return err
	}
	pz := f.pauseOf(d, p)
	s.Pauses = append(slices.Clip(s.Pauses), pz)
	if pz.Periods > 0 {
		s.TermsVersion++
	}
	f.j.begin(d, seq, TransactionKind(KindPaused), money.Zero(s.Terms.Currency()))
	if !pz.Booked && pz.End <= d {
		return f.bookPause(len(s.Pauses)-1, d)
	}
	return nil
}

// openPause returns the index of the pause whose interest is not booked
// yet, or -1.
func (s *State) openPause() int {
	for i := len(s.Pauses) - 1; i >= 0; i-- {
		if !s.Pauses[i].Booked {
			return i
		}
	}
	return -1
}

// bookOn is the day a pause's interest is booked: the end of the paused
// days (daily simple), or the start of the first moved installment's new
// period (scheduled: the skipped periods are over).
func (p *Pause) bookOn() date.Date { return p.End }

// bookPause books pause i's interest on date on: capitalized (and the
// payment re-solved), deferred or waived.
func (f *folder) bookPause(i int, on date.Date) error {
	s := &f.s
	s.Pauses = slices.Clone(s.Pauses) // copy on write: states share the list
	dsi := s.Terms.Accrual == AccrualDailySimple
	var amt money.Amount
	if dsi {
		if err := f.crystallize(on); err != nil {
			return err
		}
		amt = s.Pauses[i].Accrued
	} else {
		a, err := f.skippedInterest(&s.Pauses[i], on)
		if err != nil {
			return err
		}
		amt = a
	}
	p := &s.Pauses[i]
	p.Accrued, p.Booked = money.Zero(amt.Currency()), true
	tx := f.j.begin(on, 0, TransactionPauseInterest, amt)
	switch p.Interest {
	case PauseCapitalize:
		s.Principal = s.Principal.Add(amt)
		tx.line(p.First, AccountCapitalizedInterest, amt, fmt.Sprintf("pause %s to %s: interest added to principal", p.From, p.To))
		if amt.IsPositive() && s.Terms.Shape != amortize.ShapeCustom {
			// The payment is re-solved from the first moved installment.
			at := on
			if dsi {
				at = on - 1
			}
			return f.recast(at, false)
		}
	case PauseDefer:
		s.DeferredInterest = s.DeferredInterest.Add(amt)
		tx.line(p.First, AccountDeferredInterest, amt, fmt.Sprintf("pause %s to %s: interest due at maturity or payoff", p.From, p.To))
	case PauseWaive:
		if !dsi {
			s.InterestWaived = s.InterestWaived.Add(amt)
		}
		tx.line(p.First, AccountWaivedInterest, amt, fmt.Sprintf("pause %s to %s: interest waived", p.From, p.To))
	}
	return nil
}

// skippedInterest is the scheduled interest of the periods pause p took
// out of the schedule: amortize's interest for each of their rows
// (amortize.Biller.Interest) on the scheduled balance before the first
// moved installment, which no installment pays down while paused.
func (f *folder) skippedInterest(p *Pause, on date.Date) (money.Amount, error) {
	s := &f.s
	z := money.Zero(s.Terms.Currency())
	if p.Periods == 0 {
		return z, nil
	}
	bl, err := f.biller()
	if err != nil {
		return z, err
	}
	if _, _, err := f.bills(on); err != nil {
		return z, err
	}
	bal := s.Principal
	for _, b := range f.bs {
		if b.k < p.First {
			bal = bal.Sub(b.openP)
		}
	}
	if !bal.IsPositive() {
		return z, nil
	}
	n := f.row(p.First) - p.Periods
	sum := z
	for j := range p.Periods {
		i, err := bl.Interest(n+j, bal)
		if err != nil {
			return z, fmt.Errorf("pause interest, period %d: %w", n+j, err)
		}
		sum = sum.Add(i)
	}
	return sum, nil
}

// row is the amortize row installment k bills (amortize.Biller's period
// number): k moved by its offset, less the down payment installment,
// which is no row.
func (f *folder) row(k int) int {
	if f.s.downPayment() {
		k--
	}
	return k + f.s.offset(k)
}

func (s *State) offset(k int) int {
	o := s.DueOffset
	for i := range s.Pauses {
		if p := &s.Pauses[i]; p.Periods > 0 && k >= p.First {
			o += p.Periods
		}
	}
	return o
}

// calendar is delinquency's count of days past due around the loan's
// pauses.
func (s *State) calendar() delinquency.PauseCalendar {
	if len(s.Pauses) == 0 {
		return delinquency.PauseCalendar{}
	}
	return delinquency.NewPauseCalendar(s.delinquencyPauses())
}

// delinquencyPauses are the pauses as delinquency reads them.
func (s *State) delinquencyPauses() []delinquency.Pause {
	if len(s.Pauses) == 0 {
		return nil
	}
	out := make([]delinquency.Pause, len(s.Pauses))
	for i, p := range s.Pauses {
		out[i] = delinquency.Pause{Kind: p.Type, From: p.From, To: p.To}
	}
	return out
}

// routePauseInterest takes daily simple interest i accrued over
// [s.AccrualFrom, on) into the open pause when those days lie in it,
// reporting whether it did.
func (s *State) routePauseInterest(i money.Amount, on date.Date) bool {
	k := s.openPause()
	if k < 0 {
		return false
	}
	p := &s.Pauses[k]
	if s.AccrualFrom < p.Start || on > p.End {
		return false
	}
	switch p.Interest {
	case PauseWaive:
		s.InterestWaived = s.InterestWaived.Add(i)
	case PauseCapitalize, PauseDefer:
		s.Pauses = slices.Clone(s.Pauses)
		s.Pauses[k].Accrued = s.Pauses[k].Accrued.Add(i)
	default:
		return false
	}
	return true
}

// pauseAccrued is the open pause's daily simple interest accrued and not
// yet capitalized or deferred (owed in a payoff).
func (s *State) pauseAccrued() money.Amount {
	if i := s.openPause(); i >= 0 {
		return s.Pauses[i].Accrued
	}
	return money.Zero(s.Terms.Currency())
}

// pauseQuote adjusts a payoff quote's interest span [from, on) for the
// pauses: scheduled interest of an open pause that capitalizes or defers is
// owed from its start (the skipped periods are not billed yet), and the
// interest of paused days the span covers but no one owes — waived, or
// already capitalized or deferred — is returned as cut, to take off the
// quote's interest (on the principal, with the loan's day count and
// rounding). Daily simple interest of an open waiving pause starts after
// its days.
func (f *folder) pauseQuote(from, on date.Date) (date.Date, money.Amount, error) {
	s := &f.s
	cut := money.Zero(s.Terms.Currency())
	if len(s.Pauses) == 0 {
		return from, cut, nil
	}
	if s.Terms.Accrual == AccrualDailySimple {
		if i := s.openPause(); i >= 0 && s.Pauses[i].Interest == PauseWaive {
			from = max(from, min(on, s.Pauses[i].End))
		}
		return from, cut, nil
	}
	for i := range s.Pauses {
		p := &s.Pauses[i]
		if p.Periods == 0 {
			continue
		}
		if !p.Booked && p.Interest != PauseWaive {
			from = min(from, p.Start)
			continue
		}
		if lo, hi := max(from, p.Start), min(on, p.End); hi > lo {
			x, err := f.simpleInterest(s.Principal, lo, hi)
			if err != nil {
				return from, cut, err
			}
			cut = cut.Add(x)
		}
	}
	return from, cut, nil
}
