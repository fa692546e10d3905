package payment

import "testing"

// BenchmarkAllocate: one payment across three past-due installments with two
// late charges and an NSF fee, GSE rules, money left for a curtailment (the
// TestPresets "gse late charges then curtailment" case).
func BenchmarkAllocate(b *testing.B) {
	rules := GSEMortgage()
	in := Input{On: scenarioOn, Amount: usd(b, "1500.00"), Type: Repayment, Receivables: scenario(b)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Allocate(rules, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompiledAllocate is BenchmarkAllocate with the rules compiled
// once, as a host posting many payments under one product does.
func BenchmarkCompiledAllocate(b *testing.B) {
	rules, err := GSEMortgage().Compile()
	if err != nil {
		b.Fatal(err)
	}
	in := Input{On: scenarioOn, Amount: usd(b, "1500.00"), Type: Repayment, Receivables: scenario(b)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.Allocate(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompiledAllocateInto also reuses one Allocation's slices.
func BenchmarkCompiledAllocateInto(b *testing.B) {
	rules, err := GSEMortgage().Compile()
	if err != nil {
		b.Fatal(err)
	}
	in := Input{On: scenarioOn, Amount: usd(b, "1500.00"), Type: Repayment, Receivables: scenario(b)}
	var a Allocation
	b.ReportAllocs()
	for b.Loop() {
		if err := rules.AllocateInto(&a, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllocateFloat64 is the plain float64 baseline of the same
// waterfall: installments oldest first, interest → principal → escrow while
// each installment is covered in full, then late charges, fees and the rest
// to principal. No validation, no trace, no exactness.
func BenchmarkAllocateFloat64(b *testing.B) {
	type inst struct{ i, p, e, pen float64 }
	src := []inst{{100, 200, 50, 15}, {99, 201, 50, 15}, {98, 202, 50, 0}, {97, 203, 50, 0}}
	var sink float64
	b.ReportAllocs()
	for b.Loop() {
		loan := src
		paid := make([]float64, 0, 16)
		free := 1500.0
		for _, it := range loan {
			need := it.i + it.p + it.e
			if free < need {
				break
			}
			free -= need
			paid = append(paid, it.i, it.p, it.e)
		}
		for _, it := range loan {
			x := min(free, it.pen)
			free -= x
			paid = append(paid, x)
		}
		fee := min(free, 25)
		free -= fee
		paid = append(paid, fee, free)
		sink += paid[len(paid)-1]
	}
	_ = sink
}
