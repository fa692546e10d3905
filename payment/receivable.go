package payment

import (
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Component is the kind of money a receivable is owed for.
type Component string

// The five components. Principal, interest and escrow make up a periodic
// payment (Reg Z §1026.36(c)(1)(i)); fees and late charges (penalties) do not.
const (
	Principal Component = "principal"
	Interest  Component = "interest"
	Escrow    Component = "escrow"
	Fee       Component = "fee"
	Penalty   Component = "penalty"
)

// component codes, used internally; the order is only an index.
const (
	cPenalty uint8 = iota
	cFee
	cInterest
	cPrincipal
	cEscrow
	nComponents
)

var componentNames = [nComponents]Component{Penalty, Fee, Interest, Principal, Escrow}

func componentCode(c Component) (uint8, bool) {
	switch c {
	case Penalty:
		return cPenalty, true
	case Fee:
		return cFee, true
	case Interest:
		return cInterest, true
	case Principal:
		return cPrincipal, true
	case Escrow:
		return cEscrow, true
	}
	return 0, false
}

// Valid reports whether c is one of the five components.
func (c Component) Valid() bool { _, ok := componentCode(c); return ok }

// Periodic reports whether c is part of a periodic payment (principal,
// interest or escrow).
func (c Component) Periodic() bool { return c == Principal || c == Interest || c == Escrow }

func periodicCode(c uint8) bool { return c == cInterest || c == cPrincipal || c == cEscrow }

// Timing says where a receivable stands on a date: past due, due, or not yet
// due (in advance). See [Receivable.TimingOn] for the exact definition.
type Timing string

// The three timings.
const (
	PastDue   Timing = "past_due"
	Due       Timing = "due"
	InAdvance Timing = "in_advance"
)

const (
	tPastDue uint8 = iota
	tDue
	tInAdvance
	nTimings
)

var timingNames = [nTimings]Timing{PastDue, Due, InAdvance}

// Receivable is one open item: what is still owed for one component of one
// installment, or a stand-alone charge such as an NSF fee.
//
// A loan's receivables should list every installment of the remaining
// schedule, including installments already paid (with a zero Open) and the
// principal of future installments: the paid ones fix which cycle is current
// (see [CycleDueDate]) and the future principal is what extra money and a
// payoff pay down.
type Receivable struct {
	// Installment is the 1-based installment number the item belongs to.
	// Zero marks a stand-alone charge that belongs to no installment (an NSF
	// fee, an escrow advance, interest accrued to a payoff date); a
	// stand-alone item may not be principal.
	Installment int `json:"installment"`
	// Component is what the item is owed for.
	Component Component `json:"component"`
	// DueDate is the date the item falls due (for a stand-alone charge, the
	// date it was assessed).
	DueDate date.Date `json:"due_date"`
	// Open is the amount still owed, ≥ 0. Zero means paid.
	Open money.Amount `json:"open"`
	// Ref is an optional host reference (a fee id), echoed in the trace.
	Ref string `json:"ref,omitempty"`
}

// CycleDueDate returns the due date of the current cycle on date on: the
// earliest due date on or after on among the installments' periodic items
// (Installment > 0; principal, interest, escrow) of rs, paid or not. A fee
// or penalty owed with an installment keeps its own due date, which never
// makes a cycle: a charge due inside a period leaves that period's
// installment the current one (Fineract bills a charge with the
// installment whose period holds its due date). ok is false when every
// installment fell due before on (the loan is past maturity).
func CycleDueDate(rs []Receivable, on date.Date) (cycle date.Date, ok bool) {
	for i := range rs {
		d := rs[i].DueDate
		if rs[i].Installment > 0 && rs[i].Component.Periodic() && d >= on && (!ok || d < cycle) {
			cycle, ok = d, true
		}
	}
	return cycle, ok
}

// TimingOn classifies r on date on, given the current cycle's due date
// (from [CycleDueDate]; pass on itself when there is none):
//
//   - past due: DueDate < on (the due date has passed; a payment on the due
//     date itself is on time);
//   - due: on ≤ DueDate ≤ cycle (it falls due within the current cycle);
//   - in advance: DueDate > cycle (a later cycle).
//
// With contiguous periods this is Fineract's definition: the installment
// whose period (previous due date, due date] contains on is the due one.
func (r Receivable) TimingOn(on, cycle date.Date) Timing {
	return timingNames[timingCode(r.DueDate, on, cycle)]
}

func timingCode(d, on, cycle date.Date) uint8 {
	switch {
	case d < on:
		return tPastDue
	case d <= cycle:
		return tDue
	}
	return tInAdvance
}
