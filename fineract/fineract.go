package fineract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ErrUnsupported is wrapped by every [*UnsupportedError].
var ErrUnsupported = errors.New("fineract: setting not supported")

// ErrInvalid is wrapped by errors for a setting whose value does not parse
// (an amount, a rate, a date).
var ErrInvalid = errors.New("fineract: invalid setting")

// UnsupportedError names a Fineract setting, by its Fineract field name,
// whose value the profile does not reproduce.
type UnsupportedError struct {
	Setting string // the Fineract field name, e.g. "isInterestRecalculationEnabled"
	Value   any    // the value given
	Reason  string // what is not reproduced
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("fineract: %s = %v not supported: %s", e.Setting, e.Value, e.Reason)
}

// Unwrap returns ErrUnsupported.
func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

func unsupported(setting string, v any, reason string) error {
	return &UnsupportedError{Setting: setting, Value: v, Reason: reason}
}

// PaymentAllocation is one entry of a product's paymentAllocation (the
// advanced payment allocation strategy): the bucket order for a
// transaction type.
type PaymentAllocation struct {
	TransactionType                 string   `json:"transactionType"`
	FutureInstallmentAllocationRule string   `json:"futureInstallmentAllocationRule"`
	AllocationOrder                 []string `json:"paymentAllocationOrder"`
}

// Product is the part of a Fineract loan product that shapes the
// schedule, under the loan-product API's field names. Zero values mean
// Fineract's defaults (loanScheduleType CUMULATIVE, no down payment, no
// recalculation).
type Product struct {
	LoanScheduleType                        string              `json:"loanScheduleType,omitempty"`
	LoanScheduleProcessingType              string              `json:"loanScheduleProcessingType,omitempty"`
	CurrencyCode                            string              `json:"currencyCode"`
	DigitsAfterDecimal                      int                 `json:"digitsAfterDecimal"`
	InMultiplesOf                           int                 `json:"inMultiplesOf,omitempty"`
	InstallmentAmountInMultiplesOf          int                 `json:"installmentAmountInMultiplesOf,omitempty"`
	InterestRateFrequencyType               string              `json:"interestRateFrequencyType,omitempty"`
	RepaymentStartDateType                  string              `json:"repaymentStartDateType,omitempty"`
	DaysInYearType                          string              `json:"daysInYearType"`
	DaysInMonthType                         string              `json:"daysInMonthType"`
	DaysInYearCustomStrategy                string              `json:"daysInYearCustomStrategy,omitempty"`
	IsInterestRecalculationEnabled          bool                `json:"isInterestRecalculationEnabled,omitempty"`
	InterestRecalculationCompoundingMethod  string              `json:"interestRecalculationCompoundingMethod,omitempty"`
	RescheduleStrategyMethod                string              `json:"rescheduleStrategyMethod,omitempty"`
	RecalculationRestFrequencyType          string              `json:"recalculationRestFrequencyType,omitempty"`
	RecalculationRestFrequencyInterval      int                 `json:"recalculationRestFrequencyInterval,omitempty"`
	PreClosureInterestCalculationStrategy   string              `json:"preClosureInterestCalculationStrategy,omitempty"`
	EnableDownPayment                       bool                `json:"enableDownPayment,omitempty"`
	DisbursedAmountPercentageForDownPayment string              `json:"disbursedAmountPercentageForDownPayment,omitempty"`
	EnableAutoRepaymentForDownPayment       bool                `json:"enableAutoRepaymentForDownPayment,omitempty"`
	AllowPartialPeriodInterestCalculation   bool                `json:"allowPartialPeriodInterestCalculation,omitempty"`
	MultiDisburseLoan                       bool                `json:"multiDisburseLoan,omitempty"`
	PaymentAllocation                       []PaymentAllocation `json:"paymentAllocation,omitempty"`
}

