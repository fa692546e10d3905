package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

//go:embed migrations
var migrations embed.FS

// dialect holds what differs between the databases.
type dialect struct {
	name string
	// dollar rewrites ? placeholders as $1, $2, ... (PostgreSQL).
	dollar bool
}

var (
	sqliteDialect   = dialect{name: "sqlite"}
	postgresDialect = dialect{name: "postgres", dollar: true}
)

// q returns query with its ? placeholders in the dialect's syntax. Queries
// here never contain a literal ?.
func (d dialect) q(query string) string {
	if !d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Store is a [servicing.Store] on database/sql. It is safe for concurrent
// use. Close it when done.
type Store struct {
	write *sql.DB // commits and migrations
	read  *sql.DB // queries; the same handle as write on PostgreSQL
	d     dialect

	// Statements prepared once (database/sql re-prepares them per
	// connection as needed): parsing SQL was a third of a commit's cost.
	cas, newLoan, insertKey, insertEvent, insertCheckpoint *sql.Stmt // on write
	checkpoint, events, lookup                             *sql.Stmt // on read
	insertOutboxSt, ackOutboxSt                            *sql.Stmt // on write
	pendingOutboxSt                                        *sql.Stmt // on read
	savepoint, release, rollbackTo                         *sql.Stmt // on write (SQLite's group commit)

	group *groupWriter // SQLite's group commit; nil on PostgreSQL
	cache *cache       // SQLite's optional read cache; nil when off
	keys  *sql.Stmt    // a loan's idempotency keys (for the cache)
	// stopWriteback stops SQLite's early writeback of its log; nil on
	// PostgreSQL.
	stopWriteback func()
}

func newStore(ctx context.Context, write, read *sql.DB, d dialect) (*Store, error) {
	s := &Store{write: write, read: read, d: d}
	for _, p := range []struct {
		db    *sql.DB
		dst   **sql.Stmt
		query string
	}{
		{write, &s.cas, `UPDATE loans SET version = ? WHERE loan_id = ? AND version = ?`},
		{write, &s.newLoan, `INSERT INTO loans (loan_id, version) VALUES (?, ?) ON CONFLICT (loan_id) DO NOTHING`},
		{write, &s.insertKey, `INSERT INTO idempotency (loan_id, key, payload_hash, version, result) VALUES (?, ?, ?, ?, ?) ON CONFLICT (loan_id, key) DO NOTHING`},
		{write, &s.insertEvent, `INSERT INTO events (loan_id, seq, kind, effective_on, recorded_at, idempotency_key, body) VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{write, &s.insertCheckpoint, `INSERT INTO checkpoints (loan_id, through, version, state, state_encoding) VALUES (?, ?, ?, ?, ?) ON CONFLICT (loan_id, through, version) DO NOTHING`},
		{read, &s.checkpoint, `SELECT l.version, c.version, c.through, c.state, c.state_encoding FROM loans l
			LEFT JOIN (SELECT loan_id, version, through, state, state_encoding FROM checkpoints
			           WHERE through <= ? AND loan_id = ? ORDER BY through DESC, version DESC LIMIT 1) c
			ON c.loan_id = l.loan_id WHERE l.loan_id = ?`},
		{read, &s.events, `SELECT body FROM events WHERE loan_id = ? AND seq >= ? ORDER BY seq`},
		{read, &s.lookup, `SELECT payload_hash, version, result FROM idempotency WHERE loan_id = ? AND key = ?`},
		{read, &s.keys, `SELECT key FROM idempotency WHERE loan_id = ?`},
		{write, &s.insertOutboxSt, insertOutboxSQL},
		{write, &s.ackOutboxSt, ackOutboxSQL},
		{read, &s.pendingOutboxSt, pendingOutboxSQL},
		{write, &s.savepoint, `SAVEPOINT c`},
		{write, &s.release, `RELEASE c`},
		{write, &s.rollbackTo, `ROLLBACK TO c`},
	} {
		st, err := p.db.PrepareContext(ctx, d.q(p.query))
		if err != nil {
			_ = s.closeStmts()
			return nil, fmt.Errorf("sqlstore: prepare %q: %w", p.query, err)
		}
		*p.dst = st
	}
	return s, nil
}

func (s *Store) closeStmts() error {
	var err error
	for _, st := range []*sql.Stmt{s.cas, s.newLoan, s.insertKey, s.insertEvent, s.insertCheckpoint, s.checkpoint, s.events, s.lookup, s.keys, s.insertOutboxSt, s.ackOutboxSt, s.pendingOutboxSt, s.savepoint, s.release, s.rollbackTo} {
		if st != nil {
			err = errors.Join(err, st.Close())
		}
	}
	return err
}

// DB returns the handle commits go through, for hosts that keep their own
// tables in the same database (the demo keeps its progress there). Do not
// write to the store's tables.
func (s *Store) DB() *sql.DB { return s.write }

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Rebind returns query with its ? placeholders in the store's dialect.
func (s *Store) Rebind(query string) string { return s.d.q(query) }

// Close closes the database handles.
func (s *Store) Close() error {
	if s.group != nil {
		s.group.stop()
	}
	if s.stopWriteback != nil {
		s.stopWriteback()
	}
	err := errors.Join(s.closeStmts(), s.write.Close())
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// migrate applies the embedded migrations for the dialect that have not run
// yet, each in its own transaction, in file-name order. lock, when non-empty,
// is run first in each transaction to keep concurrent openers apart.
func migrate(ctx context.Context, db *sql.DB, d dialect, lock string) error {
	if err := applyMigration(ctx, db, d, lock, "", `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	dir := "migrations/" + d.name
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return fmt.Errorf("sqlstore: read migration %s: %w", name, err)
		}
		if err := applyMigration(ctx, db, d, lock, strings.TrimSuffix(name, ".sql"), string(body)); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, d dialect, lock, version, body string) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migration %s: begin: %w", version, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if lock != "" {
		if _, err := tx.ExecContext(ctx, lock); err != nil {
			return fmt.Errorf("sqlstore: migration %s: lock: %w", version, err)
		}
	}
	if version == "" { // the bookkeeping table itself
		if _, err := tx.ExecContext(ctx, body); err != nil {
			return fmt.Errorf("sqlstore: create schema_migrations: %w", err)
		}
		return tx.Commit()
	}
	var n int
	if err := tx.QueryRowContext(ctx, d.q(`SELECT count(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: migration %s: %w", version, err)
	}
	if n > 0 {
		return tx.Rollback()
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("sqlstore: migration %s: %w", version, err)
	}
	// The applied time is informational; the store never reads it.
	if _, err := tx.ExecContext(ctx, d.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("sqlstore: migration %s: record: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migration %s: commit: %w", version, err)
	}
	return nil
}

// ctxErr prefers the context's error over a driver error caused by it.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	return err
}

// LoadCheckpoint implements [servicing.CheckpointLoader].
func (s *Store) LoadCheckpoint(ctx context.Context, id servicing.LoanID, notAfter date.Date) (servicing.Checkpoint, int64, error) {
	if err := ctx.Err(); err != nil {
		return servicing.Checkpoint{}, 0, err
	}
	if s.cache != nil {
		l, err := s.cache.loan(ctx, s, id)
		if err != nil {
			return servicing.Checkpoint{}, 0, err
		}
		if l != nil {
			if cp, v, ok := l.checkpoint(notAfter); ok {
				return cp, v, nil
			}
		}
	}
	return s.loadCheckpointDB(ctx, id, notAfter)
}

func (s *Store) loadCheckpointDB(ctx context.Context, id servicing.LoanID, notAfter date.Date) (servicing.Checkpoint, int64, error) {
	// One statement, so the version and the checkpoint come from one
	// snapshot.
	var cp servicing.Checkpoint
	var version int64
	var cpVersion, through sql.NullInt64
	var state []byte
	var encoding sql.NullInt64
	err := s.checkpoint.QueryRowContext(ctx, int64(notAfter), string(id), string(id)).Scan(&version, &cpVersion, &through, &state, &encoding)
	if errors.Is(err, sql.ErrNoRows) || err == nil && version == 0 {
		return servicing.Checkpoint{}, 0, fmt.Errorf("sqlstore: load checkpoint of loan %q: %w", id, servicing.ErrNotFound)
	}
	if err != nil {
		return servicing.Checkpoint{}, 0, fmt.Errorf("sqlstore: load checkpoint of loan %q: %w", id, ctxErr(ctx, err))
	}
	if cpVersion.Valid {
		if state, err = unpackState(state, encoding.Int64); err != nil {
			return servicing.Checkpoint{}, 0, fmt.Errorf("sqlstore: load checkpoint of loan %q: %w", id, err)
		}
		cp = servicing.Checkpoint{Version: cpVersion.Int64, Through: date.Date(through.Int64), State: state}
		if cp.State == nil {
			cp.State = []byte{}
		}
	}
	return cp, version, nil
}

// Events implements [servicing.EventReader].
func (s *Store) Events(ctx context.Context, id servicing.LoanID, from int64) ([]loan.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.cache != nil {
		l, err := s.cache.loan(ctx, s, id)
		if err != nil {
			return nil, err
		}
		if l != nil {
			if evs, ok := l.events(max(from, 1)); ok {
				return evs, nil
			}
		}
	}
	return s.eventsDB(ctx, id, from)
}

// AppendEvents implements [servicing.EventAppender]: with the cache, the
// loan's recent events are copied into dst without a query.
func (s *Store) AppendEvents(ctx context.Context, id servicing.LoanID, from int64, dst []loan.Event) ([]loan.Event, error) {
	if err := ctx.Err(); err != nil {
		return dst, err
	}
	if s.cache != nil {
		l, err := s.cache.loan(ctx, s, id)
		if err != nil {
			return dst, err
		}
		if l != nil {
			if evs, ok := l.appendEvents(max(from, 1), dst); ok {
				return evs, nil
			}
		}
	}
	evs, err := s.eventsDB(ctx, id, from)
	return append(dst, evs...), err
}

func (s *Store) eventsDB(ctx context.Context, id servicing.LoanID, from int64) (_ []loan.Event, err error) {
	rows, err := s.events.QueryContext(ctx, string(id), from)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: events of loan %q: %w", id, ctxErr(ctx, err))
	}
	defer closeRows(rows, &err)
	out := []loan.Event{}
	var body []byte
	for rows.Next() {
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("sqlstore: events of loan %q: %w", id, ctxErr(ctx, err))
		}
		var e loan.Event
		if err := json.Unmarshal(body, &e); err != nil {
			return nil, fmt.Errorf("sqlstore: decode event of loan %q: %w", id, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: events of loan %q: %w", id, ctxErr(ctx, err))
	}
	return out, nil
}

// LookupIdempotency implements [servicing.IdempotencyLookup].
func (s *Store) LookupIdempotency(ctx context.Context, id servicing.LoanID, key string) (servicing.IdempotencyRecord, error) {
	if err := ctx.Err(); err != nil {
		return servicing.IdempotencyRecord{}, err
	}
	if s.cache != nil {
		l, err := s.cache.loan(ctx, s, id)
		if err != nil {
			return servicing.IdempotencyRecord{}, err
		}
		if l != nil && !l.hasKey(key) {
			return servicing.IdempotencyRecord{}, fmt.Errorf("sqlstore: idempotency key %q of loan %q: %w", key, id, servicing.ErrNotFound)
		}
	}
	r := servicing.IdempotencyRecord{Key: key}
	var hash []byte
	err := s.lookup.QueryRowContext(ctx, string(id), key).Scan(&hash, &r.Version, &r.Result)
	if errors.Is(err, sql.ErrNoRows) {
		return servicing.IdempotencyRecord{}, fmt.Errorf("sqlstore: idempotency key %q of loan %q: %w", key, id, servicing.ErrNotFound)
	}
	if err != nil {
		return servicing.IdempotencyRecord{}, fmt.Errorf("sqlstore: idempotency key %q of loan %q: %w", key, id, ctxErr(ctx, err))
	}
	if len(hash) != len(r.PayloadHash) {
		return servicing.IdempotencyRecord{}, fmt.Errorf("sqlstore: idempotency key %q of loan %q: stored hash has %d bytes", key, id, len(hash))
	}
	copy(r.PayloadHash[:], hash)
	if r.Result == nil {
		r.Result = []byte{}
	}
	return r, nil
}

// encoded is an event ready to insert.
type encoded struct {
	e    loan.Event
	body []byte
}

// Commit implements [servicing.Committer]: one transaction, all of the batch
// or none of it.
func (s *Store) Commit(ctx context.Context, id servicing.LoanID, expected int64, b servicing.Batch) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	evs, cp, err := checkBatch(expected, b)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: commit loan %q: %w", id, err)
	}
	newVersion := expected + int64(len(b.Events))
	if s.group != nil {
		r := &request{ctx: ctx, loan: id, expected: expected, b: b, evs: evs, cp: cp, reply: make(chan error, 1)}
		if err := s.group.commit(r); err != nil {
			return 0, err
		}
		return newVersion, nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: commit loan %q: begin: %w", id, ctxErr(ctx, err))
	}
	if err := s.commitTx(ctx, tx, id, expected, newVersion, b, evs, cp); err != nil {
		_ = tx.Rollback()
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlstore: commit loan %q: %w", id, ctxErr(ctx, err))
	}
	return newVersion, nil
}

func (s *Store) commitTx(ctx context.Context, tx *sql.Tx, loanID servicing.LoanID, expected, newVersion int64, b servicing.Batch, evs []encoded, packed packedState) error {
	id := string(loanID)
	swapped, err := affected(tx.StmtContext(ctx, s.cas).ExecContext(ctx, newVersion, id, expected))
	if err == nil && !swapped && expected == 0 {
		swapped, err = affected(tx.StmtContext(ctx, s.newLoan).ExecContext(ctx, id, newVersion))
	}
	if err != nil {
		return fmt.Errorf("sqlstore: commit loan %q: version: %w", id, ctxErr(ctx, err))
	}
	if !swapped {
		return fmt.Errorf("sqlstore: commit loan %q at version %d: %w", id, expected, servicing.ErrVersionConflict)
	}
	if r := b.Idempotency; r != nil {
		result := r.Result
		if result == nil {
			result = []byte{}
		}
		inserted, err := affected(tx.StmtContext(ctx, s.insertKey).ExecContext(ctx, id, r.Key, r.PayloadHash[:], r.Version, result))
		if err != nil {
			return fmt.Errorf("sqlstore: commit loan %q: idempotency key %q: %w", id, r.Key, ctxErr(ctx, err))
		}
		if !inserted {
			return fmt.Errorf("sqlstore: commit loan %q key %q: %w", id, r.Key, servicing.ErrDuplicateKey)
		}
	}
	for _, ev := range evs {
		e := ev.e
		var body any = ev.body
		if s.d.dollar {
			body = string(ev.body) // jsonb takes text
		}
		if _, err := tx.StmtContext(ctx, s.insertEvent).ExecContext(ctx, id, e.Seq, string(e.Kind), e.EffectiveOn.String(),
			e.RecordedAt.UTC().Format(time.RFC3339Nano), e.IdempotencyKey, body); err != nil {
			return fmt.Errorf("sqlstore: commit loan %q: event %d: %w", id, e.Seq, ctxErr(ctx, err))
		}
	}
	if cp := b.Checkpoint; cp != nil {
		if _, err := tx.StmtContext(ctx, s.insertCheckpoint).ExecContext(ctx, id, int64(cp.Through), cp.Version, packed.state, packed.encoding); err != nil {
			return fmt.Errorf("sqlstore: commit loan %q: checkpoint: %w", id, ctxErr(ctx, err))
		}
	}
	return s.insertOutbox(ctx, tx, id, newVersion, b)
}

func affected(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// checkBatch rejects a batch whose events are not numbered expected+1, ...,
// whose checkpoint lies beyond the new version, whose idempotency key is
// empty, or whose events do not encode; it returns the encoded events and
// the checkpoint's state as stored (compressed in the caller's goroutine,
// not the group writer's).
func checkBatch(expected int64, b servicing.Batch) ([]encoded, packedState, error) {
	if expected < 0 {
		return nil, packedState{}, fmt.Errorf("expected version %d: %w", expected, servicing.ErrInvalidBatch)
	}
	out := make([]encoded, len(b.Events))
	for i, e := range b.Events {
		if e.Seq != expected+int64(i)+1 {
			return nil, packedState{}, fmt.Errorf("event %d has seq %d, want %d: %w", i, e.Seq, expected+int64(i)+1, servicing.ErrInvalidBatch)
		}
		body, err := json.Marshal(e)
		if err != nil {
			return nil, packedState{}, fmt.Errorf("event %d: %w: %w", e.Seq, servicing.ErrInvalidBatch, err)
		}
		out[i] = encoded{e: e, body: body}
	}
	newVersion := expected + int64(len(b.Events))
	if b.Checkpoint != nil && (b.Checkpoint.Version > newVersion || b.Checkpoint.Version < 0) {
		return nil, packedState{}, fmt.Errorf("checkpoint version %d beyond new version %d: %w", b.Checkpoint.Version, newVersion, servicing.ErrInvalidBatch)
	}
	if b.Idempotency != nil && b.Idempotency.Key == "" {
		return nil, packedState{}, fmt.Errorf("empty idempotency key: %w", servicing.ErrInvalidBatch)
	}
	if len(b.Outbox) > 0 && len(b.Events) == 0 {
		return nil, packedState{}, fmt.Errorf("outbox records without events: %w", servicing.ErrInvalidBatch)
	}
	var cp packedState
	if b.Checkpoint != nil {
		cp = packState(b.Checkpoint.State)
	}
	return out, cp, nil
}

// closeRows closes a result set and keeps its error in *err when nothing
// failed before (deferred with a named result), so a failure to release
// the rows is reported rather than dropped.
func closeRows(rows *sql.Rows, err *error) {
	if cerr := rows.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
}
