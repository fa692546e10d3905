package servicing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// TestEndOfDayPortfolioMatchesOneByOne is the differential test of
// portfolio end of day's fast path (worker-owned buffers and batch records,
// events carved from shared blocks, metadata checked once, head states
// kept for every loan) against the readable path: EndOfDay called for one
// loan at a time on an engine keeping no head states, so every loan folds
// from its checkpoint. Both engines see the same payments (some loans pay
// on time, some late, some never: late fees, status changes and
// checkpoints happen on some days, most days are quiet), and every day's
// outcome, every stored log and every state must be equal, and equal to a
// full replay of the log. Each day is closed twice on the portfolio path:
// the second run writes nothing (idempotent) and returns the first run's
// results. Bad loan ids fail per loan with the errors EndOfDay gives.
func TestEndOfDayPortfolioMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return at } // both engines record the same times
	fastStore, slowStore := servicingtest.NewMemStore(), servicingtest.NewMemStore()
	fast, err := servicing.New(servicing.Config{Store: fastStore, Now: now, Workers: 3, CheckpointEvery: 5, HeadStates: 1000})
	require.NoError(t, err)
	slow, err := servicing.New(servicing.Config{Store: slowStore, Now: now, CheckpointEvery: 5, HeadStates: -1})
	require.NoError(t, err)

	kinds := []loan.Terms{mortgage(), autoLoan(), ladder(autoLoan(), delinquency.StatusPolicy{DelinquentDays: 1,
		DefaultDays: 30, NonAccrualDays: 45, ChargeOffDays: 100, ChargeOff: delinquency.ChargeOffAccelerate})}
	var ids []servicing.LoanID
	for i := range 24 {
		id := servicing.LoanID(fmt.Sprintf("D%02d", i))
		ids = append(ids, id)
		board(t, fast, id, kinds[i%len(kinds)])
		board(t, slow, id, kinds[i%len(kinds)])
	}
	// Bad ids: each fails alone, with EndOfDay's field errors.
	bad := []servicing.LoanID{"", servicing.LoanID(strings.Repeat("x", servicing.MaxText+1)), "\xff", "NEVER-BOARDED"}
	all := append(append([]servicing.LoanID{}, ids...), bad...)

	rng := rand.New(rand.NewPCG(18, 2))
	var quiet, eventful int // loan-days of each kind, so both paths are seen
	for day := d(2024, 2, 1); day <= d(2024, 6, 30); day++ {
		for i, id := range ids {
			// Loans 0-7 pay on the due date, 8-15 twenty days late, the
			// rest never; a few pay an extra amount on a random day.
			_, _, dom := day.Date()
			pay := i < 8 && dom == 1 || i >= 8 && i < 16 && dom == 21
			if pay || rng.IntN(40) == 0 {
				amt := "1199.10"
				if i%len(kinds) != 0 {
					amt = "467.84"
				}
				k := key(fmt.Sprintf("pay-%s-%s", id, day))
				rf, errF := fast.PostPayment(ctx, id, day, usd(amt), k)
				rs, errS := slow.PostPayment(ctx, id, day, usd(amt), k)
				require.Equal(t, errS, errF, "%s %s payment", id, day)
				require.Equal(t, rs, rf, "%s %s payment", id, day)
			}
		}
		rep, err := fast.EndOfDayPortfolio(ctx, all, day)
		require.NoError(t, err)
		require.Len(t, rep.Outcomes, len(all))
		for i, o := range rep.Outcomes {
			require.Equal(t, all[i], o.Loan)
			want, wantErr := slow.EndOfDay(ctx, all[i], day, servicing.Meta{Actor: "end-of-day"})
			if wantErr != nil {
				require.Error(t, o.Err, "%q %s", all[i], day)
				require.Equal(t, wantErr.Error(), o.Err.Error())
				require.Equal(t, field.Fields(wantErr), field.Fields(o.Err))
				continue
			}
			require.NoError(t, o.Err, "%q %s", all[i], day)
			require.Equal(t, want, o.Result, "%s %s", all[i], day)
			if len(want.Domain) == 0 {
				quiet++
			} else {
				eventful++
			}
		}
		// Closing the day again writes nothing and returns the first results.
		again, err := fast.EndOfDayPortfolio(ctx, ids, day)
		require.NoError(t, err)
		for i, o := range again.Outcomes {
			require.NoError(t, o.Err)
			first := rep.Outcomes[i].Result
			require.Equal(t, first.Version, o.Result.Version, "%s %s: run twice", ids[i], day)
			if len(first.Events) > 0 {
				require.True(t, o.Result.Replayed, "%s %s: run twice", ids[i], day)
				require.Equal(t, first.Events, o.Result.Events)
			}
		}
	}
	require.Greater(t, quiet, 10*eventful, "most days are quiet")
	require.Greater(t, eventful, 50, "late fees and status changes happen")
	end := d(2024, 6, 30)
	for _, id := range ids {
		evF, err := fastStore.Events(ctx, id, 1)
		require.NoError(t, err)
		evS, err := slowStore.Events(ctx, id, 1)
		require.NoError(t, err)
		require.Equal(t, evS, evF, "%s: logs", id)
		replayed, err := loan.Replay(evF[0].Payload.(loan.Boarded).Terms, evF, end)
		require.NoError(t, err)
		sF, err := fast.State(ctx, id, end)
		require.NoError(t, err)
		sS, err := slow.State(ctx, id, end)
		require.NoError(t, err)
		require.Equal(t, replayed.Hash(), sF.Hash(), "%s: state against a full replay", id)
		require.Equal(t, sS.Hash(), sF.Hash(), "%s: state", id)
	}
}

