package servicing_test

// The model-based test (RULES.md B3 "the state-machine model test"): random
// command sequences run against the engine (servicing.Engine over
// servicingtest.MemStore, a checkpoint every 3 events, so commands and
// queries start from checkpoints and fold again from older ones when
// history changes) and against a small independent model of the 30-year
// mortgage of helpers_test.go (mortgage(), and the same loan due on the
// 31st of each month). After every command the engine's state on the
// latest date seen must equal the model's — principal, late, NSF and other
// fees, suspense, credit balance, next unpaid installment, term, payment,
// days past due, status and the payoff quote — the state the engine folds
// from its checkpoints must equal a full replay of its log, byte for byte,
// and the log must hold exactly the events the model expects.
//
// The model is written from the loan's rules, not from the engine's code:
// int64 cents, math/big for every product before its one rounding (half
// away from zero), its own calendar (due dates are the first due date plus
// whole months, anchored on its day and clamped to the month's end), its own
// 30/360 US day count, and a fold that walks the loan day by day from
// funding, so that backdating and reversals are nothing but a change of the
// event list folded again from scratch. The rules it states:
//
//   - Billing (scheduled interest, in arrears): installment i's interest is
//     its opening balance (the principal less the scheduled principal of the
//     unpaid installments before it) × the annual rate in force on the first
//     day of its period ÷ 12, rounded; its payment is the level payment in
//     force for it (1,199.10 until a recast), or the whole balance plus
//     interest when it is the last one or the payment would reach that.
//   - Waterfall (the GSE uniform instrument, payment.GSEMortgage): money
//     received plus suspense pays whole installments, oldest first: every
//     installment past due on the receipt date and the first unpaid one due
//     on or after it (the payment's cycle: a second full payment in a cycle
//     pays the next installment ahead); money that cannot pay the next whole
//     installment is held in suspense and nothing else is paid; then late
//     fees, NSF fees, other fees; the rest curtails principal (payment and
//     due date unchanged); beyond all principal it is a credit balance.
//   - Suspense is offered again to the installments on the day after each
//     due date (a new installment falls due); what they do not take stays.
//   - Payoff (Reg Z §1026.36(c)(3)): a receipt that, with suspense and the
//     credit balance, covers principal + interest from the paid-to date (the
//     start of the oldest unpaid installment's period) to the receipt date
//     at the rate in force on each day on a 30/360 US count + fees pays the
//     loan off; the rest is a credit balance, and money received after
//     payoff adds to it.
//   - Late fee: 5 % of the installment's periodic payment, rounded, charged
//     on due date + 15 days of grace + 1 when that installment is still
//     unpaid at the start of that day, at most once per installment.
//   - Days past due (Reg X §1024.31): the days since the oldest unpaid
//     installment's due date (0 while it is not past due); delinquent from
//     1 day past due; paid off once closed.
//   - Reversal: the payment never happened; the NSF fee is charged on the
//     reversal date. A backdated receipt is folded at its own date.
//   - Fees assessed and waived (at most the balance of their type), rate
//     changes (the new rate from the periods that start on or after the
//     change, the payment re-solved, exactly, over the installments left from
//     the first unpaid one whose period starts on or after it, on its opening
//     balance — the uniform ARM note's "amount sufficient to repay the unpaid
//     principal I am expected to owe ... in substantially equal payments"),
//     recasts (the same without a new rate), term extensions (more
//     installments, then a recast), deferments (every unpaid installment's
//     due date moves by the deferred periods and the term grows by them) and
//     end of day (no change to balances; a day closed again is a no-op).
//   - Refusals: fees, waivers, rate changes and modifications dated on or
//     after a payoff are ErrLoanClosed; a second workout program (term
//     extension, deferment) within five years is ErrInvalidCommand (FFIEC).
//
// Not modelled (commands not generated): re-ages and forbearance (the FFIEC
// re-age test and forbearance reporting would be the engine's rules over
// again), re-amortization with a new rate (a rate change plus an extension,
// both covered), charge-off and recoveries, adjustments, escrow, rate caps,
// ARM index resets, credit refunds and rules migration: each is either a
// different product or a corrective entry whose "model" is the engine's own
// definition. Negative amortization (a deferment that moves an installment
// billed at the old payment into a period at a higher rate) is skipped. The
// daily-simple-interest auto loan is not modelled: its partly paid
// installments (which interest an installment keeps when paid in parts, the
// total it keeps once billed) are the engine's bookkeeping choices rather
// than rules a model could state independently.
//
// Payoff: a receipt that, with the money on hand, covers the principal,
// the interest from the paid-to date at the rates the periods are billed at
// and the fees pays the loan off, unless it is exactly what the cycle asks
// for (or more, when the cycle takes in the last installment).
//
// Runs: TestModel is bounded for CI: rapid's default 100 sequences of about
// 30 commands, about a second (about 4 s with -race; -short runs 20
// sequences of about 15). The long runs:
//
//	go test -count=1 -run TestModel -rapid.checks=10000 -rapid.steps=200 .
//	go test -run XXX -fuzz FuzzModel -fuzztime 10m .
//
// (or RAPID_CHECKS and RAPID_STEPS in the environment). A failure is shrunk
// to a minimal command sequence, printed with the model's event log, and
// saved under testdata/rapid/TestModel/ (replay it with -rapid.failfile=...;
// -rapid.seed=N repeats a run).

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// The mortgage of helpers_test.go, as the model knows it.
const (
	mPrincipal = 20_000_000 // 200,000.00
	mPayment   = 119_910    // 1,199.10
	mTerm      = 360
	mGraceDays = 15
	mLateBps   = 500 // 5 % of the periodic payment
)

