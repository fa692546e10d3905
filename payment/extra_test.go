package payment

import (
	"strings"
	"testing"
	"time"

	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/stretchr/testify/require"
)

// small is a loan on 10 Jan 2024 with installment 1 due 1 Feb (the current
// cycle) and 2–5 in advance, each owing interest 10 and principal 100.
func small(t testing.TB) []Receivable {
	var rs []Receivable
	for n := 1; n <= 5; n++ {
		due := d(2024, time.Month(n+1), 1)
		rs = append(rs,
			Receivable{Installment: n, Component: Interest, DueDate: due, Open: usd(t, "10.00")},
			Receivable{Installment: n, Component: Principal, DueDate: due, Open: usd(t, "100.00")})
	}
	return rs
}

var smallOn = d(2024, time.January, 10)

func TestTimings(t *testing.T) {
	rs := small(t)
	cycle, ok := CycleDueDate(rs, smallOn)
	require.True(t, ok)
	require.Equal(t, d(2024, time.February, 1), cycle)
	require.Equal(t, Due, rs[0].TimingOn(smallOn, cycle))
	require.Equal(t, InAdvance, rs[2].TimingOn(smallOn, cycle))
	// On the due date itself the installment is due, the day after past due.
	feb1 := d(2024, time.February, 1)
	c2, _ := CycleDueDate(rs, feb1)
	require.Equal(t, Due, rs[0].TimingOn(feb1, c2))
	c3, _ := CycleDueDate(rs, feb1+1)
	require.Equal(t, PastDue, rs[0].TimingOn(feb1+1, c3))
	require.Equal(t, Due, rs[2].TimingOn(feb1+1, c3))
	_, ok = CycleDueDate(rs, d(2030, time.January, 1))
	require.False(t, ok)
}

// TestFutureRules: 360 pays installment 1 (110) and leaves 250 for the
// future installments 2–5 (each I 10, P 100) under the advanced order
// (in advance: penalty, fee, principal, interest, escrow).
func TestFutureRules(t *testing.T) {
	tests := []struct {
		name   string
		p      Processing
		f      FutureRule
		amount string
		want   map[string]string
	}{
		// next: inst 2 P100 I10 → 140; inst 3 P100 I10 → 30; inst 4 P30.
		{"next", Horizontal, NextInstallment, "360.00", map[string]string{"2:principal": "100.00", "2:interest": "10.00",
			"3:principal": "100.00", "3:interest": "10.00", "4:principal": "30.00"}},
		// last: inst 5, then 4, then 30 to inst 3.
		{"last", Horizontal, LastInstallment, "360.00", map[string]string{"5:principal": "100.00", "5:interest": "10.00",
			"4:principal": "100.00", "4:interest": "10.00", "3:principal": "30.00"}},
		// next then last: inst 2, then 5, then 30 to inst 4.
		{"next then last", Horizontal, NextThenLast, "360.00", map[string]string{"2:principal": "100.00", "2:interest": "10.00",
			"5:principal": "100.00", "5:interest": "10.00", "4:principal": "30.00"}},
		// vertical next: principal across 2, 3, then 50 to 4.
		{"vertical next", Vertical, NextInstallment, "360.00", map[string]string{"2:principal": "100.00",
			"3:principal": "100.00", "4:principal": "50.00"}},
		// reamortize: 250.03 over four principals = 62.5075 → 62.51 ×3, 62.50.
		{"reamortize", Horizontal, Reamortize, "360.03", map[string]string{"2:principal": "62.51",
			"3:principal": "62.51", "4:principal": "62.51", "5:principal": "62.50"}},
		// reamortize beyond all principal: 400 principal, then interest 40
		// split 10 each, 5.00 left → credit.
		{"reamortize fills", Vertical, Reamortize, "555.00", map[string]string{"2:principal": "100.00",
			"3:principal": "100.00", "4:principal": "100.00", "5:principal": "100.00", "2:interest": "10.00",
			"3:interest": "10.00", "4:interest": "10.00", "5:interest": "10.00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{On: smallOn, Amount: usd(t, tc.amount), Type: Repayment, Receivables: small(t)}
			a, err := Allocate(FineractAdvanced(tc.p, tc.f), in)
			require.NoError(t, err)
			conserved(t, in, a)
			got := applied(a)
			require.Equal(t, "10.00", got["1:interest"])
			require.Equal(t, "100.00", got["1:principal"])
			delete(got, "1:interest")
			delete(got, "1:principal")
			require.Equal(t, tc.want, got)
		})
	}
}

