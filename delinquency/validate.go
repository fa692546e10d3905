package delinquency

import (
	"fmt"
	"strconv"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Validation has one path per rule. The validators below record every
// problem with its field path, and a path is built only when a check fails
// (see fieldPath), so validating good input — New does it for every loan at
// every end of day — allocates nothing and needs no second, quiet copy of
// the rules.

// Validate returns nil if p is usable, or an error wrapping
// [ErrInvalidPolicy] that names every bad field.
func (p Policy) Validate() error {
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
	var l field.List
	p.validate(&l, path, cur)
	return l.Err(nil)
}

// Validate returns nil if l is usable, or an error wrapping [ErrInvalidLoan]
// that names every bad field.
func (l Loan) Validate() error {
	var fl field.List
	l.validate(&fl)
	return fl.Err(ErrInvalidLoan)
}

// fieldPath is a field's path kept in parts — base and sub, then up to two
// indexes with the name between them ("Loan" ".Installments" [3] ".Credits"
// [1]) — and joined only when a check fails and names it.
type fieldPath struct {
	base, sub string
	i         int // index after sub; -1: none
	mid       string
	j         int // index after mid; -1: none
}

// pathOf is the path base+sub, without indexes.
func pathOf(base, sub string) fieldPath { return fieldPath{base: base, sub: sub, i: -1, j: -1} }

// at is the template p with its indexes set (-1: none).
func (p *fieldPath) at(i, j int) fieldPath {
	q := *p
	q.i, q.j = i, j
	return q
}

// index is p with the next index set.
func (p fieldPath) index(k int) fieldPath {
	if p.i < 0 {
		p.i = k
	} else {
		p.j = k
	}
	return p
}

// under is p with name appended before its second index ("…[3]" +
// ".Credits").
func (p fieldPath) under(name string) fieldPath { p.mid = name; return p }

// String joins the path.
func (p fieldPath) String() string {
	s := p.base + p.sub
	if p.i >= 0 {
		s += "[" + strconv.Itoa(p.i) + "]" + p.mid
	}
	if p.j >= 0 {
		s += "[" + strconv.Itoa(p.j) + "]"
	}
	return s
}

// dot is the path of p's field leaf ("…" + "." + leaf).
func (p fieldPath) dot(leaf string) string { return p.String() + "." + leaf }

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
	checkAmountAt(l, pathOf(path, ""), "ToleranceAmount", p.ToleranceAmount, cur)
	if p.TolerancePercentBps < 0 || p.TolerancePercentBps > 10000 {
		l.Add(path+".TolerancePercentBps", p.TolerancePercentBps, field.ErrOutOfRange, "0 to 10000")
	}
	if p.TolerancePercentBps != 0 && !p.ToleranceAmount.IsZero() {
		l.Add(path+".TolerancePercentBps", p.TolerancePercentBps, field.ErrInvalid, "set either ToleranceAmount or TolerancePercentBps, not both")
	}
	if p.Buckets != nil {
		validateBuckets(l, pathOf(path, ".Buckets"), p.Buckets)
	}
	if p.LateFee != nil {
		p.LateFee.validate(l, pathOf(path, ".LateFee"), cur)
	}
	p.Status.validate(l, pathOf(path, ".Status"))
}

func notSet(empty bool) error {
	if empty {
		return field.ErrRequired
	}
	return field.ErrNotSupported
}

// amountIssue is what the amount rule finds wrong with an amount.
type amountIssue uint8

const (
	amountFine amountIssue = iota
	amountNegative
	amountTooLarge
	amountForeign
)

// amountRule is the amount rule: a must be ≥ 0, within range, and in cur
// when cur is set (a zero amount without currency is accepted). It is small
// enough to inline into the per-installment loops.
func amountRule(a money.Amount, cur money.Currency) amountIssue {
	switch {
	case a.IsNegative():
		return amountNegative
	case a.Minor() > money.MaxMinor:
		return amountTooLarge
	case cur.Code != "" && !a.IsZero() && a.Currency() != cur:
		return amountForeign
	}
	return amountFine
}

