package servicing_test

import (
	"context"
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// TestChargeOffBehaviours charges the Federal Reserve auto loan (18,800.00
// at 9 %, ACT/365, daily simple interest from 2024-01-01, first due
// 2024-02-01) off on 2024-01-31 under each delinquency.StatusPolicy
// behaviour, records a recovery of 1,000.00 on 2024-03-01 and reads the
// balance on 2024-03-31. By hand:
//
//	charge-off: interest 01-01 → 01-31, 30 days: 18,800 × 0.09 × 30/365
//	  = 50,760/365 = 139.068… → 139.07; charged off 18,939.07, of which
//	  principal 18,800.00.
//	regular (interest keeps accruing on the charged-off principal):
//	  01-31 → 03-01 is 30 days (February 2024 has 29): +139.07 → 19,078.14;
//	  the recovery covers the 278.14 of interest first, then 721.86 of
//	  principal: 18,078.14 left, principal 18,078.14; on 03-31 (30 days)
//	  18,078.14 × 0.09 × 30/365 = 48,810.978/365 = 133.728… → 133.73:
//	  18,211.87.
//	stop interest: nothing accrues: 18,939.07 − 1,000 = 17,939.07 on
//	  03-01 and 03-31; principal part 18,800 − 860.93 = 17,939.07
//	  (the 139.07 of interest first).
//	accelerate maturity: the same balance as stop interest, all of it due
//	  on 01-31: 30 days past due on 03-01, 60 on 03-31, and the statement's
//	  past-due amount is the whole balance.
func TestChargeOffBehaviours(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		behaviour                delinquency.ChargeOffBehavior
		ladder                   bool
		afterRecovery, principal string
		on0331                   string
		dpd0301, dpd0331         int
	}{
		{delinquency.ChargeOffRegular, false, "18078.14", "18078.14", "18211.87", 0, 0},
		{delinquency.ChargeOffRegular, true, "18078.14", "18078.14", "18211.87", 0, 0},
		{delinquency.ChargeOffStopInterest, true, "17939.07", "17939.07", "17939.07", 0, 0},
		{delinquency.ChargeOffAccelerate, true, "17939.07", "17939.07", "17939.07", 30, 60},
	}
	for _, tt := range tests {
		t.Run(string(tt.behaviour), func(t *testing.T) {
			e := newEngine(t, servicingtest.NewMemStore())
			terms := autoLoan()
			if tt.ladder {
				terms = ladder(terms, delinquency.StatusPolicy{DelinquentDays: 30, DefaultDays: 60,
					NonAccrualDays: 90, ChargeOffDays: 120, ChargeOff: tt.behaviour})
			}
			board(t, e, "L", terms)
			r, err := e.ChargeOff(ctx, "L", d(2024, 1, 31), key("co"))
			require.NoError(t, err)
			var co loan.DomainEvent
			for _, de := range r.Domain {
				if de.Type == loan.DomainChargedOff {
					co = de
				}
			}
			moneytest.Equal(t, usd("18939.07"), co.Amount)
			s, err := e.State(ctx, "L", d(2024, 1, 31))
			require.NoError(t, err)
			require.Equal(t, tt.behaviour, s.ChargeOff)
			moneytest.Equal(t, usd("18800.00"), s.ChargedOffPrincipal)

			_, err = e.Recover(ctx, "L", d(2024, 3, 1), usd("1000.00"), key("rec"))
			require.NoError(t, err)
			s, err = e.State(ctx, "L", d(2024, 3, 1))
			require.NoError(t, err)
			moneytest.Equal(t, usd(tt.afterRecovery), s.ChargedOff)
			moneytest.Equal(t, usd(tt.principal), s.ChargedOffPrincipal)
			moneytest.Equal(t, usd("1000.00"), s.Recovered)
			require.Equal(t, tt.dpd0301, s.DaysPastDue())

			s, err = e.State(ctx, "L", d(2024, 3, 31))
			require.NoError(t, err)
			bal, err := s.ChargedOffBalance(d(2024, 3, 31))
			require.NoError(t, err)
			moneytest.Equal(t, usd(tt.on0331), bal)
			require.Equal(t, tt.dpd0331, s.DaysPastDue())

			st, err := e.Statement(ctx, "L", d(2024, 3, 1), d(2024, 4, 1))
			require.NoError(t, err)
			if tt.behaviour == delinquency.ChargeOffAccelerate {
				moneytest.Equal(t, usd("17939.07"), st.PastDue)
			} else {
				moneytest.Equal(t, usd("0.00"), st.PastDue)
			}

			// End of day after charge-off reports no milestones.
			res, err := e.EndOfDay(ctx, "L", d(2024, 4, 1), servicing.Meta{})
			require.NoError(t, err)
			require.Empty(t, res.Domain)
		})
	}
}

