package servicingtest

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// TestStore checks that a store behaves as the engine needs: linearizable
// compare-and-swap on the version, the idempotency record committed
// atomically with its events, read-your-writes, events in Seq order,
// checkpoints chosen by date, no aliasing of returned data, and all-or-nothing
// commits when the context is cancelled, and, for a store that is a
// servicing.OutboxReader, the outbox written with its commit, and, for a
// servicing.DayCloser, its day-close record. newStore is called once per subtest
// and must return an empty store (or one in which the loan IDs the suite
// uses, all prefixed "storetest-", do not exist).
//
// Stores must keep RecordedAt to at least microsecond precision.
func TestStore(t *testing.T, newStore func(t *testing.T) servicing.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(*testing.T, servicing.Store)
	}{
		{"UnknownLoan", testUnknownLoan},
		{"ReadYourWrites", testReadYourWrites},
		{"VersionConflict", testVersionConflict},
		{"InvalidBatch", testInvalidBatch},
		{"Checkpoints", testCheckpoints},
		{"IdempotencyAtomic", testIdempotency},
		{"IsolatedLoans", testIsolated},
		{"NoAliasing", testNoAliasing},
		{"CancelledContext", testCancelled},
		{"LinearizableCAS", testCAS},
		{"CancelMidCommit", testCancelMidCommit},
		{"AppendEvents", testAppendEvents},
		{"Outbox", testOutbox},
		{"DayCloser", testDayCloser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, newStore(t)) })
	}
}

var (
	t0  = time.Date(2025, time.March, 1, 9, 30, 0, 123456000, time.UTC)
	day = date.New(2025, time.March, 1)
)

func loanID(t *testing.T, suffix string) servicing.LoanID {
	return servicing.LoanID("storetest-" + t.Name() + suffix)
}

// testEvents returns n payment events numbered from+1, ....
func testEvents(from int64, n int, tag string) []loan.Event {
	out := make([]loan.Event, n)
	for i := range out {
		seq := from + int64(i) + 1
		out[i] = loan.Event{
			Seq: seq, Kind: loan.KindPaymentReceived,
			EffectiveOn: day + date.Date(seq), RecordedAt: t0.Add(time.Duration(seq) * time.Second),
			Actor: "storetest", Reason: tag, IdempotencyKey: tag,
			Payload: loan.PaymentReceived{Amount: money.MustNew(100*seq+1, money.USD), Reference: fmt.Sprint(tag, "/", i)},
		}
	}
	return out
}

func record(key string, version int64) *servicing.IdempotencyRecord {
	return &servicing.IdempotencyRecord{Key: key, PayloadHash: sha256.Sum256([]byte(key)), Version: version, Result: []byte(`{"key":"` + key + `"}`)}
}

func encode(t *testing.T, evs []loan.Event) string {
	t.Helper()
	if len(evs) == 0 {
		return "[]"
	}
	b, err := json.Marshal(evs)
	if err != nil {
		t.Fatalf("encode events: %v", err)
	}
	return string(b)
}

func mustCommit(t *testing.T, s servicing.Store, id servicing.LoanID, expected int64, b servicing.Batch) int64 {
	t.Helper()
	v, err := s.Commit(context.Background(), id, expected, b)
	if err != nil {
		t.Fatalf("Commit(%q, %d): %v", id, expected, err)
	}
	if want := expected + int64(len(b.Events)); v != want {
		t.Fatalf("Commit(%q, %d) = version %d, want %d", id, expected, v, want)
	}
	return v
}

func wantEvents(t *testing.T, s servicing.Store, id servicing.LoanID, from int64, want []loan.Event) {
	t.Helper()
	got, err := s.Events(context.Background(), id, from)
	if err != nil {
		t.Fatalf("Events(%q, %d): %v", id, from, err)
	}
	if g, w := encode(t, got), encode(t, want); g != w {
		t.Fatalf("Events(%q, %d):\n got %s\nwant %s", id, from, g, w)
	}
}

