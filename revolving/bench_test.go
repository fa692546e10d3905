package revolving

import (
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// BenchmarkCycle computes one 31-day statement with ten balance changes
// (daily balance method), beside the plain float64 loop over the same
// daily balances (no rounding, no validation, no figures): the ratio is
// what exactness and the statement cost.
func BenchmarkCycle(b *testing.B) {
	c := Cycle{Start: date.New(2025, 1, 1), End: date.New(2025, 2, 1), Balance: usd("1000.00"), Fees: usd("0.00")}
	for k := range 10 {
		kind := Draw
		if k%2 == 1 {
			kind = Payment
		}
		c.Activity = append(c.Activity, Activity{On: c.Start + date.Date(3*k), Kind: kind, Amount: money.MustNew(10_000, money.USD)})
	}
	tm := lineTerms(DailyBalance)
	b.Run("exact", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Compute(tm, c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("float64", func(b *testing.B) {
		b.ReportAllocs()
		var sink float64
		for b.Loop() {
			bal, sum, j := 1000.0, 0.0, 0
			for d := c.Start; d < c.End; d++ {
				for j < len(c.Activity) && c.Activity[j].On == d {
					x := float64(c.Activity[j].Amount.Minor()) / 100
					if c.Activity[j].Kind == Draw {
						bal += x
					} else {
						bal -= x
					}
					j++
				}
				sum += bal * 0.18 / 365
			}
			sink += sum
		}
		_ = sink
	})
}
