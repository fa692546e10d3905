package servicing_test

import (
	"context"
	"testing"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// escrowMortgage is the mortgage with Reg X Appendix E's escrow items:
// county taxes of 500.00 in July and 700.00 in December, school taxes of
// 360.00 in September (1,560.00 a year).
func escrowMortgage() loan.Terms {
	t := mortgage()
	t.EscrowItems = []loan.EscrowItem{
		{Name: "county taxes (summer)", Kind: loan.EscrowTax, Payee: "County", Amount: usd("500.00"), Months: []time.Month{time.July}},
		{Name: "school taxes", Kind: loan.EscrowTax, Payee: "School district", Amount: usd("360.00"), Months: []time.Month{time.September}},
		{Name: "county taxes (winter)", Kind: loan.EscrowTax, Payee: "County", Amount: usd("700.00"), Months: []time.Month{time.December}},
	}
	return t
}

// The annual escrow analysis through the engine (Reg X §1024.17 and
// Appendix E). Installments 1–4 (March – June 2024) are paid; on 2 June
// the account holds what each case deposits and the analysis covers the
// computation year from installment 5 (1 July). Appendix E's figures: a
// monthly payment of 1,560 / 12 = 130.00, a cushion of 1,560 / 6 = 260.00,
// a target balance of 1,040.00 (the low point in December is the cushion).
// Each case, worked from them:
//
//   - 1,100.00 (Appendix E's balance): a surplus of 60.00, at least 50.00
//     with the borrower current, refunded; payment 130.00.
//   - 1,080.00: a surplus of 40.00, credited: 130.00 − 40/12 (3.33, rounded
//     down) = 126.67.
//   - 1,000.00: a shortage of 40.00, under one month's payment, spread over
//     12 months: 130.00 + 40/12 (3.34, rounded up) = 133.34.
//   - 900.00: a shortage of 140.00, over a month's payment, spread over 12:
//     130.00 + 11.67 = 141.67.
//   - nothing, and a 100.00 bill paid on 2 June that the servicer advances:
//     a deficiency of 100.00 and a shortage of 1,040.00 from zero, spread:
//     130.00 + 1,140/12 = 225.00.
//
// From installment 5 on the installment's escrow component is the new
// payment.
func TestEscrowAnalysisOnALoan(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name, deposit, advance        string
		surplus, shortage, deficiency string
		payment, refund, escrowAfter  string
	}{
		{"appendix E surplus refunded", "1100.00", "", "60.00", "0.00", "0.00", "130.00", "60.00", "1040.00"},
		{"small surplus credited", "1080.00", "", "40.00", "0.00", "0.00", "126.67", "0.00", "1080.00"},
		{"small shortage", "1000.00", "", "0.00", "40.00", "0.00", "133.34", "0.00", "1000.00"},
		{"large shortage", "900.00", "", "0.00", "140.00", "0.00", "141.67", "0.00", "900.00"},
		{"deficiency with an advance", "", "100.00", "0.00", "1040.00", "100.00", "225.00", "0.00", "-100.00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEngine(t, servicingtest.NewMemStore())
			board(t, e, "L", escrowMortgage())
			for k, on := range []int{3, 4, 5, 6} {
				_, err := e.PostPayment(ctx, "L", d(2024, time.Month(on), 1), usd("1199.10"), key("p"+string(rune('a'+k))))
				require.NoError(t, err)
			}
			if c.deposit != "" {
				_, err := e.Adjust(ctx, "L", d(2024, 6, 2), loan.Adjustment{Bucket: loan.BalanceEscrow, Amount: usd(c.deposit)}, key("deposit"))
				require.NoError(t, err)
			}
			if c.advance != "" {
				_, err := e.DisburseEscrow(ctx, "L", d(2024, 6, 2), loan.EscrowDisbursed{Amount: usd(c.advance), Payee: "insurer"}, key("bill"))
				require.NoError(t, err)
			}
			r, from, err := e.EscrowAnalysis(ctx, "L", d(2024, 6, 2))
			require.NoError(t, err)
			require.Equal(t, 5, from)
			require.Equal(t, time.July, r.Step3[1].Month)
			require.Equal(t, []string{"130.00", "260.00", "1040.00"}, []string{r.MonthlyPayment.String(), r.Cushion.String(), r.TargetBalance.String()})
			require.Equal(t, []string{c.surplus, c.shortage, c.deficiency}, []string{r.Surplus.String(), r.Shortage.String(), r.Deficiency.String()})
			_, err = e.AnalyzeEscrow(ctx, "L", d(2024, 6, 2), key("analysis"))
			require.NoError(t, err)
			again, err := e.AnalyzeEscrow(ctx, "L", d(2024, 6, 2), key("analysis"))
			require.NoError(t, err)
			require.True(t, again.Replayed, "a retry returns the first result")
			s, err := e.State(ctx, "L", d(2024, 6, 2))
			require.NoError(t, err)
			require.Equal(t, c.escrowAfter, s.Escrow.Sub(s.EscrowAdvance).String(), "escrow after the refund")
			require.Len(t, s.EscrowSteps, 1)
			require.Equal(t, c.payment, s.EscrowSteps[0].Payment.String())
			// Installment 5 asks principal and interest plus the new escrow.
			_, err = e.PostPayment(ctx, "L", d(2024, 7, 1), usd("1199.10").Add(usd(c.payment)), key("p5"))
			require.NoError(t, err)
			s, err = e.State(ctx, "L", d(2024, 7, 1))
			require.NoError(t, err)
			require.Equal(t, 6, s.NextInstallment)
			require.True(t, s.Suspense.IsZero() && s.CreditBalance.IsZero())
			h, err := e.History(ctx, "L", d(2024, 7, 1))
			require.NoError(t, err)
			refunded := false
			for _, tx := range h.Transactions {
				for _, ln := range tx.Lines {
					if tx.Kind == loan.TransactionKind(loan.KindEscrowAnalyzed) && ln.Component == "escrow" {
						refunded = ln.Amount.Neg().String() == c.refund
					}
				}
			}
			require.Equal(t, c.refund != "0.00", refunded, "refund line")
		})
	}
}

