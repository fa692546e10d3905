package accrual

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// RoundingPolicy says when accrued interest is rounded to the minor unit.
// The zero value "" is invalid: both policies exist in the wild (LANDSCAPE
// C14) and they differ by cents, so a loan must choose.
type RoundingPolicy string

// Rounding policies.
const (
	// RoundAtPosting accrues exactly and rounds once, when the interest is
	// billed or posted: once per Accrue call, and at each compounding date
	// (capitalizing interest is a posting).
	RoundAtPosting RoundingPolicy = "at_posting"
	// RoundDaily rounds each day's accrual to the minor unit and sums the
	// rounded days (the end-of-day job that posts a daily accrual).
	RoundDaily RoundingPolicy = "daily"
)

// BalanceChange sets the principal balance from On until the next change.
type BalanceChange struct {
	On      date.Date    `json:"on"`
	Balance money.Amount `json:"balance"`
}

// RateChange sets the annual contract rate from On until the next change.
type RateChange struct {
	On   date.Date `json:"on"`
	Rate rate.Rate `json:"rate"`
}

// RateCap caps the rate charged at Max during [From, To), e.g. the SCRA 6 %
// cap (50 U.S.C. §3937): interest above the cap is forgiven, not deferred,
// and reported separately ([Result.Forgiven]).
type RateCap struct {
	From date.Date `json:"from"`
	To   date.Date `json:"to"`
	Max  rate.Rate `json:"max"`
}

// Compounding capitalizes accrued interest into the balance at stated
// dates. The zero value is simple interest (no capitalization).
type Compounding struct {
	// EveryMonths capitalizes on Anchor + k·EveryMonths months (any integer
	// k, end-of-month clamped on Anchor's day). 0 means no monthly compounding.
	EveryMonths int `json:"every_months,omitempty"`
	// Anchor is the date the compounding dates step from; required when
	// EveryMonths > 0.
	Anchor date.Date `json:"anchor,omitempty"`
	// Daily capitalizes at the end of every day (daily rest).
	Daily bool `json:"daily,omitempty"`
}

// Timeline is what interest accrues on: piecewise-constant principal and
// rate timelines (changes on any date), a day count, non-accrual intervals,
// rate caps, compounding and an explicit rounding policy and mode. It is a
// plain value that serializes to JSON.
type Timeline struct {
	// DayCount is required.
	DayCount DayCount `json:"day_count"`
	// Principal is the balance timeline, strictly increasing by On; the first
	// change must be on or before any accrual start. Balances must not be
	// negative. Required.
	Principal []BalanceChange `json:"principal"`
	// Rates is the rate timeline, strictly increasing by On; the first change
	// must be on or before any accrual start. Rates must not be negative.
	// Required.
	Rates []RateChange `json:"rates"`
	// NonAccrual lists intervals [Start, End) in which no interest accrues
	// (non-accrual status, an interest pause). Optional; may overlap.
	NonAccrual []Period `json:"non_accrual,omitempty"`
	// Caps lists rate-cap overrides; where several apply the lowest Max wins.
	Caps []RateCap `json:"caps,omitempty"`
	// Compounding is optional; the zero value is simple interest.
	Compounding Compounding `json:"compounding"`
	// Rounding is the rounding point; required.
	Rounding RoundingPolicy `json:"rounding"`
	// Mode is the rounding mode used at every rounding; required.
	Mode money.RoundingMode `json:"mode"`
}

// Segment is a run of days with one balance, rate and cap in [Result].
type Segment struct {
	Start, End date.Date
	Balance    money.Amount
	Rate       rate.Rate // contract rate
	Charged    rate.Rate // rate charged after caps (≤ Rate)
	Fraction   Fraction  // year fraction of [Start, End) under the day count
}

// Result is the interest accrued over an interval.
type Result struct {
	// Interest is the interest charged (at the capped rate), rounded per the
	// policy; with compounding it includes the amounts capitalized.
	Interest money.Amount
	// Forgiven is interest at the contract rate above a cap: contract-rate
	// interest rounded the same way, less Interest. Never charged.
	Forgiven money.Amount
	// Capitalized is the part of Interest added to the balance on
	// compounding dates inside the interval.
	Capitalized money.Amount
	// Days is the number of accruing days; NonAccrualDays the days skipped.
	Days, NonAccrualDays int
	// Exact is the charged interest before any rounding, in major units
	// (dollars), for hosts that carry unrounded accruals forward. With
	// compounding, balances include the rounded capitalized amounts. It is
	// nil under daily compounding.
	Exact *big.Rat
	// Segments lists the accruing runs in order.
	Segments []Segment
}

