package servicing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// Meta is who issues a command and its idempotency key.
type Meta struct {
	// IdempotencyKey makes the command safe to retry: the same key and
	// payload return the first result; the same key with another payload is
	// ErrIdempotencyConflict. Required (end of day defaults it to
	// "eod:<date>").
	IdempotencyKey string `json:"idempotency_key"`
	// Actor names the user, job or system issuing the command.
	Actor string `json:"actor,omitempty"`
	// Reason is a free reason code.
	Reason string `json:"reason,omitempty"`
}

// MaxText bounds every string a command carries (idempotency key, actor,
// reason, payee, references, the loan id), in bytes.
const MaxText = loan.MaxText

// validate checks the metadata: a key, and every string within MaxText.
func (m Meta) validate(id LoanID) error {
	var fl field.List
	m.fields(&fl)
	loanField(&fl, id)
	return fl.Err(ErrInvalidCommand)
}

// fields adds the metadata's errors to fl.
func (m Meta) fields(fl *field.List) {
	if m.IdempotencyKey == "" {
		fl.Add("Meta.IdempotencyKey", nil, field.ErrRequired, "")
	}
	textField(fl, "Meta.IdempotencyKey", m.IdempotencyKey)
	textField(fl, "Meta.Actor", m.Actor)
	textField(fl, "Meta.Reason", m.Reason)
}

// validateLoan checks only the loan id, for a command whose metadata the
// caller validated once for many loans: the errors Meta.validate reports
// for the id.
func validateLoan(id LoanID) error {
	var fl field.List
	loanField(&fl, id)
	return fl.Err(ErrInvalidCommand)
}

// loanField checks the loan id: required, within MaxText.
func loanField(fl *field.List, id LoanID) {
	textField(fl, "Loan", string(id))
	if id == "" {
		fl.Add("Loan", nil, field.ErrRequired, "")
	}
}

// textField bounds a string field to MaxText bytes of UTF-8.
func textField(fl *field.List, path, s string) {
	if len(s) > MaxText || !utf8.ValidString(s) {
		fl.Add(path, len(s), field.ErrOutOfRange, fmt.Sprintf("at most %d bytes of UTF-8", MaxText))
	}
}

// Result is what a command did: the events it committed and the domain
// events hosts drive their workflows from (letters, queues, webhooks).
type Result struct {
	// Loan is the loan.
	Loan LoanID `json:"loan"`
	// Version is the loan's version after the command.
	Version int64 `json:"version"`
	// Events are the log events written (none for a no-op end of day).
	Events []loan.Event `json:"events"`
	// Domain are the consequences: status changes, milestones, fees,
	// reversals, payoff.
	Domain []loan.DomainEvent `json:"domain"`
	// Replayed is true when the result is the stored first result of an
	// earlier command with the same idempotency key.
	Replayed bool `json:"-"`
}

// command is one validated command, ready to run.
type command struct {
	kind    loan.Kind // the kind of the event the command records
	on      date.Date
	payload loan.Payload
	meta    Meta
	// check validates the command against the loaded loan.
	check func(l loaded, fl *field.List)
	// sum, when set, is the command's hash, computed once for many loans.
	sum *[32]byte
	// lateLookup defers the idempotency lookup until the loaded state shows
	// the command may have run (end of day: the day is already closed). A
	// key used before is still caught: the store refuses it at commit
	// (ErrDuplicateKey) and the retry looks it up first.
	lateLookup bool
	// mem, when set, is the memory of the portfolio end-of-day worker
	// running the command, reused from loan to loan.
	mem *workerMem
	// metaChecked is set when the caller has validated meta for every loan
	// (portfolio end of day): only the loan id is checked per loan.
	metaChecked bool
	// skipQuiet makes a quiet end of day write nothing (portfolio end of
	// day on a DayCloser store).
	skipQuiet bool
}

// scratch is the buffer the loan's events are read into, when the command
// runs on a worker that keeps one.
func (c *command) scratch() *[]loan.Event {
	if c.mem == nil {
		return nil
	}
	return &c.mem.read
}

// hash is the SHA-256 of the command's canonical encoding: kind, date and
// the payload's JSON (not the actor or reason).
func (c command) hash() ([32]byte, error) {
	b := make([]byte, 0, 128)
	b = append(b, c.kind...)
	b = append(b, 0)
	b = binary.AppendVarint(b, int64(c.on))
	if _, empty := c.payload.(loan.DayClosed); empty {
		b = append(b, "{}"...)
	} else if p, ok := c.payload.(loan.PaymentReceived); ok && plainPayment(p) {
		b = appendPaymentJSON(b, p)
	} else {
		p, err := json.Marshal(c.payload)
		if err != nil {
			return [32]byte{}, err
		}
		b = append(b, p...)
	}
	return sha256.Sum256(b), nil
}

// appendPaymentJSON appends json.Marshal's encoding of receipt p to b,
// for plain receipts (plainPayment): the hash's path for the most frequent
// command, without reflection. FuzzPaymentJSONMatchesMarshal holds it to
// json.Marshal.
func appendPaymentJSON(b []byte, p loan.PaymentReceived) []byte {
	b = append(b, `{"amount":"`...)
	b, _ = p.Amount.AppendText(b)
	b = append(b, '"')
	field := func(name, v string) {
		if v != "" {
			b = append(b, `,"`...)
			b = append(b, name...)
			b = append(b, `":"`...)
			b = append(b, v...)
			b = append(b, '"')
		}
	}
	field("method", p.Method)
	field("reference", p.Reference)
	if p.ReceivedByPriorServicer {
		b = append(b, `,"received_by_prior_servicer":true`...)
	}
	field("type", string(p.Type))
	field("extra", string(p.Extra))
	return append(b, '}')
}

// plainPayment reports whether every text of receipt p is one JSON writes
// as it is: printable ASCII but for the quote, the backslash and the
// characters encoding/json escapes for HTML (<, >, &).
func plainPayment(p loan.PaymentReceived) bool {
	for _, s := range [...]string{p.Method, p.Reference, string(p.Type), string(p.Extra)} {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
		}
	}
	return true
}

// appendResult appends the idempotency record's result to b: the version,
// the seqs of the events written (they are in the log) and the domain events
// as JSON.
func appendResult(b []byte, r Result) ([]byte, error) {
	b = append(b, 1)
	b = binary.AppendVarint(b, r.Version)
	var first int64
	if len(r.Events) > 0 {
		first = r.Events[0].Seq
	}
	b = binary.AppendVarint(b, first)
	b = binary.AppendVarint(b, int64(len(r.Events)))
	if len(r.Domain) == 0 {
		return b, nil
	}
	d, err := json.Marshal(r.Domain)
	return append(b, d...), err
}

