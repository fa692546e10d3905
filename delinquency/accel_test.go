package delinquency

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

// acceleratedLoan is the hand-worked case of the tests below: $1,000.00 due
// on the 1st of each month from Jan 2024 (P 800 + I 200), January paid on
// time, February and March missed, the loan accelerated on 15 Mar 2024 for
// $50,000.00. On 5 Apr the engine credits $1,000.00 to the February
// installment (which, without acceleration, would move the start of
// delinquency to Mar 1 under Reg X §1024.31). Against the accelerated
// balance: $20,000.00 on 20 Apr and $29,990.00 + $10.00 fees on 2 May.
func acceleratedLoan(t *testing.T, paidInFull bool) Loan {
	ins := monthly(t, 2024, time.January, 6, "800.00", "200.00", "0.00")
	pay(t, ins, 1, "2024-01-01", "1000.00")
	pay(t, ins, 2, "2024-04-05", "1000.00")
	acc := &Acceleration{On: d("2024-03-15"), Amount: usd(t, "50000.00"),
		Credits: []Credit{{ReceivedOn: d("2024-04-20"), Principal: usd(t, "20000.00")}}}
	if paidInFull {
		acc.Credits = append(acc.Credits, Credit{ReceivedOn: d("2024-05-02"), Principal: usd(t, "29990.00"), Fees: usd(t, "10.00")})
	}
	l := loanOf(ins)
	l.Acceleration = acc
	return l
}

// TestAcceleration_StaysDelinquentUntilPaid: Reg X §1024.31 comment — after
// acceleration, failing to pay the accelerated amount keeps the loan
// delinquent; DPD runs on from the oldest unpaid due date (Feb 1) and the
// amount to bring current is the unpaid accelerated balance.
func TestAcceleration_StaysDelinquentUntilPaid(t *testing.T) {
	e := mustNew(t, acceleratedLoan(t, true), StandardPolicy(ClosedEnd))
	tests := []struct {
		asOf        string
		dpd         int
		delinquent  bool
		accelerated bool
		balance     string
		count       int
	}{
		// Before the acceleration nothing changes: Feb 1 → Mar 14 is 29 + 13.
		{"2024-03-14", 42, true, false, "0.00", 2},
		// Acceleration day: Feb 1 → Mar 15 = 29 + 14.
		{"2024-03-15", 43, true, true, "50000.00", 2},
		// 5 Apr credit to February does not move the start: 29 + 31 + 9;
		// Feb, Mar, Apr have fallen due.
		{"2024-04-10", 69, true, true, "50000.00", 3},
		// 50,000 − 20,000; 29 + 31 + 19.
		{"2024-04-20", 79, true, true, "30000.00", 3},
		// 29 + 31 + 30 = 90; May 1 is due, not past due.
		{"2024-05-01", 90, true, true, "30000.00", 3},
		// 20,000 + 29,990 + 10 = 50,000: paid, nothing past due.
		{"2024-05-02", 0, false, true, "0.00", 0},
	}
	for _, tc := range tests {
		t.Run(tc.asOf, func(t *testing.T) {
			a := e.Assess(d(tc.asOf))
			require.Equal(t, tc.dpd, a.DPD)
			require.Equal(t, tc.dpd, e.DaysPastDue(d(tc.asOf)))
			require.Equal(t, tc.delinquent, a.Delinquent)
			require.Equal(t, tc.accelerated, a.Accelerated)
			require.Equal(t, tc.count, a.PaymentsPastDue)
			moneytest.Equal(t, usd(t, tc.balance), a.AcceleratedBalance)
			if tc.accelerated {
				moneytest.Equal(t, usd(t, tc.balance), a.ToCure)
				moneytest.Equal(t, usd(t, tc.balance), a.BringCurrent)
			}
			if tc.delinquent {
				require.Equal(t, d("2024-02-01"), a.DelinquentSince)
				require.Equal(t, 2, a.OldestUnpaidSeq)
			}
		})
	}
	// Without the acceleration record the 5 Apr payment rolls the start to
	// Mar 1: Apr 10 − Mar 1 = 30 + 10 = 40 DPD.
	l := acceleratedLoan(t, true)
	l.Acceleration = nil
	require.Equal(t, 40, mustNew(t, l, StandardPolicy(ClosedEnd)).DaysPastDue(d("2024-04-10")))
}

