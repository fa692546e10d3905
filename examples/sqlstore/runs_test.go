package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// Sharded end of day on PostgreSQL closes every loan's day exactly once
// although loans are run more than once: 40 loans in 4 shards of 10. A
// worker claims shard 0 with a 1-second lease, closes the day of its first
// 7 loans, records progress for only 5 of them and dies (it never renews).
// Two live workers run the day; once the dead lease expires one of them
// takes shard 0 over and resumes after the 5th loan, so loans 6 and 7 are
// run a second time. Meanwhile a stalled worker that lost track of its
// lease runs end of day over all the loans again, concurrently; one loan
// boarded after the plan, whose id falls inside shard 1's range, is run
// with that shard. In the end each of the 41 loans' logs holds exactly one
// day_closed event for the day, the shards recorded 41 loans done (shard 1
// eleven, the others ten), shard 0 was taken over once, and
// the dead worker's token no longer records anything.
func TestPostgresRunsExactlyOnce(t *testing.T) {
	st := openPostgres(t)
	ctx := context.Background()
	clock := time.Date(2024, 3, 1, 18, 0, 0, 0, time.UTC)
	var clockMu sync.Mutex
	eng, err := servicing.New(servicing.Config{Store: st, Now: func() time.Time {
		clockMu.Lock()
		defer clockMu.Unlock()
		clock = clock.Add(time.Millisecond)
		return clock
	}})
	require.NoError(t, err)
	ids := make([]servicing.LoanID, 40)
	for i := range ids {
		ids[i] = servicing.LoanID(fmt.Sprintf("L%03d", i))
		_, err := eng.Board(ctx, ids[i], loan.BoardingRequest{Terms: autoTerms(), Borrower: "b"}, servicing.Meta{IdempotencyKey: "board"})
		require.NoError(t, err)
	}
	day := date.New(2024, time.February, 20) // 19 days past the first due date
	runs, err := sqlstore.NewRuns(st)
	require.NoError(t, err)
	created, err := runs.Plan(ctx, day, 4)
	require.NoError(t, err)
	require.True(t, created)
	created, err = runs.Plan(ctx, day, 7)
	require.NoError(t, err)
	require.False(t, created, "a second plan of the same day changes nothing")
	p, err := runs.Progress(ctx, day)
	require.NoError(t, err)
	require.Len(t, p.Shards, 4)
	require.Equal(t, int64(40), p.Loans)
	require.Equal(t, []servicing.LoanID{"", "L010"}, []servicing.LoanID{p.Shards[0].From, p.Shards[0].To})
	require.Equal(t, []servicing.LoanID{"L010", "L020"}, []servicing.LoanID{p.Shards[1].From, p.Shards[1].To})
	require.Equal(t, []servicing.LoanID{"L030", ""}, []servicing.LoanID{p.Shards[3].From, p.Shards[3].To})
	// A loan boarded after the plan, between two planned ids, is run with
	// shard 1 (L0105 sorts between L010 and L011).
	_, err = eng.Board(ctx, "L0105", loan.BoardingRequest{Terms: autoTerms(), Borrower: "b"}, servicing.Meta{IdempotencyKey: "board"})
	require.NoError(t, err)
	ids = append(ids, "L0105")

	// The worker that dies.
	dead, ok, err := runs.Claim(ctx, day, "dead", time.Second)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 0, dead.Shard)
	rep, err := eng.EndOfDayPortfolio(ctx, ids[:7], day)
	require.NoError(t, err)
	require.Empty(t, rep.Failed())
	require.NoError(t, runs.Renew(ctx, dead, time.Second, ids[4], 5, 0, ""))

	var wg sync.WaitGroup
	reports := make([]sqlstore.WorkReport, 2)
	errs := make([]error, 3)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[w], errs[w] = runs.Work(ctx, eng, day, sqlstore.WorkOptions{
				Owner: fmt.Sprint("live-", w), Lease: time.Second, Chunk: 3, Poll: 50 * time.Millisecond})
		}()
	}
	wg.Add(1)
	go func() { // the stalled worker
		defer wg.Done()
		rep, err := eng.EndOfDayPortfolio(ctx, ids, day)
		if err == nil && len(rep.Failed()) > 0 {
			err = rep.Failed()[0].Err
		}
		errs[2] = err
	}()
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}

	var closed int64
	rows, err := st.DB().QueryContext(ctx, `SELECT loan_id, count(*) FROM events WHERE kind = $1 AND effective_on = $2 GROUP BY loan_id ORDER BY loan_id`,
		string(loan.KindDayClosed), day.String())
	require.NoError(t, err)
	n := 0
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id, &closed))
		require.Equal(t, int64(1), closed, "loan %s closed %s %d times", id, day, closed)
		n++
	}
	require.NoError(t, rows.Err())
	require.Equal(t, 41, n, "loans whose day is closed")

	p, err = runs.Progress(ctx, day)
	require.NoError(t, err)
	require.True(t, p.Done())
	done, failed := p.Closed()
	require.Equal(t, int64(41), done)
	require.Zero(t, failed)
	for i, want := range []int64{10, 11, 10, 10} {
		require.Equal(t, want, p.Shards[i].Done, "shard %d", i)
	}
	require.Equal(t, 1, p.Shards[0].Takeovers)
	require.NotEqual(t, "dead", p.Shards[0].Owner)
	require.Equal(t, 4, reports[0].Shards+reports[1].Shards)
	require.Equal(t, 1, reports[0].Takeovers+reports[1].Takeovers)
	require.Equal(t, 36, reports[0].Loans+reports[1].Loans, "31 loans of shards 1-3 and the 5 after shard 0's cursor")

	require.ErrorIs(t, runs.Renew(ctx, dead, time.Second, ids[9], 5, 0, ""), sqlstore.ErrLeaseLost)
	require.ErrorIs(t, runs.Finish(ctx, dead), sqlstore.ErrLeaseLost)
	_, ok, err = runs.Claim(ctx, day, "late", time.Second)
	require.NoError(t, err)
	require.False(t, ok, "nothing left to claim")
	_, err = runs.Progress(ctx, day+1)
	require.True(t, errors.Is(err, sqlstore.ErrNoRun), "%v", err)
}

