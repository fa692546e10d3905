package delinquency

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// MaxHolds is the largest number of status holds a Loan may hold.
const MaxHolds = 100

// StatusHold is a half-open period [From, To) in which the status ladder
// does not climb above Cap: a payment arrangement kept by the borrower,
// say, during which the servicer agreed not to move the loan to a worse
// collections status. DPD still counts every day (a hold is not a pause:
// the borrower still owes what fell due, and Reg X §1024.31 delinquency
// is a fact, not a status); only the rung is capped. When the hold ends,
// early because the plan broke or at its end, the ladder resumes on To
// from the DPD of that day.
//
// The hold caps the collections rungs (delinquent, default) only.
// Non-accrual and charge-off are accounting classifications (FFIEC
// Uniform Retail Credit Classification, 65 FR 36903: charge-off at 120
// or 180 DPD) that a collections agreement does not suspend, so a held
// loan still reaches them on their thresholds.
type StatusHold struct {
	// From is the first held day; To the first day after the hold.
	From date.Date `json:"from"`
	To   date.Date `json:"to"`
	// Cap is the worst rung while held: current, delinquent or default
	// (typically the status on From).
	Cap Status `json:"cap"`
}

// HeldRung returns the rung dpd days past due reach on day t ([Rung]),
// capped by the holds in force on t (the lowest cap wins when several
// overlap). Non-accrual is never capped (see [StatusHold]).
func (sp StatusPolicy) HeldRung(dpd int, t date.Date, holds []StatusHold) Status {
	r := sp.Rung(dpd)
	if r == StatusNonAccrual {
		return r
	}
	return heldCap(r, t, holds)
}

// CollectionsRung returns the collections rung (current, delinquent or
// default) dpd days past due reach on day t, capped by the holds in force
// on t. It leaves non-accrual out: a servicer enters that classification
// on its own day and keeps it until the loan is brought current, so what
// a hold caps, and what a new hold's Cap starts from, is the collections
// rung beneath it.
func (sp StatusPolicy) CollectionsRung(dpd int, t date.Date, holds []StatusHold) Status {
	r := StatusCurrent
	switch {
	case dpd >= sp.DefaultDays:
		r = StatusDefault
	case dpd >= sp.DelinquentDays:
		r = StatusDelinquent
	}
	return heldCap(r, t, holds)
}

// Released returns the first day on or after t on which no hold caps rung
// r: t itself when none in force on t caps it, else the end of the hold
// that does (followed through holds that overlap it). Non-accrual is
// never capped. A servicer that moves a loan up the ladder on the day DPD
// reaches a rung moves a held one on this day instead.
func Released(r Status, t date.Date, holds []StatusHold) date.Date {
	if r == StatusNonAccrual {
		return t
	}
	for moved := true; moved; {
		moved = false
		for _, h := range holds {
			if h.From <= t && t < h.To && h.Cap.rank() < r.rank() {
				t, moved = h.To, true
			}
		}
	}
	return t
}

// heldCap is r under the lowest cap of the holds in force on t.
func heldCap(r Status, t date.Date, holds []StatusHold) Status {
	for _, h := range holds {
		if h.From <= t && t < h.To && h.Cap.rank() < r.rank() {
			r = h.Cap
		}
	}
	return r
}

func validateHolds(l *field.List, holds []StatusHold) {
	if len(holds) > MaxHolds {
		l.Add("Loan.Holds", len(holds), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxHolds))
		return
	}
	p := pathOf("Loan", ".Holds")
	for i, h := range holds {
		hp := p.index(i)
		checkDateAt(l, hp, "From", h.From)
		checkDateAt(l, hp, "To", h.To)
		if h.To <= h.From {
			l.Add(hp.dot("To"), h.To, field.ErrInvalid, "must be after From")
		}
		switch h.Cap {
		case StatusCurrent, StatusDelinquent, StatusDefault:
		default:
			l.Add(hp.dot("Cap"), string(h.Cap), notSet(h.Cap == ""), "current, delinquent or default")
		}
	}
}