// TestAcceleration_Status: the status ladder and the episode follow the
// accelerated delinquency: 90 DPD on 1 May reaches Default and NonAccrual
// (StandardPolicy), and paying the balance on 2 May brings the loan current.
func TestAcceleration_Status(t *testing.T) {
	e := mustNew(t, acceleratedLoan(t, true), StandardPolicy(ClosedEnd))
	s, err := e.Status(d("2024-05-01"))
	require.NoError(t, err)
	require.Equal(t, StatusNonAccrual, s.Status)
	require.Equal(t, 90, s.DPD)
	s, err = e.Status(d("2024-05-02"))
	require.NoError(t, err)
	require.Equal(t, StatusCurrent, s.Status)
	require.Equal(t, Episode{FirstDelinquentOn: d("2024-02-01"), Cured: true, CuredOn: d("2024-05-02"),
		CureReason: ReasonBroughtCurrent, MaxDPD: 90}, s.Episode)

	// Unpaid, the loan keeps aging into charge-off at 120 DPD: Feb 1 + 120
	// days = 31 May (29 + 31 + 30 + 30).
	e = mustNew(t, acceleratedLoan(t, false), StandardPolicy(ClosedEnd))
	s, err = e.Status(d("2024-05-31"))
	require.NoError(t, err)
	require.Equal(t, StatusChargedOff, s.Status)
	require.Equal(t, d("2024-05-31"), s.Since)
	m, ok := e.Milestones(d("2024-04-10"))
	require.True(t, ok)
	require.Equal(t, d("2024-05-31"), m.ChargeOffOn)
}

// TestAcceleration_MBA: under the MBA method the contractual schedule keeps
// counting while the balance is unpaid. On 10 Apr, Feb (unpaid at the end of
// 29 Feb) and Mar (unpaid at the end of 31 Mar) count, Apr not yet: 60 days.
func TestAcceleration_MBA(t *testing.T) {
	e := mustNew(t, acceleratedLoan(t, false), policyWith(RecognizeFull, MethodMBA))
	a := e.Assess(d("2024-04-10"))
	require.Equal(t, 60, a.Days)
	require.Equal(t, "60-89", a.Bucket.Name)
	h, err := e.History(d("2024-04-10"), d("2024-04-11"))
	require.NoError(t, err)
	require.Equal(t, "60-89", h.Buckets[0].Bucket.Name)
}

// TestAcceleration_FromCurrent: a loan current when accelerated (e.g. due on
// sale) owes the balance on the acceleration date itself; it is past due,
// with no installment number, from the next day.
func TestAcceleration_FromCurrent(t *testing.T) {
	ins := monthly(t, 2024, time.January, 6, "800.00", "200.00", "0.00")
	for i := 1; i <= 3; i++ {
		pay(t, ins, i, ins[i-1].DueDate.String(), "1000.00")
	}
	l := loanOf(ins)
	l.Acceleration = &Acceleration{On: d("2024-03-15"), Amount: usd(t, "48000.00")}
	e := mustNew(t, l, StandardPolicy(ClosedEnd))
	a := e.Assess(d("2024-03-15"))
	require.False(t, a.Delinquent)
	moneytest.Equal(t, usd(t, "48000.00"), a.BringCurrent)
	a = e.Assess(d("2024-03-16"))
	require.True(t, a.Delinquent)
	require.Equal(t, 1, a.DPD)
	require.Equal(t, d("2024-03-15"), a.DelinquentSince)
	require.Equal(t, 0, a.OldestUnpaidSeq)
	// Apr 1 has fallen due by Apr 2: one contractual installment.
	require.Equal(t, 1, e.Assess(d("2024-04-02")).PaymentsPastDue)
	m, ok := e.Milestones(d("2024-03-16"))
	require.True(t, ok)
	require.Equal(t, d("2024-04-20"), m.LiveContactBy) // Mar 15 + 36 = 16 + 20
}

func TestAcceleration_Validation(t *testing.T) {
	l := acceleratedLoan(t, true)
	l.Acceleration.Amount = money.Zero(money.USD)
	l.Acceleration.On = MaxDate + 1
	l.Acceleration.Credits[0].Fees = money.MustNew(-1, money.USD)
	l.Acceleration.Credits = append(l.Acceleration.Credits, Credit{ReceivedOn: d("2024-03-14")})
	_, err := New(l, StandardPolicy(ClosedEnd))
	require.ErrorIs(t, err, ErrInvalidLoan)
	var names []string
	for e := range fieldErrors(err) {
		names = append(names, e.Field)
	}
	// With On itself out of range, no credit is reported as before it.
	require.ElementsMatch(t, []string{"Loan.Acceleration.On", "Loan.Acceleration.Amount",
		"Loan.Acceleration.Credits[0].Fees"}, names)
	require.Error(t, l.Validate())

	l = acceleratedLoan(t, true)
	l.Acceleration.Credits = append(l.Acceleration.Credits, Credit{ReceivedOn: d("2024-03-14")})
	err = l.Validate()
	require.ErrorIs(t, err, ErrInvalidLoan)
	names = nil
	for e := range fieldErrors(err) {
		names = append(names, e.Field)
	}
	require.Equal(t, []string{"Loan.Acceleration.Credits[2].ReceivedOn"}, names)
}

func TestAcceleration_JSON(t *testing.T) {
	l := acceleratedLoan(t, true)
	b, err := json.Marshal(l)
	require.NoError(t, err)
	var back Loan
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, l, back)
}

// fieldErrors yields every *field.Error wrapped in err.
func fieldErrors(err error) func(func(*field.Error) bool) {
	return func(yield func(*field.Error) bool) {
		for _, fe := range field.Errors(err) {
			if !yield(fe) {
				return
			}
		}
	}
}