// scheduledEscrowLoan boards the mortgage with Appendix E's items due on
// the 15th and 130.00 of escrow in each installment, and pays n
// installments (1,329.10) on their due dates from 1 Mar 2024.
func scheduledEscrowLoan(t *testing.T, n int) *servicing.Engine {
	t.Helper()
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := escrowMortgage()
	tm.EscrowPayment = usd("130.00")
	for i := range tm.EscrowItems {
		tm.EscrowItems[i].DueDay = 15
	}
	board(t, e, "L", tm)
	on := d(2024, 3, 1)
	for range n {
		_, err := e.PostPayment(ctx, "L", on, usd("1329.10"), key("p"+on.String()))
		require.NoError(t, err)
		on = on.AddDate(0, 1, 0)
	}
	return e
}

// Scheduled escrow items are paid by the engine at the end of their due
// day, from the balance or advanced. The Appendix E items due on the 15th,
// with 130.00 of escrow in each installment paid on its due date from 1
// Mar 2024: 650.00 collected by 1 Jul; the 500.00 county bill on 15 Jul
// leaves 150.00; 1 Aug and 1 Sep bring 410.00 and the 360.00 school bill on
// 15 Sep leaves 50.00; 1 Oct, 1 Nov and 1 Dec bring 440.00 and the 700.00
// county bill on 15 Dec is 260.00 short, advanced by the servicer; the 1
// Jan 2025 installment's 130.00 repays the advance first (130.00 left
// advanced, nothing in the account).
func TestScheduledEscrowDisbursements(t *testing.T) {
	ctx := context.Background()
	e := scheduledEscrowLoan(t, 11)
	for _, c := range []struct {
		on              date.Date
		escrow, advance string
	}{{d(2024, 7, 14), "650.00", "0.00"}, {d(2024, 7, 15), "150.00", "0.00"}, {d(2024, 9, 20), "50.00", "0.00"},
		{d(2024, 12, 14), "440.00", "0.00"}, {d(2024, 12, 20), "0.00", "260.00"}, {d(2025, 1, 1), "0.00", "130.00"}} {
		s, err := e.State(ctx, "L", c.on)
		require.NoError(t, err)
		require.Equal(t, []string{c.escrow, c.advance}, []string{s.Escrow.String(), s.EscrowAdvance.String()}, "on %s", c.on)
	}
}

