package loan

import (
	"github.com/lendcore/servicing/collections"
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
	// HoldLateFees and HoldContacts: see collections.Arrangement.
	HoldLateFees bool `json:"hold_late_fees,omitempty"`
	HoldContacts bool `json:"hold_contacts,omitempty"`
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
					HoldLateFees: p.HoldLateFees, HoldContacts: p.HoldContacts}
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
