package escrow_test

import (
	"testing"

	"github.com/lendcore/servicing/escrow"
)

// BenchmarkAnalyze runs the Appendix E aggregate analysis.
func BenchmarkAnalyze(b *testing.B) {
	a := appendixE(b, escrow.Aggregate)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := escrow.Analyze(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeSingleItem runs the Appendix E single-item analysis.
func BenchmarkAnalyzeSingleItem(b *testing.B) {
	a := appendixE(b, escrow.SingleItem)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := escrow.Analyze(a); err != nil {
			b.Fatal(err)
		}
	}
}

var sinkFloat float64

// BenchmarkFloat64Baseline is the same three steps on float64 with no
// validation, rounding or result rows kept: a speed floor, not a reference.
func BenchmarkFloat64Baseline(b *testing.B) {
	type bill struct {
		row    int
		amount float64
	}
	bills := []bill{{1, 500}, {3, 360}, {6, 700}}
	b.ReportAllocs()
	for b.Loop() {
		var out [13]float64
		annual := 0.0
		for _, d := range bills {
			out[d.row] += d.amount
			annual += d.amount
		}
		monthly := annual / 12
		var bal [13]float64
		low := 0.0
		for i := 1; i < 13; i++ {
			bal[i] = bal[i-1] + monthly - out[i]
			low = min(low, bal[i])
		}
		target := -low + annual/6
		var step3 [13]float64
		for i := range bal {
			step3[i] = bal[i] - low + annual/6
		}
		sinkFloat = target + step3[12]
	}
}
