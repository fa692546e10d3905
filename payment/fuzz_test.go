package payment

import (
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

var (
	partials = []Partial{PartialApply, PartialSuspense, PartialReturn}
	extras   = []Extra{ExtraPayAhead, ExtraCurtail, ExtraReduceTerm, ExtraRecast}
	futures  = []FutureRule{NextInstallment, LastInstallment, NextThenLast, Reamortize}
)

// randomRules picks a preset, or a random permutation of the fifteen buckets,
// with random processing, future rule, partial policy and tolerance.
func randomRules(r *rand.Rand) Rules {
	presets := allPresets()
	names := []string{"gse", "consumer", "oldest", "mifos", "pfip", "pipf", "advanced"}
	if k := r.IntN(len(names) + 3); k < len(names) {
		return presets[names[k]]
	}
	rules := OldestFirst()
	r.Shuffle(NBuckets, func(i, j int) {
		rules.Default.Buckets[i], rules.Default.Buckets[j] = rules.Default.Buckets[j], rules.Default.Buckets[i]
	})
	rules.Default.Processing = []Processing{Horizontal, Vertical}[r.IntN(2)]
	rules.Default.Future = futures[r.IntN(len(futures))]
	rules.Partial = partials[r.IntN(len(partials))]
	rules.Extra = extras[r.IntN(len(extras))]
	rules.ShortfallToleranceMinor = r.Int64N(6000)
	return rules
}

// checkAllocation asserts the properties every allocation must have, with
// arithmetic done here rather than trusted from the code.
func checkAllocation(t testing.TB, rules Rules, in Input, a Allocation) {
	t.Helper()
	conserved(t, in, a)
	require.False(t, a.Suspense.IsNegative() || a.Returned.IsNegative() || a.Credit.IsNegative())
	owed := int64(0)
	for _, o := range a.Open {
		owed += o.Minor()
	}
	if a.Credit.IsPositive() {
		require.Zero(t, owed, "outstanding and overpaid at once")
	}
	if a.Suspense.IsPositive() || a.Returned.IsPositive() {
		// Held money is always less than what the waiting installment needs.
		require.Positive(t, a.HeldInstallment)
		require.Less(t, a.Suspense.Minor()+a.Returned.Minor(), a.HeldNeed.Minor())
	}
	again, err := Allocate(rules, in)
	require.NoError(t, err)
	require.Equal(t, a, again, "not deterministic")
	// The compiled rules give the same allocation, also into a used value.
	c, err := rules.Compile()
	require.NoError(t, err)
	compiled, err := c.Allocate(in)
	require.NoError(t, err)
	require.Equal(t, a, compiled, "compiled rules differ")
	used := Allocation{Lines: make([]AllocationLine, 3, 64), Open: make([]money.Amount, 2, 64)}
	require.NoError(t, c.AllocateInto(&used, in))
	require.Equal(t, a.Lines, used.Lines)
	require.Equal(t, a.Open, used.Open)
}

func TestAllocateProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for range 1500 {
		rs, on := randomLoan(r)
		rules := randomRules(r)
		in := Input{
			On: on, Type: []TransactionType{Repayment, GoodwillCredit}[r.IntN(2)], Receivables: rs,
			Amount:   money.MustNew(r.Int64N(3_000_000), money.USD),
			Suspense: money.MustNew(r.Int64N(50_000), money.USD),
		}
		if r.IntN(3) == 0 {
			in.Extra = extras[r.IntN(len(extras))]
		}
		a, err := Allocate(rules, in)
		require.NoError(t, err)
		checkAllocation(t, rules, in, a)
	}
}

// FuzzAllocate builds receivables, rules and a payment from fuzz input:
// valid inputs must satisfy every property; invalid ones (negative amounts,
// unknown components) must return a typed error; nothing may panic.
func FuzzAllocate(f *testing.F) {
	f.Add(uint64(1), int64(80_000), int64(0), []byte{3, 1, 2, 0, 9, 9})
	f.Add(uint64(2), int64(1), int64(99), []byte{})
	f.Add(uint64(3), int64(-5), int64(0), []byte{255, 7})
	f.Add(uint64(4), int64(money.MaxMinor), int64(money.MaxMinor), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint64(5), int64(0), int64(12_345), []byte{200, 100, 50})
	f.Fuzz(func(t *testing.T, seed uint64, amount, suspense int64, raw []byte) {
		r := rand.New(rand.NewPCG(seed, uint64(len(raw))))
		rules := randomRules(r)
		on := date.New(2024, 1, 1) + date.Date(r.IntN(400))
		var rs []Receivable
		comps := []Component{Principal, Interest, Escrow, Fee, Penalty, "bonus"}
		for i := 0; i+2 < len(raw) && len(rs) < 64; i += 3 {
			open := int64(raw[i]) * int64(raw[i+1]+1)
			if raw[i+2]&0x80 != 0 {
				open = -open
			}
			rs = append(rs, Receivable{
				Installment: int(raw[i+2] % 7), Component: comps[int(raw[i+1])%len(comps)],
				DueDate: date.New(2024, 1, 1) + date.Date(int(raw[i])*3), Open: money.MustNew(open, money.USD),
			})
		}
		amt, err1 := money.New(amount, money.USD)
		sus, err2 := money.New(suspense, money.USD)
		if err1 != nil || err2 != nil {
			return
		}
		in := Input{On: on, Amount: amt, Suspense: sus, Type: Repayment, Receivables: rs}
		a, err := Allocate(rules, in)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidInput)
			return
		}
		checkAllocation(t, rules, in, a)
	})
}