// Mortgage insurance stops under the Homeowners Protection Act. The
// mortgage (200,000.00 at 6 %, 1,199.10 from 1 Mar 2024) on a 250,000.00
// original value first reaches 78 % (195,000.00) with installment 24: the
// balance after it is 194,936.50 (after 23 payments it is still above),
// due 1 Feb 2026. A 100.00 monthly premium due on the 1st is paid from 1
// Feb 2024 through 1 Jan 2026 (24 premiums, 2,400.00); on 1 Feb 2026 the
// loan is current, so the insurance ends and nothing more is paid. The
// 100.00 of escrow in each installment collected the same 2,400.00 by then,
// so after the 1 Mar 2026 payment the account holds 100.00.
func TestMortgageInsuranceEndsAt78Percent(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := mortgage()
	tm.EscrowPayment, tm.OriginalValue = usd("100.00"), usd("250000.00")
	tm.EscrowItems = []loan.EscrowItem{{Name: "PMI", Kind: loan.EscrowMortgageI, Payee: "insurer", Amount: usd("100.00"),
		Months: []time.Month{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, DueDay: 1}}
	board(t, e, "L", tm)
	on := d(2024, 3, 1)
	for range 25 {
		_, err := e.PostPayment(ctx, "L", on, usd("1299.10"), key("p"+on.String()))
		require.NoError(t, err)
		on = on.AddDate(0, 1, 0)
	}
	s, err := e.State(ctx, "L", d(2026, 3, 2))
	require.NoError(t, err)
	m, err := s.MITermination()
	require.NoError(t, err)
	require.Equal(t, 24, m.AutomaticRow)
	require.Equal(t, d(2026, 2, 1), s.MIEndedOn)
	require.Equal(t, []string{"100.00", "0.00"}, []string{s.Escrow.String(), s.EscrowAdvance.String()})
	h, err := e.History(ctx, "L", d(2026, 3, 2))
	require.NoError(t, err)
	paid := money.Zero(money.USD)
	for _, tx := range h.Transactions {
		if tx.Kind == loan.TransactionKind(loan.KindEscrowDisbursed) {
			paid = paid.Add(tx.Amount)
		}
	}
	require.Equal(t, "2400.00", paid.String())
}

// The annual escrow statement (Reg X §1024.17(i)) after a year of the
// scheduled items of TestScheduledEscrowDisbursements (130.00 a month from
// 1 Mar 2024; 500.00 on 15 Jul, 360.00 on 15 Sep, 700.00 on 15 Dec, the last
// 260.00 short and advanced, repaid by the Jan and Feb 2025 installments):
// on 2 Feb 2025 the account holds 0.00. History, February 2024 – January
// 2025: 130.00 projected and paid each month from March, the three bills
// projected and paid in their months. The coming year from March 2025:
// the trial balance from zero runs 130, 260, 390, 520, 150 (July), 280, 50
// (September), 180, 310, −260 (December), −130, 0; raised by 260.00 to a
// lowest of zero and by the 260.00 cushion, the target balance is 520.00:
// a shortage of 520.00, spread over 12 months: 130.00 + 43.34 = 173.34.
func TestEscrowStatement(t *testing.T) {
	ctx := context.Background()
	e := scheduledEscrowLoan(t, 12)
	st, err := e.EscrowStatement(ctx, "L", d(2025, 2, 2))
	require.NoError(t, err)
	require.Len(t, st.History, 12)
	require.Equal(t, d(2024, 2, 1), st.History[0].Month)
	require.True(t, st.History[0].ProjectedPayment.IsZero() && st.History[0].ActualPayment.IsZero())
	for i, h := range st.History[1:] {
		require.Equal(t, "130.00", h.ProjectedPayment.String(), "month %d", i+1)
		require.Equal(t, "130.00", h.ActualPayment.String(), "month %s", h.Month)
	}
	for _, c := range []struct {
		i    int
		bill string
	}{{5, "500.00"}, {7, "360.00"}, {10, "700.00"}} {
		require.Equal(t, c.bill, st.History[c.i].ProjectedDisbursements.String())
		require.Equal(t, c.bill, st.History[c.i].ActualDisbursements.String())
	}
	require.Equal(t, 13, st.From)
	require.Equal(t, "520.00", st.Analysis.TargetBalance.String())
	require.Equal(t, "520.00", st.Analysis.Shortage.String())
	require.Equal(t, []string{"130.00", "173.34"}, []string{st.PreviousPayment.String(), st.NewPayment.String()})
	require.Equal(t, []string{"a shortage of 520.00, spread over 12 months (Reg X 1024.17(f)(3))"}, st.Reasons)
}

// The short-year statement at payoff (Reg X §1024.17(i)(4)): the loan of
// TestEscrowRefundAtPayoff's kind with Appendix E's items, 130.00 of
// escrow paid with installment 1 on 1 Mar 2024 and paid off on 15 Mar: the
// history to March shows the 130.00, there is no coming year, and the
// reason names the 130.00 to refund by 12 Apr. The periodic statement
// shows the escrow balance.
func TestEscrowShortYearAtPayoff(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := escrowMortgage()
	tm.EscrowPayment = usd("130.00")
	board(t, e, "L", tm)
	_, err := e.PostPayment(ctx, "L", d(2024, 3, 1), usd("1329.10"), key("p1"))
	require.NoError(t, err)
	ps, err := e.Statement(ctx, "L", d(2024, 2, 2), d(2024, 3, 2))
	require.NoError(t, err)
	require.Equal(t, "130.00", ps.Escrow.String())
	q, err := e.PayoffQuote(ctx, "L", d(2024, 3, 15))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "L", d(2024, 3, 15), q.Total, key("payoff"))
	require.NoError(t, err)
	st, err := e.EscrowStatement(ctx, "L", d(2024, 4, 1))
	require.NoError(t, err)
	require.Zero(t, st.From)
	require.Equal(t, d(2024, 3, 1), st.History[11].Month)
	require.Equal(t, "130.00", st.History[11].ActualPayment.String())
	require.Equal(t, []string{"short year: paid off on 2024-03-15; the escrow balance 130.00 is refunded by 2024-04-12 (Reg X 1024.34(b))"}, st.Reasons)
}

