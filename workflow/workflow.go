package workflow

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/rickb777/date/v2"
)

// ErrInvalidRule is wrapped by Validate's errors.
var ErrInvalidRule = errors.New("workflow: invalid rule")

// MaxRules bounds a rule set.
const MaxRules = 1000

// Trigger is what makes a rule fire: a domain event, a deadline of the
// notice calendar coming within DueWithinDays days and still unsent, or a
// promise or arrangement kept or broken that day. Exactly one of Event,
// Deadline and Collections is set.
type Trigger struct {
	// Event is a domain event type (loan.DomainMilestone,
	// loan.DomainStatusChanged, loan.DomainNoticeDue, ...).
	Event loan.DomainEventType `json:"event,omitempty"`
	// DaysPastDue, with a milestone event, fires only at that milestone
	// (36: the Reg X live-contact day); 0 is any.
	DaysPastDue int `json:"days_past_due,omitempty"`
	// Deadline fires for an unsent notice of this kind of the calendar.
	Deadline notice.Kind `json:"deadline,omitempty"`
	// Notice, with a notice_due event, fires only for that kind.
	Notice notice.Kind `json:"notice,omitempty"`
	// DueWithinDays fires a deadline trigger once the notice is due
	// within this many days (0: on its due date; overdue ones fire too).
	DueWithinDays int `json:"due_within_days,omitempty"`
	// Collections fires on the day a promise to pay or an arrangement
	// reached this outcome (kept or broken).
	Collections collections.Outcome `json:"collections,omitempty"`
}

// Condition narrows when a rule applies; zero fields do not narrow.
type Condition struct {
	// Statuses the loan must be in (empty: any).
	Statuses []loan.ServicingStatus `json:"statuses,omitempty"`
	// MinDaysPastDue and MaxDaysPastDue bound the loan's days past due
	// (MaxDaysPastDue 0: no bound).
	MinDaysPastDue int `json:"min_days_past_due,omitempty"`
	MaxDaysPastDue int `json:"max_days_past_due,omitempty"`
}

// Action is what a rule asks: a task for a queue, or the name of a
// command the host applies (the engine's method the host maps it to).
// At least one of Task and Command is set.
type Action struct {
	Task    string `json:"task,omitempty"`
	Queue   string `json:"queue,omitempty"`
	Command string `json:"command,omitempty"`
}

// Rule is one workflow rule.
type Rule struct {
	// Name identifies the rule; required, unique in its set.
	Name string    `json:"name"`
	On   Trigger   `json:"on"`
	When Condition `json:"when"`
	Then Action    `json:"then"`
}

// Facts are what a loan presents on Day.
type Facts struct {
	Loan        string
	Day         date.Date
	Status      loan.ServicingStatus
	DaysPastDue int
	// Domain are the domain events to react to (a command's or end of
	// day's Result.Domain); retracted ones are skipped.
	Domain []loan.DomainEvent
	// Notices is the loan's notice calendar on Day.
	Notices []notice.Notice
	// Outcomes are the loan's promises and arrangement as judged at the
	// end of Day (collections.Judge, JudgePlan), each with a cause naming
	// it.
	Outcomes []NamedJudgement
}

// NamedJudgement is the judgement of a promise to pay or of an arrangement
// (the collections outcome it reached), with the cause naming which one.
type NamedJudgement struct {
	collections.Judgement
	// Cause names the promise or arrangement (its event's Seq, say).
	Cause string
}

// Outcome is the former name of [NamedJudgement]: an outcome is where a
// promise stands (collections.Outcome), which a NamedJudgement holds.
//
// Deprecated: use NamedJudgement.
type Outcome = NamedJudgement

// Task is one piece of work a rule produced.
type Task struct {
	Rule   string    `json:"rule"`
	Loan   string    `json:"loan"`
	Action Action    `json:"action"`
	On     date.Date `json:"on"`
	// Due is the deadline behind it (a notice's due date, a domain event's
	// By), zero when none.
	Due date.Date `json:"due,omitzero"`
	// Cause names what fired it: the domain event's or the notice's key.
	Cause string `json:"cause"`
}

// Key identifies the task: rule, loan and cause.
func (t Task) Key() string { return t.Rule + "|" + t.Loan + "|" + t.Cause }

