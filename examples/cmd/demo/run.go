package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/examples/sqlstore"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// chargeOffDPD is when the demo's servicer charges a defaulted loan off:
// FFIEC Uniform Retail Credit Classification policy, 120 days past due for
// closed-end consumer loans, 180 for residential mortgages.
var chargeOffDPD = [...]int{mortgage: 180, auto: 120, personal: 120}

// nsfFee is the returned-payment fee.
var nsfFee = money.MustNew(2500, money.USD)

// sim is one run of the simulation.
type sim struct {
	cfg   config
	store *sqlstore.Store
	eng   *servicing.Engine
	loans []*plannedLoan
	day   atomic.Int64 // the business date being simulated (the clock)

	mu     sync.Mutex
	closed map[servicing.LoanID]bool
	dpd    map[servicing.LoanID]int
	counts map[string]int
	// work feeds the workers parallel runs on: cfg.workers goroutines that
	// live as long as the run. A goroutine the engine's commands run on
	// grows its stack to about 128 KB (the fold's frames carry loan.State
	// by value), copying it at each doubling; goroutines started afresh for
	// each phase of each day paid that every time, 7 % of the demo's CPU.
	work chan func()
	// delivered counts the domain events the outbox relay handed on, by
	// type (what a host would send as notices, webhooks or GL postings).
	delivered map[loan.DomainEventType]int
}

// run services the portfolio day by day from the day after the last one
// stored (boarding each loan on its funding date), prints the report and,
// with cfg.report, writes the HTML report. A write to cfg.out or
// cfg.progress that failed, or a failed Close of the store, fails the run.
func run(ctx context.Context, cfg config) (err error) {
	if cfg.loans < 1 || cfg.months < 1 || cfg.workers < 1 {
		return errors.New("loans, months and workers must be positive")
	}
	out, progress := &output{w: cfg.out}, &output{w: cfg.progress}
	cfg.out, cfg.progress = out, progress
	defer func() { err = progress.join(out.join(err, "the report"), "progress") }()
	started := time.Now()
	cpu0, _ := processUsage()
	stats := runStats{started: started, cpu0: cpu0, idle0: schedIdle()}
	if cfg.stats {
		// Registered before the store's Close, so it runs after it.
		defer func() {
			if err == nil && stats.loanDays > 0 {
				fprintf(progress, "demo: %s\n", stats.line(cfg.path, cfg.loans, cfg.months))
			}
		}()
	}
	st, err := sqlstore.OpenSQLite(ctx, cfg.path, sqlstore.SQLiteOptions{Cache: true})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	s := &sim{cfg: cfg, store: st, closed: map[servicing.LoanID]bool{}, dpd: map[servicing.LoanID]int{}, counts: map[string]int{}}
	now := cfg.now
	if now == nil {
		// RecordedAt is the simulated business day at 18:00 UTC, so a run
		// is reproducible; a host passes time.Now.
		now = func() time.Time {
			y, m, d := date.Date(s.day.Load()).Date()
			return time.Date(y, m, d, 18, 0, 0, 0, time.UTC)
		}
	}
	if cfg.stopAfter > 0 || cfg.reads != nil {
		cancel := context.CancelFunc(func() {})
		if cfg.stopAfter > 0 {
			ctx, cancel = context.WithCancel(ctx)
			defer cancel()
		}
		reads := cfg.reads
		if reads == nil {
			reads = new(atomic.Int64)
		}
		clock := now
		now = func() time.Time {
			if reads.Add(1) == cfg.stopAfter {
				cancel()
			}
			return clock()
		}
	}
	defer s.startWorkers()()
	if s.eng, err = servicing.New(servicing.Config{Store: st, Now: now, Workers: cfg.workers}); err != nil {
		return err
	}
	if s.loans, err = newPortfolio(cfg.loans, cfg.seed); err != nil {
		return err
	}
	last, err := s.progress(ctx)
	if err != nil {
		return err
	}
	end := endDate(cfg.months)
	fprintf(cfg.progress, "demo: %d loans, seed %d, %s through %s, database %s\n", cfg.loans, cfg.seed, simStart, end-1, cfg.path)

	if last == 0 {
		last = simStart - 1
	} else {
		fprintf(cfg.progress, "demo: continuing after %s (stored progress)\n", last)
		if err := s.restore(ctx, last); err != nil {
			return err
		}
	}
	loanDays, err := s.service(ctx, last+1, end)
	if err != nil {
		return err
	}
	elapsed := time.Since(started)
	stats.loanDays, stats.service = loanDays, elapsed
	if loanDays > 0 {
		fprintf(cfg.progress, "demo: serviced %d loan-days in %s (%.0f loan-days/s)\n", loanDays, elapsed.Round(time.Millisecond), float64(loanDays)/elapsed.Seconds())
		for _, line := range deliveredLines(s.delivered) {
			fprintf(cfg.progress, "demo: %s\n", line)
		}
	}
	showcase, err := s.report(ctx, end-1)
	if err != nil || cfg.report == "" && cfg.export == "" {
		return err
	}
	t0 := time.Now()
	series, err := s.snapshots(ctx, monthEnds(end-1))
	if err != nil {
		return fmt.Errorf("report snapshots: %w", err)
	}
	fprintf(cfg.progress, "demo: %d month-end snapshots read in %s\n", len(series), time.Since(t0).Round(time.Millisecond))
	if cfg.export != "" {
		if err := s.export(ctx, cfg.export, series, showcase); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if cfg.report == "" {
		return nil
	}
	return s.writeReport(ctx, end-1, series, showcase)
}

// endDate is the first day after the simulated months.
func endDate(months int) date.Date {
	y, m, _ := simStart.Date()
	return date.New(y, m+time.Month(months), 1)
}

// progress creates the demo's own table in the store's database and returns
// the last business day fully serviced (0: nothing yet). A database made
// with another seed or size is refused: its loans are other loans.
func (s *sim) progress(ctx context.Context) (date.Date, error) {
	db := s.store.DB()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS demo_progress (name TEXT PRIMARY KEY, value TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("demo progress table: %w", err)
	}
	// The plan's shape is part of the key: a file made when every loan
	// funded in January holds other loans.
	want := fmt.Sprintf("loans=%d seed=%d fundings=%dm", s.cfg.loans, s.cfg.seed, originationMonths)
	var got string
	err := db.QueryRowContext(ctx, s.store.Rebind(`SELECT value FROM demo_progress WHERE name = 'portfolio'`)).Scan(&got)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = db.ExecContext(ctx, s.store.Rebind(`INSERT INTO demo_progress (name, value) VALUES ('portfolio', ?)`), want)
		return 0, err
	case err != nil:
		return 0, err
	case got != want:
		return 0, fmt.Errorf("%s holds a portfolio of %s, not %s: use another -db (or the flags and demo it was made with)", s.cfg.path, got, want)
	}
	var day string
	err = db.QueryRowContext(ctx, `SELECT value FROM demo_progress WHERE name = 'closed_through'`).Scan(&day)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(day, 10, 64)
	return date.Date(n), err
}

