package servicing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// constructionLoan: a 300,000.00 commitment at 6 % daily simple interest on
// 30/360 (so a month is 0.5 %), 100,000.00 drawn at funding on 1 Jan 2024,
// first due 1 Feb, 30 installments of which the first 6 (Feb – Jul) are
// interest only, draws until 30 Jun 2024.
func constructionLoan() loan.Terms {
	t := autoLoan()
	t.Principal, t.AnnualRate, t.Installments, t.InterestOnly = usd("100000.00"), rate.MustPercent("6"), 30, 6
	t.DayCount = accrual.DayCount{Convention: accrual.Thirty360US}
	t.Payment = usd("0.00")
	t.Draws = &loan.DrawTerms{Commitment: usd("300000.00"), Until: d(2024, 6, 30),
		Tranches: []loan.Tranche{{On: d(2024, 2, 15), Amount: usd("100000.00")}, {On: d(2024, 4, 10), Amount: usd("100000.00")}}}
	return t
}

// A construction loan with three draws converting to a level payment
// (constructionLoan). Interest accrues on what is drawn, from each draw:
//
//	Feb 1: 100,000 × 0.5 %                                       =   500.00
//	Mar 1: 100,000 × 6 % × 14/360 (to the 15 Feb draw) = 233.33
//	       + 200,000 × 6 % × 16/360                    = 533.33  =   766.66
//	Apr 1: 200,000 × 0.5 %                                       = 1,000.00
//	May 1: 200,000 × 6 % × 9/360 (to the 10 Apr draw)  = 300.00
//	       + 300,000 × 6 % × 21/360                    = 1,050.00 = 1,350.00
//	Jun 1, Jul 1: 300,000 × 0.5 %                                = 1,500.00
//
// and each installment of the interest-only draw period asks exactly that.
// The last draw re-solves the level payment of the 24 installments after
// it: 300,000 × 0.005 / (1 − 1.005^−24) = 13,296.18 (the last 13,296.26,
// after 13,230.11 is left on 1 Jun 2026), and paid on its due dates the
// loan is paid off on 1 Jul 2026. Nothing is left undrawn.
func TestConstructionLoanDraws(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "C", constructionLoan())
	pay := func(on date.Date, amt string) {
		t.Helper()
		_, err := e.PostPayment(ctx, "C", on, usd(amt), key("p"+on.String()))
		require.NoError(t, err, "payment on %s", on)
	}
	draw := func(on date.Date, amt string) {
		t.Helper()
		_, err := e.Draw(ctx, "C", on, usd(amt), key("d"+on.String()))
		require.NoError(t, err, "draw on %s", on)
	}
	s, err := e.State(ctx, "C", d(2024, 1, 1))
	require.NoError(t, err)
	require.Equal(t, "200000.00", s.Undrawn().String())
	pay(d(2024, 2, 1), "500.00")
	draw(d(2024, 2, 15), "100000.00")
	pay(d(2024, 3, 1), "766.66")
	pay(d(2024, 4, 1), "1000.00")
	draw(d(2024, 4, 10), "100000.00")
	for _, c := range []struct {
		on  date.Date
		amt string
	}{{d(2024, 5, 1), "1350.00"}, {d(2024, 6, 1), "1500.00"}, {d(2024, 7, 1), "1500.00"}} {
		pay(c.on, c.amt)
		s, err := e.State(ctx, "C", c.on)
		require.NoError(t, err)
		require.Equal(t, "300000.00", s.Principal.String(), "interest only on %s", c.on)
		require.True(t, s.AccruedInterest.IsZero() && s.Suspense.IsZero(), "on %s", c.on)
	}
	s, err = e.State(ctx, "C", d(2024, 7, 1))
	require.NoError(t, err)
	require.Equal(t, "13296.18", s.Payment.String())
	require.True(t, s.Undrawn().IsZero())
	require.Equal(t, "200000.00", s.Draws.String())
	on := d(2024, 8, 1)
	for k := 7; k <= 30; k++ {
		amt := "13296.18"
		if k == 30 {
			amt = "13296.26"
		}
		pay(on, amt)
		on = on.AddDate(0, 1, 0)
	}
	s, err = e.State(ctx, "C", d(2026, 7, 1))
	require.NoError(t, err)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, d(2026, 7, 1), s.ClosedOn)
	require.True(t, s.CreditBalance.IsZero())
	require.Equal(t, "300000.00", s.PaidPrincipal.String(), "principal paid = draws")
}

