package schedule

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// dates parses a space-separated list of ISO dates.
func dates(s string) []date.Date {
	var out []date.Date
	for _, f := range strings.Fields(s) {
		out = append(out, d(f))
	}
	return out
}

// TestDueDatesContractual: expected dates are read off a calendar by hand
// (month lengths; 2024 and 2028 are leap years, 2025–2027 are not).
func TestDueDatesContractual(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		want string
	}{
		{"monthly on the 31st, anchored",
			Plan{Start: d("2023-12-31"), FirstDue: d("2024-01-31"), Count: 6, Frequency: Monthly(), EOM: EOMAnchor},
			"2024-01-31 2024-02-29 2024-03-31 2024-04-30 2024-05-31 2024-06-30"},
		{"monthly, clamped first due with due day 31",
			Plan{Start: d("2024-03-31"), FirstDue: d("2024-04-30"), Count: 4, Frequency: Monthly(), EOM: EOMAnchor, DueDay: 31},
			"2024-04-30 2024-05-31 2024-06-30 2024-07-31"},
		{"monthly on the 30th stays on the 30th",
			Plan{Start: d("2024-03-30"), FirstDue: d("2024-04-30"), Count: 3, Frequency: Monthly(), EOM: EOMAnchor},
			"2024-04-30 2024-05-30 2024-06-30"},
		{"always last day",
			Plan{Start: d("2023-01-31"), FirstDue: d("2023-02-28"), Count: 4, Frequency: Monthly(), EOM: EOMLastDay},
			"2023-02-28 2023-03-31 2023-04-30 2023-05-31"},
		{"quarterly on the 30th",
			Plan{Start: d("2024-08-30"), FirstDue: d("2024-11-30"), Count: 4, Frequency: Quarterly(), EOM: EOMAnchor},
			"2024-11-30 2025-02-28 2025-05-30 2025-08-30"},
		{"semi-annual",
			Plan{Start: d("2024-02-29"), FirstDue: d("2024-08-31"), Count: 3, Frequency: SemiAnnual(), EOM: EOMAnchor},
			"2024-08-31 2025-02-28 2025-08-31"},
		{"annual from 29 February",
			Plan{Start: d("2023-02-28"), FirstDue: d("2024-02-29"), Count: 5, Frequency: Annual(), EOM: EOMAnchor},
			"2024-02-29 2025-02-28 2026-02-28 2027-02-28 2028-02-29"},
		{"every 2 months (Reg Z App. J (c)(4)(ii) stream)",
			Plan{Start: d("1978-01-10"), FirstDue: d("1978-03-01"), Count: 3, Frequency: EveryMonths(2), EOM: EOMAnchor},
			"1978-03-01 1978-05-01 1978-07-01"},
		{"semi-monthly 15th and last day",
			Plan{Start: d("2024-01-15"), FirstDue: d("2024-01-31"), Count: 7, Frequency: SemiMonthly(15, 31)},
			"2024-01-31 2024-02-15 2024-02-29 2024-03-15 2024-03-31 2024-04-15 2024-04-30"},
		{"semi-monthly 1st and 16th (Reg Z App. J (c)(1)(iii) stream)",
			Plan{Start: d("1978-02-23"), FirstDue: d("1978-03-01"), Count: 4, Frequency: SemiMonthly(1, 16)},
			"1978-03-01 1978-03-16 1978-04-01 1978-04-16"},
		{"semi-monthly 15th and 30th through February",
			Plan{Start: d("2025-01-20"), FirstDue: d("2025-01-30"), Count: 4, Frequency: SemiMonthly(15, 30)},
			"2025-01-30 2025-02-15 2025-02-28 2025-03-15"},
		{"weekly (Reg Z App. J (c)(1)(v) stream)",
			Plan{Start: d("1978-03-20"), FirstDue: d("1978-04-21"), Count: 3, Frequency: Weekly()},
			"1978-04-21 1978-04-28 1978-05-05"},
		{"biweekly over a year end",
			Plan{Start: d("2024-12-06"), FirstDue: d("2024-12-20"), Count: 4, Frequency: Biweekly()},
			"2024-12-20 2025-01-03 2025-01-17 2025-01-31"},
		{"every 10 days",
			Plan{Start: d("2024-02-10"), FirstDue: d("2024-02-20"), Count: 3, Frequency: EveryDays(10)},
			"2024-02-20 2024-03-01 2024-03-11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.plan.Adjust = Unadjusted
			dues, err := DueDates(tt.plan)
			require.NoError(t, err)
			want := dates(tt.want)
			require.Len(t, dues, len(want))
			for i, du := range dues {
				require.Equal(t, want[i], du.Contractual, "installment %d", i+1)
				require.Equal(t, du.Contractual, du.Adjusted, "unadjusted")
			}
		})
	}
}