// Validate reports every problem with t's fields, wrapped in ErrInvalidInput.
func (t Timeline) Validate() error {
	var l field.List
	t.validate(&l)
	return l.Err(ErrInvalidInput)
}

func (t Timeline) validate(l *field.List) {
	t.DayCount.validate(l, "Timeline.DayCount")
	if len(t.Principal) == 0 {
		l.Add("Timeline.Principal", nil, field.ErrRequired, "")
	}
	var cur money.Currency
	for i, c := range t.Principal {
		p := fmt.Sprintf("Timeline.Principal[%d]", i)
		checkDate(l, p+".On", c.On)
		if i > 0 && c.On <= t.Principal[i-1].On {
			l.Add(p+".On", c.On, field.ErrInvalid, "not after the previous change")
		}
		if c.Balance.IsNegative() {
			l.Add(p+".Balance", c.Balance, field.ErrOutOfRange, "negative balance")
		}
		if i == 0 {
			cur = c.Balance.Currency()
		} else if c.Balance.Currency() != cur {
			l.Add(p+".Balance", c.Balance, field.ErrInvalid, "currency differs from Principal[0]")
		}
	}
	if !cur.Valid() && len(t.Principal) > 0 {
		l.Add("Timeline.Principal[0].Balance", cur, field.ErrInvalid, "no currency")
	}
	if len(t.Rates) == 0 {
		l.Add("Timeline.Rates", nil, field.ErrRequired, "")
	}
	for i, c := range t.Rates {
		p := fmt.Sprintf("Timeline.Rates[%d]", i)
		checkDate(l, p+".On", c.On)
		if i > 0 && c.On <= t.Rates[i-1].On {
			l.Add(p+".On", c.On, field.ErrInvalid, "not after the previous change")
		}
		if c.Rate.IsNegative() {
			l.Add(p+".Rate", c.Rate, field.ErrOutOfRange, "negative rate")
		}
	}
	t.validateRest(l)
}

func (t Timeline) validateRest(l *field.List) {
	for i, p := range t.NonAccrual {
		path := fmt.Sprintf("Timeline.NonAccrual[%d]", i)
		checkDates(l, path+".Start", p.Start, path+".End", p.End)
	}
	for i, c := range t.Caps {
		path := fmt.Sprintf("Timeline.Caps[%d]", i)
		checkDates(l, path+".From", c.From, path+".To", c.To)
		if c.Max.IsNegative() {
			l.Add(path+".Max", c.Max, field.ErrOutOfRange, "negative cap")
		}
	}
	cp := t.Compounding
	if cp.EveryMonths < 0 || cp.EveryMonths > 120 {
		l.Add("Timeline.Compounding.EveryMonths", cp.EveryMonths, field.ErrOutOfRange, "0..120")
	}
	if cp.EveryMonths > 0 {
		checkDate(l, "Timeline.Compounding.Anchor", cp.Anchor)
		if cp.Daily {
			l.Add("Timeline.Compounding.Daily", cp.Daily, field.ErrInvalid, "both daily and monthly compounding")
		}
	}
	switch t.Rounding {
	case RoundAtPosting, RoundDaily:
	case "":
		l.Add("Timeline.Rounding", t.Rounding, field.ErrRequired, "")
	default:
		l.Add("Timeline.Rounding", t.Rounding, field.ErrNotSupported, "")
	}
	if !t.Mode.Valid() {
		l.Add("Timeline.Mode", t.Mode, field.ErrNotSupported, "rounding mode")
	}
}

// check validates t and the interval [start, end) against it.
func (t Timeline) check(start, end date.Date) error {
	var l field.List
	t.validate(&l)
	checkDates(&l, "start", start, "end", end)
	if len(t.Principal) > 0 && t.Principal[0].On > start {
		l.Add("Timeline.Principal[0].On", t.Principal[0].On, field.ErrOutOfRange, "after accrual start "+start.String())
	}
	if len(t.Rates) > 0 && t.Rates[0].On > start {
		l.Add("Timeline.Rates[0].On", t.Rates[0].On, field.ErrOutOfRange, "after accrual start "+start.String())
	}
	return l.Err(ErrInvalidInput)
}

