package payment

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/field"
)

// Bucket is one cell of {past due, due, in advance} × {penalty, fee,
// interest, principal, escrow}, written "<timing>_<component>", e.g.
// "past_due_interest" or "in_advance_principal". An [Order] ranks all
// fifteen.
type Bucket string

// NBuckets is the number of buckets an [Order] must rank, each exactly once.
const NBuckets = int(nTimings) * int(nComponents)

// NewBucket returns the bucket for timing t and component c.
func NewBucket(t Timing, c Component) Bucket {
	tc, ok1 := timingCodeOf(t)
	cc, ok2 := componentCode(c)
	if ok1 && ok2 {
		return bucketNames[tc*nComponents+cc] // shares the literal: compiling compares pointers first
	}
	return Bucket(string(t) + "_" + string(c))
}

// bucketNames lists the buckets by code (timing·5 + component).
var bucketNames = [NBuckets]Bucket{
	"past_due_penalty", "past_due_fee", "past_due_interest", "past_due_principal", "past_due_escrow",
	"due_penalty", "due_fee", "due_interest", "due_principal", "due_escrow",
	"in_advance_penalty", "in_advance_fee", "in_advance_interest", "in_advance_principal", "in_advance_escrow",
}

func timingCodeOf(t Timing) (uint8, bool) {
	switch t {
	case PastDue:
		return tPastDue, true
	case Due:
		return tDue, true
	case InAdvance:
		return tInAdvance, true
	}
	return 0, false
}

// Timing returns the bucket's timing, or "" when the bucket is unknown.
func (b Bucket) Timing() Timing {
	code, ok := bucketCode(b)
	if !ok {
		return ""
	}
	return timingNames[code/nComponents]
}

// Component returns the bucket's component, or "" when the bucket is unknown.
func (b Bucket) Component() Component {
	code, ok := bucketCode(b)
	if !ok {
		return ""
	}
	return componentNames[code%nComponents]
}

// Valid reports whether b is one of the fifteen buckets.
func (b Bucket) Valid() bool { _, ok := bucketCode(b); return ok }

// bucketCode maps a bucket to timing·5 + component. One string switch (the
// compiler turns it into a search on length and content) rather than prefix
// parsing: rules are compiled on every [Allocate] call.
func bucketCode(b Bucket) (uint8, bool) {
	const pd, du, ia = tPastDue * nComponents, tDue * nComponents, tInAdvance * nComponents
	switch b {
	case "past_due_penalty":
		return pd + cPenalty, true
	case "past_due_fee":
		return pd + cFee, true
	case "past_due_interest":
		return pd + cInterest, true
	case "past_due_principal":
		return pd + cPrincipal, true
	case "past_due_escrow":
		return pd + cEscrow, true
	case "due_penalty":
		return du + cPenalty, true
	case "due_fee":
		return du + cFee, true
	case "due_interest":
		return du + cInterest, true
	case "due_principal":
		return du + cPrincipal, true
	case "due_escrow":
		return du + cEscrow, true
	case "in_advance_penalty":
		return ia + cPenalty, true
	case "in_advance_fee":
		return ia + cFee, true
	case "in_advance_interest":
		return ia + cInterest, true
	case "in_advance_principal":
		return ia + cPrincipal, true
	case "in_advance_escrow":
		return ia + cEscrow, true
	}
	return 0, false
}

// Processing says how an [Order] walks the installments (Fineract's
// LoanScheduleProcessingType; LANDSCAPE D5).
type Processing string

const (
	// Horizontal pays installment by installment, oldest first: each run of
	// consecutive buckets with the same timing is applied in full to one
	// installment before the next installment is touched.
	Horizontal Processing = "horizontal"
	// Vertical pays bucket by bucket: one bucket across every installment
	// (oldest first) before the next bucket.
	Vertical Processing = "vertical"
)

// FutureRule says which future installments in-advance buckets reach first
// (Fineract's FutureInstallmentAllocationRule; LANDSCAPE D4).
type FutureRule string

