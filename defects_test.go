package servicing_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// consumerLoan is 10,000.00 at 12 % over 12 monthly installments from
// 2024-02-01 (funded 2024-01-01), billed from its table with periodic
// interest: payment 10000 × 0.01 / (1 − 1.01^−12) = 888.4879 → 888.49,
// first installment 100.00 interest + 788.49 principal. Fees first
// (payment.Consumer: late charges, fees, interest, principal, across the
// installments oldest first; partial payments applied); a flat 25.00 late
// fee after 10 days of grace.
func consumerLoan() loan.Terms {
	rules := payment.Consumer()
	return loan.Terms{
		Terms: amortize.Terms{
			Principal: usd("10000.00"), AnnualRate: rate.MustPercent("12"), Installments: 12,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			FundingDate: d(2024, 1, 1), FirstDueDate: d(2024, 2, 1),
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic,
			DayCount:         accrual.DayCount{Convention: accrual.Thirty360US},
			InterestRounding: money.HalfAwayFromZero, PaymentRounding: money.HalfAwayFromZero,
			Payment: usd("888.49"),
		},
		Accrual: loan.AccrualScheduled, EscrowPayment: usd("0.00"), Allocation: &rules,
		Delinquency: policy(&delinquency.LateFeePolicy{GraceDays: 10, Method: delinquency.FeeFlat, FlatAmount: usd("25.00")}),
	}
}

// lateFeeCount counts the late fees a loan's ledger charged.
func lateFeeCount(t *testing.T, terms loan.Terms, evs []loan.Event, asOf date.Date) (int, loan.State) {
	t.Helper()
	led, err := loan.ReplayLedger(terms, evs, asOf)
	require.NoError(t, err)
	n := 0
	for _, tx := range led.Transactions {
		if tx.Kind == "late_fee" {
			n++
		}
	}
	return n, led.State
}

// TestIssue11_NoPyramiding is the FTC Credit Practices Rule (16 CFR 444.4)
// and Reg Z §1026.36(c)(2) case. Installment 1 (due 1 Feb) is paid on 20
// Feb: its late fee, 25.00, is charged on 12 Feb (1 Feb + 10 days of grace
// + 1). The fees-first waterfall takes the fee from the 20 Feb payment, so
// installment 1 gets 863.49 and is short 25.00; every later installment is
// paid in full (888.49) on its due date, and each payment first completes
// the installment before it (25.00) and leaves its own short 25.00 — a
// shortfall made only of that first late fee. Exactly one late fee is
// charged in the year (the first release charged one on every installment:
// each fee, taken first from the next payment, made the shortfall grow).
func TestIssue11_NoPyramiding(t *testing.T) {
	terms := consumerLoan()
	l := newLog(terms)
	l.pay(d(2024, 2, 20), "888.49")
	for m := 3; m <= 12; m++ {
		l.pay(d(2024, time.Month(m), 1), "888.49")
	}
	n, s := lateFeeCount(t, terms, l.events, d(2024, 12, 20))
	require.Equal(t, 1, n, "one late installment, then full payments on time: one late fee")
	moneytest.Equal(t, "25.00", s.PaidFees)
	moneytest.Equal(t, "0.00", s.LateFees)
	require.Equal(t, 11, s.LateFeesThrough, "every installment's fee was decided")

	// Under rules 1 (the first release's), the same log pyramids.
	old := newLog(terms)
	old.events[0].Payload = loan.Boarded{Terms: terms, Rules: 1}
	old.events = append(old.events, l.events[1:]...)
	n1, _ := lateFeeCount(t, terms, old.events, d(2024, 12, 20))
	require.Greater(t, n1, 5, "rules 1 charged a fee on installment after installment")
}

// TestIssue11_ToleranceEverywhere: the mortgage with a 50.00 tolerance
// (Reg X §1024.31: a small shortfall is not a delinquency). 1,160.00 on 1
// Mar is 39.10 short of 1,199.10: the waterfall applies it as a full
// installment (39.10 left open on its principal), and days past due, the
// late fee (5 % × 1,199.10 = 59.96 on 17 Mar) and the statement's past-due
// amount all count it as paid: 0 DPD on 20 Mar, no late fee, nothing past
// due. The first release applied the tolerance in the waterfall alone and
// charged the 59.96.
func TestIssue11_ToleranceEverywhere(t *testing.T) {
	ctx := context.Background()
	terms := mortgage()
	terms.Delinquency.ToleranceAmount = usd("50.00")
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", terms)
	_, err := e.PostPayment(ctx, "L", d(2024, 3, 1), usd("1160.00"), key("p1"))
	require.NoError(t, err)
	s, err := e.State(ctx, "L", d(2024, 3, 20))
	require.NoError(t, err)
	moneytest.Equal(t, "0.00", s.Suspense, "applied, not held")
	require.Equal(t, 0, s.DaysPastDue())
	require.Equal(t, loan.StatusCurrent, s.Status)
	moneytest.Equal(t, "0.00", s.LateFees)
	a, err := s.Delinquency()
	require.NoError(t, err)
	moneytest.Equal(t, "0.00", a.ToCure)
	st, err := e.Statement(ctx, "L", d(2024, 3, 1), d(2024, 3, 21))
	require.NoError(t, err)
	moneytest.Equal(t, "0.00", st.PastDue)

	// The tolerance belongs to the delinquency policy: setting it in the
	// waterfall instead is refused, so the two can never disagree.
	rules := payment.GSEMortgage()
	rules.ShortfallToleranceMinor = 5000
	bad := mortgage()
	bad.Allocation = &rules
	_, err = e.Board(ctx, "X", loan.BoardingRequest{Terms: bad, Borrower: "B"}, key("bad"))
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
}