// decodeResult reads what appendResult wrote, re-reading the events.
func (e *Engine) decodeResult(ctx context.Context, id LoanID, b []byte) (Result, error) {
	if len(b) == 0 || b[0] != 1 {
		return Result{}, fmt.Errorf("%w: unknown result encoding", ErrCorruptCheckpoint)
	}
	b = b[1:]
	var v [3]int64
	for i := range v {
		x, n := binary.Varint(b)
		if n <= 0 {
			return Result{}, fmt.Errorf("%w: result: bad varint", ErrCorruptCheckpoint)
		}
		v[i], b = x, b[n:]
	}
	res := Result{Loan: id, Version: v[0], Events: []loan.Event{}, Domain: []loan.DomainEvent{}}
	first, n := v[1], v[2]
	if len(b) > 0 {
		if err := json.Unmarshal(b, &res.Domain); err != nil {
			return Result{}, fmt.Errorf("%w: result domain events: %v", ErrCorruptCheckpoint, err)
		}
	}
	if n > 0 {
		evs, err := e.store.Events(ctx, id, first)
		if err != nil {
			return Result{}, err
		}
		if int64(len(evs)) < n {
			return Result{}, fmt.Errorf("%w: result events %d+%d missing", ErrCorruptCheckpoint, first, n)
		}
		res.Events = evs[:n]
	}
	return res, nil
}

// execute runs c on loan id: idempotency lookup, load from the nearest valid
// checkpoint, fold, validate, one atomic commit; retried on version
// conflicts.
func (e *Engine) execute(ctx context.Context, id LoanID, c command) (r Result, err error) {
	var w watch
	if e.obs != nil {
		e.observe(ctx, id, &c, &w)
		ctx = w.ctx
		defer func() { e.finished(&w, r, err) }() // after the recover below
	}
	defer func() {
		// A panic below is a bug (an invariant the types could not hold),
		// never the host's: report it as ErrInvariant, nothing written.
		if p := recover(); p != nil {
			r, err = Result{}, fmt.Errorf("%s loan %q: %w: %v", c.kind, id, loan.ErrInvariant, p)
		}
	}()
	var bad error
	if c.metaChecked {
		bad = validateLoan(id)
	} else {
		bad = c.meta.validate(id)
	}
	if bad != nil {
		return Result{}, fmt.Errorf("%s loan %q: %w", c.kind, id, bad)
	}
	var h [32]byte
	if c.sum != nil {
		h = *c.sum
	} else {
		var err error
		if h, err = c.hash(); err != nil {
			return Result{}, fmt.Errorf("%s loan %q: %w: %w", c.kind, id, ErrInvalidCommand, err)
		}
	}
	lane, err := e.lanes.enter(ctx, id)
	if err != nil {
		return Result{}, fmt.Errorf("%s loan %q: %w", c.kind, id, err)
	}
	defer leave(lane)
	for range e.maxRetries {
		if !c.lateLookup {
			if r, done, err := e.lookup(ctx, id, c.meta.IdempotencyKey, h); done || err != nil {
				return r, err
			}
		}
		r, err = e.attempt(ctx, id, c, h)
		if errors.Is(err, ErrVersionConflict) || errors.Is(err, ErrDuplicateKey) {
			c.lateLookup = false
			if e.obs != nil {
				e.retried(&w, err)
			}
			continue
		}
		return r, err
	}
	return Result{}, fmt.Errorf("%s loan %q: %w", c.kind, id, ErrTooManyRetries)
}

// lookup returns the first result of an earlier command with the key.
func (e *Engine) lookup(ctx context.Context, id LoanID, key string, h [32]byte) (Result, bool, error) {
	rec, err := e.store.LookupIdempotency(ctx, id, key)
	if errors.Is(err, ErrNotFound) {
		return Result{}, false, nil
	}
	if err != nil {
		return Result{}, false, fmt.Errorf("loan %q key %q: %w", id, key, err)
	}
	if rec.PayloadHash != h {
		return Result{}, true, fmt.Errorf("loan %q key %q: %w", id, key, ErrIdempotencyConflict)
	}
	r, err := e.decodeResult(ctx, id, rec.Result)
	if err != nil {
		return Result{}, true, fmt.Errorf("loan %q key %q: stored result: %w", id, key, err)
	}
	r.Replayed = true
	return r, true, nil
}