// Loan is a Fineract loan application (the loan API's field names): the
// values a loan gives over its product.
type Loan struct {
	Principal                         string `json:"principal"`
	InterestRatePerPeriod             string `json:"interestRatePerPeriod"` // percent, per interestRateFrequencyType
	InterestType                      string `json:"interestType"`          // DECLINING_BALANCE | FLAT
	InterestCalculationPeriodType     string `json:"interestCalculationPeriodType"`
	AmortizationType                  string `json:"amortizationType"` // EQUAL_INSTALLMENTS | EQUAL_PRINCIPAL_PAYMENTS
	NumberOfRepayments                int    `json:"numberOfRepayments"`
	RepaymentEvery                    int    `json:"repaymentEvery"`
	RepaymentFrequencyType            string `json:"repaymentFrequencyType"` // DAYS | WEEKS | MONTHS
	GraceOnPrincipalPayment           int    `json:"graceOnPrincipalPayment,omitempty"`
	GraceOnInterestPayment            int    `json:"graceOnInterestPayment,omitempty"`
	GraceOnInterestCharged            int    `json:"graceOnInterestCharged,omitempty"`
	ExpectedDisbursementDate          string `json:"expectedDisbursementDate"` // ISO 8601
	RepaymentsStartingFromDate        string `json:"repaymentsStartingFromDate,omitempty"`
	TransactionProcessingStrategyCode string `json:"transactionProcessingStrategyCode"`
}

// Terms returns the engine's terms for loan l of product p, disbursed in
// full on l.ExpectedDisbursementDate. It returns an *UnsupportedError
// naming the first setting the profile does not reproduce, or an error
// wrapping ErrInvalid for a value that does not parse; the terms are then
// validated by loan.Terms.Validate.
func Terms(p Product, l Loan) (loan.Terms, error) {
	if err := checkUnsupported(p, l); err != nil {
		return loan.Terms{}, err
	}
	cur, err := money.CurrencyOf(p.CurrencyCode)
	if err != nil {
		return loan.Terms{}, fmt.Errorf("%w: currencyCode %q: %v", ErrInvalid, p.CurrencyCode, err)
	}
	if int(cur.Scale) != p.DigitsAfterDecimal {
		return loan.Terms{}, unsupported("digitsAfterDecimal", p.DigitsAfterDecimal, fmt.Sprintf("%s has %d decimals", cur.Code, cur.Scale))
	}
	principal, err := money.Parse(l.Principal, cur)
	if err != nil {
		return loan.Terms{}, fmt.Errorf("%w: principal %q: %v", ErrInvalid, l.Principal, err)
	}
	r, err := rate.Percent(l.InterestRatePerPeriod)
	if err != nil {
		return loan.Terms{}, fmt.Errorf("%w: interestRatePerPeriod %q: %v", ErrInvalid, l.InterestRatePerPeriod, err)
	}
	if p.InterestRateFrequencyType == "PER_MONTH" {
		// Fineract's annual nominal rate is the rate per month × 12
		// (LoanProductRelatedDetail.annualNominalInterestRate).
		if r, err = rate.FromUnits(r.Units() * 12); err != nil {
			return loan.Terms{}, fmt.Errorf("%w: interestRatePerPeriod %q: %v", ErrInvalid, l.InterestRatePerPeriod, err)
		}
	}
	funding, err := date.ParseISO(l.ExpectedDisbursementDate)
	if err != nil {
		return loan.Terms{}, fmt.Errorf("%w: expectedDisbursementDate %q: %v", ErrInvalid, l.ExpectedDisbursementDate, err)
	}
	freq, err := frequency(l)
	if err != nil {
		return loan.Terms{}, err
	}
	eom, err := endOfMonth(funding, freq)
	if err != nil {
		return loan.Terms{}, err
	}
	dc, err := DayCount(p, freq)
	if err != nil {
		return loan.Terms{}, err
	}
	rules, err := Allocation(p, l)
	if err != nil {
		return loan.Terms{}, err
	}
	at := amortize.Terms{
		Principal:        principal,
		AnnualRate:       r,
		Installments:     l.NumberOfRepayments,
		Frequency:        freq,
		EOM:              eom,
		FundingDate:      funding,
		FirstDueDate:     firstDue(funding, freq),
		DayCount:         dc,
		InterestRounding: money.HalfEven,
		PaymentRounding:  money.HalfEven,
	}
	if err := shape(&at, p, l); err != nil {
		return loan.Terms{}, err
	}
	if p.EnableDownPayment {
		pct, err := decimal.NewFromString(p.DisbursedAmountPercentageForDownPayment)
		if err != nil {
			return loan.Terms{}, fmt.Errorf("%w: disbursedAmountPercentageForDownPayment %q: %v", ErrInvalid, p.DisbursedAmountPercentageForDownPayment, err)
		}
		// Fineract: the down payment is the percentage of the disbursed
		// amount, rounded to the currency (LoanScheduleGenerator's
		// down-payment period; MathUtil.percentageOf then Money.of).
		if at.DownPayment, err = money.Round(principal.Decimal().Mul(pct).Div(decimal.NewFromInt(100)), cur, money.HalfEven); err != nil {
			return loan.Terms{}, fmt.Errorf("%w: down payment: %v", ErrInvalid, err)
		}
		if m := p.InstallmentAmountInMultiplesOf; m > 0 {
			// Then to a multiple of installmentAmountInMultiplesOf currency
			// units, half even, on the rounded amount, under both schedule
			// types (LoanApplicationTerms' constructor and the advanced
			// processor's down-payment installment:
			// Money.roundToMultiplesOf(Money, Integer)).
			if at.DownPayment, err = roundToMultiple(at.DownPayment, m); err != nil {
				return loan.Terms{}, fmt.Errorf("%w: down payment: %v", ErrInvalid, err)
			}
		}
	}
	acc := loan.AccrualScheduled
	if l.InterestType == "FLAT" {
		// Flat interest: principal × annual rate × the term in years, in
		// equal shares per installment (amortize.RebateFlat), scheduled
		// as an add-on table; a repayment is spread over the installments
		// (no rebate: Fineract's flat loan without recalculation keeps
		// its scheduled interest).
		at.Shape, at.AddOnEarning = amortize.ShapeAddOn, amortize.RebateFlat
		at.PaymentIncrement = 0
		if m := p.InstallmentAmountInMultiplesOf; m > 0 {
			at.PaymentIncrement = int64(m) * unitMinor(cur)
		}
		acc = loan.AccrualPrecomputed
	}
	t := loan.Terms{
		Terms:       at,
		Accrual:     acc,
		Allocation:  &rules,
		Delinquency: delinquency.StandardPolicy(delinquency.ClosedEnd),
	}
	if r, _ := RecalculationOf(p, l); r != nil {
		// checkUnsupported accepted the settings.
		t.Recalculation = r.Mode()
	}
	if err := t.Validate(); err != nil {
		return loan.Terms{}, err
	}
	return t, nil
}

