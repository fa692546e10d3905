package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/rickb777/date/v2"
)

// Errors of sharded end of day.
var (
	// ErrLeaseLost means another worker claimed the shard after this
	// worker's lease expired; the worker stops and records nothing more.
	ErrLeaseLost = errors.New("sqlstore: shard lease lost")
	// ErrNoRun means no run was planned for the business day.
	ErrNoRun = errors.New("sqlstore: no end-of-day run for the day")
	// ErrNotPostgres means sharded runs were asked of a SQLite store.
	ErrNotPostgres = errors.New("sqlstore: sharded runs need PostgreSQL")
)

// Runs coordinates end of day across worker processes on PostgreSQL: a
// business day's run is split into shards (contiguous ranges of loan ids
// that together cover every id, so a loan boarded after the plan belongs to
// one too) recorded in eod_runs and eod_shards; a worker claims a shard with SELECT
// ... FOR UPDATE SKIP LOCKED, holds it by a lease on the database's clock,
// renews it while working and records its progress (the last loan done)
// fenced by the claim's token. A shard whose worker dies is claimed again
// once its lease expires and resumed after the recorded progress. The
// database does all the coordination; workers share no state but it.
//
// A loan may be run twice (a worker that dies after closing a loan's day and
// before recording it, or one that stalls past its lease while the next
// worker starts): the engine's end of day is idempotent by its key and
// guarded by the loan's version, so the day is closed once whatever the
// number of attempts.
type Runs struct {
	s *Store
}

// NewRuns returns the sharded runs of a PostgreSQL store (its migrations
// created the tables).
func NewRuns(s *Store) (*Runs, error) {
	if !s.d.dollar {
		return nil, ErrNotPostgres
	}
	return &Runs{s: s}, nil
}

