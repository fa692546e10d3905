package servicing_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestEscrowDisbursementAndAdvance: 1,000.00 a month of which 400.45 is
// escrow (the CFPB example loan). Three payments hold 3 × 400.45 = 1,201.35;
// a 1,500.00 tax bill on 10 Mar leaves 0.00 and a servicer advance of
// 1,500.00 − 1,201.35 = 298.65 (Reg X §1024.17(k)); April's escrow 400.45
// repays the advance first: 400.45 − 298.65 = 101.80 in escrow.
func TestEscrowDisbursementAndAdvance(t *testing.T) {
	ctx := context.Background()
	terms := mortgage()
	terms.Principal, terms.Payment, terms.EscrowPayment = usd("100000.00"), usd("599.55"), usd("400.45")
	terms.FundingDate, terms.FirstDueDate = d(2023, 11, 20), d(2024, 1, 1)
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "L1", terms)
	for m := 1; m <= 3; m++ {
		_, err := e.PostPayment(ctx, "L1", d(2024, monthOf(m), 1), usd("1000.00"), key("p"+monthOf(m).String()))
		require.NoError(t, err)
	}
	_, err := e.DisburseEscrow(ctx, "L1", d(2024, 3, 10), loan.EscrowDisbursed{Amount: usd("1500.00"), Payee: "county"}, key("tax"))
	require.NoError(t, err)
	s, err := e.State(ctx, "L1", d(2024, 3, 15))
	require.NoError(t, err)
	moneytest.Equal(t, "0.00", s.Escrow)
	moneytest.Equal(t, "298.65", s.EscrowAdvance)
	q, err := s.Payoff(d(2024, 3, 15))
	require.NoError(t, err)
	moneytest.Equal(t, "298.65", q.EscrowAdvance)
	// Principal after three installments: 100000 − 99.55 − 100.05 − 100.55
	// (interest 500.00, 499.50, 499.00 at 0.5% a month) = 99,699.85;
	// interest 1 Mar–15 Mar 30/360 = 99699.85 × 6% × 14/360 = 232.63;
	// total = 99699.85 + 232.63 + 298.65.
	moneytest.Equal(t, "99699.85", q.Principal)
	moneytest.Equal(t, "100231.13", q.Total)
	_, err = e.PostPayment(ctx, "L1", d(2024, 4, 1), usd("1000.00"), key("apr"))
	require.NoError(t, err)
	s = requireMatchesReplay(t, store, "L1", d(2024, 4, 2))
	moneytest.Equal(t, "0.00", s.EscrowAdvance)
	moneytest.Equal(t, "101.80", s.Escrow)
	moneytest.Equal(t, "1601.80", s.PaidEscrow, "4 × 400.45")
}

func monthOf(m int) time.Month { return time.Month(m) }

