package loan

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/revolving"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// Replay folds a loan's log into its state on business date asOf. It is
// pure: events may come in any order (they are folded by EffectiveOn, then
// Seq); events effective after asOf are ignored; a reversed payment is
// skipped as if it never came. The log must start with a Boarded event whose
// terms are terms.
//
// Replay returns an error wrapping ErrInvalidTerms, ErrInvalidEvent (an
// unknown kind, an event before boarding, a reversal of a non-payment),
// ErrTooManyEvents, or ErrInvariant (a balance would go negative).
func Replay(terms Terms, events []Event, asOf date.Date) (State, error) {
	if err := terms.Validate(); err != nil {
		return State{}, err
	}
	return replayFrom(Initial(terms), events, asOf, nil, nil)
}

// ReplayFrom continues a fold from a checkpointed state: events are those
// after the checkpoint (Seq > from.Version), all effective after from.AsOf.
// It equals Replay over the whole log (a property test checks it).
func ReplayFrom(from State, events []Event, asOf date.Date) (State, error) {
	return replayFrom(from, events, asOf, nil, nil)
}

// Initial returns the state of a loan with terms t before its boarding
// event: the state a fold of its whole log starts from.
func Initial(t Terms) State {
	z := money.Zero(t.Currency())
	n := t.Rows()
	if t.DownPayment.IsPositive() {
		n++ // installment 1 is the down payment
	}
	if t.Line != nil {
		n = 0 // a line's installments are its statements' minimum payments
	}
	return State{
		Terms: t, TermsVersion: 1, Rate: t.AnnualRate, Payment: t.Payment, Installments: n,
		AsOf: t.FundingDate - 1, Status: StatusPending, NextInstallment: 1,
		Principal: z, AccruedInterest: z, Suspense: z, CreditBalance: z, LateFees: z, NSFFees: z, OtherFees: z,
		Escrow: z, ChargedOff: z, Recovered: z, ChargedOffPrincipal: z, PaidPrincipal: z, PaidInterest: z, PaidEscrow: z, PaidFees: z,
		EscrowAdvance: z, InterestForgiven: z, NonAccrualInterest: z, Rebated: z, DeferredInterest: z, InterestWaived: z, Draws: z,
		CycleOpen: z, CycleFees: z,
	}
}

// ordered returns the events effective on or before asOf sorted by
// (EffectiveOn, Seq), and the set of reversed payment seqs.
func ordered(events []Event, asOf date.Date) ([]Event, map[int64]bool, error) {
	if len(events) > MaxEvents {
		return nil, nil, fmt.Errorf("%w: %d", ErrTooManyEvents, len(events))
	}
	if inOrder(events, asOf) {
		return events, nil, nil // the common case: nothing to copy
	}
	out := make([]Event, 0, len(events))
	var reversed map[int64]bool
	sorted := true
	for _, e := range events {
		if e.EffectiveOn > asOf {
			continue
		}
		if n := len(out); n > 0 && cmpEvent(out[n-1], e) > 0 {
			sorted = false
		}
		out = append(out, e)
		if r, ok := e.Payload.(PaymentReversed); ok {
			if reversed == nil {
				reversed = map[int64]bool{}
			}
			reversed[r.PaymentSeq] = true
		}
	}
	if !sorted {
		slices.SortFunc(out, cmpEvent)
	}
	return out, reversed, nil
}

// inOrder reports whether events are sorted, all effective on or before
// asOf, and hold no reversal.
func inOrder(events []Event, asOf date.Date) bool {
	for i := range events {
		e := &events[i]
		if e.EffectiveOn > asOf || e.Kind == KindPaymentReversed || i > 0 && cmpEvent(events[i-1], *e) > 0 {
			return false
		}
	}
	return true
}

func cmpEvent(a, b Event) int {
	if c := cmp.Compare(a.EffectiveOn, b.EffectiveOn); c != 0 {
		return c
	}
	return cmp.Compare(a.Seq, b.Seq)
}

// replayFrom is the fold; j, when not nil, records the journal for queries.
func replayFrom(s State, events []Event, asOf date.Date, j *journal, rec *[]DomainEvent) (State, error) {
	return replayCarry(s, events, asOf, j, rec, nil)
}

