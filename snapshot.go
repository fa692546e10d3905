package servicing

import (
	"context"
	"errors"
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
