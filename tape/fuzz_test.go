package tape_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/tape"
)

// FuzzRead: any bytes read as a tape give no panic, and either loans and
// no error or an error wrapping ErrInvalidTape with every problem on a row
// of the file; a row never both reads and is reported.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"mortgages.csv", "los_export.csv"} {
		b, err := os.ReadFile("../testdata/tape/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("loan_id,borrower,terms.x\nL,B,{\"a\":\n")
	f.Add("\"unterminated\nloan_id")
	f.Fuzz(func(t *testing.T, in string) {
		tp, err := tape.Read(strings.NewReader(in), tape.Options{Products: product.Builtin(), Columns: map[string]string{"Loan Number": "loan_id"}})
		if err != nil && !errors.Is(err, tape.ErrInvalidTape) {
			t.Fatalf("error not wrapping ErrInvalidTape: %v", err)
		}
		if (err == nil) != (len(tp.Errors) == 0) {
			t.Fatalf("error %v with %d problems", err, len(tp.Errors))
		}
		bad := map[int]bool{}
		for _, e := range tp.Errors {
			if e.Row < 1 || e.Err == nil {
				t.Fatalf("problem without a row or a field error: %#v", e)
			}
			bad[e.Row] = true
		}
		for _, l := range tp.Loans {
			if bad[l.Row] || l.ID == "" {
				t.Fatalf("row %d both read and reported (or without id)", l.Row)
			}
		}
	})
}