// replayCarry is replayFrom that, when c is not nil, starts from what c
// holds for s and leaves in c what the fold built for the state it returns.
func replayCarry(s State, events []Event, asOf date.Date, j *journal, rec *[]DomainEvent, c *Carry) (State, error) {
	evs, reversed, err := ordered(events, asOf)
	if err != nil {
		return State{}, err
	}
	f := folder{s: s, j: j, recording: rec != nil, milestonesThrough: s.AsOf, noticesThrough: s.AsOf}
	if rec != nil {
		// The fold appends to the caller's list and hands it back: rec is
		// only read and written here, never kept (so the caller's slice
		// header need not move to the heap).
		f.recs = *rec
	}
	if c != nil && c.of(&s) {
		f.bl, f.addOn, f.rebater = c.bl, c.addOn, c.rebater
	}
	if err := f.startNotices(); err != nil {
		return State{}, err
	}
	for _, e := range evs {
		if e.EffectiveOn < f.s.AsOf && f.s.Status != StatusPending {
			return State{}, fmt.Errorf("%w: event %d effective %s, state already folded through %s", ErrInvalidEvent, e.Seq, e.EffectiveOn, f.s.AsOf)
		}
		if e.Kind == KindDayClosed && f.s.Status != StatusPending {
			// A day-closed marker changes nothing but LastDayClosed: the
			// next event's advance (or the final one, asOf ≥ its date)
			// covers its date, so a run of quiet days folds in one step.
			f.s.LastDayClosed = max(f.s.LastDayClosed, e.EffectiveOn)
			f.s.Version = max(f.s.Version, e.Seq)
			continue
		}
		if err := f.advance(e.EffectiveOn, false); err != nil {
			return State{}, err
		}
		if e.Seq > f.s.Version {
			f.s.Version = e.Seq
		}
		if reversed[e.Seq] {
			p, ok := e.Payload.(PaymentReceived)
			if !ok {
				return State{}, fmt.Errorf("%w: event %d reversed but is a %s, not a payment", ErrInvalidEvent, e.Seq, e.Kind)
			}
			if tx := f.j.begin(e.EffectiveOn, e.Seq, TransactionKind(KindPaymentReceived), p.Amount); tx != nil {
				tx.Reversed = true
			}
			continue
		}
		if err := f.apply(e); err != nil {
			return State{}, fmt.Errorf("replay event %d (%s, %s): %w", e.Seq, e.Kind, e.EffectiveOn, err)
		}
	}
	if f.s.Status == StatusPending {
		return State{}, fmt.Errorf("%w: %w: no boarding event on or before %s", ErrInvalidEvent, ErrBeforeBoarding, asOf)
	}
	if asOf >= f.s.AsOf {
		// The end of asOf: the day's receipts are in, its thresholds apply.
		if err := f.advance(asOf, true); err != nil {
			return State{}, err
		}
	}
	if c != nil {
		*c = carryOf(&f)
	}
	if rec != nil {
		*rec = f.recs
	}
	return f.s, nil
}

// folder applies events and the passage of time to a state.
type folder struct {
	s State
	j *journal
	// recording is set when the fold reports domain events, appended to
	// recs.
	recording bool
	recs      []DomainEvent
	// milestonesThrough is the last day whose milestones were reported
	// (the fold's start: those of days before it were reported by the
	// fold that reached it).
	milestonesThrough date.Date
	// noticesThrough is the same for the calendar's statements
	// (emitNotices); noticesListed name the early intervention
	// notices listed on noticesOn, the day they were last read.
	noticesThrough date.Date
	noticesListed  []listedNotice
	noticesOn      date.Date
	// stmtIdx is the first grid index whose date is after stmtFrom (the
	// calendar's cursor, when stmtOK); noticeBuf and noticeEvs are
	// emitNotices' scratch space.
	stmtIdx   int
	stmtFrom  date.Date
	stmtOK    bool
	noticeBuf []notice.Notice
	noticeEvs []DomainEvent
	// waterfall scratch space, reused across payments of one fold
	rules *payment.Compiled
	alloc payment.Allocation
	bs    []bill
	rs    []payment.Receivable
	rk    []int
	// anchor is the first due date's day of month (0: not yet read); dues
	// holds the grid dates looked up last, on the grid decoded once.
	anchor int
	grid   schedule.Grid
	gridOK bool
	dues   dueMemo
	// rows holds the rows amortize billed last (billRow).
	rows rowMemo
	// addOn is the precomputed loan's add-on table, and rebater its
	// rebate, built on first use.
	addOn   *amortize.Table
	rebater *amortize.Rebater
	// bl is the amortize biller of the current rate path.
	bl *amortize.Biller
	// ahead, when positive, extends the bills window past d's cycle to
	// future installments until their total reaches it (a pay-ahead
	// receipt: the money and suspense on hand).
	ahead money.Amount
	// lineGrid is a line's statement dates, decoded once.
	lineGrid   schedule.Grid
	lineGridOK bool
	// deferredK is the installment of the window that carries the pauses'
	// deferred interest (0: none).
	deferredK int
	// capitalized is the deferred interest the last settle capitalized,
	// of installment capitalizedK, for the trace.
	capitalized  money.Amount
	capitalizedK int
}

