package servicing

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/stretchr/testify/require"
)

// FuzzPaymentJSONMatchesMarshal holds the idempotency hash's encoding of
// a receipt (appendPaymentJSON) to json.Marshal's, byte for byte, for
// every receipt plainPayment lets it take (a stored record's hash must
// not change); other receipts take json.Marshal itself.
func FuzzPaymentJSONMatchesMarshal(f *testing.F) {
	f.Add(int64(119910), uint8(0), "", "", false, "", "")
	f.Add(int64(1), uint8(1), "ach", "REF-1/2024 #7", true, string(payment.GoodwillCredit), string(payment.ExtraRecast))
	f.Add(int64(-5), uint8(2), "check", "a<b>&\"\\", false, "x", "")
	f.Add(int64(0), uint8(3), "é", "\u2028", true, "", "hold")
	f.Fuzz(func(t *testing.T, minor int64, cur uint8, method, ref string, prior bool, typ, extra string) {
		curs := []money.Currency{money.USD, money.EUR, money.JPY, {}}
		a, err := money.New(minor%money.MaxMinor, curs[int(cur)%len(curs)])
		if err != nil {
			a = money.Amount{}
		}
		p := loan.PaymentReceived{Amount: a, Method: method, Reference: ref, ReceivedByPriorServicer: prior,
			Type: payment.TransactionType(typ), Extra: payment.Extra(extra)}
		want, err := json.Marshal(p)
		require.NoError(t, err)
		if plainPayment(p) {
			require.Equal(t, string(want), string(appendPaymentJSON(nil, p)))
		}
		// The hash is the same whichever way the payload is encoded.
		h, err := command{kind: loan.KindPaymentReceived, on: 1, payload: p}.hash()
		require.NoError(t, err)
		slow, err := command{kind: loan.KindPaymentReceived, on: 1, payload: marshaled{p}}.hash()
		require.NoError(t, err)
		require.Equal(t, slow, h)
	})
}

// marshaled is a receipt hashed through json.Marshal (it is not a
// loan.PaymentReceived, so the hash's fast path does not take it).
type marshaled struct{ loan.PaymentReceived }

func (m marshaled) Kind() loan.Kind { return m.PaymentReceived.Kind() }

// TestPaymentJSONKnowsEveryField fails when loan.PaymentReceived gains or
// loses a field: appendPaymentJSON writes these, in this order, and must
// be taught any other (FuzzPaymentJSONMatchesMarshal only draws these).
func TestPaymentJSONKnowsEveryField(t *testing.T) {
	var names []string
	rt := reflect.TypeFor[loan.PaymentReceived]()
	for i := range rt.NumField() {
		names = append(names, rt.Field(i).Tag.Get("json"))
	}
	require.Equal(t, []string{"amount", "method,omitempty", "reference,omitempty", "received_by_prior_servicer,omitempty",
		"type,omitempty", "extra,omitempty"}, names)
}