// TestExtraMethods: 360 under OldestFirst with the method overridden per
// payment; 250 is extra after installment 1.
func TestExtraMethods(t *testing.T) {
	tests := []struct {
		name      string
		extra     Extra
		amount    string
		want      map[string]string
		principal string // new principal
		remaining int
		recast    bool
		credit    string
	}{
		// curtail: principal from the last installment back: 5, 4, 50 of 3.
		{"curtail", ExtraCurtail, "360.00", map[string]string{"5:principal": "100.00", "4:principal": "100.00",
			"3:principal": "50.00"}, "150.00", 2, false, ""},
		{"reduce term", ExtraReduceTerm, "360.00", map[string]string{"5:principal": "100.00", "4:principal": "100.00",
			"3:principal": "50.00"}, "150.00", 2, false, ""},
		// recast: 250 spread over four principals, 62.50 each.
		{"recast", ExtraRecast, "360.00", map[string]string{"2:principal": "62.50", "3:principal": "62.50",
			"4:principal": "62.50", "5:principal": "62.50"}, "150.00", 4, true, ""},
		// pay ahead, oldest-first order (interest then principal): 2, 3, then
		// I 10 + P 20 of 4.
		{"pay ahead", ExtraPayAhead, "360.00", map[string]string{"2:interest": "10.00", "2:principal": "100.00",
			"3:interest": "10.00", "3:principal": "100.00", "4:interest": "10.00", "4:principal": "20.00"}, "180.00", 2, false, ""},
		// beyond payoff: 110 + 400 principal + 40 future interest = 550;
		// 5.00 is a credit balance and nothing is owed.
		{"beyond payoff", ExtraCurtail, "555.00", map[string]string{"2:principal": "100.00", "3:principal": "100.00",
			"4:principal": "100.00", "5:principal": "100.00", "2:interest": "10.00", "3:interest": "10.00",
			"4:interest": "10.00", "5:interest": "10.00"}, "0.00", 0, false, "5.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{On: smallOn, Amount: usd(t, tc.amount), Type: Repayment, Receivables: small(t), Extra: tc.extra}
			a, err := Allocate(OldestFirst(), in)
			require.NoError(t, err)
			conserved(t, in, a)
			got := applied(a)
			delete(got, "1:interest")
			delete(got, "1:principal")
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.extra, a.Extra.Method)
			moneytest.Equal(t, tc.principal, a.Extra.NewPrincipal)
			require.Equal(t, tc.remaining, a.Extra.RemainingInstallments)
			require.Equal(t, tc.recast, a.Extra.RecastNeeded)
			require.Equal(t, tc.extra == ExtraReduceTerm, a.Extra.ReduceTerm)
			moneytest.Equal(t, orZero(tc.credit), a.Credit)
			if a.Credit.IsPositive() {
				for _, o := range a.Open {
					require.True(t, o.IsZero(), "outstanding and overpaid at once")
				}
			}
		})
	}
}

// TestShortfallTolerance: $1,000 due (I 500, P 300, E 200), GSE rules with a
// $50 tolerance. 960 is within 50 of 1,000: applied, 40 stays open on escrow
// (the last component in I→P→E). 940 is not: held in suspense. With the
// return policy it is returned.
func TestShortfallTolerance(t *testing.T) {
	rules := GSEMortgage()
	rules.ShortfallToleranceMinor = 5000
	rs := join(inst(t, 1, d(2024, time.January, 1), "500.00", "300.00", "200.00"),
		inst(t, 2, d(2024, time.February, 1), "500.00", "300.00", "200.00"))
	on := d(2024, time.January, 5)

	in := Input{On: on, Amount: usd(t, "960.00"), Type: Repayment, Receivables: rs}
	a, err := Allocate(rules, in)
	require.NoError(t, err)
	conserved(t, in, a)
	require.Equal(t, map[string]string{"1:interest": "500.00", "1:principal": "300.00", "1:escrow": "160.00"}, applied(a))
	moneytest.Equal(t, "40.00", a.Shortfall)
	moneytest.Equal(t, "40.00", a.Open[2])
	moneytest.Equal(t, "0.00", a.Suspense)

	in.Amount = usd(t, "940.00")
	a, err = Allocate(rules, in)
	require.NoError(t, err)
	require.Empty(t, a.Lines)
	moneytest.Equal(t, "940.00", a.Suspense)

	in.Partial = PartialReturn
	a, err = Allocate(rules, in)
	require.NoError(t, err)
	moneytest.Equal(t, "940.00", a.Returned)
	moneytest.Equal(t, "0.00", a.Suspense)
	require.Contains(t, a.String(), "940.00 → returned: installment 1 needs 1000.00 in full (partial policy return)")
}

// TestVerticalSuspenseCompletesReleasedInstallments: under a vertical order
// with suspense, an installment released on the interest pass is finished on
// the principal pass even though a later installment could not be covered.
func TestVerticalSuspenseCompletesReleasedInstallments(t *testing.T) {
	rules := Consumer()
	rules.Partial = PartialSuspense
	rs := join(inst(t, 1, d(2024, time.January, 1), "500.00", "300.00", "200.00"),
		inst(t, 2, d(2024, time.February, 1), "500.00", "300.00", "200.00"))
	in := Input{On: d(2024, time.February, 5), Amount: usd(t, "1300.00"), Type: Repayment, Receivables: rs}
	a, err := Allocate(rules, in)
	require.NoError(t, err)
	conserved(t, in, a)
	require.Equal(t, map[string]string{"1:interest": "500.00", "1:principal": "300.00", "1:escrow": "200.00"}, applied(a))
	moneytest.Equal(t, "300.00", a.Suspense)
	require.Equal(t, 2, a.HeldInstallment)
}

