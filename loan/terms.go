package loan

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/rickb777/date/v2/gregorian"
)

// InterestMethod is how a loan's interest is measured.
type InterestMethod string

// The interest methods (DESIGN §4).
const (
	// InterestScheduled is mortgage style: each installment's interest is
	// the outstanding principal × rate × the period's year fraction under
	// the loan's day count (30/360 for a US mortgage), in arrears; payments
	// are matched to installments oldest first.
	InterestScheduled InterestMethod = "scheduled"
	// InterestDailySimple accrues interest every day on the actual
	// principal (auto, personal loans): early or late payments move the
	// interest/principal split.
	InterestDailySimple InterestMethod = "daily_simple"
	// InterestPrecomputed is add-on (precomputed) interest: the finance
	// charge Principal × AnnualRate × Installments/12 is fixed at boarding,
	// the total of payments is repaid in equal monthly installments
	// (amortize.ShapeAddOn; Payment must equal its installment) and each
	// installment earns the part of the charge Terms.AddOnEarning gives it
	// (actuarial, or the Rule of 78s up to 61 installments, 15 U.S.C.
	// 1615(b)). Installments are billed and paid like scheduled ones (the
	// charge earned as their interest); a payoff owes the unpaid total of
	// payments less the unearned finance charge (amortize.UnearnedFinanceCharge,
	// see [State.Payoff]). The rate is fixed: rate changes, modifications
	// and adjustable rates are not supported.
	InterestPrecomputed InterestMethod = "precomputed"
)

// Limits that keep every replay bounded.
const (
	// MaxInstallments bounds a loan's term, extensions included.
	MaxInstallments = 1200
	// MaxEvents bounds the events of one loan.
	MaxEvents = 1_000_000
)

// AllocationRules are the loan's payment waterfall, as data: the engine
// hands every payment to payment.Allocate under these rules.
type AllocationRules struct {
	// Extra is the engine's shorthand for money beyond what is due:
	// "principal" curtails principal (the GSE rule), "suspense" holds it
	// (and it is offered again when the next installment falls due).
	// Required unless Rules is set.
	Extra string `json:"extra,omitempty"`
	// Rules, when set, are the payment rules (order, partial-payment
	// policy, extra-money method). Nil means the preset for the interest
	// method: payment.GSEMortgage for scheduled interest (whole installments
	// oldest first, partial payments held in suspense, Reg Z
	// §1026.36(c)(1)(ii)), payment.Consumer for daily simple interest (fees,
	// interest, principal; partial payments applied). The engine supports
	// the extra-money methods curtail and recast. States decoded from
	// checkpoints share the value: treat it as read-only.
	Rules *payment.Rules `json:"rules,omitempty"`
}

// rules returns the payment rules in force for the interest method m.
func (a AllocationRules) rules(m InterestMethod) payment.Rules {
	if a.Rules != nil {
		return *a.Rules
	}
	if m == InterestDailySimple {
		return payment.Consumer()
	}
	return payment.GSEMortgage()
}

// LateFeePolicy is the contract's late charge: max(Flat, Percent × the
// basis), capped at Max when Max is not zero, charged once per installment
// still unpaid GraceDays after its due date. The decision is
// delinquency.Evaluator.LateFee's: never for an installment short only by
// fees taken from its payments (Reg Z §1026.36(c)(2), no pyramiding).
type LateFeePolicy struct {
	// GraceDays is the grace period after the due date; 0 charges the day
	// after the due date.
	GraceDays int `json:"grace_days"`
	// Percent is the share of the basis, e.g. "5%", in whole basis points;
	// zero for none.
	Percent rate.Rate `json:"percent"`
	// Basis is what Percent applies to: delinquency.FeePercentPITI (the
	// default: the whole periodic payment, P&I + escrow),
	// delinquency.FeePercentPI (principal and interest) or
	// delinquency.FeePercentPastDue (what is still unpaid of the payment).
	Basis delinquency.FeeMethod `json:"basis,omitempty"`
	// Flat is a fixed fee (with Percent, the minimum); zero for none.
	Flat money.Amount `json:"flat"`
	// Max caps the fee; zero for no cap.
	Max money.Amount `json:"max"`
	// Rounding rounds the percentage fee; required when Percent is set.
	Rounding money.RoundingMode `json:"rounding,omitempty"`
}