// Plan records the run of day split into up to shards ranges of about equal
// numbers of the loans the store holds now (a loan boarded later is run
// with its range if the range's workers have not passed its id yet; if they
// have, its next end of day closes this day too), and reports whether it
// created
// the run: a run already planned for the day is left as it is (whoever
// planned it first wins), so every worker may call Plan.
func (r *Runs) Plan(ctx context.Context, day date.Date, shards int) (created bool, err error) {
	if shards < 1 {
		return false, fmt.Errorf("sqlstore: plan run of %s: %d shards", day, shards)
	}
	tx, err := r.s.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlstore: plan run of %s: %w", day, ctxErr(ctx, err))
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	// The insert waits for a concurrent planner of the same day and then
	// does nothing: one plan per day.
	res, err := tx.ExecContext(ctx, `INSERT INTO eod_runs (business_day, shards, loans) VALUES ($1, 1, 0) ON CONFLICT DO NOTHING`, day.String())
	if err != nil {
		return false, fmt.Errorf("sqlstore: plan run of %s: %w", day, ctxErr(ctx, err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, tx.Rollback()
	}
	ids, err := loanIDs(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("sqlstore: plan run of %s: %w", day, err)
	}
	ranges := split(ids, shards)
	for i, rg := range ranges {
		if _, err := tx.ExecContext(ctx, `INSERT INTO eod_shards (business_day, shard, from_loan, to_loan, loans) VALUES ($1, $2, $3, $4, $5)`,
			day.String(), i, rg.from, rg.to, rg.n); err != nil {
			return false, fmt.Errorf("sqlstore: plan run of %s: shard %d: %w", day, i, ctxErr(ctx, err))
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE eod_runs SET shards = $2, loans = $3 WHERE business_day = $1`, day.String(), max(len(ranges), 1), len(ids)); err != nil {
		return false, fmt.Errorf("sqlstore: plan run of %s: %w", day, ctxErr(ctx, err))
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlstore: plan run of %s: %w", day, ctxErr(ctx, err))
	}
	return true, nil
}

func loanIDs(ctx context.Context, tx *sql.Tx) (_ []string, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT loan_id FROM loans ORDER BY loan_id`)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	defer closeRows(rows, &err)
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// loanRange is [from, to) of loan ids, to "" meaning no upper bound; n is
// the number of loans it held when planned.
type loanRange struct {
	from, to string
	n        int
}

// split cuts sorted ids into up to k contiguous ranges whose sizes differ by
// at most one, the first from "" and the last unbounded, so that they cover
// every id (one range when there are no loans yet).
func split(ids []string, k int) []loanRange {
	k = max(min(k, len(ids)), 1)
	out := make([]loanRange, 0, k)
	for i, lo := 0, 0; i < k; i++ {
		hi := lo + (len(ids)-lo)/(k-i)
		r := loanRange{n: hi - lo}
		if i > 0 {
			r.from = ids[lo]
		}
		if i < k-1 {
			r.to = ids[hi]
		}
		out = append(out, r)
		lo = hi
	}
	return out
}

// Lease is a claimed shard.
type Lease struct {
	Day   date.Date
	Shard int
	// From and To bound the shard's loan ids, [From, To); To "" is no
	// upper bound.
	From, To servicing.LoanID
	// Cursor is the last loan whose day the shard's workers recorded as
	// closed ("" for none): work resumes after it.
	Cursor servicing.LoanID
	// Token is the claim's fencing token.
	Token int64
	// Owner names the worker holding the lease.
	Owner string
	// Takeover is true when the shard was claimed from a worker whose lease
	// had expired.
	Takeover bool
}

// Claim claims a shard of day's run that is pending or whose lease has
// expired, leasing it to owner for ttl; ok is false when none is
// claimable now (all done, or held by live leases).
func (r *Runs) Claim(ctx context.Context, day date.Date, owner string, ttl time.Duration) (l Lease, ok bool, err error) {
	l = Lease{Day: day, Owner: owner}
	var from, to, cursor string
	err = r.s.write.QueryRowContext(ctx, `
		UPDATE eod_shards s SET
			owner = $2, token = s.token + 1, status = 'running',
			takeovers = s.takeovers + CASE WHEN s.status = 'running' THEN 1 ELSE 0 END,
			lease_until = now() + make_interval(secs => $3),
			started_at = coalesce(s.started_at, now())
		WHERE s.business_day = $1 AND s.shard = (
			-- A scalar subquery runs once; as a joined subquery the
			-- planner may rescan it per row and claim several shards.
			SELECT shard FROM eod_shards
			WHERE business_day = $1 AND (status = 'pending' OR status = 'running' AND lease_until < now())
			ORDER BY shard LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING s.shard, s.from_loan, s.to_loan, s.cursor, s.token, s.token > 1`,
		day.String(), owner, ttl.Seconds()).Scan(&l.Shard, &from, &to, &cursor, &l.Token, &l.Takeover)
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, false, nil
	}
	if err != nil {
		return Lease{}, false, fmt.Errorf("sqlstore: claim a shard of %s: %w", day, ctxErr(ctx, err))
	}
	l.From, l.To, l.Cursor = servicing.LoanID(from), servicing.LoanID(to), servicing.LoanID(cursor)
	return l, true, nil
}

// Renew extends the lease by ttl and records progress: cursor, the last
// loan done, and the loans closed and failed since the last call. It
// returns ErrLeaseLost if another claim replaced this one.
func (r *Runs) Renew(ctx context.Context, l Lease, ttl time.Duration, cursor servicing.LoanID, done, failed int, lastErr string) error {
	res, err := r.s.write.ExecContext(ctx, `
		UPDATE eod_shards SET lease_until = now() + make_interval(secs => $4),
			cursor = CASE WHEN $5 = '' THEN cursor ELSE $5 END,
			done = done + $6, failed = failed + $7,
			last_error = CASE WHEN $8 = '' THEN last_error ELSE $8 END
		WHERE business_day = $1 AND shard = $2 AND token = $3 AND status = 'running'`,
		l.Day.String(), l.Shard, l.Token, ttl.Seconds(), string(cursor), done, failed, lastErr)
	return fenced(ctx, l, res, err)
}

// Finish marks the shard done, provided the lease is still this claim's.
func (r *Runs) Finish(ctx context.Context, l Lease) error {
	res, err := r.s.write.ExecContext(ctx, `
		UPDATE eod_shards SET status = 'done', finished_at = now(), lease_until = NULL
		WHERE business_day = $1 AND shard = $2 AND token = $3 AND status = 'running'`,
		l.Day.String(), l.Shard, l.Token)
	return fenced(ctx, l, res, err)
}

func fenced(ctx context.Context, l Lease, res sql.Result, err error) error {
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			return fmt.Errorf("sqlstore: shard %d of %s, token %d: %w", l.Shard, l.Day, l.Token, ErrLeaseLost)
		}
	}
	if err != nil {
		return fmt.Errorf("sqlstore: shard %d of %s: %w", l.Shard, l.Day, ctxErr(ctx, err))
	}
	return nil
}

// ShardProgress is one shard's row.
type ShardProgress struct {
	Shard                 int
	From, To              servicing.LoanID // [From, To); To "" is no upper bound
	Loans, Done, Failed   int64
	Status, Owner         string
	Token                 int64
	Takeovers             int
	Cursor                servicing.LoanID
	LastError             string
	StartedAt, FinishedAt time.Time // zero until set
}

// RunProgress is a run's progress.
type RunProgress struct {
	Day    date.Date
	Loans  int64 // loans planned
	Shards []ShardProgress
}

// Done reports whether every shard is done.
func (p RunProgress) Done() bool {
	for _, s := range p.Shards {
		if s.Status != "done" {
			return false
		}
	}
	return true
}

// Closed is the number of loans the shards recorded as done.
func (p RunProgress) Closed() (done, failed int64) {
	for _, s := range p.Shards {
		done, failed = done+s.Done, failed+s.Failed
	}
	return done, failed
}

// Progress returns the run of day with its shards; ErrNoRun if none was
// planned.
func (r *Runs) Progress(ctx context.Context, day date.Date) (_ RunProgress, err error) {
	p := RunProgress{Day: day}
	err = r.s.read.QueryRowContext(ctx, `SELECT loans FROM eod_runs WHERE business_day = $1`, day.String()).Scan(&p.Loans)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("sqlstore: progress of %s: %w", day, ErrNoRun)
	}
	if err != nil {
		return p, fmt.Errorf("sqlstore: progress of %s: %w", day, ctxErr(ctx, err))
	}
	rows, err := r.s.read.QueryContext(ctx, `
		SELECT shard, from_loan, to_loan, loans, done, failed, status, owner, token, takeovers, cursor, last_error,
		       started_at, finished_at
		FROM eod_shards WHERE business_day = $1 ORDER BY shard`, day.String())
	if err != nil {
		return p, fmt.Errorf("sqlstore: progress of %s: %w", day, ctxErr(ctx, err))
	}
	defer closeRows(rows, &err)
	for rows.Next() {
		var s ShardProgress
		var from, to, cursor string
		var started, finished sql.NullTime
		if err := rows.Scan(&s.Shard, &from, &to, &s.Loans, &s.Done, &s.Failed, &s.Status, &s.Owner, &s.Token,
			&s.Takeovers, &cursor, &s.LastError, &started, &finished); err != nil {
			return p, fmt.Errorf("sqlstore: progress of %s: %w", day, err)
		}
		s.From, s.To, s.Cursor = servicing.LoanID(from), servicing.LoanID(to), servicing.LoanID(cursor)
		s.StartedAt, s.FinishedAt = started.Time, finished.Time
		p.Shards = append(p.Shards, s)
	}
	return p, rows.Err()
}

