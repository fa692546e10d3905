package delinquency

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Validate returns nil if p is usable, or an error wrapping
// [ErrInvalidPolicy] that names every bad field.
func (p Policy) Validate() error {
	if p.ok(money.Currency{}) {
		return nil
	}
	var l field.List
	p.validate(&l, "Policy", money.Currency{})
	return l.Err(ErrInvalidPolicy)
}

// ValidateFor is Validate for a policy embedded in a host's terms: the bad
// fields are named under path ("Terms.Delinquency.LateFee.GraceDays") and
// every amount must be in cur (a zero amount without currency is
// accepted). It returns nil or the field errors joined, for the caller to
// wrap in its own sentinel.
func (p Policy) ValidateFor(path string, cur money.Currency) error {
	if p.ok(cur) {
		return nil
	}
	var l field.List
	p.validate(&l, path, cur)
	return l.Err(nil)
}

// validate checks p; cur, when set, is the loan currency amounts must carry.
func (p Policy) validate(l *field.List, path string, cur money.Currency) {
	switch p.Recognition {
	case RecognizeFull, RecognizeNinetyPercent, RecognizeAggregate:
	default:
		l.Add(path+".Recognition", string(p.Recognition), notSet(p.Recognition == ""), "full, ninety_percent or aggregate")
	}
	switch p.Method {
	case MethodDaysPastDue, MethodMBA, MethodOTS:
	default:
		l.Add(path+".Method", string(p.Method), notSet(p.Method == ""), "days_past_due, mba or ots")
	}
	checkAmount(l, path+".ToleranceAmount", p.ToleranceAmount, cur)
	if p.TolerancePercentBps < 0 || p.TolerancePercentBps > 10000 {
		l.Add(path+".TolerancePercentBps", p.TolerancePercentBps, field.ErrOutOfRange, "0 to 10000")
	}
	if p.TolerancePercentBps != 0 && !p.ToleranceAmount.IsZero() {
		l.Add(path+".TolerancePercentBps", p.TolerancePercentBps, field.ErrInvalid, "set either ToleranceAmount or TolerancePercentBps, not both")
	}
	if p.Buckets != nil {
		validateBuckets(l, path+".Buckets", p.Buckets)
	}
	if p.LateFee != nil {
		p.LateFee.validate(l, path+".LateFee", cur)
	}
	p.Status.validate(l, path+".Status")
}

func notSet(empty bool) error {
	if empty {
		return field.ErrRequired
	}
	return field.ErrNotSupported
}

// checkAmount requires a ≥ 0, within range, and in cur when cur is set (a
// zero amount without currency is accepted).
func checkAmount(l *field.List, path string, a money.Amount, cur money.Currency) {
	switch {
	case a.IsNegative():
		l.Add(path, a.String(), field.ErrOutOfRange, "must not be negative")
	case a.Minor() > money.MaxMinor:
		l.Add(path, a.String(), field.ErrOutOfRange, "above money.MaxMinor")
	case cur.Code != "" && !a.IsZero() && a.Currency() != cur:
		l.Add(path, a.Format(), field.ErrInvalid, "currency differs from the loan's "+cur.Code)
	}
}

func validateBuckets(l *field.List, path string, bs []Bucket) {
	if len(bs) == 0 || len(bs) > 100 {
		l.Add(path, len(bs), field.ErrOutOfRange, "1 to 100 buckets, or nil for the defaults")
		return
	}
	seen := map[string]bool{}
	for i, b := range bs {
		bp := fmt.Sprintf("%s[%d]", path, i)
		if b.Name == "" {
			l.Add(bp+".Name", b.Name, field.ErrRequired, "")
		} else if seen[b.Name] {
			l.Add(bp+".Name", b.Name, field.ErrInvalid, "duplicate name")
		}
		seen[b.Name] = true
		switch {
		case i == 0 && b.MinDays != 0:
			l.Add(bp+".MinDays", b.MinDays, field.ErrOutOfRange, "the first bucket starts at 0")
		case i > 0 && b.MinDays <= bs[i-1].MinDays:
			l.Add(bp+".MinDays", b.MinDays, field.ErrOutOfRange, "must exceed the previous bucket's")
		}
	}
}

