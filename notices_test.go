package servicing_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

type due struct {
	kind       notice.Kind
	opens, due date.Date
}

func dues(ns []notice.Notice) []due {
	out := make([]due, len(ns))
	for i, n := range ns {
		out[i] = due{n.Kind, n.Opens, n.Due}
	}
	return out
}

// TestNoticeCalendar: the test mortgage (funded 15 Jan 2024, 1,199.10 due
// on the 1st from 1 Mar, 15 days' grace) is never paid. On Wednesday
// 10 Apr 2024 its calendar holds, worked by hand from the rules:
//
//   - Reg Z §1026.41(b), comment 41(b)-1 (within four days after the
//     courtesy period): after the 1 Mar due date the courtesy period ends
//     16 Mar, statement by 20 Mar; after 1 Apr, by 20 Apr.
//   - Reg X §1024.39(a) live contact "no later than the 36th day of a
//     borrower's delinquency and again no later than 36 days after each
//     payment due date so long as the borrower remains delinquent": day 36
//     from 1 Mar is 6 Apr; 36 days after the 1 Apr due date is 7 May.
//     §1024.39(b) written notice "no later than the 45th day": 15 Apr.
//     They open on 2 Mar, the first day of delinquency; the repeat on
//     2 Apr, the first day the 1 Apr installment is delinquent.
//   - Reg X §1024.41(b)(2)(i)(B): a loss mitigation application received
//     Thursday 4 Apr is acknowledged within 5 days excluding holidays and
//     weekends: Fri 5 (1), Mon 8 (2), Tue 9 (3), Wed 10 (4), Thu 11 (5).
//   - Reg Z §1026.36(c)(3): a payoff request received Friday 5 Apr is
//     answered within 7 business days: Mon 8 … Fri 12 (5), Mon 15 (6),
//     Tue 16 Apr (7).
func TestNoticeCalendar(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	id := servicing.LoanID("N-1")
	board(t, e, id, mortgage())
	r, err := e.ReceiveRequest(ctx, id, d(2024, 4, 4), loan.RequestLossMitigation, key("lm"))
	require.NoError(t, err)
	var got []loan.DomainEvent
	for _, de := range r.Domain {
		if de.Type == loan.DomainNoticeDue {
			got = append(got, de)
		}
	}
	require.Len(t, got, 1)
	require.Equal(t, notice.KindLossMitigationAck, got[0].Notice)
	require.Equal(t, d(2024, 4, 11), got[0].By)
	_, err = e.ReceiveRequest(ctx, id, d(2024, 4, 5), loan.RequestPayoff, key("payoff"))
	require.NoError(t, err)

	ns, err := e.Notices(ctx, id, d(2024, 4, 10), loan.NoticeOptions{})
	require.NoError(t, err)
	require.Equal(t, []due{
		{notice.KindPeriodicStatement, d(2024, 3, 1), d(2024, 3, 20)},
		{notice.KindLiveContact, d(2024, 3, 2), d(2024, 4, 6)},
		{notice.KindLossMitigationAck, d(2024, 4, 4), d(2024, 4, 11)},
		{notice.KindWrittenNotice, d(2024, 3, 2), d(2024, 4, 15)},
		{notice.KindPayoffStatement, d(2024, 4, 5), d(2024, 4, 16)},
		{notice.KindPeriodicStatement, d(2024, 4, 1), d(2024, 4, 20)},
		{notice.KindLiveContact, d(2024, 4, 2), d(2024, 5, 7)},
	}, dues(ns))

	// Marking the payoff statement sent: the calendar shows it sent, a
	// second mark is refused naming the notice, and a retry of the first
	// returns its result.
	payoff := ns[4]
	_, err = e.MarkNoticeSent(ctx, id, d(2024, 4, 8), payoff.Key(), key("sent-payoff"))
	require.NoError(t, err)
	again, err := e.MarkNoticeSent(ctx, id, d(2024, 4, 8), payoff.Key(), key("sent-payoff"))
	require.NoError(t, err)
	require.True(t, again.Replayed)
	_, err = e.MarkNoticeSent(ctx, id, d(2024, 4, 9), payoff.Key(), key("sent-payoff-2"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Equal(t, []string{"Notice"}, field.Fields(err))
	_, err = e.MarkNoticeSent(ctx, id, d(2024, 4, 9), "letter|2024-04-09|2024-04-09", key("sent-nothing"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	ns, err = e.Notices(ctx, id, d(2024, 4, 20), loan.NoticeOptions{From: d(2024, 4, 12)})
	require.NoError(t, err)
	i := len(ns)
	for j, n := range ns {
		if n.Kind == notice.KindPayoffStatement {
			i = j
		}
	}
	require.Less(t, i, len(ns))
	require.True(t, ns[i].Sent)
	require.Equal(t, d(2024, 4, 8), ns[i].SentOn)
	require.False(t, ns[i].Overdue(d(2024, 4, 20)))

	// A right-party call on 20 Mar is the §1024.39(a) live contact due by
	// 6 Apr; the repeat due by 7 May (window from 2 Apr) is still open.
	_, err = e.RecordContact(ctx, id, d(2024, 3, 20), loan.ContactAttempted{Channel: "phone", Outcome: loan.ContactRightParty}, key("call"))
	require.NoError(t, err)
	ns, err = e.Notices(ctx, id, d(2024, 4, 10), loan.NoticeOptions{Kinds: []notice.Kind{notice.KindLiveContact}})
	require.NoError(t, err)
	require.Len(t, ns, 2)
	require.True(t, ns[0].Sent)
	require.Equal(t, d(2024, 3, 20), ns[0].SentOn)
	require.False(t, ns[1].Sent, "20 Mar is before the repeat's window, 2 Apr – 7 May")

	// The record events move no money: the loan's balances and status are
	// those of the same loan without them.
	plain := newEngine(t, servicingtest.NewMemStore())
	board(t, plain, id, mortgage())
	with, err := e.State(ctx, id, d(2024, 6, 30))
	require.NoError(t, err)
	without, err := plain.State(ctx, id, d(2024, 6, 30))
	require.NoError(t, err)
	with.Version = without.Version
	require.Equal(t, without.Hash(), with.Hash())
}

// TestNoticeCalendarARMAndEscrow: ARM notices from the host's schedule of
// payment changes, and the escrow statements of an escrowed loan. The
// first payment at the adjusted level is due 1 Mar 2029. Counting back:
// Feb 2029 (28) + Jan (31) + Dec (31) + Nov (30) + Oct (31) + Sep (30) +
// Aug (31) = 212 days to 1 Aug 2028. §1026.20(d) "at least 210, but no
// more than 240, days before": 240 days is 28 days before 1 Aug, 4 Jul
// 2028; 210 is 3 Aug 2028. §1026.20(c) "at least 60, but no more than
// 120": 28 + 31 + 31 + 30 = 120 days is 1 Nov 2028; 28 + 31 = 59 days is
// 1 Jan 2029, so 60 is 31 Dec 2028.
func TestNoticeCalendarARMAndEscrow(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	id := servicing.LoanID("N-2")
	terms := mortgage()
	terms.EscrowPayment = usd("300.00")
	board(t, e, id, terms)
	// §1024.17(g)(1): the initial escrow statement "within 45 calendar
	// days of settlement": funded 15 Jan 2024, due 29 Feb 2024.
	ns, err := e.Notices(ctx, id, d(2024, 2, 1), loan.NoticeOptions{Kinds: []notice.Kind{notice.KindEscrowInitial}})
	require.NoError(t, err)
	require.Equal(t, []due{{notice.KindEscrowInitial, d(2024, 1, 15), d(2024, 2, 29)}}, dues(ns))
	change := d(2029, 3, 1)
	ns, err = e.Notices(ctx, id, d(2028, 12, 31), loan.NoticeOptions{From: d(2028, 1, 1), ARMPaymentChanges: []date.Date{change},
		Kinds: []notice.Kind{notice.KindARMInitial, notice.KindARMPaymentChange, notice.KindEscrowAnnual}})
	require.NoError(t, err)
	// §1024.17(b): the computation year begins with the initial payment
	// date, 1 Mar 2024; the year 1 Mar 2027 – 29 Feb 2028 ends 29 Feb 2028
	// and its statement is due 30 days later, 30 Mar 2028 (§1024.17(i)(1));
	// the next year ends 28 Feb 2029, after the as-of date.
	require.Equal(t, []due{
		{notice.KindEscrowAnnual, d(2028, 3, 1), d(2028, 3, 30)},
		{notice.KindARMInitial, d(2028, 7, 4), d(2028, 8, 3)},
		{notice.KindARMPaymentChange, d(2028, 11, 1), d(2028, 12, 31)},
	}, dues(ns))
}
