package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
)

// monthEnds is the last day of every simulated month through asOf, oldest
// first.
func monthEnds(asOf date.Date) []date.Date {
	var out []date.Date
	for i := 1; ; i++ {
		d := endDate(i) - 1
		if d > asOf {
			return out
		}
		out = append(out, d)
	}
}

// snapshots reads the portfolio on each of the dates from the store: every
// loan funded by then, as the log stands now. The loans are read on the
// configured number of goroutines, each loan's log once for all the dates
// (Engine.StatesOn). Dates on which no loan is funded yet are left out.
func (s *sim) snapshots(ctx context.Context, dates []date.Date) ([]report.Snapshot, error) {
	states := make([][]loan.State, len(dates))
	for i := range states {
		states[i] = make([]loan.State, len(s.loans))
	}
	last := slices.Max(dates)
	err := s.parallel(ctx, func(ctx context.Context, l *plannedLoan) error {
		if l.terms.FundingDate > last {
			return nil // boarded on its funding date: not yet
		}
		sts, err := s.eng.StatesOn(ctx, l.id, dates, time.Time{})
		if err != nil {
			return fmt.Errorf("states: %w", err)
		}
		for i, st := range sts {
			if st.Status != loan.StatusPending {
				states[i][l.index] = st
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []report.Snapshot
	for i, d := range dates {
		sn := report.Snapshot{On: d, States: map[string]loan.State{}}
		for _, l := range s.loans {
			if st := states[i][l.index]; st.Status != "" {
				sn.States[string(l.id)] = st
			}
		}
		if len(sn.States) > 0 {
			out = append(out, sn)
		}
	}
	return out, nil
}

// portfolioReport is what the HTML report shows, computed from the
// month-end snapshots and one loan's history.
type portfolioReport struct {
	// Planned is the loans of the simulation, Loans those funded by To
	// and Funded their principal.
	Planned, Loans int
	Seed           uint64
	From, To       date.Date
	Funded         money.Amount
	// End is the last snapshot's aging; Closed counts the loans paid off
	// and charged off by then.
	End              report.Aging
	PaidOff, Charged int

	Aging    []agingPoint
	Roll     rollMatrix
	Periods  []report.PeriodPerformance
	Vintages []report.Vintage
	Showcase *amortization
}

// agingPoint is the aging on one month end.
type agingPoint struct {
	On    date.Date
	Aging report.Aging
}

// rollMatrix is the roll-rate matrix summed over every pair of consecutive
// month ends: Counts[i][j] loans were in From[i] at one month end and in
// To[j] at the next.
type rollMatrix struct {
	From, To []string
	Counts   [][]int
}

// rowTotal is the loans observed in From[i].
func (m rollMatrix) rowTotal(i int) int {
	n := 0
	for _, c := range m.Counts[i] {
		n += c
	}
	return n
}

// share is Counts[i][j] as a percentage of its row; false for an empty
// row.
func (m rollMatrix) share(i, j int) (float64, bool) {
	n := m.rowTotal(i)
	if n == 0 {
		return 0, false
	}
	return 100 * float64(m.Counts[i][j]) / float64(n), true
}

// buildReport computes the report's figures from the snapshots (month ends,
// oldest first).
func buildReport(series []report.Snapshot) (portfolioReport, error) {
	var r portfolioReport
	if len(series) == 0 {
		return r, fmt.Errorf("no loan is funded on any month end")
	}
	r.From, r.To = series[0].On, series[len(series)-1].On
	for _, sn := range series {
		a, err := report.AgingOf(states(sn))
		if err != nil {
			return r, fmt.Errorf("aging on %s: %w", sn.On, err)
		}
		r.Aging = append(r.Aging, agingPoint{On: sn.On, Aging: a})
	}
	r.End = r.Aging[len(r.Aging)-1].Aging
	last := series[len(series)-1]
	r.Funded = money.Zero(r.End.UPB.Currency())
	for _, st := range last.States {
		r.Funded = r.Funded.Add(st.Terms.Principal)
		switch st.Status {
		case loan.StatusPaidOff:
			r.PaidOff++
		case loan.StatusChargedOff:
			r.Charged++
		}
	}
	r.Loans = len(last.States)
	var err error
	if r.Roll, err = sumRolls(series); err != nil {
		return r, err
	}
	for i := 1; i < len(series); i++ {
		p, err := report.Performance(series[i-1], series[i])
		if err != nil {
			return r, fmt.Errorf("performance to %s: %w", series[i].On, err)
		}
		r.Periods = append(r.Periods, p)
	}
	if r.Vintages, err = report.Vintages(series); err != nil {
		return r, fmt.Errorf("vintages: %w", err)
	}
	return r, nil
}

// sumRolls adds up report.RollRates over consecutive month ends; the rows
// are the open buckets, the columns the buckets and the two closed
// categories, in the order RollRates gives them.
func sumRolls(series []report.Snapshot) (rollMatrix, error) {
	var m rollMatrix
	for i := 1; i < len(series); i++ {
		rr, err := report.RollRates(series[i-1].States, series[i].States)
		if err != nil {
			return m, fmt.Errorf("roll rates to %s: %w", series[i].On, err)
		}
		for _, b := range rr.Buckets {
			if !slices.Contains(m.To, b) {
				m.To = append(m.To, b)
				if b != report.PaidOff && b != report.ChargedOff {
					m.From = append(m.From, b)
				}
			}
		}
		for len(m.Counts) < len(m.From) {
			m.Counts = append(m.Counts, nil)
		}
		for k := range m.Counts {
			for len(m.Counts[k]) < len(m.To) {
				m.Counts[k] = append(m.Counts[k], 0)
			}
		}
		for a, from := range rr.Buckets {
			for b, to := range rr.Buckets {
				if n := rr.Counts[a][b]; n > 0 {
					m.Counts[slices.Index(m.From, from)][slices.Index(m.To, to)] += n
				}
			}
		}
	}
	// The closed categories last, after every bucket.
	order := slices.Clone(m.To)
	slices.SortStableFunc(order, func(a, b string) int { return closedRank(a) - closedRank(b) })
	counts := make([][]int, len(m.From))
	for i := range counts {
		counts[i] = make([]int, len(order))
		for j, to := range order {
			counts[i][j] = m.Counts[i][slices.Index(m.To, to)]
		}
	}
	m.To, m.Counts = order, counts
	return m, nil
}

func closedRank(b string) int {
	switch b {
	case report.PaidOff:
		return 1
	case report.ChargedOff:
		return 2
	}
	return 0
}

func states(sn report.Snapshot) []loan.State {
	ids := make([]string, 0, len(sn.States))
	for id := range sn.States {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]loan.State, len(ids))
	for i, id := range ids {
		out[i] = sn.States[id]
	}
	return out
}

// amortization is one loan's installments as paid: principal, interest and
// fees received per installment (money beyond the installment, paid ahead
// or curtailing, under the installment next due when it came), the
// balance on each due date, and the balance the schedule expected.
type amortization struct {
	ID        servicing.LoanID
	Product   string
	Behaviour string
	Principal money.Amount
	Rate      string
	Rows      []amortRow
}

// amortRow is one installment.
type amortRow struct {
	N                                int
	Due                              date.Date
	Principal, Extra, Interest, Fees money.Amount
	Balance, ScheduledBalance        money.Amount
}

// amortizationOf reads l's history through asOf: what its payments paid
// per installment, its balance on each due date through asOf, and the
// balance amortize's table expected.
func (s *sim) amortizationOf(ctx context.Context, l *plannedLoan, asOf date.Date) (*amortization, error) {
	tb, err := amortize.Compute(l.terms.Terms)
	if err != nil {
		return nil, err
	}
	z := money.Zero(l.terms.Currency())
	a := &amortization{ID: l.id, Product: l.product.String(), Behaviour: behaviourNames[l.behaves],
		Principal: l.terms.Principal, Rate: l.terms.AnnualRate.String()}
	for _, row := range tb.Rows {
		if row.DueDate > asOf {
			break
		}
		a.Rows = append(a.Rows, amortRow{N: row.N, Due: row.DueDate, Principal: z, Extra: z, Interest: z, Fees: z,
			Balance: z, ScheduledBalance: row.Balance})
	}
	if len(a.Rows) == 0 {
		return a, nil
	}
	h, err := s.eng.History(ctx, l.id, asOf)
	if err != nil {
		return nil, err
	}
	// at is the row of installment n, or of the installment next due on d
	// for money not tied to one.
	at := func(n int, d date.Date) *amortRow {
		if n < 1 {
			n = 1
			for n < len(a.Rows) && a.Rows[n-1].Due < d {
				n++
			}
		}
		return &a.Rows[min(n, len(a.Rows))-1]
	}
	for _, t := range h.Transactions {
		if t.Kind != loan.TransactionKind(loan.KindPaymentReceived) || t.Reversed {
			continue
		}
		for _, ln := range t.Lines {
			switch {
			case ln.Component == "principal" && strings.HasPrefix(ln.Bucket, "in_advance"):
				r := at(0, t.Date)
				r.Extra = r.Extra.Add(ln.Amount)
			case ln.Component == "principal":
				r := at(ln.Installment, t.Date)
				r.Principal = r.Principal.Add(ln.Amount)
			case ln.Component == "interest":
				r := at(ln.Installment, t.Date)
				r.Interest = r.Interest.Add(ln.Amount)
			case strings.Contains(string(ln.Component), "fee") || ln.Component == "penalty":
				r := at(0, t.Date)
				r.Fees = r.Fees.Add(ln.Amount)
			}
		}
	}
	dues := make([]date.Date, len(a.Rows))
	for i := range a.Rows {
		dues[i] = a.Rows[i].Due
	}
	sts, err := s.eng.StatesOn(ctx, l.id, dues, time.Time{})
	if err != nil {
		return nil, err
	}
	for i := range a.Rows {
		a.Rows[i].Balance = sts[i].Principal
	}
	return a, nil
}
