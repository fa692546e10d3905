package field_test

import (
	"errors"
	"fmt"

	"github.com/lendcore/servicing/field"
)

var ErrInvalidTerms = errors.New("loan: invalid terms")

// A validator reports every bad field at once; callers test the kind of
// problem with errors.Is and read each field with errors.As or Fields.
func ExampleList() {
	var l field.List
	l.Add("Terms.Principal", "-100.00", field.ErrOutOfRange, "must be positive")
	l.Add("Terms.FirstDueDate", nil, field.ErrRequired, "")
	err := l.Err(ErrInvalidTerms)

	fmt.Println(errors.Is(err, ErrInvalidTerms), errors.Is(err, field.ErrRequired))
	fmt.Println(field.Fields(err))
	// Output:
	// true true
	// [Terms.Principal Terms.FirstDueDate]
}
