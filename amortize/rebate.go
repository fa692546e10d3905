package amortize

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/shopspring/decimal"
)

// RebateMethod is how the unearned part of a precomputed finance charge is
// found when the loan is prepaid.
type RebateMethod string

// Rebate methods. The zero value is invalid.
const (
	// RebateActuarial treats each payment as paying the finance charge
	// accrued on the unpaid balance at the loan's implied rate first, the
	// rest reducing the balance (15 U.S.C. 1615(d)(1)); the unearned charge
	// is the remaining payments minus the actuarial balance.
	RebateActuarial RebateMethod = "actuarial"
	// RebateRule78 is the Rule of 78s (sum of the digits): the unearned
	// fraction is r(r+1) / (n(n+1)) for r of n payments remaining.
	RebateRule78 RebateMethod = "rule_of_78s"
	// RebateFlat is flat interest, Apache Fineract's interestType FLAT:
	// the finance charge is earned in equal shares, one per installment
	// (the charge ÷ installments, rounded; the last installment's share
	// takes the rest), so the unearned charge after m of n payments is the
	// shares of the n − m installments not yet paid. As ShapeAddOn's
	// earning, each installment is the principal share (principal ÷
	// installments, rounded by PaymentRounding) plus the interest share
	// (rounded by InterestRounding), each to a multiple of PaymentIncrement
	// when it is set, the last installment taking the rest of both
	// (Fineract's CumulativeFlatInterestLoanScheduleGenerator over
	// LoanApplicationTerms.calculateTotalFlatInterestDueWithoutGrace,
	// flatInterestPerInstallment and
	// calculateTotalPrincipalPerPeriodWithoutGrace).
	RebateFlat RebateMethod = "flat"
)

// Profile selects the statutory limits applied to a rebate.
type Profile string

// Profiles. The zero value is invalid (the choice is legal policy).
const (
	// ProfileNone applies no statutory limit.
	ProfileNone Profile = "none"
	// ProfileUSConsumer applies 15 U.S.C. 1615 to precomputed consumer
	// credit: the Rule of 78s is refused for terms over 61 months (§1615(b);
	// the statute covers loans consummated after 30 Sep 1993, which the host
	// decides), and a refund under $1 need not be paid (§1615(a)(2)).
	ProfileUSConsumer Profile = "us_consumer"
)

// Rule78MaxPayments is the longest term, in monthly payments, for which
// 15 U.S.C. 1615(b) allows the Rule of 78s.
const Rule78MaxPayments = 61

// RebateRequest describes a precomputed loan prepaid in full after
// PaymentsMade of Payments installments.
type RebateRequest struct {
	// Method is the rebate method; required.
	Method RebateMethod `json:"method"`
	// Profile is the statutory profile; required.
	Profile Profile `json:"profile"`
	// FinanceCharge is the total precomputed finance charge; ≥ 0.
	FinanceCharge money.Amount `json:"finance_charge"`
	// AmountFinanced is the amount financed; needed by RebateActuarial
	// (the payment is (AmountFinanced + FinanceCharge) / Payments, exactly).
	AmountFinanced money.Amount `json:"amount_financed"`
	// Payments is the number of equal installments, 1 to MaxPayments.
	Payments int `json:"payments"`
	// PaymentsMade is the number already paid, 0 to Payments.
	PaymentsMade int `json:"payments_made"`
	// Rounding rounds the rebate to the minor unit; required.
	Rounding money.RoundingMode `json:"rounding"`
}

// Rebate is the unearned finance charge on prepayment.
type Rebate struct {
	// Unearned is the unearned finance charge, rounded with the request's mode.
	Unearned money.Amount
	// Refund is what must be refunded: Unearned, or zero when the profile
	// waives it (under $1 with ProfileUSConsumer).
	Refund money.Amount
	// Waived reports that Unearned > 0 but need not be refunded.
	Waived bool
	// FractionNum / FractionDen is the exact unearned fraction for the Rule
	// of 78s (r(r+1) over n(n+1)); zero for the actuarial method.
	FractionNum, FractionDen int64
}

