package servicing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// TransferServicing records a transfer of the loan's servicing (Reg X
// §1024.33), decided on on and effective on t.TransferOn: the transferor's
// and transferee's notices (and, with escrow, the short-year statement)
// fall due and are reported as loan.DomainNoticeDue. Errors:
// ErrInvalidCommand naming every bad field (From and To required and
// different, TransferOn before funding), ErrLoanClosed, store errors.
func (e *Engine) TransferServicing(ctx context.Context, id LoanID, on date.Date, t loan.ServicingTransferred, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindServicingTransferred, on: on, meta: m, payload: t,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			for _, s := range [...]struct{ path, v string }{{"From", t.From}, {"To", t.To}} {
				textField(fl, s.path, s.v)
				if s.v == "" {
					fl.Add(s.path, nil, field.ErrRequired, "")
				}
			}
			if t.From != "" && t.From == t.To {
				fl.Add("To", t.To, field.ErrInvalid, "same servicer as From")
			}
			if t.TransferOn < l.state.Terms.FundingDate {
				fl.Add("TransferOn", t.TransferOn.String(), field.ErrOutOfRange, "before the loan was funded")
			}
		}})
}

// PostPriorServicerPayment posts a payment the borrower sent to the prior
// (transferor) servicer, which received it on receivedOn and forwarded it,
// received here on forwardedOn. Whether it is late is delinquency's rule
// (delinquency.PriorServicerTimely, Reg X §1024.33(c)(1)): inside the
// 60-day window after the loan's latest transfer, received by the prior
// servicer before the due date of the oldest installment unpaid on that
// day, it is credited as of receivedOn — no late fee and not late for any
// purpose; otherwise as of forwardedOn, like any receipt. The event is
// marked ReceivedByPriorServicer. Errors: ErrInvalidCommand naming the
// dates (receivedOn after forwardedOn, before funding) and what
// PostPaymentWith refuses, store errors.
func (e *Engine) PostPriorServicerPayment(ctx context.Context, id LoanID, forwardedOn, receivedOn date.Date, amount money.Amount, o PaymentOptions, m Meta) (Result, error) {
	if receivedOn > forwardedOn {
		var fl field.List
		fl.Add("ReceivedOn", receivedOn.String(), field.ErrInvalid, "after ForwardedOn "+forwardedOn.String())
		return Result{}, fmt.Errorf("payment_received loan %q: %w", id, fl.Err(ErrInvalidCommand))
	}
	on, err := e.priorServicerDate(ctx, id, forwardedOn, receivedOn)
	if err != nil {
		return Result{}, err
	}
	return e.execute(ctx, id, command{kind: loan.KindPaymentReceived, on: on, meta: m,
		payload: loan.PaymentReceived{Amount: amount, Type: o.Type, Method: o.Method, Reference: o.Reference, Extra: o.Extra,
			ReceivedByPriorServicer: true},
		check: paymentCheck(on, amount, o)})
}

// priorServicerDate is the date a payment the prior servicer received on
// receivedOn counts from: receivedOn when delinquency says it is timely,
// else forwardedOn.
func (e *Engine) priorServicerDate(ctx context.Context, id LoanID, forwardedOn, receivedOn date.Date) (date.Date, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return 0, err
	}
	var transferOn date.Date
	found := false
	for _, ev := range evs {
		if t, ok := ev.Payload.(loan.ServicingTransferred); ok && t.TransferOn <= receivedOn && (!found || t.TransferOn > transferOn) {
			transferOn, found = t.TransferOn, true
		}
	}
	if !found || receivedOn < terms.FundingDate {
		return forwardedOn, nil
	}
	// The due date applicable to the payment: the oldest installment
	// unpaid at the end of the day before it came.
	s, err := loan.Replay(terms, evs, receivedOn-1)
	if err != nil {
		return 0, fmt.Errorf("payment_received loan %q: %w", id, err)
	}
	if due, ok := s.NextDueDate(); ok && delinquency.PriorServicerTimely(transferOn, receivedOn, due) {
		return receivedOn, nil
	}
	return forwardedOn, nil
}

