package loan

import (
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
)

// legacyTerms is the terms format of the first release (event schema 1):
// the engine's own fields, before the contract embedded amortize.Terms and
// delinquency.Policy. Boarding payloads without an "accrual" member, and
// Boarded events of schema 1, are read in this format and converted by
// [legacyTerms.terms], which keeps their meaning: the first release billed
// scheduled interest over each period's day-count year fraction from one
// regular period before the first due date, rounded solved payments half
// away from zero, held tolerance in the waterfall only, and its late-fee
// policy is the delinquency policy it built.
type legacyTerms struct {
	Principal    money.Amount       `json:"principal"`
	AnnualRate   rate.Rate          `json:"annual_rate"`
	Index        string             `json:"index,omitempty"`
	Margin       rate.Rate          `json:"margin,omitzero"`
	Installments int                `json:"installments"`
	Frequency    schedule.Frequency `json:"frequency"`
	EOM          schedule.EOMPolicy `json:"eom"`
	FundingDate  date.Date          `json:"funding_date"`
	FirstDueDate date.Date          `json:"first_due_date"`
	DayCount     accrual.DayCount   `json:"day_count"`
	// AccrualBasis is what the first release called its interest method:
	// scheduled, daily_simple or precomputed (amortize.InterestMethod is
	// another thing: periodic or daily).
	AccrualBasis   string                 `json:"interest_method"`
	Rounding       money.RoundingMode     `json:"interest_rounding"`
	Payment        money.Amount           `json:"payment"`
	EscrowPayment  money.Amount           `json:"escrow_payment"`
	Allocation     legacyAllocation       `json:"allocation"`
	LateFee        legacyLateFee          `json:"late_fee"`
	ARM            *accrual.ARM           `json:"arm,omitempty"`
	Reporting      delinquency.Method     `json:"reporting,omitempty"`
	CreditKind     delinquency.CreditType `json:"credit_kind,omitempty"`
	StatusPolicy   *legacyStatusPolicy    `json:"status_policy,omitempty"`
	PayoffInterest PayoffInterest         `json:"payoff_interest,omitempty"`
	AddOnEarning   amortize.RebateMethod  `json:"add_on_earning,omitempty"`
}

// legacyStatusPolicy is delinquency.StatusPolicy as the first release wrote
// it (Go field names).
type legacyStatusPolicy struct {
	DelinquentDays, DefaultDays, NonAccrualDays, ChargeOffDays int
	ChargeOff                                                  delinquency.ChargeOffBehavior
}

// legacyAllocation is the first release's waterfall: the "principal" or
// "suspense" shorthand, or payment rules.
type legacyAllocation struct {
	Extra string         `json:"extra,omitempty"`
	Rules *payment.Rules `json:"rules,omitempty"`
}

// legacyLateFee is the first release's late charge: max(Flat, Percent × the
// basis) capped at Max, after GraceDays.
type legacyLateFee struct {
	GraceDays int                   `json:"grace_days"`
	Percent   rate.Rate             `json:"percent"`
	Basis     delinquency.FeeMethod `json:"basis,omitempty"`
	Flat      money.Amount          `json:"flat"`
	Max       money.Amount          `json:"max"`
	Rounding  money.RoundingMode    `json:"rounding,omitempty"`
}

// bpUnits is one basis point in rate units (1e-4 of 1e12).
const bpUnits = 100_000_000

