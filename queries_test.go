package servicing_test

import (
	"context"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

func TestPayoffQuote(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L1", mortgage())
	_, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	// Funds on 16 Mar: interest from 1 Mar on 199,800.90 at 6%, 30/360
	// 15 days: 199800.90 × 0.06 × 15/360 = 499.50225 → 499.50.
	p, err := e.PayoffQuote(ctx, "L1", d(2024, 3, 16))
	require.NoError(t, err)
	moneytest.Equal(t, "199800.90", p.Principal)
	moneytest.Equal(t, "499.50", p.Interest)
	moneytest.Equal(t, "200300.40", p.Total)
	// Per diem: 199800.90 × 0.06 / 360 = 33.30015 → 33.30.
	moneytest.Equal(t, "33.30", p.PerDiem)
	// Paying the quote on that date pays the loan off (the first release
	// billed the April installment with a whole month's interest, 999.00,
	// and left 499.50 of principal and the loan current).
	r, err := e.PostPayment(ctx, "L1", d(2024, 3, 16), p.Total, key("payoff"))
	require.NoError(t, err)
	found := false
	for _, de := range r.Domain {
		found = found || de.Type == loan.DomainPaidOff
	}
	require.True(t, found, "the receipt covers the quote: a payoff")
	s, err := e.State(ctx, "L1", d(2024, 3, 16))
	require.NoError(t, err)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	moneytest.Equal(t, "0.00", s.Principal)
	moneytest.Equal(t, "0.00", s.CreditBalance)
	moneytest.Equal(t, "200000.00", s.PaidPrincipal)
	moneytest.Equal(t, "1499.50", s.PaidInterest, "1000.00 for March + 499.50 to the payoff date")
}

// TestPayoffReceiptOverQuoteAndDelinquent: a receipt 100.00 over the quote
// pays the loan off and leaves 100.00 of credit to refund. A delinquent
// escrowed loan (the mortgage with 250.00 escrow, nothing paid) quoted on
// 10 Apr owes 200,000.00 of principal, interest from the paid-to date 1 Feb
// (the prepaid first period's start) to 10 Apr on 30/360, 69 days:
// 200000 × 0.06 × 69/360 = 2,300.00, and March's late fee (5% of the
// 1,449.10 periodic payment = 72.455 → 72.46, charged 17 Mar); escrow
// installments are not collected at payoff (nothing was held, nothing
// advanced): 202,372.46. Paying it closes the loan with nothing left.
func TestPayoffReceiptOverQuoteAndDelinquent(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L1", mortgage())
	_, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "L1", d(2024, 3, 16), usd("200400.40"), key("payoff"))
	require.NoError(t, err)
	s, err := e.State(ctx, "L1", d(2024, 3, 20))
	require.NoError(t, err)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	moneytest.Equal(t, "100.00", s.CreditBalance)

	esc := mortgage()
	esc.EscrowPayment = usd("250.00")
	board(t, e, "L2", esc)
	q, err := e.PayoffQuote(ctx, "L2", d(2024, 4, 10))
	require.NoError(t, err)
	moneytest.Equal(t, "200000.00", q.Principal)
	moneytest.Equal(t, "2300.00", q.Interest)
	moneytest.Equal(t, "72.46", q.Fees)
	moneytest.Equal(t, "202372.46", q.Total)
	_, err = e.PostPayment(ctx, "L2", d(2024, 4, 10), q.Total, key("payoff"))
	require.NoError(t, err)
	s, err = e.State(ctx, "L2", d(2024, 4, 10))
	require.NoError(t, err)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	for _, a := range []money.Amount{s.Principal, s.LateFees, s.Suspense, s.CreditBalance, s.Escrow, s.EscrowAdvance} {
		moneytest.Equal(t, "0.00", a)
	}
	moneytest.Equal(t, "2300.00", s.PaidInterest)
	moneytest.Equal(t, "72.46", s.PaidFees)
}

func TestAllocationTraceAndHistory(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L1", mortgage())
	r, err := e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1699.10"), key("p1"))
	require.NoError(t, err)
	tx, err := e.AllocationTrace(ctx, "L1", r.Events[0].Seq)
	require.NoError(t, err)
	sum := money.Zero(money.USD)
	for _, l := range tx.Lines {
		sum = sum.Add(l.Amount)
	}
	moneytest.Equal(t, "1699.10", sum, "allocation conserves the payment")
	// 1000.00 interest + 199.10 principal for installment 1, 500.00 curtailment.
	require.Equal(t, loan.AccountInterest, tx.Lines[0].Component)
	moneytest.Equal(t, "1000.00", tx.Lines[0].Amount)
	require.Equal(t, loan.AccountPrincipal, tx.Lines[2].Component)
	moneytest.Equal(t, "500.00", tx.Lines[2].Amount)

	_, err = e.ReversePayment(ctx, "L1", d(2024, 3, 5), r.Events[0].Seq, money.Zero(money.USD), key("rev"))
	require.NoError(t, err)
	tx, err = e.AllocationTrace(ctx, "L1", r.Events[0].Seq)
	require.NoError(t, err)
	require.True(t, tx.Reversed)
	require.Empty(t, tx.Lines)
	h, err := e.History(ctx, "L1", d(2024, 4, 1))
	require.NoError(t, err)
	require.Len(t, h.Delinquency, 1, "March unpaid after the reversal starts an episode")
	require.Equal(t, d(2024, 3, 1), h.Delinquency[0].Since)
}