// TestDueDatesAdjusted: the 15th of each month of 2024 on the Fed calendar.
// Weekend 15ths in 2024: June (Sat), September (Sun), December (Sun).
func TestDueDatesAdjusted(t *testing.T) {
	p := Plan{Start: d("2023-12-15"), FirstDue: d("2024-01-15"), Count: 12, Frequency: Monthly(),
		EOM: EOMAnchor, Calendar: USFederalReserve(), Adjust: Following}
	dues, err := DueDates(p)
	require.NoError(t, err)
	adjusted := map[int]string{
		0: "2024-01-16", // Mon 15 Jan is MLK Day
		1: "2024-02-15", 5: "2024-06-17", 8: "2024-09-16", 11: "2024-12-16",
	}
	for i, du := range dues {
		require.Equal(t, AddMonths(d("2024-01-15"), i, 0, EOMAnchor), du.Contractual)
		if w, ok := adjusted[i]; ok {
			require.Equal(t, d(w), du.Adjusted, "installment %d", i+1)
		} else {
			require.Equal(t, du.Contractual, du.Adjusted, "installment %d", i+1)
		}
	}
	p.Adjust = Preceding
	dues, err = DueDates(p)
	require.NoError(t, err)
	require.Equal(t, d("2024-01-12"), dues[0].Adjusted)
	require.Equal(t, d("2024-06-14"), dues[5].Adjusted)
}

func TestDueDatesNoBusinessDay(t *testing.T) {
	_, err := DueDates(Plan{Start: d("2024-01-01"), FirstDue: d("2024-02-01"), Count: 2, Frequency: Monthly(),
		EOM: EOMAnchor, Calendar: never{}, Adjust: Following})
	require.ErrorIs(t, err, ErrNoBusinessDay)
}

