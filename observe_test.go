package servicing_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// recorder is an Observer that writes down what it sees, one line a call.
type recorder struct {
	servicing.NopObserver
	mu    sync.Mutex
	lines []string
	ctxOK bool // every call after CommandStarted saw its context
	durs  []time.Duration
}

type spanKey struct{}

func (r *recorder) add(s string) { r.mu.Lock(); r.lines = append(r.lines, s); r.mu.Unlock() }

func (r *recorder) CommandStarted(ctx context.Context, c servicing.Command) context.Context {
	r.add(fmt.Sprintf("start %s %s %s", c.Kind, c.Loan, c.On))
	return context.WithValue(ctx, spanKey{}, c.Kind)
}

func (r *recorder) CommandFinished(ctx context.Context, c servicing.Command, f servicing.Finished) {
	r.mu.Lock()
	r.ctxOK = r.ctxOK && ctx.Value(spanKey{}) == c.Kind
	r.durs = append(r.durs, f.Duration)
	r.mu.Unlock()
	r.add(fmt.Sprintf("finish %s %s %s attempts=%d version=%d", c.Kind, c.Loan, f.Outcome, f.Attempts, f.Version))
}

func (r *recorder) Retried(ctx context.Context, c servicing.Command, attempt int, err error) {
	r.add(fmt.Sprintf("retry %s %s attempt=%d conflict=%t", c.Kind, c.Loan, attempt, err != nil))
}

func (r *recorder) CheckpointFallback(err *servicing.CheckpointError) {
	r.add(fmt.Sprintf("fallback %s", err.Loan))
}

func (r *recorder) SlowLoan(ctx context.Context, c servicing.Command, d time.Duration) {
	r.add(fmt.Sprintf("slow %s %s %s", c.Kind, c.Loan, c.On))
}

// conflicting is a store whose first n commits lose the version race, as if
// another process had committed to the loan first.
type conflicting struct {
	servicing.Store
	mu sync.Mutex
	n  int
	// sawSpan says every Commit received the observer's context.
	sawSpan bool
}

func (c *conflicting) Commit(ctx context.Context, id servicing.LoanID, expected int64, b servicing.Batch) (int64, error) {
	c.mu.Lock()
	c.sawSpan = c.sawSpan && ctx.Value(spanKey{}) != nil
	lose := c.n > 0
	c.n--
	c.mu.Unlock()
	if lose {
		return 0, servicing.ErrVersionConflict
	}
	return c.Store.Commit(ctx, id, expected, b)
}

