package revolving

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

func lineTerms(m Method) Terms {
	return Terms{APR: rate.MustPercent("18"), DayCount: accrual.DayCount{Convention: accrual.Act365Fixed}, Method: m,
		Rounding: money.HalfUp, MinPercentBasisPoints: 200, MinFloor: usd("25.00"), DueDays: 25}
}

// One cycle worked by hand: 1 Jan – 1 Feb 2025 (31 days), 1,000.00 owed at
// the start; a 500.00 draw on 11 Jan, a 300.00 payment on 21 Jan and a
// 25.00 late fee on 25 Jan (owed, bearing no interest). The daily balances
// are 1,000.00 for 10 days, 1,500.00 for 10 and 1,200.00 for 11: 38,200.00
// dollar-days. Daily balance method: 38,200 × 18 % / 365 = 18.838… → 18.84.
// Average daily balance 38,200 / 31 = 1,232.258… → 1,232.26, and its
// charge 1,232.26 × 18 % × 31/365 = 18.838… → 18.84. New balance 1,000 +
// 500 − 300 + 25 + 18.84 = 1,243.84; minimum 2 % of 1,200.00 (24.00) +
// 18.84 + 25.00 = 67.84, due 25 days after the statement date, 26 Feb. The
// periodic rate: 18 % / 365 = 0.0004931507 a day.
func TestCycleByHand(t *testing.T) {
	c := Cycle{Start: date.New(2025, 1, 1), End: date.New(2025, 2, 1), Balance: usd("1000.00"), Fees: usd("0.00"),
		Activity: []Activity{{On: date.New(2025, 1, 11), Kind: Draw, Amount: usd("500.00")},
			{On: date.New(2025, 1, 21), Kind: Payment, Amount: usd("300.00")},
			{On: date.New(2025, 1, 25), Kind: Fee, Amount: usd("25.00")}}}
	for _, m := range []Method{DailyBalance, AverageDailyBalance} {
		st, err := Compute(lineTerms(m), c)
		require.NoError(t, err)
		require.Equal(t, "18.84", st.InterestCharged.String(), m)
		require.Equal(t, "1232.26", st.AverageDailyBalance.String())
		require.Equal(t, "1243.84", st.NewBalance.String())
		require.Equal(t, "1218.84", st.Balance.String())
		require.Equal(t, "25.00", st.FeesOwed.String())
		require.Equal(t, "67.84", st.MinimumPayment.String())
		require.Equal(t, date.New(2025, 2, 26), st.DueDate)
		require.Equal(t, 31, st.Days)
		require.Equal(t, "0.0004931507", st.DailyPeriodicRate.String())
		require.Equal(t, "1000.00", st.PreviousBalance.String())
		require.Equal(t, "300.00", st.Payments.String())
		require.Equal(t, "500.00", st.Draws.String())
		require.Equal(t, "25.00", st.Fees.String())
	}
}

// The floor and the cap of the minimum payment: a 200.00 balance at 0 %
// owes 2 % = 4.00, raised to the 25.00 floor; a 10.00 balance owes all of
// it, less than the floor.
func TestMinimumFloorAndCap(t *testing.T) {
	tm := lineTerms(DailyBalance)
	tm.APR = rate.Zero
	for _, c := range []struct{ bal, want string }{{"200.00", "25.00"}, {"10.00", "10.00"}, {"0.00", "0.00"}, {"5000.00", "100.00"}} {
		st, err := Compute(tm, Cycle{Start: date.New(2025, 1, 1), End: date.New(2025, 2, 1), Balance: usd(c.bal), Fees: usd("0.00")})
		require.NoError(t, err)
		require.Equal(t, c.want, st.MinimumPayment.String(), c.bal)
	}
}

