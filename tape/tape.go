package tape

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
)

// The tape's columns. A file names them in its header (in any order, any
// case; Options.Columns maps an origination system's own names to them).
// An empty cell is a value not given.
const (
	// ColLoanID is the loan's id in the engine. Required, unique in the tape.
	ColLoanID = "loan_id"
	// ColBorrower is the host's borrower reference. Required.
	ColBorrower = "borrower"
	// ColLOSReference is the origination system's loan number.
	ColLOSReference = "los_reference"
	// ColProduct names the loan product whose defaults the row's values
	// are laid over (see package product); empty: the row gives its terms
	// whole, currency included, through terms.<member> columns.
	ColProduct = "product"
	// ColProductVersion is the product's version (the latest when empty).
	ColProductVersion = "product_version"
	// ColPrincipal is the amount funded, a decimal ("300000.00") in the
	// loan's currency.
	ColPrincipal = "principal"
	// ColAnnualRate is the note rate with its unit ("6.5%", "650bp"); a
	// bare number is refused, so 6.5 and 0.065 cannot be confused.
	ColAnnualRate = "annual_rate"
	// ColFundingDate is the funding date, ISO 8601 (YYYY-MM-DD).
	ColFundingDate = "funding_date"
	// ColFirstDueDate is the first installment's due date, ISO 8601.
	ColFirstDueDate = "first_due_date"
	// ColInstallments is the number of installments (where the product
	// lets a loan choose it).
	ColInstallments = "installments"
	// ColPayment is the periodic principal and interest payment; empty:
	// solved at boarding.
	ColPayment = "payment"
	// ColEscrowPayment is the periodic escrow payment.
	ColEscrowPayment = "escrow_payment"
	// TermsPrefix starts a column giving any other member of the terms
	// ("terms.interest_only", "terms.currency"): its cell is read as JSON
	// when it is a JSON number, object, array, true, false or null, as a
	// string otherwise.
	TermsPrefix = "terms."
)

// columns lists the named columns, in the order Header writes them.
var columns = []string{ColLoanID, ColBorrower, ColLOSReference, ColProduct, ColProductVersion,
	ColPrincipal, ColAnnualRate, ColFundingDate, ColFirstDueDate, ColInstallments, ColPayment, ColEscrowPayment}

// required are the columns a header must have.
var required = []string{ColLoanID, ColBorrower}

// termsColumns are the named columns that are terms members (a JSON
// string each, but installments, a JSON number).
var termsColumns = map[string]bool{ColPrincipal: true, ColAnnualRate: true, ColFundingDate: true,
	ColFirstDueDate: true, ColInstallments: true, ColPayment: true, ColEscrowPayment: true}

// MaxRowsDefault is the number of loans a tape may hold when
// Options.MaxRows is zero.
const MaxRowsDefault = 100_000

// maxCell bounds a cell's bytes: no value of a boarding needs more.
const maxCell = 4096

// Products reads a boarding payload that names a loan product.
// product.Catalogue satisfies it (its ParseBoarding); the interface keeps
// this package beside product rather than above it.
type Products interface {
	ParseBoarding(payload []byte) (loan.BoardingRequest, error)
}

// Options configure Read. The zero value reads a tape with the documented
// header names and refuses rows naming a product.
type Options struct {
	// Columns maps an origination system's header names to the tape's
	// columns ("Loan Number" → "loan_id", "Note Rate" → "annual_rate",
	// "Escrow Amt" → "terms.escrow_payment"), compared without regard to
	// case or surrounding space. A header neither mapped nor a column is
	// refused: a misnamed column is never silently dropped.
	Columns map[string]string
	// Products reads the rows that name a product; nil refuses them.
	Products Products
	// MaxRows bounds the number of loans; zero means MaxRowsDefault.
	MaxRows int
}

// Loan is one row that reads: the boarding request Engine.Board takes.
type Loan struct {
	// Row is the CSV record's number in the file (the header is row 1).
	Row int
	// ID is the loan_id cell.
	ID string
	// Request is the row's boarding, validated by loan.ParseBoarding (or
	// the product catalogue) and checked to amortize (loan.Terms.Normalized).
	Request loan.BoardingRequest
}

// Tape is what Read found: the rows that read, and every problem.
type Tape struct {
	// Loans are the rows that read, in file order.
	Loans []Loan
	// Errors are every problem, in file order: a header problem (row 1)
	// or one per bad cell.
	Errors []*Error
	// Rows is the number of data rows in the file.
	Rows int
}

