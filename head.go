package servicing

import (
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

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
	perShard int // a shard's share of the bound (0: the cache is off)
	// limit bounds the heads held in all shards, held counts them: a
	// shard holds more than its share while others hold less (loans do
	// not spread over shards exactly), so a bound of at least the number
	// of loans keeps every loan's head.
	limit, held atomic.Int64
	shards      [headShards]headShard
	snapped     atomic.Int64 // snapshot states held, about ≤ maxSnapStates
	reported    atomic.Int64 // domain events held, about ≤ maxDomainEvents
	// hints are the heads of the loans of the last portfolio end of day,
	// by position (portfolioHints): the next day's command for a loan
	// finds its head without the shard's map lookup.
	hintsMu sync.Mutex
	hints   []atomic.Pointer[head]
}

const headShards = 64

type headShard struct {
	sync.Mutex
	m map[LoanID]*head
	_ [48]byte // keep shards on separate cache lines
}

// head is one loan's state after its last committed command. A head only
// ever serves loans of one shard, home, set when it is made and never
// written again: a hint to it is checked under home's lock (headShard.lookup).
type head struct {
	home *headShard
	headData
}

// headData is what a head holds of its loan, written under its shard's lock.
type headData struct {
	// id is the loan whose head this is while its shard's map holds it,
	// and empty once it does not: a hint to a head is good exactly when
	// the head is in the loan's shard and its id is the loan's.
	id   LoanID
	last eventID // the loan's last event, which the state folds
	// quietAfter and quietThrough bound the days (quietAfter,
	// quietThrough] on which the log as the head holds it reports
	// nothing: a fold of state with no further events through
	// quietThrough gave no domain event (Engine.quietAhead). A portfolio
	// end of day on a day-close store on such a day writes and reports
	// nothing, so it is answered without a fold (Engine.quietDay). Zero:
	// not known.
	quietAfter, quietThrough date.Date
	state                    loan.State
	cpVer                    int64 // version of the latest checkpoint written or read
	terms                    []byte
	// boarding is the boarding event, when terms is not yet known: a copy
	// the head owns and never changes, so a command loading the head
	// shares it instead of copying it.
	boarding *loan.Event
	// domain are the domain events dated after domainFrom of folding the
	// loan's whole log (when domainOK): a backdated command's fold of the
	// history as it stands, needed only for these, is then skipped.
	domain     []loan.DomainEvent
	domainFrom date.Date
	domainOK   bool
	// snaps are states of the loan's log at the end of earlier days,
	// oldest first: each folds exactly the events effective on or before
	// its AsOf, and none holds a payment a later event reverses. A
	// backdated command starts from the latest one before its date.
	snaps []loan.State
	// carry is what the fold that gave state built (its biller), so the
	// next command's fold need not build it again.
	carry loan.Carry
}

// Snapshots: a backdated command folding at least 2×snapEvery events keeps
// up to maxSnaps states of its fold, the engine at most maxSnapStates in
// all (about 2 KB each).
const (
	snapEvery     = 32
	maxSnaps      = 32
	maxSnapStates = 4096
)

// maxHeadDomain bounds the domain events a head keeps, maxDomainEvents
// those of all heads (about 100 bytes each).
const (
	maxHeadDomain   = 4096
	maxDomainEvents = 1 << 18
)

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
		c.limit.Store(int64(n))
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
// returns the event the head ends with. A head l.head hints at is used
// without a map lookup when it is still the loan's; l.head is left at the
// head found.
func (c *headCache) get(id LoanID, notAfter date.Date, l *loaded) (eventID, bool) {
	h, sh := c.locked(id, l)
	if h == nil {
		return eventID{}, false
	}
	defer sh.Unlock()
	if s := &h.state; notAfter < s.AsOf || notAfter == s.AsOf && endOfDayThreshold(s, s.AsOf) {
		return eventID{}, false // backdated: fold from a checkpoint before it
	}
	l.state = h.state
	l.base, l.after, l.domain = loan.State{}, nil, nil
	l.version, l.cpVer, l.terms, l.boarding = h.last.seq, h.cpVer, h.terms, nil
	l.current, l.now, l.refolded = true, nil, false
	l.carry, l.next = h.carry, loan.Carry{}
	if h.terms == nil {
		l.boarding = h.boarding
	}
	return h.last, true
}

// quiet returns the last event of loan id's head when day on is one of
// the head's quiet days (headData.quietThrough); l.head is left at the
// head found.
func (c *headCache) quiet(id LoanID, on date.Date, l *loaded) (eventID, bool) {
	h, sh := c.locked(id, l)
	if h == nil {
		return eventID{}, false
	}
	defer sh.Unlock()
	if on <= h.quietAfter || on > h.quietThrough {
		return eventID{}, false
	}
	return h.last, true
}

