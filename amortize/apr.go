package amortize

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// MaxAPRIterations bounds the APR and rate solvers. Newton's method with a
// bisection guard converges in well under 20 steps on every realistic loan;
// the bound only stops pathological input.
const MaxAPRIterations = 200

// Payment is one scheduled payment on a date, for APR and rate solving.
type Payment struct {
	// Date is the date the payment is due.
	Date date.Date `json:"date"`
	// Amount is the payment; it must be positive.
	Amount money.Amount `json:"amount"`
}

// PaymentStream is Count equal payments of Amount, the first on First and
// the others one Frequency apart (months step with an anchored end of month:
// 31 Jan, 29 Feb, 31 Mar).
type PaymentStream struct {
	// Amount of each payment; positive.
	Amount money.Amount `json:"amount"`
	// Count of payments, 1 to MaxPayments.
	Count int `json:"count"`
	// First is the date of the first payment of the stream.
	First date.Date `json:"first"`
	// Frequency is the interval between the stream's payments. For a
	// semi-monthly stream SemiMonthlyDays gives the two days (e.g. 1 and 16).
	Frequency schedule.Frequency `json:"frequency"`
}

// APRRequest is a closed-end credit transaction with a single advance, as
// Regulation Z Appendix J (b)(1)–(b)(5) describes it.
type APRRequest struct {
	// AmountFinanced is the single advance (Reg Z §1026.18(b)); positive.
	AmountFinanced money.Amount `json:"amount_financed"`
	// Advance is the date the finance charge begins to accrue (normally
	// consummation); every payment must fall after it.
	Advance date.Date `json:"advance"`
	// Streams are the payment streams (e.g. one odd first payment, 22 regular
	// payments, one odd final payment). Payments may be given here, in
	// Payments, or both.
	Streams []PaymentStream `json:"streams,omitempty"`
	// Payments are single payments on dates, added to the streams.
	Payments []Payment `json:"payments,omitempty"`
	// UnitPeriod is the Appendix J (b)(4) unit-period: month, semi-month,
	// week or day, or a multiple. The zero value means "the interval of the
	// stream with the most payments" (the most common period), which needs at
	// least one stream.
	UnitPeriod schedule.Frequency `json:"unit_period,omitzero"`
}

// APRResult is the solution of the Appendix J general equation.
type APRResult struct {
	// APR is the annual percentage rate: the unit-period rate times the
	// number of unit-periods in a year (Appendix J (b)(9)), rounded half-even
	// to rate.Scale decimals of fraction. Disclosures state it to two
	// decimals of percent (tolerance 1/8 %, §1026.22(a)(2)).
	APR rate.Rate
	// UnitPeriodRate is the solved rate per unit-period (fraction), within
	// 10^-14 of the exact root of the general equation.
	UnitPeriodRate decimal.Decimal
	// UnitPeriodsPerYear is the whole number of unit-periods in a year (12/m
	// for m months, 24 for semi-months, 52/m for m weeks, 365/m for m days),
	// or 0 when that number is not whole (see UnitPeriodsPerYearFraction).
	UnitPeriodsPerYear int
	// UnitPeriodsPerYearFraction is the number of unit-periods in a year as a
	// reduced fraction, whole or not: 12/5 for a 5-month unit, 365/100 for a
	// single payment 100 days after the advance (Appendix J (b)(5)(iv)).
	UnitPeriodsPerYearFraction accrual.Fraction
	// UnitPeriod is the unit-period used.
	UnitPeriod schedule.Frequency
	// Iterations is the number of solver steps taken.
	Iterations int
}

// aprTerm is one payment with its time from the advance in unit-periods:
// Periods whole unit-periods and the fraction Frac of one (Appendix J (b)(5)).
type aprTerm struct {
	amount  decimal.Decimal
	periods int
	frac    decimal.Decimal
}

