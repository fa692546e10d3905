package delinquency

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// loanMutations break (or, at a boundary, keep) one rule of Loan validation
// each; together they touch every check of Loan.validate.
var loanMutations = []func(l *Loan, r *rand.Rand){
	func(l *Loan, _ *rand.Rand) { l.Currency = money.Currency{} },
	func(l *Loan, _ *rand.Rand) { l.Currency = money.Currency{Code: "USD", Scale: 3} },
	func(l *Loan, _ *rand.Rand) { l.Currency = money.MustCurrency("EUR") },
	func(l *Loan, _ *rand.Rand) { l.Installments = nil },
	func(l *Loan, _ *rand.Rand) {
		l.Installments = append(l.Installments, make([]Installment, MaxInstallments+1-len(l.Installments))...)
	},
	func(l *Loan, r *rand.Rand) { pick(l, r).Seq = 0 },
	func(l *Loan, r *rand.Rand) { pick(l, r).Seq = pick(l, r).Seq },
	func(l *Loan, r *rand.Rand) {
		pick(l, r).DueDate = []date.Date{0, MinDate - 1, MaxDate + 1, MinDate, MaxDate}[r.IntN(5)]
	},
	func(l *Loan, r *rand.Rand) { pick(l, r).DueDate = pick(l, r).DueDate },
	func(l *Loan, r *rand.Rand) { pick(l, r).Principal = amountVariant(r) },
	func(l *Loan, r *rand.Rand) { pick(l, r).Interest = amountVariant(r) },
	func(l *Loan, r *rand.Rand) { pick(l, r).Escrow = amountVariant(r) },
	func(l *Loan, r *rand.Rand) { pick(l, r).Fees = amountVariant(r) },
	func(l *Loan, r *rand.Rand) {
		pick(l, r).LateFee = []LateFeeState{"maybe", LateFeeWaived, LateFeeAssessed}[r.IntN(3)]
	},
	func(l *Loan, r *rand.Rand) {
		in := pick(l, r)
		c := Credit{ReceivedOn: in.DueDate, Principal: money.MustNew(100, money.USD)}
		switch r.IntN(6) {
		case 0:
			c.ReceivedOn = []date.Date{0, MinDate - 1, MaxDate + 1, MaxDate}[r.IntN(4)]
		case 1:
			c.Principal = amountVariant(r)
		case 2:
			c.Interest = amountVariant(r)
		case 3:
			c.Escrow = amountVariant(r)
		case 4:
			c.Fees = amountVariant(r)
		}
		in.Credits = append(in.Credits, c)
	},
	func(l *Loan, r *rand.Rand) {
		for i := range l.Installments {
			l.Installments[i].Principal = share(len(l.Installments), r)
		}
	},
	func(l *Loan, r *rand.Rand) {
		for i := range l.Installments {
			a := share(len(l.Installments), r)
			l.Installments[i].Credits = []Credit{{ReceivedOn: l.Installments[i].DueDate, Escrow: a}}
		}
	},
	func(l *Loan, r *rand.Rand) {
		p := Pause{Kind: []PauseKind{"", "x", Forbearance, Deferment, DelinquencyPause}[r.IntN(5)],
			From: date.New(2024, 2, 1), To: date.New(2024, 3, 1)}
		switch r.IntN(4) {
		case 0:
			p.To = p.From
		case 1:
			p.From = MinDate - 1
		case 2:
			p.To = MaxDate + 1
		}
		l.Pauses = append(l.Pauses, p)
	},
	func(l *Loan, r *rand.Rand) {
		l.Pauses = make([]Pause, MaxPauses+r.IntN(2))
		for i := range l.Pauses {
			l.Pauses[i] = Pause{Kind: Deferment, From: date.New(2024, 1, 1), To: date.New(2024, 1, 2)}
		}
	},
	func(l *Loan, r *rand.Rand) {
		l.ReAgedOn = append(l.ReAgedOn, []date.Date{0, MaxDate + 1, date.New(2024, 6, 1)}[r.IntN(3)])
	},
	func(l *Loan, r *rand.Rand) {
		l.ReAgedOn = make([]date.Date, MaxReAges+r.IntN(2))
		for i := range l.ReAgedOn {
			l.ReAgedOn[i] = date.New(2024, 6, 1)
		}
	},
	func(l *Loan, r *rand.Rand) {
		d := []date.Date{5, MaxDate + 1, date.New(2025, 1, 1)}[r.IntN(3)]
		*[]**date.Date{&l.ChargedOffOn, &l.PaidOffOn, &l.ClosedOn}[r.IntN(3)] = &d
	},
	func(l *Loan, r *rand.Rand) {
		a := &Acceleration{On: []date.Date{0, MaxDate + 1, date.New(2024, 3, 15)}[r.IntN(3)],
			Amount: []money.Amount{money.Zero(money.USD), amountVariant(r), money.MustNew(100000, money.USD)}[r.IntN(3)]}
		for range r.IntN(3) {
			c := Credit{ReceivedOn: []date.Date{MaxDate + 1, date.New(2024, 3, 14), date.New(2024, 4, 1)}[r.IntN(3)]}
			c.Fees = amountVariant(r)
			a.Credits = append(a.Credits, c)
		}
		l.Acceleration = a
	},
}

