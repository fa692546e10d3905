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
// effect after on, is left out; an unknown loan is an error (ErrNotFound). Reports read it (package report).
func (e *Engine) Snapshot(ctx context.Context, ids []LoanID, on date.Date, knownAt time.Time) (report.Snapshot, error) {
	sn := report.Snapshot{On: on, States: make(map[string]loan.State, len(ids))}
	for _, id := range ids {
		if knownAt.IsZero() {
			s, err := e.State(ctx, id, on)
			if errors.Is(err, loan.ErrBeforeBoarding) {
				continue
			}
			if err != nil {
				return report.Snapshot{}, err
			}
			sn.States[string(id)] = s
			continue
		}
		s, err := e.KnownAt(ctx, id, on, knownAt)
		if errors.Is(err, ErrNotFound) {
			if _, _, err := e.events(ctx, id, time.Time{}); err != nil {
				return report.Snapshot{}, err
			}
			continue // boarded after knownAt
		}
		if errors.Is(err, loan.ErrBeforeBoarding) {
			continue
		}
		if err != nil {
			return report.Snapshot{}, err
		}
		sn.States[string(id)] = s
	}
	return sn, nil
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
		if errors.Is(err, ErrNotFound) && !knownAt.IsZero() {
			if _, _, err := e.events(ctx, id, time.Time{}); err != nil {
				return nil, err
			}
			continue // boarded after knownAt
		}
		if err != nil {
			return nil, err
		}
		for i, s := range states {
			if s.Status != loan.StatusPending {
				out[i].States[string(id)] = s
			}
		}
	}
	return out, nil
}
