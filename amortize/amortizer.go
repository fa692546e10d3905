package amortize

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// segment is a run of installments [from, next segment's from) whose
// periods share one rate and year fraction, hence one exact interest factor
// num/den: interest = balance × num / den before rounding. A periodic loan
// has one or two segments per rate; a daily-interest loan one per run of
// equal-length periods. fits is false when the factor overflows int64
// (exotic day counts at high rates); interest then goes through math/big
// with exact. change marks a rate different from the previous segment's,
// where a level payment is re-solved.
type segment struct {
	from     int
	r        rate.Rate
	yf       accrual.Fraction
	num, den int64
	fits     bool
	change   bool
	split    bool // a daily period split by rate changes: its factor is not r × yf
	exact    *big.Rat
}

// amortizer is one loan's amortization arithmetic: its validated terms,
// their policy strings decoded once (so the per-row loop compares integers
// only), the due dates and the interest segments over the amortization
// horizon. It builds tables (run, addOn), prices a period's interest and
// solves payments; a Biller keeps one without dates or segments for its
// rounding and interest helpers. (It is not the root package's Engine,
// which services loans by composing this package with the others.)
type amortizer struct {
	t           Terms
	cur         money.Currency
	zero        money.Amount
	shape       shapeKind
	horizon     int
	ppy         int64          // periods a year of a periodic loan (0 for daily interest)
	dues        []schedule.Due // contractual and adjusted due dates of the horizon, unless onGrid
	grid        schedule.Grid  // an unadjusted plan's due-date grid, when onGrid
	onGrid      bool           // due dates are read from grid (dues is nil)
	segs        []segment
	path        []accrual.RateChange // dated rate path (RatePath or resolved Variable); nil: none
	regular     accrual.Fraction     // 1/ppy
	oddInterest money.Amount         // OddDaysInterest: added to the first installment
}

// shapeKind is Terms.Shape decoded once.
type shapeKind uint8

const (
	kindLevel shapeKind = iota
	kindEqualPrincipal
	kindGraduated
	kindCustom
	kindAddOn
)

func kindOf(s Shape) shapeKind {
	switch s {
	case ShapeEqualPrincipal:
		return kindEqualPrincipal
	case ShapeGraduated:
		return kindGraduated
	case ShapeCustom:
		return kindCustom
	case ShapeAddOn:
		return kindAddOn
	}
	return kindLevel
}

// Compute returns the amortization table of t. The payment is solved unless
// given; each period's interest is balance × rate × period fraction rounded
// once with InterestRounding; the last row pays the remaining balance and
// absorbs all rounding; if a payment reaches the payoff amount early the
// table ends there. The table is checked (Table.Check) before it is returned.
//
// Compute returns an error wrapping ErrInvalidTerms naming every bad field
// (see Terms.Validate; also a Terms.Payment too small to amortize, an
// irregular first period without OddFirstPeriod), money.ErrOverflow when
// an amount leaves the money range, or ErrInvariant (a bug).
func Compute(t Terms) (Table, error) {
	var dp Row
	if !t.DownPayment.IsZero() {
		if err := t.Validate(); err != nil {
			return Table{}, err
		}
		dp, t = t.downPaymentRow(), t.financed()
	}
	// The amortizer lives on Compute's stack: the table's rows are the
	// only large allocation.
	var am amortizer
	if err := am.init(&t, t.Installments); err != nil {
		return Table{}, err
	}
	tb, err := am.run(0, t.Principal, t.Rows(), t.Installments, t.Payment)
	if err == nil && t.EMIAdjust != EMIAdjustNone {
		var level money.Amount
		if level, err = adjustLevel(t, tb); err == nil && !level.Equal(tb.Payment) {
			t.Payment = level
			tb, err = am.run(0, t.Principal, t.Rows(), t.Installments, level)
		}
	}
	tb.DownPayment = dp
	return tb, err
}

// newAmortizer validates t and builds the segments of horizon installments.
func newAmortizer(t *Terms, horizon int) (*amortizer, error) {
	am := new(amortizer)
	if err := am.init(t, horizon); err != nil {
		return nil, err
	}
	return am, nil
}

