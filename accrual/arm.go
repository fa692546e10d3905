package accrual

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// IndexSeries supplies published index values (SOFR, a Treasury CMT, prime).
// The host implements it over its own data; this package never fetches.
// ValueOn returns the value to use for date d and false when there is none.
// Whether a missing day falls back to the last publication is the host's
// choice, made inside ValueOn.
type IndexSeries interface {
	ValueOn(d date.Date) (rate.Rate, bool)
}

// Bound limits how far a rate may move: at most Up above and Down below the
// reference rate (zero means no move that way).
type Bound struct {
	Up   rate.Rate `json:"up"`
	Down rate.Rate `json:"down"`
}

// ARM describes an index + margin variable rate with the usual note terms:
// rounding of the fully indexed rate, first-change, periodic and lifetime
// caps and floors, and a look-back. Optional limits are pointers: nil means
// no limit. All rates are annual nominal.
type ARM struct {
	// InitialRate is the rate before the first change (the start rate).
	InitialRate rate.Rate `json:"initial_rate"`
	// Margin is added to the index value.
	Margin rate.Rate `json:"margin"`
	// RoundingStep rounds the fully indexed rate to a multiple of it, e.g.
	// 0.125 % (the nearest one-eighth point). Zero means no rounding.
	RoundingStep rate.Rate `json:"rounding_step"`
	// RoundingMode rounds to RoundingStep; required when the step is set
	// (money.HalfUp for "nearest", money.TowardZero for "down").
	RoundingMode money.RoundingMode `json:"rounding_mode,omitempty"`
	// LookBackDays reads the index this many days before each change date
	// (e.g. 45 for a "45 days before the change date" note). 0 reads it on
	// the change date.
	LookBackDays int `json:"look_back_days"`
	// FirstChange limits the first change relative to InitialRate.
	FirstChange *Bound `json:"first_change,omitempty"`
	// Periodic limits each later change relative to the rate before it.
	Periodic *Bound `json:"periodic,omitempty"`
	// Lifetime limits every rate relative to InitialRate.
	Lifetime *Bound `json:"lifetime,omitempty"`
	// Floor and Ceiling are absolute limits. The rate never goes below 0 %.
	Floor   *rate.Rate `json:"floor,omitempty"`
	Ceiling *rate.Rate `json:"ceiling,omitempty"`
	// FirstChangeOn and ChangeEveryMonths are the note's Change Dates, when
	// the note fixes them: "the interest rate I will pay may change on the
	// first day of March, 2031, and on that day every 12th month
	// thereafter" (the Fannie Mae/Freddie Mac uniform ARM notes, §4(A)).
	// Optional: zero leaves the dates to the host, whose IndexReset events
	// come on them. With them set, a servicer can date the Reg Z
	// §1026.20(c), (d) notices that must go out months before each change.
	// ChangeEveryMonths 0 with FirstChangeOn set is a single change.
	FirstChangeOn     date.Date `json:"first_change_on,omitempty"`
	ChangeEveryMonths int       `json:"change_every_months,omitempty"`
}

// MaxChangeEveryMonths bounds ARM.ChangeEveryMonths (ten years).
const MaxChangeEveryMonths = 120

// ARMRateChange is one rate change computed by [ARM.Adjust], with its
// working: the index read, the fully indexed rate and the rate the caps
// leave. [ARM.RateTimeline] turns the changes into the [RateChange] entries
// of a rate timeline.
type ARMRateChange struct {
	On           date.Date // change date
	IndexDate    date.Date // date the index was read (On − LookBackDays)
	Index        rate.Rate // index value
	FullyIndexed rate.Rate // index + margin, rounded to the step
	Rate         rate.Rate // after caps and floors: the new contract rate
}

// Adjustment is the former name of [ARMRateChange].
//
// Deprecated: use ARMRateChange.
type Adjustment = ARMRateChange

// Adjust computes the rate at each change date (strictly increasing): read
// the index LookBackDays before, add the margin, round to the step, then
// limit the move from the previous rate (FirstChange for the first change,
// Periodic after), then Lifetime around InitialRate, then Floor, Ceiling
// and 0 %. It returns an error wrapping ErrInvalidInput naming each bad
// field, or ErrIndexMissing naming the change whose index value is missing.
func (a ARM) Adjust(changes []date.Date, idx IndexSeries) ([]ARMRateChange, error) {
	if err := a.validate(changes, idx); err != nil {
		return nil, err
	}
	out := make([]ARMRateChange, 0, len(changes))
	prev := a.InitialRate
	for i, on := range changes {
		adj := ARMRateChange{On: on, IndexDate: on - date.Date(a.LookBackDays)}
		v, ok := idx.ValueOn(adj.IndexDate)
		if !ok {
			var l field.List
			l.Add(fmt.Sprintf("changes[%d]", i), adj.IndexDate, ErrIndexMissing, "no index value on "+adj.IndexDate.String())
			return nil, l.Err(ErrIndexMissing)
		}
		adj.Index = v
		r, err := a.next(i, v, prev)
		if err != nil {
			return nil, fmt.Errorf("change %d on %s: %w", i, on, err)
		}
		adj.FullyIndexed, adj.Rate = r[0], r[1]
		out = append(out, adj)
		prev = adj.Rate
	}
	return out, nil
}

