package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/rickb777/date/v2"
)

// run plans (if no one has) and works each day's run, relaying the outbox
// meanwhile, and returns once every day is done and the outbox drained.
func (c config) run(ctx context.Context, args []string) (err error) {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	days := fs.String("day", "2024-03-17", "business day(s) to close, comma-separated, in order")
	shards := fs.Int("shards", 12, "shards per run (used by whoever plans the day first)")
	lease := fs.Duration("lease", 2*time.Second, "shard lease")
	chunk := fs.Int("chunk", 10, "loans between progress records")
	delay := fs.Duration("chunk-delay", 0, "pause after each chunk (to make a short demonstration run long enough to kill a worker in)")
	threads := fs.Int("threads", 4, "concurrent loans within a chunk (Config.Workers)")
	relay := fs.Bool("relay", true, "take part in relaying the outbox")
	page := fs.Int("page", 20, "outbox records per delivery")
	_ = fs.Parse(args)

	st, err := sqlstore.OpenPostgres(ctx, c.conn())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	runs, err := sqlstore.NewRuns(st)
	if err != nil {
		return err
	}
	e, err := servicing.New(servicing.Config{Store: st, Now: clock, Workers: *threads})
	if err != nil {
		return err
	}
	workDone := make(chan struct{})
	relayErr := make(chan error, 1)
	if *relay {
		go func() { relayErr <- c.relay(ctx, st, *page, workDone) }()
	} else {
		relayErr <- nil
	}
	workErr := func() error {
		defer close(workDone)
		for _, s := range strings.Split(*days, ",") {
			day, err := date.ParseISO(strings.TrimSpace(s))
			if err != nil {
				return fmt.Errorf("day %q: %w", s, err)
			}
			if _, err := runs.Plan(ctx, day, *shards); err != nil {
				return err
			}
			start := time.Now()
			rep, err := runs.Work(ctx, e, day, sqlstore.WorkOptions{Owner: c.name, Lease: *lease, Chunk: *chunk,
				AfterChunk: func(l sqlstore.Lease, cursor servicing.LoanID) {
					fmt.Printf("%s: %s shard %d token %d through %s\n", c.name, l.Day, l.Shard, l.Token, cursor)
					time.Sleep(*delay)
				}})
			if err != nil {
				return err
			}
			fmt.Printf("%s: %s done: %d shards (%d taken over), %d loans (%d failed) in %.2fs\n",
				c.name, day, rep.Shards, rep.Takeovers, rep.Loans, rep.Failed, time.Since(start).Seconds())
		}
		return nil
	}()
	return errors.Join(workErr, <-relayErr)
}

// relayKey is the advisory lock that admits one relay per schema at a time
// (advisory locks are database-wide; the second key is the schema's hash).
func (c config) relayKey() (int32, int32) {
	h := fnv.New32a()
	h.Write([]byte(c.schema))
	return 0x6c656e64, int32(h.Sum32()) // "lend"
}

// relay drains the outbox to the demonstration consumer whenever it holds
// the relay lock, and returns once work is done and nothing is pending
// (whoever delivered it). The lock is a session lock on a connection of its
// own: if this process dies, the server drops it and another worker's relay
// takes over.
func (c config) relay(ctx context.Context, st *sqlstore.Store, page int, workDone <-chan struct{}) (err error) {
	db := st.DB()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	k1, k2 := c.relayKey()
	held := false
	defer func() {
		if held {
			_, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1, $2)`, k1, k2)
		}
	}()
	delivered := 0
	for {
		if !held {
			if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, k1, k2).Scan(&held); err != nil {
				return fmt.Errorf("relay: lock: %w", err)
			}
			if held {
				fmt.Printf("%s: relay: holding the relay lock\n", c.name)
			}
		}
		if held {
			n, err := servicing.DrainOutbox(ctx, st, page, func(ctx context.Context, recs []servicing.OutboxRecord) error {
				return c.deliver(ctx, db, recs)
			})
			delivered += n
			if err != nil {
				return fmt.Errorf("relay: %w", err)
			}
		}
		select {
		case <-workDone:
			var pending int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE acked = FALSE`).Scan(&pending); err != nil {
				return fmt.Errorf("relay: %w", err)
			}
			if pending == 0 {
				if held {
					fmt.Printf("%s: relay: delivered %d records\n", c.name, delivered)
				}
				return nil
			}
		default:
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// deliver hands a page to the demonstration consumer in one transaction:
// every delivery is logged, and the consumer keeps the ids it has seen (its
// deduplication). The relay acknowledges the page afterwards, in another
// transaction.
func (c config) deliver(ctx context.Context, db *sql.DB, recs []servicing.OutboxRecord) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	for _, r := range recs {
		id := r.ID.String()
		if _, err := tx.ExecContext(ctx, `INSERT INTO scaleout_deliveries (outbox_id, loan_id, version, idx, type, worker) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, string(r.ID.Loan), r.ID.Version, r.ID.Index, string(r.Event.Type), c.name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO scaleout_seen (outbox_id) VALUES ($1) ON CONFLICT DO NOTHING`, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}