// NewRuns refuses SQLite: the leases rely on PostgreSQL's row locks.
func TestRunsNeedPostgres(t *testing.T) {
	_, err := sqlstore.NewRuns(openSQLite(t))
	require.ErrorIs(t, err, sqlstore.ErrNotPostgres)
}

// BenchmarkPostgresEndOfDay closes one business day of 200 loans per
// iteration (successive days): "direct" is one process's
// EndOfDayPortfolio over the loans, "sharded" the same through Runs in one
// worker (plan 4 shards of 50, claim each, record progress, finish), so the
// difference is the cost of the coordination: a dozen statements per day
// and a pause at the end of each chunk while its slowest loan finishes.
// Reports loan-days per second.
func BenchmarkPostgresEndOfDay(b *testing.B) {
	for _, mode := range []string{"direct", "sharded"} {
		b.Run(mode, func(b *testing.B) {
			st := openPostgres(b)
			ctx := context.Background()
			eng, err := servicing.New(servicing.Config{Store: st, Now: func() time.Time { return time.Date(2024, 3, 1, 18, 0, 0, 0, time.UTC) }})
			require.NoError(b, err)
			ids := make([]servicing.LoanID, 200)
			for i := range ids {
				ids[i] = servicing.LoanID(fmt.Sprintf("L%03d", i))
				_, err := eng.Board(ctx, ids[i], loan.BoardingRequest{Terms: autoTerms(), Borrower: "b"}, servicing.Meta{IdempotencyKey: "board"})
				require.NoError(b, err)
			}
			first := date.New(2024, time.January, 2)
			rep, err := eng.EndOfDayPortfolio(ctx, ids, first)
			require.NoError(b, err)
			require.Empty(b, rep.Failed())
			runs, err := sqlstore.NewRuns(st)
			require.NoError(b, err)
			b.ResetTimer()
			for i := range b.N {
				day := first + 1 + date.Date(i)
				if mode == "direct" {
					rep, err := eng.EndOfDayPortfolio(ctx, ids, day)
					if err != nil || len(rep.Failed()) > 0 {
						b.Fatal(err, rep.Failed())
					}
					continue
				}
				if _, err := runs.Plan(ctx, day, 4); err != nil {
					b.Fatal(err)
				}
				rep, err := runs.Work(ctx, eng, day, sqlstore.WorkOptions{Owner: "bench", Chunk: 50})
				if err != nil || rep.Failed > 0 || rep.Loans != len(ids) {
					b.Fatal(err, rep)
				}
			}
			b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "loan-days/s")
		})
	}
}