// policy is the delinquency late-fee policy the first release built from
// the legacy fields (nil: no late fees).
func (lf legacyLateFee) policy() *delinquency.LateFeePolicy {
	if lf.Percent.IsZero() && lf.Flat.IsZero() {
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

// terms converts legacy terms to the contract, recording in l what the
// conversion itself cannot take (the rest is Terms.Validate's). Field paths
// name the legacy members ("Terms.LateFee.Percent").
func (lt legacyTerms) terms(l *field.List) Terms {
	if lt.LateFee.Percent.Units()%bpUnits != 0 {
		l.Add("Terms.LateFee.Percent", lt.LateFee.Percent.String(), field.ErrNotSupported, "whole basis points")
	}
	if lt.LateFee.Percent.IsNegative() || lt.LateFee.Percent.Cmp(rate.MustPercent("100")) > 0 {
		l.Add("Terms.LateFee.Percent", lt.LateFee.Percent.String(), field.ErrOutOfRange, "0% to 100%")
	}
	if lt.LateFee.GraceDays < 0 || lt.LateFee.GraceDays > 365 {
		// delinquency.LateFeePolicy's range (the first release accepted
		// 366 here and then failed to replay the loan).
		l.Add("Terms.LateFee.GraceDays", lt.LateFee.GraceDays, field.ErrOutOfRange, "0 to 365")
	}
	if !lt.LateFee.Percent.IsZero() && !lt.LateFee.Rounding.Valid() {
		l.Add("Terms.LateFee.Rounding", lt.LateFee.Rounding, field.ErrRequired, "needed with Percent")
	}
	t := Terms{
		Terms: amortize.Terms{
			Principal: lt.Principal, AnnualRate: lt.AnnualRate, Installments: lt.Installments,
			Frequency: lt.Frequency, EOM: lt.EOM, FundingDate: lt.FundingDate, FirstDueDate: lt.FirstDueDate,
			DayCount: lt.DayCount, InterestRounding: lt.Rounding, Payment: lt.Payment,
			PaymentRounding: money.HalfAwayFromZero, AddOnEarning: lt.AddOnEarning,
		},
		EscrowPayment: lt.EscrowPayment, ARM: lt.ARM, Index: lt.Index, PayoffInterest: lt.PayoffInterest,
	}
	switch lt.AccrualBasis {
	case "scheduled":
		t.Accrual, t.Shape, t.InterestMethod, t.OddFirstPeriod = AccrualScheduled, amortize.ShapeLevel, amortize.InterestDaily, amortize.OddPrepaid
	case "daily_simple":
		t.Accrual, t.Shape, t.InterestMethod = AccrualDailySimple, amortize.ShapeLevel, amortize.InterestDaily
	case "precomputed":
		t.Accrual, t.Shape, t.InterestMethod = AccrualPrecomputed, amortize.ShapeAddOn, amortize.InterestPeriodic
	default:
		l.Add("Terms.InterestMethod", lt.AccrualBasis, field.ErrNotSupported, "scheduled, daily_simple or precomputed")
	}
	switch a := lt.Allocation; {
	case a.Rules != nil:
		if a.Extra != "" && a.Extra != "principal" {
			l.Add("Terms.Allocation.Extra", a.Extra, field.ErrInvalid, "with Rules, leave Extra empty (Rules.Extra decides)")
		}
		r := *a.Rules
		t.Allocation = &r
	case a.Extra == "principal":
	case a.Extra == "suspense":
		r := t.presetRules(1) // the preset the first release's format meant
		r.Extra = payment.ExtraHold
		t.Allocation = &r
	default:
		l.Add("Terms.Allocation.Extra", a.Extra, field.ErrNotSupported, "principal or suspense")
	}
	t.Delinquency = delinquency.StandardPolicy(delinquency.ClosedEnd)
	if r := t.Allocation; r != nil && r.ShortfallToleranceMinor != 0 {
		// The tolerance is the delinquency policy's now (the waterfall takes
		// it from there); rules 1 applied it in the waterfall alone.
		tol, err := money.New(r.ShortfallToleranceMinor, lt.Principal.Currency())
		if err != nil {
			l.Add("Terms.Allocation.Rules.ShortfallToleranceMinor", r.ShortfallToleranceMinor, field.ErrOutOfRange, err.Error())
		}
		t.Delinquency.ToleranceAmount, r.ShortfallToleranceMinor = tol, 0
	}
	if lt.Reporting != "" {
		t.Delinquency.Method = lt.Reporting
	}
	t.Delinquency.LateFee = lt.LateFee.policy()
	switch {
	case lt.StatusPolicy != nil:
		sp := lt.StatusPolicy
		t.Delinquency.Status = delinquency.StatusPolicy{DelinquentDays: sp.DelinquentDays, DefaultDays: sp.DefaultDays,
			NonAccrualDays: sp.NonAccrualDays, ChargeOffDays: sp.ChargeOffDays, ChargeOff: sp.ChargeOff}
		t.Ladder = true
	case lt.CreditKind != "":
		t.Delinquency.Status, t.Ladder = delinquency.StandardPolicy(lt.CreditKind).Status, true
		if lt.CreditKind != delinquency.ClosedEnd && lt.CreditKind != delinquency.OpenEnd {
			l.Add("Terms.CreditKind", lt.CreditKind, field.ErrNotSupported, "closed_end or open_end")
		}
	}
	if !lt.Payment.IsPositive() {
		l.Add("Terms.Payment", lt.Payment.String(), field.ErrOutOfRange, "must be positive")
	}
	return t
}

// legacyFieldPath maps a contract field path to the legacy member a
// conversion took it from, so that errors name what the payload said.
func legacyFieldPath(p string) string {
	switch p {
	case "Terms.Delinquency.LateFee.GraceDays":
		return "Terms.LateFee.GraceDays"
	case "Terms.Delinquency.Method":
		return "Terms.Reporting"
	}
	return p
}

// decodeLegacyTerms reads legacy terms JSON (with its "currency" member
// already read into cur) and converts it.
func decodeLegacyTerms(b []byte, cur money.Currency) (Terms, error) {
	z := money.Zero(cur)
	w := struct {
		Currency string `json:"currency"`
		legacyTerms
	}{legacyTerms: legacyTerms{Principal: z, Payment: z, EscrowPayment: z, LateFee: legacyLateFee{Flat: z, Max: z}}}
	if err := decodeJSON(b, &w); err != nil {
		return Terms{}, fmt.Errorf("%w: %w", ErrInvalidTerms, err)
	}
	var l field.List
	t := w.legacyTerms.terms(&l)
	if l.Len() == 0 {
		return t, nil
	}
	// Report every bad field at once: the conversion's, and the rest of
	// the converted terms' under their legacy names (the ones the bad
	// interest method left unset are the conversion's).
	seen := map[string]bool{"Terms.Accrual": true, "Terms.Shape": true, "Terms.InterestMethod": true}
	for _, p := range field.Fields(l.Err(nil)) {
		seen[p] = true
	}
	for _, fe := range field.Errors(t.Validate()) {
		if p := legacyFieldPath(fe.Field); !seen[p] {
			seen[p] = true
			l.Add(p, fe.Value, fe.Err, fe.Detail)
		}
	}
	return t, l.Err(ErrInvalidTerms)
}

// legacyConsumer is the first release's consumer preset (rules 1), kept
// as data: fees first, then interest, then principal, then escrow, each
// across every past-due and due installment oldest first (vertical), so the
// current cycle's interest came before past-due principal; partial
// payments applied; extra money curtails principal. Rules 2 use
// payment.Consumer, which takes the past-due tier first.
func legacyConsumer() payment.Rules {
	var b []payment.Bucket
	add := func(ts []payment.Timing, cs ...payment.Component) {
		for _, c := range cs {
			for _, tm := range ts {
				b = append(b, payment.NewBucket(tm, c))
			}
		}
	}
	pd := []payment.Timing{payment.PastDue, payment.Due}
	add(pd, payment.Penalty, payment.Fee, payment.Interest, payment.Principal, payment.Escrow)
	for _, c := range []payment.Component{payment.Principal, payment.Interest, payment.Escrow, payment.Penalty, payment.Fee} {
		b = append(b, payment.NewBucket(payment.InAdvance, c))
	}
	return payment.Rules{
		Default: payment.Order{Name: "consumer", Processing: payment.Vertical, Buckets: b, Future: payment.NextInstallment},
		Partial: payment.PartialApply,
		Extra:   payment.ExtraCurtail,
	}
}