func (s *sim) markClosed(ctx context.Context, d date.Date) error {
	_, err := s.store.DB().ExecContext(ctx, s.store.Rebind(`INSERT INTO demo_progress (name, value) VALUES ('closed_through', ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`), strconv.FormatInt(int64(d), 10))
	return err
}

// startWorkers starts the cfg.workers goroutines parallel runs on; the
// returned function stops them.
func (s *sim) startWorkers() (stop func()) {
	s.work = make(chan func())
	for range s.cfg.workers {
		go func() {
			for job := range s.work {
				job()
			}
		}()
	}
	return func() { close(s.work) }
}

// parallel runs f for every loan on the run's workers and returns the
// errors joined (one loan's failure never stops the others).
func (s *sim) parallel(ctx context.Context, f func(ctx context.Context, l *plannedLoan) error) error {
	next := atomic.Int64{}
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range s.cfg.workers {
		wg.Add(1)
		s.work <- func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(s.loans) || ctx.Err() != nil {
					return
				}
				if err := f(ctx, s.loans[i]); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("loan %s: %w", s.loans[i].id, err))
					mu.Unlock()
				}
			}
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (s *sim) count(kind string) {
	s.mu.Lock()
	s.counts[kind]++
	s.mu.Unlock()
}

// board boards l on its funding date (idempotent: a rerun after a crash
// boards it again only if it is missing).
func (s *sim) board(ctx context.Context, l *plannedLoan) error {
	_, err := s.eng.Board(ctx, l.id, loan.BoardingRequest{
		Terms: l.terms, Borrower: fmt.Sprintf("BRW-%06d", l.index+1), LOSReference: "LOS-" + string(l.id),
	}, servicing.Meta{IdempotencyKey: "board", Actor: "los-handoff"})
	if err != nil {
		return fmt.Errorf("boarding: %w", err)
	}
	s.count("boarding")
	return nil
}