// addOnTable returns the precomputed loan's add-on table.
func (f *folder) addOnTable() (*amortize.Table, error) {
	if f.addOn == nil {
		tb, err := amortize.Compute(f.s.Terms.Terms)
		if err != nil {
			return nil, fmt.Errorf("add-on table: %w", err)
		}
		f.addOn = &tb
	}
	return f.addOn, nil
}

// dueDate returns installment k's contractual due date
// (schedule.AddMonths with the terms' end-of-month policy, anchored on the
// first due date's day).
func (f *folder) dueDate(k int) date.Date {
	if f.s.line() {
		if k < 1 || k > len(f.s.Statements) {
			return f.nextStatement() + date.Date(f.s.Terms.Line.DueDays) // not issued yet
		}
		return f.s.Statements[k-1].Due
	}
	if k == 1 && f.s.downPayment() {
		return f.s.Terms.FundingDate
	}
	return f.gridAt(f.row(k) - 1)
}

// gridAt is the idx-th date (0-based) of the loan's due-date grid.
func (f *folder) gridAt(idx int) date.Date {
	t := &f.s.Terms
	if f.anchor == 0 {
		f.anchor = t.FirstDueDate.Day()
	}
	sl := &f.dues[uint(idx)%dueSlots]
	if sl.ok && sl.idx == idx {
		return sl.due
	}
	if !f.gridOK {
		f.grid, f.gridOK = planOf(t, f.anchor).Grid(), true
	}
	due := f.grid.At(idx)
	*sl = dueSlot{idx: idx, due: due, ok: true}
	return due
}

// dueMemo remembers the grid dates a fold looked up last: the fold asks for
// the due dates and period starts of the open window at every event and
// every day it advances through, and each Grid.At steps the calendar. The
// grid is the folder's, decoded once from terms a fold never changes, so a
// date looked up once stands. Slots are direct-mapped by index: a window of
// up to dueSlots consecutive dates stays whole (TestDueMemoMatchesGrid).
type dueMemo [dueSlots]dueSlot

// dueSlots is the grid dates a fold remembers.
const dueSlots = 16

// dueSlot is one remembered grid date (ok: the slot is filled).
type dueSlot struct {
	idx int
	due date.Date
	ok  bool
}

// planOf is the schedule plan whose grid gives the loan's due dates: the
// terms' frequency and end-of-month policy, anchored on anchor (the first
// due date's day).
func planOf(t *Terms, anchor int) schedule.Plan {
	p := schedule.Plan{FirstDue: t.FirstDueDate, Frequency: t.Frequency, EOM: t.EOM}
	if t.Frequency.Unit == schedule.UnitMonth && anchor != t.FirstDueDate.Day() {
		p.DueDay = anchor
	}
	return p
}

// periodStart returns the start of installment k's interest period: the
// previous due date. For the first installment that is one period before
// the first due date (mortgage convention: odd days from funding are
// interim interest collected at closing, outside the servicing schedule).
// It is the grid date before k's due date: after a pause, the period of
// the first installment it moved starts where the pause's last skipped
// period ended.
func (f *folder) periodStart(k int) date.Date {
	if k == 1 && f.s.downPayment() {
		k = 2 // the down payment bears no interest: the first row's period
	}
	return f.gridAt(f.row(k) - 2)
}

// advance moves the state to date to, running the date-driven rules in
// date order: a delinquency episode starts the day after an unpaid due date,
// the late fee of an installment is decided (by the delinquency package)
// the day after its grace period, and suspense is offered to the waterfall
// again the day a new installment becomes due (the day after a due date).
//
// The ladder's sticky thresholds (non-accrual, charge-off) are end-of-day
// rules, as package delinquency counts them: one reached on to itself
// applies only when eod is set (the fold's last step), after the receipts
// dated to; otherwise the next advance past to applies it, dated to, if
// the loan is still that late.
func (f *folder) advance(to date.Date, eod bool) error {
	s := &f.s
	if to > s.AsOf {
		// The end of AsOf: its events are in.
		if err := f.emitNotices(s.AsOf); err != nil {
			return err
		}
	}
	if s.line() {
		// A line's statements fall on their dates, before that day's
		// receipts (a cycle ends the day before its statement date).
		for t := f.nextStatement(); t <= to && s.Status != StatusPending && !f.closed(); t = f.nextStatement() {
			if err := f.advanceTo(t, false); err != nil {
				return err
			}
			if f.closed() {
				break
			}
			if err := f.statement(t); err != nil {
				return err
			}
		}
	}
	if err := f.advanceTo(to, eod); err != nil {
		return err
	}
	return f.emitNotices(to) // before the day's events when !eod, after them when eod
}