func (e *Engine) attempt(ctx context.Context, id LoanID, c command, h [32]byte) (Result, error) {
	var l loaded
	var err error
	if w := c.mem; w != nil {
		// The portfolio worker's hint to the loan's head, and the head
		// found, for the loan's next day.
		l.head = w.head
		defer func() { w.head = l.head }()
	}
	if c.skipQuiet && !e.noQuiet {
		if r, ok, err := e.quietDay(ctx, id, c.on, c.scratch(), &l); ok || err != nil {
			return r, err
		}
	}
	if c.kind == loan.KindBoarded {
		if _, _, err := e.store.LoadCheckpoint(ctx, id, date.Max()); err == nil {
			return Result{}, fmt.Errorf("board loan %q: %w", id, ErrLoanExists)
		} else if !errors.Is(err, ErrNotFound) {
			return Result{}, fmt.Errorf("board loan %q: %w", id, err)
		}
	} else if err = e.load(ctx, id, e.notAfter(c), c.scratch(), &l); err != nil {
		return Result{}, err
	}
	if c.check != nil {
		if err := c.validate(&l); err != nil {
			return Result{}, fmt.Errorf("%s loan %q: %w", c.kind, id, err)
		}
	}
	if c.kind == loan.KindDayClosed && c.on < l.state.Terms.FundingDate {
		// End of day's only check, inline: the usual day needs no field list.
		var fl field.List
		onOrAfterBoarding(&fl, c.on, l)
		return Result{}, fmt.Errorf("%s loan %q: %w", c.kind, id, fl.Err(ErrInvalidCommand))
	}
	if c.kind == loan.KindDayClosed && l.state.LastDayClosed >= c.on {
		if c.lateLookup {
			if r, done, err := e.lookup(ctx, id, c.meta.IdempotencyKey, h); done || err != nil {
				return r, err
			}
		}
		return Result{Loan: id, Version: l.version, Events: []loan.Event{}, Domain: []loan.DomainEvent{}}, nil
	}
	if c.skipQuiet && e.quietAhead(id, &l, c.on) {
		// Quiet, by the fold through the days ahead: the store's day-close
		// record stands for the marker (see DayCloser), and the next fold
		// covers the day.
		return Result{Loan: id, Version: l.version, Events: []loan.Event{}, Domain: []loan.DomainEvent{}}, nil
	}
	// The event, the batch's records and their encodings (the checkpoint,
	// then the result, each capped so neither can grow into the other):
	// one allocation, or on a portfolio worker the worker's records and
	// buffer (a store keeps no reference to a batch) and an event from its
	// block.
	var recs *batchRecs
	var evs []loan.Event
	var buf []byte
	if w := c.mem; w != nil {
		recs, evs, buf = &w.recs, w.event(), w.buf[:0]
		defer func() { w.buf = buf[:0] }()
	} else {
		one := &struct {
			ev [1]loan.Event
			batchRecs
			buf [32]byte
		}{}
		recs, evs, buf = &one.batchRecs, one.ev[:], one.buf[:0]
	}
	evs[0] = e.newEvent(l.version, c)
	after, domain, err := e.fold(&l, evs, c.on)
	if err != nil {
		return Result{}, fmt.Errorf("%s loan %q: %w: %w", c.kind, id, ErrInvalidCommand, err)
	}
	r := Result{Loan: id, Version: l.version + int64(len(evs)), Events: evs, Domain: domain}
	b := Batch{Events: evs, Outbox: domain}
	// A quiet end of day (no domain events) writes only its marker event
	// and idempotency record; its checkpoint waits for CheckpointEvery
	// events like any other command's, since a run of markers folds in one
	// step (replayFrom).
	quiet := c.kind == loan.KindDayClosed && len(r.Domain) == 0
	if quiet && c.skipQuiet {
		// The store's day-close record stands for the marker: the next
		// fold covers the day (see DayCloser). The unwritten event goes
		// back to the worker.
		if c.mem != nil {
			c.mem.unuse(evs)
		}
		return Result{Loan: id, Version: l.version, Events: []loan.Event{}, Domain: []loan.DomainEvent{}}, nil
	}
	if r.Version-l.cpVer >= int64(e.checkpointEvery) || !quiet && c.kind == loan.KindDayClosed || c.on < l.state.AsOf || c.kind == loan.KindPaymentReversed {
		buf = after.AppendBinary(buf, e.termsFor(id, &l))
		recs.cp = Checkpoint{Version: r.Version, Through: after.AsOf, State: buf[:len(buf):len(buf)]}
		b.Checkpoint = &recs.cp
		if err := e.verify(recs.cp.State); err != nil {
			return Result{}, fmt.Errorf("%s loan %q: %w", c.kind, id, err)
		}
	}
	n := len(buf)
	buf, err = appendResult(buf, r)
	if err != nil {
		return Result{}, fmt.Errorf("%s loan %q: encode result: %w", c.kind, id, err)
	}
	recs.idm = IdempotencyRecord{Key: c.meta.IdempotencyKey, PayloadHash: h, Version: r.Version, Result: buf[n:len(buf):len(buf)]}
	b.Idempotency = &recs.idm
	if _, err := e.store.Commit(ctx, id, l.version, b); err != nil {
		e.heads.drop(id)
		return Result{}, fmt.Errorf("%s loan %q: commit: %w", c.kind, id, err)
	}
	e.keepHead(id, &l, evs, &after, r.Domain, b.Checkpoint != nil)
	return r, nil
}

// verify decodes a checkpoint about to be committed and requires it to
// encode back to the same bytes: a state the encoding cannot hold is
// refused before it is written (a checkpoint is only a cache, but an
// unreadable one costs every later command a full fold).
func (e *Engine) verify(cp []byte) error {
	var back loan.State
	if err := e.terms.decode(cp, &back); err != nil {
		return fmt.Errorf("%w: the checkpoint would not read back: %w", loan.ErrInvariant, err)
	}
	if again := back.AppendBinary(nil, loan.TermsEncoding(cp)); !bytes.Equal(again, cp) {
		return fmt.Errorf("%w: the checkpoint reads back as another state", loan.ErrInvariant)
	}
	return nil
}

// validate runs c.check against the loaded loan (its own function, so the
// field list is allocated only for commands that have a check).
func (c command) validate(l *loaded) error {
	var fl field.List
	c.check(*l, &fl)
	return fl.Err(ErrInvalidCommand)
}

// notAfter is the latest checkpoint date a command may start from: its own
// date, or the day before the payment a reversal undoes.
func (e *Engine) notAfter(c command) date.Date {
	if r, ok := c.payload.(loan.PaymentReversed); ok {
		return r.PaymentEffectiveOn - 1
	}
	return c.on
}

// newEvent is the command's event, numbered after version.
func (e *Engine) newEvent(version int64, c command) loan.Event {
	return loan.Event{
		Seq: version + 1, Kind: c.payload.Kind(), EffectiveOn: c.on, RecordedAt: e.now(),
		Actor: c.meta.Actor, Reason: c.meta.Reason, IdempotencyKey: c.meta.IdempotencyKey, Payload: c.payload,
	}
}

// fold returns the loan's state after the command, on the later of the
// loan's latest date and the command's, and the domain events the command
// caused: those of the business dates it folded for the first time, or,
// when it changes history (backdated, a reversal), the difference between
// the events of the history with and without it (loan.DomainDiff), so a
// late fee a backdated payment removes comes back retracted.
func (e *Engine) fold(l *loaded, evs []loan.Event, on date.Date) (after loan.State, domain []loan.DomainEvent, err error) {
	if evs[0].Kind == loan.KindBoarded {
		terms := evs[0].Payload.(loan.Boarded).Terms
		return loan.Fold(loan.Initial(terms), evs, on)
	}
	asOf := max(l.state.AsOf, on)
	if _, reversal := evs[0].Payload.(loan.PaymentReversed); on >= l.state.AsOf && !reversal {
		return e.foldOnto(l, evs, asOf)
	}
	// Backdated, or a reversal (whose payment the loaded state holds): fold
	// again from the checkpoint, which precedes both, with the new event in
	// place.
	all := append(append(make([]loan.Event, 0, len(l.after)+len(evs)), l.after...), evs...)
	after, now, err := e.foldPieces(l, all, asOf)
	if err != nil {
		return loan.State{}, nil, err
	}
	l.now, l.refolded = now, true // the new history's, for its head state
	return after, loan.DomainDiff(l.domain, now), nil
}