// Rule78Fraction returns the Rule of 78s unearned fraction r(r+1)/(n(n+1))
// for r of n payments remaining, unreduced (12 payments, 9 remaining: 90/156).
// The earned fraction is 1 minus it. It requires 0 ≤ r ≤ n ≤ MaxPayments.
func Rule78Fraction(n, remaining int) (num, den int64, err error) {
	if n < 1 || n > MaxPayments || remaining < 0 || remaining > n {
		var l field.List
		l.Add("Payments", n, field.ErrOutOfRange, fmt.Sprintf("need 0 ≤ remaining (%d) ≤ payments ≤ %d", remaining, MaxPayments))
		return 0, 0, l.Err(ErrInvalidRebate)
	}
	r, m := int64(remaining), int64(n)
	return r * (r + 1), m * (m + 1), nil
}

// SumOfDigits returns 1 + 2 + … + n = n(n+1)/2 (78 for 12 months).
func SumOfDigits(n int) int64 { return int64(n) * int64(n+1) / 2 }

// UnearnedFinanceCharge computes the rebate of a precomputed finance charge
// on prepayment in full. It returns an error wrapping ErrInvalidRebate naming
// each bad field, including Method when ProfileUSConsumer forbids the Rule of
// 78s (more than 61 payments), or ErrNotConverged when the actuarial implied
// rate cannot be solved. It is NewRebater(req) asked for req.PaymentsMade.
func UnearnedFinanceCharge(req RebateRequest) (Rebate, error) {
	if err := req.validate(); err != nil {
		return Rebate{}, err // every bad field, PaymentsMade too
	}
	r, err := NewRebater(req)
	if err != nil {
		return Rebate{}, err
	}
	return r.Unearned(req.PaymentsMade)
}

// Rebater answers the rebate of one precomputed contract for any number of
// payments made. The actuarial method's implied rate is solved once, in
// NewRebater, so a servicer pricing a payoff at every receipt does not solve
// it again each time.
type Rebater struct {
	req     RebateRequest
	i, pay  decimal.Decimal // actuarial: implied periodic rate and exact payment
	hasRate bool
}

// NewRebater validates req (as UnearnedFinanceCharge does; PaymentsMade is
// ignored) and solves the actuarial implied rate.
func NewRebater(req RebateRequest) (*Rebater, error) {
	req.PaymentsMade = 0
	if err := req.validate(); err != nil {
		return nil, err
	}
	r := &Rebater{req: req}
	if req.Method == RebateActuarial && !req.FinanceCharge.IsZero() {
		n := decimal.NewFromInt(int64(req.Payments))
		r.pay = div(req.AmountFinanced.Add(req.FinanceCharge).Decimal(), n)
		i, err := solveLevelRate(req.AmountFinanced.Decimal(), r.pay, req.Payments)
		if err != nil {
			return nil, err
		}
		r.i, r.hasRate = i, true
	}
	return r, nil
}

// Unearned is the rebate after paymentsMade of the contract's payments
// (0 to Payments; otherwise ErrInvalidRebate naming PaymentsMade).
func (r *Rebater) Unearned(paymentsMade int) (Rebate, error) {
	req := r.req
	if paymentsMade < 0 || paymentsMade > req.Payments {
		var l field.List
		l.Add("RebateRequest.PaymentsMade", paymentsMade, field.ErrOutOfRange, "must be 0 to Payments")
		return Rebate{}, l.Err(ErrInvalidRebate)
	}
	var out Rebate
	remaining := req.Payments - paymentsMade
	switch req.Method {
	case RebateFlat:
		u, err := flatUnearned(req.FinanceCharge, req.Payments, remaining, req.Rounding)
		if err != nil {
			return Rebate{}, err
		}
		out.Unearned = u
	case RebateRule78:
		num, den, _ := Rule78Fraction(req.Payments, remaining)
		u, err := req.FinanceCharge.MulDiv(num, den, req.Rounding)
		if err != nil {
			return Rebate{}, err
		}
		out.Unearned, out.FractionNum, out.FractionDen = u, num, den
	default:
		u, err := r.actuarialUnearned(remaining)
		if err != nil {
			return Rebate{}, err
		}
		out.Unearned = u
	}
	out.Refund = out.Unearned
	if req.Profile == ProfileUSConsumer && out.Unearned.IsPositive() {
		dollar, err := money.New(100, money.USD)
		if err == nil && out.Unearned.LessThan(dollar) {
			out.Refund, out.Waived = money.Zero(out.Unearned.Currency()), true
		}
	}
	return out, nil
}