func validPlan() Plan {
	return Plan{Start: d("2024-01-01"), FirstDue: d("2024-02-01"), Count: 12, Frequency: Monthly(),
		EOM: EOMAnchor, Calendar: Weekends(), Adjust: Following}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(p *Plan)
		fields []string
		cause  error
	}{
		{"valid", func(p *Plan) {}, nil, nil},
		{"count zero", func(p *Plan) { p.Count = 0 }, []string{"Plan.Count"}, field.ErrOutOfRange},
		{"count negative", func(p *Plan) { p.Count = -5 }, []string{"Plan.Count"}, field.ErrOutOfRange},
		{"count above max", func(p *Plan) { p.Count = MaxCount + 1 }, []string{"Plan.Count"}, field.ErrOutOfRange},
		{"count at max ok", func(p *Plan) { p.Count = MaxCount }, nil, nil},
		{"unknown frequency", func(p *Plan) { p.Frequency = Frequency{Unit: "lunar", Every: 1} }, []string{"Plan.Frequency.Unit"}, field.ErrNotSupported},
		{"missing frequency", func(p *Plan) { p.Frequency = Frequency{} }, []string{"Plan.Frequency.Unit"}, field.ErrRequired},
		{"every zero", func(p *Plan) { p.Frequency.Every = 0 }, []string{"Plan.Frequency.Every"}, field.ErrOutOfRange},
		{"first due before start", func(p *Plan) { p.FirstDue = d("2023-12-31") }, []string{"Plan.FirstDue"}, field.ErrOutOfRange},
		{"first due on start", func(p *Plan) { p.FirstDue = p.Start }, []string{"Plan.FirstDue"}, field.ErrOutOfRange},
		{"zero start", func(p *Plan) { p.Start = 0 }, []string{"Plan.Start"}, field.ErrOutOfRange},
		{"start after 9999", func(p *Plan) { p.Start = d("9999-12-31") + 1; p.FirstDue = p.Start + 1 }, []string{"Plan.Start", "Plan.FirstDue"}, field.ErrOutOfRange},
		{"semi-monthly day 0", func(p *Plan) { p.Frequency = SemiMonthly(0, 16) }, []string{"Plan.Frequency.SemiMonthlyDays[0]"}, field.ErrOutOfRange},
		{"semi-monthly day 32", func(p *Plan) { p.Frequency = SemiMonthly(1, 32) }, []string{"Plan.Frequency.SemiMonthlyDays[1]"}, field.ErrOutOfRange},
		{"semi-monthly first due off the days", func(p *Plan) { p.Frequency = SemiMonthly(15, 31); p.FirstDue = d("2024-02-01") }, []string{"Plan.FirstDue"}, field.ErrInvalid},
		{"semi-monthly needs no EOM", func(p *Plan) { p.Frequency = SemiMonthly(1, 16); p.EOM = "" }, nil, nil},
		{"weekly bad EOM", func(p *Plan) { p.Frequency = Weekly(); p.EOM = "sometimes" }, []string{"Plan.EOM"}, field.ErrNotSupported},
		{"monthly missing EOM", func(p *Plan) { p.EOM = "" }, []string{"Plan.EOM"}, field.ErrRequired},
		{"monthly unknown EOM", func(p *Plan) { p.EOM = "same_day" }, []string{"Plan.EOM"}, field.ErrNotSupported},
		{"last day needs month end", func(p *Plan) { p.EOM = EOMLastDay }, []string{"Plan.FirstDue"}, field.ErrInvalid},
		{"due day 0 ok", func(p *Plan) { p.DueDay = 0 }, nil, nil},
		{"due day 32", func(p *Plan) { p.DueDay = 32 }, []string{"Plan.DueDay"}, field.ErrOutOfRange},
		{"due day -1", func(p *Plan) { p.DueDay = -1 }, []string{"Plan.DueDay"}, field.ErrOutOfRange},
		{"due day off first due", func(p *Plan) { p.DueDay = 15 }, []string{"Plan.DueDay"}, field.ErrInvalid},
		{"due day on weekly", func(p *Plan) { p.Frequency = Weekly(); p.DueDay = 1 }, []string{"Plan.DueDay"}, field.ErrInvalid},
		{"missing adjustment", func(p *Plan) { p.Adjust = "" }, []string{"Plan.Adjust"}, field.ErrRequired},
		{"unknown adjustment", func(p *Plan) { p.Adjust = "nearest" }, []string{"Plan.Adjust"}, field.ErrNotSupported},
		{"missing calendar", func(p *Plan) { p.Calendar = nil }, []string{"Plan.Calendar"}, field.ErrRequired},
		{"unadjusted needs no calendar", func(p *Plan) { p.Calendar = nil; p.Adjust = Unadjusted }, nil, nil},
		{"runs past 9999", func(p *Plan) { p.Start = d("9990-01-01"); p.FirstDue = d("9990-02-01"); p.Count = 200 }, []string{"Plan.Count"}, field.ErrOutOfRange},
		{"everything wrong at once",
			func(p *Plan) { *p = Plan{Count: -1, Frequency: SemiMonthly(0, 32)} },
			[]string{"Plan.Count", "Plan.Frequency.SemiMonthlyDays[0]", "Plan.Frequency.SemiMonthlyDays[1]", "Plan.Start", "Plan.FirstDue", "Plan.Adjust"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlan()
			tt.edit(&p)
			err := p.Validate()
			if tt.fields == nil {
				require.NoError(t, err)
				_, err = DueDates(p)
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidPlan)
			if tt.cause != nil {
				require.ErrorIs(t, err, tt.cause)
			}
			require.Equal(t, tt.fields, field.Fields(err))
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
			// Every entry point reports the same error.
			dues, err2 := DueDates(p)
			require.Nil(t, dues)
			require.Equal(t, err.Error(), err2.Error())
			_, err2 = Periods(p, ContractualDates)
			require.ErrorIs(t, err2, ErrInvalidPlan)
			_, err2 = p.FirstPeriod()
			require.ErrorIs(t, err2, ErrInvalidPlan)
		})
	}
}