// setQuiet records in loan id's head that a fold of loaded loan l's state
// with no further events reports nothing through through, when l's state
// is the head's: same last event, same date, same last day closed.
func (c *headCache) setQuiet(id LoanID, l *loaded, through date.Date) {
	h, sh := c.locked(id, l)
	if h == nil {
		return
	}
	defer sh.Unlock()
	if h.last.seq != l.version || h.state.AsOf != l.state.AsOf || h.state.LastDayClosed != l.state.LastDayClosed {
		return
	}
	h.quietAfter, h.quietThrough = max(h.state.AsOf, h.state.LastDayClosed), through
}

// locked returns loan id's head with its shard locked (the caller unlocks
// it), the one l.head hints at when it is still the loan's, and leaves
// l.head at it; nil, with nothing locked, when the loan has none.
func (c *headCache) locked(id LoanID, l *loaded) (*head, *headShard) {
	if c.perShard == 0 {
		return nil, nil
	}
	sh := c.shard(id)
	sh.Lock()
	h := sh.lookup(id, l.head)
	if h == nil {
		sh.Unlock()
		return nil, nil
	}
	l.head = h
	return h, sh
}

// lookup is loan id's head in shard sh (nil when none), which is hint
// when the hint is still the loan's head. The caller holds sh's lock.
func (sh *headShard) lookup(id LoanID, hint *head) *head {
	if hint != nil && hint.home == sh && hint.id == id {
		return hint
	}
	return sh.m[id]
}

// portfolioHints is the table of head hints, by position, for a portfolio
// end of day over n loans (nil when the engine keeps no heads): the last
// such day's when it was over as many loans, else a new one. Each hint is
// checked before it is used (headShard.lookup), so a table shared by calls over
// other loans only misses. A hint may keep a head the cache has dropped
// alive (never used again) until the next day replaces it.
func (c *headCache) portfolioHints(n int) []atomic.Pointer[head] {
	if c.perShard == 0 || n == 0 {
		return nil
	}
	c.hintsMu.Lock()
	defer c.hintsMu.Unlock()
	if len(c.hints) != n {
		c.hints = make([]atomic.Pointer[head], n)
	}
	return c.hints
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
	if !h.domainOK || h.domainFrom > l.base.AsOf || !allAfter(l.after, l.base.AsOf) {
		return false // (events on the base's own day report domain events dated on it)
	}
	l.state, l.carry = h.state, h.carry
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
	if h := sh.m[id]; h != nil {
		h.id = "" // no hint finds it again
		c.snapped.Add(-int64(len(h.snaps)))
		c.reported.Add(-int64(len(h.domain)))
		c.held.Add(-1)
		delete(sh.m, id)
	}
	sh.Unlock()
}

// put records the state after a committed command: evs are the events it
// wrote onto loaded loan l, after the state they fold to, and checkpointed
// whether the batch saved a checkpoint of it. A full shard forgets one
// other loan's head and reuses its memory. l.head is left at the loan's
// head (a hint to it, as in get).
func (c *headCache) put(id LoanID, l *loaded, evs []loan.Event, after *loan.State, domain []loan.DomainEvent, checkpointed bool) {
	if c.perShard == 0 || len(evs) == 0 {
		return
	}
	sh := c.shard(id)
	sh.Lock()
	defer sh.Unlock()
	h := sh.lookup(id, l.head)
	if h == nil {
		if sh.m == nil {
			sh.m = make(map[LoanID]*head, min(c.perShard, 1024))
		}
		if c.held.Add(1) > c.limit.Load() {
			c.held.Add(-1) // full: reuse one of this shard's heads
			for k, old := range sh.m {
				delete(sh.m, k)
				h = old
				break
			}
			if h == nil {
				return // this shard holds none: keep no head for the loan
			}
		} else {
			h = &head{home: sh}
		}
		c.snapped.Add(-int64(len(h.snaps)))
		c.reported.Add(-int64(len(h.domain)))
		h.headData = headData{id: id} // another loan's, or new: it holds nothing of this one
		sh.m[id] = h
	}
	l.head = h
	dom, from, ok := nextDomain(h, l, evs, after, domain)
	if d := int64(len(dom) - len(h.domain)); d > 0 && c.reported.Load()+d > maxDomainEvents {
		dom, from, ok = nil, 0, false // over the engine's budget
	}
	c.reported.Add(int64(len(dom) - len(h.domain)))
	h.domain, h.domainFrom, h.domainOK = dom, from, ok
	snaps := nextSnaps(h, l, evs)
	if d := int64(len(snaps) - len(h.snaps)); d > 0 && c.snapped.Load()+d > maxSnapStates {
		snaps = snaps[:0] // over the engine's budget: keep none for this loan
	}
	c.snapped.Add(int64(len(snaps) - len(h.snaps)))
	h.snaps = snaps
	h.last = idOf(&evs[len(evs)-1])
	h.state, h.carry = *after, l.next
	h.quietAfter, h.quietThrough = 0, 0 // learnt of the state replaced
	h.cpVer = l.cpVer
	if checkpointed {
		h.cpVer = h.last.seq
	}
	old := h.boarding
	h.terms, h.boarding = l.terms, nil
	switch {
	case h.terms != nil:
	case evs[0].Kind == loan.KindBoarded:
		h.boarding = ownEvent(old, &evs[0])
	case l.boarding != nil:
		h.boarding = ownEvent(old, l.boarding)
	}
}

