package servicing_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// shapeTerms are monthly 30/360 scheduled-interest terms funded 1 Jan 2024,
// first due 1 Feb 2024 (one regular period), interest and payments rounded
// half away from zero, no payment given (solved at boarding), with shape sh.
func shapeTerms(principal, annual string, n int, sh amortize.Shape) loan.Terms {
	t := mortgage()
	t.Principal, t.AnnualRate, t.Installments, t.Shape = usd(principal), rate.MustPercent(annual), n, sh
	t.FundingDate, t.FirstDueDate, t.OddFirstPeriod, t.Payment = d(2024, 1, 1), d(2024, 2, 1), "", money.Amount{}
	return t
}

// nthDue is the due date of installment k+1 of terms (the schedule grid).
func nthDue(t loan.Terms, k int) date.Date {
	return schedule.Plan{FirstDue: t.FirstDueDate, Frequency: t.Frequency, EOM: t.EOM}.DueDate(k)
}

// payAll boards terms as id and pays amounts[k] on installment k+1's due
// date, checking each receipt is accepted; it returns the state on the last
// due date.
func payAll(t *testing.T, terms loan.Terms, amounts []string) loan.State {
	t.Helper()
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "S", terms)
	var last date.Date
	for k, a := range amounts {
		last = nthDue(terms, k)
		_, err := e.PostPayment(ctx, "S", last, usd(a), key(fmt.Sprintf("p%d", k+1)))
		require.NoError(t, err, "installment %d", k+1)
	}
	s, err := e.State(ctx, "S", last)
	require.NoError(t, err)
	return s
}

// Equal principal: 12,000.00 at 12 % over 12 months repays 12,000 / 12 =
// 1,000.00 of principal each month with the month's interest on the
// balance before it, 1 % a month: installment k pays 1,000.00 + 1 % ×
// (12,000 − 1,000·(k−1)) = 1,120.00, 1,110.00, …, 1,010.00 (total interest
// 120 + 110 + … + 10 = 780.00). Paid on each due date, the loan is paid off
// on 1 Jan 2025.
func TestShapeEqualPrincipal(t *testing.T) {
	var amounts []string
	for k := range 12 {
		amounts = append(amounts, fmt.Sprintf("%d.00", 1120-10*k))
	}
	s := payAll(t, shapeTerms("12000.00", "12", 12, amortize.ShapeEqualPrincipal), amounts)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, d(2025, 1, 1), s.ClosedOn)
	require.Equal(t, "780.00", s.PaidInterest.String())
	require.True(t, s.CreditBalance.IsZero() && s.Principal.IsZero())
}

// A rate change on an equal-principal loan keeps the principal part (as
// amortize keeps it on a rate path): 12,000.00 at 12 % paid 1,120.00 …
// 1,070.00 for six months leaves 6,000.00; the rate drops to 6 % from 1 Jul
// 2024, so installment 7 (its period 1 Jul – 1 Aug) pays 1,000.00 + 6,000
// × 0.5 % = 1,030.00, then 1,025.00, …, 1,005.00, and the loan is paid off.
// Interest paid: 120 + … + 70 = 570.00 at 12 %, 30 + … + 5 = 105.00 at 6 %.
func TestShapeEqualPrincipalRateChange(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := shapeTerms("12000.00", "12", 12, amortize.ShapeEqualPrincipal)
	board(t, e, "S", tm)
	for k := range 12 {
		due := nthDue(tm, k)
		if k == 6 {
			_, err := e.ChangeRate(ctx, "S", d(2024, 7, 1), rate.MustPercent("6"), key("rate"))
			require.NoError(t, err)
		}
		amt := fmt.Sprintf("%d.00", 1120-10*k)
		if k >= 6 {
			amt = fmt.Sprintf("%d.00", 1030-5*(k-6))
		}
		_, err := e.PostPayment(ctx, "S", due, usd(amt), key(fmt.Sprintf("p%d", k+1)))
		require.NoError(t, err)
	}
	s, err := e.State(ctx, "S", d(2025, 1, 1))
	require.NoError(t, err)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, "675.00", s.PaidInterest.String())
	require.True(t, s.CreditBalance.IsZero())
}

