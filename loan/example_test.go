package loan_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// payload is an LOS boarding payload: 200,000.00 at 6% for 30 years on
// 30/360, first due 1 Mar 2024, the payment left for amortize to solve.
const payload = `{
  "terms": {
    "currency": "USD", "principal": "200000.00", "annual_rate": "6%", "installments": 360,
    "frequency": {"unit": "month", "every": 1}, "eom": "anchor",
    "funding_date": "2024-01-15", "first_due_date": "2024-03-01",
    "shape": "level", "interest_method": "periodic", "odd_first_period": "prepaid",
    "day_count": {"convention": "30U_360_EOM"},
    "interest_rounding": "half_away_from_zero", "payment_rounding": "half_away_from_zero",
    "accrual": "scheduled", "escrow_payment": "0.00",
    "delinquency": {"recognition": "full", "method": "days_past_due",
      "status": {"delinquent_days": 1, "default_days": 90, "non_accrual_days": 90, "charge_off_days": 120, "charge_off": "regular"}}
  },
  "borrower": "BRW-1"
}`

// Every bad value of a payload is named by its path, all at once.
func ExampleParseBoarding() {
	b, err := loan.ParseBoarding([]byte(payload))
	fmt.Println(err, b.Terms.Principal, b.Terms.Installments)
	_, err = loan.ParseBoarding([]byte(`{"terms": {"currency": "USD", "principal": "200000.001", "accrual": "scheduled",
	  "funding_date": "2024-02-30"}, "borrower": "B"}`))
	fmt.Println(err)
	// Output:
	// <nil> 200000.00 360
	// loan: invalid input: loan: invalid terms: Terms.principal: invalid ("200000.001"): money: invalid amount: "200000.001": more than 2 decimal places
	// Terms.funding_date: invalid ("2024-02-30"): 2024-02-30: February 2024 has 29 days
}

// A loan's state is the fold of its events: boarding and the March
// installment (1,000.00 interest, 199.10 principal) leave 199,800.90; the
// same events always give the same bytes and hash.
func ExampleReplay() {
	b, _ := loan.ParseBoarding([]byte(payload))
	terms, _ := b.Terms.Normalized()
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	events := []loan.Event{
		{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: date.New(2024, 1, 15), RecordedAt: at,
			Payload: loan.Boarded{Terms: terms, Borrower: b.Borrower, Rules: loan.RulesVersion}},
		{Seq: 2, Kind: loan.KindPaymentReceived, EffectiveOn: date.New(2024, 3, 1), RecordedAt: at,
			Payload: loan.PaymentReceived{Amount: money.MustParse("1199.10", money.USD)}},
	}
	s, err := loan.Replay(terms, events, date.New(2024, 3, 10))
	again, _ := loan.Replay(terms, events, date.New(2024, 3, 10))
	fmt.Println(err, s.Status, s.Principal, s.NextInstallment, s.Hash() == again.Hash())
	// Output:
	// <nil> current 199800.90 2 true
}

// Fold also reports the domain events of the dates it crosses, dated by
// business date: with no April payment the loan is delinquent from 2 Apr.
func ExampleFold() {
	b, _ := loan.ParseBoarding([]byte(payload))
	terms, _ := b.Terms.Normalized()
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	events := []loan.Event{
		{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: date.New(2024, 1, 15), RecordedAt: at,
			Payload: loan.Boarded{Terms: terms, Borrower: b.Borrower, Rules: loan.RulesVersion}},
		{Seq: 2, Kind: loan.KindPaymentReceived, EffectiveOn: date.New(2024, 3, 1), RecordedAt: at,
			Payload: loan.PaymentReceived{Amount: money.MustParse("1199.10", money.USD)}},
	}
	s, domain, err := loan.Fold(loan.Initial(terms), events, date.New(2024, 4, 5))
	fmt.Println(err, s.Status, s.DaysPastDue())
	for _, d := range domain {
		fmt.Println(d.On, d.Type, d.From, d.To)
	}
	// Output:
	// <nil> delinquent 4
	// 2024-04-02 status_changed current delinquent
}

