package servicing

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
)

// AuditEntry is one line of a loan's audit trail: a recorded event with
// who recorded it, when and why, or a movement the engine made itself
// (a late fee, a suspense sweep, a scheduled escrow bill, a pause's
// interest) with the command whose fold made it.
type AuditEntry struct {
	// Seq is the event's sequence number (0 for an engine movement).
	Seq int64 `json:"seq"`
	// Kind is the event's kind, or the movement's for one the fold made
	// (loan.TransactionLateFee, ...).
	Kind loan.TransactionKind `json:"kind"`
	// EffectiveOn is the business date it applies to.
	EffectiveOn date.Date `json:"effective_on"`
	// RecordedAt, Actor, Reason and Key are the recording command's (for
	// an engine movement, those of the first event on or after its date:
	// the command whose fold made it).
	RecordedAt time.Time `json:"recorded_at"`
	Actor      string    `json:"actor,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Key        string    `json:"key,omitempty"`
	// Generated marks an engine movement; BySeq is then the event that
	// made it (0: the fold to the trail's date).
	Generated bool  `json:"generated,omitempty"`
	BySeq     int64 `json:"by_seq,omitempty"`
	// Amount is the money the entry moved (zero when none).
	Amount money.Amount `json:"amount,omitzero"`
	// Reversed marks a payment a later reversal undid.
	Reversed bool `json:"reversed,omitempty"`
}

// AuditFilter narrows an audit trail: effective dates in [From, To]
// (zero: unbounded) and kinds (empty: all).
type AuditFilter struct {
	From, To date.Date
	Kinds    []loan.TransactionKind
}

// AuditTrail returns the loan's audit trail as its log stands, folded to
// the filter's To (or the latest effective date): every recorded event
// with its effective date, recorded time, actor, reason and key, and the
// movements the engine made itself, in the order the fold met them,
// filtered by period and kind.
func (e *Engine) AuditTrail(ctx context.Context, id LoanID, f AuditFilter) ([]AuditEntry, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return nil, err
	}
	to := f.To
	if to == 0 {
		for _, ev := range evs {
			to = max(to, ev.EffectiveOn)
		}
	}
	l, err := loan.ReplayLedger(terms, evs, to)
	if err != nil {
		return nil, fmt.Errorf("audit trail loan %q: %w", id, err)
	}
	bySeq := make(map[int64]loan.Event, len(evs))
	for _, ev := range evs {
		bySeq[ev.Seq] = ev
	}
	// The fold's order: effective date, then sequence.
	order := slices.Clone(evs)
	slices.SortStableFunc(order, func(a, b loan.Event) int {
		if a.EffectiveOn != b.EffectiveOn {
			return int(a.EffectiveOn - b.EffectiveOn)
		}
		return int(a.Seq - b.Seq)
	})
	keep := func(kind loan.TransactionKind, on date.Date) bool {
		return (f.From == 0 || on >= f.From) && (f.To == 0 || on <= f.To) && (len(f.Kinds) == 0 || slices.Contains(f.Kinds, kind))
	}
	var out []AuditEntry
	seen := map[int64]bool{}
	for _, tx := range l.Transactions {
		if tx.Seq != 0 {
			ev, ok := bySeq[tx.Seq]
			if !ok {
				continue
			}
			seen[tx.Seq] = true
			if keep(loan.TransactionKind(ev.Kind), ev.EffectiveOn) {
				out = append(out, entryOf(ev, tx.Amount, tx.Reversed))
			}
			continue
		}
		if !keep(tx.Kind, tx.Date) {
			continue
		}
		en := AuditEntry{Kind: tx.Kind, EffectiveOn: tx.Date, Generated: true, Amount: tx.Amount}
		if i := slices.IndexFunc(order, func(ev loan.Event) bool { return ev.EffectiveOn >= tx.Date }); i >= 0 {
			by := order[i]
			en.BySeq, en.RecordedAt, en.Actor, en.Reason, en.Key = by.Seq, by.RecordedAt, by.Actor, by.Reason, by.IdempotencyKey
		}
		out = append(out, en)
	}
	// Events the ledger records no movement for (end of day, rate changes,
	// modifications...), in the fold's order among the others.
	for _, ev := range order {
		if !seen[ev.Seq] && ev.EffectiveOn <= to && keep(loan.TransactionKind(ev.Kind), ev.EffectiveOn) {
			out = append(out, entryOf(ev, money.Amount{}, false))
		}
	}
	slices.SortStableFunc(out, func(a, b AuditEntry) int {
		if a.EffectiveOn != b.EffectiveOn {
			return int(a.EffectiveOn - b.EffectiveOn)
		}
		// On one date: recorded events by sequence, each engine movement
		// before the event whose fold made it.
		sa, sb := a.Seq, b.Seq
		if a.Generated {
			sa = a.BySeq
		}
		if b.Generated {
			sb = b.BySeq
		}
		if sa != sb {
			return int(sa - sb)
		}
		switch {
		case a.Generated && !b.Generated:
			return -1
		case b.Generated && !a.Generated:
			return 1
		}
		return 0
	})
	return out, nil
}

func entryOf(ev loan.Event, amt money.Amount, reversed bool) AuditEntry {
	return AuditEntry{Seq: ev.Seq, Kind: loan.TransactionKind(ev.Kind), EffectiveOn: ev.EffectiveOn, RecordedAt: ev.RecordedAt,
		Actor: ev.Actor, Reason: ev.Reason, Key: ev.IdempotencyKey, Amount: amt, Reversed: reversed}
}

// AuditTable is an audit trail as a report.Table (its CSV and terminal
// form): one row per entry, every field a labelled column.
func AuditTable(entries []AuditEntry) report.Table {
	t := report.Table{Name: "audit", Header: []string{"seq", "kind", "effective_on", "recorded_at", "actor", "reason", "key",
		"generated", "by_seq", "amount", "reversed"}}
	for _, a := range entries {
		amt := ""
		if !a.Amount.IsZero() {
			amt = a.Amount.String()
		}
		t.Rows = append(t.Rows, []string{strconv.FormatInt(a.Seq, 10), string(a.Kind), a.EffectiveOn.String(),
			a.RecordedAt.UTC().Format(time.RFC3339Nano), a.Actor, a.Reason, a.Key, strconv.FormatBool(a.Generated),
			strconv.FormatInt(a.BySeq, 10), amt, strconv.FormatBool(a.Reversed)})
	}
	return t
}
