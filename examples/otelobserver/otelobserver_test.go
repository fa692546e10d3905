package otelobserver_test

import (
	"context"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/examples/otelobserver"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

// mortgage is 200,000.00 at 6% over 360 months, first due 1 Mar 2024; its
// level payment 200000·0.005/(1−1.005^−360) = 1,199.10.
func mortgage() loan.Terms {
	return loan.Terms{
		Terms: amortize.Terms{
			Principal: usd("200000.00"), AnnualRate: rate.MustPercent("6"), Installments: 360,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			FundingDate: date.New(2024, 1, 15), FirstDueDate: date.New(2024, 3, 1),
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic, OddFirstPeriod: amortize.OddPrepaid,
			DayCount:         accrual.DayCount{Convention: accrual.Thirty360US},
			InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp,
		},
		Accrual: loan.AccrualScheduled, EscrowPayment: usd("0.00"),
		Delinquency: delinquency.StandardPolicy(delinquency.ClosedEnd),
	}
}

// racing is a store whose next lose commits report a version conflict.
type racing struct {
	servicing.Store
	lose atomic.Int64
}

func (r *racing) Commit(ctx context.Context, id servicing.LoanID, expected int64, b servicing.Batch) (int64, error) {
	if r.lose.Add(-1) >= 0 {
		return 0, servicing.ErrVersionConflict
	}
	return r.Store.Commit(ctx, id, expected, b)
}

// TestObserverExports runs four commands through an engine observed by the
// adapter over the SDK's in-memory span exporter and manual metric reader:
// a boarding, a payment that loses one version race, a refused payment and
// an end of day (slow, with SlowLoan at a nanosecond). It expects four
// spans with their outcomes, attempts (2 for the payment that raced) and
// the loan's version after each (1, 2, 3 for the three that wrote), the
// retry and the slow day as span events, no error status (a refused input
// is not a fault of the service) and no loan id; and the instruments: 4
// commands in 4 (kind, outcome) series, 1 retry, 1 slow loan and 4
// duration observations in seconds.
func TestObserverExports(t *testing.T) {
	ctx := context.Background()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	obs, err := otelobserver.New(tp, mp, otelobserver.Options{})
	require.NoError(t, err)
	store := &racing{Store: servicingtest.NewMemStore()}
	tick := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	e, err := servicing.New(servicing.Config{Store: store, Observer: obs, SlowLoan: time.Nanosecond,
		Now: func() time.Time { tick = tick.Add(time.Second); return tick }})
	require.NoError(t, err)

	_, err = e.Board(ctx, "MTG-1", loan.BoardingRequest{Terms: mortgage(), Borrower: "BRW-1"}, servicing.Meta{IdempotencyKey: "board"})
	require.NoError(t, err)
	store.lose.Store(1)
	r, err := e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usd("1199.10"), servicing.Meta{IdempotencyKey: "p1"})
	require.NoError(t, err)
	require.Equal(t, int64(2), r.Version)
	_, err = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 2), usd("-1.00"), servicing.Meta{IdempotencyKey: "p2"})
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	_, err = e.EndOfDay(ctx, "MTG-1", date.New(2024, 3, 2), servicing.Meta{})
	require.NoError(t, err)

	got := spans.GetSpans()
	require.Len(t, got, 4)
	type span struct {
		name, outcome string
		attempts      int64
		version       int64
		events        []string
		status        codes.Code
		loanID        bool
	}
	var seen []span
	for _, s := range got {
		a := map[attribute.Key]attribute.Value{}
		for _, kv := range s.Attributes {
			a[kv.Key] = kv.Value
		}
		var evs []string
		for _, ev := range s.Events {
			evs = append(evs, ev.Name)
		}
		_, hasID := a["servicing.loan.id"]
		seen = append(seen, span{s.Name, a["servicing.command.outcome"].AsString(), a["servicing.command.attempts"].AsInt64(),
			a["servicing.loan.version"].AsInt64(), evs, s.Status.Code, hasID})
	}
	require.Equal(t, []span{
		{"servicing boarded", "committed", 1, 1, nil, codes.Unset, false},
		{"servicing payment_received", "committed", 2, 2, []string{"retry"}, codes.Unset, false},
		{"servicing payment_received", "rejected", 1, 0, nil, codes.Unset, false},
		{"servicing day_closed", "committed", 1, 3, []string{"slow end of day"}, codes.Unset, false},
	}, seen)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(ctx, &rm))
	sums := map[string]int64{}
	var series []string
	var observations uint64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range data.DataPoints {
					sums[m.Name] += dp.Value
					if m.Name == "servicing.commands" {
						k, _ := dp.Attributes.Value("kind")
						o, _ := dp.Attributes.Value("outcome")
						series = append(series, k.AsString()+"/"+o.AsString())
					}
				}
			case metricdata.Histogram[float64]:
				require.Equal(t, "s", m.Unit)
				for _, dp := range data.DataPoints {
					observations += dp.Count
					require.Positive(t, dp.Sum)
				}
			}
		}
	}
	sort.Strings(series)
	require.Equal(t, map[string]int64{"servicing.commands": 4, "servicing.retries": 1, "servicing.eod.slow_loans": 1}, sums)
	require.Equal(t, []string{"boarded/committed", "day_closed/committed", "payment_received/committed", "payment_received/rejected"}, series)
	require.Equal(t, uint64(4), observations)
}

// TestObserverLoanIDsOptIn: the loan id reaches a span only when asked.
func TestObserverLoanIDsOptIn(t *testing.T) {
	ctx := context.Background()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	obs, err := otelobserver.New(tp, sdkmetric.NewMeterProvider(), otelobserver.Options{LoanIDs: true})
	require.NoError(t, err)
	e, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Observer: obs,
		Now: func() time.Time { return time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	_, err = e.Board(ctx, "MTG-1", loan.BoardingRequest{Terms: mortgage(), Borrower: "BRW-1"}, servicing.Meta{IdempotencyKey: "board"})
	require.NoError(t, err)
	require.Len(t, spans.GetSpans(), 1)
	require.Contains(t, spans.GetSpans()[0].Attributes, attribute.String("servicing.loan.id", "MTG-1"))
}
