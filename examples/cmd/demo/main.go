// Command demo services a simulated loan portfolio end to end on the
// embedded SQLite store: it boards the loans, plays 24 months of borrower
// behaviour (on-time, late and partial payments, NSF returns, prepayments,
// payoffs, defaults and charge-offs), runs end of day for every day, and
// prints a portfolio summary, a delinquency aging table, one loan's periodic
// statement and one payment's allocation trace. With -report FILE.html it
// also writes a self-contained HTML page of charts over the whole period
// (delinquency by bucket, the roll-rate matrix, CPR and CDR, vintage
// curves, one loan's amortization), read back from the store month end by
// month end.
//
// From the repository root (examples is a module of its own, so its
// database drivers never reach the library's users):
//
//	go run -C examples ./cmd/demo
//	go run -C examples ./cmd/demo -report report.html
//	go run -C examples ./cmd/demo -tape ../testdata/tape/mortgages.csv -db tape.db
//
// or, equivalently, cd examples && go run ./cmd/demo. The state lives in
// examples/servicing-demo.db (see -db). Running the command again
// continues from the stored state: commands carry idempotency keys and the
// last closed business day is stored, so nothing is applied twice; with
// -months larger than before it services the extra months.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"sync/atomic"
	"time"
)

func main() {
	cfg := config{out: os.Stdout, progress: os.Stderr}
	flag.StringVar(&cfg.path, "db", "servicing-demo.db", "SQLite database file (created if missing)")
	flag.IntVar(&cfg.loans, "loans", 1000, "number of loans (a third each: 30-year mortgages, 5-year autos, 12-month personal loans)")
	flag.IntVar(&cfg.months, "months", 24, "months to simulate from January 2024")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the borrower-behaviour generator")
	flag.IntVar(&cfg.workers, "workers", 32, "concurrent commands (more of them make larger SQLite commit groups)")
	flag.StringVar(&cfg.loan, "loan", "", "loan whose statement, payment trace and amortization chart to show (default: an NSF-prone borrower)")
	flag.StringVar(&cfg.report, "report", "", "also write a self-contained HTML report with charts of the whole period to this `file`")
	flag.StringVar(&cfg.export, "export", "", "also write every report of the period (aging, summary, rolls, performance, vintages, investor remittance, audit) as CSV and JSON into this `directory`")
	flag.BoolVar(&cfg.stats, "stats", false, "after the run, print loan-days/s, database KB per loan-month, peak RSS and CPU cores busy")
	tapeFile := flag.String("tape", "", "instead of simulating, board the loans of a CSV loan `tape` (package tape's columns) into -db and print them")
	flag.Parse()

	if os.Getenv("GOGC") == "" {
		// Twice the default heap growth between collections: about 8% less
		// CPU for about 20 MB more peak memory over the default run (1,000
		// loans, 24 months: 150 MB instead of 130).
		debug.SetGCPercent(200)
	}
	if p := os.Getenv("DEMO_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *tapeFile != "" {
		if err := boardTape(ctx, cfg.path, *tapeFile, time.Now, cfg.out); err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		if ctx.Err() != nil {
			fmt.Fprintln(os.Stderr, "interrupted: run the command again to continue from the stored state")
		}
		os.Exit(1)
	}
}

// config is the demo's configuration.
type config struct {
	path     string
	loans    int
	months   int
	seed     uint64
	workers  int
	loan     string    // loan to show (empty: pick one)
	report   string    // HTML report file (empty: none)
	export   string    // directory of CSV and JSON reports (empty: none)
	stats    bool      // print the run's resource use (-stats)
	out      io.Writer // the report
	progress io.Writer // progress lines
	now      func() time.Time
	// stopAfter, in tests, cancels the run after that many commands have
	// read the clock: an interruption in the middle of a day.
	stopAfter int64
	// reads, in tests, counts the run's clock reads.
	reads *atomic.Int64
}
