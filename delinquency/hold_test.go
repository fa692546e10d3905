package delinquency

import (
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/stretchr/testify/require"
)

// TestStatusHold: nothing paid on a loan due monthly from 1 Jan 2024; the
// ladder is delinquent from 1 DPD, default from 90, non-accrual from 150.
// DPD is 60 on 1 Mar 2024 (Jan 31 + Feb 29 days) when a hold capped at
// delinquent begins; 90 DPD falls on 31 Mar (+30) but the loan stays
// delinquent. The hold ends on 1 May, DPD 121 (+31 + 30): the ladder
// resumes that day at default. Non-accrual is not held: 150 DPD is
// 30 May (+29).
func TestStatusHold(t *testing.T) {
	ins := monthly(t, 2024, time.January, 24, "900.00", "100.00", "0.00")
	p := StandardPolicy(ClosedEnd)
	p.Status.NonAccrualDays, p.Status.ChargeOffDays = 150, 180
	l := loanOf(ins)
	l.Holds = []StatusHold{{From: d("2024-03-01"), To: d("2024-05-01"), Cap: StatusDelinquent}}
	h, err := mustNew(t, l, p).History(d("2023-12-01"), d("2024-06-01"))
	require.NoError(t, err)
	requireTransitions(t, []tr{
		{"2024-01-02", StatusCurrent, StatusDelinquent, ReasonThreshold, 1},
		{"2024-05-01", StatusDelinquent, StatusDefault, ReasonThreshold, 121},
		{"2024-05-30", StatusDefault, StatusNonAccrual, ReasonThreshold, 150},
	}, h.Transitions)

	s, err := mustNew(t, l, p).Status(d("2024-04-30"))
	require.NoError(t, err)
	require.Equal(t, StatusDelinquent, s.Status)
	require.Equal(t, 120, s.DPD, "a hold does not pause DPD")

	// Without the hold default comes on 31 Mar at 90 DPD.
	h, err = mustNew(t, loanOf(ins), p).History(d("2024-03-01"), d("2024-04-01"))
	require.NoError(t, err)
	requireTransitions(t, []tr{{"2024-03-31", StatusDelinquent, StatusDefault, ReasonThreshold, 90}}, h.Transitions)

	// HeldRung: the lowest cap in force wins; non-accrual is never held.
	holds := []StatusHold{{From: d("2024-03-01"), To: d("2024-05-01"), Cap: StatusDefault},
		{From: d("2024-04-01"), To: d("2024-04-02"), Cap: StatusCurrent}}
	require.Equal(t, StatusDefault, p.Status.HeldRung(100, d("2024-03-31"), holds))
	require.Equal(t, StatusCurrent, p.Status.HeldRung(100, d("2024-04-01"), holds))
	require.Equal(t, StatusNonAccrual, p.Status.HeldRung(150, d("2024-04-01"), holds))
	require.Equal(t, StatusDefault, p.Status.HeldRung(100, d("2024-05-01"), holds))
}

func TestStatusHoldValidate(t *testing.T) {
	l := loanOf(monthly(t, 2024, time.January, 3, "900.00", "100.00", "0.00"))
	l.Holds = []StatusHold{{From: d("2024-03-01"), To: d("2024-03-01"), Cap: StatusChargedOff}, {From: d("2024-03-01"), To: d("2024-04-01")}}
	_, err := New(l, StandardPolicy(ClosedEnd))
	require.True(t, errors.Is(err, ErrInvalidLoan), "%v", err)
	var paths []string
	for _, fe := range field.Errors(err) {
		paths = append(paths, fe.Field)
	}
	require.ElementsMatch(t, []string{"Loan.Holds[0].To", "Loan.Holds[0].Cap", "Loan.Holds[1].Cap"}, paths)
}

// TestCollectionsRungAndReleased: the ladder of TestStatusHold (delinquent
// from 1 DPD, default from 90, non-accrual from 150). The collections rung
// of 160 DPD is default (non-accrual is a classification entered on its
// day, not a collections rung); under a hold capped at delinquent it is
// delinquent, while HeldRung still says non-accrual.
//
// Released: a hold over [1 Mar, 1 May) capped at delinquent moves the
// default rung reached on 31 Mar to 1 May and leaves the delinquent rung
// alone; a hold capped at current over [20 Mar, 1 May) that overlaps
// [1 Mar, 1 Apr) capped at delinquent carries a default reached on
// 10 Mar past the first hold's end (1 Apr, still held) to 1 May.
func TestCollectionsRungAndReleased(t *testing.T) {
	p := StandardPolicy(ClosedEnd).Status
	p.NonAccrualDays, p.ChargeOffDays = 150, 180
	on := d("2024-04-01")
	for dpd, want := range map[int]Status{0: StatusCurrent, 1: StatusDelinquent, 89: StatusDelinquent, 90: StatusDefault, 160: StatusDefault} {
		require.Equal(t, want, p.CollectionsRung(dpd, on, nil), "%d DPD", dpd)
	}
	held := []StatusHold{{From: d("2024-03-01"), To: d("2024-05-01"), Cap: StatusDelinquent}}
	require.Equal(t, StatusDelinquent, p.CollectionsRung(160, on, held))
	require.Equal(t, StatusNonAccrual, p.HeldRung(160, on, held))
	require.Equal(t, StatusDefault, p.CollectionsRung(160, d("2024-05-01"), held), "the hold's end is not held")

	require.Equal(t, d("2024-05-01"), Released(StatusDefault, d("2024-03-31"), held))
	require.Equal(t, d("2024-03-31"), Released(StatusDelinquent, d("2024-03-31"), held))
	require.Equal(t, d("2024-03-31"), Released(StatusNonAccrual, d("2024-03-31"), held))
	require.Equal(t, d("2024-05-02"), Released(StatusDefault, d("2024-05-02"), held))
	chain := []StatusHold{{From: d("2024-03-20"), To: d("2024-05-01"), Cap: StatusCurrent},
		{From: d("2024-03-01"), To: d("2024-04-01"), Cap: StatusDelinquent}}
	require.Equal(t, d("2024-05-01"), Released(StatusDefault, d("2024-03-10"), chain))
	require.Equal(t, d("2024-05-01"), Released(StatusDelinquent, d("2024-03-25"), chain))
	require.Equal(t, d("2024-03-10"), Released(StatusDelinquent, d("2024-03-10"), chain))
}
