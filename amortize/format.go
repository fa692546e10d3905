package amortize

import "fmt"

// String returns "1500.00 from installment 13".
func (s Step) String() string { return fmt.Sprintf("%s from installment %d", s.Amount, s.From) }

// String returns "7.2500% from installment 61".
func (s RateStep) String() string {
	return fmt.Sprintf("%s from installment %d", s.AnnualRate, s.FromInstallment)
}