// on reports whether the policy charges anything.
func (lf LateFeePolicy) on() bool { return !lf.Percent.IsZero() || !lf.Flat.IsZero() }

// policy returns the policy as the delinquency package's (nil: no late
// fees). Percent is validated to whole basis points.
func (lf LateFeePolicy) policy() *delinquency.LateFeePolicy {
	if !lf.on() {
		return nil
	}
	p := delinquency.LateFeePolicy{GraceDays: lf.GraceDays, Maximum: lf.Max}
	if lf.Percent.IsZero() {
		p.Method, p.FlatAmount = delinquency.FeeFlat, lf.Flat
		p.Minimum = money.Zero(lf.Flat.Currency())
		return &p
	}
	p.Method = lf.Basis
	if p.Method == "" {
		p.Method = delinquency.FeePercentPITI
	}
	p.PercentBasisPoints = lf.Percent.Units() / bpUnits
	p.Rounding = lf.Rounding
	p.Minimum = lf.Flat
	if !lf.Max.IsZero() && lf.Flat.Cmp(lf.Max) > 0 {
		p.Minimum = lf.Max
	}
	return &p
}

// bpUnits is one basis point in rate units (1e-4 of 1e12).
const bpUnits = 100_000_000

// Terms is the loan contract as boarded. Modifications and rate changes are
// events; they never edit Terms (a loan's later terms versions live in its
// State).
type Terms struct {
	// Principal is the amount disbursed at boarding, > 0; its currency is
	// the loan's currency.
	Principal money.Amount `json:"principal"`
	// AnnualRate is the note rate; not negative.
	AnnualRate rate.Rate `json:"annual_rate"`
	// Index names the index of an adjustable rate ("" for fixed); the
	// engine takes new rates from RateChanged events.
	Index string `json:"index,omitempty"`
	// Margin is added to the index at each change of an adjustable rate.
	Margin rate.Rate `json:"margin,omitzero"`
	// Installments is the number of installments, 1 to MaxInstallments.
	Installments int `json:"installments"`
	// Frequency is how often installments fall due; monthly frequencies
	// (every 1–12 months) are supported by the engine.
	Frequency schedule.Frequency `json:"frequency"`
	// EOM is the end-of-month policy for due dates. Required.
	EOM schedule.EOMPolicy `json:"eom"`
	// FundingDate is the date interest starts.
	FundingDate date.Date `json:"funding_date"`
	// FirstDueDate is the first installment's due date, after FundingDate.
	FirstDueDate date.Date `json:"first_due_date"`
	// DayCount measures interest: the period year fraction for scheduled
	// interest, the accrual for daily simple interest. Required.
	DayCount accrual.DayCount `json:"day_count"`
	// InterestMethod is scheduled, daily_simple or precomputed (then
	// AddOnEarning is required). Required.
	InterestMethod InterestMethod `json:"interest_method"`
	// InterestRounding rounds each computed interest amount. Required.
	InterestRounding money.RoundingMode `json:"interest_rounding"`
	// Payment is the periodic principal-and-interest payment from the note,
	// > 0 (the LOS hands it over; recasts solve a new one).
	Payment money.Amount `json:"payment"`
	// EscrowPayment is the escrow part of each periodic payment (zero: no
	// escrow account).
	EscrowPayment money.Amount `json:"escrow_payment"`
	// Allocation says where extra money goes. Required.
	Allocation AllocationRules `json:"allocation"`
	// LateFee is the late-charge policy (zero: no late fees).
	LateFee LateFeePolicy `json:"late_fee"`
	// ARM, when set, makes the rate adjustable: index + margin with the
	// note's rounding, first-change, periodic and lifetime caps, floor and
	// ceiling (accrual.ARM). Its InitialRate must equal AnnualRate; each
	// IndexReset event sets the rate accrual.ARM.Adjust computes and recasts
	// the payment. Treat as read-only (states share it).
	ARM *accrual.ARM `json:"arm,omitempty"`
	// Reporting is the delinquency reporting method of
	// [State.Delinquency]: delinquency.MethodDaysPastDue (the default),
	// MethodMBA or MethodOTS.
	Reporting delinquency.Method `json:"reporting,omitempty"`
	// CreditKind turns on the delinquency status ladder with the FFIEC
	// defaults of delinquency.StandardPolicy: delinquency.ClosedEnd
	// (charge-off at 120 days past due) or delinquency.OpenEnd (180). Empty
	// with a nil StatusPolicy: no ladder, the status is only current or
	// delinquent and charge-off is the host's ChargeOff command.
	CreditKind delinquency.Kind `json:"credit_kind,omitempty"`
	// StatusPolicy, when set, turns on the status ladder with these
	// thresholds (nil: the CreditKind defaults). See [Terms.Ladder].
	// Treat as read-only (states share it).
	StatusPolicy *delinquency.StatusPolicy `json:"status_policy,omitempty"`
	// PayoffInterest is how payoff quotes price the interest since the last
	// paid due date (scheduled interest) or since AccrualFrom (daily simple):
	// PayoffAccrual (the default), PayoffDayCount or PayoffFannieMae. See
	// [State.Payoff].
	PayoffInterest PayoffInterest `json:"payoff_interest,omitempty"`
	// AddOnEarning is how a precomputed loan (InterestPrecomputed) earns
	// its finance charge per installment and rebates it on payoff:
	// amortize.RebateActuarial or amortize.RebateRule78. Required for
	// precomputed loans, empty otherwise.
	AddOnEarning amortize.RebateMethod `json:"add_on_earning,omitempty"`
}

