package escrow

import (
	"errors"
	"fmt"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
)

// Errors returned by this package. Test them with errors.Is; the field
// errors inside are *field.Error values (errors.As) naming each bad field.
var (
	// ErrInvalidAnalysis means an [Analysis] failed validation. The wrapped
	// errors are *field.Error values, one per bad field.
	ErrInvalidAnalysis = errors.New("escrow: invalid analysis")
	// ErrCushionAboveCap is the constraint of the field.Error for
	// Analysis.Cushion when the fraction exceeds [MaxCushion] (Reg X
	// §1024.17(c)(1)). It wraps field.ErrOutOfRange, so errors.Is works with
	// either sentinel.
	ErrCushionAboveCap = fmt.Errorf("%w: cushion above 1/6 of annual disbursements (Reg X 1024.17(c)(1))", field.ErrOutOfRange)
	// ErrInvariant means a computed result broke one of the package's own
	// invariants (a bug, never bad input); the message carries the numbers.
	ErrInvariant = errors.New("escrow: invariant violated")
)

// MaxDisbursements bounds Analysis.Disbursements, so that every sum and
// balance of an analysis stays far inside int64 minor units.
const MaxDisbursements = 1000

// MonthsPerYear is the number of monthly payments in an escrow account
// computation year (Reg X §1024.17(b), "escrow account computation year").
const MonthsPerYear = 12

// MaxCushion returns the largest cushion Reg X allows: one-sixth of the
// estimated total annual disbursements (§1024.17(c)(1)(i), (ii)). It is a
// function so that no caller can change the cap.
func MaxCushion() Fraction { return Fraction{Num: 1, Den: 6} }

// SurplusRefundThreshold is the surplus, in whole dollars, at or above which a
// servicer must refund it within [SurplusRefundDays] when the borrower is
// current (Reg X §1024.17(f)(2)(i)). The rule is stated in US dollars; the
// package applies the same number of major units in any currency.
const SurplusRefundThreshold = 50

// Day and month counts of the Reg X §1024.17(f) dispositions.
const (
	// SurplusRefundDays: a surplus is refunded within 30 days of the analysis (f)(2)(i).
	SurplusRefundDays = 30
	// ShortageCollectDays: a small shortage may be collected within 30 days (f)(3)(i)(B).
	ShortageCollectDays = 30
	// ShortageSpreadMonths: a shortage may be spread over at least 12 months (f)(3)(i)(C), (ii)(B).
	ShortageSpreadMonths = 12
	// DeficiencyCollectDays: a small deficiency may be collected within 30 days (f)(4)(i)(B).
	DeficiencyCollectDays = 30
	// DeficiencySpreadMonths: a deficiency may be repaid in 2 or more monthly payments (f)(4)(i)(C), (ii)(B).
	DeficiencySpreadMonths = 2
)

// Method is how the trial balance is run (Reg X §1024.17(d)). The zero value
// is invalid: the method must be chosen at the call site.
type Method string

// Analysis methods.
const (
	// Aggregate runs one trial balance over all disbursements together, as
	// §1024.17(d)(2) requires (Appendix E, part I).
	Aggregate Method = "aggregate"
	// SingleItem runs a trial balance per item (grouped by Disbursement.Item)
	// and adds them up (Appendix E, part II). Reg X no longer permits it for
	// analyses, but it remains useful for comparison and per-item reporting.
	SingleItem Method = "single_item"
)

// Fraction is an exact non-negative ratio Num/Den, used for the cushion
// (1/6 rather than a rounded 0.1667). Den must be positive.
type Fraction struct {
	Num int64
	Den int64
}

// String returns "Num/Den".
func (f Fraction) String() string { return fmt.Sprintf("%d/%d", f.Num, f.Den) }

// Disbursement is one projected payment out of the escrow account during the
// computation year: a tax or insurance bill.
type Disbursement struct {
	// Item names the bill ("county taxes"). Single-item analysis groups by
	// it (required there); aggregate analysis ignores it.
	Item string
	// Month is the calendar month in which the bill is paid. Within a row
	// the month's payment is credited before the bill is paid.
	Month time.Month
	// Amount is the projected bill, ≥ 0, in Analysis.Currency.
	Amount money.Amount
}

