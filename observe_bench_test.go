package servicing_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// counting is the cheapest useful Observer: it counts commands and sums
// their durations, as a metrics counter and histogram would.
type counting struct {
	servicing.NopObserver
	n   atomic.Int64
	sum atomic.Int64
}

func (c *counting) CommandFinished(_ context.Context, _ servicing.Command, f servicing.Finished) {
	c.n.Add(1)
	c.sum.Add(int64(f.Duration))
}

// BenchmarkPostPaymentObserved is BenchmarkPostPayment (one on-time
// payment posted to a mortgage with a year of history, in memory) without
// any observation (the baseline, in the same run), with a counting
// Observer, with a Logger whose handler drops Debug records, and with one
// that writes every record as JSON to io.Discard.
func BenchmarkPostPaymentObserved(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  func(*servicing.Config)
	}{
		{"none", func(*servicing.Config) {}},
		{"observer", func(c *servicing.Config) { c.Observer = new(counting) }},
		{"logger-info", func(c *servicing.Config) {
			c.Logger = slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
		}},
		{"logger-debug", func(c *servicing.Config) {
			c.Logger = slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			cfg := servicing.Config{Store: servicingtest.NewMemStore(), Now: new(clock).Now}
			c.cfg(&cfg)
			e, err := servicing.New(cfg)
			require.NoError(b, err)
			board(b, e, "L", mortgage())
			for k := range 12 {
				_, err := e.PostPayment(ctx, "L", d(2024, time.Month(3+k), 1), usd("1199.10"), key(fmt.Sprint("p", k)))
				require.NoError(b, err)
			}
			on := d(2025, 3, 1)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				if _, err := e.PostPayment(ctx, "L", on, usd("1.00"), key(fmt.Sprint("b", i))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
