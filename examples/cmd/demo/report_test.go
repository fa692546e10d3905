package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/investor"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/report"
	"github.com/stretchr/testify/require"
)

// small is one small demo run shared by the tests that read its output,
// its store or its HTML report: 40 loans over 9 months (the fundings spread
// over the first six), seed 3.
var small struct {
	once     sync.Once
	dir      string
	cfg      config
	out      string // the terminal report
	progress string
	err      error
}

// smallRun runs the shared small demo once (its files in a directory
// TestMain removes) and returns its configuration: cfg.path the store,
// cfg.report the HTML report.
func smallRun(t *testing.T) config {
	t.Helper()
	small.once.Do(func() {
		if small.dir, small.err = os.MkdirTemp("", "servicing-demo-"); small.err != nil {
			return
		}
		var out, progress bytes.Buffer
		small.cfg = config{path: filepath.Join(small.dir, "demo.db"), loans: 40, months: 9, seed: 3, workers: 4,
			report: filepath.Join(small.dir, "report.html"), export: filepath.Join(small.dir, "export")}
		c := small.cfg
		c.out, c.progress = &out, &progress
		small.err = run(context.Background(), c)
		small.out, small.progress = out.String(), progress.String()
	})
	require.NoError(t, small.err)
	require.Contains(t, small.progress, "9 month-end snapshots")
	return small.cfg
}

func TestMain(m *testing.M) {
	code := m.Run()
	if small.dir != "" {
		os.RemoveAll(small.dir)
	}
	os.Exit(code)
}

// The report is one self-contained HTML file: five charts as inline SVG,
// each with its title, explanation and numbers; nothing it refers to lies
// outside it (no script, no stylesheet or image by address, only the SVG
// namespaces and data: URLs), and its content security policy refuses any
// load from elsewhere. Writing it again from the same store gives the same
// bytes.
func TestReportHTML(t *testing.T) {
	c := smallRun(t)
	raw, err := os.ReadFile(c.report)
	require.NoError(t, err)
	html := string(raw)

	for _, id := range []string{"delinquency", "roll-rates", "cpr-cdr", "vintages", "amortization"} {
		i := strings.Index(html, `<figure id="`+id+`">`)
		require.GreaterOrEqual(t, i, 0, "no figure %s", id)
		fig := html[i : i+strings.Index(html[i:], "</figure>")]
		require.Contains(t, fig, "<h2>", id)
		require.Contains(t, fig, `<svg role="img" aria-label="`, id)
		require.Contains(t, fig, "<figcaption>", id)
		require.Contains(t, fig, "<table>", id)
	}
	require.Equal(t, 5, strings.Count(html, "<svg "))
	require.Contains(t, html, `content="default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:"`)
	require.Contains(t, html, `@font-face { font-family: "Liberation Sans"`)
	require.NotContains(t, html, "<script")
	require.NotContains(t, html, "<link")

	// Every address in the page: anchors within it, data: URLs, and the
	// SVG namespaces (names, never loaded).
	refs := regexp.MustCompile(`(?:href|src|xlink:href|xmlns(?::\w+)?)="([^"]*)"|url\(([^)]*)\)`).FindAllStringSubmatch(html, -1)
	require.NotEmpty(t, refs)
	for _, m := range refs {
		ref := m[1] + m[2]
		ok := strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "data:") ||
			ref == "http://www.w3.org/2000/svg" || ref == "http://www.w3.org/1999/xlink"
		require.True(t, ok, "the report refers to %q", ref)
	}
	for _, m := range regexp.MustCompile(`https?://[^\s"'<>)]+`).FindAllString(html, -1) {
		require.Contains(t, []string{"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, m)
	}

	// Same store, same report.
	s := reopen(t, c)
	s.cfg.report, s.cfg.progress, s.cfg.workers = filepath.Join(t.TempDir(), "again.html"), io.Discard, 2
	end := endDate(c.months) - 1
	states, err := s.statesOn(context.Background(), end)
	require.NoError(t, err)
	series, err := s.snapshots(context.Background(), monthEnds(end))
	require.NoError(t, err)
	require.NoError(t, s.writeReport(context.Background(), end, series, s.showcase(states)))
	second, err := os.ReadFile(s.cfg.report)
	require.NoError(t, err)
	require.Equal(t, raw, second)
}

// A report of one month end leaves out the charts that follow loans from
// one month end to the next (and the amortization of a loan with nothing
// due yet) and draws the rest.
func TestReportOneMonth(t *testing.T) {
	dir := t.TempDir()
	var out, progress bytes.Buffer
	c := config{path: filepath.Join(dir, "demo.db"), loans: 12, months: 1, seed: 3, workers: 2, out: &out, progress: &progress,
		report: filepath.Join(dir, "report.html")}
	require.NoError(t, run(context.Background(), c))
	raw, err := os.ReadFile(c.report)
	require.NoError(t, err)
	html := string(raw)
	require.Contains(t, html, `<figure id="delinquency">`)
	require.Contains(t, html, `<figure id="vintages">`)
	require.NotContains(t, html, `<figure id="roll-rates">`)
	require.NotContains(t, html, `<figure id="cpr-cdr">`)
	require.NotContains(t, html, `<figure id="amortization">`)
}

// The summed roll-rate matrix holds every transition RollRates counts,
// with the closed categories as the last columns, and each non-empty row
// adds up to 100 %.
func TestSumRolls(t *testing.T) {
	ctx := context.Background()
	s := reopen(t, smallRun(t))
	series, err := s.snapshots(ctx, monthEnds(endDate(9)-1))
	require.NoError(t, err)
	require.Len(t, series, 9)
	m, err := sumRolls(series)
	require.NoError(t, err)
	require.Equal(t, []string{report.PaidOff, report.ChargedOff}, m.To[len(m.To)-2:])
	require.Equal(t, m.From, m.To[:len(m.To)-2])
	want := 0
	for i := 1; i < len(series); i++ {
		rr, err := report.RollRates(series[i-1].States, series[i].States)
		require.NoError(t, err)
		for _, row := range rr.Counts {
			for _, n := range row {
				want += n
			}
		}
	}
	got := 0
	for i := range m.From {
		got += m.rowTotal(i)
		if m.rowTotal(i) == 0 {
			continue
		}
		sum := 0.0
		for j := range m.To {
			v, ok := m.share(i, j)
			require.True(t, ok)
			sum += v
		}
		require.InDelta(t, 100, sum, 1e-9)
	}
	require.Equal(t, want, got)
	require.Positive(t, got)
}

// reopen opens the store of a finished run for reading.
func reopen(t *testing.T, c config) *sim {
	t.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), c.path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	eng, err := servicing.New(servicing.Config{Store: st, Now: time.Now})
	require.NoError(t, err)
	loans, err := newPortfolio(c.loans, c.seed)
	require.NoError(t, err)
	s := &sim{cfg: c, store: st, eng: eng, loans: loans}
	t.Cleanup(s.startWorkers())
	return s
}

