package payment

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func TestCompiledZeroValueIsInvalid(t *testing.T) {
	var c Compiled
	in := Input{On: scenarioOn, Amount: usd(t, "10.00"), Type: Repayment, Receivables: scenario(t)}
	_, err := c.Allocate(in)
	require.ErrorIs(t, err, ErrInvalidRules)
	require.Equal(t, []string{"Rules"}, field.Fields(err))
}

// TestCompileReportsLikeValidate: Compile rejects exactly what Validate
// rejects, naming the same fields, per-type orders included.
func TestCompileReportsLikeValidate(t *testing.T) {
	bad := GSEMortgage()
	bad.ByType = map[TransactionType]Order{GoodwillCredit: {Processing: "diagonal", Buckets: bad.Default.Buckets[:14]}}
	bad.Extra = "lottery"
	_, err := bad.Compile()
	require.ErrorIs(t, err, ErrInvalidRules)
	require.Equal(t, field.Fields(bad.Validate()), field.Fields(err))
	require.Equal(t, []string{"Rules.ByType[goodwill_credit].Processing", "Rules.ByType[goodwill_credit].Future",
		"Rules.ByType[goodwill_credit].Buckets", "Rules.Extra"}, field.Fields(err))

	c, err := FineractAdvanced(Horizontal, NextThenLast).Compile()
	require.NoError(t, err)
	require.True(t, c.ok)
}

// TestCompiledOrderPerType: the compiled rules pick the per-type order and
// name it like Allocate does (the type when the order is unnamed).
func TestCompiledOrderPerType(t *testing.T) {
	rules := GSEMortgage()
	o := Consumer().Default
	o.Name = ""
	rules.ByType = map[TransactionType]Order{GoodwillCredit: o, Recovery: OldestFirst().Default}
	c, err := rules.Compile()
	require.NoError(t, err)
	for _, typ := range []TransactionType{Repayment, GoodwillCredit, Recovery} {
		in := Input{On: scenarioOn, Amount: usd(t, "800.00"), Type: typ, Receivables: scenario(t)}
		want, err := Allocate(rules, in)
		require.NoError(t, err)
		got, err := c.Allocate(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	a, err := c.Allocate(Input{On: scenarioOn, Amount: usd(t, "800.00"), Type: GoodwillCredit, Receivables: scenario(t)})
	require.NoError(t, err)
	require.Equal(t, "goodwill_credit", a.Lines[0].Rule.Order)
	require.Equal(t, Vertical, a.Lines[0].Rule.Processing)
}

// TestAllocateIntoReuses: a second allocation into the same value reuses its
// slices; an invalid input leaves the value as it was.
func TestAllocateIntoReuses(t *testing.T) {
	c, err := GSEMortgage().Compile()
	require.NoError(t, err)
	in := Input{On: scenarioOn, Amount: usd(t, "1500.00"), Type: Repayment, Receivables: scenario(t)}
	var a Allocation
	require.NoError(t, c.AllocateInto(&a, in))
	want, err := Allocate(GSEMortgage(), in)
	require.NoError(t, err)
	require.Equal(t, want, a)
	lines, open := &a.Lines[0], &a.Open[0]

	in.Amount = usd(t, "800.00")
	require.NoError(t, c.AllocateInto(&a, in))
	require.Same(t, lines, &a.Lines[0])
	require.Same(t, open, &a.Open[0])
	want, err = Allocate(GSEMortgage(), in)
	require.NoError(t, err)
	require.Equal(t, want, a)

	before := a
	in.Amount = usd(t, "-1.00")
	err = c.AllocateInto(&a, in)
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, before, a)
}

// TestInstallmentNumbersOnlyOrder: shifting or spreading installment numbers
// without changing their order changes nothing but the numbers in the trace.
// It runs the three ways unit dates are found (small numbers, numbers up to
// four times the receivables, sparse numbers) and the stack and heap scratch
// space (a loan of up to 100 receivables).
func TestInstallmentNumbersOnlyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 8))
	for range 300 {
		rs, on := randomLoan(r)
		for len(rs) < smallItems+1 && r.IntN(2) == 0 {
			more, _ := randomLoan(r)
			for _, m := range more {
				m.Installment += 30
				m.DueDate += 30 * 30
				rs = append(rs, m)
			}
		}
		rules := randomRules(r)
		in := Input{On: on, Type: Repayment, Receivables: rs,
			Amount: money.MustNew(r.Int64N(3_000_000), money.USD), Suspense: money.MustNew(r.Int64N(50_000), money.USD)}
		want, err := Allocate(rules, in)
		require.NoError(t, err)
		for _, renumber := range []func(int) int{
			func(k int) int { return k + 70 },           // beyond the small table
			func(k int) int { return k * 3 },            // up to 4 × receivables
			func(k int) int { return k*1_000_000 + 17 }, // sparse: sorted
		} {
			moved := make([]Receivable, len(rs))
			for i, x := range rs {
				if x.Installment > 0 {
					x.Installment = renumber(x.Installment)
				}
				moved[i] = x
			}
			in2 := in
			in2.Receivables = moved
			got, err := Allocate(rules, in2)
			require.NoError(t, err)
			require.Equal(t, len(want.Lines), len(got.Lines))
			for i := range got.Lines {
				if got.Lines[i].Installment > 0 {
					got.Lines[i].Installment = want.Lines[i].Installment
				}
			}
			if got.HeldInstallment > 0 {
				got.HeldInstallment = want.HeldInstallment
			}
			require.Equal(t, want, got)
		}
	}
}

