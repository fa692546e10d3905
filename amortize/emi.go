package amortize

import (
	"math/big"

	"github.com/lendcore/servicing/money"
)

// EMIAdjust is a rule that adjusts a solved level payment after the table
// is built, when the last installment, which repays the remaining balance,
// would differ from the others. The zero value "" means none: the last
// installment absorbs every cent of rounding.
type EMIAdjust string

// EMI adjustment rules.
const (
	// EMIAdjustNone is no adjustment (the default).
	EMIAdjustNone EMIAdjust = ""
	// EMIAdjustFineract is Apache Fineract's progressive-loan EMI check
	// (ProgressiveEMICalculator.checkAndAdjustEmiIfNeededOnRelatedRepaymentPeriods):
	// let d be the last installment less the level payment and n the number
	// of installments (a down payment excluded). When d ≠ 0, n ≥ 2 and
	// |d| × 100 > ⌊n ÷ 2⌋ currency units (for a 2-decimal currency:
	// more than ⌊n ÷ 2⌋ cents), a new payment is tried: the level payment
	// plus d ÷ n rounded to the minor unit half to even (Fineract's tenant
	// rounding mode), then rounded to PaymentIncrement. The table is built
	// again with it, and it is kept only when it differs from the first and
	// leaves a last installment nearer the others (|new d| < |d|).
	// It applies to a solved ShapeLevel payment (Terms.Payment zero) on a
	// fixed rate.
	EMIAdjustFineract EMIAdjust = "fineract"
)

// adjustLevel returns the level payment the EMIAdjust rule settles on for
// terms t (its down payment already taken out), given the table tb built
// with the solved payment. It returns tb.Payment when no adjustment
// applies.
func adjustLevel(t Terms, tb Table) (money.Amount, error) {
	pay := tb.Payment
	n := len(tb.Rows)
	if t.EMIAdjust != EMIAdjustFineract || t.Shape != ShapeLevel || !t.Payment.IsZero() || n < 2 {
		return pay, nil
	}
	d := tb.Rows[n-1].Payment.Sub(pay).Minor()
	half := int64(n / 2)
	unit := int64(1)
	for range t.Principal.Currency().Scale {
		unit *= 10
	}
	if d == 0 || abs64(d)*100 <= half*unit {
		return pay, nil
	}
	adj, err := roundRatio(big.NewInt(d), big.NewInt(int64(n)), 1, pay.Currency(), money.HalfEven)
	if err != nil {
		return money.Amount{}, err
	}
	cand, err := roundRatio(big.NewInt(pay.Add(adj).Minor()), big.NewInt(1), max(t.PaymentIncrement, 1), pay.Currency(), t.PaymentRounding)
	if err != nil {
		return money.Amount{}, err
	}
	if cand.Equal(pay) {
		return pay, nil
	}
	t.Payment = cand
	am, err := newAmortizer(&t, t.Installments)
	if err != nil {
		return money.Amount{}, err
	}
	tb2, err := am.run(0, t.Principal, t.Rows(), t.Installments, cand)
	if err != nil || len(tb2.Rows) == 0 {
		return pay, nil //nolint:nilerr // a payment that does not amortize is not an improvement
	}
	d2 := tb2.Rows[len(tb2.Rows)-1].Payment.Sub(cand).Minor()
	if abs64(d2) < abs64(d) {
		return cand, nil
	}
	return pay, nil
}