// policyMutations do the same for every check of Policy.validate.
var policyMutations = []func(p *Policy, r *rand.Rand){
	func(p *Policy, r *rand.Rand) { p.Recognition = []Recognition{"", "x", RecognizeAggregate}[r.IntN(3)] },
	func(p *Policy, r *rand.Rand) { p.Method = []Method{"", "x", MethodOTS}[r.IntN(3)] },
	func(p *Policy, r *rand.Rand) { p.ToleranceAmount = amountVariant(r) },
	func(p *Policy, r *rand.Rand) { p.TolerancePercentBps = []int64{-1, 0, 1, 10000, 10001}[r.IntN(5)] },
	func(p *Policy, r *rand.Rand) {
		bs := DefaultBuckets()
		switch r.IntN(7) {
		case 0:
			bs = bs[:0]
		case 1:
			bs = make([]AgingBucket, 100+r.IntN(2))
			for i := range bs {
				bs[i] = AgingBucket{Name: string(rune('A'+i%26)) + string(rune('a'+i/26)), MinDays: i}
			}
		case 2:
			bs[r.IntN(len(bs))].Name = ""
		case 3:
			bs[r.IntN(len(bs))].Name = bs[r.IntN(len(bs))].Name
		case 4:
			bs[0].MinDays = 1
		case 5:
			i := 1 + r.IntN(len(bs)-1)
			bs[i].MinDays = bs[i-1].MinDays
		}
		p.Buckets = bs
	},
	func(p *Policy, r *rand.Rand) { p.LateFee = lateFeeVariant(r) },
	func(p *Policy, r *rand.Rand) { p.LateFee = lateFeeVariant(r) },
	func(p *Policy, r *rand.Rand) { p.LateFee = lateFeeVariant(r) },
	func(p *Policy, r *rand.Rand) {
		v := []int{0, 1, 90, 100000, 100001}[r.IntN(5)]
		*[]*int{&p.Status.DelinquentDays, &p.Status.DefaultDays, &p.Status.NonAccrualDays, &p.Status.ChargeOffDays}[r.IntN(4)] = v
	},
	func(p *Policy, r *rand.Rand) {
		p.Status.ChargeOff = []ChargeOffBehavior{"", "x", ChargeOffStopInterest, ChargeOffAccelerate}[r.IntN(4)]
	},
}

// pick returns a random installment of l, or a scratch one when l has none.
func pick(l *Loan, r *rand.Rand) *Installment {
	if len(l.Installments) == 0 {
		return &Installment{}
	}
	return &l.Installments[r.IntN(len(l.Installments))]
}

// share is about MaxMinor/n, so that n of them total just below, at or just
// above MaxMinor.
func share(n int, r *rand.Rand) money.Amount {
	return money.MustNew(min(money.MaxMinor, money.MaxMinor/int64(max(n, 1))+int64(r.IntN(3))-1), money.USD)
}

// amountVariant is a negative, foreign, zero foreign, largest or ordinary amount.
func amountVariant(r *rand.Rand) money.Amount {
	return []money.Amount{
		money.MustNew(-1, money.USD), money.MustNew(100, money.MustCurrency("EUR")),
		money.Zero(money.MustCurrency("EUR")), money.MustNew(money.MaxMinor, money.USD),
		money.MustNew(2500, money.USD), {},
	}[r.IntN(6)]
}

func lateFeeVariant(r *rand.Rand) *LateFeePolicy {
	lf := &LateFeePolicy{GraceDays: 15, Method: FeePercentPI, PercentBasisPoints: 500, Rounding: money.HalfUp}
	if r.IntN(2) == 0 {
		lf = &LateFeePolicy{GraceDays: 15, Method: FeeFlat, FlatAmount: money.MustNew(2500, money.USD)}
	}
	for range 1 + r.IntN(2) {
		switch r.IntN(9) {
		case 0:
			lf.GraceDays = []int{-1, 0, 365, 366}[r.IntN(4)]
		case 1:
			lf.FlatAmount = amountVariant(r)
		case 2:
			lf.Minimum = amountVariant(r)
		case 3:
			lf.Maximum = amountVariant(r)
		case 4:
			lf.Minimum, lf.Maximum = money.MustNew(1000, money.USD), money.MustNew(999+int64(r.IntN(3)), money.USD)
		case 5:
			lf.PercentBasisPoints = []int64{-1, 0, 1, 10000, 10001}[r.IntN(5)]
		case 6:
			lf.Rounding = []money.RoundingMode{"", "sideways", money.HalfEven}[r.IntN(3)]
		case 7:
			lf.Method = []FeeMethod{"", "x", FeeFlat, FeePercentPITI, FeePercentPastDue}[r.IntN(5)]
		case 8:
			lf.FlatAmount = money.Amount{}
		}
	}
	return lf
}

