package servicing_test

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/stretchr/testify/require"
)

func TestReplayOnTimeMortgage(t *testing.T) {
	l := newLog(mortgage())
	l.pay(d(2024, 3, 1), "1199.10")
	l.pay(d(2024, 4, 1), "1199.10")
	s := l.replay(t, d(2024, 4, 10))
	// Mar: 200000.00 × 6% × 30/360 = 1000.00 interest, 199.10 principal.
	// Apr: 199800.90 × 0.005 = 999.0045 → 999.00, principal 200.10.
	moneytest.Equal(t, "199600.80", s.Principal)
	moneytest.Equal(t, "1999.00", s.PaidInterest)
	moneytest.Equal(t, "399.20", s.PaidPrincipal)
	require.Equal(t, loan.StatusCurrent, s.Status)
	require.Equal(t, 3, s.NextInstallment)
	require.Equal(t, 0, s.DaysPastDue())
	due, ok := s.NextDueDate()
	require.True(t, ok)
	require.Equal(t, d(2024, 5, 1), due)
}

func TestReplayLateFeeAndCure(t *testing.T) {
	l := newLog(mortgage())
	tests := []struct {
		asOf   time.Month
		day    int
		dpd    int
		fee    string
		status loan.ServicingStatus
	}{
		{time.March, 1, 0, "0.00", loan.StatusCurrent},
		{time.March, 2, 1, "0.00", loan.StatusDelinquent},
		{time.March, 16, 15, "0.00", loan.StatusDelinquent},
		// Grace ends 16 Mar; the fee is 5% × 1199.10 = 59.955 → 59.96.
		{time.March, 17, 16, "59.96", loan.StatusDelinquent},
		{time.April, 20, 50, "119.92", loan.StatusDelinquent},
	}
	for _, tt := range tests {
		s := l.replay(t, d(2024, tt.asOf, tt.day))
		require.Equal(t, tt.dpd, s.DaysPastDue(), "DPD on %s", s.AsOf)
		require.Equal(t, tt.status, s.Status, "status on %s", s.AsOf)
		moneytest.Equal(t, tt.fee, s.LateFees, "late fees on", s.AsOf)
	}
	// 1199.10 + 59.96 on 20 Mar pays March: cured. The GSE order
	// (payment.GSEMortgage, uniform instrument §2) ranks late charges after
	// the installment due in the current cycle (April's), which 59.96
	// cannot complete, so the rest is held in suspense (Reg Z
	// §1026.36(c)(1)(ii)) and the late charge stays owed.
	l.pay(d(2024, 3, 20), "1259.06")
	s := l.replay(t, d(2024, 3, 25))
	require.Equal(t, loan.StatusCurrent, s.Status)
	require.Zero(t, s.DaysPastDue())
	moneytest.Equal(t, "59.96", s.LateFees)
	moneytest.Equal(t, "59.96", s.Suspense)
	require.Zero(t, s.DelinquentSince)
	// April's 1199.10 on 1 Apr completes April with the 59.96 held
	// (1199.10 + 59.96 = 1259.06), and the late charge is paid next.
	l.pay(d(2024, 4, 1), "1199.10")
	s = l.replay(t, d(2024, 4, 2))
	moneytest.Equal(t, "0.00", s.Suspense)
	moneytest.Equal(t, "0.00", s.LateFees)
	require.Equal(t, 3, s.NextInstallment)
}

// Reg X §1024.31 comment: a payment applied to the oldest installment moves
// the start of delinquency: March unpaid, one payment on 3 Apr pays March,
// so on 4 Apr the loan is 3 days past due (April's installment).
func TestReplayRollingDelinquency(t *testing.T) {
	l := newLog(mortgage())
	l.pay(d(2024, 4, 3), "1199.10")
	s := l.replay(t, d(2024, 4, 4))
	require.Equal(t, 3, s.DaysPastDue())
	require.Equal(t, d(2024, 3, 1), s.DelinquentSince, "the episode keeps its first unpaid due date")
}

// CFPB comment 36(c)(1)(ii)-1 style: a partial payment is held in suspense
// and applied once suspense reaches a full periodic payment.
func TestReplayPartialHeldInSuspense(t *testing.T) {
	l := newLog(mortgage())
	l.pay(d(2024, 2, 20), "600.00")
	s := l.replay(t, d(2024, 2, 25))
	moneytest.Equal(t, "600.00", s.Suspense)
	require.Equal(t, 1, s.NextInstallment)
	l.pay(d(2024, 2, 27), "599.10")
	s = l.replay(t, d(2024, 3, 2))
	moneytest.Equal(t, "0.00", s.Suspense)
	require.Equal(t, 2, s.NextInstallment)
	moneytest.Equal(t, "199800.90", s.Principal)
}

func TestReplayReversalRemovesPayment(t *testing.T) {
	l := newLog(mortgage())
	pay := l.pay(d(2024, 3, 1), "1199.10")
	without := l.replay(t, d(2024, 3, 5))
	l.add(d(2024, 3, 8), loan.PaymentReversed{PaymentSeq: pay, PaymentEffectiveOn: d(2024, 3, 1), NSFFee: usd("25.00")})
	s := l.replay(t, d(2024, 3, 20))
	require.Equal(t, 1, s.NextInstallment, "reversed payment undone")
	moneytest.Equal(t, "200000.00", s.Principal)
	moneytest.Equal(t, "25.00", s.NSFFees)
	moneytest.Equal(t, "59.96", s.LateFees, "late fee recomputed after the reversal")
	require.Equal(t, 2, without.NextInstallment)
}

// Federal Reserve DSI example: 18,800.00 at 9%, payment 467.84; 30 days'
// interest on a 360-day year is 18800 × 0.09 × 30/360 = 141.00.
func TestReplayDailySimpleFedExample(t *testing.T) {
	terms := autoLoan()
	terms.DayCount.Convention = "ACT_360"
	terms.FundingDate, terms.FirstDueDate = d(2024, 4, 1), d(2024, 5, 1)
	l := newLog(terms)
	l.pay(d(2024, 5, 1), "467.84")
	s := l.replay(t, d(2024, 5, 2))
	moneytest.Equal(t, "141.00", s.PaidInterest)
	moneytest.Equal(t, "326.84", s.PaidPrincipal)
	moneytest.Equal(t, "18473.16", s.Principal)
}

// 360 on-time payments pay the loan off; an independent integer oracle
// (interest = round-half-up(balance × 5 / 1000)) gives each balance.
func TestReplayFullTermPaysOff(t *testing.T) {
	l := newLog(mortgage())
	bal := int64(20_000_000)
	var last int64
	for k := range 360 {
		interest := (bal*5 + 500) / 1000
		pay := int64(119910)
		if k == 359 || bal+interest <= pay {
			pay = bal + interest
		}
		bal -= pay - interest
		last = pay
		due := d(2024, time.Month(3+k), 1)
		l.pay(due, money2(last))
	}
	require.Zero(t, bal)
	s := l.replay(t, d(2054, 3, 1))
	require.Equal(t, loan.StatusPaidOff, s.Status)
	moneytest.Equal(t, "200000.00", s.PaidPrincipal)
	moneytest.Equal(t, "0.00", s.CreditBalance)
}

func money2(minor int64) string { return usd("0").Add(mustMinor(minor)).String() }
