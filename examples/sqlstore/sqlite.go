package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

// SQLiteOptions tune [OpenSQLite]; the zero value is the default.
type SQLiteOptions struct {
	// BusyTimeoutMillis is how long a connection waits for a lock held by
	// another process before failing with SQLITE_BUSY (0: 10000).
	BusyTimeoutMillis int
	// Readers is the size of the read pool (0: max(4, GOMAXPROCS)).
	Readers int
	// SyncFull makes every commit fsync (PRAGMA synchronous=FULL). The
	// default, NORMAL, is durable against process crashes and loses at most
	// the last commits on power loss, which is SQLite's recommendation for
	// WAL mode.
	SyncFull bool
}

// OpenSQLite opens (creating if needed) the SQLite database file at path and
// applies the migrations. The file is put in WAL mode with a busy timeout;
// commits go through one writer connection (BEGIN IMMEDIATE), reads through a
// pool of read-only connections.
func OpenSQLite(ctx context.Context, path string, opts SQLiteOptions) (*Store, error) {
	if path == "" || path == ":memory:" {
		return nil, errors.New("sqlstore: OpenSQLite needs a file path (an in-memory database cannot be shared by the read and write connections)")
	}
	busy := opts.BusyTimeoutMillis
	if busy <= 0 {
		busy = 10000
	}
	readers := opts.Readers
	if readers <= 0 {
		readers = max(4, runtime.GOMAXPROCS(0))
	}
	sync := "NORMAL"
	if opts.SyncFull {
		sync = "FULL"
	}
	base := url.Values{}
	base.Set("_busy_timeout", fmt.Sprint(busy))
	base.Set("_journal_mode", "WAL")
	base.Set("_synchronous", sync)
	dsn := func(extra map[string]string) string {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		for k, x := range extra {
			v.Set(k, x)
		}
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + v.Encode()
	}

	write, err := sql.Open("sqlite", dsn(map[string]string{"_txlock": "immediate"}))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", path, err)
	}
	// One writer: SQLite admits one write transaction at a time, so queue
	// writers in database/sql rather than in SQLite's busy handler.
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := migrate(ctx, write, sqliteDialect, ""); err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("%w (database %s)", err, path)
	}
	read, err := sql.Open("sqlite", dsn(map[string]string{"_query_only": "1"}))
	if err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("sqlstore: open %s for reading: %w", path, err)
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	if err := read.PingContext(ctx); err != nil {
		_ = write.Close()
		_ = read.Close()
		return nil, fmt.Errorf("sqlstore: open %s for reading: %w", path, err)
	}
	return newStore(write, read, sqliteDialect), nil
}
