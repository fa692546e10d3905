package servicing_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/revolving"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// creditLine is a 10,000.00 line at 18 % (actual/365, daily balance
// method) opened on 1 Jan 2025 with a 1,000.00 draw; statements on the
// 1st from 1 Feb, due 25 days later; the minimum is 2 % of the balance plus
// interest and fees, at least 25.00; a 35.00 late fee the day after the
// due date, capped by the card safe harbour (30.00 a first time).
func creditLine() loan.Terms {
	z := usd("0.00")
	p := delinquency.StandardPolicy(delinquency.OpenEnd)
	p.ToleranceAmount = z
	p.LateFee = &delinquency.LateFeePolicy{GraceDays: 0, Method: delinquency.FeeFlat, FlatAmount: usd("35.00"), Minimum: z, Maximum: z}
	return loan.Terms{
		Terms: amortize.Terms{Principal: usd("1000.00"), AnnualRate: rate.MustPercent("18"), FundingDate: d(2025, 1, 1),
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, DayCount: accrual.DayCount{Convention: accrual.Act365Fixed},
			InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp},
		Accrual: loan.AccrualDailySimple, EscrowPayment: z, Delinquency: p,
		Line: &loan.LineTerms{CreditLimit: usd("10000.00"), FirstStatement: d(2025, 2, 1), Method: revolving.DailyBalance,
			MinPercentBasisPoints: 200, MinFloor: usd("25.00"), DueDays: 25, LateFeeCap: "card_safe_harbor"},
	}
}

// A line of credit over three billing cycles, worked by hand (18 % on
// actual/365: a dollar-day costs 0.18/365).
//
// Cycle 1, 1 Jan – 1 Feb (31 days): 1,000.00 for 10 days, a 500.00 draw on
// 11 Jan, 1,500.00 for 10 days, a 300.00 payment on 21 Jan, 1,200.00 for 11
// days: 38,200.00 dollar-days, interest 18.84. New balance 1,218.84,
// minimum 2 % × 1,200.00 + 18.84 = 42.84, due 26 Feb.
//
// Cycle 2, 1 Feb – 1 Mar (28 days): a 2,000.00 draw on 10 Feb and the
// minimum paid on 20 Feb: 1,218.84 × 9 + 3,218.84 × 10 + 3,176.00 × 9 =
// 71,741.96 dollar-days, interest 35.38. New balance 3,211.38, minimum 2 %
// × 3,176.00 + 35.38 = 98.90, due 26 Mar.
//
// Cycle 3, 1 Mar – 1 Apr (31 days): the minimum is late. On 27 Mar a late
// fee is charged: 35.00 capped at the safe harbour's 30.00; on 30 Mar the
// line is 4 days past due. 128.90 on 31 Mar pays the minimum and the fee:
// 3,211.38 × 30 + 3,112.48 × 1 = 99,453.88 dollar-days, interest 49.05.
// New balance 3,161.53, minimum 2 % × 3,112.48 + 49.05 = 111.30, due 26
// Apr, and nothing is past due.
func TestLineThreeCycles(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", creditLine())
	step := func(r servicing.Result, err error) {
		t.Helper()
		require.NoError(t, err)
	}
	step(e.Draw(ctx, "L", d(2025, 1, 11), usd("500.00"), key("d1")))
	step(e.PostPayment(ctx, "L", d(2025, 1, 21), usd("300.00"), key("p1")))
	step(e.Draw(ctx, "L", d(2025, 2, 10), usd("2000.00"), key("d2")))
	step(e.PostPayment(ctx, "L", d(2025, 2, 20), usd("42.84"), key("p2")))
	s, err := e.State(ctx, "L", d(2025, 3, 30))
	require.NoError(t, err)
	require.Equal(t, 4, s.DaysPastDue())
	require.Equal(t, "30.00", s.LateFees.String())
	step(e.PostPayment(ctx, "L", d(2025, 3, 31), usd("128.90"), key("p3")))

	h, err := e.History(ctx, "L", d(2025, 4, 1))
	require.NoError(t, err)
	require.Len(t, h.Statements, 3)
	for i, want := range []struct{ prev, pay, draws, fees, interest, balance, min string }{
		{"1000.00", "300.00", "500.00", "0.00", "18.84", "1218.84", "42.84"},
		{"1218.84", "42.84", "2000.00", "0.00", "35.38", "3211.38", "98.90"},
		{"3211.38", "128.90", "0.00", "30.00", "49.05", "3161.53", "111.30"},
	} {
		st := h.Statements[i]
		got := []string{st.PreviousBalance.String(), st.Payments.String(), st.Draws.String(), st.Fees.String(),
			st.InterestCharged.String(), st.NewBalance.String(), st.MinimumPayment.String()}
		require.Equal(t, []string{want.prev, want.pay, want.draws, want.fees, want.interest, want.balance, want.min}, got, "statement %d", i+1)
	}
	require.Equal(t, d(2025, 4, 26), h.Statements[2].DueDate)
	s = h.State
	require.Equal(t, 0, s.DaysPastDue())
	require.Equal(t, "3161.53", s.Principal.String())
	require.True(t, s.LateFees.IsZero())
	require.Equal(t, loan.StatusCurrent, s.Status)
	require.Equal(t, "6838.47", s.Undrawn().String())
	// Balance = opening draw + draws + finance charges − principal paid.
	require.Equal(t, s.Principal.String(), s.Terms.Principal.Add(s.Draws).Add(s.FinanceCharges()).Sub(s.PaidPrincipal).String())
}