// restore rebuilds the simulator's memory (closed loans, days past due)
// from the stored loans after a restart.
func (s *sim) restore(ctx context.Context, last date.Date) error {
	return s.parallel(ctx, func(ctx context.Context, l *plannedLoan) error {
		if l.terms.FundingDate > last {
			return nil // not boarded yet
		}
		st, err := s.eng.State(ctx, l.id, last)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.closed[l.id] = st.Status == loan.StatusPaidOff || st.Status == loan.StatusChargedOff
		s.dpd[l.id] = st.DaysPastDue()
		return nil
	})
}

// service runs the business days [from, end): each day the borrowers'
// actions, then end of day for every open loan, then the progress marker.
// It returns the number of loan-days closed.
func (s *sim) service(ctx context.Context, from, end date.Date) (int, error) {
	if from >= end {
		fprintf(s.cfg.progress, "demo: already serviced through %s; nothing to do (raise -months to continue)\n", end-1)
		return 0, nil
	}
	t0 := time.Now()
	loanDays := 0
	for d := from; d < end; d++ {
		s.day.Store(int64(d))
		if err := s.parallel(ctx, func(ctx context.Context, l *plannedLoan) error { return s.borrower(ctx, l, d) }); err != nil {
			return loanDays, fmt.Errorf("%s: %w", d, err)
		}
		n, err := s.endOfDay(ctx, d)
		loanDays += n
		if err != nil {
			return loanDays, fmt.Errorf("end of day %s: %w", d, err)
		}
		if err := s.markClosed(ctx, d); err != nil {
			return loanDays, err
		}
		if _, _, next := (d + 1).Date(); next == 1 || d+1 == end {
			if err := s.relay(ctx); err != nil {
				return loanDays, err
			}
			y, m, _ := d.Date()
			el := time.Since(t0)
			open := 0
			s.mu.Lock()
			for _, l := range s.loans {
				if !s.closed[l.id] && l.terms.FundingDate <= d {
					open++
				}
			}
			s.mu.Unlock()
			fprintf(s.cfg.progress, "demo: %04d-%02d closed  %4d loans open  %7d loan-days  %6s  %5.0f loan-days/s\n",
				y, int(m), open, loanDays, el.Round(time.Second), float64(loanDays)/el.Seconds())
		}
	}
	return loanDays, nil
}

// relay drains the store's transactional outbox as a host's relay would,
// counting what it delivers, so the outbox holds only what is not yet
// handed on.
func (s *sim) relay(ctx context.Context) error {
	_, err := servicing.DrainOutbox(ctx, s.store, 1000, func(_ context.Context, recs []servicing.OutboxRecord) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.delivered == nil {
			s.delivered = map[loan.DomainEventType]int{}
		}
		for _, r := range recs {
			s.delivered[r.Event.Type]++
		}
		return nil
	})
	return err
}

// borrower boards l on its funding date and posts what the borrower of l
// does on day d; a loan that reached the charge-off threshold is charged
// off instead.
func (s *sim) borrower(ctx context.Context, l *plannedLoan, d date.Date) error {
	s.mu.Lock()
	closed, dpd := s.closed[l.id], s.dpd[l.id]
	s.mu.Unlock()
	if closed || d < l.terms.FundingDate {
		return nil
	}
	if d == l.terms.FundingDate {
		return s.board(ctx, l)
	}
	if dpd >= chargeOffDPD[l.product] {
		// A milestone said so; a partial payment may have rolled the loan
		// back since, so ask the state.
		st, err := s.eng.State(ctx, l.id, d)
		if err != nil {
			return err
		}
		if dpd = st.DaysPastDue(); dpd < chargeOffDPD[l.product] {
			s.mu.Lock()
			s.dpd[l.id] = dpd
			s.mu.Unlock()
			dpd = -1
		}
	}
	if dpd >= chargeOffDPD[l.product] {
		if _, err := s.eng.ChargeOff(ctx, l.id, d, servicing.Meta{IdempotencyKey: "charge-off", Actor: "collections", Reason: fmt.Sprintf("%d DPD", dpd)}); err != nil {
			return err
		}
		s.count("charge-off")
		s.mu.Lock()
		s.closed[l.id] = true
		s.mu.Unlock()
		return nil
	}
	for _, a := range l.actionsOn(s.cfg.seed, d) {
		switch a.kind {
		case "pay":
			r, err := s.pay(ctx, l, d, a)
			if err != nil {
				return err
			}
			s.note(l, r)
			s.count(map[bool]string{true: "payment", false: "partial payment"}[a.amount.Cmp(l.terms.Payment) >= 0])
		case "repay":
			r, err := s.eng.PostPayment(ctx, l.id, d, a.amount, servicing.Meta{IdempotencyKey: "repay:" + strconv.Itoa(a.k), Actor: "borrower"})
			if err != nil {
				return err
			}
			s.note(l, r)
			s.count("payment")
		case "reverse":
			// The original payment's result, by its idempotency key, gives
			// the Seq to reverse (the engine returns the first result).
			on, orig, _ := l.plan(s.cfg.seed, a.k)
			r, err := s.pay(ctx, l, on, orig)
			if err != nil {
				return err
			}
			if len(r.Events) == 0 {
				continue
			}
			if _, err := s.eng.ReversePayment(ctx, l.id, d, r.Events[0].Seq, nsfFee,
				servicing.Meta{IdempotencyKey: "nsf:" + strconv.Itoa(a.k), Actor: "ach-returns", Reason: "NSF"}); err != nil {
				return err
			}
			s.count("NSF reversal")
		case "payoff":
			q, err := s.eng.PayoffQuote(ctx, l.id, d)
			if err != nil {
				return err
			}
			amount := q.Total
			if !amount.IsPositive() {
				continue
			}
			r, err := s.eng.PostPayment(ctx, l.id, d, amount, servicing.Meta{IdempotencyKey: "payoff", Actor: "borrower", Reason: "payoff"})
			if err != nil {
				return err
			}
			s.note(l, r)
			s.count("payoff")
		}
	}
	return nil
}

