package loan

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// The collections event kinds: what a collector agreed or tried. Like the
// servicer records they move no money; package collections judges them
// against the loan's receipts.
const (
	KindPromiseMade      Kind = "promise_made"
	KindArrangementMade  Kind = "arrangement_made"
	KindContactAttempted Kind = "contact_attempted"
)

// PromiseMade records a promise to pay Amount by On, made on the event's
// date.
type PromiseMade struct {
	// Amount is the amount promised; > 0.
	Amount money.Amount `json:"amount"`
	// On is the promised date; on or after the event's date.
	On date.Date `json:"on"`
	// Channel is how the promise was taken (phone, web, letter).
	Channel string `json:"channel,omitempty"`
}

// Kind returns KindPromiseMade.
func (PromiseMade) Kind() Kind { return KindPromiseMade }

func (p PromiseMade) currency() money.Currency { return p.Amount.Currency() }

// ArrangementMade records a payment arrangement agreed on the event's
// date: a plan of dated amounts and what the servicer holds while it is
// kept. A later arrangement replaces it.
type ArrangementMade struct {
	// Payments are the planned amounts, strictly increasing dates on or
	// after the event's date.
	Payments []collections.Planned `json:"payments"`
	// HoldLateFees, HoldContacts and HoldStatus: see
	// collections.Arrangement. HoldStatus is folded: while the plan is
	// kept the status does not climb above the collections rung the loan
	// had on the event's date ([State.Hold]).
	HoldLateFees bool `json:"hold_late_fees,omitempty"`
	HoldContacts bool `json:"hold_contacts,omitempty"`
	HoldStatus   bool `json:"hold_status,omitempty"`
}

// Kind returns KindArrangementMade.
func (ArrangementMade) Kind() Kind { return KindArrangementMade }

func (p ArrangementMade) currency() money.Currency {
	if len(p.Payments) == 0 {
		return money.Currency{}
	}
	return p.Payments[0].Amount.Currency()
}

// ContactOutcome is what a contact attempt achieved.
type ContactOutcome string

// The contact outcomes.
const (
	ContactRightParty ContactOutcome = "right_party" // spoke with the borrower: Reg X §1024.39(a) live contact
	ContactMessage    ContactOutcome = "message"     // left a message
	ContactNoAnswer   ContactOutcome = "no_answer"
	ContactWrongParty ContactOutcome = "wrong_party"
)

// ContactOutcomes lists the contact outcomes.
var ContactOutcomes = []ContactOutcome{ContactRightParty, ContactMessage, ContactNoAnswer, ContactWrongParty}

// ContactAttempted records a contact attempt on the event's date.
type ContactAttempted struct {
	// Channel is phone, letter, email, sms, visit...
	Channel string `json:"channel"`
	// Outcome is what it achieved.
	Outcome ContactOutcome `json:"outcome"`
}

// Kind returns KindContactAttempted.
func (ContactAttempted) Kind() Kind { return KindContactAttempted }

func (ContactAttempted) currency() money.Currency { return money.Currency{} }

// Collections is a loan's collections history on a date, judged.
type Collections struct {
	// Promises are the promises to pay with their judgements, oldest first.
	Promises []JudgedPromise `json:"promises"`
	// Arrangement is the latest arrangement (HasArrangement false: none)
	// and its judgement.
	Arrangement    collections.Arrangement `json:"arrangement"`
	HasArrangement bool                    `json:"has_arrangement"`
	Plan           collections.Judgement   `json:"plan"`
	// Contacts counts the contact attempts; LastContact is the latest
	// (Contacts 0: none), LastLiveContact the latest right-party one.
	Contacts        int                   `json:"contacts"`
	LastContact     date.Date             `json:"last_contact,omitzero"`
	LastLiveContact date.Date             `json:"last_live_contact,omitzero"`
	Receipts        []collections.Receipt `json:"-"`
}

// JudgedPromise is a promise and where it stands.
type JudgedPromise struct {
	collections.Promise
	Judgement collections.Judgement `json:"judgement"`
}

// CollectionsOf judges the promises and the latest arrangement of a
// loan's log at the end of asOf against its receipts (payments received,
// reversed ones left out), and reports its contact attempts.
func CollectionsOf(events []Event, asOf date.Date) Collections {
	c := Collections{Promises: []JudgedPromise{}, Receipts: Receipts(events, asOf)}
	for _, e := range events {
		if e.EffectiveOn > asOf {
			continue
		}
		switch p := e.Payload.(type) {
		case PromiseMade:
			pr := collections.Promise{Made: e.EffectiveOn, On: p.On, Amount: p.Amount, Channel: p.Channel}
			c.Promises = append(c.Promises, JudgedPromise{Promise: pr, Judgement: collections.Judge(pr, c.Receipts, asOf)})
		case ArrangementMade:
			if len(p.Payments) > 0 {
				c.Arrangement = collections.Arrangement{Made: e.EffectiveOn, Payments: p.Payments,
					HoldLateFees: p.HoldLateFees, HoldContacts: p.HoldContacts, HoldStatus: p.HoldStatus}
				c.HasArrangement = true
			}
		case ContactAttempted:
			c.Contacts++
			c.LastContact = max(c.LastContact, e.EffectiveOn)
			if p.Outcome == ContactRightParty {
				c.LastLiveContact = max(c.LastLiveContact, e.EffectiveOn)
			}
		}
	}
	if c.HasArrangement {
		c.Plan = collections.JudgePlan(c.Arrangement, c.Receipts, asOf)
	}
	return c
}