// APR solves the Regulation Z Appendix J actuarial general equation
//
//	A = Σ_k P_k / ((1 + f_k·i)(1 + i)^t_k)
//
// for the unit-period rate i, where A is the amount financed and payment k
// is t_k whole unit-periods plus the fraction f_k of a unit-period after the
// advance. Time is counted back from each payment date to the advance: whole
// unit-periods first, then, for month units, whole months, then the remaining
// days as 1/30 of a month (1/15 of a semi-month, 1/7 of a week); for a unit
// of m months the fraction is (months + days/30)/m (Appendix J (b)(5)(iv)).
// A semi-month steps back 15 days from a date after the 15th, otherwise to
// the same day + 15 of the previous month (1st → 16th). A single advance
// repaid by a single payment has the term as its unit-period, up to a year
// (Appendix J (b)(4)(ii)): m months when the term is m whole months,
// otherwise its days, so a year holds 12/m or 365/days unit-periods, whole
// or not (one year when the term is longer).
//
// The APR is decided exactly: a float64 Newton solve only proposes the
// root, which is then enclosed by evaluating the equation in fixed-point
// integers rounded down and up on either side of it; if the enclosure
// leaves the rounded APR in doubt the decimal solver (aprExact) answers.
//
// APR returns an error wrapping ErrInvalidAPR naming each bad field (no
// payments, a non-positive amount, a payment not after the advance, more
// than MaxPayments payments), or ErrNotConverged when the payments total
// less than the amount financed (a negative APR) or the solver exceeds
// MaxAPRIterations.
func APR(req APRRequest) (APRResult, error) {
	pays, unit, err := req.expand()
	if err != nil {
		return APRResult{}, err
	}
	perYear, err := unitPeriodsPerYear(unit)
	if err != nil {
		return APRResult{}, err
	}
	if res, ok := aprFast(req.AmountFinanced, req.Advance, pays, unit, perYear); ok {
		return res, nil
	}
	return aprSolve(req.AmountFinanced, req.Advance, pays, unit, perYear)
}

// aprExact is APR's reference path: the same request solved by the decimal
// Newton solver alone (solveGeneral).
func aprExact(req APRRequest) (APRResult, error) {
	pays, unit, err := req.expand()
	if err != nil {
		return APRResult{}, err
	}
	perYear, err := unitPeriodsPerYear(unit)
	if err != nil {
		return APRResult{}, err
	}
	return aprSolve(req.AmountFinanced, req.Advance, pays, unit, perYear)
}

// aprSolve solves the general equation for the sorted payments with
// solveGeneral in decimals truncated to workPlaces.
func aprSolve(amount money.Amount, adv date.Date, pays []Payment, unit schedule.Frequency, perYear accrual.Fraction) (APRResult, error) {
	terms := make([]aprTerm, len(pays))
	for k, p := range pays {
		t, f := unitPeriodsBetween(adv, p.Date, unit)
		terms[k] = aprTerm{amount: p.Amount.Decimal(), periods: t, frac: f}
	}
	i, iters, err := solveGeneral(amount.Decimal(), terms)
	if err != nil {
		return APRResult{}, err
	}
	annual := i.Mul(decimal.NewFromInt(perYear.Num))
	if perYear.Den != 1 {
		annual = div(annual, decimal.NewFromInt(perYear.Den))
	}
	apr, err := rate.FromFractionRounded(annual, money.HalfEven)
	if err != nil {
		return APRResult{}, fmt.Errorf("%w: APR %s out of range: %w", ErrNotConverged, annual.StringFixed(6), err)
	}
	return APRResult{APR: apr, UnitPeriodRate: i, UnitPeriodsPerYear: wholePerYear(perYear),
		UnitPeriodsPerYearFraction: perYear, UnitPeriod: unit, Iterations: iters}, nil
}

// wholePerYear is the whole number of unit-periods a year, or 0.
func wholePerYear(f accrual.Fraction) int {
	if f.Den != 1 {
		return 0
	}
	return int(f.Num)
}

