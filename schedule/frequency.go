package schedule

import (
	"fmt"

	"github.com/lendcore/servicing/field"
)

// Unit is the step of a Frequency.
type Unit string

// The units of a Frequency.
const (
	// UnitMonth steps whole calendar months (Every months at a time), with
	// the end-of-month rule of the Plan.
	UnitMonth Unit = "month"
	// UnitSemiMonth falls twice a month, on the two SemiMonthlyDays.
	UnitSemiMonth Unit = "semi_month"
	// UnitWeek steps Every×7 days.
	UnitWeek Unit = "week"
	// UnitDay steps Every days.
	UnitDay Unit = "day"
)

// Limits on Frequency.Every for each unit. They keep every schedule inside
// the supported date range and every loop bounded.
const (
	MaxEveryMonths = 120  // ten years
	MaxEveryWeeks  = 52   // one year
	MaxEveryDays   = 3660 // about ten years
)

// Frequency is how often installments fall due. Build one with Monthly,
// Quarterly, SemiAnnual, Annual, EveryMonths, SemiMonthly, Weekly, Biweekly or
// EveryDays; the zero value is invalid.
type Frequency struct {
	// Unit is the step: month, semi_month, week or day. Required.
	Unit Unit `json:"unit"`
	// Every is the number of units per period: 1 to 120 months, 1 to 52
	// weeks, 1 to 3660 days; exactly 1 for semi_month. Zero is invalid.
	Every int `json:"every"`
	// SemiMonthlyDays are the two days of the month for UnitSemiMonth, e.g.
	// {1, 16} or {15, 31}; 1 ≤ first ≤ 27 and first < second ≤ 31. A day
	// past the end of a month means that month's last day, so 31 always
	// means "last day". Must be zero for the other units.
	SemiMonthlyDays [2]int `json:"semi_monthly_days,omitzero"`
}

// Monthly returns a frequency of one calendar month.
func Monthly() Frequency { return Frequency{Unit: UnitMonth, Every: 1} }

// Quarterly returns a frequency of three calendar months.
func Quarterly() Frequency { return Frequency{Unit: UnitMonth, Every: 3} }

// SemiAnnual returns a frequency of six calendar months.
func SemiAnnual() Frequency { return Frequency{Unit: UnitMonth, Every: 6} }

// Annual returns a frequency of twelve calendar months.
func Annual() Frequency { return Frequency{Unit: UnitMonth, Every: 12} }

// EveryMonths returns a frequency of n calendar months (valid for 1 ≤ n ≤ 120).
func EveryMonths(n int) Frequency { return Frequency{Unit: UnitMonth, Every: n} }

// SemiMonthly returns a frequency of twice a month, on days d1 and d2 (e.g.
// 1 and 16, or 15 and 31 where 31 means the last day of the month).
func SemiMonthly(d1, d2 int) Frequency {
	return Frequency{Unit: UnitSemiMonth, Every: 1, SemiMonthlyDays: [2]int{d1, d2}}
}

// Weekly returns a frequency of seven days.
func Weekly() Frequency { return Frequency{Unit: UnitWeek, Every: 1} }

// Biweekly returns a frequency of fourteen days (every other week, 26 a year).
func Biweekly() Frequency { return Frequency{Unit: UnitWeek, Every: 2} }

// EveryDays returns a frequency of n days (valid for 1 ≤ n ≤ 3660).
func EveryDays(n int) Frequency { return Frequency{Unit: UnitDay, Every: n} }

// PeriodsPerYear returns the number of periods in a year: 12, 4, 2 and 1 for
// monthly, quarterly, semi-annual and annual, 24 for semi-monthly, 52 for
// weekly and 26 for biweekly. exact is false when the count is not a whole
// number by the frequency's own convention (every 5 months, every 3 weeks,
// any every-N-days frequency, where n is 365/N rounded down); n is 0 for an
// invalid frequency. Weeks count 52 to the year, as Regulation Z Appendix J
// (b)(4) does for unit-periods.
func (f Frequency) PeriodsPerYear() (n int, exact bool) {
	if f.Validate() != nil {
		return 0, false
	}
	switch f.Unit {
	case UnitMonth:
		return 12 / f.Every, 12%f.Every == 0
	case UnitSemiMonth:
		return 24, true
	case UnitWeek:
		return 52 / f.Every, 52%f.Every == 0
	default: // UnitDay
		return 365 / f.Every, false
	}
}

// String returns a short description such as "monthly", "every 3 months",
// "semi-monthly on days 15 and 31", "every 2 weeks" or "every 10 days".
func (f Frequency) String() string {
	switch {
	case f.Unit == UnitMonth && f.Every == 1:
		return "monthly"
	case f.Unit == UnitSemiMonth:
		return fmt.Sprintf("semi-monthly on days %d and %d", f.SemiMonthlyDays[0], f.SemiMonthlyDays[1])
	case f.Unit == UnitWeek && f.Every == 1:
		return "weekly"
	case f.Every == 1:
		return "every " + string(f.Unit)
	}
	return fmt.Sprintf("every %d %ss", f.Every, f.Unit)
}

// Validate reports every problem with f as *field.Error values under
// "Frequency." wrapped in ErrInvalidFrequency, or nil when f is valid.
func (f Frequency) Validate() error {
	var l field.List
	f.validate("Frequency", &l)
	return l.Err(ErrInvalidFrequency)
}

// validate records f's problems under the path prefix.
func (f Frequency) validate(prefix string, l *field.List) {
	var maxEvery int
	switch f.Unit {
	case UnitMonth:
		maxEvery = MaxEveryMonths
	case UnitWeek:
		maxEvery = MaxEveryWeeks
	case UnitDay:
		maxEvery = MaxEveryDays
	case UnitSemiMonth:
		maxEvery = 1
	case "":
		l.Add(prefix+".Unit", f.Unit, field.ErrRequired, "one of month, semi_month, week, day")
		return
	default:
		l.Add(prefix+".Unit", f.Unit, field.ErrNotSupported, "one of month, semi_month, week, day")
		return
	}
	if f.Every < 1 || f.Every > maxEvery {
		l.Add(prefix+".Every", f.Every, field.ErrOutOfRange, fmt.Sprintf("must be 1 to %d for unit %s", maxEvery, f.Unit))
	}
	d1, d2 := f.SemiMonthlyDays[0], f.SemiMonthlyDays[1]
	if f.Unit != UnitSemiMonth {
		if d1 != 0 || d2 != 0 {
			l.Add(prefix+".SemiMonthlyDays", f.SemiMonthlyDays, field.ErrInvalid, "only for unit semi_month")
		}
		return
	}
	// d1 ≤ 27 keeps the two dates of February apart: the second day is
	// clamped to at least 28.
	if d1 < 1 || d1 > 27 {
		l.Add(prefix+".SemiMonthlyDays[0]", d1, field.ErrOutOfRange, "must be 1 to 27")
	}
	if d2 < 2 || d2 > 31 || d2 <= d1 {
		l.Add(prefix+".SemiMonthlyDays[1]", d2, field.ErrOutOfRange, "must be after the first day and at most 31 (31 = last day)")
	}
}
