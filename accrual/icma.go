package accrual

import (
	"math/big"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// PeriodKind says where an accrual period sits in a coupon or installment
// schedule, which decides its ACT_ACT_ICMA reference period.
type PeriodKind string

// Period kinds for [ICMAReference].
const (
	// FirstPeriod is the schedule's first period (it may be a short or long
	// initial stub): notional periods roll backward from its end date.
	FirstPeriod PeriodKind = "first"
	// RegularPeriod is any period between the first and the last: it is its
	// own reference period.
	RegularPeriod PeriodKind = "regular"
	// FinalPeriod is the schedule's last period (a short or long final stub,
	// or a one-period schedule): notional periods roll forward from its start.
	FinalPeriod PeriodKind = "final"
)

// ICMAReference returns the ACT_ACT_ICMA reference period of the accrual
// period [start, end) that is kind in a schedule of months-month periods. With
// eom, a month-end anchor rolls to month ends (30 Nov → 29 Feb → 31 May).
// This is the schedule information OpenGamma Strata passes to its ICMA day
// count; use the result as [DayCount.Reference] with FrequencyMonths = months.
// ICMAReference returns an error wrapping ErrInvalidInput if months is not
// positive, kind is unknown, or the dates are bad.
func ICMAReference(start, end date.Date, months int, eom bool, kind PeriodKind) (Period, error) {
	var l field.List
	checkDates(&l, "start", start, "end", end)
	if months <= 0 || months > 120 {
		l.Add("months", months, field.ErrOutOfRange, "1..120")
	}
	switch kind {
	case FirstPeriod, RegularPeriod, FinalPeriod:
	default:
		l.Add("kind", kind, field.ErrNotSupported, "")
	}
	if err := l.Err(ErrInvalidInput); err != nil {
		return Period{}, err
	}
	switch kind {
	case FirstPeriod:
		y, m, d := end.Date()
		return Period{Start: addMonths(end, -months, d, eom && isLastOfMonth(y, m, d)), End: end}, nil
	case FinalPeriod:
		y, m, d := start.Date()
		return Period{Start: start, End: addMonths(start, months, d, eom && isLastOfMonth(y, m, d))}, nil
	}
	return Period{Start: start, End: end}, nil
}

func (dc DayCount) validateICMA(l *field.List, path string) {
	if dc.Reference == nil {
		l.Add(path+".Reference", nil, field.ErrRequired, "ACT_ACT_ICMA needs a reference coupon period")
		return
	}
	ref := *dc.Reference
	checkDates(l, path+".Reference.Start", ref.Start, path+".Reference.End", ref.End)
	if ref.End == ref.Start {
		l.Add(path+".Reference.End", ref.End, field.ErrOutOfRange, "empty reference period")
	}
	switch {
	case dc.FrequencyMonths < 0 || dc.FrequencyMonths > 120:
		l.Add(path+".FrequencyMonths", dc.FrequencyMonths, field.ErrOutOfRange, "0..120")
	case dc.FrequencyMonths == 0 && ref.End > ref.Start && dc.icmaMonths() == 0:
		l.Add(path+".FrequencyMonths", dc.FrequencyMonths, field.ErrRequired, "reference period too short to infer a frequency")
	}
}

// icmaMonths is FrequencyMonths, or round(12·days/365) of the reference.
func (dc DayCount) icmaMonths() int {
	if dc.FrequencyMonths > 0 {
		return dc.FrequencyMonths
	}
	days := int(dc.Reference.End - dc.Reference.Start)
	return (24*days + 365) / 730
}

// icma is Actual/Actual (ICMA): each notional coupon period [p0, p1)
// overlapping [start, end) contributes overlap·M / (days(p0, p1)·12), M the
// period length in months (so 12/M coupons a year).
func (dc DayCount) icma(start, end date.Date) (Fraction, error) {
	ref := *dc.Reference
	months := dc.icmaMonths()
	if start >= ref.Start && end <= ref.End {
		return reduce(int64(end-start)*int64(months), int64(ref.End-ref.Start)*12), nil
	}
	sum := new(big.Rat)
	add := func(p0, p1 date.Date) {
		a, b := max(start, p0), min(end, p1)
		if b > a {
			sum.Add(sum, big.NewRat(int64(b-a)*int64(months), int64(p1-p0)*12))
		}
	}
	add(ref.Start, ref.End)
	if start < ref.Start {
		y, m, d := ref.Start.Date()
		eom := dc.EOM && isLastOfMonth(y, m, d)
		hi := ref.Start
		for k := 1; hi > start; k++ {
			lo := addMonths(ref.Start, -k*months, d, eom)
			add(lo, hi)
			hi = lo
		}
	}
	if end > ref.End {
		y, m, d := ref.End.Date()
		eom := dc.EOM && isLastOfMonth(y, m, d)
		lo := ref.End
		for k := 1; lo < end; k++ {
			hi := addMonths(ref.End, k*months, d, eom)
			add(lo, hi)
			lo = hi
		}
	}
	return fromRat(sum)
}
