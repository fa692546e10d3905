package servicing_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/party"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

func partyEngine(t *testing.T) (*servicing.Engine, *servicingtest.MemStore, *servicingtest.MemVault) {
	t.Helper()
	store, vault := servicingtest.NewMemStore(), servicingtest.NewMemVault()
	e, err := servicing.New(servicing.Config{Store: store, Now: new(clock).Now, CheckpointEvery: 4, Parties: vault})
	require.NoError(t, err)
	return e, store, vault
}

// logBytes is the loan's log as persisted (canonical JSON) and its digest.
func logBytes(t *testing.T, store *servicingtest.MemStore, id servicing.LoanID) ([]byte, [32]byte) {
	t.Helper()
	evs, err := store.Events(context.Background(), id, 1)
	require.NoError(t, err)
	b, err := json.Marshal(evs)
	require.NoError(t, err)
	return b, sha256.Sum256(b)
}

// TestPartiesAndRedaction: a borrower and a co-borrower on the test
// mortgage, a change of the borrower's e-mail logged as the field name
// only, a do-not-contact window honoured by the collections queue, and the
// borrower's data erased: the log's bytes, the state hash and every
// balance are what they were, the audit trail still says who changed
// which fields, and the data is gone from the vault.
func TestPartiesAndRedaction(t *testing.T) {
	ctx := context.Background()
	e, store, vault := partyEngine(t)
	id := servicing.LoanID("PTY-1")
	board(t, e, id, mortgage())
	alice := party.Contact{Name: "Alice Example", Email: "alice@example.com", Phone: "+1 555 0100", Preferred: party.Email,
		Language: "en", EConsent: true, EConsentOn: d(2024, 1, 15)}
	_, err := e.SetParty(ctx, id, d(2024, 1, 15), party.Party{ID: "P1", Role: party.Borrower}, alice, servicing.Meta{IdempotencyKey: "p1", Actor: "onboarding"})
	require.NoError(t, err)
	bob := party.Contact{Name: "Bob Example", Phone: "+1 555 0101",
		DoNotContact: []party.Window{{From: d(2024, 4, 1), To: d(2024, 5, 1)}}}
	_, err = e.SetParty(ctx, id, d(2024, 1, 15), party.Party{ID: "P2", Role: party.CoBorrower}, bob, key("p2"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, id, d(2024, 3, 1), usd("1199.10"), key("pay-mar"))
	require.NoError(t, err)
	alice.Email = "alice@new.example.com"
	r, err := e.SetParty(ctx, id, d(2024, 3, 5), party.Party{ID: "P1", Role: party.Borrower}, alice, servicing.Meta{IdempotencyKey: "p1-email", Actor: "agent-7", Reason: "borrower request"})
	require.NoError(t, err)
	require.Equal(t, []string{"email"}, r.Events[0].Payload.(loan.PartyChanged).Fields)
	again, err := e.SetParty(ctx, id, d(2024, 3, 5), party.Party{ID: "P1", Role: party.Borrower}, alice, servicing.Meta{IdempotencyKey: "p1-email", Actor: "agent-7", Reason: "borrower request"})
	require.NoError(t, err)
	require.True(t, again.Replayed)
	// The same key with other data is refused and leaves the stored
	// version as it was.
	other := alice
	other.Email = "mallory@example.com"
	_, err = e.SetParty(ctx, id, d(2024, 3, 5), party.Party{ID: "P1", Role: party.Borrower}, other, servicing.Meta{IdempotencyKey: "p1-email"})
	require.ErrorIs(t, err, servicing.ErrIdempotencyConflict)
	require.False(t, vault.Holds([]byte("mallory")))

	// The log never holds personal data.
	raw, _ := logBytes(t, store, id)
	for _, s := range []string{"Alice", "alice@", "555 0100", "Bob"} {
		require.False(t, bytes.Contains(raw, []byte(s)), s)
	}
	ps, err := e.Parties(ctx, id)
	require.NoError(t, err)
	require.Len(t, ps, 2)
	require.Equal(t, "alice@new.example.com", ps[0].Contact.Email)
	require.Len(t, ps[0].Versions, 2)
	require.Equal(t, "agent-7", ps[0].Versions[1].Actor)

	// Bob's do-not-contact window keeps the 1 Apr delinquency out of the
	// queue until 1 May.
	_, err = e.RecordContact(ctx, id, d(2024, 4, 2), loan.ContactAttempted{Channel: "phone", Outcome: loan.ContactNoAnswer}, key("call"))
	require.NoError(t, err)
	q, err := e.CollectionsQueue(ctx, []servicing.LoanID{id}, d(2024, 4, 20), collections.QueuePolicy{}, e.DoNotContact(ctx))
	require.NoError(t, err)
	require.Empty(t, q)
	q, err = e.CollectionsQueue(ctx, []servicing.LoanID{id}, d(2024, 5, 2), collections.QueuePolicy{}, e.DoNotContact(ctx))
	require.NoError(t, err)
	require.Len(t, q, 1)

	raw, sum := logBytes(t, store, id)
	before, err := e.State(ctx, id, d(2024, 6, 30))
	require.NoError(t, err)
	ledgerBefore, err := e.History(ctx, id, d(2024, 6, 30))
	require.NoError(t, err)

	require.NoError(t, e.RedactParty(ctx, id, "P1", servicing.Meta{IdempotencyKey: "erase", Actor: "privacy", Reason: "erasure request"}))

	rawAfter, sumAfter := logBytes(t, store, id)
	require.Equal(t, sum, sumAfter)
	require.Equal(t, raw, rawAfter)
	after, err := e.State(ctx, id, d(2024, 6, 30))
	require.NoError(t, err)
	require.Equal(t, before.Hash(), after.Hash())
	ledgerAfter, err := e.History(ctx, id, d(2024, 6, 30))
	require.NoError(t, err)
	require.Equal(t, ledgerBefore.State.Hash(), ledgerAfter.State.Hash())
	require.Equal(t, len(ledgerBefore.Transactions), len(ledgerAfter.Transactions))
	require.False(t, vault.Holds([]byte("alice")))
	er, ok := vault.Erasure(id, "P1")
	require.True(t, ok)
	require.Equal(t, "privacy", er.Actor)

	ps, err = e.Parties(ctx, id)
	require.NoError(t, err)
	require.True(t, ps[0].Redacted)
	require.Equal(t, party.Contact{}, ps[0].Contact)
	require.Equal(t, []string{"email"}, ps[0].Versions[1].Fields, "the audit trail keeps who changed which field")
	require.Equal(t, "Bob Example", ps[1].Contact.Name)

	// Bad party data is refused naming the fields, never echoing values.
	_, err = e.SetParty(ctx, id, d(2024, 6, 1), party.Party{ID: "", Role: "uncle"}, party.Contact{Preferred: "pigeon"}, key("bad"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Equal(t, []string{"Party.ID", "Party.Role", "Contact.Name", "Contact.Preferred"}, field.Fields(err))
	_, err = e.SetParty(ctx, id, d(2024, 6, 1), party.Party{ID: "P1", Role: party.Borrower}, alice, key("re-add"))
	require.ErrorIs(t, err, servicing.ErrRedacted)
}
