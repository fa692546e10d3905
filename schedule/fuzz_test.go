package schedule

import (
	"errors"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// FuzzDueDates feeds arbitrary dates, counts, units, steps, days and
// conventions to every entry point. Nothing may panic; a refused plan must
// name its bad fields; an accepted one must give Count strictly increasing
// contractual dates. Work is bounded by validation (Count ≤ MaxCount,
// bounded searches), so every input finishes quickly.
func FuzzDueDates(f *testing.F) {
	f.Add(int64(738885), int64(738916), 12, uint8(0), 1, 0, 0, uint8(0), uint8(1), 0)      // 2024-01-31 monthly
	f.Add(int64(738885), int64(738900), 24, uint8(1), 1, 15, 31, uint8(0), uint8(2), 0)    // semi-monthly 15/31
	f.Add(int64(738885), int64(738899), 26, uint8(2), 2, 0, 0, uint8(2), uint8(3), 0)      // biweekly
	f.Add(int64(738885), int64(738895), 1200, uint8(3), 3660, 0, 0, uint8(1), uint8(4), 0) // runs past 9999
	f.Add(int64(0), int64(-5), -1, uint8(9), 0, 0, 32, uint8(7), uint8(9), 99)             // everything wrong
	f.Add(int64(738885), int64(738916), 1200, uint8(0), 120, 0, 0, uint8(1), uint8(0), 31) // long steps
	f.Add(int64(1)<<62, int64(-1)<<62, 1<<40, uint8(0), -1<<40, -1<<40, 1<<40, uint8(0), uint8(0), -1<<40)
	units := []Unit{UnitMonth, UnitSemiMonth, UnitWeek, UnitDay, "", "fortnight"}
	eoms := []EOMPolicy{EOMAnchor, EOMLastDay, "", "same_day"}
	adjs := []BusinessDayConvention{Unadjusted, Following, ModifiedFollowing, Preceding, ModifiedPreceding, "", "nearest"}
	cals := []Calendar{USFederalReserve(), Weekends(), nil, never{}, Union(USFederalReserve(), HolidayList(738900))}
	f.Fuzz(func(t *testing.T, start, first int64, count int, unit uint8, every, d1, d2 int, eom, adj uint8, dueDay int) {
		p := Plan{
			Start: date.Date(start), FirstDue: date.Date(first), Count: count,
			Frequency: Frequency{Unit: units[int(unit)%len(units)], Every: every, SemiMonthlyDays: [2]int{d1, d2}},
			EOM:       eoms[int(eom)%len(eoms)], DueDay: dueDay,
			Adjust: adjs[int(adj)%len(adjs)], Calendar: cals[int(adj/8)%len(cals)],
		}
		dues, err := DueDates(p)
		if err != nil {
			var fe *field.Error
			if errors.Is(err, ErrInvalidPlan) && (!errors.As(err, &fe) || len(field.Fields(err)) == 0) {
				t.Fatalf("refused plan names no field: %v", err)
			}
			if !errors.Is(err, ErrInvalidPlan) && !errors.Is(err, ErrNoBusinessDay) {
				t.Fatalf("unexpected error %v", err)
			}
		} else {
			if len(dues) != p.Count {
				t.Fatalf("%d dues for count %d", len(dues), p.Count)
			}
			for i := 1; i < len(dues); i++ {
				if dues[i].Contractual <= dues[i-1].Contractual {
					t.Fatalf("not increasing at %d: %v", i, dues[i-1:i+1])
				}
			}
		}
		_, _ = Periods(p, AdjustedDates)
		_, _ = p.FirstPeriod()
		_, _ = FirstPeriod(p.Start, p.FirstDue, p.Frequency)
		_, _ = p.Frequency.PeriodsPerYear()
		_ = p.Frequency.String()
		_ = AddMonths(p.Start, count, dueDay, p.EOM)
		cal := p.Calendar
		_ = Adjust(p.FirstDue, cal, p.Adjust)
		_ = AddBusinessDays(p.Start, every, cal)
	})
}

// FuzzFillMonthsMatchesAt holds the additive monthly walk (fillMonths, the
// fast path of DueDates) equal to the per-date conversion (grid.at) for any
// first due date, step, anchor day and EOM policy.
func FuzzFillMonthsMatchesAt(f *testing.F) {
	f.Add(int32(738886), uint8(1), uint8(31), false, uint16(360))
	f.Add(int32(730119), uint8(12), uint8(29), true, uint16(100))
	f.Add(int32(693595), uint8(7), uint8(0), false, uint16(1200))
	f.Fuzz(func(t *testing.T, first int32, every, dueDay uint8, lastDay bool, count uint16) {
		d := minDate + date.Date(int64(first)%int64(maxDate-minDate)+int64(maxDate-minDate))%(maxDate-minDate)
		p := Plan{FirstDue: d, Count: 1 + int(count)%MaxCount, Frequency: EveryMonths(1 + int(every)%24), EOM: EOMAnchor}
		if lastDay {
			p.EOM = EOMLastDay
		}
		if dueDay%32 != 0 && AddMonths(d, 0, int(dueDay%32), EOMAnchor) == d {
			p.DueDay = int(dueDay % 32)
		}
		g := p.grid()
		if g.at(p.Count-1) > maxDate {
			return
		}
		out := make([]Due, p.Count)
		g.fillMonths(out)
		for k := range out {
			if want := g.at(k); out[k].Contractual != want {
				t.Fatalf("%+v: date %d = %s, want %s", p, k, out[k].Contractual, want)
			}
		}
	})
}

// FuzzWalkerMatchesAt holds the Walker (the additive walk an amortization
// table reads its due dates from) equal to Grid.At for every frequency,
// step, anchor day and EOM policy, from any starting index, negative ones
// included.
func FuzzWalkerMatchesAt(f *testing.F) {
	f.Add(int32(738886), uint8(0), uint8(1), uint8(31), false, int16(0), uint16(360))
	f.Add(int32(730119), uint8(0), uint8(12), uint8(29), true, int16(-40), uint16(100))
	f.Add(int32(693595), uint8(1), uint8(1), uint8(15), false, int16(7), uint16(720))
	f.Add(int32(700000), uint8(2), uint8(2), uint8(0), false, int16(-3), uint16(50))
	f.Add(int32(710000), uint8(3), uint8(14), uint8(0), false, int16(5), uint16(50))
	f.Fuzz(func(t *testing.T, first int32, unit, every, dueDay uint8, lastDay bool, from int16, count uint16) {
		d := minDate + date.Date(int64(first)%int64(maxDate-minDate)+int64(maxDate-minDate))%(maxDate-minDate)
		p := Plan{FirstDue: d, Frequency: EveryMonths(1 + int(every)%24), EOM: EOMAnchor}
		switch unit % 4 {
		case 1:
			_, _, day := civil(d)
			other := 1 + (day+13)%28
			if day == other {
				return
			}
			p.Frequency = SemiMonthly(min(day, other), max(day, other))
		case 2:
			p.Frequency = Weekly()
		case 3:
			p.Frequency = EveryDays(1 + int(every)%60)
		}
		if lastDay {
			p.EOM = EOMLastDay
		}
		if unit%4 == 0 && dueDay%32 != 0 && AddMonths(d, 0, int(dueDay%32), EOMAnchor) == d {
			p.DueDay = int(dueDay % 32)
		}
		g := p.Grid()
		k0, n := int(from)%400, 1+int(count)%MaxCount
		if g.At(k0) < minDate || g.At(k0+n-1) > maxDate {
			return
		}
		w := g.Walk(k0)
		for k := k0; k < k0+n; k++ {
			if got, want := w.Next(), g.At(k); got != want {
				t.Fatalf("%+v: date %d = %s, want %s", p, k, got, want)
			}
		}
	})
}
