package servicing

import (
	"context"
	"fmt"
	"time"

	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// State returns the loan's state on business date asOf as the log stands
// now, folded from the nearest valid checkpoint.
func (e *Engine) State(ctx context.Context, id LoanID, asOf date.Date) (loan.State, error) {
	s, _, err := e.stateCarry(ctx, id, asOf)
	return s, err
}

// stateCarry is State with its loan.Carry: the head's, carried on, when
// the state was folded from the loan's head.
func (e *Engine) stateCarry(ctx context.Context, id LoanID, asOf date.Date) (loan.State, loan.Carry, error) {
	var l loaded
	if err := e.load(ctx, id, asOf, nil, &l); err != nil {
		return loan.State{}, loan.Carry{}, err
	}
	if asOf >= l.state.AsOf {
		return loan.ReplayCarry(l.state, l.carry, nil, asOf)
	}
	s, err := loan.ReplayFrom(l.base, l.after, asOf)
	return s, loan.Carry{}, err
}

// PayoffQuote returns the payoff quote for funds arriving on on, from the
// log as it stands.
func (e *Engine) PayoffQuote(ctx context.Context, id LoanID, on date.Date) (loan.Payoff, error) {
	s, c, err := e.stateCarry(ctx, id, on)
	if err != nil {
		return loan.Payoff{}, err
	}
	return s.PayoffCarry(on, c)
}

// events reads a loan's whole log, keeping the events recorded at or before
// knownAt (the zero time keeps all).
func (e *Engine) events(ctx context.Context, id LoanID, knownAt time.Time) (loan.Terms, []loan.Event, error) {
	evs, err := e.store.Events(ctx, id, 1)
	if err != nil {
		return loan.Terms{}, nil, fmt.Errorf("loan %q: %w", id, err)
	}
	if len(evs) == 0 {
		return loan.Terms{}, nil, fmt.Errorf("loan %q: %w", id, ErrNotFound)
	}
	b, ok := evs[0].Payload.(loan.Boarded)
	if !ok {
		return loan.Terms{}, nil, fmt.Errorf("%w: loan %q does not start with a boarding event", loan.ErrInvalidEvent, id)
	}
	if !knownAt.IsZero() {
		kept := evs[:0]
		for _, ev := range evs {
			if !ev.RecordedAt.After(knownAt) {
				kept = append(kept, ev)
			}
		}
		evs = kept
		if len(evs) == 0 {
			return loan.Terms{}, nil, fmt.Errorf("loan %q not boarded at %s: %w", id, knownAt, ErrNotFound)
		}
	}
	return b.Terms, evs, nil
}

// History returns the loan's ledger through asOf from its whole log.
func (e *Engine) History(ctx context.Context, id LoanID, asOf date.Date) (loan.Ledger, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return loan.Ledger{}, err
	}
	return loan.ReplayLedger(terms, evs, asOf)
}

// EscrowAnalysis returns the loan's annual escrow analysis on on
// (loan.State.EscrowAnalysis: the Reg X §1024.17 projection, trial
// balances, target balance, surplus / shortage / deficiency and what the
// rule allows) and the installment its computation year starts with.
func (e *Engine) EscrowAnalysis(ctx context.Context, id LoanID, on date.Date) (escrow.Result, int, error) {
	s, err := e.State(ctx, id, on)
	if err != nil {
		return escrow.Result{}, 0, err
	}
	return s.EscrowAnalysis(on)
}

// EscrowStatement returns the annual escrow account statement data on on
// (loan.BuildEscrowStatement, Reg X §1024.17(i)): the past twelve months
// projected beside actual, the coming year's analysis, the payment before
// and after, and the reasons for the change.
func (e *Engine) EscrowStatement(ctx context.Context, id LoanID, on date.Date) (loan.EscrowStatement, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return loan.EscrowStatement{}, err
	}
	return loan.BuildEscrowStatement(terms, evs, on)
}

// KnownAt answers the bi-temporal question: the state on value date asOf as
// the log stood at time knownAt (events recorded later are left out).
func (e *Engine) KnownAt(ctx context.Context, id LoanID, asOf date.Date, knownAt time.Time) (loan.State, error) {
	terms, evs, err := e.events(ctx, id, knownAt)
	if err != nil {
		return loan.State{}, err
	}
	return loan.Replay(terms, evs, asOf)
}

// AllocationTrace returns how payment seq was applied, as the log stands:
// each line's installment, component, amount and rule. A reversed payment
// comes back with Reversed set and no lines.
func (e *Engine) AllocationTrace(ctx context.Context, id LoanID, seq int64) (loan.Transaction, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return loan.Transaction{}, err
	}
	var last date.Date
	for _, ev := range evs {
		last = max(last, ev.EffectiveOn)
	}
	l, err := loan.ReplayLedger(terms, evs, last)
	if err != nil {
		return loan.Transaction{}, err
	}
	for _, t := range l.Transactions {
		if t.Seq == seq {
			return t, nil
		}
	}
	var fl field.List
	fl.Add("Seq", seq, ErrNotFound, "no transaction with this seq")
	return loan.Transaction{}, fl.Err(ErrNotFound)
}

// Statement returns the statement data for the cycle [from, to)
// (loan.BuildStatement over the loan's whole log).
func (e *Engine) Statement(ctx context.Context, id LoanID, from, to date.Date) (loan.Statement, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return loan.Statement{}, err
	}
	return loan.BuildStatement(terms, evs, from, to)
}