// TestEndOfDayPortfolioHintsSharedAndBounded runs portfolio end of day on
// an engine whose head states are far fewer than its loans (heads are
// evicted and their memory reused by other loans) over two portfolios of
// the same length closed concurrently, every fifth day in a new order, so a
// portfolio's remembered head for a position is often another loan's, or
// a head since reused (and on other days the loan's own). Every outcome must equal EndOfDay one loan at a
// time on an engine keeping no head states, and each final state a full
// replay of the log. Run with -race: hints are read while other workers
// write heads.
func TestEndOfDayPortfolioHintsSharedAndBounded(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	fastStore := servicingtest.NewMemStore()
	fast, err := servicing.New(servicing.Config{Store: fastStore, Now: now, Workers: 3, CheckpointEvery: 7, HeadStates: 48})
	require.NoError(t, err)
	slow, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: now, CheckpointEvery: 7, HeadStates: -1})
	require.NoError(t, err)
	kinds := []loan.Terms{mortgage(), autoLoan()}
	var ids []servicing.LoanID
	for i := range 192 { // three a head shard, four for each head state
		id := servicing.LoanID(fmt.Sprintf("H%03d", i))
		ids = append(ids, id)
		board(t, fast, id, kinds[i%2])
		board(t, slow, id, kinds[i%2])
	}
	rng := rand.New(rand.NewPCG(18, 3))
	for day := d(2024, 2, 1); day <= d(2024, 3, 20); day++ {
		for i, id := range ids {
			if _, _, dom := day.Date(); i%3 == 0 && dom == 1 || rng.IntN(30) == 0 {
				amt := map[bool]string{true: "1199.10", false: "467.84"}[i%2 == 0]
				k := key(fmt.Sprintf("pay-%s-%s", id, day))
				_, errF := fast.PostPayment(ctx, id, day, usd(amt), k)
				_, errS := slow.PostPayment(ctx, id, day, usd(amt), k)
				require.Equal(t, errS, errF)
			}
		}
		order := slices.Clone(ids)
		if day%5 == 0 { // other days keep the loans' positions: hints hit
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		parts := [2][]servicing.LoanID{order[:96], order[96:]}
		var reps [2]servicing.PortfolioReport
		var errs [2]error
		var wg sync.WaitGroup
		for p := range parts {
			wg.Go(func() { reps[p], errs[p] = fast.EndOfDayPortfolio(ctx, parts[p], day) })
		}
		wg.Wait()
		for p := range parts {
			require.NoError(t, errs[p])
			for _, o := range reps[p].Outcomes {
				require.NoError(t, o.Err, "%s %s", o.Loan, day)
				want, err := slow.EndOfDay(ctx, o.Loan, day, servicing.Meta{Actor: "end-of-day"})
				require.NoError(t, err)
				require.Equal(t, want, o.Result, "%s %s", o.Loan, day)
			}
		}
	}
	end := d(2024, 3, 20)
	for _, id := range ids {
		evs, err := fastStore.Events(ctx, id, 1)
		require.NoError(t, err)
		replayed, err := loan.Replay(evs[0].Payload.(loan.Boarded).Terms, evs, end)
		require.NoError(t, err)
		s, err := fast.State(ctx, id, end)
		require.NoError(t, err)
		require.Equal(t, replayed.Hash(), s.Hash(), "%s: state against a full replay", id)
	}
}
