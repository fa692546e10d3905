package servicing_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// headRun is one random command sequence run through two engines on two
// stores with equal clocks: one with its fast paths (head states: only the
// new event folded when the log still ends at its head; a backdated
// command's base moved to the eve of its date), the other plain (always
// boardHeadRun starts run seed of a head test: a mortgage or, for odd
// seeds, an auto loan, on a tight status ladder (non-accrual after
// nonAccrual days) for two seeds in three, with checkpoints every 2, 5 or
// 32 events and commands backdated one in backdate[0] or backdate[1],
// boarded; and the loan's terms.
func boardHeadRun(t *testing.T, seed uint64, nonAccrual int, backdate [2]int) (*headRun, loan.Terms) {
	terms := mortgage()
	if seed%2 == 1 {
		terms = autoLoan()
	}
	if seed%3 != 0 {
		terms = ladder(terms, delinquency.StatusPolicy{DelinquentDays: 1, DefaultDays: 30, NonAccrualDays: nonAccrual,
			ChargeOffDays: 150, ChargeOff: delinquency.ChargeOffStopInterest})
	}
	r := newHeadRun(t, []int{2, 5, 32}[seed%3])
	r.backdate = backdate[seed/3%2]
	r.do("board", func(e *servicing.Engine) (servicing.Result, error) {
		return e.Board(context.Background(), "L", loan.BoardingRequest{Terms: terms, Borrower: "B-1"}, key("board"))
	})
	r.last = terms.FundingDate
	return r, terms
}

// folded from the stored checkpoint).
type headRun struct {
	t          *testing.T
	head, cold *servicing.Engine
	hs, cs     *servicingtest.MemStore
	payments   []int64 // seqs of payments posted (maybe reversed since)
	paidOn     map[int64]date.Date
	last       date.Date
	backdate   int // one command in backdate is dated up to 90 days back
}

func newHeadRun(t *testing.T, every int) *headRun {
	r := &headRun{t: t, hs: servicingtest.NewMemStore(), cs: servicingtest.NewMemStore(), paidOn: map[int64]date.Date{}}
	var err error
	r.head, err = servicing.New(servicing.Config{Store: r.hs, Now: new(clock).Now, CheckpointEvery: every})
	require.NoError(t, err)
	servicing.FoldInPieces(r.head, 2) // snapshots in short histories
	r.cold, err = servicing.New(servicing.Config{Store: r.cs, Now: new(clock).Now, CheckpointEvery: every})
	require.NoError(t, err)
	servicing.Plain(r.cold)
	return r
}

// do runs one command on both engines and requires the same outcome: the
// same error text or the same result (version, events, domain events).
func (r *headRun) do(what string, call func(e *servicing.Engine) (servicing.Result, error)) servicing.Result {
	r.t.Helper()
	got, gerr := call(r.head)
	want, werr := call(r.cold)
	require.Equal(r.t, fmt.Sprint(werr), fmt.Sprint(gerr), "%s: error", what)
	gj, err := json.Marshal(got)
	require.NoError(r.t, err)
	wj, err := json.Marshal(want)
	require.NoError(r.t, err)
	require.JSONEq(r.t, string(wj), string(gj), "%s: result", what)
	return got
}

// check requires the head engine's state on asOf to equal a fold of the
// whole stored log (loan.Replay) and the cold engine's state.
func (r *headRun) check(what string, asOf date.Date) {
	r.t.Helper()
	ctx := context.Background()
	evs, err := r.hs.Events(ctx, "L", 1)
	require.NoError(r.t, err)
	want, werr := loan.Replay(evs[0].Payload.(loan.Boarded).Terms, evs, asOf)
	got, gerr := r.head.State(ctx, "L", asOf)
	cold, cerr := r.cold.State(ctx, "L", asOf)
	require.Equal(r.t, fmt.Sprint(werr), fmt.Sprint(gerr), "%s: state error vs full replay", what)
	require.Equal(r.t, fmt.Sprint(cerr), fmt.Sprint(gerr), "%s: state error vs the cold engine", what)
	if werr == nil {
		require.Equal(r.t, want.Hash(), got.Hash(), "%s: head state vs a full replay on %s", what, asOf)
		require.Equal(r.t, cold.Hash(), got.Hash(), "%s: head state vs the cold engine on %s", what, asOf)
	}
}

