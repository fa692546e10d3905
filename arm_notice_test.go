package servicing_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// armNoticeMortgage is noticeMortgage as a 5/1 ARM whose note fixes its
// Change Dates: "may change on the first day of February, 2031, and on
// that day every 12th month thereafter", reporting only the ARM notices.
func armNoticeMortgage() loan.Terms {
	t := noticeMortgage()
	t.ARM = &accrual.ARM{InitialRate: t.AnnualRate, Margin: rate.MustPercent("2.75"),
		FirstChangeOn: d(2031, 2, 1), ChangeEveryMonths: 12}
	t.NoticeDue = []notice.Kind{notice.KindARMInitial, notice.KindARMPaymentChange}
	return t
}

// TestARMNoticesFromChangeDates: the ARM notices of the note's Change
// Dates, worked by hand from Reg Z. The first Change Date is 1 Feb 2031;
// the new payment begins "on the first monthly payment date after the
// Change Date": 1 Mar 2031.
//
//   - §1026.20(d), "at least 210, but no more than 240, days before the
//     first payment at the adjusted level is due": 1 Mar 2031 − 240 days
//     = 4 Jul 2030 (27 days left of July, then 31+30+31+30+31+31+28, and
//     1 Mar itself: 240), so open from 4 Jul 2030, due by 1 Mar 2031 − 210
//     days = 3 Aug 2030.
//   - §1026.20(c)(2), "at least 60, but no more than 120, days before":
//     1 Mar 2031 − 120 days = 1 Nov 2030 (30+31+31+28 = 120), due by
//     1 Mar 2031 − 60 days = 31 Dec 2030 (31+28 = 59, plus 31 Dec).
//   - The second Change Date, 1 Feb 2032, takes a §1026.20(c) notice only:
//     first payment 1 Mar 2032, and 2032 is a leap year, so − 120 days =
//     2 Nov 2031 (29+31+31+29 = 120) and − 60 days = 1 Jan 2032 (31+29).
//
// The fold reports each as a notice_due on the day it opens, once, and
// State.Notices lists the same windows.
func TestARMNoticesFromChangeDates(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	id := servicing.LoanID("ARM-N")
	r, err := e.Board(ctx, id, loan.BoardingRequest{Terms: armNoticeMortgage(), Borrower: "B-1"}, key("board"))
	require.NoError(t, err)
	got, _ := noticesDue(r.Domain)
	require.Empty(t, got)

	initial := due{notice.KindARMInitial, d(2030, 7, 4), d(2030, 8, 3)}
	first := due{notice.KindARMPaymentChange, d(2030, 11, 1), d(2030, 12, 31)}
	second := due{notice.KindARMPaymentChange, d(2031, 11, 2), d(2032, 1, 1)}
	for _, step := range []struct {
		on   date.Date
		want []due
	}{
		{d(2030, 7, 3), nil},
		{d(2030, 7, 4), []due{initial}},
		{d(2030, 10, 31), nil},
		{d(2030, 11, 1), []due{first}},
		{d(2031, 11, 1), nil},
		{d(2032, 1, 15), []due{second}},
	} {
		r, err := e.EndOfDay(ctx, id, step.on, servicing.Meta{})
		require.NoError(t, err, step.on)
		got, _ := noticesDue(r.Domain)
		require.Equal(t, step.want, got, "end of day %s", step.on)
	}

	ns, err := e.Notices(ctx, id, d(2032, 1, 15), loan.NoticeOptions{Kinds: []notice.Kind{notice.KindARMInitial, notice.KindARMPaymentChange}})
	require.NoError(t, err)
	var listed []due
	for _, n := range ns {
		listed = append(listed, due{n.Kind, n.Opens, n.Due})
	}
	require.ElementsMatch(t, []due{initial, first, second}, listed)

	// A host's own dates replace the terms': one change, first payment at
	// the new level due 1 Jun 2031 (− 120 days = 1 Feb 2031; − 60 = 2 Apr).
	ns, err = e.Notices(ctx, id, d(2032, 1, 15), loan.NoticeOptions{ARMPaymentChanges: []date.Date{d(2031, 6, 1)},
		Kinds: []notice.Kind{notice.KindARMPaymentChange}})
	require.NoError(t, err)
	require.Len(t, ns, 1)
	require.Equal(t, due{notice.KindARMPaymentChange, d(2031, 2, 1), d(2031, 4, 2)}, due{ns[0].Kind, ns[0].Opens, ns[0].Due})
}

// TestARMNoticesShortCycle: an ARM that changes every month is one "with
// uniformly scheduled interest rate adjustments occurring every 60 days or
// more frequently" (§1026.20(c)(2)): at least 25 days' notice. Change
// Date 1 Jan 2027, first payment at the new level 1 Feb 2027: due by
// 1 Feb − 25 days = 7 Jan 2027, open from 1 Feb − 120 days = 4 Oct 2026
// (27 days left of October, 30, 31, 31, and 1 Feb).
func TestARMNoticesShortCycle(t *testing.T) {
	ctx := context.Background()
	terms := armNoticeMortgage()
	terms.ARM.FirstChangeOn, terms.ARM.ChangeEveryMonths = d(2027, 1, 1), 1
	terms.NoticeDue = []notice.Kind{notice.KindARMPaymentChange}
	e := newEngine(t, servicingtest.NewMemStore())
	_, err := e.Board(ctx, "ARM-S", loan.BoardingRequest{Terms: terms, Borrower: "B-1"}, key("board"))
	require.NoError(t, err)
	r, err := e.EndOfDay(ctx, "ARM-S", d(2026, 10, 4), servicing.Meta{})
	require.NoError(t, err)
	got, _ := noticesDue(r.Domain)
	require.Equal(t, []due{{notice.KindARMPaymentChange, d(2026, 10, 4), d(2027, 1, 7)}}, got)
}

// TestARMChangeDatesValidated: a Change Date schedule is refused with every
// bad field named, and nothing is written.
func TestARMChangeDatesValidated(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		edit  func(*accrual.ARM)
		path  string
		cause error
	}{
		{"first change at funding", func(a *accrual.ARM) { a.FirstChangeOn = d(2026, 1, 15) }, "Terms.ARM.FirstChangeOn", field.ErrInvalid},
		{"negative period", func(a *accrual.ARM) { a.ChangeEveryMonths = -12 }, "ARM.ChangeEveryMonths", field.ErrInvalid},
		{"period without a first change", func(a *accrual.ARM) { a.FirstChangeOn = 0 }, "ARM.ChangeEveryMonths", field.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			terms := armNoticeMortgage()
			tc.edit(terms.ARM)
			store := servicingtest.NewMemStore()
			e := newEngine(t, store)
			_, err := e.Board(ctx, "ARM-V", loan.BoardingRequest{Terms: terms, Borrower: "B-1"}, key("board"))
			require.Error(t, err)
			require.ErrorContains(t, err, tc.path)
			require.True(t, errors.Is(err, tc.cause), "%v", err)
			_, err = e.State(ctx, "ARM-V", d(2026, 2, 1))
			require.ErrorIs(t, err, servicing.ErrNotFound)
		})
	}
}
