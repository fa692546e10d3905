package payment

import (
	"errors"
	"fmt"
	"slices"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// MaxReceivables bounds the receivables one allocation accepts, so sums of
// amounts can never overflow (see money.MaxMinor).
const MaxReceivables = 5000

// Input is one payment to allocate.
type Input struct {
	// On is the date the payment counts: the date it was received (Reg Z
	// §1026.36(c)(1)(i)), not the date it was posted.
	On date.Date
	// Amount is the money received, ≥ 0, in the loan currency. Zero is
	// allowed: it re-offers the suspense balance to the waterfall.
	Amount money.Amount
	// Type selects the order from the rules; required.
	Type TransactionType
	// Receivables are the loan's open items (see [Receivable]).
	Receivables []Receivable
	// Suspense is the unapplied money already held, ≥ 0; it joins Amount.
	Suspense money.Amount
	// Partial overrides the rules' partial-payment policy for this payment;
	// zero means use the rules.
	Partial Partial
	// Extra overrides the rules' extra-money method for this payment; zero
	// means use the rules.
	Extra Extra
}

// Via says which mechanism sent money to a receivable.
type Via string

const (
	// ViaOrder means the order's bucket ranking (the rule's Step says which).
	ViaOrder Via = "order"
	// ViaCurtail, ViaReduceTerm and ViaRecast mean the extra-money method.
	ViaCurtail    Via = "curtail"
	ViaReduceTerm Via = "reduce_term"
	ViaRecast     Via = "recast"
	// ViaPayAhead means money left after the extra-money method reached the
	// remaining future items through the order's in-advance buckets.
	ViaPayAhead Via = "pay_ahead"
)

// Rule identifies the rule that sent one amount where it went.
type Rule struct {
	// Order is the order's Name, or its transaction type when unnamed.
	Order string
	// Step is the 1-based rank of Bucket in the order's Buckets.
	Step int
	// Bucket is the bucket the receivable fell in on the payment date.
	Bucket Bucket
	// Processing and Future are the order's settings that picked the
	// installment.
	Processing Processing
	Future     FutureRule
	// Via is the mechanism.
	Via Via
}

// AllocationLine is one amount applied to one receivable.
type AllocationLine struct {
	// Index is the receivable's index in Input.Receivables.
	Index int
	// Installment, Component, DueDate and Ref repeat the receivable's.
	Installment int
	Component   Component
	DueDate     date.Date
	Ref         string
	// Timing is the receivable's timing on the payment date.
	Timing Timing
	// Amount is what was applied, > 0.
	Amount money.Amount
	// Rule is why.
	Rule Rule
}

// Line is the former name of [AllocationLine].
//
// Deprecated: use AllocationLine.
type Line = AllocationLine

// ExtraOutcome reports the extra-money decision.
type ExtraOutcome struct {
	// Method is the method applied, or "" when no money went beyond what was
	// due.
	Method Extra
	// Principal is the future (in-advance) principal the payment paid.
	Principal money.Amount
	// NewPrincipal is every installment's open principal after the payment.
	NewPrincipal money.Amount
	// RemainingInstallments counts future installments still owing principal.
	RemainingInstallments int
	// RecastNeeded is true for ExtraRecast with principal still owing: the
	// host should recompute the payment over RemainingInstallments with
	// NewPrincipal (e.g. with amortize).
	RecastNeeded bool
	// ReduceTerm is true for ExtraReduceTerm: installments whose principal
	// reached zero are dropped from the schedule.
	ReduceTerm bool
}

// Allocation is the result of [Allocate]. Money is conserved exactly:
// Received + SuspenseBefore = Σ Lines + Suspense + Returned + Credit.
type Allocation struct {
	On   date.Date
	Type TransactionType
	// Received and SuspenseBefore are the money offered.
	Received       money.Amount
	SuspenseBefore money.Amount
	// Lines are the amounts applied, in the order they were applied.
	Lines []AllocationLine
	// Open is what each receivable still owes afterwards, index for index
	// with Input.Receivables.
	Open []money.Amount
	// Suspense is the unapplied balance held afterwards.
	Suspense money.Amount
	// Returned is money to send back (PartialReturn).
	Returned money.Amount
	// Credit is money beyond everything owed: a credit balance. It is
	// positive only when every receivable is paid.
	Credit money.Amount
	// Held names the installment that could not be paid in full when money
	// was held or returned (0 if none), and what it needed.
	HeldInstallment int
	HeldNeed        money.Amount
	// Shortfall is what installments accepted within the shortfall tolerance
	// still owe.
	Shortfall money.Amount
	// Partial is the partial-payment policy used.
	Partial Partial
	// Extra is the extra-money decision.
	Extra ExtraOutcome
}

// via codes, for the compact internal lines.
const (
	vOrder uint8 = iota
	vCurtail
	vReduceTerm
	vRecast
	vPayAhead
	nVias
)

var viaNames = [nVias]Via{ViaOrder, ViaCurtail, ViaReduceTerm, ViaRecast, ViaPayAhead}

// Stack buffers: an allocation with at most this many receivables (and
// lines) runs without heap scratch space.
const (
	smallItems = 32
	smallLines = 40
	smallInsts = 64
)

// item is a receivable in processing order.
type item struct {
	open       int64
	due        date.Date
	unitDue    date.Date
	inst       int
	idx        int32
	unit       int32
	line       int32 // the item's latest entry in waterfall.lines, -1 if none
	comp       uint8
	timing     uint8
	standalone bool
}

type unit struct {
	first, end int32 // items[first:end]
	inst       int
	reserve    int64
	mask       uint16 // bucket codes its items with money owed fall in
	standalone bool
	released   bool
}

// line is an AllocationLine before its text fields are filled in: pointer-free, so
// the waterfall writes no strings and the GC scans nothing.
type line struct {
	amount int64
	idx    int32
	k      uint8 // step − 1
	via    uint8
}

// policy is the rules' policies one allocation runs under, after the
// input's overrides. (The order travels apart: a struct holding both would
// make the escape analysis move a Compiled's orders to the heap, because the
// policy strings flow into the result.)
type policy struct {
	partial Partial
	extra   Extra
	tol     int64 // shortfall tolerance, minor units
}

// gate is the whole-installment gate of a gated partial policy (step 3 of
// Allocate).
type gate struct {
	on      bool  // the partial policy gates periodic components
	off     bool  // lifted for the final sweep
	stopped bool  // an installment could not be covered: the waterfall stopped
	held    int32 // the unit that stopped it, -1 if none
	need    int64 // what that unit needed
}

// walkScope is which timings the current walk visits, so an installment's
// reserve counts only items the walk will reach.
type walkScope struct{ advance, other bool }

// waterfall is one allocation in progress: the receivables as items grouped
// into units, the money not yet applied, and the lines written so far.
type waterfall struct {
	in    *Input
	order *compiled // the order for the payment's type
	pol   policy
	// The receivables, in processing order, and what load and build learn
	// about them.
	items   []item
	units   []unit
	maxInst int       // largest installment number
	mask    uint16    // union of the units' masks
	cycle   date.Date // the current cycle's due date (see CycleDueDate)
	// The money, in minor units.
	free    int64        // offered and neither applied nor reserved
	short   int64        // what installments accepted within the tolerance still owe
	advance int64        // applied to in-advance items
	advPrin int64        // of which principal
	zero    money.Amount // zero of the payment's currency
	one     money.Amount // one minor unit of it
	// The trace.
	lines     []line
	mergeFrom int // lines before this index take no more money (see addLine)
	gate      gate
	scope     walkScope
}

// Allocate decides where each cent of a payment goes. It validates rules and
// input first and returns ErrInvalidRules or ErrInvalidInput naming every bad
// field. The steps:
//
//  1. The money offered is Amount plus Suspense.
//  2. The order for Input.Type ranks the fifteen buckets. Buckets run in that
//     order; Horizontal takes each run of same-timing buckets installment by
//     installment, Vertical takes one bucket across installments. Past-due and
//     due installments are taken oldest first, future ones by the future rule.
//     Stand-alone charges sit among installments by date.
//  3. Unless the partial policy is PartialApply, an installment's periodic
//     components (principal, interest, escrow) take money only when the money
//     left covers all of them (less the shortfall tolerance); the first
//     installment that cannot be covered stops the waterfall and the rest is
//     held in suspense or returned. Suspense is therefore always less than the
//     installment it waits for, and it is applied as soon as it covers one
//     (Reg Z §1026.36(c)(1)(ii)).
//  4. In-advance buckets are used in step 2 only for ExtraPayAhead. Otherwise
//     money left after everything past due and due is paid goes to future
//     principal by the extra-money method, then to any other future items;
//     under ExtraHold it is held in suspense while anything is still owed.
//  5. Anything left is a credit balance.
//
// Allocate compiles the rules on every call (only the order Input.Type
// uses); see [Compiled] to do that once.
func Allocate(rules Rules, in Input) (Allocation, error) {
	var lr field.List
	var ord compiled
	rules.compile(&lr, in.Type, &ord, nil)
	var a Allocation
	err := allocate(&ord, policy{rules.Partial, rules.Extra, rules.ShortfallToleranceMinor}, &lr, &in, &a)
	return a, err
}

// Allocate is [Allocate] under the compiled rules: the same steps and the same
// result, without validating the rules again. It returns ErrInvalidRules for
// the zero Compiled and ErrInvalidInput naming every bad input field.
func (c Compiled) Allocate(in Input) (Allocation, error) {
	var a Allocation
	err := c.AllocateInto(&a, in)
	return a, err
}

// AllocateInto is [Compiled.Allocate] writing its result into *dst and
// reusing the capacity of dst.Lines and dst.Open, so a host that allocates
// payment after payment through one Allocation value allocates no memory once
// those slices are large enough. Whatever *dst held before is overwritten:
// copy out what you keep. On error *dst is left unchanged.
func (c Compiled) AllocateInto(dst *Allocation, in Input) error {
	var lr field.List
	if !c.ok {
		lr.Add("Rules", nil, field.ErrRequired, "compile the rules with Rules.Compile")
	}
	return allocate(c.orderFor(in.Type), policy{c.partial, c.extra, c.tol}, &lr, &in, dst)
}

// allocate validates the input (lr holds the rules' problems, if any), runs
// the waterfall by order ord under pol (the input's overrides applied here) and, unless
// an invariant fails, stores the result in *dst (reusing its slices).
func allocate(ord *compiled, pol policy, lr *field.List, in *Input, dst *Allocation) error {
	var li field.List
	validateFields(&li, in)
	n := len(in.Receivables)
	if n > MaxReceivables {
		li.Add("Input.Receivables", n, field.ErrOutOfRange, fmt.Sprintf("at most %d receivables", MaxReceivables))
		n = 0
	}
	// Scratch space lives in locals, not in the waterfall, so the waterfall
	// holds no pointers into itself and stays on the stack.
	var itemBuf [smallItems]item
	var unitBuf [smallItems]unit
	var lineBuf [smallLines]line
	var e waterfall
	if n <= smallItems {
		e.items, e.units = itemBuf[:n], unitBuf[:0:n]
	} else {
		e.items, e.units = make([]item, n), make([]unit, 0, n)
	}
	e.in = in
	e.load(&li) // validates the receivables while filling the items
	if lr.Len() > 0 || li.Len() > 0 {
		return errors.Join(lr.Err(ErrInvalidRules), li.Err(ErrInvalidInput))
	}
	if in.Partial != "" {
		pol.partial = in.Partial
	}
	if in.Extra != "" {
		pol.extra = in.Extra
	}
	partial, extra := pol.partial, pol.extra
	e.order, e.pol, e.gate.held = ord, pol, -1
	if ord.dueOnDate {
		e.cycle = in.On // only what falls due today is due
	}
	e.free = in.Amount.Minor() + in.Suspense.Minor()
	e.gate.on = partial != PartialApply
	e.zero = in.Amount.Sub(in.Amount)
	if n+2 <= smallLines {
		e.lines = lineBuf[:0]
	} else {
		e.lines = make([]line, 0, n)
	}
	e.build()
	e.walk(extra == ExtraPayAhead, false, vOrder)
	e.unreserve()
	z := e.zero
	a := Allocation{
		On: in.On, Type: in.Type, Received: in.Amount, SuspenseBefore: in.Suspense,
		Partial: partial, Suspense: z, Returned: z, Credit: z, HeldNeed: z,
	}
	held := false
	if !e.gate.stopped && e.free > 0 && extra == ExtraHold {
		held = e.owing()
	}
	if !e.gate.stopped && e.free > 0 && !held {
		e.extra(extra)
		if e.free > 0 && extra != ExtraPayAhead {
			e.walk(false, true, vPayAhead)
			e.unreserve()
		}
		if e.free > 0 && !e.gate.stopped {
			// Nothing is left waiting for a whole installment: whatever is
			// still owed (a tolerated shortfall, items of a mixed-timing
			// installment) is paid before anything becomes a credit.
			e.gate.off = true
			e.walk(true, false, vPayAhead)
		}
	}
	switch {
	case held:
		a.Suspense = e.amount(e.free)
	case e.gate.stopped:
		if partial == PartialReturn {
			a.Returned = e.amount(e.free)
		} else {
			a.Suspense = e.amount(e.free)
		}
		a.HeldInstallment = e.units[e.gate.held].inst
		a.HeldNeed = e.amount(e.gate.need)
	default:
		a.Credit = e.amount(e.free)
	}
	e.free = 0
	if e.advance > 0 || a.Credit.IsPositive() || held {
		a.Extra.Method = extra
	}
	a.Extra.Principal = e.amount(e.advPrin)
	a.Shortfall = e.amount(e.short)
	if err := e.check(&a); err != nil {
		return err
	}
	a.Lines = e.trace(dst.Lines)
	a.Open = dst.Open
	e.outcome(&a, extra)
	*dst = a
	return nil
}

// owing reports whether any receivable still owes money.
func (e *waterfall) owing() bool {
	for i := range e.items {
		if e.items[i].open > 0 {
			return true
		}
	}
	return false
}

// unreserve returns money set aside for installments but not used (their
// items of another timing were not reached) and lets the installments be
// weighed again on their open amounts.
func (e *waterfall) unreserve() {
	for i := range e.units {
		e.free += e.units[i].reserve
		e.units[i].reserve = 0
		e.units[i].released = false
	}
}

// amount turns minor units into money. Every value here is bounded by the
// validated Amount + Suspense or a receivable, so Mul cannot fail. Zero needs
// no arithmetic, and money.New's currency-table lookups run at most once per
// allocation, the first time a non-zero amount is built.
func (e *waterfall) amount(minor int64) money.Amount {
	if minor == 0 {
		return e.zero
	}
	if e.one.IsZero() {
		e.one, _ = money.New(1, e.in.Amount.Currency())
	}
	a, _ := e.one.Mul(minor)
	return a
}

// amountOf is amount(minor) for a receivable's money: r.Open itself when
// minor is all of it (the usual case: an item paid in full or untouched),
// which saves the multiplication.
func (e *waterfall) amountOf(minor int64, r *Receivable) money.Amount {
	if minor == r.Open.Minor() && minor != 0 {
		return r.Open // same minor units; a non-zero Open has the payment's currency
	}
	return e.amount(minor)
}

// trace turns the compact lines into Lines, in the order they were applied,
// reusing buf's capacity. The text fields all point at constant tables, the
// order's name and the receivables' own strings; they are stored field by
// field, which costs less than copying whole Lines into memory the garbage
// collector scans.
func (e *waterfall) trace(buf []AllocationLine) []AllocationLine {
	ord := e.order
	n := len(e.lines)
	if cap(buf) < n || buf == nil {
		buf = make([]AllocationLine, n) // never nil, even when empty, as before
	}
	out := buf[:n]
	for i := range e.lines {
		l := &e.lines[i]
		r := &e.in.Receivables[l.idx]
		code := ord.codes[l.k]
		o := &out[i]
		o.Index, o.Installment, o.DueDate = int(l.idx), r.Installment, r.DueDate
		o.Component, o.Ref, o.Timing = r.Component, r.Ref, timingNames[code/nComponents]
		o.Amount = e.amountOf(l.amount, r)
		o.Rule.Order, o.Rule.Step, o.Rule.Bucket = ord.name, int(l.k)+1, bucketNames[code]
		o.Rule.Processing, o.Rule.Future, o.Rule.Via = ord.processing, ord.future, viaNames[l.via]
	}
	return out
}

// validateFields checks the input's fields other than the receivables.
func validateFields(l *field.List, in *Input) {
	switch {
	case in.Amount.Currency().Code == "":
		l.Add("Input.Amount", in.Amount.String(), field.ErrRequired, "amount needs a currency")
	case in.Amount.IsNegative():
		l.Add("Input.Amount", in.Amount.String(), field.ErrOutOfRange, "must be ≥ 0")
	}
	if in.Suspense.IsNegative() {
		l.Add("Input.Suspense", in.Suspense.String(), field.ErrOutOfRange, "must be ≥ 0")
	} else if !sameCurAs(in.Suspense, in.Amount) {
		l.Add("Input.Suspense", in.Suspense.Format(), field.ErrInvalid, "currency differs from Amount")
	}
	if in.Amount.Minor() > 0 && in.Suspense.Minor() > money.MaxMinor-in.Amount.Minor() {
		l.Add("Input.Suspense", in.Suspense.String(), field.ErrOutOfRange, "Amount + Suspense exceeds money.MaxMinor")
	}
	if in.On == 0 {
		l.Add("Input.On", in.On, field.ErrRequired, "")
	}
	if in.Type == "" {
		l.Add("Input.Type", in.Type, field.ErrRequired, "")
	}
	if in.Partial != "" && !validPartial(in.Partial) {
		l.Add("Input.Partial", in.Partial, field.ErrNotSupported, "want apply, suspense or return")
	}
	if in.Extra != "" && !validExtra(in.Extra) {
		l.Add("Input.Extra", in.Extra, field.ErrNotSupported, "want pay_ahead, curtail, reduce_term, recast or hold")
	}
}

// checkReceivable reports what is wrong with r, the i-th receivable under
// path; curOK says whether its currency is the loan's. It returns the
// component's code.
func checkReceivable(l *field.List, path string, i int, r *Receivable, curOK bool) uint8 {
	code, ok := componentCode(r.Component)
	if !ok {
		l.Add(fmt.Sprintf("%s[%d].Component", path, i), r.Component, field.ErrNotSupported,
			"want principal, interest, escrow, fee or penalty")
	} else if r.Installment == 0 && code == cPrincipal {
		l.Add(fmt.Sprintf("%s[%d].Component", path, i), r.Component, field.ErrInvalid,
			"principal must belong to an installment")
	}
	if r.Installment < 0 {
		l.Add(fmt.Sprintf("%s[%d].Installment", path, i), r.Installment, field.ErrOutOfRange, "must be ≥ 0")
	}
	if r.Open.IsNegative() || r.Open.Minor() > money.MaxMinor {
		l.Add(fmt.Sprintf("%s[%d].Open", path, i), r.Open.String(), field.ErrOutOfRange, "must be ≥ 0")
	} else if !curOK {
		l.Add(fmt.Sprintf("%s[%d].Open", path, i), r.Open.Format(), field.ErrInvalid, "currency differs from the payment")
	}
	if r.DueDate == 0 {
		l.Add(fmt.Sprintf("%s[%d].DueDate", path, i), r.DueDate, field.ErrRequired, "")
	}
	return code
}

// validateReceivables checks rs against currency cur.
func validateReceivables(l *field.List, path string, rs []Receivable, cur money.Currency) {
	if len(rs) > MaxReceivables {
		l.Add(path, len(rs), field.ErrOutOfRange, fmt.Sprintf("at most %d receivables", MaxReceivables))
		return
	}
	for i := range rs {
		checkReceivable(l, path, i, &rs[i], sameCur(rs[i].Open, cur))
	}
}

// sameCur accepts a currency-less zero (the zero Amount).
func sameCur(a money.Amount, cur money.Currency) bool {
	c := a.Currency()
	return c == cur || (c.Code == "" && a.IsZero())
}

// sameCurAs is sameCur against the currency of ref, comparing currency
// indexes instead of codes.
func sameCurAs(a, ref money.Amount) bool {
	return a.SameCurrency(ref) || a == money.Amount{}
}

// load validates the receivables into l and fills the items from them, in
// input order, finding the current cycle on the way.
func (e *waterfall) load(l *field.List) {
	in := e.in
	maxInst := 0
	cycle, found := in.On, false // CycleDueDate, found in the same pass
	for i := range e.items {
		r := &in.Receivables[i]
		c := checkReceivable(l, "Input.Receivables", i, r, sameCurAs(r.Open, in.Amount))
		it := &e.items[i]
		it.open, it.due, it.unitDue, it.inst = r.Open.Minor(), r.DueDate, r.DueDate, r.Installment
		it.idx, it.line, it.comp, it.standalone = int32(i), -1, c, r.Installment == 0
		if r.Installment > 0 && periodicCode(c) && r.DueDate >= in.On && (!found || r.DueDate < cycle) {
			cycle, found = r.DueDate, true
		}
		maxInst = max(maxInst, r.Installment)
	}
	e.maxInst, e.cycle = maxInst, cycle
}

// build puts the items in processing order and groups them into units: one
// per installment, one per stand-alone charge; units in order of their
// earliest due date, installments before stand-alone charges on the same
// date.
func (e *waterfall) build() {
	maxInst := e.maxInst
	e.unitDates(maxInst)
	for i := 1; i < len(e.items); i++ {
		if unitCmp(&e.items[i-1], &e.items[i]) > 0 {
			slices.SortFunc(e.items, byUnit)
			break
		}
	}
	for i := 0; i < len(e.items); {
		j := i + 1
		if !e.items[i].standalone {
			for j < len(e.items) && !e.items[j].standalone && e.items[j].inst == e.items[i].inst {
				j++
			}
		}
		u := int32(len(e.units))
		var mask uint16
		for k := i; k < j; k++ {
			it := &e.items[k]
			it.unit = u
			it.timing = timingCode(it.due, e.in.On, e.cycle)
			if it.open > 0 {
				mask |= 1 << (it.timing*nComponents + it.comp)
			}
		}
		e.mask |= mask
		// units never outnumber items, so the slice has room; reslicing
		// instead of append keeps the scratch space on the stack.
		e.units = e.units[:u+1]
		e.units[u] = unit{first: int32(i), end: int32(j), inst: e.items[i].inst,
			standalone: e.items[i].standalone, mask: mask}
		i = j
	}
}

// unitDates sets each item's unitDue to the earliest due date of its
// installment (a stand-alone charge keeps its own). Installment numbers are
// usually small and dense, so two linear passes over a table indexed by
// installment do it; sparse numbers fall back to a sort by installment.
func (e *waterfall) unitDates(maxInst int) {
	var buf [smallInsts]date.Date
	var first []date.Date
	switch {
	case maxInst < smallInsts:
		first = buf[:maxInst+1]
	case maxInst <= 4*len(e.items):
		first = make([]date.Date, maxInst+1)
	default:
		e.unitDatesSorted()
		return
	}
	for i := range e.items {
		it := &e.items[i]
		if f := first[it.inst]; f == 0 || it.due < f {
			first[it.inst] = it.due
		}
	}
	for i := range e.items {
		if it := &e.items[i]; !it.standalone {
			it.unitDue = first[it.inst]
		}
	}
}

// unitDatesSorted is unitDates by sorting the items by installment: the
// rule as written, and the path for sparse installment numbers.
// FuzzUnitDatesAgree holds the table walk above equal to it.
func (e *waterfall) unitDatesSorted() {
	slices.SortFunc(e.items, byInstallment)
	for i := 0; i < len(e.items); {
		j := i + 1
		if !e.items[i].standalone {
			for j < len(e.items) && e.items[j].inst == e.items[i].inst {
				j++
			}
		}
		// items[i:j] are sorted by due date: the first is the earliest.
		for k := i + 1; k < j; k++ {
			e.items[k].unitDue = e.items[i].due
		}
		i = j
	}
}

func byInstallment(a, b item) int {
	if a.inst != b.inst {
		return a.inst - b.inst
	}
	if a.due != b.due {
		return int(a.due - b.due)
	}
	return int(a.idx - b.idx)
}

func byUnit(a, b item) int { return unitCmp(&a, &b) }

// unitCmp orders items by unit (earliest due date, installments before
// stand-alone charges, installment number), then due date and input index.
func unitCmp(a, b *item) int {
	if a.unitDue != b.unitDue {
		return int(a.unitDue - b.unitDue)
	}
	if a.standalone != b.standalone {
		if a.standalone {
			return 1
		}
		return -1
	}
	if a.inst != b.inst {
		return a.inst - b.inst
	}
	if a.due != b.due {
		return int(a.due - b.due)
	}
	return int(a.idx - b.idx)
}
