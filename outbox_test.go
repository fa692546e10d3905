package servicing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// The outbox holds exactly the domain events the commands returned, under
// ids naming the commit's version; a failed delivery leaves its records
// pending for the next drain (at least once), and an idempotent replay of a command adds
// nothing.
func TestOutboxFromCommands(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	tick := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	e, err := servicing.New(servicing.Config{Store: store, Now: func() time.Time { tick = tick.Add(time.Second); return tick }})
	require.NoError(t, err)
	req, err := loan.ParseBoarding([]byte(losPayload))
	require.NoError(t, err)
	_, err = e.Board(ctx, "MTG-1", req, keyEx("board"))
	require.NoError(t, err)
	var want []servicing.OutboxID
	for _, day := range []date.Date{date.New(2024, 3, 2), date.New(2024, 3, 17), date.New(2024, 3, 18)} {
		r, err := e.EndOfDay(ctx, "MTG-1", day, servicing.Meta{})
		require.NoError(t, err)
		for i := range r.Domain {
			want = append(want, servicing.OutboxID{Loan: "MTG-1", Version: r.Version, Index: i})
		}
		again, err := e.EndOfDay(ctx, "MTG-1", day, servicing.Meta{})
		require.NoError(t, err)
		require.Equal(t, r.Version, again.Version)
	}
	// 2 Mar: current → delinquent; 17 Mar: the late fee; 18 Mar: quiet.
	require.Equal(t, []servicing.OutboxID{{Loan: "MTG-1", Version: 2}, {Loan: "MTG-1", Version: 3}}, want)

	boom := errors.New("webhook down")
	n, err := servicing.DrainOutbox(ctx, store, 1, func(_ context.Context, recs []servicing.OutboxRecord) error {
		if recs[0].ID.Version == 3 {
			return boom
		}
		return nil
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, 1, n)
	var got []servicing.OutboxID
	n, err = servicing.DrainOutbox(ctx, store, 0, func(_ context.Context, recs []servicing.OutboxRecord) error {
		for _, r := range recs {
			got = append(got, r.ID)
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, want[1:], got, "the failed page comes again")
	r := servicing.OutboxRecord{ID: want[1], Position: 2, Event: loan.DomainEvent{Type: loan.DomainFeeAssessed, On: date.New(2024, 3, 17)}}
	require.Equal(t, "MTG-1/3/0 @2 fee_assessed 2024-03-17", r.String())
}