// Board boards a loan: the LOS handed over the funded terms (and seasoned
// payments, see [loan.BoardingRequest]). A request filled in from a loan
// product (product.Catalogue.ParseBoarding) has its product and version
// recorded in the Boarded event. Errors: ErrInvalidTerms or
// ErrInvalidCommand naming every bad field, ErrLoanExists, store errors.
func (e *Engine) Board(ctx context.Context, id LoanID, req loan.BoardingRequest, m Meta) (Result, error) {
	if err := req.Validate(); err != nil {
		return Result{}, fmt.Errorf("board loan %q: %w: %w", id, ErrInvalidCommand, err)
	}
	terms, err := req.Terms.Normalized()
	if err != nil {
		return Result{}, fmt.Errorf("board loan %q: %w: %w", id, ErrInvalidCommand, err)
	}
	r, err := e.execute(ctx, id, command{kind: loan.KindBoarded, on: terms.FundingDate, meta: m,
		payload: loan.Boarded{Terms: terms, Borrower: req.Borrower, LOSReference: req.LOSReference, Rules: loan.RulesVersion,
			Product: req.Product, ProductVersion: req.ProductVersion}})
	if err != nil || len(req.History) == 0 {
		return r, err
	}
	for i, h := range req.History {
		hm := Meta{IdempotencyKey: fmt.Sprintf("%s/history/%d", m.IdempotencyKey, i), Actor: m.Actor, Reason: "seasoned history"}
		hr, err := e.PostPayment(ctx, id, h.ReceivedOn, h.Amount, hm)
		if err != nil {
			return r, fmt.Errorf("board loan %q history[%d]: %w", id, i, err)
		}
		r.Version, r.Events, r.Domain = hr.Version, append(r.Events, hr.Events...), append(r.Domain, hr.Domain...)
	}
	return r, nil
}

func positive(fl *field.List, path string, a money.Amount, l loaded) {
	cur := l.state.Terms.Currency()
	switch {
	case !a.IsPositive():
		fl.Add(path, a.String(), field.ErrOutOfRange, "must be positive")
	case a.Currency() != cur:
		fl.Add(path, a.Format(), field.ErrInvalid, "currency differs from the loan's "+cur.Code)
	}
}

// open refuses a command on a loan paid off or charged off on or before its
// date (ErrLoanClosed): fees, rate changes, modifications, rate caps, index
// resets, escrow disbursements and adjustments make no sense there. A
// payment (a credit balance, or a recovery), a reversal, a credit refund and
// end of day still work; a command dated before the closing changes the
// history that led to it, and is folded like any backdated one.
// The status is the loan's on date on: time alone can close a loan (the
// status ladder's charge-off), so a state folded only to the last event's
// date is folded on to on first, and the answer does not depend on whether
// an end of day ran before the command.
func open(fl *field.List, on date.Date, l loaded) {
	s := l.state
	if on > s.AsOf && s.Status != loan.StatusPaidOff && s.Status != loan.StatusChargedOff {
		if t, err := loan.ReplayFrom(s, nil, on); err == nil {
			s = t
		}
	}
	if (s.Status == loan.StatusPaidOff || s.Status == loan.StatusChargedOff) && on >= s.ClosedOn {
		fl.Add("Loan", string(s.Status), ErrLoanClosed, "since "+s.ClosedOn.String())
	}
}

func onOrAfterBoarding(fl *field.List, on date.Date, l loaded) {
	if on < l.state.Terms.FundingDate {
		fl.Add("EffectiveOn", on.String(), field.ErrOutOfRange, "before the loan was funded")
	}
}

// PostPayment records a payment received on date on (Reg Z
// §1026.36(c)(1)(i): credited as of receipt; a late posting is backdated).
// A payment that covers the payoff quote for its date pays the loan off.
func (e *Engine) PostPayment(ctx context.Context, id LoanID, on date.Date, amount money.Amount, m Meta) (Result, error) {
	return e.PostPaymentWith(ctx, id, on, amount, PaymentOptions{}, m)
}

// PaymentOptions are the choices of one payment.
type PaymentOptions struct {
	// Type is the transaction type the waterfall allocates the money as
	// (payment.Rules.ByType chooses its order; empty: payment.Repayment),
	// e.g. payment.GoodwillCredit or payment.MerchantRefund.
	Type payment.TransactionType
	// Method (ach, check, card, wire) and Reference (the host's payment
	// id) are recorded with the payment; at most MaxText bytes each.
	Method, Reference string
	// Extra is what money beyond what is due does, when the borrower says
	// what this payment is for (see loan.PaymentReceived.Extra): empty is
	// the loan's own rule.
	Extra payment.Extra
}

// extras are the extra-money methods a receipt may choose.
var extras = []payment.Extra{payment.ExtraPayAhead, payment.ExtraCurtail, payment.ExtraReduceTerm, payment.ExtraRecast, payment.ExtraHold}

// PostPaymentWith is PostPayment with the payment's transaction type,
// extra-money method, payment method and reference.
func (e *Engine) PostPaymentWith(ctx context.Context, id LoanID, on date.Date, amount money.Amount, o PaymentOptions, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindPaymentReceived, on: on, meta: m,
		payload: loan.PaymentReceived{Amount: amount, Type: o.Type, Method: o.Method, Reference: o.Reference, Extra: o.Extra},
		check:   paymentCheck(on, amount, o)})
}

// paymentCheck validates a receipt of amount on on with options o.
func paymentCheck(on date.Date, amount money.Amount, o PaymentOptions) func(l loaded, fl *field.List) {
	return func(l loaded, fl *field.List) {
		onOrAfterBoarding(fl, on, l)
		positive(fl, "Amount", amount, l)
		textField(fl, "Method", o.Method)
		textField(fl, "Reference", o.Reference)
		textField(fl, "Type", string(o.Type))
		if !knownType(o.Type, l.state.Terms) {
			fl.Add("Type", string(o.Type), field.ErrInvalid,
				"neither one of payment's transaction types nor one the loan's allocation rules name")
		}
		if o.Extra != "" && !slices.Contains(extras, o.Extra) {
			fl.Add("Extra", string(o.Extra), field.ErrNotSupported, "pay_ahead, curtail, reduce_term, recast or hold")
		}
		if o.Extra == payment.ExtraRecast && l.state.Terms.Shape == amortize.ShapeCustom {
			fl.Add("Extra", string(o.Extra), field.ErrInvalid, "custom payments are not re-amortized")
		}
	}
}

