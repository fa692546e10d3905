package servicing_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// randomLog builds a log of n events after boarding that mixes on-time,
// partial, extra and late payments, backdated events, reversals (with and
// without NSF fees), fees, waivers, rate changes, modifications,
// adjustments, end-of-day markers and occasionally a charge-off with a
// recovery. It is deterministic for a seed.
func randomLog(seed uint64, n int) *log {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	terms := mortgage()
	if r.IntN(3) == 0 {
		terms = autoLoan()
	}
	switch r.IntN(4) {
	case 0: // fees first, partial payments applied, extra money recasts
		rules := payment.Consumer()
		rules.Extra = payment.ExtraRecast
		terms.Allocation = &rules
	case 1: // extra money held in suspense, offered again each cycle
		rules := terms.Rules()
		rules.Extra = payment.ExtraHold
		terms.Allocation = &rules
	}
	if seed%3 == 1 { // a tight status ladder, so logs reach non-accrual and charge-off
		terms = ladder(terms, delinquency.StatusPolicy{DelinquentDays: 1, DefaultDays: 30, NonAccrualDays: 45,
			ChargeOffDays: 150, ChargeOff: delinquency.ChargeOffStopInterest})
	}
	l := newLog(terms)
	cursor := terms.FundingDate
	type paid struct {
		seq int64
		on  date.Date
	}
	var payments []paid
	amounts := []string{"1199.10", "1199.10", "1199.10", "600.00", "1800.00", "467.84", "59.96", "5000.00", "1.00", "300.00"}
	for range n {
		cursor += date.Date(r.IntN(20))
		on := cursor
		if r.IntN(6) == 0 { // backdated
			on = max(terms.FundingDate+1, cursor-date.Date(r.IntN(90)))
		}
		switch x := r.IntN(100); {
		case x < 55:
			seq := l.pay(on, amounts[r.IntN(len(amounts))])
			payments = append(payments, paid{seq, on})
		case x < 65 && len(payments) > 0:
			i := r.IntN(len(payments))
			p := payments[i]
			payments = append(payments[:i], payments[i+1:]...)
			fee := money.Zero(money.USD)
			if r.IntN(2) == 0 {
				fee = usd("25.00")
			}
			l.add(max(on, p.on), loan.PaymentReversed{PaymentSeq: p.seq, PaymentEffectiveOn: p.on, NSFFee: fee})
		case x < 70:
			l.add(on, loan.FeeAssessed{Type: loan.FeeOther, Amount: usd("10.00")})
		case x < 74:
			l.add(on, loan.FeeWaived{Type: loan.FeeLate, Amount: usd("30.00")})
		case x < 79:
			l.add(on, loan.RateChanged{Rate: rate.MustPercent([]string{"3", "4.5", "6", "7.125", "9"}[r.IntN(5)])})
		case x < 85:
			m := loan.Modified{Type: []loan.ModType{loan.ModRecast, loan.ModReamortize, loan.ModReage,
				loan.ModDeferment, loan.ModForbearance, loan.ModTermExtension}[r.IntN(6)]}
			switch m.Type {
			case loan.ModReamortize, loan.ModTermExtension:
				m.ExtendInstallments = r.IntN(6)
				rt := rate.MustPercent("5")
				m.Rate = &rt
			case loan.ModDeferment, loan.ModForbearance:
				m.DeferInstallments = 1 + r.IntN(3)
			}
			l.add(on, m)
		case x < 88:
			l.add(on, loan.Adjustment{Bucket: loan.BalanceFees, Amount: usd("5.00")})
		case x < 95:
			l.add(on, loan.DayClosed{})
		case x < 96:
			l.add(on, loan.EscrowDisbursed{Amount: usd("900.00"), Payee: "county"})
		case x < 98:
			l.add(on, loan.RateCapped{Max: rate.MustPercent("6"), To: on + date.Date(r.IntN(400))})
		case x < 99:
			l.add(on, loan.ChargedOff{})
		default:
			l.add(on, loan.RecoveryReceived{Amount: usd("100.00")})
		}
	}
	return l
}

// checkpoint returns the checkpoint an engine would take after the first v
// events: the state folded through their latest effective date.
func checkpoint(terms loan.Terms, evs []loan.Event) (loan.State, error) {
	var through date.Date
	for _, e := range evs {
		through = max(through, e.EffectiveOn)
	}
	return loan.Replay(terms, evs, through)
}

// stale reports whether the events after a checkpoint (through, version v)
// include one effective before through, or a reversal of a folded payment.
func stale(cp loan.State, rest []loan.Event) bool {
	for _, e := range rest {
		if e.EffectiveOn < cp.AsOf {
			return true
		}
		if r, ok := e.Payload.(loan.PaymentReversed); ok && r.PaymentSeq <= cp.Version {
			return true
		}
	}
	return false
}

