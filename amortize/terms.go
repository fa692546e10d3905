package amortize

import (
	"fmt"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// MaxPayments is the largest number of installments a table may have: the
// installment limit of every package, declared once as [schedule.MaxCount]
// (a table bills a plan's due dates, so it cannot hold more).
const MaxPayments = schedule.MaxCount

// Shape is how the payment of each installment is set.
type Shape string

// Shapes. The zero value is invalid.
const (
	// ShapeLevel is the annuity: one level payment of principal and
	// interest, solved so the loan amortizes over Installments (or given in
	// Terms.Payment). Interest-only installments, a balloon and rate steps
	// combine with it. The payment is solved at the first period's rate as
	// if it held to maturity and, at each rate change (RateSteps, RatePath,
	// Variable), re-solved for the remaining balance and installments at the
	// new rate (a recast, as an adjustable-rate note does), unless
	// Terms.Payment is fixed.
	ShapeLevel Shape = "level"
	// ShapeEqualPrincipal repays the same principal each installment
	// (principal ÷ amortizing installments, rounded as payments are), plus
	// the period's interest: a declining payment.
	ShapeEqualPrincipal Shape = "equal_principal"
	// ShapeGraduated is a graduated-payment loan: the payment rises by
	// Graduation.StepRate every Graduation.EveryInstallments installments,
	// Graduation.Steps times, then stays level; the first payment is solved
	// so the loan amortizes at the first period's rate held to maturity.
	// At each rate change (RateSteps, RatePath, Variable) the step amounts
	// are re-solved for the remaining balance at the new rate, as
	// ShapeLevel recasts; the rises stay on their installments. Early
	// payments may be below the interest (negative amortization).
	ShapeGraduated Shape = "graduated"
	// ShapeCustom takes each installment's payment from Terms.CustomPayments
	// (step payments are a custom list); the last installment pays the
	// balance.
	ShapeCustom Shape = "custom"
	// ShapeAddOn is precomputed add-on interest: the finance charge is
	// principal × AnnualRate × (Installments ÷ periods a year), fixed at the
	// start; the total is repaid in equal installments and the charge is
	// earned per installment by Terms.AddOnEarning.
	ShapeAddOn Shape = "add_on"
)

// InterestMethod is how each period's interest is measured.
type InterestMethod string

// Interest methods. The zero value is invalid.
const (
	// InterestPeriodic charges AnnualRate ÷ periods a year on the balance
	// each regular period, whatever its length in days (mortgage style;
	// 30/360 amortization). It needs a frequency with a whole number of
	// periods a year. An irregular first period is handled by OddFirstPeriod.
	InterestPeriodic InterestMethod = "periodic"
	// InterestDaily charges AnnualRate × the DayCount year fraction of each
	// actual period [previous due date, due date): the daily simple interest
	// projection of a loan paid exactly on its due dates. The first period
	// runs from FundingDate.
	InterestDaily InterestMethod = "daily"
)

// OddFirstPeriod is how a first period that is not one regular period long
// is treated with InterestPeriodic. The regular start is FirstDueDate less
// one period; the odd days lie between it and FundingDate.
type OddFirstPeriod string

// Odd first-period treatments.
const (
	// OddDaysInterest solves the payment as if the first period were
	// regular and collects the odd days' interest (principal × rate × the
	// DayCount year fraction of the odd days; negative for a short period)
	// with the first payment, which is the level payment plus that interest.
	OddDaysInterest OddFirstPeriod = "odd_days_interest"
	// OddActualPeriod charges the first period's interest over its actual
	// length (one regular period plus the odd days' year fraction) and
	// solves the level payment over that actual first period, so every
	// payment, the first included, is the same.
	OddActualPeriod OddFirstPeriod = "actual_period"
	// OddPrepaid leaves the odd days out of the table: their interest is
	// collected at closing (the interim interest of a US mortgage closing),
	// so the table starts at the regular start, one regular period before
	// FirstDueDate. The first installment's interest is one regular
	// period's (with InterestDaily, the day-count fraction of [regular
	// start, FirstDueDate)), and the payment is solved as if the loan had
	// funded on the regular start.
	OddPrepaid OddFirstPeriod = "prepaid"
)

// RateStep changes the annual rate from an installment on (a rate path):
// the interest of installment FromInstallment and later uses AnnualRate.
type RateStep struct {
	// FromInstallment is the 1-based installment whose period first uses
	// the rate; 2 to Installments, increasing across steps.
	FromInstallment int `json:"from_installment"`
	// AnnualRate is the nominal annual rate from then on; not negative.
	AnnualRate rate.Rate `json:"annual_rate"`
}

// VariableRate is an adjustable rate in accrual's terms: an accrual.ARM
// note (initial rate, index + margin, rounding step, caps, floors,
// look-back) whose rate changes on FirstChange and every EveryMonths months
// after it (end of month anchored on FirstChange's day), read from Index.
// The table turns it into a dated rate path with ARM.Adjust and
// ARM.RateTimeline from FundingDate.
type VariableRate struct {
	// ARM is the note's rate terms; ARM.InitialRate is the rate from
	// FundingDate to the first change.
	ARM accrual.ARM `json:"arm"`
	// FirstChange is the first change date, after FundingDate; required.
	// Notes put change dates on due dates: the payment due on it is the
	// last at the old rate.
	FirstChange date.Date `json:"first_change"`
	// EveryMonths is the number of months between changes, 1 to 120 (12
	// for a 5/1 ARM after the first change, 6 for a 5/6 ARM); required.
	EveryMonths int `json:"every_months"`
	// Index supplies the index values (not serialized; the host attaches
	// it); required.
	Index accrual.IndexSeries `json:"-"`
}

// Graduation configures ShapeGraduated.
type Graduation struct {
	// StepRate is the rise of the payment at each step as a fraction
	// (7.5% for the classic FHA 245 plan); positive.
	StepRate rate.Rate `json:"step_rate"`
	// EveryInstallments is the number of installments between rises (12 for
	// yearly); positive.
	EveryInstallments int `json:"every_installments"`
	// Steps is the number of rises; positive.
	Steps int `json:"steps"`
}

// Terms are the contract terms a Table is computed from. Every field's doc
// says what its zero value means; financial policy (rounding, method,
// shape) has no default.
type Terms struct {
	// Principal is the amount advanced; positive. Its currency is the loan's.
	Principal money.Amount `json:"principal"`
	// AnnualRate is the nominal annual rate; not negative (zero-rate loans
	// repay principal only).
	AnnualRate rate.Rate `json:"annual_rate"`
	// RateSteps is the rate path after the first installment by
	// installment number (nil: fixed).
	RateSteps []RateStep `json:"rate_steps,omitempty"`
	// RatePath is the rate path by date in accrual's terms: each
	// accrual.RateChange sets the rate from its On date (strictly
	// increasing; AnnualRate applies before the first), e.g. the output of
	// accrual.ARM.RateTimeline. With InterestPeriodic a period takes the
	// rate in force on its first day (a change inside a period applies from
	// the next one); with InterestDaily a period is split at each change.
	// nil means none. At most one of RateSteps, RatePath and Variable.
	RatePath []accrual.RateChange `json:"rate_path,omitempty"`
	// Variable is an index + margin adjustable rate, resolved into a
	// RatePath (see VariableRate); nil means none.
	Variable *VariableRate `json:"variable,omitempty"`
	// Installments is the number of installments the loan amortizes over,
	// 1 to MaxPayments.
	Installments int `json:"installments"`
	// Frequency is how often installments fall due; required.
	Frequency schedule.Frequency `json:"frequency"`
	// EOM is the end-of-month policy for monthly frequencies; required for
	// them, ignored otherwise.
	EOM schedule.EOMPolicy `json:"eom,omitempty"`
	// FundingDate is the date interest starts; required.
	FundingDate date.Date `json:"funding_date"`
	// FirstDueDate is the first installment's contractual due date, after
	// FundingDate; required.
	FirstDueDate date.Date `json:"first_due_date"`
	// Adjust moves due dates to business days with Calendar; zero means
	// schedule.Unadjusted. Interest always runs on the contractual dates;
	// rows show the adjusted ones.
	Adjust schedule.BusinessDayConvention `json:"adjust,omitempty"`
	// Calendar is the business-day calendar for Adjust (not serialized).
	Calendar schedule.Calendar `json:"-"`
	// Shape sets the payments; required.
	Shape Shape `json:"shape"`
	// InterestMethod measures each period's interest; required.
	InterestMethod InterestMethod `json:"interest_method"`
	// DayCount is the day-count convention for InterestDaily and for the
	// odd days of an irregular first period; required by those.
	DayCount accrual.DayCount `json:"day_count,omitzero"`
	// OddFirstPeriod treats an irregular first period under
	// InterestPeriodic; required only when the first period is irregular.
	// OddPrepaid applies to InterestDaily too (the first period starts at
	// the regular start instead of FundingDate).
	OddFirstPeriod OddFirstPeriod `json:"odd_first_period,omitempty"`
	// InterestRounding rounds each period's interest; required.
	InterestRounding money.RoundingMode `json:"interest_rounding"`
	// InterestIncrement rounds interest to a multiple of this many minor
	// units (the rounding scale: 1 = cents, 100 = whole dollars); zero means 1.
	InterestIncrement int64 `json:"interest_increment,omitempty"`
	// PaymentRounding rounds a solved payment: HalfUp "to the cent",
	// Ceiling "up to the cent"; required.
	PaymentRounding money.RoundingMode `json:"payment_rounding"`
	// PaymentIncrement rounds solved payments to a multiple of this many
	// minor units (100 = whole dollars); zero means 1.
	PaymentIncrement int64 `json:"payment_increment,omitempty"`
	// Payment fixes the level payment of ShapeLevel instead of solving it;
	// zero means solve. It must exceed the first amortizing period's interest.
	Payment money.Amount `json:"payment,omitzero"`
	// InterestOnly is the number of interest-only installments at the
	// start (ShapeLevel, ShapeEqualPrincipal); zero means none.
	InterestOnly int `json:"interest_only,omitempty"`
	// BalloonAt is the installment at which the whole balance falls due
	// (amortize over Installments, due at BalloonAt); zero means none. It
	// must not be after Installments.
	BalloonAt int `json:"balloon_at,omitempty"`
	// Graduation configures ShapeGraduated.
	Graduation Graduation `json:"graduation,omitzero"`
	// CustomPayments lists each installment's payment for ShapeCustom
	// (length Installments; the last entry is replaced by the payoff).
	CustomPayments []money.Amount `json:"custom_payments,omitempty"`
	// AddOnEarning is how ShapeAddOn earns its finance charge per
	// installment: RebateActuarial (at the implied rate) or RebateRule78.
	AddOnEarning RebateMethod `json:"add_on_earning,omitempty"`
	// DownPayment is the part of Principal due on FundingDate, before the
	// first period: principal only, no interest (Table.DownPayment, row 0
	// of the table; a loan serviced by the engine numbers it installment 1,
	// its rows 2 on). The rows amortize the rest, Principal − DownPayment.
	// Zero means none; it must be less than Principal.
	DownPayment money.Amount `json:"down_payment,omitzero"`
	// EMIAdjust adjusts a solved level payment when the last installment
	// would differ from it (EMIAdjustFineract); "" means none.
	EMIAdjust EMIAdjust `json:"emi_adjust,omitempty"`
}

// financed is t with its down payment taken out: the terms the rows
// amortize.
func (t Terms) financed() Terms {
	if t.DownPayment.IsPositive() {
		t.Principal, t.DownPayment = t.Principal.Sub(t.DownPayment), money.Amount{}
	}
	return t
}

// downPaymentRow is the down payment as a row: installment 0, due on the
// funding date, all principal (the zero Row when there is none).
func (t Terms) downPaymentRow() Row {
	if !t.DownPayment.IsPositive() {
		return Row{}
	}
	z := money.Zero(t.Principal.Currency())
	return Row{N: 0, DueDate: t.FundingDate, Payment: t.DownPayment, Principal: t.DownPayment, Interest: z, Fees: z, Escrow: z,
		Balance: t.Principal.Sub(t.DownPayment)}
}

// Validate reports every bad field of t as a *field.Error wrapped in
// ErrInvalidTerms, or nil. It checks amounts, rates, counts, dates (through
// schedule.Plan), the policy fields and the shape's own fields.
func (t Terms) Validate() error {
	var l field.List
	t.validate(&l)
	return l.Err(ErrInvalidTerms)
}

func (t Terms) validate(l *field.List) {
	cur := t.Principal.Currency()
	switch {
	case !cur.Valid():
		l.Add("Terms.Principal", t.Principal.Format(), field.ErrRequired, "an amount with a currency")
	case !t.Principal.IsPositive():
		l.Add("Terms.Principal", t.Principal.String(), field.ErrOutOfRange, "must be positive")
	}
	if t.AnnualRate.IsNegative() {
		l.Add("Terms.AnnualRate", t.AnnualRate.String(), field.ErrOutOfRange, "must not be negative")
	}
	if dp := t.DownPayment; !dp.IsZero() && (dp.Currency() != cur || dp.IsNegative() || !dp.LessThan(t.Principal)) {
		l.Add("Terms.DownPayment", dp.Format(), field.ErrOutOfRange, "in the principal's currency, at least zero and less than the principal")
	}
	if t.Installments < 1 || t.Installments > MaxPayments {
		l.Add("Terms.Installments", t.Installments, field.ErrOutOfRange, fmt.Sprintf("must be 1 to %d", MaxPayments))
	}
	prev := 1
	for i, s := range t.RateSteps {
		p := fmt.Sprintf("Terms.RateSteps[%d]", i)
		if s.FromInstallment <= prev || s.FromInstallment > t.Installments {
			l.Add(p+".FromInstallment", s.FromInstallment, field.ErrOutOfRange, "must increase, from 2 to Installments")
		}
		prev = max(prev, s.FromInstallment)
		if s.AnnualRate.IsNegative() {
			l.Add(p+".AnnualRate", s.AnnualRate.String(), field.ErrOutOfRange, "must not be negative")
		}
	}
	t.validatePath(l)
	t.validatePolicy(l)
	t.validateShape(l, cur)
	if t.BalloonAt < 0 || t.BalloonAt > t.Installments {
		l.Add("Terms.BalloonAt", t.BalloonAt, field.ErrOutOfRange, fmt.Sprintf("balloon after maturity (installment %d)", t.Installments))
	}
	if t.InterestOnly < 0 || t.InterestOnly >= max(t.Installments, 1) || t.BalloonAt > 0 && t.InterestOnly >= t.BalloonAt {
		l.Add("Terms.InterestOnly", t.InterestOnly, field.ErrOutOfRange, "must leave at least one amortizing installment")
	}
	// The plan's dates are checked even when the count is bad, so every
	// bad field is reported at once.
	n := t.Installments
	if n < 1 || n > MaxPayments {
		n = 1
	}
	for _, fe := range field.Errors(t.plan(n).Validate()) {
		l.Add(planField(fe.Field), fe.Value, fe.Err, fe.Detail)
	}
}

func (t Terms) validatePath(l *field.List) {
	n := 0
	for _, set := range []bool{len(t.RateSteps) > 0, len(t.RatePath) > 0, t.Variable != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		l.Add("Terms.RatePath", len(t.RatePath), field.ErrInvalid, "give at most one of RateSteps, RatePath and Variable")
	}
	for i, c := range t.RatePath {
		p := fmt.Sprintf("Terms.RatePath[%d]", i)
		if i > 0 && c.On <= t.RatePath[i-1].On {
			l.Add(p+".On", c.On.String(), field.ErrInvalid, "dates must increase")
		}
		if c.Rate.IsNegative() {
			l.Add(p+".Rate", c.Rate.String(), field.ErrOutOfRange, "must not be negative")
		}
	}
	if v := t.Variable; v != nil {
		if v.FirstChange <= t.FundingDate {
			l.Add("Terms.Variable.FirstChange", v.FirstChange.String(), field.ErrOutOfRange, "must be after FundingDate")
		}
		if v.EveryMonths < 1 || v.EveryMonths > 120 {
			l.Add("Terms.Variable.EveryMonths", v.EveryMonths, field.ErrOutOfRange, "must be 1 to 120")
		}
		if v.Index == nil {
			l.Add("Terms.Variable.Index", nil, field.ErrRequired, "an accrual.IndexSeries")
		}
		if v.ARM.InitialRate.IsNegative() {
			l.Add("Terms.Variable.ARM.InitialRate", v.ARM.InitialRate.String(), field.ErrOutOfRange, "must not be negative")
		}
	}
}

func (t Terms) validatePolicy(l *field.List) {
	switch t.InterestMethod {
	case InterestPeriodic:
		if n, exact := t.Frequency.PeriodsPerYear(); !exact && n > 0 {
			l.Add("Terms.InterestMethod", t.InterestMethod, field.ErrNotSupported, "periodic interest needs a whole number of periods a year ("+t.Frequency.String()+"); use daily")
		}
	case InterestDaily:
		if err := t.DayCount.Validate(); err != nil {
			l.Add("Terms.DayCount", t.DayCount.Convention, field.ErrInvalid, err.Error())
		}
	case "":
		l.Add("Terms.InterestMethod", t.InterestMethod, field.ErrRequired, "periodic or daily")
	default:
		l.Add("Terms.InterestMethod", t.InterestMethod, field.ErrNotSupported, "periodic or daily")
	}
	switch t.EMIAdjust {
	case EMIAdjustNone, EMIAdjustFineract:
	default:
		l.Add("Terms.EMIAdjust", t.EMIAdjust, field.ErrNotSupported, "\"\" or fineract")
	}
	switch t.OddFirstPeriod {
	case "", OddDaysInterest, OddActualPeriod, OddPrepaid:
	default:
		l.Add("Terms.OddFirstPeriod", t.OddFirstPeriod, field.ErrNotSupported, "odd_days_interest, actual_period or prepaid")
	}
	if !t.InterestRounding.Valid() {
		l.Add("Terms.InterestRounding", t.InterestRounding, field.ErrNotSupported, money.RoundingChoices())
	}
	if !t.PaymentRounding.Valid() {
		l.Add("Terms.PaymentRounding", t.PaymentRounding, field.ErrNotSupported, money.RoundingChoices())
	}
	if t.InterestIncrement < 0 || t.InterestIncrement > 1_000_000 {
		l.Add("Terms.InterestIncrement", t.InterestIncrement, field.ErrOutOfRange, "0 to 1,000,000 minor units")
	}
	if t.PaymentIncrement < 0 || t.PaymentIncrement > 1_000_000 {
		l.Add("Terms.PaymentIncrement", t.PaymentIncrement, field.ErrOutOfRange, "0 to 1,000,000 minor units")
	}
}

func (t Terms) validateShape(l *field.List, cur money.Currency) {
	if t.Payment.IsNegative() || !t.Payment.IsZero() && t.Payment.Currency() != cur {
		l.Add("Terms.Payment", t.Payment.Format(), field.ErrInvalid, "must be positive and in the principal's currency")
	}
	switch t.Shape {
	case ShapeLevel, ShapeEqualPrincipal:
	case ShapeGraduated:
		g := t.Graduation
		if !g.StepRate.IsNegative() && !g.StepRate.IsZero() && g.EveryInstallments > 0 && g.Steps > 0 {
			break
		}
		l.Add("Terms.Graduation", fmt.Sprintf("%+v", g), field.ErrInvalid, "StepRate, EveryInstallments and Steps must be positive")
	case ShapeCustom:
		if len(t.CustomPayments) != t.Installments {
			l.Add("Terms.CustomPayments", len(t.CustomPayments), field.ErrInvalid, "need one payment per installment")
		}
		for i, p := range t.CustomPayments {
			if p.IsNegative() || !p.IsZero() && p.Currency() != cur {
				l.Add(fmt.Sprintf("Terms.CustomPayments[%d]", i), p.Format(), field.ErrInvalid, "must be ≥ 0 in the principal's currency")
			}
		}
	case ShapeAddOn:
		if t.AddOnEarning != RebateActuarial && t.AddOnEarning != RebateRule78 && t.AddOnEarning != RebateFlat {
			l.Add("Terms.AddOnEarning", t.AddOnEarning, field.ErrNotSupported, "actuarial, rule_of_78s or flat")
		}
		if len(t.RateSteps) > 0 || len(t.RatePath) > 0 || t.Variable != nil || t.InterestOnly > 0 || t.BalloonAt > 0 {
			l.Add("Terms.Shape", t.Shape, field.ErrInvalid, "add-on loans take no rate steps, interest-only installments or balloon")
		}
	case "":
		l.Add("Terms.Shape", t.Shape, field.ErrRequired, "level, equal_principal, graduated, custom or add_on")
	default:
		l.Add("Terms.Shape", t.Shape, field.ErrNotSupported, "level, equal_principal, graduated, custom or add_on")
	}
}

// planField names a schedule.Plan field by the Terms field it comes from.
func planField(p string) string {
	for _, m := range [...][2]string{{"Plan.FirstDue", "Terms.FirstDueDate"}, {"Plan.Start", "Terms.FundingDate"},
		{"Plan.Count", "Terms.Installments"}, {"Plan.Frequency", "Terms.Frequency"}, {"Plan.EOM", "Terms.EOM"},
		{"Plan.Adjust", "Terms.Adjust"}, {"Plan.Calendar", "Terms.Calendar"}, {"Plan.DueDay", "Terms.FirstDueDate"}} {
		if p == m[0] || len(p) > len(m[0]) && p[:len(m[0])] == m[0] && (p[len(m[0])] == '.' || p[len(m[0])] == '[') {
			return m[1] + p[len(m[0]):]
		}
	}
	return p
}

// plan is the schedule plan of the first count installments.
func (t Terms) plan(count int) schedule.Plan {
	adj := t.Adjust
	if adj == "" {
		adj = schedule.Unadjusted
	}
	return schedule.Plan{Start: t.FundingDate, FirstDue: t.FirstDueDate, Count: count,
		Frequency: t.Frequency, EOM: t.EOM, Calendar: t.Calendar, Adjust: adj}
}

// Rows is the number of installments the table has: BalloonAt, when the
// balance falls due before the amortization term ends, or Installments.
func (t Terms) Rows() int {
	if t.BalloonAt > 0 {
		return t.BalloonAt
	}
	return t.Installments
}

// rateFor returns the annual rate of installment k (0-based).
func (t *Terms) rateFor(k int) rate.Rate {
	r := t.AnnualRate
	for _, s := range t.RateSteps {
		if k+1 >= s.FromInstallment {
			r = s.AnnualRate
		}
	}
	return r
}