// PayoffInterest names how a payoff quote prices interest.
type PayoffInterest string

const (
	// PayoffAccrual (the zero value) prices payoff interest as the fold
	// accrues it: the loan's day-count year fraction with its rounding, rate
	// caps included; the per diem is one day on a 360-day year for 30/360
	// and ACT/360 loans, 365 otherwise.
	PayoffAccrual PayoffInterest = ""
	// PayoffDayCount prices it through payment.Quote with the loan's
	// DayCount (payment.QuoteRequest.DayCount): the same interest, and the
	// per diem of one ordinary day of the payoff date's month under the
	// convention.
	PayoffDayCount PayoffInterest = "day_count"
	// PayoffFannieMae prices it through payment.Quote's
	// payment.FannieMaeConventional method: the whole months on a 360-day
	// year (1/12 each), the part month's days on a 365-day year, up to but
	// not including the day the funds arrive; the per diem is one day on
	// 365.
	PayoffFannieMae PayoffInterest = PayoffInterest(payment.FannieMaeConventional)
)

// Ladder returns the delinquency status thresholds the engine applies
// while folding, and false when the terms turn no ladder on. With a ladder
// the status on a date follows DPD (days past the oldest unpaid due date,
// Reg X §1024.31): current below DelinquentDays, delinquent, default from
// DefaultDays, non-accrual from NonAccrualDays (daily simple interest stops
// accruing and resumes when the loan is brought current), and the loan is
// charged off the day DPD reaches ChargeOffDays. The thresholds are
// evaluated at the start of each day on the payments received before it.
func (t Terms) Ladder() (delinquency.StatusPolicy, bool) {
	if t.StatusPolicy != nil {
		return *t.StatusPolicy, true
	}
	if t.CreditKind == "" {
		return delinquency.StatusPolicy{}, false
	}
	return delinquency.StandardPolicy(t.CreditKind).Status, true
}

// Currency returns the loan's currency (that of Principal).
func (t Terms) Currency() money.Currency { return t.Principal.Currency() }

// Validate reports every bad field at once, wrapped in ErrInvalidTerms.
func (t Terms) Validate() error {
	var l field.List
	t.validate(&l, "Terms")
	return l.Err(ErrInvalidTerms)
}

