package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/investor"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
)

func init() {
	commands["report"] = command{
		summary: "portfolio reports (aging, summary, rolls, performance, vintages, audit) over scenarios; table, CSV or JSON",
		run:     runReport,
	}
}

// reportKinds are the reports servicing report makes, with what each is.
var reportKinds = []struct{ name, about string }{
	{"aging", "open loans by delinquency bucket, count and unpaid principal, on -on"},
	{"summary", "loans, UPB, WAC, WAM and WALA of the open loans on -on"},
	{"rolls", "the roll-rate matrix from -from to -to"},
	{"performance", "each month from -from to -to: SMM/CPR, MDR/CDR, payoffs, curtailments, defaults, recoveries, net loss"},
	{"vintages", "static-pool curves by funding month, at each month end from -from to -to"},
	{"remittance", "each month's investor remittance of the pool (-method, -servicing-fee, -guaranty-fee), reconciled"},
	{"audit", "one loan's audit trail (-loan), effective -from to -to, kinds -kinds"},
}

// maxWidth is the widest a terminal table is printed; a wider one is
// printed as one block of labelled lines per row.
const maxWidth = 100

func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "table", "output `format`: table, csv or json")
	var on, from, to date.Date
	fs.Var(dateFlag{&on}, "on", "the `DATE` of aging and summary (default: the latest date the scenarios name)")
	fs.Var(dateFlag{&from}, "from", "the first `DATE` of a series (default: the end of the first funding month)")
	fs.Var(dateFlag{&to}, "to", "the last `DATE` of a series (default: the latest date the scenarios name)")
	loanID := fs.String("loan", "", "the loan of the audit report (default: the first scenario's)")
	kinds := fs.String("kinds", "", "the audit report's event kinds, comma-separated (default: all)")
	method := fs.String("method", string(investor.ScheduledScheduled), "remittance `type`: scheduled_scheduled, scheduled_actual or actual_actual")
	servicingFee := fs.String("servicing-fee", "0.25%", "remittance: the annual servicing fee `RATE`")
	guarantyFee := fs.String("guaranty-fee", "0%", "remittance: the annual guaranty fee `RATE`")
	products := fs.String("products", "", "a catalogue `FILE` to look boardings' products up in, instead of the built-in one")
	fs.Usage = func() {
		fprintln(stderr, "Usage: servicing report [flags] KIND SCENARIO.json...")
		fprintln(stderr, "Runs every scenario (servicing simulate's format, one loan each) into one")
		fprintln(stderr, "in-memory portfolio and prints the report KIND of it. Series are month ends")
		fprintln(stderr, "from -from to -to (and -to itself). Kinds:")
		for _, k := range reportKinds {
			fprintf(stderr, "  %-12s %s\n", k.name, k.about)
		}
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() < 2 || !knownReport(fs.Arg(0)) || !strings.Contains("table csv json", *format) || *format == "" {
		fs.Usage()
		return 2
	}
	cat := product.Builtin()
	if *products != "" {
		var err error
		if cat, err = readCatalogue(*products); err != nil {
			fprintln(stderr, "servicing report:", err)
			return 1
		}
	}
	var ins [][]byte
	for _, f := range fs.Args()[1:] {
		b, err := os.ReadFile(f)
		if err != nil {
			fprintln(stderr, "servicing report:", err)
			return 1
		}
		ins = append(ins, b)
	}
	q := reportQuery{kind: fs.Arg(0), on: on, from: from, to: to, loan: servicing.LoanID(*loanID),
		pool: investor.Pool{Method: investor.Method(*method), FeeRounding: money.HalfUp}}
	var err error
	if q.pool.ServicingFeeRate, err = rate.Parse(*servicingFee); err == nil {
		q.pool.GuarantyFeeRate, err = rate.Parse(*guarantyFee)
	}
	if err != nil {
		fprintln(stderr, "servicing report:", err)
		return 2
	}
	if *kinds != "" {
		for _, k := range strings.Split(*kinds, ",") {
			q.kinds = append(q.kinds, loan.TransactionKind(k))
		}
	}
	v, t, err := makeReport(context.Background(), ins, cat, q)
	if err != nil {
		fprintln(stderr, "servicing report:", err)
		return 1
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(v)
	case "csv":
		err = t.WriteCSV(stdout)
	default:
		err = writeReportTable(stdout, t)
	}
	if err != nil {
		fprintln(stderr, "servicing report:", err)
		return 1
	}
	return 0
}