func (s *sim) pay(ctx context.Context, l *plannedLoan, on date.Date, a action) (servicing.Result, error) {
	return s.eng.PostPayment(ctx, l.id, on, a.amount, servicing.Meta{IdempotencyKey: "pay:" + strconv.Itoa(a.k), Actor: "borrower"})
}

// endOfDay closes day d for every open loan with the engine's portfolio end
// of day, and notes the loans that closed. It returns the loans closed for
// d.
func (s *sim) endOfDay(ctx context.Context, d date.Date) (int, error) {
	ids := make([]servicing.LoanID, 0, len(s.loans))
	byID := make(map[servicing.LoanID]*plannedLoan, len(s.loans))
	s.mu.Lock()
	for _, l := range s.loans {
		if !s.closed[l.id] && d >= l.terms.FundingDate {
			ids = append(ids, l.id)
			byID[l.id] = l
		}
	}
	s.mu.Unlock()
	rep, err := s.eng.EndOfDayPortfolio(ctx, ids, d)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, o := range rep.Outcomes {
		if o.Err != nil {
			errs = append(errs, fmt.Errorf("loan %s: %w", o.Loan, o.Err))
			continue
		}
		s.note(byID[o.Loan], o.Result)
	}
	return len(ids), errors.Join(errs...)
}

// note tracks closed loans and days past due from a command's domain
// events: the milestones (30 ... 180 DPD) tell when a loan reaches the
// charge-off threshold, a cure resets it.
func (s *sim) note(l *plannedLoan, r servicing.Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range r.Domain {
		switch e.Type {
		case loan.DomainPaidOff, loan.DomainChargedOff:
			s.closed[l.id] = true
		case loan.DomainMilestone:
			s.dpd[l.id] = max(s.dpd[l.id], e.DaysPastDue)
		case loan.DomainDelinquencyCured:
			s.dpd[l.id] = 0
		}
	}
}

// deliveredLines lists the delivered domain events by type, most first,
// wrapped to the terminal tables' width: "outbox relay delivered 140 domain
// events:" then "  50 status_changed, 38 milestone_reached, ...".
func deliveredLines(by map[loan.DomainEventType]int) []string {
	types := make([]loan.DomainEventType, 0, len(by))
	total := 0
	for t, n := range by {
		types = append(types, t)
		total += n
	}
	if total == 0 {
		return []string{"outbox relay delivered no domain events"}
	}
	slices.SortFunc(types, func(a, b loan.DomainEventType) int {
		if by[a] != by[b] {
			return by[b] - by[a]
		}
		return strings.Compare(string(a), string(b))
	})
	lines := []string{fmt.Sprintf("outbox relay delivered %d domain events:", total)}
	cur := " "
	for i, t := range types {
		part := fmt.Sprintf(" %d %s", by[t], t)
		if i < len(types)-1 {
			part += ","
		}
		if len(cur)+len(part) > 88 {
			lines, cur = append(lines, cur), " "
		}
		cur += part
	}
	return append(lines, cur)
}
