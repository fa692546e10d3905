package loan

import (
	"fmt"

	"github.com/lendcore/servicing/amortize"
)

// MITermination returns the Homeowners Protection Act dates of the loan's
// private mortgage insurance (amortize.HPADates) from its initial
// amortization schedule — the terms as boarded, whatever happened since —
// and Terms.OriginalValue. Whether insurance actually ends on the
// automatic date depends on the loan being current then (DaysPastDue on
// that date). An error wraps amortize.ErrInvalidTerms when the loan has no
// original value or no table (a line).
func (s State) MITermination() (amortize.MITermination, error) {
	if s.line() {
		return amortize.MITermination{}, fmt.Errorf("%w: a line of credit has no amortization schedule", amortize.ErrInvalidTerms)
	}
	tb, err := amortize.Compute(s.Terms.Terms)
	if err != nil {
		return amortize.MITermination{}, err
	}
	return amortize.HPADates(tb, s.Terms.OriginalValue)
}
