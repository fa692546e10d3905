package delinquency

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

type tr struct {
	on       string
	from, to Status
	why      Reason
	dpd      int
}

func requireTransitions(t *testing.T, want []tr, got []Transition) {
	t.Helper()
	require.Len(t, got, len(want), "%+v", got)
	for i, w := range want {
		g := got[i]
		require.Equal(t, tr{w.on, w.from, w.to, w.why, w.dpd}, tr{g.On.String(), g.From, g.To, g.Reason, g.DPD}, "transition %d", i)
	}
}

// TestStatusLadderClosedEnd: nothing paid on a loan due monthly from 1 Jan
// 2024 under the FFIEC closed-end defaults. DPD reaches 1 on Jan 2, 90 on
// Mar 31 (31 + 29 + 30), 120 on Apr 30 (+30): charge-off (FFIEC 120 DPD).
// A $500 credit on May 10 is a recovery.
func TestStatusLadderClosedEnd(t *testing.T) {
	ins := monthly(t, 2024, time.January, 24, "900.00", "100.00", "0.00")
	pay(t, ins, 1, "2024-05-10", "500.00")
	p := StandardPolicy(ClosedEnd)
	p.Status.ChargeOff = ChargeOffStopInterest
	e := mustNew(t, loanOf(ins), p)
	h, err := e.History(d("2023-12-01"), d("2024-06-01"))
	require.NoError(t, err)
	require.Equal(t, StatusCurrent, h.StatusAtFrom)
	requireTransitions(t, []tr{
		{"2024-01-02", StatusCurrent, StatusDelinquent, ReasonThreshold, 1},
		{"2024-03-31", StatusDelinquent, StatusNonAccrual, ReasonThreshold, 90},
		{"2024-04-30", StatusNonAccrual, StatusChargedOff, ReasonChargeOffThreshold, 120},
		{"2024-05-10", StatusChargedOff, StatusChargedOff, ReasonRecovery, 130},
	}, h.Transitions)
	moneytest.Equal(t, "500.00", h.Transitions[3].Amount)
	require.Equal(t, StatusChargedOff, h.Final.Status)
	require.Equal(t, ChargeOffStopInterest, h.Final.ChargeOff)
	require.Equal(t, d("2024-04-30"), h.Final.Since)

	// Open-end: 180 DPD → 29 Jun 2024 (Jan 1 + 180 days).
	e = mustNew(t, loanOf(ins), StandardPolicy(OpenEnd))
	s, err := e.Status(d("2024-06-29"))
	require.NoError(t, err)
	require.Equal(t, StatusChargedOff, s.Status)
	require.Equal(t, d("2024-06-29"), s.Since)
	s, err = e.Status(d("2024-06-28"))
	require.NoError(t, err)
	require.Equal(t, StatusNonAccrual, s.Status)
	require.Equal(t, 179, s.DPD)
}

// TestNonAccrualSticky: with Default at 30 and NonAccrual at 60, a partial
// cure that drops DPD below 60 keeps the loan in non-accrual; only bringing it
// current leaves it. Jan 1 and Feb 1 missed; Mar 1 DPD 60 → non-accrual. A
// payment on Mar 5 covers January (oldest unpaid Feb 1, DPD 33): still
// non-accrual. Payments on Mar 20 cover February and March: current.
func TestNonAccrualSticky(t *testing.T) {
	ins := monthly(t, 2024, time.January, 12, "900.00", "100.00", "0.00")
	pay(t, ins, 1, "2024-03-05", "1000.00")
	pay(t, ins, 2, "2024-03-20", "1000.00")
	pay(t, ins, 3, "2024-03-20", "1000.00")
	p := StandardPolicy(ClosedEnd)
	p.Status.DefaultDays, p.Status.NonAccrualDays = 30, 60
	h, err := mustNew(t, loanOf(ins), p).History(d("2024-01-01"), d("2024-04-01"))
	require.NoError(t, err)
	requireTransitions(t, []tr{
		{"2024-01-02", StatusCurrent, StatusDelinquent, ReasonThreshold, 1},
		{"2024-01-31", StatusDelinquent, StatusDefault, ReasonThreshold, 30},
		{"2024-03-01", StatusDefault, StatusNonAccrual, ReasonThreshold, 60},
		{"2024-03-20", StatusNonAccrual, StatusCurrent, ReasonBroughtCurrent, 0},
	}, h.Transitions)
	require.Len(t, h.Episodes, 1)
	ep := h.Episodes[0]
	require.Equal(t, d("2024-01-01"), ep.FirstDelinquentOn)
	require.True(t, ep.Cured)
	require.Equal(t, d("2024-03-20"), ep.CuredOn)
	require.Equal(t, ReasonBroughtCurrent, ep.CureReason)
	require.Equal(t, 63, ep.MaxDPD) // Mar 4 − Jan 1 = 31 + 29 + 3
}

