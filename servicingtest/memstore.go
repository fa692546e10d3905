package servicingtest

import (
	"context"
	"fmt"
	"hash/maphash"
	"math/bits"
	"slices"
	"sync"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

const shards = 64

// MemStore is an in-memory [servicing.Store]: a compare-and-swap on each
// loan's version under a lock, safe for concurrent use. It copies what it
// keeps and what it returns, so callers cannot change stored data. It is a
// [servicing.OutboxReader] too: a commit's outbox records are kept with it.
// The zero value is not ready; use [NewMemStore].
type MemStore struct {
	seed   maphash.Seed
	shards [shards]memShard
	outbox memOutbox
}

type memShard struct {
	mu    sync.RWMutex
	loans map[servicing.LoanID]*memLoan
	// arena holds the shard's small stored byte slices (idempotency
	// results, a few bytes each) in shared blocks instead of one
	// allocation each.
	arena []byte
}

const arenaBlock = 16 << 10

// keep returns a copy of b, carved from the arena when b is small. The
// caller holds sh.mu.
func (sh *memShard) keep(b []byte) []byte {
	if len(b) > arenaBlock/16 {
		return slices.Clone(b)
	}
	if cap(sh.arena)-len(sh.arena) < len(b) {
		sh.arena = make([]byte, 0, arenaBlock)
	}
	n := len(sh.arena)
	sh.arena = append(sh.arena, b...)
	return sh.arena[n:len(sh.arena):len(sh.arena)]
}

type memLoan struct {
	// last is the last of events, kept inline: a reader that starts from
	// it (an engine checking that its cached state is still the log's)
	// touches neither the chunks nor their items.
	last   loan.Event
	events chunked[loan.Event]
	cps    []servicing.Checkpoint // sorted by (Through, Version)
	// keys indexes recs by idempotency key; small map values keep the
	// map's growth cheap.
	keys map[string]int32
	recs chunked[servicing.IdempotencyRecord]
}

// chunked is an append-only list in chunks that are never copied: the
// first chunks hold 4, 8, 16 and 32 items (a short list stays small), every
// later one chunkLen, each allocated whole (a loan closing every day grows
// by one event and one record a day without re-copying what it holds).
type chunked[T any] struct {
	chunks [][]T
	n      int
}

const (
	chunkLen   = 64
	firstChunk = 4
	// growing is the number of items in the growing chunks (4+8+16+32).
	growing = 60
)

// locate returns the chunk holding item i and its offset in it.
func locate(i int) (int, int) {
	if i < growing {
		k := bits.Len(uint(i+firstChunk)) - 3
		return k, i + firstChunk - firstChunk<<k
	}
	return 4 + (i-growing)/chunkLen, (i - growing) % chunkLen
}

func (c *chunked[T]) append(v T) {
	k, off := locate(c.n)
	if off == 0 {
		size := chunkLen
		if k < 4 {
			size = firstChunk << k
		}
		c.chunks = append(c.chunks, make([]T, 0, size))
	}
	c.chunks[k] = append(c.chunks[k], v)
	c.n++
}

func (c *chunked[T]) at(i int) T {
	k, off := locate(i)
	return c.chunks[k][off]
}

// from copies the items with index ≥ i.
func (c *chunked[T]) from(i int) []T {
	return c.appendFrom(make([]T, 0, c.n-i), i)
}

// appendFrom appends the items with index ≥ i to dst.
func (c *chunked[T]) appendFrom(dst []T, i int) []T {
	if i >= c.n {
		return dst
	}
	k0, off := locate(i)
	for k := k0; k < len(c.chunks); k++ {
		ch := c.chunks[k]
		if k == k0 {
			ch = ch[off:]
		}
		dst = append(dst, ch...)
	}
	return dst
}

func (l *memLoan) clone() *memLoan {
	nl := &memLoan{last: l.last, cps: slices.Clone(l.cps), keys: make(map[string]int32, len(l.keys))}
	for _, e := range l.events.from(0) {
		nl.events.append(e)
	}
	for _, r := range l.recs.from(0) {
		nl.recs.append(r)
	}
	for k, r := range l.keys {
		nl.keys[k] = r
	}
	return nl
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	s := &MemStore{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].loans = map[servicing.LoanID]*memLoan{}
	}
	return s
}

func (s *MemStore) shard(id servicing.LoanID) *memShard {
	return &s.shards[maphash.String(s.seed, string(id))%shards]
}

// LoadCheckpoint implements [servicing.CheckpointLoader].
func (s *MemStore) LoadCheckpoint(ctx context.Context, id servicing.LoanID, notAfter date.Date) (servicing.Checkpoint, int64, error) {
	if err := ctx.Err(); err != nil {
		return servicing.Checkpoint{}, 0, err
	}
	sh := s.shard(id)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	l := sh.loans[id]
	if l == nil || l.events.n == 0 {
		return servicing.Checkpoint{}, 0, fmt.Errorf("load checkpoint of loan %q: %w", id, servicing.ErrNotFound)
	}
	// First checkpoint with Through > notAfter; the one before it is the
	// latest qualifying, with the highest version among equal Through.
	i, _ := slices.BinarySearchFunc(l.cps, notAfter, func(c servicing.Checkpoint, d date.Date) int {
		if c.Through <= d {
			return -1
		}
		return 1
	})
	if i == 0 {
		return servicing.Checkpoint{}, int64(l.events.n), nil
	}
	cp := l.cps[i-1]
	cp.State = slices.Clone(cp.State)
	return cp, int64(l.events.n), nil
}