var mNoteRate = big.NewRat(6, 100)

// mProduct is the mortgage's calendar: mortgage() itself, or the same loan
// due on the last day of the month (anchored on the 31st, so due dates
// clamp to 30-day months and February, and the 30/360 count meets its
// end-of-month rules).
type mProduct struct {
	name              string
	funding, firstDue date.Date
}

var mProducts = []mProduct{
	{"mortgage", date.New(2024, time.January, 15), date.New(2024, time.March, 1)},
	{"mortgage due on the 31st", date.New(2024, time.February, 15), date.New(2024, time.March, 31)},
}

func (p mProduct) terms() loan.Terms {
	t := mortgage()
	t.FundingDate, t.FirstDueDate = p.funding, p.firstDue
	return t
}

// TestModel runs random command sequences against the engine and the model.
func TestModel(t *testing.T) {
	mStats = modelStats{actions: map[string]int{}, skips: map[string]int{}}
	start := time.Now()
	rapid.Check(t, modelProperty)
	t.Logf("%d sequences, %d commands run (%d refused as the model predicted), %d states compared in %v; commands %v; skipped %v",
		mStats.sequences, mStats.commands, mStats.refused, mStats.checks, time.Since(start).Round(time.Millisecond), mStats.actions, mStats.skips)
}

// modelStats counts what a run exercised (TestModel logs it).
type modelStats struct {
	sequences, commands, refused, checks int
	actions, skips                       map[string]int
}

var mStats = modelStats{actions: map[string]int{}, skips: map[string]int{}}

// FuzzModel is TestModel as a coverage-guided fuzz target.
func FuzzModel(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(modelProperty))
}

func modelProperty(t *rapid.T) {
	mStats.sequences++
	m := newModelRun(t)
	t.Repeat(map[string]func(*rapid.T){
		"PayOnTime":      m.payOnTime,
		"PayInGrace":     m.payInGrace,
		"PayLate":        m.payLate,
		"PayEarly":       m.payEarly,
		"PayPartial":     m.payPartial,
		"PayDouble":      m.payDouble,
		"PayExtra":       m.payExtra,
		"PayAny":         m.payAny,
		"PayOff":         m.payOff,
		"PayBackdated":   m.payBackdated,
		"ReversePayment": m.reverse,
		"AssessFee":      m.assessFee,
		"WaiveFee":       m.waiveFee,
		"ChangeRate":     m.changeRate,
		"Modify":         m.modify,
		"EndOfDay":       m.endOfDay,
		"":               m.check,
	})
}

// ---------------------------------------------------------------------------
// The model.

type mKind uint8

const (
	mPay mKind = iota
	mReverse
	mFee
	mWaive
	mRateChange
	mRecast
	mExtend
	mDefer
	mEOD
)

var mKindNames = [...]string{"pay", "reverse", "fee", "waive", "rate", "recast", "extend", "defer", "eod"}

// mEvent is one event of the loan's log as the model keeps it.
type mEvent struct {
	seq    int64
	on     date.Date
	kind   mKind
	cents  int64        // payment, fee, waiver or NSF fee
	fee    loan.FeeType // fee and waiver
	target int64        // the payment a reversal undoes
	rate   *big.Rat     // rate change: the annual rate
	n      int          // installments added or deferred
}

func (e mEvent) String() string {
	s := fmt.Sprintf("#%d %s %s", e.seq, e.on, mKindNames[e.kind])
	switch e.kind {
	case mPay:
		s += " " + mCents(e.cents).String()
	case mFee, mWaive:
		s += fmt.Sprintf(" %s %s", e.fee, mCents(e.cents))
	case mReverse:
		s += fmt.Sprintf(" #%d nsf %s", e.target, mCents(e.cents))
	case mRateChange:
		s += " " + e.rate.FloatString(5)
	case mExtend, mDefer:
		s += fmt.Sprintf(" %d", e.n)
	}
	return s
}

type mRatePoint struct {
	on date.Date
	r  *big.Rat
}

type mStep struct {
	from int
	pay  int64
}

// mState is the loan as the model folds it; amounts in cents.
type mState struct {
	p                       mProduct
	upb, suspense, credit   int64
	late, nsf, other        int64
	next, inst, offset, lft int // next unpaid installment, term, due-date shift, late fees decided through
	paidOff                 bool
	closedOn                date.Date
	rates                   []mRatePoint // rate changes folded, in date order
	steps                   []mStep      // level payment from installment from on
	dueCache                map[int]date.Date
	unmodelled              string // the history left what the model knows
}