func (t Terms) validate(l *field.List, p string) {
	cur := t.Principal.Currency()
	if !cur.Valid() || !t.Principal.IsPositive() {
		l.Add(p+".Principal", t.Principal.String(), field.ErrOutOfRange, "must be a positive amount with a currency")
	}
	if t.AnnualRate.IsNegative() {
		l.Add(p+".AnnualRate", t.AnnualRate.String(), field.ErrOutOfRange, "must not be negative")
	}
	if t.Installments < 1 || t.Installments > MaxInstallments {
		l.Add(p+".Installments", t.Installments, field.ErrOutOfRange, fmt.Sprintf("1 to %d", MaxInstallments))
	}
	if err := t.Frequency.Validate(); err != nil {
		l.Add(p+".Frequency", t.Frequency.String(), field.ErrInvalid, err.Error())
	} else {
		switch f := t.Frequency; {
		case f.Unit == schedule.UnitMonth && f.Every <= 12, f.Unit == schedule.UnitWeek && f.Every <= 4:
		case f.Unit == schedule.UnitSemiMonth && f.SemiMonthlyDays[0] >= 1 && f.SemiMonthlyDays[0] < f.SemiMonthlyDays[1] && f.SemiMonthlyDays[1] <= 31:
			last := gregorian.DaysIn(t.FirstDueDate.Year(), t.FirstDueDate.Month())
			if d := t.FirstDueDate.Day(); t.FirstDueDate != 0 && d != min(f.SemiMonthlyDays[0], last) && d != min(f.SemiMonthlyDays[1], last) {
				l.Add(p+".FirstDueDate", t.FirstDueDate.String(), field.ErrInvalid, "not on one of the semi-monthly days")
			}
		default:
			l.Add(p+".Frequency", t.Frequency.String(), field.ErrNotSupported, "the engine steps every 1-12 months, every 1-4 weeks, or semi-monthly")
		}
	}
	if t.EOM != schedule.EOMAnchor && t.EOM != schedule.EOMLastDay {
		l.Add(p+".EOM", t.EOM, field.ErrNotSupported, "anchor or last_day")
	}
	if t.FundingDate == 0 {
		l.Add(p+".FundingDate", nil, field.ErrRequired, "")
	}
	if t.FirstDueDate == 0 {
		l.Add(p+".FirstDueDate", nil, field.ErrRequired, "")
	} else if t.FirstDueDate <= t.FundingDate {
		l.Add(p+".FirstDueDate", t.FirstDueDate.String(), field.ErrInvalid, "must be after FundingDate")
	}
	// The delinquency package works on 1900-2199; maturity may run up to
	// MaxInstallments years past the first due date, so keep a margin.
	if t.FundingDate != 0 && (t.FundingDate < delinquency.MinDate || t.FundingDate > delinquency.MaxDate-36600) {
		l.Add(p+".FundingDate", t.FundingDate.String(), field.ErrOutOfRange, "1900-01-01 to 2099-12-31")
	}
	if err := t.DayCount.Validate(); err != nil {
		l.Add(p+".DayCount", t.DayCount.Convention, field.ErrInvalid, err.Error())
	} else if t.DayCount.Termination != nil || t.DayCount.Reference != nil {
		l.Add(p+".DayCount", t.DayCount.Convention, field.ErrNotSupported, "conventions needing a termination date or reference period")
	}
	switch t.InterestMethod {
	case InterestScheduled, InterestDailySimple:
		if t.AddOnEarning != "" {
			l.Add(p+".AddOnEarning", t.AddOnEarning, field.ErrInvalid, "only for precomputed interest")
		}
	case InterestPrecomputed:
		t.validatePrecomputed(l, p)
	default:
		l.Add(p+".InterestMethod", t.InterestMethod, field.ErrNotSupported, "scheduled, daily_simple or precomputed")
	}
	if !t.InterestRounding.Valid() {
		l.Add(p+".InterestRounding", t.InterestRounding, field.ErrNotSupported, "")
	}
	t.validateAmount(l, p+".Payment", t.Payment, cur, true)
	t.validateAmount(l, p+".EscrowPayment", t.EscrowPayment, cur, false)
	t.validateAllocation(l, p+".Allocation")
	if t.ARM != nil {
		if t.ARM.InitialRate != t.AnnualRate {
			l.Add(p+".ARM.InitialRate", t.ARM.InitialRate.String(), field.ErrInvalid, "must equal AnnualRate")
		}
		if _, err := t.ARM.Adjust(nil, indexHistory(nil)); err != nil {
			l.Add(p+".ARM", nil, field.ErrInvalid, err.Error())
		}
	}
	switch t.Reporting {
	case "", delinquency.MethodDaysPastDue, delinquency.MethodMBA, delinquency.MethodOTS:
	default:
		l.Add(p+".Reporting", t.Reporting, field.ErrNotSupported, "days_past_due, mba or ots")
	}
	switch t.PayoffInterest {
	case PayoffAccrual, PayoffDayCount, PayoffFannieMae:
	default:
		l.Add(p+".PayoffInterest", t.PayoffInterest, field.ErrNotSupported, "day_count or fannie_mae_conventional")
	}
	switch t.CreditKind {
	case "", delinquency.ClosedEnd, delinquency.OpenEnd:
	default:
		l.Add(p+".CreditKind", t.CreditKind, field.ErrNotSupported, "closed_end or open_end")
	}
	if sp, ok := t.Ladder(); ok && t.StatusPolicy != nil {
		dp := delinquency.StandardPolicy(delinquency.ClosedEnd)
		dp.Status = sp
		if err := dp.Validate(); err != nil {
			l.Add(p+".StatusPolicy", nil, field.ErrInvalid, err.Error())
		}
	}
	lf := t.LateFee
	if lf.GraceDays < 0 || lf.GraceDays > 366 {
		l.Add(p+".LateFee.GraceDays", lf.GraceDays, field.ErrOutOfRange, "0 to 366")
	}
	if lf.Percent.IsNegative() || lf.Percent.Cmp(rate.MustPercent("100")) > 0 {
		l.Add(p+".LateFee.Percent", lf.Percent.String(), field.ErrOutOfRange, "0% to 100%")
	}
	if !lf.Percent.IsZero() && !lf.Rounding.Valid() {
		l.Add(p+".LateFee.Rounding", lf.Rounding, field.ErrRequired, "needed with Percent")
	}
	if lf.Percent.Units()%bpUnits != 0 {
		l.Add(p+".LateFee.Percent", lf.Percent.String(), field.ErrNotSupported, "whole basis points")
	}
	switch lf.Basis {
	case "", delinquency.FeePercentPITI, delinquency.FeePercentPI, delinquency.FeePercentPastDue:
	default:
		l.Add(p+".LateFee.Basis", lf.Basis, field.ErrNotSupported, "percent_piti, percent_pi or percent_past_due")
	}
	t.validateAmount(l, p+".LateFee.Flat", lf.Flat, cur, false)
	t.validateAmount(l, p+".LateFee.Max", lf.Max, cur, false)
}