// nextLoans returns up to n loan ids of the lease's range after `after`.
func (r *Runs) nextLoans(ctx context.Context, l Lease, after servicing.LoanID, n int) (_ []servicing.LoanID, err error) {
	rows, err := r.s.read.QueryContext(ctx, `
		SELECT loan_id FROM loans WHERE loan_id >= $1 AND ($2 = '' OR loan_id < $2) AND loan_id > $3
		ORDER BY loan_id LIMIT $4`, string(l.From), string(l.To), string(after), n)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	defer closeRows(rows, &err)
	var out []servicing.LoanID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, servicing.LoanID(id))
	}
	return out, rows.Err()
}

// WorkOptions tune [Runs.Work]; zero values are defaults.
type WorkOptions struct {
	// Owner names the worker in the shard rows (required).
	Owner string
	// Lease is how long a claim lasts without renewal (0: 10s). A worker
	// renews at a third of it.
	Lease time.Duration
	// Chunk is the number of loans closed between progress records (0: 50).
	Chunk int
	// Poll is how long to wait before claiming again while other workers
	// hold every unfinished shard (0: Lease/4).
	Poll time.Duration
	// AfterChunk, when set, is called after each chunk's progress is
	// recorded (a host's metrics, a test's crash point).
	AfterChunk func(l Lease, cursor servicing.LoanID)
}

