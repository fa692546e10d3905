package schedule

import (
	"fmt"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// MaxCount is the largest number of installments a Plan may have (100 years
// of monthly payments). It bounds all work done for a plan, and it is the one
// installment limit of the library: amortize.MaxPayments,
// delinquency.MaxInstallments and loan.MaxInstallments are this constant.
const MaxCount = 1200

// The supported date range. Every date of a plan (start, and each
// contractual due date) must lie in it; the lower bound also catches a
// forgotten zero date (0001-01-01).
var (
	minDate = fromCivil(1900, 1, 1)
	maxDate = fromCivil(9999, 12, 31)
)

// Plan describes a loan's installment due dates. Build it as a literal and
// call DueDates; every field's doc says what its zero value means.
type Plan struct {
	// Start is the date interest starts (funding or disbursement date); the
	// first period is [Start, FirstDue). Required, 1900-01-01 to 9999-12-31.
	Start date.Date `json:"start"`
	// FirstDue is the contractual date of the first installment; it fixes
	// the day of the month (or of the week) of every later one. It must be
	// after Start. For semi-monthly plans it must fall on one of the two
	// days; with EOMLastDay it must be the last day of its month.
	FirstDue date.Date `json:"first_due"`
	// Count is the number of installments, 1 to MaxCount. Zero is invalid.
	Count int `json:"count"`
	// Frequency is how often installments fall due. Required.
	Frequency Frequency `json:"frequency"`
	// EOM is the end-of-month policy for monthly frequencies (required for
	// unit month, where zero is invalid); ignored for the other units,
	// where it may be left empty.
	EOM EOMPolicy `json:"eom,omitempty"`
	// DueDay is the anchor day (1–31) of a monthly plan whose first due
	// date was clamped, e.g. DueDay 31 with FirstDue 30 April gives 31 May
	// next. Zero means FirstDue's own day. FirstDue must be DueDay clamped
	// to its month. Must be zero for the other units.
	DueDay int `json:"due_day,omitempty"`
	// Calendar decides business days for Adjust. Required unless Adjust is
	// Unadjusted. Not serialized: hosts attach it after loading a plan.
	Calendar Calendar `json:"-"`
	// Adjust is the business-day convention that turns each contractual
	// due date into the adjusted (payment) due date. Required; zero is
	// invalid (choose Unadjusted explicitly).
	Adjust BusinessDayConvention `json:"adjust"`
}

// Due is one installment's due date, both as the contract states it and
// as the business-day convention moved it. Interest usually runs on the
// contractual dates while the payment is due on the adjusted one; see
// Periods and DateBasis.
type Due struct {
	// Contractual is the date from the frequency and end-of-month rule.
	Contractual date.Date `json:"contractual"`
	// Adjusted is Contractual moved by the plan's Adjust convention and
	// Calendar.
	Adjusted date.Date `json:"adjusted"`
}

// DueDates returns the plan's Count due dates in order. Contractual dates
// are strictly increasing and each is computed from FirstDue directly (never
// from the previous, possibly clamped, date); adjusted dates never decrease.
//
// DueDates returns an error wrapping ErrInvalidPlan, with a *field.Error for
// every bad field, when p is invalid (see Plan.Validate), and one wrapping
// ErrNoBusinessDay when the calendar has no business day within
// MaxSearchDays of a due date.
func DueDates(p Plan) ([]Due, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	out := make([]Due, p.Count)
	g := p.grid()
	if g.unit == UnitMonth {
		g.fillMonths(out)
	} else {
		for i := range out {
			out[i].Contractual = g.at(i)
		}
	}
	for i := range out {
		c := out[i].Contractual
		a, ok := adjust(c, p.Calendar, p.Adjust)
		if !ok {
			return nil, fmt.Errorf("schedule: installment %d due %s: %w", i+1, c, ErrNoBusinessDay)
		}
		out[i] = Due{Contractual: c, Adjusted: a}
	}
	return out, nil
}

// Validate reports every problem with p as a *field.Error under "Plan.",
// wrapped in ErrInvalidPlan, or nil when p is valid. It checks: Count 1 to
// MaxCount; the Frequency; Start and FirstDue in the supported range with
// FirstDue after Start; EOM and DueDay for monthly plans; FirstDue on one of
// the semi-monthly days; Adjust known; Calendar present unless Unadjusted;
// and the last due date no later than 9999-12-31.
func (p Plan) Validate() error {
	var l field.List
	p.validate(&l)
	return l.Err(ErrInvalidPlan)
}

func (p Plan) validate(l *field.List) {
	if p.Count < 1 || p.Count > MaxCount {
		l.Add("Plan.Count", p.Count, field.ErrOutOfRange, fmt.Sprintf("must be 1 to %d", MaxCount))
	}
	before := l.Len()
	p.Frequency.validate("Plan.Frequency", l)
	freqOK := l.Len() == before
	datesOK := p.validateDates(l)
	if freqOK && datesOK {
		p.validateDay(l)
	}
	switch {
	case p.Adjust == "":
		l.Add("Plan.Adjust", p.Adjust, field.ErrRequired, "choose a business-day convention (unadjusted is one)")
	case !p.Adjust.valid():
		l.Add("Plan.Adjust", p.Adjust, field.ErrNotSupported, "one of unadjusted, following, modified_following, preceding, modified_preceding")
	case p.Adjust != Unadjusted && p.Calendar == nil:
		l.Add("Plan.Calendar", nil, field.ErrRequired, "needed to adjust to business days")
	}
	if l.Len() == 0 && p.step(p.Count-1) > maxDate {
		l.Add("Plan.Count", p.Count, field.ErrOutOfRange, "the last due date would fall after 9999-12-31")
	}
}

// validateDates checks Start and FirstDue and reports whether both are usable.
func (p Plan) validateDates(l *field.List) bool {
	ok := true
	if p.Start < minDate || p.Start > maxDate {
		l.Add("Plan.Start", p.Start, field.ErrOutOfRange, "must be 1900-01-01 to 9999-12-31")
		ok = false
	}
	if p.FirstDue < minDate || p.FirstDue > maxDate {
		l.Add("Plan.FirstDue", p.FirstDue, field.ErrOutOfRange, "must be 1900-01-01 to 9999-12-31")
		ok = false
	}
	if ok && p.FirstDue <= p.Start {
		l.Add("Plan.FirstDue", p.FirstDue, field.ErrOutOfRange, fmt.Sprintf("must be after Start (%s)", p.Start))
		ok = false
	}
	return ok
}

// validateDay checks EOM, DueDay and the day of FirstDue against a valid
// frequency.
func (p Plan) validateDay(l *field.List) {
	_, _, day := civil(p.FirstDue)
	if p.Frequency.Unit != UnitMonth {
		if p.EOM != "" && !p.EOM.valid() {
			l.Add("Plan.EOM", p.EOM, field.ErrNotSupported, "one of anchor, last_day (or empty)")
		}
		if p.DueDay != 0 {
			l.Add("Plan.DueDay", p.DueDay, field.ErrInvalid, "only for monthly frequencies")
		}
		if p.Frequency.Unit == UnitSemiMonth {
			d1, d2 := p.semiDays(p.FirstDue)
			if day != d1 && day != d2 {
				l.Add("Plan.FirstDue", p.FirstDue, field.ErrInvalid,
					fmt.Sprintf("must fall on day %d or %d of its month", d1, d2))
			}
		}
		return
	}
	switch {
	case p.EOM == "":
		l.Add("Plan.EOM", p.EOM, field.ErrRequired, "monthly plans need an end-of-month policy: anchor or last_day")
	case !p.EOM.valid():
		l.Add("Plan.EOM", p.EOM, field.ErrNotSupported, "one of anchor, last_day")
	case p.EOM == EOMLastDay && !isLastDayOfMonth(p.FirstDue):
		l.Add("Plan.FirstDue", p.FirstDue, field.ErrInvalid, "with EOM last_day it must be the last day of its month")
	}
	switch {
	case p.DueDay < 0 || p.DueDay > 31:
		l.Add("Plan.DueDay", p.DueDay, field.ErrOutOfRange, "must be 1 to 31, or 0 for FirstDue's day")
	case p.DueDay != 0 && p.EOM != EOMLastDay && AddMonths(p.FirstDue, 0, p.DueDay, EOMAnchor) != p.FirstDue:
		l.Add("Plan.DueDay", p.DueDay, field.ErrInvalid, fmt.Sprintf("FirstDue %s is not on this day (clamped to its month)", p.FirstDue))
	}
}

// semiDays returns the two semi-monthly days as they fall in d's month
// (clamped to its last day).
func (p Plan) semiDays(d date.Date) (int, int) {
	y, m, _ := civil(d)
	last := daysIn(y, m)
	return min(p.Frequency.SemiMonthlyDays[0], last), min(p.Frequency.SemiMonthlyDays[1], last)
}

// step returns the contractual date k periods after FirstDue (before it when
// k < 0) on p's grid. p must be valid.
func (p Plan) step(k int) date.Date { return p.grid().at(k) }

// DueDate returns the contractual due date k periods after FirstDue (before
// it when k < 0) on p's grid — the date DueDates lists at index k — in
// constant time, for callers that step through a long schedule without
// materialising it. Only FirstDue, Frequency, EOM and DueDay are read; they
// must be valid (see Validate), or the date is unspecified.
func (p Plan) DueDate(k int) date.Date { return p.step(k) }

// Grid is a plan's due-date grid with FirstDue decoded once: At(k) is
// Plan.DueDate(k) for one day-number conversion, for callers that ask for
// many dates of one plan (a servicing fold, a biller).
type Grid struct{ g grid }

// Grid returns p's due-date grid (p must be valid, as for DueDate).
func (p Plan) Grid() Grid { return Grid{p.grid()} }

// At returns the contractual due date k periods after FirstDue (before it
// when k < 0): Plan.DueDate(k).
func (g Grid) At(k int) date.Date { return g.g.at(k) }

// grid is a valid plan's date grid with FirstDue decoded once, so that
// generating many dates costs one day-number conversion each.
type grid struct {
	unit     Unit
	every    int
	first    date.Date
	eom      EOMPolicy
	month    int    // FirstDue's month index (year×12 + month−1)
	anchor   int    // anchor day for unit month
	slot     int    // 0 or 1: which semi-monthly day FirstDue is on
	semiDays [2]int // the semi-monthly days as given (31 = last day)
}

func (p Plan) grid() grid {
	y, m, day := civil(p.FirstDue)
	g := grid{unit: p.Frequency.Unit, every: p.Frequency.Every, first: p.FirstDue, eom: p.EOM,
		month: y*12 + m - 1, anchor: p.DueDay, semiDays: p.Frequency.SemiMonthlyDays}
	if g.anchor == 0 {
		g.anchor = day
	}
	if d1, _ := p.semiDays(p.FirstDue); day != d1 {
		g.slot = 1
	}
	return g
}

// at returns the k-th date of the grid (k = 0 is FirstDue).
func (g grid) at(k int) date.Date {
	switch g.unit {
	case UnitMonth:
		idx := g.month + k*g.every
		y := floorDiv(idx, 12)
		m := idx - 12*y + 1
		last := daysIn(y, m)
		if g.eom == EOMLastDay {
			return fromCivil(y, m, last)
		}
		return fromCivil(y, m, min(g.anchor, last))
	case UnitSemiMonth:
		idx := g.month*2 + g.slot + k
		mi := floorDiv(idx, 2)
		slot := idx - 2*mi
		y := floorDiv(mi, 12)
		m := mi - 12*y + 1
		return fromCivil(y, m, min(g.semiDays[slot], daysIn(y, m)))
	case UnitWeek:
		return g.first + date.Date(7*g.every*k)
	default: // UnitDay
		return g.first + date.Date(g.every*k)
	}
}

// fillMonths sets the contractual dates of a monthly grid into out, by the
// additive walk (Walker): the result equals at(k) for every k
// (FuzzFillMonthsMatchesAt).
func (g grid) fillMonths(out []Due) {
	w := Grid{g}.Walk(0)
	for k := range out {
		out[k].Contractual = w.Next()
	}
}

// Walk returns a Walker whose first Next is At(k).
func (g Grid) Walk(k int) Walker {
	w := Walker{g: g.g, k: k}
	if g.g.unit == UnitMonth {
		idx := g.g.month + k*g.g.every
		w.y = floorDiv(idx, 12)
		w.m = idx - 12*w.y + 1
		w.start = fromCivil(w.y, w.m, 1)
		w.leap = isLeap(w.y)
	}
	return w
}

// Walker steps through a grid's dates in order, for a caller that reads
// them one after another (an amortization table's rows). On a monthly grid
// it walks month starts by adding month lengths, so a date costs a few
// additions instead of the calendar conversion At does; every date equals
// At's (FuzzWalkerMatchesAt). The zero Walker is not usable: get one from
// Grid.Walk.
type Walker struct {
	g grid
	k int // the index of the date Next returns
	// A monthly grid's position: year, month (1–12), the month's first day
	// and whether the year is a leap year.
	y, m  int
	start date.Date
	leap  bool
}

// Next returns the grid's date at the walker's index, At(k), and moves to
// k+1.
func (w *Walker) Next() date.Date {
	g := &w.g
	w.k++
	if g.unit != UnitMonth {
		return g.at(w.k - 1)
	}
	last := monthLen(w.m, w.leap)
	day := last
	if g.eom != EOMLastDay {
		day = min(g.anchor, last)
	}
	d := w.start + date.Date(day-1)
	w.start += date.Date(last)
	for i := 1; ; i++ {
		if w.m++; w.m > 12 {
			w.m, w.y = 1, w.y+1
			w.leap = isLeap(w.y)
		}
		if i == g.every {
			break
		}
		w.start += date.Date(monthLen(w.m, w.leap))
	}
	return d
}

// isLeap reports whether y is a leap year (proleptic Gregorian).
func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// monthLen is daysIn(y, m) with y's leap-year test done once.
func monthLen(m int, leap bool) int {
	switch m {
	case 2:
		if leap {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// dayOf returns the day of the month of d.
func dayOf(d date.Date) int {
	_, _, day := civil(d)
	return day
}
