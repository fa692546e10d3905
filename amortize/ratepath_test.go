package amortize

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestRatePathHand: 1,200.00 at 12 % monthly over 3; the rate becomes 24 %
// on 1 Feb 2024, the first due date, so period 2 [1 Feb, 1 Mar) is at 2 %.
// Row 1: 1,200·0.01·1.01³/(1.01³−1) = 408.0265… → 408.03; interest 12.00;
// balance 803.97. Recast at 2 % over 2: 803.97·0.02·1.02²/(1.02²−1) =
// 414.0843… → 414.08; interest 16.0794 → 16.08, principal 398.00, balance
// 405.97. Row 3: interest 8.1194 → 8.12, payoff 405.97 + 8.12 = 414.09.
func TestRatePathHand(t *testing.T) {
	tm := mortgage(t, "1200.00", "12", 3)
	tm.RatePath = []accrual.RateChange{{On: date.New(2024, time.February, 1), Rate: rate.MustPercent("24")}}
	tb, err := Compute(tm)
	require.NoError(t, err)
	require.Equal(t, [][4]string{
		{"408.03", "12.00", "396.03", "803.97"},
		{"414.08", "16.08", "398.00", "405.97"},
		{"414.09", "8.12", "405.97", "0.00"},
	}, rows(t, tb))
}

// indexSeries is a test IndexSeries: the value published on or before d.
type indexSeries []accrual.RateChange

func (s indexSeries) ValueOn(d date.Date) (rate.Rate, bool) {
	var v rate.Rate
	ok := false
	for _, c := range s {
		if c.On <= d {
			v, ok = c.Rate, true
		}
	}
	return v, ok
}

// TestVariableRateOracle: a 5/1 ARM (200,000, 5 % initial, margin 2.75,
// nearest 1/8, caps 2/2/5) checked row by row against the math/big oracle:
// rows 1–60 are the fixed-rate table; at each change the rest is the
// oracle's table of the balance at the new rate over the remaining term.
// Rates by hand (index read 45 days before each change): 4.10 % + 2.75 =
// 6.85 → 6.875 % (within +2 of 5); 5.60 + 2.75 = 8.35 → 8.375 (within +2
// of 6.875); 1.00 + 2.75 = 3.75, held to 8.375 − 2 = 6.375, then 4.375,
// then 3.75 (within the lifetime floor 0 %) until maturity.
func TestVariableRateOracle(t *testing.T) {
	up2 := &accrual.Bound{Up: rate.MustPercent("2"), Down: rate.MustPercent("2")}
	idx := indexSeries{
		{On: date.New(2020, 1, 1), Rate: rate.MustPercent("4.10")},
		{On: date.New(2029, 6, 1), Rate: rate.MustPercent("5.60")},
		{On: date.New(2030, 6, 1), Rate: rate.MustPercent("1.00")},
	}
	tm := mortgage(t, "200000.00", "5", 360)
	tm.Variable = &VariableRate{
		ARM: accrual.ARM{InitialRate: rate.MustPercent("5"), Margin: rate.MustPercent("2.75"),
			RoundingStep: rate.MustPercent("0.125"), RoundingMode: money.HalfUp, LookBackDays: 45,
			FirstChange: up2, Periodic: up2, Lifetime: &accrual.Bound{Up: rate.MustPercent("5"), Down: rate.MustPercent("5")}},
		FirstChange: date.New(2029, time.January, 1), EveryMonths: 12, Index: idx,
	}
	tb, err := Compute(tm)
	require.NoError(t, err)
	// 1 Jan 2029 is due date 60 (1 Feb 2024 is 1): period 61 is the first at the new rate.
	want := ratOracle(t, mortgage(t, "200000.00", "5", 360), 12)
	rowsEqual(t, want[:60], tb.Rows[:60], 0)
	for _, seg := range []struct {
		from int
		pct  string
	}{{60, "6.875"}, {72, "8.375"}, {84, "6.375"}, {96, "4.375"}, {108, "3.75"}} {
		fresh := mortgage(t, tb.Rows[seg.from-1].Balance.String(), seg.pct, 360-seg.from)
		w := ratOracle(t, fresh, 12)
		end := seg.from + 12
		if seg.from == 108 {
			end = 360 // later changes keep 3.75 %: no recast, the oracle's table to maturity
		}
		rowsEqual(t, w[:end-seg.from], tb.Rows[seg.from:end], seg.from)
	}
}