// addAmountIssue records iss, found in the amount a at path.
func addAmountIssue(l *field.List, path string, a money.Amount, cur money.Currency, iss amountIssue) {
	switch iss {
	case amountNegative:
		l.Add(path, a.String(), field.ErrOutOfRange, "must not be negative")
	case amountTooLarge:
		l.Add(path, a.String(), field.ErrOutOfRange, "above money.MaxMinor")
	case amountForeign:
		l.Add(path, a.Format(), field.ErrInvalid, "currency differs from the loan's "+cur.Code)
	}
}

// checkAmount records the amount rule's finding for a at path.
func checkAmount(l *field.List, path string, a money.Amount, cur money.Currency) {
	if iss := amountRule(a, cur); iss != amountFine {
		addAmountIssue(l, path, a, cur, iss)
	}
}

// checkAmountAt is checkAmount for the field leaf under p.
func checkAmountAt(l *field.List, p fieldPath, leaf string, a money.Amount, cur money.Currency) {
	if iss := amountRule(a, cur); iss != amountFine {
		addAmountIssue(l, p.dot(leaf), a, cur, iss)
	}
}

// validateBuckets checks the bucket ladder. Names are compared pairwise (at
// most 100 buckets), which needs no map.
func validateBuckets(l *field.List, p fieldPath, bs []AgingBucket) {
	if len(bs) == 0 || len(bs) > 100 {
		l.Add(p.String(), len(bs), field.ErrOutOfRange, "1 to 100 buckets, or nil for the defaults")
		return
	}
	for i, b := range bs {
		bp := p.index(i)
		if b.Name == "" {
			l.Add(bp.dot("Name"), b.Name, field.ErrRequired, "")
		} else {
			for _, a := range bs[:i] {
				if a.Name == b.Name {
					l.Add(bp.dot("Name"), b.Name, field.ErrInvalid, "duplicate name")
					break
				}
			}
		}
		switch {
		case i == 0 && b.MinDays != 0:
			l.Add(bp.dot("MinDays"), b.MinDays, field.ErrOutOfRange, "the first bucket starts at 0")
		case i > 0 && b.MinDays <= bs[i-1].MinDays:
			l.Add(bp.dot("MinDays"), b.MinDays, field.ErrOutOfRange, "must exceed the previous bucket's")
		}
	}
}

func (s StatusPolicy) validate(l *field.List, p fieldPath) {
	const maxThreshold = 100000
	for _, t := range [...]struct {
		name string
		v    int
	}{
		{"DelinquentDays", s.DelinquentDays}, {"DefaultDays", s.DefaultDays},
		{"NonAccrualDays", s.NonAccrualDays}, {"ChargeOffDays", s.ChargeOffDays},
	} {
		if t.v < 1 || t.v > maxThreshold {
			l.Add(p.dot(t.name), t.v, field.ErrOutOfRange, "1 to 100000 days")
		}
	}
	if s.DefaultDays < s.DelinquentDays {
		l.Add(p.dot("DefaultDays"), s.DefaultDays, field.ErrInvalid, "below DelinquentDays")
	}
	if s.ChargeOffDays < s.DefaultDays || s.ChargeOffDays < s.NonAccrualDays {
		l.Add(p.dot("ChargeOffDays"), s.ChargeOffDays, field.ErrInvalid, "below DefaultDays or NonAccrualDays")
	}
	switch s.ChargeOff {
	case ChargeOffRegular, ChargeOffStopInterest, ChargeOffAccelerate:
	default:
		l.Add(p.dot("ChargeOff"), string(s.ChargeOff), notSet(s.ChargeOff == ""), "regular, stop_interest or accelerate_maturity")
	}
}