// advanceTo is advance's date-driven rules up to to.
func (f *folder) advanceTo(to date.Date, eod bool) error {
	s := &f.s
	if s.Status == StatusPending || s.Status == StatusPaidOff || s.Status == StatusChargedOff {
		s.AsOf = max(s.AsOf, to)
		return nil
	}
	lf := s.Terms.Delinquency.LateFee
	lateFees := lf != nil
	sp, ladder := s.Terms.Delinquency.Status, s.Terms.Ladder
	// reached reports whether a sticky threshold on day t applies in this
	// advance (rules 1 took it before the receipts of its day).
	reached := func(t date.Date) bool { return t < to || t == to && (eod || !s.rules2()) }
	cal := s.calendar()
	for {
		k := s.NextInstallment
		if k > s.Installments {
			break
		}
		due, late, err := f.lateDue(s.AsOf)
		if err != nil {
			return err
		}
		if !late {
			due = to + 1 // nothing unpaid: no threshold, no episode
		}
		next, sweep := to+1, false
		act := actNone
		if !s.Suspense.IsZero() {
			// The next cycle change after AsOf: the day after the first
			// due date on or after AsOf.
			j := k
			for j <= s.Installments && f.dueDate(j) < s.AsOf {
				j++
			}
			if j <= s.Installments {
				if c := f.dueDate(j) + 1; c <= to {
					next, sweep = c, true
				}
			}
		}
		// The down payment is not a periodic payment: no late fee.
		lfk := max(k, s.LateFeesThrough+1, s.firstRow())
		if lateFees && lfk <= s.Installments {
			lfDate := lf.ChargeableOn(f.dueDate(lfk))
			// On AsOf itself under rules 2: a sweep that day ran first
			// (rules 1 lost the fee).
			if (lfDate > s.AsOf || lfDate == s.AsOf && s.rules2()) && lfDate <= to && lfDate < next {
				next, sweep = lfDate, false
			}
		}
		if sweep {
			act = actSweep
		} else if next <= to {
			act = actLateFee
		}
		if ladder && due < to {
			// Ladder thresholds on the day DPD reaches them; on a tie
			// the rules above run first and the loop comes back (>=).
			if t := cal.Reached(due, sp.ChargeOffDays); t >= s.AsOf && reached(t) && t < next {
				next, act = t, actChargeOff
			}
			if t := cal.Reached(due, sp.NonAccrualDays); s.Status != StatusNonAccrual && t >= s.AsOf && reached(t) && t < next {
				next, act = t, actNonAccrual
			}
		}
		if s.Status == StatusNonAccrual && s.Terms.Accrual != AccrualDailySimple && s.NonAccrualThrough < s.Installments {
			// Scheduled interest on non-accrual: each installment's
			// interest goes to the memo on its due date.
			if t := f.dueDate(s.NonAccrualThrough + 1); t >= s.AsOf && t <= to && t < next {
				next, act = t, actNonAccrualMemo
			}
		}
		if f.recording && late {
			// Status changes on the day DPD reaches their rung (only the
			// domain events see the days between; the status at the end of
			// the span is updateStatus's either way).
			if t, ok := f.nextRung(due, ladder, cal); ok && t >= s.AsOf && t <= to && t < next {
				next, act = t, actStatus
			}
		}
		if len(s.Terms.EscrowItems) > 0 {
			// Scheduled escrow items are paid at the end of their day.
			if t, ok := s.nextDisbursement(); ok && t >= s.AsOf && reached(t) && t < next {
				next, act = t, actDisburse
			}
		}
		if i := s.openPause(); i >= 0 {
			// A pause's interest is booked when its paused periods end,
			// before that day's other rules and receipts.
			if t := s.Pauses[i].bookOn(); t >= s.AsOf && t <= to && t <= next {
				next, act = t, actPauseEnd
			}
		}
		if s.DelinquentSince == 0 && due < to && due < next {
			f.startEpisode(due)
		}
		if late {
			// The milestones of the days before the next change; those of
			// its own day come after it (a status change first).
			f.emitMilestones(due, s.AsOf, min(next-1, to), cal)
		}
		if next > to {
			break
		}
		if err := f.emitNotices(next - 1); err != nil {
			return err // the days before next are over
		}
		s.AsOf = next
		switch act {
		case actStatus:
			f.updateStatus()
		case actDisburse:
			err = f.disburseScheduled(next)
		case actPauseEnd:
			err = f.bookPause(s.openPause(), next)
			cal = s.calendar()
		case actSweep:
			if err = f.sweepSuspense(next); err == nil {
				err = f.reconcileItems() // the sweep may pay escrow
			}
		case actLateFee:
			err = f.lateFee(lfk, next)
		case actNonAccrual:
			err = f.enterNonAccrual(next)
		case actNonAccrualMemo:
			err = f.nonAccrualMemo(s.NonAccrualThrough+1, next)
		case actChargeOff:
			if err = f.chargeOff(next, 0, ""); err == nil {
				f.emitMilestoneOn(due, next, cal)
				s.AsOf = to
				return nil
			}
		}
		if err != nil {
			return err
		}
		if late {
			f.emitMilestoneOn(due, next, cal)
		}
	}
	s.AsOf = to
	f.updateStatus()
	return nil
}

