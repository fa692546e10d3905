package schedule

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// PeriodKind says how a period compares with the regular frequency.
type PeriodKind string

// The kinds of period.
const (
	// Regular is exactly one regular period.
	Regular PeriodKind = "regular"
	// Short is shorter than one regular period (FullPeriods = 0).
	Short PeriodKind = "short"
	// Long is longer than one regular period: at least one whole regular
	// period plus odd days, or several whole periods.
	Long PeriodKind = "long"
)

// Period is the half-open interval [Start, End) between two dates of a
// schedule: Start counts, End does not, so End − Start is its length in days
// and consecutive periods share their boundary without overlap.
//
// The measure fields compare the period with the regular frequency by
// counting whole regular periods back from End (the method of Regulation Z
// Appendix J (b)(5) for odd first periods).
type Period struct {
	Start date.Date `json:"start"`
	End   date.Date `json:"end"`
	// Kind is Regular, Short or Long.
	Kind PeriodKind `json:"kind"`
	// RegularStart is End stepped back one regular period: the start the
	// period would have if it were regular. Before Start for a Short
	// period; on or after Start otherwise.
	RegularStart date.Date `json:"regular_start"`
	// FullPeriods is the number of whole regular periods, counted back from
	// End, that fit in [Start, End): 0 for a Short period, 1 for Regular.
	FullPeriods int `json:"full_periods"`
	// OddDays is the number of days left between Start and the earliest
	// whole-period boundary: 0 for Regular, the whole length for Short, the
	// extra days of a Long period (0 ≤ OddDays < length of a regular
	// period that ends there).
	OddDays int `json:"odd_days"`
}

// Days returns the period's length in days, End − Start.
func (p Period) Days() int { return int(p.End - p.Start) }

// Contains reports whether d lies in [Start, End).
func (p Period) Contains(d date.Date) bool { return p.Start <= d && d < p.End }

// String formats the period as "[2024-01-15, 2024-02-15)".
func (p Period) String() string { return fmt.Sprintf("[%s, %s)", p.Start, p.End) }

// FirstPeriod measures the first period [start, firstDue) against the
// regular frequency freq, stepping back from firstDue with the EOMAnchor
// policy. For example, monthly, start 1 January and first due 15 February is
// Long: one full period (15 January to 15 February) and 14 odd days.
//
// It returns an error wrapping ErrInvalidPlan naming "Plan.Start",
// "Plan.FirstDue" or "Plan.Frequency.…" when the dates are out of range or
// out of order, the frequency is invalid, or firstDue does not fall on a
// semi-monthly day. Use Plan.FirstPeriod for a plan with another EOM policy
// or an anchor day.
func FirstPeriod(start, firstDue date.Date, freq Frequency) (Period, error) {
	p := Plan{Start: start, FirstDue: firstDue, Count: 1, Frequency: freq, Adjust: Unadjusted}
	if freq.Unit == UnitMonth {
		p.EOM = EOMAnchor
	}
	return p.FirstPeriod()
}

// FirstPeriod measures the plan's first period [Start, FirstDue) against its
// regular frequency, on the plan's own grid (EOM policy and anchor day). It
// returns the errors of Plan.Validate.
func (p Plan) FirstPeriod() (Period, error) {
	if err := p.Validate(); err != nil {
		return Period{}, err
	}
	return p.measureFirst(p.FirstDue), nil
}

// measureFirst measures [p.Start, p.FirstDue) and returns it with End set
// to end (the contractual or the adjusted first due date). p must be valid.
func (p Plan) measureFirst(end date.Date) Period {
	g := p.grid()
	k := p.estimateFullPeriods()
	// The grid g.at(-k) falls strictly as k grows; the estimate is within
	// a few steps of the answer, so both loops are short and bounded.
	for i := 0; i < 8 && k > 0 && g.at(-k) < p.Start; i++ {
		k--
	}
	for i := 0; i < 8 && g.at(-(k+1)) >= p.Start; i++ {
		k++
	}
	per := Period{Start: p.Start, End: end, RegularStart: g.at(-1), FullPeriods: k}
	per.OddDays = int(g.at(-k) - p.Start)
	switch {
	case k == 0:
		per.Kind = Short
	case k == 1 && per.OddDays == 0:
		per.Kind = Regular
	default:
		per.Kind = Long
	}
	return per
}

// estimateFullPeriods returns roughly how many whole periods fit between
// Start and FirstDue (never negative).
func (p Plan) estimateFullPeriods() int {
	f := p.Frequency
	var k int
	switch f.Unit {
	case UnitMonth:
		k = (monthIndex(p.FirstDue) - monthIndex(p.Start)) / f.Every
	case UnitSemiMonth:
		k = 2 * (monthIndex(p.FirstDue) - monthIndex(p.Start))
	case UnitWeek:
		k = int(p.FirstDue-p.Start) / (7 * f.Every)
	default:
		k = int(p.FirstDue-p.Start) / f.Every
	}
	return max(k, 0)
}

// DateBasis chooses which due dates bound the periods of Periods.
type DateBasis string

// The date bases.
const (
	// ContractualDates bounds periods by contractual due dates: the usual
	// basis for interest, so a due date moved by a weekend does not change
	// the interest of the installment.
	ContractualDates DateBasis = "contractual"
	// AdjustedDates bounds periods by the adjusted (business-day) due
	// dates, as some daily-simple-interest and bond conventions do.
	// Consecutive adjusted dates may coincide for daily frequencies, giving
	// empty periods.
	AdjustedDates DateBasis = "adjusted"
)

// Periods returns the plan's Count periods: the first is [Start, due 1),
// measured by Plan.FirstPeriod on the contractual grid; each later one is
// [due i−1, due i), Regular. basis chooses contractual or adjusted due dates
// as bounds (Start is never adjusted). It returns the errors of DueDates, and
// one wrapping ErrInvalidPlan naming "basis" when basis is unknown.
func Periods(p Plan, basis DateBasis) ([]Period, error) {
	if basis != ContractualDates && basis != AdjustedDates {
		var l field.List
		l.Add("basis", basis, field.ErrNotSupported, "one of contractual, adjusted")
		return nil, l.Err(ErrInvalidPlan)
	}
	dues, err := DueDates(p)
	if err != nil {
		return nil, err
	}
	end := func(d Due) date.Date {
		if basis == AdjustedDates {
			return d.Adjusted
		}
		return d.Contractual
	}
	out := make([]Period, len(dues))
	out[0] = p.measureFirst(end(dues[0]))
	for i := 1; i < len(dues); i++ {
		s, e := end(dues[i-1]), end(dues[i])
		out[i] = Period{Start: s, End: e, Kind: Regular, RegularStart: s, FullPeriods: 1}
	}
	return out, nil
}
