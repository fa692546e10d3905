package loan

import (
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/revolving"
	"github.com/rickb777/date/v2"
)

// Transaction is one money movement of a loan's history as replay saw it,
// with the allocation trace of where each amount went and why.
type Transaction struct {
	// Seq is the event's Seq (0 for engine-driven movements: late fees,
	// suspense sweeps).
	Seq int64 `json:"seq"`
	// Kind is the event's kind for a movement an event made, or one of the
	// engine-driven movements (TransactionLateFee, ...).
	Kind TransactionKind `json:"kind"`
	// Date is the business date.
	Date date.Date `json:"date"`
	// Amount is the amount moved.
	Amount money.Amount `json:"amount"`
	// Lines is the allocation trace; for a payment they sum to Amount.
	Lines []JournalLine `json:"lines,omitempty"`
	// Reverses is the Seq of the payment a reversal undoes.
	Reverses int64 `json:"reverses,omitempty"`
	// Reversed is true for a payment later reversed (it has no lines: its
	// effects are gone).
	Reversed bool `json:"reversed,omitempty"`
}

// TransactionKind names a movement of a loan's history: the Kind of the
// event that made it (TransactionKind(KindPaymentReceived), ...), or one
// of the movements the fold makes itself, listed below. Its values are
// the wire names of a transaction's "kind" field.
type TransactionKind string

// The movements the fold makes itself, with no event of their own (Seq 0).
const (
	// TransactionLateFee is a late fee charged after the grace period.
	TransactionLateFee TransactionKind = "late_fee"
	// TransactionSuspenseSweep applies suspense once it covers an
	// installment.
	TransactionSuspenseSweep TransactionKind = "suspense_sweep"
	// TransactionFinanceChargeRebate is the unearned finance charge
	// rebated when a precomputed (add-on) loan is paid off.
	TransactionFinanceChargeRebate TransactionKind = "finance_charge_rebate"
	// TransactionMortgageInsuranceEnded marks mortgage insurance ending
	// (automatic or final termination); it moves no money.
	TransactionMortgageInsuranceEnded TransactionKind = "mortgage_insurance_ended"
	// TransactionCreditApplied applies a line's credit balance to what a
	// new statement charged, as a payment on its date.
	TransactionCreditApplied TransactionKind = "credit_applied"
	// TransactionPauseInterest books the interest of a payment pause by
	// its policy (capitalized, deferred, ...).
	TransactionPauseInterest TransactionKind = "pause_interest"
)

// JournalLine is one line of a journal [Transaction]: an amount moved on one
// [Account], for an installment (0: not tied to an installment), and the
// rule that moved it. A payment's lines are its allocation trace.
type JournalLine struct {
	Installment int          `json:"installment,omitempty"`
	Component   Account      `json:"component"`
	Amount      money.Amount `json:"amount"`
	Rule        string       `json:"rule"`
	// Bucket is the waterfall bucket (payment.Bucket) the rule paid
	// ("past_due_interest", "in_advance_principal", ...) for lines from the
	// waterfall (payment.Allocate); empty for the engine's own lines
	// (suspense, credit balance, fees charged).
	Bucket string `json:"bucket,omitempty"`
}

// Line is the former name of [JournalLine].
//
// Deprecated: use JournalLine.
type Line = JournalLine

// Account is the ledger account a journal line moves (an adjustment's
// target is a [Balance]). Its values are the wire names of the journal's
// "component" field.
type Account string

// The accounts of a loan's journal. A payment's lines move Principal,
// Interest, Escrow and the three fee accounts; the rest are the engine's own.
const (
	AccountPrincipal     Account = "principal"
	AccountInterest      Account = "interest"
	AccountEscrow        Account = "escrow"
	AccountLateFee       Account = "late_fee"
	AccountNSFFee        Account = "nsf_fee"
	AccountOtherFee      Account = "other_fee"
	AccountSuspense      Account = "suspense"
	AccountFromSuspense  Account = "from_suspense" // suspense applied with a payment (negative)
	AccountCreditBalance Account = "credit_balance"
	AccountEscrowAdvance Account = "escrow_advance" // paid by the servicer beyond the escrow balance
	// AccountCapitalizedInterest is interest beyond the payment added to
	// principal (negative amortization, a pause's capitalization).
	AccountCapitalizedInterest Account = "capitalized_interest"
	AccountReturned            Account = "returned" // a partial payment sent back
	AccountRecovery            Account = "recovery" // collected after charge-off
	// AccountEscrowPayment is the new escrow part of the periodic payment
	// from an installment on (an escrow analysis).
	AccountEscrowPayment Account = "escrow_payment"
	// AccountDeferredInterest and AccountWaivedInterest are a pause's
	// interest: due at maturity or payoff, or forgiven.
	AccountDeferredInterest Account = "deferred_interest"
	AccountWaivedInterest   Account = "waived_interest"
)

// DelinquencyChange is the start or the end of a delinquency episode.
type DelinquencyChange struct {
	// Date is the business date of the change.
	Date date.Date `json:"date"`
	// Since is the episode's first unpaid due date (Reg X §1024.31; the
	// immutable date of first delinquency for FCRA reporting).
	Since date.Date `json:"since"`
	// Delinquent is true when the episode starts, false when it ends.
	Delinquent bool `json:"delinquent"`
}

// journal records what a replay did, for queries; a nil journal records
// nothing, so the fast path pays nothing.
type journal struct {
	txs        []*Transaction
	episodes   []DelinquencyChange
	paidOffOn  date.Date
	statements []revolving.Statement
}

// statement records a line's statement, with the minimum payment the
// installment asks (the statement's own, or the repayment installment).
func (j *journal) statement(st revolving.Statement, minimum money.Amount) {
	if j != nil {
		st.MinimumPayment = minimum
		j.statements = append(j.statements, st)
	}
}

func (j *journal) begin(d date.Date, seq int64, kind TransactionKind, amt money.Amount) *Transaction {
	if j == nil {
		return nil
	}
	t := &Transaction{Seq: seq, Kind: kind, Date: d, Amount: amt}
	j.txs = append(j.txs, t)
	return t
}

func (t *Transaction) line(k int, component Account, amt money.Amount, rule string) *Transaction {
	if t == nil || amt.IsZero() {
		return t
	}
	t.Lines = append(t.Lines, JournalLine{Installment: k, Component: component, Amount: amt, Rule: rule})
	return t
}

func (t *Transaction) reverses(seq int64) {
	if t != nil {
		t.Reverses = seq
	}
}

func (j *journal) fee(d date.Date, t FeeType, amt money.Amount, k int, reason string) {
	if j == nil || t != FeeLate {
		return
	}
	j.begin(d, 0, TransactionLateFee, amt).line(k, AccountLateFee, amt, "late charge after grace period (delinquency: "+reason+")")
}

func (j *journal) delinquency(d, since date.Date, start bool) {
	if j != nil {
		j.episodes = append(j.episodes, DelinquencyChange{Date: d, Since: since, Delinquent: start})
	}
}

func (j *journal) paidOff(d date.Date) {
	if j != nil {
		j.paidOffOn = d
	}
}
