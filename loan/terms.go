package loan

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2/gregorian"
)

// Accrual is how a loan earns interest: billed from its amortization table,
// accrued day by day on the actual balance, or fixed at boarding.
type Accrual string

// The accruals (DESIGN §4).
const (
	// AccrualScheduled is mortgage style: each installment's interest is the
	// amortization table's (amortize: the periodic rate, or the day-count
	// year fraction of the period with interest method daily) on the
	// scheduled balance, in arrears; payments are matched to installments
	// oldest first, and paying early or late does not move the split.
	AccrualScheduled Accrual = "scheduled"
	// AccrualDailySimple accrues interest every day on the actual principal
	// (auto and personal loans): early or late payments move the
	// interest/principal split; the table (interest method daily) only sets
	// the payment and the due dates.
	AccrualDailySimple Accrual = "daily_simple"
	// AccrualPrecomputed is add-on interest (amortize.ShapeAddOn): the
	// finance charge Principal × AnnualRate × Installments/12 is fixed at
	// boarding, the total of payments is repaid in equal monthly
	// installments and each installment earns the part of the charge
	// AddOnEarning gives it (actuarial, or the Rule of 78s up to 61
	// installments, 15 U.S.C. 1615(b)). A payoff owes the unpaid total of
	// payments less the unearned finance charge
	// (amortize.UnearnedFinanceCharge, see [State.Payoff]). The rate is
	// fixed: rate changes, modifications and adjustable rates are refused.
	AccrualPrecomputed Accrual = "precomputed"
)

// Limits that keep every fold bounded.
const (
	// MaxInstallments bounds a loan's term, extensions included.
	MaxInstallments = amortize.MaxPayments
	// MaxEvents bounds the events of one loan.
	MaxEvents = 1_000_000
	// MaxIndexName bounds Terms.Index, in bytes.
	MaxIndexName = 64
	// MaxText bounds the free strings of a boarding and of events
	// (borrower, LOS reference, payee, method, references), in bytes.
	MaxText = 256
	// MaxChanges bounds the rate changes, recasts and index resets one
	// loan holds (its rate and payment paths).
	MaxChanges = 1200
)

