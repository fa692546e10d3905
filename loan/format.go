package loan

import "fmt"

// String returns "1500.00 from installment 13".
func (s PaymentStep) String() string { return fmt.Sprintf("%s from installment %d", s.Payment, s.From) }

// String returns "delinquent 2025-04-01 (since 2025-03-01)" or "cured
// 2025-04-20 (since 2025-03-01)".
func (c DelinquencyChange) String() string {
	what := "cured"
	if c.Delinquent {
		what = "delinquent"
	}
	return fmt.Sprintf("%s %s (since %s)", what, c.Date, c.Since)
}

// String reads "installment 3 interest 12.34 on 2024-01-05".
func (c Credit) String() string {
	part := "principal"
	if c.Interest {
		part = "interest"
	}
	return fmt.Sprintf("installment %d %s %s on %s", c.Installment, part, c.Amount, c.On)
}
