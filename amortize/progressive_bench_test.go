package amortize

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// progressivePaid is a loan of n monthly installments under
// RecalculationProgressive with every installment paid on its due date,
// the replay loan.State.Recalculated does once per bill on a loan that
// far into its life.
func progressivePaid(b *testing.B, n int) Progressive {
	eur := money.MustCurrency("EUR")
	p, err := NewProgressive(Terms{Principal: money.MustParse("200000", eur), AnnualRate: rate.MustPercent("6.5"), Installments: n,
		Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, FundingDate: date.New(2024, time.January, 1),
		FirstDueDate: date.New(2024, time.February, 1), Shape: ShapeLevel, InterestMethod: InterestDaily,
		DayCount:         accrual.DayCount{Convention: accrual.Basis, YearDays: accrual.Year360, MonthDays: accrual.Month30},
		InterestRounding: money.HalfEven, PaymentRounding: money.HalfEven, EMIAdjust: EMIAdjustFineract}, RecalculationProgressive)
	if err != nil {
		b.Fatal(err)
	}
	for k := 1; k <= n; k++ {
		q := p.Periods()[k-1]
		if p, err = p.PayInterest(k, q.Interest); err == nil {
			p, err = p.PayPrincipal(k, q.DueDate, q.Principal)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	return p
}

// BenchmarkProgressiveReplay60 replays 60 on-time installments (120
// credits) of a 60-month loan; compare with BenchmarkFloat64Loop.
func BenchmarkProgressiveReplay60(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		progressivePaid(b, 60)
	}
}

// BenchmarkProgressiveReplay360 is the same for a 360-month loan: the cost
// grows with credits × installments.
func BenchmarkProgressiveReplay360(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		progressivePaid(b, 360)
	}
}

// BenchmarkProgressiveRestore360 rebuilds the fully paid 360-month loan
// from its 720 credits and EMIs (RestoreProgressive, what the engine's
// fold does for each bill) and sees it on a date; compare with
// BenchmarkProgressiveReplay360 and BenchmarkCompute360 (the table alone,
// which it includes).
func BenchmarkProgressiveRestore360(b *testing.B) {
	p := progressivePaid(b, 360)
	var credits []ProgressiveCredit
	for _, q := range p.Periods() {
		credits = append(credits, ProgressiveCredit{Installment: q.N, Interest: true, Amount: q.PaidInterest},
			ProgressiveCredit{Installment: q.N, On: q.DueDate, Amount: q.PaidPrincipal})
	}
	emis := p.EMIs()
	b.ReportAllocs()
	for b.Loop() {
		r, err := RestoreProgressive(p.t, p.mode, emis, credits)
		if err == nil {
			_, err = r.At(date.New(2054, time.February, 1))
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