func wantVersion(t *testing.T, s servicing.Store, id servicing.LoanID, want int64) {
	t.Helper()
	_, v, err := s.LoadCheckpoint(context.Background(), id, date.Max())
	if err != nil {
		t.Fatalf("LoadCheckpoint(%q): %v", id, err)
	}
	if v != want {
		t.Fatalf("LoadCheckpoint(%q) version = %d, want %d", id, v, want)
	}
}

func testUnknownLoan(t *testing.T, s servicing.Store) {
	ctx := context.Background()
	id := loanID(t, "")
	if _, _, err := s.LoadCheckpoint(ctx, id, date.Max()); !errors.Is(err, servicing.ErrNotFound) {
		t.Errorf("LoadCheckpoint(unknown) error = %v, want ErrNotFound", err)
	}
	evs, err := s.Events(ctx, id, 1)
	if err != nil || len(evs) != 0 {
		t.Errorf("Events(unknown) = %d events, %v; want none, nil", len(evs), err)
	}
	if _, err := s.LookupIdempotency(ctx, id, "k"); !errors.Is(err, servicing.ErrNotFound) {
		t.Errorf("LookupIdempotency(unknown) error = %v, want ErrNotFound", err)
	}
}

func testReadYourWrites(t *testing.T, s servicing.Store) {
	id := loanID(t, "")
	first := testEvents(0, 3, "a")
	mustCommit(t, s, id, 0, servicing.Batch{Events: first})
	wantVersion(t, s, id, 3)
	wantEvents(t, s, id, 1, first)
	wantEvents(t, s, id, 0, first)
	wantEvents(t, s, id, 2, first[1:])
	wantEvents(t, s, id, 4, nil)
	second := testEvents(3, 2, "b")
	mustCommit(t, s, id, 3, servicing.Batch{Events: second})
	wantVersion(t, s, id, 5)
	wantEvents(t, s, id, 1, append(append([]loan.Event{}, first...), second...))
	wantEvents(t, s, id, 5, second[1:])
}

func testVersionConflict(t *testing.T, s servicing.Store) {
	ctx := context.Background()
	id := loanID(t, "")
	evs := testEvents(0, 2, "a")
	mustCommit(t, s, id, 0, servicing.Batch{Events: evs})
	for _, expected := range []int64{0, 1, 3} {
		b := servicing.Batch{
			Events:      testEvents(expected, 1, "stale"),
			Checkpoint:  &servicing.Checkpoint{Version: expected + 1, Through: day + 100, State: []byte("x")},
			Idempotency: record("stale", expected+1),
		}
		if _, err := s.Commit(ctx, id, expected, b); !errors.Is(err, servicing.ErrVersionConflict) {
			t.Errorf("Commit at stale version %d error = %v, want ErrVersionConflict", expected, err)
		}
	}
	wantVersion(t, s, id, 2)
	wantEvents(t, s, id, 1, evs)
	if _, err := s.LookupIdempotency(ctx, id, "stale"); !errors.Is(err, servicing.ErrNotFound) {
		t.Errorf("idempotency record of a rejected commit: error = %v, want ErrNotFound", err)
	}
	if cp, _, err := s.LoadCheckpoint(ctx, id, date.Max()); err != nil || cp.Version != 0 {
		t.Errorf("checkpoint of a rejected commit was saved: %+v, %v", cp, err)
	}
}

func testInvalidBatch(t *testing.T, s servicing.Store) {
	ctx := context.Background()
	id := loanID(t, "")
	mustCommit(t, s, id, 0, servicing.Batch{Events: testEvents(0, 1, "a")})
	bad := testEvents(1, 2, "bad")
	bad[1].Seq = 7
	if _, err := s.Commit(ctx, id, 1, servicing.Batch{Events: bad}); !errors.Is(err, servicing.ErrInvalidBatch) {
		t.Errorf("Commit with misnumbered events error = %v, want ErrInvalidBatch", err)
	}
	wantVersion(t, s, id, 1)
}

