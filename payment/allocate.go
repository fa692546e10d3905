package payment

import (
	"errors"
	"fmt"
	"slices"

	"github.com/rickb777/date/v2"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
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

// Line is one amount applied to one receivable.
type Line struct {
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
	Lines []Line
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

// item is a receivable in processing order.
type item struct {
	open       int64
	due        date.Date
	unitDue    date.Date
	inst       int
	idx        int32
	unit       int32
	comp       uint8
	timing     uint8
	standalone bool
}

type unit struct {
	first, end int32 // items[first:end]
	inst       int
	standalone bool
	released   bool
	reserve    int64
	mask       uint16 // bucket codes its items fall in
}

type engine struct {
	in        *Input
	order     compiled
	items     []item
	units     []unit
	lines     []Line
	free      int64
	gated     bool
	stopped   bool
	tol       int64
	held      int32 // unit that stopped the waterfall, -1 if none
	heldNeed  int64
	short     int64
	cur       money.Currency
	one       money.Amount // one minor unit of cur
	mergeFrom int
	advance   int64 // applied to in-advance items
	advPrin   int64 // of which principal
	nogate    bool  // final sweep: no whole-installment gating
	wAdvance  bool  // the current walk visits in-advance items
	wOther    bool  // the current walk visits past-due and due items
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
//     principal by the extra-money method, then to any other future items.
//  5. Anything left is a credit balance.
func Allocate(rules Rules, in Input) (Allocation, error) {
	var lr, li field.List
	rules.validate(&lr)
	validateInput(&li, &in)
	if lr.Len() > 0 || li.Len() > 0 {
		return Allocation{}, errors.Join(lr.Err(ErrInvalidRules), li.Err(ErrInvalidInput))
	}
	var ord compiled
	o, ok := rules.ByType[in.Type]
	if !ok {
		o = rules.Default
	}
	validateOrder(&lr, "", o, &ord)
	if ord.name == "" {
		ord.name = string(in.Type)
		if !ok {
			ord.name = "default"
		}
	}
	partial, extra := rules.Partial, rules.Extra
	if in.Partial != "" {
		partial = in.Partial
	}
	if in.Extra != "" {
		extra = in.Extra
	}
	e := engine{
		in:    &in,
		order: ord,
		free:  in.Amount.Minor() + in.Suspense.Minor(),
		gated: partial != PartialApply,
		tol:   rules.ShortfallToleranceMinor,
		held:  -1,
		cur:   in.Amount.Currency(),
	}
	e.one, _ = money.New(1, e.cur)
	e.build()
	e.lines = make([]Line, 0, len(e.items)+2)
	e.walk(extra == ExtraPayAhead, false, ViaOrder)
	e.unreserve()
	a := Allocation{
		On: in.On, Type: in.Type, Received: in.Amount, SuspenseBefore: in.Suspense,
		Partial: partial, Suspense: money.Zero(e.cur), Returned: money.Zero(e.cur),
		Credit: money.Zero(e.cur), HeldNeed: money.Zero(e.cur),
	}
	if !e.stopped && e.free > 0 {
		e.extra(extra)
		if e.free > 0 && extra != ExtraPayAhead {
			e.walk(false, true, ViaPayAhead)
			e.unreserve()
		}
		if e.free > 0 && !e.stopped {
			// Nothing is left waiting for a whole installment: whatever is
			// still owed (a tolerated shortfall, items of a mixed-timing
			// installment) is paid before anything becomes a credit.
			e.nogate = true
			e.walk(true, false, ViaPayAhead)
		}
	}
	switch {
	case e.stopped:
		if partial == PartialReturn {
			a.Returned = e.amount(e.free)
		} else {
			a.Suspense = e.amount(e.free)
		}
		a.HeldInstallment = e.units[e.held].inst
		a.HeldNeed = e.amount(e.heldNeed)
	default:
		a.Credit = e.amount(e.free)
	}
	e.free = 0
	if e.advance > 0 || a.Credit.IsPositive() {
		a.Extra.Method = extra
	}
	a.Extra.Principal = e.amount(e.advPrin)
	a.Lines = e.lines
	a.Shortfall = e.amount(e.short)
	e.outcome(&a, extra)
	if err := e.check(&a); err != nil {
		return Allocation{}, err
	}
	return a, nil
}

// unreserve returns money set aside for installments but not used (their
// items of another timing were not reached) and lets the installments be
// weighed again on their open amounts.
func (e *engine) unreserve() {
	for i := range e.units {
		e.free += e.units[i].reserve
		e.units[i].reserve = 0
		e.units[i].released = false
	}
}

// amount turns minor units into money. Every value here is bounded by the
// validated Amount + Suspense or a receivable, so Mul cannot fail; it avoids
// money.New's currency-table lookup on the hot path.
func (e *engine) amount(minor int64) money.Amount {
	a, _ := e.one.Mul(minor)
	return a
}

func validateInput(l *field.List, in *Input) {
	cur := in.Amount.Currency()
	switch {
	case cur.Code == "":
		l.Add("Input.Amount", in.Amount.String(), field.ErrRequired, "amount needs a currency")
	case in.Amount.IsNegative():
		l.Add("Input.Amount", in.Amount.String(), field.ErrOutOfRange, "must be ≥ 0")
	}
	if in.Suspense.IsNegative() {
		l.Add("Input.Suspense", in.Suspense.String(), field.ErrOutOfRange, "must be ≥ 0")
	} else if !sameCur(in.Suspense, cur) {
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
		l.Add("Input.Extra", in.Extra, field.ErrNotSupported, "want pay_ahead, curtail, reduce_term or recast")
	}
	validateReceivables(l, "Input.Receivables", in.Receivables, cur)
}

func validateReceivables(l *field.List, path string, rs []Receivable, cur money.Currency) {
	if len(rs) > MaxReceivables {
		l.Add(path, len(rs), field.ErrOutOfRange, fmt.Sprintf("at most %d receivables", MaxReceivables))
		return
	}
	for i := range rs {
		r := &rs[i]
		if !r.Component.Valid() {
			l.Add(fmt.Sprintf("%s[%d].Component", path, i), r.Component, field.ErrNotSupported,
				"want principal, interest, escrow, fee or penalty")
		} else if r.Installment == 0 && r.Component == Principal {
			l.Add(fmt.Sprintf("%s[%d].Component", path, i), r.Component, field.ErrInvalid,
				"principal must belong to an installment")
		}
		if r.Installment < 0 {
			l.Add(fmt.Sprintf("%s[%d].Installment", path, i), r.Installment, field.ErrOutOfRange, "must be ≥ 0")
		}
		if r.Open.IsNegative() || r.Open.Minor() > money.MaxMinor {
			l.Add(fmt.Sprintf("%s[%d].Open", path, i), r.Open.String(), field.ErrOutOfRange, "must be ≥ 0")
		} else if !sameCur(r.Open, cur) {
			l.Add(fmt.Sprintf("%s[%d].Open", path, i), r.Open.Format(), field.ErrInvalid, "currency differs from the payment")
		}
		if r.DueDate == 0 {
			l.Add(fmt.Sprintf("%s[%d].DueDate", path, i), r.DueDate, field.ErrRequired, "")
		}
	}
}

// sameCur accepts a currency-less zero (the zero Amount).
func sameCur(a money.Amount, cur money.Currency) bool {
	c := a.Currency()
	return c == cur || (c.Code == "" && a.IsZero())
}

// build fills items in processing order and groups them into units: one per
// installment, one per stand-alone charge; units in order of their earliest
// due date, installments before stand-alone charges on the same date.
func (e *engine) build() {
	rs := e.in.Receivables
	cycle, ok := CycleDueDate(rs, e.in.On)
	if !ok {
		cycle = e.in.On
	}
	e.items = make([]item, len(rs))
	for i := range rs {
		r := &rs[i]
		c, _ := componentCode(r.Component)
		e.items[i] = item{
			open: r.Open.Minor(), due: r.DueDate, unitDue: r.DueDate, inst: r.Installment,
			idx: int32(i), comp: c, timing: timingCode(r.DueDate, e.in.On, cycle),
			standalone: r.Installment == 0,
		}
	}
	e.unitDates()
	if !slices.IsSortedFunc(e.items, byUnit) {
		slices.SortFunc(e.items, byUnit)
	}
	e.units = make([]unit, 0, 16)
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
			e.items[k].unit = u
			mask |= 1 << (e.items[k].timing*nComponents + e.items[k].comp)
		}
		e.units = append(e.units, unit{first: int32(i), end: int32(j), inst: e.items[i].inst,
			standalone: e.items[i].standalone, mask: mask})
		i = j
	}
}

// unitDates sets each item's unitDue to the earliest due date of its
// installment (a stand-alone charge keeps its own): a quadratic scan for the
// usual short lists, a sort by installment for long ones.
func (e *engine) unitDates() {
	if len(e.items) <= 64 {
		for i := range e.items {
			it := &e.items[i]
			if it.standalone {
				continue
			}
			for j := range e.items {
				if o := &e.items[j]; o.inst == it.inst && o.due < it.unitDue {
					it.unitDue = o.due
				}
			}
		}
		return
	}
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

func byUnit(a, b item) int {
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
