package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// migrationLock keeps concurrent openers of one database from running the
// same migration twice (an arbitrary advisory-lock key: "lendcore").
// postgresIdleConns is how many idle connections a store keeps open.
const postgresIdleConns = 16

const migrationLock = `SELECT pg_advisory_xact_lock(7308895197451871589)`

// OpenPostgres connects to the PostgreSQL database named by dsn (a URL or a
// keyword/value string, as pgx accepts) and applies the migrations. Tables
// go in the connection's search_path (set search_path in the DSN to use a
// schema other than public).
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	// database/sql keeps 2 idle connections by default: a burst of
	// concurrent commits (a chunk of a portfolio's end of day) then closes
	// the rest, and the next burst pays a new server process and
	// re-prepared statements for each.
	db.SetMaxIdleConns(postgresIdleConns)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlstore: connect to postgres: %w", err)
	}
	if err := migrate(ctx, db, postgresDialect, migrationLock); err != nil {
		_ = db.Close()
		return nil, err
	}
	s, err := newStore(ctx, db, db, postgresDialect)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}