// TransferPackage is a loan handed from one engine to another (a transfer
// of servicing or a sale with the servicing): its whole log — terms,
// payments, escrow, fees, modifications, every event with its recorded
// time and actor — and, as the receiving side's check, what that log
// folds to on AsOf: the state hash and the balances, escrow and
// delinquency a boarding servicer reconciles against. BoardTransfer folds
// the log again and refuses the package unless it gives the same.
type TransferPackage struct {
	// Loan is the loan's id.
	Loan LoanID `json:"loan"`
	// AsOf is the business date the figures are folded to.
	AsOf date.Date `json:"as_of"`
	// Events is the loan's log, Seq 1 to Version; the first is Boarded
	// (its terms are the contract).
	Events []loan.Event `json:"events"`
	// Version is the log's length.
	Version int64 `json:"version"`
	// Hash is loan.State.Hash of the fold on AsOf, in hex.
	Hash string `json:"hash"`
	// The figures on AsOf.
	Status          loan.ServicingStatus `json:"status"`
	Rate            rate.Rate            `json:"rate"`
	Payment         money.Amount         `json:"payment"`
	NextDueDate     date.Date            `json:"next_due_date,omitzero"`
	DaysPastDue     int                  `json:"days_past_due"`
	Principal       money.Amount         `json:"principal"`
	AccruedInterest money.Amount         `json:"accrued_interest"`
	PastDue         money.Amount         `json:"past_due"`
	Escrow          money.Amount         `json:"escrow"`
	EscrowAdvance   money.Amount         `json:"escrow_advance"`
	Fees            money.Amount         `json:"fees"`
	Suspense        money.Amount         `json:"suspense"`
	CreditBalance   money.Amount         `json:"credit_balance"`
}

// TransferOut returns the loan's transfer package on asOf (at or after
// its latest event's date). It writes nothing: record the transfer first
// with TransferServicing, so both engines' logs hold it. Errors:
// ErrInvalidCommand when asOf is before an event of the log, ErrNotFound,
// store errors.
func (e *Engine) TransferOut(ctx context.Context, id LoanID, asOf date.Date) (TransferPackage, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return TransferPackage{}, err
	}
	for _, ev := range evs {
		if ev.EffectiveOn > asOf {
			var fl field.List
			fl.Add("AsOf", asOf.String(), field.ErrOutOfRange, fmt.Sprintf("before event %d on %s", ev.Seq, ev.EffectiveOn))
			return TransferPackage{}, fmt.Errorf("transfer out loan %q: %w", id, fl.Err(ErrInvalidCommand))
		}
	}
	s, err := loan.Replay(terms, evs, asOf)
	if err != nil {
		return TransferPackage{}, fmt.Errorf("transfer out loan %q: %w", id, err)
	}
	p, err := packageOf(id, s, evs)
	if err != nil {
		return TransferPackage{}, fmt.Errorf("transfer out loan %q: %w", id, err)
	}
	return p, nil
}

// packageOf fills a package's figures from the state s the events fold to.
func packageOf(id LoanID, s loan.State, evs []loan.Event) (TransferPackage, error) {
	a, err := s.Delinquency()
	if err != nil {
		return TransferPackage{}, err
	}
	h := s.Hash()
	p := TransferPackage{Loan: id, AsOf: s.AsOf, Events: evs, Version: s.Version, Hash: hex.EncodeToString(h[:]),
		Status: s.Status, Rate: s.Rate, Payment: s.Payment, DaysPastDue: a.DPD, Principal: s.Principal,
		AccruedInterest: s.AccruedInterest, PastDue: a.ToCure, Escrow: s.Escrow, EscrowAdvance: s.EscrowAdvance,
		Fees: money.Sum(s.LateFees, s.NSFFees, s.OtherFees), Suspense: s.Suspense, CreditBalance: s.CreditBalance}
	if due, ok := s.NextDueDate(); ok {
		p.NextDueDate = due
	}
	return p, nil
}

// BoardTransfer boards a loan another engine transferred out (its
// TransferPackage): the log is written as it came, every event with its
// Seq, dates and actor, so the loan folds here to the same state and hash
// as there. Before anything is written the log is folded and every figure
// of the package compared; a package that does not reproduce is refused
// with ErrInvalidCommand naming each field that differs (or what is wrong
// with the log), and nothing is written. Errors: ErrInvalidCommand,
// ErrLoanExists, store errors. A retry with the same idempotency key and
// package returns the first result. Only that key is recorded here: the
// keys of the commands that wrote the transferred events stay the old
// servicer's (a command the old host retries must go to the old engine).
func (e *Engine) BoardTransfer(ctx context.Context, p TransferPackage, m Meta) (Result, error) {
	id := p.Loan
	if err := m.validate(id); err != nil {
		return Result{}, fmt.Errorf("board transfer loan %q: %w", id, err)
	}
	h := sha256.Sum256([]byte("board_transfer\x00" + p.Hash + "\x00" + fmt.Sprint(p.Version, p.AsOf)))
	if r, done, err := e.lookup(ctx, id, m.IdempotencyKey, h); done || err != nil {
		return r, err
	}
	if _, _, err := e.store.LoadCheckpoint(ctx, id, date.Max()); err == nil {
		return Result{}, fmt.Errorf("board transfer loan %q: %w", id, ErrLoanExists)
	} else if !errors.Is(err, ErrNotFound) {
		return Result{}, fmt.Errorf("board transfer loan %q: %w", id, err)
	}
	if err := checkPackage(id, p); err != nil {
		return Result{}, fmt.Errorf("board transfer loan %q: %w", id, err)
	}
	r := Result{Loan: id, Version: p.Version, Events: p.Events, Domain: []loan.DomainEvent{}}
	res, err := appendResult(nil, r)
	if err != nil {
		return Result{}, fmt.Errorf("board transfer loan %q: %w", id, err)
	}
	b := Batch{Events: p.Events, Idempotency: &IdempotencyRecord{Key: m.IdempotencyKey, PayloadHash: h, Version: p.Version, Result: res}}
	if _, err := e.store.Commit(ctx, id, 0, b); err != nil {
		return Result{}, fmt.Errorf("board transfer loan %q: commit: %w", id, err)
	}
	return r, nil
}

