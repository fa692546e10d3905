package servicing

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// Observer sees what the engine does, for a host's metrics, traces and
// alerts: each command's start and finish (kind, duration, outcome), the
// version conflicts it retried, the checkpoints it could not read and the
// loans whose end of day was slow. Set it in [Config.Observer]; with none
// (and no [Config.Logger]) the engine does no observation work at all.
//
// Calls are synchronous, from the goroutine running the command, so an
// Observer must be quick and safe for concurrent use. It receives no
// personal data: no borrower, actor, reason, idempotency key or amount,
// only the loan's id, which the host chose (use an opaque one, not an
// account number, if ids must not reach a monitoring system).
//
// Embed [NopObserver] to implement only some methods and keep compiling
// when later releases add one.
type Observer interface {
	// CommandStarted is called before a command's first attempt. The
	// context it returns is the one the command runs with, and reaches the
	// Store's calls and the other methods: a tracing observer returns one
	// that carries its span.
	CommandStarted(ctx context.Context, c Command) context.Context
	// CommandFinished is called once per command, after its last attempt,
	// with ctx from CommandStarted.
	CommandFinished(ctx context.Context, c Command, f Finished)
	// Retried is called when an attempt lost an optimistic-concurrency race
	// (ErrVersionConflict, or ErrDuplicateKey from a concurrent command with
	// the same key) and the command reloads the loan and tries again;
	// attempt is the number of the attempt that failed (1 for the first).
	Retried(ctx context.Context, c Command, attempt int, err error)
	// CheckpointFallback is called when a stored checkpoint could not be
	// decoded and the loan was folded from its log instead (the same error
	// Config.Notify receives). The call that met it still succeeds.
	CheckpointFallback(err *CheckpointError)
	// SlowLoan is called when a loan's end of day (alone or in a
	// portfolio run) took longer than Config.SlowLoan, so the loan that
	// holds up a nightly run can be found; it comes just before that
	// command's CommandFinished.
	SlowLoan(ctx context.Context, c Command, d time.Duration)
}

// Command describes a command to an Observer: what it is and which loan,
// never what it carries.
type Command struct {
	// Kind is the event kind the command writes ("payment_received",
	// "day_closed", ...): a small fixed set, fit for a metric label.
	Kind string
	// Loan is the loan's id.
	Loan LoanID
	// On is the business date the command takes effect.
	On date.Date
}

// Outcome classifies how a command ended, for a metric label.
type Outcome string

// Outcomes, from best to worst.
const (
	// OutcomeCommitted: the command's events were written.
	OutcomeCommitted Outcome = "committed"
	// OutcomeReplayed: an earlier command with the same key had run; its
	// stored result was returned and nothing was written.
	OutcomeReplayed Outcome = "replayed"
	// OutcomeNoop: nothing to do (an end of day for a day already closed).
	OutcomeNoop Outcome = "noop"
	// OutcomeRejected: the input was refused (ErrInvalidCommand, a closed
	// or unknown loan, a loan boarded twice, a key reused with another
	// payload); nothing was written. The host's input is at fault.
	OutcomeRejected Outcome = "rejected"
	// OutcomeConflicted: every attempt lost a version race
	// (ErrTooManyRetries); nothing was written.
	OutcomeConflicted Outcome = "conflicted"
	// OutcomeFailed: the store failed, the context ended, or an invariant
	// broke; nothing was written by this call.
	OutcomeFailed Outcome = "failed"
)

// String returns the outcome's label.
func (o Outcome) String() string { return string(o) }

// Finished is how a command ended.
type Finished struct {
	// Outcome classifies the end.
	Outcome Outcome
	// Duration is the command's wall time, every attempt included, read
	// from the monotonic clock (never stamped on an event or a result).
	Duration time.Duration
	// Attempts is how many times the command loaded the loan and tried to
	// commit (1 without a conflict).
	Attempts int
	// Version is the loan's version after the command (0 on an error).
	Version int64
	// Err is the command's error, nil on success. Its text may quote the
	// bad values of the host's input.
	Err error
}

// NopObserver is an Observer that does nothing; embed it to implement only
// the methods you need.
type NopObserver struct{}

// CommandStarted returns ctx.
func (NopObserver) CommandStarted(ctx context.Context, _ Command) context.Context { return ctx }

// CommandFinished does nothing.
func (NopObserver) CommandFinished(context.Context, Command, Finished) {}

// Retried does nothing.
func (NopObserver) Retried(context.Context, Command, int, error) {}

// CheckpointFallback does nothing.
func (NopObserver) CheckpointFallback(*CheckpointError) {}

// SlowLoan does nothing.
func (NopObserver) SlowLoan(context.Context, Command, time.Duration) {}

// observers is the engine's Observer: the host's and the logger's, in that
// order. New builds it only when one is set, so an engine without either
// makes no observation call.
type observers []Observer

func (o observers) CommandStarted(ctx context.Context, c Command) context.Context {
	for _, x := range o {
		ctx = x.CommandStarted(ctx, c)
	}
	return ctx
}

func (o observers) CommandFinished(ctx context.Context, c Command, f Finished) {
	for _, x := range o {
		x.CommandFinished(ctx, c, f)
	}
}

func (o observers) Retried(ctx context.Context, c Command, attempt int, err error) {
	for _, x := range o {
		x.Retried(ctx, c, attempt, err)
	}
}

func (o observers) CheckpointFallback(err *CheckpointError) {
	for _, x := range o {
		x.CheckpointFallback(err)
	}
}

func (o observers) SlowLoan(ctx context.Context, c Command, d time.Duration) {
	for _, x := range o {
		x.SlowLoan(ctx, c, d)
	}
}