const (
	// NextInstallment pays future installments in due-date order, so paying
	// ahead advances the next due date.
	NextInstallment FutureRule = "next_installment"
	// LastInstallment pays the last installment first, working backwards
	// (shortens the term).
	LastInstallment FutureRule = "last_installment"
	// NextThenLast pays the next installment, then from the last backwards.
	NextThenLast FutureRule = "next_then_last"
	// Reamortize spreads each in-advance bucket evenly over every remaining
	// future installment (remainders to the earliest ones, one minor unit
	// each); it never holds money back for whole installments.
	Reamortize FutureRule = "reamortize"
)

// Partial says what happens to money that cannot pay the oldest unpaid
// installment's periodic payment in full (Reg Z §1026.36(c)(1)(ii)).
type Partial string

const (
	// PartialApply applies partial money to the receivables as far as it goes.
	PartialApply Partial = "apply"
	// PartialSuspense holds it in suspense (unapplied funds); held money joins
	// the next payment and is applied as soon as it covers a whole
	// installment.
	PartialSuspense Partial = "suspense"
	// PartialReturn returns it to the payer.
	PartialReturn Partial = "return"
)

// Extra says what happens to money left after everything past due and due is
// paid (LANDSCAPE D6, D7).
type Extra string

const (
	// ExtraPayAhead applies it to future installments through the order's
	// in-advance buckets and future rule, advancing the next due date.
	ExtraPayAhead Extra = "pay_ahead"
	// ExtraCurtail reduces principal (a curtailment) from the last
	// installment backwards; the payment amount and the next due date do not
	// change (Fannie Mae F-1-09).
	ExtraCurtail Extra = "curtail"
	// ExtraReduceTerm reduces principal like ExtraCurtail and tells the host
	// to drop the installments it paid off (same payment, fewer installments).
	ExtraReduceTerm Extra = "reduce_term"
	// ExtraRecast spreads the principal reduction over every future
	// installment and tells the host to recast the payment (same maturity,
	// lower payment) with the new principal.
	ExtraRecast Extra = "recast"
	// ExtraHold holds it unapplied: it stays in suspense (Allocation.Suspense)
	// to be offered again with the next payment, or by the host when the
	// next installment falls due. When nothing is left owing it is a credit
	// balance instead.
	ExtraHold Extra = "hold"
)

// TransactionType names the kind of money being allocated ("repayment",
// "goodwill_credit", ...). Rules may give each type its own [Order].
type TransactionType string

// Common transaction types (any non-empty name is accepted).
const (
	Repayment      TransactionType = "repayment"
	DownPayment    TransactionType = "down_payment"
	MerchantRefund TransactionType = "merchant_refund"
	PayoutRefund   TransactionType = "payout_refund"
	GoodwillCredit TransactionType = "goodwill_credit"
	ChargeRefund   TransactionType = "charge_refund"
	Recovery       TransactionType = "recovery"
	Payoff         TransactionType = "payoff"
)

// Order is one waterfall: a ranking of all fifteen buckets, how installments
// are walked, and which future installments come first.
type Order struct {
	// Name labels the order in traces (e.g. "gse_mortgage"); may be empty.
	Name string `json:"name,omitempty"`
	// Processing is Horizontal or Vertical; zero is invalid.
	Processing Processing `json:"processing"`
	// Buckets ranks every bucket exactly once, first paid first.
	Buckets []Bucket `json:"buckets"`
	// Future is the future-installment rule for in-advance buckets; zero is
	// invalid.
	Future FutureRule `json:"future"`
	// DueOnDueDate makes only what falls due on the payment's date due: an
	// installment due later, the current cycle's included, is in advance
	// (Apache Fineract's advanced-payment-allocation-strategy:
	// AdvancedPaymentScheduleTransactionProcessor takes the installment due
	// on the transaction date as DUE and every later one as IN_ADVANCE, so
	// the future rule picks among them). False keeps Receivable.TimingOn's
	// cycle.
	DueOnDueDate bool `json:"due_on_due_date,omitempty"`
}

