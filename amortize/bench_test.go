package amortize

import (
	"math"
	"testing"
	"time"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// BenchmarkCompute360 builds the reference 360-month level table (payment
// solved exactly, due dates stepped, invariants checked). Compare its ns/op
// with BenchmarkFloat64Loop from the same run: the ratio survives a busy
// machine, absolute times do not.
func BenchmarkCompute360(b *testing.B) {
	tm := mortgage(b, "200000.00", "6.5", 360)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(tm); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck360 is the cost of Table.Check on the reference table (it
// is part of every Compute).
func BenchmarkCheck360(b *testing.B) {
	tb, err := Compute(mortgage(b, "200000.00", "6.5", 360))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := tb.Check(); err != nil {
			b.Fatal(err)
		}
	}
}

// sinkRows keeps BenchmarkRowsAlloc360's rows reachable, as a returned
// Table keeps its rows.
var sinkRows []Row

// BenchmarkRowsAlloc360 is the floor under BenchmarkCompute360 that the Row
// layout sets: a 360-row table's memory allocated and every row written,
// with no arithmetic, no dates and no checks. A Row is 112 bytes (six
// 16-byte money.Amounts, a number and a date), so the rows are a 40 KB
// allocation, where the float64 baseline's 32-byte rows take 12 KB.
//
// An 8-byte money.Amount (minor units and currency index packed in one
// int64) was measured: 64-byte rows, this floor 5.5 µs instead of 12.5 µs,
// BenchmarkCompute360 2.3–2.4× the float64 loop instead of 2.5–2.7×. It
// was not adopted: 12 bits of currency index leave ±2^51 minor units, so
// a table's totals could no longer pass money.MaxMinor as
// TestTotalsPastMaxMinor requires (1.35·10^16 cents), and two bounded
// amounts would be all a sum could safely hold.
func BenchmarkRowsAlloc360(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		rows := make([]Row, 360)
		for k := range rows {
			rows[k].N = k + 1
		}
		sinkRows = rows
	}
}

// floatRow is the float64 baseline's row.
type floatRow struct{ payment, interest, principal, balance float64 }

// floatRows keeps the float64 baseline's rows reachable after each
// iteration, as a returned Table keeps its rows.
var floatRows []floatRow

// BenchmarkFloat64Loop is the plain float64 baseline: the same table with
// interest rounded to the cent by math.Round each month (no dates, no
// checks). It is the speed reference only; float64 is not exact.
//
// Its rows live in a heap slice that outlives the iteration (floatRows),
// as Compute's rows do in the Table it returns: a loop whose rows never
// escape keeps them on the stack (0 allocs), and would compare a table
// that is thrown away with one that is kept. Nothing else is changed.
func BenchmarkFloat64Loop(b *testing.B) {
	b.ReportAllocs()
	var last floatRow
	for b.Loop() {
		rows := make([]floatRow, 360)
		floatRows = rows
		bal, i := 200000.0, 0.065/12
		p := math.Round(bal*i/(1-math.Pow(1+i, -360))*100) / 100
		for k := range rows {
			in := math.Round(bal*i*100) / 100
			pay := p
			if k == 359 {
				pay = bal + in
			}
			bal -= pay - in
			rows[k] = floatRow{pay, in, pay - in, bal}
		}
		last = rows[359]
	}
	_ = last
}

// BenchmarkSolvePayment360 solves the level payment of the reference
// mortgage (200,000.00 at 6.5 % over 360 months). Compare with
// BenchmarkSolvePaymentFloat64 from the same run.
func BenchmarkSolvePayment360(b *testing.B) {
	tm := mortgage(b, "200000.00", "6.5", 360)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SolvePayment(tm); err != nil {
			b.Fatal(err)
		}
	}
}

var sinkFloat float64

// BenchmarkSolvePaymentFloat64 is the float64 baseline of the level
// payment: the annuity formula rounded to the cent by math.Round.
func BenchmarkSolvePaymentFloat64(b *testing.B) {
	b.ReportAllocs()
	bal, i := 200000.0, 0.065/12
	for b.Loop() {
		sinkFloat = math.Round(bal*i/(1-math.Pow(1+i, -360))*100) / 100
	}
}

// aprMortgage is the APR benchmark's loan: 197,000.00 financed (200,000.00
// less 3,000.00 of prepaid finance charges) on 1 Jan 2024, 360 monthly
// payments of 1,264.14 from 1 Feb 2024.
func aprMortgage(b testing.TB) APRRequest {
	return APRRequest{AmountFinanced: money.MustParse("197000.00", money.USD), Advance: date.New(2024, time.January, 1),
		Streams: []PaymentStream{{Amount: money.MustParse("1264.14", money.USD), Count: 360,
			First: date.New(2024, time.February, 1), Frequency: schedule.Monthly()}}}
}

// BenchmarkAPR360 solves the Regulation Z APR of aprMortgage. Compare with
// BenchmarkAPRFloat64 from the same run.
func BenchmarkAPR360(b *testing.B) {
	req := aprMortgage(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := APR(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAPRFloat64 is the float64 baseline of the APR: Newton's method on
// the same general equation over the 360 payments' whole unit-periods (a
// regular first period: no fractions), from 1 % a month, to 1e-12.
func BenchmarkAPRFloat64(b *testing.B) {
	b.ReportAllocs()
	const a, p, n = 197000.0, 1264.14, 360
	for b.Loop() {
		i := 0.01
		for range 50 {
			v, disc, pv, dpv := 1/(1+i), 1.0, 0.0, 0.0
			for k := 1; k <= n; k++ {
				disc *= v
				pv += p * disc
				dpv -= float64(k) * p * disc * v
			}
			step := (pv - a) / dpv
			i -= step
			if math.Abs(step) < 1e-12 {
				break
			}
		}
		sinkFloat = i * 12
	}
}

// BenchmarkAPRSemiMonthly720 solves the APR of 720 semi-monthly payments of
// 632.07 on 197,000.00 (the 1st and 16th, from 1 Feb 2024): time is counted
// one semi-month at a time, so this is the slowest unit to count.
func BenchmarkAPRSemiMonthly720(b *testing.B) {
	req := APRRequest{AmountFinanced: money.MustParse("197000.00", money.USD), Advance: date.New(2024, time.January, 10),
		Streams: []PaymentStream{{Amount: money.MustParse("632.07", money.USD), Count: 720,
			First: date.New(2024, time.February, 1), Frequency: schedule.SemiMonthly(1, 16)}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := APR(req); err != nil {
			b.Fatal(err)
		}
	}
}