// TestIssue11_BillsEqualProjection: a semi-monthly loan (the 1st and the
// 16th) of 100,000.00 at 12 % with periodic interest over 48 installments,
// paid as billed on every due date, is billed exactly the table the
// scenario's projection prints (amortize.Compute of the same terms): the
// first installment's interest is 100000 × 0.12 / 24 = 500.00 and the level
// payment 100000 × 0.005 / (1 − 1.005^−48) = 2348.5029 → 2348.50. The first
// release billed a day-count fraction per period (533.33 then 466.51 on a
// 30/360 loan) while its projection showed 500.00 / 499.75. The last
// payment covers the payoff quote on its due date: a payoff, of the table's
// last principal and interest.
func TestIssue11_BillsEqualProjection(t *testing.T) {
	terms := mortgage()
	terms.Principal, terms.AnnualRate, terms.Installments, terms.Payment = usd("100000.00"), rate.MustPercent("12"), 48, money.Amount{}
	terms.Frequency, terms.FundingDate, terms.FirstDueDate = schedule.SemiMonthly(1, 16), d(2024, 1, 1), d(2024, 1, 16)
	terms.OddFirstPeriod = ""
	nt, err := terms.Normalized()
	require.NoError(t, err)
	moneytest.Equal(t, "2348.50", nt.Payment)
	tb, err := amortize.Compute(nt.Terms)
	require.NoError(t, err)
	moneytest.Equal(t, "500.00", tb.Rows[0].Interest)
	l := newLog(nt)
	for _, r := range tb.Rows {
		l.pay(r.DueDate, r.Payment.String())
	}
	led, err := loan.ReplayLedger(nt, l.events, tb.Rows[len(tb.Rows)-1].DueDate)
	require.NoError(t, err)
	requireBilledAsTable(t, led, tb)
	require.Equal(t, loan.StatusPaidOff, led.State.Status)
	moneytest.Equal(t, "0.00", led.State.Principal)
	moneytest.Equal(t, "0.00", led.State.CreditBalance)
}

// requireBilledAsTable checks that each installment's interest and
// principal in the ledger equal the table's row; a payoff's lines (interest
// to the payoff date has no installment) count for the installment its
// principal line names.
func requireBilledAsTable(t *testing.T, led loan.Ledger, tb amortize.Table) {
	t.Helper()
	interest, principal := map[int]money.Amount{}, map[int]money.Amount{}
	for _, tx := range led.Transactions {
		payoffOf := 0
		for _, ln := range tx.Lines {
			if ln.Component == "principal" && len(ln.Rule) > 7 && ln.Rule[:7] == "payoff:" {
				payoffOf = ln.Installment
			}
		}
		for _, ln := range tx.Lines {
			if ln.Installment == 0 && payoffOf > 0 && ln.Component == "interest" {
				ln.Installment = payoffOf
			}
			switch {
			case ln.Installment == 0:
			case ln.Component == "capitalized_interest": // the table's negative principal
				interest[ln.Installment] = interest[ln.Installment].Add(ln.Amount)
				principal[ln.Installment] = principal[ln.Installment].Sub(ln.Amount)
			case ln.Component == "interest":
				interest[ln.Installment] = interest[ln.Installment].Add(ln.Amount)
			case ln.Component == "principal":
				principal[ln.Installment] = principal[ln.Installment].Add(ln.Amount)
			}
		}
	}
	for _, r := range tb.Rows {
		require.True(t, r.Interest.Equal(interest[r.N]) && r.Principal.Equal(principal[r.N]),
			"installment %d billed %s + %s, table %s + %s", r.N, interest[r.N], principal[r.N], r.Interest, r.Principal)
	}
}

// TestIssue11_OddFirstPeriod: 200,000.00 at 6 % funded 1 Jan 2024, first
// due 1 Mar (a first period of two months; 30/360).
//
//   - prepaid (the default when none is set): January's interest was
//     collected at closing; installment 1 carries one month, 1,000.00, and
//     the payment is the regular 1,199.10.
//   - odd_days_interest: the payment is solved as if the period were
//     regular (1,199.10) and January's interest, 200000 × 0.06 × 30/360 =
//     1,000.00, is added to the first installment: 2,199.10, of which
//     2,000.00 interest.
//   - actual_period: the first period counts 2 months (1/12 + 30/360 of
//     interest, 2,000.00) and the level payment is solved over it, so every
//     installment, the first included, is the same amount (amortize's
//     figure, held by its own tests), above 1,199.10.
func TestIssue11_OddFirstPeriod(t *testing.T) {
	base := mortgage()
	base.FundingDate, base.Payment, base.OddFirstPeriod = d(2024, 1, 1), money.Amount{}, ""
	for _, tt := range []struct {
		odd                amortize.OddFirstPeriod
		pay1, int1, regPay string
	}{
		{"", "1199.10", "1000.00", "1199.10"},
		{amortize.OddDaysInterest, "2199.10", "2000.00", "1199.10"},
		{amortize.OddActualPeriod, "", "2000.00", ""},
	} {
		terms := base
		terms.OddFirstPeriod = tt.odd
		nt, err := terms.Normalized()
		require.NoError(t, err, tt.odd)
		if tt.odd == "" {
			require.Equal(t, amortize.OddPrepaid, nt.OddFirstPeriod, "the documented default")
		}
		tb, err := amortize.Compute(nt.Terms)
		require.NoError(t, err)
		moneytest.Equal(t, tt.int1, tb.Rows[0].Interest, tt.odd)
		if tt.pay1 != "" {
			moneytest.Equal(t, tt.pay1, tb.Rows[0].Payment, tt.odd)
			moneytest.Equal(t, tt.regPay, tb.Rows[1].Payment, tt.odd)
		} else {
			require.True(t, tb.Rows[0].Payment.Equal(tb.Rows[1].Payment) && tb.Rows[0].Payment.GreaterThan(usd("1199.10")), "%s", tb.Rows[0].Payment)
		}
		// The engine bills the first two installments as the table.
		l := newLog(nt)
		l.pay(tb.Rows[0].DueDate, tb.Rows[0].Payment.String())
		l.pay(tb.Rows[1].DueDate, tb.Rows[1].Payment.String())
		led, err := loan.ReplayLedger(nt, l.events, tb.Rows[1].DueDate)
		require.NoError(t, err)
		tb.Rows = tb.Rows[:2]
		requireBilledAsTable(t, led, tb)
	}
	_ = servicing.ErrInvalidCommand
}