// WorkReport is what one worker did.
type WorkReport struct {
	Shards    int // shards it finished
	Takeovers int // of which claimed from a dead worker
	Loans     int // loans it ran end of day for (including retried ones)
	Failed    int // loans whose end of day returned an error
}

// Work runs day's end of day with e (an engine on this store) until every
// shard of the run is done: it claims a shard, closes its loans in chunks
// through e.EndOfDayPortfolio, records progress and renews the lease after
// each chunk and in the background, finishes the shard and claims the next;
// while other workers hold the unfinished shards it waits and claims again,
// so it takes over any whose lease expires. A loan's error is counted in the
// shard (failed, last_error) and never stops the others. It returns
// ErrNoRun if the day has no plan, and the context's error when ctx ends.
func (r *Runs) Work(ctx context.Context, e *servicing.Engine, day date.Date, o WorkOptions) (WorkReport, error) {
	if o.Owner == "" {
		return WorkReport{}, errors.New("sqlstore: WorkOptions.Owner is required")
	}
	if o.Lease <= 0 {
		o.Lease = 10 * time.Second
	}
	if o.Chunk <= 0 {
		o.Chunk = 50
	}
	if o.Poll <= 0 {
		o.Poll = o.Lease / 4
	}
	var rep WorkReport
	for {
		l, ok, err := r.Claim(ctx, day, o.Owner, o.Lease)
		if err != nil {
			return rep, err
		}
		if !ok {
			p, err := r.Progress(ctx, day)
			if err != nil {
				return rep, err
			}
			if p.Done() {
				return rep, nil
			}
			select {
			case <-ctx.Done():
				return rep, ctx.Err()
			case <-time.After(o.Poll):
			}
			continue
		}
		n, failed, err := r.runShard(ctx, e, l, o)
		rep.Loans += n
		rep.Failed += failed
		if errors.Is(err, ErrLeaseLost) {
			continue // another worker has it now
		}
		if err != nil {
			return rep, err
		}
		rep.Shards++
		if l.Takeover {
			rep.Takeovers++
		}
	}
}

// runShard closes the lease's loans after its cursor, chunk by chunk.
func (r *Runs) runShard(ctx context.Context, e *servicing.Engine, l Lease, o WorkOptions) (loans, failed int, err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// Renew in the background too, so a slow chunk does not lose the lease;
	// a lost lease cancels the work.
	var mu sync.Mutex // one renewal at a time
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(o.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				mu.Lock()
				err := r.Renew(ctx, l, o.Lease, "", 0, 0, "")
				mu.Unlock()
				if err != nil {
					cancel(err)
					return
				}
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()

	cursor := l.Cursor
	for {
		ids, err := r.nextLoans(ctx, l, cursor, o.Chunk)
		if err != nil {
			return loans, failed, fmt.Errorf("sqlstore: shard %d of %s: loans: %w", l.Shard, l.Day, causeOr(ctx, err))
		}
		if len(ids) == 0 {
			break
		}
		rep, err := e.EndOfDayPortfolio(ctx, ids, l.Day)
		if err != nil {
			return loans, failed, fmt.Errorf("sqlstore: shard %d of %s: %w", l.Shard, l.Day, causeOr(ctx, err))
		}
		bad, lastErr := 0, ""
		for _, out := range rep.Failed() {
			bad++
			lastErr = fmt.Sprintf("loan %s: %v", out.Loan, out.Err)
		}
		loans, failed = loans+len(ids), failed+bad
		cursor = ids[len(ids)-1]
		mu.Lock()
		err = r.Renew(ctx, l, o.Lease, cursor, len(ids)-bad, bad, lastErr)
		mu.Unlock()
		if err != nil {
			return loans, failed, causeOr(ctx, err)
		}
		if o.AfterChunk != nil {
			o.AfterChunk(l, cursor)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	return loans, failed, causeOr(ctx, r.Finish(ctx, l))
}

// causeOr returns the reason ctx was cancelled (a lost lease) in place of
// the error it caused, or err.
func causeOr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) {
		return c
	}
	return err
}
