package servicing_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// ladderAuto is the Fed auto loan (18,800.00 at 9%, ACT/365F, first due
// 2024-02-01) on the FFIEC closed-end ladder: delinquent from 1 DPD, default
// and non-accrual at 90, charged off at 120 (delinquency.StandardPolicy).
func ladderAuto() loan.Terms {
	return ladder(autoLoan(), delinquency.StandardPolicy(delinquency.ClosedEnd).Status)
}

// TestLadderMissedEveryPayment: nothing is ever paid. Hand-counted dates
// from the first due date 2024-02-01 (2024 is a leap year):
// DPD 1 on 2 Feb (delinquent); DPD 30 on 2 Mar, 36 on 8 Mar, 45 on 17 Mar,
// 60 on 1 Apr (29 Feb days + 31 Mar days = 60), 90 on 1 May (+30) —
// non-accrual —, 120 on 31 May — charged off.
// Interest stops at non-accrual: [1 Jan, 1 May) is 121 days,
// 18800.00 × 0.09 × 121/365 = 560.9096 → 560.91; nothing after it.
func TestLadderMissedEveryPayment(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "A1", ladderAuto())
	var got []loan.DomainEvent
	for day := d(2024, 2, 1); day <= d(2024, 6, 5); day++ {
		r, err := e.EndOfDay(ctx, "A1", day, key("eod-"+day.String()))
		require.NoError(t, err)
		got = append(got, r.Domain...)
	}
	type ev struct {
		typ      loan.DomainEventType
		on       date.Date
		from, to loan.ServicingStatus
		dpd      int
	}
	var evs []ev
	for _, de := range got {
		evs = append(evs, ev{de.Type, de.On, de.From, de.To, de.DaysPastDue})
	}
	require.Equal(t, []ev{
		{loan.DomainStatusChanged, d(2024, 2, 2), loan.StatusCurrent, loan.StatusDelinquent, 1},
		{loan.DomainMilestone, d(2024, 3, 2), "", "", 30},
		{loan.DomainMilestone, d(2024, 3, 8), "", "", 36},
		{loan.DomainMilestone, d(2024, 3, 17), "", "", 45},
		{loan.DomainMilestone, d(2024, 4, 1), "", "", 60},
		{loan.DomainStatusChanged, d(2024, 5, 1), loan.StatusDelinquent, loan.StatusNonAccrual, 90},
		{loan.DomainMilestone, d(2024, 5, 1), "", "", 90},
		{loan.DomainStatusChanged, d(2024, 5, 31), loan.StatusNonAccrual, loan.StatusChargedOff, 120},
		{loan.DomainChargedOff, d(2024, 5, 31), "", "", 0},
		{loan.DomainMilestone, d(2024, 5, 31), "", "", 120},
	}, evs)

	s := requireMatchesReplay(t, store, "A1", d(2024, 4, 30))
	require.Equal(t, loan.StatusDelinquent, s.Status)
	// The day before non-accrual the payoff still accrues: [1 Jan, 30 Apr)
	// is 120 days, 1692.00 × 120/365 = 556.2740 → 556.27.
	q, err := s.Payoff(d(2024, 4, 30))
	require.NoError(t, err)
	moneytest.Equal(t, "556.27", q.Interest)

	s = requireMatchesReplay(t, store, "A1", d(2024, 5, 30))
	require.Equal(t, loan.StatusNonAccrual, s.Status)
	moneytest.Equal(t, "560.91", s.AccruedInterest)
	q, err = s.Payoff(d(2024, 5, 30))
	require.NoError(t, err)
	moneytest.Equal(t, "560.91", q.Interest, "no interest accrues on non-accrual")
	moneytest.Equal(t, "0.00", q.PerDiem)

	s = requireMatchesReplay(t, store, "A1", d(2024, 6, 5))
	require.Equal(t, loan.StatusChargedOff, s.Status)
	require.Equal(t, d(2024, 5, 31), s.ClosedOn)
	moneytest.Equal(t, "19360.91", s.ChargedOff, "18800.00 + 560.91")
	// The memo holds what non-accrual did not accrue, booked at the
	// charge-off: [1 May, 31 May) is 30 days, 1692.00 × 30/365 = 139.0685
	// → 139.07.
	moneytest.Equal(t, "139.07", s.NonAccrualInterest)
}