// next returns the fully indexed rate and the limited new rate.
func (a ARM) next(i int, index, prev rate.Rate) ([2]rate.Rate, error) {
	full, err := index.Add(a.Margin)
	if err != nil {
		return [2]rate.Rate{}, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	if !a.RoundingStep.IsZero() {
		if full, err = full.RoundToStep(a.RoundingStep, a.RoundingMode); err != nil {
			return [2]rate.Rate{}, fmt.Errorf("%w: %w", ErrInvalidInput, err)
		}
	}
	r := full
	change := a.Periodic
	if i == 0 {
		change = a.FirstChange
	}
	if r, err = clampBound(r, prev, change); err != nil {
		return [2]rate.Rate{}, err
	}
	if r, err = clampBound(r, a.InitialRate, a.Lifetime); err != nil {
		return [2]rate.Rate{}, err
	}
	if a.Floor != nil {
		r = rate.Max(r, *a.Floor)
	}
	if a.Ceiling != nil {
		r = rate.Min(r, *a.Ceiling)
	}
	return [2]rate.Rate{full, rate.Max(r, rate.Zero)}, nil
}

// clampBound limits r to [ref − b.Down, ref + b.Up]; nil b is no limit.
func clampBound(r, ref rate.Rate, b *Bound) (rate.Rate, error) {
	if b == nil {
		return r, nil
	}
	hi, err1 := ref.Add(b.Up)
	lo, err2 := ref.Sub(b.Down)
	if err1 != nil || err2 != nil {
		return rate.Rate{}, fmt.Errorf("%w: bound around %s", ErrInvalidInput, ref)
	}
	return rate.Min(rate.Max(r, lo), hi), nil
}

func (a ARM) validate(changes []date.Date, idx IndexSeries) error {
	var l field.List
	if idx == nil {
		l.Add("idx", nil, field.ErrRequired, "index series")
	}
	if a.RoundingStep.IsNegative() {
		l.Add("ARM.RoundingStep", a.RoundingStep, field.ErrOutOfRange, "negative")
	}
	if !a.RoundingStep.IsZero() && !a.RoundingMode.Valid() {
		l.Add("ARM.RoundingMode", a.RoundingMode, field.ErrRequired, "rounding step without a mode")
	}
	if a.LookBackDays < 0 || a.LookBackDays > 3660 {
		l.Add("ARM.LookBackDays", a.LookBackDays, field.ErrOutOfRange, "0..3660")
	}
	bounds := []struct {
		name string
		b    *Bound
	}{{"ARM.FirstChange", a.FirstChange}, {"ARM.Periodic", a.Periodic}, {"ARM.Lifetime", a.Lifetime}}
	for _, nb := range bounds {
		if nb.b != nil && (nb.b.Up.IsNegative() || nb.b.Down.IsNegative()) {
			l.Add(nb.name, *nb.b, field.ErrOutOfRange, "negative bound")
		}
	}
	if a.Floor != nil && a.Ceiling != nil && a.Floor.Cmp(*a.Ceiling) > 0 {
		l.Add("ARM.Floor", *a.Floor, field.ErrInvalid, "above Ceiling")
	}
	if a.FirstChangeOn != 0 {
		checkDate(&l, "ARM.FirstChangeOn", a.FirstChangeOn)
	}
	switch {
	case a.ChangeEveryMonths < 0 || a.ChangeEveryMonths > MaxChangeEveryMonths:
		l.Add("ARM.ChangeEveryMonths", a.ChangeEveryMonths, field.ErrOutOfRange, fmt.Sprintf("0..%d", MaxChangeEveryMonths))
	case a.ChangeEveryMonths > 0 && a.FirstChangeOn == 0:
		l.Add("ARM.ChangeEveryMonths", a.ChangeEveryMonths, field.ErrInvalid, "without FirstChangeOn")
	}
	for i, on := range changes {
		checkDate(&l, fmt.Sprintf("changes[%d]", i), on)
		if i > 0 && on <= changes[i-1] {
			l.Add(fmt.Sprintf("changes[%d]", i), on, field.ErrInvalid, "not after the previous change")
		}
	}
	return l.Err(ErrInvalidInput)
}

// RateTimeline returns the rate timeline for [Timeline.Rates]: InitialRate
// from start, then each change's rate from its change date.
func (a ARM) RateTimeline(start date.Date, changes []ARMRateChange) []RateChange {
	out := make([]RateChange, 0, len(changes)+1)
	out = append(out, RateChange{On: start, Rate: a.InitialRate})
	for _, adj := range changes {
		if adj.On > start {
			out = append(out, RateChange{On: adj.On, Rate: adj.Rate})
		}
	}
	return out
}
