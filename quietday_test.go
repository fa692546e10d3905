package servicing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// FuzzQuietDaysMatchFold holds the engine's quiet-day answer (a portfolio
// end of day on a day-close store that its head knows reports nothing,
// answered without a fold) equal to folding every day. Two engines, each
// on its own DayClosingMemStore, one told to fold every day
// (servicing.FoldQuietDays), service the same portfolio of four random
// loans: random terms (payoffTerms), some on the status ladder, some with
// every notice_due kind, some with an arrangement that holds the ladder,
// and random payments, fees and ends of day (randomCommands), a third of
// them posted days late (backdated). Every day both close the portfolio;
// every outcome (version, events, domain events) and every command's must
// be the same, and so must each loan's state and payoff quote every 30
// days. The quiet path must answer at least half the quiet loan-days (or
// the test would prove nothing).
func FuzzQuietDaysMatchFold(f *testing.F) {
	for seed := range uint64(12) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		ctx := context.Background()
		r := rand.New(rand.NewPCG(seed, 0x9e7d))
		var engines [2]*servicing.Engine
		for i := range engines {
			// One fixed time: the folding engine reads the clock on days the
			// other does not, and the recording times must agree.
			now := func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }
			e, err := servicing.New(servicing.Config{Store: servicingtest.NewDayClosingMemStore(), Now: now, Workers: 2})
			require.NoError(t, err)
			engines[i] = e
		}
		servicing.FoldQuietDays(engines[0])
		type posting struct {
			cmd diffCommand
			at  date.Date // the day it is posted (on or after its date)
		}
		var ids []servicing.LoanID
		postings := map[servicing.LoanID][]posting{}
		funded := map[servicing.LoanID]date.Date{}
		start, end := date.Max(), date.Date(0)
		for i := range 4 {
			terms := payoffTerms(r)
			if r.IntN(3) == 0 {
				terms = ladder(terms, delinquency.StatusPolicy{DelinquentDays: 1, DefaultDays: 30, NonAccrualDays: 45 + r.IntN(40),
					ChargeOffDays: 120 + r.IntN(100), ChargeOff: delinquency.ChargeOffStopInterest})
			}
			if r.IntN(2) == 0 {
				terms.NoticeDue = loan.NoticeDueKinds
			}
			nt, err := terms.Normalized()
			if err != nil {
				continue
			}
			id := servicing.LoanID(fmt.Sprint("Q", i))
			for _, e := range engines {
				_, err := e.Board(ctx, id, loan.BoardingRequest{Terms: nt, Borrower: "B"}, key("board"))
				require.NoError(t, err, "seed %d board %s", seed, id)
			}
			ids = append(ids, id)
			funded[id] = nt.FundingDate
			cmds := randomCommands(r, nt, 6)
			if r.IntN(2) == 0 {
				on := nt.FirstDueDate + date.Date(20+r.IntN(40))
				plan := randomPlan(r, on)
				cmds = append(cmds, diffCommand{on, func(e *servicing.Engine, id servicing.LoanID, on date.Date, m servicing.Meta) (servicing.Result, error) {
					return e.RecordArrangement(ctx, id, on, plan, m)
				}})
			}
			for _, c := range cmds {
				c.on = max(c.on, nt.FundingDate+1)
				at := c.on
				if r.IntN(3) == 0 {
					at += date.Date(1 + r.IntN(20))
				}
				postings[id] = append(postings[id], posting{c, at})
				start, end = min(start, nt.FundingDate+1), max(end, at+45)
			}
		}
		var answered atomic.Int64
		servicing.CountQuietDays(engines[1], &answered)
		quiet, loanDays := 0, 0
		for on := start; on <= end; on++ {
			for _, id := range ids {
				for j, p := range postings[id] {
					if p.at != on {
						continue
					}
					var rs [2]servicing.Result
					var errs [2]error
					for i, e := range engines {
						rs[i], errs[i] = p.cmd.run(e, id, p.cmd.on, key(fmt.Sprint("c", j)))
					}
					require.Equal(t, errs[0] == nil, errs[1] == nil, "seed %d %s command %d on %s: %v / %v", seed, id, j, p.cmd.on, errs[0], errs[1])
					require.Equal(t, rs[0], rs[1], "seed %d %s command %d on %s", seed, id, j, p.cmd.on)
				}
			}
			var reps [2]servicing.PortfolioReport
			for i, e := range engines {
				var err error
				reps[i], err = e.EndOfDayPortfolio(ctx, ids, on)
				require.NoError(t, err)
			}
			require.Equal(t, len(reps[0].Outcomes), len(reps[1].Outcomes))
			for j := range reps[0].Outcomes {
				a, b := reps[0].Outcomes[j], reps[1].Outcomes[j]
				require.Equal(t, a.Err == nil, b.Err == nil, "seed %d %s end of day %s: %v / %v", seed, a.Loan, on, a.Err, b.Err)
				require.Equal(t, a.Result, b.Result, "seed %d %s end of day %s", seed, a.Loan, on)
				if a.Err == nil {
					loanDays++
					if len(a.Result.Domain) == 0 {
						quiet++
					}
				}
			}
			if (on-start)%30 != 0 {
				continue
			}
			for _, id := range ids {
				if on < funded[id] {
					continue
				}
				var sts [2]loan.State
				var qs [2]loan.Payoff
				var qerrs [2]error
				for i, e := range engines {
					st, err := e.State(ctx, id, on)
					require.NoError(t, err)
					sts[i] = st
					qs[i], qerrs[i] = e.PayoffQuote(ctx, id, on)
				}
				require.Equal(t, sts[0], sts[1], "seed %d state of %s on %s", seed, id, on)
				require.Equal(t, qerrs[0] == nil, qerrs[1] == nil, "seed %d payoff of %s on %s", seed, id, on)
				require.Equal(t, qs[0], qs[1], "seed %d payoff of %s on %s", seed, id, on)
			}
		}
		require.Greater(t, quiet, loanDays/2, "seed %d: too few quiet loan-days", seed)
		require.Greater(t, answered.Load(), int64(quiet/2), "seed %d: the quiet path answered too few of %d quiet loan-days", seed, quiet)
		t.Logf("seed %d: %d loan-days, %d quiet, %d answered without a fold", seed, loanDays, quiet, answered.Load())
	})
}
