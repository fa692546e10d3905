package loan

import "github.com/lendcore/servicing/money"

// A down payment (amortize.Terms.DownPayment) is installment 1 of the
// loan, due on the funding date, principal only; amortize's rows are
// installments 2 on. Everything that maps installments to rows asks
// folder.row.

// downPayment reports whether the loan's first installment is a down
// payment.
func (s *State) downPayment() bool { return s.Terms.DownPayment.IsPositive() }

// firstRow is the first installment that bills an amortize row: 2 after a
// down payment, else 1.
func (s *State) firstRow() int {
	if s.downPayment() {
		return 2
	}
	return 1
}

// unpaidDownPayment is what is still owed of the down payment (zero once
// installment 1 is paid, or without one).
func (s *State) unpaidDownPayment() money.Amount {
	if !s.downPayment() || s.NextInstallment > 1 {
		return money.Zero(s.Terms.Currency())
	}
	dp := s.Terms.DownPayment
	for _, p := range s.Partial {
		if p.Seq == 1 {
			dp = dp.Sub(p.PaidPrincipal)
		}
	}
	return dp
}
