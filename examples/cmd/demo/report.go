package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
)

// report prints the portfolio summary, the delinquency aging, one loan's
// statement for its last cycle and one payment's allocation trace, all read
// back from the store on asOf. Loans funded after asOf are counted apart
// (they are not boarded yet). It returns the loan whose statement it
// printed (nil: none is funded).
func (s *sim) report(ctx context.Context, asOf date.Date) (*plannedLoan, error) {
	states, err := s.statesOn(ctx, asOf)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	w := s.cfg.out
	fprintf(w, "\nPORTFOLIO on %s (%d loans, seed %d)\n\n", asOf, len(s.loans), s.cfg.seed)
	s.summary(w, states)
	fprintf(w, "\nDELINQUENCY AGING on %s: open loans by bucket (days past due)\n\n", asOf)
	s.aging(w, states)
	if len(s.counts) > 0 {
		var parts []string
		for _, k := range [][2]string{{"boarding", "boarding"}, {"payment", "payment"}, {"partial payment", "partial"},
			{"NSF reversal", "NSF"}, {"payoff", "payoff"}, {"charge-off", "charge-off"}} {
			parts = append(parts, fmt.Sprintf("%s %d", k[1], s.counts[k[0]]))
		}
		fprintf(s.cfg.progress, "demo: commands this run: %s\n", strings.Join(parts, ", "))
	}
	l := s.showcase(states)
	if l == nil {
		return nil, nil
	}
	return l, s.statement(ctx, w, l, states[l.index])
}

// statesOn reads every boarded loan's state on d from the store, indexed as
// s.loans; a loan funded after d has the zero State.
func (s *sim) statesOn(ctx context.Context, d date.Date) ([]loan.State, error) {
	states := make([]loan.State, len(s.loans))
	err := s.parallel(ctx, func(ctx context.Context, l *plannedLoan) error {
		if l.terms.FundingDate > d {
			return nil
		}
		st, err := s.eng.State(ctx, l.id, d)
		states[l.index] = st
		return err
	})
	return states, err
}

// summary prints two tables per product and in all: the loans by status
// with their unpaid principal, and the money paid and lost.
func (s *sim) summary(w io.Writer, states []loan.State) {
	type row struct {
		loans, unfunded, open, paidOff, chargedOff            int
		upb, funded, principal, interest, fees, co, recovered money.Amount
	}
	rows := make([]row, 4)
	for i := range rows {
		z := money.Zero(money.USD)
		rows[i] = row{upb: z, funded: z, principal: z, interest: z, fees: z, co: z, recovered: z}
	}
	for _, l := range s.loans {
		st := states[l.index]
		for _, r := range []*row{&rows[l.product], &rows[3]} {
			r.loans++
			switch st.Status {
			case "":
				r.unfunded++
				continue
			case loan.StatusPaidOff:
				r.paidOff++
			case loan.StatusChargedOff:
				r.chargedOff++
			default:
				r.open++
				r.upb = r.upb.Add(st.Principal)
			}
			r.funded = r.funded.Add(l.terms.Principal)
			r.principal = r.principal.Add(st.PaidPrincipal)
			r.interest = r.interest.Add(st.PaidInterest)
			r.fees = r.fees.Add(st.PaidFees)
			r.co = r.co.Add(st.ChargedOff)
			r.recovered = r.recovered.Add(st.Recovered)
		}
	}
	name := func(i int) string {
		if i < 3 {
			return product(i).String()
		}
		return "total"
	}
	loans := table{header: []string{"product", "loans", "not funded", "open", "paid off", "charged off", "funded USD", "UPB USD"}}
	paid := table{header: []string{"product", "principal paid", "interest paid", "fees paid", "charged off USD", "recovered USD"}}
	for i, r := range rows {
		loans.add(name(i), fmt.Sprint(r.loans), fmt.Sprint(r.unfunded), fmt.Sprint(r.open), fmt.Sprint(r.paidOff),
			fmt.Sprint(r.chargedOff), usd(r.funded), usd(r.upb))
		paid.add(name(i), usd(r.principal), usd(r.interest), usd(r.fees), usd(r.co), usd(r.recovered))
	}
	loans.write(w)
	fprintln(w)
	fprintln(w, "Paid and lost since funding, USD:")
	fprintln(w)
	paid.write(w)
}

