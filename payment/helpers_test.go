package payment

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func d(y int, m time.Month, day int) date.Date { return date.New(y, m, day) }

func usd(t testing.TB, s string) money.Amount { return moneytest.USD(t, s) }

// inst returns the receivables of one installment: interest, principal,
// escrow (zero amounts are listed too, as paid items).
func inst(t testing.TB, n int, due date.Date, interest, principal, escrow string) []Receivable {
	return []Receivable{
		{Installment: n, Component: Interest, DueDate: due, Open: usd(t, interest)},
		{Installment: n, Component: Principal, DueDate: due, Open: usd(t, principal)},
		{Installment: n, Component: Escrow, DueDate: due, Open: usd(t, escrow)},
	}
}

func join(parts ...[]Receivable) []Receivable {
	var out []Receivable
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// conserved asserts the money identity independently of the code's own check.
func conserved(t testing.TB, in Input, a Allocation) {
	t.Helper()
	var applied int64
	perIdx := make([]int64, len(in.Receivables))
	for _, l := range a.Lines {
		require.Positive(t, l.Amount.Minor())
		applied += l.Amount.Minor()
		perIdx[l.Index] += l.Amount.Minor()
	}
	require.Equal(t, in.Amount.Minor()+in.Suspense.Minor(),
		applied+a.Suspense.Minor()+a.Returned.Minor()+a.Credit.Minor(), "conservation")
	for i, r := range in.Receivables {
		require.LessOrEqual(t, perIdx[i], r.Open.Minor(), "receivable %d overpaid", i)
		require.Equal(t, r.Open.Minor()-perIdx[i], a.Open[i].Minor(), "receivable %d open", i)
	}
}

// applied sums what each (installment, component) received.
func applied(a Allocation) map[string]string {
	sums := map[string]int64{}
	for _, l := range a.Lines {
		sums[key(l.Installment, l.Component)] += l.Amount.Minor()
	}
	out := map[string]string{}
	for k, v := range sums {
		out[k] = money.MustNew(v, money.USD).String()
	}
	return out
}

func key(n int, c Component) string { return string(rune('0'+n)) + ":" + string(c) }

func fieldsOf(err error) []string { return field.Fields(err) }
