package delinquency

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// genLoan builds a random but valid loan: up to 24 monthly-ish installments
// from 2024, random partial and full credits at random dates, optional pauses
// and re-ages.
func genLoan(r *rand.Rand, pauses, reAges bool) Loan {
	n := 1 + r.IntN(24)
	start := date.New(2024, 1, 1) + date.Date(r.IntN(60))
	ins := make([]Installment, n)
	due := start
	for i := range ins {
		p := int64(1 + r.IntN(100000))
		ins[i] = Installment{Seq: i + 1, DueDate: due,
			Principal: money.MustNew(p, money.USD), Interest: money.MustNew(int64(r.IntN(5000)), money.USD),
			Escrow: money.MustNew(int64(r.IntN(3))*1000, money.USD)}
		per := ins[i].Periodic().Minor()
		for c := r.IntN(3); c > 0; c-- {
			amt := per
			switch r.IntN(3) {
			case 0:
				amt = per * int64(r.IntN(10)) / 10
			case 1:
				amt = per - int64(r.IntN(50))
			}
			ins[i].Credits = append(ins[i].Credits, Credit{
				ReceivedOn: due + date.Date(r.IntN(120)-20), Principal: money.MustNew(max(0, amt), money.USD),
				Fees: money.MustNew(int64(r.IntN(2))*500, money.USD)})
		}
		due += date.Date(10 + r.IntN(40))
	}
	l := Loan{Currency: money.USD, Installments: ins}
	if pauses && r.IntN(2) == 0 {
		for k := r.IntN(3); k >= 0; k-- {
			f := start + date.Date(r.IntN(400))
			l.Pauses = append(l.Pauses, Pause{Kind: Forbearance, From: f, To: f + date.Date(1+r.IntN(60))})
		}
	}
	if reAges && r.IntN(3) == 0 {
		l.ReAgedOn = []date.Date{start + date.Date(r.IntN(500))}
	}
	return l
}

func genPolicy(r *rand.Rand) Policy {
	p := StandardPolicy(ClosedEnd)
	p.Recognition = []Recognition{RecognizeFull, RecognizeNinetyPercent, RecognizeAggregate}[r.IntN(3)]
	p.Method = []Method{MethodDaysPastDue, MethodMBA, MethodOTS}[r.IntN(3)]
	switch r.IntN(3) {
	case 0:
		p.ToleranceAmount = money.MustNew(int64(r.IntN(100)), money.USD)
	case 1:
		p.TolerancePercentBps = int64(r.IntN(200))
	}
	p.LateFee = &LateFeePolicy{GraceDays: r.IntN(20), Method: FeePercentPastDue, PercentBasisPoints: 500, Rounding: money.HalfUp}
	return p
}

// oracleDPD recomputes DPD the slow way, independently of the evaluator's
// indexes: recognize installments one by one with plain sums, then count the
// days from the oldest unrecognized due date one at a time, skipping paused
// days.
func oracleDPD(l Loan, p Policy, t date.Date) (dpd int, delinquent bool) {
	var cutDate date.Date
	for _, r := range l.ReAgedOn {
		if r <= t && r > cutDate {
			cutDate = r
		}
	}
	var live []Installment
	for _, in := range l.Installments {
		if in.DueDate >= cutDate {
			live = append(live, in)
		}
	}
	tol := func(in Installment) int64 {
		if p.TolerancePercentBps > 0 {
			return in.Periodic().Minor() * p.TolerancePercentBps / 10000
		}
		return p.ToleranceAmount.Minor()
	}
	paidBy := func(in Installment) int64 {
		var s int64
		for _, c := range in.Credits {
			if c.ReceivedOn <= t {
				s += c.Principal.Minor() + c.Interest.Minor() + c.Escrow.Minor()
			}
		}
		return s
	}
	oldest := -1
	if p.Recognition == RecognizeAggregate {
		var pool int64
		for _, in := range live {
			pool += paidBy(in)
		}
		for i, in := range live {
			need := in.Periodic().Minor()
			if pool >= need {
				pool -= need
			} else if need-pool <= tol(in) {
				pool = 0
			} else {
				oldest = i
				break
			}
		}
	} else {
		for i, in := range live {
			need, paid := in.Periodic().Minor(), paidBy(in)
			ok := need-paid <= tol(in) || (p.Recognition == RecognizeNinetyPercent && 10*paid >= 9*need)
			if !ok {
				oldest = i
				break
			}
		}
	}
	if oldest < 0 || live[oldest].DueDate >= t {
		return 0, false
	}
	for x := live[oldest].DueDate; x < t; x++ {
		paused := false
		for _, ps := range l.Pauses {
			paused = paused || (ps.From <= x && x < ps.To)
		}
		if !paused {
			dpd++
		}
	}
	return dpd, true
}

// TestPropertyMatchesOracle: DPD equals the slow oracle on random loans,
// policies (all three recognition methods) and dates.
func TestPropertyMatchesOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	delinquent, total := 0, 0
	for iter := 0; iter < 300; iter++ {
		l, p := genLoan(r, true, true), genPolicy(r)
		e := mustNew(t, l, p)
		for k := 0; k < 40; k++ {
			asOf := l.Installments[0].DueDate + date.Date(r.IntN(900)-30)
			want, wantDel := oracleDPD(l, p, asOf)
			a := e.Assess(asOf)
			require.Equal(t, want, e.DaysPastDue(asOf), "iter %d asOf %s", iter, asOf)
			require.Equal(t, want, a.DPD)
			require.Equal(t, wantDel, a.Delinquent)
			require.GreaterOrEqual(t, a.Days, 0)
			require.Equal(t, a.PaymentsPastDue > 0, a.Delinquent)
			require.Equal(t, a.ToCure.IsPositive(), a.Delinquent, "iter %d asOf %s", iter, asOf)
			total++
			if wantDel {
				delinquent++
			}
		}
	}
	// The generator must exercise both sides of the property.
	require.Greater(t, delinquent, total/5)
	require.Less(t, delinquent, total*4/5)
}