// aging prints the delinquency aging of the open loans, per product and in
// all (report.AgingOf: each loan in the bucket its own delinquency policy
// puts it in), one row per bucket: a table of loans, then one of unpaid
// principal.
func (s *sim) aging(w io.Writer, states []loan.State) {
	groups := make([][]loan.State, 4)
	for _, l := range s.loans {
		st := states[l.index]
		if st.Status == "" {
			continue // not funded yet
		}
		groups[l.product] = append(groups[l.product], st)
		groups[3] = append(groups[3], st)
	}
	agings := make([]report.Aging, len(groups))
	for p, g := range groups {
		if len(g) == 0 {
			continue
		}
		a, err := report.AgingOf(g)
		if err != nil {
			fprintf(w, "aging: %v\n", err)
			return
		}
		agings[p] = a
	}
	header := []string{"bucket"}
	for p := range groups {
		if p < 3 {
			header = append(header, product(p).String())
		} else {
			header = append(header, "total")
		}
	}
	counts := table{header: slices.Clone(header)}
	counts.header[0] = "bucket (loans)"
	upb := table{header: slices.Clone(header)}
	upb.header[0] = "bucket (UPB USD)"
	for _, bk := range agings[3].Buckets {
		c, u := []string{bk.Name}, []string{bk.Name}
		for _, a := range agings {
			i := slices.IndexFunc(a.Buckets, func(x report.AgingRow) bool { return x.Name == bk.Name })
			if i < 0 {
				c, u = append(c, "0"), append(u, "0.00")
				continue
			}
			c, u = append(c, fmt.Sprint(a.Buckets[i].Count)), append(u, usd(a.Buckets[i].UPB))
		}
		counts.add(c...)
		upb.add(u...)
	}
	counts.write(w)
	fprintln(w)
	upb.write(w)
}

// table is a terminal table: a header naming every column, then rows of as
// many cells. align gives each column's alignment, 'l' or 'r' (empty: the
// first column left, the others right).
type table struct {
	header []string
	align  string
	rows   [][]string
}

func (t *table) add(cells ...string) {
	if len(cells) != len(t.header) {
		panic(fmt.Sprintf("table row of %d cells under %d headers", len(cells), len(t.header)))
	}
	t.rows = append(t.rows, cells)
}