// TestSCRACap: a 9% mortgage of 200,000.00 (payment 1,609.25: 200000 ×
// 0.0075 / (1 − 1.0075^−360) = 1609.2452) with the SCRA 6% cap (50 U.S.C.
// §3937). A cap over the whole March period (Feb 1 – Mar 1, 30/360):
// interest 200000 × 6% × 30/360 = 1,000.00 instead of 1,500.00; 500.00 is
// forgiven and 609.25 pays principal. A cap from 16 Feb: 15 days at 9%
// (750.00) and 15 at 6% (500.00) = 1,250.00, 250.00 forgiven.
func TestSCRACap(t *testing.T) {
	terms := mortgage()
	terms.AnnualRate, terms.Payment = rate.MustPercent("9"), usd("1609.25")
	for _, tt := range []struct {
		from                          int // day of February the cap starts (0: at funding)
		interest, forgiven, principal string
	}{
		{0, "1000.00", "500.00", "199390.75"},
		{16, "1250.00", "250.00", "199640.75"},
	} {
		l := newLog(terms)
		on := terms.FundingDate + 1
		if tt.from > 0 {
			on = d(2024, 2, tt.from)
		}
		l.add(on, loan.RateCapped{Max: rate.MustPercent("6"), To: d(2025, 6, 1)})
		l.pay(d(2024, 3, 1), "1609.25")
		s := l.replay(t, d(2024, 3, 2))
		moneytest.Equal(t, tt.interest, s.PaidInterest, "cap from", tt.from)
		moneytest.Equal(t, tt.forgiven, s.InterestForgiven, "cap from", tt.from)
		moneytest.Equal(t, tt.principal, s.Principal, "cap from", tt.from)

		// The periodic payment drops by the forgiven interest (RULES.md
		// SCRA row): 1609.25 − 500.00 = 1109.25 (− 250.00 = 1359.25 for the
		// cap from 16 Feb) pays the March installment in full, with the
		// scheduled 1609.25 − 1500.00 = 109.25 to principal (199,890.75),
		// and nothing is past due. (Paying the old 1609.25, above, sends
		// the difference to principal as extra money.)
		want := map[int]string{0: "1109.25", 16: "1359.25"}[tt.from]
		l = newLog(terms)
		l.add(on, loan.RateCapped{Max: rate.MustPercent("6"), To: d(2025, 6, 1)})
		l.pay(d(2024, 3, 1), want)
		s = l.replay(t, d(2024, 3, 20))
		require.Equal(t, 2, s.NextInstallment, "cap from %d", tt.from)
		require.Equal(t, loan.StatusCurrent, s.Status)
		moneytest.Equal(t, "0.00", s.Suspense)
		moneytest.Equal(t, "199890.75", s.Principal, "cap from", tt.from)
		moneytest.Equal(t, "0.00", s.LateFees)
	}
	// Daily simple interest (the 9% auto loan): 31 days of January at 6% =
	// 18800 × 0.06 × 31/365 = 95.8027 → 95.80; at 9% 143.7041 → 143.70:
	// 47.90 forgiven.
	l := newLog(autoLoan())
	l.add(d(2024, 1, 1), loan.RateCapped{Max: rate.MustPercent("6"), To: d(2025, 1, 1)})
	l.pay(d(2024, 2, 1), "467.84")
	s := l.replay(t, d(2024, 2, 1))
	moneytest.Equal(t, "95.80", s.PaidInterest)
	moneytest.Equal(t, "47.90", s.InterestForgiven)
}

// TestARMIndexReset: a 6% ARM (margin 2.75%, nearest 1/8 point, first
// change ±2%, periodic ±1%, lifetime +5%) through accrual.ARM. Index 4.10%
// on 15 Mar 2024: 4.10 + 2.75 = 6.85 → 6.875% (within the first-change
// cap). As amortize bills a dated rate path with periodic interest, the new
// rate applies from the first period that starts on or after the change,
// [1 Apr, 1 May): installment 2 (due 1 Apr) keeps 6% and 1,199.10 —
// interest 199800.90 × 0.005 = 999.0045 → 999.00, principal 200.10, leaving
// 199,600.80 — and the payment is recast from installment 3 over the 358
// installments left: 199600.80 × r / (1 − (1+r)^−358), r = 6.875%/12, =
// 1313.4484 → 1313.45 (exact rational arithmetic, computed apart). Index
// 6.00% a year later: 8.75% capped at 6.875 + 1 = 7.875%. Index 1.00%:
// 3.75% floored by the periodic cap at 6.875%.
func TestARMIndexReset(t *testing.T) {
	ctx := context.Background()
	terms := mortgage()
	step, up, lifeUp := rate.MustPercent("0.125"), rate.MustPercent("2"), rate.MustPercent("5")
	terms.ARM = &accrual.ARM{InitialRate: terms.AnnualRate, Margin: rate.MustPercent("2.75"),
		RoundingStep: step, RoundingMode: money.HalfAwayFromZero,
		FirstChange: &accrual.Bound{Up: up, Down: up}, Periodic: &accrual.Bound{Up: rate.MustPercent("1"), Down: rate.MustPercent("1")},
		Lifetime: &accrual.Bound{Up: lifeUp}}
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "L1", terms)
	_, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	for i, tt := range []struct {
		on    date.Date
		index string
		rate  string
	}{
		{d(2024, 3, 15), "4.10", "6.875%"},
		{d(2025, 3, 15), "6.00", "7.875%"},
		{d(2026, 3, 15), "1.00", "6.875%"},
	} {
		_, err := e.ResetIndex(ctx, "L1", tt.on, rate.MustPercent(tt.index), key(fmt.Sprint("reset", i)))
		require.NoError(t, err)
		s, err := e.State(ctx, "L1", tt.on)
		require.NoError(t, err)
		require.Zero(t, rate.MustParse(tt.rate).Cmp(s.Rate), "reset %d: %s", i, s.Rate)
		if i == 0 {
			moneytest.Equal(t, "1313.45", s.Payment)
			_, err = e.PostPayment(ctx, "L1", d(2024, 4, 1), usd("1199.10"), key("p2"))
			require.NoError(t, err)
			s, err = e.State(ctx, "L1", d(2024, 4, 1))
			require.NoError(t, err)
			moneytest.Equal(t, "199600.80", s.Principal, "installment 2 at 6%")
			require.Equal(t, 3, s.NextInstallment)
		}
	}
	_, err = e.ResetIndex(ctx, "L1", d(2026, 3, 15), rate.MustPercent("1"), key("again"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand, "a second reset on the same change date")
	requireMatchesReplay(t, store, "L1", d(2026, 4, 1))
	fixed := mortgage()
	fixed.ARM = &accrual.ARM{InitialRate: rate.MustPercent("5")}
	require.ErrorIs(t, fixed.Validate(), loan.ErrInvalidTerms)
}

