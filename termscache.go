package servicing

import (
	"hash/maphash"
	"slices"
	"sync"

	"github.com/lendcore/servicing/loan"
)

// termsCache holds decoded terms by their canonical encoding: every
// checkpoint of a loan carries the same terms, and decoding them (strict
// JSON) is most of what reading a checkpoint costs. It belongs to one
// Engine (nothing process-wide), is bounded, and only saves work: entries
// are immutable values and a miss decodes again.
type termsCache struct {
	seed   maphash.Seed
	shards [16]struct {
		sync.RWMutex
		m map[string]loan.Terms
		_ [40]byte // keep shards on separate cache lines
	}
	// boarded holds the canonical terms encoding of loans folded from their
	// boarding event (no checkpoint yet), by loan and boarding time: the
	// encoding is JSON, costly to write for every checkpoint.
	boardedMu sync.Mutex
	boarded   map[boardedKey][]byte
}

// boardedKey names a loan's boarding event.
type boardedKey struct {
	id string
	at int64 // RecordedAt, Unix nanoseconds
}

// encoding returns the canonical encoding of the terms of loan id's
// boarding event ev, computing it on first use (a bounded map: a full one
// computes it every time).
func (c *termsCache) encoding(id LoanID, ev loan.Event, t loan.Terms) []byte {
	k := boardedKey{string(id), ev.RecordedAt.UnixNano()}
	c.boardedMu.Lock()
	b, ok := c.boarded[k]
	c.boardedMu.Unlock()
	if ok {
		return b
	}
	b = slices.Clone(loan.TermsEncoding(loan.Initial(t).AppendBinary(nil, nil)))
	c.boardedMu.Lock()
	if c.boarded == nil {
		c.boarded = map[boardedKey][]byte{}
	}
	if len(c.boarded) < termsCachePerShard*len(c.shards) {
		c.boarded[k] = b
	}
	c.boardedMu.Unlock()
	return b
}

// termsFor is the canonical terms encoding for a checkpoint of loaded loan
// l: the bytes of the checkpoint it was read from, or, for a loan folded
// from boarding, the cached encoding of its boarding terms (computed only
// when a checkpoint is about to be written).
func (e *Engine) termsFor(id LoanID, l *loaded) []byte {
	if l.terms == nil && l.boarding != nil {
		l.terms = e.terms.encoding(id, *l.boarding, l.state.Terms) // a fold never changes terms
	}
	return l.terms
}

// termsCachePerShard bounds each shard; a full shard stops growing.
const termsCachePerShard = 4096

func newTermsCache() *termsCache { return &termsCache{seed: maphash.MakeSeed()} }

// decode decodes the state encoding b, taking its terms from the cache when
// they are there and adding them when not.
func (c *termsCache) decode(b []byte, s *loan.State) error {
	tb := loan.TermsEncoding(b)
	if tb == nil {
		return s.UnmarshalBinary(b) // reports the bad encoding
	}
	sh := &c.shards[maphash.Bytes(c.seed, tb)%uint64(len(c.shards))]
	sh.RLock()
	t, ok := sh.m[string(tb)]
	sh.RUnlock()
	if ok {
		return s.UnmarshalBinaryTerms(b, &t)
	}
	if err := s.UnmarshalBinary(b); err != nil {
		return err
	}
	sh.Lock()
	if sh.m == nil {
		sh.m = map[string]loan.Terms{}
	}
	if len(sh.m) < termsCachePerShard {
		sh.m[string(tb)] = s.Terms
	}
	sh.Unlock()
	return nil
}
