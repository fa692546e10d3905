package tape

import (
	"errors"
	"fmt"

	"github.com/lendcore/servicing/field"
)

// ErrInvalidTape wraps every problem Read reports.
var ErrInvalidTape = errors.New("tape: invalid loan tape")

// Error is one problem of a tape: a bad header cell (row 1), a bad cell, or
// a row as a whole. It wraps the *field.Error that says what is wrong — the
// boarding field path its owner named ("Terms.AnnualRate"), the value and
// the constraint — so errors.Is (field.ErrInvalid, ...) and errors.As
// (*field.Error) reach it.
type Error struct {
	// Row is the CSV record's number in the file, from 1 (the header).
	Row int
	// Column is the column as the file's header names it (an origination
	// system's own name when mapped); empty for a problem of the row as a
	// whole.
	Column string
	// Err is what is wrong.
	Err *field.Error
}

// Error formats the problem as "row 4, column Note Rate: Terms.AnnualRate:
// invalid (...)".
func (e *Error) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %v", e.Row, e.Err)
	}
	return fmt.Sprintf("row %d, column %s: %v", e.Row, e.Column, e.Err)
}

// Unwrap returns the field error.
func (e *Error) Unwrap() error { return e.Err }
