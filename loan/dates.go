package loan

import (
	"errors"
	"fmt"
	"slices"

	"github.com/rickb777/date/v2"
)

// ReplayDates folds a loan's log to each of dates and returns the states
// in the dates' order, folding forward from one date to the next (as a
// checkpoint is continued) instead of from boarding each time. Each state
// equals Replay(terms, events, date) — a property test holds them equal —
// because a later date is replayed from boarding whenever the log between
// two dates reverses a payment the earlier fold applied. A date before the
// boarding takes effect gives Initial(terms).
func ReplayDates(terms Terms, events []Event, dates []date.Date) ([]State, error) {
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, cmpEvent)
	effective := make(map[int64]date.Date, len(evs))
	for _, ev := range evs {
		effective[ev.Seq] = ev.EffectiveOn
	}
	order := make([]int, len(dates))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(dates[a] - dates[b]) })
	out := make([]State, len(dates))
	var prev State
	folded := false // prev holds a fold, of evs[:next]
	next := 0
	for _, i := range order {
		d := dates[i]
		end := next
		for end < len(evs) && evs[end].EffectiveOn <= d {
			end++
		}
		var s State
		var err error
		if folded && !undoesFolded(evs[next:end], effective, prev.AsOf) {
			s, err = ReplayFrom(prev, evs[next:end], d)
		} else {
			s, err = Replay(terms, evs[:end], d)
		}
		if errors.Is(err, ErrBeforeBoarding) {
			out[i] = Initial(terms)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("replay to %s: %w", d, err)
		}
		out[i], prev, folded, next = s, s, true, end
	}
	return out, nil
}

// undoesFolded reports whether a reversal in window undoes a payment
// effective on or before through (one a fold to through applied).
func undoesFolded(window []Event, effective map[int64]date.Date, through date.Date) bool {
	for _, ev := range window {
		if r, ok := ev.Payload.(PaymentReversed); ok {
			if on, ok := effective[r.PaymentSeq]; ok && on <= through {
				return true
			}
		}
	}
	return false
}
