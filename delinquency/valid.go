package delinquency

import (
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// The functions below are the fast path of validation: they apply exactly
// the checks of validate.go, in the same terms, but only answer whether any
// fails, so they build no field path and allocate nothing. New and the
// Validate methods run them first and call the path-building validators only
// when one fails, so error output is that of the full validators.
// TestFastValidationAgrees holds the two in step.

// ok reports whether ln.validate would record no problem.
func (ln Loan) ok() bool {
	if !ln.Currency.Valid() {
		return false
	}
	cur := ln.Currency
	n := len(ln.Installments)
	if n == 0 || n > MaxInstallments {
		return false
	}
	credits, due, paid := 0, int64(0), int64(0)
	for i := range ln.Installments {
		in := &ln.Installments[i]
		if in.Seq < 1 || (i > 0 && in.Seq <= ln.Installments[i-1].Seq) {
			return false
		}
		if !dateOK(in.DueDate) || (i > 0 && in.DueDate <= ln.Installments[i-1].DueDate) {
			return false
		}
		if !amountOK(in.Principal, cur) || !amountOK(in.Interest, cur) ||
			!amountOK(in.Escrow, cur) || !amountOK(in.Fees, cur) {
			return false
		}
		due = addCapped(due, in.Principal.Minor())
		due = addCapped(due, in.Interest.Minor())
		due = addCapped(due, in.Escrow.Minor())
		due = addCapped(due, in.Fees.Minor())
		switch in.LateFee {
		case LateFeeNone, LateFeeAssessed, LateFeeWaived:
		default:
			return false
		}
		credits += len(in.Credits)
		if credits > MaxCredits {
			return false
		}
		for j := range in.Credits {
			c := &in.Credits[j]
			if !dateOK(c.ReceivedOn) || !amountOK(c.Principal, cur) || !amountOK(c.Interest, cur) ||
				!amountOK(c.Escrow, cur) || !amountOK(c.Fees, cur) {
				return false
			}
			paid = addCapped(paid, c.Principal.Minor())
			paid = addCapped(paid, c.Interest.Minor())
			paid = addCapped(paid, c.Escrow.Minor())
			paid = addCapped(paid, c.Fees.Minor())
		}
	}
	if due > money.MaxMinor || paid > money.MaxMinor {
		return false
	}
	return ln.recordsOK()
}

// recordsOK reports whether ln.validateRecords would record no problem.
func (ln Loan) recordsOK() bool {
	if len(ln.Pauses) > MaxPauses || len(ln.ReAgedOn) > MaxReAges {
		return false
	}
	for _, p := range ln.Pauses {
		switch p.Kind {
		case Forbearance, Deferment, DelinquencyPause:
		default:
			return false
		}
		if !dateOK(p.From) || !dateOK(p.To) || p.To <= p.From {
			return false
		}
	}
	for _, d := range ln.ReAgedOn {
		if !dateOK(d) {
			return false
		}
	}
	for _, d := range [...]*date.Date{ln.ChargedOffOn, ln.PaidOffOn, ln.ClosedOn} {
		if d != nil && !dateOK(*d) {
			return false
		}
	}
	return accelOK(ln.Acceleration, ln.Currency)
}

// dateOK reports whether checkDate would accept d.
func dateOK(d date.Date) bool { return d >= MinDate && d <= MaxDate }

// amountOK reports whether checkAmount would accept a.
func amountOK(a money.Amount, cur money.Currency) bool {
	switch {
	case a.IsNegative(), a.Minor() > money.MaxMinor:
		return false
	case cur.Code != "" && !a.IsZero() && a.Currency() != cur:
		return false
	}
	return true
}

// ok reports whether p.validate would record no problem for currency cur.
func (p Policy) ok(cur money.Currency) bool {
	switch p.Recognition {
	case RecognizeFull, RecognizeNinetyPercent, RecognizeAggregate:
	default:
		return false
	}
	switch p.Method {
	case MethodDaysPastDue, MethodMBA, MethodOTS:
	default:
		return false
	}
	if !amountOK(p.ToleranceAmount, cur) || p.TolerancePercentBps < 0 || p.TolerancePercentBps > 10000 ||
		(p.TolerancePercentBps != 0 && !p.ToleranceAmount.IsZero()) {
		return false
	}
	if p.Buckets != nil && !bucketsOK(p.Buckets) {
		return false
	}
	if p.LateFee != nil && !p.LateFee.ok(cur) {
		return false
	}
	return p.Status.ok()
}

// bucketsOK reports whether validateBuckets would record no problem. Names
// are compared pairwise (at most 100 buckets) rather than through a map.
func bucketsOK(bs []Bucket) bool {
	if len(bs) == 0 || len(bs) > 100 {
		return false
	}
	for i, b := range bs {
		if b.Name == "" {
			return false
		}
		for _, a := range bs[:i] {
			if a.Name == b.Name {
				return false
			}
		}
		if (i == 0 && b.MinDays != 0) || (i > 0 && b.MinDays <= bs[i-1].MinDays) {
			return false
		}
	}
	return true
}

// ok reports whether s.validate would record no problem.
func (s StatusPolicy) ok() bool {
	const maxThreshold = 100000
	for _, v := range [...]int{s.DelinquentDays, s.DefaultDays, s.NonAccrualDays, s.ChargeOffDays} {
		if v < 1 || v > maxThreshold {
			return false
		}
	}
	if s.DefaultDays < s.DelinquentDays || s.ChargeOffDays < s.DefaultDays || s.ChargeOffDays < s.NonAccrualDays {
		return false
	}
	switch s.ChargeOff {
	case ChargeOffRegular, ChargeOffStopInterest, ChargeOffAccelerate:
		return true
	}
	return false
}

// ok reports whether p.validate would record no problem for currency cur.
func (p LateFeePolicy) ok(cur money.Currency) bool {
	if p.GraceDays < 0 || p.GraceDays > 365 {
		return false
	}
	if !amountOK(p.FlatAmount, cur) || !amountOK(p.Minimum, cur) || !amountOK(p.Maximum, cur) {
		return false
	}
	if money.CheckSame(p.Maximum, p.Minimum) != nil || money.CheckSame(p.FlatAmount, p.Minimum) != nil ||
		money.CheckSame(p.FlatAmount, p.Maximum) != nil || p.Maximum.IsPositive() && p.Maximum.LessThan(p.Minimum) {
		return false
	}
	switch p.Method {
	case FeeFlat:
		return p.FlatAmount.IsPositive() && p.PercentBasisPoints == 0
	case FeePercentPI, FeePercentPITI, FeePercentPastDue:
		return p.PercentBasisPoints >= 1 && p.PercentBasisPoints <= 10000 && p.FlatAmount.IsZero() && p.Rounding.Valid()
	}
	return false
}
