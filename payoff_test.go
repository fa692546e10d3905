package servicing_test

import (
	"context"
	"testing"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// TestPayoffInterestConvention quotes the 200,000.00 6 % mortgage (no
// payment yet: interest runs from 2024-02-01, the period start of
// installment 1) under each Terms.PayoffInterest, by hand:
//
//   - accrual (30/360 US): 2024-02-01 → 02-20 is 19 days,
//     12,000 × 19/360 = 633.333… → 633.33; per diem 12,000/360 = 33.33.
//   - fannie_mae_conventional, 02-20: no whole month, 19 days on 365:
//     228,000/365 = 624.657… → 624.66; per diem 12,000/365 = 32.876… → 32.88.
//   - fannie_mae_conventional, 04-15: whole months 02-01 → 04-01 (2 × 1/12:
//     2,000.00) and 04-01 → 04-15 (14 days, 12,000 × 14/365 = 460.273…):
//     2,460.273… → 2,460.27 (rounded once).
//   - day_count and accrual on an ACT/ACT ISDA loan, 02-20: 19 days of 2024
//     (a leap year) 12,000 × 19/366 = 622.950… → 622.95; per diem one day
//     of 2024, 12,000/366 = 32.786… → 32.79 (accrual.DayCount.DaysInYear;
//     the first release picked 365 from the convention's name: 32.88).
//   - accrual on the "360/30" basis (BASIS, 360-day year, 30-day months),
//     the platforms' name for 30/360: 19 days, 633.33, per diem
//     12,000/360 = 33.33 (the first release quoted 32.88 here too).
func TestPayoffInterestConvention(t *testing.T) {
	ctx := context.Background()
	actAct := mortgage()
	actAct.DayCount = accrual.DayCount{Convention: accrual.ActActISDA}
	basis360 := mortgage()
	basis360.DayCount = accrual.DayCount{Convention: accrual.Basis, YearDays: accrual.Year360, MonthDays: accrual.Month30}
	tests := []struct {
		name          string
		terms         loan.Terms
		method        loan.PayoffInterest
		on            [3]int
		interest, pd  string
		wantPrincipal string
	}{
		{"accrual", mortgage(), loan.PayoffAccrual, [3]int{2024, 2, 20}, "633.33", "33.33", "200000.00"},
		{"fannie mae part month", mortgage(), loan.PayoffFannieMae, [3]int{2024, 2, 20}, "624.66", "32.88", "200000.00"},
		{"fannie mae whole months", mortgage(), loan.PayoffFannieMae, [3]int{2024, 4, 15}, "2460.27", "32.88", "200000.00"},
		{"accrual act/act", actAct, loan.PayoffAccrual, [3]int{2024, 2, 20}, "622.95", "32.79", "200000.00"},
		{"accrual 360/30 basis", basis360, loan.PayoffAccrual, [3]int{2024, 2, 20}, "633.33", "33.33", "200000.00"},
		{"day count act/act", actAct, loan.PayoffDayCount, [3]int{2024, 2, 20}, "622.95", "32.79", "200000.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, servicingtest.NewMemStore())
			terms := tt.terms
			terms.PayoffInterest = tt.method
			board(t, e, "L", terms)
			p, err := e.PayoffQuote(ctx, "L", d(tt.on[0], time.Month(tt.on[1]), tt.on[2]))
			require.NoError(t, err)
			moneytest.Equal(t, usd(tt.wantPrincipal), p.Principal)
			moneytest.Equal(t, usd(tt.interest), p.Interest)
			moneytest.Equal(t, usd(tt.pd), p.PerDiem)
			moneytest.Equal(t, p.Principal.Add(p.Interest).Add(p.Fees), p.Total)
			// The terms field survives the checkpoint encoding.
			s, err := e.State(ctx, "L", d(2024, 2, 20))
			require.NoError(t, err)
			b, err := s.MarshalBinary()
			require.NoError(t, err)
			var back loan.State
			require.NoError(t, back.UnmarshalBinary(b))
			require.Equal(t, tt.method, back.Terms.PayoffInterest)
			require.Equal(t, s.Hash(), back.Hash())
		})
	}
	bad := mortgage()
	bad.PayoffInterest = "rule_of_78"
	_, err := newEngine(t, servicingtest.NewMemStore()).Board(ctx, "X", loan.BoardingRequest{Terms: bad, Borrower: "B"}, key("b"))
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
	require.Contains(t, field.Fields(err), "Terms.PayoffInterest")
}

// An escrow balance left at payoff is refunded within 20 days excluding
// legal public holidays and weekends (Reg X §1024.34(b)). The mortgage with
// 300.00 of escrow a month pays installment 1 (1,499.10) on 1 Mar 2024 and
// is paid off on Friday 15 Mar: 300.00 of escrow to refund by Friday 12
// Apr (business days 18–22 Mar, 25–29 Mar, 1–5 Apr and 8–12 Apr; no
// federal holiday among them). The payoff reports escrow_refund_due; the
// refund command empties the escrow, and more than it is refused.
func TestEscrowRefundAtPayoff(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := mortgage()
	tm.EscrowPayment = usd("300.00")
	board(t, e, "L", tm)
	_, err := e.PostPayment(ctx, "L", d(2024, 3, 1), usd("1499.10"), key("p1"))
	require.NoError(t, err)
	q, err := e.PayoffQuote(ctx, "L", d(2024, 3, 15))
	require.NoError(t, err)
	require.Equal(t, "300.00", q.Escrow.String())
	r, err := e.PostPayment(ctx, "L", d(2024, 3, 15), q.Total, key("payoff"))
	require.NoError(t, err)
	var due *loan.DomainEvent
	for i := range r.Domain {
		if r.Domain[i].Type == loan.DomainEscrowRefundDue {
			due = &r.Domain[i]
		}
	}
	require.NotNil(t, due, "%+v", r.Domain)
	require.Equal(t, "300.00", due.Amount.String())
	require.Equal(t, d(2024, 4, 12), due.By)
	s, err := e.State(ctx, "L", d(2024, 3, 15))
	require.NoError(t, err)
	by, ok := s.EscrowRefundBy()
	require.True(t, ok)
	require.Equal(t, d(2024, 4, 12), by)
	_, err = e.RefundEscrow(ctx, "L", d(2024, 3, 20), usd("300.01"), key("too much"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Equal(t, []string{"Amount"}, field.Fields(err))
	_, err = e.RefundEscrow(ctx, "L", d(2024, 3, 20), usd("300.00"), key("refund"))
	require.NoError(t, err)
	s, err = e.State(ctx, "L", d(2024, 3, 20))
	require.NoError(t, err)
	require.True(t, s.Escrow.IsZero())
	_, ok = s.EscrowRefundBy()
	require.False(t, ok)
}
