package schedule

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFirstPeriod: each row's numbers are counted by hand on a calendar,
// stepping whole periods back from the first due date. The Reg Z rows use
// the advance and first payment dates of Regulation Z Appendix J (c)
// examples (as transcribed in testdata/vectors/regz_apr.json).
func TestFirstPeriod(t *testing.T) {
	tests := []struct {
		name         string
		start, first string
		freq         Frequency
		kind         PeriodKind
		full, odd    int
		regularStart string
	}{
		{"regular month", "2024-01-15", "2024-02-15", Monthly(), Regular, 1, 0, "2024-01-15"},
		// 20 Jan → 31 Jan = 11 days, then 15 more to 15 Feb: 26.
		{"short month", "2024-01-20", "2024-02-15", Monthly(), Short, 0, 26, "2024-01-15"},
		// 1 Jan → 15 Jan = 14 odd days, then one month to 15 Feb.
		{"long month", "2024-01-01", "2024-02-15", Monthly(), Long, 1, 14, "2024-01-15"},
		// Three whole months back to 15 Jan, then 14 odd days.
		{"long, several months", "2024-01-01", "2024-04-15", Monthly(), Long, 3, 14, "2024-03-15"},
		{"exactly two months", "2024-01-15", "2024-03-15", Monthly(), Long, 2, 0, "2024-02-15"},
		// (c)(1)(i): advance 10 Jan 1978, first payment 10 Feb 1978.
		{"Reg Z (c)(1)(i) monthly", "1978-01-10", "1978-02-10", Monthly(), Regular, 1, 0, "1978-01-10"},
		// (c)(1)(iii): advance 23 Feb 1978, semi-monthly on 1st/16th from 1 Mar:
		// one step back is 16 Feb, before the advance; 23 Feb → 1 Mar 1978 = 5 + 1 = 6 days.
		{"Reg Z (c)(1)(iii) semi-monthly", "1978-02-23", "1978-03-01", SemiMonthly(1, 16), Short, 0, 6, "1978-02-16"},
		// (c)(1)(iv): advance 23 May 1978, quarterly from 1 Oct 1978:
		// 1 Jul is one quarter back; 23 May → 1 Jul = 8 + 30 + 1 = 39 days.
		{"Reg Z (c)(1)(iv) quarterly", "1978-05-23", "1978-10-01", Quarterly(), Long, 1, 39, "1978-07-01"},
		// (c)(1)(v): advance 20 Mar 1978, weekly from 21 Apr 1978:
		// 14 Apr, 7 Apr, 31 Mar, 24 Mar are whole weeks back; 20 → 24 Mar = 4 days.
		{"Reg Z (c)(1)(v) weekly", "1978-03-20", "1978-04-21", Weekly(), Long, 4, 4, "1978-04-14"},
		// (c)(3)(ii): advance 3 Apr 1978, biweekly from 11 Apr 1978: 8 days.
		{"Reg Z (c)(3)(ii) biweekly", "1978-04-03", "1978-04-11", Biweekly(), Short, 0, 8, "1978-03-28"},
		// (c)(4)(ii): advance 10 Jan 1978, every 2 months from 1 Mar 1978:
		// 1 Jan is before the advance; 10 Jan → 1 Mar 1978 = 21 + 28 + 1 = 50 days.
		{"Reg Z (c)(4)(ii) bimonthly", "1978-01-10", "1978-03-01", EveryMonths(2), Short, 0, 50, "1978-01-01"},
		// Anchor policy steps back from 29 Feb on the 29th: 29 Jan.
		{"anchored on the first due's day", "2024-01-31", "2024-02-29", Monthly(), Short, 0, 29, "2024-01-29"},
		{"every 10 days", "2024-01-01", "2024-01-25", EveryDays(10), Long, 2, 4, "2024-01-15"},
		// 15th/last-day grid back from 15 Mar: 29 Feb, 15 Feb, 31 Jan.
		{"semi-monthly long", "2024-01-25", "2024-03-15", SemiMonthly(15, 31), Long, 3, 6, "2024-02-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := FirstPeriod(d(tt.start), d(tt.first), tt.freq)
			require.NoError(t, err)
			require.Equal(t, d(tt.start), p.Start)
			require.Equal(t, d(tt.first), p.End)
			require.Equal(t, tt.kind, p.Kind)
			require.Equal(t, tt.full, p.FullPeriods, "full periods")
			require.Equal(t, tt.odd, p.OddDays, "odd days")
			require.Equal(t, d(tt.regularStart), p.RegularStart)
		})
	}
}

