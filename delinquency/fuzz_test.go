package delinquency

import (
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// FuzzEvaluate builds loans and policies from raw fuzz values, valid or not:
// New must either reject them with an error or return an evaluator whose
// every query runs without panicking and keeps the basic invariants.
func FuzzEvaluate(f *testing.F) {
	f.Add(uint64(1), int64(100000), int64(0), int64(30), 12, 3, uint8(0), int64(0), 15, int64(500))
	f.Add(uint64(2), int64(-5), int64(1e15), int64(-400), 0, 0, uint8(1), int64(-1), -1, int64(0))
	f.Add(uint64(3), int64(1), int64(9e14), int64(70000), 1300, 9, uint8(2), int64(10001), 400, int64(20000))
	f.Add(uint64(4), int64(30000), int64(15000), int64(1), 6, 2, uint8(5), int64(50), 0, int64(400))
	f.Add(uint64(5), int64(100000), int64(60000), int64(0), 12, 1, uint8(64), int64(0), 15, int64(500))
	f.Add(uint64(6), int64(50000), int64(200000), int64(3), 24, 2, uint8(64+8+2), int64(0), 10, int64(400))
	f.Fuzz(func(t *testing.T, seed uint64, periodic, paid, dayShift int64, n, credits int, mode uint8, tolBps int64, grace int, feeBps int64) {
		r := rand.New(rand.NewPCG(seed, 9))
		if n < 0 || n > MaxInstallments+5 {
			n = int(uint(n) % (MaxInstallments + 5))
		}
		base := date.New(2024, 1, 1) + date.Date(dayShift%100000)
		ins := make([]Installment, n)
		for i := range ins {
			a, _ := money.New(periodic%(2*money.MaxMinor), money.USD)
			ins[i] = Installment{Seq: i + 1, DueDate: base + date.Date(30*i), Principal: a}
			for c := 0; c < credits%4; c++ {
				pa, _ := money.New(paid%(2*money.MaxMinor)/int64(c+1), money.USD)
				ins[i].Credits = append(ins[i].Credits, Credit{ReceivedOn: base + date.Date(30*i+r.IntN(90)-10), Interest: pa})
			}
		}
		l := Loan{Currency: money.USD, Installments: ins}
		if mode&4 != 0 {
			l.Pauses = []Pause{{Kind: DelinquencyPause, From: base + date.Date(r.IntN(200)), To: base + date.Date(r.IntN(400))}}
		}
		if mode&8 != 0 {
			l.ReAgedOn = []date.Date{base + date.Date(r.IntN(300))}
		}
		if mode&64 != 0 {
			on := base + date.Date(r.IntN(400))
			amt, _ := money.New(periodic%(2*money.MaxMinor)*3, money.USD)
			pa, _ := money.New(paid%(2*money.MaxMinor), money.USD)
			l.Acceleration = &Acceleration{On: on, Amount: amt,
				Credits: []Credit{{ReceivedOn: on + date.Date(r.IntN(200)-20), Principal: pa}}}
		}
		p := StandardPolicy(ClosedEnd)
		p.Recognition = []Recognition{RecognizeFull, RecognizeNinetyPercent, RecognizeAggregate, "x"}[mode%4]
		p.Method = []Method{MethodDaysPastDue, MethodMBA, MethodOTS}[int(mode/16)%3]
		p.TolerancePercentBps = tolBps
		p.LateFee = &LateFeePolicy{GraceDays: grace, Method: FeePercentPastDue, PercentBasisPoints: feeBps, Rounding: money.HalfEven}
		e, err := New(l, p)
		if err != nil {
			return
		}
		for k := 0; k < 5; k++ {
			asOf := base + date.Date(r.IntN(2000)-50)
			a := e.Assess(asOf)
			if a.DPD < 0 || a.Days < 0 || a.PaymentsPastDue < 0 || a.ToCure.IsNegative() {
				t.Fatalf("negative result %+v", a)
			}
			if len(l.Pauses) == 0 && (a.DPD == 0) == a.Delinquent {
				t.Fatalf("DPD %d but delinquent=%v", a.DPD, a.Delinquent)
			}
			if a.DPD != e.DaysPastDue(asOf) {
				t.Fatalf("Assess and DaysPastDue disagree")
			}
			_ = e.LateFees(asOf)
			_, _ = e.LateFee(1, asOf)
			_, _ = e.Milestones(asOf)
		}
		if _, err := e.History(base-10, base+date.Date(r.IntN(500))); err != nil && base > MinDate+10 && base < MaxDate-600 {
			t.Fatalf("History: %v", err)
		}
	})
}

// FuzzCanReAge: any request returns nil or an error, never a panic.
func FuzzCanReAge(f *testing.F) {
	f.Add(int64(800000), int64(799000), int64(10000), int64(10000), 3, 1)
	f.Add(int64(0), int64(-1), int64(-5), int64(1e16), 50000, 200)
	f.Fuzz(func(t *testing.T, asOf, opened, minimum, amt int64, payments, reAges int) {
		m, _ := money.New(minimum%(2*money.MaxMinor), money.USD)
		a, _ := money.New(amt%(2*money.MaxMinor), money.USD)
		req := ReAgeRequest{AsOf: date.Date(asOf % 2000000), OpenedOn: date.Date(opened % 2000000), MinimumPayment: m}
		for i := 0; i < payments%(MaxCredits+10) && i >= 0; i++ {
			req.Payments = append(req.Payments, Payment{ReceivedOn: req.AsOf - date.Date(i), Amount: a})
		}
		for i := 0; i < reAges%(MaxReAges+10) && i >= 0; i++ {
			req.PriorReAges = append(req.PriorReAges, req.AsOf-date.Date(100*i))
		}
		_ = CanReAge(req)
	})
}