// Bad input names every bad field.
func TestComputeRefusals(t *testing.T) {
	tm := lineTerms("monthly")
	tm.DueDays, tm.MinPercentBasisPoints = 0, -1
	_, err := Compute(tm, Cycle{Start: date.New(2025, 2, 1), End: date.New(2025, 1, 1), Balance: usd("10.00"),
		Activity: []Activity{{On: date.New(2025, 3, 1), Kind: "purchase", Amount: usd("-1.00")}}})
	require.ErrorIs(t, err, ErrInvalid)
	require.ElementsMatch(t, []string{"Terms.Method", "Terms.MinPercentBasisPoints", "Terms.DueDays", "Cycle.End",
		"Cycle.Activity[0].On", "Cycle.Activity[0].Kind", "Cycle.Activity[0].Amount"}, field.Fields(err))
	_, err = Compute(lineTerms(DailyBalance), Cycle{Start: date.New(2025, 1, 1), End: date.New(2025, 2, 1), Balance: usd("10.00"),
		Activity: []Activity{{On: date.New(2025, 1, 5), Kind: Payment, Amount: usd("20.00")}}})
	require.Equal(t, []string{"Cycle.Activity"}, field.Fields(err))
}

// TestDailyChargesSum: on random cycles the daily balance method's finance
// charge is the sum of the day-by-day charges, balance × APR / 365 for
// each day (actual/365 fixed), computed here exactly with math/big and
// rounded once half up; the new balance is the previous one less payments
// and credits plus draws, fees and interest; the minimum payment lies
// between zero and the new balance.
func TestDailyChargesSum(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for range 500 {
		start := date.New(2024, 1, 1) + date.Date(r.IntN(700))
		days := 28 + r.IntN(5)
		c := Cycle{Start: start, End: start + date.Date(days), Balance: money.MustNew(r.Int64N(5_000_000), money.USD), Fees: usd("0.00")}
		bal := c.Balance.Minor()
		daily := make([]int64, days)
		on := start
		for range r.IntN(12) {
			on += date.Date(r.IntN(4))
			if on >= c.End {
				break
			}
			k, amt := []ActivityKind{Draw, Payment, Credit, Fee}[r.IntN(4)], 1+r.Int64N(200_000)
			if (k == Payment || k == Credit) && amt > bal {
				continue
			}
			c.Activity = append(c.Activity, Activity{On: on, Kind: k, Amount: money.MustNew(amt, money.USD)})
			switch k {
			case Draw:
				bal += amt
			case Payment, Credit:
				bal -= amt
			}
			for d := int(on - start); d < days; d++ {
				daily[d] = bal
			}
		}
		// Days before the first change keep the opening balance.
		b0 := c.Balance.Minor()
		for d := 0; d < days; d++ {
			if len(c.Activity) == 0 || start+date.Date(d) < c.Activity[0].On {
				daily[d] = b0
			}
		}
		apr := rate.MustPercent([]string{"0", "4.99", "18", "29.99"}[r.IntN(4)])
		tm := lineTerms(DailyBalance)
		tm.APR = apr
		st, err := Compute(tm, c)
		require.NoError(t, err)
		num, den := apr.Ratio()
		sum := new(big.Rat)
		for _, b := range daily {
			sum.Add(sum, new(big.Rat).SetFrac(big.NewInt(b*num), big.NewInt(den*365)))
		}
		want := roundHalfUp(sum)
		require.Equal(t, want, st.InterestCharged.Minor(), "cycle %v", c)
		var pay, cred, drw, fee int64
		for _, a := range c.Activity {
			switch a.Kind {
			case Payment:
				pay += a.Amount.Minor()
			case Credit:
				cred += a.Amount.Minor()
			case Draw:
				drw += a.Amount.Minor()
			case Fee:
				fee += a.Amount.Minor()
			}
		}
		require.Equal(t, c.Balance.Minor()-pay-cred+drw+fee+want, st.NewBalance.Minor())
		require.False(t, st.MinimumPayment.IsNegative() || st.MinimumPayment.GreaterThan(st.NewBalance))
	}
}

// roundHalfUp rounds a non-negative rational to the nearest integer, halves up.
func roundHalfUp(x *big.Rat) int64 {
	n := new(big.Int).Mul(x.Num(), big.NewInt(2))
	n.Add(n, x.Denom())
	d := new(big.Int).Mul(x.Denom(), big.NewInt(2))
	return new(big.Int).Quo(n, d).Int64()
}