// TestChargeOffWithChoosesBehaviour: the behaviour chosen per command wins
// over the terms' (a ladder whose policy says regular, or no ladder); the
// figures are TestChargeOffBehaviours' hand calculation (charged off
// 18,939.07 on 01-31, 1,000.00 recovered on 03-01, balance on 03-31).
func TestChargeOffWithChoosesBehaviour(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		behaviour delinquency.ChargeOffBehavior
		ladder    bool
		on0331    string
		dpd0331   int
	}{
		{delinquency.ChargeOffStopInterest, false, "17939.07", 0},
		{delinquency.ChargeOffStopInterest, true, "17939.07", 0},
		{delinquency.ChargeOffAccelerate, false, "17939.07", 60},
		{delinquency.ChargeOffAccelerate, true, "17939.07", 60},
		{delinquency.ChargeOffRegular, true, "18211.87", 0},
		{"", true, "18211.87", 0}, // empty: the ladder's (regular)
	}
	for _, tt := range tests {
		t.Run(string(tt.behaviour), func(t *testing.T) {
			store := servicingtest.NewMemStore()
			e := newEngine(t, store)
			terms := autoLoan()
			if tt.ladder {
				terms = ladder(terms, delinquency.StatusPolicy{DelinquentDays: 30, DefaultDays: 60,
					NonAccrualDays: 90, ChargeOffDays: 120, ChargeOff: delinquency.ChargeOffRegular})
			}
			board(t, e, "L", terms)
			_, err := e.ChargeOffWith(ctx, "L", d(2024, 1, 31), servicing.ChargeOffOptions{Behavior: tt.behaviour}, key("co"))
			require.NoError(t, err)
			_, err = e.Recover(ctx, "L", d(2024, 3, 1), usd("1000.00"), key("rec"))
			require.NoError(t, err)
			s := requireMatchesReplay(t, store, "L", d(2024, 3, 31))
			want := tt.behaviour
			if want == "" {
				want = delinquency.ChargeOffRegular
			}
			require.Equal(t, want, s.ChargeOff)
			bal, err := s.ChargedOffBalance(d(2024, 3, 31))
			require.NoError(t, err)
			moneytest.Equal(t, usd(tt.on0331), bal)
			require.Equal(t, tt.dpd0331, s.DaysPastDue())
		})
	}
}

// TestChargeOffWithRejects: an unknown behaviour names the field, and the
// same idempotency key with another behaviour is a different command.
func TestChargeOffWithRejects(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", autoLoan())
	_, err := e.ChargeOffWith(ctx, "L", d(2024, 1, 31), servicing.ChargeOffOptions{Behavior: "forgive"}, key("bad"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.ErrorContains(t, err, "Behavior")

	_, err = e.ChargeOffWith(ctx, "L", d(2024, 1, 31), servicing.ChargeOffOptions{Behavior: delinquency.ChargeOffStopInterest}, key("co"))
	require.NoError(t, err)
	_, err = e.ChargeOffWith(ctx, "L", d(2024, 1, 31), servicing.ChargeOffOptions{Behavior: delinquency.ChargeOffStopInterest}, key("co"))
	require.NoError(t, err, "same key, same payload: the first result")
	_, err = e.ChargeOffWith(ctx, "L", d(2024, 1, 31), servicing.ChargeOffOptions{Behavior: delinquency.ChargeOffRegular}, key("co"))
	require.Error(t, err, "same key, another behaviour")
}
