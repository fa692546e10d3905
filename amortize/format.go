package amortize

import "fmt"

// String returns "1500.00 from installment 13".
func (s Step) String() string { return fmt.Sprintf("%s from installment %d", s.Amount, s.From) }

// String returns "7.2500% from installment 61".
func (s RateStep) String() string {
	return fmt.Sprintf("%s from installment %d", s.AnnualRate, s.FromInstallment)
}

// String reads "installment 3 interest 12.34 on 2024-01-05".
func (c ProgressiveCredit) String() string {
	part := "principal"
	if c.Interest {
		part = "interest"
	}
	return fmt.Sprintf("installment %d %s %s on %s", c.Installment, part, c.Amount, c.On)
}