// -export writes every report as CSV and JSON from the store: each CSV's
// rows are its JSON's, the aging's total is the open loans of the last
// month end, there is a performance period per pair of month ends, and
// every month of the mortgage pool's remittance reconciles to the cent
// (collected = remitted + retained + guaranty fee + recovered − advanced),
// the loans left out of it each named with the investor package's reason.
func TestExport(t *testing.T) {
	c := smallRun(t)
	read := func(name string, v any) [][]string {
		b, err := os.ReadFile(filepath.Join(c.export, name+".json"))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, v), name)
		f, err := os.Open(filepath.Join(c.export, name+".csv"))
		require.NoError(t, err)
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		require.NoError(t, err, name)
		require.NotEmpty(t, rows, name)
		return rows
	}
	var ag report.Aging
	rows := read("aging", &ag)
	require.Equal(t, []string{"total", strconv.Itoa(ag.Loans), ag.UPB.String()}, rows[len(rows)-1][:3])
	s := reopen(t, c)
	end := endDate(c.months) - 1
	states, err := s.statesOn(context.Background(), end)
	require.NoError(t, err)
	open := 0
	for _, st := range states {
		if st.Status != "" && st.Status != loan.StatusPaidOff && st.Status != loan.StatusChargedOff && st.Status != loan.StatusPending {
			open++
		}
	}
	require.Equal(t, open, ag.Loans)

	var ps []report.PeriodPerformance
	rows = read("performance", &ps)
	require.Len(t, ps, c.months-1)
	require.Len(t, rows, len(ps)+1)

	var rs []investor.Remittance
	rows = read("remittance", &rs)
	require.NotEmpty(t, rs)
	n := 0
	for _, r := range rs {
		require.NoError(t, r.Reconciliation.Check(), "%s", r.From)
		require.NoError(t, r.Totals.Check(), "%s", r.From)
		n += len(r.Loans) + 1 // and the total row
	}
	require.Len(t, rows, n+1)
	var left []exception
	read("remittance_exceptions", &left)
	for _, e := range left {
		require.NotEmpty(t, e.Reason, e.Loan)
	}
	for _, name := range []string{"summary", "rolls", "vintages", "audit"} {
		var v any
		read(name, &v)
	}
}
