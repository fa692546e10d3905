package servicing

import (
	"context"
	"fmt"
	"sort"

	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// loaded is a loan as read from the store: the state folded from the best
// valid checkpoint and the events after it.
type loaded struct {
	base    loan.State   // checkpoint state (or the initial state; empty from a head, which serves no backdated command)
	after   []loan.Event // events after the checkpoint
	state   loan.State   // base folded with after, through its latest date
	version int64        // last Seq read
	cpVer   int64        // version of the checkpoint used
	// domain are the domain events of folding after onto base (a command
	// that changes history reports what it changed of them).
	domain []loan.DomainEvent
	// terms is the canonical encoding of the loan's terms, when read from
	// a checkpoint: terms never change in a fold, so a new checkpoint
	// reuses these bytes. A loan folded from boarding has none until it
	// writes its first checkpoint (termsFor).
	terms []byte
	// boarding is the first event, when the loan was folded from it.
	boarding *loan.Event
	// current is true when the engine's head state for the loan is the
	// log as loaded (its last event is the log's), so its domain events
	// describe this history.
	current bool
	// now are the domain events, dated after base, of the history with
	// the command's event, when the command folded from base (refolded:
	// backdated, or a reversal).
	now      []loan.DomainEvent
	refolded bool
	// snaps are states of that history at the end of days after base
	// (foldPieces), for the head.
	snaps []loan.State
	// carry is what the fold that gave state built (loan.Carry), and
	// next what the command's fold onto state built, for the head.
	carry, next loan.Carry
	// head, when set, is a hint to the loan's head in the engine's cache
	// (headCache.get, put), checked before it is used.
	head *head
}

// load reads loan id starting from the latest checkpoint folded through
// notAfter or earlier, skipping stale checkpoints (those followed by an
// event effective before their date, or by a reversal of a payment they
// hold). A non-nil scratch is a buffer the events are read into, when the
// store is an EventAppender; the loaded value then shares it. The loan is
// loaded into l (a large value, not copied on return).
func (e *Engine) load(ctx context.Context, id LoanID, notAfter date.Date, scratch *[]loan.Event, l *loaded) error {
	if ok, err := e.fromHead(ctx, id, notAfter, scratch, l); ok || err != nil {
		if err != nil {
			return fmt.Errorf("load loan %q events from its head: %w", id, err)
		}
		return nil
	}
	on := notAfter // the command's checkpoint date, before any fallback
	for try := 0; ; try++ {
		if try == 8 {
			notAfter = 0 // give up on checkpoints: fold the whole log
		}
		cp, _, err := e.store.LoadCheckpoint(ctx, id, notAfter)
		if err != nil {
			return fmt.Errorf("load loan %q: %w", id, err)
		}
		var evs []loan.Event
		if ap, ok := e.store.(EventAppender); ok && scratch != nil {
			evs, err = ap.AppendEvents(ctx, id, cp.Version+1, (*scratch)[:0])
			*scratch = evs
		} else {
			evs, err = e.store.Events(ctx, id, cp.Version+1)
		}
		if err != nil {
			return fmt.Errorf("load loan %q events from %d: %w", id, cp.Version+1, err)
		}
		var base loan.State
		if cp.Version == 0 {
			if len(evs) == 0 || evs[0].Kind != loan.KindBoarded {
				return fmt.Errorf("%w: loan %q does not start with a boarding event", loan.ErrInvalidEvent, id)
			}
			base = loan.Initial(evs[0].Payload.(loan.Boarded).Terms)
		} else {
			if len(cp.State) > 0 && cp.State[0] != loan.EncodingVersion && notAfter != 0 {
				// A checkpoint from another encoding version (an older
				// release) is only a cache: fold the whole log instead.
				notAfter = 0
				continue
			}
			if err := e.terms.decode(cp.State, &base); err != nil {
				// An unreadable checkpoint is only a lost cache: report it
				// and fold the whole log.
				e.report(&CheckpointError{Loan: id, Version: cp.Version, Err: err})
				notAfter = 0
				continue
			}
			if back, stale := staleBefore(cp, &base, evs); stale {
				notAfter = back
				continue
			}
		}
		*l = loaded{base: base, after: evs, version: cp.Version + int64(len(evs)), cpVer: cp.Version, head: l.head}
		if cp.Version == 0 {
			l.boarding = &evs[0]
		}
		if cp.Version != 0 {
			l.terms = loan.TermsEncoding(cp.State)
		}
		through := base.AsOf
		for _, ev := range evs {
			through = max(through, ev.EffectiveOn)
		}
		if !e.noSplit && on < through {
			if err := e.splitBefore(id, l, on); err != nil {
				return fmt.Errorf("loan %q: %w", id, err)
			}
		}
		if len(l.after) == 0 {
			l.state = l.base
		} else if !e.heads.known(id, evs, l) {
			if l.state, l.domain, l.carry, err = loan.FoldCarry(l.base, loan.Carry{}, l.after, through); err != nil {
				return fmt.Errorf("loan %q: %w", id, err)
			}
		}
		return nil
	}
}

// endOfDayThreshold reports whether state s, folded through the end of day,
// took a ladder threshold at the end of that day (non-accrual, or a
// charge-off on it): the threshold counts the day's receipts, so a receipt
// dated that day and recorded later must be folded before it, from an
// earlier state.
func endOfDayThreshold(s *loan.State, day date.Date) bool {
	return s.Terms.Ladder && s.Rules >= 2 && (s.Status == loan.StatusNonAccrual ||
		s.Status == loan.StatusChargedOff && s.ClosedOn == day)
}

// staleBefore reports whether events after cp (whose state is base)
// invalidate it, and the date a valid checkpoint must not pass. An event
// dated the checkpoint's own day is stale for it when the state took a
// ladder threshold at the end of that day (non-accrual or charge-off: the
// day's receipts count first, and one recorded later might have kept the
// loan below it).
func staleBefore(cp Checkpoint, base *loan.State, evs []loan.Event) (date.Date, bool) {
	back, stale := cp.Through, false
	endOfDay := endOfDayThreshold(base, cp.Through)
	for _, ev := range evs {
		if ev.EffectiveOn < cp.Through || endOfDay && ev.EffectiveOn == cp.Through {
			back, stale = min(back, ev.EffectiveOn), true
		}
		if r, ok := ev.Payload.(loan.PaymentReversed); ok && r.PaymentSeq <= cp.Version {
			back, stale = min(back, r.PaymentEffectiveOn-1), true
		}
	}
	if back == cp.Through {
		back-- // same-date staleness: step before it
	}
	return back, stale
}

// splitBefore moves l's base forward to the end of the day before on, for
// a command dated on that is backdated into the events after the
// checkpoint: those events are folded twice (as they stand, for the domain
// events the command may change, and with the command's event), so the
// ones before its date are folded once, into the base both folds start
// from. The base is then an in-memory checkpoint through on−1, valid as a
// stored one would be: every event left after it is effective after its
// date, and none reverses a payment folded into it (the split moves before
// such a payment). Without events on both sides l is unchanged.
//
// When the engine's head for the loan is the log as read and holds a state
// of it through a day between the base and the split, the fold starts from
// that state instead.
func (e *Engine) splitBefore(id LoanID, l *loaded, on date.Date) error {
	split := on - 1
	for again := true; again; {
		again = false
		for i := range l.after {
			ev := &l.after[i]
			if r, ok := ev.Payload.(loan.PaymentReversed); ok && ev.EffectiveOn > split && r.PaymentEffectiveOn <= split {
				split, again = r.PaymentEffectiveOn-1, true
			}
		}
	}
	before := 0
	for i := range l.after {
		if l.after[i].EffectiveOn <= split {
			before++
		}
	}
	if before == 0 || before == len(l.after) || split < l.base.AsOf {
		return nil
	}
	// In fold order the events on or before split are the first before,
	// those after a snapshot's date a run of them, and both folds below
	// take their events as they come.
	from, all := l.base, foldOrder(l.after, false)
	pre := all[:before]
	if snap, ok := e.heads.snapshot(id, l, split); ok {
		from = snap
		pre = pre[sort.Search(len(pre), func(i int) bool { return pre[i].EffectiveOn > snap.AsOf }):]
	}
	mid, _, err := loan.Fold(from, pre, split) // the events after split wait
	if err != nil {
		return err
	}
	l.base, l.after = mid, all[before:len(all):len(all)]
	return nil
}
