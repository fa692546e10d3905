package servicing_test

import (
	"context"
	"testing"
	"time"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

// TestEngineCFPBSuspenseExample runs the CFPB example of the comment to Reg
// Z §1026.36(c)(1)(ii) through the engine: $1,000 is due each month; $600
// arrives in January and is held; $300 in February makes $900 held; $400 in
// March makes $1,300: $1,000 pays the January installment and $300 stays in
// suspense. The loan: 100,000.00 at 6%, 360 months, P&I 599.55
// (100000·0.005/(1−1.005^−360) = 599.5505) plus 400.45 escrow = 1,000.00.
func TestEngineCFPBSuspenseExample(t *testing.T) {
	ctx := context.Background()
	terms := mortgage()
	terms.Principal, terms.Payment, terms.EscrowPayment = usd("100000.00"), usd("599.55"), usd("400.45")
	terms.FundingDate, terms.FirstDueDate = d(2023, 11, 20), d(2024, 1, 1)
	terms.Delinquency.LateFee = nil
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "L1", terms)
	for i, p := range []struct {
		month    time.Month
		amount   string
		suspense string
		next     int
	}{
		{time.January, "600.00", "600.00", 1},
		{time.February, "300.00", "900.00", 1},
		{time.March, "400.00", "300.00", 2},
	} {
		_, err := e.PostPayment(ctx, "L1", d(2024, p.month, 15), usd(p.amount), key(p.month.String()))
		require.NoError(t, err)
		s, err := e.State(ctx, "L1", d(2024, p.month, 15))
		require.NoError(t, err)
		moneytest.Equal(t, p.suspense, s.Suspense, "payment", i)
		require.Equal(t, p.next, s.NextInstallment, "payment %d", i)
	}
	s := requireMatchesReplay(t, store, "L1", d(2024, 3, 16))
	// January: interest 100000 × 6% × 30/360 = 500.00, principal 99.55,
	// escrow 400.45.
	moneytest.Equal(t, "99900.45", s.Principal)
	moneytest.Equal(t, "400.45", s.Escrow)
	// February (due Feb 1) is now the oldest unpaid: 44 days on 16 Mar.
	require.Equal(t, 44, s.DaysPastDue())
	h, err := e.History(ctx, "L1", d(2024, 3, 16))
	require.NoError(t, err)
	mar := h.Transactions[len(h.Transactions)-1]
	require.Equal(t, "past_due_interest", mar.Lines[1].Bucket, "%+v", mar.Lines)
	require.Equal(t, loan.AccountSuspense, mar.Lines[len(mar.Lines)-1].Component)
}

// TestEngineRegXFeb3 is the Reg X §1024.31 example through the engine:
// January's payment is missed and a payment on Feb 3 is applied to January,
// so on Feb 4 the loan is 3 days past due (from February's due date), while
// the date of first delinquency stays Jan 1.
func TestEngineRegXFeb3(t *testing.T) {
	ctx := context.Background()
	terms := mortgage()
	terms.FundingDate, terms.FirstDueDate = d(2023, 11, 20), d(2024, 1, 1)
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "L1", terms)
	_, err := e.PostPayment(ctx, "L1", d(2024, 2, 3), usd("1199.10"), key("feb3"))
	require.NoError(t, err)
	s := requireMatchesReplay(t, store, "L1", d(2024, 2, 4))
	require.Equal(t, 3, s.DaysPastDue())
	require.Equal(t, d(2024, 1, 1), s.DelinquentSince, "date of first delinquency is kept")
	a, err := s.Delinquency()
	require.NoError(t, err)
	require.Equal(t, 3, a.DPD)
	require.Equal(t, d(2024, 2, 1), a.DelinquentSince)
	require.Equal(t, 2, a.OldestUnpaidSeq)
	require.Equal(t, "1-29", a.Bucket.Name)
	// January's late fee (5% × 1199.10 = 59.955 → 59.96) was charged on
	// 17 Jan, the day after grace; to bring current: February + the fee.
	moneytest.Equal(t, "59.96", s.LateFees)
	moneytest.Equal(t, "1199.10", a.ToCure)
	moneytest.Equal(t, "1259.06", a.BringCurrent)
}

// TestEngineReportingMethods checks the MBA and OTS methods in the
// delinquency output: the March 1 installment unpaid is 30 days delinquent
// under MBA from Mar 31 (the day before the next due date) and under OTS
// from Apr 1 (close of business on the next due date).
func TestEngineReportingMethods(t *testing.T) {
	for _, tt := range []struct {
		method delinquency.Method
		day    int // of March or April (day ≤ 0: April −day)
		days   int
	}{
		{delinquency.MethodMBA, 30, 0}, {delinquency.MethodMBA, 31, 30},
		{delinquency.MethodOTS, 31, 0}, {delinquency.MethodOTS, 0, 30}, // 0: Apr 1
		{delinquency.MethodDaysPastDue, 31, 30},
	} {
		terms := mortgage()
		terms.Delinquency.Method = tt.method
		on := d(2024, 3, tt.day)
		if tt.day == 0 {
			on = d(2024, 4, 1)
		}
		s := newLog(terms).replay(t, on)
		a, err := s.Delinquency()
		require.NoError(t, err)
		require.Equal(t, tt.days, a.Days, "%s on %s", tt.method, on)
		require.Equal(t, tt.method, a.Method)
	}
}