// Events implements [servicing.EventReader].
func (s *MemStore) Events(ctx context.Context, id servicing.LoanID, from int64) ([]loan.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sh := s.shard(id)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	l := sh.loans[id]
	if from < 1 {
		from = 1
	}
	if l == nil || from > int64(l.events.n) {
		return []loan.Event{}, nil
	}
	return l.events.from(int(from - 1)), nil
}

// AppendEvents implements [servicing.EventAppender].
func (s *MemStore) AppendEvents(ctx context.Context, id servicing.LoanID, from int64, dst []loan.Event) ([]loan.Event, error) {
	if err := ctx.Err(); err != nil {
		return dst, err
	}
	sh := s.shard(id)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	if l := sh.loans[id]; l != nil {
		if from > 0 && from == int64(l.events.n) {
			return append(dst, l.last), nil
		}
		dst = l.events.appendFrom(dst, int(max(from, 1)-1))
	}
	return dst, nil
}

// LookupIdempotency implements [servicing.IdempotencyLookup].
func (s *MemStore) LookupIdempotency(ctx context.Context, id servicing.LoanID, key string) (servicing.IdempotencyRecord, error) {
	if err := ctx.Err(); err != nil {
		return servicing.IdempotencyRecord{}, err
	}
	sh := s.shard(id)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	if l := sh.loans[id]; l != nil {
		if i, ok := l.keys[key]; ok {
			r := l.recs.at(int(i))
			r.Result = slices.Clone(r.Result)
			return r, nil
		}
	}
	// The bare sentinel: a miss is the common case (every new command), so it
	// is not worth formatting.
	return servicing.IdempotencyRecord{}, servicing.ErrNotFound
}

// Commit implements [servicing.Committer]: all of the batch or none of it.
func (s *MemStore) Commit(ctx context.Context, id servicing.LoanID, expected int64, b servicing.Batch) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := checkBatch(expected, b); err != nil {
		return 0, err
	}
	sh := s.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	l := sh.loans[id]
	var version int64
	if l != nil {
		version = int64(l.events.n)
	}
	if version != expected {
		return 0, fmt.Errorf("commit loan %q at version %d, store has %d: %w", id, expected, version, servicing.ErrVersionConflict)
	}
	if b.Idempotency != nil && l != nil {
		if _, dup := l.keys[b.Idempotency.Key]; dup {
			return 0, fmt.Errorf("commit loan %q key %q: %w", id, b.Idempotency.Key, servicing.ErrDuplicateKey)
		}
	}
	if l == nil {
		l = &memLoan{keys: map[string]int32{}}
		sh.loans[id] = l
	}
	for _, e := range b.Events {
		l.events.append(e)
	}
	if n := len(b.Events); n > 0 {
		l.last = b.Events[n-1]
	}
	if b.Checkpoint != nil {
		cp := *b.Checkpoint
		cp.State = slices.Clone(cp.State)
		i, _ := slices.BinarySearchFunc(l.cps, cp, func(c, t servicing.Checkpoint) int {
			if c.Through != t.Through {
				return cmpDate(c.Through, t.Through)
			}
			return cmpInt(c.Version, t.Version)
		})
		l.cps = slices.Insert(l.cps, i, cp)
	}
	if r := b.Idempotency; r != nil {
		rec := *r
		rec.Result = sh.keep(rec.Result)
		l.keys[rec.Key] = int32(l.recs.n)
		l.recs.append(rec)
	}
	if len(b.Outbox) > 0 {
		// Under the loan's lock, so one loan's records take positions in
		// version order.
		s.outbox.add(id, int64(l.events.n), b.Outbox)
	}
	return int64(l.events.n), nil
}

// checkBatch rejects a batch whose events are not numbered expected+1, ... or
// whose checkpoint lies beyond the new version.
func checkBatch(expected int64, b servicing.Batch) error {
	for i, e := range b.Events {
		if e.Seq != expected+int64(i)+1 {
			return fmt.Errorf("event %d has seq %d, want %d: %w", i, e.Seq, expected+int64(i)+1, servicing.ErrInvalidBatch)
		}
	}
	newVersion := expected + int64(len(b.Events))
	if b.Checkpoint != nil && (b.Checkpoint.Version > newVersion || b.Checkpoint.Version < 0) {
		return fmt.Errorf("checkpoint version %d beyond new version %d: %w", b.Checkpoint.Version, newVersion, servicing.ErrInvalidBatch)
	}
	if b.Idempotency != nil && b.Idempotency.Key == "" {
		return fmt.Errorf("empty idempotency key: %w", servicing.ErrInvalidBatch)
	}
	if len(b.Outbox) > 0 && len(b.Events) == 0 {
		return fmt.Errorf("outbox records without events: %w", servicing.ErrInvalidBatch)
	}
	return nil
}

func cmpDate(a, b date.Date) int { return cmpInt(int64(a), int64(b)) }

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Clone returns an independent copy of the store, for tests that branch
// from a prepared history.
func (s *MemStore) Clone() *MemStore {
	c := NewMemStore()
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		for id, l := range sh.loans {
			c.shard(id).loans[id] = l.clone()
		}
		sh.mu.RUnlock()
	}
	s.outbox.cloneInto(&c.outbox)
	return c
}
