package servicing_test

import (
	"errors"
	"testing"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestStatusEventsTellTheStatusPath: in one fold from scratch to day T, the
// DomainStatusChanged events tell the status path the states show day by
// day. For every day d up to T, the To of the last status change dated on
// or before d (the status on the funding day before any) is the status of
// the log folded to d; each change starts from the status the one before
// it left (From); the last change of a day gives that day's days past due
// (closed loans excepted: DaysPastDue is 0 once charged off or paid off).
//
// The invariant is per fold. Domain events gathered across commands are
// not one path: a backdated command refolds history, and DomainDiff
// reports the earlier notifications it made stale as retractions.
//
// Nor is the fold to T's path the path of folds of the log's prefixes when
// the log holds reversals: a reversal is effective on its own date, but the
// payment it reverses is folded "as if it never came" (PaymentReversed),
// from the payment's date on. So the day-d state compared is the fold to d
// of the log as the fold to T knows it: without the payments reversed by
// T. Folding the raw log to each day fails where a later reversal removes a
// payment that kept the loan current. Seed 1 (the auto loan, ladder
// delinquent at 1 day): re-amortized on 2 Jan 2024 at 5 % over 53
// installments, payment 396.12; paid 1,800.00 on 2 Jan and 1,199.10 on 28
// Jan. With both, 2,999.10 pays installments 1 and 2 (due 1 Feb, 1 Mar) and
// the rest goes to principal: current on 2 Mar. The 1,800.00 is reversed
// on 17 Mar; without it the 1,199.10 pays installment 1 and 1,127.50 of
// principal (71.60 interest), the 396.12 due 1 Mar is unpaid, and the loan
// is 1 day past due, delinquent, on 2 Mar (Reg X §1024.31: from the day
// after the unpaid due date) — the fold to T reports that change, dated 2
// Mar, while the raw log folded to 2 Mar (the reversal not yet effective)
// is current.
//
// Within a day the events follow the fold, not only the day's end: the
// delinquent and default rungs are taken on the day DPD reaches them
// before that day's receipts (the fold's advance), so a loan paid the day
// after its due date reports delinquent (DPD 1) and current (cured) on
// that day, and each of two same-day receipts reports the rung it leaves.
// Only the last change of a day is the day's status, and a day with more
// than one change always carries a command.
func TestStatusEventsTellTheStatusPath(t *testing.T) {
	seeds := uint64(60)
	if testing.Short() {
		seeds = 20
	}
	folds, changes, sameDay, lookAhead := 0, 0, 0, 0
	reached := map[loan.ServicingStatus]bool{}
	for seed := range seeds {
		logs := []*log{randomLog(seed, 60), holdLog(seed, 60)}
		if seed < 20 {
			// Longer hold logs: replaced arrangements, plans broken
			// far from the next command (holdLog(1115, 120) is one).
			logs = append(logs, holdLog(1100+seed, 120))
		}
		for variant, l := range logs {
			end := l.events[len(l.events)-1].EffectiveOn + 60
			_, dom, err := loan.Fold(loan.Initial(l.terms), l.events, end)
			if errors.Is(err, loan.ErrInvariant) {
				continue
			}
			require.NoError(t, err, "seed %d", seed)
			folds++
			known := withoutReversed(l.events, end)
			commandOn := map[date.Date]bool{}
			for _, e := range known {
				commandOn[e.EffectiveOn] = true
			}
			var days []date.Date
			for day := l.terms.FundingDate; day <= end; day++ {
				days = append(days, day)
			}
			states, err := loan.ReplayDates(l.terms, known, days)
			require.NoError(t, err, "seed %d", seed)
			raw, err := loan.ReplayDates(l.terms, l.events, days)
			require.NoError(t, err, "seed %d", seed)
			told, i, prev := states[0].Status, 0, date.Date(0)
			differs := false
			for k, day := range days {
				var last *loan.DomainEvent
				for ; i < len(dom) && dom[i].On <= day; i++ {
					e := dom[i]
					if e.Type != loan.DomainStatusChanged {
						continue
					}
					require.GreaterOrEqual(t, e.On, prev, "seed %d: %+v out of date order", seed, e)
					prev = e.On
					require.Equal(t, told, e.From, "seed %d %s: %+v", seed, day, e)
					if last != nil {
						sameDay++
						require.True(t, commandOn[day], "seed %d %s: %+v replaced on a day without a command", seed, day, *last)
					}
					told, last = e.To, &dom[i]
					changes++
					reached[e.To] = true
				}
				s := states[k]
				require.Equal(t, s.Status, told, "seed %d %s: the events tell %s, the state is %s (dpd %d)", seed, day, told, s.Status, s.DaysPastDue())
				if last != nil || k%30 == 0 {
					// A fold of its own to the day, not only
					// ReplayDates' walk.
					own, err := loan.Replay(l.terms, known, day)
					require.NoError(t, err)
					require.Equal(t, s.Hash(), own.Hash(), "seed %d %s", seed, day)
				}
				if last != nil {
					if s.Status != loan.StatusChargedOff && s.Status != loan.StatusPaidOff {
						require.Equal(t, s.DaysPastDue(), last.DaysPastDue, "seed %d %s: %+v", seed, day, *last)
					}
				}
				differs = differs || raw[k].Status != told
			}
			if differs {
				lookAhead++
			}
			if seed == 1 && variant == 0 {
				// The worked case above, from the random log itself.
				s, err := loan.Replay(l.terms, known, d(2024, 3, 2))
				require.NoError(t, err)
				require.Equal(t, loan.StatusDelinquent, s.Status)
				require.Equal(t, "396.12", s.Payment.String())
				require.Equal(t, "17672.50", s.Principal.String())
				s, err = loan.Replay(l.terms, l.events, d(2024, 3, 2))
				require.NoError(t, err)
				require.Equal(t, loan.StatusCurrent, s.Status)
				require.True(t, differs)
			}
		}
	}
	t.Logf("%d folds, %d status changes (%d replaced the same day), %d logs whose raw prefixes differ through a later reversal; reached %v",
		folds, changes, sameDay, lookAhead, reached)
	require.Greater(t, folds, int(seeds))
	require.Greater(t, changes, 3*folds, "the logs move the loan's status")
	require.Greater(t, lookAhead, 0, "some logs reverse a payment that kept the loan current")
	for _, st := range []loan.ServicingStatus{loan.StatusDelinquent, loan.StatusDefault, loan.StatusNonAccrual, loan.StatusChargedOff, loan.StatusPaidOff, loan.StatusCurrent} {
		require.True(t, reached[st], "some log reaches %s", st)
	}
}

// withoutReversed is evs without the payments a reversal effective on or
// before end reverses: the log as a fold to end knows it.
func withoutReversed(evs []loan.Event, end date.Date) []loan.Event {
	reversed := map[int64]bool{}
	for _, e := range evs {
		if r, ok := e.Payload.(loan.PaymentReversed); ok && e.EffectiveOn <= end {
			reversed[r.PaymentSeq] = true
		}
	}
	out := make([]loan.Event, 0, len(evs))
	for _, e := range evs {
		if !reversed[e.Seq] {
			out = append(out, e)
		}
	}
	return out
}

// TestReplacedHoldBreaksOnItsDay: a status hold replaced by a later
// arrangement still dates the climb on the day the new plan breaks, when
// the fold runs from the replacing arrangement's day with nothing after it.
// The mortgage (1,199.10 due 1 Mar 2024, ladder delinquent at 1 day) is
// current on 1 Mar when arrangement A holds the status there (plan: 10 Apr).
// On 5 Mar, 4 days past due and held at current, arrangement B replaces A,
// holding at the rung A kept (current); its plan asks 600.00 on 12 Mar.
// Nothing comes: B is broken on 13 Mar (the day after the missed date,
// collections.HoldingUntil), 12 days past due, so the loan is delinquent
// from 13 Mar and its status change is dated then with DPD 12, not on the
// day the fold ends (25 Mar, DPD 24).
func TestReplacedHoldBreaksOnItsDay(t *testing.T) {
	l := newLog(holdMortgage())
	l.add(d(2024, 3, 1), loan.ArrangementMade{Payments: []collections.Planned{{On: d(2024, 4, 10), Amount: usd("1199.10")}}, HoldStatus: true})
	l.add(d(2024, 3, 5), loan.ArrangementMade{Payments: []collections.Planned{{On: d(2024, 3, 12), Amount: usd("600.00")},
		{On: d(2024, 4, 12), Amount: usd("600.00")}}, HoldStatus: true})
	require.Equal(t, loan.StatusCurrent, l.replay(t, d(2024, 3, 12)).Status)
	require.Equal(t, loan.StatusDelinquent, l.replay(t, d(2024, 3, 13)).Status)
	_, dom, err := loan.Fold(loan.Initial(l.terms), l.events, d(2024, 3, 25))
	require.NoError(t, err)
	var changes []loan.DomainEvent
	for _, e := range dom {
		if e.Type == loan.DomainStatusChanged {
			changes = append(changes, e)
		}
	}
	require.Equal(t, []loan.DomainEvent{{Type: loan.DomainStatusChanged, On: d(2024, 3, 13), From: loan.StatusCurrent,
		To: loan.StatusDelinquent, DaysPastDue: 12}}, changes)
}