func testCheckpoints(t *testing.T, s servicing.Store) {
	ctx := context.Background()
	id := loanID(t, "")
	mustCommit(t, s, id, 0, servicing.Batch{Events: testEvents(0, 2, "a"),
		Checkpoint: &servicing.Checkpoint{Version: 2, Through: day + 10, State: []byte("cp-2-10")}})
	mustCommit(t, s, id, 2, servicing.Batch{Events: testEvents(2, 2, "b"),
		Checkpoint: &servicing.Checkpoint{Version: 4, Through: day + 20, State: []byte("cp-4-20")}})
	// A backdated event: a later checkpoint with an earlier Through.
	mustCommit(t, s, id, 4, servicing.Batch{Events: testEvents(4, 1, "c"),
		Checkpoint: &servicing.Checkpoint{Version: 5, Through: day + 10, State: []byte("cp-5-10")}})
	// A checkpoint-only commit.
	mustCommit(t, s, id, 5, servicing.Batch{
		Checkpoint: &servicing.Checkpoint{Version: 5, Through: day + 30, State: []byte("cp-5-30")}})
	tests := []struct {
		notAfter date.Date
		want     string
	}{
		{day + 9, ""}, {day + 10, "cp-5-10"}, {day + 19, "cp-5-10"}, {day + 20, "cp-4-20"},
		{day + 29, "cp-4-20"}, {day + 30, "cp-5-30"}, {date.Max(), "cp-5-30"},
	}
	for _, tt := range tests {
		cp, v, err := s.LoadCheckpoint(ctx, id, tt.notAfter)
		if err != nil {
			t.Fatalf("LoadCheckpoint(notAfter %s): %v", tt.notAfter, err)
		}
		if v != 5 {
			t.Errorf("LoadCheckpoint(notAfter %s) version = %d, want 5", tt.notAfter, v)
		}
		if string(cp.State) != tt.want {
			t.Errorf("LoadCheckpoint(notAfter %s) = %q (v%d, %s), want %q", tt.notAfter, cp.State, cp.Version, cp.Through, tt.want)
		}
	}
}

func testIdempotency(t *testing.T, s servicing.Store) {
	ctx := context.Background()
	id := loanID(t, "")
	rec := record("k1", 2)
	mustCommit(t, s, id, 0, servicing.Batch{Events: testEvents(0, 2, "k1"), Idempotency: rec})
	got, err := s.LookupIdempotency(ctx, id, "k1")
	if err != nil {
		t.Fatalf("LookupIdempotency(k1): %v", err)
	}
	if got.Key != rec.Key || got.PayloadHash != rec.PayloadHash || got.Version != rec.Version || string(got.Result) != string(rec.Result) {
		t.Errorf("LookupIdempotency(k1) = %+v, want %+v", got, *rec)
	}
	// The same key again, even at the right version, writes nothing.
	if _, err := s.Commit(ctx, id, 2, servicing.Batch{Events: testEvents(2, 1, "k1"), Idempotency: record("k1", 3)}); !errors.Is(err, servicing.ErrDuplicateKey) {
		t.Errorf("Commit with a recorded key error = %v, want ErrDuplicateKey", err)
	}
	wantVersion(t, s, id, 2)
	// A key is per loan.
	other := loanID(t, "-other")
	mustCommit(t, s, other, 0, servicing.Batch{Events: testEvents(0, 1, "k1"), Idempotency: record("k1", 1)})
	if _, err := s.LookupIdempotency(ctx, id, "k2"); !errors.Is(err, servicing.ErrNotFound) {
		t.Errorf("LookupIdempotency(k2) error = %v, want ErrNotFound", err)
	}
}