// TestValidationMutations applies random combinations of the mutations
// above to valid loans and policies: New must accept exactly the inputs that
// Loan.Validate and Policy.ValidateFor accept, name the same fields, and
// never panic; both outcomes must be well exercised.
func TestValidationMutations(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var accepted, rejected int
	for k := range 2000 {
		ins := monthly(t, 2024, time.January, 1+r.IntN(12), "900.00", "100.00", "50.00")
		for i := range r.IntN(len(ins) + 1) {
			pay(t, ins, i+1, ins[i].DueDate.String(), "1050.00")
		}
		l, p := loanOf(ins), StandardPolicy(CreditType([]string{"closed_end", "open_end"}[k%2]))
		for range r.IntN(3) {
			loanMutations[r.IntN(len(loanMutations))](&l, r)
		}
		for range r.IntN(3) {
			policyMutations[r.IntN(len(policyMutations))](&p, r)
		}
		cur := l.Currency // New checks the policy's amounts in a valid loan currency only
		if !cur.Valid() {
			cur = money.Currency{}
		}
		want := errors.Join(l.Validate(), p.ValidateFor("Policy", cur))
		_, err := New(l, p)
		require.Equal(t, want == nil, err == nil, "case %d: %v / %v", k, want, err)
		if err == nil {
			accepted++
			continue
		}
		rejected++
		var got, exp []string
		for e := range fieldErrors(err) {
			got = append(got, e.Field)
		}
		for e := range fieldErrors(want) {
			exp = append(exp, e.Field)
		}
		require.ElementsMatch(t, exp, got, "case %d", k)
	}
	require.Greater(t, accepted, 300)
	require.Greater(t, rejected, 300)

	// MaxCredits in total, one below and one above (kept out of the random
	// loop, where 20,000 credits would dominate the run time).
	for _, extra := range []int{-1, 0, 1} {
		ins := monthly(t, 2024, time.January, 3, "900.00", "100.00", "50.00")
		pay(t, ins, 1, ins[0].DueDate.String(), "1050.00")
		ins[2].Credits = make([]Credit, MaxCredits-1+extra)
		for i := range ins[2].Credits {
			ins[2].Credits[i] = Credit{ReceivedOn: ins[2].DueDate, Fees: money.MustNew(1, money.USD)}
		}
		err := loanOf(ins).Validate()
		require.Equal(t, extra <= 0, err == nil, "%d credits: %v", MaxCredits+extra, err)
		if err != nil {
			var names []string
			for e := range fieldErrors(err) {
				names = append(names, e.Field)
			}
			require.Equal(t, []string{"Loan.Installments[2].Credits"}, names)
		}
	}
}

// TestValidAllocs: validating good input allocates nothing — field paths
// are built only for a failing check — for a loan of 360 installments with
// credits and a policy with a late fee and buckets.
func TestValidAllocs(t *testing.T) {
	l, p := benchNewInput(t)
	require.Zero(t, testing.AllocsPerRun(20, func() {
		if l.Validate() != nil || p.Validate() != nil || p.ValidateFor("Terms.Delinquency", l.Currency) != nil {
			t.Fatal("benchmark input rejected")
		}
	}))
}

// TestFieldPath: the lazy path joins its parts as the eager one did.
func TestFieldPath(t *testing.T) {
	p := pathOf("Loan", ".Installments")
	require.Equal(t, "Loan.Installments", p.String())
	require.Equal(t, "Loan.Installments[3].Seq", p.index(3).dot("Seq"))
	require.Equal(t, "Loan.Installments[3].Credits[1].Fees", p.index(3).under(".Credits").index(1).dot("Fees"))
	require.Equal(t, "Policy.LateFee.GraceDays", pathOf("Policy", ".LateFee").dot("GraceDays"))
	require.Equal(t, "Loan.ReAgedOn[0]", pathOf("Loan", ".ReAgedOn").index(0).String())
}

// TestNewAllocsFixed: New on valid input allocates a small fixed number of
// blocks (the Evaluator, its copy of the installments, buckets and one block
// per element type), the same for 12 installments as for 360 with credits.
func TestNewAllocsFixed(t *testing.T) {
	big, p := benchNewInput(t)
	small := loanOf(monthly(t, 2024, time.January, 12, "900.00", "100.00", "50.00"))
	count := func(l Loan) float64 {
		return testing.AllocsPerRun(20, func() {
			if _, err := New(l, p); err != nil {
				t.Fatal(err)
			}
		})
	}
	nBig, nSmall := count(big), count(small)
	require.Equal(t, nSmall, nBig)
	require.LessOrEqual(t, nBig, 8.0)
}