func (s StatusPolicy) validate(l *field.List, path string) {
	const maxThreshold = 100000
	th := []struct {
		name string
		v    int
	}{
		{"DelinquentDays", s.DelinquentDays}, {"DefaultDays", s.DefaultDays},
		{"NonAccrualDays", s.NonAccrualDays}, {"ChargeOffDays", s.ChargeOffDays},
	}
	for _, t := range th {
		if t.v < 1 || t.v > maxThreshold {
			l.Add(path+"."+t.name, t.v, field.ErrOutOfRange, "1 to 100000 days")
		}
	}
	if s.DefaultDays < s.DelinquentDays {
		l.Add(path+".DefaultDays", s.DefaultDays, field.ErrInvalid, "below DelinquentDays")
	}
	if s.ChargeOffDays < s.DefaultDays || s.ChargeOffDays < s.NonAccrualDays {
		l.Add(path+".ChargeOffDays", s.ChargeOffDays, field.ErrInvalid, "below DefaultDays or NonAccrualDays")
	}
	switch s.ChargeOff {
	case ChargeOffRegular, ChargeOffStopInterest, ChargeOffAccelerate:
	default:
		l.Add(path+".ChargeOff", string(s.ChargeOff), notSet(s.ChargeOff == ""), "regular, stop_interest or accelerate_maturity")
	}
}

func (p LateFeePolicy) validate(l *field.List, path string, cur money.Currency) {
	if p.GraceDays < 0 || p.GraceDays > 365 {
		l.Add(path+".GraceDays", p.GraceDays, field.ErrOutOfRange, "0 to 365")
	}
	checkAmount(l, path+".FlatAmount", p.FlatAmount, cur)
	checkAmount(l, path+".Minimum", p.Minimum, cur)
	checkAmount(l, path+".Maximum", p.Maximum, cur)
	switch {
	case money.CheckSame(p.Maximum, p.Minimum) != nil:
		l.Add(path+".Maximum", p.Maximum.Format(), field.ErrInvalid, "currency differs from Minimum's")
	case money.CheckSame(p.FlatAmount, p.Minimum) != nil || money.CheckSame(p.FlatAmount, p.Maximum) != nil:
		l.Add(path+".FlatAmount", p.FlatAmount.Format(), field.ErrInvalid, "currency differs from Minimum's or Maximum's")
	case p.Maximum.IsPositive() && p.Maximum.LessThan(p.Minimum):
		l.Add(path+".Maximum", p.Maximum.String(), field.ErrInvalid, "below Minimum")
	}
	switch p.Method {
	case FeeFlat:
		if !p.FlatAmount.IsPositive() {
			l.Add(path+".FlatAmount", p.FlatAmount.String(), field.ErrRequired, "a flat fee needs an amount")
		}
		if p.PercentBasisPoints != 0 {
			l.Add(path+".PercentBasisPoints", p.PercentBasisPoints, field.ErrInvalid, "not used by a flat fee")
		}
	case FeePercentPI, FeePercentPITI, FeePercentPastDue:
		if p.PercentBasisPoints < 1 || p.PercentBasisPoints > 10000 {
			l.Add(path+".PercentBasisPoints", p.PercentBasisPoints, field.ErrOutOfRange, "1 to 10000")
		}
		if !p.FlatAmount.IsZero() {
			l.Add(path+".FlatAmount", p.FlatAmount.String(), field.ErrInvalid, "not used by a percent fee")
		}
		if err := p.Rounding.Check(); err != nil {
			l.Add(path+".Rounding", string(p.Rounding), notSet(p.Rounding == ""), "a percent fee needs a rounding mode, "+money.RoundingChoices())
		}
	default:
		l.Add(path+".Method", string(p.Method), notSet(p.Method == ""), "flat, percent_pi, percent_piti or percent_past_due")
	}
}

// Validate returns nil if l is usable, or an error wrapping [ErrInvalidLoan]
// that names every bad field.
func (l Loan) Validate() error {
	if l.ok() {
		return nil
	}
	var fl field.List
	l.validate(&fl)
	return fl.Err(ErrInvalidLoan)
}

func checkDate(l *field.List, path string, d date.Date) {
	if d < MinDate || d > MaxDate {
		l.Add(path, d, field.ErrOutOfRange, "between 1900-01-01 and 2199-12-31")
	}
}