// ownEvent is the head's own copy of event ev: old, when ev is it (the
// command loaded the head and shares its copy), else a new copy (ev may
// live in a buffer its reader reuses).
func ownEvent(old, ev *loan.Event) *loan.Event {
	if ev == old {
		return old
	}
	c := *ev
	return &c
}

// nextSnaps is the head's snapshots after a command that wrote evs onto
// loaded loan l, while h is still the head before it: those of the head
// (when it was the log as loaded) dated before the command's event — on
// or before its base for a backdated one, whose fold adds its own
// (l.snaps) — thinned to maxSnaps.
func nextSnaps(h *head, l *loaded, evs []loan.Event) []loan.State {
	held := l.current && h.last.seq == l.version
	if evs[0].Kind == loan.KindBoarded || !held && l.snaps == nil {
		return nil
	}
	cut := evs[0].EffectiveOn - 1
	if l.refolded {
		cut = l.base.AsOf
	}
	out := l.snaps
	if held {
		// In the head's own array (only the head holds it, and put holds
		// the shard's lock): kept ones move down, the fold's come after.
		out = h.snaps[:0]
		for i := range h.snaps {
			if h.snaps[i].AsOf <= cut {
				out = append(out, h.snaps[i])
			}
		}
		out = append(out, l.snaps...)
	}
	for len(out) > maxSnaps {
		keep := out[:0]
		for i := range out {
			if i%2 == 1 || i == len(out)-1 {
				keep = append(keep, out[i])
			}
		}
		out = keep
	}
	return out
}

// snapshot returns the latest of loan id's head snapshots on or after l's
// base and on or before day, when the head is the log as loaded.
func (c *headCache) snapshot(id LoanID, l *loaded, day date.Date) (loan.State, bool) {
	if c.perShard == 0 || len(l.after) == 0 {
		return loan.State{}, false
	}
	sh := c.shard(id)
	sh.Lock()
	defer sh.Unlock()
	h := sh.m[id]
	if h == nil || h.last != idOf(&l.after[len(l.after)-1]) || h.last.seq != l.version {
		return loan.State{}, false
	}
	for i := len(h.snaps) - 1; i >= 0; i-- {
		if s := &h.snaps[i]; s.AsOf <= day && s.AsOf > l.base.AsOf {
			return *s, true
		}
	}
	return loan.State{}, false
}

// foldPieces folds all onto l.base through asOf as loan.Fold does (all is
// the caller's copy of the events, which it may reorder); when
// the events are many and the engine keeps heads, it folds them in pieces
// of about snapEvery or more events, each ending at the end of a day no
// reversal reaches across (the payment and its reversal fold in one
// piece), and keeps the state after each piece in l.snaps. Each piece
// continues from what the one before built (loan.FoldCarry), and what the
// last built is kept for the head (l.next).
func (e *Engine) foldPieces(l *loaded, all []loan.Event, asOf date.Date) (loan.State, []loan.DomainEvent, error) {
	every := e.pieceEvents
	if e.heads.perShard == 0 || len(all) < 2*every {
		after, dom, c, err := loan.FoldCarry(l.base, loan.Carry{}, all, asOf)
		l.next = c
		return after, dom, err
	}
	all = foldOrder(all, true) // the caller's copy of the events, its to reorder
	step := max(every, len(all)/maxSnaps)
	st, i := l.base, 0
	var now []loan.DomainEvent
	var c loan.Carry
	l.snaps = make([]loan.State, 0, len(all)/step)
	for j := i + step; j < len(all)-every; {
		day := all[j-1].EffectiveOn
		for j < len(all) && all[j].EffectiveOn == day {
			j++
		}
		if j >= len(all)-every {
			break
		}
		if reversedAcross(all[j:], day) {
			j++ // a payment and its reversal fold in one piece: try the next day
			continue
		}
		var dom []loan.DomainEvent
		var err error
		if st, dom, c, err = loan.FoldCarry(st, c, all[i:j], day); err != nil {
			return loan.State{}, nil, err
		}
		now = append(now, dom...)
		l.snaps = append(l.snaps, st)
		i, j = j, j+step
	}
	after, dom, c, err := loan.FoldCarry(st, c, all[i:], asOf)
	if err != nil {
		return loan.State{}, nil, err
	}
	l.next = c
	return after, append(now, dom...), nil
}