// TestPerTransactionType: a goodwill credit follows its own order (in
// advance first, last installment first) while a repayment follows the
// default; the trace names the order that decided.
func TestPerTransactionType(t *testing.T) {
	rules := OldestFirst()
	goodwill := FineractAdvanced(Horizontal, LastInstallment).Default
	goodwill.Name = ""
	goodwill.Buckets = append(seq(inAdvance, Principal, Interest, Penalty, Fee, Escrow),
		seq(pastDueAndDue, Penalty, Fee, Principal, Interest, Escrow)...)
	rules.ByType = map[TransactionType]Order{GoodwillCredit: goodwill}
	rules.Extra = ExtraPayAhead

	in := Input{On: smallOn, Amount: usd(t, "50.00"), Type: GoodwillCredit, Receivables: small(t)}
	a, err := Allocate(rules, in)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"5:principal": "50.00"}, applied(a))
	require.Equal(t, "goodwill_credit", a.Lines[0].Rule.Order)
	require.Equal(t, 1, a.Lines[0].Rule.Step)

	in.Type = Repayment
	a, err = Allocate(rules, in)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"1:interest": "10.00", "1:principal": "40.00"}, applied(a))
	require.Equal(t, "oldest_first", a.Lines[0].Rule.Order)
}

func TestTrace(t *testing.T) {
	in := Input{On: scenarioOn, Amount: usd(t, "1500.00"), Type: Repayment, Receivables: scenario(t)}
	a, err := Allocate(GSEMortgage(), in)
	require.NoError(t, err)
	require.Equal(t, `100.00 → installment 1 interest due 2024-02-01 (past due): rule 1 "past_due_interest" of order gse_mortgage (horizontal, oldest installment first)`,
		a.Lines[0].String())
	var nsf, curtail string
	for _, l := range a.Lines {
		switch {
		case l.Ref == "NSF":
			nsf = l.String()
		case l.Rule.Via == ViaCurtail:
			curtail = l.String()
		}
	}
	require.Equal(t, `25.00 → fee assessed 2024-03-20 [NSF] (past due): rule 9 "past_due_fee" of order gse_mortgage (horizontal, oldest installment first)`, nsf)
	require.Equal(t, `45.00 → installment 6 principal due 2024-07-01 (in advance): rule 12 "in_advance_principal" of order gse_mortgage (extra money curtail: principal from the last installment back)`, curtail)
	s := a.String()
	require.True(t, strings.HasPrefix(s, "2024-04-10 repayment received 1500.00\n"))
	require.Contains(t, s, "extra money: curtail, principal paid 45.00")
}

// TestExtraHold: three installments of $1,000 (I 500, P 300, E 200) due 1
// Jan, 1 Feb and 1 Mar. On 5 Jan the January installment is past due and
// February's is the cycle's; 2,500 pays both and holds the 500 beyond them
// in suspense instead of reaching March's in-advance items (curtail would
// have paid 500 of March's principal); 3,300 holds 1,300. Once nothing is
// left owing the rest is a credit balance: on 1 Mar all three are due and
// 3,300 pays them, leaving 300 of credit.
func TestExtraHold(t *testing.T) {
	rules := GSEMortgage()
	rules.Extra = ExtraHold
	rs := join(inst(t, 1, d(2024, time.January, 1), "500.00", "300.00", "200.00"),
		inst(t, 2, d(2024, time.February, 1), "500.00", "300.00", "200.00"),
		inst(t, 3, d(2024, time.March, 1), "500.00", "300.00", "200.00"))
	in := Input{On: d(2024, time.January, 5), Amount: usd(t, "2500.00"), Type: Repayment, Receivables: rs}
	a, err := Allocate(rules, in)
	require.NoError(t, err)
	conserved(t, in, a)
	require.Equal(t, map[string]string{"1:interest": "500.00", "1:principal": "300.00", "1:escrow": "200.00",
		"2:interest": "500.00", "2:principal": "300.00", "2:escrow": "200.00"}, applied(a))
	moneytest.Equal(t, "500.00", a.Suspense)
	moneytest.Equal(t, "0.00", a.Credit)
	require.Equal(t, ExtraHold, a.Extra.Method)

	in.Amount = usd(t, "3300.00")
	a, err = Allocate(rules, in)
	require.NoError(t, err)
	conserved(t, in, a)
	moneytest.Equal(t, "1300.00", a.Suspense)

	in.On = d(2024, time.March, 1)
	a, err = Allocate(rules, in)
	require.NoError(t, err)
	conserved(t, in, a)
	moneytest.Equal(t, "0.00", a.Suspense)
	moneytest.Equal(t, "300.00", a.Credit)
}
