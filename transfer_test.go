package servicing_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// transferred is the test mortgage (1,199.10 due on the 1st, 15 days'
// grace, late fee 5 % of the payment) with its 1 Mar 2024 installment paid
// on time and its servicing transferred from "Old" to "New" effective
// 1 Apr 2024, decided on 10 Mar.
func transferred(t *testing.T) (*servicing.Engine, servicing.LoanID) {
	t.Helper()
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	id := servicing.LoanID("XFER-1")
	board(t, e, id, mortgage())
	_, err := e.PostPayment(ctx, id, d(2024, 3, 1), usd("1199.10"), key("pay-mar"))
	require.NoError(t, err)
	r, err := e.TransferServicing(ctx, id, d(2024, 3, 10), loan.ServicingTransferred{From: "Old", To: "New", TransferOn: d(2024, 4, 1)}, key("xfer"))
	require.NoError(t, err)
	// Reg X §1024.33(b)(3): the transferor's notice 15 days before 1 Apr
	// (17 Mar), the transferee's 15 days after (16 Apr).
	var due []string
	for _, de := range r.Domain {
		if de.Type == loan.DomainNoticeDue {
			due = append(due, string(de.Notice)+" "+de.By.String())
		}
	}
	require.Equal(t, []string{"transfer_notice_transferor 2024-03-17", "transfer_notice_transferee 2024-04-16"}, due)
	_, err = e.PostPayment(ctx, id, d(2024, 4, 1), usd("1199.10"), key("pay-apr"))
	require.NoError(t, err)
	return e, id
}

// TestPriorServicerPaymentInsideWindow: Reg X §1024.33(c)(1) — the 60-day
// period from the 1 Apr 2024 transfer runs to 30 May. The May installment
// (due 1 May) reached the old servicer on 28 Apr, before its due date, and
// the new servicer only on 20 May, after the grace period (a late fee is
// chargeable from 17 May). It "may not be treated as late": credited as of
// 28 Apr, no late fee, no days past due.
func TestPriorServicerPaymentInsideWindow(t *testing.T) {
	ctx := context.Background()
	e, id := transferred(t)
	r, err := e.PostPriorServicerPayment(ctx, id, d(2024, 5, 20), d(2024, 4, 28), usd("1199.10"), servicing.PaymentOptions{}, key("pay-may"))
	require.NoError(t, err)
	require.Equal(t, d(2024, 4, 28), r.Events[0].EffectiveOn)
	require.True(t, r.Events[0].Payload.(loan.PaymentReceived).ReceivedByPriorServicer)
	s, err := e.State(ctx, id, d(2024, 5, 31))
	require.NoError(t, err)
	moneytest.Equal(t, usd("0.00"), s.LateFees)
	require.Equal(t, 0, s.DaysPastDue())
	require.Equal(t, 4, s.NextInstallment) // March, April, May paid
}

// TestPriorServicerPaymentOutsideWindow: the July installment reached the
// old servicer on 25 Jun, after the 60-day period ended (30 May), and the
// new servicer on 20 Jul: it is late like any payment received on 20 Jul.
// The late fee, chargeable from 17 Jul (1 Jul + 15 days' grace + 1), is
// 5 % of 1,199.10 = 59.955, rounded half away from zero: 59.96.
func TestPriorServicerPaymentOutsideWindow(t *testing.T) {
	ctx := context.Background()
	e, id := transferred(t)
	for _, m := range []time.Month{time.May, time.June} {
		_, err := e.PostPayment(ctx, id, d(2024, m, 1), usd("1199.10"), key("pay-"+m.String()))
		require.NoError(t, err)
	}
	r, err := e.PostPriorServicerPayment(ctx, id, d(2024, 7, 20), d(2024, 6, 25), usd("1199.10"), servicing.PaymentOptions{}, key("pay-jul"))
	require.NoError(t, err)
	require.Equal(t, d(2024, 7, 20), r.Events[0].EffectiveOn)
	s, err := e.State(ctx, id, d(2024, 7, 31))
	require.NoError(t, err)
	moneytest.Equal(t, usd("59.96"), s.LateFees)

	// A receipt dated after it was forwarded is refused, nothing written.
	_, err = e.PostPriorServicerPayment(ctx, id, d(2024, 7, 20), d(2024, 7, 21), usd("1.00"), servicing.PaymentOptions{}, key("bad"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Equal(t, []string{"ReceivedOn"}, field.Fields(err))
}

// TestTransferOutBoardIn: a loan transferred out of one engine and boarded
// into another (through the package's JSON) folds to the identical state
// hash, and stays identical as both take the same next payment; a package
// whose figures do not match its log is refused naming the field, and
// nothing is written.
func TestTransferOutBoardIn(t *testing.T) {
	ctx := context.Background()
	a, id := transferred(t)
	_, err := a.EndOfDay(ctx, id, d(2024, 4, 30), servicing.Meta{})
	require.NoError(t, err)
	_, err = a.AssessFee(ctx, id, d(2024, 4, 30), loan.FeeOther, usd("25.00"), key("fee"))
	require.NoError(t, err)
	asOf := d(2024, 5, 5)
	pkg, err := a.TransferOut(ctx, id, asOf)
	require.NoError(t, err)
	moneytest.Equal(t, usd("25.00"), pkg.Fees)
	b, err := json.Marshal(pkg)
	require.NoError(t, err)
	var back servicing.TransferPackage
	require.NoError(t, json.Unmarshal(b, &back))

	bstore := servicingtest.NewMemStore()
	bEng := newEngine(t, bstore)
	r, err := bEng.BoardTransfer(ctx, back, key("board-in"))
	require.NoError(t, err)
	require.Equal(t, pkg.Version, r.Version)
	sa, err := a.State(ctx, id, asOf)
	require.NoError(t, err)
	sb, err := bEng.State(ctx, id, asOf)
	require.NoError(t, err)
	require.Equal(t, sa.Hash(), sb.Hash())
	again, err := bEng.BoardTransfer(ctx, back, key("board-in"))
	require.NoError(t, err)
	require.True(t, again.Replayed)

	for _, e := range []*servicing.Engine{a, bEng} {
		_, err := e.PostPayment(ctx, id, d(2024, 5, 6), usd("1224.10"), key("pay-may"))
		require.NoError(t, err)
	}
	sa, err = a.State(ctx, id, d(2024, 6, 30))
	require.NoError(t, err)
	sb, err = bEng.State(ctx, id, d(2024, 6, 30))
	require.NoError(t, err)
	require.Equal(t, sa.Hash(), sb.Hash())

	// The new servicer's calendar holds its own transfer notice, not the
	// old one's.
	ns, err := bEng.Notices(ctx, id, asOf, loan.NoticeOptions{Servicer: "New", Kinds: []notice.Kind{notice.KindTransferorNotice, notice.KindTransfereeNotice}})
	require.NoError(t, err)
	require.Len(t, ns, 1)
	require.Equal(t, notice.KindTransfereeNotice, ns[0].Kind)

	bad := back
	bad.Loan = "XFER-2"
	bad.Principal = usd("1.00")
	_, err = bEng.BoardTransfer(ctx, bad, key("board-bad"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Equal(t, []string{"Principal"}, field.Fields(err))
	_, _, err = bstore.LoadCheckpoint(ctx, "XFER-2", d(2099, 1, 1))
	require.ErrorIs(t, err, servicing.ErrNotFound)
}