// allAfter reports whether every event of evs is effective after day.
func allAfter(evs []loan.Event, day date.Date) bool {
	for i := range evs {
		if evs[i].EffectiveOn <= day {
			return false
		}
	}
	return true
}

// foldOrder returns evs in the order a fold applies them: EffectiveOn,
// then Seq (unique, so the order is total). Events already in that order
// come back as they are; when only the last is out of place (a backdated
// command's event after the rest of its fold, in order) it is moved into
// place, in evs itself when the caller owns it (own) and in a copy when
// not; otherwise it sorts small pointer-free keys and moves each event once
// into a copy. The caller must not change evs while it uses the result.
func foldOrder(evs []loan.Event, own bool) []loan.Event {
	n := len(evs)
	sorted := 1
	for sorted < n && cmpFold(&evs[sorted-1], &evs[sorted]) < 0 {
		sorted++
	}
	if sorted >= n {
		return evs
	}
	if sorted == n-1 {
		last := evs[n-1]
		at := sort.Search(n-1, func(i int) bool { return cmpFold(&last, &evs[i]) < 0 })
		if own {
			copy(evs[at+1:], evs[at:n-1])
			evs[at] = last
			return evs
		}
		out := make([]loan.Event, 0, n)
		return append(append(append(out, evs[:at]...), last), evs[at:n-1]...)
	}
	if out, ok := foldOrderByDay(evs); ok {
		return out
	}
	type key struct {
		on  date.Date
		seq int64
		i   int
	}
	keys := make([]key, len(evs))
	for i := range evs {
		keys[i] = key{evs[i].EffectiveOn, evs[i].Seq, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.on, b.on); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]loan.Event, len(evs))
	for j, k := range keys {
		out[j] = evs[k.i]
	}
	return out
}

// foldOrderByDay is foldOrder's copy by a counting sort on EffectiveOn, for
// events in Seq order (a log as read) over a span of days not much longer
// than their number: counting keeps each day's events in the order they
// come, so in Seq order. It reports false, doing nothing, for other input.
func foldOrderByDay(evs []loan.Event) ([]loan.Event, bool) {
	n := len(evs)
	lo, hi := evs[0].EffectiveOn, evs[0].EffectiveOn
	for i := 1; i < n; i++ {
		if evs[i].Seq <= evs[i-1].Seq {
			return nil, false
		}
		lo, hi = min(lo, evs[i].EffectiveOn), max(hi, evs[i].EffectiveOn)
	}
	if span := hi - lo; span < 0 || span >= date.Date(4*n+64) {
		return nil, false
	}
	start := make([]int, hi-lo+2) // start[d+1]: events on day lo+d, then where day lo+d starts
	for i := range evs {
		start[evs[i].EffectiveOn-lo+1]++
	}
	for d := 1; d < len(start); d++ {
		start[d] += start[d-1]
	}
	out := make([]loan.Event, n)
	for i := range evs {
		d := evs[i].EffectiveOn - lo
		out[start[d]] = evs[i]
		start[d]++
	}
	return out, true
}

// cmpFold orders two events as a fold applies them (EffectiveOn, then Seq).
func cmpFold(a, b *loan.Event) int {
	if c := cmp.Compare(a.EffectiveOn, b.EffectiveOn); c != 0 {
		return c
	}
	return cmp.Compare(a.Seq, b.Seq)
}

// reversedAcross reports whether an event of rest (the events after day)
// reverses a payment effective on or before day.
func reversedAcross(rest []loan.Event, day date.Date) bool {
	for k := range rest {
		if r, ok := rest[k].Payload.(loan.PaymentReversed); ok && r.PaymentEffectiveOn <= day {
			return true
		}
	}
	return false
}

