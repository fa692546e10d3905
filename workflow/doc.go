// Package workflow turns what happened to a loan into work, by rules that
// are data: "when this domain event happens, or this deadline comes near,
// and these conditions hold, emit this task (or name this command)".
//
// It is evaluated purely ([Evaluate]): the host gathers the [Facts] of a
// loan on a day — the domain events a command or end of day reported, its
// promises and arrangement as judged that day, the loan's notice calendar,
// its servicing status and days past due — and wires the resulting [Task]
// values to its own queue or command bus. There is no scheduler here: end
// of day is the clock.
//
// # Representation
//
// [Rule] values are plain structs that round-trip through JSON, so a host
// stores them beside its products. A task's [Task.Key] is the same for
// the same rule, loan and cause, so re-evaluating a day deduplicates.
//
// # Rounding
//
// No amounts are computed: nothing is rounded.
//
// # Errors
//
// [Validate] returns an error wrapping [ErrInvalidRule] naming every bad
// field of every rule.
//
// # Determinism
//
// Tasks come out in rule order, then in the order of the facts that
// caused them.
package workflow
