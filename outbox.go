package servicing

import (
	"context"
	"strconv"

	"github.com/lendcore/servicing/loan"
)

// OutboxID identifies one outbox record for good: the loan, the version its
// commit produced and the record's place among that commit's domain events.
// It never changes, so a consumer that may receive a record twice (delivery
// is at least once) deduplicates by it.
type OutboxID struct {
	Loan    LoanID `json:"loan"`
	Version int64  `json:"version"`
	Index   int    `json:"index"`
}

// String is the id's text form, "loan/version/index"; the loan id may itself
// contain slashes, so parse from the right.
func (id OutboxID) String() string {
	b := make([]byte, 0, len(id.Loan)+24)
	b = append(b, id.Loan...)
	b = strconv.AppendInt(append(b, '/'), id.Version, 10)
	b = strconv.AppendInt(append(b, '/'), int64(id.Index), 10)
	return string(b)
}

// OutboxRecord is one domain event as the outbox holds it.
type OutboxRecord struct {
	// ID is the record's stable id.
	ID OutboxID `json:"id"`
	// Position is the store's order of the outbox: for one loan it grows
	// with the version and the index. Across loans a commit may take a
	// position below one already visible (its transaction commits later),
	// so it is not a cursor to resume from.
	Position int64 `json:"position"`
	// Event is the domain event.
	Event loan.DomainEvent `json:"event"`
}

// String is the record for a log line: its id, position, event type and
// business date, e.g. "L1/2/0 @7 fee_assessed 2024-03-17".
func (r OutboxRecord) String() string {
	b := make([]byte, 0, 64)
	b = append(b, r.ID.String()...)
	b = strconv.AppendInt(append(b, " @"...), r.Position, 10)
	b = append(append(b, ' '), r.Event.Type...)
	b = append(append(b, ' '), r.Event.On.String()...)
	return string(b)
}

// OutboxReader is an optional extension of Store: the transactional outbox.
// A store that implements it keeps every commit's Batch.Outbox in the same
// transaction as the batch's events, so a domain event exists exactly when
// the commit that caused it does, and hands the records to a consumer (a
// relay to notices, webhooks, general-ledger postings) until they are
// acknowledged.
//
// A store that does not implement it ignores Batch.Outbox: the host then
// learns of domain events only from command results, which a process that
// dies between the commit and acting on the result never sees again (the
// idempotent retry returns the stored result, but only if the host retries).
//
// Delivery is at least once: a consumer that dies after delivering a record
// and before acknowledging it gets the record again, so it deduplicates by
// [OutboxID]. Records come in order per loan to a consumer that
// acknowledges what it delivered before it reads again, as [DrainOutbox]
// does; run one such consumer at a time per store (for example behind a
// database lock).
type OutboxReader interface {
	// PendingOutbox returns the first limit records not yet acknowledged,
	// in Position order. When it returns a record, every earlier record of
	// the same loan is either acknowledged or returned before it: a loan's
	// records become visible together with their commit, and its later
	// commits take higher positions.
	//
	// Errors: the context's error if ctx is done.
	PendingOutbox(ctx context.Context, limit int) ([]OutboxRecord, error)
	// AckOutbox marks the records delivered: PendingOutbox no longer returns
	// them. Acknowledging a record twice, or an id the outbox does not hold,
	// is not an error.
	//
	// Errors: the context's error if ctx is done.
	AckOutbox(ctx context.Context, ids []OutboxID) error
}

// DrainOutbox delivers the outbox until nothing is pending: it reads up to
// limit records (0: 100), hands them to deliver, acknowledges them once
// deliver returns nil and reads again, and returns the number of records
// delivered. If deliver fails it stops with those records unacknowledged,
// so they come again next time (at least once); deliver must therefore be
// idempotent by [OutboxID]. A relay calls it in a loop, one relay at a time.
func DrainOutbox(ctx context.Context, ob OutboxReader, limit int, deliver func(context.Context, []OutboxRecord) error) (int, error) {
	if limit <= 0 {
		limit = 100
	}
	n := 0
	ids := make([]OutboxID, 0, limit)
	for {
		// Always from the first pending record, never from a position
		// cursor: a commit may take positions below those of one already
		// read, and a cursor would skip them.
		recs, err := ob.PendingOutbox(ctx, limit)
		if err != nil {
			return n, err
		}
		if len(recs) == 0 {
			return n, nil
		}
		if err := deliver(ctx, recs); err != nil {
			return n, err
		}
		ids = ids[:0]
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
		if err := ob.AckOutbox(ctx, ids); err != nil {
			return n, err
		}
		n += len(recs)
	}
}
