package servicing_test

import (
	"context"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestExtraMoneyByRule: each extra-money rule on one loan, chosen per
// receipt. 12,000.00 at 12 % over 12 months, 30/360, monthly from 1 Feb
// 2024: the level payment is 12,000 × 0.01 / (1 − 1.01^−12) = 1,066.19.
// Figures worked with exact fractions, each month's interest rounded to
// the cent on the balance before it:
//
//   - 1 Feb, 2,066.19, curtail: installment 1 (interest 120.00, principal
//     946.19) and 1,000.00 of principal: balance 10,053.81; the next due
//     date stays 1 Mar and the payment 1,066.19.
//   - 1 Mar, 2,132.38, pay ahead: installments 2 (interest 100.54,
//     principal 965.65) and 3 (90.88, 975.31) are paid: balance 8,112.85,
//     the next due date 1 May, so nothing is late on 17 Apr.
//   - 1 May, 3,066.19, reduce term: installment 4 (81.13, 985.06) and
//     2,000.00 of principal: balance 5,127.79, which the payment repays in
//     five more installments (the ninth pays the last 1,016.92): the
//     maturity moves from installment 12 to 9.
//   - 1 Jun, 2,066.19, recast: installment 5 (51.28, 1,014.91) and
//     1,000.00 of principal: balance 3,112.88, re-amortized over the four
//     installments left to the new maturity: 3,112.88 × 0.01 / (1 −
//     1.01^−4) = 797.77.
func TestExtraMoneyByRule(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "X", shapeTerms("12000.00", "12", 12, amortize.ShapeLevel))
	pay := func(on string, amt string, x payment.Extra) loan.State {
		t.Helper()
		d := mustDate(t, on)
		_, err := e.PostPaymentWith(ctx, "X", d, usd(amt), servicing.PaymentOptions{Extra: x}, key("p"+on))
		require.NoError(t, err)
		s, err := e.State(ctx, "X", d)
		require.NoError(t, err)
		return s
	}
	s := pay("2024-02-01", "2066.19", payment.ExtraCurtail)
	require.Equal(t, "10053.81", s.Principal.String())
	require.Equal(t, 2, s.NextInstallment)
	require.Equal(t, "1066.19", s.Payment.String())

	s = pay("2024-03-01", "2132.38", payment.ExtraPayAhead)
	require.Equal(t, "8112.85", s.Principal.String())
	require.Equal(t, 4, s.NextInstallment, "paid ahead: installment 4 (1 May) is next")
	require.True(t, s.Suspense.IsZero() && s.CreditBalance.IsZero())
	_, err := e.EndOfDay(ctx, "X", d(2024, 4, 17), key("eod"))
	require.NoError(t, err)
	s, err = e.State(ctx, "X", d(2024, 4, 20))
	require.NoError(t, err)
	require.True(t, s.LateFees.IsZero(), "installment 3 was paid ahead: no late fee")
	require.Equal(t, loan.StatusCurrent, s.Status)

	s = pay("2024-05-01", "3066.19", payment.ExtraReduceTerm)
	require.Equal(t, "5127.79", s.Principal.String())
	require.Equal(t, 9, s.Installments, "maturity moved in")

	s = pay("2024-06-01", "2066.19", payment.ExtraRecast)
	require.Equal(t, "3112.88", s.Principal.String())
	require.Equal(t, "797.77", s.Payment.String())
	require.Equal(t, 9, s.Installments)

	// The recast schedule pays off on installment 9 (1 Oct 2024): three of
	// 797.77 and a last of 797.78 (its interest 7.90 on 789.88).
	for _, p := range []struct{ on, amt string }{{"2024-07-01", "797.77"}, {"2024-08-01", "797.77"}, {"2024-09-01", "797.77"}, {"2024-10-01", "797.78"}} {
		s = pay(p.on, p.amt, "")
	}
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.True(t, s.CreditBalance.IsZero())
}

// mustDate parses an ISO date strictly.
func mustDate(t *testing.T, s string) date.Date {
	t.Helper()
	v, err := date.ParseISO(s)
	require.NoError(t, err)
	return v
}