// newObservers returns the engine's observer for cfg, nil when there is
// nothing to observe for.
func newObservers(cfg Config) Observer {
	var o observers
	if cfg.Observer != nil {
		o = append(o, cfg.Observer)
	}
	if cfg.Logger != nil {
		o = append(o, logObserver{cfg.Logger})
	}
	if len(o) == 0 {
		return nil
	}
	return o
}

// watch is one command under observation.
type watch struct {
	ctx     context.Context
	cmd     Command
	start   time.Time
	retries int // attempts that lost a race
}

// observe starts observing command c on loan id into w (the caller's, so
// it needs no allocation); the engine calls it only when it has an
// observer.
func (e *Engine) observe(ctx context.Context, id LoanID, c *command, w *watch) {
	*w = watch{cmd: Command{Kind: string(c.kind), Loan: id, On: c.on}, start: time.Now()}
	w.ctx = e.obs.CommandStarted(ctx, w.cmd)
}

// retried reports the attempt that lost a race.
func (e *Engine) retried(w *watch, err error) {
	w.retries++
	e.obs.Retried(w.ctx, w.cmd, w.retries, err)
}

// finished reports the command's end, and a slow end of day.
func (e *Engine) finished(w *watch, r Result, err error) {
	d := time.Since(w.start)
	f := Finished{Outcome: outcome(r, err), Duration: d, Attempts: w.retries + 1, Version: r.Version, Err: err}
	if err != nil {
		f.Version = 0
	}
	if f.Outcome == OutcomeConflicted {
		f.Attempts = w.retries // every attempt lost
	}
	if w.cmd.Kind == string(loan.KindDayClosed) && d > e.slowLoan {
		e.obs.SlowLoan(w.ctx, w.cmd, d) // before CommandFinished, while a span is open
	}
	e.obs.CommandFinished(w.ctx, w.cmd, f)
}

// outcome classifies a command's end.
func outcome(r Result, err error) Outcome {
	switch {
	case err == nil && r.Replayed:
		return OutcomeReplayed
	case err == nil && len(r.Events) == 0:
		return OutcomeNoop
	case err == nil:
		return OutcomeCommitted
	case errors.Is(err, ErrTooManyRetries):
		return OutcomeConflicted
	case errors.Is(err, ErrInvalidCommand), errors.Is(err, ErrLoanExists), errors.Is(err, ErrLoanClosed),
		errors.Is(err, ErrIdempotencyConflict), errors.Is(err, ErrNotFound):
		return OutcomeRejected
	}
	return OutcomeFailed
}

// logObserver writes the observations to a *slog.Logger: a finished command
// at Debug (Warn when it failed, Info when it was rejected), retries at
// Debug, checkpoint fallbacks and slow loans at Warn. A rejected command's
// record names the bad fields, never their values; a failed one carries the
// error text (a store's or the engine's, not the host's input).
type logObserver struct{ l *slog.Logger }

func (o logObserver) CommandStarted(ctx context.Context, _ Command) context.Context { return ctx }

func (o logObserver) CommandFinished(ctx context.Context, c Command, f Finished) {
	level := slog.LevelDebug
	switch f.Outcome {
	case OutcomeCommitted, OutcomeReplayed, OutcomeNoop:
	case OutcomeRejected:
		level = slog.LevelInfo
	default:
		level = slog.LevelWarn
	}
	if !o.l.Enabled(ctx, level) {
		return // build no record for a level the handler drops
	}
	attrs := []slog.Attr{slog.String("kind", c.Kind), slog.String("loan", string(c.Loan)),
		slog.String("on", c.On.String()), slog.String("outcome", string(f.Outcome)),
		slog.Duration("duration", f.Duration), slog.Int("attempts", f.Attempts)}
	switch f.Outcome {
	case OutcomeCommitted, OutcomeReplayed, OutcomeNoop:
		attrs = append(attrs, slog.Int64("version", f.Version))
	case OutcomeRejected:
		attrs = append(attrs, slog.String("reason", rejectReason(f.Err)))
		if fs := field.Fields(f.Err); len(fs) > 0 {
			attrs = append(attrs, slog.String("fields", strings.Join(fs, ",")))
		}
	default:
		attrs = append(attrs, slog.String("error", f.Err.Error()))
	}
	o.l.LogAttrs(ctx, level, "servicing command", attrs...)
}

func (o logObserver) Retried(ctx context.Context, c Command, attempt int, err error) {
	if !o.l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	o.l.LogAttrs(ctx, slog.LevelDebug, "servicing retry", slog.String("kind", c.Kind),
		slog.String("loan", string(c.Loan)), slog.Int("attempt", attempt), slog.String("reason", rejectReason(err)))
}

func (o logObserver) CheckpointFallback(err *CheckpointError) {
	o.l.LogAttrs(context.Background(), slog.LevelWarn, "servicing checkpoint unreadable; folded from the log",
		slog.String("loan", string(err.Loan)), slog.Int64("checkpoint_version", err.Version),
		slog.String("error", err.Err.Error()))
}

func (o logObserver) SlowLoan(ctx context.Context, c Command, d time.Duration) {
	o.l.LogAttrs(ctx, slog.LevelWarn, "servicing slow end of day", slog.String("loan", string(c.Loan)),
		slog.String("on", c.On.String()), slog.Duration("duration", d))
}

// rejectReason names the sentinel an error wraps, the first of the engine's
// that matches: the class of problem without the input that caused it.
func rejectReason(err error) string {
	for _, s := range []error{ErrInvalidCommand, ErrLoanExists, ErrLoanClosed, ErrIdempotencyConflict,
		ErrNotFound, ErrVersionConflict, ErrDuplicateKey, ErrTooManyRetries} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	return "other"
}
