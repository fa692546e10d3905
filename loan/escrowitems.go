package loan

import (
	"fmt"
	"slices"
	"time"

	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// This file connects package escrow's Reg X §1024.17 analysis to a loan:
// the escrow items the account pays, the annual analysis run on the
// loan's balance, and its outcome as an event (the new escrow payment from
// an installment on, and a surplus refund).

// EscrowItemKind names what an escrow item pays.
type EscrowItemKind string

// The escrow item kinds.
const (
	EscrowTax       EscrowItemKind = "tax"
	EscrowHazard    EscrowItemKind = "hazard_insurance"
	EscrowFlood     EscrowItemKind = "flood_insurance"
	EscrowMortgageI EscrowItemKind = "mortgage_insurance"
	EscrowOther     EscrowItemKind = "other"
)

// EscrowItem is a bill the escrow account pays: its projected amount, paid
// in each of Months of a computation year.
type EscrowItem struct {
	// Name identifies the item ("county taxes"); required, unique.
	Name string `json:"name"`
	// Kind is what it pays.
	Kind EscrowItemKind `json:"kind"`
	// Payee is who is paid (informational).
	Payee string `json:"payee,omitempty"`
	// Amount is the projected bill, > 0.
	Amount money.Amount `json:"amount"`
	// Months are the calendar months it is paid in, each once.
	Months []time.Month `json:"months"`
	// DueDay, 1 to 31, makes the engine pay the item at the end of that
	// day of each of its months (the month's last day when shorter), from
	// the escrow balance or advanced beyond it; zero: the host commands
	// each payment (Engine.DisburseEscrow). A mortgage insurance item stops
	// under the Homeowners Protection Act (see [State.MIEndedOn]).
	DueDay int `json:"due_day,omitempty"`
}

// MaxEscrowItems bounds Terms.EscrowItems.
const MaxEscrowItems = 50

// validateEscrowItems checks the items of terms t.
func validateEscrowItems(l *field.List, p string, t *Terms) {
	if len(t.EscrowItems) > MaxEscrowItems {
		l.Add(p+".EscrowItems", len(t.EscrowItems), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxEscrowItems))
		return
	}
	seen := map[string]bool{}
	for i, it := range t.EscrowItems {
		q := fmt.Sprintf("%s.EscrowItems[%d]", p, i)
		if it.Name == "" || len(it.Name) > 100 || seen[it.Name] {
			l.Add(q+".Name", it.Name, field.ErrInvalid, "required, unique, at most 100 bytes")
		}
		seen[it.Name] = true
		switch it.Kind {
		case EscrowTax, EscrowHazard, EscrowFlood, EscrowMortgageI, EscrowOther:
		default:
			l.Add(q+".Kind", it.Kind, field.ErrNotSupported, "tax, hazard_insurance, flood_insurance, mortgage_insurance or other")
		}
		if !it.Amount.IsPositive() || it.Amount.Currency() != t.Currency() || it.Amount.Minor() > money.MaxMinor/100 {
			l.Add(q+".Amount", it.Amount.Format(), field.ErrOutOfRange, "positive, in the loan's currency")
		}
		if it.DueDay < 0 || it.DueDay > 31 {
			l.Add(q+".DueDay", it.DueDay, field.ErrOutOfRange, "0 (commanded) or 1 to 31")
		}
		if it.Kind == EscrowMortgageI && it.DueDay > 0 && !t.OriginalValue.IsPositive() {
			l.Add(q+".Kind", it.Kind, field.ErrInvalid, "scheduled mortgage insurance needs Terms.OriginalValue (its Homeowners Protection Act end)")
		}
		ms := slices.Clone(it.Months)
		slices.Sort(ms)
		if len(ms) == 0 || len(slices.Compact(ms)) != len(it.Months) || ms[0] < time.January || ms[len(ms)-1] > time.December {
			l.Add(q+".Months", it.Months, field.ErrInvalid, "one or more distinct months")
		}
	}
}