// init is newAmortizer into am, for callers that keep the amortizer on
// their stack.
func (am *amortizer) init(t *Terms, horizon int) error {
	if err := t.Validate(); err != nil {
		return err
	}
	cur := t.Principal.Currency()
	*am = amortizer{t: *t, cur: cur, zero: money.Zero(cur), shape: kindOf(t.Shape), horizon: horizon}
	if err := am.dates(); err != nil {
		return err
	}
	ppy, _ := t.Frequency.PeriodsPerYear()
	am.regular = accrual.Fraction{Num: 1, Den: int64(ppy)}
	if err := am.resolvePath(); err != nil {
		return err
	}
	if t.InterestMethod == InterestPeriodic {
		am.ppy = int64(ppy)
		return am.periodicSegments()
	}
	return am.dailySegments()
}

// dates sets the horizon's due dates. An unadjusted plan's adjusted dates
// are its contractual ones, each the grid's date (schedule.Grid.At is the
// date schedule.DueDates lists at that index), so they are read from the
// grid as needed and no date list is built; a plan adjusted to business
// days keeps schedule.DueDates' list. Either way the plan is validated as
// DueDates validates it.
func (am *amortizer) dates() error {
	p := am.t.plan(am.horizon)
	var err error
	if p.Adjust == schedule.Unadjusted {
		err = p.Validate()
		am.grid, am.onGrid = p.Grid(), true
	} else {
		am.dues, err = schedule.DueDates(p)
	}
	if err != nil {
		return fieldErr("Terms.FirstDueDate", am.t.FirstDueDate.String(), err)
	}
	return nil
}

// periodicSegments builds the segments of a periodic loan: the first
// period's own fraction (OddActualPeriod) and a segment per rate step.
func (am *amortizer) periodicSegments() error {
	first := am.regular
	if am.shape != kindAddOn {
		odd, err := am.oddFirstPeriod()
		if err != nil {
			return err
		}
		first = odd
	}
	if am.path != nil {
		start, err := am.t.firstStart()
		if err != nil {
			return err
		}
		for k := range am.horizon {
			yf := am.regular
			if k == 0 {
				yf = first
			}
			am.addSegment(k, am.rateOn(start), yf)
			start = am.contractual(k)
		}
		return nil
	}
	r, next := am.t.AnnualRate, 0
	steps := am.t.RateSteps
	am.addSegment(0, r, first)
	am.addSegment(1, r, am.regular)
	for next < len(steps) {
		r = steps[next].AnnualRate
		am.addSegment(steps[next].FromInstallment-1, r, am.regular)
		next++
	}
	return nil
}