// checkUnsupported refuses the settings the profile does not reproduce.
func checkUnsupported(p Product, l Loan) error {
	if _, err := RecalculationOf(p, l); err != nil {
		return err
	}
	switch {
	case l.InterestType != "DECLINING_BALANCE" && l.InterestType != "FLAT":
		return unsupported("interestType", l.InterestType, "DECLINING_BALANCE or FLAT")
	case l.InterestType == "FLAT" && p.LoanScheduleType == "PROGRESSIVE":
		return unsupported("interestType", l.InterestType, "flat interest is a cumulative schedule")
	case l.InterestType == "FLAT" && l.AmortizationType != "EQUAL_INSTALLMENTS":
		return unsupported("amortizationType", l.AmortizationType, "flat interest is reproduced with EQUAL_INSTALLMENTS")
	case l.InterestType == "FLAT" && l.InterestCalculationPeriodType != "SAME_AS_REPAYMENT_PERIOD":
		return unsupported("interestCalculationPeriodType", l.InterestCalculationPeriodType, "flat interest over whole repayment periods")
	case l.InterestType == "FLAT" && (l.RepaymentFrequencyType != "MONTHS" || l.RepaymentEvery != 1):
		return unsupported("repaymentFrequencyType", fmt.Sprintf("%s every %d", l.RepaymentFrequencyType, l.RepaymentEvery), "flat interest is reproduced on monthly installments")
	case l.InterestType == "FLAT" && p.EnableDownPayment:
		return unsupported("enableDownPayment", true, "flat interest is reproduced without a down payment")
	case l.GraceOnPrincipalPayment != 0:
		return unsupported("graceOnPrincipalPayment", l.GraceOnPrincipalPayment, "grace periods are not reproduced")
	case l.GraceOnInterestPayment != 0:
		return unsupported("graceOnInterestPayment", l.GraceOnInterestPayment, "grace periods are not reproduced")
	case l.GraceOnInterestCharged != 0:
		return unsupported("graceOnInterestCharged", l.GraceOnInterestCharged, "interest-free periods are not reproduced")
	case p.InMultiplesOf < 0 || p.InMultiplesOf > 1 && p.DigitsAfterDecimal == 0:
		// Fineract rounds amounts to inMultiplesOf units only in a
		// currency without decimals (Money's constructor); elsewhere, and
		// for multiples of 1, it changes nothing.
		return unsupported("inMultiplesOf", p.InMultiplesOf, "rounding money to multiples of the currency unit")
	case p.InterestRateFrequencyType != "" && p.InterestRateFrequencyType != "PER_YEAR" && p.InterestRateFrequencyType != "PER_MONTH":
		return unsupported("interestRateFrequencyType", p.InterestRateFrequencyType, "PER_YEAR or PER_MONTH")
	case p.RepaymentStartDateType != "" && p.RepaymentStartDateType != "DISBURSEMENT_DATE":
		return unsupported("repaymentStartDateType", p.RepaymentStartDateType, "only DISBURSEMENT_DATE")
	case l.RepaymentsStartingFromDate != "":
		return unsupported("repaymentsStartingFromDate", l.RepaymentsStartingFromDate, "the first due date is one period after disbursement")
	case p.InstallmentAmountInMultiplesOf < 0:
		return fmt.Errorf("%w: installmentAmountInMultiplesOf %d", ErrInvalid, p.InstallmentAmountInMultiplesOf)
	case p.LoanScheduleProcessingType != "" && p.LoanScheduleProcessingType != "HORIZONTAL":
		return unsupported("loanScheduleProcessingType", p.LoanScheduleProcessingType, "only HORIZONTAL")
	}
	return nil
}

