package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/stretchr/testify/require"
)

// dsnEnv names the environment variable holding the PostgreSQL test
// server's DSN; scripts/postgres.sh sets it in CI.
const dsnEnv = "SERVICING_PG_DSN"

// openSQLite opens a fresh SQLite store in a temporary directory.
func openSQLite(t testing.TB) *sqlstore.Store {
	return openSQLiteWith(t, sqlstore.SQLiteOptions{})
}

// openSQLiteCached opens a fresh SQLite store with the read cache.
func openSQLiteCached(t testing.TB) *sqlstore.Store {
	return openSQLiteWith(t, sqlstore.SQLiteOptions{Cache: true})
}

func openSQLiteWith(t testing.TB, opts sqlstore.SQLiteOptions) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "servicing.db"), opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// postgresDSN returns the test server's DSN, or skips the test when none is
// configured or reachable. In CI (CI=true) the PostgreSQL tests must run, so
// it fails instead of skipping.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	ci := os.Getenv("CI") == "true"
	if dsn == "" {
		if ci {
			t.Fatalf("CI=true but %s is not set: scripts/test.sh starts PostgreSQL with scripts/postgres.sh in CI", dsnEnv)
		}
		skipPostgres(t, fmt.Sprintf("set %s to a reachable server (e.g. from examples/: ../scripts/postgres.sh go test ./...)", dsnEnv))
	}
	db, err := sql.Open("pgx", dsn)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
		_ = db.Close()
	}
	if err != nil {
		if ci {
			t.Fatalf("CI=true but PostgreSQL at %s is not reachable: %v", dsnEnv, err)
		}
		skipPostgres(t, fmt.Sprintf("server at %s not reachable: %v", dsnEnv, err))
	}
	return dsn
}

// postgresSchema creates a schema of its own for the test (dropped at the
// end) and returns the DSN with search_path set to it, so runs never see
// each other's loans.
func postgresSchema(t testing.TB) string {
	t.Helper()
	dsn := postgresDSN(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "servicing_test_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.Exec(`CREATE SCHEMA ` + schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(t, dsn, schema)
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		require.NoError(t, err)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

// openPostgres opens a store in a fresh schema.
func openPostgres(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.OpenPostgres(context.Background(), postgresSchema(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}