// Terms is the loan contract as boarded. Modifications and rate changes are
// events; they never edit Terms (the terms in force live in the State).
//
// The repayment terms are amortize's own (embedded, under amortize's JSON
// names: principal, annual_rate, installments, frequency, eom,
// funding_date, first_due_date, shape, interest_method, day_count,
// odd_first_period, interest_rounding, payment_rounding, payment, ...), so
// the engine bills exactly the table amortize.Compute gives for them; the
// lateness rules are delinquency's (Delinquency), the waterfall is
// payment's (Allocation). The engine services every shape amortize
// computes (level, equal principal, interest-only, balloon, graduated,
// custom, add-on), a down payment due at funding, monthly frequencies of
// every 1–12 months, every 1–4 weeks, every 1–366 days and semi-monthly,
// solved payments rounded to a PaymentIncrement (whole currency units, as
// a lender's installments in multiples of a unit are), with the rate fixed
// at boarding (changes come as events) and, with Draws, a commitment drawn
// in parts.
type Terms struct {
	amortize.Terms
	// Accrual is how the loan earns interest. Required. Scheduled needs
	// interest method periodic or daily, daily simple needs daily,
	// precomputed needs the add-on shape.
	Accrual Accrual `json:"accrual"`
	// EscrowPayment is the escrow part of each periodic payment (zero: no
	// escrow account).
	EscrowPayment money.Amount `json:"escrow_payment"`
	// Allocation is the payment waterfall, as payment.Rules (nil: the preset
	// for the accrual, payment.GSEMortgage for scheduled and precomputed
	// interest, payment.Consumer for daily simple interest). The engine
	// supports the extra-money methods curtail, recast and hold. The
	// shortfall tolerance is Delinquency's (ToleranceAmount): leave
	// ShortfallToleranceMinor zero. Treat as read-only (states share it).
	Allocation *payment.Rules `json:"allocation,omitempty"`
	// Delinquency is the lateness policy, as package delinquency reads it:
	// partial-payment recognition (FFIEC), the payment tolerance (Reg X
	// §1024.31; the waterfall counts a payment within it as a full periodic
	// payment too), the reporting method, aging buckets, the late fee and
	// the status thresholds. Every field is required as delinquency.Policy
	// says; delinquency.StandardPolicy gives the FFIEC defaults.
	Delinquency delinquency.Policy `json:"delinquency"`
	// Ladder turns the status ladder of Delinquency.Status on: default,
	// non-accrual (daily simple interest stops accruing until the loan is
	// brought current) and charge-off on the day days past due reach their
	// thresholds. Off, the status is current or delinquent (from
	// Delinquency.Status.DelinquentDays) and charge-off is the host's
	// command.
	Ladder bool `json:"ladder,omitempty"`
	// ARM, when set, makes the rate adjustable: index + margin with the
	// note's rounding, first-change, periodic and lifetime caps, floor and
	// ceiling (accrual.ARM). Its InitialRate must equal AnnualRate; each
	// IndexReset event sets the rate accrual.ARM.Adjust computes. Treat as
	// read-only (states share it).
	ARM *accrual.ARM `json:"arm,omitempty"`
	// Index names the index of an adjustable rate ("" for fixed), at most
	// MaxIndexName bytes of UTF-8; informational.
	Index string `json:"index,omitempty"`
	// PayoffInterest is how payoff quotes price the interest since the last
	// paid due date (scheduled interest) or since AccrualFrom (daily
	// simple): PayoffAccrual (the default), PayoffDayCount or
	// PayoffFannieMae. See [State.Payoff].
	PayoffInterest PayoffInterest `json:"payoff_interest,omitempty"`
	// Draws, when set, makes the loan multi-disbursement: Principal is the
	// draw at funding, Drawn events add to it up to the commitment. Treat
	// as read-only (states share it).
	Draws *DrawTerms `json:"draws,omitempty"`
	// Line, when set, makes the loan a revolving line of credit (see
	// LineTerms for the amortize terms a line reads). Treat as read-only.
	Line *LineTerms `json:"line,omitempty"`
	// OriginalValue is the property's value at origination (the lesser of
	// the sales price and the appraisal), for the Homeowners Protection
	// Act's mortgage insurance dates ([State.MITermination]); zero: none.
	OriginalValue money.Amount `json:"original_value,omitzero"`
	// EscrowItems are the bills the escrow account pays (taxes,
	// insurance), projected for the annual analysis
	// ([State.EscrowAnalysis]). Treat as read-only.
	EscrowItems []EscrowItem `json:"escrow_items,omitempty"`
	// EscrowMethod is how the account is analysed and kept:
	// escrow.Aggregate (empty: the default, and what Reg X §1024.17(d)(2)
	// requires for analyses) or escrow.SingleItem (a balance per item,
	// State.ItemBalances, and a trial balance per item).
	EscrowMethod escrow.Method `json:"escrow_method,omitempty"`
	// Recalculation, when set, bills the installments by an interest
	// recalculation mode of amortize instead of the table: with
	// amortize.RecalculationProgressive each installment is what
	// amortize.Progressive makes of the payments credited so far (interest
	// on the principal actually outstanding between them; one not yet due
	// asks the interest to the payment's date). It needs a level table on
	// daily interest, scheduled accrual, no down payment, escrow or rate
	// path. Empty means none.
	Recalculation amortize.Recalculation `json:"recalculation,omitempty"`
	// NoticeDue lists the calendar notices (of [NoticeDueKinds]: periodic
	// and escrow statements, early intervention, ARM notices) the fold reports as
	// DomainNoticeDue events, each on the first day the loan's calendar
	// ([State.Notices]) lists it, mostly the day it opens. Empty reports
	// none, as before: the calendar only lists them. It is a term, not an
	// engine setting, so that a loan's domain events stay a function of its
	// log.
	NoticeDue []notice.Kind `json:"notice_due,omitempty"`
}

// PayoffInterest names how a payoff quote prices interest.
type PayoffInterest string