// TestPlanFirstPeriodUsesAnchor: with DueDay 31 the grid steps back from
// 29 Feb to 31 Jan, so [31 Jan, 29 Feb) is a regular month.
func TestPlanFirstPeriodUsesAnchor(t *testing.T) {
	p := Plan{Start: d("2024-01-31"), FirstDue: d("2024-02-29"), Count: 3, Frequency: Monthly(),
		EOM: EOMAnchor, DueDay: 31, Adjust: Unadjusted}
	fp, err := p.FirstPeriod()
	require.NoError(t, err)
	require.Equal(t, Regular, fp.Kind)
	require.Equal(t, d("2024-01-31"), fp.RegularStart)
	// Last-day grid: 30 Apr back to 31 Mar; from 30 Mar that is 1 odd day.
	p = Plan{Start: d("2024-03-30"), FirstDue: d("2024-04-30"), Count: 3, Frequency: Monthly(),
		EOM: EOMLastDay, Adjust: Unadjusted}
	fp, err = p.FirstPeriod()
	require.NoError(t, err)
	require.Equal(t, Long, fp.Kind)
	require.Equal(t, 1, fp.OddDays)
}

func TestFirstPeriodErrors(t *testing.T) {
	_, err := FirstPeriod(d("2024-02-01"), d("2024-01-01"), Monthly())
	require.ErrorIs(t, err, ErrInvalidPlan)
	_, err = FirstPeriod(d("2024-01-01"), d("2024-02-01"), Frequency{})
	require.ErrorIs(t, err, ErrInvalidPlan)
	_, err = FirstPeriod(d("2024-01-01"), d("2024-02-02"), SemiMonthly(1, 16))
	require.ErrorIs(t, err, ErrInvalidPlan)
}

// TestPeriods: contractual and adjusted bases on the Fed calendar. The 15th
// of June 2024 is a Saturday, paid on Monday the 17th.
func TestPeriods(t *testing.T) {
	p := Plan{Start: d("2024-04-01"), FirstDue: d("2024-05-15"), Count: 3, Frequency: Monthly(),
		EOM: EOMAnchor, Calendar: USFederalReserve(), Adjust: Following}
	per, err := Periods(p, ContractualDates)
	require.NoError(t, err)
	require.Len(t, per, 3)
	require.Equal(t, Period{Start: d("2024-04-01"), End: d("2024-05-15"), Kind: Long,
		RegularStart: d("2024-04-15"), FullPeriods: 1, OddDays: 14}, per[0])
	require.Equal(t, "[2024-05-15, 2024-06-15)", per[1].String())
	require.Equal(t, 31, per[1].Days())
	require.Equal(t, "[2024-06-15, 2024-07-15)", per[2].String())
	require.Equal(t, Regular, per[2].Kind)

	per, err = Periods(p, AdjustedDates)
	require.NoError(t, err)
	require.Equal(t, "[2024-05-15, 2024-06-17)", per[1].String())
	require.Equal(t, "[2024-06-17, 2024-07-15)", per[2].String())
	require.True(t, per[1].Contains(d("2024-05-15")))
	require.True(t, per[1].Contains(d("2024-06-16")))
	require.False(t, per[1].Contains(d("2024-06-17")), "half-open: the end is not in the period")

	_, err = Periods(p, "")
	require.ErrorIs(t, err, ErrInvalidPlan)
}
