package amortize

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
)

// Modification re-amortizes a loan after installment AfterInstallment of
// its original table: the new rows keep the original due dates and numbers
// and start from Balance.
type Modification struct {
	// AfterInstallment is the number of installments already paid, 0 to
	// the table's rows − 1.
	AfterInstallment int `json:"after_installment"`
	// Balance is the principal balance to re-amortize; zero means the
	// original table's balance after AfterInstallment.
	Balance money.Amount `json:"balance,omitzero"`
	// Curtailment is extra principal paid with installment AfterInstallment;
	// it is subtracted from Balance (recast).
	Curtailment money.Amount `json:"curtailment,omitzero"`
	// ExtraInstallments extends the maturity by this many installments
	// (term extension); zero keeps it.
	ExtraInstallments int `json:"extra_installments,omitempty"`
}

// Modify returns the rows after m.AfterInstallment re-amortized from the
// new balance over the remaining installments (plus any extension): a new
// level payment (ShapeLevel, ShapeGraduated re-solved) or principal part
// (ShapeEqualPrincipal). Interest-only installments still ahead stay
// interest only. Table.Principal is the re-amortized balance. It returns
// ErrInvalidTerms for bad terms or fields of m (named "Modification.…").
func Modify(t Terms, m Modification) (Table, error) {
	orig, err := Compute(t)
	if err != nil {
		return Table{}, err
	}
	t = t.financed()
	var l field.List
	if m.AfterInstallment < 0 || m.AfterInstallment >= len(orig.Rows) {
		l.Add("Modification.AfterInstallment", m.AfterInstallment, field.ErrOutOfRange, fmt.Sprintf("0 to %d", len(orig.Rows)-1))
	}
	if t.Shape == ShapeAddOn || t.Shape == ShapeCustom {
		l.Add("Terms.Shape", t.Shape, field.ErrNotSupported, "modifications re-amortize level, equal-principal and graduated loans")
	}
	if m.ExtraInstallments < 0 || t.Installments+m.ExtraInstallments > MaxPayments {
		l.Add("Modification.ExtraInstallments", m.ExtraInstallments, field.ErrOutOfRange, fmt.Sprintf("total at most %d", MaxPayments))
	}
	if err := l.Err(ErrInvalidTerms); err != nil {
		return Table{}, err
	}
	bal := m.Balance
	if bal.IsZero() {
		bal = t.Principal
		if m.AfterInstallment > 0 {
			bal = orig.Rows[m.AfterInstallment-1].Balance
		}
	}
	bal = bal.Sub(m.Curtailment)
	if !bal.IsPositive() || bal.Currency() != t.Principal.Currency() {
		l.Add("Modification.Balance", bal.Format(), field.ErrOutOfRange, "balance less curtailment must be positive, in the loan's currency")
		return Table{}, l.Err(ErrInvalidTerms)
	}
	t.Installments += m.ExtraInstallments
	if t.BalloonAt > 0 {
		t.BalloonAt += m.ExtraInstallments
	}
	am, err := newAmortizer(&t, t.Installments)
	if err != nil {
		return Table{}, err
	}
	return am.run(m.AfterInstallment, bal, t.Rows(), t.Installments, money.Amount{})
}

// Recast re-amortizes the balance after installment k less a curtailment
// over the same maturity: a new, lower payment.
func Recast(t Terms, k int, curtailment money.Amount) (Table, error) {
	return Modify(t, Modification{AfterInstallment: k, Curtailment: curtailment})
}

// Reamortize spreads the unpaid balance after installment k — including
// principal that is past due — over the remaining installments.
func Reamortize(t Terms, k int, unpaidBalance money.Amount) (Table, error) {
	return Modify(t, Modification{AfterInstallment: k, Balance: unpaidBalance})
}

// Extend re-amortizes the balance after installment k over the remaining
// installments plus extra more (term extension).
func Extend(t Terms, k, extra int) (Table, error) {
	return Modify(t, Modification{AfterInstallment: k, ExtraInstallments: extra})
}
