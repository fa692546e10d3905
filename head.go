package servicing

import (
	"context"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// headCache keeps, per loan, the state the engine folded for the last
// command it committed, so the next command folds only its own event
// instead of the events since the checkpoint. It belongs to one Engine, is
// bounded (Config.HeadStates) and only saves work: a head is used only when
// the store's log ends exactly where the head does — the loan's current last
// event is the one the head folded (same Seq, kind, date, recording time and
// key) — and the command is not backdated before it; anything else takes the
// checkpoint path. Results are the same either way (TestHeadMatchesReplay).
type headCache struct {
	seed     maphash.Seed
	perShard int // 0: the cache is off
	shards   [headShards]headShard
}

const headShards = 64

type headShard struct {
	sync.Mutex
	m map[LoanID]*head
	_ [48]byte // keep shards on separate cache lines
}

// head is one loan's state after its last committed command.
type head struct {
	last     eventID // the loan's last event, which the state folds
	state    loan.State
	cpVer    int64 // version of the latest checkpoint written or read
	terms    []byte
	boarding loan.Event // the boarding event, when terms is not yet known
	boarded  bool       // boarding is set
	// domain are the domain events dated after domainFrom of folding the
	// loan's whole log (when domainOK): a backdated command's fold of the
	// history as it stands, needed only for these, is then skipped.
	domain     []loan.DomainEvent
	domainFrom date.Date
	domainOK   bool
}

// maxHeadDomain bounds the domain events a head keeps.
const maxHeadDomain = 4096

// eventID names an event well enough to tell a log that was rewritten or
// extended by someone else from the one the head was folded from.
type eventID struct {
	seq      int64
	kind     loan.Kind
	on       date.Date
	recorded int64 // RecordedAt, Unix nanoseconds
	key      string
}

func idOf(ev *loan.Event) eventID {
	return eventID{ev.Seq, ev.Kind, ev.EffectiveOn, ev.RecordedAt.UnixNano(), ev.IdempotencyKey}
}

// defaultHeadStates is the head cache bound when Config.HeadStates is 0
// (about 2 KB a loan: some 30 MB).
const defaultHeadStates = 16384

func newHeadCache(n int) *headCache {
	c := &headCache{seed: maphash.MakeSeed()}
	if n > 0 {
		c.perShard = (n + headShards - 1) / headShards
	}
	return c
}

func (c *headCache) shard(id LoanID) *headShard {
	return &c.shards[maphash.String(c.seed, string(id))%headShards]
}

// get copies loan id's head into l (as a loaded loan with nothing after its
// state; its base is left empty, since only a backdated command folds from
// it) when a command whose checkpoint date is notAfter can start from it:
// one dated on or after the head's state (nothing to refold), and not on
// the day of a ladder threshold the day's receipts could have changed. It
// returns the event the head ends with.
func (c *headCache) get(id LoanID, notAfter date.Date, l *loaded) (eventID, bool) {
	if c.perShard == 0 {
		return eventID{}, false
	}
	sh := c.shard(id)
	sh.Lock()
	defer sh.Unlock()
	h := sh.m[id]
	if h == nil {
		return eventID{}, false
	}
	if s := &h.state; notAfter < s.AsOf || notAfter == s.AsOf && endOfDayThreshold(s, s.AsOf) {
		return eventID{}, false // backdated: fold from a checkpoint before it
	}
	l.state = h.state
	l.base, l.after, l.domain = loan.State{}, nil, nil
	l.version, l.cpVer, l.terms, l.boarding = h.last.seq, h.cpVer, h.terms, nil
	l.current, l.now = true, nil
	if h.terms == nil && h.boarded {
		b := h.boarding
		l.boarding = &b
	}
	return h.last, true
}

// known fills in loaded loan l's state and domain events from loan id's
// head instead of folding l.after onto l.base, when the head is the log as
// read (evs, the events after the checkpoint, end with the head's last
// event) and it holds the domain events dated after l.base. It reports
// whether it did.
func (c *headCache) known(id LoanID, evs []loan.Event, l *loaded) bool {
	if c.perShard == 0 || len(evs) == 0 {
		return false
	}
	sh := c.shard(id)
	sh.Lock()
	defer sh.Unlock()
	h := sh.m[id]
	if h == nil || h.last != idOf(&evs[len(evs)-1]) || h.last.seq != l.version {
		return false
	}
	l.current = true
	if !h.domainOK || h.domainFrom > l.base.AsOf {
		return false
	}
	l.state = h.state
	l.domain = nil
	for _, d := range h.domain {
		if d.On > l.base.AsOf {
			l.domain = append(l.domain, d)
		}
	}
	return true
}

// drop forgets loan id's head.
func (c *headCache) drop(id LoanID) {
	if c.perShard == 0 {
		return
	}
	sh := c.shard(id)
	sh.Lock()
	delete(sh.m, id)
	sh.Unlock()
}

// put records the state after a committed command: evs are the events it
// wrote onto loaded loan l, after the state they fold to, and checkpointed
// whether the batch saved a checkpoint of it. A full shard forgets one
// other loan's head and reuses its memory.
func (c *headCache) put(id LoanID, l *loaded, evs []loan.Event, after *loan.State, domain []loan.DomainEvent, checkpointed bool) {
	if c.perShard == 0 || len(evs) == 0 {
		return
	}
	sh := c.shard(id)
	sh.Lock()
	defer sh.Unlock()
	h := sh.m[id]
	if h == nil {
		if sh.m == nil {
			sh.m = make(map[LoanID]*head, min(c.perShard, 1024))
		}
		if len(sh.m) >= c.perShard {
			for k, old := range sh.m {
				delete(sh.m, k)
				h = old
				break
			}
		}
		if h == nil {
			h = new(head)
		}
		*h = head{} // another loan's, or new: it holds nothing of this one
		sh.m[id] = h
	}
	h.domain, h.domainFrom, h.domainOK = nextDomain(h, l, evs, after, domain)
	h.last = idOf(&evs[len(evs)-1])
	h.state = *after
	h.cpVer = l.cpVer
	if checkpointed {
		h.cpVer = h.last.seq
	}
	h.terms, h.boarded = l.terms, false
	switch {
	case h.terms != nil:
	case evs[0].Kind == loan.KindBoarded:
		h.boarding, h.boarded = evs[0], true
	case l.boarding != nil:
		h.boarding, h.boarded = *l.boarding, true
	}
}

// nextDomain is the head's domain events after a command that wrote evs
// onto loaded loan l (domain: the command's own, as reported), while h is
// still the head before it: a backdated command's new history from its
// base on, after the old history's events up to that base when the head
// held them; a later-dated command's own events after the head's; nothing
// when the head was not the log as loaded or the list would pass its bound.
func nextDomain(h *head, l *loaded, evs []loan.Event, after *loan.State, domain []loan.DomainEvent) ([]loan.DomainEvent, date.Date, bool) {
	held := l.current && h.domainOK && h.last.seq == l.version
	switch {
	case evs[0].Kind == loan.KindBoarded:
		return nil, 0, false
	case l.now != nil:
		from := l.base.AsOf
		if !held || h.domainFrom > from {
			if len(l.now) > maxHeadDomain {
				return nil, 0, false
			}
			return slices.Clip(l.now), from, true
		}
		var out []loan.DomainEvent
		for _, d := range h.domain {
			if d.On <= from {
				out = append(out, d)
			}
		}
		if len(out)+len(l.now) > maxHeadDomain {
			return nil, 0, false
		}
		return append(out, l.now...), h.domainFrom, true
	case held && evs[0].EffectiveOn > l.state.AsOf && len(h.domain)+len(domain) <= maxHeadDomain:
		return append(slices.Clip(h.domain), domain...), h.domainFrom, true
	}
	return nil, 0, false
}

// fromHead loads loan id from its head when the head can serve a command
// or query with latest checkpoint date notAfter: the command is dated on
// or after the head's state (nothing to refold), and the store's log still
// ends with the head's last event. It reports whether l was filled.
func (e *Engine) fromHead(ctx context.Context, id LoanID, notAfter date.Date, scratch *[]loan.Event, l *loaded) (bool, error) {
	last, ok := e.heads.get(id, notAfter, l)
	if !ok {
		return false, nil
	}
	// The log from the head's last event on: exactly that event when
	// nobody else wrote to the loan.
	var evs []loan.Event
	var err error
	if ap, ok := e.store.(EventAppender); ok && scratch != nil {
		evs, err = ap.AppendEvents(ctx, id, last.seq, (*scratch)[:0])
		*scratch = evs
	} else {
		evs, err = e.store.Events(ctx, id, last.seq)
	}
	if err != nil {
		return false, err
	}
	if len(evs) != 1 || idOf(&evs[0]) != last {
		e.heads.drop(id)
		return false, nil
	}
	return true, nil
}

// keepHead records the state a committed command folded to, when it is the
// state a fold of the whole log gives: the command was folded from a
// checkpoint (backdated, a reversal), or onto the loaded state without a
// ladder threshold its own day's receipts could have changed.
func (e *Engine) keepHead(id LoanID, l *loaded, evs []loan.Event, after *loan.State, domain []loan.DomainEvent, checkpointed bool) {
	if len(evs) > 0 && evs[0].Kind != loan.KindBoarded && evs[0].EffectiveOn == l.state.AsOf && endOfDayThreshold(&l.state, l.state.AsOf) {
		e.heads.drop(id)
		return
	}
	e.heads.put(id, l, evs, after, domain, checkpointed)
}