func knownReport(k string) bool {
	for _, r := range reportKinds {
		if r.name == k {
			return true
		}
	}
	return false
}

// reportQuery is what a report asks for.
type reportQuery struct {
	kind         string
	on, from, to date.Date
	loan         servicing.LoanID
	kinds        []loan.TransactionKind
	pool         investor.Pool
}

// makeReport plays the scenarios into one engine and makes the report:
// its JSON value and its table.
func makeReport(ctx context.Context, ins [][]byte, cat product.Catalogue, q reportQuery) (any, report.Table, error) {
	eng, err := newEngine()
	if err != nil {
		return nil, report.Table{}, err
	}
	var ids []servicing.LoanID
	var first, last date.Date
	seen := map[servicing.LoanID]bool{}
	for i, in := range ins {
		pl, err := play(ctx, eng, in, cat)
		if err != nil {
			return nil, report.Table{}, fmt.Errorf("scenario %d: %w", i+1, err)
		}
		if seen[pl.id] {
			return nil, report.Table{}, fmt.Errorf("scenario %d: loan %q is in an earlier scenario", i+1, pl.id)
		}
		seen[pl.id] = true
		ids = append(ids, pl.id)
		if first == 0 || pl.req.Terms.FundingDate < first {
			first = pl.req.Terms.FundingDate
		}
		last = max(last, pl.last)
	}
	on, to := or(q.on, last), or(q.to, last)
	from := or(q.from, monthEnd(first))
	if to < from {
		return nil, report.Table{}, fmt.Errorf("-to %s is before -from %s", to, from)
	}
	snap := func(d date.Date) (report.Snapshot, error) { return eng.Snapshot(ctx, ids, d, time.Time{}) }
	switch q.kind {
	case "aging", "summary":
		sn, err := snap(on)
		if err != nil {
			return nil, report.Table{}, err
		}
		states := values(sn)
		if q.kind == "aging" {
			a, err := report.AgingOf(states)
			return a, a.Table(), err
		}
		s, err := report.Summarize(states)
		return s, s.Table(), err
	case "rolls":
		a, err := snap(from)
		if err != nil {
			return nil, report.Table{}, err
		}
		b, err := snap(to)
		if err != nil {
			return nil, report.Table{}, err
		}
		r, err := report.RollRates(a.States, b.States)
		return r, r.Table(), err
	case "remittance":
		return remittances(ctx, eng, ids, q.pool, from, to)
	case "performance", "vintages":
		var series []report.Snapshot
		for _, d := range monthEnds(from, to) {
			sn, err := snap(d)
			if err != nil {
				return nil, report.Table{}, err
			}
			series = append(series, sn)
		}
		if q.kind == "vintages" {
			vs, err := report.Vintages(series)
			return vs, report.VintagesTable(vs), err
		}
		ps := []report.PeriodPerformance{}
		for i := 1; i < len(series); i++ {
			p, err := report.Performance(series[i-1], series[i])
			if err != nil {
				return nil, report.Table{}, err
			}
			ps = append(ps, p)
		}
		return ps, report.PeriodsTable(ps), nil
	}
	id := q.loan
	if id == "" {
		id = ids[0]
	}
	f := servicing.AuditFilter{From: q.from, To: q.to, Kinds: q.kinds}
	if f.To == 0 {
		f.To = last
	}
	a, err := eng.AuditTrail(ctx, id, f)
	return a, servicing.AuditTable(a), err
}