// Accrue returns the interest accrued over [start, end) (see [Result]). It
// returns an error wrapping ErrInvalidInput naming each bad field if the
// timeline or dates are bad (end before start, a balance or rate timeline
// that starts after start, a negative balance, an unknown convention, ICMA
// without a reference), and ErrOverflow if an amount exceeds money.MaxMinor.
func (t Timeline) Accrue(start, end date.Date) (Result, error) {
	if err := t.check(start, end); err != nil {
		return Result{}, err
	}
	a := newAccumulator(t)
	cuts := t.breakpoints(start, end)
	for i := 0; i+1 < len(cuts); i++ {
		if err := a.run(cuts[i], cuts[i+1]); err != nil {
			return Result{}, fmt.Errorf("accrue [%s, %s): %w", cuts[i], cuts[i+1], err)
		}
	}
	return a.finish()
}

// breakpoints returns start, end and every date in between where the
// balance, rate, cap, accrual status or compounding changes, sorted.
func (t Timeline) breakpoints(start, end date.Date) []date.Date {
	cuts := []date.Date{start, end}
	in := func(d date.Date) {
		if d > start && d < end {
			cuts = append(cuts, d)
		}
	}
	for _, c := range t.Principal {
		in(c.On)
	}
	for _, c := range t.Rates {
		in(c.On)
	}
	for _, p := range t.NonAccrual {
		in(p.Start)
		in(p.End)
	}
	for _, c := range t.Caps {
		in(c.From)
		in(c.To)
	}
	if m := t.Compounding.EveryMonths; m > 0 {
		anc := t.Compounding.Anchor
		day := anc.Day()
		// First compounding index at or after start, then step forward.
		k := monthsBetween(anc, start)/m - 1
		for ; ; k++ {
			c := addMonths(anc, k*m, day, false)
			if c >= end {
				break
			}
			in(c)
		}
	}
	slices.Sort(cuts)
	return slices.Compact(cuts)
}

// monthsBetween is the whole-month difference of the months of a and b.
func monthsBetween(a, b date.Date) int {
	y1, m1, _ := a.Date()
	y2, m2, _ := b.Date()
	return (y2-y1)*12 + int(m2-m1)
}

// balanceOn, rateOn and capOn return what is in force on day d.
func (t Timeline) balanceOn(d date.Date) money.Amount {
	i, _ := slices.BinarySearchFunc(t.Principal, d, func(c BalanceChange, d date.Date) int { return cmpDate(c.On, d+1) })
	return t.Principal[max(i-1, 0)].Balance
}

func (t Timeline) rateOn(d date.Date) rate.Rate {
	i, _ := slices.BinarySearchFunc(t.Rates, d, func(c RateChange, d date.Date) int { return cmpDate(c.On, d+1) })
	return t.Rates[max(i-1, 0)].Rate
}

func cmpDate(a, b date.Date) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (t Timeline) chargedOn(d date.Date, r rate.Rate) rate.Rate {
	for _, c := range t.Caps {
		if d >= c.From && d < c.To {
			r = rate.Min(r, c.Max)
		}
	}
	return r
}

func (t Timeline) accruing(d date.Date) bool {
	for _, p := range t.NonAccrual {
		if d >= p.Start && d < p.End {
			return false
		}
	}
	return true
}

func (t Timeline) isCompoundingDate(d date.Date) bool {
	cp := t.Compounding
	if cp.Daily {
		return true
	}
	if cp.EveryMonths <= 0 {
		return false
	}
	k := monthsBetween(cp.Anchor, d)
	if k%cp.EveryMonths != 0 { // zero remainder is sign-independent
		return false
	}
	return addMonths(cp.Anchor, k, cp.Anchor.Day(), false) == d
}

