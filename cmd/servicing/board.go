package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/tape"
)

func init() {
	commands["board"] = command{
		summary: "read a CSV loan tape, board its loans into an in-memory engine; their states or every bad cell",
		run:     runBoard,
	}
}

// boardOut is board's JSON output.
type boardOut struct {
	// Rows is the number of data rows in the tape.
	Rows int `json:"rows"`
	// Boarded are the loans boarded with their state on their funding date.
	Boarded []boardedOut `json:"boarded"`
	// Errors are the rows not boarded and why.
	Errors []boardError `json:"errors"`
}

type boardedOut struct {
	Row     int      `json:"row"`
	Loan    string   `json:"loan"`
	Product string   `json:"product,omitempty"`
	State   stateOut `json:"state"`
}

type boardError struct {
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
	Error  string `json:"error"`
}

func runBoard(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("board", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("tape", "", "the loan tape `FILE.csv` (- reads stdin)")
	columns := fs.String("columns", "", "a JSON `FILE` mapping the tape's own header names to tape columns ({\"Note Rate\": \"annual_rate\"})")
	products := fs.String("products", "", "a catalogue `FILE` (servicing products' format) instead of the built-in one")
	valid := fs.Bool("board-valid", false, "board the rows that read even when others do not (without it a tape with any error boards nothing)")
	format := fs.String("format", "table", "output `format`: table or json")
	fs.Usage = func() {
		fprintln(stderr, "Usage: servicing board --tape FILE.csv [-columns FILE.json] [-products FILE] [-board-valid] [-format table|json]")
		fprintln(stderr, "Reads the tape (columns: loan_id, borrower, los_reference, product, product_version, principal,")
		fprintln(stderr, "annual_rate, funding_date, first_due_date, installments, payment, escrow_payment, terms.<member>),")
		fprintln(stderr, "reports every bad cell by row and column, and boards the loans into an in-memory engine, printing")
		fprintln(stderr, "each one's state on its funding date. Exit status 1 when any row is refused. To board into a")
		fprintln(stderr, "database, see the examples module's demo (-tape).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *path == "" || fs.NArg() != 0 || *format != "table" && *format != "json" {
		fs.Usage()
		return 2
	}
	o, err := tapeOptions(*columns, *products)
	if err != nil {
		fprintln(stderr, "servicing board:", err)
		return 1
	}
	in := io.Reader(os.Stdin)
	if *path != "-" {
		f, err := os.Open(*path)
		if err != nil {
			fprintln(stderr, "servicing board:", err)
			return 1
		}
		defer closeRead(f)
		in = f
	}
	out, err := board(context.Background(), in, o, *valid)
	if err != nil {
		fprintln(stderr, "servicing board:", err)
		return 1
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fprintln(stderr, "servicing board:", err)
			return 1
		}
	} else if err := boardTable(stdout, out); err != nil {
		fprintln(stderr, "servicing board:", err)
		return 1
	}
	if len(out.Errors) > 0 {
		return 1
	}
	return 0
}

// tapeOptions reads the header mapping and the catalogue.
func tapeOptions(columns, products string) (tape.Options, error) {
	o := tape.Options{Products: product.Builtin()}
	if products != "" {
		c, err := readCatalogue(products)
		if err != nil {
			return o, err
		}
		o.Products = c
	}
	if columns != "" {
		b, err := os.ReadFile(columns)
		if err != nil {
			return o, err
		}
		if err := strictjson.Decode(b, &o.Columns); err != nil {
			return o, fmt.Errorf("%s: %w", columns, err)
		}
	}
	return o, nil
}

// board reads a tape and boards it into a fresh in-memory engine.
func board(ctx context.Context, in io.Reader, o tape.Options, valid bool) (boardOut, error) {
	tp, err := tape.Read(in, o)
	if err != nil && !errors.Is(err, tape.ErrInvalidTape) {
		return boardOut{}, err
	}
	eng, err := newEngine()
	if err != nil {
		return boardOut{}, err
	}
	rep, err := eng.BoardTape(ctx, tp, servicing.TapeOptions{BoardValid: valid, Actor: "servicing board"})
	if err != nil && !errors.Is(err, servicing.ErrInvalidCommand) {
		return boardOut{}, err
	}
	out := boardOut{Rows: tp.Rows, Boarded: []boardedOut{}, Errors: []boardError{}}
	byRow := map[int]tape.Loan{}
	for _, l := range tp.Loans {
		byRow[l.Row] = l
	}
	for _, b := range rep.Boarded {
		l := byRow[b.Row]
		s, err := eng.State(ctx, b.ID, l.Request.Terms.FundingDate)
		if err != nil {
			return boardOut{}, fmt.Errorf("loan %s: %w", b.ID, err)
		}
		out.Boarded = append(out.Boarded, boardedOut{Row: b.Row, Loan: string(b.ID), Product: l.Request.Product, State: stateOf(s)})
	}
	for _, e := range rep.Errors {
		be := boardError{Error: e.Error()}
		var te *tape.Error
		if errors.As(e, &te) {
			be = boardError{Row: te.Row, Column: te.Column, Field: te.Err.Field, Error: te.Err.Error()}
		}
		out.Errors = append(out.Errors, be)
	}
	return out, nil
}

// boardTable prints the boarded loans and the errors as tables.
func boardTable(w io.Writer, out boardOut) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fprintf(tw, "%d rows, %d boarded, %d problems\n\n", out.Rows, len(out.Boarded), len(out.Errors))
	if len(out.Boarded) > 0 {
		fprintln(tw, "row\tloan\tproduct\tprincipal\trate\tpayment\tnext due\tstatus")
		for _, b := range out.Boarded {
			next := ""
			if b.State.NextDueDate != nil {
				next = b.State.NextDueDate.String()
			}
			fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", b.Row, b.Loan, b.Product, b.State.Principal.String(),
				b.State.Rate.String(), b.State.Payment.String(), next, b.State.Status)
		}
		fprintln(tw)
	}
	if len(out.Errors) > 0 {
		fprintln(tw, "row\tcolumn\tproblem")
		for _, e := range out.Errors {
			row := ""
			if e.Row != 0 {
				row = strconv.Itoa(e.Row)
			}
			fprintf(tw, "%s\t%s\t%s\n", row, e.Column, e.Error)
		}
	}
	return tw.Flush()
}
