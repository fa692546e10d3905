package loan

import (
	"github.com/lendcore/servicing/money"
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
	From Status `json:"from,omitempty"`
	To   Status `json:"to,omitempty"`
	// DaysPastDue is the milestone reached, or the DPD at a status change.
	DaysPastDue int `json:"days_past_due,omitempty"`
	// Amount is the fee assessed, or the payment reversed.
	Amount money.Amount `json:"amount,omitzero"`
	// Ref is the Seq of the payment reversed, or the installment charged a
	// late fee.
	Ref int64 `json:"ref,omitempty"`
}

// daysPastDue returns the DPD of two states of a loan. When both owe the
// same oldest installment with nothing credited to it, one delinquency
// evaluator answers for both dates.
func daysPastDue(before, after State) (int, int) {
	if before.NextInstallment == after.NextInstallment && before.DueOffset == after.DueOffset &&
		before.AsOf <= after.AsOf && after.NextInstallment <= after.Installments &&
		after.Status != StatusPending && after.Status != StatusChargedOff {
		// The usual day of a loan in good standing: its oldest unpaid
		// installment is not yet due on either date, so both are 0
		// without asking an evaluator.
		f := folder{s: after}
		if f.dueDate(after.NextInstallment) >= after.AsOf {
			return 0, 0
		}
	}
	same := before.NextInstallment == after.NextInstallment && before.DueOffset == after.DueOffset &&
		len(before.Partial) == 0 && len(after.Partial) == 0 && before.Status == after.Status &&
		before.Installments == after.Installments && before.AsOf <= after.AsOf
	if !same || after.Status != StatusDelinquent && after.Status != StatusDefault && after.Status != StatusNonAccrual {
		return before.DaysPastDue(), after.DaysPastDue()
	}
	f := folder{s: after}
	ev, err := f.evaluator(after.AsOf, 1)
	if err != nil || ev == nil {
		return before.DaysPastDue(), after.DaysPastDue()
	}
	return ev.DaysPastDue(before.AsOf), ev.DaysPastDue(after.AsOf)
}

// Diff lists the domain events between two states of a loan, before and
// after event e was folded, in a fixed order.
func Diff(before, after State, e Event) []DomainEvent {
	on := after.AsOf
	out := []DomainEvent{}
	if r, ok := e.Payload.(PaymentReversed); ok {
		out = append(out, DomainEvent{Type: DomainPaymentReversed, On: e.EffectiveOn, Ref: r.PaymentSeq, Amount: r.NSFFee})
	}
	if f, ok := e.Payload.(FeeAssessed); ok {
		out = append(out, DomainEvent{Type: DomainFeeAssessed, On: e.EffectiveOn, Amount: f.Amount})
	}
	if r, ok := e.Payload.(PaymentReversed); ok && r.NSFFee.IsPositive() {
		out = append(out, DomainEvent{Type: DomainFeeAssessed, On: e.EffectiveOn, Amount: r.NSFFee})
	}
	if after.LateFeesThrough > before.LateFeesThrough && before.Status != StatusPending {
		fee := after.LateFees.Sub(before.LateFees)
		if fee.IsPositive() {
			out = append(out, DomainEvent{Type: DomainFeeAssessed, On: on, Amount: fee, Ref: int64(after.LateFeesThrough)})
		}
	}
	b, a := daysPastDue(before, after)
	if after.Status == StatusChargedOff && before.Status != StatusChargedOff && after.NextInstallment <= after.Installments {
		// A charge-off on the ladder's threshold: the DPD it reached.
		f := folder{s: after}
		if due := f.dueDate(after.NextInstallment); due < after.ClosedOn {
			a = int(after.ClosedOn - due)
		}
	}
	if before.Status != after.Status && before.Status != StatusPending {
		out = append(out, DomainEvent{Type: DomainStatusChanged, On: on, From: before.Status, To: after.Status, DaysPastDue: a})
		switch after.Status {
		case StatusPaidOff:
			out = append(out, DomainEvent{Type: DomainPaidOff, On: after.ClosedOn})
		case StatusChargedOff:
			out = append(out, DomainEvent{Type: DomainChargedOff, On: after.ClosedOn, Amount: after.ChargedOff})
		case StatusCurrent:
			out = append(out, DomainEvent{Type: DomainDelinquencyCured, On: on})
		}
	}
	if before.DelinquentSince != after.DelinquentSince && after.DelinquentSince != 0 {
		b = 0 // a new episode reaches its milestones again
	}
	for _, m := range milestones {
		if b < m && m <= a && before.Status != StatusChargedOff {
			out = append(out, DomainEvent{Type: DomainMilestone, On: on, DaysPastDue: m})
		}
	}
	return out
}
