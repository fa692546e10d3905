package delinquency

import (
	"errors"
	"slices"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Evaluator answers delinquency questions about one validated loan under one
// validated policy. It is immutable after [New] (it keeps its own copy of the
// inputs), so one Evaluator may be shared by any number of goroutines.
type Evaluator struct {
	loan    Loan // its Installments' Credits are nil: see the cred* columns
	policy  Policy
	feePol  LateFeePolicy // storage for policy.LateFee
	cur     money.Currency
	buckets []AgingBucket

	due      []date.Date // per installment
	next     []date.Date // following due date (MBA/OTS), one month on for the last
	periodic []int64     // P+I+E, minor units
	tol      []int64     // tolerance, minor units

	credOff []int32 // credits of installment i are [credOff[i], credOff[i+1])
	scratch []int32 // room for every credit's index, for sorting while building
	credOn  []date.Date
	credPer []int64 // periodic part of each credit
	credFee []int64
	credPr  []int64
	credIn  []int64
	credEs  []int64

	// Fast path without re-age (see index.go): per-installment methods keep
	// the prefix maximum of the date each installment became recognized;
	// aggregate keeps the prefix maximum of the pool each one needs, and the
	// pool received by date.
	recMax  []date.Date
	needMax []int64
	needSum []int64 // Σ periodic of installments [0, i]
	poolOn  []date.Date
	poolCum []int64

	pauses []Pause // sorted by From, original kinds
	cal    PauseCalendar
	reAges []date.Date
	acc    *accelData // nil without Loan.Acceleration
}

// span is a half-open day range [from, to).
type span struct{ from, to date.Date }

// New validates l and p and returns an Evaluator for them. The error wraps
// [ErrInvalidLoan] and/or [ErrInvalidPolicy] and names every bad field.
func New(l Loan, p Policy) (*Evaluator, error) {
	cur := l.Currency
	if !cur.Valid() {
		cur = money.Currency{}
	}
	// Validation builds field paths only for bad input (validate.go).
	var ll, pl field.List
	l.validate(&ll)
	p.validate(&pl, "Policy", cur)
	if ll.Len() > 0 || pl.Len() > 0 {
		return nil, errors.Join(ll.Err(ErrInvalidLoan), pl.Err(ErrInvalidPolicy))
	}
	return build(l, p), nil
}

// build makes the Evaluator of a validated loan and policy. New runs for
// every loan at every end of day, so the per-installment and per-credit
// columns come from one block per element type (a handful of allocations
// whatever the size of the loan) rather than allocated one by one.
func build(l Loan, p Policy) *Evaluator {
	n, nc := len(l.Installments), 0
	for i := range l.Installments {
		nc += len(l.Installments[i].Credits)
	}
	e := &Evaluator{cur: l.Currency, policy: p}
	e.loan = l
	e.loan.Installments = slices.Clone(l.Installments)
	e.buckets = slices.Clone(p.Buckets)
	if e.buckets == nil {
		e.buckets = DefaultBuckets()
	}
	e.policy.Buckets = e.buckets
	if p.LateFee != nil {
		e.feePol = *p.LateFee
		e.policy.LateFee = &e.feePol
	}
	// Every column, with its length, in one place: each block then
	// allocates one slice for all its columns.
	var dates block[date.Date]
	var ints block[int64]
	var offs block[int32]
	dates.column(&e.due, n)
	dates.column(&e.next, n)
	dates.column(&e.credOn, nc)
	ints.column(&e.periodic, n)
	ints.column(&e.tol, n)
	for _, c := range [...]*[]int64{&e.credPer, &e.credFee, &e.credPr, &e.credIn, &e.credEs} {
		ints.column(c, nc)
	}
	offs.column(&e.credOff, n+1)
	offs.column(&e.scratch, nc)
	if p.Recognition == RecognizeAggregate {
		ints.column(&e.needMax, n)
		ints.column(&e.needSum, n)
		dates.column(&e.poolOn, nc)
		ints.column(&e.poolCum, nc)
	} else {
		dates.column(&e.recMax, n)
	}
	dates.allocate()
	ints.allocate()
	offs.allocate()
	var j int32
	for i := range e.loan.Installments {
		in := &e.loan.Installments[i]
		// The credits live on only in the cred* columns below.
		in.Credits = nil
		e.due[i] = in.DueDate
		e.periodic[i] = in.Periodic().Minor()
		e.tol[i] = p.ToleranceAmount.Minor()
		if p.TolerancePercentBps > 0 {
			t, _ := e.amt(e.periodic[i]).MulDiv(p.TolerancePercentBps, 10000, money.TowardZero)
			e.tol[i] = t.Minor()
		}
		for _, c := range l.Installments[i].Credits {
			e.credOn[j] = c.ReceivedOn
			e.credPer[j] = c.Periodic().Minor()
			e.credFee[j] = c.Fees.Minor()
			e.credPr[j] = c.Principal.Minor()
			e.credIn[j] = c.Interest.Minor()
			e.credEs[j] = c.Escrow.Minor()
			j++
		}
		e.credOff[i+1] = j
	}
	for i := range e.due {
		if i+1 < n {
			e.next[i] = e.due[i+1]
		} else {
			e.next[i] = addMonths(e.due[i], 1)
		}
	}
	e.index(e.scratch)
	e.pauses = slices.Clone(l.Pauses)
	slices.SortStableFunc(e.pauses, func(a, b Pause) int { return int(a.From - b.From) })
	e.cal = NewPauseCalendar(e.pauses)
	e.loan.Pauses = e.pauses
	e.reAges = slices.Clone(l.ReAgedOn)
	slices.Sort(e.reAges)
	e.reAges = slices.Compact(e.reAges)
	e.loan.ReAgedOn = e.reAges
	e.buildAccel(l.Acceleration)
	return e
}

// block is a set of columns of one element type allocated as one slice:
// column declares a column and its length, allocate makes the slice and
// points each column at its part. A column's capacity is its length, so an
// append to it never reaches its neighbour.
type block[T any] struct {
	cols [12]*[]T
	lens [12]int
	n    int // columns declared
}

// column declares *dst as a column of length n.
func (b *block[T]) column(dst *[]T, n int) {
	b.cols[b.n], b.lens[b.n] = dst, n
	b.n++
}

// allocate makes the block and sets every declared column.
func (b *block[T]) allocate() {
	total := 0
	for _, n := range b.lens[:b.n] {
		total += n
	}
	buf := make([]T, total)
	for i, dst := range b.cols[:b.n] {
		n := b.lens[i]
		*dst, buf = buf[:n:n], buf[n:]
	}
}

// amt makes an Amount of the loan currency; every value passed is bounded by
// validation, so the error is impossible.
func (e *Evaluator) amt(minor int64) money.Amount {
	a, _ := money.New(minor, e.cur)
	return a
}

// creditedAt returns the periodic and fee parts credited to installment i
// and received on or before t.
func (e *Evaluator) creditedAt(i int, t date.Date) (periodic, fees int64) {
	for j := e.credOff[i]; j < e.credOff[i+1]; j++ {
		if e.credOn[j] <= t {
			periodic += e.credPer[j]
			fees += e.credFee[j]
		}
	}
	return periodic, fees
}

// covered reports whether paid minor units settle installment i under a
// per-installment recognition method.
func (e *Evaluator) covered(i int, paid int64) bool {
	need := e.periodic[i]
	if need-paid <= e.tol[i] {
		return true
	}
	return e.policy.Recognition == RecognizeNinetyPercent && paid*10 >= need*9
}

// cutAt returns how many leading installments a re-age on or before t
// brought current: those due before the latest such re-age.
func (e *Evaluator) cutAt(t date.Date) int {
	for r := len(e.reAges) - 1; r >= 0; r-- {
		if e.reAges[r] <= t {
			d := e.reAges[r]
			k, _ := slices.BinarySearch(e.due, d)
			return k
		}
	}
	return 0
}

// oldest returns the index of the oldest installment not recognized as paid
// at the end of day t (len when none), and for aggregate recognition the
// pooled credit left over at that installment. With stopFuture it stops at
// the first installment not yet past due (due ≥ t).
func (e *Evaluator) oldest(t date.Date, stopFuture bool) (k int, pool int64) {
	cut := e.cutAt(t)
	if cut == 0 {
		return e.oldestFast(t)
	}
	return e.oldestWalk(t, cut, stopFuture)
}

// oldestWalk is oldest by a walk over the installments from cut: the rule
// as written. oldestFast (index.go) answers the same from precomputed
// prefix maxima when no re-age cuts the loan; FuzzOldestFastMatchesWalk
// holds the two equal.
func (e *Evaluator) oldestWalk(t date.Date, cut int, stopFuture bool) (k int, pool int64) {
	n := len(e.due)
	if e.policy.Recognition != RecognizeAggregate {
		for i := cut; i < n; i++ {
			if stopFuture && e.due[i] >= t {
				return i, 0
			}
			if paid, _ := e.creditedAt(i, t); !e.covered(i, paid) {
				return i, 0
			}
		}
		return n, 0
	}
	for j := e.credOff[cut]; j < e.credOff[n]; j++ {
		if e.credOn[j] <= t {
			pool += e.credPer[j]
		}
	}
	for i := cut; i < n; i++ {
		if stopFuture && e.due[i] >= t {
			return i, pool
		}
		need := e.periodic[i]
		switch {
		case pool >= need:
			pool -= need
		case need-pool <= e.tol[i]:
			pool = 0
		default:
			return i, pool
		}
	}
	return n, pool
}

// recognizedAt reports whether installment i counts as paid at the end of t.
func (e *Evaluator) recognizedAt(i int, t date.Date) bool {
	if i < e.cutAt(t) {
		return true
	}
	if e.policy.Recognition == RecognizeAggregate {
		k, _ := e.oldest(t, false)
		return i < k
	}
	paid, _ := e.creditedAt(i, t)
	return e.covered(i, paid)
}

// unpaused counts the days of [a, b) outside every pause.
func (e *Evaluator) unpaused(a, b date.Date) int { return e.cal.Days(a, b) }

// dayReached returns the first date t with unpaused(s, t) == n, for n ≥ 0:
// the date DPD reaches n if nothing is paid.
func (e *Evaluator) dayReached(s date.Date, n int) date.Date { return e.cal.Reached(s, n) }

// pauseOn returns the kind of the first pause covering d, if any.
func (e *Evaluator) pauseOn(d date.Date) (PauseKind, bool) {
	for _, p := range e.pauses {
		if p.From > d {
			break
		}
		if d < p.To {
			return p.Kind, true
		}
	}
	return "", false
}

func (e *Evaluator) pausedOn(d date.Date) bool {
	_, ok := e.pauseOn(d)
	return ok
}

// DaysPastDue returns DPD at the end of asOf (Reg X §1024.31): the days from
// the due date of the oldest periodic payment not recognized as paid up to
// asOf, not counting paused days; 0 when nothing periodic is past due (an
// installment due on asOf itself is due, not past due). Credits count from
// the day they were received; fees never count.
func (e *Evaluator) DaysPastDue(asOf date.Date) int {
	if st, s := e.accel(asOf); st != accelNone {
		if st == accelPaid || s >= asOf {
			return 0
		}
		return e.unpaused(s, asOf)
	}
	k, _ := e.oldest(asOf, true)
	if k == len(e.due) || e.due[k] >= asOf {
		return 0
	}
	return e.unpaused(e.due[k], asOf)
}

// OldestUnpaid returns the number and due date of the oldest installment
// the policy does not recognize as paid at the end of t (tolerance and the
// partial-payment recognition applied, re-ages counted), and false when
// every installment is: the installment days past due run from once its
// due date has passed. Acceleration is not considered (see DaysPastDue).
func (e *Evaluator) OldestUnpaid(t date.Date) (seq int, due date.Date, ok bool) {
	k, _ := e.oldest(t, false)
	if k == len(e.due) {
		return 0, 0, false
	}
	return e.loan.Installments[k].Seq, e.due[k], true
}

// Bucket returns the aging bucket holding days (DPD or reported days);
// negative days fall in the first bucket.
func (e *Evaluator) Bucket(days int) AgingBucket {
	return e.buckets[e.bucketIndex(days)]
}

func (e *Evaluator) bucketIndex(days int) int {
	i := 0
	for j := 1; j < len(e.buckets) && e.buckets[j].MinDays <= days; j++ {
		i = j
	}
	return i
}

// Buckets returns a copy of the evaluator's aging buckets.
func (e *Evaluator) Buckets() []AgingBucket { return slices.Clone(e.buckets) }

// LateFee decides the late fee of the installment numbered seq as of asOf.
// It returns an error wrapping [ErrInvalidInput] (field "seq") when no
// installment has that number.
func (e *Evaluator) LateFee(seq int, asOf date.Date) (LateFeeDecision, error) {
	i, ok := e.seqIndex(seq)
	if !ok {
		var l field.List
		l.Add("seq", seq, field.ErrOutOfRange, "no installment has this number")
		return LateFeeDecision{}, l.Err(ErrInvalidInput)
	}
	return e.lateFee(i, asOf), nil
}

// LateFees returns the decisions with Charge set for every installment as
// of asOf, in installment order: the fees the host should assess now.
func (e *Evaluator) LateFees(asOf date.Date) []LateFeeDecision {
	var out []LateFeeDecision
	if e.policy.LateFee == nil {
		return out
	}
	for i := range e.due {
		if e.due[i] >= asOf {
			break
		}
		if d := e.lateFee(i, asOf); d.Charge {
			out = append(out, d)
		}
	}
	return out
}

func (e *Evaluator) seqIndex(seq int) (int, bool) {
	return slices.BinarySearchFunc(e.loan.Installments, seq, func(in Installment, s int) int { return in.Seq - s })
}
