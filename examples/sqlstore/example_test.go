package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Open a SQLite file, run the engine on it, and read the loan back after
// reopening. The figures by hand: 31 days of interest on 18,800.00 at 9%
// Actual/365F is 18800 × 0.09 × 31/365 = 143.704 → 143.70; the rest of the
// 467.84 payment, 324.14, reduces principal to 18,475.86.
func ExampleOpenSQLite() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "sqlstore-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "servicing.db")

	st, _ := sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	clock := func() time.Time { return time.Date(2024, 2, 1, 12, 0, 0, 0, time.UTC) }
	eng, _ := servicing.New(servicing.Config{Store: st, Now: clock})
	terms := autoTerms()
	_, err := eng.Board(ctx, "AUTO-1", loan.BoardingRequest{Terms: terms, Borrower: "B-1"}, servicing.Meta{IdempotencyKey: "board"})
	fmt.Println("board:", err)
	r, err := eng.PostPayment(ctx, "AUTO-1", date.New(2024, time.February, 1), money.MustParse("467.84", money.USD), servicing.Meta{IdempotencyKey: "pay-1"})
	fmt.Println("payment: version", r.Version, err)
	_ = st.Close()

	st, _ = sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	defer st.Close()
	eng, _ = servicing.New(servicing.Config{Store: st, Now: clock})
	again, _ := eng.PostPayment(ctx, "AUTO-1", date.New(2024, time.February, 1), money.MustParse("467.84", money.USD), servicing.Meta{IdempotencyKey: "pay-1"})
	fmt.Println("retry: version", again.Version, "replayed", again.Replayed)
	s, _ := eng.State(ctx, "AUTO-1", date.New(2024, time.February, 1))
	fmt.Println("principal", s.Principal, "paid interest", s.PaidInterest)
	// Output:
	// board: <nil>
	// payment: version 2 <nil>
	// retry: version 2 replayed true
	// principal 18475.86 paid interest 143.70
}
