package servicing

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// LoanOutcome is one loan's end-of-day result or error.
type LoanOutcome struct {
	Loan   LoanID // the loan
	Result Result // its end-of-day result, when Err is nil
	Err    error  // what stopped its end of day (no other loan is affected)
}

// PortfolioReport is the outcome of end of day over many loans, in the
// order the loans were given.
type PortfolioReport struct {
	// Date is the business date closed.
	Date date.Date
	// Outcomes has one entry per loan given.
	Outcomes []LoanOutcome
}

// Failed returns the outcomes that ended in an error.
func (r PortfolioReport) Failed() []LoanOutcome {
	var out []LoanOutcome
	for _, o := range r.Outcomes {
		if o.Err != nil {
			out = append(out, o)
		}
	}
	return out
}

// EndOfDayPortfolio runs EndOfDay for date on over loans with a bounded pool
// of Config.Workers goroutines. A loan's error is recorded in its outcome and
// never stops the others. When ctx is cancelled no further loan starts; the
// loans not started get ctx's error, and so does the call.
//
// On a store that is a [DayCloser], a loan's quiet day (no domain event)
// writes nothing, and a call that ends with no loan failed records the day
// for these loans; a call for a day so recorded over the same loans runs
// nothing and reports what the first call did, as any command run again
// with its idempotency key does: a loan's first result (its events and
// domain events, marked Replayed), or, for a loan whose day was quiet, its
// current version with no events. A host that crashed after the record
// and runs the day again so learns the day's domain events all the same.
func (e *Engine) EndOfDayPortfolio(ctx context.Context, loans []LoanID, on date.Date) (PortfolioReport, error) {
	rep := PortfolioReport{Date: on, Outcomes: make([]LoanOutcome, len(loans))}
	for i, id := range loans {
		rep.Outcomes[i].Loan = id
	}
	meta := Meta{IdempotencyKey: eodKey(on), Actor: "end-of-day"}
	// The metadata is checked once here, each loan's id by its command.
	var fl field.List
	meta.fields(&fl)
	if err := fl.Err(ErrInvalidCommand); err != nil {
		return rep, err
	}
	sum := eodHash(on)
	// A DayCloser store records the day once for the portfolio, so a quiet
	// loan-day writes nothing and a closed day is not run again.
	dc, closing := e.store.(DayCloser)
	var digest [32]byte
	if closing {
		digest = loansDigest(loans)
		if done, err := dc.DayClosed(ctx, on, digest); err != nil || done {
			return e.closedDay(ctx, rep, meta.IdempotencyKey, sum, err)
		}
	}
	// Workers take the next loan from a shared counter (no channel hand-off
	// per loan); once ctx is done, every loan not yet started gets its error.
	var next, failed atomic.Int64
	var stopped atomic.Bool
	var wg sync.WaitGroup
	hints := e.heads.portfolioHints(len(loans))
	for range min(e.workers, max(len(loans), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mem workerMem
			for {
				i := int(next.Add(1) - 1)
				if i >= len(loans) {
					return
				}
				if err := ctx.Err(); err != nil {
					stopped.Store(true)
					rep.Outcomes[i] = LoanOutcome{Loan: loans[i], Err: err}
					continue
				}
				mem.head = nil
				if hints != nil {
					mem.head = hints[i].Load()
				}
				r, err := e.endOfDay(ctx, loans[i], on, meta, sum, &mem, closing)
				if hints != nil {
					hints[i].Store(mem.head)
				}
				rep.Outcomes[i] = LoanOutcome{Loan: loans[i], Result: r, Err: err}
				if err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if stopped.Load() {
		return rep, ctx.Err()
	}
	if closing && failed.Load() == 0 {
		if err := dc.CloseDay(ctx, on, digest); err != nil {
			return rep, fmt.Errorf("end of day %s: day-close record: %w", on, err)
		}
	}
	return rep, nil
}

// batchRecs are the records of one command's batch besides its events.
type batchRecs struct {
	cp  Checkpoint
	idm IdempotencyRecord
}

// workerMem is what one portfolio end-of-day worker reuses from loan to
// loan: the buffer a loan's events are read into, its batch records and
// their encodings (a store keeps no reference to a batch: servicingtest's
// NoAliasing), a block the loans' new events are carved from, one
// allocation for many, and the hint to the loan's head.
type workerMem struct {
	read  []loan.Event
	recs  batchRecs
	buf   []byte
	block []loan.Event
	// unused is an event handed back (unuse), handed out again first.
	unused []loan.Event
	// head is the hint to the current loan's head (headCache.get).
	head *head
}

// eventBlock is the number of events one block holds (about 30 KB).
const eventBlock = 256

// event returns room for one new event, never handed out before or handed
// back unused (unuse): the event ends up in its loan's Result, so a block
// is never reused. Its capacity is 1, so appending to it copies.
func (w *workerMem) event() []loan.Event {
	if ev := w.unused; ev != nil {
		w.unused = nil
		return ev
	}
	if len(w.block) == 0 {
		w.block = make([]loan.Event, eventBlock)
	}
	ev := w.block[:1:1]
	w.block = w.block[1:]
	return ev
}

// unuse hands back ev, the event last returned by event, which ended up
// in no Result (a quiet day that wrote nothing): the next loan's command
// takes it instead of a new one.
func (w *workerMem) unuse(ev []loan.Event) {
	ev[0] = loan.Event{}
	w.unused = ev
}

// closedDay is the report of a day the store's DayCloser record shows
// closed over the same loans (err nil): each loan's first end-of-day
// result, from its idempotency record, or, for a quiet day (nothing
// written, so no record), its current version and no events; or err for
// every loan when the record could not be read.
func (e *Engine) closedDay(ctx context.Context, rep PortfolioReport, key string, sum *[32]byte, err error) (PortfolioReport, error) {
	if err != nil {
		err = fmt.Errorf("end of day %s: day-close record: %w", rep.Date, err)
	}
	for i := range rep.Outcomes {
		o := &rep.Outcomes[i]
		if err != nil {
			o.Err = err
			continue
		}
		r, found, lerr := e.lookup(ctx, o.Loan, key, *sum)
		if lerr != nil || found {
			o.Result, o.Err = r, lerr
			continue
		}
		_, v, verr := e.store.LoadCheckpoint(ctx, o.Loan, date.Max())
		o.Result, o.Err = Result{Loan: o.Loan, Version: v, Events: []loan.Event{}, Domain: []loan.DomainEvent{}, Replayed: true}, verr
	}
	if err == nil {
		err = ctx.Err()
	}
	return rep, err
}

// loansDigest is the SHA-256 of the loan ids in sorted order, each length
// prefixed: the key of a DayCloser record.
// A portfolio usually comes in order, so the ids are sorted only when they
// are not, and hashed through a buffer rather than two writes an id (the
// bytes hashed are the same: TestLoansDigest).
func loansDigest(loans []LoanID) [32]byte {
	ids := loans
	if !slices.IsSorted(ids) {
		ids = slices.Clone(loans)
		slices.Sort(ids)
	}
	h := sha256.New()
	b := make([]byte, 0, 8<<10)
	for _, id := range ids {
		if len(b)+binary.MaxVarintLen64+len(id) > cap(b) {
			h.Write(b)
			b = b[:0]
		}
		b = binary.AppendUvarint(b, uint64(len(id)))
		b = append(b, id...)
	}
	h.Write(b)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}