// mFold folds events through asOf, day by day from funding: on each day the
// date-driven rules first (the day after a due date suspense is offered
// again; on due date + grace + 1 the late fee is decided), then that day's
// events in log order. A reversed payment is skipped.
func mFold(p mProduct, events []mEvent, asOf date.Date) *mState {
	s := &mState{p: p, upb: mPrincipal, next: 1, inst: mTerm, dueCache: map[int]date.Date{}}
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, func(a, b mEvent) int {
		if a.on != b.on {
			return int(a.on - b.on)
		}
		return int(a.seq - b.seq)
	})
	reversed := map[int64]bool{}
	for _, e := range evs {
		if e.kind == mReverse {
			reversed[e.target] = true
		}
	}
	i := 0
	for x := p.funding; x <= asOf; x++ {
		if !s.paidOff && x > p.funding {
			s.dayRules(x)
		}
		for ; i < len(evs) && evs[i].on == x; i++ {
			if e := evs[i]; e.kind != mPay || !reversed[e.seq] {
				s.apply(x, e)
			}
		}
	}
	return s
}

// due is installment i's due date: the first due date plus i−1 (and the
// deferred periods) months.
func (s *mState) due(i int) date.Date {
	n := i - 1 + s.offset
	if d, ok := s.dueCache[n]; ok {
		return d
	}
	d := mAddMonths(s.p.firstDue, n)
	s.dueCache[n] = d
	return d
}

// periodStart is the first day of installment i's interest period.
func (s *mState) periodStart(i int) date.Date { return s.due(i - 1) }

func (s *mState) rateOn(d date.Date) *big.Rat {
	r := mNoteRate
	for _, p := range s.rates {
		if p.on <= d {
			r = p.r
		}
	}
	return r
}

func (s *mState) paymentFor(i int) int64 {
	p := int64(mPayment)
	for _, st := range s.steps {
		if st.from <= i {
			p = st.pay
		}
	}
	return p
}

// bill is installment i's interest and principal on opening balance bal.
func (s *mState) bill(i int, bal int64) (interest, principal int64) {
	r := s.rateOn(s.periodStart(i))
	interest = mRound(new(big.Rat).Mul(big.NewRat(bal, 12), r))
	pay := s.paymentFor(i)
	if i >= s.inst || bal+interest <= pay {
		pay = bal + interest
	}
	if interest > pay {
		s.unmodelled = "negative amortization"
	}
	return interest, pay - interest
}

// nextTotal is the next unpaid installment's periodic payment as billed now.
func (s *mState) nextTotal() int64 {
	if s.paidOff || s.next > s.inst {
		return mPayment
	}
	i, p := s.bill(s.next, s.upb)
	return i + p
}

// installments pays whole installments from money on date x, oldest first:
// each one past due on x, then the first one due on or after x. It returns
// what is left and whether an installment the money could not cover stopped
// it.
func (s *mState) installments(x date.Date, money int64) (int64, bool) {
	for s.next <= s.inst && s.upb > 0 {
		interest, principal := s.bill(s.next, s.upb)
		if money < interest+principal {
			return money, true
		}
		money -= interest + principal
		s.upb -= principal
		due := s.due(s.next)
		s.next++
		if due >= x {
			break
		}
	}
	return money, false
}

// dayRules runs the date-driven rules of day x: the suspense sweep the day
// after a due date, then the late fee decided on due date + grace + 1 (both
// on one day: the sweep first).
func (s *mState) dayRules(x date.Date) {
	if s.suspense > 0 {
		for j := s.next; j <= s.inst; j++ {
			dj := s.due(j)
			if dj+1 == x {
				left, _ := s.installments(x, s.suspense)
				s.suspense = left
				break
			}
			if dj >= x {
				break
			}
		}
	}
	lfk := max(s.next, s.lft+1)
	if lfk <= s.inst && s.due(lfk)+mGraceDays+1 == x {
		bal, total := s.upb, int64(0)
		for i := s.next; i <= lfk; i++ {
			in, pr := s.bill(i, bal)
			bal, total = bal-pr, in+pr
		}
		s.late += mRound(big.NewRat(total*mLateBps, 10_000))
		s.lft = lfk
	}
}

func (s *mState) apply(x date.Date, e mEvent) {
	switch e.kind {
	case mPay:
		s.pay(x, e.cents)
	case mReverse:
		s.nsf += e.cents
	case mFee:
		*s.bucket(e.fee) += e.cents
	case mWaive:
		b := s.bucket(e.fee)
		*b -= min(*b, e.cents)
	case mRateChange:
		if !s.paidOff {
			s.rates = append(slices.DeleteFunc(slices.Clone(s.rates), func(p mRatePoint) bool { return p.on == x }), mRatePoint{x, e.rate})
			s.recast(x)
		}
	case mRecast:
		if !s.paidOff {
			s.recast(x)
		}
	case mExtend:
		if !s.paidOff {
			s.inst += e.n
			s.recast(x)
		}
	case mDefer:
		if !s.paidOff {
			s.offset += e.n
			s.inst += e.n
			s.dueCache = map[int]date.Date{}
		}
	case mEOD:
	}
}

func (s *mState) bucket(t loan.FeeType) *int64 {
	switch t {
	case loan.FeeLate:
		return &s.late
	case loan.FeeNSF:
		return &s.nsf
	}
	return &s.other
}

