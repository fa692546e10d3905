package servicing_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/servicingtest"

	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// holdMortgage is the 6% mortgage (helpers_test.go, 1,199.10 due the 1st
// from 2024-03-01) on a ladder with default at 90 DPD, non-accrual at
// 120 and charge-off at 180, so that 60 DPD is the delinquent rung.
func holdMortgage() loan.Terms {
	return ladder(mortgage(), delinquency.StatusPolicy{DelinquentDays: 1, DefaultDays: 90, NonAccrualDays: 120, ChargeOffDays: 180,
		ChargeOff: delinquency.ChargeOffRegular})
}

// holdPlan is three planned payments of 300.00 (together less than one
// installment, so installment 1 stays unpaid and DPD keeps counting).
func holdPlan(status bool) loan.ArrangementMade {
	return loan.ArrangementMade{Payments: []collections.Planned{
		{On: d(2024, 5, 15), Amount: usd("300.00")},
		{On: d(2024, 6, 14), Amount: usd("300.00")},
		{On: d(2024, 7, 14), Amount: usd("300.00")},
	}, HoldLateFees: true, HoldContacts: true, HoldStatus: status}
}

// TestArrangementWithoutHoldStatusUnchanged: an arrangement that does not
// hold the status ladder folds to the very state it did before the hold
// existed. The hash was recorded by folding this log with the release
// before HoldStatus (commit 8c1405a).
func TestArrangementWithoutHoldStatusUnchanged(t *testing.T) {
	l := newLog(holdMortgage())
	l.add(d(2024, 4, 30), holdPlan(false))
	l.pay(d(2024, 5, 15), "300.00")
	l.pay(d(2024, 6, 14), "300.00")
	l.pay(d(2024, 7, 14), "300.00")
	var got []string
	for _, on := range []date.Date{d(2024, 5, 29), d(2024, 5, 30), d(2024, 7, 20), d(2024, 9, 1)} {
		s := l.replay(t, on)
		h := s.Hash()
		got = append(got, string(s.Status)+" "+hex.EncodeToString(h[:]))
	}
	require.Equal(t, []string{
		"delinquent 655ef0771fcdf44ae353dade2ae6e1ee152200956e9a8d237ea130e392d62332",
		"default 27e9f5706cf634d65c6ec453372f82f72fe5bd401355af8739db81bf6b9d0499",
		"non_accrual 5152c7c84f8f54a655a972f3cbc6170b0bc9ddf24c23283dc18421e7fe676baa",
		"charged_off 225460e00702463fb0883c8848e928c08226280219b7e0fdfaca1c2af4f122ba",
	}, got)
}

// statusChanges runs the engine day by day over [1 Mar, 1 Sep 2024] on
// terms, recording plan on 30 Apr (60 DPD: nothing is paid from the first
// due date 1 Mar; March has 31 days, so 1 Apr is 31 DPD and 30 Apr 60) and
// posting the payments paid on their days, each before that day's end;
// it returns the status changes (day, to, DPD) and the loan's store.
func statusChanges(t *testing.T, terms loan.Terms, plan loan.ArrangementMade, paid map[date.Date]string) ([]string, servicing.Store) {
	t.Helper()
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "H1", terms)
	var got []string
	record := func(r servicing.Result, err error) {
		t.Helper()
		require.NoError(t, err)
		for _, de := range r.Domain {
			if de.Type == loan.DomainStatusChanged {
				got = append(got, fmt.Sprintf("%s %s %d", de.On, de.To, de.DaysPastDue))
			}
		}
	}
	for day := d(2024, 3, 1); day <= d(2024, 9, 1); day++ {
		if day == d(2024, 4, 30) {
			record(e.RecordArrangement(ctx, "H1", day, plan, key("plan")))
		}
		if amt, ok := paid[day]; ok {
			record(e.PostPayment(ctx, "H1", day, usd(amt), key("pay-"+day.String())))
		}
		record(e.EndOfDay(ctx, "H1", day, key("eod-"+day.String())))
	}
	return got, store
}

// onTime pays every planned 300.00 on its date.
var onTime = map[date.Date]string{d(2024, 5, 15): "300.00", d(2024, 6, 14): "300.00", d(2024, 7, 14): "300.00"}

// TestHoldStatusKeptPlan: the hold mortgage with non-accrual moved to
// 150 DPD. The arrangement made on 30 Apr at 60 DPD (delinquent) holds
// the ladder at delinquent while the plan is kept: 90 DPD on 30 May
// (+30 days) would be default but the loan stays delinquent, DPD still
// counting (111 on 20 Jun: 30 May + 21). The plan's last date is 14 Jul;
// the hold ends on 15 Jul, DPD 136 (29 Jun is 120, + 16), and the ladder
// resumes from that day's DPD: default. Non-accrual on 29 Jul (150 DPD,
// + 14), charge-off on 28 Aug (180, + 30).
func TestHoldStatusKeptPlan(t *testing.T) {
	terms := holdMortgage()
	terms.Delinquency.Status.NonAccrualDays = 150
	got, store := statusChanges(t, terms, holdPlan(true), onTime)
	require.Equal(t, []string{
		"2024-03-02 delinquent 1",
		"2024-07-15 default 136",
		"2024-07-29 non_accrual 150",
		"2024-08-28 charged_off 180",
	}, got)
	s := requireMatchesReplay(t, store, "H1", d(2024, 6, 20))
	require.Equal(t, loan.StatusDelinquent, s.Status)
	require.Equal(t, 111, s.DaysPastDue(), "a hold is not a pause")
	require.Equal(t, delinquency.StatusDelinquent, s.Hold.Cap)
	require.Equal(t, d(2024, 4, 30), s.Hold.Made)
	s = requireMatchesReplay(t, store, "H1", d(2024, 7, 14))
	require.Equal(t, loan.StatusDelinquent, s.Status, "the plan's last day is held")
	s = requireMatchesReplay(t, store, "H1", d(2024, 7, 15))
	require.Equal(t, loan.StatusDefault, s.Status)

	// Without HoldStatus the same history defaults on 30 May at 90 DPD.
	got, _ = statusChanges(t, terms, holdPlan(false), onTime)
	require.Equal(t, []string{
		"2024-03-02 delinquent 1",
		"2024-05-30 default 90",
		"2024-07-29 non_accrual 150",
		"2024-08-28 charged_off 180",
	}, got)
}