// A payoff quote of a line owes the finance charge of the cycle so far;
// paid with a payoff-type receipt it closes the line, paid as an ordinary
// payment it leaves the line open at zero, ready to draw again.
func TestLinePayoff(t *testing.T) {
	ctx := context.Background()
	for _, closeIt := range []bool{true, false} {
		e := newEngine(t, servicingtest.NewMemStore())
		board(t, e, "L", creditLine())
		// 1,000.00 for 10 days: 10,000 × 0.18/365 = 4.93.
		q, err := e.PayoffQuote(ctx, "L", d(2025, 1, 11))
		require.NoError(t, err)
		require.Equal(t, "4.93", q.Interest.String())
		require.Equal(t, "1004.93", q.Total.String())
		opts := servicing.PaymentOptions{}
		if closeIt {
			opts.Type = "payoff"
		}
		_, err = e.PostPaymentWith(ctx, "L", d(2025, 1, 11), q.Total, opts, key("pay"))
		require.NoError(t, err)
		s, err := e.State(ctx, "L", d(2025, 1, 11))
		require.NoError(t, err)
		if closeIt {
			require.Equal(t, loan.StatusPaidOff, s.Status)
			continue
		}
		require.Equal(t, loan.StatusCurrent, s.Status)
		_, err = e.Draw(ctx, "L", d(2025, 1, 20), usd("100.00"), key("again"))
		require.NoError(t, err)
	}
}

// Draws a line does not allow, and commands that make no sense on it, are
// refused naming the field.
func TestLineRefusals(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "L", creditLine())
	_, err := e.Draw(ctx, "L", d(2025, 1, 11), usd("9000.01"), key("over"))
	require.ErrorIs(t, err, loan.ErrOverLimit)
	require.Equal(t, []string{"Amount"}, field.Fields(err))
	_, err = e.ChangeRate(ctx, "L", d(2025, 1, 11), rate.MustPercent("9"), key("rate"))
	require.ErrorIs(t, err, field.ErrNotSupported)
	require.Equal(t, []string{"Terms.Line"}, field.Fields(err))
	bad := creditLine()
	bad.Line.CreditLimit, bad.Line.DueDays, bad.Line.RepaymentInstallments = usd("500.00"), 0, 12
	_, err = bad.Normalized()
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
	require.Subset(t, field.Fields(err), []string{"Terms.Principal", "Terms.Line.DueDays", "Terms.Line.RepaymentInstallments"})
}