// TestIssue11_DomainEventsFromBusinessDates: the same commands issued in
// any order give the same domain events with the same dates (netting the
// retractions a backdated command reports). The mortgage is paid on 1 Mar
// and 20 May (April's installment, 50 days late) and with 2,398.20 on 1
// Jun; end of day runs on 30 Apr and 30 Jun; a 10.00 fee on 5 Apr. April's
// late fee, 5 % × 1,199.10 = 59.96, is dated 17 Apr (1 Apr + 15 days of
// grace + 1) whichever command first folds past that day; the loan is
// delinquent from 2 Apr and reaches 30, 36 and 45 days past due on 1, 7
// and 16 May; May's fee is dated 17 May; the 20 May payment pays April
// (oldest first), so the loan is cured only by June's payment on 1 Jun. A
// payment that is the first command to fold past
// 17 Apr and also pays the fee still reports it (the first release
// reported a late fee only by the difference of the fee balance before and
// after a command, and dated it with the command's date).
func TestIssue11_DomainEventsFromBusinessDates(t *testing.T) {
	ctx := context.Background()
	type cmd struct {
		name string
		run  func(*servicing.Engine) (servicing.Result, error)
	}
	cmds := []cmd{
		{"p1", func(e *servicing.Engine) (servicing.Result, error) {
			return e.PostPayment(ctx, "L", d(2024, 3, 1), usd("1199.10"), key("p1"))
		}},
		{"p2", func(e *servicing.Engine) (servicing.Result, error) {
			return e.PostPayment(ctx, "L", d(2024, 5, 20), usd("1199.10"), key("p2"))
		}},
		{"p3", func(e *servicing.Engine) (servicing.Result, error) {
			return e.PostPayment(ctx, "L", d(2024, 6, 1), usd("2398.20"), key("p3"))
		}},
		{"fee", func(e *servicing.Engine) (servicing.Result, error) {
			return e.AssessFee(ctx, "L", d(2024, 4, 5), loan.FeeOther, usd("10.00"), key("fee"))
		}},
		{"eod-apr", func(e *servicing.Engine) (servicing.Result, error) {
			return e.EndOfDay(ctx, "L", d(2024, 4, 30), servicing.Meta{})
		}},
		{"eod-jun", func(e *servicing.Engine) (servicing.Result, error) {
			return e.EndOfDay(ctx, "L", d(2024, 6, 30), servicing.Meta{})
		}},
	}
	net := func(order []int) map[string]int {
		e := newEngine(t, servicingtest.NewMemStore())
		board(t, e, "L", mortgage())
		out := map[string]int{}
		for _, i := range order {
			r, err := cmds[i].run(e)
			require.NoError(t, err, cmds[i].name)
			for _, de := range r.Domain {
				k := de
				k.Retracted = false
				if de.Retracted {
					out[k.Key()]--
				} else {
					out[k.Key()]++
				}
			}
		}
		for k, n := range out {
			if n == 0 {
				delete(out, k)
			}
		}
		return out
	}
	want := net([]int{0, 3, 4, 1, 2, 5})
	late := loan.DomainEvent{Type: loan.DomainFeeAssessed, On: d(2024, 4, 17), Amount: usd("59.96"), Ref: 2}
	require.Equal(t, 1, want[late.Key()], "April's late fee, dated 17 Apr: %v", want)
	for _, m := range []loan.DomainEvent{{Type: loan.DomainMilestone, On: d(2024, 5, 1), DaysPastDue: 30},
		{Type: loan.DomainMilestone, On: d(2024, 5, 7), DaysPastDue: 36},
		{Type: loan.DomainMilestone, On: d(2024, 5, 16), DaysPastDue: 45},
		{Type: loan.DomainFeeAssessed, On: d(2024, 5, 17), Amount: usd("59.96"), Ref: 3},
		{Type: loan.DomainStatusChanged, On: d(2024, 4, 2), From: loan.StatusCurrent, To: loan.StatusDelinquent, DaysPastDue: 1},
		{Type: loan.DomainDelinquencyCured, On: d(2024, 6, 1)}} {
		require.Equal(t, 1, want[m.Key()], "%s: %v", m.Key(), want)
	}
	for _, order := range [][]int{{1, 0, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {2, 5, 0, 1, 4, 3}, {3, 1, 5, 0, 2, 4}, {1, 2, 3, 4, 5, 0}} {
		require.Equal(t, want, net(order), "order %v", order)
	}
	// The payment of 20 May is the first command past 17 Apr and pays the
	// fee it causes: it still reports it.
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", mortgage())
	_, err := cmds[0].run(e)
	require.NoError(t, err)
	r, err := e.PostPayment(ctx, "L", d(2024, 5, 20), usd("2500.00"), key("p2"))
	require.NoError(t, err)
	found := false
	for _, de := range r.Domain {
		found = found || de.Key() == late.Key()
	}
	require.True(t, found, "%+v", r.Domain)
}

// TestIssue11_ReAgeAndWorkoutLimits: the mortgage (funded 15 Jan 2024) is
// paid on time from March to September 2024, misses October and November,
// and pays on 1 Dec, 1 Jan and 1 Feb. A re-age on 15 Feb 2025 is accepted
// (open 13 months, three periodic payments of 1,199.10 in the three months
// before, no earlier re-age: delinquency.CanReAge); a second re-age two
// months later is refused (once in 12 months). A deferment is accepted; a
// forbearance a year later is refused (one workout program in 5 years:
// delinquency.CanWorkout). The first release accepted both.
func TestIssue11_ReAgeAndWorkoutLimits(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", mortgage())
	on := []date.Date{d(2024, 3, 1), d(2024, 4, 1), d(2024, 5, 1), d(2024, 6, 1), d(2024, 7, 1), d(2024, 8, 1), d(2024, 9, 1),
		d(2024, 12, 1), d(2025, 1, 1), d(2025, 2, 1)}
	for i, p := range on {
		_, err := e.PostPayment(ctx, "L", p, usd("1199.10"), key(fmt.Sprint("p", i)))
		require.NoError(t, err)
	}
	_, err := e.Modify(ctx, "L", d(2025, 2, 15), loan.Modified{Type: loan.ModReage}, key("reage-1"))
	require.NoError(t, err)
	s, err := e.State(ctx, "L", d(2025, 2, 15))
	require.NoError(t, err)
	require.Equal(t, loan.StatusCurrent, s.Status, "re-aged")
	_, err = e.Modify(ctx, "L", d(2025, 4, 15), loan.Modified{Type: loan.ModReage}, key("reage-2"))
	require.ErrorIs(t, err, delinquency.ErrReAgedWithin12Months)
	require.Contains(t, field.Fields(err), "Type")

	_, err = e.Modify(ctx, "L", d(2025, 5, 1), loan.Modified{Type: loan.ModDeferment, DeferInstallments: 2}, key("defer"))
	require.NoError(t, err)
	_, err = e.Modify(ctx, "L", d(2026, 5, 1), loan.Modified{Type: loan.ModForbearance, DeferInstallments: 1}, key("forbear"))
	require.ErrorIs(t, err, delinquency.ErrWorkoutRefused)
	require.ErrorIs(t, err, delinquency.ErrWorkoutWithin5Years)
	// A retry of the accepted deferment is answered from its first result,
	// not refused by its own history.
	r, err := e.Modify(ctx, "L", d(2025, 5, 1), loan.Modified{Type: loan.ModDeferment, DeferInstallments: 2}, key("defer"))
	require.NoError(t, err)
	require.True(t, r.Replayed)
}

// TestIssue12_ClosedLoans: on a paid-off loan a fee and a rate change are
// refused (ErrLoanClosed, nothing written); a payment arriving after payoff
// becomes a credit balance, and refunding it still works, as does reversing
// the payoff receipt (the loan reopens). A charged-off loan takes a
// recovery and refuses a modification.
func TestIssue12_ClosedLoans(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	board(t, e, "L", mortgage())
	q, err := e.PayoffQuote(ctx, "L", d(2024, 2, 20))
	require.NoError(t, err)
	payoff, err := e.PostPayment(ctx, "L", d(2024, 2, 20), q.Total, key("payoff"))
	require.NoError(t, err)
	v := payoff.Version
	_, err = e.AssessFee(ctx, "L", d(2024, 3, 1), loan.FeeLate, usd("25.00"), key("fee"))
	require.ErrorIs(t, err, servicing.ErrLoanClosed)
	_, err = e.ChangeRate(ctx, "L", d(2024, 3, 1), rate.MustPercent("7"), key("rate"))
	require.ErrorIs(t, err, servicing.ErrLoanClosed)
	s, err := e.State(ctx, "L", d(2024, 3, 1))
	require.NoError(t, err)
	require.Equal(t, v, s.Version, "nothing written")
	_, err = e.PostPayment(ctx, "L", d(2024, 3, 1), usd("100.00"), key("late-money"))
	require.NoError(t, err)
	_, err = e.RefundCredit(ctx, "L", d(2024, 3, 5), usd("100.01"), key("refund-too-much"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	_, err = e.RefundCredit(ctx, "L", d(2024, 3, 5), usd("100.00"), key("refund"))
	require.NoError(t, err)
	s, err = e.State(ctx, "L", d(2024, 3, 5))
	require.NoError(t, err)
	moneytest.Equal(t, "0.00", s.CreditBalance)
	_, err = e.ReversePayment(ctx, "L", d(2024, 3, 10), payoff.Events[0].Seq, money.Zero(money.USD), key("bounce"))
	require.NoError(t, err)
	s, err = e.State(ctx, "L", d(2024, 3, 10))
	require.NoError(t, err)
	require.Equal(t, loan.StatusDelinquent, s.Status, "the payoff check bounced: March is unpaid")
	moneytest.Equal(t, "200000.00", s.Principal)

	board(t, e, "C", mortgage())
	_, err = e.ChargeOff(ctx, "C", d(2024, 6, 1), key("co"))
	require.NoError(t, err)
	_, err = e.Modify(ctx, "C", d(2024, 6, 2), loan.Modified{Type: loan.ModRecast}, key("mod"))
	require.ErrorIs(t, err, servicing.ErrLoanClosed)
	_, err = e.Recover(ctx, "C", d(2024, 7, 1), usd("500.00"), key("rec"))
	require.NoError(t, err)
}

// TestIssue12_RunningTotalsBounded: each fee is within money.MaxMinor, but
// two of 6,000,000,000,000.00 would take the fee balance past it; the
// second is refused with loan.ErrLimit naming State.OtherFees, nothing is
// written, and the loan still reads and takes payments (the first release
// accepted it and every later command failed on a checkpoint it could not
// decode).
func TestIssue12_RunningTotalsBounded(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", mortgage())
	big := usd("6000000000000.00")
	_, err := e.AssessFee(ctx, "L", d(2024, 2, 1), loan.FeeOther, big, key("f1"))
	require.NoError(t, err)
	_, err = e.AssessFee(ctx, "L", d(2024, 2, 2), loan.FeeOther, big, key("f2"))
	require.ErrorIs(t, err, loan.ErrLimit)
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Contains(t, field.Fields(err), "State.OtherFees")
	for i := range 40 { // past the checkpoint interval
		_, err := e.PostPayment(ctx, "L", d(2024, 3, 1)+date.Date(i), usd("1.00"), key(fmt.Sprint("p", i)))
		require.NoError(t, err)
	}
	s, err := e.State(ctx, "L", d(2024, 4, 15))
	require.NoError(t, err)
	moneytest.Equal(t, "6000000000000.00", s.OtherFees)
}

// TestIssue12_UnreadableCheckpointFallsBack: every checkpoint the store
// hands back is damaged (one byte short). Commands and queries still work:
// the engine skips the checkpoint, folds the whole log (the log is the
// truth), reports each skip as a *servicing.CheckpointError through
// Config.Notify, and gives the state a full replay gives.
func TestIssue12_UnreadableCheckpointFallsBack(t *testing.T) {
	ctx := context.Background()
	mem := servicingtest.NewMemStore()
	faulty := &servicingtest.Faulty{Inner: mem}
	var notes []error
	var mu sync.Mutex
	// No head states: every command reads the loan from its checkpoint.
	e, err := servicing.New(servicing.Config{Store: faulty, Now: new(clock).Now, CheckpointEvery: 2, HeadStates: -1,
		Notify: func(err error) { mu.Lock(); notes = append(notes, err); mu.Unlock() }})
	require.NoError(t, err)
	board(t, e, "L", mortgage())
	for m := 3; m <= 8; m++ {
		_, err := e.PostPayment(ctx, "L", d(2024, time.Month(m), 1), usd("1199.10"), key(fmt.Sprint("p", m)))
		require.NoError(t, err)
	}
	require.Empty(t, notes, "no damage yet")
	faulty.CorruptCheckpoints = true
	_, err = e.PostPayment(ctx, "L", d(2024, 9, 1), usd("1199.10"), key("p9"))
	require.NoError(t, err)
	s, err := e.State(ctx, "L", d(2024, 9, 2))
	require.NoError(t, err)
	require.Equal(t, 8, s.NextInstallment)
	require.NotEmpty(t, notes)
	var ce *servicing.CheckpointError
	require.ErrorAs(t, notes[0], &ce)
	require.Equal(t, servicing.LoanID("L"), ce.Loan)
	require.ErrorIs(t, notes[0], servicing.ErrCorruptCheckpoint)
	require.ErrorIs(t, notes[0], loan.ErrCorruptState)
	faulty.CorruptCheckpoints = false
	requireMatchesReplay(t, mem, "L", d(2024, 9, 2))
}

// TestIssue11_TransactionTypeChoosesOrder: the receipt's transaction type
// picks its order from the loan's rules (payment.Rules.ByType). The 6%
// mortgage's March installment (1,199.10) is not paid; its late fee,
// 5% × 1,199.10 = 59.96, is charged on 17 Mar (1 Mar + 15 days of grace +
// 1). On 20 Mar 1,199.10 arrives. As a repayment the GSE order pays the
// installment before fees: 1,000.00 interest and 199.10 principal
// (balance 199,800.90), the fee still owed. As a goodwill credit, whose
// order the rules put charges first, the fee takes 59.96 and the
// 1,139.14 left cannot cover the installment, so it is held in suspense
// (Reg Z §1026.36(c)(1)(ii)) and the balance stays 200,000.00. A type
// neither payment nor the rules know is refused, naming Type.
func TestIssue11_TransactionTypeChoosesOrder(t *testing.T) {
	ctx := context.Background()
	rules := payment.GSEMortgage()
	goodwill := payment.Order{Name: "goodwill", Processing: payment.Horizontal, Future: payment.NextInstallment}
	timings := []payment.Timing{payment.PastDue, payment.Due, payment.InAdvance}
	for _, cs := range [][]payment.Component{{payment.Penalty, payment.Fee}, {payment.Interest, payment.Principal, payment.Escrow}} {
		for _, tm := range timings {
			for _, c := range cs {
				goodwill.Buckets = append(goodwill.Buckets, payment.NewBucket(tm, c))
			}
		}
	}
	rules.ByType = map[payment.TransactionType]payment.Order{payment.GoodwillCredit: goodwill}
	terms := mortgage()
	terms.Allocation = &rules
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "GW", terms)
	board(t, e, "RP", terms)

	r, err := e.PostPaymentWith(ctx, "GW", d(2024, 3, 20), usd("1199.10"), servicing.PaymentOptions{Type: payment.GoodwillCredit}, key("gw"))
	require.NoError(t, err)
	st, err := e.State(ctx, "GW", d(2024, 3, 20))
	require.NoError(t, err)
	moneytest.Equal(t, "200000.00", st.Principal)
	moneytest.Equal(t, "0.00", st.LateFees)
	moneytest.Equal(t, "1139.14", st.Suspense)
	trace, err := e.AllocationTrace(ctx, "GW", r.Events[0].Seq)
	require.NoError(t, err)
	var rulesUsed []string
	for _, l := range trace.Lines {
		rulesUsed = append(rulesUsed, l.Rule)
	}
	require.Contains(t, strings.Join(rulesUsed, "\n"), `of order goodwill`)

	_, err = e.PostPayment(ctx, "RP", d(2024, 3, 20), usd("1199.10"), key("rp"))
	require.NoError(t, err)
	st, err = e.State(ctx, "RP", d(2024, 3, 20))
	require.NoError(t, err)
	moneytest.Equal(t, "199800.90", st.Principal)
	moneytest.Equal(t, "59.96", st.LateFees)
	moneytest.Equal(t, "0.00", st.Suspense)

	_, err = e.PostPaymentWith(ctx, "RP", d(2024, 3, 21), usd("100.00"), servicing.PaymentOptions{Type: "goodwil_credit"}, key("typo"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	var fe *field.Error
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "Type", fe.Field)
}

// TestIssue11_ThresholdsAtEndOfDay: the ladder's non-accrual and
// charge-off thresholds count the receipts of the day they are reached, as
// package delinquency does (status at the end of the day). The 6% mortgage
// unpaid since 1 Mar is 45 days past due on 15 Apr; 1,199.10 that day pays
// March, leaving April (due 1 Apr) 14 days past due: delinquent, not on
// non-accrual at 45 days. With charge-off at 120 days (29 Jun), the four
// installments due by then (4 × 1,199.10 = 4,796.40) paid on 29 Jun bring
// the loan current: no charge-off, and the money is not a recovery. Without those receipts the
// thresholds apply on their day.
func TestIssue11_ThresholdsAtEndOfDay(t *testing.T) {
	ctx := context.Background()
	sp := delinquency.StandardPolicy(delinquency.ClosedEnd).Status
	sp.DefaultDays, sp.NonAccrualDays, sp.ChargeOffDays = 30, 45, 120
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "NA", ladder(mortgage(), sp))
	board(t, e, "NA0", ladder(mortgage(), sp))
	_, err := e.PostPayment(ctx, "NA", d(2024, 4, 15), usd("1199.10"), key("p"))
	require.NoError(t, err)
	st, err := e.State(ctx, "NA", d(2024, 4, 15))
	require.NoError(t, err)
	require.Equal(t, 14, st.DaysPastDue())
	require.Equal(t, loan.StatusDelinquent, st.Status)
	st, err = e.State(ctx, "NA0", d(2024, 4, 15))
	require.NoError(t, err)
	require.Equal(t, loan.StatusNonAccrual, st.Status)

	sp.NonAccrualDays = 90
	board(t, e, "CO", ladder(mortgage(), sp))
	_, err = e.PostPayment(ctx, "CO", d(2024, 6, 29), usd("4796.40"), key("p4"))
	require.NoError(t, err)
	st, err = e.State(ctx, "CO", d(2024, 6, 30))
	require.NoError(t, err)
	require.Equal(t, 5, st.NextInstallment)
	require.Equal(t, 0, st.DaysPastDue())
	require.Equal(t, loan.StatusCurrent, st.Status)
	moneytest.Equal(t, "0.00", st.Recovered)
}

// TestIssue11_ClosedByTimeRefuses: a loan the ladder charges off on 29 Jun
// (120 days past the unpaid 1 Mar) refuses a fee dated after that whether
// or not an end of day ran first.
func TestIssue11_ClosedByTimeRefuses(t *testing.T) {
	ctx := context.Background()
	sp := delinquency.StandardPolicy(delinquency.ClosedEnd).Status
	e := newEngine(t, servicingtest.NewMemStore())
	for _, id := range []servicing.LoanID{"A", "B"} {
		board(t, e, id, ladder(mortgage(), sp))
	}
	_, err := e.EndOfDay(ctx, "B", d(2024, 7, 1), key("eod"))
	require.NoError(t, err)
	for _, id := range []servicing.LoanID{"A", "B"} {
		_, err := e.AssessFee(ctx, id, d(2024, 10, 6), loan.FeeOther, usd("15.00"), key("fee"))
		require.ErrorIs(t, err, servicing.ErrLoanClosed, "loan %s", id)
	}
}

// TestIssue11_EscrowAndAdvanceInOneReceipt: with 150.00 escrow a month, a
// 300.00 tax bill paid from the empty escrow account on 15 Feb is an
// advance; 1,649.10 on 1 Mar (1,199.10 P&I + 150.00 escrow + the 300.00
// advance) repays the advance and leaves 150.00 in escrow (the borrower's
// 450.00 less the servicer's 300.00), principal 199,800.90. The first
// release refused it (the advance was repaid twice: -150.00).
func TestIssue11_EscrowAndAdvanceInOneReceipt(t *testing.T) {
	ctx := context.Background()
	terms := mortgage()
	terms.EscrowPayment = usd("150.00")
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "E", terms)
	_, err := e.DisburseEscrow(ctx, "E", d(2024, 2, 15), loan.EscrowDisbursed{Amount: usd("300.00"), Payee: "tax"}, key("tax"))
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "E", d(2024, 3, 1), usd("1649.10"), key("p"))
	require.NoError(t, err)
	st, err := e.State(ctx, "E", d(2024, 3, 1))
	require.NoError(t, err)
	moneytest.Equal(t, "0.00", st.EscrowAdvance)
	moneytest.Equal(t, "150.00", st.Escrow)
	moneytest.Equal(t, "199800.90", st.Principal)
	require.Equal(t, 2, st.NextInstallment)
}