func (p LateFeePolicy) validate(l *field.List, at fieldPath, cur money.Currency) {
	if p.GraceDays < 0 || p.GraceDays > 365 {
		l.Add(at.dot("GraceDays"), p.GraceDays, field.ErrOutOfRange, "0 to 365")
	}
	checkAmountAt(l, at, "FlatAmount", p.FlatAmount, cur)
	checkAmountAt(l, at, "Minimum", p.Minimum, cur)
	checkAmountAt(l, at, "Maximum", p.Maximum, cur)
	switch {
	case money.CheckSame(p.Maximum, p.Minimum) != nil:
		l.Add(at.dot("Maximum"), p.Maximum.Format(), field.ErrInvalid, "currency differs from Minimum's")
	case money.CheckSame(p.FlatAmount, p.Minimum) != nil || money.CheckSame(p.FlatAmount, p.Maximum) != nil:
		l.Add(at.dot("FlatAmount"), p.FlatAmount.Format(), field.ErrInvalid, "currency differs from Minimum's or Maximum's")
	case p.Maximum.IsPositive() && p.Maximum.LessThan(p.Minimum):
		l.Add(at.dot("Maximum"), p.Maximum.String(), field.ErrInvalid, "below Minimum")
	}
	switch p.Method {
	case FeeFlat:
		if !p.FlatAmount.IsPositive() {
			l.Add(at.dot("FlatAmount"), p.FlatAmount.String(), field.ErrRequired, "a flat fee needs an amount")
		}
		if p.PercentBasisPoints != 0 {
			l.Add(at.dot("PercentBasisPoints"), p.PercentBasisPoints, field.ErrInvalid, "not used by a flat fee")
		}
	case FeePercentPI, FeePercentPITI, FeePercentPastDue:
		if p.PercentBasisPoints < 1 || p.PercentBasisPoints > 10000 {
			l.Add(at.dot("PercentBasisPoints"), p.PercentBasisPoints, field.ErrOutOfRange, "1 to 10000")
		}
		if !p.FlatAmount.IsZero() {
			l.Add(at.dot("FlatAmount"), p.FlatAmount.String(), field.ErrInvalid, "not used by a percent fee")
		}
		if !p.Rounding.Valid() {
			l.Add(at.dot("Rounding"), string(p.Rounding), notSet(p.Rounding == ""), "a percent fee needs a rounding mode, "+money.RoundingChoices())
		}
	default:
		l.Add(at.dot("Method"), string(p.Method), notSet(p.Method == ""), "flat, percent_pi, percent_piti or percent_past_due")
	}
}

// dateOK reports whether d lies in the supported range.
func dateOK(d date.Date) bool { return d >= MinDate && d <= MaxDate }

const dateRange = "between 1900-01-01 and 2199-12-31"

// checkDate records d at path unless it lies in the supported range.
func checkDate(l *field.List, path string, d date.Date) {
	if !dateOK(d) {
		l.Add(path, d, field.ErrOutOfRange, dateRange)
	}
}

