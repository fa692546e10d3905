package amortize

import (
	"fmt"
	"math/big"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// period is one installment's interest period [start, end) with its exact
// interest ratio: interest = balance × num / den before rounding. fits is
// false when the ratio overflows int64 (exotic day counts at high rates);
// interest then goes through math/big.
type period struct {
	due      date.Date // adjusted due date
	r        rate.Rate
	yf       accrual.Fraction
	num, den int64
	fits     bool
}

// engine holds the validated terms and their periods over the amortization
// horizon.
type engine struct {
	t           Terms
	cur         money.Currency
	periods     []period
	oddInterest money.Amount // OddDaysInterest: added to the first installment
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
	e, err := newEngine(t, t.Installments)
	if err != nil {
		return Table{}, err
	}
	return e.run(0, t.Principal, t.rows(), t.Installments, t.Payment)
}

// newEngine validates t and builds the periods of horizon installments.
func newEngine(t Terms, horizon int) (*engine, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	e := &engine{t: t, cur: t.Principal.Currency()}
	dues, err := schedule.DueDates(t.plan(horizon))
	if err != nil {
		var l field.List
		l.Add("Terms.FirstDueDate", t.FirstDueDate.String(), field.ErrInvalid, err.Error())
		return nil, l.Err(ErrInvalidTerms)
	}
	e.periods = make([]period, horizon)
	ppy, _ := t.Frequency.PeriodsPerYear()
	regular := accrual.Fraction{Num: 1, Den: int64(ppy)}
	start := t.FundingDate
	for k := range e.periods {
		p := &e.periods[k]
		p.due, p.r = dues[k].Adjusted, t.rateFor(k)
		if t.InterestMethod == InterestDaily {
			if p.yf, err = t.DayCount.YearFraction(start, dues[k].Contractual); err != nil {
				return nil, fieldErr("Terms.DayCount", t.DayCount.Convention, err)
			}
		} else {
			p.yf = regular
		}
		start = dues[k].Contractual
		if q := &e.periods[max(k-1, 0)]; k > 0 && q.r == p.r && q.yf == p.yf {
			p.num, p.den, p.fits = q.num, q.den, q.fits // the common case: no gcds per row
			continue
		}
		p.num, p.den, p.fits = interestRatio(p.r, p.yf)
	}
	if t.InterestMethod == InterestPeriodic && t.Shape != ShapeAddOn {
		if err := e.oddFirstPeriod(regular); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func fieldErr(path string, v any, err error) error {
	var l field.List
	l.Add(path, v, field.ErrInvalid, err.Error())
	return l.Err(ErrInvalidTerms)
}

// oddFirstPeriod applies Terms.OddFirstPeriod when FundingDate is not one
// regular period before FirstDueDate.
func (e *engine) oddFirstPeriod(regular accrual.Fraction) error {
	t := e.t
	regStart := regularStart(t)
	if regStart == t.FundingDate {
		return nil
	}
	if t.OddFirstPeriod == "" {
		var l field.List
		l.Add("Terms.OddFirstPeriod", t.OddFirstPeriod, field.ErrRequired,
			fmt.Sprintf("first period %s..%s is not one regular period (regular start %s)", t.FundingDate, t.FirstDueDate, regStart))
		return l.Err(ErrInvalidTerms)
	}
	if err := t.DayCount.Validate(); err != nil {
		return fieldErr("Terms.DayCount", t.DayCount.Convention, err)
	}
	var odd accrual.Fraction
	var err error
	if t.FundingDate < regStart {
		odd, err = t.DayCount.YearFraction(t.FundingDate, regStart)
	} else {
		odd, err = t.DayCount.YearFraction(regStart, t.FundingDate)
		odd.Num = -odd.Num
	}
	if err != nil {
		return fieldErr("Terms.DayCount", t.DayCount.Convention, err)
	}
	p := &e.periods[0]
	switch t.OddFirstPeriod {
	case OddActualPeriod:
		sum, err := regular.Add(odd)
		if err != nil {
			return fieldErr("Terms.FundingDate", t.FundingDate.String(), err)
		}
		p.yf = sum
		p.num, p.den, p.fits = interestRatio(p.r, p.yf)
	case OddDaysInterest:
		num, den, fits := interestRatio(p.r, odd)
		e.oddInterest, err = e.ratioInterest(t.Principal, num, den, fits, p.r, odd)
		if err != nil {
			return err
		}
	}
	return nil
}

// regularStart is FirstDueDate less one regular period.
func regularStart(t Terms) date.Date {
	f := t.Frequency
	d := t.FirstDueDate
	switch f.Unit {
	case schedule.UnitMonth:
		return schedule.AddMonths(d, -f.Every, d.Day(), t.EOM)
	case schedule.UnitSemiMonth:
		y, m, day := d.Date()
		d1 := f.SemiMonthlyDays[0]
		if day > d1 {
			return date.New(y, m, d1)
		}
		prev := schedule.AddMonths(date.New(y, m, 1), -1, 1, schedule.EOMAnchor)
		py, pm, _ := prev.Date()
		return date.New(py, pm, min(f.SemiMonthlyDays[1], lastDay(py, pm)))
	case schedule.UnitWeek:
		return d - date.Date(7*f.Every)
	}
	return d - date.Date(f.Every)
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

// interest is period k's interest on bal, rounded per the terms.
func (e *engine) interest(k int, bal money.Amount) (money.Amount, error) {
	p := &e.periods[k]
	return e.ratioInterest(bal, p.num, p.den, p.fits, p.r, p.yf)
}

// ratioInterest is bal × num/den rounded with InterestRounding to a
// multiple of InterestIncrement, through 128-bit integers when it can and
// math/big otherwise.
func (e *engine) ratioInterest(bal money.Amount, num, den int64, fits bool, r rate.Rate, yf accrual.Fraction) (money.Amount, error) {
	mode, inc := e.t.InterestRounding, e.t.InterestIncrement
	if fits {
		if num == 0 {
			return money.Zero(e.cur), nil
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
	}
	// Exact slow path: bal × r × yf in minor units, rounded to inc.
	rn, rd := r.Ratio()
	x := new(big.Rat).SetInt64(bal.Minor())
	x.Mul(x, big.NewRat(rn, rd))
	x.Mul(x, big.NewRat(yf.Num, yf.Den))
	x.Quo(x, new(big.Rat).SetInt64(max(inc, 1)))
	units, err := money.RoundRat(x, money.JPY, mode) // JPY has scale 0: an integer count
	if err != nil {
		return money.Amount{}, err
	}
	return money.New(units.Minor()*max(inc, 1), e.cur)
}

// factor is period k's interest factor rate × yf as a decimal.
func (e *engine) factor(k int) decimal.Decimal {
	p := &e.periods[k]
	if p.fits {
		if p.num == 0 {
			return decimal.Zero
		}
		return ratio(p.num, p.den)
	}
	return mul(p.r.Fraction(), ratio(p.yf.Num, p.yf.Den))
}

// levelPayment is the exact level payment (weights w_j, nil for 1) that
// repays bal over installments [from, to):
//
//	P = bal·Π(1+g_k) / Σ_j w_j·Π_{k>j}(1+g_k)
//
// with the closed form bal·g·q/(q−1), q = (1+g)^n, when every factor is the
// same and there are no weights.
func (e *engine) levelPayment(bal money.Amount, from, to int, w func(j int) decimal.Decimal) decimal.Decimal {
	b := bal.Decimal()
	n := to - from
	if w == nil && e.uniform(from, to) {
		g := e.factor(from)
		if g.IsZero() {
			return div(b, decimal.NewFromInt(int64(n)))
		}
		q := powInt(dOne.Add(g), n)
		return div(mul(mul(b, g), q), q.Sub(dOne))
	}
	prod, sum := dOne, decimal.Zero
	for j := to - 1; j >= from; j-- {
		wj := dOne
		if w != nil {
			wj = w(j)
		}
		sum = sum.Add(mul(wj, prod))
		prod = mul(prod, dOne.Add(e.factor(j)))
	}
	return div(mul(b, prod), sum)
}

// uniform reports whether periods [from, to) share one interest ratio.
func (e *engine) uniform(from, to int) bool {
	p0 := e.periods[from]
	if !p0.fits {
		return false
	}
	for k := from + 1; k < to; k++ {
		if p := e.periods[k]; !p.fits || p.num != p0.num || p.den != p0.den {
			return false
		}
	}
	return true
}

// roundPayment rounds a solved payment per PaymentRounding and PaymentIncrement.
func (e *engine) roundPayment(d decimal.Decimal) (money.Amount, error) {
	return roundToIncrement(d, e.cur, e.t.PaymentIncrement, e.t.PaymentRounding)
}
