package servicing_test

import (
	"testing"

	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// FuzzFoldCarry holds loan.FoldCarry, the fast path of a command folded
// onto a loan's kept state (the engine's head), to loan.Fold, the path
// that builds everything again: a random log (randomLog, or shapeLog's
// shapes) is folded command by command as the engine does — each event
// dated on or after the state onto it, a backdated one or a reversal by a
// full replay — with the carry of the fold before, and with a stale carry
// (the one of two commands back, from before a rate change or a
// modification in between, or another loan's); every step's state hash
// and domain events must be Fold's (and ReplayCarry's state ReplayFrom's,
// PayoffCarry's quote Payoff's, with each of those carries), and the last
// state a full replay's.
func FuzzFoldCarry(f *testing.F) {
	for _, s := range []uint64{0, 1, 2, 7, 42, 99, 1234} {
		f.Add(s, uint8(40))
	}
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		l := randomLog(seed, int(n%80))
		if seed%2 == 1 {
			if sl, _ := shapeLog(seed); sl != nil {
				l = sl
			}
		}
		other := randomLog(seed+1, 12) // another loan's carry must be ignored
		_, _, foreign, err := loan.FoldCarry(loan.Initial(other.terms), loan.Carry{}, other.events, other.events[len(other.events)-1].EffectiveOn)
		if err != nil {
			foreign = loan.Carry{}
		}
		checkCarry(t, seed, l, foreign)
	})
}

func checkCarry(t *testing.T, seed uint64, l *log, foreign loan.Carry) {
	t.Helper()
	s, err := loan.Replay(l.terms, l.events[:1], l.events[0].EffectiveOn)
	require.NoError(t, err)
	var c, older loan.Carry
	for i := 1; i < len(l.events); i++ {
		ev := l.events[i]
		asOf := max(s.AsOf, ev.EffectiveOn)
		if _, rev := ev.Payload.(loan.PaymentReversed); ev.EffectiveOn < s.AsOf || rev {
			// Backdated or a reversal: the engine folds again from before it.
			var next loan.State
			next, _, c, err = loan.FoldCarry(loan.Initial(l.terms), loan.Carry{}, l.events[:i+1], asOf)
			full, errFull := loan.Replay(l.terms, l.events[:i+1], asOf)
			require.Equal(t, errFull == nil, err == nil, "seed %d event %d: %v / %v", seed, i, err, errFull)
			if err != nil {
				return
			}
			require.Equal(t, full.Hash(), next.Hash(), "seed %d event %d: refold", seed, i)
			s, older = next, loan.Carry{}
			continue
		}
		evs := l.events[i : i+1]
		want, wantDom, errWant := loan.Fold(s, evs, asOf)
		for k, in := range []loan.Carry{c, older, foreign} {
			got, gotDom, _, err := loan.FoldCarry(s, in, evs, asOf)
			require.Equal(t, errWant == nil, err == nil, "seed %d event %d carry %d: %v / %v", seed, i, k, err, errWant)
			if err != nil {
				continue
			}
			require.Equal(t, want.Hash(), got.Hash(), "seed %d event %d (%s on %s) carry %d: state", seed, i, ev.Kind, ev.EffectiveOn, k)
			require.Equal(t, wantDom, gotDom, "seed %d event %d carry %d: domain events", seed, i, k)
			// ReplayCarry and PayoffCarry, with the same carries.
			replayed, _, err := loan.ReplayCarry(s, in, evs, asOf)
			require.NoError(t, err)
			require.Equal(t, want.Hash(), replayed.Hash(), "seed %d event %d carry %d: ReplayCarry", seed, i, k)
			q, errQ := want.Payoff(asOf + 3)
			qc, errQC := got.PayoffCarry(asOf+3, in)
			require.Equal(t, errQ == nil, errQC == nil, "seed %d event %d carry %d: %v / %v", seed, i, k, errQ, errQC)
			require.Equal(t, q, qc, "seed %d event %d carry %d: PayoffCarry", seed, i, k)
		}
		if errWant != nil {
			return
		}
		next, _, nc, _ := loan.FoldCarry(s, c, evs, asOf)
		s, older, c = next, c, nc
	}
	var last date.Date
	for _, e := range l.events {
		last = max(last, e.EffectiveOn)
	}
	full, err := loan.Replay(l.terms, l.events, max(last, s.AsOf))
	require.NoError(t, err)
	require.Equal(t, full.Hash(), s.Hash(), "seed %d: the carried folds end where a full replay does", seed)
}
