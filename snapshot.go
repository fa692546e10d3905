package servicing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
)

// Snapshot returns the portfolio of loans ids as of business date on, as
// the store knew it at knownAt (zero: as known now) — the bi-temporal view
// a report is reproduced from: a snapshot as known at last month's close
// gives last month's report again, however many backdated corrections came
// in since. A loan not yet boarded at knownAt, or whose boarding takes
// effect after on, is left out; an unknown loan is an error (ErrNotFound).
// Reports read it (package report).
func (e *Engine) Snapshot(ctx context.Context, ids []LoanID, on date.Date, knownAt time.Time) (report.Snapshot, error) {
	sn := report.Snapshot{On: on, States: make(map[string]loan.State, len(ids))}
	for _, id := range ids {
		var s loan.State
		var err error
		if knownAt.IsZero() {
			s, err = e.State(ctx, id, on)
		} else {
			s, err = e.KnownAt(ctx, id, on, knownAt)
		}
		skip, err := e.absent(ctx, id, knownAt, err)
		if err != nil {
			return report.Snapshot{}, err
		}
		if skip {
			continue
		}
		sn.States[string(id)] = s
	}
	return sn, nil
}

// absent sorts a portfolio read's error: a loan whose boarding takes
// effect after the date asked, or that was not yet boarded at knownAt, is
// absent from the portfolio (true, nil); any other error, an unknown loan
// among them, is returned.
func (e *Engine) absent(ctx context.Context, id LoanID, knownAt time.Time, err error) (bool, error) {
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, loan.ErrBeforeBoarding):
		return true, nil
	case errors.Is(err, ErrNotFound) && !knownAt.IsZero():
		if _, _, err := e.events(ctx, id, time.Time{}); err != nil {
			return false, err
		}
		return true, nil // boarded after knownAt
	}
	return false, err
}

// StatesOn returns the loan's states on each of dates (in their order), as
// the store knew it at knownAt (zero: as known now), reading its log once
// (loan.ReplayDates: one fold forward from date to date, the cost of one
// replay rather than one per date — what a month-end series of a portfolio
// needs). Each equals State (or KnownAt) on its date; a date before the
// loan's boarding takes effect gives its initial state (StatusPending,
// which reports leave out).
func (e *Engine) StatesOn(ctx context.Context, id LoanID, dates []date.Date, knownAt time.Time) ([]loan.State, error) {
	terms, evs, err := e.events(ctx, id, knownAt)
	if err != nil {
		return nil, err
	}
	out, err := loan.ReplayDates(terms, evs, dates)
	if err != nil {
		return nil, fmt.Errorf("loan %q: %w", id, err)
	}
	return out, nil
}

// Series returns the portfolio of loans ids on each of dates (a
// month-end series, say), as known at knownAt (zero: now): Snapshot per
// date, each loan's log read once (StatesOn). Loans not boarded by a date,
// or not yet known at knownAt, are left out of that date's snapshot.
func (e *Engine) Series(ctx context.Context, ids []LoanID, dates []date.Date, knownAt time.Time) ([]report.Snapshot, error) {
	out := make([]report.Snapshot, len(dates))
	for i, d := range dates {
		out[i] = report.Snapshot{On: d, States: make(map[string]loan.State, len(ids))}
	}
	for _, id := range ids {
		states, err := e.StatesOn(ctx, id, dates, knownAt)
		skip, err := e.absent(ctx, id, knownAt, err)
		if err != nil {
			return nil, err
		}
		if skip {
			continue
		}
		for i, s := range states {
			if s.Status != loan.StatusPending {
				out[i].States[string(id)] = s
			}
		}
	}
	return out, nil
}