// Single-item accounting keeps a balance per item that sums to the
// account's. Taxes of 1,200.00 (December) and insurance of 600.00 (June,
// paid on the 10th) share each 150.00 of escrow 2 : 1 by their annual
// amounts, 100.00 and 50.00. After the March – June installments the items
// hold 400.00 and 200.00; the 600.00 premium on 10 June leaves insurance at
// −400.00 (the taxes' money paid it) and the account at 0.00. The analysis
// runs a trial balance per item (single_item).
func TestSingleItemEscrow(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := mortgage()
	tm.EscrowPayment, tm.EscrowMethod = usd("150.00"), escrow.SingleItem
	tm.EscrowItems = []loan.EscrowItem{
		{Name: "taxes", Kind: loan.EscrowTax, Amount: usd("1200.00"), Months: []time.Month{time.December}},
		{Name: "insurance", Kind: loan.EscrowHazard, Amount: usd("600.00"), Months: []time.Month{time.June}, DueDay: 10},
	}
	board(t, e, "L", tm)
	for m := 3; m <= 6; m++ {
		_, err := e.PostPayment(ctx, "L", d(2024, time.Month(m), 1), usd("1349.10"), key("p"+time.Month(m).String()))
		require.NoError(t, err)
	}
	s, err := e.State(ctx, "L", d(2024, 6, 9))
	require.NoError(t, err)
	require.Equal(t, []string{"400.00", "200.00"}, []string{s.ItemBalances[0].String(), s.ItemBalances[1].String()})
	s, err = e.State(ctx, "L", d(2024, 6, 10))
	require.NoError(t, err)
	require.Equal(t, []string{"400.00", "-400.00"}, []string{s.ItemBalances[0].String(), s.ItemBalances[1].String()})
	require.True(t, s.Escrow.IsZero() && s.EscrowAdvance.IsZero())
	r, _, err := e.EscrowAnalysis(ctx, "L", d(2024, 6, 10))
	require.NoError(t, err)
	require.Equal(t, escrow.SingleItem, r.Method)
	require.Len(t, r.Items, 2)
}