// The date-driven rules of advance.
const (
	actNone = iota
	actSweep
	actLateFee
	actNonAccrual
	actNonAccrualMemo
	actChargeOff
	actStatus
	actPauseEnd
	actDisburse
)

// nextRung returns the day a loan whose oldest unpaid installment fell due
// on due reaches the next worse rung of its status ladder (delinquent at
// DelinquentDays; with the ladder, default at DefaultDays), and false when
// none is left.
func (f *folder) nextRung(due date.Date, ladder bool, cal delinquency.PauseCalendar) (date.Date, bool) {
	s := &f.s
	sp := s.Terms.Delinquency.Status
	switch {
	case s.Status == StatusCurrent:
		return f.heldRung(delinquency.StatusDelinquent, cal.Reached(due, sp.DelinquentDays))
	case ladder && s.Status == StatusDelinquent && sp.DefaultDays < sp.NonAccrualDays:
		return f.heldRung(delinquency.StatusDefault, cal.Reached(due, sp.DefaultDays))
	}
	return 0, false
}

// enterNonAccrual puts the loan on non-accrual on date on: daily simple
// interest is booked through the day before, and none accrues until the
// loan is brought current.
func (f *folder) enterNonAccrual(on date.Date) error {
	if err := f.crystallize(on); err != nil {
		return err
	}
	dpd := 0
	if due, late, err := f.lateDue(on); err == nil && late && due < on {
		dpd = f.s.calendar().Days(due, on)
	}
	f.setStatus(StatusNonAccrual, on, dpd)
	// Installments due before today were recognised while accruing.
	k := f.s.NextInstallment
	for k <= f.s.Installments && f.dueDate(k) < on {
		k++
	}
	f.s.NonAccrualThrough = k - 1
	return nil
}

// nonAccrualMemo records installment k's scheduled interest, due on date
// on while the loan is on non-accrual, in NonAccrualInterest (nothing for
// an installment already paid: that interest was collected).
func (f *folder) nonAccrualMemo(k int, on date.Date) error {
	s := &f.s
	s.NonAccrualThrough = k
	if k < s.NextInstallment {
		return nil
	}
	if _, _, err := f.bills(on); err != nil {
		return fmt.Errorf("non-accrual interest installment %d: %w", k, err)
	}
	for _, b := range f.bs {
		if b.k == k {
			s.NonAccrualInterest = s.NonAccrualInterest.Add(b.i)
		}
	}
	return nil
}

func (f *folder) startEpisode(due date.Date) {
	f.s.DelinquentSince = due
	f.j.delinquency(due+1, due, true)
}

// lateFee charges installment k's late fee on date on when the delinquency
// package decides one is owed; either way the installment's decision is
// made (LateFeesThrough).
func (f *folder) lateFee(k int, on date.Date) error {
	dec, err := f.lateFeeDecision(k, on)
	if err != nil {
		return fmt.Errorf("late fee installment %d: %w", k, err)
	}
	f.s.LateFeesThrough = k
	if dec.Charge && f.s.line() {
		dec.Amount = f.s.lineLateFee(k, dec.Amount)
		f.s.Statements = slices.Clone(f.s.Statements)
		f.s.Statements[k-1].LateFee = true
		f.activity(on, revolving.Fee, dec.Amount)
	}
	if dec.Charge {
		f.s.LateFees = f.s.LateFees.Add(dec.Amount)
		f.j.fee(on, FeeLate, dec.Amount, k, string(dec.Reason))
		f.emit(DomainEvent{Type: DomainFeeAssessed, On: on, Amount: dec.Amount, Ref: int64(k)})
	}
	return nil
}

func (f *folder) sweepSuspense(on date.Date) error {
	tx := f.j.begin(on, 0, TransactionSuspenseSweep, f.s.Suspense)
	return f.allocate(on, money.Zero(f.s.Suspense.Currency()), payment.Repayment, "", tx, true)
}