// payoffOwed is what pays the loan off on x before money on hand: the
// principal, the interest from the paid-to date to x, and the fees. Each
// day's interest is at the rate its period is billed at (the rate in force
// on the period's first day); each run of days at one rate is UPB × rate ×
// its 30/360 days / 360, rounded half away from zero.
func (s *mState) payoffOwed(x date.Date) int64 {
	interest := int64(0)
	if from := s.periodStart(s.next); from < x {
		type piece struct {
			a date.Date
			r *big.Rat
		}
		var ps []piece
		for j := s.next; ; j++ {
			st := s.periodStart(j)
			a := max(st, from)
			if a >= x {
				break
			}
			if r := s.rateOn(st); len(ps) == 0 || ps[len(ps)-1].r.Cmp(r) != 0 {
				ps = append(ps, piece{a, r})
			}
			if s.due(j) >= x || j >= s.inst {
				break
			}
		}
		for k, p := range ps {
			end := x
			if k+1 < len(ps) {
				end = ps[k+1].a
			}
			interest += mRound(new(big.Rat).Mul(p.r, big.NewRat(s.upb*int64(mDays360(p.a, end)), 360)))
		}
	}
	return s.upb + interest + s.late + s.nsf + s.other
}

// cycle is what x's cycle asks for: every installment past due and the one
// due on or after x, and the fees; rest is the principal beyond them.
func (s *mState) cycle(x date.Date) (due, rest int64) {
	bal := s.upb
	for j := s.next; j <= s.inst && bal > 0; j++ {
		in, pr := s.bill(j, bal)
		due, bal = due+in+pr, bal-pr
		if s.due(j) >= x {
			break
		}
	}
	return due + s.late + s.nsf + s.other, bal
}

// pay applies a receipt: a payoff when, with the money on hand, it covers
// payoffOwed, unless it is exactly what the cycle asks for (or more, when
// the cycle takes in the last installment): that is a periodic payment.
func (s *mState) pay(x date.Date, amt int64) {
	if s.paidOff {
		s.credit += amt
		return
	}
	onHand := s.suspense + s.credit
	if have := amt + onHand; have >= s.upb {
		cyc, rest := s.cycle(x)
		periodic := have == cyc || have > cyc && rest == 0
		if owed := s.payoffOwed(x); !periodic && have >= owed {
			s.upb, s.suspense, s.late, s.nsf, s.other = 0, 0, 0, 0, 0
			s.credit = have - owed
			s.close(x)
			return
		}
	}
	money, stopped := s.installments(x, amt+s.suspense)
	s.suspense = 0
	if stopped {
		s.suspense = money
		return
	}
	for _, b := range []*int64{&s.late, &s.nsf, &s.other} {
		p := min(money, *b)
		*b, money = *b-p, money-p
	}
	c := min(money, s.upb)
	s.upb, money = s.upb-c, money-c
	s.credit += money
	if s.upb == 0 {
		s.close(x)
	}
}

func (s *mState) close(x date.Date) {
	s.paidOff, s.closedOn, s.next = true, x, s.inst+1
}

// recast re-solves the level payment from date x: from the first unpaid
// installment whose period starts on or after x, on its opening balance, at
// the rate of its period, over the installments left.
func (s *mState) recast(x date.Date) {
	if s.upb <= 0 {
		return
	}
	j := s.next
	for j <= s.inst && s.periodStart(j) < x {
		j++
	}
	if j > s.inst {
		return
	}
	bal := s.upb
	for i := s.next; i < j; i++ {
		_, p := s.bill(i, bal)
		bal -= p
	}
	if bal <= 0 {
		return
	}
	pay := mLevel(bal, s.rateOn(s.periodStart(j)), s.inst-j+1)
	s.steps = append(slices.DeleteFunc(slices.Clone(s.steps), func(st mStep) bool { return st.from >= j }), mStep{j, pay})
}

// dpd is the days past due on asOf.
func (s *mState) dpd(asOf date.Date) int {
	if s.paidOff || s.next > s.inst || s.due(s.next) >= asOf {
		return 0
	}
	return int(asOf - s.due(s.next))
}

func (s *mState) status(asOf date.Date) loan.ServicingStatus {
	switch {
	case s.paidOff:
		return loan.StatusPaidOff
	case s.dpd(asOf) >= 1:
		return loan.StatusDelinquent
	}
	return loan.StatusCurrent
}

func (s *mState) payment() int64 { return s.paymentFor(s.inst + 1) }

// mLevel is the level payment that repays bal in n monthly installments at
// annual rate r: bal·i / (1 − (1+i)^−n), i = r/12, rounded to the cent.
// With i = p/q that is bal·p·(q+p)^n / (q·((q+p)^n − q^n)), in integers.
func mLevel(bal int64, r *big.Rat, n int) int64 {
	key := mLevelKey{bal, r.RatString(), n}
	if p, ok := mLevels[key]; ok {
		return p
	}
	i := new(big.Rat).Quo(r, big.NewRat(12, 1))
	var pay int64
	if i.Sign() == 0 {
		pay = mRound(big.NewRat(bal, int64(n)))
	} else {
		p, q := i.Num(), i.Denom()
		a := new(big.Int).Exp(new(big.Int).Add(q, p), big.NewInt(int64(n)), nil)
		b := new(big.Int).Exp(q, big.NewInt(int64(n)), nil)
		num := new(big.Int).Mul(new(big.Int).Mul(big.NewInt(bal), p), a)
		den := new(big.Int).Mul(q, new(big.Int).Sub(a, b))
		pay = mRoundFrac(num, den)
	}
	mLevels[key] = pay
	return pay
}