// expand validates the request and returns its payments sorted by date and
// the unit-period.
func (req APRRequest) expand() ([]Payment, schedule.Frequency, error) {
	var l field.List
	if !req.AmountFinanced.IsPositive() {
		l.Add("APRRequest.AmountFinanced", req.AmountFinanced.String(), field.ErrOutOfRange, "must be positive")
	}
	n := len(req.Payments)
	for _, st := range req.Streams {
		n += max(min(st.Count, MaxPayments+1), 0)
	}
	pays := make([]Payment, 0, min(n, MaxPayments+1))
	total := 0
	for s, st := range req.Streams {
		p := fmt.Sprintf("APRRequest.Streams[%d]", s)
		if st.Count < 1 || st.Count > MaxPayments {
			l.Add(p+".Count", st.Count, field.ErrOutOfRange, fmt.Sprintf("must be 1 to %d", MaxPayments))
			continue
		}
		if err := st.Frequency.Validate(); err != nil {
			l.Add(p+".Frequency", st.Frequency.String(), field.ErrInvalid, err.Error())
			continue
		}
		total += st.Count
		if total > MaxPayments {
			continue
		}
		var err error
		if pays, err = appendStream(pays, st); err != nil {
			l.Add(p+".First", st.First.String(), field.ErrInvalid, err.Error())
			continue
		}
	}
	pays = append(pays, req.Payments...)
	total += len(req.Payments)
	switch {
	case total == 0:
		l.Add("APRRequest.Payments", nil, field.ErrRequired, "no payments")
	case total > MaxPayments:
		l.Add("APRRequest.Payments", total, field.ErrOutOfRange, fmt.Sprintf("more than %d payments", MaxPayments))
	}
	for k, p := range pays {
		if !p.Amount.IsPositive() {
			l.Add(fmt.Sprintf("APRRequest.Payments[%d].Amount", k), p.Amount.String(), field.ErrOutOfRange, "must be positive")
		}
		if p.Date <= req.Advance {
			l.Add(fmt.Sprintf("APRRequest.Payments[%d].Date", k), p.Date.String(), field.ErrOutOfRange, "must be after the advance "+req.Advance.String())
		}
	}
	unit := req.UnitPeriod
	if unit == (schedule.Frequency{}) && total == 1 && len(pays) == 1 && pays[0].Date > req.Advance {
		unit = termUnit(req.Advance, pays[0].Date) // single advance, single payment
	} else if unit == (schedule.Frequency{}) {
		best := -1
		for _, st := range req.Streams {
			if st.Count > best {
				best, unit = st.Count, st.Frequency
			}
		}
		if best < 0 {
			l.Add("APRRequest.UnitPeriod", nil, field.ErrRequired, "needed when there are no streams")
		}
	} else if err := unit.Validate(); err != nil {
		l.Add("APRRequest.UnitPeriod", unit.String(), field.ErrInvalid, err.Error())
	}
	if err := l.Err(ErrInvalidAPR); err != nil {
		return nil, schedule.Frequency{}, err
	}
	slices.SortStableFunc(pays, func(a, b Payment) int { return int(a.Date - b.Date) })
	return pays, unit, nil
}

// unitPeriodsPerYear returns the unit-periods in a year for Appendix J
// (b)(5) as a reduced fraction: 12/m for m months, 24 for semi-months, 52/m
// for m weeks and 365/m for m days (whole or not).
func unitPeriodsPerYear(u schedule.Frequency) (accrual.Fraction, error) {
	var n, d int64
	switch u.Unit {
	case schedule.UnitMonth:
		n, d = 12, int64(u.Every)
	case schedule.UnitSemiMonth:
		n, d = 24, 1
	case schedule.UnitWeek:
		n, d = 52, int64(u.Every)
	case schedule.UnitDay:
		n, d = 365, int64(u.Every)
	}
	if d < 1 {
		var l field.List
		l.Add("APRRequest.UnitPeriod", u.String(), field.ErrNotSupported, "one of month, semi_month, week, day")
		return accrual.Fraction{}, l.Err(ErrInvalidAPR)
	}
	g := gcd(n, d)
	return accrual.Fraction{Num: n / g, Den: d / g}, nil
}

// termUnit is the unit-period of a single advance repaid by a single
// payment on pay (Appendix J (b)(4)(ii)): the term, up to one year; m
// months when the term is m whole months, otherwise its days.
func termUnit(adv, pay date.Date) schedule.Frequency {
	for m := 1; m <= 12; m++ {
		if prev := addMonthsClamped(pay, -m, pay.Day()); prev == adv {
			return schedule.EveryMonths(m)
		} else if prev < adv {
			break
		}
	}
	if days := int(pay - adv); days <= 365 {
		return schedule.EveryDays(days)
	}
	return schedule.EveryMonths(12)
}

// unitPeriodsBetween counts the time from adv to pay in unit-periods, back
// from pay (see APR).
func unitPeriodsBetween(adv, pay date.Date, u schedule.Frequency) (int, decimal.Decimal) {
	whole := 0
	cur := pay
	for {
		prev := stepBack(cur, pay, whole+1, u)
		if prev < adv {
			break
		}
		whole++
		cur = prev
	}
	switch u.Unit {
	case schedule.UnitMonth:
		months := 0
		for {
			prev := addMonthsClamped(cur, -1, cur.Day())
			if prev < adv {
				break
			}
			months++
			cur = prev
		}
		days := int64(cur - adv)
		// (months + days/30) / every
		return whole, ratio(int64(months)*30+days, 30*int64(u.Every))
	case schedule.UnitSemiMonth:
		return whole, ratio(int64(cur-adv), 15)
	case schedule.UnitWeek:
		return whole, ratio(int64(cur-adv), 7*int64(u.Every))
	default:
		return whole, ratio(int64(cur-adv), int64(u.Every))
	}
}

// stepBack returns the date n unit-periods before pay (month units count from
// pay's own day, so 31 Mar → 28 Feb → 31 Jan).
func stepBack(cur, pay date.Date, n int, u schedule.Frequency) date.Date {
	switch u.Unit {
	case schedule.UnitMonth:
		return addMonthsClamped(pay, -n*u.Every, pay.Day())
	case schedule.UnitSemiMonth:
		if d := cur.Day(); d > 15 {
			return cur - 15
		}
		return addMonthsClamped(cur, -1, cur.Day()+15)
	case schedule.UnitWeek:
		return cur - date.Date(7*u.Every)
	default:
		return cur - date.Date(u.Every)
	}
}