// validateAllocation checks the waterfall: the Extra shorthand, or rules
// valid for payment.Allocate whose extra-money method the engine supports.
func (t Terms) validateAllocation(l *field.List, p string) {
	a := t.Allocation
	if a.Rules == nil {
		if a.Extra != "principal" && a.Extra != "suspense" {
			l.Add(p+".Extra", a.Extra, field.ErrNotSupported, "principal or suspense")
		}
		return
	}
	if a.Extra != "" && a.Extra != "principal" {
		l.Add(p+".Extra", a.Extra, field.ErrInvalid, "with Rules, leave Extra empty (Rules.Extra decides)")
	}
	if len(a.Rules.ByType) > 64 {
		l.Add(p+".Rules.ByType", len(a.Rules.ByType), field.ErrOutOfRange, "at most 64 transaction types")
	}
	if err := a.Rules.Validate(); err != nil {
		l.Add(p+".Rules", nil, field.ErrInvalid, err.Error())
	}
	if a.Rules.Extra != payment.ExtraCurtail && a.Rules.Extra != payment.ExtraRecast {
		l.Add(p+".Rules.Extra", a.Rules.Extra, field.ErrNotSupported, "the engine supports curtail and recast")
	}
}

// validateAmount checks a money field: the loan's currency (or zero) and
// not negative; positive when required.
func (Terms) validateAmount(l *field.List, path string, a money.Amount, cur money.Currency, required bool) {
	switch {
	case required && !a.IsPositive():
		l.Add(path, a.String(), field.ErrOutOfRange, "must be positive")
	case a.IsNegative():
		l.Add(path, a.String(), field.ErrOutOfRange, "must not be negative")
	case !a.IsZero() && a.Currency() != cur:
		l.Add(path, a.Format(), field.ErrInvalid, "currency differs from Principal")
	}
}

