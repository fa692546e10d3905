package servicing_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// pauseLoan boards 12,000.00 at 12 % over 12 months (30/360, 1 % a month,
// first due 1 Feb 2024): the payment solved at boarding is
// 12,000 × 0.01 / (1 − 1.01^−12) = 1,066.185… → 1,066.19. Three installments
// paid on their due dates bill interest 120.00, 110.54 and 100.98 and leave
// 12,000 − 946.19 − 955.65 − 965.21 = 9,132.95.
func pauseLoan(t *testing.T, paid int) (*servicing.Engine, context.Context) {
	t.Helper()
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	terms := shapeTerms("12000.00", "12", 12, amortize.ShapeLevel)
	board(t, e, "P", terms)
	for k := range paid {
		_, err := e.PostPayment(ctx, "P", nthDue(terms, k), usd("1066.19"), key("p"+string(rune('a'+k))))
		require.NoError(t, err)
	}
	return e, ctx
}

func stateOn(t *testing.T, e *servicing.Engine, on date.Date) loan.State {
	t.Helper()
	s, err := e.State(context.Background(), "P", on)
	require.NoError(t, err)
	return s
}

// A pause on a current loan that capitalizes: after three installments the
// borrower is paused from 2 Apr to 1 Jul 2024. Installments 4 and 5 (due 1
// May and 1 Jun) fall in it, so installment 4 and every later one move two
// months: 4 is due 1 Jul 2024, the last (12) 1 Mar 2025. The two skipped
// periods' interest, 2 × 9,132.95 × 1 % = 2 × 91.33 = 182.66, is added to
// the principal when the last skipped period ends (1 Jun): 9,315.61, and
// the payment is re-solved over the nine installments left:
// 9,315.61 × 0.01 / (1 − 1.01^−9) = 1,087.51 (the last 1,087.49). Nothing is
// past due while paused, and delinquency reports the pause.
//
// A payoff on 15 May owes the interest from the paid-to date (1 Apr) on
// 9,132.95: 44 days of 30/360 at 12 % = 133.95 (9,266.90 in all); on 15 Jun,
// after capitalization, 14 days on 9,315.61 = 43.47 (9,359.08).
func TestPauseCapitalizeCurrentLoan(t *testing.T) {
	e, ctx := pauseLoan(t, 3)
	_, err := e.Pause(ctx, "P", d(2024, 4, 2), loan.Paused{To: d(2024, 7, 1), Interest: loan.PauseCapitalize}, key("pause"))
	require.NoError(t, err)

	mid := stateOn(t, e, d(2024, 5, 15))
	require.Equal(t, "9132.95", mid.Principal.String())
	require.Equal(t, 0, mid.DaysPastDue())
	next, _ := mid.NextDueDate()
	require.Equal(t, d(2024, 7, 1), next)
	a, err := mid.Delinquency()
	require.NoError(t, err)
	require.Equal(t, delinquency.Forbearance, a.Paused)
	q, err := e.PayoffQuote(ctx, "P", d(2024, 5, 15))
	require.NoError(t, err)
	require.Equal(t, "133.95", q.Interest.String())
	require.Equal(t, "9266.90", q.Total.String())

	after := stateOn(t, e, d(2024, 6, 15))
	require.Equal(t, "9315.61", after.Principal.String())
	require.Equal(t, "1087.51", after.Payment.String())
	q, err = e.PayoffQuote(ctx, "P", d(2024, 6, 15))
	require.NoError(t, err)
	require.Equal(t, "9359.08", q.Total.String())

	// Installments 4–12 on their new dates, 1 Jul 2024 – 1 Mar 2025.
	for k := 3; k < 12; k++ {
		amt := "1087.51"
		if k == 11 {
			amt = "1087.49"
		}
		_, err := e.PostPayment(ctx, "P", d(2024, 7, 1).AddDate(0, k-3, 0), usd(amt), key("q"+string(rune('a'+k))))
		require.NoError(t, err, "installment %d", k+1)
	}
	s := stateOn(t, e, d(2025, 3, 1))
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, d(2025, 3, 1), s.ClosedOn)
	require.True(t, s.CreditBalance.IsZero())
}

