package servicing_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/lendcore/servicing/workflow"
	"github.com/stretchr/testify/require"
)

// TestTasksFromEndOfDay: the unpaid test mortgage reaches day 36 of
// delinquency on 6 Apr 2024 (1 Mar + 36 days). The end of day that folds
// it reports the milestone; a rule on it queues the Reg X §1024.39(a)
// live-contact call, and a deadline rule queues the written notice once
// it is due within 5 days (day 45 is 15 Apr).
func TestTasksFromEndOfDay(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "W-1", mortgage())
	rules := []workflow.Rule{
		{Name: "live-contact", On: workflow.Trigger{Event: loan.DomainMilestone, DaysPastDue: 36}, Then: workflow.Action{Task: "call", Queue: "collections"}},
		{Name: "written-notice", On: workflow.Trigger{Deadline: "early_intervention_notice", DueWithinDays: 5}, Then: workflow.Action{Task: "letter", Queue: "mail"}},
	}
	r, err := e.EndOfDay(ctx, "W-1", d(2024, 4, 6), key("eod-0406"))
	require.NoError(t, err)
	tasks, err := e.Tasks(ctx, "W-1", d(2024, 4, 6), r.Domain, rules, loan.NoticeOptions{})
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	require.Equal(t, "live-contact", tasks[0].Rule)
	require.Equal(t, d(2024, 4, 6), tasks[0].On)

	r, err = e.EndOfDay(ctx, "W-1", d(2024, 4, 10), key("eod-0410"))
	require.NoError(t, err)
	tasks, err = e.Tasks(ctx, "W-1", d(2024, 4, 10), r.Domain, rules, loan.NoticeOptions{})
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	require.Equal(t, "written-notice", tasks[0].Rule)
	require.Equal(t, d(2024, 4, 15), tasks[0].Due)
}

// TestTasksOnBrokenPromise: a promise made 5 Apr 2024 to pay 1,199.10 by
// 12 Apr with nothing paid is broken at the end of 13 Apr (the day after
// the promised date); a rule on broken promises queues a follow-up that
// day and not the day before or after.
func TestTasksOnBrokenPromise(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "W-2", mortgage())
	_, err := e.RecordPromise(ctx, "W-2", d(2024, 4, 5), loan.PromiseMade{Amount: usd("1199.10"), On: d(2024, 4, 12)}, key("ptp"))
	require.NoError(t, err)
	rules := []workflow.Rule{{Name: "broken-ptp", On: workflow.Trigger{Collections: collections.Broken}, Then: workflow.Action{Task: "follow up", Queue: "collections"}}}
	for day, want := range map[int]int{12: 0, 13: 1, 14: 0} {
		tasks, err := e.Tasks(ctx, "W-2", d(2024, 4, day), nil, rules, loan.NoticeOptions{})
		require.NoError(t, err)
		require.Len(t, tasks, want, "day %d", day)
		if want == 1 {
			require.Equal(t, "broken-ptp|W-2|promise|2024-04-05|2024-04-12", tasks[0].Key())
		}
	}
}