// step issues one random command: mostly payments near the latest date,
// some backdated up to 90 days, reversals, fees, waivers, rate changes,
// adjustments, end of day, and now and then a charge-off or a recovery.
func (r *headRun) step(rnd *rand.Rand, i int) {
	ctx := context.Background()
	r.last += date.Date(rnd.IntN(12))
	on := r.last
	if rnd.IntN(r.backdate) == 0 {
		on = max(d(2024, 1, 16), r.last-date.Date(rnd.IntN(90)))
	}
	m := key(fmt.Sprint("c", i))
	amounts := []string{"1199.10", "1199.10", "467.84", "600.00", "1800.00", "59.96", "1.00", "5000.00"}
	what := fmt.Sprintf("command %d on %s", i, on)
	switch x := rnd.IntN(100); {
	case x < 50:
		amt := usd(amounts[rnd.IntN(len(amounts))])
		res := r.do(what+" pay "+amt.String(), func(e *servicing.Engine) (servicing.Result, error) {
			return e.PostPayment(ctx, "L", on, amt, m)
		})
		if len(res.Events) == 1 {
			r.payments = append(r.payments, res.Events[0].Seq)
			r.paidOn[res.Events[0].Seq] = on
		}
	case x < 58 && len(r.payments) > 0:
		k := rnd.IntN(len(r.payments))
		seq := r.payments[k]
		r.payments = append(r.payments[:k], r.payments[k+1:]...)
		fee := money.Zero(money.USD)
		if rnd.IntN(2) == 0 {
			fee = usd("25.00")
		}
		at := max(on, r.paidOn[seq])
		r.do(fmt.Sprintf("%s reverse %d", what, seq), func(e *servicing.Engine) (servicing.Result, error) {
			return e.ReversePayment(ctx, "L", at, seq, fee, m)
		})
	case x < 63:
		r.do(what+" fee", func(e *servicing.Engine) (servicing.Result, error) {
			return e.AssessFee(ctx, "L", on, loan.FeeOther, usd("10.00"), m)
		})
	case x < 66:
		r.do(what+" waive", func(e *servicing.Engine) (servicing.Result, error) {
			return e.WaiveFee(ctx, "L", on, loan.FeeLate, usd("30.00"), m)
		})
	case x < 70:
		rt := rate.MustPercent([]string{"3", "4.5", "6", "9"}[rnd.IntN(4)])
		r.do(what+" rate", func(e *servicing.Engine) (servicing.Result, error) {
			return e.ChangeRate(ctx, "L", on, rt, m)
		})
	case x < 73:
		r.do(what+" adjust", func(e *servicing.Engine) (servicing.Result, error) {
			return e.Adjust(ctx, "L", on, loan.Adjustment{Bucket: loan.BalanceFees, Amount: usd("5.00")}, m)
		})
	case x < 97:
		// End of day closes the latest date (never backdated, as a host runs it).
		r.do(what+" end of day", func(e *servicing.Engine) (servicing.Result, error) {
			return e.EndOfDay(ctx, "L", r.last, servicing.Meta{})
		})
	case x < 98:
		r.do(what+" charge-off", func(e *servicing.Engine) (servicing.Result, error) {
			return e.ChargeOff(ctx, "L", on, m)
		})
	default:
		r.do(what+" recovery", func(e *servicing.Engine) (servicing.Result, error) {
			return e.Recover(ctx, "L", on, usd("100.00"), m)
		})
	}
	r.check(what, r.last)
	if rnd.IntN(8) == 0 {
		r.check(what+" (earlier date)", max(d(2024, 1, 15), r.last-date.Date(rnd.IntN(60))))
	}
}

