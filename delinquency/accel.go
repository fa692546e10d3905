package delinquency

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Acceleration records that the host accelerated the loan (called the whole
// balance due). Reg X §1024.31 comment (RULES.md, "Definition of
// delinquency"): after acceleration, failing to pay the accelerated amount
// keeps the loan delinquent. From On, the periodic installments stop
// counting on their own: the loan is delinquent from the due date of the
// oldest installment unpaid at the end of On (or from On itself when none
// was past due then) until Credits reach Amount, and the amount needed to
// bring it current is the accelerated balance still unpaid. Credits applied
// to installments after On no longer move the start of delinquency; the
// host records post-acceleration money here. A reinstatement that rescinds
// the acceleration is recorded by removing it.
type Acceleration struct {
	// On is the date the whole balance became due.
	On date.Date `json:"on"`
	// Amount is the accelerated balance due on On; > 0.
	Amount money.Amount `json:"amount"`
	// Credits are the payments applied to the accelerated balance, each
	// received on or after On. Every component, fees included, reduces
	// the balance.
	Credits []Credit `json:"credits,omitempty"`
}

// Total returns the sum of every component of the credit.
func (c Credit) Total() money.Amount { return c.Periodic().Add(c.Fees) }

type accelState int

const (
	accelNone   accelState = iota // no acceleration in force on the day
	accelUnpaid                   // accelerated, balance unpaid at the end of the day
	accelPaid                     // accelerated balance paid in full
)

// accelData is what build precomputes for a Loan.Acceleration.
type accelData struct {
	on     date.Date
	start  date.Date // date DPD runs from while the balance is unpaid
	k      int       // oldest installment unpaid at the end of on (len when none)
	amount int64
	paidOn date.Date   // first day the credits reach amount; MaxDate+1 if never
	credOn []date.Date // sorted
	cum    []int64     // cumulative credit totals, in credOn order
}

// buildAccel fills e.acc; it runs after the re-age and index columns exist.
func (e *Evaluator) buildAccel(a *Acceleration) {
	if a == nil {
		return
	}
	ac := &accelData{on: a.On, amount: a.Amount.Minor(), paidOn: MaxDate + 1}
	k, _ := e.oldest(a.On, true)
	ac.k, ac.start = k, a.On
	if k < len(e.due) && e.due[k] < a.On {
		ac.start = e.due[k]
	}
	cs := slices.Clone(a.Credits)
	slices.SortStableFunc(cs, func(x, y Credit) int { return int(x.ReceivedOn - y.ReceivedOn) })
	ac.credOn, ac.cum = make([]date.Date, len(cs)), make([]int64, len(cs))
	var sum int64
	for i, c := range cs {
		sum += c.Total().Minor()
		ac.credOn[i], ac.cum[i] = c.ReceivedOn, sum
		if sum >= ac.amount && ac.paidOn > MaxDate {
			ac.paidOn = c.ReceivedOn
		}
	}
	e.acc = ac
	cp := *a
	cp.Credits = cs
	e.loan.Acceleration = &cp
}

// accel returns the acceleration state at the end of t and, when unpaid,
// the date delinquency runs from.
func (e *Evaluator) accel(t date.Date) (accelState, date.Date) {
	ac := e.acc
	switch {
	case ac == nil || t < ac.on:
		return accelNone, 0
	case t >= ac.paidOn:
		return accelPaid, 0
	}
	return accelUnpaid, ac.start
}

// accelBalance returns the accelerated balance unpaid at the end of t (t ≥ On).
func (e *Evaluator) accelBalance(t date.Date) int64 {
	ac := e.acc
	i, _ := slices.BinarySearch(ac.credOn, t+1)
	if i == 0 {
		return ac.amount
	}
	return max(0, ac.amount-ac.cum[i-1])
}

// accelCounts returns, while the accelerated balance is unpaid, how many
// contractual installments have fallen due unpaid before t (those unpaid at
// the end of On, and every one due since) and how many of them count under
// the MBA/OTS method: the contractual schedule keeps counting.
func (e *Evaluator) accelCounts(t date.Date) (count, months int) {
	for i := e.acc.k; i < len(e.due) && e.due[i] < t; i++ {
		count++
		if e.methodDelinquent(i, t) {
			months++
		}
	}
	return count, months
}

// assessAccelerated is Assess from the acceleration date on.
func (e *Evaluator) assessAccelerated(a *Assessment, st accelState, since date.Date) {
	asOf := a.AsOf
	a.Accelerated = true
	a.Paused, _ = e.pauseOn(asOf)
	a.PastDue = Components{Principal: e.amt(0), Interest: e.amt(0), Escrow: e.amt(0), Fees: e.amt(0)}
	a.ToCure, a.BringCurrent, a.AcceleratedBalance = e.amt(0), e.amt(0), e.amt(0)
	if st == accelUnpaid {
		bal := e.amt(e.accelBalance(asOf))
		a.ToCure, a.BringCurrent, a.AcceleratedBalance = bal, bal, bal
		a.PastDue = e.pastDue(asOf)
		if since < asOf {
			a.Delinquent = true
			a.DelinquentSince = since
			if k := e.acc.k; k < len(e.due) && e.due[k] == since {
				a.OldestUnpaidSeq = e.loan.Installments[k].Seq
			}
			a.DPD = e.unpaused(since, asOf)
			count, months := e.accelCounts(asOf)
			a.PaymentsPastDue = count
			a.Days = a.DPD
			if e.policy.Method != MethodDaysPastDue {
				a.Days = 30 * months
			}
		}
	}
	a.Bucket = e.Bucket(a.Days)
}

// validateAccel checks a Loan.Acceleration.
func validateAccel(l *field.List, a *Acceleration, cur money.Currency) {
	if a == nil {
		return
	}
	p := pathOf("Loan", ".Acceleration")
	checkDateAt(l, p, "On", a.On)
	checkAmountAt(l, p, "Amount", a.Amount, cur)
	if !a.Amount.IsNegative() && !a.Amount.IsPositive() {
		l.Add(p.dot("Amount"), a.Amount.String(), field.ErrRequired, "must be positive")
	}
	if len(a.Credits) > MaxCredits {
		l.Add(p.dot("Credits"), len(a.Credits), field.ErrOutOfRange, fmt.Sprintf("at most %d credits", MaxCredits))
		return
	}
	var paid int64
	credits := pathOf("Loan", ".Acceleration.Credits")
	for j := range a.Credits {
		c := &a.Credits[j]
		checkDateAt(l, credits.at(j, -1), "ReceivedOn", c.ReceivedOn)
		if dateOK(a.On) && c.ReceivedOn < a.On {
			l.Add(credits.at(j, -1).dot("ReceivedOn"), c.ReceivedOn, field.ErrInvalid, "before the acceleration date")
		}
		paid = checkParts(l, &credits, j, -1, c.Principal, c.Interest, c.Escrow, c.Fees, cur, paid)
	}
	if paid > money.MaxMinor {
		l.Add(p.dot("Credits"), len(a.Credits), field.ErrOutOfRange, "total credited exceeds money.MaxMinor")
	}
}
