package servicing_test

import (
	"context"
	"fmt"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
)

// A 30-year fixed mortgage is boarded, paid once, and quoted for payoff.
func Example() {
	ctx := context.Background()
	tick := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	e, _ := servicing.New(servicing.Config{
		Store: servicingtest.NewMemStore(),
		Now:   func() time.Time { tick = tick.Add(time.Second); return tick },
	})
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	terms := loan.Terms{
		Terms: amortize.Terms{
			Principal: usd("200000.00"), AnnualRate: rate.MustPercent("6"), Installments: 360,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			FundingDate: date.New(2024, 1, 15), FirstDueDate: date.New(2024, 3, 1),
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic,
			DayCount:         accrual.DayCount{Convention: accrual.Thirty360US},
			InterestRounding: money.HalfAwayFromZero, PaymentRounding: money.HalfAwayFromZero,
		},
		Accrual:     loan.AccrualScheduled,
		Delinquency: delinquency.StandardPolicy(delinquency.ClosedEnd),
	}
	_, err := e.Board(ctx, "MTG-1", loan.BoardingRequest{Terms: terms, Borrower: "B-1"}, servicing.Meta{IdempotencyKey: "board"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usd("1199.10"), servicing.Meta{IdempotencyKey: "pay-1"})
	trace, _ := e.AllocationTrace(ctx, "MTG-1", r.Events[0].Seq)
	for _, l := range trace.Lines {
		fmt.Println(l.Component, l.Amount)
	}
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 10))
	fmt.Println(s.Status, s.Principal, s.DaysPastDue())
	p, _ := e.PayoffQuote(ctx, "MTG-1", date.New(2024, 3, 16))
	fmt.Println("payoff", p.Total, "per diem", p.PerDiem)
	// Output:
	// interest 1000.00
	// principal 199.10
	// current 199800.90 0
	// payoff 200300.40 per diem 33.30
}
