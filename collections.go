package servicing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// RecordPromise records a promise to pay amount by p.On, made on on.
// Errors: ErrInvalidCommand naming every bad field, store errors.
func (e *Engine) RecordPromise(ctx context.Context, id LoanID, on date.Date, p loan.PromiseMade, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindPromiseMade, on: on, meta: m, payload: p,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			positive(fl, "Amount", p.Amount, l)
			textField(fl, "Channel", p.Channel)
			if p.On < on {
				fl.Add("On", p.On.String(), field.ErrOutOfRange, "before the day the promise was made")
			}
		}})
}

// RecordArrangement records a payment arrangement agreed on on (it
// replaces an earlier one). Errors: ErrInvalidCommand naming every bad
// field, store errors.
func (e *Engine) RecordArrangement(ctx context.Context, id LoanID, on date.Date, a loan.ArrangementMade, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindArrangementMade, on: on, meta: m, payload: a,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			plan := collections.Arrangement{Made: on, Payments: a.Payments}
			for _, fe := range field.Errors(plan.ValidatePlan("Arrangement", l.state.Terms.Currency())) {
				fl.Append(fe)
			}
		}})
}

// RecordContact records a contact attempt on on. Errors: ErrInvalidCommand
// naming an unknown outcome or a missing or too long channel, store errors.
func (e *Engine) RecordContact(ctx context.Context, id LoanID, on date.Date, c loan.ContactAttempted, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindContactAttempted, on: on, meta: m, payload: c,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			textField(fl, "Channel", c.Channel)
			if c.Channel == "" {
				fl.Add("Channel", nil, field.ErrRequired, "")
			}
			if !slices.Contains(loan.ContactOutcomes, c.Outcome) {
				fl.Add("Outcome", string(c.Outcome), field.ErrNotSupported, "right_party, message, no_answer or wrong_party")
			}
		}})
}

// CollectionsView is a loan's collections picture at the end of a day.
type CollectionsView struct {
	loan.Collections
	// DaysPastDue is delinquency's count on the day.
	DaysPastDue int `json:"days_past_due"`
	// Status is the loan's status on the day.
	Status loan.ServicingStatus `json:"status"`
}

// Collections returns the loan's promises (each kept, broken or pending at
// the end of asOf), its latest arrangement and whether it holds, and its
// contact attempts.
func (e *Engine) Collections(ctx context.Context, id LoanID, asOf date.Date) (CollectionsView, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return CollectionsView{}, err
	}
	s, err := loan.Replay(terms, evs, asOf)
	if err != nil {
		return CollectionsView{}, fmt.Errorf("collections loan %q: %w", id, err)
	}
	return CollectionsView{Collections: loan.CollectionsOf(evs, asOf), DaysPastDue: s.DaysPastDue(), Status: s.Status}, nil
}

// CollectionsQueue returns the loans of ids due for a contact on asOf, in
// working order (collections.Queue under policy p): broken promises
// first, then by days past due. Loans with a pending promise, a kept
// arrangement that holds contacts, or a contact attempt within the
// policy's cadence are left out; so are loans for which noContact (nil:
// none) says the borrower may not be contacted that day.
func (e *Engine) CollectionsQueue(ctx context.Context, ids []LoanID, asOf date.Date, p collections.QueuePolicy,
	noContact func(LoanID, date.Date) bool) ([]collections.Entry, error) {
	cands := make([]collections.Candidate, 0, len(ids))
	for _, id := range ids {
		v, err := e.Collections(ctx, id, asOf)
		if err != nil {
			return nil, err
		}
		if v.Status == loan.StatusPaidOff || v.Status == loan.StatusChargedOff {
			continue
		}
		a := collections.Candidate{Loan: string(id), DaysPastDue: v.DaysPastDue, Contacted: v.Contacts > 0, LastContact: v.LastContact,
			HoldingArrangement: v.HasArrangement && v.Arrangement.HoldContacts && collections.Holding(v.Arrangement, v.Receipts, asOf),
			DoNotContact:       noContact != nil && noContact(id, asOf)}
		if n := len(v.Promises); n > 0 {
			a.Promise, a.HasPromise = v.Promises[n-1].Judgement, true
		}
		cands = append(cands, a)
	}
	return collections.Queue(p, cands, asOf), nil
}

// WaiveHeldLateFees waives the late fees the loan was charged on on when
// its latest arrangement holds late fees (HoldLateFees) and is kept that
// day (collections.Holding); run it at each end of day. The fee rule is
// delinquency's and charges as usual; the hold is a waiver event, so the
// history shows both. It returns a Result with no events when nothing is
// to waive. Errors: store errors.
func (e *Engine) WaiveHeldLateFees(ctx context.Context, id LoanID, on date.Date, m Meta) (Result, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return Result{}, err
	}
	c := loan.CollectionsOf(evs, on)
	none := Result{Loan: id, Version: int64(len(evs)), Events: []loan.Event{}, Domain: []loan.DomainEvent{}}
	if !c.HasArrangement || !c.Arrangement.HoldLateFees || !collections.Holding(c.Arrangement, c.Receipts, on) {
		return none, nil
	}
	l, err := loan.ReplayLedger(terms, evs, on)
	if err != nil {
		return Result{}, fmt.Errorf("waive held late fees loan %q: %w", id, err)
	}
	fees := money.Zero(terms.Currency())
	for _, tx := range l.Transactions {
		if tx.Kind == loan.TransactionLateFee && tx.Date == on {
			fees = fees.Add(tx.Amount)
		}
	}
	if !fees.IsPositive() {
		return none, nil
	}
	if m.Reason == "" {
		m.Reason = "payment arrangement kept"
	}
	return e.WaiveFee(ctx, id, on, loan.FeeLate, fees, m)
}
