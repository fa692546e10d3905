package collections_test

import (
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func usd(s string) money.Amount         { return money.MustParse(s, money.USD) }
func d(m time.Month, day int) date.Date { return date.New(2025, m, day) }
func rc(m time.Month, day int, a string) collections.Receipt {
	return collections.Receipt{On: d(m, day), Amount: usd(a)}
}

// TestJudge: a promise made 5 Apr to pay 500.00 by 12 Apr. Paid 200.00 on
// 8 Apr and 300.00 on 11 Apr: kept on 11 Apr. Paid only 200.00: broken
// on 13 Apr, 300.00 short; pending through the end of 12 Apr.
func TestJudge(t *testing.T) {
	p := collections.Promise{Made: d(4, 5), On: d(4, 12), Amount: usd("500.00")}
	j := collections.Judge(p, []collections.Receipt{rc(4, 11, "300.00"), rc(4, 8, "200.00"), rc(4, 1, "900.00")}, d(4, 30))
	require.Equal(t, collections.Kept, j.Outcome)
	require.Equal(t, d(4, 11), j.On)

	only := []collections.Receipt{rc(4, 8, "200.00"), rc(4, 13, "300.00")}
	require.Equal(t, collections.Pending, collections.Judge(p, only, d(4, 12)).Outcome)
	j = collections.Judge(p, only, d(4, 13))
	require.Equal(t, collections.Broken, j.Outcome)
	require.Equal(t, d(4, 13), j.On)
	require.True(t, usd("300.00").Equal(j.Short))
	require.NoError(t, p.Validate("Promise"))
	require.Equal(t, []string{"P.On", "P.Amount"}, field.Fields(collections.Promise{Made: d(4, 5), On: d(4, 1), Amount: usd("0.00")}.Validate("P")))
}

// TestJudgePlan: 300.00 on 10 May and 10 Jun, agreed 1 May. 350.00 on
// 9 May covers May and 50.00 of June; 250.00 on 10 Jun completes it:
// kept on 10 Jun. Without the June money it breaks on 11 Jun, 250.00
// short.
func TestJudgePlan(t *testing.T) {
	a := collections.Arrangement{Made: d(5, 1), Payments: []collections.Planned{{On: d(5, 10), Amount: usd("300.00")}, {On: d(6, 10), Amount: usd("300.00")}}}
	require.NoError(t, a.ValidatePlan("A", money.USD))
	full := []collections.Receipt{rc(5, 9, "350.00"), rc(6, 10, "250.00")}
	require.Equal(t, collections.Pending, collections.JudgePlan(a, full, d(6, 1)).Outcome)
	require.True(t, collections.Holding(a, full, d(6, 1)))
	j := collections.JudgePlan(a, full, d(6, 30))
	require.Equal(t, collections.Kept, j.Outcome)
	require.Equal(t, d(6, 10), j.On)
	require.False(t, collections.Holding(a, full, d(6, 30)), "over once its last date passed")

	j = collections.JudgePlan(a, full[:1], d(6, 11))
	require.Equal(t, collections.Broken, j.Outcome)
	require.Equal(t, d(6, 11), j.On)
	require.True(t, usd("250.00").Equal(j.Short))
	require.False(t, collections.Holding(a, full[:1], d(6, 11)))

	bad := collections.Arrangement{Made: d(5, 1), Payments: []collections.Planned{{On: d(4, 30), Amount: usd("1.00")}, {On: d(4, 30), Amount: money.MustParse("1.00", money.EUR)}}}
	err := bad.ValidatePlan("A", money.USD)
	require.True(t, errors.Is(err, collections.ErrInvalid))
	require.Equal(t, []string{"A.Payments[0].On", "A.Payments[1].On", "A.Payments[1].Amount"}, field.Fields(err))
}

// TestQueue: broken promises first, then by days past due, then by id; a
// pending promise, a holding arrangement, do-not-contact and a contact
// within the cadence keep a loan out.
func TestQueue(t *testing.T) {
	asOf := d(4, 22)
	broken := collections.Judgement{Outcome: collections.Broken, On: d(4, 21)}
	pending := collections.Judgement{Outcome: collections.Pending}
	cands := []collections.Candidate{
		{Loan: "B", DaysPastDue: 60},
		{Loan: "A", DaysPastDue: 60},
		{Loan: "C", DaysPastDue: 20, Promise: broken, HasPromise: true},
		{Loan: "D", DaysPastDue: 90, Promise: pending, HasPromise: true},
		{Loan: "E", DaysPastDue: 90, HoldingArrangement: true},
		{Loan: "F", DaysPastDue: 90, DoNotContact: true},
		{Loan: "G", DaysPastDue: 90, Contacted: true, LastContact: d(4, 20)},
		{Loan: "H", DaysPastDue: 0},
		{Loan: "I", DaysPastDue: 75, Contacted: true, LastContact: d(4, 19)},
	}
	q := collections.Queue(collections.QueuePolicy{ContactEveryDays: 3}, cands, asOf)
	var got []string
	for _, e := range q {
		got = append(got, e.Loan+":"+string(e.Reason))
	}
	require.Equal(t, []string{"C:broken_promise", "I:days_past_due", "A:days_past_due", "B:days_past_due"}, got)
}
