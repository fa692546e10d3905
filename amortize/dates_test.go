package amortize

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// FuzzGridDatesMatchDueDates holds the amortizer's two sources of due
// dates equal: an unadjusted plan's dates read from its grid one at a time
// (amortizer.dates) are schedule.DueDates' list, contractual and adjusted,
// for monthly (every 1 to 120 months, either end-of-month policy, from any
// day of the month), semi-monthly, weekly and daily plans of up to
// MaxPayments installments from a first due date within 200 years of 2024;
// a plan DueDates refuses is refused too. Compute's rows carry the same
// dates.
func FuzzGridDatesMatchDueDates(f *testing.F) {
	f.Add(int32(0), uint8(0), uint8(1), uint8(0), 360)
	f.Add(int32(30), uint8(0), uint8(1), uint8(0), 360)     // 31 Jan 2024: clamped to February, back to 31 in March
	f.Add(int32(59), uint8(0), uint8(1), uint8(1), 120)     // 29 Feb 2024, last day
	f.Add(int32(90), uint8(0), uint8(3), uint8(1), 40)      // 31 Mar 2024, last day, quarterly
	f.Add(int32(14), uint8(1), uint8(1), uint8(0), 720)     // semi-monthly 1st and 15th
	f.Add(int32(3), uint8(2), uint8(2), uint8(0), 1200)     // biweekly
	f.Add(int32(-40000), uint8(3), uint8(10), uint8(0), 99) // daily, 1914
	f.Add(int32(0), uint8(0), uint8(0), uint8(0), 0)        // invalid: every 0, count 0
	f.Fuzz(func(t *testing.T, day int32, unit, every, eom uint8, n int) {
		first := date.New(2024, time.January, 1) + date.Date(int64(day)%73_000)
		var freq schedule.Frequency
		switch unit % 4 {
		case 0:
			freq = schedule.EveryMonths(int(every % 122))
		case 1:
			freq = schedule.SemiMonthly(1, 15)
		case 2:
			freq = schedule.Frequency{Unit: schedule.UnitWeek, Every: int(every % 54)}
		default:
			freq = schedule.EveryDays(int(every))
		}
		n = int(abs(int64(n)) % (MaxPayments + 2))
		tm := mortgage(t, "1000.00", "6", max(n, 1))
		tm.Installments, tm.FundingDate, tm.FirstDueDate, tm.Frequency = n, first-1, first, freq
		tm.EOM = []schedule.EOMPolicy{schedule.EOMAnchor, schedule.EOMLastDay}[eom%2]
		tm.Adjust, tm.InterestMethod = schedule.Unadjusted, InterestDaily // daily: any first period is regular
		am := &amortizer{t: tm, horizon: n}
		err := am.dates()
		list, listErr := schedule.DueDates(tm.plan(n))
		if listErr != nil {
			require.Error(t, err, "DueDates refuses the plan: %v", listErr)
			return
		}
		require.NoError(t, err)
		require.True(t, am.onGrid, "an unadjusted plan reads its grid")
		require.Nil(t, am.dues)
		for k, d := range list {
			if c, a := am.contractual(k), am.adjusted(k); c != d.Contractual || a != d.Adjusted {
				t.Fatalf("installment %d: grid %s/%s, DueDates %s/%s", k+1, c, a, d.Contractual, d.Adjusted)
			}
		}
		if tm.Validate() != nil {
			return
		}
		tb, err := Compute(tm)
		if err != nil {
			return // long periods can owe more interest than money holds: not about dates
		}
		for i, r := range tb.Rows {
			require.Equal(t, list[i].Adjusted, r.DueDate, "row %d", r.N)
		}
	})
}

