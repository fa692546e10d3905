package investor

import (
	"errors"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// Errors returned by this package. Test them with errors.Is.
var (
	// ErrInvalidInput is wrapped around the *field.Error of every bad field
	// of a pool, a month, a carry or a pair of loan states.
	ErrInvalidInput = errors.New("investor: invalid input")
	// ErrInvariant means a computed remittance does not reconcile; the
	// error carries the numbers. It is a defect, never an input problem.
	ErrInvariant = errors.New("investor: invariant violated")
)

// MaxLoans bounds the loans of one pool month (and of a Carry), so that
// every total stays far inside money.MaxMinor for real balances and a
// month's work is bounded.
const MaxLoans = 100_000

// MaxLoanID bounds a loan id's length in bytes.
const MaxLoanID = 256

// Method is a remittance type: what the investor is owed each month. The
// zero Method is invalid: a pool must name its type.
type Method string

// The remittance types (see the package doc).
const (
	// ScheduledScheduled passes through scheduled net interest and
	// scheduled principal whether collected or not, advancing what was not.
	ScheduledScheduled Method = "scheduled_scheduled"
	// ScheduledActual passes through scheduled net interest (advanced when
	// not collected) and the principal actually collected.
	ScheduledActual Method = "scheduled_actual"
	// ActualActual passes through only what was collected, net of fees.
	ActualActual Method = "actual_actual"
)

// Valid reports whether m is one of the three remittance types.
func (m Method) Valid() bool {
	switch m {
	case ScheduledScheduled, ScheduledActual, ActualActual:
		return true
	}
	return false
}

// scheduledPrincipal reports whether the investor is owed scheduled
// principal (and the servicer advances it).
func (m Method) scheduledPrincipal() bool { return m == ScheduledScheduled }

// scheduledInterest reports whether the investor is owed scheduled net
// interest and the guarantor its fee (both advanced when not collected).
func (m Method) scheduledInterest() bool { return m == ScheduledScheduled || m == ScheduledActual }

// Pool holds a pool's remittance settings. Every field must be set; none
// has a default.
type Pool struct {
	// Method is the remittance type.
	Method Method `json:"method"`
	// ServicingFeeRate is the annual servicing fee on the scheduled
	// balance (0.25 % is typical for a conventional mortgage); zero means
	// none.
	ServicingFeeRate rate.Rate `json:"servicing_fee_rate"`
	// GuarantyFeeRate is the annual guaranty fee on the scheduled balance
	// (zero for a whole-loan sale without a guarantor).
	GuarantyFeeRate rate.Rate `json:"guaranty_fee_rate"`
	// FeeRounding rounds each monthly fee strip to the minor unit (and
	// each fee share of a payoff's interest). Required: the zero mode is
	// invalid.
	FeeRounding money.RoundingMode `json:"fee_rounding"`
}

// LoanMonth is one loan's month as the servicer's books show it, filled by
// the caller or by [FromStates]. All amounts are in the pool's currency
// and non-negative.
type LoanMonth struct {
	// LoanID identifies the loan in the pool (required, unique, at most
	// MaxLoanID bytes).
	LoanID string `json:"loan_id"`
	// NoteRate is the loan's note rate in force for the month's
	// installment; it must be at least the pool's two fee rates together.
	NoteRate rate.Rate `json:"note_rate"`
	// ScheduledBalance is the scheduled principal balance at the start of
	// the month: the balance had every installment been paid as
	// scheduled (the previous month's Carry balance for a loan carried).
	ScheduledBalance money.Amount `json:"scheduled_balance"`
	// ScheduledPrincipal and ScheduledInterest are the principal and
	// interest (at the note rate) of the installment falling due in the
	// month, as the loan's billing states them; zero when none falls due.
	ScheduledPrincipal money.Amount `json:"scheduled_principal"`
	ScheduledInterest  money.Amount `json:"scheduled_interest"`
	// CollectedPrincipal and CollectedInterest are what the borrower paid
	// in the month to scheduled installments: the ones left unpaid in
	// earlier months first, then the month's. They may not exceed what was
	// owed (earlier months' unpaid amounts plus the month's installment).
	CollectedPrincipal money.Amount `json:"collected_principal"`
	CollectedInterest  money.Amount `json:"collected_interest"`
	// Curtailment is principal paid beyond the scheduled installments, at
	// most the scheduled balance left after the month's principal.
	Curtailment money.Amount `json:"curtailment"`
	// PaidOff says the loan was paid in full in the month.
	PaidOff bool `json:"paid_off"`
	// PayoffOn is the payoff date, inside the month; used only when
	// PaidOff (otherwise it must be the zero date).
	PayoffOn date.Date `json:"payoff_on,omitzero"`
	// PayoffPrincipal is the principal the payoff retired beyond the
	// month's installment and curtailment: exactly ScheduledBalance −
	// ScheduledPrincipal − Curtailment. Zero unless PaidOff.
	PayoffPrincipal money.Amount `json:"payoff_principal"`
	// PayoffInterest is the interest the payoff collected at the note rate
	// beyond the installments, to the payoff date. Zero unless PaidOff.
	PayoffInterest money.Amount `json:"payoff_interest"`
}

// Month is one remittance month of a pool: its dates, its loans and the
// previous month's carry.
type Month struct {
	// From and To bound the month, [From, To) (To after From).
	From date.Date `json:"from"`
	To   date.Date `json:"to"`
	// Loans are the pool's loans for the month, at most MaxLoans, in the
	// order the report lists them. Every loan of Prior still owing
	// anything must be here.
	Loans []LoanMonth `json:"loans"`
	// Prior is the carry Remit returned for the previous month; the zero
	// Carry for the pool's first month.
	Prior Carry `json:"prior"`
}

// Carry is what a month leaves for the next, per loan: the scheduled
// balance, the scheduled principal and interest still unpaid, and the
// advances outstanding against them. The zero Carry (no method, no loans)
// starts a pool.
type Carry struct {
	// Method is the pool's remittance type the carry was made under.
	Method Method `json:"method,omitempty"`
	// To is the end of the month the carry closes (the next month's From).
	To date.Date `json:"to,omitzero"`
	// Loans are the loans still in the pool, sorted by LoanID; a loan paid
	// off leaves it.
	Loans []LoanCarry `json:"loans"`
}

// LoanCarry is one loan's carry. The unpaid interest is kept by share
// (investor, servicer, guarantor) so that a late payment pays each the
// strip of its own month.
type LoanCarry struct {
	// LoanID identifies the loan.
	LoanID string `json:"loan_id"`
	// Balance is the scheduled balance after the month (the next month's
	// ScheduledBalance).
	Balance money.Amount `json:"balance"`
	// UnpaidPrincipal is scheduled principal due and not yet collected.
	UnpaidPrincipal money.Amount `json:"unpaid_principal"`
	// UnpaidNetInterest, UnpaidServicingFee and UnpaidGuarantyFee are the
	// shares of the scheduled interest due and not yet collected.
	UnpaidNetInterest  money.Amount `json:"unpaid_net_interest"`
	UnpaidServicingFee money.Amount `json:"unpaid_servicing_fee"`
	UnpaidGuarantyFee  money.Amount `json:"unpaid_guaranty_fee"`
	// AdvancedPrincipal is the principal advance outstanding: the unpaid
	// principal under ScheduledScheduled, zero otherwise.
	AdvancedPrincipal money.Amount `json:"advanced_principal"`
	// AdvancedInterest is the interest advance outstanding: the unpaid net
	// interest and guaranty fee under the scheduled-interest methods, zero
	// under ActualActual.
	AdvancedInterest money.Amount `json:"advanced_interest"`
}

// Figures are one loan's month, or a pool's totals, as remitted.
type Figures struct {
	// ScheduledBalance and EndingBalance are the scheduled balance at the
	// start of the month and after it (the next month's).
	ScheduledBalance money.Amount `json:"scheduled_balance"`
	EndingBalance    money.Amount `json:"ending_balance"`
	// Collected is the borrowers' cash: installments, curtailments and
	// payoffs, principal and interest.
	Collected money.Amount `json:"collected"`
	// RemittedPrincipal and RemittedInterest are the investor's principal
	// and net interest; Remitted is their sum.
	RemittedPrincipal money.Amount `json:"remitted_principal"`
	RemittedInterest  money.Amount `json:"remitted_interest"`
	Remitted          money.Amount `json:"remitted"`
	// Retained is the servicing fee the servicer keeps (from interest
	// collected).
	Retained money.Amount `json:"retained"`
	// GuarantyFee is what the guarantor is paid.
	GuarantyFee money.Amount `json:"guaranty_fee"`
	// AdvancedPrincipal and AdvancedInterest are the servicer's own money
	// put in this month (interest: net interest and guaranty fee);
	// Advanced is their sum.
	AdvancedPrincipal money.Amount `json:"advanced_principal"`
	AdvancedInterest  money.Amount `json:"advanced_interest"`
	Advanced          money.Amount `json:"advanced"`
	// RecoveredPrincipal and RecoveredInterest are collections that
	// reimbursed earlier advances; Recovered is their sum.
	RecoveredPrincipal money.Amount `json:"recovered_principal"`
	RecoveredInterest  money.Amount `json:"recovered_interest"`
	Recovered          money.Amount `json:"recovered"`
	// AdvanceOutstanding is the advance not yet recovered after the month.
	AdvanceOutstanding money.Amount `json:"advance_outstanding"`
}

// LoanRemittance is one loan's line of a remittance.
type LoanRemittance struct {
	// LoanID identifies the loan.
	LoanID string `json:"loan_id"`
	// NoteRate is the loan's note rate; NetRate the investor's
	// pass-through rate (note rate less both fee rates).
	NoteRate rate.Rate `json:"note_rate"`
	NetRate  rate.Rate `json:"net_rate"`
	// PaidOff says the loan was paid off in the month (it leaves the
	// carry).
	PaidOff bool `json:"paid_off"`
	// Delinquent says scheduled principal or interest is still unpaid
	// after the month.
	Delinquent bool `json:"delinquent"`
	Figures
}

// Remittance is a pool's month: each loan's line, the totals, their
// reconciliation and the carry for the next month.
type Remittance struct {
	// Method is the pool's remittance type.
	Method Method `json:"method"`
	// From and To bound the month, [From, To).
	From date.Date `json:"from"`
	To   date.Date `json:"to"`
	// Loans are the loans' lines, in the order of Month.Loans.
	Loans []LoanRemittance `json:"loans"`
	// Totals sums the loans' figures.
	Totals Figures `json:"totals"`
	// Reconciliation is the totals' reconciliation (it checks).
	Reconciliation Reconciliation `json:"reconciliation"`
	// Carry is the next month's Month.Prior.
	Carry Carry `json:"carry"`
}

// Reconciliation ties a month's cash out: Collected = Remitted + Retained
// + GuarantyFee + Recovered − Advanced (see the package doc for each
// term). Difference is the left side less the right, zero when it ties.
type Reconciliation struct {
	Collected   money.Amount `json:"collected"`
	Remitted    money.Amount `json:"remitted"`
	Retained    money.Amount `json:"retained"`
	GuarantyFee money.Amount `json:"guaranty_fee"`
	Advanced    money.Amount `json:"advanced"`
	Recovered   money.Amount `json:"recovered"`
	Difference  money.Amount `json:"difference"`
}
