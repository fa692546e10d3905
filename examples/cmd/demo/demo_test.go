package main

import (
	"bytes"
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// A small demo (30 loans, 7 months: the fundings spread over the first six)
// runs end to end and prints every section; running it again continues from
// the stored state without writing anything new, and a longer run continues
// where it stopped.
func TestDemoSmall(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	cfg := func(months int) (config, *bytes.Buffer) {
		var out, progress bytes.Buffer
		return config{path: path, loans: 30, months: months, seed: 7, workers: 8, out: &out, progress: &progress}, &out
	}

	c, out := cfg(7)
	require.NoError(t, run(ctx, c))
	report := out.String()
	for _, want := range []string{"PORTFOLIO on 2024-07-31", "DELINQUENCY AGING", "PERIODIC STATEMENT", "ALLOCATION TRACE", "mortgage 30y", "auto 5y", "personal 12m"} {
		require.Contains(t, report, want)
	}
	first := versions(t, path)
	require.Len(t, first, 30)

	// Again: nothing new is written and the report is the same.
	c, out = cfg(7)
	require.NoError(t, run(ctx, c))
	require.Equal(t, first, versions(t, path))
	require.Equal(t, report, out.String())
	require.Contains(t, c.progress.(*bytes.Buffer).String(), "nothing to do")

	// One more month continues from the stored state.
	c, out = cfg(8)
	require.NoError(t, run(ctx, c))
	require.Contains(t, out.String(), "PORTFOLIO on 2024-08-31")
	require.Contains(t, c.progress.(*bytes.Buffer).String(), "continuing after 2024-07-31")
	more := versions(t, path)
	for id, v := range first {
		require.GreaterOrEqual(t, more[id], v, id)
	}

	// Another seed on the same file is refused.
	c, _ = cfg(7)
	c.seed = 8
	require.ErrorContains(t, run(ctx, c), "use another -db")

	// So is a file made when every loan funded in January (its key has no
	// fundings): its loans are not the ones planned now.
	old := filepath.Join(t.TempDir(), "old.db")
	st, err := sqlstore.OpenSQLite(ctx, old, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	_, err = st.DB().ExecContext(ctx, `CREATE TABLE demo_progress (name TEXT PRIMARY KEY, value TEXT NOT NULL)`)
	require.NoError(t, err)
	_, err = st.DB().ExecContext(ctx, `INSERT INTO demo_progress (name, value) VALUES ('portfolio', 'loans=30 seed=7')`)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	c, _ = cfg(7)
	c.path = old
	require.ErrorContains(t, run(ctx, c), "holds a portfolio of loans=30 seed=7, not loans=30 seed=7 fundings=6m")
}

// A run interrupted in the middle of a day and run again ends exactly where
// an uninterrupted run ends: the same log length for every loan and the
// same report (nothing lost, nothing applied twice).
func TestDemoInterrupted(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := func(path string) (config, *bytes.Buffer) {
		var out, progress bytes.Buffer
		return config{path: filepath.Join(dir, path), loans: 24, months: 6, seed: 5, workers: 6, out: &out, progress: &progress}, &out
	}
	whole, wholeOut := cfg("whole.db")
	var reads atomic.Int64
	whole.reads = &reads
	require.NoError(t, run(ctx, whole))

	// Cut after half the whole run's clock reads (about one per event
	// written), then a fifth of them into the rest.
	n := reads.Load()
	require.Greater(t, n, int64(20))
	for i, stop := range []int64{n / 2, n / 5} {
		c, _ := cfg("cut.db")
		c.stopAfter = stop
		require.ErrorIs(t, run(ctx, c), context.Canceled, "interruption %d", i)
	}
	c, out := cfg("cut.db")
	require.NoError(t, run(ctx, c))
	require.Equal(t, wholeOut.String(), out.String())
	require.Equal(t, versions(t, whole.path), versions(t, c.path))
}

// The demo's portfolio is consistent: every open loan's principal equals
// the funded principal less principal paid, every funded loan has closed
// each day through the end (its last day closed), and a loan funded later
// is not boarded yet.
func TestDemoBalances(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	var out, progress bytes.Buffer
	require.NoError(t, run(ctx, config{path: path, loans: 24, months: 2, seed: 3, workers: 4, out: &out, progress: &progress}))
	st, err := sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	defer st.Close()
	eng, err := servicing.New(servicing.Config{Store: st, Now: func() time.Time { return time.Time{} }})
	require.NoError(t, err)
	loans, err := newPortfolio(24, 3)
	require.NoError(t, err)
	end := endDate(2) - 1
	// Every day the demo ran end of day is recorded once for the
	// portfolio (the store is a DayCloser); a loan's own marker is written
	// only on a day it had something to report.
	var days int
	require.NoError(t, st.DB().QueryRowContext(ctx, `SELECT count(DISTINCT business_day) FROM day_closes WHERE business_day BETWEEN ? AND ?`, int64(simStart), int64(end)).Scan(&days))
	require.Equal(t, int(end-simStart)+1, days, "days closed")
	for _, l := range loans {
		if l.terms.FundingDate > end {
			_, err := eng.State(ctx, l.id, end)
			require.ErrorIs(t, err, servicing.ErrNotFound, l.id)
			continue
		}
		s, err := eng.State(ctx, l.id, end)
		require.NoError(t, err)
		require.LessOrEqual(t, s.LastDayClosed, end, l.id)
		if s.Status == loan.StatusCurrent || s.Status == loan.StatusDelinquent {
			// funded = UPB + principal paid (no curtailment is lost).
			require.Equal(t, l.terms.Principal.Minor(), s.Principal.Add(s.PaidPrincipal).Minor(), l.id)
		}
	}
}

// Level payments match published figures: 200,000.00 at 6% over 360 months
// is 1,199.10 (the standard mortgage table value, 200000·0.005/(1−1.005^−360)
// = 1199.101...), and 18,800.00 at 9% over 48 months is 467.84 (the Federal
// Reserve's daily simple interest example).
func TestLevelPayment(t *testing.T) {
	for _, tt := range []struct {
		principal int64
		bps       int64
		n         int
		want      string
	}{{20_000_000, 600, 360, "1199.10"}, {1_880_000, 900, 48, "467.84"}} {
		r, err := rate.BasisPoints(tt.bps)
		require.NoError(t, err)
		got, err := amortize.SolvePayment(amortize.Terms{Principal: money.MustNew(tt.principal, money.USD), AnnualRate: r,
			Installments: tt.n, Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			FundingDate: date.New(2024, time.January, 1), FirstDueDate: date.New(2024, time.February, 1),
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic,
			InterestRounding: money.HalfAwayFromZero, PaymentRounding: money.HalfAwayFromZero})
		require.NoError(t, err)
		require.Equal(t, tt.want, got.String())
	}
}

// Plans are a function of the seed only: the same loan plans the same
// actions on every call, and different seeds give different portfolios.
func TestPlansDeterministic(t *testing.T) {
	a, err := newPortfolio(50, 1)
	require.NoError(t, err)
	b, err := newPortfolio(50, 1)
	require.NoError(t, err)
	c, err := newPortfolio(50, 2)
	require.NoError(t, err)
	differ := false
	for i := range a {
		require.Equal(t, a[i].terms.Principal.Minor(), b[i].terms.Principal.Minor())
		require.Equal(t, a[i].behaves, b[i].behaves)
		differ = differ || a[i].terms.Principal.Minor() != c[i].terms.Principal.Minor()
		for d := simStart; d < simStart+90; d++ {
			require.Equal(t, a[i].actionsOn(1, d), b[i].actionsOn(1, d))
		}
	}
	require.True(t, differ)
	// Every product and behaviour shows up in a portfolio of 1,000.
	big, err := newPortfolio(1000, 1)
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, l := range big {
		seen[l.product.String()] = true
		seen[behaviourNames[l.behaves]] = true
	}
	require.Len(t, seen, 3+len(behaviourNames))
}

func versions(t *testing.T, path string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	defer st.Close()
	rows, err := st.DB().QueryContext(ctx, `SELECT loan_id, version FROM loans`)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var v int64
		require.NoError(t, rows.Scan(&id, &v))
		out[id] = v
	}
	require.NoError(t, rows.Err())
	return out
}
