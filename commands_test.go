package servicing_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// clock is a deterministic clock: each reading is one millisecond later.
type clock struct{ n atomic.Int64 }

func (c *clock) Now() time.Time {
	return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(c.n.Add(1)) * time.Millisecond)
}

func newEngine(t testing.TB, s servicing.Store) *servicing.Engine {
	t.Helper()
	e, err := servicing.New(servicing.Config{Store: s, Now: new(clock).Now, CheckpointEvery: 4})
	require.NoError(t, err)
	return e
}

func key(s string) servicing.Meta { return servicing.Meta{IdempotencyKey: s, Actor: "test"} }

func board(t testing.TB, e *servicing.Engine, id servicing.LoanID, terms loan.Terms) {
	t.Helper()
	_, err := e.Board(context.Background(), id, loan.BoardingRequest{Terms: terms, Borrower: "B-1"}, key("board"))
	require.NoError(t, err)
}

func TestCommandsLifecycle(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "L1", mortgage())

	r, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	require.Equal(t, int64(2), r.Version)
	require.Len(t, r.Events, 1)

	// April missed: end of day on 17 Apr charges the late fee and reports
	// the status change once.
	r, err = e.EndOfDay(ctx, "L1", d(2024, 4, 17), servicing.Meta{})
	require.NoError(t, err)
	types := map[loan.DomainEventType]int{}
	for _, de := range r.Domain {
		types[de.Type]++
	}
	require.Equal(t, 1, types[loan.DomainFeeAssessed], "%+v", r.Domain)
	require.Equal(t, 1, types[loan.DomainStatusChanged], "%+v", r.Domain)
	again, err := e.EndOfDay(ctx, "L1", d(2024, 4, 17), servicing.Meta{})
	require.NoError(t, err)
	require.True(t, again.Replayed)
	require.Equal(t, r.Version, again.Version)
	other, err := e.EndOfDay(ctx, "L1", d(2024, 4, 17), key("eod-again-other-key"))
	require.NoError(t, err)
	require.Empty(t, other.Events, "a day is closed once")

	s, err := e.State(ctx, "L1", d(2024, 4, 17))
	require.NoError(t, err)
	moneytest.Equal(t, "59.96", s.LateFees)
	require.Equal(t, 16, s.DaysPastDue())

	// Backdated payment received on 10 Apr (inside grace): no late fee.
	_, err = e.PostPayment(ctx, "L1", d(2024, 4, 10), usd("1199.10"), key("p2"))
	require.NoError(t, err)
	s, err = e.State(ctx, "L1", d(2024, 4, 20))
	require.NoError(t, err)
	moneytest.Equal(t, "0.00", s.LateFees)
	require.Equal(t, loan.StatusCurrent, s.Status)

	// Reverse it (NSF): the late fee comes back and an NSF fee is charged.
	// The reversal changes history, so it reports what changed, each on
	// its business date: April's late fee (17 Apr, 5 % × 1,199.10), the
	// reversal and its NSF fee (20 Apr), and, retracted, the cure of 10
	// Apr that no longer happened.
	r, err = e.ReversePayment(ctx, "L1", d(2024, 4, 20), 4, usd("25.00"), key("rev"))
	require.NoError(t, err)
	type ev struct {
		typ       loan.DomainEventType
		on        date.Date
		amount    string
		retracted bool
	}
	var got []ev
	for _, de := range r.Domain {
		got = append(got, ev{de.Type, de.On, de.Amount.String(), de.Retracted})
	}
	require.Equal(t, []ev{
		{loan.DomainFeeAssessed, d(2024, 4, 17), "59.96", false},
		{loan.DomainPaymentReversed, d(2024, 4, 20), "25.00", false},
		{loan.DomainFeeAssessed, d(2024, 4, 20), "25.00", false},
		{loan.DomainStatusChanged, d(2024, 4, 10), "0", true},
		{loan.DomainDelinquencyCured, d(2024, 4, 10), "0", true},
	}, got)
	s, err = e.State(ctx, "L1", d(2024, 4, 20))
	require.NoError(t, err)
	moneytest.Equal(t, "59.96", s.LateFees)
	moneytest.Equal(t, "25.00", s.NSFFees)
	_, err = e.ReversePayment(ctx, "L1", d(2024, 4, 21), 4, usd("25.00"), key("rev2"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)

	_, err = e.WaiveFee(ctx, "L1", d(2024, 4, 21), loan.FeeNSF, usd("25.00"), key("waive"))
	require.NoError(t, err)
	_, err = e.ChangeRate(ctx, "L1", d(2024, 5, 2), rate.MustPercent("7"), key("rate"))
	require.NoError(t, err)
	// A re-age four months after funding, with one qualifying payment in
	// the last three months, is refused by the FFIEC limits
	// (delinquency.CanReAge): the account must be open 9 months and show
	// three periodic payments; nothing is written.
	_, err = e.Modify(ctx, "L1", d(2024, 5, 3), loan.Modified{Type: loan.ModReage}, key("reage"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.ErrorIs(t, err, delinquency.ErrReAgeRefused)
	require.ErrorIs(t, err, delinquency.ErrAccountTooNew)
	require.ErrorIs(t, err, delinquency.ErrTooFewPayments)
	s, err = e.State(ctx, "L1", d(2024, 5, 3))
	require.NoError(t, err)
	require.Equal(t, loan.StatusDelinquent, s.Status)
	require.Equal(t, 2, s.TermsVersion)
	_, err = e.ChargeOff(ctx, "L1", d(2024, 6, 1), key("co"))
	require.NoError(t, err)
	_, err = e.Recover(ctx, "L1", d(2024, 7, 1), usd("500.00"), key("rec"))
	require.NoError(t, err)
	s, err = e.State(ctx, "L1", d(2024, 7, 1))
	require.NoError(t, err)
	require.Equal(t, loan.StatusChargedOff, s.Status)
	moneytest.Equal(t, "500.00", s.Recovered)

	// The engine's state equals a pure replay of the stored log.
	requireMatchesReplay(t, store, "L1", d(2024, 7, 1))
}

func requireMatchesReplay(t *testing.T, store servicing.Store, id servicing.LoanID, asOf date.Date) loan.State {
	t.Helper()
	evs, err := store.Events(context.Background(), id, 1)
	require.NoError(t, err)
	want, err := loan.Replay(evs[0].Payload.(loan.Boarded).Terms, evs, asOf)
	require.NoError(t, err)
	e := newEngine(t, store)
	got, err := e.State(context.Background(), id, asOf)
	require.NoError(t, err)
	require.Equal(t, want.Hash(), got.Hash(), "engine state (from checkpoints) differs from a full replay")
	return got
}

func TestIdempotency(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L1", mortgage())
	first, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("k"))
	require.NoError(t, err)
	second, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("k"))
	require.NoError(t, err)
	require.True(t, second.Replayed)
	require.Equal(t, first.Version, second.Version)
	require.Equal(t, first.Events[0].Seq, second.Events[0].Seq)
	_, err = e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.11"), key("k"))
	require.ErrorIs(t, err, servicing.ErrIdempotencyConflict)
	_, err = e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), servicing.Meta{})
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
}