// endOfMonth is the end-of-month rule of monthly due dates. Fineract
// steps each due date a month on from the previous one and, when the
// disbursement day (the seed) is after the 28th and the date reached is on
// or after the 28th, moves it to the seed day clamped to its month
// (DefaultScheduledDateGenerator.generateNextRepaymentDate,
// CalendarUtils.adjustDate): disbursed on the 31st, every due date is its
// month's last day (schedule.EOMLastDay); otherwise every due date is on
// the disbursement day clamped (schedule.EOMAnchor on the first due
// date's day). A seed of the 29th or 30th whose first due date is clamped
// (in February) would need the seed day kept apart from the first due
// date, which the profile does not reproduce.
func endOfMonth(funding date.Date, f schedule.Frequency) (schedule.EOMPolicy, error) {
	if f.Unit != schedule.UnitMonth {
		return schedule.EOMAnchor, nil
	}
	switch first := firstDue(funding, f); {
	case funding.Day() == 31:
		return schedule.EOMLastDay, nil
	case funding.Day() > 28 && first.Day() != funding.Day():
		return "", unsupported("expectedDisbursementDate", funding.String(), "a disbursement on the 29th or 30th whose first due date falls on a shorter month end")
	}
	return schedule.EOMAnchor, nil
}

// firstDue is one period after disbursement (repaymentStartDateType
// DISBURSEMENT_DATE; Fineract's DefaultScheduledDateGenerator).
func firstDue(d date.Date, f schedule.Frequency) date.Date {
	switch f.Unit {
	case schedule.UnitMonth:
		return schedule.AddMonths(d, f.Every, d.Day(), schedule.EOMAnchor)
	case schedule.UnitWeek:
		return d + date.Date(7*f.Every)
	}
	return d + date.Date(f.Every)
}

