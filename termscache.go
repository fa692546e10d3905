package servicing

import (
	"hash/maphash"
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
