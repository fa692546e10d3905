package servicingtest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// outboxEvents returns n distinct domain events tagged by day offset.
func outboxEvents(n int, off int) []loan.DomainEvent {
	out := make([]loan.DomainEvent, n)
	for i := range out {
		out[i] = loan.DomainEvent{Type: loan.DomainFeeAssessed, On: day + 20 + date.Date(off+i),
			Amount: money.MustNew(int64(1000+off+i), money.USD), Ref: int64(off + i + 1)}
	}
	out[0] = loan.DomainEvent{Type: loan.DomainStatusChanged, On: out[0].On, From: loan.StatusCurrent, To: loan.StatusDelinquent, DaysPastDue: 1}
	return out
}

// pendingOf reads every pending record (up to 10,000) and returns those of
// the loans whose ids start with prefix, checking the positions increase
// and that a smaller limit returns a prefix of the same list.
func pendingOf(t *testing.T, ob servicing.OutboxReader, prefix string) []servicing.OutboxRecord {
	t.Helper()
	ctx := context.Background()
	all, err := ob.PendingOutbox(ctx, 10000)
	if err != nil {
		t.Fatalf("PendingOutbox: %v", err)
	}
	var out []servicing.OutboxRecord
	for i, r := range all {
		if i > 0 && r.Position <= all[i-1].Position {
			t.Fatalf("PendingOutbox: position %d after %d", r.Position, all[i-1].Position)
		}
		if strings.HasPrefix(string(r.ID.Loan), prefix) {
			out = append(out, r)
		}
	}
	for _, limit := range []int{0, 1, 2} {
		some, err := ob.PendingOutbox(ctx, limit)
		if err != nil {
			t.Fatalf("PendingOutbox(%d): %v", limit, err)
		}
		if n := min(limit, len(all)); len(some) != n || n > 0 && some[n-1].ID != all[n-1].ID {
			t.Fatalf("PendingOutbox(%d) returned %d records, not the first %d", limit, len(some), n)
		}
	}
	return out
}

type wantRecord struct {
	id servicing.OutboxID
	ev loan.DomainEvent
}

func wantOutbox(t *testing.T, got []servicing.OutboxRecord, want []wantRecord) {
	t.Helper()
	g := make([]string, len(got))
	for i, r := range got {
		b, _ := json.Marshal(r.Event)
		g[i] = r.ID.String() + " " + string(b)
	}
	w := make([]string, len(want))
	for i, r := range want {
		b, _ := json.Marshal(r.ev)
		w[i] = r.id.String() + " " + string(b)
	}
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Fatalf("pending outbox:\n got %s\nwant %s", strings.Join(g, "\n     "), strings.Join(w, "\n     "))
	}
}

// testOutbox checks a store that is a servicing.OutboxReader: a commit's
// outbox records are written with it and only with it, numbered (loan, new
// version, index), read in commit order per loan, limited from the first
// pending record, and gone once acknowledged; a batch with records and no events is refused.
func testOutbox(t *testing.T, s servicing.Store) {
	ob, ok := s.(servicing.OutboxReader)
	if !ok {
		t.Skip("not an OutboxReader")
	}
	ctx := context.Background()
	prefix := string(loanID(t, ""))
	a, b := loanID(t, "-a"), loanID(t, "-b")
	evA1, evB, evA2 := outboxEvents(3, 0), outboxEvents(1, 10), outboxEvents(2, 20)
	mustCommit(t, s, a, 0, servicing.Batch{Events: testEvents(0, 2, "a1"), Outbox: evA1, Idempotency: record("a1", 2)})
	mustCommit(t, s, b, 0, servicing.Batch{Events: testEvents(0, 1, "b1"), Outbox: evB})
	mustCommit(t, s, a, 2, servicing.Batch{Events: testEvents(2, 1, "quiet")}) // no records
	mustCommit(t, s, a, 3, servicing.Batch{Events: testEvents(3, 1, "a2"), Outbox: evA2})

	// Failed commits write no records.
	if _, err := s.Commit(ctx, a, 1, servicing.Batch{Events: testEvents(1, 1, "stale"), Outbox: outboxEvents(1, 30)}); !errors.Is(err, servicing.ErrVersionConflict) {
		t.Fatalf("stale commit with outbox = %v, want ErrVersionConflict", err)
	}
	if _, err := s.Commit(ctx, a, 4, servicing.Batch{Events: testEvents(4, 1, "a1"), Outbox: outboxEvents(1, 40), Idempotency: record("a1", 5)}); !errors.Is(err, servicing.ErrDuplicateKey) {
		t.Fatalf("duplicate-key commit with outbox = %v, want ErrDuplicateKey", err)
	}
	if _, err := s.Commit(ctx, a, 4, servicing.Batch{Outbox: outboxEvents(1, 50)}); !errors.Is(err, servicing.ErrInvalidBatch) {
		t.Fatalf("outbox without events = %v, want ErrInvalidBatch", err)
	}

	want := []wantRecord{
		{servicing.OutboxID{Loan: a, Version: 2, Index: 0}, evA1[0]},
		{servicing.OutboxID{Loan: a, Version: 2, Index: 1}, evA1[1]},
		{servicing.OutboxID{Loan: a, Version: 2, Index: 2}, evA1[2]},
		{servicing.OutboxID{Loan: b, Version: 1, Index: 0}, evB[0]},
		{servicing.OutboxID{Loan: a, Version: 4, Index: 0}, evA2[0]},
		{servicing.OutboxID{Loan: a, Version: 4, Index: 1}, evA2[1]},
	}
	wantOutbox(t, pendingOf(t, ob, prefix), want)

	// Acknowledged records are gone; acknowledging again, or an unknown
	// id, is harmless.
	ack := []servicing.OutboxID{want[0].id, want[3].id, want[4].id}
	for range 2 {
		if err := ob.AckOutbox(ctx, append(ack, servicing.OutboxID{Loan: a, Version: 99})); err != nil {
			t.Fatalf("AckOutbox: %v", err)
		}
	}
	wantOutbox(t, pendingOf(t, ob, prefix), []wantRecord{want[1], want[2], want[5]})
	if err := ob.AckOutbox(ctx, []servicing.OutboxID{want[1].id, want[2].id, want[5].id}); err != nil {
		t.Fatalf("AckOutbox: %v", err)
	}
	wantOutbox(t, pendingOf(t, ob, prefix), nil)
	if err := ob.AckOutbox(ctx, nil); err != nil {
		t.Fatalf("AckOutbox(nil): %v", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ob.PendingOutbox(cctx, 10); !errors.Is(err, context.Canceled) {
		t.Fatalf("PendingOutbox on a cancelled context = %v", err)
	}
	if err := ob.AckOutbox(cctx, ack); !errors.Is(err, context.Canceled) {
		t.Fatalf("AckOutbox on a cancelled context = %v", err)
	}
}
