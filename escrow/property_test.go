package escrow_test

import (
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

var modes = []money.RoundingMode{money.HalfEven, money.HalfUp, money.TowardZero, money.AwayFromZero, money.Floor, money.Ceiling}

// randomAnalysis draws an analysis from rng. With exact set, every item's
// total is a multiple of 12 minor units and the cushion is 1/6 or 1/12, so
// no rounding happens anywhere.
func randomAnalysis(rng *rand.Rand, exact bool) escrow.Analysis {
	n := rng.IntN(8)
	ds := make([]escrow.Disbursement, n)
	items := []string{"taxes", "insurance", "flood", "hoa"}
	for i := range ds {
		units := rng.Int64N(500_000_00)
		if exact {
			units -= units % 12
		}
		ds[i] = escrow.Disbursement{Item: items[rng.IntN(len(items))], Month: time.Month(1 + rng.IntN(12)),
			Amount: money.MustNew(units, money.USD)}
	}
	if exact { // make each item's total a multiple of 12 by putting every bill of an item in one group
		for i := range ds {
			ds[i].Item = items[i%len(items)]
		}
	}
	cushion := escrow.Fraction{Num: rng.Int64N(3), Den: 12}
	if !exact {
		den := 1 + rng.Int64N(1000)
		cushion = escrow.Fraction{Num: rng.Int64N(den/6 + 1), Den: den}
	}
	m := escrow.Aggregate
	if rng.IntN(2) == 0 {
		m = escrow.SingleItem
	}
	return escrow.Analysis{
		Method: m, Currency: money.USD, FirstPaymentMonth: time.Month(1 + rng.IntN(12)),
		Disbursements: ds, Cushion: cushion, Rounding: modes[rng.IntN(len(modes))],
		CurrentBalance:  money.MustNew(rng.Int64N(2_000_000_00)-500_000_00, money.USD),
		BorrowerCurrent: rng.IntN(4) != 0,
	}
}

// checkResult asserts the invariants of any successful analysis.
func checkResult(t *testing.T, a escrow.Analysis, r escrow.Result) {
	t.Helper()
	items := r.Items
	if a.Method == escrow.Aggregate {
		items = []escrow.Item{r.Item}
	}
	for _, it := range items {
		checkItem(t, a, it)
	}
	for _, rows := range [][]escrow.Row{r.Step1, r.Step2, r.Step3, r.Projected} {
		checkRows(t, rows)
	}
	low := lowOf(r.Step3)
	if a.Method == escrow.Aggregate {
		require.Equal(t, r.Cushion.Minor(), low, "aggregate: lowest step-3 balance = cushion")
	} else {
		require.GreaterOrEqual(t, low, r.Cushion.Minor(), "single item: lowest step-3 balance ≥ cushion")
	}
	require.Equal(t, low, r.LowPoint.Minor())
	gap := r.TargetBalance.Minor() - a.CurrentBalance.Minor()
	require.Equal(t, gap, r.Shortage.Minor()+r.Deficiency.Minor()-r.Surplus.Minor())
	require.False(t, r.Surplus.IsPositive() && r.Shortage.IsPositive(), "surplus and shortage at once")
	require.True(t, r.Surplus.Sign() >= 0 && r.Shortage.Sign() >= 0 && r.Deficiency.Sign() >= 0)
}

// checkItem checks one trial balance against math/big: monthly payment =
// round(annual/12), cushion = ⌊annual·Num/Den⌋ ≤ annual/6, step 2 = step 1
// shifted so the lowest is 0, step 3 = step 2 + cushion.
func checkItem(t *testing.T, a escrow.Analysis, it escrow.Item) {
	t.Helper()
	var annual int64
	for _, r := range it.Step1 {
		annual += r.Disbursement.Minor()
	}
	require.Equal(t, annual, it.AnnualDisbursements.Minor())
	want, err := money.RoundRat(big.NewRat(annual, 100*12), money.USD, a.Rounding)
	require.NoError(t, err)
	require.Equal(t, want.Minor(), it.MonthlyPayment.Minor(), "monthly payment")
	c := new(big.Int).Mul(big.NewInt(annual), big.NewInt(a.Cushion.Num))
	c.Div(c, big.NewInt(a.Cushion.Den)) // Euclidean division = floor for a positive divisor
	require.Equal(t, c.Int64(), it.Cushion.Minor(), "cushion")
	require.LessOrEqual(t, 6*it.Cushion.Minor(), annual, "cushion ≤ annual/6")
	require.Zero(t, it.Step1[0].Balance.Minor())
	require.Zero(t, lowOf(it.Step2), "lowest step-2 balance")
	require.Equal(t, it.Cushion.Minor(), lowOf(it.Step3), "lowest step-3 balance")
	require.Equal(t, it.TargetBalance.Minor(), it.Step3[0].Balance.Minor())
	for i := range escrow.Rows {
		require.Equal(t, it.Step2[i].Balance.Minor()+it.Cushion.Minor(), it.Step3[i].Balance.Minor())
	}
	checkRows(t, it.Step1)
}

// checkRows asserts balance = previous + payment − disbursement, the opening
// row has neither, and the months run in calendar order.
func checkRows(t *testing.T, rows []escrow.Row) {
	t.Helper()
	require.Len(t, rows, escrow.Rows)
	require.True(t, rows[0].Payment.IsZero() && rows[0].Disbursement.IsZero())
	for i := 1; i < len(rows); i++ {
		p, r := rows[i-1], rows[i]
		require.Equal(t, p.Balance.Minor()+r.Payment.Minor()-r.Disbursement.Minor(), r.Balance.Minor(), "row %d", i)
		require.Equal(t, p.Month%12+1, r.Month, "row %d month", i)
	}
}

func lowOf(rows []escrow.Row) int64 {
	low := rows[0].Balance.Minor()
	for _, r := range rows {
		low = min(low, r.Balance.Minor())
	}
	return low
}

// TestProperties runs the invariants over random analyses (fixed seed).
func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		a := randomAnalysis(rng, false)
		r, err := escrow.Analyze(a)
		require.NoError(t, err, "case %d", i)
		checkResult(t, a, r)
	}
}

// TestSingleItemNeverLess: without rounding, single-item analysis needs at
// least the aggregate target, since the lowest point of a sum is at least the
// sum of the lowest points (Appendix E: 1,130 ≥ 1,040).
func TestSingleItemNeverLess(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 1000 {
		a := randomAnalysis(rng, true)
		a.Method = escrow.Aggregate
		agg, err := escrow.Analyze(a)
		require.NoError(t, err, "case %d", i)
		a.Method = escrow.SingleItem
		single, err := escrow.Analyze(a)
		require.NoError(t, err, "case %d", i)
		require.Equal(t, agg.MonthlyPayment.Minor(), single.MonthlyPayment.Minor())
		require.Equal(t, agg.Cushion.Minor(), single.Cushion.Minor())
		require.GreaterOrEqual(t, single.TargetBalance.Minor(), agg.TargetBalance.Minor(), "case %d", i)
	}
}
