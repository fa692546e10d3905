package workflow_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/workflow"
	"github.com/rickb777/date/v2"
)

// A rule that queues a call when delinquency reaches day 36 (Reg X
// §1024.39(a)), evaluated on an end of day's domain events.
func ExampleEvaluate() {
	rules := []workflow.Rule{{Name: "live-contact", On: workflow.Trigger{Event: loan.DomainMilestone, DaysPastDue: 36},
		Then: workflow.Action{Task: "call borrower", Queue: "collections"}}}
	day := date.New(2025, time.February, 6)
	tasks := workflow.Evaluate(rules, workflow.Facts{Loan: "L1", Day: day, Status: loan.StatusDelinquent, DaysPastDue: 36,
		Domain: []loan.DomainEvent{{Type: loan.DomainMilestone, On: day, DaysPastDue: 36}}})
	for _, t := range tasks {
		fmt.Println(t.Rule, t.Loan, t.Action.Task, t.Action.Queue, t.On)
	}
	// Output:
	// live-contact L1 call borrower collections 2025-02-06
}
