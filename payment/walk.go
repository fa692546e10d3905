package payment

import (
	"fmt"

	"github.com/lendcore/servicing/money"
)

// walk runs the order's buckets as runs of equal timing. With onlyAdvance it
// runs only the in-advance runs (pay-ahead after an extra-money method);
// otherwise it runs every run, in-advance ones only when withAdvance.
func (e *waterfall) walk(withAdvance, onlyAdvance bool, via uint8) {
	e.scope.advance, e.scope.other = withAdvance || onlyAdvance, !onlyAdvance
	ord := e.order
	for _, r := range ord.runs[:ord.nRuns] {
		if (r.t == tInAdvance && (withAdvance || onlyAdvance)) || (r.t != tInAdvance && !onlyAdvance) {
			e.run(int(r.i), int(r.j), r.t, via)
		}
	}
}

// run applies buckets codes[i:j], all of timing t.
func (e *waterfall) run(i, j int, t uint8, via uint8) {
	codes := &e.order.codes
	if t == tInAdvance && e.order.future == Reamortize {
		for k := i; k < j; k++ {
			e.spread(k, codes[k]%nComponents, via)
		}
		return
	}
	// The run's bucket codes as a mask: units holding none of them are
	// skipped without looking at their items.
	var mask uint16
	for k := i; k < j; k++ {
		mask |= 1 << codes[k]
	}
	if e.mask&mask == 0 {
		return // nothing owed in these buckets
	}
	first := e.firstOpen(t)
	n := len(e.units)
	if e.order.processing == Horizontal {
		for p := 0; p < n; p++ {
			u := e.unitAt(p, t, first)
			if e.units[u].mask&mask == 0 {
				continue
			}
			for k := i; k < j; k++ {
				e.payUnit(u, k, t, via, true)
			}
		}
		return
	}
	for k := i; k < j; k++ {
		for p := 0; p < n; p++ {
			e.payUnit(e.unitAt(p, t, first), k, t, via, true)
		}
	}
}

// firstOpen is the earliest unit with an open item of timing t (-1 if none);
// the "next" installment of NextThenLast.
func (e *waterfall) firstOpen(t uint8) int {
	if t != tInAdvance || e.order.future != NextThenLast {
		return -1
	}
	for i := range e.items {
		if it := &e.items[i]; it.timing == t && it.open > 0 {
			return int(it.unit)
		}
	}
	return -1
}

// unitAt is the p-th unit to visit for timing t: oldest first, except that
// in-advance units follow the future rule.
func (e *waterfall) unitAt(p int, t uint8, first int) int {
	n := len(e.units)
	if t != tInAdvance {
		return p
	}
	switch e.order.future {
	case LastInstallment:
		return n - 1 - p
	case NextThenLast:
		if first < 0 {
			return n - 1 - p
		}
		if p == 0 {
			return first
		}
		u := n - p // n-1, n-2, ... skipping first
		if u <= first {
			u--
		}
		return u
	}
	return p
}

// payUnit pays the items of unit u that fall in bucket codes[k].
func (e *waterfall) payUnit(u, k int, t uint8, via uint8, gate bool) {
	code := e.order.codes[k]
	un := &e.units[u]
	if un.mask&(1<<code) == 0 {
		return
	}
	c := code % nComponents
	for i := un.first; i < un.end; i++ {
		it := &e.items[i]
		if it.comp == c && it.timing == t && it.open > 0 {
			e.pay(it, k, via, gate)
		}
	}
}

// pay applies as much as it may to one item. Under a gated partial policy a
// periodic component of an installment takes money only from that
// installment's reserve, set aside in full (less the tolerance) the first
// time the installment is touched; if the money cannot cover it, the
// waterfall stops.
func (e *waterfall) pay(it *item, k int, via uint8, gate bool) {
	u := &e.units[it.unit]
	var amt int64
	if gate && e.gate.on && !e.gate.off && !u.standalone && periodicCode(it.comp) {
		if !u.released {
			if e.gate.stopped || e.free == 0 {
				return
			}
			need := e.need(u)
			if e.free+e.pol.tol < need {
				e.gate.stopped, e.gate.held, e.gate.need = true, it.unit, need
				return
			}
			r := min(e.free, need)
			e.free -= r
			u.reserve, u.released = r, true
			e.short += need - r
		}
		amt = min(u.reserve, it.open)
		u.reserve -= amt
	} else {
		if e.gate.stopped {
			return
		}
		amt = min(e.free, it.open)
		e.free -= amt
	}
	if amt == 0 {
		return
	}
	it.open -= amt
	e.addLine(it, amt, k, via)
}

// need is what the unit's periodic components still owe, counting only the
// timings the current walk visits (so a reserve is always used up).
func (e *waterfall) need(u *unit) int64 {
	var s int64
	for i := u.first; i < u.end; i++ {
		it := &e.items[i]
		if periodicCode(it.comp) && (it.timing == tInAdvance && e.scope.advance || it.timing != tInAdvance && e.scope.other) {
			s += it.open
		}
	}
	return s
}