// updateStatus derives the status from the oldest unpaid installment
// (Reg X §1024.31: delinquent from the day after an unpaid due date), on
// the terms' status ladder when they have one (Terms.Ladder).
func (f *folder) updateStatus() {
	s := &f.s
	switch s.Status {
	case StatusPaidOff, StatusChargedOff, StatusPending:
		return
	}
	dpd := f.daysLate()
	// The rung is delinquency's; non-accrual is entered by advance on the
	// day DPD reaches its threshold (interest is booked to that day) and
	// left only when the loan is brought current. A kept arrangement's
	// hold caps the collections rung (State.Hold).
	rung := s.Terms.Delinquency.Status.Rung(dpd)
	if h, ok := s.statusHold(s.AsOf); ok {
		rung = s.Terms.Delinquency.Status.CollectionsRung(dpd, s.AsOf, []delinquency.StatusHold{h})
	}
	to := StatusCurrent
	switch {
	case !s.Terms.Ladder && rung != delinquency.StatusCurrent:
		to = StatusDelinquent
	case !s.Terms.Ladder:
	case s.Status == StatusNonAccrual && dpd > 0:
		to = StatusNonAccrual
	case rung == delinquency.StatusNonAccrual || rung == delinquency.StatusDefault:
		to = StatusDefault
	case rung == delinquency.StatusDelinquent:
		to = StatusDelinquent
	}
	f.setStatus(to, s.AsOf, dpd)
}

// lateDue returns the due date of the oldest installment the delinquency
// policy does not recognize as paid at the end of day t, and false when
// none is billed unpaid: NextInstallment's when it holds no credit or the
// policy is full recognition without tolerance (the waterfall keeps
// NextInstallment on the oldest installment not paid in full), else
// delinquency.Evaluator.OldestUnpaid over the window. Under rules 1 it is
// always NextInstallment's (tolerance was the waterfall's alone).
func (f *folder) lateDue(t date.Date) (date.Date, bool, error) {
	s := &f.s
	k := s.NextInstallment
	if k > s.Installments {
		return 0, false, nil
	}
	p := s.policy()
	fast := len(s.Partial) == 0 || s.Partial[0].Seq != k ||
		p.Recognition == delinquency.RecognizeFull && p.ToleranceAmount.IsZero() && p.TolerancePercentBps == 0
	if fast {
		return f.dueDate(k), true, nil
	}
	ev, err := f.evaluator(t, maxWindow)
	if err != nil || ev == nil {
		return f.dueDate(k), true, err
	}
	_, due, ok := ev.OldestUnpaid(t)
	if !ok {
		return 0, false, nil
	}
	return due, true, nil
}

// DaysPastDue returns the days past due on s.AsOf per Reg X §1024.31, as
// delinquency.Evaluator.DaysPastDue finds them over the installments the
// engine has billed and the credits applied to them (fees never count); 0
// when nothing is past due or the loan is closed.
func (s State) DaysPastDue() int {
	if s.Status == StatusChargedOff && s.ChargeOff == delinquency.ChargeOffAccelerate {
		// The whole balance fell due on the charge-off date.
		if s.ChargedOff.IsPositive() && s.AsOf > s.ClosedOn {
			return int(s.AsOf - s.ClosedOn)
		}
		return 0
	}
	if s.Status == StatusPaidOff || s.Status == StatusChargedOff || s.Status == StatusPending || s.NextInstallment > s.Installments {
		return 0
	}
	f := folder{s: s}
	due, late, err := f.lateDue(s.AsOf)
	if err != nil || !late || due >= s.AsOf {
		return 0 // nothing past due before AsOf
	}
	return s.calendar().Days(due, s.AsOf)
}

// Delinquency returns the delinquency package's assessment of the loan on
// s.AsOf: DPD, the reported days under the terms' Reporting method (MBA or
// OTS count 30 days per installment delinquent under their rule), the aging
// bucket, the past-due amounts by component and the amount to bring the
// loan current. A closed loan assesses as current.
func (s State) Delinquency() (delinquency.Assessment, error) {
	p := s.policy()
	z := money.Zero(s.Terms.Currency())
	none := delinquency.Assessment{AsOf: s.AsOf, Method: p.Method, Bucket: delinquency.DefaultBuckets()[0],
		PastDue: delinquency.Components{Principal: z, Interest: z, Escrow: z, Fees: z}, ToCure: z, BringCurrent: z}
	if s.Status == StatusPaidOff || s.Status == StatusChargedOff || s.Status == StatusPending || s.NextInstallment > s.Installments {
		return none, nil
	}
	f := folder{s: s}
	ev, err := f.evaluator(s.AsOf, maxWindow)
	if err != nil || ev == nil {
		return none, err
	}
	a := ev.Assess(s.AsOf)
	fees := money.Sum(s.LateFees, s.NSFFees, s.OtherFees)
	a.PastDue.Fees = fees
	a.BringCurrent = a.ToCure.Add(fees)
	return a, nil
}

// NextDueDate returns the due date of the oldest unpaid installment, and
// false when none is left.
func (s State) NextDueDate() (date.Date, bool) {
	if s.NextInstallment > s.Installments || s.Status == StatusPaidOff || s.Status == StatusChargedOff {
		return 0, false
	}
	f := folder{s: s}
	return f.dueDate(s.NextInstallment), true
}