func TestKnownAtAndStatement(t *testing.T) {
	ctx := context.Background()
	c := new(clock)
	e, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: c.Now})
	require.NoError(t, err)
	board(t, e, "L1", mortgage())
	_, err = e.PostPayment(ctx, "L1", d(2024, 3, 1), usd("1199.10"), key("p1"))
	require.NoError(t, err)
	between := c.Now()
	// Recorded later, effective earlier: a backdated payment for April.
	_, err = e.PostPayment(ctx, "L1", d(2024, 4, 1), usd("1199.10"), key("p2"))
	require.NoError(t, err)
	then, err := e.KnownAt(ctx, "L1", d(2024, 5, 20), between)
	require.NoError(t, err)
	now, err := e.KnownAt(ctx, "L1", d(2024, 5, 20), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, 2, then.NextInstallment)
	require.Equal(t, 3, now.NextInstallment)

	// No May or June payment; the statement for the June cycle (Reg Z
	// §1026.41(d)) asks for July's installment, due 1 Jul, with its late
	// fee (5 % × 1,199.10 = 59.96) charged from 17 Jul (1 Jul + 15 days of
	// grace + 1) if it is not paid; the past-due May and June installments
	// and their late fees come on top: 1,199.10 + 2,398.20 + 2 × 59.96 =
	// 3,717.22 due. (The first release showed the oldest unpaid date, 1
	// May, with a late fee of 0.00 "applying" on 17 May, in the past.)
	st, err := e.Statement(ctx, "L1", d(2024, 6, 1), d(2024, 7, 1))
	require.NoError(t, err)
	require.Equal(t, d(2024, 7, 1), st.DueDate)
	moneytest.Equal(t, "59.96", st.LateFee)
	require.Equal(t, d(2024, 7, 17), st.LateFeeAppliesOn)
	moneytest.Equal(t, "3717.22", st.AmountDue)
	moneytest.Equal(t, "1199.10", st.Payment.Principal.Add(st.Payment.Interest))
	// Past due: May and June installments.
	moneytest.Equal(t, "2398.20", st.PastDue)
	require.Equal(t, 60, st.DaysPastDue)
	require.NotEmpty(t, st.History)
	moneytest.Equal(t, "2398.20", st.PaidYTD.Principal.Add(st.PaidYTD.Interest))
	// Late fees for May and June (5% of 1199.10 = 59.96 each); June's lands
	// in the cycle.
	moneytest.Equal(t, "59.96", st.FeesSinceLast)
}

// TestStatementDailySimpleBreakdown: a daily-simple-interest loan's
// statement splits the periodic payment with the interest accrued through
// the due date (it showed 0.00 interest: the accrual is booked only at
// payments).
func TestStatementDailySimpleBreakdown(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "A1", autoLoan())
	_, err := e.PostPayment(ctx, "A1", d(2024, 2, 1), usd("467.84"), key("p1"))
	require.NoError(t, err)
	// Hand calculation, ACT/365F, half up:
	// January: 18800.00 × 0.09 × 31/365 = 143.7041 → 143.70 interest,
	// 467.84 − 143.70 = 324.14 principal, balance 18475.86.
	// To 1 Mar (29 days, 2024 is a leap year):
	// 18475.86 × 0.09 × 29/365 = 132.1150 → 132.12 interest,
	// 467.84 − 132.12 = 335.72 principal.
	st, err := e.Statement(ctx, "A1", d(2024, 2, 1), d(2024, 3, 1))
	require.NoError(t, err)
	require.Equal(t, d(2024, 3, 1), st.DueDate)
	moneytest.Equal(t, "18475.86", st.Principal)
	moneytest.Equal(t, "132.12", st.Payment.Interest)
	moneytest.Equal(t, "335.72", st.Payment.Principal)
	moneytest.Equal(t, "467.84", st.AmountDue)
	moneytest.Equal(t, "143.70", st.PaidSinceLast.Interest)
	moneytest.Equal(t, "324.14", st.PaidSinceLast.Principal)
}