// An interest-only bridge loan: 500,000.00 at 9 % for 12 months, the first
// 11 interest only: each pays 500,000 × 0.09 / 12 = 3,750.00; the 12th is
// the level payment over the one installment left, the whole balance with
// its month's interest, 503,750.00.
func TestShapeInterestOnly(t *testing.T) {
	tm := shapeTerms("500000.00", "9", 12, amortize.ShapeLevel)
	tm.InterestOnly = 11
	amounts := make([]string, 12)
	for k := range 11 {
		amounts[k] = "3750.00"
	}
	amounts[11] = "503750.00"
	s := payAll(t, tm, amounts)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, "45000.00", s.PaidInterest.String()) // 12 × 3,750.00
}

// A balloon: 100,000.00 at 6 % amortized over 360 months, due at the 60th.
// The level payment is 100,000 × 0.005 / (1 − 1.005^−360) = 599.55; after
// 59 payments (each month's interest rounded to the cent on the balance)
// the balance is 93,187.98, so the 60th installment is that balance plus
// its month's interest 93,187.98 × 0.005 = 465.94: 93,653.92. (Figures
// worked independently with exact fractions, period by period.)
func TestShapeBalloon(t *testing.T) {
	tm := shapeTerms("100000.00", "6", 360, amortize.ShapeLevel)
	tm.BalloonAt = 60
	amounts := make([]string, 60)
	for k := range 59 {
		amounts[k] = "599.55"
	}
	amounts[59] = "93653.92"
	s := payAll(t, tm, amounts)
	require.Equal(t, "599.55", s.Terms.Payment.String(), "solved at boarding")
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, d(2029, 1, 1), s.ClosedOn)
	require.True(t, s.CreditBalance.IsZero())
}

// A graduated-payment loan (the FHA section 245 shape): 100,000.00 at 9 %
// over 360 months, the payment rising 7.5 % a year for five years. The
// first payment P0 solves 100,000 = Σ_j P0 · 1.075^min(⌊(j−1)/12⌋, 5) ·
// 1.0075^−j over j = 1..360: P0 = 607.88, then 653.47, 702.48, 755.17,
// 811.81 and 872.69 from year six. The first year's payments are below the
// interest (100,000 × 0.0075 = 750.00): the 142.12 of installment 1 not
// covered is added to the balance, and after twelve payments of 607.88 the
// balance is 101,777.58 (worked with exact fractions, each month's
// interest rounded to the cent).
func TestShapeGraduated(t *testing.T) {
	tm := shapeTerms("100000.00", "9", 360, amortize.ShapeGraduated)
	tm.Graduation = amortize.Graduation{StepRate: rate.MustPercent("7.5"), EveryInstallments: 12, Steps: 5}
	amounts := make([]string, 13)
	for k := range 12 {
		amounts[k] = "607.88"
	}
	amounts[12] = "653.47"
	s := payAll(t, tm, amounts[:12])
	require.Equal(t, "101777.58", s.Principal.String())
	require.Equal(t, loan.StatusCurrent, s.Status)
	// Year two bills the second step.
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	board(t, e, "S", tm)
	for k, a := range amounts {
		due := nthDue(tm, k)
		_, err := e.PostPayment(ctx, "S", due, usd(a), key(fmt.Sprintf("p%d", k+1)))
		require.NoError(t, err)
	}
	st, err := e.State(ctx, "S", d(2025, 2, 1))
	require.NoError(t, err)
	require.True(t, st.Suspense.IsZero() && st.CreditBalance.IsZero(), "653.47 is exactly installment 13")
	require.Equal(t, 14, st.NextInstallment)
}