// commonTypes are payment's named transaction types.
var commonTypes = []payment.TransactionType{payment.Repayment, payment.DownPayment, payment.MerchantRefund,
	payment.PayoutRefund, payment.GoodwillCredit, payment.ChargeRefund, payment.Recovery, payment.Payoff}

// knownType reports whether t is empty (a repayment), one of payment's
// named types or a type the loan's rules give an order: a misspelt type
// would otherwise be allocated silently by the default order.
func knownType(t payment.TransactionType, terms loan.Terms) bool {
	if t == "" || slices.Contains(commonTypes, t) {
		return true
	}
	_, ok := terms.Rules().ByType[t]
	return ok
}

// RefundCredit returns amount of the loan's credit balance to the borrower
// on date on (also on a paid-off or charged-off loan). More than the
// credit balance is ErrInvalidCommand naming Amount.
func (e *Engine) RefundCredit(ctx context.Context, id LoanID, on date.Date, amount money.Amount, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindCreditRefunded, on: on, meta: m,
		payload: loan.CreditRefunded{Amount: amount},
		check:   refundCheck(on, amount, "credit balance", func(s loan.State) money.Amount { return s.CreditBalance })})
}

// refundCheck checks a refund of amount on on from the balance what of
// the loan (also closed): positive, and at most the balance as it stands.
func refundCheck(on date.Date, amount money.Amount, what string, balance func(loan.State) money.Amount) func(loaded, *field.List) {
	return func(l loaded, fl *field.List) {
		onOrAfterBoarding(fl, on, l)
		positive(fl, "Amount", amount, l)
		if b := balance(l.state); on >= l.state.AsOf && amount.GreaterThan(b) {
			fl.Add("Amount", amount.String(), field.ErrOutOfRange, "above the "+what+" "+b.String())
		}
	}
}

// RefundEscrow returns amount of the escrow balance to the borrower on on
// (loan.EscrowRefunded): after payoff within loan.EscrowRefundDays business
// days (State.EscrowRefundBy; the payoff's domain event escrow_refund_due
// says how much and by when), or a surplus while open. More than the
// escrow balance is ErrInvalidCommand naming Amount.
func (e *Engine) RefundEscrow(ctx context.Context, id LoanID, on date.Date, amount money.Amount, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindEscrowRefunded, on: on, meta: m,
		payload: loan.EscrowRefunded{Amount: amount},
		check:   refundCheck(on, amount, "escrow balance", func(s loan.State) money.Amount { return s.Escrow })})
}

// AnalyzeEscrow runs the loan's annual escrow analysis on on
// (loan.State.EscrowAnalysis: Reg X §1024.17 over the terms' escrow items
// for the computation year starting with the next installment) and
// records its outcome (loan.EscrowOutcome: a surplus of 50.00 or more
// refunded, a smaller one credited, a shortage or deficiency spread over
// 12 months) as a loan.EscrowAnalyzed event: the new escrow payment from
// that installment on, and the refund. The outcome is computed when the
// command runs and kept in the event, so replay never re-derives it; a
// retry with the same key returns the first result. EscrowAnalysis is the
// query.
func (e *Engine) AnalyzeEscrow(ctx context.Context, id LoanID, on date.Date, m Meta) (Result, error) {
	h, err := command{kind: loan.KindEscrowAnalyzed, on: on, payload: loan.EscrowAnalyzed{}}.hash()
	if err != nil {
		return Result{}, err
	}
	if err := m.validate(id); err != nil {
		return Result{}, fmt.Errorf("escrow analysis loan %q: %w", id, err)
	}
	if r, done, err := e.lookup(ctx, id, m.IdempotencyKey, h); done || err != nil {
		return r, err
	}
	r, from, err := e.EscrowAnalysis(ctx, id, on)
	if err != nil {
		return Result{}, fmt.Errorf("escrow analysis loan %q: %w: %w", id, ErrInvalidCommand, err)
	}
	out, err := loan.EscrowOutcome(r, from)
	if err != nil {
		return Result{}, fmt.Errorf("escrow analysis loan %q: %w", id, err)
	}
	return e.execute(ctx, id, command{kind: loan.KindEscrowAnalyzed, on: on, meta: m, payload: out, sum: &h,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
		}})
}

// MigrateRules moves the loan to servicing rules version rules from date
// on (loan.RulesMigrated): the one way an old loan's numbers follow a newer
// release. rules must be above the loan's and at most loan.RulesVersion.
func (e *Engine) MigrateRules(ctx context.Context, id LoanID, on date.Date, rules int, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindRulesMigrated, on: on, meta: m,
		payload: loan.RulesMigrated{Rules: rules},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			if rules <= l.state.Rules || rules > loan.RulesVersion {
				fl.Add("Rules", rules, field.ErrOutOfRange, fmt.Sprintf("above the loan's %d, at most %d", l.state.Rules, loan.RulesVersion))
			}
			if on < l.state.AsOf {
				fl.Add("EffectiveOn", on.String(), field.ErrOutOfRange, "a migration is not backdated: on or after "+l.state.AsOf.String())
			}
		}})
}

// ReversePayment reverses payment paymentSeq as of on (a returned check,
// NSF): on replay the payment's effects disappear; nsfFee, if positive, is
// charged on on. Reversing a reversed or unknown payment is ErrInvalidCommand.
func (e *Engine) ReversePayment(ctx context.Context, id LoanID, on date.Date, paymentSeq int64, nsfFee money.Amount, m Meta) (Result, error) {
	target, err := e.paymentEvent(ctx, id, paymentSeq, m.IdempotencyKey)
	if err != nil {
		return Result{}, err
	}
	if nsfFee.Currency().Code == "" {
		nsfFee = money.Zero(target.Payload.(loan.PaymentReceived).Amount.Currency())
	}
	return e.execute(ctx, id, command{kind: loan.KindPaymentReversed, on: on, meta: m,
		payload: loan.PaymentReversed{PaymentSeq: paymentSeq, PaymentEffectiveOn: target.EffectiveOn, NSFFee: nsfFee},
		check: func(l loaded, fl *field.List) {
			if on < target.EffectiveOn {
				fl.Add("EffectiveOn", on.String(), field.ErrOutOfRange, "before the payment it reverses")
			}
			if nsfFee.IsNegative() {
				fl.Add("NSFFee", nsfFee.String(), field.ErrOutOfRange, "must not be negative")
			}
			for _, ev := range l.after {
				if r, ok := ev.Payload.(loan.PaymentReversed); ok && r.PaymentSeq == paymentSeq {
					fl.Add("PaymentSeq", paymentSeq, field.ErrInvalid, "already reversed")
				}
			}
		}})
}

