package servicing_test

import (
	"context"
	"fmt"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
)

// A relay drains the transactional outbox (a MemStore's here): the domain events end of day
// committed, read in order, delivered and acknowledged. MTG-1's first
// installment of 1,199.10 falls due on 1 Mar 2024 and is not paid: on 2 Mar
// it is 1 day past due (delinquent from 1 day); after the 15 days of grace
// (2–16 Mar) the 5% late fee, 1,199.10 × 0.05 = 59.955, rounded half away
// from zero to 59.96, is assessed on 17 Mar.
func ExampleDrainOutbox() {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	tick := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	e, err := servicing.New(servicing.Config{Store: store, Now: func() time.Time { tick = tick.Add(time.Second); return tick }})
	if err != nil {
		panic(err)
	}
	req, err := loan.ParseBoarding([]byte(losPayload))
	if err != nil {
		panic(err)
	}
	if _, err := e.Board(ctx, "MTG-1", req, keyEx("board")); err != nil {
		panic(err)
	}
	for _, day := range []date.Date{date.New(2024, 3, 2), date.New(2024, 3, 17)} {
		if _, err := e.EndOfDay(ctx, "MTG-1", day, servicing.Meta{}); err != nil {
			fmt.Println(err)
		}
	}
	n, err := servicing.DrainOutbox(ctx, store, 10, func(_ context.Context, recs []servicing.OutboxRecord) error {
		for _, r := range recs {
			d := r.Event
			fmt.Println(r.ID, d.On, d.Type, d.From, d.To, d.DaysPastDue, d.Amount.Format())
		}
		return nil
	})
	fmt.Println("delivered:", n, err)
	recs, _ := store.PendingOutbox(ctx, 100)
	fmt.Println("pending after draining:", len(recs))
	// Output:
	// MTG-1/2/0 2024-03-02 status_changed current delinquent 1 0
	// MTG-1/3/0 2024-03-17 fee_assessed   0 USD 59.96
	// delivered: 2 <nil>
	// pending after draining: 0
}