// Analysis is the input to [Analyze]: the projection for one escrow account
// computation year of twelve monthly payments. It is a plain struct that
// serializes to JSON. Zero values of the policy fields are invalid, so every
// choice is made explicitly.
type Analysis struct {
	// Method selects aggregate or single-item analysis; zero is invalid.
	Method Method
	// Currency of every amount; the zero Currency is invalid.
	Currency money.Currency
	// FirstPaymentMonth is the calendar month of the first of the twelve
	// monthly payments of the computation year (July in Appendix E). The
	// trial balance starts at the end of the month before it. Zero is
	// invalid.
	FirstPaymentMonth time.Month
	// Disbursements are the projected bills of the computation year, at most
	// MaxDisbursements. Their total must not exceed money.MaxMinor.
	Disbursements []Disbursement
	// Cushion is the cushion as a fraction of the annual disbursements,
	// 0 ≤ Cushion ≤ MaxCushion (1/6). Den must be positive, so the zero
	// value is invalid: write Fraction{0, 1} for no cushion.
	Cushion Fraction
	// Rounding rounds the monthly payment, 1/12 of the annual disbursements,
	// to the minor unit. The zero mode is invalid. (Appendix E's figures
	// divide exactly; servicers commonly round up, money.Ceiling.)
	Rounding money.RoundingMode
	// CurrentBalance is the escrow balance projected to the start of the
	// computation year (the end of the month before FirstPaymentMonth). It
	// may be negative: the negative part is a deficiency. Use zero for a new
	// account, where TargetBalance is then the initial deposit.
	CurrentBalance money.Amount
	// BorrowerCurrent reports that the borrower is current at the time of
	// the analysis (each payment received within 30 days of its due date,
	// §1024.17(i)(2)). It decides the surplus and deficiency dispositions.
	BorrowerCurrent bool
}

// Validate reports every bad field of a, as *field.Error values joined under
// [ErrInvalidAnalysis]. Field paths look like "Analysis.Disbursements[2].Month".
func (a Analysis) Validate() error {
	var l field.List
	switch a.Method {
	case Aggregate, SingleItem:
	case "":
		l.Add("Analysis.Method", nil, field.ErrRequired, "aggregate or single_item")
	default:
		l.Add("Analysis.Method", string(a.Method), field.ErrNotSupported, "aggregate or single_item")
	}
	curOK := a.Currency.Valid()
	if !curOK {
		l.Add("Analysis.Currency", a.Currency.Code, field.ErrInvalid, "unknown or zero currency")
	}
	if a.FirstPaymentMonth < time.January || a.FirstPaymentMonth > time.December {
		l.Add("Analysis.FirstPaymentMonth", int(a.FirstPaymentMonth), field.ErrOutOfRange, "1..12")
	}
	validateCushion(&l, a.Cushion)
	switch {
	case a.Rounding == "":
		l.Add("Analysis.Rounding", nil, field.ErrRequired, "declare it: "+money.RoundingChoices())
	case !a.Rounding.Valid():
		l.Add("Analysis.Rounding", string(a.Rounding), field.ErrNotSupported, money.RoundingChoices())
	}
	if curOK && a.CurrentBalance.Currency() != a.Currency && !a.CurrentBalance.IsZero() {
		l.Add("Analysis.CurrentBalance", a.CurrentBalance.String(), field.ErrInvalid, "currency differs from Analysis.Currency")
	}
	if m := a.CurrentBalance.Minor(); m > money.MaxMinor || m < -money.MaxMinor {
		l.Add("Analysis.CurrentBalance", a.CurrentBalance.String(), field.ErrOutOfRange, "beyond money.MaxMinor")
	}
	validateDisbursements(&l, a)
	return l.Err(ErrInvalidAnalysis)
}

func validateCushion(l *field.List, c Fraction) {
	switch {
	case c.Den <= 0:
		l.Add("Analysis.Cushion.Den", c.Den, field.ErrOutOfRange, "must be positive")
	case c.Num < 0:
		l.Add("Analysis.Cushion.Num", c.Num, field.ErrOutOfRange, "must not be negative")
	case c.Num > c.Den/6: // 6·Num ≤ Den ⇔ Num ≤ ⌊Den/6⌋ for integers; no overflow
		l.Add("Analysis.Cushion", c.String(), ErrCushionAboveCap, "at most "+MaxCushion().String())
	}
}

func validateDisbursements(l *field.List, a Analysis) {
	if len(a.Disbursements) > MaxDisbursements {
		l.Add("Analysis.Disbursements", len(a.Disbursements), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxDisbursements))
		return
	}
	var total int64 // ≤ 1000 · MaxMinor: cannot overflow
	for i, d := range a.Disbursements {
		p := func(f string) string { return fmt.Sprintf("Analysis.Disbursements[%d].%s", i, f) }
		if d.Month < time.January || d.Month > time.December {
			l.Add(p("Month"), int(d.Month), field.ErrOutOfRange, "1..12")
		}
		if a.Method == SingleItem && d.Item == "" {
			l.Add(p("Item"), nil, field.ErrRequired, "single-item analysis groups by item")
		}
		switch {
		case a.Currency.Valid() && d.Amount.Currency() != a.Currency && !d.Amount.IsZero():
			l.Add(p("Amount"), d.Amount.String(), field.ErrInvalid, "currency differs from Analysis.Currency")
		case d.Amount.IsNegative():
			l.Add(p("Amount"), d.Amount.String(), field.ErrOutOfRange, "must not be negative")
		case d.Amount.Minor() > money.MaxMinor:
			l.Add(p("Amount"), d.Amount.String(), field.ErrOutOfRange, "beyond money.MaxMinor")
		default:
			total += d.Amount.Minor()
		}
	}
	if total > money.MaxMinor {
		l.Add("Analysis.Disbursements", total, field.ErrOutOfRange, "annual total exceeds money.MaxMinor")
	}
}
