package amortize

import (
	"bytes"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/internal/golden"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// render writes tb as fixed-width text: a header line, one line per row
// (every amount at the currency's scale) and the totals.
func render(title string, tb Table) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", title)
	fmt.Fprintf(&b, "# principal %s  payment %s  finance charge %s\n", tb.Principal, tb.Payment, tb.FinanceCharge)
	fmt.Fprintf(&b, "%4s  %-10s %12s %12s %12s %8s %8s %14s\n", "N", "Due date", "Payment", "Interest", "Principal", "Fees", "Escrow", "Balance")
	for _, r := range tb.Rows {
		fmt.Fprintf(&b, "%4d  %-10s %12s %12s %12s %8s %8s %14s\n", r.N, r.DueDate, r.Payment, r.Interest, r.Principal, r.Fees, r.Escrow, r.Balance)
	}
	t := tb.Totals
	fmt.Fprintf(&b, "%4s  %-10s %12s %12s %12s %8s %8s\n", "", "Totals", t.Payment, t.Interest, t.Principal, t.Fees, t.Escrow)
	return b.Bytes()
}

// goldenCase is one golden table and the terms it comes from.
type goldenCase struct {
	name, title string
	terms       func(t *testing.T) Terms
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{"mortgage_200000_6.5_360", "reference mortgage: 200,000.00 at 6.5 %, monthly, 360, interest half-up to the cent",
			func(t *testing.T) Terms { return mortgage(t, "200000.00", "6.5", 360) }},
		{"odd_days_interest", "odd first period (17 Jan → 1 Mar), odd days' interest with the first payment: 1,200.00 at 12 %, 3",
			func(t *testing.T) Terms {
				tm := mortgage(t, "1200.00", "12", 3)
				tm.FundingDate, tm.FirstDueDate, tm.OddFirstPeriod = date.New(2024, 1, 17), date.New(2024, 3, 1), OddDaysInterest
				return tm
			}},
		{"odd_actual_period", "odd first period (17 Jan → 1 Mar), payment solved over the actual first period: 1,200.00 at 12 %, 3",
			func(t *testing.T) Terms {
				tm := mortgage(t, "1200.00", "12", 3)
				tm.FundingDate, tm.FirstDueDate, tm.OddFirstPeriod = date.New(2024, 1, 17), date.New(2024, 3, 1), OddActualPeriod
				return tm
			}},
		{"balloon_84_of_360", "balloon: 200,000.00 at 6.5 % amortized over 360, due at 84",
			func(t *testing.T) Terms {
				tm := mortgage(t, "200000.00", "6.5", 360)
				tm.BalloonAt = 84
				return tm
			}},
		{"dsi_18800_9_48_act365", "daily simple interest projection: 18,800.00 at 9 %, 48 monthly, Actual/365 Fixed",
			func(t *testing.T) Terms {
				tm := mortgage(t, "18800.00", "9", 48)
				tm.InterestMethod, tm.DayCount = InterestDaily, accrual.DayCount{Convention: accrual.Act365Fixed}
				return tm
			}},
	}
}

// TestGolden renders each table and compares it with
// testdata/<name>.golden (go test -run TestGolden -update rewrites them).
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases() {
		t.Run(gc.name, func(t *testing.T) {
			tb, err := Compute(gc.terms(t))
			require.NoError(t, err)
			golden.Assert(t, gc.name, render(gc.title, tb))
		})
	}
}

// goldenRows reads the rows of a golden file back as [payment, interest,
// principal, balance] strings, so the checks below test the file itself.
func goldenRows(t *testing.T, name string) (rows [][4]string, totals []string) {
	t.Helper()
	b, err := os.ReadFile(golden.Path(name))
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "#") || f[0] == "N":
		case f[0] == "Totals":
			totals = f[1:]
		default:
			require.Len(t, f, 8, line)
			rows = append(rows, [4]string{f[2], f[3], f[4], f[7]})
		}
	}
	return rows, totals
}

func oracleRows(rs []Row) [][4]string {
	out := make([][4]string, len(rs))
	for i, r := range rs {
		out[i] = [4]string{r.Payment.String(), r.Interest.String(), r.Principal.String(), r.Balance.String()}
	}
	return out
}

