package loan

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// EscrowMonth is one month of an escrow account's history: what the
// account was projected to receive and pay, and what it did (Reg X
// §1024.17(i)(1): the history of the past computation year, projected
// beside actual).
type EscrowMonth struct {
	// Month is the month's first day.
	Month date.Date `json:"month"`
	// ProjectedPayment is the escrow component of the installment due in
	// the month; ActualPayment what receipts paid to escrow in it
	// (repaying an advance included).
	ProjectedPayment money.Amount `json:"projected_payment"`
	ActualPayment    money.Amount `json:"actual_payment"`
	// ProjectedDisbursements are the items' bills of the month;
	// ActualDisbursements what was paid out for them (refunds apart).
	ProjectedDisbursements money.Amount `json:"projected_disbursements"`
	ActualDisbursements    money.Amount `json:"actual_disbursements"`
}

// EscrowStatement is the annual escrow account statement data (Reg X
// §1024.17(i)): the history of the twelve months before the analysis and
// the analysis of the coming computation year (its projection and trial
// balances), with the payment before and after and the reasons for a
// change.
type EscrowStatement struct {
	On date.Date `json:"on"`
	// Analysis is the coming year's (State.EscrowAnalysis); From the
	// installment it starts with.
	Analysis escrow.Result `json:"analysis"`
	From     int           `json:"from"`
	// PreviousPayment is the escrow payment in force before the analysis,
	// NewPayment the one EscrowOutcome puts in force from From.
	PreviousPayment money.Amount  `json:"previous_payment"`
	NewPayment      money.Amount  `json:"new_payment"`
	History         []EscrowMonth `json:"history"`
	// Reasons say why the payment changes, in words.
	Reasons []string `json:"reasons"`
}

// BuildEscrowStatement is the escrow statement of the loan whose log is
// evs on date on: the history of the twelve calendar months before on's
// month, from the fold's journal, and the analysis on on — or, for a loan
// paid off by then, the short-year statement: the history alone (From 0,
// no analysis) and the refund due.
func BuildEscrowStatement(terms Terms, evs []Event, on date.Date) (EscrowStatement, error) {
	l, err := ReplayLedger(terms, evs, on)
	if err != nil {
		return EscrowStatement{}, err
	}
	s := l.State
	z := money.Zero(terms.Currency())
	var st EscrowStatement
	var r escrow.Result
	var out EscrowAnalyzed
	if s.Status == StatusPaidOff && len(terms.EscrowItems) > 0 {
		// The short-year statement of a paid-off loan (§1024.17(i)(4)):
		// the history to the payoff, no coming year.
		st = EscrowStatement{On: on, PreviousPayment: s.escrowFor(s.Installments), NewPayment: z}
	} else {
		var from int
		if r, from, err = s.EscrowAnalysis(on); err != nil {
			return EscrowStatement{}, err
		}
		if out, err = EscrowOutcome(r, from); err != nil {
			return EscrowStatement{}, err
		}
		st = EscrowStatement{On: on, Analysis: r, From: from, PreviousPayment: s.escrowFor(from), NewPayment: out.Payment}
	}
	y, m, _ := on.Date()
	first := date.New(y-1, m, 1) // twelve months before on's month
	f := folder{s: s}
	for i := range 12 {
		start := date.New(first.Year(), first.Month()+time.Month(i), 1)
		if first.Month()+time.Month(i) > 12 {
			start = date.New(first.Year()+1, first.Month()+time.Month(i)-12, 1)
		}
		em := EscrowMonth{Month: start, ProjectedPayment: z, ActualPayment: z, ProjectedDisbursements: z, ActualDisbursements: z}
		for k := 1; k <= s.Installments; k++ {
			if d := f.dueDate(k); d.Year() == start.Year() && d.Month() == start.Month() {
				em.ProjectedPayment = em.ProjectedPayment.Add(s.escrowFor(k))
			}
		}
		for _, it := range terms.EscrowItems {
			if monthOf(start, it) != 0 {
				em.ProjectedDisbursements = em.ProjectedDisbursements.Add(it.Amount)
			}
		}
		st.History = append(st.History, em)
	}
	for _, tx := range l.Transactions {
		i := monthIndex(first, tx.Date)
		if i < 0 || i >= 12 || tx.Reversed {
			continue
		}
		h := &st.History[i]
		switch tx.Kind {
		case TransactionKind(KindEscrowDisbursed):
			h.ActualDisbursements = h.ActualDisbursements.Add(tx.Amount)
		case TransactionKind(KindPaymentReceived), TransactionSuspenseSweep:
			for _, ln := range tx.Lines {
				if ln.Component == AccountEscrow || ln.Component == AccountEscrowAdvance {
					h.ActualPayment = h.ActualPayment.Add(ln.Amount)
				}
			}
		}
	}
	if st.From == 0 {
		by, _ := s.EscrowRefundBy()
		st.Reasons = []string{fmt.Sprintf("short year: paid off on %s; the escrow balance %s is refunded by %s (Reg X 1024.34(b))", s.ClosedOn, s.Escrow, by)}
		return st, nil
	}
	st.Reasons = escrowReasons(st, r, out)
	return st, nil
}

// monthIndex is the number of calendar months from first's month to d's.
func monthIndex(first, d date.Date) int {
	return (d.Year()-first.Year())*12 + int(d.Month()) - int(first.Month())
}

// escrowReasons says why the escrow payment changes.
func escrowReasons(st EscrowStatement, r escrow.Result, out EscrowAnalyzed) []string {
	var rs []string
	if r.MonthlyPayment.Cmp(st.PreviousPayment) != 0 {
		rs = append(rs, fmt.Sprintf("projected disbursements of %s a year: %s a month, was %s", r.AnnualDisbursements, r.MonthlyPayment, st.PreviousPayment))
	}
	if r.Surplus.IsPositive() {
		if out.Refund.IsPositive() {
			rs = append(rs, fmt.Sprintf("a surplus of %s, refunded (Reg X 1024.17(f)(2)(i))", r.Surplus))
		} else if out.Payment.LessThan(r.MonthlyPayment) {
			rs = append(rs, fmt.Sprintf("a surplus of %s, credited against this year's payments", r.Surplus))
		} else {
			rs = append(rs, fmt.Sprintf("a surplus of %s, retained: the loan is not current", r.Surplus))
		}
	}
	if r.Shortage.IsPositive() {
		rs = append(rs, fmt.Sprintf("a shortage of %s, spread over 12 months (Reg X 1024.17(f)(3))", r.Shortage))
	}
	if r.Deficiency.IsPositive() {
		rs = append(rs, fmt.Sprintf("a deficiency of %s, spread over 12 months (Reg X 1024.17(f)(4))", r.Deficiency))
	}
	if len(rs) == 0 {
		rs = append(rs, "no change")
	}
	return rs
}