type mLevelKey struct {
	bal int64
	r   string
	n   int
}

// mLevels memoizes mLevel: every fold solves the same recasts again.
var mLevels = map[mLevelKey]int64{}

// mRoundFrac rounds num/den (den > 0) to an integer, half away from zero.
func mRoundFrac(num, den *big.Int) int64 {
	n := new(big.Int).Abs(num)
	q := n.Add(n.Lsh(n, 1), den)
	q.Quo(q, new(big.Int).Lsh(den, 1))
	if num.Sign() < 0 {
		q.Neg(q)
	}
	return q.Int64()
}

// mRound rounds x to an integer, half away from zero.
func mRound(x *big.Rat) int64 { return mRoundFrac(x.Num(), x.Denom()) }

// mDays360 is the 30/360 US day count of [a, b) (SIA: the end of February
// counts as the 30th when the period starts on it; a 31st as the 30th).
func mDays360(a, b date.Date) int {
	y1, m1, d1 := a.Date()
	y2, m2, d2 := b.Date()
	feb1 := m1 == time.February && d1 == mDaysIn(y1, m1)
	feb2 := m2 == time.February && d2 == mDaysIn(y2, m2)
	if feb1 && feb2 {
		d2 = 30
	}
	if feb1 {
		d1 = 30
	}
	if d2 == 31 && d1 >= 30 {
		d2 = 30
	}
	if d1 == 31 {
		d1 = 30
	}
	return 360*(y2-y1) + 30*(int(m2)-int(m1)) + d2 - d1
}

func mDaysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// mAddMonths adds n months to d, keeping its day, clamped to the month end.
func mAddMonths(d date.Date, n int) date.Date {
	y, m, day := d.Date()
	mm := int(m) - 1 + n
	y += mm / 12
	if mm %= 12; mm < 0 {
		mm += 12
		y--
	}
	month := time.Month(mm + 1)
	return date.New(y, month, min(day, mDaysIn(y, month)))
}

func mCents(c int64) money.Amount { return money.MustNew(c, money.USD) }

// ---------------------------------------------------------------------------
// The run: one engine, one loan, the model's event list beside it.

type modelRun struct {
	p       mProduct
	ctx     context.Context
	store   *servicingtest.MemStore
	e       *servicing.Engine
	events  []mEvent
	version int64
	cursor  date.Date // the latest date seen
	keys    int
	want    *mState // the model on cursor
}

func newModelRun(t *rapid.T) *modelRun {
	store := servicingtest.NewMemStore()
	e, err := servicing.New(servicing.Config{Store: store, Now: new(clock).Now, CheckpointEvery: 3})
	if err != nil {
		t.Fatal(err)
	}
	p := rapid.SampledFrom(mProducts).Draw(t, "product")
	m := &modelRun{ctx: context.Background(), store: store, e: e, p: p, version: 1, cursor: p.funding}
	if _, err := e.Board(m.ctx, "L", loan.BoardingRequest{Terms: p.terms(), Borrower: "B"}, servicing.Meta{IdempotencyKey: "board"}); err != nil {
		t.Fatal(err)
	}
	m.want = m.fold(nil, m.cursor)
	return m
}

func (m *modelRun) fold(events []mEvent, asOf date.Date) *mState { return mFold(m.p, events, asOf) }

func (m *modelRun) meta() servicing.Meta {
	m.keys++
	return servicing.Meta{IdempotencyKey: fmt.Sprintf("k%d", m.keys), Actor: "model"}
}

// do runs one command: the model's expected error (nil: accepted), and the
// command. An accepted command appends ev (with the seq the engine gave it)
// to the model's log unless noEvent; a command whose history would show a
// known defect, or leave the model, is skipped before it runs.
func (m *modelRun) do(t *rapid.T, ev mEvent, want error, noEvent bool, call func() (servicing.Result, error)) {
	asOf := max(m.cursor, ev.on)
	if want == nil && !noEvent {
		ev.seq = m.version + 1
		if next := m.fold(append(slices.Clone(m.events), ev), asOf); next.unmodelled != "" {
			mStats.skips[next.unmodelled]++
			t.Skip("outside the model: " + next.unmodelled)
		}
	}
	mStats.commands++
	mStats.actions[mKindNames[ev.kind]]++
	if want != nil {
		mStats.refused++
	}
	r, err := call()
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s: the model accepts it, the engine refuses: %v\nlog:%s", ev, err, m.log())
	case want != nil && !errors.Is(err, want):
		t.Fatalf("%s: want %v, got %v\nlog:%s", ev, want, err, m.log())
	case want != nil || noEvent:
		// A repeated end of day answers with the first one's result.
		if len(r.Events) != 0 && !r.Replayed {
			t.Fatalf("%s: want no event, got %d\nlog:%s", ev, len(r.Events), m.log())
		}
	default:
		if len(r.Events) != 1 || r.Events[0].Seq != ev.seq {
			t.Fatalf("%s: want one event #%d, got %+v\nlog:%s", ev, ev.seq, r.Events, m.log())
		}
		m.events = append(m.events, ev)
		m.version = ev.seq
	}
	if asOf != m.cursor || want == nil && !noEvent {
		m.cursor = asOf
		m.want = m.fold(m.events, m.cursor)
	}
}

