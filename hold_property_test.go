package servicing_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// randomPlan is an arrangement made on on: one to four payments 5 to 40
// days apart, holding the status ladder unless seed says otherwise.
func randomPlan(r *rand.Rand, on date.Date) loan.ArrangementMade {
	a := loan.ArrangementMade{HoldStatus: r.IntN(5) != 0, HoldLateFees: r.IntN(2) == 0}
	at := on
	for range 1 + r.IntN(4) {
		at += date.Date(5 + r.IntN(36))
		a.Payments = append(a.Payments, collections.Planned{On: at, Amount: usd([]string{"300.00", "600.00", "1199.10", "467.84"}[r.IntN(4)])})
	}
	return a
}

// holdLog is randomLog(seed, n) with arrangements that hold the status
// ladder slipped in before about one event in six, dated as that event
// (so mostly in order), on the tight ladder of randomLog for two seeds in
// three (the others keep their terms: some with a ladder, some without).
func holdLog(seed uint64, n int) *log {
	base := randomLog(seed, n)
	terms := base.terms
	if seed%3 != 0 && !terms.Ladder {
		terms = ladder(terms, delinquency.StatusPolicy{DelinquentDays: 1, DefaultDays: 30, NonAccrualDays: 60,
			ChargeOffDays: 150, ChargeOff: delinquency.ChargeOffStopInterest})
	}
	r := rand.New(rand.NewPCG(seed, 0x401d))
	l := newLog(terms)
	seqs := map[int64]int64{1: 1}
	for _, e := range base.events[1:] {
		if r.IntN(6) == 0 {
			l.add(e.EffectiveOn, randomPlan(r, e.EffectiveOn))
		}
		p := e.Payload
		if rv, ok := p.(loan.PaymentReversed); ok {
			rv.PaymentSeq = seqs[rv.PaymentSeq]
			p = rv
		}
		seqs[e.Seq] = l.add(e.EffectiveOn, p)
	}
	return l
}

// withoutHolds is l with every arrangement's HoldStatus cleared.
func withoutHolds(l *log) *log {
	out := &log{terms: l.terms, events: append([]loan.Event(nil), l.events...)}
	for i, e := range out.events {
		if a, ok := e.Payload.(loan.ArrangementMade); ok {
			a.HoldStatus = false
			out.events[i].Payload = a
		}
	}
	return out
}

// TestHoldFoldPaths: the status hold is folded from the log alone, so every
// way of folding a log with status-holding arrangements agrees byte for
// byte: command by command onto the state before (with and without the
// fold's carry, backdated ones by a refold: checkCarry), from any valid
// checkpoint through its canonical encoding, and a full replay. Some of
// the logs must end in another status than without the holds (the test
// would prove nothing otherwise).
func TestHoldFoldPaths(t *testing.T) {
	logs := 60
	if testing.Short() {
		logs = 20
	}
	compared, differ := 0, 0
	for seed := range uint64(logs) {
		l := holdLog(seed, 60)
		checkCarry(t, seed, l, loan.Carry{})
		var last date.Date
		for _, e := range l.events {
			last = max(last, e.EffectiveOn)
		}
		full, err := loan.Replay(l.terms, l.events, last+40)
		if errors.Is(err, loan.ErrInvariant) {
			continue
		}
		require.NoError(t, err, "seed %d", seed)
		compared += checkCheckpoints(t, seed, l, 1+int(seed%5), full, last+40)
		for on := l.terms.FundingDate; on <= last; on += 7 {
			a, errA := loan.Replay(l.terms, l.events, on)
			b, errB := loan.Replay(l.terms, withoutHolds(l).events, on)
			if errA == nil && errB == nil && a.Status != b.Status {
				differ++
				break
			}
		}
	}
	t.Logf("%d checkpoint comparisons; %d of %d logs change status under their holds", compared, differ, logs)
	require.Greater(t, compared, logs)
	require.Greater(t, differ, logs/10)
}

// TestHeadHoldsMatchReplay is TestHeadMatchesReplay's random command runs
// with status-holding arrangements recorded among the commands (some
// backdated): the engine's head path, its checkpoint path and a full
// replay give the same results and states.
func TestHeadHoldsMatchReplay(t *testing.T) {
	runs, steps := 12, 100
	if testing.Short() {
		runs, steps = 4, 60
	}
	for seed := range uint64(runs) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 0x401d))
			r, terms := boardHeadRun(t, seed, 60, [2]int{6, 3})
			for i := range steps {
				if rnd.IntN(6) != 0 {
					r.step(rnd, i)
					continue
				}
				on := r.last
				if rnd.IntN(r.backdate) == 0 {
					on = max(terms.FundingDate+1, r.last-date.Date(rnd.IntN(60)))
				}
				plan := randomPlan(rnd, on)
				what := fmt.Sprintf("command %d on %s arrangement (hold %v)", i, on, plan.HoldStatus)
				r.do(what, func(e *servicing.Engine) (servicing.Result, error) {
					return e.RecordArrangement(context.Background(), "L", on, plan, key(fmt.Sprint("a", i)))
				})
				r.check(what, r.last)
			}
		})
	}
}