// Rules are a loan product's allocation rules. They are plain data and
// serialize to JSON so hosts can store them with the product.
type Rules struct {
	// Default is the order for every transaction type not in ByType.
	Default Order `json:"default"`
	// ByType overrides the order per transaction type (may be nil).
	ByType map[TransactionType]Order `json:"by_type,omitempty"`
	// Partial is the partial-payment policy; zero is invalid.
	Partial Partial `json:"partial"`
	// ShortfallToleranceMinor, in minor units of the loan currency (5000 =
	// $50.00), lets an installment count as paid when the money falls short
	// of it by at most this much (GSE guides allow up to $50); the shortfall
	// stays open on the installment's last periodic component. Zero means no
	// tolerance. It only matters when Partial is not PartialApply.
	ShortfallToleranceMinor int64 `json:"shortfall_tolerance_minor"`
	// Extra is what happens to money beyond everything due; zero is invalid.
	Extra Extra `json:"extra"`
	// InstallmentsOnly keeps a receipt of any type but Payoff out of payoff
	// pricing even when it covers the payoff quote: it is allocated to the
	// installments by the order like any other receipt, so money beyond
	// what is due pays future installments in full, their scheduled
	// interest included (not interest to the receipt's date), and what
	// is left once every installment is paid is a credit balance (an
	// overpaid loan). This is Apache Fineract's rule for a loan without
	// interest recalculation: a repayment is only ever spread over the
	// installments by the transaction processor
	// (LoanRepaymentScheduleTransactionProcessor.processLatestTransaction,
	// its overpayment left on the loan as totalOverpaid). False (the
	// default) lets a host price a receipt that covers the quote as a
	// payoff.
	InstallmentsOnly bool `json:"installments_only,omitempty"`
}

// compiled is an Order turned into bucket codes, with everything the
// waterfall looks up per bucket precomputed.
type compiled struct {
	name       string // Order.Name, or the fallback the trace shows
	processing Processing
	future     FutureRule
	dueOnDate  bool            // Order.DueOnDueDate
	codes      [NBuckets]uint8 // codes[k] is the bucket code of step k+1
	rank       [NBuckets]uint8 // rank[code] is k
	runs       [NBuckets]span  // runs of consecutive steps with one timing
	nRuns      uint8
}

// span is steps codes[i:j], all of timing t.
type span struct{ i, j, t uint8 }

// typedOrder is a compiled per-type order.
type typedOrder struct {
	typ TransactionType
	ord compiled
}

// Compiled is [Rules] validated once and turned into the lookup tables the
// waterfall runs on. [Allocate] compiles its rules on every call; a host
// that allocates many payments under the same rules compiles them once with
// [Rules.Compile] and calls [Compiled.Allocate], which gives the same result
// without validating the rules again.
//
// A Compiled is immutable and safe for concurrent use. Its zero value is not
// usable: [Compiled.Allocate] then returns [ErrInvalidRules]. It does not
// serialize; hosts store the [Rules] and compile them after loading.
type Compiled struct {
	ok       bool
	def      compiled
	byType   []typedOrder // sorted by type
	partial  Partial
	extra    Extra
	tol      int64
	instOnly bool
}

// Extra is the compiled rules' extra-money method (Rules.Extra), what an
// Input without its own Extra applies.
func (c Compiled) Extra() Extra { return c.extra }

// InstallmentsOnly is the compiled rules' Rules.InstallmentsOnly: receipts
// other than payoffs are never priced as a payoff.
func (c Compiled) InstallmentsOnly() bool { return c.instOnly }

// Compile validates the rules like [Rules.Validate] and, when they are valid,
// returns them compiled for [Compiled.Allocate].
func (r Rules) Compile() (Compiled, error) {
	var l field.List
	c := Compiled{partial: r.Partial, extra: r.Extra, tol: r.ShortfallToleranceMinor, instOnly: r.InstallmentsOnly}
	r.compile(&l, "", nil, &c)
	if err := l.Err(ErrInvalidRules); err != nil {
		return Compiled{}, err
	}
	c.ok = true
	return c, nil
}

// orderFor returns the compiled order for transaction type t.
func (c *Compiled) orderFor(t TransactionType) *compiled {
	for i := range c.byType {
		if c.byType[i].typ == t {
			return &c.byType[i].ord
		}
	}
	return &c.def
}

// Validate reports every problem with the rules as *field.Error values under
// ErrInvalidRules, with paths such as "Rules.Default.Buckets[3]".
func (r Rules) Validate() error {
	var l field.List
	r.compile(&l, "", nil, nil)
	return l.Err(ErrInvalidRules)
}

