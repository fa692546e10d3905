package delinquency

import (
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// FeeMethod is how a late fee is computed. The zero value is invalid.
type FeeMethod string

// Late-fee methods.
const (
	// FeeFlat charges LateFeePolicy.FlatAmount.
	FeeFlat FeeMethod = "flat"
	// FeePercentPI charges a percentage of the installment's principal and
	// interest (the uniform mortgage note's "overdue payment of principal
	// and interest").
	FeePercentPI FeeMethod = "percent_pi"
	// FeePercentPITI charges a percentage of the whole periodic payment,
	// principal + interest + escrow.
	FeePercentPITI FeeMethod = "percent_piti"
	// FeePercentPastDue charges a percentage of the amount of the periodic
	// payment still unpaid at the end of the grace period (HOEPA
	// §1026.34(a)(8): "the amount of the payment past due").
	FeePercentPastDue FeeMethod = "percent_past_due"
)

// LateFeePolicy says when a late fee is charged and how much. A fee is
// charged at most once per installment, only when the installment's periodic
// payment (never its fees) is still unpaid at the end of the grace period.
type LateFeePolicy struct {
	// GraceDays is the number of days after the due date on which a payment
	// still counts as on time; the fee may be charged from due date +
	// GraceDays + 1. 0–365. Grace changes only the fee, never DPD.
	GraceDays int `json:"grace_days"`
	// Method is how the fee is computed; required.
	Method FeeMethod `json:"method"`
	// FlatAmount is the fee for FeeFlat; > 0 then, zero otherwise.
	FlatAmount money.Amount `json:"flat_amount,omitzero"`
	// PercentBasisPoints is the rate for the percent methods, in basis
	// points (500 = 5 %); 1–10000 then, zero otherwise.
	PercentBasisPoints int64 `json:"percent_basis_points,omitempty"`
	// Rounding rounds a percent fee to the minor unit; required for the
	// percent methods.
	Rounding money.RoundingMode `json:"rounding,omitempty"`
	// Minimum is the smallest fee charged; ≥ 0, zero means none.
	Minimum money.Amount `json:"minimum,omitzero"`
	// Maximum caps the fee; ≥ Minimum, zero means no cap.
	Maximum money.Amount `json:"maximum,omitzero"`
}

// LateFeeReason says why a late-fee decision came out as it did.
type LateFeeReason string

// Late-fee decision reasons.
const (
	// FeeLate: the periodic payment was unpaid at the end of grace; charge.
	FeeLate LateFeeReason = "late"
	// FeeNoPolicy: the loan has no late-fee policy.
	FeeNoPolicy LateFeeReason = "no_policy"
	// FeeNotYet: the grace period has not ended on the as-of date.
	FeeNotYet LateFeeReason = "not_yet"
	// FeePaidInTime: the installment counted as paid by the end of grace.
	FeePaidInTime LateFeeReason = "paid_in_time"
	// FeeAlreadyAssessed: a fee was already assessed for the installment.
	FeeAlreadyAssessed LateFeeReason = "already_assessed"
	// FeeWaived: the installment's fee was waived.
	FeeWaived LateFeeReason = "waived"
	// FeePyramiding: the only shortfall comes from fees taken out of the
	// payment, so a fee would be pyramiding (Reg Z §1026.36(c)(2)).
	FeePyramiding LateFeeReason = "pyramiding"
	// FeePaused: the fee date falls inside a forbearance, deferment or pause.
	FeePaused LateFeeReason = "paused"
	// FeeZero: the computed fee rounds to zero.
	FeeZero LateFeeReason = "zero"
)

// LateFeeDecision is the late-fee answer for one installment on one day.
type LateFeeDecision struct {
	// Seq is the installment's number.
	Seq int
	// Charge says whether a fee is owed and not yet assessed.
	Charge bool
	// Amount is the fee when Charge (zero otherwise).
	Amount money.Amount
	// ChargeableOn is the first day the fee may be charged: due date +
	// GraceDays + 1 (zero when there is no policy).
	ChargeableOn date.Date
	// Reason explains the decision.
	Reason LateFeeReason
}

// Profile is a regulatory limit set that a [LateFeePolicy] must respect.
// Use [HighCostMortgage], [ConventionalMortgage] or [FHA], or build one.
type Profile struct {
	// Name identifies the profile in errors, e.g. "hoepa".
	Name string
	// MaxPercentBasisPoints caps the percent rate; zero means no cap.
	MaxPercentBasisPoints int64
	// MinGraceDays is the shortest grace period allowed.
	MinGraceDays int
	// Methods are the fee methods allowed; empty means all.
	Methods []FeeMethod
	// MaxFee caps every fee, and is the cap of a first violation when
	// MaxRepeatFee is set; zero means no cap. [Profile.Check] requires a
	// flat fee, a Minimum and (for percent methods) a Maximum no higher.
	MaxFee money.Amount
	// MaxRepeatFee is the higher cap of a repeat violation: one in any of
	// the RepeatCycles billing cycles after a cycle with a violation (see
	// [Profile.FeeCap]); zero means none.
	MaxRepeatFee money.Amount
	// RepeatCycles is how many billing cycles after a violation a new
	// one counts as a repeat.
	RepeatCycles int
	// FeeAtMostPayment caps the fee at the minimum payment due (Reg Z
	// §1026.52(b)(2)(i)(A)); applied by [Profile.FeeCap].
	FeeAtMostPayment bool
}

// CardSafeHarbor is the credit-card late-fee safe harbour (Reg Z
// §1026.52(b)(1)(ii), CPI-adjusted; RULES.md "Late fee caps and grace": the
// 2024 $8 rule was vacated on 15 Apr 2025): $30.00 for a first late payment,
// $41.00 for a repeat within the next 6 billing cycles, and never more than
// the minimum payment due. Check holds a policy to the first-violation cap
// ($30.00); [Profile.FeeCap] gives the cap of one billing cycle.
func CardSafeHarbor() Profile {
	return Profile{Name: "card_safe_harbor",
		MaxFee: money.MustNew(3000, money.USD), MaxRepeatFee: money.MustNew(4100, money.USD),
		RepeatCycles: 6, FeeAtMostPayment: true}
}

// FeeCap returns the largest late fee the profile allows for a late payment
// in billing cycle cycle, given the cycles of earlier violations (in any
// order) and the minimum payment due that cycle, and false when the profile
// sets no amount cap. A violation is a repeat when an earlier one lies in the
// RepeatCycles cycles before cycle (cycle − RepeatCycles ≤ earlier < cycle):
// then the cap is MaxRepeatFee, otherwise MaxFee; with FeeAtMostPayment it is
// at most minimumPayment. Under [CardSafeHarbor], a first violation in cycle
// 1 is capped at $30.00, one in cycle 7 after it at $41.00, one in cycle 8
// at $30.00 again, and any at a $25.00 minimum payment at $25.00.
func (pr Profile) FeeCap(cycle int, earlier []int, minimumPayment money.Amount) (money.Amount, bool) {
	capAmt, limited := pr.MaxFee, pr.MaxFee.IsPositive()
	if pr.MaxRepeatFee.IsPositive() {
		for _, c := range earlier {
			if c < cycle && c >= cycle-pr.RepeatCycles {
				capAmt, limited = pr.MaxRepeatFee, true
				break
			}
		}
	}
	if pr.FeeAtMostPayment && (!limited || minimumPayment.LessThan(capAmt)) {
		capAmt, limited = money.Max(minimumPayment, money.Zero(minimumPayment.Currency())), true
	}
	return capAmt, limited
}

// HighCostMortgage is the HOEPA profile (Reg Z §1026.34(a)(8)): at most 4 % of
// the amount past due, charged only after the payment is ≥ 15 days past due
// (grace ≥ 14 days, so the first chargeable day is day 15). Only
// FeePercentPastDue is allowed, since a flat fee or a fee on the whole
// payment can exceed 4 % of a partly paid installment. The 30-day rule for
// interest paid in advance is not modelled.
func HighCostMortgage() Profile {
	return Profile{Name: "hoepa", MaxPercentBasisPoints: 400, MinGraceDays: 14,
		Methods: []FeeMethod{FeePercentPastDue}}
}

// ConventionalMortgage is the typical prime note (Fannie/Freddie uniform
// instruments): 5 % of the overdue principal and interest after 15 days.
func ConventionalMortgage() Profile {
	return Profile{Name: "conventional", MaxPercentBasisPoints: 500, MinGraceDays: 15,
		Methods: []FeeMethod{FeePercentPI, FeePercentPastDue}}
}

// FHA is the FHA profile (24 CFR 203.25†, secondary source): at most 4 % of
// the installment, after 15 days.
func FHA() Profile {
	return Profile{Name: "fha", MaxPercentBasisPoints: 400, MinGraceDays: 15,
		Methods: []FeeMethod{FeePercentPI, FeePercentPITI, FeePercentPastDue}}
}

// Check returns nil if p respects the profile, or an error wrapping
// [ErrProfileViolation] with one [*field.Error] per broken limit (fields
// "LateFee.Method", "LateFee.PercentBasisPoints", "LateFee.GraceDays").
func (pr Profile) Check(p LateFeePolicy) error {
	var l field.List
	if len(pr.Methods) > 0 && !containsMethod(pr.Methods, p.Method) {
		l.Add("LateFee.Method", string(p.Method), field.ErrNotSupported, "not allowed by profile "+pr.Name)
	}
	if pr.MaxPercentBasisPoints > 0 && p.PercentBasisPoints > pr.MaxPercentBasisPoints {
		l.Add("LateFee.PercentBasisPoints", p.PercentBasisPoints, field.ErrOutOfRange, "above the cap of profile "+pr.Name)
	}
	if p.GraceDays < pr.MinGraceDays {
		l.Add("LateFee.GraceDays", p.GraceDays, field.ErrOutOfRange, "below the minimum of profile "+pr.Name)
	}
	if pr.MaxFee.IsPositive() {
		pr.checkMaxFee(&l, p)
	}
	return l.Err(ErrProfileViolation)
}

// checkMaxFee holds a policy's amounts to the profile's MaxFee.
func (pr Profile) checkMaxFee(l *field.List, p LateFeePolicy) {
	over := func(path string, a money.Amount) {
		switch {
		case !a.IsZero() && a.Currency() != pr.MaxFee.Currency():
			l.Add(path, a.Format(), field.ErrInvalid, "currency differs from profile "+pr.Name)
		case a.GreaterThan(pr.MaxFee):
			l.Add(path, a.Format(), field.ErrOutOfRange, "above the cap "+pr.MaxFee.Format()+" of profile "+pr.Name)
		}
	}
	if p.Method == FeeFlat {
		over("LateFee.FlatAmount", p.FlatAmount)
	} else if !p.Maximum.IsPositive() {
		l.Add("LateFee.Maximum", p.Maximum.String(), field.ErrRequired, "profile "+pr.Name+" caps the fee at "+pr.MaxFee.Format())
	}
	over("LateFee.Maximum", p.Maximum)
	over("LateFee.Minimum", p.Minimum)
}

func containsMethod(ms []FeeMethod, m FeeMethod) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// ChargeableOn is the first day a late fee may be charged on an
// installment due on due: the day after its grace period (due + GraceDays
// + 1). It is the one statement of that date; the decision itself is
// [Evaluator.LateFee]'s.
func (p LateFeePolicy) ChargeableOn(due date.Date) date.Date {
	return due + date.Date(p.GraceDays) + 1
}

// lateFee decides the fee for installment index i as of asOf.
func (e *Evaluator) lateFee(i int, asOf date.Date) LateFeeDecision {
	in := &e.loan.Installments[i]
	d := LateFeeDecision{Seq: in.Seq, Amount: e.amt(0)}
	p := e.policy.LateFee
	if p == nil {
		d.Reason = FeeNoPolicy
		return d
	}
	d.ChargeableOn = p.ChargeableOn(in.DueDate)
	lastGrace := d.ChargeableOn - 1
	switch {
	case in.LateFee == LateFeeAssessed:
		d.Reason = FeeAlreadyAssessed
		return d
	case in.LateFee == LateFeeWaived:
		d.Reason = FeeWaived
		return d
	case asOf <= lastGrace:
		d.Reason = FeeNotYet
		return d
	case e.recognizedAt(i, lastGrace):
		d.Reason = FeePaidInTime
		return d
	case e.pausedOn(d.ChargeableOn):
		d.Reason = FeePaused
		return d
	}
	paid, fees := e.creditedAt(i, lastGrace)
	short := e.periodic[i] - paid
	if fees > 0 && short <= fees {
		d.Reason = FeePyramiding
		return d
	}
	d.Amount = e.feeAmount(i, short)
	if d.Amount.IsZero() {
		d.Reason = FeeZero
		return d
	}
	d.Charge, d.Reason = true, FeeLate
	return d
}

// FeeShortfall returns the part of an installment's periodic shortfall that
// only late charges caused (Reg Z §1026.36(c)(2); 16 CFR 444.4, the FTC
// Credit Practices Rule): the late charges just taken from the borrower's
// payment plus the part carried from an earlier installment whose
// shortfall this one took over, never more than the installment is short.
// A payment engine that applies fees first, or applies a later payment to
// the oldest installment first, moves a fee-caused shortfall from
// installment to installment; carried this way to each (as the Fees of its
// Credit), the shortfall never earns a late fee ([Evaluator.LateFee]
// reports FeePyramiding), however many installments it rolls through.
func FeeShortfall(carried, lateChargesPaid, shortfall money.Amount) money.Amount {
	a := carried.Add(lateChargesPaid)
	if shortfall.LessThan(a) {
		a = shortfall
	}
	if a.IsNegative() {
		return a.Sub(a)
	}
	return a
}

// feeAmount computes the fee for installment i with short minor units unpaid.
func (e *Evaluator) feeAmount(i int, short int64) money.Amount {
	p := e.policy.LateFee
	in := &e.loan.Installments[i]
	var fee money.Amount
	switch p.Method {
	case FeeFlat:
		fee = p.FlatAmount
	default:
		basis := short
		switch p.Method {
		case FeePercentPI:
			basis = in.Principal.Minor() + in.Interest.Minor()
		case FeePercentPITI:
			basis = e.periodic[i]
		}
		// basis ≤ MaxMinor and bps ≤ 10000, so this cannot overflow and
		// the rounding mode was validated: the error is impossible.
		fee, _ = e.amt(basis).MulDiv(p.PercentBasisPoints, 10000, p.Rounding)
	}
	if fee.LessThan(p.Minimum) {
		fee = p.Minimum
	}
	if p.Maximum.IsPositive() && fee.GreaterThan(p.Maximum) {
		fee = p.Maximum
	}
	return e.amt(fee.Minor())
}