// TestIssue11_PayoffCountsMoneyOnHandOnce: the 6% mortgage holds 1,000.00
// in suspense from 20 Feb (less than the 1,199.10 installment). The quote
// that day is 200,000.00 + 19 days' interest (200,000.00 × 6% × 19/360 =
// 633.33) − 1,000.00 = 199,633.33. A receipt of 199,133.33 is 500.00 short
// of it: no payoff. The waterfall takes the 200,133.33 on hand: installment
// 1 (1,000.00 + 199.10), the rest curtailing principal to 200,000.00 −
// 199.10 − 198,934.23 = 866.67. (The first cut compared the receipt plus
// the money on hand with a quote already net of it and closed the loan
// 500.00 short.)
func TestIssue11_PayoffCountsMoneyOnHandOnce(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", mortgage())
	_, err := e.PostPayment(ctx, "L", d(2024, 2, 20), usd("1000.00"), key("p1"))
	require.NoError(t, err)
	q, err := e.PayoffQuote(ctx, "L", d(2024, 2, 20))
	require.NoError(t, err)
	moneytest.Equal(t, "199633.33", q.Total)
	_, err = e.PostPayment(ctx, "L", d(2024, 2, 20), usd("199133.33"), key("p2"))
	require.NoError(t, err)
	st, err := e.State(ctx, "L", d(2024, 2, 20))
	require.NoError(t, err)
	require.NotEqual(t, loan.StatusPaidOff, st.Status)
	moneytest.Equal(t, "866.67", st.Principal)
}

