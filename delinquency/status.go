package delinquency

import (
	"slices"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Status is where a loan stands on the delinquency ladder.
type Status string

// Statuses, from best to worst, then the terminal ones.
const (
	// StatusCurrent: DPD below Policy.Status.DelinquentDays.
	StatusCurrent Status = "current"
	// StatusDelinquent: DPD ≥ DelinquentDays.
	StatusDelinquent Status = "delinquent"
	// StatusDefault: DPD ≥ DefaultDays.
	StatusDefault Status = "default"
	// StatusNonAccrual: DPD reached NonAccrualDays; left only when the
	// loan is brought current (nothing periodic past due).
	StatusNonAccrual Status = "non_accrual"
	// StatusChargedOff: DPD reached ChargeOffDays or the host charged the
	// loan off; later credits are recoveries. Left only by payoff or closure.
	StatusChargedOff Status = "charged_off"
	// StatusPaidOff: the loan was paid off (Loan.PaidOffOn).
	StatusPaidOff Status = "paid_off"
	// StatusClosed: the account was closed (Loan.ClosedOn).
	StatusClosed Status = "closed"
)

func (s Status) rank() int {
	switch s {
	case StatusDelinquent:
		return 1
	case StatusDefault:
		return 2
	case StatusNonAccrual:
		return 3
	case StatusChargedOff:
		return 4
	case StatusPaidOff:
		return 5
	case StatusClosed:
		return 6
	}
	return 0
}

// Reason says why a transition happened.
type Reason string

// Transition reasons.
const (
	// ReasonThreshold: DPD reached the threshold of a worse status.
	ReasonThreshold Reason = "dpd_threshold"
	// ReasonPayment: a payment lowered DPD below a threshold, but something
	// is still past due.
	ReasonPayment Reason = "payment"
	// ReasonBroughtCurrent: nothing periodic is past due any more.
	ReasonBroughtCurrent Reason = "brought_current"
	// ReasonReAged: a re-age (Loan.ReAgedOn) brought the loan current.
	ReasonReAged Reason = "re_aged"
	// ReasonChargeOffThreshold: DPD reached Policy.Status.ChargeOffDays.
	ReasonChargeOffThreshold Reason = "charge_off_threshold"
	// ReasonChargeOffRecorded: the host charged the loan off (Loan.ChargedOffOn).
	ReasonChargeOffRecorded Reason = "charge_off_recorded"
	// ReasonRecovery: money was received after charge-off (From == To).
	ReasonRecovery Reason = "recovery"
	// ReasonPaidOff: the loan was paid off.
	ReasonPaidOff Reason = "paid_off"
	// ReasonClosed: the account was closed.
	ReasonClosed Reason = "closed"
)

// Transition is one status change (or a recovery), a value the engine can
// record as an event.
type Transition struct {
	// On is the first day of the new status (end-of-day semantics: the
	// change is caused by what happened on or before On).
	On date.Date
	// From and To are the statuses before and after (equal for recoveries).
	From, To Status
	// Reason explains the change.
	Reason Reason
	// DPD is days past due on On.
	DPD int
	// Amount is the money received, for recoveries; zero otherwise.
	Amount money.Amount
}

// Episode is one continuous spell of delinquency: from the first day a
// periodic payment is past due until nothing is.
type Episode struct {
	// FirstDelinquentOn is the due date of the payment whose miss started
	// the episode: the date of first delinquency. It is never rewritten,
	// even when later payments roll the oldest unpaid installment forward
	// or the loan is re-aged (FCRA §1681c(c) reporting clock).
	FirstDelinquentOn date.Date
	// Cured says the episode has ended; CuredOn is the first day with
	// nothing past due and CureReason why (brought current, re-aged, paid off).
	Cured      bool
	CuredOn    date.Date
	CureReason Reason
	// MaxDPD is the highest DPD seen in the episode (up to the sweep end).
	MaxDPD int
}

// AgingBucketSpan is a stretch of days the loan spent in one aging bucket:
// [Entered, Left).
type AgingBucketSpan struct {
	Bucket AgingBucket
	// Entered is the first day in the bucket (or History.From).
	Entered date.Date
	// Left is the first day outside the bucket, or History.To when Ongoing.
	Left date.Date
	// Ongoing says the loan was still in the bucket at History.To.
	Ongoing bool
}

// BucketSpan is the former name of [AgingBucketSpan]: a bucket is a
// waterfall bucket (payment.Bucket).
//
// Deprecated: use AgingBucketSpan.
type BucketSpan = AgingBucketSpan

// History is the delinquency history over [From, To).
type History struct {
	From, To date.Date
	// StatusAtFrom is the status on From (derived from everything before).
	StatusAtFrom Status
	// Buckets lists consecutive aging bucket spans covering [From, To).
	Buckets []AgingBucketSpan
	// Transitions lists status changes and recoveries dated in [From, To).
	Transitions []Transition
	// Episodes lists every delinquency episode that began before To,
	// including ones that began before From.
	Episodes []Episode
	// Final is the status report for the last day, To − 1.
	Final StatusReport
}

// StatusReport is the status of a loan at the end of one day.
type StatusReport struct {
	AsOf   date.Date
	Status Status
	// Since is the day the loan entered Status.
	Since date.Date
	// DPD is days past due on AsOf.
	DPD int
	// ChargeOff is the policy's charge-off behaviour, set when charged off.
	ChargeOff ChargeOffBehavior
	// InEpisode says a delinquency episode is open; Episode is the open
	// one, or the last closed one when InEpisode is false and HasEpisode.
	InEpisode, HasEpisode bool
	Episode               Episode
}

// History sweeps the loan day by day from its first due date (or from, if
// earlier) to to − 1 and returns what happened in [from, to). It returns an
// error wrapping [ErrInvalidInput] when from or to is outside [MinDate,
// MaxDate] or to ≤ from.
func (e *Evaluator) History(from, to date.Date) (History, error) {
	var l field.List
	checkDate(&l, "from", from)
	checkDate(&l, "to", to)
	if to <= from {
		l.Add("to", to, field.ErrInvalid, "must be after from")
	}
	if err := l.Err(ErrInvalidInput); err != nil {
		return History{}, err
	}
	return e.sweep(from, to), nil
}

// Status returns the status report at the end of asOf, derived from the
// whole history up to asOf (non-accrual and charge-off are sticky). It
// returns an error wrapping [ErrInvalidInput] for a date outside [MinDate,
// MaxDate).
func (e *Evaluator) Status(asOf date.Date) (StatusReport, error) {
	h, err := e.History(asOf, asOf+1)
	if err != nil {
		return StatusReport{}, err
	}
	return h.Final, nil
}

// sweeper holds the running state of one sweep.
type sweeper struct {
	e           *Evaluator
	from, to    date.Date
	h           History
	status      Status
	since       date.Date
	chargedOn   date.Date
	episodes    []Episode
	open        bool
	k           int
	pool        int64
	changes     []date.Date
	ci          int
	recovOn     []date.Date // all credits by receipt date
	recovAmt    []int64
	ri          int
	bucket      int
	bucketStart date.Date
	// MBA/OTS month count, recomputed only when it can change: after a
	// credit or re-age, when an installment becomes past due, or when a
	// method threshold date passes.
	months      int
	monthsValid bool
	ti, di      int
}

func (e *Evaluator) sweep(from, to date.Date) History {
	s := &sweeper{e: e, from: from, to: to, status: StatusCurrent, bucket: -1}
	s.h = History{From: from, To: to}
	start := min(from, e.due[0])
	s.since = start
	s.prepare()
	var dpd int
	for t := start; t < to; t++ {
		dpd = s.day(t)
	}
	if s.bucket >= 0 {
		s.h.Buckets = append(s.h.Buckets, AgingBucketSpan{Bucket: e.buckets[s.bucket], Entered: s.bucketStart, Left: to, Ongoing: true})
	}
	s.h.Episodes = s.episodes
	f := StatusReport{AsOf: to - 1, Status: s.status, Since: s.since, DPD: dpd, InEpisode: s.open}
	if s.status == StatusChargedOff {
		f.ChargeOff = e.policy.Status.ChargeOff
	}
	if len(s.episodes) > 0 {
		f.HasEpisode = true
		f.Episode = s.episodes[len(s.episodes)-1]
	}
	s.h.Final = f
	return s.h
}

func (s *sweeper) prepare() {
	e := s.e
	s.changes = append(slices.Clone(e.credOn), e.reAges...)
	slices.Sort(s.changes)
	s.changes = slices.Compact(s.changes)
	type rc struct {
		on  date.Date
		amt int64
	}
	all := make([]rc, len(e.credOn))
	for j := range e.credOn {
		all[j] = rc{e.credOn[j], e.credPer[j] + e.credFee[j]}
	}
	slices.SortStableFunc(all, func(a, b rc) int { return int(a.on - b.on) })
	for _, r := range all {
		if n := len(s.recovOn); n > 0 && s.recovOn[n-1] == r.on {
			s.recovAmt[n-1] += r.amt
			continue
		}
		s.recovOn = append(s.recovOn, r.on)
		s.recovAmt = append(s.recovAmt, r.amt)
	}
	s.k = -1
}

// day advances the sweep to the end of day t and returns DPD on t.
func (s *sweeper) day(t date.Date) int {
	e := s.e
	reAged := false
	for s.ci < len(s.changes) && s.changes[s.ci] <= t {
		s.ci++
		s.k = -1
	}
	if i, ok := slices.BinarySearch(e.reAges, t); ok && i >= 0 {
		reAged = true
	}
	if s.k < 0 {
		s.k, s.pool = e.oldest(t, false)
		s.monthsValid = false
	}
	n := len(e.due)
	pastDue := s.k < n && e.due[s.k] < t
	var since date.Date
	if pastDue {
		since = e.due[s.k]
	}
	st, as := e.accel(t)
	if st != accelNone {
		pastDue = st == accelUnpaid && as < t
		since = as
	}
	dpd := 0
	if pastDue {
		dpd = e.unpaused(since, t)
	}
	s.trackEpisode(t, pastDue, since, dpd, reAged)
	s.trackStatus(t, pastDue, dpd, reAged)
	s.trackRecovery(t, dpd)
	days := dpd
	switch {
	case e.policy.Method == MethodDaysPastDue:
	case st != accelNone:
		days = 0
		if pastDue {
			_, m := e.accelCounts(t)
			days = 30 * m
		}
	default:
		days = 30 * s.methodMonths(t, pastDue)
	}
	s.trackBucket(t, e.bucketIndex(days))
	return dpd
}

// methodMonths returns the MBA/OTS count of delinquent installments on t.
func (s *sweeper) methodMonths(t date.Date, pastDue bool) int {
	e := s.e
	for s.di < len(e.due) && e.due[s.di] < t {
		s.di++
		s.monthsValid = false
	}
	for s.ti < len(e.next) && e.methodDelinquent(s.ti, t) {
		s.ti++
		s.monthsValid = false
	}
	if !pastDue {
		return 0
	}
	if !s.monthsValid {
		_, _, s.months = e.unrecognized(t, s.k, s.pool)
		s.monthsValid = true
	}
	return s.months
}

func (s *sweeper) trackEpisode(t date.Date, pastDue bool, since date.Date, dpd int, reAged bool) {
	switch {
	case pastDue && !s.open:
		s.episodes = append(s.episodes, Episode{FirstDelinquentOn: since})
		s.open = true
	case !pastDue && s.open:
		ep := &s.episodes[len(s.episodes)-1]
		ep.Cured, ep.CuredOn, ep.CureReason = true, t, s.cureReason(t, reAged)
		s.open = false
	}
	if s.open {
		ep := &s.episodes[len(s.episodes)-1]
		ep.MaxDPD = max(ep.MaxDPD, dpd)
	}
}

func (s *sweeper) cureReason(t date.Date, reAged bool) Reason {
	switch {
	case reAged:
		return ReasonReAged
	case s.e.loan.PaidOffOn != nil && *s.e.loan.PaidOffOn <= t:
		return ReasonPaidOff
	}
	return ReasonBroughtCurrent
}

// Rung returns the rung of the status ladder dpd days past due reach: non-
// accrual from NonAccrualDays, default from DefaultDays, delinquent from
// DelinquentDays, current below. Charge-off (ChargeOffDays) is a recorded
// event, not a rung, and non-accrual is left only when the loan is brought
// current: [Evaluator.Status] and a servicing engine apply both on top.
func (sp StatusPolicy) Rung(dpd int) Status {
	switch {
	case dpd >= sp.NonAccrualDays:
		return StatusNonAccrual
	case dpd >= sp.DefaultDays:
		return StatusDefault
	case dpd >= sp.DelinquentDays:
		return StatusDelinquent
	}
	return StatusCurrent
}

// next returns the status on day t and the reason for a change.
func (s *sweeper) next(t date.Date, pastDue bool, dpd int, reAged bool) (Status, Reason) {
	l, sp := s.e.loan, s.e.policy.Status
	switch {
	case l.ClosedOn != nil && *l.ClosedOn <= t:
		return StatusClosed, ReasonClosed
	case l.PaidOffOn != nil && *l.PaidOffOn <= t:
		return StatusPaidOff, ReasonPaidOff
	case s.status == StatusChargedOff:
		return StatusChargedOff, ""
	case l.ChargedOffOn != nil && *l.ChargedOffOn <= t:
		return StatusChargedOff, ReasonChargeOffRecorded
	case dpd >= sp.ChargeOffDays:
		return StatusChargedOff, ReasonChargeOffThreshold
	case s.status == StatusNonAccrual && pastDue:
		return StatusNonAccrual, ""
	}
	to := sp.HeldRung(dpd, t, l.Holds)
	switch {
	case to.rank() > s.status.rank():
		return to, ReasonThreshold
	case reAged:
		return to, ReasonReAged
	case !pastDue:
		return to, ReasonBroughtCurrent
	}
	return to, ReasonPayment
}

func (s *sweeper) trackStatus(t date.Date, pastDue bool, dpd int, reAged bool) {
	to, why := s.next(t, pastDue, dpd, reAged)
	if t == s.from {
		s.h.StatusAtFrom = to
	}
	if to == s.status {
		return
	}
	if t >= s.from {
		s.h.Transitions = append(s.h.Transitions, Transition{On: t, From: s.status, To: to, Reason: why, DPD: dpd, Amount: s.e.amt(0)})
	}
	if to == StatusChargedOff {
		s.chargedOn = t
	}
	s.status, s.since = to, t
}

func (s *sweeper) trackRecovery(t date.Date, dpd int) {
	for s.ri < len(s.recovOn) && s.recovOn[s.ri] < t {
		s.ri++
	}
	if s.ri >= len(s.recovOn) || s.recovOn[s.ri] != t {
		return
	}
	if s.status == StatusChargedOff && t > s.chargedOn && t >= s.from {
		s.h.Transitions = append(s.h.Transitions, Transition{On: t, From: StatusChargedOff, To: StatusChargedOff,
			Reason: ReasonRecovery, DPD: dpd, Amount: s.e.amt(s.recovAmt[s.ri])})
	}
}

func (s *sweeper) trackBucket(t date.Date, b int) {
	if t < s.from {
		return
	}
	if s.bucket == b {
		return
	}
	if s.bucket >= 0 {
		s.h.Buckets = append(s.h.Buckets, AgingBucketSpan{Bucket: s.e.buckets[s.bucket], Entered: s.bucketStart, Left: t})
	}
	s.bucket, s.bucketStart = b, t
}
