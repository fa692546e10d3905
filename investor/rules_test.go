package investor

import (
	"testing"

	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// A part of the interest owed is shared in proportion to the shares: B's
// March installment (net 958.33, servicing 41.67, guaranty 83.33 of
// 1,083.33) with only 500.00 of interest paid. In cents, 50,000 × 95,833 /
// 108,333 = 44,230.75, 50,000 × 4,167 / 108,333 = 1,923.24, 50,000 ×
// 8,333 / 108,333 = 3,846.01; the floors sum to 49,999 and the leftover
// cent goes to the largest remainder (the investor's .75): 442.31, 19.23,
// 38.46 (500.00).
//
//	A/A: remitted interest 442.31, retained 19.23, guaranty 38.46; unpaid
//	  958.33 − 442.31 = 516.02, 41.67 − 19.23 = 22.44, 83.33 − 38.46 =
//	  44.87, and the principal 180.81.
//	S/S: remitted 180.81 + 958.33 = 1,139.14, guaranty 83.33, retained
//	  19.23; advanced 180.81 principal and 516.02 + 44.87 = 560.89
//	  interest (741.70). Check: 500.00 = 1,139.14 + 19.23 + 83.33 − 741.70.
func TestPartialInterestSharedProRata(t *testing.T) {
	lm := march()[1]
	lm.CollectedInterest = usd("500.00")
	aa, err := Remit(pool(ActualActual), Month{From: mar1, To: apr1, Loans: []LoanMonth{lm}})
	require.NoError(t, err)
	requireFigures(t, want{"500.00", "0", "442.31", "442.31", "19.23", "38.46", "0", "0", "0", "0", "0"}, aa.Totals, "A/A")
	c := aa.Carry.Loans[0]
	moneytest.Equal(t, "516.02", c.UnpaidNetInterest)
	moneytest.Equal(t, "22.44", c.UnpaidServicingFee)
	moneytest.Equal(t, "44.87", c.UnpaidGuarantyFee)
	moneytest.Equal(t, "180.81", c.UnpaidPrincipal)

	ss, err := Remit(pool(ScheduledScheduled), Month{From: mar1, To: apr1, Loans: []LoanMonth{lm}})
	require.NoError(t, err)
	requireFigures(t, want{"500.00", "180.81", "958.33", "1139.14", "19.23", "83.33", "180.81", "560.89", "0", "0", "741.70"}, ss.Totals, "S/S")
}

// Strips larger than the interest they come from give way, the servicing
// fee first: 100,000.00 at 0.75 % (the fees exactly, a net rate of zero)
// billing 62.49 of interest against strips of 20.83 + 41.67 = 62.50. The
// guaranty fee 41.67 is whole, the servicing fee 62.49 − 41.67 = 20.82,
// the investor 0.00.
func TestStripsGiveWay(t *testing.T) {
	lm := LoanMonth{LoanID: "Z", NoteRate: rate.MustPercent("0.75"), ScheduledBalance: usd("100000.00"),
		ScheduledPrincipal: usd("100.00"), ScheduledInterest: usd("62.49"),
		CollectedPrincipal: usd("100.00"), CollectedInterest: usd("62.49")}
	r, err := Remit(pool(ScheduledActual), Month{From: mar1, To: apr1, Loans: []LoanMonth{lm}})
	require.NoError(t, err)
	requireFigures(t, want{"162.49", "100.00", "0", "100.00", "20.82", "41.67", "0", "0", "0", "0", "0"}, r.Totals, "S/A")
}

// An advance is recovered from a payoff: B, delinquent in March, pays off
// on 20 April instead of catching up. The payoff collects March's and
// April's installments (362.60 principal, 2,165.68 interest), the
// scheduled balance left, 199,819.19 − 181.79 = 199,637.40, and interest
// from 1 to 20 April (19 days of 30/360): 199,637.40 × 0.065 × 19/360 =
// 684.8672 → 684.87, split 684.87 × 0.25/6.5 = 26.3412 → 26.34 servicing,
// × 0.5/6.5 = 52.6823 → 52.68 guaranty, 684.87 − 79.02 = 605.85 net.
//
//	S/S: collected 362.60 + 2,165.68 + 199,637.40 + 684.87 = 202,850.55;
//	  remitted principal 181.79 + 199,637.40 = 199,819.19, interest
//	  957.46 + 605.85 = 1,563.31 (201,382.50); retained 41.67 + 41.63 +
//	  26.34 = 109.64; guaranty 83.26 + 52.68 = 135.94; recovered March's
//	  1,222.47 (180.81 + 1,041.66). Check: 201,382.50 + 109.64 + 135.94 +
//	  1,222.47 = 202,850.55.
func TestAdvanceRecoveredFromPayoff(t *testing.T) {
	p := pool(ScheduledScheduled)
	mar, err := Remit(p, Month{From: mar1, To: apr1, Loans: march()})
	require.NoError(t, err)
	apr := april()
	apr[1].PaidOff, apr[1].PayoffOn = true, date.New(2024, 4, 20)
	apr[1].PayoffPrincipal, apr[1].PayoffInterest = usd("199637.40"), usd("684.87")
	r, err := Remit(p, Month{From: apr1, To: may1, Loans: apr, Prior: mar.Carry})
	require.NoError(t, err)
	requireFigures(t, want{"202850.55", "199819.19", "1563.31", "201382.50", "109.64", "135.94", "0", "0", "180.81", "1041.66", "0"},
		r.Loans[1].Figures, "B")
	require.Len(t, r.Carry.Loans, 1) // only A is left
}