// A HELOC: interest-only minimums in a draw period to 31 Mar 2025, then the
// balance repaid over 12 level monthly installments. 12,000.00 at 6 %
// (actual/365) opened 1 Jan 2025; each minimum is paid on its statement
// date. The draw period charges 12,000 × 0.06 × 31/365 = 61.15, × 28/365 =
// 55.23 (the minimums of 1 Feb and 1 Mar are that interest: no share of
// the balance, no floor) and × 31/365 = 61.15 in March. The 1 Apr
// statement, the first after the draw period, converts 12,061.15 to 12
// payments of 12,061.15 × 0.005 / (1 −
// 1.005^−12) = 1,038.06; the cycles charge what the daily balances earn
// (54.36 in April, 51.16 in May, … 4.47 in February 2026), so the twelfth,
// on 1 Mar 2026, is the 975.31 left. Paid, the balance is 0.00 and no draw
// is allowed any more.
func TestHELOCRepaymentPeriod(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := creditLine()
	tm.Principal, tm.AnnualRate = usd("12000.00"), rate.MustPercent("6")
	tm.Line.CreditLimit, tm.Line.MinPercentBasisPoints, tm.Line.MinFloor = usd("50000.00"), 0, usd("0.00")
	tm.Line.DrawUntil, tm.Line.RepaymentInstallments = d(2025, 3, 31), 12
	board(t, e, "H", tm)
	want := []string{"61.15", "55.23"}
	for range 12 {
		want = append(want, "1038.06")
	}
	want[len(want)-1] = "975.31"
	on := d(2025, 2, 1)
	for i, amt := range want {
		s, err := e.State(ctx, "H", on)
		require.NoError(t, err)
		require.Len(t, s.Statements, i+1)
		require.Equal(t, amt, s.Statements[i].Minimum.String(), "statement %d on %s", i+1, on)
		_, err = e.PostPayment(ctx, "H", on, usd(amt), key("p"+on.String()))
		require.NoError(t, err)
		on = on.AddDate(0, 1, 0)
	}
	s, err := e.State(ctx, "H", d(2026, 3, 1))
	require.NoError(t, err)
	require.Equal(t, "1038.06", s.Payment.String())
	require.True(t, s.Principal.IsZero() && s.CreditBalance.IsZero())
	require.Equal(t, 0, s.DaysPastDue())
	_, err = e.Draw(ctx, "H", d(2026, 3, 2), usd("100.00"), key("late draw"))
	require.ErrorIs(t, err, loan.ErrDrawPeriodOver)
}

// lineLog is a random history of a line: a limit of 2–20 times the
// opening draw, either finance charge method, sometimes a draw period and
// repayment term; draws, payments (some beyond the balance, making a credit
// balance), fees and waivers on random dates over 3–14 months, recorded in
// a shuffled order (so most are backdated).
func lineLog(seed uint64) (*log, date.Date) {
	r := rand.New(rand.NewPCG(seed, 0x11e))
	t := creditLine()
	t.Principal = mustMinor(r.Int64N(2_000_000))
	t.AnnualRate, _ = rate.BasisPoints(r.Int64N(3000))
	t.Line.CreditLimit = mustMinor(max(t.Principal.Minor(), 100_000) * (2 + r.Int64N(18)))
	t.Line.Method = []revolving.Method{revolving.DailyBalance, revolving.AverageDailyBalance}[r.IntN(2)]
	t.Line.MinPercentBasisPoints = r.Int64N(500)
	months := 3 + r.IntN(12)
	if r.IntN(3) == 0 {
		t.Line.DrawUntil, t.Line.RepaymentInstallments = t.FundingDate+date.Date(30+r.IntN(120)), 1+r.IntN(24)
	}
	nt, err := t.Normalized()
	if err != nil {
		return nil, 0
	}
	end := nt.FundingDate + date.Date(30*months)
	var on []date.Date
	var pl []loan.Payload
	for day := nt.FundingDate + 1; day < end; day += date.Date(1 + r.IntN(12)) {
		switch k := r.IntN(6); {
		case k < 2 && (nt.Line.DrawUntil == 0 || day <= nt.Line.DrawUntil):
			on, pl = append(on, day), append(pl, loan.Drawn{Amount: mustMinor(1 + r.Int64N(nt.Line.CreditLimit.Minor()/10))})
		case k < 5:
			on, pl = append(on, day), append(pl, loan.PaymentReceived{Amount: mustMinor(1 + r.Int64N(nt.Line.CreditLimit.Minor()/8))})
		default:
			on, pl = append(on, day), append(pl, loan.FeeAssessed{Type: loan.FeeOther, Amount: mustMinor(1 + r.Int64N(5000))})
		}
	}
	return shuffledLog(r, nt, on, pl), end
}