// TestPropertyGrowsOneADay: outside pauses, with no payment and no re-age on
// day t+1, a delinquent loan's DPD grows by exactly one; and DPD is 0 exactly
// when nothing periodic is past due.
func TestPropertyGrowsOneADay(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 200; iter++ {
		l, p := genLoan(r, false, true), genPolicy(r)
		e := mustNew(t, l, p)
		events := map[date.Date]bool{}
		for _, in := range l.Installments {
			for _, c := range in.Credits {
				events[c.ReceivedOn] = true
			}
		}
		for _, x := range l.ReAgedOn {
			events[x] = true
		}
		first := l.Installments[0].DueDate
		for asOf := first - 5; asOf < first+700; asOf++ {
			a := e.Assess(asOf)
			require.Equal(t, a.DPD == 0, !a.Delinquent, "iter %d %s", iter, asOf)
			if a.Delinquent && !events[asOf+1] {
				require.Equal(t, a.DPD+1, e.DaysPastDue(asOf+1), "iter %d %s", iter, asOf)
			}
		}
	}
}

// TestPropertyPaymentNeverIncreasesDPD: adding a credit anywhere never
// raises DPD on any day, under every recognition method.
func TestPropertyPaymentNeverIncreasesDPD(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 200; iter++ {
		l, p := genLoan(r, true, true), genPolicy(r)
		before := mustNew(t, l, p)
		l2 := l
		l2.Installments = slices.Clone(l.Installments)
		i := r.IntN(len(l2.Installments))
		in := &l2.Installments[i]
		in.Credits = append(slices.Clone(in.Credits), Credit{ReceivedOn: in.DueDate + date.Date(r.IntN(200)-30),
			Interest: money.MustNew(int64(1+r.IntN(200000)), money.USD)})
		after := mustNew(t, l2, p)
		first := l.Installments[0].DueDate
		for asOf := first - 5; asOf < first+800; asOf += 3 {
			require.LessOrEqual(t, after.DaysPastDue(asOf), before.DaysPastDue(asOf), "iter %d %s", iter, asOf)
		}
	}
}

// TestPropertyHistoryAgreesWithAssess: the day-by-day sweep agrees with the
// one-day assessment: bucket spans are contiguous over [from, to) and each
// day's bucket is Assess's; the final DPD matches; the date of first
// delinquency of each episode does not change when the range grows.
func TestPropertyHistoryAgreesWithAssess(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for iter := 0; iter < 60; iter++ {
		l, p := genLoan(r, true, true), genPolicy(r)
		e := mustNew(t, l, p)
		from := l.Installments[0].DueDate + date.Date(r.IntN(100)-20)
		to := from + date.Date(1+r.IntN(600))
		h, err := e.History(from, to)
		require.NoError(t, err)
		require.Equal(t, e.DaysPastDue(to-1), h.Final.DPD)
		next := from
		for k, s := range h.Buckets {
			require.Equal(t, next, s.Entered)
			require.Less(t, s.Entered, s.Left)
			require.Equal(t, k == len(h.Buckets)-1, s.Ongoing)
			for x := s.Entered; x < s.Left; x++ {
				require.Equal(t, e.Assess(x).Bucket, s.Bucket, "iter %d day %s", iter, x)
			}
			next = s.Left
		}
		require.Equal(t, to, next)
		longer, err := e.History(from, to+date.Date(r.IntN(300)))
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(longer.Episodes), len(h.Episodes))
		for k, ep := range h.Episodes {
			require.Equal(t, ep.FirstDelinquentOn, longer.Episodes[k].FirstDelinquentOn)
		}
		for _, tr := range h.Transitions {
			require.NotEqual(t, tr.From == tr.To, tr.Reason != ReasonRecovery)
		}
	}
}

// TestPropertyFastIndexMatchesWalk: the binary-searched index (no re-age)
// gives the same oldest installment and leftover pool as the plain walk.
func TestPropertyFastIndexMatchesWalk(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 500 {
		checkOldestFast(t, r)
	}
}

// FuzzOldestFastMatchesWalk is the differential fuzz test of the package's
// one fast path: oldestFast against oldestWalk, on loans and policies
// generated from the fuzzer's seeds.
func FuzzOldestFastMatchesWalk(f *testing.F) {
	f.Add(uint64(9), uint64(10))
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		checkOldestFast(t, rand.New(rand.NewPCG(s1, s2)))
	})
}

// checkOldestFast compares the fast and the walked oldest installment on one
// generated loan at 30 dates around its due dates.
func checkOldestFast(t *testing.T, r *rand.Rand) {
	l, p := genLoan(r, false, false), genPolicy(r)
	e := mustNew(t, l, p)
	for range 30 {
		asOf := l.Installments[0].DueDate + date.Date(r.IntN(900)-30)
		fk, fp := e.oldestFast(asOf)
		sk, sp := e.oldestWalk(asOf, 0, false)
		require.Equal(t, sk, fk, "%s %s", asOf, p.Recognition)
		require.Equal(t, sp, fp, "%s %s", asOf, p.Recognition)
	}
}