func frequency(l Loan) (schedule.Frequency, error) {
	if l.RepaymentEvery < 1 {
		return schedule.Frequency{}, fmt.Errorf("%w: repaymentEvery %d", ErrInvalid, l.RepaymentEvery)
	}
	switch l.RepaymentFrequencyType {
	case "MONTHS":
		return schedule.EveryMonths(l.RepaymentEvery), nil
	case "WEEKS":
		return schedule.Frequency{Unit: schedule.UnitWeek, Every: l.RepaymentEvery}, nil
	case "DAYS":
		return schedule.EveryDays(l.RepaymentEvery), nil
	}
	return schedule.Frequency{}, unsupported("repaymentFrequencyType", l.RepaymentFrequencyType, "DAYS, WEEKS or MONTHS")
}

// DayCount returns the day count reproducing the product's days-in-year
// and days-in-month settings for installments of frequency f (see the
// package table). Fineract's progressive rate factor is the annual rate ×
// (days in month × repaymentEvery ÷ days in year) for months, 7 ×
// repaymentEvery ÷ days in year for weeks and repaymentEvery ÷ days in
// year for days; with days in year ACTUAL a period is cut at 31 December
// (ProgressiveEMICalculator.calculateRateFactorPerPeriod).
func DayCount(p Product, f schedule.Frequency) (accrual.DayCount, error) {
	if p.DaysInYearCustomStrategy != "" && p.DaysInYearCustomStrategy != "FULL_LEAP_YEAR" && p.DaysInYearCustomStrategy != "FEB_29_PERIOD_ONLY" {
		return accrual.DayCount{}, unsupported("daysInYearCustomStrategy", p.DaysInYearCustomStrategy, "FULL_LEAP_YEAR or FEB_29_PERIOD_ONLY")
	}
	switch p.DaysInYearType + "/" + p.DaysInMonthType {
	case "ACTUAL/ACTUAL":
		if p.DaysInYearCustomStrategy == "FEB_29_PERIOD_ONLY" {
			return accrual.DayCount{Convention: accrual.Basis, YearDays: accrual.YearActual, MonthDays: accrual.MonthActual, Leap: accrual.LeapFeb29Period}, nil
		}
		return accrual.DayCount{Convention: accrual.ActActFineract}, nil
	case "360/30":
		if f.Unit == schedule.UnitMonth {
			return accrual.DayCount{Convention: accrual.Basis, YearDays: accrual.Year360, MonthDays: accrual.Month30}, nil
		}
		return accrual.DayCount{Convention: accrual.Act360}, nil
	case "365/ACTUAL":
		return accrual.DayCount{Convention: accrual.Act365Fixed}, nil
	case "360/ACTUAL":
		return accrual.DayCount{Convention: accrual.Act360}, nil
	}
	return accrual.DayCount{}, unsupported("daysInYearType", p.DaysInYearType+" with daysInMonthType "+p.DaysInMonthType, "ACTUAL/ACTUAL, 360/30, 365/ACTUAL or 360/ACTUAL")
}

// shape sets the table shape and interest method from the schedule type.
func shape(t *amortize.Terms, p Product, l Loan) error {
	switch p.LoanScheduleType {
	case "PROGRESSIVE":
		// Fineract's EMI calculator: rate factors per period from the day
		// count, the annuity over them, each period's interest on the
		// balance rounded half even, the last installment taking the rest,
		// then its EMI adjustment (ProgressiveEMICalculator).
		if l.AmortizationType != "EQUAL_INSTALLMENTS" {
			return unsupported("amortizationType", l.AmortizationType, "progressive schedules are EQUAL_INSTALLMENTS")
		}
		t.Shape, t.InterestMethod, t.EMIAdjust = amortize.ShapeLevel, amortize.InterestDaily, amortize.EMIAdjustFineract
	case "", "CUMULATIVE":
		if l.InterestCalculationPeriodType == "DAILY" && !isZero(t.AnnualRate) {
			return cumulativeDaily(t, p, l)
		}
		if l.InterestCalculationPeriodType != "SAME_AS_REPAYMENT_PERIOD" && !isZero(t.AnnualRate) {
			return unsupported("interestCalculationPeriodType", l.InterestCalculationPeriodType, "SAME_AS_REPAYMENT_PERIOD or DAILY")
		}
		// The classic generator charges the periodic rate (annual ÷
		// periods a year) on the balance each period.
		t.InterestMethod = amortize.InterestPeriodic
		switch l.AmortizationType {
		case "EQUAL_INSTALLMENTS":
			t.Shape = amortize.ShapeLevel
			// installmentAmountInMultiplesOf m rounds the solved EMI to a
			// multiple of m currency units, half even on the unrounded
			// payment (LoanApplicationTerms.paymentPerPeriod:
			// Money.roundToMultiplesOf(BigDecimal, Integer) with the tenant
			// rounding mode); the last installment takes the rest.
			if m := p.InstallmentAmountInMultiplesOf; m > 0 {
				t.PaymentIncrement = int64(m) * unitMinor(t.Principal.Currency())
			}
		case "EQUAL_PRINCIPAL_PAYMENTS":
			// installmentAmountInMultiplesOf rounds only equal installments.
			t.Shape = amortize.ShapeEqualPrincipal
		default:
			return unsupported("amortizationType", l.AmortizationType, "EQUAL_INSTALLMENTS or EQUAL_PRINCIPAL_PAYMENTS")
		}
	default:
		return unsupported("loanScheduleType", p.LoanScheduleType, "PROGRESSIVE or CUMULATIVE")
	}
	return nil
}

