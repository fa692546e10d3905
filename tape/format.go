package tape

import "fmt"

// String names the row and its loan, as an import log line shows it.
func (l Loan) String() string { return fmt.Sprintf("row %d: %s", l.Row, l.ID) }