func testIsolated(t *testing.T, s servicing.Store) {
	a, b := loanID(t, "-a"), loanID(t, "-b")
	ea, eb := testEvents(0, 2, "a"), testEvents(0, 3, "b")
	mustCommit(t, s, a, 0, servicing.Batch{Events: ea})
	mustCommit(t, s, b, 0, servicing.Batch{Events: eb})
	wantEvents(t, s, a, 1, ea)
	wantEvents(t, s, b, 1, eb)
	wantVersion(t, s, a, 2)
	wantVersion(t, s, b, 3)
}

func testNoAliasing(t *testing.T, s servicing.Store) {
	ctx := context.Background()
	id := loanID(t, "")
	evs := testEvents(0, 2, "a")
	state := []byte("state")
	rec := record("a", 2)
	mustCommit(t, s, id, 0, servicing.Batch{Events: evs, Checkpoint: &servicing.Checkpoint{Version: 2, Through: day, State: state}, Idempotency: rec})
	want := encode(t, evs)
	evs[0].Actor = "changed"
	state[0] = 'X'
	rec.Result[0] = 'X'
	got, err := s.Events(ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if encode(t, got) != want {
		t.Fatalf("store kept a reference to the committed events slice")
	}
	got[1].Actor = "changed"
	wantEvents(t, s, id, 2, testEvents(0, 2, "a")[1:])
	cp, _, err := s.LoadCheckpoint(ctx, id, date.Max())
	if err != nil || string(cp.State) != "state" {
		t.Fatalf("checkpoint state = %q, %v; want %q", cp.State, err, "state")
	}
	cp.State[0] = 'Y'
	if cp2, _, _ := s.LoadCheckpoint(ctx, id, date.Max()); string(cp2.State) != "state" {
		t.Fatalf("checkpoint state aliased: %q", cp2.State)
	}
	r, err := s.LookupIdempotency(ctx, id, "a")
	if err != nil || string(r.Result) != `{"key":"a"}` {
		t.Fatalf("idempotency result = %q, %v", r.Result, err)
	}
}

// testAppendEvents checks a store that is a servicing.EventAppender: it
// appends what Events returns after dst's items, for every from.
func testAppendEvents(t *testing.T, s servicing.Store) {
	ap, ok := s.(servicing.EventAppender)
	if !ok {
		t.Skip("not an EventAppender")
	}
	ctx := context.Background()
	id := loanID(t, "")
	mustCommit(t, s, id, 0, servicing.Batch{Events: testEvents(0, 70, "a")})
	mustCommit(t, s, id, 70, servicing.Batch{Events: testEvents(70, 3, "b")})
	head := testEvents(100, 1, "head")
	for from := int64(0); from <= 75; from++ {
		evs, err := s.Events(ctx, id, from)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ap.AppendEvents(ctx, id, from, append(make([]loan.Event, 0, 8), head...))
		if err != nil {
			t.Fatal(err)
		}
		if encode(t, got) != encode(t, append(head, evs...)) {
			t.Fatalf("AppendEvents from %d differs from Events", from)
		}
	}
	got, err := ap.AppendEvents(ctx, loanID(t, "-unknown"), 1, head)
	if err != nil || len(got) != 1 {
		t.Fatalf("AppendEvents of an unknown loan = %d events, %v; want dst unchanged", len(got), err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ap.AppendEvents(cctx, id, 1, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("AppendEvents on a cancelled context = %v", err)
	}
}

func testCancelled(t *testing.T, s servicing.Store) {
	id := loanID(t, "")
	mustCommit(t, s, id, 0, servicing.Batch{Events: testEvents(0, 1, "a")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Commit(ctx, id, 1, servicing.Batch{Events: testEvents(1, 1, "b"), Idempotency: record("b", 2)}); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit with cancelled context error = %v, want context.Canceled", err)
	}
	if _, _, err := s.LoadCheckpoint(ctx, id, date.Max()); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadCheckpoint with cancelled context error = %v, want context.Canceled", err)
	}
	if _, err := s.Events(ctx, id, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Events with cancelled context error = %v, want context.Canceled", err)
	}
	if _, err := s.LookupIdempotency(ctx, id, "a"); !errors.Is(err, context.Canceled) {
		t.Errorf("LookupIdempotency with cancelled context error = %v, want context.Canceled", err)
	}
	wantVersion(t, s, id, 1)
	if _, err := s.LookupIdempotency(context.Background(), id, "b"); !errors.Is(err, servicing.ErrNotFound) {
		t.Errorf("a cancelled commit left its idempotency record: %v", err)
	}
}

// testCAS runs writers that each append events under their own keys,
// retrying on version conflicts. Linearizability: every acknowledged commit
// is in the log exactly once, versions handed out are all distinct, and the
// log is exactly the acknowledged commits.
func testCAS(t *testing.T, s servicing.Store) {
	ctx := context.Background()
	id := loanID(t, "")
	const writers, each = 8, 25
	var mu sync.Mutex
	acked := map[int64]string{} // new version -> key
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				key := fmt.Sprintf("w%d-%d", w, i)
				for {
					_, v, err := s.LoadCheckpoint(ctx, id, date.Max())
					if errors.Is(err, servicing.ErrNotFound) {
						v, err = 0, nil
					}
					if err != nil {
						errs <- err
						return
					}
					nv, err := s.Commit(ctx, id, v, servicing.Batch{Events: testEvents(v, 1, key), Idempotency: record(key, v+1)})
					if errors.Is(err, servicing.ErrVersionConflict) {
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					if prev, dup := acked[nv]; dup {
						errs <- fmt.Errorf("version %d acknowledged to both %s and %s", nv, prev, key)
					}
					acked[nv] = key
					mu.Unlock()
					break
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	evs, err := s.Events(ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != writers*each {
		t.Fatalf("log has %d events, want %d acknowledged", len(evs), writers*each)
	}
	for i, e := range evs {
		if e.Seq != int64(i)+1 {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
		if acked[e.Seq] != e.IdempotencyKey {
			t.Fatalf("event %d has key %q, acknowledged %q", e.Seq, e.IdempotencyKey, acked[e.Seq])
		}
	}
}

// testCancelMidCommit cancels contexts while commits run. Whatever each
// call returned, every batch must be all there or not there at all, and every
// acknowledged batch must be there.
func testCancelMidCommit(t *testing.T, s servicing.Store) {
	id := loanID(t, "")
	const attempts = 60
	acked := map[string]bool{}
	for i := range attempts {
		key := fmt.Sprintf("c%d", i)
		_, v, err := s.LoadCheckpoint(context.Background(), id, date.Max())
		if errors.Is(err, servicing.ErrNotFound) {
			v, err = 0, nil
		}
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			if i%3 != 0 {
				time.Sleep(time.Duration(i%5) * 20 * time.Microsecond)
			}
			cancel()
			close(done)
		}()
		if _, err := s.Commit(ctx, id, v, servicing.Batch{Events: testEvents(v, 3, key), Idempotency: record(key, v+3),
			Checkpoint: &servicing.Checkpoint{Version: v + 3, Through: day + date.Date(v+3), State: []byte(key)}}); err == nil {
			acked[key] = true
		}
		<-done
	}
	evs, err := s.Events(context.Background(), id, 1)
	if err != nil {
		t.Fatal(err)
	}
	present := map[string]int{}
	for i, e := range evs {
		if e.Seq != int64(i)+1 {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
		present[e.IdempotencyKey]++
	}
	for i := range attempts {
		key := fmt.Sprintf("c%d", i)
		n := present[key]
		_, recErr := s.LookupIdempotency(context.Background(), id, key)
		switch {
		case n != 0 && n != 3:
			t.Errorf("batch %s is partly written: %d of 3 events", key, n)
		case n == 3 && recErr != nil:
			t.Errorf("batch %s has its events but no idempotency record: %v", key, recErr)
		case n == 0 && recErr == nil:
			t.Errorf("batch %s has an idempotency record but no events", key)
		case n == 0 && acked[key]:
			t.Errorf("batch %s was acknowledged but is missing", key)
		}
	}
}