// A pause on a delinquent loan that waives: installments 1 and 2 paid,
// installment 3 (due 1 Apr) missed; its late fee, 5 % × 1,066.19 = 53.31, is
// charged after the 15-day grace. Paused from 20 Apr to 1 Jul 2024, days
// past due stay at 19 (1 Apr → 20 Apr) and resume on 1 Jul: 29 on 11 Jul
// (91 + 10 days less the 72 paused). Installment 3 stays due; 4 and 5 (1
// May, 1 Jun) move two months. Their periods' interest on the balance
// before installment 4, 2 × 9,132.95 × 1 % = 182.66, is waived, so the rest
// of the schedule is the original one two months later: 1,066.19 to the
// last, 1,066.14, on 1 Mar 2025.
//
// A payoff on 15 May owes installment 3's interest only: 74 days on
// 10,098.16 from 1 Mar (249.09) less the 44 waived days from 1 Apr (148.11)
// = 100.98, its billed interest.
func TestPauseWaiveDelinquentLoan(t *testing.T) {
	e, ctx := pauseLoan(t, 2)
	before := stateOn(t, e, d(2024, 4, 20))
	require.Equal(t, 19, before.DaysPastDue())
	require.Equal(t, "53.31", before.LateFees.String())
	_, err := e.Pause(ctx, "P", d(2024, 4, 20), loan.Paused{To: d(2024, 7, 1), Interest: loan.PauseWaive}, key("pause"))
	require.NoError(t, err)

	for _, c := range []struct {
		on  date.Date
		dpd int
	}{{d(2024, 5, 15), 19}, {d(2024, 6, 30), 19}, {d(2024, 7, 1), 19}, {d(2024, 7, 11), 29}} {
		require.Equal(t, c.dpd, stateOn(t, e, c.on).DaysPastDue(), "on %s", c.on)
	}
	q, err := e.PayoffQuote(ctx, "P", d(2024, 5, 15))
	require.NoError(t, err)
	require.Equal(t, "100.98", q.Interest.String())
	s := stateOn(t, e, d(2024, 7, 11))
	require.Equal(t, "182.66", s.InterestWaived.String())
	require.Equal(t, loan.StatusDelinquent, s.Status)

	// Installments 3 and 4 and the late fee bring it current.
	_, err = e.PostPayment(ctx, "P", d(2024, 7, 11), usd("2185.69"), key("cure"))
	require.NoError(t, err)
	require.Equal(t, 0, stateOn(t, e, d(2024, 7, 11)).DaysPastDue())
	for k := 4; k < 12; k++ {
		amt := "1066.19"
		if k == 11 {
			amt = "1066.14"
		}
		_, err := e.PostPayment(ctx, "P", d(2024, 8, 1).AddDate(0, k-4, 0), usd(amt), key("q"+string(rune('a'+k))))
		require.NoError(t, err, "installment %d", k+1)
	}
	s = stateOn(t, e, d(2025, 3, 1))
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, d(2025, 3, 1), s.ClosedOn)
	require.True(t, s.CreditBalance.IsZero())
}

