package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// status prints a day's progress per shard.
func (c config) status(ctx context.Context, args []string) (err error) {
	fs := flag.NewFlagSet("status", flag.ExitOnError)
	day := fs.String("day", "2024-03-17", "business day")
	_ = fs.Parse(args)
	d, err := date.ParseISO(*day)
	if err != nil {
		return err
	}
	st, err := sqlstore.OpenPostgres(ctx, c.conn())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	runs, err := sqlstore.NewRuns(st)
	if err != nil {
		return err
	}
	p, err := runs.Progress(ctx, d)
	if err != nil {
		return err
	}
	done, failed := p.Closed()
	fmt.Printf("run %s: %d loans planned, %d done, %d failed, complete=%v\n", d, p.Loans, done, failed, p.Done())
	fmt.Printf("%5s  %-9s %-9s %5s %5s %6s %-8s %-14s %6s %9s\n", "shard", "from", "to", "loans", "done", "failed", "status", "owner", "token", "takeovers")
	for _, s := range p.Shards {
		fmt.Printf("%5d  %-9s %-9s %5d %5d %6d %-8s %-14s %6d %9d\n", s.Shard, s.From, s.To, s.Loans, s.Done, s.Failed, s.Status, s.Owner, s.Token, s.Takeovers)
	}
	return nil
}