// TestIssue11_PayoffAtBilledRates: a payoff quote prices each period at the
// rate its installment is billed at (amortize: the rate in force on the
// period's first day). March paid; 3% from 1 Apr; quote for 1 May: March's
// period at 6% (199,800.90 × 0.5% = 999.0045 → 999.00) and April's at 3%
// (499.50225 → 499.50), with April's unpaid late fee (59.96): 199,800.90 +
// 1,498.50 + 59.96 = 201,359.36. A change on 2
// Mar reprices from April's period, so a quote for 2 Mar is one day at 6%:
// 199,800.90 × 6% / 360 = 33.30, 199,834.20.
func TestIssue11_PayoffAtBilledRates(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "A", mortgage())
	board(t, e, "B", mortgage())
	_, err := e.PostPayment(ctx, "A", d(2024, 3, 1), usd("1199.10"), key("p"))
	require.NoError(t, err)
	_, err = e.ChangeRate(ctx, "A", d(2024, 4, 1), rate.MustPercent("3"), key("r"))
	require.NoError(t, err)
	q, err := e.PayoffQuote(ctx, "A", d(2024, 5, 1))
	require.NoError(t, err)
	moneytest.Equal(t, "1498.50", q.Interest)
	moneytest.Equal(t, "201359.36", q.Total)

	_, err = e.PostPayment(ctx, "B", d(2024, 2, 29), usd("1199.10"), key("p"))
	require.NoError(t, err)
	_, err = e.ChangeRate(ctx, "B", d(2024, 3, 2), rate.MustPercent("3"), key("r"))
	require.NoError(t, err)
	q, err = e.PayoffQuote(ctx, "B", d(2024, 3, 2))
	require.NoError(t, err)
	moneytest.Equal(t, "199834.20", q.Total)
}