// paymentEvent finds a payment event that is not yet reversed (except by a
// command with the same key: a retry, answered from the idempotency record).
func (e *Engine) paymentEvent(ctx context.Context, id LoanID, seq int64, key string) (loan.Event, error) {
	var fl field.List
	evs, err := e.store.Events(ctx, id, seq)
	if err != nil {
		return loan.Event{}, fmt.Errorf("reverse payment loan %q: %w", id, err)
	}
	if seq < 1 || len(evs) == 0 || evs[0].Kind != loan.KindPaymentReceived {
		fl.Add("PaymentSeq", seq, field.ErrInvalid, "no payment with this seq")
		return loan.Event{}, fmt.Errorf("reverse payment loan %q: %w", id, fl.Err(ErrInvalidCommand))
	}
	for _, ev := range evs[1:] {
		if r, ok := ev.Payload.(loan.PaymentReversed); ok && r.PaymentSeq == seq && ev.IdempotencyKey != key {
			fl.Add("PaymentSeq", seq, field.ErrInvalid, "already reversed")
			return loan.Event{}, fmt.Errorf("reverse payment loan %q: %w", id, fl.Err(ErrInvalidCommand))
		}
	}
	return evs[0], nil
}

// AssessFee charges a fee on date on.
func (e *Engine) AssessFee(ctx context.Context, id LoanID, on date.Date, t loan.FeeType, amount money.Amount, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindFeeAssessed, on: on, meta: m,
		payload: loan.FeeAssessed{Type: t, Amount: amount},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			positive(fl, "Amount", amount, l)
			if t == "" {
				fl.Add("Type", nil, field.ErrRequired, "")
			}
		}})
}

// WaiveFee forgives up to amount of outstanding fees of type t.
func (e *Engine) WaiveFee(ctx context.Context, id LoanID, on date.Date, t loan.FeeType, amount money.Amount, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindFeeWaived, on: on, meta: m,
		payload: loan.FeeWaived{Type: t, Amount: amount},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			positive(fl, "Amount", amount, l)
		}})
}

// ChangeRate sets a new note rate from on and recasts the payment.
func (e *Engine) ChangeRate(ctx context.Context, id LoanID, on date.Date, r rate.Rate, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindRateChanged, on: on, meta: m,
		payload: loan.RateChanged{Rate: r},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			notPrecomputed(fl, l)
			notLine(fl, l)
			if r.IsNegative() {
				fl.Add("Rate", r.String(), field.ErrOutOfRange, "must not be negative")
			}
		}})
}

// Modify applies a loan modification from on (a new terms version).
func (e *Engine) Modify(ctx context.Context, id LoanID, on date.Date, mod loan.Modified, m Meta) (Result, error) {
	hist, err := e.workoutHistory(ctx, id, on, m.IdempotencyKey)
	if err != nil {
		return Result{}, fmt.Errorf("modify loan %q: %w", id, err)
	}
	return e.execute(ctx, id, command{kind: loan.KindModified, on: on, meta: m, payload: mod,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			notPrecomputed(fl, l)
			notLine(fl, l)
			hist.check(fl, mod, on, l)
			switch mod.Type {
			case loan.ModRecast, loan.ModReage, loan.ModReamortize, loan.ModTermExtension, loan.ModDeferment, loan.ModForbearance:
			default:
				fl.Add("Type", mod.Type, field.ErrNotSupported, "")
			}
			if mod.ExtendInstallments < 0 || mod.ExtendInstallments > loan.MaxInstallments {
				fl.Add("ExtendInstallments", mod.ExtendInstallments, field.ErrOutOfRange, "")
			}
			if mod.DeferInstallments < 0 || mod.DeferInstallments > loan.MaxInstallments {
				fl.Add("DeferInstallments", mod.DeferInstallments, field.ErrOutOfRange, "")
			}
			if mod.Rate != nil && mod.Rate.IsNegative() {
				fl.Add("Rate", mod.Rate.String(), field.ErrOutOfRange, "must not be negative")
			}
		}})
}

// workouts is what the FFIEC limits on re-ages and workout programs read
// from a loan's log (Uniform Retail Credit Classification, 65 FR 36903):
// the earlier re-ages and workouts and the payments received.
type workouts struct {
	reAges, programs []date.Date
	payments         []delinquency.Payment
}

// workoutHistory reads the re-ages, workout programs (re-amortization,
// term extension, deferment, forbearance) and payments not reversed of the
// loan's whole log (a backdated modification is held to the limits of the
// ones after it too); the command with key (a retry) is not counted.
func (e *Engine) workoutHistory(ctx context.Context, id LoanID, on date.Date, key string) (workouts, error) {
	evs, err := e.store.Events(ctx, id, 1)
	if err != nil {
		return workouts{}, err
	}
	reversed := map[int64]bool{}
	for _, ev := range evs {
		if r, ok := ev.Payload.(loan.PaymentReversed); ok {
			reversed[r.PaymentSeq] = true
		}
	}
	var w workouts
	for _, ev := range evs {
		if ev.IdempotencyKey == key && key != "" {
			continue
		}
		switch p := ev.Payload.(type) {
		case loan.Modified:
			switch p.Type {
			case loan.ModReage:
				w.reAges = append(w.reAges, ev.EffectiveOn)
			case loan.ModReamortize, loan.ModTermExtension, loan.ModDeferment, loan.ModForbearance:
				w.programs = append(w.programs, ev.EffectiveOn)
			}
		case loan.PaymentReceived:
			if !reversed[ev.Seq] {
				w.payments = append(w.payments, delinquency.Payment{ReceivedOn: ev.EffectiveOn, Amount: p.Amount})
			}
		}
	}
	return w, nil
}