// nextDomain is the head's domain events after a command that wrote evs
// onto loaded loan l (domain: the command's own, as reported), while h is
// still the head before it: the boarding's; a backdated command's new
// history from its base on, after the old history's events up to that
// base when the head held them; a command dated on or after the head's
// state, its own events after the head's; nothing when the head was not
// the log as loaded or the list would pass its bound.
func nextDomain(h *head, l *loaded, evs []loan.Event, after *loan.State, domain []loan.DomainEvent) ([]loan.DomainEvent, date.Date, bool) {
	held := l.current && h.domainOK && h.last.seq == l.version
	switch {
	case evs[0].Kind == loan.KindBoarded:
		if len(domain) > maxHeadDomain {
			return nil, 0, false
		}
		return slices.Clip(domain), evs[0].Payload.(loan.Boarded).Terms.FundingDate - 1, true
	case l.refolded:
		from := l.base.AsOf
		if !allAfter(l.after, from) || evs[0].EffectiveOn <= from {
			return nil, 0, false // the new history's list would hold days it shares with the old
		}
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
	case held && evs[0].EffectiveOn >= l.state.AsOf && len(h.domain)+len(domain) <= maxHeadDomain:
		return append(h.domain, domain...), h.domainFrom, true // h's own list: no one else holds it
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
	return e.headCurrent(ctx, id, last, scratch)
}

// headCurrent reports whether loan id's log still ends at last, its head's
// last event (and drops the head when it does not): the log from that
// event on is exactly that event when nobody else wrote to the loan.
func (e *Engine) headCurrent(ctx context.Context, id LoanID, last eventID, scratch *[]loan.Event) (bool, error) {
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

// quietHorizon is the most days past an end of day quietAhead looks;
// it looks twice as far as the head's state is behind the day, and at
// least quietMinHorizon days, so a look ahead costs at most a few times the
// fold of the day itself (a delinquent loan's fold lists notices day by
// day).
const (
	quietHorizon    = 31
	quietMinHorizon = 8
)

// quietDay answers a portfolio end of day on a day-close store (nothing to
// write for a quiet day) without a fold, when loan id's head knows day on
// to be quiet and the store's log still ends at the head's last event: the
// result of the fold that would report nothing.
func (e *Engine) quietDay(ctx context.Context, id LoanID, on date.Date, scratch *[]loan.Event, l *loaded) (Result, bool, error) {
	last, ok := e.heads.quiet(id, on, l)
	if !ok {
		return Result{}, false, nil
	}
	if ok, err := e.headCurrent(ctx, id, last, scratch); !ok || err != nil {
		if err != nil {
			err = fmt.Errorf("load loan %q events from its head: %w", id, err)
		}
		return Result{}, false, err
	}
	if e.quietAnswered != nil {
		e.quietAnswered.Add(1)
	}
	return Result{Loan: id, Version: last.seq, Events: []loan.Event{}, Domain: []loan.DomainEvent{}}, true, nil
}

// quietAhead reports whether end of day on (on or after loaded loan l's
// state) is quiet by asking the fold (loan.FoldCarry) of l's state with no
// further events through some days later: quiet when that fold reports no
// domain event dated on or before on. It keeps in the loan's head, when l's
// state is the head's, the days before the first event the fold reports.
// The fold, not the engine, decides what a day reports (a day-close marker
// changes nothing a domain event reads); this asks it once for the days
// ahead and remembers its answer for a log that has not changed. A loan
// without a head state takes the usual fold of its day.
func (e *Engine) quietAhead(id LoanID, l *loaded, on date.Date) bool {
	if e.noQuiet || l.head == nil || on < l.state.AsOf || on > date.Max()-quietHorizon {
		return false
	}
	through := on + min(quietHorizon, max(quietMinHorizon, 2*(on-l.state.AsOf)))
	_, dom, _, err := loan.FoldCarry(l.state, l.carry, nil, through)
	if err != nil {
		return false
	}
	for _, d := range dom {
		through = min(through, d.On-1)
	}
	if through < on {
		return false
	}
	e.heads.setQuiet(id, l, through)
	return true
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

// foldOnto folds a command's events onto loaded loan l's state (dated on
// or after it: nothing to refold), starting from what the fold that gave
// the state built (l.carry) and keeping what this one builds for the
// head (l.next).
func (e *Engine) foldOnto(l *loaded, evs []loan.Event, asOf date.Date) (loan.State, []loan.DomainEvent, error) {
	after, domain, c, err := loan.FoldCarry(l.state, l.carry, evs, asOf)
	l.next = c
	return after, domain, err
}