func rowsEqual(t *testing.T, want, got []Row, offset int) {
	t.Helper()
	require.Len(t, got, len(want))
	for k, w := range want {
		g := got[k]
		if !g.Payment.Equal(w.Payment) || !g.Interest.Equal(w.Interest) || !g.Principal.Equal(w.Principal) || !g.Balance.Equal(w.Balance) {
			t.Fatalf("row %d: got %s/%s/%s/%s, want %s/%s/%s/%s", offset+k+1, g.Payment, g.Interest, g.Principal, g.Balance,
				w.Payment, w.Interest, w.Principal, w.Balance)
		}
	}
}

// TestRatePathDailySplit: with daily Act/365 interest a change inside a
// period splits it. 10,000.00 at 6 %, funded 1 Jan 2024, first due 1 Feb;
// the rate becomes 9 % on 11 Jan: 10,000·(0.06·10 + 0.09·21)/365 =
// 10,000·2.49/365 = 68.219… → 68.22. The payment is then re-solved at 9 %
// (checked against the math/big balance recursion below).
func TestRatePathDailySplit(t *testing.T) {
	tm := mortgage(t, "10000.00", "6", 12)
	tm.InterestMethod, tm.DayCount = InterestDaily, accrual.DayCount{Convention: accrual.Act365Fixed}
	tm.RatePath = []accrual.RateChange{{On: date.New(2024, time.January, 11), Rate: rate.MustPercent("9")}}
	tb, err := Compute(tm)
	require.NoError(t, err)
	moneytest.Equal(t, "68.22", tb.Rows[0].Interest)
	// Oracle: P = B·Π(1+g_k) / Σ_j Π_{k>j}(1+g_k) with g_0 the split factor
	// and g_k = 0.09·days_k/365 after, rounded half-up to the cent.
	due := []date.Date{date.New(2024, 1, 1)}
	for _, r := range tb.Rows {
		due = append(due, r.DueDate)
	}
	prod, sum := big.NewRat(1, 1), new(big.Rat)
	for k := 11; k >= 0; k-- {
		sum.Add(sum, prod)
		g := big.NewRat(9*int64(due[k+1]-due[k]), 36500)
		if k == 0 {
			g = big.NewRat(249, 36500)
		}
		prod.Mul(prod, g.Add(g, big.NewRat(1, 1)))
	}
	p := new(big.Rat).Mul(big.NewRat(1_000_000, 1), prod)
	p.Quo(p, sum)
	p.Quo(p, big.NewRat(100, 1))
	want, err := money.RoundRat(p, money.USD, money.HalfUp)
	require.NoError(t, err)
	moneytest.Equal(t, want, tb.Payment)
	require.NoError(t, tb.Check())
}