// Validate returns an error wrapping ErrInvalidRule naming every bad
// field of rules.
func Validate(rules []Rule) error {
	var l field.List
	if len(rules) > MaxRules {
		l.Add("Rules", len(rules), field.ErrOutOfRange, "at most "+strconv.Itoa(MaxRules))
		return l.Err(ErrInvalidRule)
	}
	seen := map[string]bool{}
	for i, r := range rules {
		p := fmt.Sprintf("Rules[%d]", i)
		switch {
		case r.Name == "":
			l.Add(p+".Name", nil, field.ErrRequired, "")
		case seen[r.Name]:
			l.Add(p+".Name", r.Name, field.ErrInvalid, "duplicate")
		}
		seen[r.Name] = true
		set := 0
		for _, v := range []string{string(r.On.Event), string(r.On.Deadline), string(r.On.Collections)} {
			if v != "" {
				set++
			}
		}
		if set != 1 {
			l.Add(p+".On", nil, field.ErrInvalid, "exactly one of Event, Deadline and Collections")
		}
		if c := r.On.Collections; c != "" && c != collections.Kept && c != collections.Broken {
			l.Add(p+".On.Collections", string(c), field.ErrNotSupported, "kept or broken")
		}
		if r.On.Deadline != "" && !slices.Contains(notice.Kinds, r.On.Deadline) {
			l.Add(p+".On.Deadline", string(r.On.Deadline), field.ErrNotSupported, "")
		}
		if r.On.Notice != "" && !slices.Contains(notice.Kinds, r.On.Notice) {
			l.Add(p+".On.Notice", string(r.On.Notice), field.ErrNotSupported, "")
		}
		if r.On.DaysPastDue < 0 || r.On.DueWithinDays < 0 || r.On.DueWithinDays > 3650 {
			l.Add(p+".On", nil, field.ErrOutOfRange, "day counts 0 to 3650")
		}
		if r.When.MinDaysPastDue < 0 || r.When.MaxDaysPastDue < 0 || r.When.MaxDaysPastDue > 0 && r.When.MaxDaysPastDue < r.When.MinDaysPastDue {
			l.Add(p+".When", nil, field.ErrOutOfRange, "0 ≤ MinDaysPastDue ≤ MaxDaysPastDue")
		}
		if r.Then.Task == "" && r.Then.Command == "" {
			l.Add(p+".Then", nil, field.ErrRequired, "a task or a command")
		}
	}
	return l.Err(ErrInvalidRule)
}

// Evaluate returns the tasks rules produce from f, in rule order, then
// fact order. Rules are assumed valid ([Validate]).
func Evaluate(rules []Rule, f Facts) []Task {
	out := []Task{}
	for _, r := range rules {
		if !r.When.holds(f) {
			continue
		}
		task := func(due date.Date, cause string) Task {
			return Task{Rule: r.Name, Loan: f.Loan, Action: r.Then, On: f.Day, Due: due, Cause: cause}
		}
		if r.On.Event != "" {
			for _, e := range f.Domain {
				if e.Retracted || e.Type != r.On.Event || r.On.DaysPastDue != 0 && e.DaysPastDue != r.On.DaysPastDue ||
					r.On.Notice != "" && e.Notice != r.On.Notice {
					continue
				}
				out = append(out, task(e.By, e.Key()))
			}
			continue
		}
		if r.On.Collections != "" {
			for _, o := range f.Outcomes {
				if o.Outcome == r.On.Collections && o.On == f.Day {
					out = append(out, task(0, o.Cause))
				}
			}
			continue
		}
		for _, n := range f.Notices {
			if n.Kind == r.On.Deadline && !n.Sent && n.Opens <= f.Day && f.Day+date.Date(r.On.DueWithinDays) >= n.Due {
				out = append(out, task(n.Due, n.Key()))
			}
		}
	}
	return out
}

func (c Condition) holds(f Facts) bool {
	if len(c.Statuses) > 0 && !slices.Contains(c.Statuses, f.Status) {
		return false
	}
	return f.DaysPastDue >= c.MinDaysPastDue && (c.MaxDaysPastDue == 0 || f.DaysPastDue <= c.MaxDaysPastDue)
}