// TestLadderNonAccrualResumesWhenBroughtCurrent: unpaid until non-accrual
// (1 May, 560.91 interest as above), then 4 × 467.84 = 1,871.36 on 10 May
// pays the four installments due (interest first under the consumer
// waterfall): principal 1871.36 − 560.91 = 1310.45 → 17,489.55. No interest
// for [1 May, 10 May); accrual resumes on 10 May: the payoff on 1 Jun owes
// 17489.55 × 0.09 × 22/365 = 94.8748 → 94.87.
func TestLadderNonAccrualResumesWhenBroughtCurrent(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "A1", ladderAuto())
	_, err := e.EndOfDay(ctx, "A1", d(2024, 5, 1), key("eod"))
	require.NoError(t, err)
	r, err := e.PostPayment(ctx, "A1", d(2024, 5, 10), usd("1871.36"), key("cure"))
	require.NoError(t, err)
	var types []loan.DomainEventType
	for _, de := range r.Domain {
		types = append(types, de.Type)
		if de.Type == loan.DomainStatusChanged {
			require.Equal(t, loan.StatusNonAccrual, de.From)
			require.Equal(t, loan.StatusCurrent, de.To)
		}
	}
	require.Contains(t, types, loan.DomainStatusChanged)
	require.Contains(t, types, loan.DomainDelinquencyCured)
	s := requireMatchesReplay(t, store, "A1", d(2024, 6, 1))
	require.Equal(t, loan.StatusCurrent, s.Status)
	moneytest.Equal(t, "17489.55", s.Principal)
	// [1 May, 10 May) is memo: 1692.00 × 9/365 = 41.7205 → 41.72.
	moneytest.Equal(t, "41.72", s.NonAccrualInterest)
	q, err := s.Payoff(d(2024, 6, 1))
	require.NoError(t, err)
	moneytest.Equal(t, "94.87", q.Interest)
}

// TestLadderMatchesDelinquencyPackage is a differential test: on random
// payment logs of a scheduled-interest mortgage with a tight ladder
// (delinquent 1, default 30, non-accrual 45, charge-off 100), the engine's
// status on each day equals delinquency.Evaluator.Status over the
// installments and credits the engine's allocation trace reports, except
// on the day a payment lands on a threshold (the engine decides thresholds
// at the start of the day).
func TestLadderMatchesDelinquencyPackage(t *testing.T) {
	amounts := []string{"1199.10", "1199.10", "2398.20", "3597.30"}
	sp := delinquency.StatusPolicy{DelinquentDays: 1, DefaultDays: 30, NonAccrualDays: 45, ChargeOffDays: 100, ChargeOff: delinquency.ChargeOffStopInterest}
	policy := delinquency.StandardPolicy(delinquency.ClosedEnd)
	policy.Status = sp
	seen := map[loan.ServicingStatus]int{}
	for seed := range uint64(20) {
		terms := mortgage()
		terms.Delinquency.LateFee = nil
		terms = ladder(terms, sp)
		l := newLog(terms)
		on := d(2024, 2, 20)
		paid := map[date.Date]bool{}
		for i := range 12 {
			on += date.Date(int(seed)*7%23 + i*5%31 + 3)
			l.pay(on, amounts[(int(seed)+i)%len(amounts)])
			paid[on] = true
		}
		end := on + 130
		for asOf := d(2024, 3, 1); asOf <= end; asOf += 3 {
			led, err := loan.ReplayLedger(l.terms, l.events, asOf)
			require.NoError(t, err)
			ev, err := delinquency.New(oracleLoan(l.terms, led), policy)
			require.NoError(t, err)
			st, err := ev.Status(asOf)
			require.NoError(t, err)
			seen[led.State.Status]++
			if led.State.Status == loan.StatusChargedOff {
				require.Equal(t, delinquency.StatusChargedOff, st.Status, "seed %d as of %s", seed, asOf)
				break
			}
			if paid[asOf] || paid[st.Since] {
				continue
			}
			require.Equal(t, string(st.Status), string(led.State.Status), "seed %d as of %s", seed, asOf)
		}
	}
	for _, s := range []loan.ServicingStatus{loan.StatusCurrent, loan.StatusDelinquent, loan.StatusDefault, loan.StatusNonAccrual, loan.StatusChargedOff} {
		require.Positive(t, seen[s], "no log reached %s", s)
	}
	t.Logf("statuses compared: %v", seen)
}