// Draws the terms do not allow are refused with typed errors naming the
// field, and nothing is written.
func TestDrawRefusals(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "C", constructionLoan())
	_, err := e.Draw(ctx, "C", d(2024, 2, 15), usd("200000.01"), key("over"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.ErrorIs(t, err, loan.ErrOverCommitment)
	require.Equal(t, []string{"Amount"}, field.Fields(err))
	_, err = e.Draw(ctx, "C", d(2024, 7, 1), usd("1000.00"), key("late"))
	require.ErrorIs(t, err, loan.ErrDrawPeriodOver)
	require.Equal(t, []string{"EffectiveOn"}, field.Fields(err))
	board(t, e, "M", mortgage())
	_, err = e.Draw(ctx, "M", d(2024, 2, 15), usd("1000.00"), key("fixed"))
	require.ErrorIs(t, err, field.ErrNotSupported)
	require.Equal(t, []string{"Terms.Draws"}, field.Fields(err))
	s, err := e.State(ctx, "C", d(2024, 7, 1))
	require.NoError(t, err)
	require.True(t, s.Draws.IsZero())
	// Draw terms the engine cannot service are refused at boarding.
	bad := constructionLoan()
	bad.Accrual, bad.InterestMethod = loan.AccrualScheduled, "periodic"
	bad.Draws.Commitment = usd("50000.00")
	_, err = bad.Normalized()
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
	require.Subset(t, field.Fields(err), []string{"Terms.Accrual", "Terms.Draws.Commitment", "Terms.Draws.Tranches"}, fmt.Sprint(err))
}

// drawLog is a random history of a multi-disbursement loan: a commitment
// of 2–4 times the principal, an interest-only draw period of 0–12
// installments, either draw policy; up to 8 draws of at most an eighth of
// what is undrawn at boarding, receipts around each due date of varying size, recorded
// in a shuffled order (so most are backdated).
func drawLog(seed uint64) (*log, date.Date) {
	r := rand.New(rand.NewPCG(seed, 0xd4a3))
	t := constructionLoan()
	t.Principal = mustMinor(1_000_000 + r.Int64N(50_000_000))
	t.AnnualRate, _ = rate.BasisPoints(r.Int64N(1500))
	t.Installments, t.InterestOnly = 12+r.IntN(60), r.IntN(13)
	t.Draws = &loan.DrawTerms{Commitment: mustMinor(t.Principal.Minor() * (2 + r.Int64N(3))),
		Policy: []loan.DrawPolicy{loan.DrawRecast, loan.DrawExtend}[r.IntN(2)]}
	nt, err := t.Normalized()
	if err != nil {
		return nil, 0
	}
	tb, err := amortize.Compute(nt.Terms)
	if err != nil {
		return nil, 0
	}
	var on []date.Date
	var pl []loan.Payload
	n := min(len(tb.Rows), 4+r.IntN(24))
	for k, row := range tb.Rows[:n] {
		if k < 8 && r.IntN(2) == 0 {
			on = append(on, row.DueDate-date.Date(r.IntN(25)))
			pl = append(pl, loan.Drawn{Amount: mustMinor(1 + r.Int64N(nt.Draws.Commitment.Sub(nt.Principal).Minor()/8))})
		}
		amt := row.Payment
		if r.IntN(4) == 0 {
			amt = mustMinor(1 + r.Int64N(amt.Minor()*2+1))
		}
		on = append(on, row.DueDate+date.Date(r.IntN(20)-8))
		pl = append(pl, loan.PaymentReceived{Amount: amt})
	}
	for k := range on {
		on[k] = max(on[k], nt.FundingDate)
	}
	return shuffledLog(r, nt, on, pl), tb.Rows[n-1].DueDate + 40
}

// TestDrawHistoriesFoldConsistently: random draw histories (drawLog) fold
// to the same state in any record order and from any checkpoint, and the
// balance is always what was drawn less the principal paid.
func TestDrawHistoriesFoldConsistently(t *testing.T) { requireFolds(t, 150, 120, checkDrawHistory) }

// FuzzDrawHistories is TestDrawHistoriesFoldConsistently's property on
// fuzzed seeds.
func FuzzDrawHistories(f *testing.F) { fuzzSeeds(f, checkDrawHistory, 0, 3, 11) }

func checkDrawHistory(t *testing.T, seed uint64) bool {
	l, asOf := drawLog(seed)
	if l == nil {
		return false
	}
	s, ok := checkHistory(t, seed, l, asOf)
	if !ok {
		return false
	}
	drawn := l.terms.Principal.Add(s.Draws)
	require.Equal(t, drawn.String(), s.Principal.Add(s.PaidPrincipal).String(), "seed %d: balance + principal paid = drawn", seed)
	require.False(t, s.Draws.GreaterThan(l.terms.Draws.Commitment.Sub(l.terms.Principal)), "seed %d: drawn past the commitment", seed)
	return true
}

// A backdated draw re-prices what came after it. The construction loan's 1
// Mar payment of 766.66 is recorded before the 15 Feb draw it pays for:
// without the draw only 100,000 × 0.5 % = 500.00 is due, and the 266.66
// beyond it curtails the principal (99,733.34). The draw, recorded after,
// is folded on its date: from 15 Feb interest runs on 200,000.00, the 1
// Mar installment is 233.33 + 533.33 = 766.66, the payment pays exactly
// that, and the state is the one the two commands give in date order.
func TestBackdatedDraw(t *testing.T) {
	ctx := context.Background()
	run := func(backdated bool) loan.State {
		e := newEngine(t, servicingtest.NewMemStore())
		board(t, e, "C", constructionLoan())
		_, err := e.PostPayment(ctx, "C", d(2024, 2, 1), usd("500.00"), key("p1"))
		require.NoError(t, err)
		draw := func() {
			_, err := e.Draw(ctx, "C", d(2024, 2, 15), usd("100000.00"), key("d1"))
			require.NoError(t, err)
		}
		if !backdated {
			draw()
		}
		_, err = e.PostPayment(ctx, "C", d(2024, 3, 1), usd("766.66"), key("p2"))
		require.NoError(t, err)
		if backdated {
			s, err := e.State(ctx, "C", d(2024, 3, 1))
			require.NoError(t, err)
			require.Equal(t, "99733.34", s.Principal.String(), "before the draw is known")
			draw()
		}
		s, err := e.State(ctx, "C", d(2024, 3, 1))
		require.NoError(t, err)
		return s
	}
	inOrder, backdated := run(false), run(true)
	require.Equal(t, "200000.00", backdated.Principal.String())
	require.True(t, backdated.AccruedInterest.IsZero() && backdated.Suspense.IsZero() && backdated.CreditBalance.IsZero())
	require.Equal(t, 3, backdated.NextInstallment)
	require.Equal(t, inOrder.Principal, backdated.Principal)
	require.Equal(t, inOrder.PaidInterest, backdated.PaidInterest)
	require.Equal(t, inOrder.Payment, backdated.Payment)
}