// TestHeadMatchesReplay holds the head path to the checkpoint path and to
// a full replay: random command sequences (payments on time, late, early
// and backdated, reversals, fees, rate changes, end of day, charge-offs),
// on a mortgage, a daily simple interest loan and loans on a tight status
// ladder (non-accrual and charge-off on end-of-day thresholds), give the
// same result for every command and, after each, the same state as a fold
// of the whole stored log.
func TestHeadMatchesReplay(t *testing.T) {
	runs, steps := 36, 120
	if testing.Short() {
		runs, steps = 8, 80
	}
	for seed := range uint64(runs) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 0x4ead))
			r, _ := boardHeadRun(t, seed, 45, [2]int{6, 2})
			for i := range steps {
				r.step(rnd, i)
			}
			ctx := context.Background()
			a, err := r.hs.Events(ctx, "L", 1)
			require.NoError(t, err)
			b, err := r.cs.Events(ctx, "L", 1)
			require.NoError(t, err)
			require.Equal(t, len(b), len(a), "log lengths")
		})
	}
}

// TestHeadIgnoresForeignWrites: a second engine writing to the same store
// (another process, or a restore) makes the first engine's head stale; the
// first engine notices (the log no longer ends at its head) and folds from
// the checkpoint, so its states still equal a full replay.
func TestHeadIgnoresForeignWrites(t *testing.T) {
	ctx := context.Background()
	mem := servicingtest.NewMemStore()
	a := newEngine(t, mem)
	b := newEngine(t, mem)
	board(t, a, "L", mortgage())
	for k := range 6 {
		e := []*servicing.Engine{a, b}[k%2]
		_, err := e.PostPayment(ctx, "L", d(2024, 3+time.Month(k), 1), usd("1199.10"), key(fmt.Sprint("p", k)))
		require.NoError(t, err)
		for _, e := range []*servicing.Engine{a, b} {
			s, err := e.State(ctx, "L", d(2024, 9, 1))
			require.NoError(t, err)
			// Six payments of 1,199.10 on the six due dates March–August
			// pay installments 1..k+1 exactly: the next one is k+2.
			require.Equal(t, k+2, s.NextInstallment)
		}
		requireMatchesReplay(t, mem, "L", d(2024, 9, 1))
	}
}

// TestHeadIgnoresRewrittenLog: the store is replaced by another whose log
// has as many events but a different last one (a restore, a second
// environment). The head is not used: its last event is not the store's.
func TestHeadIgnoresRewrittenLog(t *testing.T) {
	ctx := context.Background()
	first, second := servicingtest.NewMemStore(), servicingtest.NewMemStore()
	sw := &swapStore{Store: first}
	e := newEngine(t, sw)
	// Another process: its own clock, one second behind this one. (An event
	// is known by its seq, kind, date, recording time and key.)
	late := new(clock)
	late.n.Store(1000)
	other, err := servicing.New(servicing.Config{Store: second, Now: late.Now, CheckpointEvery: 4})
	require.NoError(t, err)
	for _, x := range []*servicing.Engine{e, other} {
		board(t, x, "L", mortgage())
	}
	// The same version (2) in both stores: 1,199.10 paid in one, 1.00 in
	// the other.
	_, err = e.PostPayment(ctx, "L", d(2024, 3, 1), usd("1199.10"), key("p"))
	require.NoError(t, err)
	_, err = other.PostPayment(ctx, "L", d(2024, 3, 1), usd("1.00"), key("p"))
	require.NoError(t, err)
	sw.Store = second
	s, err := e.State(ctx, "L", d(2024, 3, 2))
	require.NoError(t, err)
	// 1.00 does not pay the 1,199.10 installment: it is still next.
	require.Equal(t, 1, s.NextInstallment)
	requireMatchesReplay(t, second, "L", d(2024, 3, 2))
}