// addLine records amt paid to it by step k+1 through via. A repeat payment
// of the same item by the same step and mechanism (later rounds of a spread,
// the pay-ahead walks) adds to its line. Lines for one item come in phases
// (order, then the extra-money method, then pay-ahead) and an item's step is
// fixed by its bucket, so only the item's latest line can match.
func (e *waterfall) addLine(it *item, amt int64, k int, via uint8) {
	if it.timing == tInAdvance {
		e.advance += amt
		if it.comp == cPrincipal {
			e.advPrin += amt
		}
	}
	if n := int(it.line); n >= e.mergeFrom {
		if l := &e.lines[n]; l.k == uint8(k) && l.via == via {
			l.amount += amt
			return
		}
	}
	n := len(e.lines)
	if n == cap(e.lines) {
		// Grow by hand: append through e would make the escape analysis
		// move the stack scratch space to the heap.
		grown := make([]line, n, 2*n+8)
		copy(grown, e.lines)
		e.lines = grown
	}
	e.lines = e.lines[:n+1]
	e.lines[n] = line{amount: amt, idx: it.idx, k: uint8(k), via: via}
	it.line = int32(n)
}

// spread divides the free money evenly over every in-advance item of
// component c (Reamortize and ExtraRecast): each round gives each open item an
// equal share, the first ones one minor unit more, capped at what it owes;
// rounds repeat until the money or the items run out (at most one round per
// item, since each round but the last fills at least one item).
func (e *waterfall) spread(k int, c uint8, via uint8) {
	e.mergeFrom = len(e.lines)
	defer func() { e.mergeFrom = len(e.lines) }()
	for e.free > 0 && !e.gate.stopped {
		var cnt int64
		for i := range e.items {
			if it := &e.items[i]; it.comp == c && it.timing == tInAdvance && it.open > 0 {
				cnt++
			}
		}
		if cnt == 0 {
			return
		}
		share, rem := e.free/cnt, e.free%cnt
		var pos int64
		for i := range e.items {
			it := &e.items[i]
			if it.comp != c || it.timing != tInAdvance || it.open == 0 {
				continue
			}
			give := share
			if pos < rem {
				give++
			}
			pos++
			give = min(give, it.open)
			if give == 0 {
				continue
			}
			it.open -= give
			e.free -= give
			e.addLine(it, give, k, via)
		}
	}
}

// extra applies money beyond everything due by method m.
func (e *waterfall) extra(m Extra) {
	k := int(e.order.rank[tInAdvance*nComponents+cPrincipal])
	switch m {
	case ExtraCurtail, ExtraReduceTerm:
		via := vCurtail
		if m == ExtraReduceTerm {
			via = vReduceTerm
		}
		for u := len(e.units) - 1; u >= 0 && e.free > 0; u-- {
			e.payUnit(u, k, tInAdvance, via, false)
		}
	case ExtraRecast:
		e.spread(k, cPrincipal, vRecast)
	}
}

// outcome fills Open and the extra-money decision.
func (e *waterfall) outcome(a *Allocation, m Extra) {
	if n := len(e.items); cap(a.Open) >= n && a.Open != nil {
		a.Open = a.Open[:n]
	} else {
		a.Open = make([]money.Amount, n)
	}
	var principal int64
	remaining := 0
	for ui := range e.units {
		u := &e.units[ui]
		owes := false
		for i := u.first; i < u.end; i++ {
			it := &e.items[i]
			a.Open[it.idx] = e.amountOf(it.open, &e.in.Receivables[it.idx])
			if it.comp == cPrincipal {
				principal += it.open
				if it.timing == tInAdvance && it.open > 0 {
					owes = true
				}
			}
		}
		if owes {
			remaining++
		}
	}
	a.Extra.NewPrincipal = e.amount(principal)
	a.Extra.RemainingInstallments = remaining
	if a.Extra.Principal.IsPositive() {
		a.Extra.RecastNeeded = m == ExtraRecast && principal > 0
		a.Extra.ReduceTerm = m == ExtraReduceTerm
	}
}

// check verifies the invariants the doc promises; a failure is a bug.
func (e *waterfall) check(a *Allocation) error {
	var applied int64
	for i := range e.lines {
		if e.lines[i].amount <= 0 {
			return fmt.Errorf("%w: line %d amount %d minor units", ErrInvariant, i, e.lines[i].amount)
		}
		applied += e.lines[i].amount
	}
	in := a.Received.Minor() + a.SuspenseBefore.Minor()
	out := applied + a.Suspense.Minor() + a.Returned.Minor() + a.Credit.Minor()
	if in != out {
		return fmt.Errorf("%w: offered %d minor units, accounted for %d", ErrInvariant, in, out)
	}
	for i := range e.items {
		it := &e.items[i]
		orig := e.in.Receivables[it.idx].Open.Minor()
		if it.open < 0 || it.open > orig {
			return fmt.Errorf("%w: receivable %d open %d of %d", ErrInvariant, it.idx, it.open, orig)
		}
		if it.open > 0 && a.Credit.IsPositive() {
			return fmt.Errorf("%w: credit %s while receivable %d owes %d", ErrInvariant, a.Credit, it.idx, it.open)
		}
	}
	return nil
}