// A pause of a daily simple interest loan that defers: the auto loan
// (18,800.00 at 9 %, Actual/365, 467.84 a month) pays installment 1 on 1
// Feb 2024: 31 days of interest, 18,800 × 0.09 × 31/365 = 143.70, and
// 324.14 of principal (18,475.86). Paused 2 Feb – 1 May: one day before it
// accrues 18,475.86 × 0.09 / 365 = 4.56; the 89 paused days accrue
// 18,475.86 × 0.09 × 89/365 = 405.456… → 405.46, deferred to maturity without
// interest. Installments 2 and 3 move two months (2 is due 1 May). A payoff
// on 1 May is 18,475.86 + 4.56 + 405.46 = 18,885.88; the 1 May payment pays
// the 4.56 and 463.28 of principal, and the deferred 405.46 waits.
func TestPauseDeferDailySimple(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "P", autoLoan())
	_, err := e.PostPayment(ctx, "P", d(2024, 2, 1), usd("467.84"), key("p1"))
	require.NoError(t, err)
	_, err = e.Pause(ctx, "P", d(2024, 2, 2), loan.Paused{To: d(2024, 5, 1), Type: delinquency.Deferment, Interest: loan.PauseDefer}, key("pause"))
	require.NoError(t, err)
	mid := stateOn(t, e, d(2024, 4, 15))
	require.Equal(t, 0, mid.DaysPastDue())
	q, err := e.PayoffQuote(ctx, "P", d(2024, 5, 1))
	require.NoError(t, err)
	require.Equal(t, "18885.88", q.Total.String())
	_, err = e.PostPayment(ctx, "P", d(2024, 5, 1), usd("467.84"), key("p2"))
	require.NoError(t, err)
	s := stateOn(t, e, d(2024, 5, 1))
	require.Equal(t, "18012.58", s.Principal.String())
	require.Equal(t, "405.46", s.DeferredInterest.String())
	require.Equal(t, 0, s.DaysPastDue())
	next, _ := s.NextDueDate()
	require.Equal(t, d(2024, 6, 1), next)
	q, err = e.PayoffQuote(ctx, "P", d(2024, 5, 1))
	require.NoError(t, err)
	require.Equal(t, "18418.04", q.Total.String(), "18,012.58 + 405.46")
	// Paying the quote closes the loan, deferred interest included.
	_, err = e.PostPayment(ctx, "P", d(2024, 5, 1), q.Total, key("payoff"))
	require.NoError(t, err)
	s = stateOn(t, e, d(2024, 5, 1))
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.True(t, s.DeferredInterest.IsZero())
}

// Bad pauses are refused with every bad field named, nothing written.
func TestPauseRefusals(t *testing.T) {
	e, ctx := pauseLoan(t, 1)
	_, err := e.Pause(ctx, "P", d(2024, 3, 5), loan.Paused{To: d(2024, 3, 5), Type: "holiday", Interest: "forgive"}, key("bad"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.ElementsMatch(t, []string{"To", "Type", "Interest"}, field.Fields(err))
	_, err = e.Pause(ctx, "P", d(2024, 3, 5), loan.Paused{To: d(2024, 5, 1)}, key("bad2"))
	require.ErrorIs(t, err, field.ErrRequired)
	require.Equal(t, []string{"Interest"}, field.Fields(err))
	_, err = e.Pause(ctx, "P", d(2024, 3, 5), loan.Paused{To: d(2024, 5, 1), Interest: loan.PauseWaive}, key("ok"))
	require.NoError(t, err)
	_, err = e.Pause(ctx, "P", d(2024, 4, 5), loan.Paused{To: d(2024, 6, 1), Interest: loan.PauseWaive}, key("overlap"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Equal(t, []string{"EffectiveOn"}, field.Fields(err))
	s := stateOn(t, e, d(2024, 6, 1))
	require.Len(t, s.Pauses, 1)
}

// A pause that keeps the due dates pauses aging alone: installment 2 (due 1
// Mar) is missed, the loan is paused 5 Mar – 5 Apr; installment 2 stays due
// and installment 3 still falls due on 1 Apr, days past due stay at 4 (1 →
// 5 Mar) through the pause and reach 10 on 11 Apr (41 days less 31 paused).
// No late fee: installment 2's grace ends in the pause, and installment 3's
// fee (due 1 Apr, chargeable after 16 Apr) is charged as usual.
func TestPauseKeepDueDates(t *testing.T) {
	e, ctx := pauseLoan(t, 1)
	_, err := e.Pause(ctx, "P", d(2024, 3, 5), loan.Paused{To: d(2024, 4, 5), Type: delinquency.DelinquencyPause, KeepDueDates: true}, key("pause"))
	require.NoError(t, err)
	s := stateOn(t, e, d(2024, 4, 4))
	require.Equal(t, 4, s.DaysPastDue())
	require.True(t, s.LateFees.IsZero())
	s = stateOn(t, e, d(2024, 4, 11))
	require.Equal(t, 10, s.DaysPastDue())
	require.Equal(t, 2, s.NextInstallment)
	s = stateOn(t, e, d(2024, 4, 30))
	require.Equal(t, "53.31", s.LateFees.String())
}
