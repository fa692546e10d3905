package investor

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// randomPool is a pool of random settings: fees of 0–100 bp each, any
// rounding mode.
func randomPool(r *rand.Rand, m Method) Pool {
	modes := []money.RoundingMode{money.HalfEven, money.HalfUp, money.TowardZero, money.AwayFromZero, money.Floor, money.Ceiling}
	sf, _ := rate.BasisPoints(r.Int64N(101))
	gf, _ := rate.BasisPoints(r.Int64N(101))
	return Pool{Method: m, ServicingFeeRate: sf, GuarantyFeeRate: gf, FeeRounding: modes[r.IntN(len(modes))]}
}

type genLoan struct {
	id      string
	note    rate.Rate
	balance money.Amount // scheduled balance at the start of the next month
	done    bool
}

// nextMonth makes a valid month for the loans from what the previous month
// left unpaid (carry, the same under every method): random installments
// (interest now and then below the fee strips), collections of nothing,
// the month only, everything owed or a random part, curtailments and
// payoffs.
func nextMonth(r *rand.Rand, from date.Date, loans []*genLoan, carry Carry) []LoanMonth {
	unpaid := map[string]LoanCarry{}
	for _, c := range carry.Loans {
		unpaid[c.LoanID] = c
	}
	cents := func(max int64) money.Amount { return money.MustNew(r.Int64N(max+1), money.USD) }
	var out []LoanMonth
	for _, g := range loans {
		if g.done {
			continue
		}
		b := g.balance
		lm := LoanMonth{LoanID: g.id, NoteRate: g.note, ScheduledBalance: b}
		lm.ScheduledPrincipal = money.Min(b, cents(b.Minor()/100+500))
		if r.IntN(10) == 0 {
			lm.ScheduledPrincipal = b // the last installment
		}
		monthly, _ := b.MulDiv(g.note.Units(), rate.Unit*12, money.HalfUp)
		lm.ScheduledInterest = cents(monthly.Minor() * 2)
		c := unpaid[g.id]
		owedP := c.UnpaidPrincipal.Add(lm.ScheduledPrincipal)
		owedI := money.Sum(money.Zero(money.USD), c.UnpaidNetInterest, c.UnpaidServicingFee, c.UnpaidGuarantyFee, lm.ScheduledInterest)
		switch r.IntN(5) {
		case 0: // nothing
			lm.CollectedPrincipal, lm.CollectedInterest = money.Zero(money.USD), money.Zero(money.USD)
		case 1: // the month's installment only
			lm.CollectedPrincipal = money.Min(owedP, lm.ScheduledPrincipal)
			lm.CollectedInterest = money.Min(owedI, lm.ScheduledInterest)
		case 2, 3: // everything owed
			lm.CollectedPrincipal, lm.CollectedInterest = owedP, owedI
		case 4: // a part
			lm.CollectedPrincipal, lm.CollectedInterest = cents(owedP.Minor()), cents(owedI.Minor())
		}
		left := b.Sub(lm.ScheduledPrincipal)
		if r.IntN(4) == 0 {
			lm.Curtailment = cents(left.Minor() / 3)
		}
		if r.IntN(6) == 0 || left.IsZero() {
			lm.PaidOff, lm.PayoffOn = true, from.AddDate(0, 0, r.IntN(28))
			lm.CollectedPrincipal, lm.CollectedInterest = owedP, owedI
			lm.PayoffPrincipal = left.Sub(lm.Curtailment)
			lm.PayoffInterest = cents(monthly.Minor())
			g.done = true
		}
		g.balance = left.Sub(lm.Curtailment).Sub(lm.PayoffPrincipal)
		out = append(out, lm)
	}
	return out
}

