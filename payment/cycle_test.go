package payment_test

import (
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// A fee owed with an installment keeps its own due date and never makes a
// cycle: installment 1 is due 1 Feb with a fee of 20 due 20 Jan. On
// 15 Jan the cycle is 1 Feb (not 20 Jan), so the principal is due, not in
// advance, and the fee is due too; on 25 Jan the fee is past due and the
// principal still due.
func TestChargeNeverMakesACycle(t *testing.T) {
	feb1, jan20 := date.MustParseISO("2023-02-01"), date.MustParseISO("2023-01-20")
	rs := []payment.Receivable{
		{Installment: 1, Component: payment.Principal, DueDate: feb1, Open: money.MustParse("1000", money.EUR)},
		{Installment: 1, Component: payment.Fee, DueDate: jan20, Open: money.MustParse("20", money.EUR)},
		{Installment: 2, Component: payment.Principal, DueDate: date.MustParseISO("2023-03-01"), Open: money.MustParse("1000", money.EUR)},
	}
	for _, c := range []struct {
		on        string
		principal payment.Timing
		fee       payment.Timing
	}{{"2023-01-15", payment.Due, payment.Due}, {"2023-01-25", payment.Due, payment.PastDue}} {
		on := date.MustParseISO(c.on)
		cycle, ok := payment.CycleDueDate(rs, on)
		require.True(t, ok)
		require.Equal(t, feb1, cycle, c.on)
		require.Equal(t, c.principal, rs[0].TimingOn(on, cycle), c.on)
		require.Equal(t, c.fee, rs[1].TimingOn(on, cycle), c.on)
	}

	// Allocate agrees: under the Fineract due-penalty-interest-principal-fee
	// order, 500 on 25 Jan pays the past-due fee first, then 480 of
	// installment 1's principal; none reaches installment 2.
	a, err := payment.Allocate(payment.FineractDuePIPFInAdvancePIPF(), payment.Input{On: date.MustParseISO("2023-01-25"),
		Amount: money.MustParse("500", money.EUR), Type: payment.Repayment, Receivables: rs})
	require.NoError(t, err)
	require.Len(t, a.Lines, 2)
	require.Equal(t, payment.Fee, a.Lines[0].Component)
	require.Equal(t, "20.00", a.Lines[0].Amount.Decimal().StringFixed(2))
	require.Equal(t, 1, a.Lines[1].Installment)
	require.Equal(t, "480.00", a.Lines[1].Amount.Decimal().StringFixed(2))
}

// Order.DueOnDueDate (Fineract's advanced strategy): on 15 Jan nothing is
// due, so 17.01 goes to the in-advance buckets and, under LastInstallment,
// to installment 2's principal, not to installment 1 of the current cycle.
func TestDueOnDueDate(t *testing.T) {
	eur := money.EUR
	rs := []payment.Receivable{
		{Installment: 1, Component: payment.Principal, DueDate: date.MustParseISO("2023-02-01"), Open: money.MustParse("17.01", eur)},
		{Installment: 2, Component: payment.Principal, DueDate: date.MustParseISO("2023-03-01"), Open: money.MustParse("17.01", eur)},
	}
	in := payment.Input{On: date.MustParseISO("2023-01-15"), Amount: money.MustParse("17.01", eur), Type: payment.Repayment, Receivables: rs}
	for _, c := range []struct {
		due  bool
		inst int
	}{{false, 1}, {true, 2}} {
		r := payment.FineractAdvanced(payment.Horizontal, payment.LastInstallment)
		r.Default.DueOnDueDate = c.due
		a, err := payment.Allocate(r, in)
		require.NoError(t, err)
		require.Len(t, a.Lines, 1)
		require.Equal(t, c.inst, a.Lines[0].Installment, "DueOnDueDate %t", c.due)
	}
}
