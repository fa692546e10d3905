package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func runBoardArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"board"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// TestBoardTapeTable boards the sample tape; the payments are the ones
// worked by hand in package tape's tests (300000.00 at 6.5 % over 360:
// 1896.20; 200000.00 at 6 % over 180: 1687.71; the 48-month auto loan on
// actual/365: 584.71).
func TestBoardTapeTable(t *testing.T) {
	code, out, errs := runBoardArgs(t, "--tape", "../../testdata/tape/mortgages.csv")
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "3 rows, 3 boarded, 0 problems")
	for _, line := range []string{"MTG-3001   mortgage_30_fixed  300000.00  6.5000%  1896.20  2025-03-01  current",
		"MTG-3002   mortgage_15_fixed  200000.00  6.0000%  1687.71  2025-04-01  current",
		"AUTO-4001  auto_loan          24000.00   7.9000%  584.71   2025-02-10  current"} {
		require.Contains(t, out, line)
	}
}

// TestBoardTapeErrors: the LOS export under its own names boards nothing
// and names every bad cell by row and column; -board-valid boards its one
// good row (250000.00 at 6.25 % over 360: 1539.29).
func TestBoardTapeErrors(t *testing.T) {
	args := []string{"--tape", "../../testdata/tape/los_export.csv", "-columns", "../../testdata/tape/los_export_columns.json", "-format", "json"}
	code, out, errs := runBoardArgs(t, args...)
	require.Equal(t, 1, code, errs)
	var res boardOut
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Equal(t, 5, res.Rows)
	require.Empty(t, res.Boarded)
	var cells []string
	for _, e := range res.Errors {
		cells = append(cells, e.Column)
	}
	require.Equal(t, []string{"Note Rate", "Funded", "Note Amount", "First Payment", "Loan Number", "Borrower ID"}, cells)
	require.Equal(t, 3, res.Errors[0].Row)
	require.Equal(t, "Terms.annual_rate", res.Errors[0].Field)

	code, out, errs = runBoardArgs(t, append(args, "-board-valid")...)
	require.Equal(t, 1, code, errs)
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res.Boarded, 1)
	require.Equal(t, "MTG-5001", res.Boarded[0].Loan)
	require.Equal(t, "USD 1539.29", res.Boarded[0].State.Payment.Format())
	require.Len(t, res.Errors, 6)

	// Without the mapping the LOS's names are refused as unknown columns.
	code, out, _ = runBoardArgs(t, "--tape", "../../testdata/tape/los_export.csv")
	require.Equal(t, 1, code)
	require.Contains(t, out, "Note Rate")
	// Eight unknown header names, and loan_id and borrower missing.
	require.Contains(t, out, "0 boarded, 10 problems")
	require.Equal(t, 10, strings.Count(out, "\n1    "), out)
}

func TestBoardUsage(t *testing.T) {
	code, _, _ := runBoardArgs(t)
	require.Equal(t, 2, code)
	code, _, _ = runBoardArgs(t, "--help")
	require.Equal(t, 0, code)
	code, _, errs := runBoardArgs(t, "--tape", "missing.csv")
	require.Equal(t, 1, code)
	require.Contains(t, errs, "missing.csv")
}