// escrowFor is the escrow component of installment k: the last analysis's
// payment in force from k or earlier (State.EscrowSteps), else the terms'.
func (s *State) escrowFor(k int) money.Amount {
	for i := len(s.EscrowSteps) - 1; i >= 0; i-- {
		if s.EscrowSteps[i].From <= k {
			return s.EscrowSteps[i].Payment
		}
	}
	return s.Terms.EscrowPayment
}

// EscrowAnalysis runs the annual escrow analysis (package escrow, the
// aggregate method with the 1/6 cushion, monthly payments rounded up to the
// cent) for the computation year that starts with the first installment
// due after on: the terms' items projected over its twelve months, the
// escrow balance on on (less any servicer advance, which is a deficiency)
// as the balance at its start, the borrower current when nothing is 30
// days past due. It returns the analysis, the installment the year starts
// with, and an error wrapping ErrInvalidInput when the loan has no escrow
// items or is closed.
func (s State) EscrowAnalysis(on date.Date) (escrow.Result, int, error) {
	if len(s.Terms.EscrowItems) == 0 || s.Status == StatusPaidOff || s.Status == StatusChargedOff || s.line() {
		var l field.List
		l.Add("Terms.EscrowItems", len(s.Terms.EscrowItems), field.ErrRequired, "an open loan with escrow items")
		return escrow.Result{}, 0, l.Err(ErrInvalidInput)
	}
	if on < s.AsOf {
		return escrow.Result{}, 0, fmt.Errorf("%w: analysis date %s before state date %s", ErrInvalidInput, on, s.AsOf)
	}
	f := folder{s: s}
	k := max(s.NextInstallment, s.firstRow())
	for k <= s.Installments && f.dueDate(k) <= on {
		k++
	}
	if k > s.Installments {
		return escrow.Result{}, 0, fmt.Errorf("%w: no installment due after %s", ErrInvalidInput, on)
	}
	method := escrow.Aggregate
	if s.Terms.EscrowMethod == escrow.SingleItem {
		method = escrow.SingleItem
	}
	a := escrow.Analysis{Method: method, Currency: s.Terms.Currency(), FirstPaymentMonth: f.dueDate(k).Month(),
		Cushion: escrow.MaxCushion(), Rounding: money.Ceiling, CurrentBalance: s.Escrow.Sub(s.EscrowAdvance),
		BorrowerCurrent: s.DaysPastDue() < 30}
	for _, it := range s.Terms.EscrowItems {
		if it.Kind == EscrowMortgageI && s.MIEndedOn != 0 {
			continue // the insurance has ended: nothing more to pay
		}
		for _, m := range it.Months {
			a.Disbursements = append(a.Disbursements, escrow.Disbursement{Item: it.Name, Month: m, Amount: it.Amount})
		}
	}
	r, err := escrow.Analyze(a)
	if err != nil {
		return escrow.Result{}, 0, fmt.Errorf("escrow analysis: %w", err)
	}
	return r, k, nil
}

// EscrowAnalyzed records an escrow analysis's outcome: from installment
// From on, each installment's escrow component is Payment; Refund is paid
// out of the escrow balance on the event's date.
type EscrowAnalyzed struct {
	// From is the first installment the new escrow payment applies to.
	From int `json:"from"`
	// Payment is the new monthly escrow payment (≥ 0): the analysis's
	// monthly payment plus any shortage or deficiency spread, less a
	// surplus credited.
	Payment money.Amount `json:"payment"`
	// Refund is the surplus refunded (zero: none).
	Refund money.Amount `json:"refund"`
	// Surplus, Shortage and Deficiency are the analysis's (for the record).
	Surplus    money.Amount `json:"surplus"`
	Shortage   money.Amount `json:"shortage"`
	Deficiency money.Amount `json:"deficiency"`
}

// Kind returns KindEscrowAnalyzed.
func (EscrowAnalyzed) Kind() Kind { return KindEscrowAnalyzed }

func (p EscrowAnalyzed) currency() money.Currency { return p.Payment.Currency() }

