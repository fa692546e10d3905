package servicing

import (
	"context"
	"errors"
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/tape"
)

// TapeOptions say how [Engine.BoardTape] boards a tape.
type TapeOptions struct {
	// BoardValid boards the rows that read when others did not. Without
	// it a tape with any error (or a loan already boarded) boards nothing.
	BoardValid bool
	// Actor and Reason are recorded on every Boarded event.
	Actor, Reason string
	// KeyPrefix starts each loan's idempotency key, followed by its id;
	// empty means "tape:". Boarding the same row again is then a no-op.
	KeyPrefix string
}

// TapeReport is what [Engine.BoardTape] did.
type TapeReport struct {
	// Boarded are the loans boarded, in tape order, with their results.
	Boarded []TapeLoan
	// Errors are the rows not boarded: the tape's own (*tape.Error) and
	// those the engine refused (a loan already boarded, a store error).
	Errors []error
}

// TapeLoan is one loan of a tape that was boarded.
type TapeLoan struct {
	// Row is its row in the tape (the header is row 1).
	Row int
	// ID is the loan's id.
	ID LoanID
	// Result is the boarding command's result.
	Result Result
}

// BoardTape boards the loans of a tape read by tape.Read. Nothing is
// boarded when the tape has any error or names a loan already on file,
// unless o.BoardValid asks for the good rows; every problem is reported
// in the report's Errors, and the error returned wraps ErrInvalidCommand
// (and tape.ErrInvalidTape for the tape's own problems). Each loan is
// boarded as its own atomic, idempotent command (key: o.KeyPrefix + id),
// so a tape boarded again after an interruption boards only what it did
// not. A store error stops the boarding and is returned as it is, the
// loans boarded before it staying boarded.
func (e *Engine) BoardTape(ctx context.Context, t tape.Tape, o TapeOptions) (TapeReport, error) {
	var rep TapeReport
	for _, te := range t.Errors {
		rep.Errors = append(rep.Errors, te)
	}
	prefix := o.KeyPrefix
	if prefix == "" {
		prefix = "tape:"
	}
	// A loan already on file is refused before anything is boarded (Board
	// would refuse it only on its own turn, after the rows before it).
	free := make([]tape.Loan, 0, len(t.Loans))
	for _, l := range t.Loans {
		_, err := e.State(ctx, LoanID(l.ID), l.Request.Terms.FundingDate)
		switch {
		case errors.Is(err, ErrNotFound):
			free = append(free, l)
		case err == nil || errors.Is(err, loan.ErrBeforeBoarding):
			rep.Errors = append(rep.Errors, &tape.Error{Row: l.Row, Column: "loan_id",
				Err: field.New("loan_id", l.ID, ErrLoanExists, "")})
		default:
			return rep, fmt.Errorf("board tape row %d (loan %q): %w", l.Row, l.ID, err)
		}
	}
	if len(rep.Errors) > 0 && !o.BoardValid {
		return rep, tapeErr(rep.Errors, len(t.Errors) > 0)
	}
	for _, l := range free {
		m := Meta{IdempotencyKey: prefix + l.ID, Actor: o.Actor, Reason: o.Reason}
		r, err := e.Board(ctx, LoanID(l.ID), l.Request, m)
		if err != nil {
			if errors.Is(err, ErrInvalidCommand) || errors.Is(err, loan.ErrInvalidTerms) || errors.Is(err, ErrLoanExists) {
				rep.Errors = append(rep.Errors, fmt.Errorf("row %d (loan %q): %w", l.Row, l.ID, err))
				continue
			}
			return rep, fmt.Errorf("board tape row %d (loan %q): %w", l.Row, l.ID, err)
		}
		rep.Boarded = append(rep.Boarded, TapeLoan{Row: l.Row, ID: LoanID(l.ID), Result: r})
	}
	if len(rep.Errors) > 0 {
		return rep, tapeErr(rep.Errors, len(t.Errors) > 0)
	}
	return rep, nil
}

// tapeErr joins a tape's problems under ErrInvalidCommand.
func tapeErr(errs []error, tapeOwn bool) error {
	joined := errors.Join(errs...)
	if tapeOwn {
		return fmt.Errorf("%w: %w: %w", ErrInvalidCommand, tape.ErrInvalidTape, joined)
	}
	return fmt.Errorf("%w: %w", ErrInvalidCommand, joined)
}

// String names the loan and its tape row, as a boarding log line shows it.
func (l TapeLoan) String() string {
	return fmt.Sprintf("row %d: %s boarded (version %d)", l.Row, l.ID, l.Result.Version)
}
