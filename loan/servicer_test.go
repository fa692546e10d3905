package loan_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/party"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestRecordEventsRoundTrip: every payload kind without a money effect
// (and the pause, draw and escrow payloads) decodes from its persisted
// form into the same value, so a log read back from a store or a transfer
// package folds as it was written.
func TestRecordEventsRoundTrip(t *testing.T) {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	on := date.New(2025, time.March, 1)
	payloads := []loan.Payload{
		loan.ServicingTransferred{From: "Old", To: "New", TransferOn: on},
		loan.RequestReceived{Type: loan.RequestPayoff},
		loan.NoticeSent{Notice: "payoff_statement|2025-03-01|2025-03-12"},
		loan.PromiseMade{Amount: usd("100.00"), On: on, Channel: "phone"},
		loan.ArrangementMade{Payments: []collections.Planned{{On: on, Amount: usd("50.00")}}, HoldLateFees: true},
		loan.ContactAttempted{Channel: "phone", Outcome: loan.ContactRightParty},
		loan.PartyChanged{Party: party.Party{ID: "P1", Role: party.Borrower}, Ref: "P1@k", Fields: []string{"email"}},
		loan.Paused{To: on + 30},
		loan.Drawn{Amount: usd("10.00")},
		loan.EscrowRefunded{Amount: usd("5.00")},
	}
	for i, p := range payloads {
		ev := loan.Event{Seq: int64(i + 2), Kind: p.Kind(), EffectiveOn: on, RecordedAt: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), Payload: p}
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		var back loan.Event
		require.NoError(t, json.Unmarshal(b, &back), string(p.Kind()))
		require.Equal(t, ev.Payload, back.Payload, string(p.Kind()))
	}
}