// dailySegments builds the segments of a daily-interest loan from each
// period's DayCount year fraction, the first from FundingDate.
func (am *amortizer) dailySegments() error {
	t := &am.t
	start, err := t.firstStart()
	if err != nil {
		return err
	}
	for k := range am.horizon {
		end := am.contractual(k)
		yf, err := t.DayCount.YearFraction(start, end)
		if err != nil {
			return fieldErr("Terms.DayCount", t.DayCount.Convention, err)
		}
		if am.path == nil {
			am.addSegment(k, t.rateFor(k), yf)
		} else if err := am.addSplitSegment(k, start, end, yf); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// firstStart is the start of the first period of a daily-interest table:
// FundingDate, or the regular start with OddPrepaid.
func (t *Terms) firstStart() (date.Date, error) {
	if t.OddFirstPeriod != OddPrepaid {
		return t.FundingDate, nil
	}
	first, err := t.plan(1).FirstPeriod()
	if err != nil {
		return 0, fieldErr("Terms.FirstDueDate", t.FirstDueDate.String(), err)
	}
	return first.RegularStart, nil
}

// resolvePath sets e.path from Terms.RatePath or, for Terms.Variable, from
// the ARM's adjustments at its change dates up to the horizon's last due
// date (accrual.ARM.Adjust, then RateTimeline from FundingDate).
func (am *amortizer) resolvePath() error {
	t := &am.t
	if len(t.RatePath) > 0 {
		am.path = t.RatePath
		return nil
	}
	v := t.Variable
	if v == nil {
		return nil
	}
	last := am.contractual(am.horizon - 1)
	var changes []date.Date
	for i := 0; ; i++ {
		d := schedule.AddMonths(v.FirstChange, i*v.EveryMonths, v.FirstChange.Day(), schedule.EOMAnchor)
		if d >= last || i > MaxPayments {
			break
		}
		changes = append(changes, d)
	}
	adjs, err := v.ARM.Adjust(changes, v.Index)
	if err != nil {
		var l field.List
		l.Add("Terms.Variable", nil, err, "the ARM could not be adjusted")
		return l.Err(ErrInvalidTerms)
	}
	am.path = v.ARM.RateTimeline(t.FundingDate, adjs)
	return nil
}

// rateOn is the annual rate in force on d: AnnualRate before the path's
// first change, then the last change on or before d.
func (am *amortizer) rateOn(d date.Date) rate.Rate {
	i, _ := slices.BinarySearchFunc(am.path, d, func(c accrual.RateChange, d date.Date) int { return cmp.Compare(c.On, d+1) })
	if i == 0 {
		return am.t.AnnualRate
	}
	return am.path[i-1].Rate
}

// addSplitSegment adds daily period k [start, end) of year fraction yf:
// when the path changes the rate inside it, its factor is the sum of rate ×
// DayCount year fraction over the pieces, and its rate (the one a re-solved
// payment uses) is the rate in force at its end.
func (am *amortizer) addSplitSegment(k int, start, end date.Date, yf accrual.Fraction) error {
	i, _ := slices.BinarySearchFunc(am.path, start, func(c accrual.RateChange, d date.Date) int { return cmp.Compare(c.On, d+1) })
	if i >= len(am.path) || am.path[i].On >= end {
		am.addSegment(k, am.rateOn(start), yf)
		return nil
	}
	sum := new(big.Rat)
	a, r := start, am.rateOn(start)
	for ; ; i++ {
		b := end
		if i < len(am.path) && am.path[i].On < end {
			b = am.path[i].On
		}
		piece, err := am.t.DayCount.YearFraction(a, b)
		if err != nil {
			return fieldErr("Terms.DayCount", am.t.DayCount.Convention, err)
		}
		rn, rd := r.Ratio()
		x := big.NewRat(rn, rd)
		sum.Add(sum, x.Mul(x, big.NewRat(piece.Num, piece.Den)))
		if b == end {
			break
		}
		a, r = b, am.path[i].Rate
	}
	am.pushSegment(k, r, yf, sum)
	return nil
}

// contractual returns installment k's contractual due date.
func (am *amortizer) contractual(k int) date.Date {
	if am.onGrid {
		return am.grid.At(k)
	}
	return am.dues[k].Contractual
}

// adjusted returns installment k's adjusted (payment) due date.
func (am *amortizer) adjusted(k int) date.Date {
	if am.onGrid {
		return am.grid.At(k)
	}
	return am.dues[k].Adjusted
}

// addSegment starts a segment at installment from (< horizon) with rate r
// and year fraction yf, replacing a segment that starts at the same
// installment and merging into the previous one when both are equal.
func (am *amortizer) addSegment(from int, r rate.Rate, yf accrual.Fraction) {
	if from >= am.horizon {
		return
	}
	if n := len(am.segs); n > 0 && am.segs[n-1].from == from {
		am.segs = am.segs[:n-1]
	}
	var prev *segment
	if n := len(am.segs); n > 0 {
		prev = &am.segs[n-1]
		if prev.r == r && prev.yf == yf && !prev.split {
			return
		}
	}
	s := segment{from: from, r: r, yf: yf, change: prev != nil && prev.r != r}
	s.num, s.den, s.fits = interestRatio(r, yf)
	if !s.fits {
		rn, rd := r.Ratio()
		x := big.NewRat(rn, rd)
		s.exact = x.Mul(x, big.NewRat(yf.Num, yf.Den))
	}
	am.segs = append(am.segs, s)
}

// pushSegment appends a one-period segment at from whose factor f is not
// simply r × yf (a period split by rate changes).
func (am *amortizer) pushSegment(from int, r rate.Rate, yf accrual.Fraction, f *big.Rat) {
	s := segment{from: from, r: r, yf: yf, split: true}
	if n := len(am.segs); n > 0 {
		s.change = am.segs[n-1].r != r
	}
	if f.Num().IsInt64() && f.Denom().IsInt64() {
		s.num, s.den, s.fits = f.Num().Int64(), f.Denom().Int64(), true
	} else {
		s.exact = f
	}
	am.segs = append(am.segs, s)
}

// segIndex returns the index of installment k's segment.
func (am *amortizer) segIndex(k int) int {
	i, _ := slices.BinarySearchFunc(am.segs, k, func(s segment, k int) int { return cmp.Compare(s.from, k+1) })
	return i - 1
}

// adjustedDates returns the adjusted due dates of the first n installments.
func (am *amortizer) adjustedDates(n int) []date.Date {
	out := make([]date.Date, n)
	for k := range out {
		out[k] = am.adjusted(k)
	}
	return out
}

// seg returns the segment of installment k.
func (am *amortizer) seg(k int) *segment {
	return &am.segs[am.segIndex(k)]
}

func fieldErr(path string, v any, err error) error {
	var l field.List
	l.Add(path, v, field.ErrInvalid, err.Error())
	return l.Err(ErrInvalidTerms)
}

// oddFirstPeriod applies Terms.OddFirstPeriod when FundingDate is not one
// regular period before FirstDueDate and returns the first period's year
// fraction (longer or shorter than regular with OddActualPeriod).
func (am *amortizer) oddFirstPeriod() (accrual.Fraction, error) {
	t := &am.t
	first, err := t.plan(1).FirstPeriod()
	if err != nil {
		return accrual.Fraction{}, fieldErr("Terms.FirstDueDate", t.FirstDueDate.String(), err)
	}
	regStart := first.RegularStart
	if regStart == t.FundingDate || t.OddFirstPeriod == OddPrepaid {
		return am.regular, nil
	}
	if t.OddFirstPeriod == "" {
		var l field.List
		l.Add("Terms.OddFirstPeriod", t.OddFirstPeriod, field.ErrRequired,
			fmt.Sprintf("first period %s..%s is not one regular period (regular start %s)", t.FundingDate, t.FirstDueDate, regStart))
		return accrual.Fraction{}, l.Err(ErrInvalidTerms)
	}
	if err := t.DayCount.Validate(); err != nil {
		return accrual.Fraction{}, fieldErr("Terms.DayCount", t.DayCount.Convention, err)
	}
	var odd accrual.Fraction
	if t.FundingDate < regStart {
		odd, err = t.DayCount.YearFraction(t.FundingDate, regStart)
	} else {
		odd, err = t.DayCount.YearFraction(regStart, t.FundingDate)
		odd.Num = -odd.Num
	}
	if err != nil {
		return accrual.Fraction{}, fieldErr("Terms.DayCount", t.DayCount.Convention, err)
	}
	if t.OddFirstPeriod == OddActualPeriod {
		sum, err := am.regular.Add(odd)
		if err != nil {
			return accrual.Fraction{}, fieldErr("Terms.FundingDate", t.FundingDate.String(), err)
		}
		return sum, nil
	}
	am.oddInterest, err = am.fractionInterest(t.Principal, t.rateFor(0), odd)
	return am.regular, err
}

// interestRatio reduces rate × yf to one int64 ratio num/den (den > 0).
func interestRatio(r rate.Rate, yf accrual.Fraction) (num, den int64, fits bool) {
	a, b := r.Ratio()
	c, d := yf.Num, yf.Den
	if a == 0 || c == 0 {
		return 0, 1, true
	}
	neg := c < 0
	if neg {
		c = -c
	}
	g := gcd(a, b)
	a, b = a/g, b/g
	g = gcd(a, d)
	a, d = a/g, d/g
	g = gcd(c, b)
	c, b = c/g, b/g
	num, ok1 := mulOK(a, c)
	den, ok2 := mulOK(b, d)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	if neg {
		num = -num
	}
	return num, den, true
}

// interest is the interest of a period of segment sg on bal, rounded per
// the terms: one 128-bit multiply-divide in the common case.
func (am *amortizer) interest(sg *segment, bal money.Amount) (money.Amount, error) {
	if !sg.fits {
		return am.ratInterest(bal, sg.exact)
	}
	return am.ratioInterest(bal, sg.num, sg.den)
}

// fractionInterest is bal × r × yf rounded per the terms.
func (am *amortizer) fractionInterest(bal money.Amount, r rate.Rate, yf accrual.Fraction) (money.Amount, error) {
	if num, den, fits := interestRatio(r, yf); fits {
		return am.ratioInterest(bal, num, den)
	}
	rn, rd := r.Ratio()
	x := big.NewRat(rn, rd)
	return am.ratInterest(bal, x.Mul(x, big.NewRat(yf.Num, yf.Den)))
}

// ratioInterest is bal × num/den rounded with InterestRounding to a
// multiple of InterestIncrement, in 128-bit integers (falling back to
// math/big when den × increment overflows).
func (am *amortizer) ratioInterest(bal money.Amount, num, den int64) (money.Amount, error) {
	mode, inc := am.t.InterestRounding, am.t.InterestIncrement
	if num == 0 {
		return am.zero, nil
	}
	if inc <= 1 {
		return bal.MulDiv(num, den, mode)
	}
	if d2, ok := mulOK(den, inc); ok {
		q, err := bal.MulDiv(num, d2, mode)
		if err != nil {
			return money.Amount{}, err
		}
		return q.Mul(inc)
	}
	return am.ratInterest(bal, big.NewRat(num, den))
}

// ratInterest is the exact slow path: bal × f in minor units, rounded to
// a multiple of InterestIncrement.
func (am *amortizer) ratInterest(bal money.Amount, f *big.Rat) (money.Amount, error) {
	inc := max(am.t.InterestIncrement, 1)
	x := new(big.Rat).SetInt64(bal.Minor())
	x.Mul(x, f)
	x.Quo(x, new(big.Rat).SetInt64(inc))
	units, err := money.RoundRat(x, money.JPY, am.t.InterestRounding) // JPY has scale 0: an integer count
	if err != nil {
		return money.Amount{}, err
	}
	return money.New(units.Minor()*inc, am.cur)
}

// factor is period k's interest factor rate × yf as a decimal (the rate
// solver's working form).
func (am *amortizer) factor(k int) decimal.Decimal {
	sg := am.seg(k)
	if sg.fits {
		if sg.num == 0 {
			return decimal.Zero
		}
		return ratio(sg.num, sg.den)
	}
	return mul(sg.r.Fraction(), ratio(sg.yf.Num, sg.yf.Den))
}

// bigFactor is period k's exact interest factor as integers n/d.
func (am *amortizer) bigFactor(k int) (n, d *big.Int) {
	sg := am.seg(k)
	if sg.fits {
		return big.NewInt(sg.num), big.NewInt(sg.den)
	}
	return sg.exact.Num(), sg.exact.Denom()
}

// solveLevel is the level payment that repays bal over [k, to) at the rate
// of installment k's period held for the rest of the term, as an
// adjustable-rate note recasts at a change: period k keeps its own factor,
// every later period j costs rate_k × yf_j.
func (am *amortizer) solveLevel(bal money.Amount, k, to int) (money.Amount, error) {
	sk := am.seg(k)
	uniform := am.ppy > 0 && sk.fits && (k > 0 || sk.yf == am.regular)
	num, den := levelRatio(bal.Minor(), k, to, am.held(k).fac, uniform, nil)
	return am.roundPayment(num, den)
}

// heldFactor is the factor function of a solve at installment k: period k
// keeps its own factor, every later period j costs rate_k × yf_j (the rate
// of period k held to maturity). Its fac method is passed to levelRatio.
type heldFactor struct {
	am *amortizer
	k  int
	r  rate.Rate
}

func (am *amortizer) held(k int) heldFactor { return heldFactor{am: am, k: k, r: am.seg(k).r} }

func (h heldFactor) fac(j int) (n, d *big.Int) {
	if j == h.k {
		return h.am.bigFactor(j)
	}
	sg := h.am.seg(j)
	if sg.r == h.r && !sg.split {
		return h.am.bigFactor(j)
	}
	return bigRatio(h.r, sg.yf)
}

// bigRatio is r × yf as integers n/d.
func bigRatio(r rate.Rate, yf accrual.Fraction) (n, d *big.Int) {
	if num, den, fits := interestRatio(r, yf); fits {
		return big.NewInt(num), big.NewInt(den)
	}
	rn, rd := r.Ratio()
	n = new(big.Int).Mul(big.NewInt(rn), big.NewInt(yf.Num))
	d = new(big.Int).Mul(big.NewInt(rd), big.NewInt(yf.Den))
	return n, d
}

// uniform reports whether periods [from, to) share one exact int64 factor.
func (am *amortizer) uniform(from, to int) bool {
	sg := am.seg(from)
	if !sg.fits {
		return false
	}
	for i := range am.segs {
		s := &am.segs[i]
		if s.from > from && s.from < to && (!s.fits || s.num != sg.num || s.den != sg.den) {
			return false
		}
	}
	return true
}

// roundPayment rounds a solved payment num/den (minor units) per
// PaymentRounding and PaymentIncrement.
func (am *amortizer) roundPayment(num, den *big.Int) (money.Amount, error) {
	return roundRatio(num, den, max(am.t.PaymentIncrement, 1), am.cur, am.t.PaymentRounding)
}