// write prints the table, columns two spaces apart, indented by two.
func (t *table) write(w io.Writer) {
	widths := make([]int, len(t.header))
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range append([][]string{t.header}, t.rows...) {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if left := i == 0 && t.align == "" || i < len(t.align) && t.align[i] == 'l'; left {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// showcase is the loan whose statement and trace the report prints: the one
// named by -loan, else the first open NSF-prone auto loan, else the first
// funded loan (nil: none is funded yet).
func (s *sim) showcase(states []loan.State) *plannedLoan {
	for _, l := range s.loans {
		if s.cfg.loan != "" && string(l.id) == s.cfg.loan && states[l.index].Status != "" {
			return l
		}
	}
	for _, l := range s.loans {
		if st := states[l.index].Status; l.behaves == nsf && l.product == auto && st != "" && st != loan.StatusPaidOff {
			return l
		}
	}
	for _, l := range s.loans {
		if states[l.index].Status != "" {
			return l
		}
	}
	return nil
}

// statement prints l's periodic statement for its last complete billing
// cycle (the due date on or before asOf back to the one before it) and the
// allocation trace of the cycle's last payment.
func (s *sim) statement(ctx context.Context, w io.Writer, l *plannedLoan, st loan.State) error {
	asOf := st.AsOf
	k := 1
	for k < l.terms.Installments && l.dueDate(k+1) <= asOf {
		k++
	}
	from, to := l.terms.FundingDate, l.dueDate(k)
	if k > 1 {
		from = l.dueDate(k - 1)
	}
	stmt, err := s.eng.Statement(ctx, l.id, from, to)
	if err != nil {
		return fmt.Errorf("statement of %s: %w", l.id, err)
	}
	fprintf(w, "\nPERIODIC STATEMENT  %s, cycle %s to %s\n", l.id, from, to-1)
	fprintf(w, "(%s, %s borrower, %s USD at %s)\n\n", l.product, behaviourNames[l.behaves], usd(l.terms.Principal), l.terms.AnnualRate)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(k, v string) { fprintf(tw, "  %s\t%s\n", k, v) }
	line("Amount due", fmt.Sprintf("%s by %s", usd(stmt.AmountDue), stmt.DueDate))
	if stmt.LateFee.IsPositive() {
		line("Late fee", fmt.Sprintf("%s if received after %s", usd(stmt.LateFee), stmt.LateFeeAppliesOn-1))
	}
	line("Payment breakdown", breakdown(stmt.Payment))
	line("Past due", usd(stmt.PastDue))
	line("Fees since last statement", usd(stmt.FeesSinceLast))
	line("Paid this cycle", breakdown(stmt.PaidSinceLast))
	line("Paid year to date", breakdown(stmt.PaidYTD))
	line("Suspense", usd(stmt.Suspense))
	line("Outstanding principal", usd(stmt.Principal))
	line("Interest rate", stmt.Rate)
	if stmt.DaysPastDue > 0 {
		line("Days past due", fmt.Sprint(stmt.DaysPastDue))
		line("To bring current", usd(stmt.ToBringCurrent))
	}
	_ = tw.Flush()
	if len(stmt.Transactions) == 0 {
		fprintln(w, "\nTransactions this cycle: none")
	} else {
		fprintln(w, "\nTransactions this cycle:")
		fprintln(w)
	}
	txs := table{header: []string{"date", "event", "kind", "amount USD", "note"}, align: "lllrl"}
	for _, t := range stmt.Transactions {
		note := "-"
		switch {
		case t.Reversed:
			note = "reversed"
		case t.Reverses != 0:
			note = fmt.Sprintf("reverses #%d", t.Reverses)
		}
		txs.add(t.Date.String(), fmt.Sprintf("#%d", t.Seq), string(t.Kind), usd(t.Amount), note)
	}
	if len(txs.rows) > 0 {
		txs.write(w)
	}
	// The trace: the loan's latest payment that stands (not reversed), as
	// the whole log tells it.
	h, err := s.eng.History(ctx, l.id, asOf)
	if err != nil {
		return fmt.Errorf("history of %s: %w", l.id, err)
	}
	var trace, reversed int64
	for _, t := range h.Transactions {
		if t.Kind != loan.TransactionKind(loan.KindPaymentReceived) || t.Seq == 0 {
			continue
		}
		if t.Reversed {
			reversed = t.Seq
		} else if len(t.Lines) > 0 {
			trace = t.Seq
		}
	}
	if trace == 0 {
		trace = reversed // a reversed payment: its trace says so
	}
	if trace == 0 {
		return nil
	}
	t, err := s.eng.AllocationTrace(ctx, l.id, trace)
	if err != nil {
		return fmt.Errorf("allocation trace of %s #%d: %w", l.id, trace, err)
	}
	fprintf(w, "\nALLOCATION TRACE  %s payment #%d of %s USD received %s\n\n", l.id, t.Seq, usd(t.Amount), t.Date)
	if t.Reversed {
		fprintln(w, "  reversed: the payment's effects are gone (no lines)")
	}
	// A rule reads `rule 5 "past_due_interest" of order consumer (vertical,
	// ...)`: the order, the same for most lines, is given once below the
	// table and referred to by number, so the table stays narrow.
	lines := table{header: []string{"installment", "component", "amount USD", "rule", "order"}, align: "rlrll"}
	var orders []string
	for _, ln := range t.Lines {
		inst := "-"
		if ln.Installment > 0 {
			inst = fmt.Sprint(ln.Installment)
		}
		rule, order, ok := strings.Cut(ln.Rule, " of order ")
		ref := "-"
		if ok {
			i := slices.Index(orders, order)
			if i < 0 {
				orders = append(orders, order)
				i = len(orders) - 1
			}
			ref = fmt.Sprintf("[%d]", i+1)
		}
		lines.add(inst, string(ln.Component), usd(ln.Amount), rule, ref)
	}
	lines.write(w)
	if len(orders) > 0 {
		fprintln(w)
	}
	for i, o := range orders {
		fprintf(w, "  [%d] order %s\n", i+1, o)
	}
	return nil
}

func breakdown(b loan.Breakdown) string {
	parts := []string{"principal " + usd(b.Principal), "interest " + usd(b.Interest)}
	if !b.Escrow.IsZero() {
		parts = append(parts, "escrow "+usd(b.Escrow))
	}
	if !b.Fees.IsZero() {
		parts = append(parts, "fees "+usd(b.Fees))
	}
	if !b.Suspense.IsZero() {
		parts = append(parts, "suspense "+usd(b.Suspense))
	}
	return strings.Join(parts, ", ")
}

// usd formats an amount with thousands separators: 1,234,567.89.
func usd(a money.Amount) string {
	s := a.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