func TestCommandValidationNamesEveryField(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L1", mortgage())
	_, err := e.PostPayment(ctx, "L1", d(2023, 1, 1), money.MustParse("-5", money.EUR), key("bad"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Equal(t, []string{"EffectiveOn", "Amount"}, field.Fields(err))
	_, err = e.PostPayment(ctx, "nope", d(2024, 3, 1), usd("1.00"), key("x"))
	require.ErrorIs(t, err, servicing.ErrNotFound)
	_, err = e.Board(ctx, "L1", loan.BoardingRequest{Terms: mortgage(), Borrower: "B"}, key("board-2"))
	require.ErrorIs(t, err, servicing.ErrLoanExists)
}

func TestParseBoardingReportsEveryField(t *testing.T) {
	good := `{"terms":{"currency":"USD","principal":"200000.00","annual_rate":"6%","installments":360,
	  "frequency":{"unit":"month","every":1},"eom":"anchor","funding_date":"2024-01-15","first_due_date":"2024-03-01",
	  "day_count":{"convention":"30U_360_EOM"},"interest_method":"scheduled","interest_rounding":"half_away_from_zero",
	  "payment":"1199.10","escrow_payment":"0.00","allocation":{"extra":"principal"},
	  "late_fee":{"grace_days":15,"percent":"5%","flat":"0","max":"0","rounding":"half_away_from_zero"}},
	  "borrower":"B-77","history":[{"received_on":"2024-03-01","amount":"1199.10"}]}`
	req, err := loan.ParseBoarding([]byte(good))
	require.NoError(t, err)
	moneytest.Equal(t, "200000.00", req.Terms.Principal)
	require.Len(t, req.History, 1)

	bad := `{"terms":{"currency":"USD","principal":"-1","annual_rate":"-6%","installments":0,
	  "frequency":{"unit":"month","every":1},"eom":"sideways","funding_date":"2024-01-15","first_due_date":"2024-01-01",
	  "day_count":{"convention":"NOPE"},"interest_method":"magic","interest_rounding":"half_away_from_zero",
	  "payment":"0","escrow_payment":"0.00","allocation":{"extra":"principal"},
	  "late_fee":{"grace_days":-1,"percent":"0%","flat":"0","max":"0"}},
	  "borrower":"","history":[{"received_on":"2023-03-01","amount":"abc"}]}`
	_, err = loan.ParseBoarding([]byte(bad))
	require.ErrorIs(t, err, loan.ErrInvalidInput)
	fields := field.Fields(err)
	for _, f := range []string{"Terms.Principal", "Terms.AnnualRate", "Terms.Installments", "Terms.EOM", "Terms.FirstDueDate",
		"Terms.DayCount", "Terms.InterestMethod", "Terms.Payment", "Terms.LateFee.GraceDays", "Borrower",
		"History[0].Amount", "History[0].ReceivedOn"} {
		require.Contains(t, fields, f)
	}
}

// TestCrashConsistency fails the store at every call index of every
// command type, and separately makes each call an ambiguous success; after
// a retry with the same key, the loan holds the command's effect exactly
// once and equals a full replay of its log.
func TestCrashConsistency(t *testing.T) {
	ctx := context.Background()
	type cmd struct {
		name string
		run  func(e *servicing.Engine) (servicing.Result, error)
	}
	cmds := []cmd{
		{"board", func(e *servicing.Engine) (servicing.Result, error) {
			return e.Board(ctx, "L2", loan.BoardingRequest{Terms: mortgage(), Borrower: "B"}, key("c-board"))
		}},
		{"payment", func(e *servicing.Engine) (servicing.Result, error) {
			return e.PostPayment(ctx, "L1", d(2024, 4, 1), usd("1199.10"), key("c-pay"))
		}},
		{"backdated payment", func(e *servicing.Engine) (servicing.Result, error) {
			return e.PostPayment(ctx, "L1", d(2024, 2, 20), usd("100.00"), key("c-back"))
		}},
		{"reversal", func(e *servicing.Engine) (servicing.Result, error) {
			return e.ReversePayment(ctx, "L1", d(2024, 3, 10), 2, usd("25.00"), key("c-rev"))
		}},
		{"fee", func(e *servicing.Engine) (servicing.Result, error) {
			return e.AssessFee(ctx, "L1", d(2024, 3, 10), loan.FeeOther, usd("10.00"), key("c-fee"))
		}},
		{"waive", func(e *servicing.Engine) (servicing.Result, error) {
			return e.WaiveFee(ctx, "L1", d(2024, 3, 10), loan.FeeOther, usd("10.00"), key("c-waive"))
		}},
		{"rate", func(e *servicing.Engine) (servicing.Result, error) {
			return e.ChangeRate(ctx, "L1", d(2024, 3, 10), rate.MustPercent("5"), key("c-rate"))
		}},
		{"modify", func(e *servicing.Engine) (servicing.Result, error) {
			return e.Modify(ctx, "L1", d(2024, 3, 10), loan.Modified{Type: loan.ModTermExtension, ExtendInstallments: 12}, key("c-mod"))
		}},
		{"charge off", func(e *servicing.Engine) (servicing.Result, error) {
			return e.ChargeOff(ctx, "L1", d(2024, 3, 10), key("c-co"))
		}},
		{"adjust", func(e *servicing.Engine) (servicing.Result, error) {
			return e.Adjust(ctx, "L1", d(2024, 3, 10), loan.Adjustment{Bucket: loan.BalanceFees, Amount: usd("3.00")}, key("c-adj"))
		}},
		{"end of day", func(e *servicing.Engine) (servicing.Result, error) {
			return e.EndOfDay(ctx, "L1", d(2024, 4, 20), servicing.Meta{})
		}},
	}
	setup := func() *servicingtest.MemStore {
		mem := servicingtest.NewMemStore()
		e := newEngine(t, mem)
		board(t, e, "L1", mortgage())
		_, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("setup-pay"))
		require.NoError(t, err)
		return mem
	}
	snapshot := func(mem *servicingtest.MemStore, id servicing.LoanID) string {
		evs, _ := mem.Events(ctx, id, 1)
		b, _ := json.Marshal(evs)
		return string(b)
	}
	for _, c := range cmds {
		// Count the calls of a clean run.
		mem := setup()
		f := &servicingtest.Faulty{Inner: mem}
		_, err := c.run(newEngine(t, f))
		require.NoError(t, err, c.name)
		calls := f.Calls()
		want := snapshot(mem, "L1") + snapshot(mem, "L2")
		for k := int64(1); k <= calls; k++ {
			for _, ambiguous := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/call%d/ambiguous=%v", c.name, k, ambiguous), func(t *testing.T) {
					mem := setup()
					before := snapshot(mem, "L1") + snapshot(mem, "L2")
					f := &servicingtest.Faulty{Inner: mem}
					if ambiguous {
						f.AmbiguousAt = k
					} else {
						f.FailAt = k
					}
					e := newEngine(t, f)
					_, err := c.run(e)
					mid := snapshot(mem, "L1") + snapshot(mem, "L2")
					if err != nil {
						require.True(t, mid == before || mid == want, "state after a failed call is neither before nor after")
					}
					f.Reset()
					_, err = c.run(e)
					require.NoError(t, err, "retry with the same key")
					require.Equal(t, countKey(t, mem), countKey(t, setupAfter(t, c.run)), "effect applied exactly once")
					requireMatchesReplay(t, mem, "L1", d(2024, 5, 1))
				})
			}
		}
	}
}

