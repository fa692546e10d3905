package servicing_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// ladderMortgage is the 6% mortgage (helpers_test.go) on a ladder with
// non-accrual at 90 DPD and charge-off at 180.
func ladderMortgage() loan.Terms {
	return ladder(mortgage(), delinquency.StatusPolicy{DelinquentDays: 1, DefaultDays: 60, NonAccrualDays: 90, ChargeOffDays: 180,
		ChargeOff: delinquency.ChargeOffRegular})
}

// TestNonAccrualScheduledMemo: nothing paid from the first due date
// 2024-03-01. The scheduled installments (30/360, 0.5% a month, interest
// rounded half up on the scheduled balance, payment 1,199.10):
//
//	1 due 1 Mar: 200000.00 × 0.005 = 1000.00, principal 199.10 → 199800.90
//	2 due 1 Apr:  199800.90 × 0.005 = 999.0045 → 999.00, principal 200.10 → 199600.80
//	3 due 1 May:  199600.80 × 0.005 = 998.004 → 998.00, principal 201.10 → 199399.70
//	4 due 1 Jun:  199399.70 × 0.005 = 996.9985 → 997.00, principal 202.10 → 199197.60
//	5 due 1 Jul:  199197.60 × 0.005 = 995.988 → 995.99, principal 203.11 → 198994.49
//
// DPD reaches 90 on 30 May (31 + 30 + 29 days from 1 Mar): non-accrual.
// Installments 1–3 fell due before and stay recognised; the interest of 4
// and 5, due while on non-accrual, is memo: 997.00 + 995.99 = 1992.99.
// On 15 Jul 5 × 1,199.10 = 5,995.50 pays the five installments: brought
// current (principal 198,994.49), and the interest of installment 6 (due
// 1 Aug) is accrued normally: the memo stays 1992.99.
func TestNonAccrualScheduledMemo(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "M1", ladderMortgage())
	for day := d(2024, 3, 1); day <= d(2024, 7, 14); day++ {
		_, err := e.EndOfDay(ctx, "M1", day, key("eod-"+day.String()))
		require.NoError(t, err)
	}
	s := requireMatchesReplay(t, store, "M1", d(2024, 5, 29))
	require.Equal(t, loan.StatusDefault, s.Status)
	moneytest.Equal(t, "0.00", s.NonAccrualInterest)
	s = requireMatchesReplay(t, store, "M1", d(2024, 5, 31))
	require.Equal(t, loan.StatusNonAccrual, s.Status)
	moneytest.Equal(t, "0.00", s.NonAccrualInterest, "installments due before non-accrual stay recognised")
	s = requireMatchesReplay(t, store, "M1", d(2024, 6, 1))
	moneytest.Equal(t, "997.00", s.NonAccrualInterest)
	s = requireMatchesReplay(t, store, "M1", d(2024, 7, 14))
	moneytest.Equal(t, "1992.99", s.NonAccrualInterest)
	moneytest.Equal(t, "200000.00", s.Principal, "the contract is unchanged: interest is still owed")

	_, err := e.PostPayment(ctx, "M1", d(2024, 7, 15), usd("5995.50"), key("cure"))
	require.NoError(t, err)
	for day := d(2024, 7, 15); day <= d(2024, 8, 10); day++ {
		_, err := e.EndOfDay(ctx, "M1", day, key("eod-"+day.String()))
		require.NoError(t, err)
	}
	s = requireMatchesReplay(t, store, "M1", d(2024, 7, 15))
	require.Equal(t, loan.StatusCurrent, s.Status)
	moneytest.Equal(t, "198994.49", s.Principal)
	s = requireMatchesReplay(t, store, "M1", d(2024, 8, 10))
	require.Equal(t, loan.StatusDelinquent, s.Status)
	moneytest.Equal(t, "1992.99", s.NonAccrualInterest, "accrual resumed when brought current")
}
