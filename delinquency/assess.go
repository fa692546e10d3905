package delinquency

import (
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Components is an amount split by receivable component.
type Components struct {
	Principal, Interest, Escrow, Fees money.Amount
}

// Total returns Principal + Interest + Escrow + Fees.
func (c Components) Total() money.Amount {
	return c.Principal.Add(c.Interest).Add(c.Escrow).Add(c.Fees)
}

// Assessment is the delinquency of a loan at the end of one day.
type Assessment struct {
	// AsOf is the day assessed (credits received that day count).
	AsOf date.Date
	// Method is the reporting method behind Days (recorded in every report).
	Method Method
	// DPD is days past due per Reg X §1024.31 (see [Evaluator.DaysPastDue]).
	DPD int
	// Days is the reported delinquency: DPD for MethodDaysPastDue, or 30 ×
	// the installments delinquent under MethodMBA / MethodOTS.
	Days int
	// Bucket is the aging bucket of Days.
	Bucket AgingBucket
	// Delinquent says some periodic payment is past due (due before AsOf
	// and not recognized as paid). It can be true with DPD 0 only inside a
	// pause.
	Delinquent bool
	// OldestUnpaidSeq and DelinquentSince identify the oldest past-due
	// installment and its due date; meaningful only when Delinquent. Under
	// rolling delinquency DelinquentSince moves forward as payments are
	// applied to the oldest installment.
	OldestUnpaidSeq int
	DelinquentSince date.Date
	// PaymentsPastDue counts the past-due installments not recognized as
	// paid; under RecognizeAggregate it is ceil(shortfall / payment) for
	// level payments.
	PaymentsPastDue int
	// PastDue is what remains unpaid, by component, of every installment
	// due before AsOf (after the latest re-age), whatever the recognition
	// method.
	PastDue Components
	// ToCure is the periodic amount that, paid now, makes DPD zero (under
	// RecognizeAggregate it pays the unrecognized installments in full).
	ToCure money.Amount
	// BringCurrent is ToCure plus past-due fees: the amount needed to
	// bring the loan current (Reg Z §1026.41(d)(8)).
	BringCurrent money.Amount
	// Paused is the kind of pause covering AsOf, or "" when none.
	Paused PauseKind
	// Accelerated says a Loan.Acceleration is in force on AsOf. Then
	// DelinquentSince is the due date of the oldest installment unpaid at
	// the end of the acceleration date (or that date itself, with
	// OldestUnpaidSeq 0), ToCure and BringCurrent are AcceleratedBalance,
	// PaymentsPastDue and the MBA/OTS Days keep counting the contractual
	// installments falling due, and PastDue stays the contractual
	// breakdown. Once the balance is paid nothing is past due.
	Accelerated bool
	// AcceleratedBalance is the accelerated amount still unpaid at the
	// end of AsOf (zero without acceleration).
	AcceleratedBalance money.Amount
}

// Assess returns the full delinquency assessment at the end of asOf.
func (e *Evaluator) Assess(asOf date.Date) Assessment {
	a := Assessment{AsOf: asOf, Method: e.policy.Method, AcceleratedBalance: e.amt(0)}
	if st, s := e.accel(asOf); st != accelNone {
		e.assessAccelerated(&a, st, s)
		return a
	}
	k, pool := e.oldest(asOf, true)
	n := len(e.due)
	if k < n && e.due[k] < asOf {
		a.Delinquent = true
		a.OldestUnpaidSeq = e.loan.Installments[k].Seq
		a.DelinquentSince = e.due[k]
		a.DPD = e.unpaused(e.due[k], asOf)
	}
	a.Paused, _ = e.pauseOn(asOf)
	cure, count, months := e.unrecognized(asOf, k, pool)
	a.PaymentsPastDue = count
	a.ToCure = e.amt(cure)
	switch e.policy.Method {
	case MethodMBA, MethodOTS:
		a.Days = 30 * months
	default:
		a.Days = a.DPD
	}
	a.Bucket = e.Bucket(a.Days)
	a.PastDue = e.pastDue(asOf)
	a.BringCurrent = a.ToCure.Add(a.PastDue.Fees)
	return a
}

// unrecognized walks the past-due installments from k (the oldest not
// recognized) and returns the periodic amount to cure them, how many there
// are, and how many are delinquent under the MBA/OTS method.
func (e *Evaluator) unrecognized(asOf date.Date, k int, pool int64) (cure int64, count, months int) {
	agg := e.policy.Recognition == RecognizeAggregate
	for i := k; i < len(e.due) && e.due[i] < asOf; i++ {
		short := e.periodic[i]
		if !agg {
			paid, _ := e.creditedAt(i, asOf)
			if e.covered(i, paid) {
				continue
			}
			short = max(0, short-paid)
		}
		cure += short
		count++
		if e.methodDelinquent(i, asOf) {
			months++
		}
	}
	if agg {
		cure = max(0, cure-pool)
	}
	return cure, count, months
}

// methodDelinquent reports whether unpaid installment i counts under the
// MBA rule (still unpaid at the end of the day before the next due date) or
// the OTS rule (still unpaid at close of business on the next due date).
func (e *Evaluator) methodDelinquent(i int, asOf date.Date) bool {
	switch e.policy.Method {
	case MethodMBA:
		return asOf >= e.next[i]-1
	case MethodOTS:
		return asOf >= e.next[i]
	}
	return false
}

// pastDue sums the unpaid components of installments due before asOf.
func (e *Evaluator) pastDue(asOf date.Date) Components {
	var pr, in, es, fe int64
	for i := e.cutAt(asOf); i < len(e.due) && e.due[i] < asOf; i++ {
		it := &e.loan.Installments[i]
		var cp, ci, ce, cf int64
		for j := e.credOff[i]; j < e.credOff[i+1]; j++ {
			if e.credOn[j] <= asOf {
				cp += e.credPr[j]
				ci += e.credIn[j]
				ce += e.credEs[j]
				cf += e.credFee[j]
			}
		}
		pr += max(0, it.Principal.Minor()-cp)
		in += max(0, it.Interest.Minor()-ci)
		es += max(0, it.Escrow.Minor()-ce)
		fe += max(0, it.Fees.Minor()-cf)
	}
	return Components{Principal: e.amt(pr), Interest: e.amt(in), Escrow: e.amt(es), Fees: e.amt(fe)}
}

// Assess validates l and p and assesses the loan at the end of asOf; it is
// [New] followed by [Evaluator.Assess].
func Assess(l Loan, p Policy, asOf date.Date) (Assessment, error) {
	e, err := New(l, p)
	if err != nil {
		return Assessment{}, err
	}
	return e.Assess(asOf), nil
}