// accumulator carries the running sums of one Accrue call.
type accumulator struct {
	t                Timeline
	cur              money.Currency
	capitalized      int64    // minor units added to the balance so far
	pendingTotal     *big.Rat // exact interest (contract rate) since the last posting, in minor units
	pendingCharged   *big.Rat // exact charged interest since the last posting, in minor units
	postedTotal      int64    // rounded contract-rate interest posted, minor units
	postedCharged    int64    // rounded charged interest posted, minor units
	exact            *big.Rat // exact charged interest, minor units
	days, nonAccrual int
	segments         []Segment
}

func newAccumulator(t Timeline) *accumulator {
	return &accumulator{t: t, cur: t.Principal[0].Balance.Currency(),
		pendingTotal: new(big.Rat), pendingCharged: new(big.Rat), exact: new(big.Rat)}
}

// run accrues the constant run [a, b); a compounding date at b capitalizes.
func (x *accumulator) run(a, b date.Date) error {
	t := x.t
	if !t.accruing(a) {
		x.nonAccrual += int(b - a)
		return x.maybeCapitalize(b)
	}
	bal, err := money.New(t.balanceOn(a).Minor()+x.capitalized, x.cur)
	if err != nil {
		return fmt.Errorf("%w: balance with capitalized interest: %w", ErrOverflow, err)
	}
	r := t.rateOn(a)
	c := t.chargedOn(a, r)
	yf, err := t.DayCount.yearFraction(a, b)
	if err != nil {
		return err
	}
	x.days += int(b - a)
	x.segments = append(x.segments, Segment{Start: a, End: b, Balance: bal, Rate: r, Charged: c, Fraction: yf})
	if !t.Compounding.Daily {
		x.exact.Add(x.exact, exactInterest(bal.Minor(), c, yf))
	}
	if t.Rounding == RoundDaily || t.Compounding.Daily {
		if err := x.daily(a, b, bal, r, c); err != nil {
			return err
		}
	} else {
		x.pendingTotal.Add(x.pendingTotal, exactInterest(bal.Minor(), r, yf))
		x.pendingCharged.Add(x.pendingCharged, exactInterest(bal.Minor(), c, yf))
	}
	return x.maybeCapitalize(b)
}

// daily adds each day's rounded interest; with daily compounding each day's
// charged interest joins the balance for the next day. Days are counted from
// a (dayStepper), so the run's days sum to its day count: 30/360 February
// counts 30 days, not 28 one-day counts.
func (x *accumulator) daily(a, b date.Date, bal money.Amount, r, c rate.Rate) error {
	t := x.t
	// Within a run the balance and rates are constant unless interest
	// compounds daily, so a day's rounded interest depends only on its year
	// fraction: remember the last one.
	var lastYF Fraction
	var full, charged money.Amount
	steps := dayStepper{dc: t.DayCount, start: a}
	for day := a; day < b; day++ {
		yf, err := steps.next(day)
		if err != nil {
			return err
		}
		if yf != lastYF || t.Compounding.Daily {
			if full, charged, err = dayAmounts(bal, r, c, yf, t.Mode); err != nil {
				return err
			}
			lastYF = yf
		}
		x.postedTotal += full.Minor()
		x.postedCharged += charged.Minor()
		if t.Compounding.Daily {
			x.capitalized += charged.Minor()
			if bal, err = money.New(bal.Minor()+charged.Minor(), x.cur); err != nil {
				return fmt.Errorf("%w: %w", ErrOverflow, err)
			}
		}
	}
	return nil
}

// dayAmounts is one day's interest at the contract rate r and the charged
// rate c, each rounded with mode.
func dayAmounts(bal money.Amount, r, c rate.Rate, yf Fraction, mode money.RoundingMode) (full, charged money.Amount, err error) {
	if full, err = SimpleInterest(bal, r, yf, mode); err != nil {
		return
	}
	charged = full
	if c != r {
		charged, err = SimpleInterest(bal, c, yf, mode)
	}
	return
}

// maybeCapitalize adds the charged interest posted since the last
// capitalization to the balance when d is a monthly compounding date. Under
// RoundAtPosting the pending exact interest is rounded here, once.
func (x *accumulator) maybeCapitalize(d date.Date) error {
	if x.t.Compounding.Daily || x.t.Compounding.EveryMonths == 0 || !x.t.isCompoundingDate(d) {
		return nil
	}
	if err := x.post(); err != nil {
		return err
	}
	// Everything posted before was capitalized, so the difference is new.
	x.capitalized = x.postedCharged
	return nil
}