// crystallize books daily simple interest over [AccrualFrom, on) into
// AccruedInterest. It runs only when principal or rate changes, so the
// rounding points are the same however the fold is split.
func (f *folder) crystallize(on date.Date) error {
	s := &f.s
	if s.Terms.Accrual != AccrualDailySimple || on <= s.AccrualFrom || s.line() {
		return nil // a line's interest is its statements' (revolving)
	}
	i, forgiven, err := f.interestOn(s.Principal, s.AccrualFrom, on)
	if err != nil {
		return err
	}
	if s.Status == StatusNonAccrual {
		// No interest accrues on non-accrual: the memo records it.
		s.NonAccrualInterest = s.NonAccrualInterest.Add(i)
		s.AccrualFrom = on
		return nil
	}
	if len(s.Pauses) > 0 && s.routePauseInterest(i, on) {
		s.InterestForgiven = s.InterestForgiven.Add(forgiven)
		s.AccrualFrom = on
		return nil
	}
	s.AccruedInterest = s.AccruedInterest.Add(i)
	s.InterestForgiven = s.InterestForgiven.Add(forgiven)
	s.AccrualFrom = on
	return nil
}

// interest is Principal × Rate × the day-count year fraction of [a, b),
// rounded once with the terms' rounding (accrual.SimpleInterest).
func (f *folder) interest(a, b date.Date) (money.Amount, error) {
	i, _, err := f.interestOn(f.s.Principal, a, b)
	return i, err
}

// interestOn is interest on principal p over [a, b), and the interest
// forgiven under a rate cap (accrual.Timeline's cap override, rounded once
// like the interest).
func (f *folder) interestOn(p money.Amount, a, b date.Date) (money.Amount, money.Amount, error) {
	s := &f.s
	z := money.Zero(p.Currency())
	if s.CapTo > a && s.CapFrom < b && s.CapMax.Cmp(s.Rate) < 0 {
		tl := accrual.Timeline{DayCount: s.Terms.DayCount, Principal: []accrual.BalanceChange{{On: a, Balance: p}},
			Rates: []accrual.RateChange{{On: a, Rate: s.Rate}}, Caps: []accrual.RateCap{{From: s.CapFrom, To: s.CapTo, Max: s.CapMax}},
			Rounding: accrual.RoundAtPosting, Mode: s.Terms.InterestRounding}
		r, err := tl.Accrue(a, b)
		if err != nil {
			return z, z, fmt.Errorf("capped interest [%s, %s): %w", a, b, err)
		}
		return r.Interest, r.Forgiven, nil
	}
	i, err := f.simpleInterest(p, a, b)
	return i, z, err
}

// simpleInterest is p × Rate × the day-count year fraction of [a, b).
func (f *folder) simpleInterest(p money.Amount, a, b date.Date) (money.Amount, error) {
	s := &f.s
	yf, err := s.Terms.DayCount.YearFraction(a, b)
	if err != nil {
		return money.Amount{}, fmt.Errorf("interest [%s, %s): %w", a, b, err)
	}
	i, err := accrual.SimpleInterest(p, s.Rate, yf, s.Terms.InterestRounding)
	if err != nil {
		return money.Amount{}, fmt.Errorf("interest [%s, %s): %w", a, b, err)
	}
	return i, nil
}

func (f *folder) invariant() error {
	s := &f.s
	if !(s.Principal.IsNegative() || s.AccruedInterest.IsNegative() || s.Suspense.IsNegative() ||
		s.EscrowAdvance.IsNegative() || s.CreditBalance.IsNegative() || s.LateFees.IsNegative() ||
		s.NSFFees.IsNegative() || s.OtherFees.IsNegative() || s.ChargedOff.IsNegative() || s.DeferredInterest.IsNegative()) {
		// The common case, without building the list below.
		if s.CreditBalance.IsPositive() && (s.Principal.IsPositive() || s.AccruedInterest.IsPositive()) {
			return fmt.Errorf("%w: credit balance %s while %s principal is owed", ErrInvariant, s.CreditBalance, s.Principal)
		}
		return s.checkLimits()
	}
	for _, c := range []struct {
		name string
		a    money.Amount
	}{{"principal", s.Principal}, {"accrued interest", s.AccruedInterest}, {"suspense", s.Suspense}, {"escrow advance", s.EscrowAdvance},
		{"credit balance", s.CreditBalance}, {"late fees", s.LateFees}, {"NSF fees", s.NSFFees},
		{"other fees", s.OtherFees}, {"charged off", s.ChargedOff}, {"deferred interest", s.DeferredInterest}} {
		if c.a.IsNegative() {
			return fmt.Errorf("%w: %s is %s", ErrInvariant, c.name, c.a)
		}
	}
	if s.CreditBalance.IsPositive() && (s.Principal.IsPositive() || s.AccruedInterest.IsPositive()) {
		return fmt.Errorf("%w: credit balance %s while %s principal is owed", ErrInvariant, s.CreditBalance, s.Principal)
	}
	return s.checkLimits()
}