// cumulativeDaily sets the terms of Fineract's cumulative schedule with
// interestCalculationPeriodType DAILY (LoanApplicationTerms.periodicInterestRate
// and pmtForInstallment):
//
//   - each period's interest is the balance × the annual rate ÷ the days of
//     the year × the days of the period, rounded half even: the year is
//     daysInYearType's days, 365 for ACTUAL in every year, leap or not
//     (calculatePeriodsInOneYear takes the calculator's 365 days a year),
//     and the period's days are its actual days (daysInMonthType ACTUAL)
//     or 30 a month (30);
//   - the EMI is solved once as an annuity whose every period is 30 days
//     of that year (pmtForInstallment: DAYS_30 from the first of the
//     disbursement month), rounded like any EMI (to the currency, or to
//     installmentAmountInMultiplesOf units), and fixed: the last
//     installment takes the rest.
//
// Only monthly equal installments are reproduced (the EMI's period for
// weeks and days starts on the first of the disbursement month, which the
// profile does not follow).
func cumulativeDaily(t *amortize.Terms, p Product, l Loan) error {
	if l.AmortizationType != "EQUAL_INSTALLMENTS" {
		return unsupported("amortizationType", l.AmortizationType, "the cumulative schedule with daily interest is reproduced with EQUAL_INSTALLMENTS")
	}
	if t.Frequency.Unit != schedule.UnitMonth {
		return unsupported("repaymentFrequencyType", l.RepaymentFrequencyType, "the cumulative schedule with daily interest is reproduced on months")
	}
	year := accrual.Year365
	switch p.DaysInYearType {
	case "ACTUAL", "365":
	case "360":
		year = accrual.Year360
	case "364":
		year = accrual.Year364
	default:
		return unsupported("daysInYearType", p.DaysInYearType, "ACTUAL, 360, 364 or 365 with daily interest")
	}
	month := accrual.MonthActual
	switch p.DaysInMonthType {
	case "ACTUAL":
	case "30":
		month = accrual.Month30
	default:
		return unsupported("daysInMonthType", p.DaysInMonthType, "ACTUAL or 30 with daily interest")
	}
	t.Shape, t.InterestMethod = amortize.ShapeLevel, amortize.InterestDaily
	if m := p.InstallmentAmountInMultiplesOf; m > 0 {
		t.PaymentIncrement = int64(m) * unitMinor(t.Principal.Currency())
	}
	// The EMI on 30-day periods (amortize.SolvePayment30).
	t.DayCount = accrual.DayCount{Convention: accrual.Basis, YearDays: year, MonthDays: month}
	pay, err := amortize.SolvePayment30(*t)
	if err != nil {
		return fmt.Errorf("%w: the daily-interest EMI: %v", ErrInvalid, err)
	}
	t.Payment = pay
	return nil
}

func isZero(r rate.Rate) bool { return r.IsZero() }

// unitMinor is the number of minor units in one unit of currency c.
func unitMinor(c money.Currency) int64 {
	u := int64(1)
	for range c.Scale {
		u *= 10
	}
	return u
}