// TestLineHistoriesFoldConsistently: random line histories (lineLog) fold
// to the same state in any record order and from any checkpoint (through
// its encoding), and the balance is always the opening draw plus the draws
// and the finance charges less the principal paid.
func TestLineHistoriesFoldConsistently(t *testing.T) { requireFolds(t, 150, 130, checkLineHistory) }

// FuzzLineHistories is TestLineHistoriesFoldConsistently's property on
// fuzzed seeds.
func FuzzLineHistories(f *testing.F) { fuzzSeeds(f, checkLineHistory, 0, 5, 9) }

func checkLineHistory(t *testing.T, seed uint64) bool {
	l, asOf := lineLog(seed)
	if l == nil {
		return false
	}
	s, ok := checkHistory(t, seed, l, asOf)
	if !ok {
		return false
	}
	require.Equal(t, s.Principal.String(), l.terms.Principal.Add(s.Draws).Add(s.FinanceCharges()).Sub(s.PaidPrincipal).String(),
		"seed %d: balance = opening + draws + finance charges − principal paid", seed)
	require.False(t, s.CreditBalance.IsPositive() && s.Principal.IsPositive(), "seed %d", seed)
	return true
}

// The periodic statement of a line's cycle (Engine.Statement from the
// cycle's start to its statement date) carries the line's Reg Z §1026.7
// figures; a draw recorded late (the 10 Feb draw after the 20 Feb payment)
// gives the same statements as the commands in date order.
func TestLineStatementAndBackdatedDraw(t *testing.T) {
	ctx := context.Background()
	type cmd struct {
		draw bool
		on   date.Date
		amt  string
	}
	first := []cmd{{true, d(2025, 1, 11), "500.00"}, {false, d(2025, 1, 21), "300.00"}}
	draw, pay := cmd{true, d(2025, 2, 10), "2000.00"}, cmd{false, d(2025, 2, 20), "42.84"}
	run := func(cmds []cmd) *servicing.Engine {
		e := newEngine(t, servicingtest.NewMemStore())
		board(t, e, "L", creditLine())
		for _, c := range cmds {
			var err error
			if c.draw {
				_, err = e.Draw(ctx, "L", c.on, usd(c.amt), key("d"+c.on.String()))
			} else {
				_, err = e.PostPayment(ctx, "L", c.on, usd(c.amt), key("p"+c.on.String()))
			}
			require.NoError(t, err)
		}
		return e
	}
	a, b := run(append(slices.Clone(first), draw, pay)), run(append(slices.Clone(first), pay, draw))
	sa, err := a.Statement(ctx, "L", d(2025, 2, 1), d(2025, 3, 1))
	require.NoError(t, err)
	sb, err := b.Statement(ctx, "L", d(2025, 2, 1), d(2025, 3, 1))
	require.NoError(t, err)
	require.NotNil(t, sa.Line)
	require.Equal(t, *sa.Line, *sb.Line)
	require.Equal(t, "35.38", sa.Line.InterestCharged.String())
	require.Equal(t, "98.90", sa.AmountDue.String())
	require.Equal(t, d(2025, 3, 26), sa.DueDate)
}