// analyzedEscrow applies an EscrowAnalyzed event on d.
func (f *folder) analyzedEscrow(d date.Date, seq int64, p EscrowAnalyzed) error {
	s := &f.s
	if p.From < 1 || p.Payment.IsNegative() || p.Refund.IsNegative() {
		return fmt.Errorf("%w: escrow analysis from installment %d, payment %s, refund %s", ErrInvalidEvent, p.From, p.Payment, p.Refund)
	}
	st := slices.Clip(s.EscrowSteps)
	for len(st) > 0 && st[len(st)-1].From >= p.From {
		st = st[: len(st)-1 : len(st)-1]
	}
	if len(st) >= MaxChanges {
		return fmt.Errorf("%w: more than %d escrow analyses", ErrLimit, MaxChanges)
	}
	s.EscrowSteps = append(st, PaymentStep{From: p.From, Payment: p.Payment})
	tx := f.j.begin(d, seq, TransactionKind(KindEscrowAnalyzed), p.Payment)
	tx.line(p.From, AccountEscrowPayment, p.Payment, "new escrow payment from this installment (Reg X 1024.17)")
	if x := money.Min(p.Refund, s.Escrow); x.IsPositive() {
		s.Escrow = s.Escrow.Sub(x)
		tx.line(0, AccountEscrow, x.Neg(), "surplus refunded (Reg X 1024.17(f)(2)(i))")
	}
	return nil
}

// EscrowOutcome decides what an analysis's result r does, as a servicer
// commonly chooses among what §1024.17(f) allows: a surplus of 50.00 or
// more (borrower current) is refunded, a smaller one credited against the
// year's payments (the monthly payment less surplus/12, rounded down); a
// shortage or a deficiency is spread over 12 months (a twelfth each,
// rounded up), which the rule allows for any shortage and for a
// deficiency of a current borrower (for one not current the loan documents
// decide; the engine spreads it the same way). With the borrower not
// current a surplus is retained.
func EscrowOutcome(r escrow.Result, from int) (EscrowAnalyzed, error) {
	z := money.Zero(r.MonthlyPayment.Currency())
	out := EscrowAnalyzed{From: from, Payment: r.MonthlyPayment, Refund: z, Surplus: r.Surplus, Shortage: r.Shortage, Deficiency: r.Deficiency}
	has := func(a escrow.Action) bool {
		return slices.ContainsFunc(r.SurplusOptions, func(o escrow.Option) bool { return o.Action == a })
	}
	switch {
	case has(escrow.Credit):
		c, err := r.Surplus.MulDiv(1, 12, money.Floor)
		if err != nil {
			return EscrowAnalyzed{}, err
		}
		out.Payment = money.Max(z, out.Payment.Sub(c))
	case has(escrow.Refund):
		out.Refund = r.Surplus
	}
	if owed := r.Shortage.Add(r.Deficiency); owed.IsPositive() {
		spread, err := owed.MulDiv(1, 12, money.Ceiling)
		if err != nil {
			return EscrowAnalyzed{}, err
		}
		out.Payment = out.Payment.Add(spread)
	}
	return out, nil
}

// nextDisbursement is the next date after the last scheduled disbursement
// (or the funding date) on which items with a DueDay fall due; false when
// none is scheduled.
func (s *State) nextDisbursement() (date.Date, bool) {
	after := max(s.EscrowPaidThrough, s.Terms.FundingDate)
	var next date.Date
	for _, it := range s.Terms.EscrowItems {
		if it.DueDay == 0 || it.Kind == EscrowMortgageI && s.MIEndedOn != 0 {
			continue
		}
		for _, m := range it.Months {
			if d := dueIn(after, m, it.DueDay); next == 0 || d < next {
				next = d
			}
		}
	}
	return next, next != 0
}

// dueIn is the first date after after on day day of month m (the month's
// last day when shorter).
func dueIn(after date.Date, m time.Month, day int) date.Date {
	y := after.Year()
	for {
		last := date.New(y, m+1, 1) - 1
		if m == time.December {
			last = date.New(y+1, time.January, 1) - 1
		}
		d := min(date.New(y, m, 1)+date.Date(day-1), last)
		if d > after {
			return d
		}
		y++
	}
}