// addMonthsClamped steps d by n months onto anchorDay, clamped to the
// target month's length (31 Jan + 1 month = 28/29 Feb).
func addMonthsClamped(d date.Date, n, anchorDay int) date.Date {
	return schedule.AddMonths(d, n, anchorDay, schedule.EOMAnchor)
}

// appendStream appends st's payments to pays: Count dates from First, one
// Frequency apart, on schedule's grid (month steps anchored to First's day,
// clamped to month ends; semi-monthly on the frequency's two days). The
// plan is validated as schedule.DueDates validates it and its dates are
// read from the grid one at a time (schedule.Grid.At is the date DueDates
// lists at that index), so no date list is built.
func appendStream(pays []Payment, st PaymentStream) ([]Payment, error) {
	p := schedule.Plan{Start: st.First - 1, FirstDue: st.First, Count: st.Count, Frequency: st.Frequency, Adjust: schedule.Unadjusted}
	if st.Frequency.Unit == schedule.UnitMonth {
		p.EOM = schedule.EOMAnchor
	}
	if err := p.Validate(); err != nil {
		return pays, err
	}
	g := p.Grid()
	for k := range st.Count {
		pays = append(pays, Payment{Date: g.At(k), Amount: st.Amount})
	}
	return pays, nil
}

// solveGeneral solves A = Σ P_k / ((1 + f_k i)(1+i)^t_k) for i ≥ 0 by
// Newton's method kept inside a shrinking bracket (bisection when a Newton
// step leaves it).
func solveGeneral(a decimal.Decimal, terms []aprTerm) (decimal.Decimal, int, error) {
	sum := decimal.Zero
	for _, t := range terms {
		sum = sum.Add(t.amount)
	}
	switch sum.Cmp(a) {
	case 0:
		return decimal.Zero, 0, nil
	case -1:
		return decimal.Zero, 0, fmt.Errorf("%w: payments total %s, less than the amount financed %s (negative rate)", ErrNotConverged, sum, a)
	}
	lo, hi := decimal.Zero, dOne
	iters := 0
	for pvAt(hi, terms, false).pv.GreaterThan(a) { // widen until PV(hi) < A
		lo, hi = hi, hi.Mul(dTwo)
		iters++
		if iters > 60 {
			return decimal.Zero, iters, fmt.Errorf("%w: no rate bracket found", ErrNotConverged)
		}
	}
	tol := decimal.New(1, -24)
	x := mul(lo.Add(hi), dHalf)
	for ; iters < MaxAPRIterations; iters++ {
		r := pvAt(x, terms, true)
		f := r.pv.Sub(a)
		if f.Abs().LessThan(tol) {
			return x, iters, nil
		}
		if f.IsPositive() { // PV too high: rate too low
			lo = x
		} else {
			hi = x
		}
		if hi.Sub(lo).LessThan(tol) {
			return x, iters, nil
		}
		next := x
		if !r.dpv.IsZero() {
			next = x.Sub(div(f, r.dpv))
		}
		if !next.GreaterThan(lo) || !next.LessThan(hi) {
			next = mul(lo.Add(hi), dHalf)
		}
		x = trunc(next)
	}
	return decimal.Zero, iters, fmt.Errorf("%w: after %d iterations", ErrNotConverged, iters)
}

type pvResult struct{ pv, dpv decimal.Decimal }

// pvAt evaluates Σ P/((1+f i)(1+i)^t) and, when deriv is set, its
// derivative in i. terms are sorted by t.
func pvAt(i decimal.Decimal, terms []aprTerm, deriv bool) pvResult {
	onePlus := dOne.Add(i)
	v := div(dOne, onePlus)
	disc := dOne // v^t for the current t
	t := 0
	var out pvResult
	for _, term := range terms {
		if term.periods < t {
			disc, t = powInt(v, term.periods), term.periods
		}
		for t < term.periods {
			disc = mul(disc, v)
			t++
		}
		den := dOne.Add(mul(term.frac, i))
		pv := div(mul(term.amount, disc), den)
		out.pv = out.pv.Add(pv)
		if deriv {
			// d/di = −pv·(f/(1+f i) + t/(1+i))
			w := div(term.frac, den).Add(div(decimal.NewFromInt(int64(term.periods)), onePlus))
			out.dpv = out.dpv.Sub(mul(pv, w))
		}
	}
	return out
}
