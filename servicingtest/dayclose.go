package servicingtest

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/rickb777/date/v2"
)

// DayClosingMemStore is a [MemStore] that is also a [servicing.DayCloser]:
// portfolio end of day on it writes nothing for a loan's quiet day and
// records each closed day once. It is a separate type so that MemStore keeps
// the per-loan marker of every closed day, and a test can run one history
// both ways (its Clone, MemStore's, copies the loans without the record).
// The zero value is not ready; use [NewDayClosingMemStore].
type DayClosingMemStore struct {
	*MemStore
	mu     sync.Mutex
	closed map[dayKey]bool
}

type dayKey struct {
	on    date.Date
	loans [32]byte
}

// NewDayClosingMemStore returns an empty store.
func NewDayClosingMemStore() *DayClosingMemStore {
	return &DayClosingMemStore{MemStore: NewMemStore(), closed: map[dayKey]bool{}}
}

// CloseDay implements [servicing.DayCloser].
func (s *DayClosingMemStore) CloseDay(ctx context.Context, on date.Date, loans [32]byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.closed[dayKey{on, loans}] = true
	s.mu.Unlock()
	return nil
}

// DayClosed implements [servicing.DayCloser].
func (s *DayClosingMemStore) DayClosed(ctx context.Context, on date.Date, loans [32]byte) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed[dayKey{on, loans}], nil
}

// testDayCloser checks the DayCloser record: a pair is closed only once
// recorded, recording is repeatable, pairs are independent, and a done
// context is refused. The digests are the test's own, so a shared
// database's earlier records do not matter.
func testDayCloser(t *testing.T, s servicing.Store) {
	dc, ok := s.(servicing.DayCloser)
	if !ok {
		t.Skip("not a DayCloser")
	}
	ctx := context.Background()
	a, b := sha256.Sum256([]byte(t.Name()+"/a")), sha256.Sum256([]byte(t.Name()+"/b"))
	closed := func(on date.Date, d [32]byte) bool {
		t.Helper()
		got, err := dc.DayClosed(ctx, on, d)
		if err != nil {
			t.Fatalf("DayClosed(%s) = %v", on, err)
		}
		return got
	}
	if closed(day, a) {
		t.Fatal("a day never recorded reads as closed")
	}
	for range 2 { // recording twice is not an error
		if err := dc.CloseDay(ctx, day, a); err != nil {
			t.Fatalf("CloseDay = %v", err)
		}
	}
	if !closed(day, a) {
		t.Fatal("a recorded day reads as open")
	}
	if closed(day, b) || closed(day+1, a) || closed(day-1, a) {
		t.Fatal("recording (day, a) closed another date or set of loans")
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := dc.CloseDay(done, day+1, a); !errors.Is(err, context.Canceled) {
		t.Fatalf("CloseDay with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := dc.DayClosed(done, day, a); !errors.Is(err, context.Canceled) {
		t.Fatalf("DayClosed with a cancelled context = %v, want context.Canceled", err)
	}
	if closed(day+1, a) {
		t.Fatal("CloseDay with a cancelled context recorded the day")
	}
}