// TestObserverSeesCommands drives a mortgage through boarding, a payment
// that loses two version races, the same payment again (replayed), a
// refused payment, a closed day, the same day again (replayed), again under
// another key (a no-op) and a command
// that never wins: the observer sees each start and finish with the
// outcome, the number of attempts and the version the log reached (board 1,
// payment 2, end of day 3), each retry numbered, and its own context in the
// store's calls and its later methods.
func TestObserverSeesCommands(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{ctxOK: true}
	store := &conflicting{Store: servicingtest.NewMemStore(), sawSpan: true}
	e, err := servicing.New(servicing.Config{Store: store, Now: new(clock).Now, Observer: rec, MaxRetries: 3})
	require.NoError(t, err)
	board(t, e, "L", mortgage())
	store.n = 2
	_, err = e.PostPayment(ctx, "L", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "L", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "L", d(2024, 3, 2), usd("-5.00"), key("p2"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	_, err = e.EndOfDay(ctx, "L", d(2024, 3, 2), servicing.Meta{})
	require.NoError(t, err)
	_, err = e.EndOfDay(ctx, "L", d(2024, 3, 2), servicing.Meta{})
	require.NoError(t, err)
	_, err = e.EndOfDay(ctx, "L", d(2024, 3, 2), key("eod-again"))
	require.NoError(t, err)
	store.n = 3
	_, err = e.PostPayment(ctx, "L", d(2024, 4, 1), usd("1199.10"), key("p3"))
	require.ErrorIs(t, err, servicing.ErrTooManyRetries)
	require.Equal(t, []string{
		"start boarded L 2024-01-15",
		"finish boarded L committed attempts=1 version=1",
		"start payment_received L 2024-03-01",
		"retry payment_received L attempt=1 conflict=true",
		"retry payment_received L attempt=2 conflict=true",
		"finish payment_received L committed attempts=3 version=2",
		"start payment_received L 2024-03-01",
		"finish payment_received L replayed attempts=1 version=2",
		"start payment_received L 2024-03-02",
		"finish payment_received L rejected attempts=1 version=0",
		"start day_closed L 2024-03-02",
		"finish day_closed L committed attempts=1 version=3",
		"start day_closed L 2024-03-02",
		"finish day_closed L replayed attempts=1 version=3",
		"start day_closed L 2024-03-02",
		"finish day_closed L noop attempts=1 version=3",
		"start payment_received L 2024-04-01",
		"retry payment_received L attempt=1 conflict=true",
		"retry payment_received L attempt=2 conflict=true",
		"retry payment_received L attempt=3 conflict=true",
		"finish payment_received L conflicted attempts=3 version=0",
	}, rec.lines)
	require.True(t, rec.ctxOK, "CommandFinished gets CommandStarted's context")
	require.True(t, store.sawSpan, "the store's Commit gets CommandStarted's context")
	for _, d := range rec.durs {
		require.Positive(t, d)
	}
}

// TestObserverSlowLoanAndFallback: with SlowLoan at a nanosecond every end
// of day is slow, in a portfolio run too; a damaged checkpoint is reported
// to the observer as it is to Notify (head states off, so the payment reads
// the checkpoint).
func TestObserverSlowLoanAndFallback(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{ctxOK: true}
	faulty := &servicingtest.Faulty{Inner: servicingtest.NewMemStore()}
	e, err := servicing.New(servicing.Config{Store: faulty, Now: new(clock).Now, Observer: rec,
		SlowLoan: time.Nanosecond, CheckpointEvery: 2, HeadStates: -1})
	require.NoError(t, err)
	board(t, e, "A", mortgage())
	board(t, e, "B", mortgage())
	rep, err := e.EndOfDayPortfolio(ctx, []servicing.LoanID{"A", "B"}, d(2024, 2, 1))
	require.NoError(t, err)
	require.Empty(t, rep.Failed())
	var slow []string
	for _, l := range rec.lines {
		if strings.HasPrefix(l, "slow") {
			slow = append(slow, l)
		}
	}
	require.ElementsMatch(t, []string{"slow day_closed A 2024-02-01", "slow day_closed B 2024-02-01"}, slow)

	faulty.CorruptCheckpoints = true
	rec.lines = nil
	_, err = e.PostPayment(ctx, "A", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	require.Contains(t, rec.lines, "fallback A")
	require.Equal(t, "finish payment_received A committed attempts=1 version=3", rec.lines[len(rec.lines)-1])
}

// TestLoggerKeepsPersonalDataOut logs every command of a loan whose
// borrower, actor, reason, idempotency keys and amounts are all
// recognizable, at Debug, and finds none of them in the output, while the
// kind, loan id, outcome and the names of the refused fields are there.
func TestLoggerKeepsPersonalDataOut(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	store := &conflicting{Store: servicingtest.NewMemStore(), n: 0}
	e, err := servicing.New(servicing.Config{Store: store, Now: new(clock).Now, Logger: logger, SlowLoan: time.Nanosecond})
	require.NoError(t, err)
	meta := func(k string) servicing.Meta {
		return servicing.Meta{IdempotencyKey: "key-SSN-078-05-1120-" + k, Actor: "jane.doe@example.com", Reason: "hardship call with Jane"}
	}
	_, err = e.Board(ctx, "L-7", loan.BoardingRequest{Terms: mortgage(), Borrower: "Jane Q. Doe"}, meta("board"))
	require.NoError(t, err)
	store.n = 1
	_, err = e.PostPayment(ctx, "L-7", d(2024, 3, 1), usd("1199.10"), meta("p1"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "L-7", d(2024, 3, 2), usd("-777.77"), meta("p2"))
	require.Error(t, err)
	_, err = e.EndOfDay(ctx, "L-7", d(2024, 3, 2), servicing.Meta{})
	require.NoError(t, err)
	out := buf.String()
	for _, secret := range []string{"Jane", "jane", "SSN", "078-05", "hardship", "1199.10", "777.77", "200000"} {
		require.NotContains(t, out, secret)
	}
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		delete(m, "time")
		delete(m, "duration")
		recs = append(recs, m)
	}
	require.Equal(t, []map[string]any{
		{"level": "DEBUG", "msg": "servicing command", "kind": "boarded", "loan": "L-7", "on": "2024-01-15",
			"outcome": "committed", "attempts": 1.0, "version": 1.0},
		{"level": "DEBUG", "msg": "servicing retry", "kind": "payment_received", "loan": "L-7", "attempt": 1.0,
			"reason": "servicing: version conflict"},
		{"level": "DEBUG", "msg": "servicing command", "kind": "payment_received", "loan": "L-7", "on": "2024-03-01",
			"outcome": "committed", "attempts": 2.0, "version": 2.0},
		{"level": "INFO", "msg": "servicing command", "kind": "payment_received", "loan": "L-7", "on": "2024-03-02",
			"outcome": "rejected", "attempts": 1.0, "reason": "servicing: invalid command", "fields": "Amount"},
		{"level": "WARN", "msg": "servicing slow end of day", "loan": "L-7", "on": "2024-03-02"},
		{"level": "DEBUG", "msg": "servicing command", "kind": "day_closed", "loan": "L-7", "on": "2024-03-02",
			"outcome": "committed", "attempts": 1.0, "version": 3.0},
	}, recs)
}

// TestObserverConfig: a negative SlowLoan is refused by name.
func TestObserverConfig(t *testing.T) {
	_, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: new(clock).Now, SlowLoan: -1})
	require.ErrorIs(t, err, servicing.ErrInvalidConfig)
	require.ErrorContains(t, err, "Config.SlowLoan")
}
