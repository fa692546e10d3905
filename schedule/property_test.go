package schedule

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// randomPlan draws a valid plan: any unit and step, dates from 1900 to
// 2300, any EOM policy and adjustment.
func randomPlan(r *rand.Rand) Plan {
	start := fromCivil(1900+r.IntN(400), 1+r.IntN(12), 1+r.IntN(28)) + date.Date(r.IntN(3))
	p := Plan{Start: start, Count: 1 + r.IntN(MaxCount)}
	switch r.IntN(6) {
	case 0, 1:
		p.Frequency = EveryMonths([]int{1, 1, 2, 3, 6, 12, 5}[r.IntN(7)])
		p.EOM = EOMAnchor
		p.FirstDue = AddMonths(start, 1+r.IntN(3), 1+r.IntN(31), EOMAnchor)
		if r.IntN(3) == 0 {
			p.DueDay = 31
			p.FirstDue = AddMonths(p.FirstDue, 0, 31, EOMAnchor)
		}
		if r.IntN(4) == 0 {
			p.EOM, p.DueDay = EOMLastDay, 0
			p.FirstDue = AddMonths(p.FirstDue, 0, 0, EOMLastDay)
		}
	case 2:
		d1 := 1 + r.IntN(27)
		p.Frequency = SemiMonthly(d1, d1+1+r.IntN(31-d1))
		p.FirstDue = AddMonths(start, 1, p.Frequency.SemiMonthlyDays[r.IntN(2)], EOMAnchor)
	case 3:
		p.Frequency = Frequency{Unit: UnitWeek, Every: 1 + r.IntN(4)}
		p.FirstDue = start + date.Date(1+r.IntN(40))
	default:
		p.Frequency = EveryDays(1 + r.IntN(60))
		p.FirstDue = start + date.Date(1+r.IntN(90))
	}
	p.Adjust = []BusinessDayConvention{Unadjusted, Following, ModifiedFollowing, Preceding, ModifiedPreceding}[r.IntN(5)]
	p.Calendar = []Calendar{Weekends(), USFederalReserve(), HolidayList(start + 10)}[r.IntN(3)]
	return p
}

// TestDueDatesProperties checks, for many random plans: the right count;
// contractual dates strictly increasing; month steps exactly Every months
// apart on the anchor day (clamped) or the last day; semi-monthly dates
// alternating between the two days; week and day steps exact; adjusted
// dates are business days, on the right side of the contractual date, in its
// month for the modified conventions, and never decreasing; periods tile
// [Start, last due) without gaps.
func TestDueDatesProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	n := 600
	if testing.Short() {
		n = 100
	}
	checked := 0
	for range n {
		p := randomPlan(r)
		dues, err := DueDates(p)
		require.NoError(t, err, "%+v", p)
		checked += len(dues)
		require.Len(t, dues, p.Count)
		require.Equal(t, p.FirstDue, dues[0].Contractual)
		anchor := p.DueDay
		if anchor == 0 {
			anchor = dayOf(p.FirstDue)
		}
		for i, du := range dues {
			if msg := checkAdjusted(p, du); msg != "" {
				t.Fatalf("plan %+v installment %d: %s", p, i+1, msg)
			}
			if i == 0 {
				continue
			}
			prev := dues[i-1]
			if prev.Contractual >= du.Contractual || prev.Adjusted > du.Adjusted {
				t.Fatalf("plan %+v: installment %d %+v does not follow %+v", p, i+1, du, prev)
			}
			if msg := checkStep(p, anchor, prev.Contractual, du.Contractual); msg != "" {
				t.Fatalf("plan %+v installment %d: %s", p, i+1, msg)
			}
		}
		per, err := Periods(p, ContractualDates)
		require.NoError(t, err)
		require.Equal(t, p.Start, per[0].Start)
		total := 0
		for i, x := range per {
			if x.End != dues[i].Contractual {
				t.Fatalf("period %d %s does not end on due %s", i+1, x, dues[i].Contractual)
			}
			total += x.Days()
		}
		require.Equal(t, int(dues[len(dues)-1].Contractual-p.Start), total)
	}
	t.Logf("%d plans, %d due dates checked", n, checked)
}

// checkAdjusted returns what is wrong with an adjusted date, or "". (Plain
// comparisons: this runs hundreds of thousands of times.)
func checkAdjusted(p Plan, du Due) string {
	c, a := du.Contractual, du.Adjusted
	switch {
	case p.Adjust == Unadjusted:
		if c != a {
			return fmt.Sprintf("unadjusted %s moved to %s", c, a)
		}
		return ""
	case !p.Calendar.IsBusinessDay(a):
		return fmt.Sprintf("%s adjusted to non-business day %s", c, a)
	case p.Calendar.IsBusinessDay(c) && c != a:
		return fmt.Sprintf("business day %s moved to %s", c, a)
	case p.Adjust == Following && a < c, p.Adjust == Preceding && a > c:
		return fmt.Sprintf("%s: %s moved the wrong way to %s", p.Adjust, c, a)
	case (p.Adjust == ModifiedFollowing || p.Adjust == ModifiedPreceding) && monthIndex(c) != monthIndex(a):
		return fmt.Sprintf("%s: %s left its month for %s", p.Adjust, c, a)
	}
	return ""
}

// checkStep returns what is wrong with the step prev → cur, or "".
func checkStep(p Plan, anchor int, prev, cur date.Date) string {
	f := p.Frequency
	y, m, day := civil(cur)
	bad := func() string {
		return fmt.Sprintf("%s after %s breaks %s (anchor %d, %s)", cur, prev, f, anchor, p.EOM)
	}
	switch f.Unit {
	case UnitMonth:
		want := min(anchor, daysIn(y, m))
		if p.EOM == EOMLastDay {
			want = daysIn(y, m)
		}
		if monthIndex(cur)-monthIndex(prev) != f.Every || day != want {
			return bad()
		}
	case UnitSemiMonth:
		d1, d2 := p.semiDays(cur)
		_, p2 := p.semiDays(prev)
		firstOfMonth := day == d1 && monthIndex(cur) == monthIndex(prev)+1 && dayOf(prev) == p2
		second := day == d2 && monthIndex(cur) == monthIndex(prev)
		if !firstOfMonth && !second {
			return bad()
		}
	case UnitWeek:
		if int(cur-prev) != 7*f.Every {
			return bad()
		}
	default:
		if int(cur-prev) != f.Every {
			return bad()
		}
	}
	return ""
}

// TestFirstPeriodProperties: for random start/first-due pairs, FullPeriods
// whole periods back from the first due date stay on or after Start, one
// more would not, and OddDays is what is left.
func TestFirstPeriodProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for range 3000 {
		p := randomPlan(r)
		p.Count = 1
		p.FirstDue = p.step(r.IntN(30)) // first periods of up to ~30 regular periods
		fp, err := p.FirstPeriod()
		require.NoError(t, err)
		k := fp.FullPeriods
		require.GreaterOrEqual(t, p.step(-k), p.Start)
		require.Less(t, p.step(-(k + 1)), p.Start)
		require.Equal(t, int(p.step(-k)-p.Start), fp.OddDays)
		require.Equal(t, p.step(-1), fp.RegularStart)
		switch fp.Kind {
		case Short:
			require.Zero(t, k)
			require.Equal(t, fp.Days(), fp.OddDays)
		case Regular:
			require.Equal(t, 1, k)
			require.Zero(t, fp.OddDays)
		default:
			require.Equal(t, Long, fp.Kind)
			require.True(t, k > 1 || fp.OddDays > 0)
		}
	}
}