// TestPartialCureAndRollingEpisode: the Reg X Feb 3 example as a history. The
// date of first delinquency stays Jan 1 although the oldest unpaid moves to
// Feb 1; DPD 32 → 2 is a partial cure (still delinquent), and a later miss
// after a cure starts a second episode.
func TestPartialCureAndRollingEpisode(t *testing.T) {
	ins := monthly(t, 2024, time.January, 12, "900.00", "100.00", "0.00")
	pay(t, ins, 1, "2024-02-03", "1000.00")
	pay(t, ins, 2, "2024-02-10", "1000.00")
	for k := 3; k <= 5; k++ {
		pay(t, ins, k, ins[k-1].DueDate.String(), "1000.00")
	}
	p := StandardPolicy(ClosedEnd)
	p.Status.DefaultDays = 30
	e := mustNew(t, loanOf(ins), p)
	h, err := e.History(d("2024-01-01"), d("2024-07-01"))
	require.NoError(t, err)
	requireTransitions(t, []tr{
		{"2024-01-02", StatusCurrent, StatusDelinquent, ReasonThreshold, 1},
		{"2024-01-31", StatusDelinquent, StatusDefault, ReasonThreshold, 30},
		{"2024-02-03", StatusDefault, StatusDelinquent, ReasonPayment, 2},
		{"2024-02-10", StatusDelinquent, StatusCurrent, ReasonBroughtCurrent, 0},
		{"2024-06-02", StatusCurrent, StatusDelinquent, ReasonThreshold, 1},
	}, h.Transitions)
	require.Len(t, h.Episodes, 2)
	require.Equal(t, d("2024-01-01"), h.Episodes[0].FirstDelinquentOn)
	require.Equal(t, d("2024-02-10"), h.Episodes[0].CuredOn)
	require.Equal(t, d("2024-06-01"), h.Episodes[1].FirstDelinquentOn)
	require.False(t, h.Episodes[1].Cured)
	require.True(t, h.Final.InEpisode)

	// A history that starts later still reports the first episode's date.
	h2, err := e.History(d("2024-02-05"), d("2024-02-06"))
	require.NoError(t, err)
	require.Equal(t, d("2024-01-01"), h2.Final.Episode.FirstDelinquentOn)
	require.Equal(t, StatusDelinquent, h2.StatusAtFrom)
	require.Empty(t, h2.Transitions)
}

// TestBucketHistory: nothing paid from Jan 1 2024. DPD 1 on Jan 2, 30 on
// Jan 31, 60 on Mar 1 (leap year), 90 on Mar 31.
func TestBucketHistory(t *testing.T) {
	ins := monthly(t, 2024, time.January, 6, "900.00", "100.00", "0.00")
	p := StandardPolicy(ClosedEnd)
	p.Status.ChargeOffDays = 1000
	h, err := mustNew(t, loanOf(ins), p).History(d("2023-12-31"), d("2024-04-15"))
	require.NoError(t, err)
	type span struct {
		name, in, out string
		ongoing       bool
	}
	want := []span{
		{"current", "2023-12-31", "2024-01-02", false},
		{"1-29", "2024-01-02", "2024-01-31", false},
		{"30-59", "2024-01-31", "2024-03-01", false},
		{"60-89", "2024-03-01", "2024-03-31", false},
		{"90-119", "2024-03-31", "2024-04-15", true},
	}
	require.Len(t, h.Buckets, len(want))
	for i, w := range want {
		b := h.Buckets[i]
		require.Equal(t, w, span{b.Bucket.Name, b.Entered.String(), b.Left.String(), b.Ongoing})
	}
}

