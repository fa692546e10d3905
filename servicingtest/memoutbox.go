package servicingtest

import (
	"context"
	"slices"
	"sync"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
)

// memOutbox is MemStore's transactional outbox: records in position order
// (position i+1 at index i), with their acknowledgements.
type memOutbox struct {
	mu    sync.Mutex
	recs  []servicing.OutboxRecord
	acked []bool
	index map[servicing.OutboxID]int
	// first is the index of the first unacknowledged record, so a pass
	// skips the delivered prefix without scanning it.
	first int
}

// add appends a commit's records. The caller holds the loan's lock.
func (o *memOutbox) add(id servicing.LoanID, version int64, evs []loan.DomainEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.index == nil {
		o.index = map[servicing.OutboxID]int{}
	}
	for i, ev := range evs {
		oid := servicing.OutboxID{Loan: id, Version: version, Index: i}
		o.index[oid] = len(o.recs)
		o.recs = append(o.recs, servicing.OutboxRecord{ID: oid, Position: int64(len(o.recs)) + 1, Event: ev})
		o.acked = append(o.acked, false)
	}
}

func (o *memOutbox) cloneInto(c *memOutbox) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c.recs, c.acked, c.first = slices.Clone(o.recs), slices.Clone(o.acked), o.first
	c.index = make(map[servicing.OutboxID]int, len(o.index))
	for k, v := range o.index {
		c.index[k] = v
	}
}

// PendingOutbox implements [servicing.OutboxReader].
func (s *MemStore) PendingOutbox(ctx context.Context, limit int) ([]servicing.OutboxRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o := &s.outbox
	o.mu.Lock()
	defer o.mu.Unlock()
	out := []servicing.OutboxRecord{}
	for i := o.first; i < len(o.recs) && len(out) < limit; i++ {
		if !o.acked[i] {
			out = append(out, o.recs[i])
		}
	}
	return out, nil
}

// AckOutbox implements [servicing.OutboxReader].
func (s *MemStore) AckOutbox(ctx context.Context, ids []servicing.OutboxID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o := &s.outbox
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, id := range ids {
		if i, ok := o.index[id]; ok {
			o.acked[i] = true
		}
	}
	for o.first < len(o.acked) && o.acked[o.first] {
		o.first++
	}
	return nil
}
