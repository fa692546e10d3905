package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	products "github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/tape"
)

// boardTape boards a CSV loan tape (package tape's columns, products from
// the built-in catalogue) into the SQLite file and prints each loan boarded
// with its payment, or every bad cell by row and column. Nothing is boarded
// from a tape with any error; boarding the same tape again finds its loans
// on file. A write to w that failed, or a failed Close of the store, fails
// it.
func boardTape(ctx context.Context, path, file string, now func() time.Time, w io.Writer) (err error) {
	out := &output{w: w}
	defer func() { err = out.join(err, "the boarded loans") }()
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer closeRead(f)
	tp, err := tape.Read(f, tape.Options{Products: products.Builtin()})
	if err != nil && !errors.Is(err, tape.ErrInvalidTape) {
		return err
	}
	st, err := sqlstore.OpenSQLite(ctx, path, sqlstore.SQLiteOptions{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	eng, err := servicing.New(servicing.Config{Store: st, Now: now})
	if err != nil {
		return err
	}
	rep, err := eng.BoardTape(ctx, tp, servicing.TapeOptions{Actor: "demo -tape"})
	if err != nil && !errors.Is(err, servicing.ErrInvalidCommand) {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fprintf(tw, "tape %s: %d rows, %d boarded into %s\n", file, tp.Rows, len(rep.Boarded), path)
	if len(rep.Boarded) > 0 {
		fprintln(tw, "row\tloan\tproduct\tprincipal\trate\tpayment\tfirst due")
	}
	byRow := map[int]tape.Loan{}
	for _, l := range tp.Loans {
		byRow[l.Row] = l
	}
	for _, b := range rep.Boarded {
		req := byRow[b.Row].Request
		s, err := eng.State(ctx, b.ID, req.Terms.FundingDate)
		if err != nil {
			return err
		}
		fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", b.Row, b.ID, req.Product, s.Principal, s.Rate, s.Payment, req.Terms.FirstDueDate)
	}
	for _, e := range rep.Errors {
		fprintf(tw, "  %v\n", e)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the boarded loans: %w", err)
	}
	if len(rep.Errors) > 0 {
		return fmt.Errorf("tape %s: %d problems, nothing boarded", file, len(rep.Errors))
	}
	return nil
}