// checkPool runs a random pool for up to eight months under each method
// and checks the properties every remittance must have.
func checkPool(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, seed>>7|1))
	methods := []Method{ScheduledScheduled, ScheduledActual, ActualActual}
	pools := map[Method]Pool{}
	base := randomPool(r, ScheduledScheduled)
	for _, m := range methods {
		p := base
		p.Method = m
		pools[m] = p
	}
	var loans []*genLoan
	for i := range 1 + r.IntN(6) {
		fees, _ := base.ServicingFeeRate.Add(base.GuarantyFeeRate)
		extra, _ := rate.BasisPoints(r.Int64N(1000))
		note, _ := fees.Add(extra)
		loans = append(loans, &genLoan{id: string(rune('A' + i)), note: note, balance: money.MustNew(1+r.Int64N(100_000_000), money.USD)})
	}
	carry := map[Method]Carry{}
	type cum struct{ remitted, gty, retained money.Amount }
	sums := map[Method]*cum{}
	for _, m := range methods {
		z := money.Zero(money.USD)
		sums[m] = &cum{z, z, z}
	}
	from := date.New(2024, 1, 1)
	for range 1 + r.IntN(8) {
		to := from.AddDate(0, 1, 0)
		month := nextMonth(r, from, loans, carry[ScheduledScheduled])
		if len(month) == 0 {
			break
		}
		for _, m := range methods {
			prior := carry[m]
			rem, err := Remit(pools[m], Month{From: from, To: to, Loans: month, Prior: prior})
			require.NoError(t, err, "seed %d method %s", seed, m)
			checkRemittance(t, m, month, prior, rem)
			carry[m] = roundTrip(t, rem.Carry)
			s := sums[m]
			s.remitted, s.gty, s.retained = s.remitted.Add(rem.Totals.Remitted), s.gty.Add(rem.Totals.GuarantyFee), s.retained.Add(rem.Totals.Retained)
		}
		from = to
	}
	// Differential: the same borrowers' cash under each method. The
	// servicer keeps the same fees; S/S pays the investor more than A/A by
	// exactly what is still unpaid of principal and net interest, and the
	// guarantor by the unpaid guaranty fee.
	z := money.Zero(money.USD)
	unpaidP, unpaidN, unpaidG := z, z, z
	for _, c := range carry[ActualActual].Loans {
		unpaidP, unpaidN, unpaidG = unpaidP.Add(c.UnpaidPrincipal), unpaidN.Add(c.UnpaidNetInterest), unpaidG.Add(c.UnpaidGuarantyFee)
	}
	ss, sa, aa := sums[ScheduledScheduled], sums[ScheduledActual], sums[ActualActual]
	require.True(t, ss.retained.Equal(aa.retained) && sa.retained.Equal(aa.retained), "seed %d: retained differs", seed)
	require.Equal(t, aa.remitted.Add(unpaidP).Add(unpaidN).String(), ss.remitted.String(), "seed %d", seed)
	require.Equal(t, aa.remitted.Add(unpaidN).String(), sa.remitted.String(), "seed %d", seed)
	require.Equal(t, aa.gty.Add(unpaidG).String(), ss.gty.String(), "seed %d", seed)
	require.Equal(t, ss.gty.String(), sa.gty.String(), "seed %d", seed)
}

// checkRemittance checks one month: every line and the totals reconcile;
// each line's cash is its inputs' cash; the lines sum to the totals; the
// advance outstanding moves by advanced − recovered; A/A advances nothing
// and S/A no principal; balances follow the inputs.
func checkRemittance(t *testing.T, m Method, month []LoanMonth, prior Carry, rem Remittance) {
	t.Helper()
	before := map[string]money.Amount{}
	for _, c := range prior.Loans {
		before[c.LoanID] = c.AdvancedPrincipal.Add(c.AdvancedInterest)
	}
	total := zeroFigures(money.Zero(money.USD))
	require.Len(t, rem.Loans, len(month))
	for i, lm := range month {
		f := rem.Loans[i].Figures
		require.NoError(t, f.Check(), lm.LoanID)
		cash := money.Sum(lm.CollectedPrincipal, lm.CollectedInterest, lm.Curtailment, lm.PayoffPrincipal, lm.PayoffInterest)
		require.True(t, cash.Equal(f.Collected), "%s: collected %s, inputs %s", lm.LoanID, f.Collected, cash)
		want := before[lm.LoanID].Add(f.Advanced).Sub(f.Recovered)
		require.True(t, want.Equal(f.AdvanceOutstanding), "%s: outstanding %s, want %s", lm.LoanID, f.AdvanceOutstanding, want)
		require.True(t, lm.ScheduledBalance.Sub(lm.ScheduledPrincipal).Sub(lm.Curtailment).Sub(lm.PayoffPrincipal).Equal(f.EndingBalance))
		switch m {
		case ActualActual:
			require.True(t, f.Advanced.IsZero() && f.Recovered.IsZero())
			require.True(t, f.Remitted.Add(f.Retained).Add(f.GuarantyFee).Equal(f.Collected))
		case ScheduledActual:
			require.True(t, f.AdvancedPrincipal.IsZero() && f.RecoveredPrincipal.IsZero())
		}
		if lm.PaidOff {
			require.True(t, f.AdvanceOutstanding.IsZero() && f.EndingBalance.IsZero(), "%s paid off", lm.LoanID)
		}
		var err error
		total, err = total.plus(f)
		require.NoError(t, err)
	}
	require.Equal(t, total.strings(), rem.Totals.strings())
	require.NoError(t, rem.Reconciliation.Check())
	require.True(t, rem.Reconciliation.Difference.IsZero())
}

// roundTrip returns c after JSON: a host stores the carry between months.
func roundTrip(t *testing.T, c Carry) Carry {
	t.Helper()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var out Carry
	require.NoError(t, json.Unmarshal(b, &out))
	require.Equal(t, c.Rows(), out.Rows())
	return out
}

func TestRandomPools(t *testing.T) {
	n := uint64(600)
	if testing.Short() {
		n = 60
	}
	for seed := range n {
		checkPool(t, seed)
	}
}

func FuzzRemit(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 42, 1 << 40, 0xdeadbeef} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) { checkPool(t, seed) })
}