// disburseScheduled pays the items due on t (the end of that day): each
// from the escrow balance or advanced. A mortgage insurance item is not
// paid once the Homeowners Protection Act ends it: from its automatic
// termination date with the loan current then (else the first due date
// after it that finds the loan current), and at the latest from its final
// termination date (amortize.HPADates of the initial schedule).
func (f *folder) disburseScheduled(t date.Date) error {
	s := &f.s
	s.EscrowPaidThrough = t
	for _, it := range s.Terms.EscrowItems {
		if m := monthOf(t, it); it.DueDay == 0 || m == 0 || dueIn(t-1, m, it.DueDay) != t {
			continue
		}
		if it.Kind == EscrowMortgageI {
			if s.MIEndedOn != 0 {
				continue
			}
			m, err := s.MITermination()
			if err != nil {
				return err
			}
			if t >= m.Final || t >= m.Automatic && s.DaysPastDue() == 0 {
				s.MIEndedOn = t
				f.j.begin(t, 0, TransactionMortgageInsuranceEnded, money.Zero(s.Terms.Currency())).
					line(0, "mortgage_insurance", money.Zero(s.Terms.Currency()), "Homeowners Protection Act termination (12 U.S.C. 4902)")
				continue
			}
		}
		f.disburse(t, 0, EscrowDisbursed{Amount: it.Amount, Payee: it.Payee})
		f.chargeItem(it.Name, it.Amount)
	}
	return f.reconcileItems()
}

// monthOf is t's month when item it is paid in it, else 0.
func monthOf(t date.Date, it EscrowItem) time.Month {
	if slices.Contains(it.Months, t.Month()) {
		return t.Month()
	}
	return 0
}

// EscrowDue is the escrow component of the next installment: the payment
// the last escrow analysis put in force, or Terms.EscrowPayment.
func (s State) EscrowDue() money.Amount { return s.escrowFor(max(s.NextInstallment, 1)) }

// singleItem reports whether the loan keeps a balance per escrow item
// (Terms.EscrowMethod escrow.SingleItem).
func (s *State) singleItem() bool {
	return s.Terms.EscrowMethod == escrow.SingleItem && len(s.Terms.EscrowItems) > 0
}

// reconcileItems keeps the item balances summing to the account's (escrow
// less the servicer's advance) under single-item accounting: money in or
// out that no item is named for — a receipt's escrow, an adjustment, a
// refund, a bill of no item — is shared among the items by their annual
// amounts (money.Allocate: the parts sum to the whole).
func (f *folder) reconcileItems() error {
	s := &f.s
	if !s.singleItem() {
		return nil
	}
	cur := s.Terms.Currency()
	bs := slices.Clone(s.ItemBalances)
	if len(bs) != len(s.Terms.EscrowItems) {
		bs = make([]money.Amount, len(s.Terms.EscrowItems))
		for i := range bs {
			bs[i] = money.Zero(cur)
		}
	}
	delta := s.Escrow.Sub(s.EscrowAdvance).Sub(money.Sum(bs...))
	if !delta.IsZero() {
		w := make([]int64, len(bs))
		for i, it := range s.Terms.EscrowItems {
			w[i] = it.Amount.Minor() * int64(len(it.Months))
		}
		parts, err := delta.Abs().Allocate(w)
		if err != nil {
			return fmt.Errorf("escrow item balances: %w", err)
		}
		for i, p := range parts {
			if delta.IsNegative() {
				p = p.Neg()
			}
			bs[i] = bs[i].Add(p)
		}
	}
	s.ItemBalances = bs
	return nil
}

// chargeItem takes a bill of amt for the item named name out of its own
// balance under single-item accounting (false when no item has the name).
func (f *folder) chargeItem(name string, amt money.Amount) bool {
	s := &f.s
	if !s.singleItem() {
		return false
	}
	if err := f.reconcileItems(); err != nil {
		return false
	}
	for i, it := range s.Terms.EscrowItems {
		if it.Name == name {
			s.ItemBalances[i] = s.ItemBalances[i].Sub(amt)
			return true
		}
	}
	return false
}