// Receipts are the log's payments received through asOf (by receipt
// date), reversed payments left out.
func Receipts(events []Event, asOf date.Date) []collections.Receipt {
	reversed := map[int64]bool{}
	for _, e := range events {
		if r, ok := e.Payload.(PaymentReversed); ok && e.EffectiveOn <= asOf {
			reversed[r.PaymentSeq] = true
		}
	}
	var out []collections.Receipt
	for _, e := range events {
		if p, ok := e.Payload.(PaymentReceived); ok && e.EffectiveOn <= asOf && !reversed[e.Seq] {
			out = append(out, collections.Receipt{On: e.EffectiveOn, Amount: p.Amount})
		}
	}
	return out
}

// ArrangementHold is the latest payment arrangement, when it holds the status
// ladder (ArrangementMade.HoldStatus), as the fold keeps it: the plan and
// the receipts that decide whether it is kept. Collections judges the plan
// (collections.HoldingUntil); delinquency says what rung the loan is on
// under it (delinquency.StatusPolicy.CollectionsRung); the fold only joins
// the two. The zero value (Cap empty) is no hold.
type ArrangementHold struct {
	// Made is the day the arrangement was agreed: the first held day.
	Made date.Date
	// Cap is the collections rung the loan had on Made (current,
	// delinquent or default), the worst the status climbs to while held.
	Cap delinquency.Status
	// Payments are the planned amounts. Treat as read-only.
	Payments []collections.Planned
	// Receipts are the payments received from Made through the plan's
	// last date while it was kept (what can still decide it), oldest
	// first. Treat as read-only.
	Receipts []collections.Receipt
}

// String describes the hold: made, cap, the plan's size and receipts.
func (h ArrangementHold) String() string {
	if h.Cap == "" {
		return "no status hold"
	}
	return fmt.Sprintf("status hold from %s at %s: %d planned, %d received", h.Made, h.Cap, len(h.Payments), len(h.Receipts))
}

// arrangement is the hold's plan as collections judges it.
func (h ArrangementHold) arrangement() collections.Arrangement {
	return collections.Arrangement{Made: h.Made, Payments: h.Payments, HoldStatus: true}
}

// statusHold is the status hold as delinquency reads it, when it is in
// force on day: [Made, the first day the plan no longer holds on the
// receipts so far). For a day the fold has reached the answer is final
// (it reads only the receipts dated before that day); for a later day,
// receipts still to come can only make it longer.
func (s *State) statusHold(day date.Date) (delinquency.StatusHold, bool) {
	h := &s.Hold
	if h.Cap == "" || day < h.Made || day > h.Payments[len(h.Payments)-1].On {
		return delinquency.StatusHold{}, false
	}
	to := collections.HoldingUntil(h.arrangement(), h.Receipts)
	if day >= to {
		return delinquency.StatusHold{}, false
	}
	return delinquency.StatusHold{From: h.Made, To: to, Cap: h.Cap}, true
}

// arrange folds an arrangement made on d: the latest one replaces any
// hold; one with HoldStatus holds from d at the collections rung the loan
// is on (under the hold it replaces). A plan without payments is ignored,
// as CollectionsOf ignores it.
func (f *folder) arrange(d date.Date, p ArrangementMade) error {
	s := &f.s
	if len(p.Payments) == 0 {
		return nil
	}
	if !p.HoldStatus {
		s.Hold = ArrangementHold{}
		return nil
	}
	a := collections.Arrangement{Made: d, Payments: p.Payments}
	if err := a.ValidatePlan("ArrangementMade", s.Terms.Currency()); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidEvent, err)
	}
	var in []delinquency.StatusHold
	if h, ok := s.statusHold(d); ok {
		in = []delinquency.StatusHold{h}
	}
	rung := s.Terms.Delinquency.Status.CollectionsRung(f.daysLate(), d, in)
	s.Hold = ArrangementHold{Made: d, Cap: rung, Payments: p.Payments}
	return nil
}

// holdReceipt records a payment received on d for the status hold while
// it can still decide the plan: from the day it was made through its last
// date, and only while it is kept (once broken, no receipt mends it).
func (s *State) holdReceipt(d date.Date, amt money.Amount) {
	h := &s.Hold
	if h.Cap == "" || d < h.Made || d > h.Payments[len(h.Payments)-1].On || d >= collections.HoldingUntil(h.arrangement(), h.Receipts) {
		return
	}
	h.Receipts = append(slices.Clip(h.Receipts), collections.Receipt{On: d, Amount: amt})
}

// heldRung returns the day the status climbs to rung r that DPD reaches
// on t, under the status hold: t itself without one, else the day the
// hold stops capping r (delinquency.Released). A rung reached before
// AsOf that the hold kept the loan below comes on the hold's end, AsOf
// itself when it ended today (a tie with the day's other rules, which run
// first); false when no hold kept it (the status of AsOf is updateStatus's,
// as without a hold).
func (f *folder) heldRung(r delinquency.Status, t date.Date) (date.Date, bool) {
	s := &f.s
	if t >= s.AsOf {
		if h, ok := s.statusHold(t); ok {
			return delinquency.Released(r, t, []delinquency.StatusHold{h}), true
		}
		return t, true
	}
	// The hold in force the day before, or from today when today's
	// arrangement made it (it replaced the one that held yesterday).
	day := max(s.AsOf-1, s.Hold.Made)
	h, ok := s.statusHold(day)
	if !ok {
		return t, true
	}
	t = delinquency.Released(r, day, []delinquency.StatusHold{h})
	return t, t >= s.AsOf
}

// daysLate is the days past due on AsOf of the oldest installment the
// delinquency policy does not recognize as paid (0 when none).
func (f *folder) daysLate() int {
	s := &f.s
	if due, late, err := f.lateDue(s.AsOf); err == nil && late && due < s.AsOf {
		return s.calendar().Days(due, s.AsOf)
	}
	return 0
}