// TestBucketHistoryOTS: buckets follow the reporting method; under OTS a loan
// due Apr 1 with nothing paid enters 30-59 on May 1 and 60-89 on Jun 1.
func TestBucketHistoryOTS(t *testing.T) {
	ins := monthly(t, 2024, time.April, 6, "900.00", "100.00", "0.00")
	h, err := mustNew(t, loanOf(ins), policyWith(RecognizeFull, MethodOTS)).History(d("2024-04-01"), d("2024-06-15"))
	require.NoError(t, err)
	require.Len(t, h.Buckets, 3)
	require.Equal(t, d("2024-05-01"), h.Buckets[1].Entered)
	require.Equal(t, "30-59", h.Buckets[1].Bucket.Name)
	require.Equal(t, d("2024-06-01"), h.Buckets[2].Entered)
}

func TestTerminalStatuses(t *testing.T) {
	ins := monthly(t, 2024, time.January, 3, "900.00", "100.00", "0.00")
	l := loanOf(ins)
	co, po, cl := d("2024-01-20"), d("2024-02-15"), d("2024-03-01")
	l.ChargedOffOn, l.PaidOffOn, l.ClosedOn = &co, &po, &cl
	pay(t, ins, 1, "2024-02-15", "1000.00")
	pay(t, ins, 2, "2024-02-15", "1000.00")
	pay(t, ins, 3, "2024-02-15", "1000.00")
	h, err := mustNew(t, l, StandardPolicy(ClosedEnd)).History(d("2024-01-01"), d("2024-03-10"))
	require.NoError(t, err)
	requireTransitions(t, []tr{
		{"2024-01-02", StatusCurrent, StatusDelinquent, ReasonThreshold, 1},
		{"2024-01-20", StatusDelinquent, StatusChargedOff, ReasonChargeOffRecorded, 19},
		{"2024-02-15", StatusChargedOff, StatusPaidOff, ReasonPaidOff, 0},
		{"2024-03-01", StatusPaidOff, StatusClosed, ReasonClosed, 0},
	}, h.Transitions)
	require.Equal(t, ReasonPaidOff, h.Episodes[0].CureReason)
}

func TestReAgeTransition(t *testing.T) {
	ins := monthly(t, 2024, time.January, 6, "900.00", "100.00", "0.00")
	l := loanOf(ins)
	l.ReAgedOn = []date.Date{d("2024-02-15")}
	h, err := mustNew(t, l, StandardPolicy(ClosedEnd)).History(d("2024-01-01"), d("2024-03-01"))
	require.NoError(t, err)
	requireTransitions(t, []tr{
		{"2024-01-02", StatusCurrent, StatusDelinquent, ReasonThreshold, 1},
		{"2024-02-15", StatusDelinquent, StatusCurrent, ReasonReAged, 0},
	}, h.Transitions)
	require.Equal(t, d("2024-01-01"), h.Episodes[0].FirstDelinquentOn, "re-aging never rewrites the date of first delinquency")
	require.Equal(t, ReasonReAged, h.Episodes[0].CureReason)
}

func TestHistoryBadRange(t *testing.T) {
	e := mustNew(t, loanOf(monthly(t, 2024, time.January, 1, "1.00", "0.00", "0.00")), StandardPolicy(ClosedEnd))
	_, err := e.History(d("2024-02-01"), d("2024-01-01"))
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"to"}, field.Fields(err))
	_, err = e.Status(MaxDate)
	require.ErrorIs(t, err, ErrInvalidInput)
	_, err = e.History(0, d("2024-01-01"))
	require.Equal(t, []string{"from"}, field.Fields(err))
}