// TestRatePathBad: conflicting or malformed paths are named.
func TestRatePathBad(t *testing.T) {
	tests := []struct {
		name, field string
		edit        func(*Terms)
	}{
		{"two paths", "Terms.RatePath", func(tm *Terms) {
			tm.RateSteps = []RateStep{{FromInstallment: 2, AnnualRate: rate.MustPercent("1")}}
			tm.RatePath = []accrual.RateChange{{On: date.New(2025, 1, 1), Rate: rate.MustPercent("2")}}
		}},
		{"unordered", "Terms.RatePath[1].On", func(tm *Terms) {
			tm.RatePath = []accrual.RateChange{{On: date.New(2025, 1, 1)}, {On: date.New(2025, 1, 1)}}
		}},
		{"negative", "Terms.RatePath[0].Rate", func(tm *Terms) {
			tm.RatePath = []accrual.RateChange{{On: date.New(2025, 1, 1), Rate: rate.MustPercent("-1")}}
		}},
		{"no index", "Terms.Variable.Index", func(tm *Terms) {
			tm.Variable = &VariableRate{FirstChange: date.New(2029, 1, 1), EveryMonths: 12}
		}},
		{"index missing", "Terms.Variable", func(tm *Terms) {
			tm.Variable = &VariableRate{FirstChange: date.New(2029, 1, 1), EveryMonths: 12, Index: indexSeries{}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm := mortgage(t, "200000.00", "5", 360)
			tc.edit(&tm)
			_, err := Compute(tm)
			require.ErrorIs(t, err, ErrInvalidTerms)
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
			require.Contains(t, field.Fields(err), tc.field)
			if tc.name == "index missing" {
				require.ErrorIs(t, err, accrual.ErrIndexMissing)
			}
		})
	}
}

// gradOracle is an independent graduated table in math/big.Rat: at the start
// and at each installment where the periodic rate i_k = pct_k/1200 differs
// from the previous one, P0 = B / Σ_{j≥k} w_j·(1+i_k)^−(j−k+1) (present
// value of the weighted payments at the rate held), w_j = (1+s)^⌊j/every⌋
// capped at steps; step m pays P0·(1+s)^m rounded half-up; interest is
// bal·i_k rounded half-up; the last row pays off.
func gradOracle(t *testing.T, principal string, pcts []string, s *big.Rat, every, steps int) []Row {
	t.Helper()
	n := len(pcts)
	bal := moneytest.USD(t, principal)
	one := big.NewRat(1, 1)
	rateOf := func(k int) *big.Rat {
		r, ok := new(big.Rat).SetString(pcts[k])
		require.True(t, ok)
		return r.Quo(r, big.NewRat(1200, 1))
	}
	weight := func(m int) *big.Rat {
		w := big.NewRat(1, 1)
		for range min(m, steps) {
			w.Mul(w, new(big.Rat).Add(one, s))
		}
		return w
	}
	var stepPay []money.Amount
	var rows []Row
	for k := range n {
		i := rateOf(k)
		if k == 0 || pcts[k] != pcts[k-1] {
			pv, v := new(big.Rat), big.NewRat(1, 1)
			disc := new(big.Rat).Inv(new(big.Rat).Add(one, i))
			for j := k; j < n; j++ {
				v.Mul(v, disc)
				pv.Add(pv, new(big.Rat).Mul(weight(j/every), v))
			}
			p0 := new(big.Rat).SetFrac64(bal.Minor(), 100)
			p0.Quo(p0, pv)
			stepPay = stepPay[:0]
			for m := 0; m <= steps; m++ {
				p, err := money.RoundRat(new(big.Rat).Mul(p0, weight(m)), money.USD, money.HalfUp)
				require.NoError(t, err)
				stepPay = append(stepPay, p)
			}
		}
		x := new(big.Rat).SetFrac64(bal.Minor(), 100)
		in, err := money.RoundRat(x.Mul(x, i), money.USD, money.HalfUp)
		require.NoError(t, err)
		due := stepPay[min(k/every, steps)]
		if k == n-1 || !due.LessThan(bal.Add(in)) {
			due = bal.Add(in)
		}
		bal = bal.Sub(due.Sub(in))
		rows = append(rows, Row{N: k + 1, Payment: due, Interest: in, Principal: due.Sub(in), Balance: bal})
		if bal.IsZero() {
			break
		}
	}
	return rows
}

// TestGraduatedRecastOracle: a graduated loan (payments +10 % every 12
// installments, 2 rises) recasts at each rate change like ShapeLevel, by
// installment (RateSteps) and by date (RatePath, periodic: a change on a due
// date applies from the next period), row by row against gradOracle. Without
// a change the table is gradOracle's at one rate.
func TestGraduatedRecastOracle(t *testing.T) {
	grad := func(tm Terms) Terms {
		tm.Shape = ShapeGraduated
		tm.Graduation = Graduation{StepRate: rate.MustPercent("10"), EveryInstallments: 12, Steps: 2}
		return tm
	}
	path := func(n int, at map[int]string, first string) []string {
		out, cur := make([]string, n), first
		for k := range out {
			if p, ok := at[k]; ok {
				cur = p
			}
			out[k] = cur
		}
		return out
	}
	s := big.NewRat(1, 10)

	fixed := grad(mortgage(t, "25000.00", "6", 48))
	tb, err := Compute(fixed)
	require.NoError(t, err)
	rowsEqual(t, gradOracle(t, "25000.00", path(48, nil, "6"), s, 12, 2), tb.Rows, 0)

	steps := grad(mortgage(t, "25000.00", "6", 48))
	steps.RateSteps = []RateStep{{FromInstallment: 19, AnnualRate: rate.MustPercent("9")},
		{FromInstallment: 31, AnnualRate: rate.MustPercent("4.5")}}
	tb, err = Compute(steps)
	require.NoError(t, err)
	want := gradOracle(t, "25000.00", path(48, map[int]string{18: "9", 30: "4.5"}, "6"), s, 12, 2)
	rowsEqual(t, want, tb.Rows, 0)
	require.False(t, tb.Rows[18].Payment.Equal(tb.Rows[17].Payment), "recast at the change")
	moneytest.Equal(t, want[0].Payment, tb.Payment)

	dated := grad(mortgage(t, "25000.00", "6", 48))
	// 1 Jul 2025 is due date 18 (1 Feb 2024 is 1): period 19 is the first at 9 %.
	dated.RatePath = []accrual.RateChange{{On: date.New(2025, time.July, 1), Rate: rate.MustPercent("9")}}
	tb, err = Compute(dated)
	require.NoError(t, err)
	rowsEqual(t, gradOracle(t, "25000.00", path(48, map[int]string{18: "9"}, "6"), s, 12, 2), tb.Rows, 0)
	require.NoError(t, tb.Check())
}
