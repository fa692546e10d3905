package workflow_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/workflow"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

var rulesJSON = `[
 {"name": "live-contact", "on": {"event": "milestone_reached", "days_past_due": 36},
  "when": {"statuses": ["delinquent"]}, "then": {"task": "call borrower", "queue": "collections"}},
 {"name": "payoff-soon", "on": {"deadline": "payoff_statement", "due_within_days": 2},
  "then": {"task": "send payoff statement", "queue": "letters"}},
 {"name": "early-stage-only", "on": {"event": "fee_assessed"}, "when": {"max_days_past_due": 29},
  "then": {"command": "waive_fee"}}
]`

func TestEvaluate(t *testing.T) {
	var rules []workflow.Rule
	require.NoError(t, json.Unmarshal([]byte(rulesJSON), &rules))
	require.NoError(t, workflow.Validate(rules))
	day := date.New(2024, time.April, 6)
	payoff := notice.Payoff(date.New(2024, time.April, 5), schedule.USFederalReserve()) // due 16 Apr
	f := workflow.Facts{Loan: "L1", Day: day, Status: loan.StatusDelinquent, DaysPastDue: 36,
		Domain: []loan.DomainEvent{
			{Type: loan.DomainMilestone, On: day, DaysPastDue: 30},
			{Type: loan.DomainMilestone, On: day, DaysPastDue: 36},
			{Type: loan.DomainFeeAssessed, On: day},
		},
		Notices: []notice.Notice{payoff}}
	tasks := workflow.Evaluate(rules, f)
	require.Len(t, tasks, 1, "the payoff is due in 10 days, the fee came at 36 DPD")
	require.Equal(t, "live-contact", tasks[0].Rule)
	require.Equal(t, "collections", tasks[0].Action.Queue)

	f.Day, f.Domain = date.New(2024, time.April, 14), nil
	tasks = workflow.Evaluate(rules, f)
	require.Len(t, tasks, 1)
	require.Equal(t, "payoff-soon", tasks[0].Rule)
	require.Equal(t, payoff.Due, tasks[0].Due)
	require.Equal(t, "payoff-soon|L1|"+payoff.Key(), tasks[0].Key())
	payoff.Sent = true
	f.Notices = []notice.Notice{payoff}
	require.Empty(t, workflow.Evaluate(rules, f))
}

func TestValidate(t *testing.T) {
	err := workflow.Validate([]workflow.Rule{
		{Name: "a", On: workflow.Trigger{Event: loan.DomainMilestone, Deadline: notice.KindPayoffStatement}},
		{Name: "a", On: workflow.Trigger{Deadline: "fax"}, When: workflow.Condition{MinDaysPastDue: 10, MaxDaysPastDue: 5}, Then: workflow.Action{Task: "x"}},
	})
	require.True(t, errors.Is(err, workflow.ErrInvalidRule))
	require.Equal(t, []string{"Rules[0].On", "Rules[0].Then", "Rules[1].Name", "Rules[1].On.Deadline", "Rules[1].When"}, field.Fields(err))
	err = workflow.Validate([]workflow.Rule{{Name: "c", On: workflow.Trigger{Collections: "pending"}, Then: workflow.Action{Task: "x"}}})
	require.Equal(t, []string{"Rules[0].On.Collections"}, field.Fields(err))
}
