package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// cache is the SQLite store's optional write-through cache of what the
// engine reads on every command: each loan's version, its latest checkpoint
// (greatest Through, then Version), the events after that checkpoint with
// the last one it folds (the engine reads from a loan's last event to see
// that its head state is current), and the set of its idempotency keys (so a new key is known to be absent
// without a query). It is coherent because the store owns the database file
// (exclusive locking) and updates the cache only after a commit's
// transaction has committed, before acknowledging it. A loan enters the
// cache on first use, loaded from the database; nothing is evicted, so
// memory grows with the loans and keys used.
type cache struct {
	mu      sync.RWMutex
	loans   map[servicing.LoanID]*cachedLoan
	loading map[servicing.LoanID][]*bool // loads in progress; set true when a commit makes them stale
}

type cachedLoan struct {
	mu       sync.Mutex
	version  int64
	cp       *servicing.Checkpoint // latest checkpoint; nil: the loan has none
	tailFrom int64                 // Seq of tail[0]; tail holds every event from it
	tail     []loan.Event
	keys     map[string]struct{}
}

func newCache() *cache {
	return &cache{loans: map[servicing.LoanID]*cachedLoan{}, loading: map[servicing.LoanID][]*bool{}}
}

// loan returns the loan's entry, loading it from the database on first use.
// It returns nil for a loan with no events (nothing to cache yet).
func (c *cache) loan(ctx context.Context, s *Store, id servicing.LoanID) (_ *cachedLoan, err error) {
	c.mu.RLock()
	l := c.loans[id]
	c.mu.RUnlock()
	if l != nil {
		return l, nil
	}
	c.mu.Lock()
	l = c.loans[id]
	stale := new(bool)
	if l == nil {
		c.loading[id] = append(c.loading[id], stale)
	}
	c.mu.Unlock()
	if l != nil {
		return l, nil
	}
	defer func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		tokens := slices.DeleteFunc(c.loading[id], func(b *bool) bool { return b == stale })
		if len(tokens) == 0 {
			delete(c.loading, id)
		} else {
			c.loading[id] = tokens
		}
	}()
	// The reads below may interleave with commits of the loan; a commit
	// that lands meanwhile marks this load stale and it is not cached.
	cp, version, err := s.loadCheckpointDB(ctx, id, date.Max())
	if errors.Is(err, servicing.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if version == 0 {
		return nil, nil
	}
	l = &cachedLoan{version: version, keys: map[string]struct{}{}}
	if cp.Version > 0 || cp.State != nil {
		cpc := cp
		l.cp = &cpc
	}
	l.tailFrom = max(cp.Version, 1)
	if l.tail, err = s.eventsDB(ctx, id, l.tailFrom); err != nil {
		return nil, err
	}
	rows, err := s.keys.QueryContext(ctx, string(id))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: keys of loan %q: %w", id, ctxErr(ctx, err))
	}
	defer closeRows(rows, &err)
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		l.keys[k] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur := c.loans[id]; cur != nil {
		return cur, nil
	}
	if *stale {
		return nil, nil
	}
	c.loans[id] = l
	return l, nil
}

// committed applies an acknowledged commit to a cached loan (a loan not in
// the cache is left to be loaded on next use). Called by the writer after
// the transaction committed.
func (c *cache) committed(id servicing.LoanID, newVersion int64, b servicing.Batch) {
	c.mu.Lock()
	l := c.loans[id]
	for _, stale := range c.loading[id] {
		*stale = true
	}
	c.mu.Unlock()
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.version != newVersion-int64(len(b.Events)) {
		// Cannot happen with one writer; be safe and forget the loan.
		c.mu.Lock()
		delete(c.loans, id)
		c.mu.Unlock()
		return
	}
	l.version = newVersion
	l.tail = append(l.tail, cloneEvents(b.Events)...)
	if cp := b.Checkpoint; cp != nil && (l.cp == nil || cp.Through > l.cp.Through || cp.Through == l.cp.Through && cp.Version > l.cp.Version) {
		cpc := *cp
		cpc.State = slices.Clone(cp.State)
		if cpc.State == nil {
			cpc.State = []byte{}
		}
		l.cp = &cpc
		// Keep only the checkpoint's last event and those after it.
		if drop := cp.Version - l.tailFrom; drop > 0 {
			l.tail = slices.Clone(l.tail[drop:])
			l.tailFrom = cp.Version
		}
	}
	if b.Idempotency != nil {
		l.keys[b.Idempotency.Key] = struct{}{}
	}
}

// forget drops loans whose cached entries may be stale (after a failed
// group transaction whose outcome is unknown).
func (c *cache) forget(ids []servicing.LoanID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		delete(c.loans, id)
		for _, stale := range c.loading[id] {
			*stale = true
		}
	}
}

func cloneEvents(evs []loan.Event) []loan.Event {
	return slices.Clone(evs) // Event is a value; payloads are values too
}

// checkpoint answers LoadCheckpoint from the cache when it can.
func (l *cachedLoan) checkpoint(notAfter date.Date) (servicing.Checkpoint, int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cp == nil {
		return servicing.Checkpoint{}, l.version, true
	}
	if l.cp.Through <= notAfter {
		cp := *l.cp
		cp.State = slices.Clone(cp.State)
		return cp, l.version, true
	}
	return servicing.Checkpoint{}, 0, false
}

// events answers Events from the cache when from is within the tail.
func (l *cachedLoan) events(from int64) ([]loan.Event, bool) {
	evs, ok := l.appendEvents(from, nil)
	if ok && evs == nil {
		evs = []loan.Event{}
	}
	return evs, ok
}

// appendEvents appends the events from Seq from to dst when from is within
// the tail.
func (l *cachedLoan) appendEvents(from int64, dst []loan.Event) ([]loan.Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if from < l.tailFrom {
		return dst, false
	}
	if i := from - l.tailFrom; i < int64(len(l.tail)) {
		return append(dst, l.tail[i:]...), true
	}
	return dst, true
}

// hasKey reports whether the loan has committed key.
func (l *cachedLoan) hasKey(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.keys[key]
	return ok
}