// TestIssue11_LastInstallmentIsBilled: a receipt of exactly what its cycle
// asks for is a periodic payment even when it covers the payoff quote. The
// consumer loan with 100.00 escrow a month, each installment paid its row
// plus escrow on its due date: the last receipt, 888.47 + 100.00 (the row
// by periodic interest, 8.80 of it interest), covers the quote (which owes
// no escrow and prices interest by the day count), yet it is billed as the
// row and its escrow goes to escrow: paid off, escrow 12 × 100.00 =
// 1,200.00, no credit balance. On Actual/365 (funded 1 Dec 2023) the last
// period's day-count interest (8.68) differs from the row's; the row is
// what is billed.
func TestIssue11_LastInstallmentIsBilled(t *testing.T) {
	for _, dc := range []accrual.Convention{accrual.Thirty360US, accrual.Act365Fixed} {
		terms := consumerLoan()
		terms.EscrowPayment = usd("100.00")
		terms.DayCount = accrual.DayCount{Convention: dc}
		if dc == accrual.Act365Fixed {
			terms.FundingDate, terms.FirstDueDate = d(2023, 12, 1), d(2024, 1, 1)
		}
		tb, err := amortize.Compute(terms.Terms)
		require.NoError(t, err)
		l := newLog(terms)
		for _, row := range tb.Rows {
			l.pay(row.DueDate, row.Payment.Add(terms.EscrowPayment).String())
		}
		last := tb.Rows[len(tb.Rows)-1]
		led, err := loan.ReplayLedger(terms, l.events, last.DueDate)
		require.NoError(t, err)
		st := led.State
		require.Equal(t, loan.StatusPaidOff, st.Status, "%s", dc)
		moneytest.Equal(t, "0.00", st.CreditBalance)
		moneytest.Equal(t, "1200.00", st.Escrow)
		moneytest.Equal(t, tb.Totals.Interest.String(), st.PaidInterest)
		if dc == accrual.Thirty360US {
			moneytest.Equal(t, "888.47", last.Payment)
			moneytest.Equal(t, "8.80", last.Interest)
		}
	}
}