// TestEngineConsumerPartialApplied: a daily simple interest loan takes the
// consumer preset (payment.Consumer: partial payments applied). 200.00 on
// Feb 1 pays January's accrued interest 18800 × 9% × 31/365 = 143.7041 →
// 143.70 and 56.30 principal; the installment (467.84) stays past due.
// 267.84 on Feb 10 completes it: interest 18743.70 × 9% × 9/365 = 41.5956 →
// 41.60, principal 226.24.
func TestEngineConsumerPartialApplied(t *testing.T) {
	l := newLog(autoLoan())
	l.pay(d(2024, 2, 1), "200.00")
	s := l.replay(t, d(2024, 2, 9))
	moneytest.Equal(t, "18743.70", s.Principal)
	moneytest.Equal(t, "0.00", s.Suspense)
	require.Equal(t, 1, s.NextInstallment)
	require.Equal(t, 8, s.DaysPastDue())
	require.Len(t, s.Partial, 1)
	l.pay(d(2024, 2, 10), "267.84")
	s = l.replay(t, d(2024, 2, 10))
	moneytest.Equal(t, "18517.46", s.Principal)
	moneytest.Equal(t, "185.30", s.PaidInterest)
	require.Equal(t, 2, s.NextInstallment)
	require.Zero(t, s.DaysPastDue())
	require.Empty(t, s.Partial)
	// The fold from a checkpoint holding the partial installment agrees.
	cp, err := loan.Replay(l.terms, l.events[:2], d(2024, 2, 5))
	require.NoError(t, err)
	b, err := cp.MarshalBinary()
	require.NoError(t, err)
	var back loan.State
	require.NoError(t, back.UnmarshalBinary(b))
	got, err := loan.ReplayFrom(back, l.events[2:], d(2024, 2, 10))
	require.NoError(t, err)
	require.Equal(t, s.Hash(), got.Hash())
}

// TestEngineNoPyramiding is Reg Z comment 36(c)(2)-1 through the engine
// with the consumer order (fees first): a late fee of 59.96 is unpaid, and
// the March installment is paid in full and on time. The order takes the
// fee out of the payment, leaving March 59.96 short, but a late fee on that
// shortfall would be pyramiding: delinquency charges none on 17 Mar.
func TestEngineNoPyramiding(t *testing.T) {
	terms := mortgage()
	rules := payment.Consumer()
	terms.Allocation = &rules
	l := newLog(terms)
	l.add(d(2024, 2, 20), loan.FeeAssessed{Type: loan.FeeLate, Amount: usd("59.96")})
	l.pay(d(2024, 3, 1), "1199.10")
	s := l.replay(t, d(2024, 3, 20))
	moneytest.Equal(t, "0.00", s.LateFees, "the old fee was paid, no new one")
	require.Equal(t, 1, s.NextInstallment)
	require.Equal(t, 1, s.LateFeesThrough, "March's fee was decided (pyramiding)")
	// Under the GSE order the payment pays March in full and the old fee
	// stays owed; no late fee either.
	g := newLog(mortgage())
	g.add(d(2024, 2, 20), loan.FeeAssessed{Type: loan.FeeLate, Amount: usd("59.96")})
	g.pay(d(2024, 3, 1), "1199.10")
	s = g.replay(t, d(2024, 3, 20))
	moneytest.Equal(t, "59.96", s.LateFees)
	require.Equal(t, 2, s.NextInstallment)
}

// TestTermsRulesValidation: rules are data in the terms and are validated
// with the terms: every extra-money method payment defines is serviced
// (Fineract's standard order pays ahead), an unknown one is refused with
// the other bad fields.
func TestTermsRulesValidation(t *testing.T) {
	terms := mortgage()
	rules := payment.FineractMifosStandard() // pay_ahead
	terms.Allocation = &rules
	require.NoError(t, terms.Validate())
	rules.Extra = "lottery"
	terms.Delinquency.LateFee.PercentBasisPoints = 10001
	err := terms.Validate()
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
	require.Contains(t, field.Fields(err), "Terms.Allocation.Extra")
	require.Contains(t, field.Fields(err), "Terms.Delinquency.LateFee.PercentBasisPoints")
	_ = money.USD
}