// validatePrecomputed checks the add-on terms: an earning method, monthly
// installments, a fixed rate, the Rule of 78s within 61 installments, and
// the payment of the add-on table.
func (t Terms) validatePrecomputed(l *field.List, p string) {
	switch t.AddOnEarning {
	case amortize.RebateActuarial:
	case amortize.RebateRule78:
		if t.Installments > amortize.Rule78MaxPayments {
			l.Add(p+".AddOnEarning", t.AddOnEarning, field.ErrNotSupported,
				fmt.Sprintf("15 U.S.C. 1615(b): no Rule of 78s for terms over %d months (%d)", amortize.Rule78MaxPayments, t.Installments))
			return
		}
	case "":
		l.Add(p+".AddOnEarning", t.AddOnEarning, field.ErrRequired, "actuarial or rule_of_78s")
		return
	default:
		l.Add(p+".AddOnEarning", t.AddOnEarning, field.ErrNotSupported, "actuarial or rule_of_78s")
		return
	}
	if t.Frequency.Unit != schedule.UnitMonth || t.Frequency.Every != 1 {
		l.Add(p+".Frequency", t.Frequency.String(), field.ErrNotSupported, "precomputed interest needs monthly installments")
		return
	}
	if t.ARM != nil {
		l.Add(p+".ARM", nil, field.ErrNotSupported, "precomputed interest has a fixed rate")
	}
	if l.Len() > 0 || !t.Principal.IsPositive() || t.Installments < 1 || t.Installments > MaxInstallments || t.AnnualRate.IsNegative() {
		return // the table needs valid inputs; their errors are reported
	}
	tb, err := addOnTable(t)
	if err != nil {
		l.Add(p+".InterestMethod", t.InterestMethod, field.ErrInvalid, "add-on table: "+err.Error())
		return
	}
	if !t.Payment.Equal(tb.Payment) {
		l.Add(p+".Payment", t.Payment.String(), field.ErrInvalid, "must be the add-on installment "+tb.Payment.String())
	}
}

// addOnTable is the precomputed loan's add-on table (amortize.ShapeAddOn:
// the charge and each installment's earning; the installment rounded half
// away from zero to the cent, the last one absorbing the rounding).
func addOnTable(t Terms) (amortize.Table, error) {
	return amortize.Compute(amortize.Terms{
		Principal: t.Principal, AnnualRate: t.AnnualRate, Installments: t.Installments,
		Frequency: t.Frequency, EOM: t.EOM, FundingDate: t.FundingDate, FirstDueDate: t.FirstDueDate,
		Shape: amortize.ShapeAddOn, InterestMethod: amortize.InterestPeriodic, AddOnEarning: t.AddOnEarning,
		InterestRounding: t.InterestRounding, PaymentRounding: money.HalfAwayFromZero,
	})
}

// termsWire is Terms without its methods, for the JSON codec.
type termsWire Terms

// MarshalJSON writes the terms with a "currency" member, because amounts are
// written without their code.
func (t Terms) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Currency string `json:"currency"`
		termsWire
	}{t.Currency().Code, termsWire(t)})
}

// UnmarshalJSON reads what MarshalJSON wrote; "currency" is required.
func (t *Terms) UnmarshalJSON(b []byte) error {
	var head struct {
		Currency string `json:"currency"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidTerms, err)
	}
	cur, err := money.CurrencyOf(head.Currency)
	if err != nil {
		return fmt.Errorf("%w: currency: %w", ErrInvalidTerms, err)
	}
	z := money.Zero(cur)
	w := struct {
		Currency string `json:"currency"`
		termsWire
	}{termsWire: termsWire{Principal: z, Payment: z, EscrowPayment: z, LateFee: LateFeePolicy{Flat: z, Max: z}}}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidTerms, err)
	}
	*t = Terms(w.termsWire)
	return nil
}
