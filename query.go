package servicing

import (
	"context"

	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// loan.State returns the loan's state on business date asOf as the log stands
// now, folded from the nearest valid checkpoint.
func (e *Engine) State(ctx context.Context, id LoanID, asOf date.Date) (loan.State, error) {
	var l loaded
	if err := e.load(ctx, id, asOf, nil, &l); err != nil {
		return loan.State{}, err
	}
	if asOf >= l.state.AsOf {
		return loan.ReplayFrom(l.state, nil, asOf)
	}
	return loan.ReplayFrom(l.base, l.after, asOf)
}

// PayoffQuote returns the payoff quote for funds arriving on on, from the
// log as it stands.
func (e *Engine) PayoffQuote(ctx context.Context, id LoanID, on date.Date) (loan.Payoff, error) {
	s, err := e.State(ctx, id, on)
	if err != nil {
		return loan.Payoff{}, err
	}
	return s.Payoff(on)
}
