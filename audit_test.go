package servicing_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// The audit trail of a history with a reversal and a backdated receipt, as
// the log stands at the end. The mortgage's 1 Mar installment is paid by a
// teller; the 1 Apr one is missed, and the late charge (5 % × 1,199.10 =
// 59.96) falls due after the 15-day grace, made by the 20 Apr end of day
// (the batch); a web payment on 25 Apr is returned for insufficient funds
// by operations (25.00 NSF fee, reason "nsf"); then a teller records a
// receipt of 10 Apr that had been mislaid: paid within grace, installment 2
// was never late, and the late charge is gone from the trail.
func TestAuditTrail(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", mortgage())
	meta := func(k, actor, reason string) servicing.Meta {
		return servicing.Meta{IdempotencyKey: k, Actor: actor, Reason: reason}
	}
	_, err := e.PostPayment(ctx, "L", d(2024, 3, 1), usd("1199.10"), meta("p1", "teller", ""))
	require.NoError(t, err)
	_, err = e.EndOfDay(ctx, "L", d(2024, 4, 20), meta("eod", "batch", ""))
	require.NoError(t, err)
	before, err := e.AuditTrail(ctx, "L", servicing.AuditFilter{Kinds: []loan.TransactionKind{loan.TransactionLateFee}})
	require.NoError(t, err)
	require.Len(t, before, 1)
	require.Equal(t, "59.96", before[0].Amount.String())
	require.True(t, before[0].Generated)
	require.Equal(t, "batch", before[0].Actor, "made by the end of day's fold")

	r, err := e.PostPayment(ctx, "L", d(2024, 4, 25), usd("1199.10"), meta("p2", "web", ""))
	require.NoError(t, err)
	_, err = e.ReversePayment(ctx, "L", d(2024, 4, 27), r.Events[0].Seq, usd("25.00"), meta("rev", "ops", "nsf"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "L", d(2024, 4, 10), usd("1199.10"), meta("p3", "teller", "mislaid"))
	require.NoError(t, err)

	trail, err := e.AuditTrail(ctx, "L", servicing.AuditFilter{From: d(2024, 3, 1)})
	require.NoError(t, err)
	var got []string
	for _, a := range trail {
		got = append(got, a.EffectiveOn.String()+" "+string(a.Kind)+" "+a.Actor)
	}
	require.Equal(t, []string{
		"2024-03-01 payment_received teller",
		"2024-04-10 payment_received teller",
		"2024-04-20 day_closed batch",
		"2024-04-25 payment_received web",
		"2024-04-27 payment_reversed ops",
	}, got)
	require.True(t, trail[3].Reversed)
	require.Equal(t, "nsf", trail[4].Reason)
	require.Equal(t, "mislaid", trail[1].Reason)
	require.True(t, trail[1].RecordedAt.After(trail[4].RecordedAt), "recorded last, effective earlier")
	only, err := e.AuditTrail(ctx, "L", servicing.AuditFilter{From: d(2024, 4, 1), To: d(2024, 4, 26), Kinds: []loan.TransactionKind{loan.TransactionKind(loan.KindPaymentReceived)}})
	require.NoError(t, err)
	require.Len(t, only, 2)
}
