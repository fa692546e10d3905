package delinquency

import (
	"github.com/lendcore/servicing/money"
)

// Recognition is how partial payments count toward an installment, per the
// FFIEC Uniform Retail Credit Classification (65 FR 36903): a loan uses one
// method, never both. The zero value is invalid: the method must be chosen.
type Recognition string

// Partial-payment recognition methods.
const (
	// RecognizeFull counts an installment as paid only when its periodic
	// payment is credited in full, less the policy's tolerance (Reg X
	// §1024.31).
	RecognizeFull Recognition = "full"
	// RecognizeNinetyPercent also counts an installment as paid when at
	// least 90 % of its periodic payment is credited (FFIEC method 1).
	RecognizeNinetyPercent Recognition = "ninety_percent"
	// RecognizeAggregate pools every periodic credit received and pays
	// installments oldest first, so shortfalls add up (FFIEC method 2):
	// $300 due and $150 paid each month for 6 months is $900 short, 3
	// payments past due.
	RecognizeAggregate Recognition = "aggregate"
)

// Method is the delinquency reporting method behind [Assessment.Days] and
// the aging bucket. The zero value is invalid.
type Method string

// Reporting methods.
const (
	// MethodDaysPastDue reports DPD itself.
	MethodDaysPastDue Method = "days_past_due"
	// MethodMBA reports 30 days per unpaid installment that is still
	// unpaid at the end of the day before the next due date (Mortgage
	// Bankers Association): due Apr 1, unpaid on Apr 30 → 30 days.
	MethodMBA Method = "mba"
	// MethodOTS reports 30 days per unpaid installment that is still
	// unpaid at close of business on the next due date (OTS/FFIEC): due
	// Jul 1, unpaid at close of Aug 1 → 30 days. It runs one month behind
	// MBA in month-end reports.
	MethodOTS Method = "ots"
)

// ChargeOffBehavior is what a charge-off does to the loan's accounting; the
// package reports it, the engine applies it. The zero value is invalid.
type ChargeOffBehavior string

// Charge-off behaviours (the three Fineract offers).
const (
	// ChargeOffRegular keeps the contract as is; interest keeps accruing.
	ChargeOffRegular ChargeOffBehavior = "regular"
	// ChargeOffStopInterest stops interest accrual from the charge-off date.
	ChargeOffStopInterest ChargeOffBehavior = "stop_interest"
	// ChargeOffAccelerate makes the whole balance due on the charge-off
	// date and stops scheduled interest.
	ChargeOffAccelerate ChargeOffBehavior = "accelerate_maturity"
)

// CreditType is closed- or open-end credit (FFIEC's term), which sets the
// FFIEC charge-off default.
type CreditType string

// Kind is the former name of [CreditType].
//
// Deprecated: use CreditType.
type Kind = CreditType

// The credit types.
const (
	// ClosedEnd credit (installment loans, mortgages): charge off at 120 DPD.
	ClosedEnd CreditType = "closed_end"
	// OpenEnd credit (lines, cards): charge off at 180 DPD.
	OpenEnd CreditType = "open_end"
)

// StatusPolicy sets the DPD thresholds of the status ladder. Every threshold
// is a DPD value ≥ 1; zero is invalid (use [StandardPolicy] for defaults).
type StatusPolicy struct {
	// DelinquentDays is the DPD at which a loan becomes Delinquent (usually 1).
	DelinquentDays int `json:"delinquent_days"`
	// DefaultDays is the DPD at which it becomes Default; ≥ DelinquentDays.
	DefaultDays int `json:"default_days"`
	// NonAccrualDays is the DPD at which it becomes NonAccrual; it stays
	// there until brought current (nothing periodic past due).
	NonAccrualDays int `json:"non_accrual_days"`
	// ChargeOffDays is the DPD at which it is charged off (FFIEC: 120
	// closed-end, 180 open-end); ≥ every other threshold.
	ChargeOffDays int `json:"charge_off_days"`
	// ChargeOff is the behaviour reported with a charge-off; required.
	ChargeOff ChargeOffBehavior `json:"charge_off"`
}

// AgingBucket is one aging bucket: DPD (or reported days) from MinDays up to the
// next bucket's MinDays − 1; the last bucket is open-ended.
type AgingBucket struct {
	// Name labels the bucket, e.g. "30-59"; non-empty and unique.
	Name string `json:"name"`
	// MinDays is the bucket's lower bound; the first bucket's is 0 and
	// they strictly increase.
	MinDays int `json:"min_days"`
}

// Bucket is the former name of [AgingBucket].
//
// Deprecated: use AgingBucket.
type Bucket = AgingBucket

// DefaultBuckets returns current, 1–29, 30–59, 60–89, 90–119, 120–179, 180+.
func DefaultBuckets() []AgingBucket {
	return []AgingBucket{
		{Name: "current", MinDays: 0},
		{Name: "1-29", MinDays: 1},
		{Name: "30-59", MinDays: 30},
		{Name: "60-89", MinDays: 60},
		{Name: "90-119", MinDays: 90},
		{Name: "120-179", MinDays: 120},
		{Name: "180+", MinDays: 180},
	}
}

// Policy is a loan's delinquency policy. It is plain data (JSON-serializable);
// [Policy.Validate] reports every bad field.
type Policy struct {
	// Recognition is the partial-payment method; required.
	Recognition Recognition `json:"recognition"`
	// ToleranceAmount is a shortfall small enough that an installment
	// still counts as paid (Reg X §1024.31 comment); ≥ 0, zero means none.
	// At most one of ToleranceAmount and TolerancePercentBps may be set.
	ToleranceAmount money.Amount `json:"tolerance_amount,omitzero"`
	// TolerancePercentBps is the tolerance as basis points of each
	// installment's periodic payment, rounded toward zero to the minor
	// unit; 0–10000, zero means none.
	TolerancePercentBps int64 `json:"tolerance_percent_bps,omitempty"`
	// Method is the reporting method of Assessment.Days; required.
	Method Method `json:"method"`
	// Buckets are the aging buckets; nil means [DefaultBuckets].
	Buckets []AgingBucket `json:"buckets,omitempty"`
	// LateFee is the late-fee policy; nil means the loan has no late fees.
	LateFee *LateFeePolicy `json:"late_fee,omitempty"`
	// Status holds the status thresholds; required.
	Status StatusPolicy `json:"status"`
}

// StandardPolicy returns a policy with the FFIEC defaults for kind: full
// recognition, no tolerance, days-past-due reporting, default buckets, no
// late fees, Delinquent at 1 DPD, Default and NonAccrual at 90 (FFIEC
// substandard), charge-off at 120 (closed-end) or 180 (open-end) DPD with
// the regular behaviour. An unknown kind is treated as ClosedEnd.
func StandardPolicy(kind CreditType) Policy {
	co := 120
	if kind == OpenEnd {
		co = 180
	}
	return Policy{
		Recognition: RecognizeFull,
		Method:      MethodDaysPastDue,
		Status: StatusPolicy{
			DelinquentDays: 1,
			DefaultDays:    90,
			NonAccrualDays: 90,
			ChargeOffDays:  co,
			ChargeOff:      ChargeOffRegular,
		},
	}
}
