package servicing_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
)

// New refuses a configuration without a store or a clock, or with a
// negative limit, naming each bad field at once (the engine never reads the
// wall clock by itself: production passes time.Now). The same Config with
// both is an engine.
func ExampleNew() {
	_, err := servicing.New(servicing.Config{Workers: -1})
	fmt.Println(field.Fields(err))
	e, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: time.Now})
	fmt.Println(e != nil, err)
	// Output:
	// [Config.Store Config.Now Config.Workers]
	// true <nil>
}

// A Logger sees each command: its kind, loan, date, outcome and the loan's
// version after it, never the borrower, the actor, the idempotency key or
// an amount. (The handler here drops the time and duration, which change
// from run to run.) A refused payment is logged at Info with the name of
// the bad field.
func ExampleConfig_logger() {
	ctx := context.Background()
	drop := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "duration" {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: drop}))
	tick := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	e, _ := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Logger: logger,
		Now: func() time.Time { tick = tick.Add(time.Second); return tick }})
	req, _ := loan.ParseBoarding([]byte(losPayload))
	_, _ = e.Board(ctx, "MTG-1", req, servicing.Meta{IdempotencyKey: "board", Actor: "jane.doe"})
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 2), usdEx("0.00"), keyEx("p2"))
	// Output:
	// level=DEBUG msg="servicing command" kind=boarded loan=MTG-1 on=2024-01-15 outcome=committed attempts=1 version=1
	// level=DEBUG msg="servicing command" kind=payment_received loan=MTG-1 on=2024-03-01 outcome=committed attempts=1 version=2
	// level=INFO msg="servicing command" kind=payment_received loan=MTG-1 on=2024-03-02 outcome=rejected attempts=1 reason="servicing: invalid command" fields=Amount
}

// metrics is a host's Observer that counts commands by kind and outcome,
// as a metrics library's counter would (examples/otelobserver does it with
// OpenTelemetry).
type metrics struct {
	servicing.NopObserver
	counts map[string]int
}

func (m *metrics) CommandFinished(_ context.Context, c servicing.Command, f servicing.Finished) {
	m.counts[c.Kind+"/"+f.Outcome.String()]++
}

// An Observer counts the commands of a month: the boarding, two payments,
// one of them sent twice under the same key (replayed, not posted again),
// and the end of day.
func ExampleObserver() {
	ctx := context.Background()
	m := &metrics{counts: map[string]int{}}
	tick := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	e, _ := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Observer: m,
		Now: func() time.Time { tick = tick.Add(time.Second); return tick }})
	req, _ := loan.ParseBoarding([]byte(losPayload))
	_, _ = e.Board(ctx, "MTG-1", req, keyEx("board"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 4, 1), usdEx("1199.10"), keyEx("p2"))
	_, _ = e.EndOfDay(ctx, "MTG-1", date.New(2024, 4, 1), servicing.Meta{})
	fmt.Println(m.counts)
	// Output:
	// map[boarded/committed:1 day_closed/committed:1 payment_received/committed:2 payment_received/replayed:1]
}

// March's 1,199.10 pays the month's interest, 200,000.00 × 6 % / 12 =
// 1,000.00, and 199.10 of principal, leaving 199,800.90; April's pays
// 199,800.90 × 0.5 % = 999.00 (999.0045 rounded half up) and 200.10,
// leaving 199,600.80. Each is one event; the loan's version counts them
// after the boarding.
func ExampleEngine_PostPayment() {
	e, ctx := exampleEngine()
	r1, _ := e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	r2, err := e.PostPayment(ctx, "MTG-1", date.New(2024, 4, 1), usdEx("1199.10"), keyEx("p2"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 4, 1))
	fmt.Println(r1.Version, r2.Version, r2.Events[0].Kind, err)
	fmt.Println(s.Principal, s.PaidInterest, s.NextInstallment)
	// Output:
	// 2 3 payment_received <nil>
	// 199600.80 1999.00 3
}

// Where March's payment went, as the log stands: the installment's
// interest first and its principal after (the payload's default rules).
func ExampleEngine_AllocationTrace() {
	e, ctx := exampleEngine()
	r, _ := e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	tx, err := e.AllocationTrace(ctx, "MTG-1", r.Events[0].Seq)
	fmt.Println(tx.Kind, tx.Date, tx.Amount, err)
	for _, l := range tx.Lines {
		fmt.Println(" ", l.Installment, l.Component, l.Amount)
	}
	// Output:
	// payment_received 2024-03-01 1199.10 <nil>
	//   1 interest 1000.00
	//   1 principal 199.10
}

// March's installment unpaid: the late fee, 5 % × 1,199.10 = 59.955,
// rounded half up to 59.96, falls on 17 Mar (1 Mar + 15 days' grace + 1);
// waived on 18 Mar, nothing is owed but the installment.
func ExampleEngine_WaiveFee() {
	e, ctx := exampleEngine()
	before, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 17))
	_, err := e.WaiveFee(ctx, "MTG-1", date.New(2024, 3, 18), loan.FeeLate, usdEx("59.96"), keyEx("waive"))
	after, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 18))
	fmt.Println(before.LateFees, err, after.LateFees)
	// Output:
	// 59.96 <nil> 0.00
}