// TestHeadSnapshotsAfterBackdating: backdated commands into a long history
// leave states of it at the end of earlier days (snapshots); a later
// command dated before some of them must not start from those, and one
// dated after them may. Five years of on-time payments, then payments
// backdated to month 40, month 12 (before the first's snapshots), month 50
// and month 20, and a reversal of month 30's payment: every result and
// state equals the plain engine's and a full replay.
func TestHeadSnapshotsAfterBackdating(t *testing.T) {
	ctx := context.Background()
	r := newHeadRun(t, 32)
	r.do("board", func(e *servicing.Engine) (servicing.Result, error) {
		return e.Board(ctx, "L", loan.BoardingRequest{Terms: mortgage(), Borrower: "B-1"}, key("board"))
	})
	seqs := map[int]int64{}
	for k := range 60 {
		on := d(2024, time.Month(3+k), 1)
		res := r.do(fmt.Sprint("pay ", k), func(e *servicing.Engine) (servicing.Result, error) {
			return e.PostPayment(ctx, "L", on, usd("1199.10"), key(fmt.Sprint("p", k)))
		})
		seqs[k] = res.Events[0].Seq
	}
	last := d(2029, 2, 1)
	for i, month := range []int{40, 12, 50, 20} {
		on := d(2024, time.Month(3+month), 10)
		r.do(fmt.Sprint("backdated to month ", month), func(e *servicing.Engine) (servicing.Result, error) {
			return e.PostPayment(ctx, "L", on, usd("250.00"), key(fmt.Sprint("b", i)))
		})
		r.check(fmt.Sprint("after month ", month), last)
		r.check(fmt.Sprint("after month ", month, ", on it"), on)
	}
	r.do("reverse month 30", func(e *servicing.Engine) (servicing.Result, error) {
		return e.ReversePayment(ctx, "L", d(2026, 9, 5), seqs[30], usd("25.00"), key("r"))
	})
	r.check("after the reversal", last)
	r.do("backdated to month 45", func(e *servicing.Engine) (servicing.Result, error) {
		return e.PostPayment(ctx, "L", d(2027, 12, 10), usd("100.00"), key("b45"))
	})
	r.check("at the end", last)
}

// TestConcurrentBackdated: 4 goroutines × 30 payments on one loan, dated at
// random over 200 days, through one engine (heads, snapshots, queueing)
// and a second engine on the same store (version conflicts and foreign
// writes): the log holds each acknowledged payment once and folds, from
// checkpoints, to the state a full replay gives.
func TestConcurrentBackdated(t *testing.T) {
	ctx := context.Background()
	mem := servicingtest.NewMemStore()
	ck := new(clock)
	a, err := servicing.New(servicing.Config{Store: mem, Now: ck.Now, MaxRetries: 1000, CheckpointEvery: 8})
	require.NoError(t, err)
	servicing.FoldInPieces(a, 4)
	b, err := servicing.New(servicing.Config{Store: mem, Now: ck.Now, MaxRetries: 1000, CheckpointEvery: 8})
	require.NoError(t, err)
	board(t, a, "L", mortgage())
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(w), 7))
			e := []*servicing.Engine{a, a, a, b}[w]
			for i := range 30 {
				on := d(2024, 3, 1) + date.Date(rnd.IntN(200))
				if _, err := e.PostPayment(ctx, "L", on, usd("1.00"), key(fmt.Sprintf("w%d-%d", w, i))); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	evs, err := mem.Events(ctx, "L", 1)
	require.NoError(t, err)
	seen := map[string]int{}
	for _, ev := range evs[1:] {
		seen[ev.IdempotencyKey]++
	}
	require.Len(t, seen, 120)
	for k, n := range seen {
		require.Equal(t, 1, n, k)
	}
	asOf := d(2024, 9, 30)
	s := requireMatchesReplay(t, mem, "L", asOf)
	got, err := a.State(ctx, "L", asOf)
	require.NoError(t, err)
	require.Equal(t, s.Hash(), got.Hash(), "the engine with heads")
}