// compile validates every part of r into l. It compiles the order for
// transaction type pick into picked (when non-nil) and every order into all
// (when non-nil); [Allocate] asks only for the one it needs, so a call with
// one transaction type allocates nothing here.
func (r Rules) compile(l *field.List, pick TransactionType, picked *compiled, all *Compiled) {
	var ord compiled
	_, typed := r.ByType[pick]
	compileOrder(l, "Rules.Default", r.Default, "default", &ord)
	if picked != nil && !typed {
		*picked = ord
	}
	if all != nil {
		all.def = ord
	}
	if len(r.ByType) > 0 {
		keys := make([]TransactionType, 0, len(r.ByType))
		for k := range r.ByType {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if all != nil {
			all.byType = make([]typedOrder, len(keys))
		}
		for i, k := range keys {
			path := fmt.Sprintf("Rules.ByType[%s]", k)
			if k == "" {
				l.Add(path, k, field.ErrRequired, "transaction type name is empty")
			}
			compileOrder(l, path, r.ByType[k], string(k), &ord)
			if picked != nil && typed && k == pick {
				*picked = ord
			}
			if all != nil {
				all.byType[i] = typedOrder{typ: k, ord: ord}
			}
		}
	}
	if !validPartial(r.Partial) {
		l.Add("Rules.Partial", r.Partial, field.ErrNotSupported, "want apply, suspense or return")
	}
	if !validExtra(r.Extra) {
		l.Add("Rules.Extra", r.Extra, field.ErrNotSupported, "want pay_ahead, curtail, reduce_term, recast or hold")
	}
	if r.ShortfallToleranceMinor < 0 {
		l.Add("Rules.ShortfallToleranceMinor", r.ShortfallToleranceMinor, field.ErrOutOfRange, "must be ≥ 0")
	}
}

func validExtra(e Extra) bool {
	switch e {
	case ExtraPayAhead, ExtraCurtail, ExtraReduceTerm, ExtraRecast, ExtraHold:
		return true
	}
	return false
}

func validPartial(p Partial) bool {
	switch p {
	case PartialApply, PartialSuspense, PartialReturn:
		return true
	}
	return false
}

// compileOrder checks o, reporting problems under path, and compiles it into
// out (meaningful only when it reported nothing). fallback names the order in
// traces when o.Name is empty.
func compileOrder(l *field.List, path string, o Order, fallback string, out *compiled) {
	switch o.Processing {
	case Horizontal, Vertical:
	default:
		l.Add(path+".Processing", o.Processing, field.ErrNotSupported, "want horizontal or vertical")
	}
	switch o.Future {
	case NextInstallment, LastInstallment, NextThenLast, Reamortize:
	default:
		l.Add(path+".Future", o.Future, field.ErrNotSupported,
			"want next_installment, last_installment, next_then_last or reamortize")
	}
	*out = compiled{name: o.Name, processing: o.Processing, future: o.Future, dueOnDate: o.DueOnDueDate}
	if out.name == "" {
		out.name = fallback
	}
	var seen uint32
	for i, b := range o.Buckets {
		code, ok := bucketCode(b)
		switch {
		case !ok:
			l.Add(fmt.Sprintf("%s.Buckets[%d]", path, i), b, field.ErrNotSupported, "unknown bucket")
		case seen&(1<<code) != 0:
			l.Add(fmt.Sprintf("%s.Buckets[%d]", path, i), b, field.ErrInvalid, "bucket named twice")
		default:
			seen |= 1 << code
			if i < NBuckets {
				out.codes[i] = code
				out.rank[code] = uint8(i)
			}
		}
	}
	if seen != 1<<NBuckets-1 {
		for code := range uint8(NBuckets) {
			if seen&(1<<code) == 0 {
				l.Add(path+".Buckets", bucketNames[code], field.ErrRequired, "bucket missing from the order")
			}
		}
		return
	}
	for i := uint8(0); i < uint8(NBuckets); {
		t := out.codes[i] / nComponents
		j := i + 1
		for j < uint8(NBuckets) && out.codes[j]/nComponents == t {
			j++
		}
		out.runs[out.nRuns] = span{i: i, j: j, t: t}
		out.nRuns++
		i = j
	}
}

// OrderFor returns the order used for transaction type t: ByType[t] when
// present, else Default.
func (r Rules) OrderFor(t TransactionType) Order {
	if o, ok := r.ByType[t]; ok {
		return o
	}
	return r.Default
}
