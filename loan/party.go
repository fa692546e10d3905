package loan

import (
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/party"
)

// KindPartyChanged is the kind of PartyChanged.
const KindPartyChanged Kind = "party_changed"

// PartyChanged records that a party was added to the loan, changed or
// removed, by whom and when (the envelope): the audit trail of who changed
// what. It carries no personal data — the party's contact data is kept
// in the host's vault under Ref, and only the names of the fields that
// changed are logged — so erasing the data from the vault leaves the log,
// the fold and every hash as they were. The fold counts it (Version) and
// nothing else: no balance depends on a party.
type PartyChanged struct {
	// Party is the party's reference and role.
	Party party.Party `json:"party"`
	// Ref names this version of the party's contact data in the vault
	// (empty when Removed).
	Ref string `json:"ref,omitempty"`
	// Fields are the JSON names of the contact fields that changed
	// (party.Changed); every field set for a new party.
	Fields []string `json:"fields,omitempty"`
	// Removed marks the party taken off the loan.
	Removed bool `json:"removed,omitempty"`
}

// Kind returns KindPartyChanged.
func (PartyChanged) Kind() Kind { return KindPartyChanged }

func (PartyChanged) currency() money.Currency { return money.Currency{} }

// PartyVersion is one change of a party as the log records it.
type PartyVersion struct {
	// Seq, EffectiveOn, Actor and Reason come from the event's envelope.
	Seq         int64  `json:"seq"`
	EffectiveOn string `json:"effective_on"`
	Actor       string `json:"actor,omitempty"`
	Reason      string `json:"reason,omitempty"`
	PartyChanged
}

// Parties returns each party of the log with its versions, oldest first,
// in the order the parties first appear.
func Parties(events []Event) [][]PartyVersion {
	var out [][]PartyVersion
	at := map[string]int{}
	for _, e := range events {
		p, ok := e.Payload.(PartyChanged)
		if !ok {
			continue
		}
		i, seen := at[p.Party.ID]
		if !seen {
			i = len(out)
			at[p.Party.ID] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], PartyVersion{Seq: e.Seq, EffectiveOn: e.EffectiveOn.String(), Actor: e.Actor, Reason: e.Reason, PartyChanged: p})
	}
	return out
}
