package amortize

import (
	"math/big"

	"github.com/lendcore/servicing/money"
)

// Flat interest (RebateFlat): the finance charge in equal shares.

// flatInstallment is a flat add-on installment: the principal share and
// the interest share of fc over n installments, each rounded to the minor
// unit and then, with a PaymentIncrement, to a multiple of it (Fineract
// rounds both to installmentAmountInMultiplesOf so the installment is a
// multiple: LoanApplicationTerms.calculateTotalPrincipalPerPeriodWithoutGrace).
func (am *amortizer) flatInstallment(fc money.Amount, n int) (money.Amount, error) {
	den := big.NewInt(int64(n))
	ps, err := roundRatio(big.NewInt(am.t.Principal.Minor()), den, 1, am.cur, am.t.PaymentRounding)
	if err != nil {
		return money.Amount{}, err
	}
	is, err := roundRatio(big.NewInt(fc.Minor()), den, 1, am.cur, am.t.InterestRounding)
	if err != nil {
		return money.Amount{}, err
	}
	if inc := am.t.PaymentIncrement; inc > 1 {
		one := big.NewInt(1)
		if ps, err = roundRatio(big.NewInt(ps.Minor()), one, inc, am.cur, am.t.PaymentRounding); err != nil {
			return money.Amount{}, err
		}
		if is, err = roundRatio(big.NewInt(is.Minor()), one, inc, am.cur, am.t.PaymentRounding); err != nil {
			return money.Amount{}, err
		}
	}
	return ps.Add(is), nil
}

// flatShares earns fc in n equal shares rounded by InterestRounding (the
// caller's last row takes the rest).
func (am *amortizer) flatShares(fc money.Amount, n int) ([]money.Amount, error) {
	share, err := roundRatio(big.NewInt(fc.Minor()), big.NewInt(int64(n)), 1, am.cur, am.t.InterestRounding)
	if err != nil {
		return nil, err
	}
	out := make([]money.Amount, n)
	for k := range out {
		out[k] = share
	}
	return out, nil
}

// flatUnearned is the flat method's unearned charge with remaining of n
// installments unpaid: fc less the shares of the paid ones (none when all
// are paid).
func flatUnearned(fc money.Amount, n, remaining int, mode money.RoundingMode) (money.Amount, error) {
	if remaining <= 0 {
		return money.Zero(fc.Currency()), nil
	}
	share, err := fc.MulDiv(1, int64(n), mode)
	if err != nil {
		return money.Amount{}, err
	}
	earned, err := share.Mul(int64(n - remaining))
	if err != nil {
		return money.Amount{}, err
	}
	return money.Max(money.Zero(fc.Currency()), fc.Sub(earned)), nil
}