// TestMilestones: Jan 1 missed. Day 36 = Feb 6, day 45 = Feb 15, more than 120
// days = day 121 = May 1 2024 (31+29+31+30 = 121). After the Feb 3 payment
// is applied to January the clock restarts from Feb 1 (rolling delinquency):
// day 36 = Mar 8, day 45 = Mar 17, day 121 = Jun 1 (29+31+30+31 = 121).
func TestMilestones(t *testing.T) {
	ins := monthly(t, 2024, time.January, 12, "900.00", "100.00", "0.00")
	pay(t, ins, 1, "2024-02-03", "1000.00")
	e := mustNew(t, loanOf(ins), StandardPolicy(ClosedEnd))
	m, ok := e.Milestones(d("2024-01-31"))
	require.True(t, ok)
	require.Equal(t, Milestones{
		DelinquentSince: d("2024-01-01"), LiveContactBy: d("2024-02-06"), RepeatLiveContactBy: d("2024-02-06"),
		WrittenNoticeBy: d("2024-02-15"), FirstFilingEligibleOn: d("2024-05-01"), ChargeOffOn: d("2024-04-30"),
		LiveContacts: []date.Date{d("2024-02-06")}, WrittenNotices: []date.Date{d("2024-02-15")},
	}, m)
	m, ok = e.Milestones(d("2024-02-04"))
	require.True(t, ok)
	require.Equal(t, d("2024-02-01"), m.DelinquentSince)
	require.Equal(t, d("2024-03-08"), m.LiveContactBy)
	require.Equal(t, d("2024-03-17"), m.WrittenNoticeBy)
	require.Equal(t, d("2024-06-01"), m.FirstFilingEligibleOn)
	// Still delinquent after the Mar 1 due date: again 36 days after it.
	m, _ = e.Milestones(d("2024-03-05"))
	require.Equal(t, d("2024-04-06"), m.RepeatLiveContactBy)
	// Mar 1 + 36 = Apr 6; its written notice (Apr 15) is within 180 days
	// of Mar 17, so only the first is listed.
	require.Equal(t, []date.Date{d("2024-03-08"), d("2024-04-06")}, m.LiveContacts)
	require.Equal(t, []date.Date{d("2024-03-17")}, m.WrittenNotices)
	_, ok = e.Milestones(d("2024-01-01"))
	require.False(t, ok)
}

type weekdays struct{ holidays map[date.Date]bool }

func (w weekdays) IsBusinessDay(x date.Date) bool {
	wd := x.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !w.holidays[x]
}

// TestAddBusinessDays: a loss-mitigation application received Thu 27 Jun
// 2024 must be acknowledged within 5 business days (Reg X §1024.41(b)(2)(i)),
// skipping the weekend and the Jul 4 holiday: Jun 28, Jul 1, 2, 3, 5.
func TestAddBusinessDays(t *testing.T) {
	cal := weekdays{map[date.Date]bool{d("2024-07-04"): true}}
	got, err := AddBusinessDays(d("2024-06-27"), 5, cal)
	require.NoError(t, err)
	require.Equal(t, d("2024-07-05"), got)
	_, err = AddBusinessDays(d("2024-06-27"), -1, nil)
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"cal", "n"}, field.Fields(err))
	_, err = AddBusinessDays(d("2024-06-27"), 1, noBusinessDays{})
	require.ErrorIs(t, err, ErrInvalidInput)
}

type noBusinessDays struct{}

func (noBusinessDays) IsBusinessDay(date.Date) bool { return false }

func TestCanReAge(t *testing.T) {
	min := money.MustNew(10000, money.USD)
	three := []Payment{
		{ReceivedOn: d("2024-04-20"), Amount: min},
		{ReceivedOn: d("2024-05-20"), Amount: min},
		{ReceivedOn: d("2024-06-20"), Amount: min},
	}
	tests := []struct {
		name string
		req  ReAgeRequest
		why  []error
	}{
		{"eligible", ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2023-10-01"), MinimumPayment: min, Payments: three}, nil},
		{"lump sum equal to three payments", ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2023-01-01"), MinimumPayment: min,
			Payments: []Payment{{ReceivedOn: d("2024-06-30"), Amount: money.MustNew(30000, money.USD)}}}, nil},
		{"8 months old", ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2023-11-02"), MinimumPayment: min, Payments: three},
			[]error{ErrAccountTooNew}},
		{"lender funded does not count", ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2023-01-01"), MinimumPayment: min,
			Payments: append([]Payment{{ReceivedOn: d("2024-06-21"), Amount: min, LenderFunded: true}}, three[1:]...)},
			[]error{ErrTooFewPayments}},
		{"payment older than 3 months", ReAgeRequest{AsOf: d("2024-07-21"), OpenedOn: d("2023-01-01"), MinimumPayment: min, Payments: three},
			[]error{ErrTooFewPayments}},
		{"re-aged 11 months ago", ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2020-01-01"), MinimumPayment: min, Payments: three,
			PriorReAges: []date.Date{d("2023-08-01")}}, []error{ErrReAgedWithin12Months}},
		{"re-aged 12 months ago is fine", ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2020-01-01"), MinimumPayment: min, Payments: three,
			PriorReAges: []date.Date{d("2023-07-01")}}, nil},
		{"twice in 5 years", ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2015-01-01"), MinimumPayment: min, Payments: three,
			PriorReAges: []date.Date{d("2019-08-01"), d("2022-01-01")}}, []error{ErrReAgedTwiceIn5Years}},
		{"everything", ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2024-01-01"), MinimumPayment: min,
			PriorReAges: []date.Date{d("2024-02-01"), d("2024-03-01")}},
			[]error{ErrAccountTooNew, ErrTooFewPayments, ErrReAgedWithin12Months, ErrReAgedTwiceIn5Years}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CanReAge(tc.req)
			if tc.why == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrReAgeRefused)
			for _, w := range tc.why {
				require.ErrorIs(t, err, w)
			}
			for _, other := range []error{ErrAccountTooNew, ErrTooFewPayments, ErrReAgedWithin12Months, ErrReAgedTwiceIn5Years} {
				if !containsErr(tc.why, other) {
					require.False(t, errors.Is(err, other), "unexpected %v", other)
				}
			}
		})
	}
	err := CanReAge(ReAgeRequest{AsOf: d("2024-07-01"), OpenedOn: d("2024-08-01"), PriorReAges: []date.Date{d("2024-09-01")}})
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"ReAgeRequest.OpenedOn", "ReAgeRequest.MinimumPayment", "ReAgeRequest.PriorReAges[0]"}, field.Fields(err))
}

