package payment

import (
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/stretchr/testify/require"
)

// TestCFPBSuspenseExample is the CFPB example in the comment to Reg Z
// §1026.36(c)(1)(ii) (RULES.md, partial payments row): $1,000 is due each
// month; $600 arrives in January and is held; $300 in February makes $900
// held; $400 in March makes $1,300: $1,000 is applied to the January
// installment and $300 stays in suspense.
func TestCFPBSuspenseExample(t *testing.T) {
	rules := GSEMortgage()
	rs := join(
		inst(t, 1, d(2024, time.January, 1), "500.00", "300.00", "200.00"),
		inst(t, 2, d(2024, time.February, 1), "498.50", "301.50", "200.00"),
		inst(t, 3, d(2024, time.March, 1), "497.00", "303.00", "200.00"),
		inst(t, 4, d(2024, time.April, 1), "495.50", "304.50", "200.00"),
	)
	pay := func(on time.Month, amt string, suspense string, rs []Receivable) Allocation {
		in := Input{On: d(2024, on, 15), Amount: usd(t, amt), Type: Repayment, Receivables: rs, Suspense: usd(t, suspense)}
		a, err := Allocate(rules, in)
		require.NoError(t, err)
		conserved(t, in, a)
		return a
	}
	jan := pay(time.January, "600.00", "0.00", rs)
	require.Empty(t, jan.Lines)
	moneytest.Equal(t, "600.00", jan.Suspense)
	require.Equal(t, 1, jan.HeldInstallment)
	moneytest.Equal(t, "1000.00", jan.HeldNeed)

	feb := pay(time.February, "300.00", jan.Suspense.String(), rs)
	require.Empty(t, feb.Lines)
	moneytest.Equal(t, "900.00", feb.Suspense)

	mar := pay(time.March, "400.00", feb.Suspense.String(), rs)
	moneytest.Equal(t, "300.00", mar.Suspense)
	require.Equal(t, map[string]string{"1:interest": "500.00", "1:principal": "300.00", "1:escrow": "200.00"}, applied(mar))
	require.Equal(t, 2, mar.HeldInstallment)
	// GSE order inside the installment: interest, then principal, then escrow.
	require.Equal(t, []Component{Interest, Principal, Escrow},
		[]Component{mar.Lines[0].Component, mar.Lines[1].Component, mar.Lines[2].Component})
}

func TestValidationNamesFields(t *testing.T) {
	rules := GSEMortgage()
	rules.Default.Buckets[3] = rules.Default.Buckets[0] // past_due_interest twice, due_interest missing
	rules.Default.Buckets = append(rules.Default.Buckets, "due_tip")
	rules.Partial = "sometimes"
	in := Input{
		On: d(2024, time.January, 1), Amount: usd(t, "-1.00"), Type: Repayment,
		Receivables: []Receivable{
			{Installment: 1, Component: "tip", DueDate: d(2024, time.January, 1), Open: usd(t, "1.00")},
			{Installment: 0, Component: Principal, DueDate: d(2024, time.January, 1), Open: usd(t, "-2.00")},
		},
	}
	_, err := Allocate(rules, in)
	require.ErrorIs(t, err, ErrInvalidRules)
	require.ErrorIs(t, err, ErrInvalidInput)
	var fe *field.Error
	require.ErrorAs(t, err, &fe)
	require.Equal(t, []string{
		"Rules.Default.Buckets[3]", "Rules.Default.Buckets[15]", "Rules.Default.Buckets", "Rules.Partial",
		"Input.Amount", "Input.Receivables[0].Component", "Input.Receivables[1].Component", "Input.Receivables[1].Open",
	}, field.Fields(err))
	require.True(t, errors.Is(err, field.ErrNotSupported))
}
