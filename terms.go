package servicing

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
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
)

// Limits that keep every replay bounded.
const (
	// MaxInstallments bounds a loan's term, extensions included.
	MaxInstallments = 1200
	// MaxEvents bounds the events of one loan.
	MaxEvents = 1_000_000
)

// AllocationRules say where money beyond the installments due goes. Payments
// always go first to whole installments, oldest first (Fannie Mae F-1-09),
// then to fees, then per these rules.
type AllocationRules struct {
	// Extra is what happens to money left after all installments due (and
	// the next one) and fees are paid: "principal" curtails principal (the
	// GSE rule), "suspense" holds it. Required.
	Extra string `json:"extra"`
}

// LateFeePolicy is the contract's late charge: max(Flat, Percent × the
// periodic payment), capped at Max when Max is not zero, charged once per
// installment still unpaid GraceDays after its due date (Reg Z
// §1026.36(c)(2): unpaid fees never make an installment late).
type LateFeePolicy struct {
	// GraceDays is the grace period after the due date; 0 charges the day
	// after the due date.
	GraceDays int `json:"grace_days"`
	// Percent is the share of the periodic payment (P&I + escrow), e.g.
	// "5%"; zero for none.
	Percent rate.Rate `json:"percent"`
	// Flat is a fixed fee; zero for none.
	Flat money.Amount `json:"flat"`
	// Max caps the fee; zero for no cap.
	Max money.Amount `json:"max"`
	// Rounding rounds the percentage fee; required when Percent is set.
	Rounding money.RoundingMode `json:"rounding,omitempty"`
}

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
	// InterestMethod is scheduled or daily_simple. Required.
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
	} else if t.Frequency.Unit != schedule.UnitMonth || t.Frequency.Every > 12 {
		l.Add(p+".Frequency", t.Frequency.String(), field.ErrNotSupported, "the engine steps monthly frequencies (every 1-12 months)")
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
	if err := t.DayCount.Validate(); err != nil {
		l.Add(p+".DayCount", t.DayCount.Convention, field.ErrInvalid, err.Error())
	} else if t.DayCount.Termination != nil || t.DayCount.Reference != nil {
		l.Add(p+".DayCount", t.DayCount.Convention, field.ErrNotSupported, "conventions needing a termination date or reference period")
	}
	if t.InterestMethod != InterestScheduled && t.InterestMethod != InterestDailySimple {
		l.Add(p+".InterestMethod", t.InterestMethod, field.ErrNotSupported, "scheduled or daily_simple")
	}
	if !t.InterestRounding.Valid() {
		l.Add(p+".InterestRounding", t.InterestRounding, field.ErrNotSupported, "")
	}
	t.validateAmount(l, p+".Payment", t.Payment, cur, true)
	t.validateAmount(l, p+".EscrowPayment", t.EscrowPayment, cur, false)
	if t.Allocation.Extra != "principal" && t.Allocation.Extra != "suspense" {
		l.Add(p+".Allocation.Extra", t.Allocation.Extra, field.ErrNotSupported, "principal or suspense")
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
	t.validateAmount(l, p+".LateFee.Flat", lf.Flat, cur, false)
	t.validateAmount(l, p+".LateFee.Max", lf.Max, cur, false)
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
