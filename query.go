package servicing

import (
	"context"

	"github.com/rickb777/date/v2"
)

// State returns the loan's state on business date asOf as the log stands
// now, folded from the nearest valid checkpoint.
func (e *Engine) State(ctx context.Context, id LoanID, asOf date.Date) (State, error) {
	var l loaded
	if err := e.load(ctx, id, asOf, nil, &l); err != nil {
		return State{}, err
	}
	if asOf >= l.state.AsOf {
		return replayFrom(l.state, nil, asOf, nil)
	}
	return replayFrom(l.base, l.after, asOf, nil)
}