// Read reads a CSV loan tape: a header naming columns, then a loan a row.
// Each row is turned into an LOS boarding payload and read by its owner —
// loan.ParseBoarding, or Options.Products for a row naming a product — then
// its terms are normalized (the table must amortize), so a tape that reads
// without error boards without a terms error. Every problem is reported at
// once, each an *Error naming its row and column; the rows that read are
// returned beside them, so a caller may choose to board the good ones.
//
// Read returns an error wrapping ErrInvalidTape (and each *Error) when any
// row or the header is bad, and a plain error when r fails.
func Read(r io.Reader, o Options) (Tape, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		errs := []*Error{{Row: 1, Err: field.New("header", nil, field.ErrRequired, "the tape is empty")}}
		return Tape{Errors: errs}, invalid(errs)
	}
	if err != nil {
		errs := []*Error{csvError(err, 1)}
		return Tape{Errors: errs}, invalid(errs)
	}
	cols, names, errs := readHeader(header, o.Columns)
	if len(errs) > 0 {
		return Tape{Errors: errs}, invalid(errs)
	}
	maxRows := o.MaxRows
	if maxRows <= 0 {
		maxRows = MaxRowsDefault
	}
	var t Tape
	seen := map[string]int{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && !errors.Is(err, csv.ErrFieldCount) {
			// The file's quoting is broken: nothing after it can be trusted.
			t.Errors = append(t.Errors, csvError(err, row))
			break
		}
		if err != nil && !errors.Is(err, csv.ErrFieldCount) {
			return Tape{}, err
		}
		t.Rows++
		if t.Rows > maxRows {
			t.Errors = append(t.Errors, &Error{Row: row, Err: field.New("rows", t.Rows, field.ErrOutOfRange,
				fmt.Sprintf("a tape holds at most %d loans", maxRows))})
			break
		}
		if len(rec) != len(cols) {
			t.Errors = append(t.Errors, &Error{Row: row, Err: field.New("row", len(rec), field.ErrInvalid,
				fmt.Sprintf("%d cells where the header names %d columns", len(rec), len(cols)))})
			continue
		}
		l, errs := readRow(row, rec, cols, names, o)
		if l.ID != "" {
			if first, dup := seen[l.ID]; dup {
				errs = append(errs, &Error{Row: row, Column: names[ColLoanID], Err: field.New("loan_id", l.ID,
					field.ErrInvalid, fmt.Sprintf("row %d boards the same loan", first))})
			} else {
				seen[l.ID] = row
			}
		}
		if len(errs) > 0 {
			t.Errors = append(t.Errors, errs...)
			continue
		}
		t.Loans = append(t.Loans, l)
	}
	if len(t.Errors) > 0 {
		return t, invalid(t.Errors)
	}
	return t, nil
}

// readHeader maps each header cell to its column, and names each column
// as the file does (for errors).
func readHeader(header []string, mapping map[string]string) (cols []string, names map[string]string, errs []*Error) {
	byName := map[string]string{}
	for from, to := range mapping {
		byName[fold(from)] = to
	}
	names = map[string]string{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark some spreadsheets write
		}
		c := fold(h)
		to, mapped := byName[c]
		if mapped {
			c = fold(to)
		}
		switch {
		case slices.Contains(columns, c), strings.HasPrefix(c, TermsPrefix) && len(c) > len(TermsPrefix):
		case mapped:
			errs = append(errs, &Error{Row: 1, Column: h, Err: field.New("header", h, field.ErrNotSupported,
				fmt.Sprintf("mapped to %q, which is not a tape column (%s, %s<member>)", to, strings.Join(columns, ", "), TermsPrefix))})
			c = ""
		default:
			errs = append(errs, &Error{Row: 1, Column: h, Err: field.New("header", h, field.ErrNotSupported,
				"neither a tape column ("+strings.Join(columns, ", ")+", "+TermsPrefix+"<member>) nor mapped to one")})
			c = ""
		}
		if c != "" {
			if prev, dup := names[c]; dup {
				errs = append(errs, &Error{Row: 1, Column: h, Err: field.New("header", h, field.ErrInvalid,
					fmt.Sprintf("column %s again (first as %q)", c, prev))})
			} else {
				names[c] = h
			}
		}
		cols = append(cols, c)
	}
	for _, c := range required {
		if _, ok := names[c]; !ok {
			errs = append(errs, &Error{Row: 1, Column: c, Err: field.New("header", nil, field.ErrRequired, "the tape needs a "+c+" column")})
		}
	}
	return cols, names, errs
}