// log lists the model's events, one a line.
func (m *modelRun) log() string {
	var b strings.Builder
	for _, e := range m.events {
		fmt.Fprintf(&b, "\n  %s", e)
	}
	return b.String()
}

// closed reports whether a command dated on meets a paid-off loan.
func (m *modelRun) closed(on date.Date) bool { return m.want.paidOff && on >= m.want.closedOn }

// nearDate is a date around the cursor: mostly up to 20 days after it, one
// time in five up to 60 days before it (backdated).
func (m *modelRun) nearDate(t *rapid.T, label string) date.Date {
	if rapid.IntRange(0, 4).Draw(t, label+"Backdated") == 4 {
		return max(m.p.funding, m.cursor-date.Date(rapid.IntRange(1, 60).Draw(t, label+"DaysBefore")))
	}
	return m.cursor + date.Date(rapid.IntRange(0, 20).Draw(t, label+"DaysAfter"))
}

// dueDate is the next unpaid installment's due date moved by days, kept
// within funding and 45 days after the cursor (a loan paid far ahead, or
// paid off, has its next due date years away).
func (m *modelRun) dueDate(days int) date.Date {
	d := m.p.funding
	if !m.want.paidOff {
		d = m.want.due(m.want.next)
	}
	return min(max(m.p.funding, d+date.Date(days)), m.cursor+45)
}

func (m *modelRun) post(t *rapid.T, on date.Date, amt int64) {
	if amt <= 0 {
		// Nothing to pay: an installment of a balance too small for its
		// payment to round above zero bills 0.00 (the last one takes the
		// rest), and the engine refuses a receipt of nothing.
		return
	}
	m.do(t, mEvent{on: on, kind: mPay, cents: amt}, nil, false, func() (servicing.Result, error) {
		return m.e.PostPayment(m.ctx, "L", on, mCents(amt), m.meta())
	})
}

func (m *modelRun) payOnTime(t *rapid.T) { m.post(t, m.dueDate(0), m.want.nextTotal()) }
func (m *modelRun) payInGrace(t *rapid.T) {
	m.post(t, m.dueDate(rapid.IntRange(1, 15).Draw(t, "days")), m.want.nextTotal())
}
func (m *modelRun) payLate(t *rapid.T) {
	m.post(t, m.dueDate(rapid.IntRange(16, 45).Draw(t, "days")), m.want.nextTotal())
}
func (m *modelRun) payEarly(t *rapid.T) {
	m.post(t, m.dueDate(-rapid.IntRange(1, 25).Draw(t, "days")), m.want.nextTotal())
}

func (m *modelRun) payPartial(t *rapid.T) {
	total := m.want.nextTotal()
	if total < 2 {
		return // no part of 0.00 or 0.01 to pay
	}
	m.post(t, m.nearDate(t, "on"), rapid.Int64Range(1, total-1).Draw(t, "cents"))
}

func (m *modelRun) payDouble(t *rapid.T) { m.post(t, m.nearDate(t, "on"), 2*m.want.nextTotal()) }

func (m *modelRun) payExtra(t *rapid.T) {
	m.post(t, m.nearDate(t, "on"), m.want.nextTotal()+rapid.Int64Range(1, 500_000).Draw(t, "extra"))
}

func (m *modelRun) payAny(t *rapid.T) {
	m.post(t, m.nearDate(t, "on"), rapid.Int64Range(1, 400_000).Draw(t, "cents"))
}

func (m *modelRun) payBackdated(t *rapid.T) {
	on := max(m.p.funding, m.cursor-date.Date(rapid.IntRange(1, 90).Draw(t, "daysBefore")))
	total := m.want.nextTotal()
	m.post(t, on, rapid.SampledFrom([]int64{total, total / 2, 2 * total}).Draw(t, "cents"))
}

// payOff sends the payoff amount for its date (the model's), give or take.
func (m *modelRun) payOff(t *rapid.T) {
	if len(m.events)%3 != 2 {
		// Rarer than the other payments: a paid-off loan refuses most
		// commands, so sequences would end early.
		t.Skip("not now")
	}
	on := m.nearDate(t, "on")
	s := m.fold(m.events, on)
	owed := s.payoffOwed(on)
	onHand := s.suspense + s.credit
	delta := rapid.SampledFrom([]int64{0, -1, 1, 100_000}).Draw(t, "delta")
	m.post(t, on, max(1, owed-onHand+delta))
}

