package servicing_test

import (
	"context"
	"slices"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// noticeMortgage is the test mortgage funded 15 Jan 2026, its first
// installment due 1 Mar 2026 (15 days' grace), with an escrow account
// (250.00 a month on top of 1,199.10) and every calendar notice reported.
func noticeMortgage() loan.Terms {
	t := mortgage()
	t.FundingDate, t.FirstDueDate = d(2026, 1, 15), d(2026, 3, 1)
	t.EscrowPayment = usd("250.00")
	t.NoticeDue = loan.NoticeDueKinds
	return t
}

// noticesDue are the notice_due events of domain events, as dues (On as
// the opening day), and their keys.
func noticesDue(des []loan.DomainEvent) ([]due, []string) {
	var out []due
	var keys []string
	for _, de := range des {
		if de.Type == loan.DomainNoticeDue {
			out = append(out, due{de.Notice, de.On, de.By})
			keys = append(keys, de.NoticeKey)
		}
	}
	return out, keys
}

// TestNoticeDueUnpaid: noticeMortgage is never paid. The notice_due events
// of each command, worked by hand from the rules:
//
//   - Reg X §1024.17(g)(1), the initial escrow statement "at settlement or
//     within 45 calendar days of settlement": opens 15 Jan 2026 (the
//     boarding), due 15 Jan + 45 days = 1 Mar 2026.
//   - Reg Z §1026.41(b), delivered "within a reasonable time after the
//     payment due date or the end of any courtesy period", four days per
//     comment 41(b)-1 (notice.PeriodicStatement): the due date 1 Mar 2026
//     with a 15-day courtesy period (late fee from the 16th day) has its
//     courtesy period end 16 Mar; statement by 20 Mar, open from 1 Mar.
//     After 1 Apr: by 20 Apr.
//   - Reg X §1024.39(a), live contact "no later than the 36th day of a
//     borrower's delinquency": delinquent from 2 Mar, day 36 from the 1 Mar
//     due date is 6 Apr (Mar has 31 days: 1 Mar + 36 = 6 Apr), and "again
//     no later than 36 days after each payment due date so long as the
//     borrower remains delinquent": 1 Apr + 36 = 7 May, open from 2 Apr.
//     §1024.39(b), the written notice "no later than the 45th day":
//     1 Mar + 45 = 15 Apr, open from 2 Mar; the 1 Apr one (16 May) falls
//     within 180 days of it and is not required (§1024.39(b)(1)).
//
// A loss mitigation application backdated to 5 Mar refolds the history:
// it reports its own acknowledgment (5 business days, Fri 6 Mar … Thu
// 12 Mar) and nothing of the calendar again. Through the outbox every
// notice comes once, under the key the calendar lists it by, and the key
// marks it sent.
func TestNoticeDueUnpaid(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	id := servicing.LoanID("ND-1")
	r, err := e.Board(ctx, id, loan.BoardingRequest{Terms: noticeMortgage(), Borrower: "B-1"}, key("board"))
	require.NoError(t, err)
	got, _ := noticesDue(r.Domain)
	require.Equal(t, []due{{notice.KindEscrowInitial, d(2026, 1, 15), d(2026, 3, 1)}}, got)

	r, err = e.EndOfDay(ctx, id, d(2026, 3, 10), servicing.Meta{})
	require.NoError(t, err)
	got, _ = noticesDue(r.Domain)
	require.Equal(t, []due{
		{notice.KindPeriodicStatement, d(2026, 3, 1), d(2026, 3, 20)},
		{notice.KindLiveContact, d(2026, 3, 2), d(2026, 4, 6)},
		{notice.KindWrittenNotice, d(2026, 3, 2), d(2026, 4, 15)},
	}, got)

	r, err = e.EndOfDay(ctx, id, d(2026, 4, 20), servicing.Meta{})
	require.NoError(t, err)
	got, _ = noticesDue(r.Domain)
	require.Equal(t, []due{
		{notice.KindPeriodicStatement, d(2026, 4, 1), d(2026, 4, 20)},
		{notice.KindLiveContact, d(2026, 4, 2), d(2026, 5, 7)},
	}, got)

	r, err = e.ReceiveRequest(ctx, id, d(2026, 3, 5), loan.RequestLossMitigation, key("lm"))
	require.NoError(t, err)
	got, _ = noticesDue(r.Domain)
	require.Equal(t, []due{{notice.KindLossMitigationAck, d(2026, 3, 5), d(2026, 3, 12)}}, got)

	// The relay: each notice once, none retracted.
	var relayed []loan.DomainEvent
	_, err = servicing.DrainOutbox(ctx, store, 3, func(_ context.Context, recs []servicing.OutboxRecord) error {
		for _, rec := range recs {
			require.False(t, rec.Event.Retracted, rec.String())
			relayed = append(relayed, rec.Event)
		}
		return nil
	})
	require.NoError(t, err)
	got, keys := noticesDue(relayed)
	require.Len(t, got, 7)
	require.Len(t, slices.Compact(slices.Sorted(slices.Values(keys))), 7, "each key once")

	// The calendar lists the same notices under the same keys.
	ns, err := e.Notices(ctx, id, d(2026, 4, 20), loan.NoticeOptions{})
	require.NoError(t, err)
	var listed []string
	for _, n := range ns {
		listed = append(listed, n.Key())
	}
	slices.Sort(listed)
	require.Equal(t, listed, slices.Sorted(slices.Values(keys)))

	i := slices.IndexFunc(relayed, func(de loan.DomainEvent) bool { return de.Notice == notice.KindPeriodicStatement })
	_, err = e.MarkNoticeSent(ctx, id, d(2026, 3, 4), relayed[i].NoticeKey, key("sent"))
	require.NoError(t, err)
	ns, err = e.Notices(ctx, id, d(2026, 4, 20), loan.NoticeOptions{Kinds: []notice.Kind{notice.KindPeriodicStatement}})
	require.NoError(t, err)
	require.True(t, ns[0].Sent)
	require.Equal(t, d(2026, 3, 4), ns[0].SentOn)
}

// TestNoticeDuePaidOnTime: noticeMortgage paid 1,449.10 on each due date
// from 1 Mar 2026 to 1 Mar 2027, then paid off on 10 Mar 2027.
//
//   - Reg X §1024.17(i)(1): the annual escrow statement "within 30 days of
//     the completion of the escrow account computation year"; the first
//     computation year is the 12 months from the first due date (§1024.17(b)),
//     1 Mar 2026 – 28 Feb 2027: opens 1 Mar 2027, due 28 Feb + 30 days =
//     30 Mar 2027.
//   - §1024.17(i)(4)(iii): the short year statement within 60 days after
//     receiving the payoff funds: 10 Mar 2027 + 60 days = 9 May 2027.
//   - A periodic statement after each due date (Reg Z §1026.41(b)): 13 of
//     them, the last after 1 Mar 2027 (due 20 Mar); none after the payoff.
//   - No early intervention: never delinquent.
func TestNoticeDuePaidOnTime(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	id := servicing.LoanID("ND-2")
	board(t, e, id, noticeMortgage())
	var all []loan.DomainEvent
	for m := range 13 {
		on := d(2026, 3, 1).AddDate(0, m, 0)
		r, err := e.PostPayment(ctx, id, on, usd("1449.10"), key(on.String()))
		require.NoError(t, err)
		got, _ := noticesDue(r.Domain)
		want := []due{{notice.KindPeriodicStatement, on, on + 19}} // 15 days' grace + 4
		if m == 12 {
			want = append(want, due{notice.KindEscrowAnnual, d(2027, 3, 1), d(2027, 3, 30)})
		}
		require.Equal(t, want, got, on.String())
		all = append(all, r.Domain...)
	}
	q, err := e.PayoffQuote(ctx, id, d(2027, 3, 10))
	require.NoError(t, err)
	r, err := e.PostPayment(ctx, id, d(2027, 3, 10), q.Total, key("payoff"))
	require.NoError(t, err)
	got, _ := noticesDue(r.Domain)
	require.Equal(t, []due{{notice.KindEscrowShortYear, d(2027, 3, 10), d(2027, 5, 9)}}, got)
	r, err = e.EndOfDay(ctx, id, d(2027, 6, 1), servicing.Meta{})
	require.NoError(t, err)
	got, _ = noticesDue(r.Domain)
	require.Empty(t, got, "nothing after the payoff")
	for _, de := range all {
		require.NotEqual(t, notice.KindLiveContact, de.Notice)
		require.NotEqual(t, notice.KindWrittenNotice, de.Notice)
	}
}

// TestNoticeDueOptIn: without Terms.NoticeDue the fold reports no calendar
// notice (the domain events of existing loans are unchanged), and
// NoticeDue refuses kinds it cannot report, naming each.
func TestNoticeDueOptIn(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	terms := noticeMortgage()
	terms.NoticeDue = nil
	board(t, e, "ND-3", terms)
	r, err := e.EndOfDay(ctx, "ND-3", d(2026, 4, 20), servicing.Meta{})
	require.NoError(t, err)
	got, _ := noticesDue(r.Domain)
	require.Empty(t, got)

	// An ARM notice on a fixed-rate loan is accepted (it reports nothing);
	// a kind listed twice and one the fold cannot report are not.
	terms.NoticeDue = []notice.Kind{notice.KindPeriodicStatement, notice.KindARMInitial, notice.KindPeriodicStatement, notice.KindPayoffStatement}
	err = terms.Validate()
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
	for _, p := range []string{"Terms.NoticeDue[2]", "Terms.NoticeDue[3]"} {
		require.ErrorContains(t, err, p)
	}
	require.NotContains(t, err.Error(), "Terms.NoticeDue[0]")
	require.NotContains(t, err.Error(), "Terms.NoticeDue[1]")
}

// TestNoticeDueRollingDelinquency: noticeMortgage misses 1 Mar and 1 Apr
// 2026; on 10 Apr one installment (1,449.10) pays March, so the
// delinquency counts from 1 Apr (delinquency.Milestones: the oldest unpaid
// installment). Reg X §1024.39(a)'s repeat live contact, "36 days after
// each payment due date", counts from 1 Apr either way: 1 Apr + 36 =
// 7 May, reported on 2 Apr and not again. §1024.39(b)'s written notice of
// the delinquency from 1 Apr, its 45th day 16 May (1 Apr + 45), is listed
// from the payment on, so it is reported on 10 Apr. A NoticeSent recorded
// under a repeat's former key (the delinquency's first due date as its
// trigger) still marks it sent.
func TestNoticeDueRollingDelinquency(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	id := servicing.LoanID("ND-4")
	board(t, e, id, noticeMortgage())
	_, err := e.EndOfDay(ctx, id, d(2026, 4, 5), servicing.Meta{})
	require.NoError(t, err)
	r, err := e.PostPayment(ctx, id, d(2026, 4, 10), usd("1449.10"), key("pay"))
	require.NoError(t, err)
	got, _ := noticesDue(r.Domain)
	require.Equal(t, []due{{notice.KindWrittenNotice, d(2026, 4, 10), d(2026, 5, 16)}}, got)

	var relayed []loan.DomainEvent
	_, err = servicing.DrainOutbox(ctx, store, 100, func(_ context.Context, recs []servicing.OutboxRecord) error {
		for _, rec := range recs {
			relayed = append(relayed, rec.Event)
		}
		return nil
	})
	require.NoError(t, err)
	got, _ = noticesDue(relayed)
	require.Equal(t, 1, count(got, due{notice.KindLiveContact, d(2026, 4, 2), d(2026, 5, 7)}))

	// The former key of the repeat: live_contact|2026-03-01|2026-05-07.
	l := newLog(noticeMortgage())
	l.add(d(2026, 4, 3), loan.NoticeSent{Notice: "live_contact|2026-03-01|2026-05-07"})
	ns, err := l.replay(t, d(2026, 4, 5)).Notices(l.events, loan.NoticeOptions{Kinds: []notice.Kind{notice.KindLiveContact}})
	require.NoError(t, err)
	require.Len(t, ns, 2)
	require.Equal(t, "live_contact|2026-04-01|2026-05-07", ns[1].Key())
	require.True(t, ns[1].Sent)
	require.Equal(t, d(2026, 4, 3), ns[1].SentOn)
	require.False(t, ns[0].Sent)
}

func count[T comparable](xs []T, x T) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}
