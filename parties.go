package servicing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/party"
	"github.com/rickb777/date/v2"
)

// Errors of the party commands.
var (
	// ErrNoVault means a party command ran on an engine without
	// Config.Parties.
	ErrNoVault = errors.New("servicing: no party vault configured")
	// ErrRedacted means a party's personal data was erased from the vault.
	ErrRedacted = errors.New("servicing: personal data erased")
)

// Erasure records who erased a party's personal data, when and why: the
// vault keeps it in place of the data (the loan's log is not touched).
type Erasure struct {
	Actor, Reason string
	At            time.Time
}

// PartyVault keeps the personal data of the people on a loan (party.Contact,
// as opaque bytes) outside the loan's log, so it never enters a state
// hash, an event's encoding or a checkpoint, and can be erased without
// touching them. A host backs it with its own store (encrypted at rest);
// servicingtest.MemVault is an in-memory one. Methods are safe for
// concurrent use.
type PartyVault interface {
	// PutContact stores one version of a party's data under ref
	// (overwriting the same ref: a retried command writes it again).
	//
	// Errors: ErrRedacted if the party was erased; the context's error.
	PutContact(ctx context.Context, loan LoanID, partyID, ref string, data []byte) error
	// Contact returns the data stored under ref.
	//
	// Errors: ErrNotFound; ErrRedacted if the party was erased; the
	// context's error.
	Contact(ctx context.Context, loan LoanID, partyID, ref string) ([]byte, error)
	// Erase deletes every version of the party's data and keeps e in its
	// place.
	//
	// Errors: the context's error.
	Erase(ctx context.Context, loan LoanID, partyID string, e Erasure) error
}

// PartyView is a party of a loan: who they are on it, their current
// contact data (unless erased) and every change with who made it.
type PartyView struct {
	party.Party
	// Contact is the latest version of the party's data; zero when
	// Removed or Redacted.
	Contact party.Contact `json:"contact"`
	// Removed marks a party taken off the loan; Redacted one whose
	// personal data was erased.
	Removed  bool `json:"removed,omitempty"`
	Redacted bool `json:"redacted,omitempty"`
	// Versions are the changes, oldest first (the audit trail).
	Versions []loan.PartyVersion `json:"versions"`
}

// SetParty adds a party to the loan or changes one, effective on on: the
// contact data goes to the vault, and the log records the party's id and
// role, the vault reference and the names of the fields that changed
// (never their values). Errors: ErrNoVault; ErrInvalidCommand naming every
// bad field (values are not echoed); ErrRedacted for a party whose data
// was erased; store and vault errors.
func (e *Engine) SetParty(ctx context.Context, id LoanID, on date.Date, p party.Party, c party.Contact, m Meta) (Result, error) {
	if e.parties == nil {
		return Result{}, fmt.Errorf("set party loan %q: %w", id, ErrNoVault)
	}
	var fl field.List
	for _, err := range []error{p.Validate("Party"), c.Validate("Contact")} {
		for _, fe := range field.Errors(err) {
			fl.Append(fe)
		}
	}
	if err := fl.Err(ErrInvalidCommand); err != nil {
		return Result{}, fmt.Errorf("set party loan %q: %w", id, err)
	}
	if err := m.validate(id); err != nil {
		return Result{}, fmt.Errorf("set party loan %q: %w", id, err)
	}
	views, err := e.parties2(ctx, id, m.IdempotencyKey)
	if err != nil {
		return Result{}, err
	}
	var prev party.Contact
	for _, v := range views {
		if v.ID == p.ID {
			prev = v.Contact
		}
	}
	data, err := json.Marshal(c)
	if err != nil {
		return Result{}, fmt.Errorf("set party loan %q: %w", id, err)
	}
	ref := p.ID + "@" + m.IdempotencyKey
	cmd := command{kind: loan.KindPartyChanged, on: on, meta: m,
		payload: loan.PartyChanged{Party: p, Ref: ref, Fields: party.Changed(prev, c)},
		check:   func(l loaded, fl *field.List) { onOrAfterBoarding(fl, on, l) }}
	// A retry, or a reuse of the key for other data, is answered before the
	// vault is written: the data a committed event refers to is never
	// overwritten.
	h, err := cmd.hash()
	if err != nil {
		return Result{}, fmt.Errorf("set party loan %q: %w: %w", id, ErrInvalidCommand, err)
	}
	if r, done, err := e.lookup(ctx, id, m.IdempotencyKey, h); done || err != nil {
		if err == nil {
			// The log's payload names no values: the vault tells a retry
			// from the key reused for other data.
			if stored, verr := e.parties.Contact(ctx, id, p.ID, ref); verr == nil && !bytes.Equal(stored, data) {
				return Result{}, fmt.Errorf("set party loan %q key %q: %w", id, m.IdempotencyKey, ErrIdempotencyConflict)
			}
		}
		return r, err
	}
	if err := e.parties.PutContact(ctx, id, p.ID, ref, data); err != nil {
		return Result{}, fmt.Errorf("set party loan %q: %w", id, err)
	}
	return e.execute(ctx, id, cmd)
}