// Custom payments: 10,000.00 at 12 % with payments 4,000.00, 3,000.00 and
// the rest. Installment 1: interest 100.00, principal 3,900.00, balance
// 6,100.00; installment 2: interest 61.00, principal 2,939.00, balance
// 3,161.00; installment 3 pays the balance and its interest 31.61:
// 3,192.61.
func TestShapeCustom(t *testing.T) {
	tm := shapeTerms("10000.00", "12", 3, amortize.ShapeCustom)
	tm.CustomPayments = []money.Amount{usd("4000.00"), usd("3000.00"), usd("3000.00")}
	s := payAll(t, tm, []string{"4000.00", "3000.00", "3192.61"})
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, "192.61", s.PaidInterest.String())
}

// Custom payments have no re-amortization (amortize.Modify refuses them):
// a recast modification is refused with a typed error and nothing written.
func TestShapeCustomRefusesRecast(t *testing.T) {
	ctx := context.Background()
	store := servicingtest.NewMemStore()
	e := newEngine(t, store)
	tm := shapeTerms("10000.00", "12", 3, amortize.ShapeCustom)
	tm.CustomPayments = []money.Amount{usd("4000.00"), usd("3000.00"), usd("3000.00")}
	board(t, e, "S", tm)
	_, err := e.Modify(ctx, "S", d(2024, 1, 15), loan.Modified{Type: loan.ModRecast}, key("m"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.ErrorContains(t, err, "custom payments are not re-amortized")
	// Nor is a payment that asks for a recast of its extra money (the
	// fold would have nothing to re-solve).
	_, err = e.PostPaymentWith(ctx, "S", d(2024, 2, 1), usd("5000.00"), servicing.PaymentOptions{Extra: payment.ExtraRecast}, key("p"))
	require.ErrorIs(t, err, servicing.ErrInvalidCommand)
	require.Contains(t, field.Fields(err), "Extra")
	// A custom loan cannot take recast as its own extra-money rule.
	rules := payment.GSEMortgage()
	rules.Extra = payment.ExtraRecast
	tm.Allocation = &rules
	require.Contains(t, field.Fields(tm.Validate()), "Terms.Allocation.Extra")
	evs, err := store.Events(ctx, "S", 1)
	require.NoError(t, err)
	require.Len(t, evs, 1, "only the boarding")
}

// The SCRA cap (50 U.S.C. §3937) on an equal-principal loan: 12,000.00 at
// 12 % capped at 6 % from funding through 1 Apr 2024. Installments 1–3
// (periods from 1 Jan to 1 Apr) are billed interest at 6 %, the rest
// forgiven, and the payment drops by what is forgiven: 1,000.00 + 60.00,
// 1,000.00 + 55.00, 1,000.00 + 50.00; installment 4 is billed at the note
// rate again: 1,000.00 + 90.00 (9,000.00 × 1 %). Forgiven: 60 + 55 + 50 =
// 165.00.
func TestShapeEqualPrincipalRateCap(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := shapeTerms("12000.00", "12", 12, amortize.ShapeEqualPrincipal)
	board(t, e, "S", tm)
	_, err := e.CapRate(ctx, "S", d(2024, 1, 1), loan.RateCapped{Max: rate.MustPercent("6"), To: d(2024, 4, 1)}, key("scra"))
	require.NoError(t, err)
	for k, amt := range []string{"1060.00", "1055.00", "1050.00", "1090.00"} {
		due := nthDue(tm, k)
		_, err := e.PostPayment(ctx, "S", due, usd(amt), key(fmt.Sprintf("p%d", k+1)))
		require.NoError(t, err)
	}
	s, err := e.State(ctx, "S", d(2024, 5, 1))
	require.NoError(t, err)
	require.Equal(t, "8000.00", s.Principal.String())
	require.Equal(t, "165.00", s.InterestForgiven.String())
	require.Equal(t, 5, s.NextInstallment)
	require.True(t, s.Suspense.IsZero() && s.CreditBalance.IsZero())
}

// shapeLog is a random history of a loan of a random shape (diffTerms,
// diffShape): receipts around each due date of varying size, each with a
// random extra-money method (pay ahead, curtail, reduce term, recast, the
// loan's own), rate changes, re-amortizations and at most one payment
// pause (any interest treatment, or due dates kept), numbered in a shuffled
// order (so most are backdated).
func shapeLog(seed uint64) (*log, date.Date) {
	r := rand.New(rand.NewPCG(seed, 0x5ba9e))
	raw := diffTerms(r)
	if raw.Accrual != loan.AccrualPrecomputed {
		diffShape(r, &raw)
	}
	if er := rand.New(rand.NewPCG(seed, 0xe5c)); er.IntN(3) == 0 {
		// Escrow items the engine pays on their day (its own stream: the
		// other draws stay as they were).
		raw.EscrowItems = []loan.EscrowItem{
			{Name: "taxes", Kind: loan.EscrowTax, Amount: mustMinor(1 + er.Int64N(300_000)), Months: []time.Month{time.Month(1 + er.IntN(12))}, DueDay: 1 + er.IntN(31)},
			{Name: "hazard", Kind: loan.EscrowHazard, Amount: mustMinor(1 + er.Int64N(100_000)), Months: []time.Month{1, 7}, DueDay: 1 + er.IntN(28)},
		}
		if er.IntN(2) == 0 {
			raw.EscrowMethod = escrow.SingleItem
		}
	}
	nt, err := raw.Normalized()
	if err != nil {
		return nil, 0
	}
	tb, err := amortize.Compute(nt.Terms)
	if err != nil {
		return nil, 0
	}
	extras := []payment.Extra{"", payment.ExtraPayAhead, payment.ExtraCurtail, payment.ExtraReduceTerm, payment.ExtraRecast}
	var on []date.Date
	var pl []loan.Payload
	n := min(len(tb.Rows), 4+r.IntN(20))
	paused := nt.Accrual == loan.AccrualPrecomputed
	for _, row := range tb.Rows[:n] {
		amt := row.Payment.Add(nt.EscrowPayment)
		switch r.IntN(5) {
		case 0:
			amt = amt.Add(mustMinor(1 + r.Int64N(amt.Minor()*2+1)))
		case 1:
			amt = mustMinor(1 + r.Int64N(amt.Minor()+1))
		}
		on = append(on, row.DueDate+date.Date(r.IntN(30)-12))
		pl = append(pl, loan.PaymentReceived{Amount: amt, Extra: extras[r.IntN(len(extras))]})
		if nt.Accrual != loan.AccrualPrecomputed && r.IntN(8) == 0 {
			nr, _ := rate.BasisPoints(1 + r.Int64N(2000))
			on, pl = append(on, row.DueDate-date.Date(r.IntN(20))), append(pl, loan.RateChanged{Rate: nr})
		}
		if !paused && r.IntN(6) == 0 {
			paused = true
			p := loan.Paused{To: row.DueDate + date.Date(20+r.IntN(150))}
			switch r.IntN(4) {
			case 0:
				p.KeepDueDates = true
			default:
				p.Interest = []loan.PauseInterest{loan.PauseCapitalize, loan.PauseDefer, loan.PauseWaive}[r.IntN(3)]
			}
			on, pl = append(on, row.DueDate-date.Date(r.IntN(10))), append(pl, p)
		}
		if nt.Accrual != loan.AccrualPrecomputed && nt.Shape != amortize.ShapeCustom && r.IntN(12) == 0 {
			on, pl = append(on, row.DueDate), append(pl, loan.Modified{Type: loan.ModTermExtension, ExtendInstallments: r.IntN(13)})
		}
	}
	for k := range on {
		on[k] = max(on[k], nt.FundingDate)
	}
	return shuffledLog(r, nt, on, pl), tb.Rows[n-1].DueDate + 40
}

// TestShapeHistoriesFoldConsistently: for random histories of every shape
// with every extra-money method (shapeLog), the fold never fails for
// another reason than a typed one, gives the same state whatever order the
// events were recorded in, and a checkpoint taken part way and folded on
// gives the state of the whole log byte for byte.
func TestShapeHistoriesFoldConsistently(t *testing.T) { requireFolds(t, 200, 130, checkShapeHistory) }

// FuzzShapeHistories is TestShapeHistoriesFoldConsistently's property on
// fuzzed seeds.
func FuzzShapeHistories(f *testing.F) { fuzzSeeds(f, checkShapeHistory, 0, 1, 7, 42) }

// requireFolds runs check (a random history's property: false when its
// terms were refused) on seeds 0 to n−1 and requires at least atLeast of
// them to have been folded and checked.
func requireFolds(t *testing.T, n uint64, atLeast int, check func(*testing.T, uint64) bool) {
	t.Helper()
	folded := 0
	for seed := range n {
		if check(t, seed) {
			folded++
		}
	}
	require.Greater(t, folded, atLeast)
}

// fuzzSeeds fuzzes check from the given seeds.
func fuzzSeeds(f *testing.F, check func(*testing.T, uint64) bool, seeds ...uint64) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) { check(t, seed) })
}