func (ln Loan) validate(l *field.List) {
	if !ln.Currency.Valid() {
		l.Add("Loan.Currency", ln.Currency.Code, notSet(ln.Currency.Code == ""), "a known ISO 4217 currency")
	}
	cur := ln.Currency
	n := len(ln.Installments)
	if n == 0 || n > MaxInstallments {
		l.Add("Loan.Installments", n, field.ErrOutOfRange, fmt.Sprintf("1 to %d installments", MaxInstallments))
	}
	if n > MaxInstallments {
		return
	}
	credits, due, paid := 0, int64(0), int64(0)
	for i, in := range ln.Installments {
		p := fmt.Sprintf("Loan.Installments[%d]", i)
		if in.Seq < 1 || (i > 0 && in.Seq <= ln.Installments[i-1].Seq) {
			l.Add(p+".Seq", in.Seq, field.ErrOutOfRange, "positive and strictly increasing")
		}
		checkDate(l, p+".DueDate", in.DueDate)
		if i > 0 && in.DueDate <= ln.Installments[i-1].DueDate {
			l.Add(p+".DueDate", in.DueDate, field.ErrInvalid, "due dates must strictly increase")
		}
		for _, c := range []struct {
			n string
			a money.Amount
		}{{"Principal", in.Principal}, {"Interest", in.Interest}, {"Escrow", in.Escrow}, {"Fees", in.Fees}} {
			checkAmount(l, p+"."+c.n, c.a, cur)
			due = addCapped(due, c.a.Minor())
		}
		switch in.LateFee {
		case LateFeeNone, LateFeeAssessed, LateFeeWaived:
		default:
			l.Add(p+".LateFee", string(in.LateFee), field.ErrNotSupported, `"", assessed or waived`)
		}
		credits += len(in.Credits)
		if credits > MaxCredits {
			l.Add(p+".Credits", credits, field.ErrOutOfRange, fmt.Sprintf("at most %d credits per loan", MaxCredits))
			return
		}
		for j, c := range in.Credits {
			cp := fmt.Sprintf("%s.Credits[%d]", p, j)
			checkDate(l, cp+".ReceivedOn", c.ReceivedOn)
			paid = checkCredit(l, cp, c, cur, paid)
		}
	}
	if due > money.MaxMinor {
		l.Add("Loan.Installments", n, field.ErrOutOfRange, "total due exceeds money.MaxMinor")
	}
	if paid > money.MaxMinor {
		l.Add("Loan.Installments", n, field.ErrOutOfRange, "total credited exceeds money.MaxMinor")
	}
	ln.validateRecords(l)
}

// addCapped adds b (≥ 0 unless invalid) to a, saturating so validation of
// absurd inputs cannot overflow.
func addCapped(a, b int64) int64 {
	if b < 0 {
		return a
	}
	if a > 4*money.MaxMinor || b > 4*money.MaxMinor {
		return 4 * money.MaxMinor
	}
	return a + b
}

func (ln Loan) validateRecords(l *field.List) {
	if len(ln.Pauses) > MaxPauses {
		l.Add("Loan.Pauses", len(ln.Pauses), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxPauses))
	} else {
		for i, p := range ln.Pauses {
			pp := fmt.Sprintf("Loan.Pauses[%d]", i)
			switch p.Kind {
			case Forbearance, Deferment, DelinquencyPause:
			default:
				l.Add(pp+".Kind", string(p.Kind), notSet(p.Kind == ""), "forbearance, deferment or pause")
			}
			checkDate(l, pp+".From", p.From)
			checkDate(l, pp+".To", p.To)
			if p.To <= p.From {
				l.Add(pp+".To", p.To, field.ErrInvalid, "must be after From")
			}
		}
	}
	if len(ln.ReAgedOn) > MaxReAges {
		l.Add("Loan.ReAgedOn", len(ln.ReAgedOn), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxReAges))
	} else {
		for i, d := range ln.ReAgedOn {
			checkDate(l, fmt.Sprintf("Loan.ReAgedOn[%d]", i), d)
		}
	}
	for _, o := range []struct {
		n string
		d *date.Date
	}{{"ChargedOffOn", ln.ChargedOffOn}, {"PaidOffOn", ln.PaidOffOn}, {"ClosedOn", ln.ClosedOn}} {
		if o.d != nil {
			checkDate(l, "Loan."+o.n, *o.d)
		}
	}
	validateAccel(l, ln.Acceleration, ln.Currency)
}

// checkCredit checks a credit's four amounts under path cp and returns the
// running total paid with them added (capped, see addCapped).
func checkCredit(l *field.List, cp string, c Credit, cur money.Currency, paid int64) int64 {
	for _, x := range []struct {
		n string
		a money.Amount
	}{{"Principal", c.Principal}, {"Interest", c.Interest}, {"Escrow", c.Escrow}, {"Fees", c.Fees}} {
		checkAmount(l, cp+"."+x.n, x.a, cur)
		paid = addCapped(paid, x.a.Minor())
	}
	return paid
}