// TestPlanJSON: a plan serializes with ISO dates and named policies (hosts
// store loan products in databases); the calendar is attached after loading.
func TestPlanJSON(t *testing.T) {
	p := Plan{Start: d("2024-01-15"), FirstDue: d("2024-01-31"), Count: 24, Frequency: SemiMonthly(15, 31),
		Calendar: USFederalReserve(), Adjust: ModifiedFollowing}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	require.JSONEq(t, `{"start":"2024-01-15","first_due":"2024-01-31","count":24,
		"frequency":{"unit":"semi_month","every":1,"semi_monthly_days":[15,31]},"adjust":"modified_following"}`, string(b))
	var back Plan
	require.NoError(t, json.Unmarshal(b, &back))
	require.Nil(t, back.Calendar)
	back.Calendar = USFederalReserve()
	require.Equal(t, p, back)

	b, err = json.Marshal(Monthly())
	require.NoError(t, err)
	require.JSONEq(t, `{"unit":"month","every":1}`, string(b))
}

// TestFillMonthsMatchesAt checks the additive monthly walk against the
// per-date conversion for every first due date of 1999–2001 and 2099–2101
// (century and 400-year leap rules), every step and both EOM policies.
func TestFillMonthsMatchesAt(t *testing.T) {
	for _, span := range [][2]int{{1999, 2002}, {2099, 2102}} {
		for d := date.New(span[0], 1, 1); d < date.New(span[1], 1, 1); d++ {
			for _, every := range []int{1, 2, 3, 6, 12} {
				for _, eom := range []EOMPolicy{EOMAnchor, EOMLastDay} {
					p := Plan{FirstDue: d, Count: 30, Frequency: EveryMonths(every), EOM: eom}
					g := p.grid()
					out := make([]Due, p.Count)
					g.fillMonths(out)
					for k := range out {
						if want := g.at(k); out[k].Contractual != want {
							t.Fatalf("first %s every %d %s k=%d: walk %s, at %s", d, every, eom, k, out[k].Contractual, want)
						}
					}
				}
			}
		}
	}
}

// TestPlanDueDate: DueDate(k), and the decoded Grid's At(k), are the k-th
// date DueDates lists, for every
// unit, and steps back before FirstDue for negative k (31 Jan → 31 Dec,
// 30 Nov on an anchored monthly plan; 16 Jan → 1 Jan → 16 Dec semi-monthly).
func TestPlanDueDate(t *testing.T) {
	start := date.New(2023, 12, 20)
	plans := []Plan{
		{Start: start, FirstDue: date.New(2024, 1, 31), Count: 40, Frequency: Monthly(), EOM: EOMAnchor, Adjust: Unadjusted},
		{Start: start, FirstDue: date.New(2024, 1, 16), Count: 40, Frequency: SemiMonthly(1, 16), Adjust: Unadjusted},
		{Start: start, FirstDue: date.New(2024, 1, 15), Count: 40, Frequency: SemiMonthly(15, 31), Adjust: Unadjusted},
		{Start: start, FirstDue: date.New(2024, 1, 5), Count: 40, Frequency: Biweekly(), Adjust: Unadjusted},
	}
	for _, p := range plans {
		dues, err := DueDates(p)
		require.NoError(t, err)
		g := p.Grid()
		for k, d := range dues {
			require.Equal(t, d.Contractual, p.DueDate(k), "%s k=%d", p.Frequency, k)
			require.Equal(t, d.Contractual, g.At(k), "grid %s k=%d", p.Frequency, k)
		}
		require.Equal(t, p.DueDate(-3), g.At(-3))
	}
	require.Equal(t, date.New(2023, 12, 31), plans[0].DueDate(-1))
	require.Equal(t, date.New(2023, 11, 30), plans[0].DueDate(-2))
	require.Equal(t, date.New(2024, 1, 1), plans[1].DueDate(-1))
	require.Equal(t, date.New(2023, 12, 16), plans[1].DueDate(-2))
	require.Equal(t, date.New(2023, 12, 22), plans[3].DueDate(-1))
}