func (m *modelRun) reverse(t *rapid.T) {
	reversed := map[int64]bool{}
	for _, e := range m.events {
		if e.kind == mReverse {
			reversed[e.target] = true
		}
	}
	var open []mEvent
	for _, e := range m.events {
		if e.kind == mPay && !reversed[e.seq] {
			open = append(open, e)
		}
	}
	if len(open) == 0 {
		mStats.skips["no payment to reverse"]++
		t.Skip("no payment to reverse")
	}
	p := rapid.SampledFrom(open).Draw(t, "payment")
	on := p.on + date.Date(rapid.IntRange(0, 45).Draw(t, "daysAfterPayment"))
	nsf := rapid.SampledFrom([]int64{0, 2500}).Draw(t, "nsf")
	m.do(t, mEvent{on: on, kind: mReverse, target: p.seq, cents: nsf}, nil, false, func() (servicing.Result, error) {
		return m.e.ReversePayment(m.ctx, "L", on, p.seq, mCents(nsf), m.meta())
	})
}

var mFeeTypes = []loan.FeeType{loan.FeeOther, loan.FeeLate, loan.FeeNSF}

func (m *modelRun) assessFee(t *rapid.T) {
	on := m.nearDate(t, "on")
	typ := rapid.SampledFrom(mFeeTypes).Draw(t, "type")
	amt := rapid.SampledFrom([]int64{1000, 2500, 5996, 1}).Draw(t, "cents")
	m.do(t, mEvent{on: on, kind: mFee, fee: typ, cents: amt}, m.closedErr(on), false, func() (servicing.Result, error) {
		return m.e.AssessFee(m.ctx, "L", on, typ, mCents(amt), m.meta())
	})
}

func (m *modelRun) waiveFee(t *rapid.T) {
	on := m.nearDate(t, "on")
	typ := rapid.SampledFrom(mFeeTypes).Draw(t, "type")
	amt := rapid.Int64Range(1, 10_000).Draw(t, "cents")
	m.do(t, mEvent{on: on, kind: mWaive, fee: typ, cents: amt}, m.closedErr(on), false, func() (servicing.Result, error) {
		return m.e.WaiveFee(m.ctx, "L", on, typ, mCents(amt), m.meta())
	})
}

func (m *modelRun) closedErr(on date.Date) error {
	if m.closed(on) {
		return servicing.ErrLoanClosed
	}
	return nil
}

var mRates = []string{"3", "4.5", "5.25", "6", "7.125", "8"}

func (m *modelRun) changeRate(t *rapid.T) {
	on := m.nearDate(t, "on")
	pct := rapid.SampledFrom(mRates).Draw(t, "percent")
	r, _ := new(big.Rat).SetString(pct)
	r.Quo(r, big.NewRat(100, 1))
	m.do(t, mEvent{on: on, kind: mRateChange, rate: r}, m.closedErr(on), false, func() (servicing.Result, error) {
		return m.e.ChangeRate(m.ctx, "L", on, rate.MustPercent(pct), m.meta())
	})
}

func (m *modelRun) modify(t *rapid.T) {
	on := m.nearDate(t, "on")
	ev := mEvent{on: on}
	var mod loan.Modified
	switch rapid.IntRange(0, 2).Draw(t, "type") {
	case 0:
		ev.kind, mod.Type = mRecast, loan.ModRecast
	case 1:
		ev.kind, mod.Type = mExtend, loan.ModTermExtension
		ev.n = rapid.IntRange(1, 24).Draw(t, "extend")
		mod.ExtendInstallments = ev.n
	default:
		ev.kind, mod.Type = mDefer, loan.ModDeferment
		ev.n = rapid.IntRange(1, 3).Draw(t, "defer")
		mod.DeferInstallments = ev.n
	}
	refused := false
	if ev.kind != mRecast {
		// One workout program in five years (FFIEC): a second one within
		// five years of the first is refused. It is dated on or after the
		// latest one, since the engine counts only the programs effective
		// on or before a command's date (a backdated second one passes).
		for _, e := range m.events {
			if e.kind == mExtend || e.kind == mDefer {
				ev.on = max(ev.on, e.on)
			}
		}
		for _, e := range m.events {
			if e.kind == mExtend || e.kind == mDefer {
				refused = refused || mAddMonths(e.on, 60) > ev.on
			}
		}
	}
	want := m.closedErr(ev.on)
	if refused && want == nil {
		want = servicing.ErrInvalidCommand
	}
	on = ev.on
	m.do(t, ev, want, false, func() (servicing.Result, error) {
		return m.e.Modify(m.ctx, "L", on, mod, m.meta())
	})
}

func (m *modelRun) endOfDay(t *rapid.T) {
	var on date.Date
	if rapid.IntRange(0, 4).Draw(t, "backdated") == 4 {
		on = max(m.p.funding, m.cursor-date.Date(rapid.IntRange(1, 30).Draw(t, "daysBefore")))
	} else {
		on = m.cursor + date.Date(rapid.IntRange(0, 45).Draw(t, "daysAfter"))
	}
	var closed date.Date
	for _, e := range m.events {
		if e.kind == mEOD {
			closed = max(closed, e.on)
		}
	}
	m.do(t, mEvent{on: on, kind: mEOD}, nil, on <= closed, func() (servicing.Result, error) {
		return m.e.EndOfDay(m.ctx, "L", on, servicing.Meta{})
	})
}

