package schedule_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// A monthly loan due on the 31st: February clamps to the 29th and March
// returns to the 31st.
func ExampleDueDates() {
	dues, err := schedule.DueDates(schedule.Plan{
		Start:     date.New(2023, time.December, 31),
		FirstDue:  date.New(2024, time.January, 31),
		Count:     4,
		Frequency: schedule.Monthly(),
		EOM:       schedule.EOMAnchor,
		Calendar:  schedule.USFederalReserve(),
		Adjust:    schedule.Following,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range dues {
		fmt.Println(d.Contractual, d.Adjusted, d.Adjusted.Weekday())
	}
	// Output:
	// 2024-01-31 2024-01-31 Wednesday
	// 2024-02-29 2024-02-29 Thursday
	// 2024-03-31 2024-04-01 Monday
	// 2024-04-30 2024-04-30 Tuesday
}

// Bad input names every bad field.
func ExamplePlan_Validate() {
	err := schedule.Plan{
		Start:     date.New(2024, time.March, 1),
		FirstDue:  date.New(2024, time.February, 1),
		Count:     0,
		Frequency: schedule.SemiMonthly(15, 32),
		Adjust:    schedule.Unadjusted,
	}.Validate()
	fmt.Println(err)
	// Output:
	// schedule: invalid plan: Plan.Count: out of range (0): must be 1 to 1200
	// Plan.Frequency.SemiMonthlyDays[1]: out of range (32): must be after the first day and at most 31 (31 = last day)
	// Plan.FirstDue: out of range (2024-02-01): must be after Start (2024-03-01)
}

// Saturday 4 July 2026: the Reserve Banks stay open on Friday 3 July. Sunday
// 19 June 2022 (Juneteenth) closed them on Monday 20 June.
func ExampleUSFederalReserve() {
	fed := schedule.USFederalReserve()
	for _, d := range []date.Date{
		date.New(2026, time.July, 3),
		date.New(2022, time.June, 20),
		date.New(2024, time.November, 28),
	} {
		fmt.Println(d, d.Weekday(), fed.IsBusinessDay(d))
	}
	// Output:
	// 2026-07-03 Friday true
	// 2022-06-20 Monday false
	// 2024-11-28 Thursday false
}

// A payoff statement requested on Friday 5 July 2024 is due within 7
// business days.
func ExampleAddBusinessDays() {
	d := schedule.AddBusinessDays(date.New(2024, time.July, 5), 7, schedule.USFederalReserve())
	fmt.Println(d, d.Weekday())
	// Output: 2024-07-16 Tuesday
}

// Saturday 31 August 2024: following would cross into September (Monday 2
// September is Labor Day, so Tuesday 3 September), so modified following
// goes back to Friday 30 August.
func ExampleAdjust() {
	fed := schedule.USFederalReserve()
	d := date.New(2024, time.August, 31)
	for _, a := range []schedule.BusinessDayConvention{schedule.Unadjusted, schedule.Following, schedule.ModifiedFollowing, schedule.Preceding} {
		fmt.Println(a, schedule.Adjust(d, fed, a))
	}
	// Output:
	// unadjusted 2024-08-31
	// following 2024-09-03
	// modified_following 2024-08-30
	// preceding 2024-08-30
}

// A loan funded on 1 January with the first monthly payment on 15 February
// has a long first period: one whole month (15 January to 15 February) plus
// 14 odd days (1 to 15 January).
func ExampleFirstPeriod() {
	p, err := schedule.FirstPeriod(date.New(2024, time.January, 1), date.New(2024, time.February, 15), schedule.Monthly())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p, p.Kind, p.FullPeriods, p.OddDays, p.Days())
	// Output: [2024-01-01, 2024-02-15) long 1 14 45
}

// AddMonths with the anchor policy returns to the 31st.
func ExampleAddMonths() {
	jan31 := date.New(2024, time.January, 31)
	fmt.Println(schedule.AddMonths(jan31, 1, 31, schedule.EOMAnchor))
	fmt.Println(schedule.AddMonths(jan31, 2, 31, schedule.EOMAnchor))
	fmt.Println(jan31.AddDate(0, 1, 0), "(date.AddDate rolls over)")
	// Output:
	// 2024-02-29
	// 2024-03-31
	// 2024-03-02 (date.AddDate rolls over)
}
