package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// twoLoans writes two scenarios of 200,000.00 at 6 % for 30 years (1,199.10
// a month, first due 1 Mar 2024): A pays March and April, B March only;
// A also pays 5,000.00 beyond April's installment on 1 Apr.
func twoLoans(t *testing.T) []string {
	t.Helper()
	const boarding = `{"terms": {"currency": "USD", "principal": "200000.00", "annual_rate": "6%%", "installments": 360,
	  "frequency": {"unit": "month", "every": 1}, "eom": "anchor", "funding_date": "2024-01-15", "first_due_date": "2024-03-01",
	  "day_count": {"convention": "30U_360_EOM"}, "interest_method": "scheduled", "interest_rounding": "half_away_from_zero",
	  "payment": "1199.10", "escrow_payment": "0.00", "allocation": {"extra": "principal"}}, "borrower": "B-%s"}`
	dir := t.TempDir()
	var files []string
	for id, cmds := range map[string]string{
		"A": `{"type": "payment", "on": "2024-03-01", "amount": "1199.10"}, {"type": "payment", "on": "2024-04-01", "amount": "6199.10"}`,
		"B": `{"type": "payment", "on": "2024-03-01", "amount": "1199.10"}`,
	} {
		sc := `{"loan": "` + id + `", "boarding": ` + strings.ReplaceAll(strings.Replace(boarding, "%s", id, 1), "%%", "%") +
			`, "commands": [` + cmds + `], "as_of": ["2024-05-15"]}`
		f := filepath.Join(dir, id+".json")
		require.NoError(t, os.WriteFile(f, []byte(sc), 0o644))
		files = append(files, f)
	}
	return files
}

// On 15 May A (May unpaid, 14 days) is 1-29 with 194,600.80 (199,800.90 −
// 200.10 − 5,000.00) and B (April unpaid, 44 days) 30-59 with 199,800.90.
// April's period: both open at the end of March with 199,800.90; April's
// scheduled principal 200.10 each; A's 5,000.00 a curtailment: SMM =
// 5,000.00 / (399,601.80 − 400.20) = 0.0125249999 (money in JSON carries its
// currency).
func TestReportCommand(t *testing.T) {
	files := twoLoans(t)
	code, out, stderr := cliRun(t, append([]string{"report", "-format", "csv", "aging"}, files...)...)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, out, "1-29,1,194600.80,0.500000,")
	require.Contains(t, out, "30-59,1,199800.90,0.500000,")
	require.Contains(t, out, "total,2,394401.70,1.000000,1.000000")

	code, out, stderr = cliRun(t, append([]string{"report", "-format", "json", "-from", "2024-03-31", "-to", "2024-04-30", "performance"}, files...)...)
	require.Equal(t, 0, code, stderr)
	var ps []struct{ Beginning, Scheduled, Curtailments, SMM string }
	require.NoError(t, json.Unmarshal([]byte(out), &ps))
	require.Len(t, ps, 1)
	require.Equal(t, []string{"USD 399601.80", "USD 400.20", "USD 5000.00", "0.0125249999"}, []string{ps[0].Beginning, ps[0].Scheduled, ps[0].Curtailments, ps[0].SMM})

	// The pool's remittance, scheduled/scheduled with a 0.25 % servicing
	// fee (half up): in April A pays its installment and 5,000.00 more, B
	// nothing. A: interest 999.00 (199,800.90 × 0.5 %), fee 199,800.90 ×
	// 0.25 % / 12 = 41.625 → 41.63, net 957.37; remitted 200.10 + 5,000.00
	// + 957.37 = 6,157.47. B: the servicer advances 200.10 + 957.37 =
	// 1,157.47 and the investor gets it. Collected 6,199.10 = remitted
	// 7,314.94 + retained 41.63 − advanced 1,157.47.
	code, out, stderr = cliRun(t, append([]string{"report", "-format", "json", "-from", "2024-03-01", "-to", "2024-04-30", "remittance"}, files...)...)
	require.Equal(t, 0, code, stderr)
	var rs []struct {
		Totals struct {
			Collected, Remitted, Retained, Advanced string
			AdvanceOutstanding                      string `json:"advance_outstanding"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rs))
	require.Len(t, rs, 2)
	apr := rs[1].Totals
	require.Equal(t, []string{"USD 6199.10", "USD 7314.94", "USD 41.63", "USD 1157.47", "USD 1157.47"},
		[]string{apr.Collected, apr.Remitted, apr.Retained, apr.Advanced, apr.AdvanceOutstanding})

	// Every report prints in the terminal within 100 columns, labelled.
	for _, k := range reportKinds {
		code, out, stderr = cliRun(t, append([]string{"report", k.name}, files...)...)
		require.Equal(t, 0, code, "%s: %s", k.name, stderr)
		require.NotEmpty(t, out, k.name)
		for _, l := range strings.Split(out, "\n") {
			require.LessOrEqual(t, len(l), maxWidth, "%s: %q", k.name, l)
		}
	}
	code, out, _ = cliRun(t, append([]string{"report", "-loan", "B", "-kinds", "payment_received", "-format", "csv", "audit"}, files...)...)
	require.Equal(t, 0, code)
	require.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 2, "header and B's one payment")

	code, _, stderr = cliRun(t, "report", "nonsense", files[0])
	require.Equal(t, 2, code)
	require.Contains(t, stderr, "Usage: servicing report")
	code, _, stderr = cliRun(t, "report", "aging", files[0], files[0])
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "is in an earlier scenario")
}
