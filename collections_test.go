package servicing_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

func queueIDs(q []collections.Entry) []string {
	out := []string{}
	for _, e := range q {
		out = append(out, e.Loan+":"+string(e.Reason))
	}
	return out
}

// TestPromiseKeptAndBroken: the test mortgage misses its 1 Mar 2024
// installment (1,199.10). On 5 Apr the borrower promises 1,199.10 by
// 12 Apr and pays it on 11 Apr: kept on 11 Apr. On 15 Apr a promise of
// the April installment by 20 Apr brings nothing: broken on 21 Apr, the
// whole 1,199.10 short. The queue puts the broken promise first, ahead of
// a loan further past due.
func TestPromiseKeptAndBroken(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "P-1", mortgage())
	board(t, e, "P-2", mortgage())
	_, err := e.RecordPromise(ctx, "P-1", d(2024, 4, 5), loan.PromiseMade{Amount: usd("1199.10"), On: d(2024, 4, 12), Channel: "phone"}, key("ptp-1"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "P-1", d(2024, 4, 11), usd("1199.10"), key("pay"))
	require.NoError(t, err)
	_, err = e.RecordPromise(ctx, "P-1", d(2024, 4, 15), loan.PromiseMade{Amount: usd("1199.10"), On: d(2024, 4, 20), Channel: "phone"}, key("ptp-2"))
	require.NoError(t, err)

	v, err := e.Collections(ctx, "P-1", d(2024, 4, 20))
	require.NoError(t, err)
	require.Len(t, v.Promises, 2)
	require.Equal(t, collections.Kept, v.Promises[0].Judgement.Outcome)
	require.Equal(t, d(2024, 4, 11), v.Promises[0].Judgement.On)
	require.Equal(t, collections.Pending, v.Promises[1].Judgement.Outcome)
	v, err = e.Collections(ctx, "P-1", d(2024, 4, 22))
	require.NoError(t, err)
	require.Equal(t, collections.Broken, v.Promises[1].Judgement.Outcome)
	require.Equal(t, d(2024, 4, 21), v.Promises[1].Judgement.On)
	moneytest.Equal(t, usd("1199.10"), v.Promises[1].Judgement.Short)

	q, err := e.CollectionsQueue(ctx, []servicing.LoanID{"P-2", "P-1"}, d(2024, 4, 22), collections.QueuePolicy{}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"P-1:broken_promise", "P-2:days_past_due"}, queueIDs(q))

	// A promise dated before it was made names the field; nothing written.
	_, err = e.RecordPromise(ctx, "P-1", d(2024, 4, 22), loan.PromiseMade{Amount: usd("0.00"), On: d(2024, 4, 1)}, key("ptp-bad"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
}

// TestArrangementOn60DPDLoan: the test mortgage pays nothing; on 30 Apr
// 2024 it is 60 days past due (1 Mar → 30 Apr: 31 + 29 days) with two
// late fees of 5 % × 1,199.10 = 59.955 → 59.96 each (17 Mar, 17 Apr). A
// plan agreed that day — 1,800.00 on 10 May and 1,800.00 on 10 Jun,
// holding late fees and contacts — is kept in May: the May late fee
// charged on 17 May (1 May + 15 days' grace + 1) is waived and the loan is
// out of the queue. Nothing comes on 10 Jun: the plan breaks on 11 Jun,
// the loan is back in the queue, and the June late fee (17 Jun) stands.
func TestArrangementOn60DPDLoan(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "A-1", mortgage())
	board(t, e, "A-2", mortgage())
	s, err := e.State(ctx, "A-1", d(2024, 4, 30))
	require.NoError(t, err)
	require.Equal(t, 60, s.DaysPastDue())
	moneytest.Equal(t, usd("119.92"), s.LateFees)

	plan := loan.ArrangementMade{Payments: []collections.Planned{{On: d(2024, 5, 10), Amount: usd("1800.00")}, {On: d(2024, 6, 10), Amount: usd("1800.00")}},
		HoldLateFees: true, HoldContacts: true}
	_, err = e.RecordArrangement(ctx, "A-1", d(2024, 4, 30), plan, key("plan"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "A-1", d(2024, 5, 10), usd("1800.00"), key("pay-may"))
	require.NoError(t, err)

	before, err := e.State(ctx, "A-1", d(2024, 5, 16))
	require.NoError(t, err)
	charged, err := e.State(ctx, "A-1", d(2024, 5, 17))
	require.NoError(t, err)
	moneytest.Equal(t, usd("59.96"), charged.LateFees.Sub(before.LateFees))
	r, err := e.WaiveHeldLateFees(ctx, "A-1", d(2024, 5, 17), key("hold-0517"))
	require.NoError(t, err)
	require.Len(t, r.Events, 1)
	moneytest.Equal(t, usd("59.96"), r.Events[0].Payload.(loan.FeeWaived).Amount)
	after, err := e.State(ctx, "A-1", d(2024, 5, 17))
	require.NoError(t, err)
	moneytest.Equal(t, before.LateFees, after.LateFees)

	q, err := e.CollectionsQueue(ctx, []servicing.LoanID{"A-1", "A-2"}, d(2024, 5, 20), collections.QueuePolicy{}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"A-2:days_past_due"}, queueIDs(q))

	v, err := e.Collections(ctx, "A-1", d(2024, 6, 11))
	require.NoError(t, err)
	require.Equal(t, collections.Broken, v.Plan.Outcome)
	require.Equal(t, d(2024, 6, 11), v.Plan.On)
	moneytest.Equal(t, usd("1800.00"), v.Plan.Short)
	q, err = e.CollectionsQueue(ctx, []servicing.LoanID{"A-1", "A-2"}, d(2024, 6, 12), collections.QueuePolicy{}, nil)
	require.NoError(t, err)
	require.Len(t, q, 2)
	r, err = e.WaiveHeldLateFees(ctx, "A-1", d(2024, 6, 17), key("hold-0617"))
	require.NoError(t, err)
	require.Empty(t, r.Events)
}
