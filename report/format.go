package report

import "fmt"

// String returns "30-59: 12 loans, UPB 2345678.90", the line an aging table
// prints for the bucket.
func (b AgingRow) String() string {
	return fmt.Sprintf("%s: %d loans, UPB %s", b.Name, b.Count, b.UPB)
}