// checkShapeHistory checks one shapeLog; false when its terms were refused.
func checkShapeHistory(t *testing.T, seed uint64) bool {
	t.Helper()
	l, asOf := shapeLog(seed)
	if l == nil {
		return false
	}
	if s, ok := checkHistory(t, seed, l, asOf); ok && len(s.ItemBalances) > 0 {
		require.Equal(t, s.Escrow.Sub(s.EscrowAdvance).String(), money.Sum(s.ItemBalances...).String(),
			"seed %d: item balances sum to the account", seed)
	}
	return true
}

// checkHistory checks that log l folds through asOf without an untyped
// error, to the same state in any record order, and from a checkpoint
// taken part way (through its encoding) to the same state byte for byte;
// it returns the state and whether the fold succeeded.
func checkHistory(t *testing.T, seed uint64, l *log, asOf date.Date) (loan.State, bool) {
	t.Helper()
	a, errA := loan.Replay(l.terms, l.events, asOf)
	rev := slices.Clone(l.events)
	slices.Reverse(rev)
	b, errB := loan.Replay(l.terms, rev, asOf)
	require.Equal(t, errA == nil, errB == nil, "seed %d: %v / %v", seed, errA, errB)
	if errA != nil {
		require.True(t, errors.Is(errA, loan.ErrInvalidEvent) || errors.Is(errA, loan.ErrLimit), "seed %d: %v", seed, errA)
		return loan.State{}, false
	}
	require.Equal(t, a.Hash(), b.Hash(), "seed %d: record order changed the state", seed)
	for v := 1; v < len(l.events); v += 1 + len(l.events)/4 {
		cp, err := checkpoint(l.terms, l.events[:v])
		if err != nil || stale(cp, l.events[v:]) {
			continue
		}
		// Through its encoding, as the engine stores it.
		enc, err := cp.MarshalBinary()
		require.NoError(t, err)
		var back loan.State
		require.NoError(t, back.UnmarshalBinary(enc), "seed %d", seed)
		again, _ := back.MarshalBinary()
		require.Equal(t, enc, again, "seed %d: checkpoint after %d events reads back as another state", seed, v)
		got, err := loan.ReplayFrom(back, l.events[v:], asOf)
		require.NoError(t, err, "seed %d from %d", seed, v)
		require.Equal(t, a.Hash(), got.Hash(), "seed %d: from the checkpoint after %d events", seed, v)
	}
	return a, true
}