// RemoveParty takes a party off the loan, effective on on (its data stays
// in the vault until RedactParty). Errors: ErrNoVault, ErrInvalidCommand
// naming an unknown party, store errors.
func (e *Engine) RemoveParty(ctx context.Context, id LoanID, on date.Date, partyID string, m Meta) (Result, error) {
	if e.parties == nil {
		return Result{}, fmt.Errorf("remove party loan %q: %w", id, ErrNoVault)
	}
	views, err := e.parties2(ctx, id, m.IdempotencyKey)
	if err != nil {
		return Result{}, err
	}
	for _, v := range views {
		if v.ID == partyID {
			return e.execute(ctx, id, command{kind: loan.KindPartyChanged, on: on, meta: m,
				payload: loan.PartyChanged{Party: v.Party, Removed: true},
				check:   func(l loaded, fl *field.List) { onOrAfterBoarding(fl, on, l) }})
		}
	}
	var fl field.List
	fl.Add("Party", partyID, field.ErrInvalid, "no such party on the loan")
	return Result{}, fmt.Errorf("remove party loan %q: %w", id, fl.Err(ErrInvalidCommand))
}

// RedactParty erases a party's personal data from the vault (a borrower's
// right to erasure, the end of a retention period). The loan's log is not
// touched: the party's changes stay in the audit trail as who changed
// which fields, the loan replays as before and every balance and hash is
// unchanged. The vault records the erasure (m.Actor, m.Reason, the
// engine's clock). Errors: ErrNoVault, ErrInvalidCommand naming an unknown
// party, store and vault errors.
func (e *Engine) RedactParty(ctx context.Context, id LoanID, partyID string, m Meta) error {
	if e.parties == nil {
		return fmt.Errorf("redact party loan %q: %w", id, ErrNoVault)
	}
	_, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return err
	}
	for _, vs := range loan.Parties(evs) {
		if vs[0].Party.ID == partyID {
			return e.parties.Erase(ctx, id, partyID, Erasure{Actor: m.Actor, Reason: m.Reason, At: e.now()})
		}
	}
	var fl field.List
	fl.Add("Party", partyID, field.ErrInvalid, "no such party on the loan")
	return fmt.Errorf("redact party loan %q: %w", id, fl.Err(ErrInvalidCommand))
}

// Parties returns the loan's parties, in the order they were added, each
// with its current contact data from the vault and its audit trail.
// Errors: ErrNoVault, ErrNotFound, store and vault errors.
func (e *Engine) Parties(ctx context.Context, id LoanID) ([]PartyView, error) {
	if e.parties == nil {
		return nil, fmt.Errorf("parties loan %q: %w", id, ErrNoVault)
	}
	return e.parties2(ctx, id, "")
}

// parties2 is Parties over the log's changes, leaving out those written
// under the idempotency key skip (a retried command compares against what
// came before it).
func (e *Engine) parties2(ctx context.Context, id LoanID, skip string) ([]PartyView, error) {
	_, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return nil, err
	}
	if skip != "" {
		kept := make([]loan.Event, 0, len(evs))
		for _, ev := range evs {
			if ev.Kind != loan.KindPartyChanged || ev.IdempotencyKey != skip {
				kept = append(kept, ev)
			}
		}
		evs = kept
	}
	out := []PartyView{}
	for _, vs := range loan.Parties(evs) {
		last := vs[len(vs)-1]
		v := PartyView{Party: last.Party, Removed: last.Removed, Versions: vs}
		if !last.Removed {
			b, err := e.parties.Contact(ctx, id, last.Party.ID, last.Ref)
			switch {
			case errors.Is(err, ErrRedacted):
				v.Redacted = true
			case err != nil:
				return nil, fmt.Errorf("parties loan %q party %q: %w", id, last.Party.ID, err)
			default:
				if err := json.Unmarshal(b, &v.Contact); err != nil {
					return nil, fmt.Errorf("parties loan %q party %q: %w", id, last.Party.ID, err)
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// DoNotContact returns a test for CollectionsQueue: whether any current
// party of the loan is in a do-not-contact window on the day. A loan whose
// parties cannot be read counts as blocked (contacting it is the risk).
// Without a vault nothing is blocked.
func (e *Engine) DoNotContact(ctx context.Context) func(LoanID, date.Date) bool {
	return func(id LoanID, day date.Date) bool {
		if e.parties == nil {
			return false
		}
		vs, err := e.Parties(ctx, id)
		if err != nil {
			return true
		}
		for _, v := range vs {
			if !v.Removed && v.Contact.Blocked(day, "") {
				return true
			}
		}
		return false
	}
}