// TestWeeklyAndSemiMonthly: a weekly daily-simple-interest loan of
// 1,000.00 at 10% ACT/365 over 10 weeks, payment 101.06 (1000 × r / (1 −
// (1+r)^−10), r = 10%/52, = 101.0607). Week 1: 1000 × 0.10 × 7/365 =
// 1.9178 → 1.92 interest, 99.14 principal; week 2: 900.86 × 0.10 × 7/365 =
// 1.7277 → 1.73, 99.33 principal. The third installment (22 Jan) unpaid:
// 3 days past due on 25 Jan. Semi-monthly on the 15th and the last day
// (31): 15 Jan, 31 Jan, 15 Feb, 29 Feb (leap year), 15 Mar, 31 Mar.
func TestWeeklyAndSemiMonthly(t *testing.T) {
	terms := autoLoan()
	terms.Principal, terms.AnnualRate, terms.Installments, terms.Payment = usd("1000.00"), rate.MustPercent("10"), 10, usd("101.06")
	terms.Frequency, terms.FundingDate, terms.FirstDueDate = schedule.Weekly(), d(2024, 1, 1), d(2024, 1, 8)
	require.NoError(t, terms.Validate())
	l := newLog(terms)
	l.pay(d(2024, 1, 8), "101.06")
	l.pay(d(2024, 1, 15), "101.06")
	s := l.replay(t, d(2024, 1, 25))
	moneytest.Equal(t, "801.53", s.Principal)
	moneytest.Equal(t, "3.65", s.PaidInterest)
	require.Equal(t, 3, s.DaysPastDue())
	due, _ := s.NextDueDate()
	require.Equal(t, d(2024, 1, 22), due)

	semi := autoLoan()
	semi.Frequency, semi.FundingDate, semi.FirstDueDate = schedule.SemiMonthly(15, 31), d(2024, 1, 1), d(2024, 1, 15)
	semi.Installments, semi.Payment = 96, usd("233.92")
	require.NoError(t, semi.Validate())
	sl := newLog(semi)
	want := []date.Date{d(2024, 1, 15), d(2024, 1, 31), d(2024, 2, 15), d(2024, 2, 29), d(2024, 3, 15), d(2024, 3, 31)}
	for i, on := range want {
		s := sl.replay(t, on)
		due, ok := s.NextDueDate()
		require.True(t, ok)
		require.Equal(t, on, due, "installment %d", i+1)
		sl.pay(on, "233.92")
	}
	bad := semi
	bad.FirstDueDate = d(2024, 1, 20)
	require.ErrorIs(t, bad.Validate(), loan.ErrInvalidTerms)
}

// TestOldCheckpointEncodingIgnored: a checkpoint written by an older
// release (another encoding version) is a cache, not the truth: the engine
// folds the log instead of failing.
func TestOldCheckpointEncodingIgnored(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "L1", mortgage())
	r, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	_, err = store.Commit(ctx, "L1", r.Version, servicing.Batch{Checkpoint: &servicing.Checkpoint{
		Version: r.Version, Through: d(2024, 3, 1), State: []byte{1, 0, 0, 0}}})
	require.NoError(t, err)
	s := requireMatchesReplay(t, store, "L1", d(2024, 3, 5))
	require.Equal(t, 2, s.NextInstallment)
	_, err = e.EndOfDay(ctx, "L1", d(2024, 3, 6), servicing.Meta{})
	require.NoError(t, err)
}
