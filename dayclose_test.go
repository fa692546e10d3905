package servicing_test

import (
	"context"
	"fmt"
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestDayCloserMatchesMarkers runs one portfolio history twice: on a
// MemStore, where every end of day writes a marker per loan, and on a
// DayClosingMemStore, where a quiet loan-day writes nothing and the day is
// recorded once (some days in two calls, as shards would). Every command's
// and every end of day's domain events must be the same, and so must each
// loan's state (but for the version and LastDayClosed, which count what was
// written) and payoff quote on the sampled dates. The borrowers pay on time,
// late (past the 15-day grace: late fees), half, never, with NSF returns,
// and prepay then pay off, on a 30/360 mortgage and a daily simple interest
// auto loan, so the quiet days fall between every kind of event.
func TestDayCloserMatchesMarkers(t *testing.T) {
	ctx := context.Background()
	marks, closing := servicingtest.NewMemStore(), servicingtest.NewDayClosingMemStore()
	engines := [2]*servicing.Engine{}
	for i, s := range []servicing.Store{marks, closing} {
		e, err := servicing.New(servicing.Config{Store: s, Now: new(clock).Now, CheckpointEvery: 8, Workers: 3})
		require.NoError(t, err)
		engines[i] = e
	}
	type borrower struct {
		id      servicing.LoanID
		terms   loan.Terms
		habit   int     // 0 on time, 1 late, 2 half, 3 never, 4 NSF every other, 5 prepay then pay off
		paid    []int64 // per engine, the seq of the last payment
		open    bool
		boarded bool
	}
	var bs []*borrower
	for i := range 12 {
		tm := mortgage()
		if i%2 == 1 {
			tm = autoLoan()
		}
		bs = append(bs, &borrower{id: servicing.LoanID(fmt.Sprint("DC", i)), terms: tm, habit: i / 2, paid: make([]int64, 2), open: true})
	}
	// Event seqs differ (the day-closing log has no markers): a reversal's
	// domain event names the payment by seq, compared as its number.
	type seqOf struct {
		id  servicing.LoanID
		seq int64
	}
	labels := [2]map[seqOf]int64{{}, {}}
	norm := func(i int, id servicing.LoanID, evs []loan.DomainEvent) []loan.DomainEvent {
		out := append([]loan.DomainEvent(nil), evs...)
		for j := range out {
			if n, ok := labels[i][seqOf{id, out[j].Ref}]; ok && out[j].Type == loan.DomainPaymentReversed {
				out[j].Ref = -n
			}
		}
		return out
	}
	// both runs cmd on each engine and requires the same outcome.
	both := func(id servicing.LoanID, what string, cmd func(e *servicing.Engine, i int) (servicing.Result, error)) [2]servicing.Result {
		var rs [2]servicing.Result
		var errs [2]error
		for i, e := range engines {
			rs[i], errs[i] = cmd(e, i)
		}
		require.Equal(t, errs[0] == nil, errs[1] == nil, "%s %s: %v / %v", id, what, errs[0], errs[1])
		require.NoError(t, errs[0], "%s %s", id, what)
		require.Equal(t, norm(0, id, rs[0].Domain), norm(1, id, rs[1].Domain), "%s %s", id, what)
		return rs
	}
	start, end := d(2024, 1, 1), d(2024, 10, 1)
	// The day-closing engine's end-of-day calls, to run again at the end.
	type closedCall struct {
		on    date.Date
		calls [][]servicing.LoanID
		first []servicing.PortfolioReport // the calls' reports
	}
	var closedCalls []closedCall
	for on := start; on < end; on++ {
		_, _, dom := on.Date()
		for _, b := range bs {
			if !b.open || on < b.terms.FundingDate {
				continue
			}
			if !b.boarded {
				both(b.id, "board", func(e *servicing.Engine, _ int) (servicing.Result, error) {
					return e.Board(ctx, b.id, loan.BoardingRequest{Terms: b.terms, Borrower: "B"}, key("board"))
				})
				b.boarded = true
				continue
			}
			pay := func(amount money.Amount, k string) {
				rs := both(b.id, k, func(e *servicing.Engine, _ int) (servicing.Result, error) {
					return e.PostPayment(ctx, b.id, on, amount, key(k))
				})
				for i := range rs {
					b.paid[i] = rs[i].Events[0].Seq
					labels[i][seqOf{b.id, b.paid[i]}] = int64(len(labels[i]) + 1)
				}
			}
			k := fmt.Sprint("pay:", on)
			due := on > b.terms.FirstDueDate-5 // from the month of the first due date
			switch {
			case b.habit == 0 && dom == 1 && due, b.habit == 4 && dom == 1 && due:
				pay(b.terms.Payment, k)
			case b.habit == 1 && dom == 21 && due:
				pay(b.terms.Payment, k)
			case b.habit == 2 && dom == 1 && due:
				pay(money.MustNew(b.terms.Payment.Minor()/2, money.USD), k)
			case b.habit == 4 && dom == 6 && due && on.Month()%2 == 0 && b.paid[0] != 0:
				both(b.id, "nsf", func(e *servicing.Engine, i int) (servicing.Result, error) {
					return e.ReversePayment(ctx, b.id, on, b.paid[i], usd("25.00"), key(fmt.Sprint("nsf:", on)))
				})
			case b.habit == 5 && dom == 1 && due:
				pay(b.terms.Payment, k)
			case b.habit == 5 && on == d(2024, 5, 10):
				pay(usd("5000.00"), k)
			case b.habit == 5 && on == d(2024, 8, 17):
				q, err := engines[0].PayoffQuote(ctx, b.id, on)
				require.NoError(t, err)
				pay(q.Total, k)
			}
		}
		var ids []servicing.LoanID
		for _, b := range bs {
			if b.boarded && b.open {
				ids = append(ids, b.id)
			}
		}
		reps := [2][]servicing.PortfolioReport{}
		for i, e := range engines {
			calls := [][]servicing.LoanID{ids}
			if i == 1 && on%3 == 0 && len(ids) > 1 {
				calls = [][]servicing.LoanID{ids[:len(ids)/2], ids[len(ids)/2:]} // shards
			}
			for _, c := range calls {
				rep, err := e.EndOfDayPortfolio(ctx, c, on)
				require.NoError(t, err)
				require.Empty(t, rep.Failed())
				reps[i] = append(reps[i], rep)
			}
			if i == 1 {
				closedCalls = append(closedCalls, closedCall{on, calls, reps[i]})
			}
		}
		var outs [2][]servicing.LoanOutcome
		for i := range reps {
			for _, r := range reps[i] {
				outs[i] = append(outs[i], r.Outcomes...)
			}
		}
		require.Len(t, outs[1], len(outs[0]))
		for j := range outs[0] {
			require.Equal(t, norm(0, outs[0][j].Loan, outs[0][j].Result.Domain), norm(1, outs[1][j].Loan, outs[1][j].Result.Domain), "end of day %s loan %s", on, outs[0][j].Loan)
			for _, ev := range outs[0][j].Result.Domain {
				if ev.Type == loan.DomainPaidOff {
					bs[indexOf(bs, outs[0][j].Loan, func(b *borrower) servicing.LoanID { return b.id })].open = false
				}
			}
		}
		if dom == 1 || dom == 15 || dom == 16 || (on+1).Day() == 1 {
			for _, b := range bs {
				if !b.boarded {
					continue
				}
				var sts [2]loan.State
				var qs [2]loan.Payoff
				for i, e := range engines {
					st, err := e.State(ctx, b.id, on)
					require.NoError(t, err)
					// The terms never change here; a zero amount in them
					// may read back from a checkpoint without its currency.
					st.Version, st.LastDayClosed, st.Terms = 0, 0, loan.Terms{}
					sts[i] = st
					if st.Status != loan.StatusPaidOff {
						qs[i], err = e.PayoffQuote(ctx, b.id, on)
						require.NoError(t, err)
					}
				}
				require.Equal(t, sts[0], sts[1], "state of %s on %s", b.id, on)
				require.Equal(t, qs[0], qs[1], "payoff of %s on %s", b.id, on)
			}
		}
	}
	// What was written: the markers' store holds an event per loan-day,
	// the day-closing store only the days that had something to report.
	var n [2]int
	for _, b := range bs {
		for i, s := range []servicing.Store{marks, closing} {
			evs, err := s.Events(ctx, b.id, 1)
			require.NoError(t, err)
			n[i] += len(evs)
		}
	}
	t.Logf("events written: %d with a marker per loan-day, %d with the day-close record", n[0], n[1])
	require.Less(t, n[1]*3, n[0], "quiet days wrote events")

	// A day already closed over the same loans runs nothing: no loan's
	// version moves, and every outcome is the first call's (a host that
	// runs a day again after a crash learns its domain events all the
	// same): a loan that wrote its day gets its first result, a quiet loan
	// its current version and no events.
	var ids []servicing.LoanID
	for _, b := range bs {
		ids = append(ids, b.id)
	}
	before := versions(t, closing, ids)
	// Every closed day again, those closed in one call and those in two.
	wrote := 0
	for _, c := range closedCalls {
		for j, call := range c.calls {
			rep, err := engines[1].EndOfDayPortfolio(ctx, call, c.on)
			require.NoError(t, err)
			require.Len(t, rep.Outcomes, len(call))
			for k, o := range rep.Outcomes {
				first := c.first[j].Outcomes[k].Result
				require.NoError(t, o.Err)
				require.True(t, o.Result.Replayed, "%s %s", c.on, o.Loan)
				require.Equal(t, first.Events, o.Result.Events, "%s %s", c.on, o.Loan)
				require.Equal(t, first.Domain, o.Result.Domain, "%s %s", c.on, o.Loan)
				if len(first.Events) == 0 {
					require.Equal(t, before[o.Loan], o.Result.Version, "%s %s", c.on, o.Loan)
				} else {
					require.Equal(t, first.Version, o.Result.Version, "%s %s", c.on, o.Loan)
					wrote++
				}
			}
		}
	}
	require.Positive(t, wrote, "no closed day wrote anything to replay")
	require.Equal(t, before, versions(t, closing, ids))
	// A closed day with a cancelled context: the call reports the
	// context's error.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	last := closedCalls[len(closedCalls)-1]
	_, err := engines[1].EndOfDayPortfolio(cancelled, last.calls[0], last.on)
	require.ErrorIs(t, err, context.Canceled)
	// An earlier day again over another set of loans runs them and writes
	// nothing either: their days are closed or quiet.
	rep, err := engines[1].EndOfDayPortfolio(ctx, ids[:3], end-40)
	require.NoError(t, err)
	require.Empty(t, rep.Failed())
	for _, o := range rep.Outcomes {
		require.Empty(t, o.Result.Events)
	}
	require.Equal(t, before, versions(t, closing, ids))
}

func versions(t *testing.T, s servicing.Store, ids []servicing.LoanID) map[servicing.LoanID]int64 {
	t.Helper()
	out := map[servicing.LoanID]int64{}
	for _, id := range ids {
		_, v, err := s.LoadCheckpoint(context.Background(), id, date.Max())
		require.NoError(t, err)
		out[id] = v
	}
	return out
}

func indexOf[T any](xs []T, id servicing.LoanID, f func(T) servicing.LoanID) int {
	for i, x := range xs {
		if f(x) == id {
			return i
		}
	}
	panic("no such loan")
}