// A down payment due at funding: 10,000.00 with 2,500.00 down at 12 % over
// 12 months. Installment 1 is the down payment, due on the funding date (1
// Jan 2024), principal only; installments 2–13 are amortize's rows on the
// 7,500.00 left: 7,500 × 0.01 / (1 − 1.01^−12) = 666.366… → 666.37, the
// last 666.32. Unpaid on 20 Jan it is 19 days past due, and a payoff that
// day owes interest on the rows' balance only: 7,500 × 12 % × 19/360 =
// 47.50 (10,047.50). Paid on 20 Jan, the rows paid on their due dates pay
// the loan off on 1 Jan 2025.
func TestShapeDownPayment(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := shapeTerms("10000.00", "12", 12, amortize.ShapeLevel)
	tm.DownPayment = usd("2500.00")
	board(t, e, "S", tm)
	s, err := e.State(ctx, "S", d(2024, 1, 20))
	require.NoError(t, err)
	require.Equal(t, "666.37", s.Payment.String())
	require.Equal(t, 13, s.Installments)
	require.Equal(t, 19, s.DaysPastDue())
	next, _ := s.NextDueDate()
	require.Equal(t, d(2024, 1, 1), next)
	q, err := e.PayoffQuote(ctx, "S", d(2024, 1, 20))
	require.NoError(t, err)
	require.Equal(t, "47.50", q.Interest.String())
	require.Equal(t, "10047.50", q.Total.String())

	_, err = e.PostPayment(ctx, "S", d(2024, 1, 20), usd("2500.00"), key("down"))
	require.NoError(t, err)
	s, err = e.State(ctx, "S", d(2024, 1, 20))
	require.NoError(t, err)
	require.Equal(t, "7500.00", s.Principal.String())
	require.Equal(t, 0, s.DaysPastDue())
	next, _ = s.NextDueDate()
	require.Equal(t, d(2024, 2, 1), next)
	for k := range 12 {
		amt := "666.37"
		if k == 11 {
			amt = "666.32"
		}
		_, err := e.PostPayment(ctx, "S", nthDue(tm, k), usd(amt), key(fmt.Sprintf("p%d", k)))
		require.NoError(t, err)
	}
	s, err = e.State(ctx, "S", d(2025, 1, 1))
	require.NoError(t, err)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, d(2025, 1, 1), s.ClosedOn)
	require.True(t, s.CreditBalance.IsZero())
	require.Equal(t, "10000.00", s.PaidPrincipal.String())
}

