package delinquency

import (
	"math"
	"testing"
	"time"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// benchLoan is a 30-year mortgage (360 installments of $1,199.10 P&I + $250
// escrow) with the first 60 paid on their due dates and the 61st missed,
// assessed 20 days after that due date, with a 5 % P&I late fee after 15 days.
func benchLoan(b *testing.B) (*Evaluator, date.Date, int) {
	ins := monthly(b, 2020, time.January, 360, "799.10", "400.00", "250.00")
	for i := 0; i < 60; i++ {
		pay(b, ins, i+1, ins[i].DueDate.String(), "1449.10")
	}
	p := StandardPolicy(ClosedEnd)
	p.LateFee = &LateFeePolicy{GraceDays: 15, Method: FeePercentPI, PercentBasisPoints: 500, Rounding: money.HalfUp}
	e := mustNew(b, loanOf(ins), p)
	return e, ins[60].DueDate + 20, ins[60].Seq
}

// BenchmarkDayDecision: DPD + bucket + late-fee decision for one loan on one day.
func BenchmarkDayDecision(b *testing.B) {
	e, asOf, seq := benchLoan(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		dpd := e.DaysPastDue(asOf)
		bk := e.Bucket(dpd)
		fee, err := e.LateFee(seq, asOf)
		if err != nil || dpd != 20 || bk.Name != "1-29" || !fee.Charge {
			b.Fatalf("dpd %d bucket %s fee %+v %v", dpd, bk.Name, fee, err)
		}
	}
}

// BenchmarkDayDecisionFloat64 is the plain float64 baseline of the same
// decision (oldest unpaid by comparison, day difference, bucket scan, fee).
func BenchmarkDayDecisionFloat64(b *testing.B) {
	const n = 360
	due := make([]int, n)
	owed := make([]float64, n)
	paid := make([]float64, n)
	paidOn := make([]int, n)
	for i := range due {
		due[i] = int(addMonths(date.New(2020, 1, 1), i))
		owed[i] = 1449.10
		if i < 60 {
			paid[i], paidOn[i] = 1449.10, due[i]
		}
	}
	asOf, bounds := due[60]+20, []int{0, 1, 30, 60, 90, 120, 180}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		dpd, k := 0, 0
		for ; k < n && due[k] < asOf; k++ {
			if paidOn[k] > asOf || paid[k] < owed[k]-1e-9 {
				dpd = asOf - due[k]
				break
			}
		}
		bk := 0
		for j := 1; j < len(bounds) && bounds[j] <= dpd; j++ {
			bk = j
		}
		fee := 0.0
		if asOf > due[k]+15 && !(paidOn[k] <= due[k]+15 && paid[k] >= owed[k]) {
			fee = math.Round(1199.10*0.05*100) / 100
		}
		if dpd != 20 || bk != 1 || fee != 59.96 {
			b.Fatalf("dpd %d bucket %d fee %v", dpd, bk, fee)
		}
	}
}

// BenchmarkAssess is the full one-day assessment (components, MBA/OTS count).
func BenchmarkAssess(b *testing.B) {
	e, asOf, _ := benchLoan(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = e.Assess(asOf)
	}
}

// BenchmarkStatus30Years sweeps the whole history to find today's status.
func BenchmarkStatus30Years(b *testing.B) {
	e, asOf, _ := benchLoan(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Status(asOf); err != nil {
			b.Fatal(err)
		}
	}
}

// benchNewInput is a valid 30-year loan (360 installments) with the first 24
// paid, the 13th in two partial credits, under a policy with a 5 % P&I late
// fee: the engine's end-of-day call to New.
func benchNewInput(t testing.TB) (Loan, Policy) {
	ins := monthly(t, 2020, time.January, 360, "799.10", "400.00", "250.00")
	for i := 0; i < 24; i++ {
		if i == 12 {
			pay(t, ins, i+1, ins[i].DueDate.String(), "1000.00")
			pay(t, ins, i+1, (ins[i].DueDate + 9).String(), "449.10")
			continue
		}
		pay(t, ins, i+1, ins[i].DueDate.String(), "1449.10")
	}
	p := StandardPolicy(ClosedEnd)
	p.LateFee = &LateFeePolicy{GraceDays: 15, Method: FeePercentPI, PercentBasisPoints: 500, Rounding: money.HalfUp}
	return loanOf(ins), p
}

// BenchmarkNew is validation plus index building on benchNewInput.
func BenchmarkNew(b *testing.B) {
	l, p := benchNewInput(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(l, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate is the validation New runs, on good input: a 360-
// installment loan with credits and a policy with a late fee.
func BenchmarkValidate(b *testing.B) {
	l, p := benchNewInput(b)
	b.ReportAllocs()
	for b.Loop() {
		if l.Validate() != nil || p.ValidateFor("Policy", l.Currency) != nil {
			b.Fatal("rejected")
		}
	}
}