// post rounds the pending exact sums into the posted totals.
func (x *accumulator) post() error {
	if x.pendingTotal.Sign() == 0 && x.pendingCharged.Sign() == 0 {
		return nil
	}
	tot, err := x.roundMinor(x.pendingTotal)
	if err != nil {
		return err
	}
	ch, err := x.roundMinor(x.pendingCharged)
	if err != nil {
		return err
	}
	x.postedTotal += tot
	x.postedCharged += ch
	x.pendingTotal.SetInt64(0)
	x.pendingCharged.SetInt64(0)
	return nil
}

func (x *accumulator) finish() (Result, error) {
	if err := x.post(); err != nil {
		return Result{}, err
	}
	mk := func(v int64) (money.Amount, error) {
		a, err := money.New(v, x.cur)
		if err != nil {
			return money.Amount{}, fmt.Errorf("%w: %w", ErrOverflow, err)
		}
		return a, nil
	}
	interest, err := mk(x.postedCharged)
	if err != nil {
		return Result{}, err
	}
	forgiven, err := mk(x.postedTotal - x.postedCharged)
	if err != nil {
		return Result{}, err
	}
	capd, err := mk(x.capitalized)
	if err != nil {
		return Result{}, err
	}
	return Result{Interest: interest, Forgiven: forgiven, Capitalized: capd,
		Days: x.days, NonAccrualDays: x.nonAccrual, Segments: x.segments, Exact: x.exactMajor()}, nil
}

// exactInterest is balance (minor units) × r × yf in minor units, exactly.
func exactInterest(minor int64, r rate.Rate, yf Fraction) *big.Rat {
	num, den := r.Ratio()
	v := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(minor), big.NewInt(num)), big.NewInt(den))
	return v.Mul(v, yf.Rat())
}

// roundMinor rounds an exact minor-unit quantity to an integer with the
// timeline's mode.
func (x *accumulator) roundMinor(v *big.Rat) (int64, error) {
	major := new(big.Rat).Quo(v, new(big.Rat).SetInt64(unitOf(x.cur)))
	a, err := money.RoundRat(major, x.cur, x.t.Mode)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrOverflow, err)
	}
	return a.Minor(), nil
}

// PerDiem returns the interest charged for the single day [on, on+1) at the
// balance, rate and caps in force that day, rounded with the timeline's mode
// (zero in a non-accrual interval): the per-diem figure of a payoff quote.
func (t Timeline) PerDiem(on date.Date) (money.Amount, error) {
	r, err := t.Accrue(on, on+1)
	if err != nil {
		return money.Amount{}, err
	}
	return r.Interest, nil
}

// InterestPayment is interest paid on a date.
type InterestPayment struct {
	On     date.Date    `json:"on"`
	Amount money.Amount `json:"amount"`
}

// AccruedUnpaid returns the interest accrued over [from, asOf) less the
// interest paid on dates in [from, asOf]: accrued-but-unpaid interest as of
// asOf, up to but not including asOf itself (the payoff convention). A
// negative result is interest paid in advance. It fails like [Timeline.Accrue],
// and with ErrInvalidInput naming "paid[i].Amount" for a payment in another
// currency.
func (t Timeline) AccruedUnpaid(from, asOf date.Date, paid []InterestPayment) (money.Amount, error) {
	r, err := t.Accrue(from, asOf)
	if err != nil {
		return money.Amount{}, err
	}
	var l field.List
	due := r.Interest
	for i, p := range paid {
		if !p.Amount.SameCurrency(due) {
			l.Add(fmt.Sprintf("paid[%d].Amount", i), p.Amount, field.ErrInvalid, "currency differs from the principal")
			continue
		}
		if p.On >= from && p.On <= asOf {
			due = due.Sub(p.Amount)
		}
	}
	if err := l.Err(ErrInvalidInput); err != nil {
		return money.Amount{}, err
	}
	return due, nil
}

func (x *accumulator) exactMajor() *big.Rat {
	if x.t.Compounding.Daily {
		return nil
	}
	return new(big.Rat).Quo(x.exact, new(big.Rat).SetInt64(unitOf(x.cur)))
}