// roundToMultiple rounds a to a multiple of m currency units, half even.
func roundToMultiple(a money.Amount, m int) (money.Amount, error) {
	step := decimal.NewFromInt(int64(m))
	q := a.Decimal().Div(step).RoundBank(0)
	return money.Round(q.Mul(step), a.Currency(), money.HalfEven)
}

// Allocation returns the payment rules of the loan's
// transactionProcessingStrategyCode: mifos-standard-strategy,
// due-penalty-fee-interest-principal-in-advance-principal-penalty-fee-interest-strategy,
// due-penalty-interest-principal-fee-in-advance-penalty-interest-principal-fee-strategy
// (payment's Fineract presets), or advanced-payment-allocation-strategy,
// whose DEFAULT entry of the product's paymentAllocation becomes the order
// (its PAST_DUE_*, DUE_*, IN_ADVANCE_* buckets in the given order, escrow
// last in each timing) with its future-installment rule. The rules keep
// every repayment to the installments (payment.Rules.InstallmentsOnly): a
// loan without interest recalculation is never paid off at interest to
// date (LoanRepaymentScheduleTransactionProcessor spreads the money over
// the installments and leaves the rest overpaid).
func Allocation(p Product, l Loan) (payment.Rules, error) {
	r, err := allocation(p, l)
	// Without interest recalculation a repayment is spread over the
	// installments whatever its amount; none is priced as a payoff.
	r.InstallmentsOnly = err == nil
	return r, err
}

func allocation(p Product, l Loan) (payment.Rules, error) {
	switch l.TransactionProcessingStrategyCode {
	case "mifos-standard-strategy":
		return payment.FineractMifosStandard(), nil
	case "due-penalty-fee-interest-principal-in-advance-principal-penalty-fee-interest-strategy":
		return payment.FineractDuePFIPInAdvancePPFI(), nil
	case "due-penalty-interest-principal-fee-in-advance-penalty-interest-principal-fee-strategy":
		return payment.FineractDuePIPFInAdvancePIPF(), nil
	case "advanced-payment-allocation-strategy":
		return advanced(p)
	}
	return payment.Rules{}, unsupported("transactionProcessingStrategyCode", l.TransactionProcessingStrategyCode, "a strategy the profile knows")
}

func advanced(p Product) (payment.Rules, error) {
	var def *PaymentAllocation
	for i := range p.PaymentAllocation {
		if p.PaymentAllocation[i].TransactionType == "DEFAULT" {
			def = &p.PaymentAllocation[i]
		}
	}
	if def == nil {
		return payment.Rules{}, unsupported("paymentAllocation", nil, "the advanced strategy needs a DEFAULT entry")
	}
	var future payment.FutureRule
	switch def.FutureInstallmentAllocationRule {
	case "NEXT_INSTALLMENT":
		future = payment.NextInstallment
	case "LAST_INSTALLMENT":
		future = payment.LastInstallment
	case "NEXT_LAST_INSTALLMENT":
		future = payment.NextThenLast
	case "REAMORTIZATION":
		future = payment.Reamortize
	default:
		return payment.Rules{}, unsupported("futureInstallmentAllocationRule", def.FutureInstallmentAllocationRule, "NEXT_INSTALLMENT, LAST_INSTALLMENT, NEXT_LAST_INSTALLMENT or REAMORTIZATION")
	}
	rules := payment.FineractAdvanced(payment.Horizontal, future)
	var buckets []payment.Bucket
	var last payment.Timing
	for i, name := range def.AllocationOrder {
		t, c, ok := bucketOf(name)
		if !ok {
			return payment.Rules{}, unsupported(fmt.Sprintf("paymentAllocationOrder[%d]", i), name, "PAST_DUE_, DUE_ or IN_ADVANCE_ × PENALTY, FEE, PRINCIPAL, INTEREST")
		}
		if last != "" && t != last {
			buckets = append(buckets, payment.NewBucket(last, payment.Escrow))
		}
		buckets, last = append(buckets, payment.NewBucket(t, c)), t
	}
	if last != "" {
		buckets = append(buckets, payment.NewBucket(last, payment.Escrow))
	}
	rules.Default.Buckets = buckets
	// Fineract's advanced strategy takes only the installment due on the
	// transaction date as DUE; a later one is IN_ADVANCE and the future
	// rule picks it (AdvancedPaymentScheduleTransactionProcessor).
	rules.Default.DueOnDueDate = true
	return rules, nil
}