// TestCheckpointedReplayEqualsFullReplay is DESIGN §3's promise: starting
// from any valid checkpoint gives the same state, byte for byte, as folding
// the whole log.
func TestCheckpointedReplayEqualsFullReplay(t *testing.T) {
	logs, compared, skipped := 100, 0, 0
	if testing.Short() {
		logs = 40
	}
	for seed := range uint64(logs) {
		l := randomLog(seed, 80)
		var last date.Date
		for _, e := range l.events {
			last = max(last, e.EffectiveOn)
		}
		asOf := last + 40
		full, err := loan.Replay(l.terms, l.events, asOf)
		if errors.Is(err, loan.ErrInvariant) {
			skipped++
			continue
		}
		require.NoError(t, err, "seed %d", seed)
		compared += checkCheckpoints(t, seed, l, 1+int(seed%7), full, asOf)
	}
	t.Logf("%d checkpoint comparisons, %d logs skipped for invariant errors", compared, skipped)
	require.Greater(t, compared, logs)
}

// checkCheckpoints folds log l to asOf from a checkpoint after every step
// events (those a later event would refold are skipped), each through the
// canonical encoding as a store would keep it, and requires the state full
// (the fold of the whole log to asOf). It returns the checkpoints compared.
func checkCheckpoints(t *testing.T, seed uint64, l *log, step int, full loan.State, asOf date.Date) int {
	t.Helper()
	compared := 0
	for v := 1; v < len(l.events); v += step {
		cp, err := checkpoint(l.terms, l.events[:v])
		if err != nil || stale(cp, l.events[v:]) {
			continue
		}
		b, err := cp.MarshalBinary()
		require.NoError(t, err)
		var back loan.State
		require.NoError(t, back.UnmarshalBinary(b))
		require.Equal(t, cp.Hash(), back.Hash(), "seed %d v %d: encoding round trip", seed, v)
		require.Equal(t, cp.Hold, back.Hold, "seed %d v %d: the hold decodes", seed, v)
		got, err := loan.ReplayFrom(back, l.events[v:], asOf)
		require.NoError(t, err, "seed %d v %d", seed, v)
		require.Equal(t, full.Hash(), got.Hash(), "seed %d: checkpoint at v%d through %s\nfull %+v\n got %+v", seed, v, cp.AsOf, full, got)
		compared++
	}
	return compared
}

// Replaying the same log twice, or in shuffled order, gives byte-identical
// state (invariant 8), and a backdated insert equals the sorted log
// (invariant 9).
func TestReplayDeterministic(t *testing.T) {
	for seed := range uint64(30) {
		l := randomLog(seed, 60)
		a, errA := loan.Replay(l.terms, l.events, d(2030, 1, 1))
		shuffled := append([]loan.Event(nil), l.events...)
		rand.New(rand.NewPCG(seed, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		b, errB := loan.Replay(l.terms, shuffled, d(2030, 1, 1))
		require.Equal(t, errA == nil, errB == nil)
		if errA == nil {
			require.Equal(t, a.Hash(), b.Hash(), "seed %d", seed)
		}
	}
}

// ReplayDates (one fold forward from date to date) gives, on every date,
// the state Replay gives, byte for byte, on logs with backdated events and
// reversals of payments folded at an earlier date; the dates come in any
// order, one before funding.
func TestReplayDatesEqualsReplay(t *testing.T) {
	logs, compared, refolds := 60, 0, 0
	if testing.Short() {
		logs = 20
	}
	for seed := range uint64(logs) {
		l := randomLog(seed, 60)
		var last date.Date
		for _, e := range l.events {
			last = max(last, e.EffectiveOn)
		}
		dates := []date.Date{l.terms.FundingDate - 3}
		for d := last + 40; d >= l.terms.FundingDate; d -= date.Date(17 + seed%23) {
			dates = append(dates, d)
		}
		got, err := loan.ReplayDates(l.terms, l.events, dates)
		if errors.Is(err, loan.ErrInvariant) {
			continue
		}
		require.NoError(t, err, "seed %d", seed)
		require.Equal(t, loan.StatusPending, got[0].Status)
		for i, d := range dates[1:] {
			want, err := loan.Replay(l.terms, l.events, d)
			require.NoError(t, err, "seed %d %s", seed, d)
			require.Equal(t, want.Hash(), got[i+1].Hash(), "seed %d on %s", seed, d)
			compared++
		}
		for _, e := range l.events {
			if _, ok := e.Payload.(loan.PaymentReversed); ok {
				refolds++
			}
		}
	}
	t.Logf("%d dates compared over logs with %d reversals", compared, refolds)
	require.Greater(t, compared, 10*logs)
}
