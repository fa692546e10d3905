package servicing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
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