// TestIssue11_PaidWithinGraceIsNotLate: the consumer loan's second
// installment (888.49, due 1 Mar, 10 days' grace) paid in full on 8 Mar.
// payment.Consumer takes the past-due installment before the current
// cycle's interest, so the receipt pays installment 2 (its interest, then
// its principal) and nothing of installment 3 (due 1 Apr): no late fee, not
// past due on 20 Mar. (The first release's order took installment 3's
// interest, 84.15, first: installment 2 was left short, charged 25.00 on 12
// Mar and reported 19 days past due.)
func TestIssue11_PaidWithinGraceIsNotLate(t *testing.T) {
	terms := consumerLoan()
	l := newLog(terms)
	l.pay(d(2024, 2, 1), "888.49")
	seq := l.pay(d(2024, 3, 8), "888.49")
	led, err := loan.ReplayLedger(terms, l.events, d(2024, 3, 20))
	require.NoError(t, err)
	st := led.State
	moneytest.Equal(t, "0.00", st.LateFees)
	require.Equal(t, 0, st.DaysPastDue())
	require.Equal(t, loan.StatusCurrent, st.Status)
	require.Equal(t, 3, st.NextInstallment)
	for _, tx := range led.Transactions {
		if tx.Seq == seq {
			for _, ln := range tx.Lines {
				require.Equal(t, 2, ln.Installment, "%+v", ln)
			}
		}
	}
}