// TestUnitDatesAgree checks the table walk against the sort on random items.
func TestUnitDatesAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		checkUnitDates(t, r)
	}
}

// FuzzUnitDatesAgree is the differential fuzz test of the package's one fast
// path: unitDates' table by installment number against unitDatesSorted, the
// rule as written (each item's unit date is its installment's earliest due
// date).
func FuzzUnitDatesAgree(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		checkUnitDates(t, rand.New(rand.NewPCG(s1, s2)))
	})
}

func checkUnitDates(t *testing.T, r *rand.Rand) {
	n := 1 + r.IntN(80)
	items := make([]item, n)
	maxInst := 0
	for i := range items {
		inst := r.IntN(1 + r.IntN(60))
		due := date.New(2024, time.January, 1) + date.Date(r.IntN(400))
		items[i] = item{due: due, unitDue: due, inst: inst, idx: int32(i), standalone: inst == 0}
		maxInst = max(maxInst, inst)
	}
	a := waterfall{items: append([]item(nil), items...)}
	a.unitDates(maxInst)
	b := waterfall{items: append([]item(nil), items...)}
	b.unitDatesSorted()
	got, want := make([]date.Date, n), make([]date.Date, n)
	for i := range n {
		got[a.items[i].idx] = a.items[i].unitDue
		want[b.items[i].idx] = b.items[i].unitDue
	}
	require.Equal(t, want, got)
}

// TestTooManyReceivables: more than MaxReceivables is refused, naming the
// field, without building anything.
func TestTooManyReceivables(t *testing.T) {
	rs := make([]Receivable, MaxReceivables+1)
	for i := range rs {
		rs[i] = Receivable{Installment: i + 1, Component: Principal, DueDate: scenarioOn + date.Date(i), Open: usd(t, "1.00")}
	}
	_, err := Allocate(GSEMortgage(), Input{On: scenarioOn, Amount: usd(t, "1.00"), Type: Repayment, Receivables: rs})
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"Input.Receivables"}, field.Fields(err))

	// At the limit it works, on heap scratch space.
	a, err := Allocate(GSEMortgage(), Input{On: scenarioOn, Amount: usd(t, "100.00"), Type: Repayment, Receivables: rs[:MaxReceivables]})
	require.NoError(t, err)
	// Installment 1 falls due on the payment date (due: 1.00); the other
	// 99.00 curtail principal from the last installment backwards (GSE).
	require.Len(t, a.Lines, 100)
	require.Equal(t, 1, a.Lines[0].Installment)
	require.Equal(t, Due, a.Lines[0].Timing)
	require.Equal(t, MaxReceivables, a.Lines[1].Installment)
	require.Equal(t, MaxReceivables-98, a.Lines[99].Installment)
	require.Equal(t, ViaCurtail, a.Lines[99].Rule.Via)
}
