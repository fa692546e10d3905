package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// autoTerms is an 18,800.00 auto loan at 9% over 48 months with daily
// simple interest; its payment 467.84 is the Federal Reserve's example.
func autoTerms() loan.Terms {
	return loan.Terms{
		Terms: amortize.Terms{
			Principal: money.MustParse("18800.00", money.USD), AnnualRate: rate.MustPercent("9"), Installments: 48,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			FundingDate: date.New(2024, time.January, 1), FirstDueDate: date.New(2024, time.February, 1),
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestDaily,
			DayCount:         accrual.DayCount{Convention: accrual.Act365Fixed},
			InterestRounding: money.HalfAwayFromZero, PaymentRounding: money.HalfAwayFromZero,
			Payment: money.MustParse("467.84", money.USD),
		},
		Accrual: loan.AccrualDailySimple, EscrowPayment: money.Zero(money.USD),
		Delinquency: delinquency.StandardPolicy(delinquency.ClosedEnd),
	}
}

// Several goroutines post payments to the same loans through the engine
// on PostgreSQL. The store sits behind a Faulty wrapper that makes one
// commit in every 37 store calls an ambiguous success (written, but the
// caller hears an error), and every caller retries with the same
// idempotency key until it succeeds. In the end each loan's log holds every
// payment exactly once (no lost and no duplicate payments), versions are
// gapless, and the state equals a serial replay of the committed log.
func TestPostgresConcurrentPayments(t *testing.T) {
	st := openPostgres(t)
	testConcurrentPayments(t, st)
}

// The same on SQLite (group commit), without and with the read cache.
func TestSQLiteConcurrentPayments(t *testing.T) {
	t.Run("plain", func(t *testing.T) { testConcurrentPayments(t, openSQLite(t)) })
	t.Run("cached", func(t *testing.T) { testConcurrentPayments(t, openSQLiteCached(t)) })
}

func testConcurrentPayments(t *testing.T, st *sqlstore.Store) {
	ctx := context.Background()
	const loans, writers, each = 3, 6, 20
	faulty := &ambiguousEvery{inner: st, every: 37}
	eng, err := servicing.New(servicing.Config{Store: faulty, Now: func() time.Time { return time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC) }, MaxRetries: 64})
	require.NoError(t, err)
	terms := autoTerms()
	ids := make([]servicing.LoanID, loans)
	for i := range ids {
		ids[i] = servicing.LoanID(fmt.Sprintf("CC-%d", i))
		_, err := eng.Board(ctx, ids[i], loan.BoardingRequest{Terms: terms, Borrower: "b"}, servicing.Meta{IdempotencyKey: "board"})
		for errors.Is(err, servicingtest.ErrInjected) {
			_, err = eng.Board(ctx, ids[i], loan.BoardingRequest{Terms: terms, Borrower: "b"}, servicing.Meta{IdempotencyKey: "board"})
		}
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := ids[(w+i)%loans]
				key := fmt.Sprintf("w%d-%d", w, i)
				amount := money.MustNew(int64(1000+w*100+i), money.USD)
				on := terms.FundingDate + date.Date(1+i)
				for attempt := 0; ; attempt++ {
					_, err := eng.PostPayment(ctx, id, on, amount, servicing.Meta{IdempotencyKey: key, Actor: "test"})
					if err == nil {
						break
					}
					if !errors.Is(err, servicingtest.ErrInjected) && !errors.Is(err, servicing.ErrTooManyRetries) || attempt > 100 {
						errs <- fmt.Errorf("%s %s: %w", id, key, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	require.Positive(t, faulty.injected(), "the test must exercise ambiguous commits")

	keys := map[string]int{}
	total := int64(0)
	for _, id := range ids {
		evs, err := st.Events(ctx, id, 1)
		require.NoError(t, err)
		for i, e := range evs {
			require.Equal(t, int64(i+1), e.Seq, "gapless versions")
			if p, ok := e.Payload.(loan.PaymentReceived); ok {
				keys[string(id)+"/"+e.IdempotencyKey]++
				total += p.Amount.Minor()
			}
		}
		// The engine's state equals a serial replay of the committed log.
		asOf := terms.FundingDate + date.Date(each+1)
		got, err := eng.State(ctx, id, asOf)
		require.NoError(t, err)
		want, err := loan.Replay(terms, evs, asOf)
		require.NoError(t, err)
		gb, _ := got.MarshalBinary()
		wb, _ := want.MarshalBinary()
		require.Equal(t, wb, gb, "state of %s", id)
	}
	require.Len(t, keys, writers*each, "every payment is in a log")
	wantTotal := int64(0)
	for w := range writers {
		for i := range each {
			wantTotal += int64(1000 + w*100 + i)
		}
	}
	require.Equal(t, wantTotal, total, "amounts: no lost, no duplicate payment")
	for k, n := range keys {
		require.Equal(t, 1, n, "payment %s appears %d times", k, n)
	}
}

// ambiguousEvery makes every n-th Commit an ambiguous success: the batch is
// written and the caller gets servicingtest.ErrInjected.
type ambiguousEvery struct {
	inner servicing.Store
	every int64
	mu    sync.Mutex
	calls int64
	n     int64
}

func (a *ambiguousEvery) injected() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

func (a *ambiguousEvery) LoadCheckpoint(ctx context.Context, id servicing.LoanID, d date.Date) (servicing.Checkpoint, int64, error) {
	return a.inner.LoadCheckpoint(ctx, id, d)
}

func (a *ambiguousEvery) Events(ctx context.Context, id servicing.LoanID, from int64) ([]loan.Event, error) {
	return a.inner.Events(ctx, id, from)
}

func (a *ambiguousEvery) LookupIdempotency(ctx context.Context, id servicing.LoanID, key string) (servicing.IdempotencyRecord, error) {
	return a.inner.LookupIdempotency(ctx, id, key)
}

func (a *ambiguousEvery) Commit(ctx context.Context, id servicing.LoanID, v int64, b servicing.Batch) (int64, error) {
	nv, err := a.inner.Commit(ctx, id, v, b)
	if err != nil {
		return nv, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	if a.calls%a.every == 0 {
		a.n++
		return 0, servicingtest.ErrInjected
	}
	return nv, nil
}
