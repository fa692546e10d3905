package delinquency

import (
	"slices"

	"github.com/rickb777/date/v2"
)

// PauseCalendar counts days toward delinquency around pause periods: the
// one rule for "days past due do not advance while a loan is paused", used
// by [Evaluator] and by hosts that schedule work on DPD thresholds (a
// servicing engine's charge-off or non-accrual day). The zero value has no
// pauses: every day counts.
type PauseCalendar struct {
	merged []span // pauses merged into disjoint spans, sorted
}

// NewPauseCalendar returns the calendar of pauses (in any order; they may
// overlap or touch).
func NewPauseCalendar(pauses []Pause) PauseCalendar {
	if len(pauses) == 0 {
		return PauseCalendar{}
	}
	ps := slices.Clone(pauses)
	slices.SortStableFunc(ps, func(a, b Pause) int { return int(a.From - b.From) })
	var c PauseCalendar
	for _, p := range ps {
		if p.To <= p.From {
			continue
		}
		if k := len(c.merged) - 1; k >= 0 && p.From <= c.merged[k].to {
			c.merged[k].to = max(c.merged[k].to, p.To)
			continue
		}
		c.merged = append(c.merged, span{p.From, p.To})
	}
	return c
}

// Days counts the days of [a, b) outside every pause (0 when b ≤ a): the
// days past due on b of an installment due on a.
func (c PauseCalendar) Days(a, b date.Date) int {
	if b <= a {
		return 0
	}
	days := int(b - a)
	for _, s := range c.merged {
		lo, hi := max(s.from, a), min(s.to, b)
		if hi > lo {
			days -= int(hi - lo)
		}
	}
	return days
}

// Reached returns the first date t with Days(s, t) == n, for n ≥ 0: the
// day an installment due on s reaches n days past due if nothing is paid.
func (c PauseCalendar) Reached(s date.Date, n int) date.Date {
	cur, need := s, date.Date(n)
	for _, p := range c.merged {
		if p.to <= cur {
			continue
		}
		if p.from > cur {
			if gap := p.from - cur; gap >= need {
				return cur + need
			}
			need -= p.from - cur
		}
		cur = p.to
	}
	return cur + need
}

// Paused reports whether day d lies inside a pause.
func (c PauseCalendar) Paused(d date.Date) bool {
	for _, s := range c.merged {
		if s.from > d {
			return false
		}
		if d < s.to {
			return true
		}
	}
	return false
}
