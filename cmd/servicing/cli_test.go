package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// cliRun runs the command line in-process and returns its exit status,
// standard output and standard error.
func cliRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// lastLine is the final non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// vectorFiles lists testdata/vectors/*.json and the number of cases they
// hold, counted here from the JSON rather than taken from the checker: the
// entries of each file's "cases", plus the entries of "rules" in the RESPA
// escrow file, whose rule facts (the 1/6 cushion and the like) are checked
// one by one against the escrow package.
func vectorFiles(t *testing.T) (files []string, cases int) {
	t.Helper()
	files, err := filepath.Glob("../../testdata/vectors/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var top struct {
			Cases []json.RawMessage `json:"cases"`
			Rules []json.RawMessage `json:"rules"`
		}
		require.NoError(t, json.Unmarshal(data, &top), f)
		cases += len(top.Cases)
		if filepath.Base(f) == "respa_escrow.json" {
			cases += len(top.Rules)
		}
	}
	return files, cases
}

// TestVectorsAllPass: every reference case of every file passes, none is
// skipped, and the summary counts them all.
func TestVectorsAllPass(t *testing.T) {
	files, cases := vectorFiles(t)
	code, out, errs := cliRun(t, append([]string{"vectors"}, files...)...)
	require.Equal(t, 0, code, errs)
	require.Empty(t, errs)
	require.Equal(t, strconv.Itoa(cases)+" passed, 0 failed", lastLine(out))
	require.NotContains(t, out, "FAIL")
	for _, f := range files {
		require.Regexp(t, regexp.QuoteMeta(f)+`: \d+ passed, 0 failed, 0 skipped`, out)
	}
}

// TestVectorsCorruptedCase: a vector file whose stated answer was altered
// (Reg Z Appendix J (c)(1)(i) says 9.69 %; the copy says 9.70 %) fails
// with exit status 1 and a FAIL line giving the file's expected value and the
// library's actual one.
func TestVectorsCorruptedCase(t *testing.T) {
	data, err := os.ReadFile("../../testdata/vectors/regz_apr.json")
	require.NoError(t, err)
	const good = `"apr_percent": "9.69"`
	require.Equal(t, 1, strings.Count(string(data), good))
	path := filepath.Join(t.TempDir(), "regz_apr.json")
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), good, `"apr_percent": "9.70"`, 1)), 0o644))

	code, out, _ := cliRun(t, "vectors", path)
	require.Equal(t, 1, code)
	require.Contains(t, out, "  FAIL regz-appj-c-1-i: expected 9.70, got 9.69\n")
	require.Equal(t, 1, strings.Count(out, "FAIL"))
	require.Equal(t, "7 passed, 1 failed", lastLine(out))
}

// TestVectorsUnimplementedFamily: cases of a family the library has no
// checker for are reported as skipped, never counted as passed.
func TestVectorsUnimplementedFamily(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "late_fees.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"source":"test","cases":[{"id":"a","fee":"15.00"},{"id":"b","fee":"0.00"}]}`), 0o644))

	code, out, errs := cliRun(t, "vectors", "-v", path)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, path+": 0 passed, 0 failed, 2 skipped\n")
	require.Contains(t, out, "  skip late_fees#0: family not implemented\n")
	require.Equal(t, "0 passed, 0 failed, 2 skipped", lastLine(out))

	// Mixed with a real family, the skipped cases still show in the total.
	code, out, _ = cliRun(t, "vectors", path, "../../testdata/vectors/rule78.json")
	require.Equal(t, 0, code)
	require.Regexp(t, `^\d+ passed, 0 failed, 2 skipped$`, lastLine(out))
}

func TestVectorsBadInvocation(t *testing.T) {
	code, _, errs := cliRun(t, "vectors")
	require.Equal(t, 2, code)
	require.Contains(t, errs, "Usage: servicing vectors")

	code, _, errs = cliRun(t, "vectors", filepath.Join(t.TempDir(), "missing.json"))
	require.Equal(t, 1, code)
	require.Contains(t, errs, "servicing vectors:")

	code, _, _ = cliRun(t, "vectors", "-no-such-flag")
	require.Equal(t, 2, code)
}

