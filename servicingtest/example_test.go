package servicingtest_test

import (
	"context"
	"errors"
	"fmt"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
)

// Faulty fails a chosen call: here the first one, so a commit never happens.
func ExampleFaulty() {
	f := &servicingtest.Faulty{Inner: servicingtest.NewMemStore(), FailAt: 1}
	_, err := f.Commit(context.Background(), "L1", 0, servicing.Batch{})
	fmt.Println(errors.Is(err, servicingtest.ErrInjected))
	_, _, err = f.LoadCheckpoint(context.Background(), "L1", date.Max())
	fmt.Println(errors.Is(err, servicing.ErrNotFound), f.Calls())
	// Output:
	// true
	// true 2
}