const (
	// PayoffAccrual (the zero value) prices payoff interest as the fold
	// accrues it: the loan's day-count year fraction with its rounding, rate
	// caps included; the per diem is one day's interest over the year
	// accrual.DayCount.DaysInYear gives.
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

// Currency returns the loan's currency (that of Principal).
func (t Terms) Currency() money.Currency { return t.Principal.Currency() }

// Rules returns the payment rules a loan boarded now with these terms
// follows: Allocation, or the preset for the accrual (see RulesFor).
func (t Terms) Rules() payment.Rules { return t.RulesFor(RulesVersion) }

// RulesFor returns the payment rules of a loan with these terms under
// servicing rules version v: Allocation, or the preset for the accrual —
// payment.Consumer for daily simple interest (under rules 1 the first
// release's consumer order, which took the current cycle's interest before
// past-due principal), payment.GSEMortgage otherwise.
func (t Terms) RulesFor(v int) payment.Rules {
	if t.Allocation != nil {
		return *t.Allocation
	}
	return t.presetRules(v)
}

func (t Terms) presetRules(v int) payment.Rules {
	switch {
	case t.Accrual == AccrualDailySimple && v < 2:
		return legacyConsumer()
	case t.Accrual == AccrualDailySimple:
		return payment.Consumer()
	}
	return payment.GSEMortgage()
}

// Validate reports every bad field at once, wrapped in ErrInvalidTerms: the
// owners' validators (amortize.Terms.Validate, delinquency.Policy,
// payment.Rules, accrual.DayCount) and what the engine supports.
func (t Terms) Validate() error {
	var l field.List
	t.validate(&l, "Terms")
	return l.Err(ErrInvalidTerms)
}

func (t Terms) validate(l *field.List, p string) {
	cur := t.Currency()
	if t.Line != nil {
		// A line reads only some amortize terms (LineTerms); its own
		// validation checks them.
		t.Line.validate(l, p, &t)
	} else if err := t.Terms.Validate(); err != nil {
		l.Append(field.Rebase(err, "Terms", p))
	}
	if t.Line == nil {
		t.validateSupport(l, p)
	}
	t.validateRecalculation(l, p)
	t.validateNoticeDue(l, p)
	if err := t.DayCount.Validate(); err != nil {
		l.Add(p+".DayCount", t.DayCount.Convention, field.ErrInvalid, err.Error())
	} else if t.DayCount.Termination != nil || t.DayCount.Reference != nil {
		l.Add(p+".DayCount", t.DayCount.Convention, field.ErrNotSupported, "conventions needing a termination date or reference period")
	}
	// The delinquency package works on 1900-2199; maturity may run up to
	// MaxInstallments years past the first due date, so keep a margin.
	if t.FundingDate != 0 && (t.FundingDate < delinquency.MinDate || t.FundingDate > delinquency.MaxDate-36600) {
		l.Add(p+".FundingDate", t.FundingDate.String(), field.ErrOutOfRange, "1900-01-01 to 2099-12-31")
	}
	if t.Line == nil {
		t.validateAccrual(l, p)
	}
	if t.Draws != nil {
		t.Draws.validate(l, p, &t)
	}
	validateAmount(l, p+".EscrowPayment", t.EscrowPayment, cur)
	validateEscrowItems(l, p, &t)
	switch t.EscrowMethod {
	case "", escrow.Aggregate, escrow.SingleItem:
	default:
		l.Add(p+".EscrowMethod", t.EscrowMethod, field.ErrNotSupported, "aggregate or single_item")
	}
	if v := t.OriginalValue; !v.IsZero() && (v.Currency() != cur || v.IsNegative()) {
		l.Add(p+".OriginalValue", v.Format(), field.ErrOutOfRange, "positive, in the loan's currency")
	}
	t.validateAllocation(l, p+".Allocation")
	if err := t.Delinquency.ValidateFor(p+".Delinquency", cur); err != nil {
		l.Append(err)
	}
	if t.Delinquency.TolerancePercentBps != 0 {
		l.Add(p+".Delinquency.TolerancePercentBps", t.Delinquency.TolerancePercentBps, field.ErrNotSupported,
			"the engine takes an amount tolerance (ToleranceAmount), which the waterfall applies too")
	}
	if t.ARM != nil {
		if t.ARM.InitialRate != t.AnnualRate {
			l.Add(p+".ARM.InitialRate", t.ARM.InitialRate.String(), field.ErrInvalid, "must equal AnnualRate")
		}
		if _, err := t.ARM.Adjust(nil, indexHistory(nil)); err != nil {
			l.Add(p+".ARM", nil, field.ErrInvalid, err.Error())
		}
		if c := t.ARM.FirstChangeOn; c != 0 && c <= t.FundingDate {
			l.Add(p+".ARM.FirstChangeOn", c.String(), field.ErrInvalid, "on or before FundingDate")
		}
	}
	if len(t.Index) > MaxIndexName || !utf8.ValidString(t.Index) {
		l.Add(p+".Index", len(t.Index), field.ErrOutOfRange, fmt.Sprintf("at most %d bytes of UTF-8", MaxIndexName))
	}
	switch t.PayoffInterest {
	case PayoffAccrual, PayoffDayCount, PayoffFannieMae:
	default:
		l.Add(p+".PayoffInterest", t.PayoffInterest, field.ErrNotSupported, "day_count or fannie_mae_conventional")
	}
}

// validateSupport refuses the amortize terms the engine does not service
// yet.
func (t Terms) validateSupport(l *field.List, p string) {
	if len(t.RateSteps) > 0 || len(t.RatePath) > 0 || t.Variable != nil {
		l.Add(p+".RatePath", nil, field.ErrNotSupported, "rate changes come as events (RateChanged, IndexReset with ARM)")
	}
	if t.Adjust != "" && t.Adjust != schedule.Unadjusted {
		l.Add(p+".Adjust", t.Adjust, field.ErrNotSupported, "unadjusted")
	}
	// A payment increment rounds the solved payments (amortize.Biller
	// solves them, recasts included, as Compute does); interest is billed
	// to the minor unit.
	if t.InterestIncrement > 1 {
		l.Add(p+".InterestIncrement", t.InterestIncrement, field.ErrNotSupported, "rounding interest to the minor unit")
	}
	if t.Installments > MaxInstallments {
		return
	}
	if err := t.Frequency.Validate(); err == nil {
		switch f := t.Frequency; {
		case f.Unit == schedule.UnitMonth && f.Every <= 12, f.Unit == schedule.UnitWeek && f.Every <= 4,
			f.Unit == schedule.UnitDay && f.Every <= 366:
		case f.Unit == schedule.UnitSemiMonth && f.SemiMonthlyDays[0] >= 1 && f.SemiMonthlyDays[0] < f.SemiMonthlyDays[1] && f.SemiMonthlyDays[1] <= 31:
			last := gregorian.DaysIn(t.FirstDueDate.Year(), t.FirstDueDate.Month())
			if d := t.FirstDueDate.Day(); t.FirstDueDate != 0 && d != min(f.SemiMonthlyDays[0], last) && d != min(f.SemiMonthlyDays[1], last) {
				l.Add(p+".FirstDueDate", t.FirstDueDate.String(), field.ErrInvalid, "not on one of the semi-monthly days")
			}
		default:
			l.Add(p+".Frequency", t.Frequency.String(), field.ErrNotSupported, "the engine steps every 1-12 months, every 1-4 weeks, every 1-366 days, or semi-monthly")
		}
	}
	if t.EOM != schedule.EOMAnchor && t.EOM != schedule.EOMLastDay {
		l.Add(p+".EOM", t.EOM, field.ErrNotSupported, "anchor or last_day")
	}
}

// validateAccrual checks the accrual against the table's shape and interest
// method.
func (t Terms) validateAccrual(l *field.List, p string) {
	switch t.Accrual {
	case AccrualScheduled:
		if t.Shape == amortize.ShapeAddOn {
			l.Add(p+".Shape", t.Shape, field.ErrInvalid, "add_on needs accrual precomputed")
		}
	case AccrualDailySimple:
		if t.InterestMethod != amortize.InterestDaily {
			l.Add(p+".InterestMethod", t.InterestMethod, field.ErrInvalid, "daily simple interest projects its table with interest method daily")
		}
		if t.Shape == amortize.ShapeAddOn {
			l.Add(p+".Shape", t.Shape, field.ErrInvalid, "add_on needs accrual precomputed")
		}
	case AccrualPrecomputed:
		t.validatePrecomputed(l, p)
		if t.DownPayment.IsPositive() {
			l.Add(p+".DownPayment", t.DownPayment.String(), field.ErrNotSupported, "an add-on loan's amount financed is its principal")
		}
		return
	case "":
		l.Add(p+".Accrual", t.Accrual, field.ErrRequired, "scheduled, daily_simple or precomputed")
	default:
		l.Add(p+".Accrual", t.Accrual, field.ErrNotSupported, "scheduled, daily_simple or precomputed")
	}
	if t.AddOnEarning != "" {
		l.Add(p+".AddOnEarning", t.AddOnEarning, field.ErrInvalid, "only for precomputed interest")
	}
}

// validateAllocation checks the waterfall: payment's own validation and the
// extra-money methods the engine supports.
func (t Terms) validateAllocation(l *field.List, p string) {
	r := t.Allocation
	if r == nil {
		return
	}
	if len(r.ByType) > 64 {
		l.Add(p+".ByType", len(r.ByType), field.ErrOutOfRange, "at most 64 transaction types")
	}
	if err := r.Validate(); err != nil {
		l.Append(field.Rebase(err, "Rules", p))
	}
	if r.Extra == payment.ExtraRecast && t.Shape == amortize.ShapeCustom {
		l.Add(p+".Extra", r.Extra, field.ErrInvalid, "custom payments are not re-amortized (amortize.Modify)")
	}
	switch r.Extra {
	case payment.ExtraCurtail, payment.ExtraRecast, payment.ExtraHold, payment.ExtraPayAhead, payment.ExtraReduceTerm:
	default:
		l.Add(p+".Extra", r.Extra, field.ErrNotSupported, "pay_ahead, curtail, reduce_term, recast or hold")
	}
	if r.ShortfallToleranceMinor != 0 {
		l.Add(p+".ShortfallToleranceMinor", r.ShortfallToleranceMinor, field.ErrInvalid,
			"the tolerance is the delinquency policy's (Delinquency.ToleranceAmount); the waterfall takes it from there")
	}
}

// validateAmount checks a money field: the loan's currency (or zero) and
// not negative.
func validateAmount(l *field.List, path string, a money.Amount, cur money.Currency) {
	switch {
	case a.IsNegative():
		l.Add(path, a.String(), field.ErrOutOfRange, "must not be negative")
	case a.Minor() > money.MaxMinor:
		l.Add(path, a.String(), field.ErrOutOfRange, "above money.MaxMinor")
	case !a.IsZero() && a.Currency() != cur:
		l.Add(path, a.Format(), field.ErrInvalid, "currency differs from Principal")
	}
}

// validatePrecomputed checks the add-on terms: the add-on shape, an earning
// method, monthly installments, a fixed rate and the Rule of 78s within 61
// installments (amortize checks the earning method and the table).
func (t Terms) validatePrecomputed(l *field.List, p string) {
	if t.Shape != amortize.ShapeAddOn {
		l.Add(p+".Shape", t.Shape, field.ErrInvalid, "precomputed interest needs the add_on shape")
	}
	if t.AddOnEarning == amortize.RebateRule78 && t.Installments > amortize.Rule78MaxPayments {
		l.Add(p+".AddOnEarning", t.AddOnEarning, field.ErrNotSupported,
			fmt.Sprintf("15 U.S.C. 1615(b): no Rule of 78s for terms over %d months (%d)", amortize.Rule78MaxPayments, t.Installments))
	}
	if t.Frequency.Unit != schedule.UnitMonth || t.Frequency.Every != 1 {
		l.Add(p+".Frequency", t.Frequency.String(), field.ErrNotSupported, "precomputed interest needs monthly installments")
	}
	if t.ARM != nil {
		l.Add(p+".ARM", nil, field.ErrNotSupported, "precomputed interest has a fixed rate")
	}
	if l.Len() > 0 || t.Payment.IsZero() {
		return // the table needs valid inputs; a zero payment is solved at boarding
	}
	if tb, err := amortize.Compute(t.Terms); err == nil && !t.Payment.Equal(tb.Payment) {
		l.Add(p+".Payment", t.Payment.String(), field.ErrInvalid, "must be the add-on installment "+tb.Payment.String())
	}
}

// Normalized returns the terms as the engine records them at boarding: an
// irregular first period without OddFirstPeriod takes
// amortize.OddPrepaid (the documented default: the odd days' interest is
// collected at closing, the first installment carries one regular period),
// and a zero Payment is solved by amortize.Compute. It also checks that the
// terms amortize at all (amortize.Compute succeeds), so a loan that could
// never be repaid is refused. Errors wrap ErrInvalidTerms.
func (t Terms) Normalized() (Terms, error) {
	if err := t.Validate(); err != nil {
		return Terms{}, err
	}
	if t.Line != nil {
		return t, nil // a line has no table: its statements are its bills
	}
	if t.OddFirstPeriod == "" && t.Accrual != AccrualDailySimple {
		if per, err := t.plan().FirstPeriod(); err == nil && per.RegularStart != t.FundingDate {
			t.OddFirstPeriod = amortize.OddPrepaid
		}
	}
	tb, err := amortize.Compute(t.Terms)
	if err != nil {
		var l field.List
		l.Append(field.Rebase(err, "Terms", "Terms"))
		if l.Len() == 0 {
			l.Add("Terms", nil, field.ErrInvalid, "the table cannot be computed: "+err.Error())
		}
		return Terms{}, l.Err(ErrInvalidTerms)
	}
	if t.Payment.IsZero() {
		// The solved payment is boarded as a given one: amortize must
		// accept it back (one rounded down to the interest never
		// amortizes, and is refused).
		t.Payment = tb.Payment
		if _, err := amortize.Compute(t.Terms); err != nil {
			var l field.List
			l.Append(field.Rebase(err, "Terms", "Terms"))
			if l.Len() == 0 {
				l.Add("Terms.Payment", t.Payment.String(), field.ErrInvalid, err.Error())
			}
			return Terms{}, l.Err(ErrInvalidTerms)
		}
	} else if t.Accrual == AccrualPrecomputed && !t.Payment.Equal(tb.Payment) {
		var l field.List
		l.Add("Terms.Payment", t.Payment.String(), field.ErrInvalid, "must be the add-on installment "+tb.Payment.String())
		return Terms{}, l.Err(ErrInvalidTerms)
	}
	return t, nil
}

// plan is the terms' schedule plan (for the first period).
func (t Terms) plan() schedule.Plan {
	return schedule.Plan{Start: t.FundingDate, FirstDue: t.FirstDueDate, Count: 1, Frequency: t.Frequency,
		EOM: t.EOM, Adjust: schedule.Unadjusted}
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

// UnmarshalJSON reads what MarshalJSON wrote; "currency" is required. On
// error *t holds what could be read.
// Terms without an "accrual" member are read in the first release's format
// (interest_method scheduled, daily_simple or precomputed, late_fee with
// percent and flat, credit_kind, status_policy, reporting) and converted
// with their meaning kept. Unknown members are refused.
func (t *Terms) UnmarshalJSON(b []byte) error {
	var head struct {
		Currency    string          `json:"currency"`
		Accrual     json.RawMessage `json:"accrual"`
		Delinquency struct {
			LateFee json.RawMessage `json:"late_fee"`
		} `json:"delinquency"`
		Draws *struct {
			Tranches []json.RawMessage `json:"tranches"`
		} `json:"draws"`
		Line        json.RawMessage   `json:"line"`
		EscrowItems []json.RawMessage `json:"escrow_items"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidTerms, err)
	}
	cur, err := money.CurrencyOf(head.Currency)
	if err != nil {
		var l field.List
		l.Add("Terms.Currency", head.Currency, field.ErrInvalid, err.Error())
		return l.Err(ErrInvalidTerms)
	}
	if head.Accrual == nil {
		lt, err := decodeLegacyTerms(b, cur)
		*t = lt // what could be read, also on error (for the caller's other checks)
		return err
	}
	z := money.Zero(cur)
	w := struct {
		Currency string `json:"currency"`
		termsWire
	}{termsWire: termsWire{EscrowPayment: z}}
	w.Principal, w.Payment, w.DownPayment, w.OriginalValue = z, z, z, z
	w.Delinquency.ToleranceAmount = z
	// The late fee's amounts take the terms' currency too, so the policy is
	// preset when the member is there (a nil pointer would be allocated bare).
	if lf := head.Delinquency.LateFee; lf != nil && string(lf) != "null" {
		w.Delinquency.LateFee = &delinquency.LateFeePolicy{FlatAmount: z, Minimum: z, Maximum: z}
	}
	if head.Draws != nil {
		// Bare amounts of the draws take the terms' currency too.
		w.Draws = &DrawTerms{Commitment: z}
		if n := len(head.Draws.Tranches); n > 0 {
			w.Draws.Tranches = make([]Tranche, n)
		}
		for i := range w.Draws.Tranches {
			w.Draws.Tranches[i].Amount = z
		}
	}
	if n := len(head.EscrowItems); n > 0 {
		// Bare amounts of the items take the terms' currency too.
		w.EscrowItems = make([]EscrowItem, n)
		for i := range w.EscrowItems {
			w.EscrowItems[i].Amount = z
		}
	}
	if head.Line != nil && string(head.Line) != "null" {
		w.Line = &LineTerms{CreditLimit: z, MinFloor: z}
	}
	if err := decodeJSON(b, &w); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidTerms, err)
	}
	if w.DownPayment.IsZero() {
		w.DownPayment = money.Amount{} // none, as a Go value says it
	}
	if w.OriginalValue.IsZero() {
		w.OriginalValue = money.Amount{}
	}
	*t = Terms(w.termsWire)
	return nil
}

// decodeJSON decodes b into v strictly (internal/strictjson): unknown
// members, impossible dates and values of the wrong kind are refused, each
// named by its path under "Terms".
func decodeJSON(b []byte, v any) error {
	return strictjson.DecodeAt("Terms", b, v)
}
