package servicing_test

import (
	"context"
	"testing"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/report"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// A portfolio report reproduced as it was known: L1 paid March; at the
// close (knownAt) April was unpaid and L2 not yet boarded, so on 20 May L1
// is 49 days past due (1 Apr) in 30-59. An April payment recorded later
// but effective 1 Apr moves L1 to 1-29 (May unpaid, 19 days) as known now,
// and L2 (boarded later, current) joins the portfolio; the snapshot as
// known at the close still gives the old report.
func TestSnapshotKnownAt(t *testing.T) {
	ctx := context.Background()
	c := new(clock)
	e, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: c.Now})
	require.NoError(t, err)
	board(t, e, "L1", mortgage())
	_, err = e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	closeTime := c.Now()
	board(t, e, "L2", mortgage())
	for i, on := range []struct{ m time.Month }{{3}, {4}, {5}} {
		_, err = e.PostPayment(ctx, "L2", d(2024, on.m, 1), usd("1199.10"), key(string(rune('a'+i))))
		require.NoError(t, err)
	}
	_, err = e.PostPayment(ctx, "L1", d(2024, 4, 1), usd("1199.10"), key("p2"))
	require.NoError(t, err)

	ids := []servicing.LoanID{"L1", "L2"}
	bucketOf := func(sn report.Snapshot) map[string]string {
		out := map[string]string{}
		for id, s := range sn.States {
			a, err := s.Delinquency()
			require.NoError(t, err)
			out[id] = a.Bucket.Name
		}
		return out
	}
	then, err := e.Snapshot(ctx, ids, d(2024, 5, 20), closeTime)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"L1": "30-59"}, bucketOf(then))
	now, err := e.Snapshot(ctx, ids, d(2024, 5, 20), time.Time{})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"L1": "1-29", "L2": "current"}, bucketOf(now))

	_, err = e.Snapshot(ctx, []servicing.LoanID{"L1", "nope"}, d(2024, 5, 20), closeTime)
	require.ErrorIs(t, err, servicing.ErrNotFound)

	// A series is the snapshots of its dates, each loan's log read once;
	// before funding a loan is not in the portfolio.
	dates := []date.Date{d(2024, 6, 30), d(2024, 1, 10), d(2024, 3, 31), d(2024, 5, 20)}
	for _, known := range []time.Time{closeTime, {}} {
		series, err := e.Series(ctx, ids, dates, known)
		require.NoError(t, err)
		for i, on := range dates {
			want, err := e.Snapshot(ctx, ids, on, known)
			require.NoError(t, err)
			require.Equal(t, on, series[i].On)
			require.Len(t, series[i].States, len(want.States), "%s", on)
			for id, s := range want.States {
				require.Equal(t, s.Hash(), series[i].States[id].Hash(), "%s %s", id, on)
			}
		}
		require.Empty(t, series[1].States, "10 Jan is before funding")
	}
}