// check applies delinquency's limits to modification mod on date on: a
// re-age needs delinquency.CanReAge (the account open 9 months, three
// periodic payments in the last three months, at most once in 12 months and
// twice in 5 years), a workout program delinquency.CanWorkout (once in 5
// years). The limits hold over the history with mod in it: mod against the
// ones before it, and each later one (a backdated modification) against
// those before it, mod included. A refusal names Type and wraps
// delinquency's typed reasons.
func (w workouts) check(fl *field.List, mod loan.Modified, on date.Date, l loaded) {
	var err error
	switch mod.Type {
	case loan.ModReage:
		s := l.state
		all := withDate(w.reAges, on)
		for i, d := range all {
			if d < on {
				continue
			}
			if err = delinquency.CanReAge(delinquency.ReAgeRequest{AsOf: d, OpenedOn: s.Terms.FundingDate,
				MinimumPayment: s.Payment.Add(s.EscrowDue()), Payments: w.payments, PriorReAges: all[:i]}); err != nil {
				break
			}
		}
	case loan.ModReamortize, loan.ModTermExtension, loan.ModDeferment, loan.ModForbearance:
		all := withDate(w.programs, on)
		for i, d := range all {
			if d < on {
				continue
			}
			if err = delinquency.CanWorkout(delinquency.WorkoutRequest{AsOf: d, PriorWorkouts: all[:i]}); err != nil {
				break
			}
		}
	}
	if err != nil {
		fl.Add("Type", string(mod.Type), err, "FFIEC Uniform Retail Credit Classification limits")
	}
}

// withDate returns ds with on inserted, in date order (on before the
// entries of its own date, which are later commands).
func withDate(ds []date.Date, on date.Date) []date.Date {
	out := slices.Clone(ds)
	slices.Sort(out)
	i, _ := slices.BinarySearch(out, on)
	return slices.Insert(out, i, on)
}

// notPrecomputed refuses a rate change, modification or rate cap on a
// precomputed loan: its finance charge is fixed at boarding.
func notPrecomputed(fl *field.List, l loaded) {
	if l.state.Terms.Accrual == loan.AccrualPrecomputed {
		fl.Add("Terms.Accrual", l.state.Terms.Accrual, field.ErrNotSupported, "the precomputed finance charge is fixed")
	}
}

// notLine refuses a rate change, modification, pause or rate cap on a
// revolving line: its cycles are priced at the line's rate (package
// revolving), and its schedule is its statements.
func notLine(fl *field.List, l loaded) {
	if l.state.Terms.Line != nil {
		fl.Add("Terms.Line", nil, field.ErrNotSupported, "not for a line of credit")
	}
}

// ChargeOff writes the loan's receivables off as of on, with the charge-off
// behaviour of the terms' status ladder (regular without one): see
// [loan.State.ChargeOff]. ChargeOffWith chooses the behaviour.
func (e *Engine) ChargeOff(ctx context.Context, id LoanID, on date.Date, m Meta) (Result, error) {
	return e.ChargeOffWith(ctx, id, on, ChargeOffOptions{}, m)
}

// ChargeOffOptions are the choices of one charge-off command.
type ChargeOffOptions struct {
	// Behavior is the charge-off behaviour (delinquency.ChargeOffRegular,
	// ChargeOffStopInterest or ChargeOffAccelerate); empty: the terms'
	// status ladder's, regular without one.
	Behavior delinquency.ChargeOffBehavior
}

// ChargeOffWith is ChargeOff with the behaviour chosen for this command
// (recorded in the loan.ChargedOff event, so replay applies the same one). An
// unknown behaviour is an ErrInvalidCommand naming Behavior.
func (e *Engine) ChargeOffWith(ctx context.Context, id LoanID, on date.Date, o ChargeOffOptions, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindChargedOff, on: on, meta: m, payload: loan.ChargedOff{Behavior: o.Behavior},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			switch o.Behavior {
			case "", delinquency.ChargeOffRegular, delinquency.ChargeOffStopInterest, delinquency.ChargeOffAccelerate:
			default:
				fl.Add("Behavior", string(o.Behavior), field.ErrNotSupported, "regular, stop_interest or accelerate_maturity")
			}
			if l.state.Status == loan.StatusChargedOff || l.state.Status == loan.StatusPaidOff {
				fl.Add("Loan", string(l.state.Status), ErrLoanClosed, "")
			}
		}})
}

// Recover records money received after charge-off.
func (e *Engine) Recover(ctx context.Context, id LoanID, on date.Date, amount money.Amount, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindRecovery, on: on, meta: m, payload: loan.RecoveryReceived{Amount: amount},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			positive(fl, "Amount", amount, l)
			if l.state.Status != loan.StatusChargedOff {
				fl.Add("Loan", string(l.state.Status), field.ErrInvalid, "not charged off")
			}
		}})
}

// Adjust corrects one balance by a signed amount (error resolution).
func (e *Engine) Adjust(ctx context.Context, id LoanID, on date.Date, a loan.Adjustment, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindAdjustment, on: on, meta: m, payload: a,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			if a.Amount.IsZero() || a.Amount.Currency() != l.state.Terms.Currency() {
				fl.Add("Amount", a.Amount.Format(), field.ErrInvalid, "non-zero, in the loan's currency")
			}
		}})
}

// DisburseEscrow pays an escrow item (taxes, insurance) on date on; a
// balance short of it is advanced by the servicer (loan.EscrowDisbursed).
func (e *Engine) DisburseEscrow(ctx context.Context, id LoanID, on date.Date, d loan.EscrowDisbursed, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindEscrowDisbursed, on: on, meta: m, payload: d,
		check: func(l loaded, fl *field.List) {
			textField(fl, "Payee", d.Payee)
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			positive(fl, "Amount", d.Amount, l)
		}})
}

// CapRate caps the rate charged at c.Max from on until c.To (the SCRA 6 %
// cap, loan.RateCapped); interest above it is forgiven.
func (e *Engine) CapRate(ctx context.Context, id LoanID, on date.Date, c loan.RateCapped, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindRateCapped, on: on, meta: m, payload: c,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			notPrecomputed(fl, l)
			notLine(fl, l)
			if c.Max.IsNegative() {
				fl.Add("Max", c.Max.String(), field.ErrOutOfRange, "must not be negative")
			}
			if c.To != 0 && c.To <= on {
				fl.Add("To", c.To.String(), field.ErrInvalid, "must be after the effective date")
			}
		}})
}

