package payment

import (
	"fmt"
	"strings"
)

// String explains the rule, e.g. `rule 3 "past_due_principal" of order
// gse_mortgage (horizontal, oldest installment first)`.
func (r Rule) String() string {
	var walk string
	switch {
	case r.Via == ViaCurtail || r.Via == ViaReduceTerm:
		walk = "extra money " + string(r.Via) + ": principal from the last installment back"
	case r.Via == ViaRecast:
		walk = "extra money recast: principal spread over the remaining installments"
	case r.Bucket.Timing() == InAdvance:
		walk = string(r.Processing) + ", future installments by " + string(r.Future)
		if r.Via == ViaPayAhead {
			walk += ", paying ahead"
		}
	default:
		walk = string(r.Processing) + ", oldest installment first"
	}
	return fmt.Sprintf("rule %d %q of order %s (%s)", r.Step, r.Bucket, r.Order, walk)
}

// String explains the line, e.g. "150.00 → installment 2 interest due
// 2024-02-01 (past due): rule 1 ...".
func (l AllocationLine) String() string {
	var what string
	if l.Installment == 0 {
		what = fmt.Sprintf("%s assessed %s", l.Component, l.DueDate)
	} else {
		what = fmt.Sprintf("installment %d %s due %s", l.Installment, l.Component, l.DueDate)
	}
	if l.Ref != "" {
		what += " [" + l.Ref + "]"
	}
	return fmt.Sprintf("%s → %s (%s): %s", l.Amount, what, strings.ReplaceAll(string(l.Timing), "_", " "), l.Rule)
}

// String renders the whole allocation, one line per amount, then where the
// rest went and why.
func (a Allocation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s received %s", a.On, a.Type, a.Received)
	if a.SuspenseBefore.IsPositive() {
		fmt.Fprintf(&b, " + %s from suspense", a.SuspenseBefore)
	}
	b.WriteString("\n")
	for _, l := range a.Lines {
		b.WriteString("  " + l.String() + "\n")
	}
	held := fmt.Sprintf("installment %d needs %s in full", a.HeldInstallment, a.HeldNeed)
	if a.Suspense.IsPositive() {
		fmt.Fprintf(&b, "  %s → suspense: %s (partial policy %s)\n", a.Suspense, held, a.Partial)
	}
	if a.Returned.IsPositive() {
		fmt.Fprintf(&b, "  %s → returned: %s (partial policy %s)\n", a.Returned, held, a.Partial)
	}
	if a.Shortfall.IsPositive() {
		fmt.Fprintf(&b, "  %s shortfall accepted within tolerance, still owed\n", a.Shortfall)
	}
	if a.Credit.IsPositive() {
		fmt.Fprintf(&b, "  %s → credit balance: everything owed is paid\n", a.Credit)
	}
	if a.Extra.Method != "" {
		fmt.Fprintf(&b, "  extra money: %s, principal paid %s, principal now %s over %d future installments",
			a.Extra.Method, a.Extra.Principal, a.Extra.NewPrincipal, a.Extra.RemainingInstallments)
		if a.Extra.RecastNeeded {
			b.WriteString("; recast the payment")
		}
		b.WriteString("\n")
	}
	return b.String()
}