// check compares the engine's state on the cursor with the model's, the
// engine's checkpointed state with a full replay of its log, and the payoff
// quote.
func (m *modelRun) check(t *rapid.T) {
	mStats.checks++
	s, err := m.e.State(m.ctx, "L", m.cursor)
	if err != nil {
		t.Fatalf("State(%s): %v", m.cursor, err)
	}
	w := m.want
	type field struct {
		name      string
		got, want any
	}
	fields := []field{
		{"principal", s.Principal.Minor(), w.upb},
		{"late fees", s.LateFees.Minor(), w.late},
		{"NSF fees", s.NSFFees.Minor(), w.nsf},
		{"other fees", s.OtherFees.Minor(), w.other},
		{"suspense", s.Suspense.Minor(), w.suspense},
		{"credit balance", s.CreditBalance.Minor(), w.credit},
		{"next installment", s.NextInstallment, w.next},
		{"installments", s.Installments, w.inst},
		{"payment", s.Payment.Minor(), w.payment()},
		{"days past due", s.DaysPastDue(), w.dpd(m.cursor)},
		{"status", s.Status, w.status(m.cursor)},
	}
	var bad []string
	for _, f := range fields {
		if f.got != f.want {
			bad = append(bad, fmt.Sprintf("%s: engine %v, model %v", f.name, f.got, f.want))
		}
	}
	if !w.paidOff {
		{
			owed := w.payoffOwed(m.cursor)
			q, err := s.Payoff(m.cursor)
			if err != nil {
				t.Fatalf("Payoff(%s): %v", m.cursor, err)
			}
			if want := max(0, owed-w.suspense-w.credit); q.Total.Minor() != want {
				bad = append(bad, fmt.Sprintf("payoff total: engine %s, model %s", q.Total, mCents(want)))
			}
		}
	}
	if len(bad) > 0 {
		t.Fatalf("on %s the engine and the model differ:\n  %s\nlog:%s", m.cursor, strings.Join(bad, "\n  "), m.log())
	}
	evs, err := m.store.Events(m.ctx, "L", 1)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(evs)) != m.version {
		t.Fatalf("the log holds %d events, the model %d", len(evs), m.version)
	}
	full, err := loan.Replay(evs[0].Payload.(loan.Boarded).Terms, evs, m.cursor)
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if full.Hash() != s.Hash() {
		t.Fatalf("on %s the checkpointed state differs from a full replay:\n got %+v\nfull %+v", m.cursor, s, full)
	}
}

// FuzzFold is a fast fuzz target for the fold (FuzzReplay folds every log
// to 2030, years past its last event, where a delinquent loan's window of
// unpaid installments grows each month): short random logs (randomLog, at
// most 24 events) folded to a few days after their last event. It checks
// that the fold never panics, is deterministic (twice, and from the log in
// another order), that the state encoding round-trips, and that folding on
// from a checkpoint taken after the first cut events (through the canonical
// encoding, as a store keeps it) equals the full fold when the checkpoint is
// valid (nothing later is backdated before it or reverses what it holds).
func FuzzFold(f *testing.F) {
	for _, s := range []uint64{0, 1, 7, 42, 99} {
		f.Add(s, uint8(12), uint8(5), uint8(3))
	}
	f.Fuzz(func(t *testing.T, seed uint64, n, cut, tail uint8) {
		l := randomLog(seed, int(n%24))
		var last date.Date
		for _, e := range l.events {
			last = max(last, e.EffectiveOn)
		}
		asOf := last + date.Date(tail%41)
		a, errA := loan.Replay(l.terms, l.events, asOf)
		rev := slices.Clone(l.events)
		slices.Reverse(rev)
		b, errB := loan.Replay(l.terms, rev, asOf)
		if (errA == nil) != (errB == nil) || errA == nil && a.Hash() != b.Hash() {
			t.Fatalf("replay not deterministic: %v / %v", errA, errB)
		}
		if errA != nil {
			if !errors.Is(errA, loan.ErrInvariant) && !errors.Is(errA, loan.ErrInvalidEvent) {
				t.Fatalf("replay: unexpected error %v", errA)
			}
			return
		}
		enc, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back loan.State
		if err := back.UnmarshalBinary(enc); err != nil || back.Hash() != a.Hash() {
			t.Fatalf("encoding round trip: %v", err)
		}
		v := 1 + int(cut)%len(l.events)
		cp, err := checkpoint(l.terms, l.events[:v])
		if err != nil || stale(cp, l.events[v:]) {
			return
		}
		cb, _ := cp.MarshalBinary()
		var from loan.State
		if err := from.UnmarshalBinary(cb); err != nil {
			t.Fatalf("checkpoint round trip: %v", err)
		}
		got, err := loan.ReplayFrom(from, l.events[v:], asOf)
		if err != nil || got.Hash() != a.Hash() {
			t.Fatalf("from the checkpoint after %d events: %v\n got %+v\nfull %+v", v, err, got, a)
		}
	})
}
