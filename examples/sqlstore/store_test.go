package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func TestSQLiteConformance(t *testing.T) {
	servicingtest.TestStore(t, func(t *testing.T) servicing.Store { return openSQLite(t) })
}

func TestSQLiteCachedConformance(t *testing.T) {
	servicingtest.TestStore(t, func(t *testing.T) servicing.Store { return openSQLiteCached(t) })
}

func TestPostgresConformance(t *testing.T) {
	postgresDSN(t)
	// One schema for the whole suite: its loan IDs are unique per subtest.
	dsn := postgresSchema(t)
	s, err := sqlstore.OpenPostgres(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	servicingtest.TestStore(t, func(*testing.T) servicing.Store { return s })
}

// payments returns n payment events numbered from+1, ....
func payments(from int64, n int, key string) []loan.Event {
	out := make([]loan.Event, n)
	for i := range out {
		seq := from + int64(i) + 1
		out[i] = loan.Event{
			Seq: seq, Kind: loan.KindPaymentReceived,
			EffectiveOn: date.New(2025, time.March, 1) + date.Date(seq),
			RecordedAt:  time.Date(2025, time.March, 1, 12, 0, 0, int(seq)*1000, time.UTC),
			Actor:       "test", IdempotencyKey: key,
			Payload: loan.PaymentReceived{Amount: money.MustNew(1000+seq, money.USD)},
		}
	}
	return out
}

// stores runs f against SQLite and, when a server is reachable, PostgreSQL.
func stores(t *testing.T, f func(t *testing.T, open func(t *testing.T) *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		f(t, func(t *testing.T) *sqlstore.Store { return openSQLite(t) })
	})
	t.Run("sqlite-cached", func(t *testing.T) {
		f(t, func(t *testing.T) *sqlstore.Store { return openSQLiteCached(t) })
	})
	t.Run("postgres", func(t *testing.T) {
		postgresDSN(t)
		f(t, func(t *testing.T) *sqlstore.Store { return openPostgres(t) })
	})
}

// The schema refuses to edit or delete events, whatever the application does.
func TestEventsAppendOnly(t *testing.T) {
	stores(t, func(t *testing.T, open func(*testing.T) *sqlstore.Store) {
		s := open(t)
		ctx := context.Background()
		_, err := s.Commit(ctx, "L1", 0, servicing.Batch{Events: payments(0, 2, "k")})
		require.NoError(t, err)
		_, err = s.DB().ExecContext(ctx, `UPDATE events SET kind = 'fee_assessed'`)
		require.ErrorContains(t, err, "append-only")
		_, err = s.DB().ExecContext(ctx, `DELETE FROM events`)
		require.ErrorContains(t, err, "append-only")
		evs, err := s.Events(ctx, "L1", 1)
		require.NoError(t, err)
		require.Len(t, evs, 2)
	})
}

// Reopening a SQLite file keeps the log and does not rerun migrations.
func TestSQLiteReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "servicing.db")
	s, err := sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	want := payments(0, 3, "k")
	_, err = s.Commit(ctx, "L1", 0, servicing.Batch{Events: want,
		Checkpoint:  &servicing.Checkpoint{Version: 3, Through: want[2].EffectiveOn, State: []byte("s")},
		Idempotency: &servicing.IdempotencyRecord{Key: "k", Version: 3, Result: []byte("r")}})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s, err = sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	defer s.Close()
	got, err := s.Events(ctx, "L1", 1)
	require.NoError(t, err)
	require.Len(t, got, 3)
	for i := range want {
		require.Equal(t, want[i].Seq, got[i].Seq)
		require.True(t, want[i].RecordedAt.Equal(got[i].RecordedAt))
		require.Equal(t, want[i].Payload, got[i].Payload)
	}
	cp, v, err := s.LoadCheckpoint(ctx, "L1", date.Max())
	require.NoError(t, err)
	require.Equal(t, int64(3), v)
	require.Equal(t, "s", string(cp.State))
	var n, all int
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = '0001_init'`).Scan(&n))
	require.Equal(t, 1, n, "0001_init recorded once")
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&all))
	require.Equal(t, 4, all, "the four migrations, each once")
}

// Two connections racing to create the same new loan: exactly one wins.
func TestNewLoanRace(t *testing.T) {
	stores(t, func(t *testing.T, open func(*testing.T) *sqlstore.Store) {
		s := open(t)
		ctx := context.Background()
		const racers = 8
		errs := make(chan error, racers)
		for i := range racers {
			go func() {
				_, err := s.Commit(ctx, "NEW", 0, servicing.Batch{Events: payments(0, 1, fmt.Sprint("r", i))})
				errs <- err
			}()
		}
		won := 0
		for range racers {
			err := <-errs
			if err == nil {
				won++
				continue
			}
			require.True(t, errors.Is(err, servicing.ErrVersionConflict), "loser error: %v", err)
		}
		require.Equal(t, 1, won)
		evs, err := s.Events(ctx, "NEW", 1)
		require.NoError(t, err)
		require.Len(t, evs, 1)
	})
}

func TestOpenSQLiteRejectsMemory(t *testing.T) {
	_, err := sqlstore.OpenSQLite(context.Background(), ":memory:", sqlstore.SQLiteOptions{})
	require.ErrorContains(t, err, "file path")
}

// A database written before the outbox existed (only 0001_init applied)
// gains the outbox table on open, keeps its loans, and records the outbox of
// later commits.
func TestSQLiteUpgradeAddsOutbox(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "servicing.db")
	s, err := sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	_, err = s.Commit(ctx, "L1", 0, servicing.Batch{Events: payments(0, 2, "k")})
	require.NoError(t, err)
	// Back to the schema of the first release.
	_, err = s.DB().ExecContext(ctx, `DROP TABLE outbox`)
	require.NoError(t, err)
	_, err = s.DB().ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = '0002_outbox'`)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s, err = sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	defer s.Close()
	got, err := s.Events(ctx, "L1", 1)
	require.NoError(t, err)
	require.Len(t, got, 2)
	ev := loan.DomainEvent{Type: loan.DomainPaidOff, On: date.New(2025, time.March, 9)}
	_, err = s.Commit(ctx, "L1", 2, servicing.Batch{Events: payments(2, 1, "k2"), Outbox: []loan.DomainEvent{ev}})
	require.NoError(t, err)
	recs, err := s.PendingOutbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, recs, 1)
	require.Equal(t, servicing.OutboxID{Loan: "L1", Version: 3, Index: 0}, recs[0].ID)
	require.Equal(t, ev.Key(), recs[0].Event.Key())
}