// Zero rate: 1,200.00 at 0 % over 12 months is 1,200 / 12 = 100.00 a
// month, level or equal principal alike, and no interest is ever billed.
func TestShapeZeroRate(t *testing.T) {
	for _, sh := range []amortize.Shape{amortize.ShapeLevel, amortize.ShapeEqualPrincipal} {
		amounts := slices.Repeat([]string{"100.00"}, 12)
		s := payAll(t, shapeTerms("1200.00", "0", 12, sh), amounts)
		require.Equal(t, loan.StatusPaidOff, s.Status, sh)
		require.Equal(t, d(2025, 1, 1), s.ClosedOn, sh)
		require.True(t, s.PaidInterest.IsZero() && s.CreditBalance.IsZero(), sh)
	}
}

// The mortgage insurance dates of a boarded loan come from its initial
// schedule: the README's reference mortgage (200,000.00 at 6.5 %, 360
// months from 1 Feb 2024, half-up rounding) on a 230,000.00 value reaches
// 80 % with installment 73 (1 Feb 2030) and 78 % with installment 89 (1 Jun
// 2031), as amortize.ExampleHPADates works by hand; a curtailment since
// does not move them.
func TestMITerminationDates(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, servicingtest.NewMemStore())
	tm := shapeTerms("200000.00", "6.5", 360, amortize.ShapeLevel)
	tm.InterestRounding, tm.PaymentRounding = money.HalfUp, money.HalfUp
	tm.OriginalValue = usd("230000.00")
	board(t, e, "M", tm)
	_, err := e.PostPayment(ctx, "M", d(2024, 2, 1), usd("50000.00"), key("big"))
	require.NoError(t, err)
	s, err := e.State(ctx, "M", d(2024, 2, 1))
	require.NoError(t, err)
	m, err := s.MITermination()
	require.NoError(t, err)
	require.Equal(t, [2]date.Date{d(2030, 2, 1), d(2031, 6, 1)}, [2]date.Date{m.Request, m.Automatic})
	require.Equal(t, [2]int{73, 89}, [2]int{m.RequestRow, m.AutomaticRow})
}
