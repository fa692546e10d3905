package collections

import "fmt"

// String returns "MTG-7 broken_promise 52 dpd", the line a collector's
// worklist prints for the loan.
func (e Entry) String() string {
	return fmt.Sprintf("%s %s %d dpd", e.Loan, e.Reason, e.DaysPastDue)
}