// TestHelp: vectors, schedule, apr and simulate answer --help, -h and `help <command>`
// with their usage and exit status 0; every command prints its usage; the
// bare command and --help list the commands.
func TestHelp(t *testing.T) {
	for _, name := range []string{"vectors", "schedule", "apr", "simulate"} {
		t.Run(name, func(t *testing.T) {
			for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
				code, out, errs := cliRun(t, args...)
				require.Equal(t, 0, code, "%v: %s", args, errs)
				require.Contains(t, out+errs, "Usage: servicing "+name, "%v", args)
			}
		})
	}
	for name := range commands {
		_, out, errs := cliRun(t, name, "--help")
		require.Contains(t, out+errs, "Usage: servicing "+name, name)
	}
	for _, args := range [][]string{nil, {"--help"}, {"-h"}, {"help"}} {
		code, out, _ := cliRun(t, args...)
		require.Equal(t, 0, code, "%v", args)
		require.Contains(t, out, "Usage: servicing <command>")
		for name, c := range commands {
			require.Contains(t, out, name, "%v", args)
			require.Contains(t, out, c.summary, "%v", args)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	code, out, errs := cliRun(t, "amortise", "-n", "360")
	require.Equal(t, 2, code)
	require.Empty(t, out)
	require.Contains(t, errs, `servicing: unknown command "amortise"`)
	require.Contains(t, errs, "Commands:")

	code, _, errs = cliRun(t, "help", "amortise")
	require.Equal(t, 2, code)
	require.Contains(t, errs, "unknown command")
}

// referenceMortgage is an independent oracle for 200,000.00 at 6.5 % over
// 360 months: the level payment L·r/(1−(1+r)^−n), r = 0.065/12, computed
// exactly with math/big and rounded half up to the cent; then the table
// walked in integer cents, each month's interest balance × 65/12000 rounded
// half up, the last payment clearing the balance.
func referenceMortgage(t *testing.T) (payment, last, interest int64) {
	t.Helper()
	r := big.NewRat(65, 12000)
	onePlus := new(big.Rat).Add(big.NewRat(1, 1), r)
	pow := new(big.Rat).SetInt64(1)
	for range 360 {
		pow.Mul(pow, onePlus)
	}
	// L·r·(1+r)^n / ((1+r)^n − 1), in cents.
	num := new(big.Rat).Mul(new(big.Rat).Mul(big.NewRat(20_000_000, 1), r), pow)
	exact := new(big.Rat).Quo(num, new(big.Rat).Sub(pow, big.NewRat(1, 1)))
	halfUp := func(x *big.Rat) int64 {
		y := new(big.Rat).Add(x, big.NewRat(1, 2))
		return new(big.Int).Quo(y.Num(), y.Denom()).Int64()
	}
	payment = halfUp(exact)
	balance := int64(20_000_000)
	for k := 1; k <= 360; k++ {
		i := halfUp(big.NewRat(balance*65, 12000))
		interest += i
		if k == 360 {
			last = balance + i
			break
		}
		balance -= payment - i
	}
	return payment, last, interest
}

var scheduleArgs = []string{"schedule", "-principal", "200000", "-rate", "6.5", "-n", "360", "-funding", "2024-01-01"}

// TestScheduleReferenceMortgage prints the reference mortgage as a table, as
// CSV and as JSON: first payment 1264.14, last 1259.56, total interest
// 255085.82 (the reference figures, rederived by referenceMortgage).
func TestScheduleReferenceMortgage(t *testing.T) {
	p, l, i := referenceMortgage(t)
	require.Equal(t, []int64{126414, 125956, 25508582}, []int64{p, l, i}, "oracle")

	type row struct{ n, due, payment, interest, principal, balance string }
	check := func(t *testing.T, rows []row, totalInterest, totalPayment string) {
		t.Helper()
		require.Len(t, rows, 360)
		require.Equal(t, row{"1", "2024-02-01", "1264.14", "1083.33", "180.81", "199819.19"}, rows[0])
		require.Equal(t, row{"360", "2054-01-01", "1259.56", "6.79", "1252.77", "0.00"}, rows[359])
		for k := 1; k < 359; k++ {
			require.Equal(t, "1264.14", rows[k].payment, "row %d", k+1)
		}
		require.Equal(t, "255085.82", totalInterest)
		// 359 × 1264.14 + 1259.56 = 453,826.26 + 1,259.56 = 455,085.82.
		require.Equal(t, "455085.82", totalPayment)
	}

	t.Run("table", func(t *testing.T) {
		code, out, errs := cliRun(t, scheduleArgs...)
		require.Equal(t, 0, code, errs)
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		require.Len(t, lines, 362) // header, 360 rows, totals
		require.Equal(t, []string{"n", "due_date", "payment", "interest", "principal", "fees", "escrow", "balance"},
			strings.Fields(lines[0]))
		var rows []row
		for _, ln := range lines[1:361] {
			f := strings.Fields(ln)
			require.Len(t, f, 8, ln)
			rows = append(rows, row{f[0], f[1], f[2], f[3], f[4], f[7]})
		}
		tot := strings.Fields(lines[361])
		require.Equal(t, []string{"total", "455085.82", "255085.82", "200000.00", "0.00", "0.00"}, tot)
		check(t, rows, tot[2], tot[1])
		// Right-aligned columns: every row has the header's width.
		for _, ln := range lines[1:361] {
			require.Equal(t, len(strings.TrimRight(lines[0], " ")), len(strings.TrimRight(ln, " ")), ln)
		}
	})

	t.Run("csv", func(t *testing.T) {
		code, out, errs := cliRun(t, append(scheduleArgs, "-format", "csv")...)
		require.Equal(t, 0, code, errs)
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, 362)
		require.Equal(t, []string{"n", "due_date", "payment", "interest", "principal", "fees", "escrow", "balance"}, recs[0])
		var rows []row
		for _, c := range recs[1:361] {
			rows = append(rows, row{c[0], c[1], c[2], c[3], c[4], c[7]})
		}
		tot := recs[361]
		require.Equal(t, []string{"total", "", "455085.82", "255085.82", "200000.00", "0.00", "0.00", ""}, tot)
		check(t, rows, tot[3], tot[2])
	})

	t.Run("json", func(t *testing.T) {
		code, out, errs := cliRun(t, append(scheduleArgs, "-format", "json")...)
		require.Equal(t, 0, code, errs)
		var tb struct {
			Principal string `json:"principal"`
			Payment   string `json:"payment"`
			Rows      []struct {
				N         int    `json:"n"`
				DueDate   string `json:"due_date"`
				Payment   string `json:"payment"`
				Interest  string `json:"interest"`
				Principal string `json:"principal"`
				Balance   string `json:"balance"`
			} `json:"rows"`
			Totals struct {
				Payment   string `json:"payment"`
				Interest  string `json:"interest"`
				Principal string `json:"principal"`
			} `json:"totals"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &tb))
		// JSON amounts carry their code (money.Amount's one spelling).
		require.Equal(t, "USD 200000.00", tb.Principal)
		require.Equal(t, "USD 1264.14", tb.Payment)
		plain := func(s string) string { return strings.TrimPrefix(s, "USD ") }
		var rows []row
		for _, r := range tb.Rows {
			rows = append(rows, row{strconv.Itoa(r.N), r.DueDate, plain(r.Payment), plain(r.Interest), plain(r.Principal), plain(r.Balance)})
		}
		require.Equal(t, "USD 200000.00", tb.Totals.Principal)
		check(t, rows, plain(tb.Totals.Interest), plain(tb.Totals.Payment))
	})
}

func TestScheduleBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"unparsable principal", []string{"-principal", "lots", "-rate", "6.5", "-n", "360", "-funding", "2024-01-01"}, 2},
		{"unknown format", append(scheduleArgs[1:], "-format", "xml"), 2},
		{"invalid terms", []string{"-principal", "200000", "-rate", "6.5", "-n", "0", "-funding", "2024-01-01"}, 1},
		{"unknown flag", []string{"-principle", "200000"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := cliRun(t, append([]string{"schedule"}, tc.args...)...)
			require.Equal(t, tc.code, code, errs)
			require.NotEmpty(t, errs)
		})
	}
}

// TestAPRRegZExample is Regulation Z Appendix J (c)(1)(i): 5,000.00 advanced
// on 10 Jan 1978, 24 monthly payments of 230.00 from 10 Feb 1978: the
// regulation states an APR of 9.69 %.
func TestAPRRegZExample(t *testing.T) {
	code, out, errs := cliRun(t, "apr", "-amount", "5000.00", "-advance", "1978-01-10", "-stream", "230.00,24,1978-02-10,month")
	require.Equal(t, 0, code, errs)
	m := regexp.MustCompile(`^APR (\d+\.\d\d)% \(exact (\d+\.\d+)%; .*12 unit-periods a year`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	require.Equal(t, "9.69", m[1])
	// The exact rate is the unit-period rate i solving 5000 = Σ 230/(1+i)^k,
	// k = 1..24, times 12: check that the annuity at the printed exact APR
	// is within a cent of 5000.00 (math/big, independent of the solver).
	apr, ok := new(big.Rat).SetString(m[2])
	require.True(t, ok)
	i := new(big.Rat).Quo(apr, big.NewRat(1200, 1))
	v := new(big.Rat).Quo(big.NewRat(1, 1), new(big.Rat).Add(big.NewRat(1, 1), i))
	pv, vk := new(big.Rat), big.NewRat(1, 1)
	for range 24 {
		vk.Mul(vk, v)
		pv.Add(pv, new(big.Rat).Mul(big.NewRat(230, 1), vk))
	}
	diff := new(big.Rat).Sub(pv, big.NewRat(5000, 1))
	require.True(t, new(big.Rat).Abs(diff).Cmp(big.NewRat(1, 100)) < 0, "present value %s", pv.FloatString(6))
}

func TestAPRBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no amount", []string{"-advance", "1978-01-10", "-stream", "230,24,1978-02-10,month"}},
		{"bad date", []string{"-amount", "5000", "-advance", "10/01/1978", "-stream", "230,24,1978-02-10,month"}},
		{"short stream", []string{"-amount", "5000", "-advance", "1978-01-10", "-stream", "230,24"}},
		{"bad unit", []string{"-amount", "5000", "-advance", "1978-01-10", "-stream", "230,24,1978-02-10,fortnight"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := cliRun(t, append([]string{"apr"}, tc.args...)...)
			require.Equal(t, 2, code, out)
			require.Contains(t, errs, "servicing apr:")
		})
	}
}

// A single advance repaid by a single payment within a year (Reg Z App. J
// (b)(4)(ii)): the term is the unit-period. 1,000.00 repaid with 1,030.00
// after 100 days is 3 % a unit-period, 365/100 = 73/20 of them a year:
// 3 % × 3.65 = 10.95 %.
func TestAPRSinglePayment(t *testing.T) {
	code, out, errs := cliRun(t, "apr", "-amount", "1000.00", "-advance", "2024-01-01", "-stream", "1030.00,1,2024-04-10,day:100")
	require.Equal(t, 0, code, errs)
	require.Regexp(t, `^APR 10\.95% \(exact 10\.9500%; unit-period rate 0\.030000000000, 73/20 unit-periods a year`, out)
}