// TestGoldenContent checks the golden files' content — not the code — once
// against outside facts and independent oracles: the reference
// mortgage facts and the math/big oracle; the hand-calculated odd-period
// tables (TestShapes shows the working); the balloon as the oracle's first
// 83 rows plus the 84th paying the oracle balance; the daily projection
// against a math/big daily oracle and the Fed DSI first-month interest.
func TestGoldenContent(t *testing.T) {
	ref := ratOracle(t, mortgage(t, "200000.00", "6.5", 360), 12)

	rows, totals := goldenRows(t, "mortgage_200000_6.5_360")
	require.Equal(t, oracleRows(ref), rows)
	require.Equal(t, [4]string{"1264.14", "1083.33", "180.81", "199819.19"}, rows[0])
	require.Equal(t, "1259.56", rows[359][0])
	require.Equal(t, []string{"455085.82", "255085.82", "200000.00", "0.00", "0.00"}, totals)

	rows, _ = goldenRows(t, "odd_days_interest")
	require.Equal(t, [][4]string{{"413.63", "17.60", "396.03", "803.97"}, {"408.03", "8.04", "399.99", "403.98"}, {"408.02", "4.04", "403.98", "0.00"}}, rows)
	rows, _ = goldenRows(t, "odd_actual_period")
	require.Equal(t, [][4]string{{"409.91", "17.60", "392.31", "807.69"}, {"409.91", "8.08", "401.83", "405.86"}, {"409.92", "4.06", "405.86", "0.00"}}, rows)

	rows, _ = goldenRows(t, "balloon_84_of_360")
	require.Equal(t, oracleRows(ref[:83]), rows[:83])
	balloon := ref[83].Balance.Add(ref[83].Payment)
	require.Equal(t, [4]string{balloon.String(), ref[83].Interest.String(), balloon.Sub(ref[83].Interest).String(), "0.00"}, rows[83])

	rows, _ = goldenRows(t, "dsi_18800_9_48_act365")
	require.Equal(t, oracleRows(dsiOracle(t)), rows)
	require.Equal(t, "143.70", rows[0][1]) // 18,800 × 0.09 × 31/365 = 143.704… (TestFedDSI)
}

// dsiOracle computes the daily simple interest table of 18,800.00 at 9 %
// over 48 monthly periods from 1 Jan 2024 (first due 1 Feb) in math/big:
// g_k = 0.09 × days_k / 365; payment B·Π(1+g)/Σ_j Π_{k>j}(1+g_k) rounded
// half-up; each interest bal·g_k rounded half-up; the last row pays off.
func dsiOracle(t *testing.T) []Row {
	t.Helper()
	dues := []date.Date{date.New(2024, time.January, 1)}
	for k := range 48 {
		y, m := 2024+(k+1)/12, time.Month((k+1)%12+1)
		dues = append(dues, date.New(y, m, 1))
	}
	g := func(k int) *big.Rat { return big.NewRat(9*int64(dues[k+1]-dues[k]), 36500) }
	prod, sum := big.NewRat(1, 1), new(big.Rat)
	for k := 47; k >= 0; k-- {
		sum.Add(sum, prod)
		prod.Mul(prod, new(big.Rat).Add(big.NewRat(1, 1), g(k)))
	}
	p := new(big.Rat).Mul(big.NewRat(18800, 1), prod)
	pay, err := money.RoundRat(p.Quo(p, sum), money.USD, money.HalfUp)
	require.NoError(t, err)
	// The Fed's 467.84 is for equal (30/360) months; actual January–December
	// days cost a little more: 467.86 (the golden header must agree).
	moneytest.Equal(t, "467.86", pay)
	bal := moneytest.USD(t, "18800.00")
	out := make([]Row, 48)
	for k := range out {
		x := new(big.Rat).Mul(new(big.Rat).SetFrac64(bal.Minor(), 100), g(k))
		in, err := money.RoundRat(x, money.USD, money.HalfUp)
		require.NoError(t, err)
		due := pay
		if k == 47 {
			due = bal.Add(in)
		}
		bal = bal.Sub(due.Sub(in))
		out[k] = Row{Payment: due, Interest: in, Principal: due.Sub(in), Balance: bal}
	}
	return out
}