// TestIssue11_LateFeeOnASweepDay: semi-monthly, the late fee of the 1 Mar
// installment falls on 17 Mar (15 days' grace), the day suspense is offered
// again for the 16 Mar one. 200,000.00 at 6% over 720 half-months: payment
// 200,000 × 0.25% / (1 − 1.0025^−720) = 599.55. With 100.00 held in
// suspense from 10 Mar, the three fees due by 20 Apr (17 Mar, 1 Apr, 17
// Apr) are 5% × 599.55 = 29.98 each, 89.94, as without the suspense; the
// loan is 50 days past due. (The first cut ran the sweep and never decided
// that installment's fee, nor any after it.)
func TestIssue11_LateFeeOnASweepDay(t *testing.T) {
	terms := mortgage()
	terms.Frequency, terms.Installments, terms.Payment = schedule.SemiMonthly(1, 16), 720, usd("599.55")
	tb, err := amortize.Compute(terms.Terms)
	require.NoError(t, err)
	moneytest.Equal(t, "599.55", tb.Payment)
	for _, held := range []bool{false, true} {
		l := newLog(terms)
		if held {
			l.pay(d(2024, 3, 10), "100.00")
		}
		st := l.replay(t, d(2024, 4, 20))
		moneytest.Equal(t, "89.94", st.LateFees, "suspense held: %v", held)
		require.Equal(t, 3, st.LateFeesThrough)
		require.Equal(t, 50, st.DaysPastDue())
	}
}

// TestIssue11_BackdatedWorkoutHeldToLimits: the FFIEC limit of one workout
// program in five years (delinquency.CanWorkout) holds over the loan's
// whole history: after a deferment on 1 Jun 2024, another on 2 Jun is
// refused, and so is one backdated to 1 May (the June one would then be
// within five years of it).
func TestIssue11_BackdatedWorkoutHeldToLimits(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "W", mortgage())
	def := loan.Modified{Type: loan.ModDeferment, DeferInstallments: 2}
	_, err := e.Modify(ctx, "W", d(2024, 6, 1), def, key("d1"))
	require.NoError(t, err)
	for _, on := range []date.Date{d(2024, 6, 2), d(2024, 5, 1)} {
		_, err = e.Modify(ctx, "W", on, def, key("d-"+on.String()))
		require.ErrorIs(t, err, delinquency.ErrWorkoutWithin5Years, "%s", on)
		var fe *field.Error
		require.ErrorAs(t, err, &fe)
		require.Equal(t, "Type", fe.Field)
	}
}