// A plan adjusted to business days keeps schedule.DueDates' list: 1 June
// 2024 is a Saturday, so the first installment is due Monday 3 June under
// Following (the Federal Reserve calendar), while interest runs to the
// contractual 1 June.
func TestAdjustedPlanKeepsDueDates(t *testing.T) {
	tm := mortgage(t, "1000.00", "6", 3)
	tm.FundingDate, tm.FirstDueDate = date.New(2024, time.May, 1), date.New(2024, time.June, 1)
	tm.Adjust, tm.Calendar = schedule.Following, schedule.USFederalReserve()
	am, err := newAmortizer(&tm, 3)
	require.NoError(t, err)
	require.False(t, am.onGrid)
	require.Len(t, am.dues, 3)
	require.Equal(t, date.New(2024, time.June, 1), am.contractual(0))
	require.Equal(t, date.New(2024, time.June, 3), am.adjusted(0))
	tb, err := Compute(tm)
	require.NoError(t, err)
	require.Equal(t, date.New(2024, time.June, 3), tb.Rows[0].DueDate)
}

// A table may owe more in all than one amount can hold: 9 trillion dollars
// at 50 % over 360 months pays about 360 × 9·10¹² × 0.5/12 ≈ 1.35·10¹⁶
// cents, past money.MaxMinor (10¹⁵), though every row's amounts are in
// range. Its totals are still the column sums, in the loan's currency,
// and the principal column sums to the principal.
func TestTotalsPastMaxMinor(t *testing.T) {
	tm := mortgage(t, "9000000000000.00", "50", 360)
	tb, err := Compute(tm)
	require.NoError(t, err)
	tt := tb.Totals
	require.Greater(t, tt.Payment.Minor(), int64(money.MaxMinor))
	require.Equal(t, money.USD, tt.Payment.Currency())
	require.Equal(t, money.USD, tt.Interest.Currency())
	require.True(t, tt.Principal.Equal(money.MustParse("9000000000000.00", money.USD)), "Σ principal %s", tt.Principal)
	require.Equal(t, 359*tb.Payment.Minor()+tb.Rows[359].Payment.Minor(), tt.Payment.Minor())
	require.Equal(t, tt.Payment.Minor()-tt.Principal.Minor(), tt.Interest.Minor())
}

// FuzzStreamDatesMatchDueDates holds an APR payment stream's dates
// (appendStream, read from the grid) equal to schedule.DueDates' list of
// the same plan, and refused when DueDates refuses it.
func FuzzStreamDatesMatchDueDates(f *testing.F) {
	f.Add(int32(31), uint8(0), uint8(1), 360) // from 1 Feb 2024, monthly
	f.Add(int32(30), uint8(0), uint8(1), 13)  // from 31 Jan 2024: 29 Feb, 31 Mar, …
	f.Add(int32(31), uint8(1), uint8(1), 720) // semi-monthly 1st and 16th
	f.Add(int32(9), uint8(2), uint8(2), 26)   // biweekly
	f.Add(int32(0), uint8(3), uint8(0), 0)    // refused: every 0 days, no payments
	f.Fuzz(func(t *testing.T, day int32, unit, every uint8, n int) {
		first := date.New(2024, time.January, 1) + date.Date(int64(day)%73_000)
		freq := []schedule.Frequency{schedule.EveryMonths(int(every % 122)), schedule.SemiMonthly(1, 16),
			{Unit: schedule.UnitWeek, Every: int(every % 54)}, schedule.EveryDays(int(every))}[unit%4]
		n = int(abs(int64(n)) % (MaxPayments + 2))
		st := PaymentStream{Amount: money.MustParse("100.00", money.USD), Count: n, First: first, Frequency: freq}
		pays, err := appendStream([]Payment{{Date: 1}}, st)
		p := schedule.Plan{Start: first - 1, FirstDue: first, Count: n, Frequency: freq, Adjust: schedule.Unadjusted}
		if freq.Unit == schedule.UnitMonth {
			p.EOM = schedule.EOMAnchor
		}
		list, listErr := schedule.DueDates(p)
		if listErr != nil {
			require.EqualError(t, err, listErr.Error())
			return
		}
		require.NoError(t, err)
		require.Len(t, pays, 1+len(list))
		for k, d := range list {
			require.Equal(t, Payment{Date: d.Contractual, Amount: st.Amount}, pays[1+k], "payment %d", k+1)
		}
	})
}