func bucketOf(name string) (payment.Timing, payment.Component, bool) {
	var t payment.Timing
	switch {
	case strings.HasPrefix(name, "PAST_DUE_"):
		t, name = payment.PastDue, strings.TrimPrefix(name, "PAST_DUE_")
	case strings.HasPrefix(name, "DUE_"):
		t, name = payment.Due, strings.TrimPrefix(name, "DUE_")
	case strings.HasPrefix(name, "IN_ADVANCE_"):
		t, name = payment.InAdvance, strings.TrimPrefix(name, "IN_ADVANCE_")
	default:
		return "", "", false
	}
	switch name {
	case "PENALTY":
		return t, payment.Penalty, true
	case "FEE":
		return t, payment.Fee, true
	case "PRINCIPAL":
		return t, payment.Principal, true
	case "INTEREST":
		return t, payment.Interest, true
	}
	return "", "", false
}

// Charge is a charge added to a Fineract loan (the loan charges API's
// fields): a fee, or a penalty when Penalty is set.
type Charge struct {
	Name                  string `json:"name"`
	Penalty               bool   `json:"penalty"`
	ChargeTimeType        string `json:"chargeTimeType"`        // SPECIFIED_DUE_DATE, DISBURSEMENT, ...
	ChargeCalculationType string `json:"chargeCalculationType"` // FLAT, PERCENT_OF_AMOUNT, ...
	DueDate               string `json:"dueDate"`               // ISO 8601
	Amount                string `json:"amount"`
}

// ChargeFee returns the engine's charge for Fineract charge c on a loan in
// currency cur: its type (a penalty is loan.FeeLate, allocated as
// payment.Penalty; a fee loan.FeeOther, payment.Fee), amount and due date,
// for servicing.Engine.AssessCharge.
//
// Fineract attaches a charge with a due date (chargeTimeType
// SPECIFIED_DUE_DATE) to the installment whose period (previous due date,
// due date] holds that date, the first period including its start
// (LoanRepaymentScheduleProcessingWrapper.isInPeriod): the charge is that
// installment's fee or penalty portion, shown in its row, paid in the
// strategy's order for that installment, and the installment is not
// complete until it is; a charge due by the repayment's date is paid
// before the installment's interest and principal when the installment
// is not yet due (the in-advance handlers pay due charges first). The
// engine's installment charge (loan.InstallmentCharge) is exactly that:
// one of the installment's receivables, due on its own date, so the
// waterfall takes it as past due once its date has passed.
//
// Only FLAT amounts on a specified due date are reproduced; every other
// chargeTimeType (disbursement, installment fee, overdue, ...) or
// chargeCalculationType (percentages of the amount, of interest, ...) is
// refused with an *UnsupportedError naming it.
func ChargeFee(cur money.Currency, c Charge) (loan.FeeType, money.Amount, date.Date, error) {
	if c.ChargeTimeType != "SPECIFIED_DUE_DATE" {
		return "", money.Amount{}, 0, unsupported("chargeTimeType", c.ChargeTimeType, "SPECIFIED_DUE_DATE")
	}
	if c.ChargeCalculationType != "FLAT" {
		return "", money.Amount{}, 0, unsupported("chargeCalculationType", c.ChargeCalculationType, "FLAT")
	}
	amt, err := money.Parse(c.Amount, cur)
	if err != nil || !amt.IsPositive() {
		return "", money.Amount{}, 0, fmt.Errorf("%w: charge amount %q", ErrInvalid, c.Amount)
	}
	due, err := date.ParseISO(c.DueDate)
	if err != nil {
		return "", money.Amount{}, 0, fmt.Errorf("%w: charge dueDate %q: %v", ErrInvalid, c.DueDate, err)
	}
	t := loan.FeeOther
	if c.Penalty {
		t = loan.FeeLate
	}
	return t, amt, due, nil
}