// Charged off on 1 Sep with interest stopped, owing the 200,000.00
// principal and six late fees of 59.96 (200,359.76); two recoveries of
// 100,000.00 leave 359.76 and then nothing.
func ExampleEngine_Recover() {
	e, ctx := exampleEngine()
	_, _ = e.ChargeOffWith(ctx, "MTG-1", date.New(2024, 9, 1),
		servicing.ChargeOffOptions{Behavior: delinquency.ChargeOffStopInterest}, keyEx("co"))
	s0, _ := e.State(ctx, "MTG-1", date.New(2024, 9, 1))
	_, err := e.Recover(ctx, "MTG-1", date.New(2024, 10, 1), usdEx("100000.00"), keyEx("rec1"))
	_, _ = e.Recover(ctx, "MTG-1", date.New(2024, 11, 1), usdEx("100000.00"), keyEx("rec2"))
	s1, _ := e.State(ctx, "MTG-1", date.New(2024, 10, 1))
	s2, _ := e.State(ctx, "MTG-1", date.New(2024, 11, 1))
	fmt.Println(s0.ChargedOff, err, s1.ChargedOff, s2.ChargedOff)
	// Output:
	// 200359.76 <nil> 100359.76 359.76
}

// The loan on two dates after March's payment: on 1 Apr the second
// installment is due and nothing is late; on 20 Apr it is 19 days past
// due, delinquent, with April's 59.96 late fee charged on 17 Apr.
func ExampleEngine_State() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	for _, on := range []date.Date{date.New(2024, 4, 1), date.New(2024, 4, 20)} {
		s, _ := e.State(ctx, "MTG-1", on)
		next, _ := s.NextDueDate()
		fmt.Println(on, s.Status, s.Principal, next, s.DaysPastDue(), s.LateFees)
	}
	// Output:
	// 2024-04-01 current 199800.90 2024-04-01 0 0.00
	// 2024-04-20 delinquent 199800.90 2024-04-01 19 59.96
}

// Month ends from one read of the log: March paid, April and May not, so
// the loan is 29 days past due on 30 Apr (1 Apr unpaid) and 60 on 31 May,
// with a late fee of 59.96 for each unpaid month.
func ExampleEngine_StatesOn() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	ends := []date.Date{date.New(2024, 3, 31), date.New(2024, 4, 30), date.New(2024, 5, 31)}
	states, err := e.StatesOn(ctx, "MTG-1", ends, time.Time{})
	for i, s := range states {
		fmt.Println(ends[i], s.DaysPastDue(), s.LateFees)
	}
	fmt.Println(err)
	// Output:
	// 2024-03-31 0 0.00
	// 2024-04-30 29 59.96
	// 2024-05-31 60 119.92
	// <nil>
}

// The payoff after March's payment, good through 16 Mar: 199,800.90 of
// principal and 15 days' interest on 30/360, 199,800.90 × 6 % × 15 / 360 =
// 499.50 (499.502 rounded), 200,300.40 in all; each later day adds the per
// diem, 199,800.90 × 6 % / 360 = 33.30.
func ExampleEngine_PayoffQuote() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	q, err := e.PayoffQuote(ctx, "MTG-1", date.New(2024, 3, 16))
	fmt.Println(q.GoodThrough, q.Principal, q.Interest, q.Fees, q.Total, q.PerDiem, err)
	// Output:
	// 2024-03-16 199800.90 499.50 0.00 200300.40 33.30 <nil>
}

// The escrow analysis is a query: on Reg X Appendix E's items (500.00 in
// July, 360.00 in September, 700.00 in December, 1,560.00 a year) it gives
// Appendix E's 130.00 a month (1,560.00 / 12) and the installment its year
// starts with, and changes nothing: the loan keeps its escrow payment until
// AnalyzeEscrow puts the result in force.
func ExampleEngine_EscrowAnalysis() {
	e, ctx := exampleEngine()
	_, _ = e.Board(ctx, "ESC-4", loan.BoardingRequest{Terms: escrowMortgage(), Borrower: "BRW-6"}, keyEx("board-esc4"))
	r, from, err := e.EscrowAnalysis(ctx, "ESC-4", date.New(2024, 1, 16))
	s, _ := e.State(ctx, "ESC-4", date.New(2024, 1, 16))
	fmt.Println(r.AnnualDisbursements, r.MonthlyPayment, from, err, s.Terms.EscrowPayment, len(s.EscrowSteps))
	// Output:
	// 1560.00 130.00 1 <nil> 0.00 0
}

// A 25.00 inspection charge assessed on 10 Mar and due 20 Mar is owed with
// installment 2 (due 1 Apr: its period, 1 Mar to 1 Apr, holds 20 Mar), not
// on its own like AssessFee's fee. March's 1,199.10 pays installment 1
// only; on 1 Apr, 1,224.10 (1,199.10 + 25.00) pays installment 2 and the
// charge, leaving no fee owed and nothing past due.
func ExampleEngine_AssessCharge() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, err := e.AssessCharge(ctx, "MTG-1", date.New(2024, 3, 10), loan.FeeOther, usdEx("25.00"), date.New(2024, 3, 20), keyEx("inspection"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 10))
	c := s.Charges[0]
	fmt.Println(err, c.Installment, c.DueOn, c.Open)
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 4, 1), usdEx("1224.10"), keyEx("p2"))
	s, _ = e.State(ctx, "MTG-1", date.New(2024, 4, 1))
	fmt.Println(s.Charges[0].Open, s.DaysPastDue())
	// Output:
	// <nil> 2 2024-03-20 25.00
	// 0.00 0
}