// checkDateAt is checkDate for the field leaf under p (p itself when leaf is
// empty).
func checkDateAt(l *field.List, p fieldPath, leaf string, d date.Date) {
	if !dateOK(d) {
		name := p.String()
		if leaf != "" {
			name = p.dot(leaf)
		}
		l.Add(name, d, field.ErrOutOfRange, dateRange)
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
	// The paths are templates: a check's indexes go in only when it fails.
	installments := pathOf("Loan", ".Installments")
	installmentCredits := installments.under(".Credits")
	credits, due, paid := 0, int64(0), int64(0)
	for i := range ln.Installments {
		in := &ln.Installments[i]
		if in.Seq < 1 || (i > 0 && in.Seq <= ln.Installments[i-1].Seq) {
			l.Add(installments.at(i, -1).dot("Seq"), in.Seq, field.ErrOutOfRange, "positive and strictly increasing")
		}
		if !dateOK(in.DueDate) {
			checkDateAt(l, installments.at(i, -1), "DueDate", in.DueDate)
		}
		if i > 0 && in.DueDate <= ln.Installments[i-1].DueDate {
			l.Add(installments.at(i, -1).dot("DueDate"), in.DueDate, field.ErrInvalid, "due dates must strictly increase")
		}
		if partsFine(in.Principal, in.Interest, in.Escrow, in.Fees, cur) {
			due = addParts(due, in.Principal, in.Interest, in.Escrow, in.Fees)
		} else {
			due = checkParts(l, &installments, i, -1, in.Principal, in.Interest, in.Escrow, in.Fees, cur, due)
		}
		switch in.LateFee {
		case LateFeeNone, LateFeeAssessed, LateFeeWaived:
		default:
			l.Add(installments.at(i, -1).dot("LateFee"), string(in.LateFee), field.ErrNotSupported, `"", assessed or waived`)
		}
		credits += len(in.Credits)
		if credits > MaxCredits {
			l.Add(installments.at(i, -1).dot("Credits"), credits, field.ErrOutOfRange, fmt.Sprintf("at most %d credits per loan", MaxCredits))
			return
		}
		for j := range in.Credits {
			c := &in.Credits[j]
			if !dateOK(c.ReceivedOn) {
				checkDateAt(l, installmentCredits.at(i, j), "ReceivedOn", c.ReceivedOn)
			}
			if partsFine(c.Principal, c.Interest, c.Escrow, c.Fees, cur) {
				paid = addParts(paid, c.Principal, c.Interest, c.Escrow, c.Fees)
			} else {
				paid = checkParts(l, &installmentCredits, i, j, c.Principal, c.Interest, c.Escrow, c.Fees, cur, paid)
			}
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
		pauses := pathOf("Loan", ".Pauses")
		for i, p := range ln.Pauses {
			pp := pauses.index(i)
			switch p.Kind {
			case Forbearance, Deferment, DelinquencyPause:
			default:
				l.Add(pp.dot("Kind"), string(p.Kind), notSet(p.Kind == ""), "forbearance, deferment or pause")
			}
			checkDateAt(l, pp, "From", p.From)
			checkDateAt(l, pp, "To", p.To)
			if p.To <= p.From {
				l.Add(pp.dot("To"), p.To, field.ErrInvalid, "must be after From")
			}
		}
	}
	if len(ln.ReAgedOn) > MaxReAges {
		l.Add("Loan.ReAgedOn", len(ln.ReAgedOn), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxReAges))
	} else {
		reAged := pathOf("Loan", ".ReAgedOn")
		for i, d := range ln.ReAgedOn {
			checkDateAt(l, reAged.index(i), "", d)
		}
	}
	for _, o := range [...]struct {
		n string
		d *date.Date
	}{{"ChargedOffOn", ln.ChargedOffOn}, {"PaidOffOn", ln.PaidOffOn}, {"ClosedOn", ln.ClosedOn}} {
		if o.d != nil {
			checkDateAt(l, pathOf("Loan", ""), o.n, *o.d)
		}
	}
	validateHolds(l, ln.Holds)
	validateAccel(l, ln.Acceleration, ln.Currency)
}

// checkParts checks the four amounts of an installment or a credit, at the
// path template p with indexes i and j, and returns the running total with
// them added (capped, see addCapped).
func checkParts(l *field.List, p *fieldPath, i, j int, principal, interest, escrow, fees money.Amount, cur money.Currency, total int64) int64 {
	total = checkPart(l, p, i, j, "Principal", principal, cur, total)
	total = checkPart(l, p, i, j, "Interest", interest, cur, total)
	total = checkPart(l, p, i, j, "Escrow", escrow, cur, total)
	return checkPart(l, p, i, j, "Fees", fees, cur, total)
}

// partsFine reports whether the amount rule accepts all four amounts: the
// common case, decided inline before checkParts is asked for the paths.
func partsFine(a, b, c, d money.Amount, cur money.Currency) bool {
	return amountRule(a, cur)|amountRule(b, cur)|amountRule(c, cur)|amountRule(d, cur) == amountFine
}

// addParts adds four amounts to total as checkParts does.
func addParts(total int64, a, b, c, d money.Amount) int64 {
	return addCapped(addCapped(addCapped(addCapped(total, a.Minor()), b.Minor()), c.Minor()), d.Minor())
}

// checkPart is checkParts for one amount.
func checkPart(l *field.List, p *fieldPath, i, j int, leaf string, a money.Amount, cur money.Currency, total int64) int64 {
	if iss := amountRule(a, cur); iss != amountFine {
		addAmountIssue(l, p.at(i, j).dot(leaf), a, cur, iss)
	}
	return addCapped(total, a.Minor())
}
