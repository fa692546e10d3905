package servicing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// mortgageLog is the 30-year mortgage with n on-time payments.
func mortgageLog(n int) *log {
	l := newLog(mortgage())
	for k := range n {
		l.pay(d(2024, time.Month(3+k), 1), "1199.10")
	}
	return l
}

// BenchmarkReplayMortgage360 folds a 30-year mortgage with 360 payments
// from scratch (target < 2 ms). The float64 baseline is a plain
// amortization loop over the same 360 periods.
func BenchmarkReplayMortgage360(b *testing.B) {
	l := mortgageLog(360)
	asOf := d(2054, 3, 1)
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := loan.Replay(l.terms, l.events, asOf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("float64", func(b *testing.B) {
		for b.Loop() {
			bal := 200000.0
			for range 360 {
				i := bal * 0.005
				bal -= 1199.10 - i
			}
			sinkF = bal
		}
	})
}

var sinkF float64

// swapStore is a Store whose backing store a benchmark replaces between
// iterations.
type swapStore struct{ servicing.Store }

// BenchmarkBackdatedPayment inserts a payment at month 12 into histories of
// 60, 120 and 360 payments, through the engine and its checkpoints (every 16
// events). Replay restarts from the checkpoint before month 12, so the cost
// follows the events after it; "recent" backdates 12 months before the end
// instead, so its cost must not grow with the history before the checkpoint.
func BenchmarkBackdatedPayment(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{60, 120, 360} {
		for _, at := range []string{"month12", "recent"} {
			b.Run(fmt.Sprintf("history%d/%s", n, at), func(b *testing.B) {
				mem := servicingtest.NewMemStore()
				e, err := servicing.New(servicing.Config{Store: mem, Now: new(clock).Now, CheckpointEvery: 16})
				require.NoError(b, err)
				board(b, e, "L", mortgage())
				b.StopTimer()
				for k := range n {
					_, err := e.PostPayment(ctx, "L", d(2024, time.Month(3+k), 1), usd("1199.10"), key(fmt.Sprint("p", k)))
					require.NoError(b, err)
				}
				month := 12
				if at == "recent" {
					month = n - 12
				}
				on := d(2024, time.Month(3+month), 10)
				// One engine over a store swapped for a fresh clone per
				// iteration: each backdated post starts from the same log,
				// with the engine's caches warm as in a running host.
				sw := &swapStore{}
				e, err = servicing.New(servicing.Config{Store: sw, Now: new(clock).Now, CheckpointEvery: 16})
				require.NoError(b, err)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					sw.Store = mem.Clone()
					b.StartTimer()
					if _, err := e.PostPayment(ctx, "L", on, usd("100.00"), key("backdated")); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkEndOfDayPortfolio closes one day over 100,000 in-memory loans
// with the engine's default head states (16,384 loans: most loans fold
// from their checkpoint) and reports loans/s. The machine is shared, so
// it also reports the process CPU time per loan (GC included): on an idle
// 2-core machine loans/s ≈ 2e6 / cpu-µs/loan.
func BenchmarkEndOfDayPortfolio(b *testing.B) { benchEndOfDay(b, 0, servicingtest.NewMemStore()) }

// BenchmarkEndOfDayPortfolioHeads is BenchmarkEndOfDayPortfolio with a
// head state for every loan (Config.HeadStates = 100,000, about 2 KB a
// loan): each loan's day folds only its own marker and commits it, as on
// a store without the day-close record (DayCloser). The end-of-day target
// (≥ 1,000,000 loan-days/s on 2 cores, i.e. ≤ 2 cpu-µs/loan) is
// BenchmarkEndOfDayPortfolioDayCloser's and BenchmarkEndOfDayPortfolioMonth's;
// BenchmarkEndOfDayFloat64 is the floor.
func BenchmarkEndOfDayPortfolioHeads(b *testing.B) {
	benchEndOfDay(b, 100_000, servicingtest.NewMemStore())
}

// BenchmarkEndOfDayPortfolioDayCloser is BenchmarkEndOfDayPortfolioHeads on
// an in-memory store that keeps the portfolio's day-close record
// (servicing.DayCloser): a quiet loan-day writes nothing, and one its
// head knows to be quiet is not folded either (the loans fall due on 1
// March; the days measured are from 2 February on).
func BenchmarkEndOfDayPortfolioDayCloser(b *testing.B) {
	benchEndOfDay(b, 100_000, servicingtest.NewDayClosingMemStore())
}

func benchEndOfDay(b *testing.B, heads int, mem servicing.Store) {
	ctx := context.Background()
	const loans = 100_000
	e, err := servicing.New(servicing.Config{Store: mem, Now: new(clock).Now, Workers: runtime.GOMAXPROCS(0), HeadStates: heads})
	require.NoError(b, err)
	ids := make([]servicing.LoanID, loans)
	for i := range ids {
		ids[i] = servicing.LoanID(fmt.Sprintf("L%06d", i))
		board(b, e, ids[i], mortgage())
	}
	day := d(2024, 2, 1)
	runtime.GC()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		day++
		rep, err := e.EndOfDayPortfolio(ctx, ids, day)
		if err != nil || len(rep.Failed()) > 0 {
			b.Fatal(err, rep.Failed()[0].Err)
		}
	}
	b.ReportMetric(float64(loans*b.N)/time.Since(start).Seconds(), "loans/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(loans*b.N), "cpu-µs/loan")
}

// BenchmarkEndOfDayPortfolioMonth closes 28 days in a row over 100,000
// loans on a day-close store, as a servicer's month goes: the loans' due
// dates are spread over the 1st to the 28th (a 28th of the loans falls due
// each of those days), 19 borrowers in 20 pay on the due date (posted
// before that day's end of day, untimed) and the 20th never pays (late
// fees, days-past-due milestones). One op is the 28 days; cpu-µs/loan is
// the process CPU time of the ends of day alone (GC included) over the
// loan-days they closed.
func BenchmarkEndOfDayPortfolioMonth(b *testing.B) {
	ctx := context.Background()
	const loans, days = 100_000, 28
	e, err := servicing.New(servicing.Config{Store: servicingtest.NewDayClosingMemStore(), Now: new(clock).Now,
		Workers: runtime.GOMAXPROCS(0), HeadStates: loans})
	require.NoError(b, err)
	ids := make([]servicing.LoanID, loans)
	for i := range ids {
		ids[i] = servicing.LoanID(fmt.Sprintf("L%06d", i))
		tm := mortgage()
		tm.FundingDate += date.Date(i % days)
		tm.FirstDueDate += date.Date(i % days)
		board(b, e, ids[i], tm)
	}
	day := d(2024, 2, 29)
	var eod time.Duration
	closed := 0
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		for range days {
			day++
			b.StopTimer()
			if _, _, dom := day.Date(); dom <= days {
				for i := dom - 1; i < loans; i += days {
					if i%20 == 0 {
						continue
					}
					if _, err := e.PostPayment(ctx, ids[i], day, usd("1199.10"), key(fmt.Sprint("pay:", day))); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StartTimer()
			cpu0 := cpuTime()
			rep, err := e.EndOfDayPortfolio(ctx, ids, day)
			if err != nil || len(rep.Failed()) > 0 {
				b.Fatal(err, rep.Failed()[0].Err)
			}
			eod += cpuTime() - cpu0
			closed += loans
		}
	}
	b.ReportMetric(float64(eod)/float64(time.Microsecond)/float64(closed), "cpu-µs/loan")
}

// BenchmarkEndOfDayFloat64 is end of day's floor: 100,000 loans held as
// float64 in a slice, each accruing one day's interest at 6%/365 and
// checking its next due date, on 2 goroutines.
func BenchmarkEndOfDayFloat64(b *testing.B) {
	const loans = 100_000
	type floatLoan struct {
		balance, accrued float64
		due, closed      int64
	}
	ls := make([]floatLoan, loans)
	for i := range ls {
		ls[i] = floatLoan{balance: 200000, due: 30}
	}
	day := int64(0)
	start, cpu0 := time.Now(), cpuTime()
	for b.Loop() {
		day++
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < loans; i += 2 {
					l := &ls[i]
					l.accrued += l.balance * 0.06 / 365
					if day >= l.due {
						l.due += 30
					}
					l.closed = day
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(loans*b.N)/time.Since(start).Seconds(), "loans/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(loans*b.N), "cpu-µs/loan")
}

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var _ date.Date

// BenchmarkPostPayment posts one payment to a mortgage with a year of
// history through the engine and an in-memory store (target ≤ 5 µs). The
// engine keeps the loan's head state, so each command folds only its own
// event; BenchmarkPostPaymentCheckpoint is the same without head states
// (reloaded from the checkpoint and the events after it each time), and
// BenchmarkPostPaymentFloat64 the floor: a float64 loan in a map.
func BenchmarkPostPayment(b *testing.B) { benchPostPayment(b, 0) }

// BenchmarkPostPaymentCheckpoint is BenchmarkPostPayment without head
// states: every command folds from the checkpoint.
func BenchmarkPostPaymentCheckpoint(b *testing.B) { benchPostPayment(b, -1) }

func benchPostPayment(b *testing.B, heads int) {
	ctx := context.Background()
	mem := servicingtest.NewMemStore()
	e, err := servicing.New(servicing.Config{Store: mem, Now: new(clock).Now, HeadStates: heads})
	require.NoError(b, err)
	board(b, e, "L", mortgage())
	for k := range 12 {
		_, err := e.PostPayment(ctx, "L", d(2024, time.Month(3+k), 1), usd("1199.10"), key(fmt.Sprint("p", k)))
		require.NoError(b, err)
	}
	on := d(2025, 3, 1)
	keys := make([]servicing.Meta, 1<<16)
	for i := range keys {
		keys[i] = key(fmt.Sprint("b", i))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i > 0 && i%len(keys) == 0 { // fresh keys: a key used before would be a replay
			b.StopTimer()
			for j := range keys {
				keys[j] = key(fmt.Sprint("b", i+j))
			}
			b.StartTimer()
		}
		if _, err := e.PostPayment(ctx, "L", on, usd("1.00"), keys[i%len(keys)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPostPaymentFloat64 is posting's floor: a loan held as float64
// in a map, each payment split into interest for the period and principal
// and appended to the loan's log.
func BenchmarkPostPaymentFloat64(b *testing.B) {
	type posting struct {
		seq                     int64
		on                      int64
		amount, interest, princ float64
	}
	type floatLoan struct {
		balance float64
		log     []posting
	}
	loans := map[string]*floatLoan{"L": {balance: 200000}}
	on := int64(0)
	for b.Loop() {
		l := loans["L"]
		on++
		i := l.balance * 0.06 / 12
		p := 1199.10 - i
		l.balance -= p
		if l.balance <= 0 {
			l.balance = 200000
		}
		l.log = append(l.log, posting{seq: int64(len(l.log) + 1), on: on, amount: 1199.10, interest: i, princ: p})
	}
	sinkF = loans["L"].balance
}

// BenchmarkConcurrentBackdated runs 8 goroutines × 500 payments of 1.00
// on one mortgage, each dated at random within the 200 days after the
// first due date (target: the 4,000 commands in ≤ 10 s). Every command
// after the first few is backdated into the others' history; the engine
// queues commands on one loan and retries version conflicts. One iteration
// is the whole run: ns/op is the wall time of all the commands, and it
// reports the commands run (SERVICING_BENCH_EACH sets the payments per
// goroutine, for a shorter run), commands/s, and the process CPU time per
// iteration (cpu-s, GC included), which a shared machine inflates less
// than the wall time.
func BenchmarkConcurrentBackdated(b *testing.B) {
	ctx := context.Background()
	workers, each := 8, 500
	if s := os.Getenv("SERVICING_BENCH_EACH"); s != "" {
		var err error
		if each, err = strconv.Atoi(s); err != nil || each < 1 {
			b.Fatalf("SERVICING_BENCH_EACH=%q: want a positive number of payments per goroutine", s)
		}
	}
	var wall, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		mem := servicingtest.NewMemStore()
		e, err := servicing.New(servicing.Config{Store: mem, Now: new(clock).Now, MaxRetries: 1 << 20})
		require.NoError(b, err)
		board(b, e, "L", mortgage())
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rnd := rand.New(rand.NewPCG(uint64(w), 200))
				for i := range each {
					on := d(2024, 3, 1) + date.Date(rnd.IntN(200))
					if _, err := e.PostPayment(ctx, "L", on, usd("1.00"), key(fmt.Sprintf("w%d-%d", w, i))); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		wall, cpu = wall+time.Since(start), cpu+cpuTime()-cpu0
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
	commands := workers * each
	b.ReportMetric(float64(commands), "commands")
	b.ReportMetric(float64(commands*b.N)/wall.Seconds(), "commands/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
}

// frozenStore is a Store whose commits write nothing: each backdated
// command of BenchmarkBackdated60/360 starts from the same log without a
// copy of the store per iteration (the commit's cost, the same at every
// history length, is BenchmarkPostPayment's).
type frozenStore struct{ servicing.Store }

func (f frozenStore) Commit(ctx context.Context, id servicing.LoanID, expected int64, b servicing.Batch) (int64, error) {
	_, v, err := f.LoadCheckpoint(ctx, id, 0)
	if err != nil {
		return 0, err
	}
	if v != expected {
		return 0, servicing.ErrVersionConflict
	}
	return expected + int64(len(b.Events)), nil
}

// BenchmarkBackdated60 and BenchmarkBackdated360 insert a payment 12
// months before the end of a 40-year mortgage's history of 60 or 360
// monthly payments (checkpoints every 16 events; target: 360 ≤ 1.2× 60).
// The cost must follow the events after the change, not the history
// before it. Where the backdate falls between two checkpoints changes how
// many events lie between it and the checkpoint it starts from, so the
// iterations take the 16 positions of one checkpoint interval in turn
// (12 to 27 months back) at both lengths.
func BenchmarkBackdated60(b *testing.B) { benchBackdated(b, 60) }

// BenchmarkBackdated360 is BenchmarkBackdated60 with 360 payments.
func BenchmarkBackdated360(b *testing.B) { benchBackdated(b, 360) }

func benchBackdated(b *testing.B, n int) {
	ctx := context.Background()
	mem := servicingtest.NewMemStore()
	e, err := servicing.New(servicing.Config{Store: mem, Now: new(clock).Now, CheckpointEvery: 16})
	require.NoError(b, err)
	terms := mortgage()
	// 40 years at 6%: 200000·0.005/(1−1.005^−480) = 1,100.43 a month.
	terms.Installments, terms.Payment = 480, usd("1100.43")
	board(b, e, "L", terms)
	for k := range n {
		_, err := e.PostPayment(ctx, "L", d(2024, time.Month(3+k), 1), usd("1100.43"), key(fmt.Sprint("p", k)))
		require.NoError(b, err)
	}
	e, err = servicing.New(servicing.Config{Store: frozenStore{mem}, Now: new(clock).Now, CheckpointEvery: 16})
	require.NoError(b, err)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		on := d(2024, time.Month(3+n-12-i%16), 10)
		if _, err := e.PostPayment(ctx, "L", on, usd("100.00"), key("backdated")); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
