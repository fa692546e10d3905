package loan

import (
	"strconv"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/notice"
	"github.com/rickb777/date/v2"
)

// DomainEventType names a consequence of a command.
type DomainEventType string

// The domain event types.
const (
	DomainStatusChanged    DomainEventType = "status_changed"
	DomainMilestone        DomainEventType = "milestone_reached"
	DomainFeeAssessed      DomainEventType = "fee_assessed"
	DomainPaymentReversed  DomainEventType = "payment_reversed"
	DomainPaidOff          DomainEventType = "loan_paid_off"
	DomainChargedOff       DomainEventType = "charged_off"
	DomainDelinquencyCured DomainEventType = "delinquency_cured"
	// DomainEscrowRefundDue: the loan was paid off with an escrow balance
	// (Amount) to refund by By (Reg X §1024.34(b)).
	DomainEscrowRefundDue DomainEventType = "escrow_refund_due"
)

// Milestones are the days past due that raise DomainMilestone: Reg X
// §1024.39 early intervention (36 live contact, 45 written notice), §1024.41
// (120: first foreclosure notice allowed after), and the 30/60/90 buckets.
var milestones = [...]int{30, 36, 45, 60, 90, 120, 180}

// DomainEvent is one consequence of a command that a host may act on.
type DomainEvent struct {
	// Type is what happened.
	Type DomainEventType `json:"type"`
	// On is the business date it happened.
	On date.Date `json:"on"`
	// From and To are the statuses of a status change.
	From ServicingStatus `json:"from,omitempty"`
	To   ServicingStatus `json:"to,omitempty"`
	// DaysPastDue is the milestone reached, or the DPD at a status change.
	DaysPastDue int `json:"days_past_due,omitempty"`
	// Amount is the fee assessed; for a payment reversal, the NSF fee
	// charged with it (zero without one; Ref names the payment).
	Amount money.Amount `json:"amount,omitzero"`
	// Ref is the Seq of the payment reversed, or the installment charged a
	// late fee.
	Ref int64 `json:"ref,omitempty"`
	// By is the deadline of what the event asks (an escrow refund).
	By date.Date `json:"by,omitzero"`
	// Notice is the notice a DomainNoticeDue event makes due.
	Notice notice.Kind `json:"notice,omitempty"`
	// NoticeKey is that notice's key (notice.Notice.Key): what
	// MarkNoticeSent takes, and what [State.Notices] lists it by.
	NoticeKey string `json:"notice_key,omitempty"`
	// Retracted marks an event reported before that a change of history
	// (a backdated receipt, a reversal) undid: the host should undo what it
	// did on it (see DomainDiff).
	Retracted bool `json:"retracted,omitempty"`
}

// Key identifies the event within its loan: the same happening on the same
// business date always has the same key, so a host can deduplicate events
// it may receive twice and match a retraction to what it retracts.
func (d DomainEvent) Key() string {
	b := make([]byte, 0, 64)
	b = append(b, d.Type...)
	b = append(append(b, '|'), d.On.String()...)
	b = append(append(b, '|'), d.From...)
	b = append(append(b, '|'), d.To...)
	b = strconv.AppendInt(append(b, '|'), int64(d.DaysPastDue), 10)
	b = append(append(b, '|'), d.Amount.Format()...)
	b = strconv.AppendInt(append(b, '|'), d.Ref, 10)
	if d.Notice != "" {
		// Only notice events carry it: the keys of every other event are
		// unchanged.
		b = append(append(b, '|'), d.Notice...)
		b = append(append(b, '|'), d.NoticeKey...)
	}
	return string(b)
}

// Fold is ReplayFrom that also returns the domain events of the business
// dates it folded, in the order they happened, each dated by the business
// date it happened on (a late fee on the day after grace, a status change
// or milestone on the day days past due reach it), so the same history
// gives the same events whatever the order and grouping of the commands
// that built it.
//
// The status changes of one fold tell the status of every day it folds:
// the last change dated on or before a day is the status of the fold to
// that day. Within a day they follow the fold: a rung reached that day
// comes before the day's receipts, so a receipt that day may report a
// cure on it. A reversal removes its payment from the whole fold, so a
// fold past a reversal can report changes, before the reversal's date,
// that a fold to an earlier date could not see.
func Fold(from State, events []Event, asOf date.Date) (State, []DomainEvent, error) {
	rec := []DomainEvent{}
	s, err := replayFrom(from, events, asOf, nil, &rec)
	return s, rec, err
}

// DomainDiff returns what a change of history changed in its domain events:
// the events of now that before did not have, then the events of before
// that now does not have, marked Retracted (a backdated payment that
// removes a late fee already reported retracts it). Events are matched by
// Key, as multisets.
func DomainDiff(before, now []DomainEvent) []DomainEvent {
	seen := map[string]int{}
	for _, e := range before {
		seen[e.Key()]++
	}
	out := []DomainEvent{}
	for _, e := range now {
		if seen[e.Key()] > 0 {
			seen[e.Key()]--
			continue
		}
		out = append(out, e)
	}
	for _, e := range before {
		if k := e.Key(); seen[k] > 0 {
			seen[k]--
			e.Retracted = true
			out = append(out, e)
		}
	}
	return out
}

// emit records a domain event when the fold records them.
func (f *folder) emit(e DomainEvent) {
	if f.recording {
		f.recs = append(f.recs, e)
	}
}

// setStatus moves the loan to status to on date on (dpd days past due),
// recording the change and what it means (paid off, charged off, cured).
func (f *folder) setStatus(to ServicingStatus, on date.Date, dpd int) {
	s := &f.s
	from := s.Status
	if from == to {
		return
	}
	s.Status = to
	if from == StatusPending || !f.recording {
		return
	}
	f.emit(DomainEvent{Type: DomainStatusChanged, On: on, From: from, To: to, DaysPastDue: dpd})
	switch to {
	case StatusPaidOff:
		f.emit(DomainEvent{Type: DomainPaidOff, On: on})
		f.emitShortYear()
		if by, ok := s.EscrowRefundBy(); ok {
			f.emit(DomainEvent{Type: DomainEscrowRefundDue, On: on, Amount: s.Escrow, By: by})
		}
	case StatusChargedOff:
		f.emit(DomainEvent{Type: DomainChargedOff, On: on, Amount: s.ChargedOff})
	case StatusCurrent:
		f.emit(DomainEvent{Type: DomainDelinquencyCured, On: on})
	}
}

// emitMilestones records the milestones an installment due on due and still
// unpaid reaches in the days (from, to].
func (f *folder) emitMilestones(due, from, to date.Date, cal delinquency.PauseCalendar) {
	if !f.recording || f.s.Status == StatusChargedOff || f.s.Status == StatusPaidOff {
		return
	}
	from = max(from, f.milestonesThrough)
	for _, m := range milestones {
		if t := cal.Reached(due, m); t > from && t <= to {
			f.emit(DomainEvent{Type: DomainMilestone, On: t, DaysPastDue: m})
		}
	}
	f.milestonesThrough = max(f.milestonesThrough, to)
}

// emitMilestoneOn records the milestone an installment due on due reaches
// on day t, if any (also on the day a charge-off closes the loan).
func (f *folder) emitMilestoneOn(due, t date.Date, cal delinquency.PauseCalendar) {
	if !f.recording || t <= f.milestonesThrough {
		return // already reported (a threshold applied at the end of its day)
	}
	for _, m := range milestones {
		if cal.Reached(due, m) == t {
			f.emit(DomainEvent{Type: DomainMilestone, On: t, DaysPastDue: m})
		}
	}
	f.milestonesThrough = t
}
