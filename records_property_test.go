package servicing_test

import (
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/party"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestRecordEventsMoveNoMoney: random histories (payments, reversals,
// modifications, charge-offs...) with transfers, requests, sent notices,
// promises, arrangements, contacts and party changes added at random
// dates fold to the same state as without them — every balance, date and
// status; only Version counts them — and report the same domain events
// besides the notices they make due.
func TestRecordEventsMoveNoMoney(t *testing.T) {
	asOf := d(2030, 1, 1)
	folded := 0
	for seed := range uint64(40) {
		l := randomLog(seed, 60)
		plain := append([]loan.Event(nil), l.events...)
		r := rand.New(rand.NewPCG(seed, 7))
		last := l.events[len(l.events)-1].EffectiveOn
		for range 12 {
			on := l.terms.FundingDate + date.Date(r.IntN(int(last-l.terms.FundingDate)+1))
			var p loan.Payload
			switch r.IntN(7) {
			case 0:
				p = loan.ServicingTransferred{From: "A", To: "B", TransferOn: on + date.Date(r.IntN(40))}
			case 1:
				p = loan.RequestReceived{Type: loan.RequestTypes[r.IntN(2)]}
			case 2:
				p = loan.NoticeSent{Notice: "payoff_statement|x|y"}
			case 3:
				p = loan.PromiseMade{Amount: usd("100.00"), On: on + 5}
			case 4:
				p = loan.ArrangementMade{Payments: []collections.Planned{{On: on + 10, Amount: usd("500.00")}}, HoldLateFees: true}
			case 5:
				p = loan.ContactAttempted{Channel: "phone", Outcome: loan.ContactNoAnswer}
			default:
				p = loan.PartyChanged{Party: party.Party{ID: "P1", Role: party.Borrower}, Ref: "P1@k", Fields: []string{"email"}}
			}
			l.add(on, p)
		}
		a, domA, errA := loan.Fold(loan.Initial(l.terms), plain, asOf)
		b, domB, errB := loan.Fold(loan.Initial(l.terms), l.events, asOf)
		require.Equal(t, errA == nil, errB == nil, "seed %d: %v / %v", seed, errA, errB)
		if errA != nil {
			continue
		}
		folded++
		b.Version = a.Version
		require.Equal(t, a.Hash(), b.Hash(), "seed %d", seed)
		kept := domB[:0]
		for _, de := range domB {
			if de.Type != loan.DomainNoticeDue {
				kept = append(kept, de)
			}
		}
		require.Equal(t, domA, kept, "seed %d", seed)
	}
	require.Greater(t, folded, 30, "most random histories fold")
}
