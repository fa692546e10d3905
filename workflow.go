package servicing

import (
	"context"
	"fmt"
	"time"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/workflow"
	"github.com/rickb777/date/v2"
)

// Tasks evaluates workflow rules on the loan at the end of day: the
// domain events given (a command's or end of day's Result.Domain), the
// promises and arrangement kept or broken that day, and the loan's notice
// calendar on day (o chooses it, as for Notices), with its
// status and days past due as conditions. It writes nothing; the host
// queues the tasks (deduplicated by workflow.Task.Key) or applies the
// commands they name. Errors: workflow.ErrInvalidRule naming every bad
// field, ErrNotFound, store errors.
func (e *Engine) Tasks(ctx context.Context, id LoanID, day date.Date, domain []loan.DomainEvent, rules []workflow.Rule, o loan.NoticeOptions) ([]workflow.Task, error) {
	if err := workflow.Validate(rules); err != nil {
		return nil, fmt.Errorf("tasks loan %q: %w", id, err)
	}
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return nil, err
	}
	s, err := loan.Replay(terms, evs, day)
	if err != nil {
		return nil, fmt.Errorf("tasks loan %q: %w", id, err)
	}
	ns, err := s.Notices(evs, o)
	if err != nil {
		return nil, fmt.Errorf("tasks loan %q: %w", id, err)
	}
	c := loan.CollectionsOf(evs, day)
	var outs []workflow.NamedJudgement
	for _, p := range c.Promises {
		outs = append(outs, workflow.NamedJudgement{Judgement: p.Judgement, Cause: "promise|" + p.Made.String() + "|" + p.On.String()})
	}
	if c.HasArrangement {
		outs = append(outs, workflow.NamedJudgement{Judgement: c.Plan, Cause: "arrangement|" + c.Arrangement.Made.String()})
	}
	return workflow.Evaluate(rules, workflow.Facts{Loan: string(id), Day: day, Status: s.Status, DaysPastDue: s.DaysPastDue(),
		Domain: domain, Notices: ns, Outcomes: outs}), nil
}