// TestHoldStatusBrokenPlan: as TestHoldStatusKeptPlan, but the 300.00
// planned for 14 Jun never comes (July's is paid). Collections judges the
// plan broken on 15 Jun, the day after the date it failed (no grace); the
// ladder resumes that day from its DPD, 106 (30 May is 90, + 16): default.
// The July money does not mend a broken plan.
func TestHoldStatusBrokenPlan(t *testing.T) {
	terms := holdMortgage()
	terms.Delinquency.Status.NonAccrualDays = 150
	got, store := statusChanges(t, terms, holdPlan(true), map[date.Date]string{d(2024, 5, 15): "300.00", d(2024, 7, 14): "600.00"})
	require.Equal(t, []string{
		"2024-03-02 delinquent 1",
		"2024-06-15 default 106",
		"2024-07-29 non_accrual 150",
		"2024-08-28 charged_off 180",
	}, got)
	s := requireMatchesReplay(t, store, "H1", d(2024, 6, 14))
	require.Equal(t, loan.StatusDelinquent, s.Status)
	s = requireMatchesReplay(t, store, "H1", d(2024, 6, 15))
	require.Equal(t, loan.StatusDefault, s.Status)
	require.Equal(t, 106, s.DaysPastDue())
	requireMatchesReplay(t, store, "H1", d(2024, 9, 1))
}

// TestHoldStatusNonAccrualNotHeld: the hold mortgage (non-accrual at
// 120 DPD) with the plan kept: a hold caps the collections rungs only, so
// the loan goes from delinquent straight to non-accrual on 29 Jun, 120 DPD
// (30 May is 90, + 30), inside the hold, and is charged off on 28 Aug
// (180 DPD). The hold's end on 15 Jul changes nothing: non-accrual is left
// only when the loan is brought current.
func TestHoldStatusNonAccrualNotHeld(t *testing.T) {
	got, store := statusChanges(t, holdMortgage(), holdPlan(true), onTime)
	require.Equal(t, []string{
		"2024-03-02 delinquent 1",
		"2024-06-29 non_accrual 120",
		"2024-08-28 charged_off 180",
	}, got)
	s := requireMatchesReplay(t, store, "H1", d(2024, 6, 28))
	require.Equal(t, loan.StatusDelinquent, s.Status)
	s = requireMatchesReplay(t, store, "H1", d(2024, 7, 20))
	require.Equal(t, loan.StatusNonAccrual, s.Status)
}

// TestHoldStatusBreakDayEveryDay: the broken plan of TestHoldStatusBrokenPlan
// with its second date on each day x of June (the third on 20 Jul), only
// May's 300.00 paid, folded in one pass. The plan breaks on Jun x+1 and the
// loan defaults that day at its DPD: 1 Mar to 1 Jun is 31 + 30 + 31 = 92
// days, so 92 + x. Some of those days are also the day of another rule of
// the fold (the suspense sweep after the 1 Jun due date, the late fee
// after its grace): the status change still comes on the break day.
func TestHoldStatusBreakDayEveryDay(t *testing.T) {
	terms := holdMortgage()
	terms.Delinquency.Status.NonAccrualDays = 150
	for x := 1; x <= 30; x++ {
		plan := holdPlan(true)
		plan.Payments[1].On = d(2024, 6, x)
		plan.Payments[2].On = d(2024, 7, 20)
		l := newLog(terms)
		l.add(d(2024, 4, 30), plan)
		l.pay(d(2024, 5, 15), "300.00")
		_, dom, err := loan.Fold(loan.Initial(terms), l.events, d(2024, 9, 1))
		require.NoError(t, err)
		var got []string
		for _, de := range dom {
			if de.Type == loan.DomainStatusChanged {
				got = append(got, fmt.Sprintf("%s %s %d", de.On, de.To, de.DaysPastDue))
			}
		}
		require.Equal(t, []string{
			"2024-03-02 delinquent 1",
			fmt.Sprintf("%s default %d", d(2024, 6, x+1), 92+x),
			"2024-07-29 non_accrual 150",
			"2024-08-28 charged_off 180",
		}, got, "second planned date 2024-06-%02d", x)
		require.Equal(t, loan.StatusDelinquent, l.replay(t, d(2024, 6, x)).Status)
		require.Equal(t, loan.StatusDefault, l.replay(t, d(2024, 6, x+1)).Status)
	}
}