func containsErr(list []error, e error) bool {
	return slices.ContainsFunc(list, func(x error) bool { return errors.Is(x, e) })
}

// TestMilestones_RepeatNotices: Reg X §1024.39 — live contact again within 36
// days after each later due date while delinquent; written notice again
// within 45 days after each due date, but not more than once in any 180-day
// period. Nothing paid on a loan due the 1st of each month of 2024, seen on
// 20 Dec 2024 (delinquent since Jan 1).
//
// Live contact: Jan 1 + 36 = Feb 6, then due date + 36: Feb 1 → Mar 8 (29
// days in Feb 2024), Mar 1 → Apr 6, Apr 1 → May 7, May 1 → Jun 6, Jun 1 →
// Jul 7, Jul 1 → Aug 6, Aug 1 → Sep 6, Sep 1 → Oct 7, Oct 1 → Nov 6, Nov 1 →
// Dec 7, Dec 1 → Jan 6 2025.
//
// Written notice: Jan 1 + 45 = Feb 15. The next may not come before Feb 15
// + 180 = Aug 13 (14 + 31 + 30 + 31 + 30 + 31 + 13); Jun 1 + 45 = Jul 16 is
// too early, Jul 1 + 45 = Aug 15 is the first due-date deadline on or after
// it. The next may not come before Aug 15 + 180 = Feb 11 2025 (16 + 30 + 31
// + 30 + 31 + 31 + 11); Dec 1 + 45 = Jan 15 2025 is too early.
func TestMilestones_RepeatNotices(t *testing.T) {
	ins := monthly(t, 2024, time.January, 12, "900.00", "100.00", "0.00")
	e := mustNew(t, loanOf(ins), StandardPolicy(ClosedEnd))
	m, ok := e.Milestones(d("2024-12-20"))
	require.True(t, ok)
	require.Equal(t, []date.Date{
		d("2024-02-06"), d("2024-03-08"), d("2024-04-06"), d("2024-05-07"), d("2024-06-06"), d("2024-07-07"),
		d("2024-08-06"), d("2024-09-06"), d("2024-10-07"), d("2024-11-06"), d("2024-12-07"), d("2025-01-06"),
	}, m.LiveContacts)
	require.Equal(t, []date.Date{d("2024-02-15"), d("2024-08-15")}, m.WrittenNotices)
	// On Jul 10 the Jul 1 due date has passed, so its Aug 15 deadline is
	// listed; on Jun 30 it has not, and Jun 1's (Jul 16) is too early.
	m, _ = e.Milestones(d("2024-07-10"))
	require.Equal(t, []date.Date{d("2024-02-15"), d("2024-08-15")}, m.WrittenNotices)
	m, _ = e.Milestones(d("2024-06-30"))
	require.Equal(t, []date.Date{d("2024-02-15")}, m.WrittenNotices)
	require.Len(t, m.LiveContacts, 6) // Feb 6 and Feb–Jun due dates + 36
}
