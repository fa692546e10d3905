package accrual

import (
	"math"
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// Benchmarks with a plain float64 baseline of the same computation beside
// each (floats are allowed here, in a _test.go file, as baselines only).

var (
	sinkAmount money.Amount
	sinkFloat  float64
	// Inputs of the float baselines live in variables so the compiler
	// cannot fold the arithmetic away.
	floatBal, floatRate = 250_000.00, 0.06875
)

// BenchmarkDayInterest is one day's accrual on one loan: $250,000.00 at
// 6.875 % Act/365F, rounded half-even to the cent.
func BenchmarkDayInterest(b *testing.B) {
	dc := DayCount{Convention: Act365Fixed}
	bal := money.MustNew(250_000_00, money.USD)
	r := rate.MustPercent("6.875")
	day := d(2024, 3, 15)
	b.ReportAllocs()
	for b.Loop() {
		a, err := dc.DayInterest(bal, r, day, money.HalfEven)
		if err != nil {
			b.Fatal(err)
		}
		sinkAmount = a
	}
}

func BenchmarkDayInterestFloat64(b *testing.B) {
	for b.Loop() {
		sinkFloat = math.RoundToEven(floatBal*floatRate/365*100) / 100
	}
}

// BenchmarkDayInterestISDA is the same under Act/Act (ISDA), which needs the
// day's year.
func BenchmarkDayInterestISDA(b *testing.B) {
	dc := DayCount{Convention: ActActISDA}
	bal := money.MustNew(250_000_00, money.USD)
	r := rate.MustPercent("6.875")
	day := d(2024, 3, 15)
	b.ReportAllocs()
	for b.Loop() {
		a, err := dc.DayInterest(bal, r, day, money.HalfEven)
		if err != nil {
			b.Fatal(err)
		}
		sinkAmount = a
	}
}

func BenchmarkDayInterestISDAFloat64(b *testing.B) {
	bal, r := floatBal, floatRate
	day := d(2024, 3, 15)
	for b.Loop() {
		y := day.Year()
		n := 365.0
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			n = 366
		}
		sinkFloat = math.RoundToEven(bal*r/n*100) / 100
	}
}

// thirtyYears is a 30-year loan with three rate changes, accrued daily.
func thirtyYears(policy RoundingPolicy) (Timeline, date.Date, date.Date) {
	start := d(2024, 1, 1)
	end := addMonths(start, 360, 1, false)
	return Timeline{
		DayCount:  DayCount{Convention: Act365Fixed},
		Principal: []BalanceChange{{On: start, Balance: money.MustNew(250_000_00, money.USD)}},
		Rates: []RateChange{
			{On: start, Rate: rate.MustPercent("6.875")},
			{On: d(2029, 1, 1), Rate: rate.MustPercent("7.5")},
			{On: d(2034, 1, 1), Rate: rate.MustPercent("6.25")},
			{On: d(2039, 1, 1), Rate: rate.MustPercent("5.125")},
		},
		Rounding: policy,
		Mode:     money.HalfEven,
	}, start, end
}

// BenchmarkAccrue30YearsDaily rounds each of the 10,958 days.
func BenchmarkAccrue30YearsDaily(b *testing.B) {
	tl, start, end := thirtyYears(RoundDaily)
	b.ReportAllocs()
	for b.Loop() {
		res, err := tl.Accrue(start, end)
		if err != nil {
			b.Fatal(err)
		}
		sinkAmount = res.Interest
	}
}

// BenchmarkAccrue30YearsExact accrues exactly and rounds once.
func BenchmarkAccrue30YearsExact(b *testing.B) {
	tl, start, end := thirtyYears(RoundAtPosting)
	b.ReportAllocs()
	for b.Loop() {
		res, err := tl.Accrue(start, end)
		if err != nil {
			b.Fatal(err)
		}
		sinkAmount = res.Interest
	}
}

// BenchmarkAccrue30YearsFloat64 is the daily loop in float64: look up the
// rate in force, add the rounded day's interest.
func BenchmarkAccrue30YearsFloat64(b *testing.B) {
	tl, start, end := thirtyYears(RoundDaily)
	changes := make([]int64, len(tl.Rates))
	rates := make([]float64, len(tl.Rates))
	for i, c := range tl.Rates {
		changes[i] = int64(c.On)
		rates[i] = float64(c.Rate.Units()) / 1e12
	}
	bal := floatBal
	for b.Loop() {
		sum, k := 0.0, 0
		for day := int64(start); day < int64(end); day++ {
			for k+1 < len(changes) && changes[k+1] <= day {
				k++
			}
			sum += math.RoundToEven(bal*rates[k]/365*100) / 100
		}
		sinkFloat = sum
	}
}

// TestThirtyYearsFloatAgrees checks the float baseline computes the same
// thing (so the ratio compares like with like): on these round figures the
// float sum matches the exact daily-rounded total to the cent.
func TestThirtyYearsFloatAgrees(t *testing.T) {
	tl, start, end := thirtyYears(RoundDaily)
	res, err := tl.Accrue(start, end)
	if err != nil {
		t.Fatal(err)
	}
	sum, k := 0.0, 0
	for day := start; day < end; day++ {
		for k+1 < len(tl.Rates) && tl.Rates[k+1].On <= day {
			k++
		}
		sum += math.RoundToEven(250_000.00*float64(tl.Rates[k].Rate.Units())/1e12/365*100) / 100
	}
	if got := float64(res.Interest.Minor()) / 100; math.Abs(got-sum) > 0.005 {
		t.Fatalf("exact %.2f, float %.2f", got, sum)
	}
}