// check verifies a finished scale-out run and prints one summary line: every
// loan's day closed exactly once for each day (by its marker, or, for a
// quiet day, by the day-close record: end of day again writes nothing), every shard done, every
// outbox record delivered (none lost, none invented), deliveries in order
// per loan, and duplicate deliveries only of records the consumer's
// deduplication removed. Any failure is an error (a non-zero exit).
func (c config) check(ctx context.Context, args []string) (err error) {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	days := fs.String("day", "2024-03-17", "business day(s) run, comma-separated")
	n := fs.Int("loans", 300, "loans boarded")
	elapsed := fs.Duration("elapsed", 0, "wall time of the run, to report loan-days per second")
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
	db := st.DB()
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	var last date.Date
	var once, quiet, missing, twice, shards, takeovers int
	list := strings.Split(*days, ",")
	for _, s := range list {
		day, err := date.ParseISO(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		last = day
		var closedOnce, closedTwice int
		if err := db.QueryRowContext(ctx, `
			SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n > 1)
			FROM (SELECT loan_id, count(*) n FROM events WHERE kind = $1 AND effective_on = $2 GROUP BY loan_id) c`,
			string(loan.KindDayClosed), day.String()).Scan(&closedOnce, &closedTwice); err != nil {
			return err
		}
		// A loan with no marker had a quiet day (the store is a
		// servicing.DayCloser: such a day writes nothing) or was never run.
		// End of day again over those loans tells which: a quiet or closed
		// day writes nothing, an open one with something to report writes
		// its marker, and that is a loan the run missed.
		q, m, err := c.quietDays(ctx, st, day)
		if err != nil {
			return err
		}
		once, twice, quiet, missing = once+closedOnce, twice+closedTwice, quiet+q, missing+m
		p, err := runs.Progress(ctx, day)
		if err != nil {
			return err
		}
		done, failed := p.Closed()
		if !p.Done() || done != int64(*n) || failed != 0 {
			bad("run %s: complete=%v done=%d failed=%d of %d", day, p.Done(), done, failed, *n)
		}
		for _, sh := range p.Shards {
			takeovers += sh.Takeovers
		}
		shards += len(p.Shards)
	}
	if missing != 0 || twice != 0 {
		bad("days closed: %d loans missing a day, %d closed one twice", missing, twice)
	}

	var records, pending, lost, invented, deliveries, seen, distinct, outOfOrder int
	q := func(dst *int, query string) {
		if err == nil {
			err = db.QueryRowContext(ctx, query).Scan(dst)
		}
	}
	q(&records, `SELECT count(*) FROM outbox`)
	q(&pending, `SELECT count(*) FROM outbox WHERE acked = FALSE`)
	q(&lost, `SELECT count(*) FROM outbox o WHERE NOT EXISTS (
		SELECT 1 FROM scaleout_seen s WHERE s.outbox_id = o.loan_id || '/' || o.version || '/' || o.idx)`)
	q(&invented, `SELECT count(*) FROM scaleout_seen s WHERE NOT EXISTS (
		SELECT 1 FROM outbox o WHERE s.outbox_id = o.loan_id || '/' || o.version || '/' || o.idx)`)
	q(&deliveries, `SELECT count(*) FROM scaleout_deliveries`)
	q(&seen, `SELECT count(*) FROM scaleout_seen`)
	q(&distinct, `SELECT count(DISTINCT outbox_id) FROM scaleout_deliveries`)
	// Each record's first delivery must come after the first delivery of
	// the loan's earlier records.
	q(&outOfOrder, `SELECT count(*) FROM (
		SELECT version, idx, lag(version) OVER w pv, lag(idx) OVER w pi
		FROM (SELECT loan_id, version, idx, min(n) n FROM scaleout_deliveries GROUP BY loan_id, version, idx) f
		WINDOW w AS (PARTITION BY loan_id ORDER BY n)) o
		WHERE (version, idx) < (pv, pi)`)
	if err != nil {
		return err
	}
	// The portfolio's outside number: each borrower who did not pay (two in
	// three) went delinquent on 2 Mar and was charged a late fee on 17 Mar;
	// until the 30-days-past-due milestone (31 Mar) nothing else happens.
	unpaid := 0
	for i := range *n {
		if !paysOnTime(i) {
			unpaid++
		}
	}
	expect := "n/a"
	if last >= date.New(2024, 3, 17) && last <= date.New(2024, 3, 30) {
		expect = fmt.Sprint(2 * unpaid)
		if records != 2*unpaid {
			bad("outbox holds %d records, the portfolio implies %d", records, 2*unpaid)
		}
	}
	if pending != 0 || lost != 0 || invented != 0 {
		bad("outbox: %d pending, %d never delivered, %d delivered but not in the outbox", pending, lost, invented)
	}
	if distinct != seen {
		bad("consumer: %d distinct records delivered, %d kept after deduplication", distinct, seen)
	}
	if outOfOrder != 0 {
		bad("%d records first delivered before an earlier record of their loan", outOfOrder)
	}
	rate := ""
	if *elapsed > 0 {
		rate = fmt.Sprintf(" loan_days_per_s=%.0f", float64(*n*len(list))/elapsed.Seconds())
	}
	verdict := "OK"
	if len(problems) > 0 {
		verdict = "FAIL"
	}
	fmt.Printf("scaleout: %s loans=%d days=%d closed_once=%d quiet=%d missing=%d twice=%d shards=%d takeovers=%d outbox=%d (expected %s) delivered=%d lost=%d deliveries=%d duplicates=%d (removed by dedup: %d) out_of_order=%d%s\n",
		verdict, *n, len(list), once, quiet, missing, twice, shards, takeovers, records, expect, seen, lost, deliveries, deliveries-distinct, deliveries-seen, outOfOrder, rate)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// quietDays runs end of day for day again over the loans with no marker for
// it and returns how many wrote nothing (their day was quiet) and how many
// wrote their marker (the run had left their day open).
func (c config) quietDays(ctx context.Context, st *sqlstore.Store, day date.Date) (quiet, open int, err error) {
	rows, err := st.DB().QueryContext(ctx, `SELECT loan_id FROM loans l WHERE NOT EXISTS (
		SELECT 1 FROM events e WHERE e.loan_id = l.loan_id AND e.kind = $1 AND e.effective_on = $2) ORDER BY loan_id`,
		string(loan.KindDayClosed), day.String())
	if err != nil {
		return 0, 0, err
	}
	var ids []servicing.LoanID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			_ = rows.Close()
			return 0, 0, err
		}
		ids = append(ids, servicing.LoanID(id))
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, 0, err
	}
	if len(ids) == 0 {
		return 0, 0, nil
	}
	y, m, d := day.Date()
	at := time.Date(y, m, d, 23, 0, 0, 0, time.UTC)
	eng, err := servicing.New(servicing.Config{Store: st, Now: func() time.Time { return at }})
	if err != nil {
		return 0, 0, err
	}
	rep, err := eng.EndOfDayPortfolio(ctx, ids, day)
	if err != nil {
		return 0, 0, err
	}
	for _, o := range rep.Outcomes {
		switch {
		case o.Err != nil:
			return 0, 0, fmt.Errorf("end of day %s again, loan %s: %w", day, o.Loan, o.Err)
		case len(o.Result.Events) == 0:
			quiet++
		default:
			open++
		}
	}
	return quiet, open, nil
}