// ScheduledDue is what the schedule asks of the loan in a window: before
// March, March's installment (1,000.00 interest on 200,000.00 at 6%/12,
// 199.10 principal of the 1,199.10 payment); after it, April's and May's
// (199,800.90 × 0.005 = 999.00 interest, 200.10 principal; 199,600.80 ×
// 0.005 = 998.00, 201.10). With April unpaid, April is
// past due, not scheduled in the window: seen from 10 April, only May's
// is (its principal and interest on the balance April would have left).
// On 1 April itself, April's installment, unpaid at the end of its due
// day, is not past due: a window after that day leaves it out, one from it
// holds it.
func ExampleState_ScheduledDue() {
	b, _ := loan.ParseBoarding([]byte(payload))
	terms, _ := b.Terms.Normalized()
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	events := []loan.Event{
		{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: date.New(2024, 1, 15), RecordedAt: at,
			Payload: loan.Boarded{Terms: terms, Borrower: b.Borrower, Rules: loan.RulesVersion}},
		{Seq: 2, Kind: loan.KindPaymentReceived, EffectiveOn: date.New(2024, 3, 1), RecordedAt: at,
			Payload: loan.PaymentReceived{Amount: money.MustParse("1199.10", money.USD)}},
	}
	for _, w := range []struct{ asOf, to date.Date }{
		{date.New(2024, 2, 29), date.New(2024, 3, 31)},
		{date.New(2024, 3, 31), date.New(2024, 5, 31)},
		{date.New(2024, 4, 10), date.New(2024, 5, 31)},
	} {
		s, _ := loan.Replay(terms, events, w.asOf)
		p, i, err := s.ScheduledDue(w.asOf, w.to)
		fmt.Println(w.asOf, "to", w.to, p, i, err)
	}
	s, _ := loan.Replay(terms, events, date.New(2024, 4, 1))
	p, i, _ := s.ScheduledDue(s.AsOf, date.New(2024, 4, 30))
	fmt.Println("after 1 Apr:", p, i)
	p, i, _ = s.ScheduledDue(s.AsOf-1, date.New(2024, 4, 30))
	fmt.Println("from 1 Apr:", p, i)
	// Output:
	// 2024-02-29 to 2024-03-31 199.10 1000.00 <nil>
	// 2024-03-31 to 2024-05-31 401.20 1997.00 <nil>
	// 2024-04-10 to 2024-05-31 201.10 998.00 <nil>
	// after 1 Apr: 0.00 0.00
	// from 1 Apr: 200.10 999.00
}

// A host that keeps a loan's latest state folds each new event onto it
// with the Carry of the fold before, which saves building the billing
// rule again; the result is Fold's. April's installment on 199,800.90 at
// 0.5 % a month: 999.0045 → 999.00 interest, 200.10 principal, leaving
// 199,600.80.
func ExampleFoldCarry() {
	b, _ := loan.ParseBoarding([]byte(payload))
	terms, _ := b.Terms.Normalized()
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	pay := func(seq int64, on date.Date) []loan.Event {
		return []loan.Event{{Seq: seq, Kind: loan.KindPaymentReceived, EffectiveOn: on, RecordedAt: at,
			Payload: loan.PaymentReceived{Amount: money.MustParse("1199.10", money.USD)}}}
	}
	boarded := []loan.Event{{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: date.New(2024, 1, 15), RecordedAt: at,
		Payload: loan.Boarded{Terms: terms, Borrower: b.Borrower, Rules: loan.RulesVersion}}}
	s, _, c, _ := loan.FoldCarry(loan.Initial(terms), loan.Carry{}, append(boarded, pay(2, date.New(2024, 3, 1))...), date.New(2024, 3, 1))
	s, _, _, err := loan.FoldCarry(s, c, pay(3, date.New(2024, 4, 1)), date.New(2024, 4, 1))
	full, _ := loan.Replay(terms, append(append(boarded, pay(2, date.New(2024, 3, 1))...), pay(3, date.New(2024, 4, 1))...), date.New(2024, 4, 1))
	fmt.Println(err, s.Principal, s.NextInstallment, s.Hash() == full.Hash())
	// Output:
	// <nil> 199600.80 3 true
}

// A host that keeps a state and its Carry quotes the payoff from them
// (PayoffCarry; a precomputed loan then reuses its add-on table); the
// quote is Payoff's. After March's installment the principal is
// 199,800.90; on 15 March the quote adds 14 days of 30/360 interest at
// 6 %: 199,800.90 × 0.06 × 14/360 = 466.2021 → 466.20, so 200,267.10.
func ExampleState_PayoffCarry() {
	b, _ := loan.ParseBoarding([]byte(payload))
	terms, _ := b.Terms.Normalized()
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	evs := []loan.Event{
		{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: date.New(2024, 1, 15), RecordedAt: at,
			Payload: loan.Boarded{Terms: terms, Borrower: b.Borrower, Rules: loan.RulesVersion}},
		{Seq: 2, Kind: loan.KindPaymentReceived, EffectiveOn: date.New(2024, 3, 1), RecordedAt: at,
			Payload: loan.PaymentReceived{Amount: money.MustParse("1199.10", money.USD)}},
	}
	s, c, _ := loan.ReplayCarry(loan.Initial(terms), loan.Carry{}, evs, date.New(2024, 3, 1))
	q, err := s.PayoffCarry(date.New(2024, 3, 15), c)
	p, _ := s.Payoff(date.New(2024, 3, 15))
	fmt.Println(err, s.Principal, q.Interest, q.Total, q == p)
	// Output:
	// <nil> 199800.90 466.20 200267.10 true
}