// fold is a header name as compared: trimmed, lower case.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// readRow reads one row into its boarding request.
func readRow(row int, rec, cols []string, names map[string]string, o Options) (Loan, []*Error) {
	var errs []*Error
	top := map[string]json.RawMessage{}
	terms := map[string]json.RawMessage{}
	l := Loan{Row: row}
	str := func(s string) json.RawMessage { b, _ := json.Marshal(s); return b }
	for i, c := range cols {
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		if len(v) > maxCell {
			errs = append(errs, &Error{Row: row, Column: names[c], Err: field.New(c, len(v), field.ErrOutOfRange,
				fmt.Sprintf("at most %d bytes", maxCell))})
			continue
		}
		switch {
		case c == ColLoanID:
			l.ID = v
		case c == ColProductVersion:
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, &Error{Row: row, Column: names[c], Err: field.New("ProductVersion", v, field.ErrInvalid, "a whole number")})
				continue
			}
			top["product_version"] = json.RawMessage(strconv.Itoa(n))
		case c == ColInstallments:
			n, err := strconv.Atoi(v)
			if err != nil {
				errs = append(errs, &Error{Row: row, Column: names[c], Err: field.New("Terms.Installments", v, field.ErrInvalid, "a whole number")})
				continue
			}
			terms["installments"] = json.RawMessage(strconv.Itoa(n))
		case termsColumns[c]:
			terms[c] = str(v)
		case strings.HasPrefix(c, TermsPrefix):
			terms[strings.TrimPrefix(c, TermsPrefix)] = cell(v)
		default: // borrower, los_reference, product
			top[c] = str(v)
		}
	}
	if l.ID == "" {
		errs = append(errs, &Error{Row: row, Column: names[ColLoanID], Err: field.New("loan_id", nil, field.ErrRequired, "")})
	}
	if len(errs) > 0 {
		return l, errs
	}
	tb, _ := json.Marshal(terms)
	top["terms"] = tb
	payload, _ := json.Marshal(top)
	var req loan.BoardingRequest
	var err error
	switch _, named := top["product"]; {
	case named && o.Products == nil:
		return l, []*Error{{Row: row, Column: names[ColProduct], Err: field.New("Product", strings.Trim(string(top["product"]), `"`),
			field.ErrNotSupported, "no product catalogue given to read it")}}
	case named:
		req, err = o.Products.ParseBoarding(payload)
	default:
		req, err = loan.ParseBoarding(payload)
	}
	if err == nil {
		_, err = req.Terms.Normalized()
	}
	if err != nil {
		return l, rowErrors(row, err, cols, names)
	}
	l.Request = req
	return l, nil
}

// cell is a terms.<member> cell as JSON: itself when it is a JSON value
// other than a string, a JSON string of it otherwise.
func cell(v string) json.RawMessage {
	if json.Valid([]byte(v)) && v[0] != '"' {
		return json.RawMessage(v)
	}
	b, _ := json.Marshal(v)
	return b
}

// rowErrors turns what a boarding's owner found into the row's errors,
// each naming the column its field came from (the field path the owner
// gave is kept in the wrapped *field.Error).
func rowErrors(row int, err error, cols []string, names map[string]string) []*Error {
	fes := field.Errors(err)
	if len(fes) == 0 {
		return []*Error{{Row: row, Err: field.New("row", nil, field.ErrInvalid, err.Error())}}
	}
	out := make([]*Error, 0, len(fes))
	for _, fe := range fes {
		out = append(out, &Error{Row: row, Column: columnOf(fe.Field, cols, names), Err: fe})
	}
	return out
}

// columnOf is the column (as the file names it) a field path comes from:
// the column whose payload path is the longest prefix of it, compared
// without case or underscores ("Terms.FirstDueDate" is first_due_date's
// "Terms.first_due_date"); "" when none is (a problem of the row's terms
// as a whole, or of a member no column gave).
func columnOf(path string, cols []string, names map[string]string) string {
	p := pathKey(path)
	best, bestLen := "", 0
	for _, c := range cols {
		if c == "" {
			continue
		}
		k := pathKey(payloadPath(c))
		if (p == k || strings.HasPrefix(p, k+".") || strings.HasPrefix(p, k+"[")) && len(k) > bestLen {
			best, bestLen = names[c], len(k)
		}
	}
	return best
}

// payloadPath is where a column's value sits in the boarding payload.
func payloadPath(c string) string {
	switch {
	case termsColumns[c]:
		return "Terms." + c
	case strings.HasPrefix(c, TermsPrefix):
		return "Terms." + strings.TrimPrefix(c, TermsPrefix)
	}
	return c
}

func pathKey(p string) string { return strings.ToLower(strings.ReplaceAll(p, "_", "")) }

func csvError(err error, row int) *Error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		row = pe.StartLine
	}
	return &Error{Row: row, Err: field.New("csv", nil, field.ErrInvalid, err.Error())}
}

func invalid(errs []*Error) error {
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return fmt.Errorf("%w: %w", ErrInvalidTape, errors.Join(all...))
}

// Header is the documented header row (the named columns, in order):
// where a host writing a tape starts.
func Header() []string { return slices.Clone(columns) }
