package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestBoardTape boards the repository's sample tape into a SQLite file: the
// payments are those worked by hand in package tape's tests (1896.20,
// 1687.71, 584.71), the loans are in the file when it is opened again, and
// boarding the tape a second time boards nothing.
func TestBoardTape(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tape.db")
	now := func() time.Time { return time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC) }
	var out bytes.Buffer
	require.NoError(t, boardTape(ctx, path, "../../../testdata/tape/mortgages.csv", now, &out))
	for _, s := range []string{"3 rows, 3 boarded", "MTG-3001   mortgage_30_fixed  300000.00  6.5000%  1896.20  2025-03-01",
		"MTG-3002   mortgage_15_fixed  200000.00  6.0000%  1687.71  2025-04-01", "AUTO-4001  auto_loan          24000.00   7.9000%  584.71   2025-02-10"} {
		require.Contains(t, out.String(), s)
	}
	st, err := sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	require.NoError(t, err)
	eng, err := servicing.New(servicing.Config{Store: st, Now: now})
	require.NoError(t, err)
	s, err := eng.State(ctx, "MTG-3002", date.New(2025, time.April, 1))
	require.NoError(t, err)
	require.Equal(t, "350.00", s.Terms.EscrowPayment.String())
	require.NoError(t, st.Close())

	out.Reset()
	err = boardTape(ctx, path, "../../../testdata/tape/mortgages.csv", now, &out)
	require.Error(t, err)
	require.Contains(t, out.String(), "0 boarded")
	require.Contains(t, out.String(), "loan already boarded")
	require.Contains(t, err.Error(), "3 problems, nothing boarded")
}
