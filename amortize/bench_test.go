package amortize

import (
	"math"
	"testing"
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

// floatRow is the float64 baseline's row.
type floatRow struct{ payment, interest, principal, balance float64 }

// BenchmarkFloat64Loop is the plain float64 baseline: the same table with
// interest rounded to the cent by math.Round each month (no dates, no
// checks). It is the speed reference only; float64 is not exact.
func BenchmarkFloat64Loop(b *testing.B) {
	b.ReportAllocs()
	var last floatRow
	for b.Loop() {
		rows := make([]floatRow, 360)
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