// Pause grants a payment pause (forbearance, deferment, a payment holiday)
// from on until p.To (exclusive), loan.Paused: the installments due in it
// move past its end, its interest is capitalized, deferred to maturity or
// waived as p.Interest says, and delinquency counts none of its days (a
// delinquent loan stays as delinquent as it was; late fees are not charged
// in it). Pauses may not overlap. Refused for precomputed loans and loans
// on rules 1.
func (e *Engine) Pause(ctx context.Context, id LoanID, on date.Date, p loan.Paused, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindPaused, on: on, meta: m, payload: p,
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			notPrecomputed(fl, l)
			notLine(fl, l)
			if l.state.Rules < 2 {
				fl.Add("Rules", l.state.Rules, field.ErrNotSupported, "pauses need rules 2 (MigrateRules)")
			}
			switch {
			case p.To <= on:
				fl.Add("To", p.To.String(), field.ErrInvalid, "must be after the effective date")
			case p.To > on+maxPauseDays:
				fl.Add("To", p.To.String(), field.ErrOutOfRange, fmt.Sprintf("at most %d days after the effective date", maxPauseDays))
			}
			switch p.Type {
			case "", delinquency.Forbearance, delinquency.Deferment, delinquency.DelinquencyPause:
			default:
				fl.Add("Type", string(p.Type), field.ErrNotSupported, "forbearance, deferment or pause")
			}
			switch {
			case p.KeepDueDates && p.Interest != "":
				fl.Add("Interest", string(p.Interest), field.ErrInvalid, "a pause that keeps the due dates keeps the interest too")
			case p.KeepDueDates:
			case p.Interest == loan.PauseCapitalize, p.Interest == loan.PauseDefer, p.Interest == loan.PauseWaive:
			case p.Interest == "":
				fl.Add("Interest", "", field.ErrRequired, "capitalize, defer or waive")
			default:
				fl.Add("Interest", string(p.Interest), field.ErrNotSupported, "capitalize, defer or waive")
			}
			for _, q := range l.state.Pauses {
				if q.From < p.To && on < q.To {
					fl.Add("EffectiveOn", on.String(), field.ErrInvalid, fmt.Sprintf("overlaps the pause from %s to %s", q.From, q.To))
				}
			}
			if len(l.state.Pauses) >= loan.MaxPauses {
				fl.Add("Loan", len(l.state.Pauses), loan.ErrLimit, fmt.Sprintf("at most %d pauses", loan.MaxPauses))
			}
		}})
}

// Draw disburses amount more of a multi-disbursement loan's commitment on
// on (loan.Drawn, loan.DrawTerms): the principal grows from that day and
// the schedule is re-solved by the terms' draw policy. A draw beyond what
// is undrawn (counting every draw recorded, a backdated one too) is
// refused naming Amount (loan.ErrOverCommitment), one after the draw period
// naming EffectiveOn (loan.ErrDrawPeriodOver).
func (e *Engine) Draw(ctx context.Context, id LoanID, on date.Date, amount money.Amount, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindDrawn, on: on, meta: m, payload: loan.Drawn{Amount: amount},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			if lt := l.state.Terms.Line; lt != nil {
				positive(fl, "Amount", amount, l)
				if s := l.state; !lt.OverLimit && amount.IsPositive() && s.Principal.Add(amount).Sub(s.CreditBalance).GreaterThan(lt.CreditLimit) {
					fl.Add("Amount", amount.String(), loan.ErrOverLimit, s.Undrawn().String()+" available")
				}
				if lt.DrawUntil != 0 && on > lt.DrawUntil {
					fl.Add("EffectiveOn", on.String(), loan.ErrDrawPeriodOver, "draws until "+lt.DrawUntil.String())
				}
				return
			}
			dt := l.state.Terms.Draws
			if dt == nil {
				fl.Add("Terms.Draws", nil, field.ErrNotSupported, "the principal was fixed at boarding")
				return
			}
			positive(fl, "Amount", amount, l)
			if u := l.state.Undrawn(); amount.IsPositive() && amount.GreaterThan(u) {
				fl.Add("Amount", amount.String(), loan.ErrOverCommitment, u.String()+" undrawn")
			}
			if dt.Until != 0 && on > dt.Until {
				fl.Add("EffectiveOn", on.String(), loan.ErrDrawPeriodOver, "draws until "+dt.Until.String())
			}
		}})
}

// maxPauseDays bounds one pause: ten years.
const maxPauseDays = 3653

// ResetIndex records an adjustable rate's change on date on with the index
// value the note reads for it (loan.IndexReset); the rate follows loan.Terms.ARM.
func (e *Engine) ResetIndex(ctx context.Context, id LoanID, on date.Date, index rate.Rate, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindIndexReset, on: on, meta: m, payload: loan.IndexReset{Index: index},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			open(fl, on, l)
			if l.state.Terms.ARM == nil {
				fl.Add("Terms.ARM", nil, field.ErrRequired, "the loan's rate is fixed")
			}
			if n := len(l.state.IndexResets); n > 0 && l.state.IndexResets[n-1].On >= on {
				fl.Add("EffectiveOn", on.String(), field.ErrInvalid, "not after the previous index reset")
			}
		}})
}

// EndOfDay closes business date on for one loan: accrual, delinquency
// status and late fees through on become final and their domain events are
// returned once. Running it again for on (or an earlier date) does nothing.
// An empty idempotency key defaults to "eod:<on>".
func (e *Engine) EndOfDay(ctx context.Context, id LoanID, on date.Date, m Meta) (Result, error) {
	return e.endOfDay(ctx, id, on, m, nil, nil, false)
}

// endOfDay is EndOfDay with the command's hash, when known (it is the same
// for every loan closing the same day), the portfolio worker's memory
// (whose caller validated m once for all its loans) and whether a quiet
// day writes nothing. End
// of day has no check function: attempt checks the funding date itself.
func (e *Engine) endOfDay(ctx context.Context, id LoanID, on date.Date, m Meta, sum *[32]byte, mem *workerMem, skipQuiet bool) (Result, error) {
	if m.IdempotencyKey == "" {
		m.IdempotencyKey = eodKey(on)
	}
	return e.execute(ctx, id, command{kind: loan.KindDayClosed, on: on, meta: m, payload: loan.DayClosed{},
		sum: sum, lateLookup: true, mem: mem, metaChecked: mem != nil, skipQuiet: skipQuiet})
}

// eodHash is the hash of the end-of-day command for date on.
func eodHash(on date.Date) *[32]byte {
	h, _ := command{kind: loan.KindDayClosed, on: on, payload: loan.DayClosed{}}.hash()
	return &h
}

// eodKey is the default end-of-day idempotency key, "eod:YYYY-MM-DD".
func eodKey(on date.Date) string {
	y, m, d := on.Date()
	return fmt.Sprintf("eod:%04d-%02d-%02d", y, int(m), d)
}