// checkPackage folds the package's log and compares what it gives with
// the package's figures, naming every difference.
func checkPackage(id LoanID, p TransferPackage) error {
	var fl field.List
	if len(p.Events) == 0 {
		fl.Add("Events", nil, field.ErrRequired, "")
		return fl.Err(ErrInvalidCommand)
	}
	if len(p.Events) > loan.MaxEvents {
		fl.Add("Events", len(p.Events), field.ErrOutOfRange, fmt.Sprintf("at most %d", loan.MaxEvents))
		return fl.Err(ErrInvalidCommand)
	}
	b, ok := p.Events[0].Payload.(loan.Boarded)
	if !ok {
		fl.Add("Events[0]", string(p.Events[0].Kind), field.ErrInvalid, "the log must start with a boarding event")
	}
	for i, ev := range p.Events {
		path := fmt.Sprintf("Events[%d]", i)
		if ev.Seq != int64(i+1) {
			fl.Add(path+".Seq", ev.Seq, field.ErrInvalid, fmt.Sprintf("want %d", i+1))
		}
		if ev.Payload == nil || ev.Payload.Kind() != ev.Kind {
			fl.Add(path+".Payload", string(ev.Kind), field.ErrInvalid, "missing or of another kind")
		}
		if ev.EffectiveOn > p.AsOf {
			fl.Add(path+".EffectiveOn", ev.EffectiveOn.String(), field.ErrOutOfRange, "after AsOf")
		}
		textField(&fl, path+".Actor", ev.Actor)
		textField(&fl, path+".Reason", ev.Reason)
		textField(&fl, path+".IdempotencyKey", ev.IdempotencyKey)
	}
	if p.Version != int64(len(p.Events)) {
		fl.Add("Version", p.Version, field.ErrInvalid, fmt.Sprintf("the log holds %d events", len(p.Events)))
	}
	if err := fl.Err(ErrInvalidCommand); err != nil {
		return err
	}
	s, err := loan.Replay(b.Terms, p.Events, p.AsOf)
	if err != nil {
		return fmt.Errorf("%w: the log does not fold: %w", ErrInvalidCommand, err)
	}
	got, err := packageOf(id, s, p.Events)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidCommand, err)
	}
	for _, c := range [...]struct {
		path      string
		want, got any
	}{
		{"Hash", p.Hash, got.Hash}, {"Status", p.Status, got.Status}, {"Rate", p.Rate.String(), got.Rate.String()},
		{"Payment", p.Payment.Format(), got.Payment.Format()}, {"NextDueDate", p.NextDueDate, got.NextDueDate},
		{"DaysPastDue", p.DaysPastDue, got.DaysPastDue}, {"Principal", p.Principal.Format(), got.Principal.Format()},
		{"AccruedInterest", p.AccruedInterest.Format(), got.AccruedInterest.Format()},
		{"PastDue", p.PastDue.Format(), got.PastDue.Format()}, {"Escrow", p.Escrow.Format(), got.Escrow.Format()},
		{"EscrowAdvance", p.EscrowAdvance.Format(), got.EscrowAdvance.Format()}, {"Fees", p.Fees.Format(), got.Fees.Format()},
		{"Suspense", p.Suspense.Format(), got.Suspense.Format()}, {"CreditBalance", p.CreditBalance.Format(), got.CreditBalance.Format()},
	} {
		if c.want != c.got {
			fl.Add(c.path, c.want, field.ErrInvalid, fmt.Sprintf("the log folds to %v", c.got))
		}
	}
	return fl.Err(ErrInvalidCommand)
}
