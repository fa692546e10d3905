package servicing_test

import (
	"context"
	"fmt"
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

func TestEndOfDayPortfolio(t *testing.T) {
	ctx := context.Background()
	mem := servicingtest.NewMemStore()
	e, err := servicing.New(servicing.Config{Store: mem, Now: new(clock).Now, Workers: 3})
	require.NoError(t, err)
	var ids []servicing.LoanID
	for i := range 20 {
		id := servicing.LoanID(fmt.Sprint("P", i))
		ids = append(ids, id)
		if i == 7 {
			continue // never boarded: its error is collected, the rest go on
		}
		board(t, e, id, mortgage())
	}
	rep, err := e.EndOfDayPortfolio(ctx, ids, d(2024, 3, 17))
	require.NoError(t, err)
	require.Len(t, rep.Outcomes, 20)
	failed := rep.Failed()
	require.Len(t, failed, 1)
	require.Equal(t, servicing.LoanID("P7"), failed[0].Loan)
	require.ErrorIs(t, failed[0].Err, servicing.ErrNotFound)
	for i, o := range rep.Outcomes {
		require.Equal(t, ids[i], o.Loan, "outcomes keep input order")
		if o.Err == nil {
			require.NotEmpty(t, o.Result.Domain, "March unpaid: late fee and status change")
		}
	}
	// Twice on the same date: no duplicate events.
	rep, err = e.EndOfDayPortfolio(ctx, ids, d(2024, 3, 17))
	require.NoError(t, err)
	for _, o := range rep.Outcomes {
		if o.Err == nil {
			require.True(t, o.Result.Replayed)
		}
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	rep, err = e.EndOfDayPortfolio(cancelled, ids, d(2024, 3, 18))
	require.ErrorIs(t, err, context.Canceled)
	require.Len(t, rep.Outcomes, 20)
	for _, o := range rep.Outcomes {
		require.Error(t, o.Err)
	}
}

// TestEndOfDayBeforeFunding: end of day has no check function; the funding
// date is checked inline, for one loan and for a portfolio, naming the field.
func TestEndOfDayBeforeFunding(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", mortgage()) // funded 2024-01-15
	_, err := e.EndOfDay(ctx, "L", d(2024, 1, 14), servicing.Meta{})
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Equal(t, []string{"EffectiveOn"}, field.Fields(err))
	rep, err := e.EndOfDayPortfolio(ctx, []servicing.LoanID{"L"}, d(2024, 1, 14))
	require.NoError(t, err)
	require.ErrorIs(t, rep.Outcomes[0].Err, servicing.ErrInvalidCommand)
	r, err := e.EndOfDay(ctx, "L", d(2024, 1, 15), servicing.Meta{})
	require.NoError(t, err)
	require.Len(t, r.Events, 1, "the funding date itself closes")
}