// remittances are the pool's investor remittances of the months from
// from's to to's, each loan's month read from its states on the day before
// the month and on its last day (investor.FromStates); loans not open at a
// month's start are not in it.
func remittances(ctx context.Context, eng *servicing.Engine, ids []servicing.LoanID, pool investor.Pool, from, to date.Date) (any, report.Table, error) {
	y, m, _ := from.Date()
	var bounds []date.Date // month starts, and the start after the last month
	for d := date.New(y, m, 1); d <= to; d = d.AddDate(0, 1, 0) {
		bounds = append(bounds, d)
	}
	bounds = append(bounds, bounds[len(bounds)-1].AddDate(0, 1, 0))
	days := make([]date.Date, len(bounds))
	for i, b := range bounds {
		days[i] = b - 1
	}
	series, err := eng.Series(ctx, ids, days, time.Time{})
	if err != nil {
		return nil, report.Table{}, err
	}
	out := []investor.Remittance{}
	t := report.Table{Name: "remittance"}
	var prior investor.Carry
	for i := 1; i < len(series); i++ {
		mo := investor.Month{From: bounds[i-1], To: bounds[i], Prior: prior}
		for _, id := range ids {
			start, ok := series[i-1].States[string(id)]
			if !ok || start.Status == loan.StatusPaidOff || start.Status == loan.StatusChargedOff {
				continue
			}
			lm, err := investor.FromStates(string(id), start, series[i].States[string(id)])
			if err != nil {
				return nil, report.Table{}, fmt.Errorf("remittance of %s, month of %s: %w", id, mo.From, err)
			}
			mo.Loans = append(mo.Loans, lm)
		}
		r, err := investor.Remit(pool, mo)
		if err != nil {
			return nil, report.Table{}, fmt.Errorf("remittance, month of %s: %w", mo.From, err)
		}
		out, prior = append(out, r), r.Carry
		t.Header = append([]string{"month"}, r.Header()...)
		for _, row := range r.Rows() {
			t.Rows = append(t.Rows, append([]string{mo.From.Format("2006-01")}, row...))
		}
	}
	return out, t, nil
}

func or(d, dflt date.Date) date.Date {
	if d == 0 {
		return dflt
	}
	return d
}

// monthEnd is the last day of d's month.
func monthEnd(d date.Date) date.Date {
	y, m, _ := d.Date()
	return date.New(y, m+1, 1) - 1
}

// monthEnds are the month ends from from's month to to (and to itself
// when it is not one), at least from and to.
func monthEnds(from, to date.Date) []date.Date {
	out := []date.Date{from}
	for d := monthEnd(from); d <= to; d = monthEnd(d + 1) {
		if d > out[len(out)-1] {
			out = append(out, d)
		}
	}
	if out[len(out)-1] < to {
		out = append(out, to)
	}
	return out
}

func values(sn report.Snapshot) []loan.State {
	out := make([]loan.State, 0, len(sn.States))
	for _, s := range sn.States {
		out = append(out, s)
	}
	return out
}

// writeReportTable prints t aligned in columns, or, when that is wider than
// maxWidth, as one block of "column: value" lines per row.
func writeReportTable(w io.Writer, t report.Table) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fprintln(tw, strings.Join(t.Header, "\t"))
	for _, r := range t.Rows {
		fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	wide := false
	for _, l := range strings.Split(b.String(), "\n") {
		wide = wide || len(l) > maxWidth
	}
	if !wide {
		_, err := io.WriteString(w, b.String())
		return err
	}
	label := 0
	for _, h := range t.Header {
		label = max(label, len(h))
	}
	b.Reset()
	for i, r := range t.Rows {
		fprintf(&b, "-- %s %d\n", t.Name, i+1)
		for j, v := range r {
			fprintf(&b, "%-*s  %s\n", label, t.Header[j], v)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// dateFlag is a flag holding an ISO 8601 date.
type dateFlag struct{ d *date.Date }

func (f dateFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return ""
	}
	return f.d.String()
}

func (f dateFlag) Set(s string) error { return f.d.UnmarshalText([]byte(s)) }
