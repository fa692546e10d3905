package servicing_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/lendcore/servicing/tape"
	"github.com/stretchr/testify/require"
)

func tapeEngine(t testing.TB) *servicing.Engine {
	tick := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(),
		Now: func() time.Time { tick = tick.Add(time.Second); return tick }})
	require.NoError(t, err)
	return e
}

func readTape(t *testing.T, name string, o tape.Options) tape.Tape {
	t.Helper()
	f, err := os.Open("testdata/tape/" + name)
	require.NoError(t, err)
	defer f.Close()
	o.Products = product.Builtin()
	tp, _ := tape.Read(f, o)
	return tp
}

var losExportColumns = map[string]string{"Loan Number": "loan_id", "Borrower ID": "borrower", "Program": "product",
	"Note Amount": "principal", "Note Rate": "annual_rate", "Funded": "funding_date",
	"First Payment": "first_due_date", "Escrow Amt": "escrow_payment"}

// TestBoardTape boards testdata/tape/mortgages.csv: each loan with the
// payment worked by hand in tape's tests (1896.20, 1687.71 + 350.00
// escrow, 584.71), its product recorded; boarding it again finds every
// loan on file and boards nothing.
func TestBoardTape(t *testing.T) {
	ctx := context.Background()
	e := tapeEngine(t)
	tp := readTape(t, "mortgages.csv", tape.Options{})
	rep, err := e.BoardTape(ctx, tp, servicing.TapeOptions{Actor: "tape-test"})
	require.NoError(t, err)
	require.Empty(t, rep.Errors)
	require.Len(t, rep.Boarded, 3)
	for i, w := range []struct {
		id, payment, escrow string
	}{{"MTG-3001", "1896.20", "0.00"}, {"MTG-3002", "1687.71", "350.00"}, {"AUTO-4001", "584.71", "0.00"}} {
		require.Equal(t, servicing.LoanID(w.id), rep.Boarded[i].ID)
		s, err := e.State(ctx, servicing.LoanID(w.id), tp.Loans[i].Request.Terms.FundingDate)
		require.NoError(t, err)
		require.Equal(t, w.payment, s.Payment.String(), w.id)
		require.Equal(t, w.escrow, s.Terms.EscrowPayment.String(), w.id)
	}
	trail, err := e.AuditTrail(ctx, "MTG-3001", servicing.AuditFilter{})
	require.NoError(t, err)
	require.Equal(t, "tape-test", trail[0].Actor)
	require.Equal(t, "tape:MTG-3001", trail[0].Key)

	rep, err = e.BoardTape(ctx, tp, servicing.TapeOptions{})
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.ErrorIs(t, err, servicing.ErrLoanExists)
	require.Empty(t, rep.Boarded)
	require.Len(t, rep.Errors, 3)
}

// TestBoardTapeWithErrors: testdata/tape/los_export.csv has one good row
// and five bad ones; nothing is boarded unless the good rows are asked for.
func TestBoardTapeWithErrors(t *testing.T) {
	ctx := context.Background()
	e := tapeEngine(t)
	tp := readTape(t, "los_export.csv", tape.Options{Columns: losExportColumns})
	require.Len(t, tp.Loans, 1)
	rep, err := e.BoardTape(ctx, tp, servicing.TapeOptions{})
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.ErrorIs(t, err, tape.ErrInvalidTape)
	require.Empty(t, rep.Boarded)
	require.Len(t, rep.Errors, 6)
	_, err = e.State(ctx, "MTG-5001", tp.Loans[0].Request.Terms.FundingDate)
	require.ErrorIs(t, err, servicing.ErrNotFound, "nothing boarded")

	rep, err = e.BoardTape(ctx, tp, servicing.TapeOptions{BoardValid: true})
	require.ErrorIs(t, err, tape.ErrInvalidTape, "the bad rows are still reported")
	require.Len(t, rep.Boarded, 1)
	s, err := e.State(ctx, "MTG-5001", tp.Loans[0].Request.Terms.FundingDate)
	require.NoError(t, err)
	// 250000.00 at 6.25 %/12 over 360 (worked in tape's tests): 1539.29.
	require.Equal(t, "1539.29", s.Payment.String())
}

// A loan tape boarded into an engine: the tape is read whole first, and a
// tape with any bad row boards nothing unless BoardValid asks for the good
// ones.
func ExampleEngine_BoardTape() {
	ctx := context.Background()
	tick := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e, _ := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(),
		Now: func() time.Time { tick = tick.Add(time.Second); return tick }})
	csv := `loan_id,borrower,product,principal,annual_rate,funding_date,first_due_date
MTG-1,BRW-1,mortgage_30_fixed,300000.00,6.5%,2025-01-15,2025-03-01
MTG-2,BRW-2,mortgage_30_fixed,180000.00,6.5%,2025-01-20,2025-03-15
`
	tp, _ := tape.Read(strings.NewReader(csv), tape.Options{Products: product.Builtin()})
	rep, err := e.BoardTape(ctx, tp, servicing.TapeOptions{})
	fmt.Println(len(rep.Boarded), "boarded;", errors.Is(err, tape.ErrInvalidTape))
	for _, re := range rep.Errors {
		fmt.Println(re)
	}
	rep, _ = e.BoardTape(ctx, tp, servicing.TapeOptions{BoardValid: true})
	s, _ := e.State(ctx, rep.Boarded[0].ID, tp.Loans[0].Request.Terms.FundingDate)
	// 300000.00 at 6.5 % over 360 months: 1625.00 × 6.991797/5.991797.
	fmt.Println(rep.Boarded[0].ID, "payment", s.Payment)
	// Output:
	// 0 boarded; true
	// row 3, column first_due_date: Terms.first_due_date: invalid (2025-03-15): mortgage_30_fixed v1 falls due on day 1 of the month
	// MTG-1 payment 1896.20
}
