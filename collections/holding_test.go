package collections_test

import (
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestHoldingUntil: the plan of TestJudgePlan (300.00 on 10 May and
// 10 Jun, agreed 1 May). Paid in full (350.00 on 9 May, 250.00 on 10 Jun)
// it holds through its last date: until 11 Jun. Without the June money it
// breaks on 11 Jun too (the day after the date it failed). With nothing
// paid it breaks on 11 May; 299.99 by 10 May is a cent short, also 11 May.
// Money from before the plan was made does not count.
func TestHoldingUntil(t *testing.T) {
	a := collections.Arrangement{Made: d(5, 1), Payments: []collections.Planned{{On: d(5, 10), Amount: usd("300.00")}, {On: d(6, 10), Amount: usd("300.00")}}}
	require.Equal(t, d(6, 11), collections.HoldingUntil(a, []collections.Receipt{rc(6, 10, "250.00"), rc(5, 9, "350.00")}))
	require.Equal(t, d(6, 11), collections.HoldingUntil(a, []collections.Receipt{rc(5, 9, "350.00")}))
	require.Equal(t, d(5, 11), collections.HoldingUntil(a, nil))
	require.Equal(t, d(5, 11), collections.HoldingUntil(a, []collections.Receipt{rc(5, 10, "299.99"), rc(5, 11, "0.01")}))
	require.Equal(t, d(5, 11), collections.HoldingUntil(a, []collections.Receipt{rc(4, 30, "600.00")}))
	// Three dates, the second missed: broken the day after it, 11 Jun,
	// although the July money would cover both.
	b := a
	b.Payments = append(b.Payments, collections.Planned{On: d(7, 10), Amount: usd("300.00")})
	require.Equal(t, d(6, 11), collections.HoldingUntil(b, []collections.Receipt{rc(5, 10, "300.00"), rc(7, 1, "600.00")}))
}

// TestHoldingUntilAgreesWithHolding: on random plans and receipts,
// Holding(a, rs, day) is exactly Made ≤ day < HoldingUntil(a, rs) on every
// day around the plan, and HoldingUntil(a, receipts dated before day)
// answers the same for that day (a fold knows it on the day).
func TestHoldingUntilAgreesWithHolding(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 21))
		made := d(3, 1) + date.Date(r.IntN(20))
		a := collections.Arrangement{Made: made}
		on := made
		for range 1 + r.IntN(5) {
			on += date.Date(r.IntN(31))
			a.Payments = append(a.Payments, collections.Planned{On: on, Amount: money.MustNew(int64(1+r.IntN(500)), money.USD)})
			on++
		}
		var rs []collections.Receipt
		for range r.IntN(8) {
			rs = append(rs, collections.Receipt{On: made - 5 + date.Date(r.IntN(int(on-made)+10)), Amount: money.MustNew(int64(1+r.IntN(400)), money.USD)})
		}
		until := collections.HoldingUntil(a, rs)
		for day := made - 3; day <= on+5; day++ {
			want := collections.Holding(a, rs, day)
			require.Equal(t, want, made <= day && day < until, "seed %d day %s until %s", seed, day, until)
			var before []collections.Receipt
			for _, x := range rs {
				if x.On < day {
					before = append(before, x)
				}
			}
			require.Equal(t, want, made <= day && day < collections.HoldingUntil(a, before), "seed %d day %s: from the receipts before it", seed, day)
		}
	}
}