func (req RebateRequest) validate() error {
	var l field.List
	switch req.Method {
	case RebateActuarial:
		if !req.AmountFinanced.IsPositive() {
			l.Add("RebateRequest.AmountFinanced", req.AmountFinanced.String(), field.ErrOutOfRange, "must be positive for the actuarial method")
		}
	case RebateRule78:
		if req.Profile == ProfileUSConsumer && req.Payments > Rule78MaxPayments {
			l.Add("RebateRequest.Method", req.Method, field.ErrNotSupported,
				fmt.Sprintf("15 U.S.C. 1615(b): no Rule of 78s for terms over %d months (%d)", Rule78MaxPayments, req.Payments))
		}
	case RebateFlat:
	case "":
		l.Add("RebateRequest.Method", req.Method, field.ErrRequired, "actuarial, rule_of_78s or flat")
	default:
		l.Add("RebateRequest.Method", req.Method, field.ErrNotSupported, "actuarial, rule_of_78s or flat")
	}
	switch req.Profile {
	case ProfileNone, ProfileUSConsumer:
	case "":
		l.Add("RebateRequest.Profile", req.Profile, field.ErrRequired, "none or us_consumer")
	default:
		l.Add("RebateRequest.Profile", req.Profile, field.ErrNotSupported, "none or us_consumer")
	}
	if req.FinanceCharge.IsNegative() {
		l.Add("RebateRequest.FinanceCharge", req.FinanceCharge.String(), field.ErrOutOfRange, "must not be negative")
	}
	if req.Payments < 1 || req.Payments > MaxPayments {
		l.Add("RebateRequest.Payments", req.Payments, field.ErrOutOfRange, fmt.Sprintf("must be 1 to %d", MaxPayments))
	}
	if req.PaymentsMade < 0 || req.PaymentsMade > req.Payments {
		l.Add("RebateRequest.PaymentsMade", req.PaymentsMade, field.ErrOutOfRange, "must be 0 to Payments")
	}
	if !req.Rounding.Valid() {
		l.Add("RebateRequest.Rounding", req.Rounding, field.ErrNotSupported, money.RoundingChoices())
	}
	return l.Err(ErrInvalidRebate)
}

// actuarialUnearned is r·P − B_k: the remaining payments less the
// actuarial balance, the present value of those payments at the implied
// periodic rate i solving AmountFinanced = P·a(n, i).
func (r *Rebater) actuarialUnearned(remaining int) (money.Amount, error) {
	cur := r.req.FinanceCharge.Currency()
	if !r.hasRate || remaining == 0 {
		return money.Zero(cur), nil
	}
	balance := mul(r.pay, annuityFactor(r.i, remaining))
	unearned := r.pay.Mul(decimal.NewFromInt(int64(remaining))).Sub(balance)
	return money.Round(unearned, cur, r.req.Rounding)
}

// annuityFactor is a(n, i) = (1 − (1+i)^−n)/i, or n when i = 0.
func annuityFactor(i decimal.Decimal, n int) decimal.Decimal {
	if i.IsZero() {
		return decimal.NewFromInt(int64(n))
	}
	v := div(dOne, dOne.Add(i))
	return div(dOne.Sub(powInt(v, n)), i)
}

// solveLevelRate solves a = p·a(n, i) for the periodic rate i ≥ 0 with the
// general solver (n payments one period apart, no fractions).
func solveLevelRate(a, p decimal.Decimal, n int) (decimal.Decimal, error) {
	terms := make([]aprTerm, n)
	for k := range terms {
		terms[k] = aprTerm{amount: p, periods: k + 1}
	}
	i, _, err := solveGeneral(a, terms)
	return i, err
}
