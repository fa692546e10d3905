package delinquency

import (
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// Limits that keep every computation bounded (TIGER_STYLE): inputs beyond
// them are rejected as bad input, never processed slowly.
const (
	// MaxInstallments is the largest number of installments a Loan may hold:
	// the installment limit of every package, declared once as
	// [schedule.MaxCount].
	MaxInstallments = schedule.MaxCount
	// MaxCredits is the largest number of credits a Loan may hold in total.
	MaxCredits = 20000
	// MaxPauses is the largest number of pause periods a Loan may hold.
	MaxPauses = 200
	// MaxReAges is the largest number of re-age dates a Loan may hold.
	MaxReAges = 100
	// MaxDays is the longest date span, in days, the package works over
	// (about 110 years): every date of a Loan, and every query range, lies
	// within [MinDate, MaxDate].
	MaxDays = 40000
)

// MinDate and MaxDate bound every date the package accepts (1 Jan 1900 and
// 31 Dec 2199, as day numbers of [date.Date]; a test checks them), so that day
// arithmetic can never overflow.
const (
	MinDate date.Date = 693595
	MaxDate date.Date = 803167
)

// Installment is one scheduled periodic payment and what has been credited
// to it. The periodic payment is Principal + Interest + Escrow (Reg Z
// §1026.36(c)(1)(i)); Fees are carried for the past-due breakdown only and
// never make an installment delinquent (Reg Z §1026.36(c)(2), no pyramiding).
type Installment struct {
	// Seq is the installment number, strictly increasing and > 0.
	Seq int `json:"seq"`
	// DueDate is the contractual due date; strictly increasing.
	DueDate date.Date `json:"due_date"`
	// Principal, Interest and Escrow are the components of the periodic
	// payment due on DueDate; each ≥ 0, in the loan's currency.
	Principal money.Amount `json:"principal"`
	Interest  money.Amount `json:"interest"`
	Escrow    money.Amount `json:"escrow"`
	// Fees are fees charged against this installment (late fee, NSF fee); ≥ 0.
	Fees money.Amount `json:"fees,omitzero"`
	// Credits are the amounts the payment engine applied to this
	// installment, each dated by receipt. Their order does not matter.
	Credits []Credit `json:"credits,omitempty"`
	// LateFee records whether a late fee was already assessed or waived
	// for this installment; the zero value means neither.
	LateFee LateFeeState `json:"late_fee,omitempty"`
}

// Periodic returns the installment's periodic payment: Principal + Interest +
// Escrow.
func (i Installment) Periodic() money.Amount {
	return i.Principal.Add(i.Interest).Add(i.Escrow)
}

// Credit is money applied to one installment, dated as of receipt (Reg Z
// §1026.36(c)(1)(i): a periodic payment is credited as of the day it is
// received). Components are each ≥ 0.
type Credit struct {
	// ReceivedOn is the day the payment reached the servicer.
	ReceivedOn date.Date `json:"received_on"`
	// Principal, Interest and Escrow count toward the periodic payment.
	Principal money.Amount `json:"principal"`
	Interest  money.Amount `json:"interest"`
	Escrow    money.Amount `json:"escrow"`
	// Fees are late charges paid out of the payment, or carried to this
	// installment from an earlier one whose fee-caused shortfall it took
	// over ([FeeShortfall]); they never count toward the periodic payment,
	// and a shortfall no larger than them earns no late fee.
	Fees money.Amount `json:"fees,omitzero"`
}

// Periodic returns the part of the credit that counts toward the periodic
// payment: Principal + Interest + Escrow.
func (c Credit) Periodic() money.Amount {
	return c.Principal.Add(c.Interest).Add(c.Escrow)
}

// LateFeeState is what has happened to an installment's late fee.
type LateFeeState string

// Late-fee states of an installment.
const (
	// LateFeeNone means no late fee has been assessed or waived (zero value).
	LateFeeNone LateFeeState = ""
	// LateFeeAssessed means a late fee was assessed; no second one may be.
	LateFeeAssessed LateFeeState = "assessed"
	// LateFeeWaived means the fee was waived; none will be charged.
	LateFeeWaived LateFeeState = "waived"
)

// PauseKind names why delinquency aging is paused.
type PauseKind string

// Pause kinds. They behave the same for DPD; the kind is reported so the host
// can tell them apart.
const (
	// Forbearance is a period of reduced or suspended payments.
	Forbearance PauseKind = "forbearance"
	// Deferment is a period where payments are postponed.
	Deferment PauseKind = "deferment"
	// DelinquencyPause is a plain pause of delinquency aging (e.g. a
	// disaster or a dispute).
	DelinquencyPause PauseKind = "pause"
)

// Pause is a half-open period [From, To) in which days do not count toward
// DPD: DPD on a date is the number of days in [due date of the oldest unpaid
// installment, date) that lie outside every pause. Installments keep falling
// due during a pause (re-schedule them upstream for a true deferment); their
// aging simply does not advance while the pause lasts.
type Pause struct {
	// Kind says why; required.
	Kind PauseKind `json:"kind"`
	// From is the first paused day; To is the first day after the pause.
	From date.Date `json:"from"`
	To   date.Date `json:"to"`
}

// Loan is the delinquency view of one loan: its installments with what was
// credited to each, and the host's records that affect delinquency. All
// amounts are in Currency. A Loan is plain data (JSON-serializable); [New]
// validates it.
type Loan struct {
	// Currency of every amount; required.
	Currency money.Currency `json:"currency"`
	// Installments in due-date order; at least one.
	Installments []Installment `json:"installments"`
	// Pauses are forbearance, deferment and delinquency-pause periods; they
	// may overlap.
	Pauses []Pause `json:"pauses,omitempty"`
	// ReAgedOn lists the dates the account was re-aged: from each such
	// date on, every installment due before it counts as brought current
	// (its unpaid part is expected to have been capitalized or deferred
	// upstream). History before the date is kept.
	ReAgedOn []date.Date `json:"re_aged_on,omitempty"`
	// Holds are periods in which the status ladder is held (see
	// [StatusHold]); DPD is unaffected.
	Holds []StatusHold `json:"holds,omitempty"`
	// ChargedOffOn, when non-nil, is the date the host charged the loan off
	// (before the policy's threshold would).
	ChargedOffOn *date.Date `json:"charged_off_on,omitempty"`
	// PaidOffOn, when non-nil, is the date the loan was paid off.
	PaidOffOn *date.Date `json:"paid_off_on,omitempty"`
	// ClosedOn, when non-nil, is the date the account was closed.
	ClosedOn *date.Date `json:"closed_on,omitempty"`
	// Acceleration, when non-nil, records that the loan was accelerated;
	// see [Acceleration].
	Acceleration *Acceleration `json:"acceleration,omitempty"`
}