// setupAfter runs the command once cleanly on a fresh setup.
func setupAfter(t *testing.T, run func(*servicing.Engine) (servicing.Result, error)) *servicingtest.MemStore {
	mem := servicingtest.NewMemStore()
	e := newEngine(t, mem)
	board(t, e, "L1", mortgage())
	_, err := e.PostPayment(context.Background(), "L1", d(2024, 3, 1), usd("1199.10"), key("setup-pay"))
	require.NoError(t, err)
	_, err = run(e)
	require.NoError(t, err)
	return mem
}

// countKey counts the events of each idempotency key on both loans.
func countKey(t *testing.T, s servicing.Store) map[string]int {
	out := map[string]int{}
	for _, id := range []servicing.LoanID{"L1", "L2"} {
		evs, err := s.Events(context.Background(), id, 1)
		require.NoError(t, err)
		for _, e := range evs {
			out[string(id)+"/"+e.IdempotencyKey]++
		}
	}
	return out
}

// TestConcurrentCommands: 8 goroutines × 1,000 commands on one loan end in
// a state equal to a serial replay of the committed log, with every
// acknowledged payment in the log exactly once.
func TestConcurrentCommands(t *testing.T) {
	ctx := context.Background()
	workers, each := 8, 1000
	if testing.Short() {
		each = 100
	}
	mem := servicingtest.NewMemStore()
	e, err := servicing.New(servicing.Config{Store: mem, Now: new(clock).Now, MaxRetries: 1000})
	require.NoError(t, err)
	terms := mortgage()
	terms.Principal, terms.Payment = usd("100000000.00"), usd("599550.00")
	board(t, e, "L1", terms)
	var wg sync.WaitGroup
	var acked sync.Map
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				k := fmt.Sprintf("w%d-%d", w, i)
				on := d(2024, 3, 1)
				var err error
				if i%10 == 9 {
					_, err = e.AssessFee(ctx, "L1", on, loan.FeeOther, usd("1.00"), key(k))
				} else {
					_, err = e.PostPayment(ctx, "L1", on, usd("0.01"), key(k))
				}
				if err != nil {
					errs <- fmt.Errorf("%s: %w", k, err)
					return
				}
				acked.Store(k, true)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	counts := countKey(t, mem)
	n := 0
	acked.Range(func(k, _ any) bool {
		require.Equal(t, 1, counts["L1/"+k.(string)], "key %s", k)
		n++
		return true
	})
	require.Equal(t, workers*each, n)
	require.Len(t, counts, workers*each+1)
	s := requireMatchesReplay(t, mem, "L1", d(2024, 4, 1))
	require.Equal(t, int64(workers*each+1), s.Version)
}

var _ = errors.Is
