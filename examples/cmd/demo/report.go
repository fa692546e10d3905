package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
)

// report prints the portfolio summary, the delinquency aging, one loan's
// statement for its last cycle and one payment's allocation trace, all read
// back from the store on asOf.
func (s *sim) report(ctx context.Context, asOf date.Date) error {
	states := make([]loan.State, len(s.loans))
	err := s.parallel(ctx, func(ctx context.Context, l *plannedLoan) error {
		st, err := s.eng.State(ctx, l.id, asOf)
		states[l.index] = st
		return err
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	w := s.cfg.out
	fmt.Fprintf(w, "\nPORTFOLIO on %s (%d loans, seed %d)\n\n", asOf, len(s.loans), s.cfg.seed)
	s.summary(w, states)
	fmt.Fprintf(w, "\nDELINQUENCY AGING on %s (open loans; count and unpaid principal)\n\n", asOf)
	s.aging(w, states)
	if len(s.counts) > 0 {
		fmt.Fprintf(s.cfg.progress, "demo: commands this run:")
		for _, k := range []string{"payment", "partial payment", "NSF reversal", "payoff", "charge-off"} {
			fmt.Fprintf(s.cfg.progress, "  %s %d", k, s.counts[k])
		}
		fmt.Fprintln(s.cfg.progress)
	}
	l := s.showcase(states)
	if l == nil {
		return nil
	}
	return s.statement(ctx, w, l, states[l.index])
}

func (s *sim) summary(w io.Writer, states []loan.State) {
	type row struct {
		loans, open, paidOff, chargedOff                      int
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
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "product\tloans\topen\tpaid off\tcharged off\tfunded\tUPB\tprincipal paid\tinterest paid\tfees paid\tcharged off $\t")
	for i, r := range rows {
		name := "total"
		if i < 3 {
			name = product(i).String()
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", name, r.loans, r.open, r.paidOff, r.chargedOff,
			usd(r.funded), usd(r.upb), usd(r.principal), usd(r.interest), usd(r.fees), usd(r.co))
	}
	_ = tw.Flush()
}

// aging prints the delinquency aging of the open loans, per product and in
// all (report.AgingOf: each loan in the bucket its own delinquency policy
// puts it in), one row per bucket: loans and unpaid principal.
func (s *sim) aging(w io.Writer, states []loan.State) {
	groups := make([][]loan.State, 4)
	for _, l := range s.loans {
		st := states[l.index]
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
			fmt.Fprintf(w, "aging: %v\n", err)
			return
		}
		agings[p] = a
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "bucket\t")
	for p := range groups {
		name := "total"
		if p < 3 {
			name = product(p).String()
		}
		fmt.Fprintf(tw, "%s loans\t%s UPB\t", name, name)
	}
	fmt.Fprintln(tw)
	for _, bk := range agings[3].Buckets {
		fmt.Fprintf(tw, "%s\t", bk.Name)
		for _, a := range agings {
			i := slices.IndexFunc(a.Buckets, func(x report.Bucket) bool { return x.Name == bk.Name })
			if i < 0 {
				fmt.Fprint(tw, "0\t-\t")
				continue
			}
			fmt.Fprintf(tw, "%d\t%s\t", a.Buckets[i].Count, usd(a.Buckets[i].UPB))
		}
		fmt.Fprintln(tw)
	}
	_ = tw.Flush()
}

// showcase is the loan whose statement and trace the report prints: the one
// named by -loan, else the first open NSF-prone auto loan, else the first
// loan.
func (s *sim) showcase(states []loan.State) *plannedLoan {
	for _, l := range s.loans {
		if s.cfg.loan != "" && string(l.id) == s.cfg.loan {
			return l
		}
	}
	for _, l := range s.loans {
		if l.behaves == nsf && l.product == auto && states[l.index].Status != loan.StatusPaidOff {
			return l
		}
	}
	if len(s.loans) == 0 {
		return nil
	}
	return s.loans[0]
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
	fmt.Fprintf(w, "\nPERIODIC STATEMENT  %s (%s, %s borrower, %s at %s)  cycle %s to %s\n\n",
		l.id, l.product, behaviourNames[l.behaves], usd(l.terms.Principal), l.terms.AnnualRate, from, to-1)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(k, v string) { fmt.Fprintf(tw, "  %s\t%s\n", k, v) }
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
	fmt.Fprintln(w, "\n  Transactions this cycle:")
	for _, t := range stmt.Transactions {
		note := ""
		switch {
		case t.Reversed:
			note = "  (reversed)"
		case t.Reverses != 0:
			note = fmt.Sprintf("  (reverses #%d)", t.Reverses)
		}
		fmt.Fprintf(w, "    %s  #%-4d %-18s %12s%s\n", t.Date, t.Seq, t.Kind, usd(t.Amount), note)
	}
	// The trace: the loan's latest payment that stands (not reversed), as
	// the whole log tells it.
	h, err := s.eng.History(ctx, l.id, asOf)
	if err != nil {
		return fmt.Errorf("history of %s: %w", l.id, err)
	}
	var trace, reversed int64
	for _, t := range h.Transactions {
		if t.Kind != string(loan.KindPaymentReceived) || t.Seq == 0 {
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
	fmt.Fprintf(w, "\nALLOCATION TRACE  %s payment #%d of %s received %s\n\n", l.id, t.Seq, usd(t.Amount), t.Date)
	if t.Reversed {
		fmt.Fprintln(w, "  reversed: the payment's effects are gone (no lines)")
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  installment\tcomponent\tamount\trule")
	for _, ln := range t.Lines {
		inst := "-"
		if ln.Installment > 0 {
			inst = fmt.Sprint(ln.Installment)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", inst, ln.Component, usd(ln.Amount), ln.Rule)
	}
	_ = tw.Flush()
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
