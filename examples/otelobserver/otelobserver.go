// Package otelobserver turns the servicing engine's observations into
// OpenTelemetry metrics and traces. It lives in the examples module so that
// the core module depends on nothing of OpenTelemetry: the engine speaks
// only its own small servicing.Observer interface, and this adapter is one
// way (of many) a host can implement it.
//
// Every command becomes a span named "servicing <kind>" (for example
// "servicing payment_received") that is the parent of whatever the store
// traces with the context it receives, and adds to these instruments:
//
//	servicing.commands             counter    {command}  kind, outcome
//	servicing.command.duration     histogram  s          kind, outcome
//	servicing.retries              counter    {retry}    kind
//	servicing.checkpoint.fallbacks counter    {fallback}
//	servicing.eod.slow_loans       counter    {loan}
//
// The metric attributes are the command kind and outcome, small fixed sets;
// the loan id is never a metric attribute (it would make one series per
// loan) and reaches a span only when Options.LoanIDs is set.
package otelobserver

import (
	"context"
	"errors"
	"time"

	servicing "github.com/lendcore/servicing"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// scope is the instrumentation scope name of the tracer and the meter.
const scope = "github.com/lendcore/servicing/examples/otelobserver"

// Options tune what the observer records.
type Options struct {
	// LoanIDs puts the loan id on each span as servicing.loan.id. Off by
	// default: a tracing backend is often outside the system that may hold
	// loan identifiers.
	LoanIDs bool
}

// Observer implements servicing.Observer with an OpenTelemetry tracer and
// meter. It is safe for concurrent use.
type Observer struct {
	opts      Options
	tracer    trace.Tracer
	commands  metric.Int64Counter
	duration  metric.Float64Histogram
	retries   metric.Int64Counter
	fallbacks metric.Int64Counter
	slow      metric.Int64Counter
}

var _ servicing.Observer = (*Observer)(nil)

// New returns an observer that traces through tp and measures through mp
// (pass otel.GetTracerProvider() and otel.GetMeterProvider() for the global
// ones). It fails only if an instrument cannot be created.
func New(tp trace.TracerProvider, mp metric.MeterProvider, opts Options) (*Observer, error) {
	m := mp.Meter(scope)
	o := &Observer{opts: opts, tracer: tp.Tracer(scope)}
	var errs [5]error
	o.commands, errs[0] = m.Int64Counter("servicing.commands", metric.WithUnit("{command}"),
		metric.WithDescription("Commands the engine finished, by kind and outcome."))
	o.duration, errs[1] = m.Float64Histogram("servicing.command.duration", metric.WithUnit("s"),
		metric.WithDescription("Wall time of a command, every attempt included."),
		metric.WithExplicitBucketBoundaries(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
	o.retries, errs[2] = m.Int64Counter("servicing.retries", metric.WithUnit("{retry}"),
		metric.WithDescription("Attempts that lost an optimistic-concurrency race and were retried."))
	o.fallbacks, errs[3] = m.Int64Counter("servicing.checkpoint.fallbacks", metric.WithUnit("{fallback}"),
		metric.WithDescription("Stored checkpoints that could not be read; the loan was folded from its log."))
	o.slow, errs[4] = m.Int64Counter("servicing.eod.slow_loans", metric.WithUnit("{loan}"),
		metric.WithDescription("Loans whose end of day took longer than the engine's SlowLoan."))
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return o, nil
}

// CommandStarted starts the command's span and returns its context.
func (o *Observer) CommandStarted(ctx context.Context, c servicing.Command) context.Context {
	attrs := []attribute.KeyValue{attribute.String("servicing.command.kind", c.Kind),
		attribute.String("servicing.effective_on", c.On.String())}
	if o.opts.LoanIDs {
		attrs = append(attrs, attribute.String("servicing.loan.id", string(c.Loan)))
	}
	ctx, _ = o.tracer.Start(ctx, "servicing "+c.Kind, trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(attrs...))
	return ctx
}

// CommandFinished ends the span and records the command's count and
// duration. A failed or conflicted command marks the span as an error; a
// rejected one does not (the input was at fault, not the service), and no
// error text reaches the span, since it may quote the input.
func (o *Observer) CommandFinished(ctx context.Context, c servicing.Command, f servicing.Finished) {
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(attribute.String("servicing.command.outcome", string(f.Outcome)),
		attribute.Int("servicing.command.attempts", f.Attempts), attribute.Int64("servicing.loan.version", f.Version))
	if f.Outcome == servicing.OutcomeFailed || f.Outcome == servicing.OutcomeConflicted {
		span.SetStatus(codes.Error, string(f.Outcome))
	}
	span.End()
	set := metric.WithAttributeSet(attribute.NewSet(attribute.String("kind", c.Kind),
		attribute.String("outcome", string(f.Outcome))))
	o.commands.Add(ctx, 1, set)
	o.duration.Record(ctx, f.Duration.Seconds(), set)
}

// Retried counts the retry and marks it on the span.
func (o *Observer) Retried(ctx context.Context, c servicing.Command, attempt int, _ error) {
	trace.SpanFromContext(ctx).AddEvent("retry", trace.WithAttributes(attribute.Int("servicing.attempt", attempt)))
	o.retries.Add(ctx, 1, metric.WithAttributes(attribute.String("kind", c.Kind)))
}

// CheckpointFallback counts the unreadable checkpoint.
func (o *Observer) CheckpointFallback(*servicing.CheckpointError) {
	o.fallbacks.Add(context.Background(), 1)
}

// SlowLoan counts the slow end of day and marks it on the span.
func (o *Observer) SlowLoan(ctx context.Context, _ servicing.Command, d time.Duration) {
	trace.SpanFromContext(ctx).AddEvent("slow end of day",
		trace.WithAttributes(attribute.Float64("servicing.duration_seconds", d.Seconds())))
	o.slow.Add(ctx, 1)
}