// withinLimits is checkLimits' quick answer for the common case.
func (s *State) withinLimits() bool {
	var worst int64
	for _, a := range [...]money.Amount{s.Principal, s.AccruedInterest, s.Suspense, s.CreditBalance, s.LateFees,
		s.NSFFees, s.OtherFees, s.Escrow, s.EscrowAdvance, s.ChargedOff, s.Recovered, s.ChargedOffPrincipal,
		s.PaidPrincipal, s.PaidInterest, s.PaidEscrow, s.PaidFees, s.InterestForgiven, s.NonAccrualInterest,
		s.Rebated, s.Payment, s.DeferredInterest, s.InterestWaived, s.Draws, s.CycleOpen, s.CycleFees} {
		m := a.Minor()
		worst = max(worst, m, -m)
	}
	return worst <= money.MaxMinor &&
		len(s.Rates) <= MaxChanges && len(s.Payments) <= MaxChanges && len(s.IndexResets) <= MaxChanges && len(s.Pauses) <= MaxPauses && len(s.Statements) <= MaxChanges && len(s.Activity) <= revolving.MaxActivity &&
		s.Installments <= MaxInstallments && s.Installments+s.offset(s.Installments) <= MaxInstallments+MaxInstallments
}

// checkLimits reports the first running total or count of s beyond its
// bound (money.MaxMinor for every amount, MaxChanges and MaxInstallments
// for the lists), as an error wrapping ErrLimit that names the field: the
// state encoding holds nothing larger, so a command that would pass a bound
// is refused before anything is written (TigerBeetle's habit: bound
// everything, check before you write).
func (s *State) checkLimits() error {
	if s.withinLimits() {
		return nil
	}
	var l field.List
	for _, c := range [...]struct {
		name string
		a    money.Amount
	}{{"Principal", s.Principal}, {"AccruedInterest", s.AccruedInterest}, {"Suspense", s.Suspense},
		{"CreditBalance", s.CreditBalance}, {"LateFees", s.LateFees}, {"NSFFees", s.NSFFees}, {"OtherFees", s.OtherFees},
		{"Escrow", s.Escrow}, {"EscrowAdvance", s.EscrowAdvance}, {"ChargedOff", s.ChargedOff}, {"Recovered", s.Recovered},
		{"ChargedOffPrincipal", s.ChargedOffPrincipal}, {"PaidPrincipal", s.PaidPrincipal}, {"PaidInterest", s.PaidInterest},
		{"PaidEscrow", s.PaidEscrow}, {"PaidFees", s.PaidFees}, {"InterestForgiven", s.InterestForgiven},
		{"NonAccrualInterest", s.NonAccrualInterest}, {"Rebated", s.Rebated}, {"Payment", s.Payment},
		{"DeferredInterest", s.DeferredInterest}, {"InterestWaived", s.InterestWaived}, {"Draws", s.Draws}} {
		if m := c.a.Minor(); m > money.MaxMinor || m < -money.MaxMinor {
			l.Add("State."+c.name, c.a.String(), ErrLimit, fmt.Sprintf("a running total beyond %d minor units", money.MaxMinor))
		}
	}
	if len(s.Rates) > MaxChanges {
		l.Add("State.Rates", len(s.Rates), ErrLimit, fmt.Sprintf("at most %d rate changes", MaxChanges))
	}
	if len(s.Payments) > MaxChanges {
		l.Add("State.Payments", len(s.Payments), ErrLimit, fmt.Sprintf("at most %d recasts", MaxChanges))
	}
	if len(s.IndexResets) > MaxChanges {
		l.Add("State.IndexResets", len(s.IndexResets), ErrLimit, fmt.Sprintf("at most %d index resets", MaxChanges))
	}
	if len(s.Statements) > MaxChanges {
		l.Add("State.Statements", len(s.Statements), ErrLimit, fmt.Sprintf("at most %d statements", MaxChanges))
	}
	if len(s.Activity) > revolving.MaxActivity {
		l.Add("State.Activity", len(s.Activity), ErrLimit, fmt.Sprintf("at most %d balance changes in a cycle", revolving.MaxActivity))
	}
	if len(s.Pauses) > MaxPauses {
		l.Add("State.Pauses", len(s.Pauses), ErrLimit, fmt.Sprintf("at most %d pauses", MaxPauses))
	}
	if s.Installments > MaxInstallments || s.Installments+s.offset(s.Installments) > MaxInstallments+MaxInstallments {
		l.Add("State.Installments", s.Installments, ErrLimit, fmt.Sprintf("at most %d installments", MaxInstallments))
	}
	return l.Err(ErrLimit)
}
