package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// Portfolio end of day on the SQL stores (DayClosers): the quiet days of
// January (the first payment is due 1 February) write no event, one
// day_closes row each; running a closed day again is a no-op; 2 February,
// the day the unpaid installment makes the loans delinquent, writes each
// loan's marker with its status change. Every loan's state then equals the
// one an engine on a MemStore (a marker per loan-day) folds.
func TestDayCloseWritesNothingOnQuietDays(t *testing.T) {
	stores(t, func(t *testing.T, open func(*testing.T) *sqlstore.Store) {
		ctx := context.Background()
		st := open(t)
		mem := servicingtest.NewMemStore()
		clock := func() time.Time { return time.Date(2024, time.March, 1, 0, 0, 0, 0, time.UTC) }
		var engs [2]*servicing.Engine
		for i, s := range []servicing.Store{st, mem} {
			e, err := servicing.New(servicing.Config{Store: s, Now: clock, Workers: 2})
			require.NoError(t, err)
			engs[i] = e
		}
		ids := []servicing.LoanID{"DC-1", "DC-2", "DC-3"}
		for _, e := range engs {
			for _, id := range ids {
				_, err := e.Board(ctx, id, loan.BoardingRequest{Terms: autoTerms(), Borrower: "b"}, servicing.Meta{IdempotencyKey: "board"})
				require.NoError(t, err)
			}
		}
		jan2, feb2 := date.New(2024, time.January, 2), date.New(2024, time.February, 2)
		for on := jan2; on <= feb2; on++ {
			for i, e := range engs {
				rep, err := e.EndOfDayPortfolio(ctx, ids, on)
				require.NoError(t, err)
				for _, o := range rep.Outcomes {
					require.NoError(t, o.Err)
					if i == 0 && on < feb2 {
						require.Empty(t, o.Result.Events, "%s %s: a quiet day", o.Loan, on)
						require.Equal(t, int64(1), o.Result.Version)
					}
					if on == feb2 {
						require.Len(t, o.Result.Events, 1, "%s: the status change's day", o.Loan)
						require.Equal(t, loan.DomainStatusChanged, o.Result.Domain[0].Type)
					}
				}
			}
			if on == date.New(2024, time.January, 10) {
				// The same day again: recorded, so nothing runs.
				rep, err := engs[0].EndOfDayPortfolio(ctx, ids, on)
				require.NoError(t, err)
				for _, o := range rep.Outcomes {
					require.NoError(t, o.Err)
					require.True(t, o.Result.Replayed)
					require.Equal(t, int64(1), o.Result.Version)
				}
			}
		}
		var days, events int
		require.NoError(t, st.DB().QueryRowContext(ctx, `SELECT count(*) FROM day_closes`).Scan(&days))
		require.Equal(t, int(feb2-jan2)+1, days)
		require.NoError(t, st.DB().QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&events))
		require.Equal(t, 2*len(ids), events, "boarding and 2 February's marker per loan")
		for _, id := range ids {
			for _, on := range []date.Date{jan2 + 10, feb2 - 1, feb2, feb2 + 20} {
				var sts [2]loan.State
				for i, e := range engs {
					s, err := e.State(ctx, id, on)
					require.NoError(t, err)
					s.Version, s.LastDayClosed, s.Terms = 0, 0, loan.Terms{}
					sts[i] = s
				}
				require.Equal(t, sts[1], sts[0], fmt.Sprint(id, " on ", on))
			}
		}
	})
}
