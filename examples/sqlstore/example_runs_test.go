package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// The SQLite store keeps the outbox in the commit's transaction: AUTO-1's
// first installment of 467.84 falls due on 1 Feb 2024 and is not paid, so
// end of day on 2 Feb reports it delinquent from 1 day past due, and the
// relay reads that record back under the id (loan, version 2, index 0).
func ExampleStore_PendingOutbox() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "sqlstore-outbox")
	defer os.RemoveAll(dir)
	st, _ := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "servicing.db"), sqlstore.SQLiteOptions{})
	defer st.Close()
	clock := func() time.Time { return time.Date(2024, 2, 2, 18, 0, 0, 0, time.UTC) }
	eng, _ := servicing.New(servicing.Config{Store: st, Now: clock})
	_, _ = eng.Board(ctx, "AUTO-1", loan.BoardingRequest{Terms: autoTerms(), Borrower: "B-1"}, servicing.Meta{IdempotencyKey: "board"})
	_, _ = eng.EndOfDay(ctx, "AUTO-1", date.New(2024, time.February, 2), servicing.Meta{})

	n, err := servicing.DrainOutbox(ctx, st, 0, func(_ context.Context, recs []servicing.OutboxRecord) error {
		for _, r := range recs {
			fmt.Println(r.ID, r.Event.On, r.Event.Type, r.Event.From, "->", r.Event.To, r.Event.DaysPastDue)
		}
		return nil
	})
	fmt.Println("delivered", n, err)
	// Output:
	// AUTO-1/2/0 2024-02-02 status_changed current -> delinquent 1
	// delivered 1 <nil>
}

// Every worker process, on any machine, runs the same loop against one
// PostgreSQL database: plan the day (the first caller wins), then work it
// until every shard is done, taking over shards whose worker died.
func ExampleRuns_Work() {
	ctx := context.Background()
	st, err := sqlstore.OpenPostgres(ctx, os.Getenv("SERVICING_PG_DSN"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	eng, _ := servicing.New(servicing.Config{Store: st, Now: time.Now})
	runs, _ := sqlstore.NewRuns(st)
	day := date.New(2024, time.March, 17)
	if _, err := runs.Plan(ctx, day, 16); err != nil {
		fmt.Println(err)
		return
	}
	host, _ := os.Hostname()
	rep, err := runs.Work(ctx, eng, day, sqlstore.WorkOptions{Owner: fmt.Sprint(host, "-", os.Getpid()), Lease: 10 * time.Second})
	fmt.Println(rep.Shards, "shards,", rep.Loans, "loans,", rep.Failed, "failed:", err)
	p, _ := runs.Progress(ctx, day)
	done, failed := p.Closed()
	fmt.Println("run complete:", p.Done(), done, "done,", failed, "failed")
}
