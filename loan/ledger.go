package loan

import (
	"github.com/lendcore/servicing/revolving"
	"github.com/rickb777/date/v2"
)

// Ledger is a loan's history as a full replay sees it: every money movement
// with its allocation trace, the delinquency episodes, and the final state.
type Ledger struct {
	Transactions []Transaction       `json:"transactions"` // in fold order, each with its lines
	Delinquency  []DelinquencyChange `json:"delinquency"`  // episodes begun and cured
	// Statements are a line's periodic statements (Terms.Line), oldest
	// first (Reg Z §1026.7 figures; MinimumPayment is what the installment
	// asks).
	Statements []revolving.Statement `json:"statements,omitempty"`
	State      State                 `json:"-"` // the state at the ledger's as-of date
}

// ReplayLedger is Replay that also records the ledger.
func ReplayLedger(terms Terms, events []Event, asOf date.Date) (Ledger, error) {
	if err := terms.Validate(); err != nil {
		return Ledger{}, err
	}
	j := &journal{}
	s, err := replayFrom(Initial(terms), events, asOf, j, nil)
	if err != nil {
		return Ledger{}, err
	}
	l := Ledger{State: s, Transactions: make([]Transaction, len(j.txs)), Delinquency: j.episodes, Statements: j.statements}
	for i, t := range j.txs {
		l.Transactions[i] = *t
	}
	if l.Delinquency == nil {
		l.Delinquency = []DelinquencyChange{}
	}
	return l, nil
}
