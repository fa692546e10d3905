package amortize

import (
	"fmt"
	"math/big"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/shopspring/decimal"
)

// payer gives the payment due for installment k before the payoff cap.
type payer struct {
	am       *amortizer
	from     int // first installment of this run
	horizon  int // amortization end
	ioEnd    int // first amortizing installment
	fixed    money.Amount
	level    money.Amount // current level payment (ShapeLevel)
	prinPart money.Amount // ShapeEqualPrincipal principal part
	steps    []money.Amount
	first    money.Amount // the regular payment reported in Table.Payment
}

// run builds rows for installments [from, rowsEnd) from opening balance bal,
// amortizing over [from, horizon); fixed is a given level payment (zero:
// solve).
func (am *amortizer) run(from int, bal money.Amount, rowsEnd, horizon int, fixed money.Amount) (Table, error) {
	if am.shape == kindAddOn {
		return am.addOn()
	}
	pp := &payer{am: am, from: from, horizon: horizon, ioEnd: max(am.t.InterestOnly, from), fixed: fixed}
	// Rows are written in place by index (one allocation, no append
	// bookkeeping) and the slice is cut at the last row written.
	rows := make([]Row, rowsEnd-from)
	tb := Table{Principal: bal}
	zero := am.zero
	// The totals are summed in minor units: every amount of the loop is in
	// the loan's currency (Terms.Validate), so the currency is checked once,
	// where the totals become amounts (sumTotals).
	var totPay, totInt int64
	si := am.segIndex(from)
	fast := am.t.InterestIncrement <= 1 // interest is one MulDiv of the segment's int64 ratio
	mode := am.t.InterestRounding
	n := 0
	// sc is the current segment's ratio as a money.Scaler: sc.Apply(bal)
	// is bal.MulDiv(sg.num, sg.den, mode) (money.FuzzScalerMatchesMulDiv)
	// without a hardware division per row.
	// built says sc (or its error, scErr) is the current segment's.
	var sc money.Scaler
	var scErr error
	built := false
	// An unadjusted plan's due dates are read by walking its grid, one
	// date per row, instead of converting each (am.adjusted).
	var walk schedule.Walker
	if am.onGrid {
		walk = am.grid.Walk(from)
	}
	for k := from; k < rowsEnd; k++ {
		if si+1 < len(am.segs) && am.segs[si+1].from == k {
			si++
			built = false
		}
		sg := &am.segs[si]
		var interest money.Amount
		var err error
		switch {
		case fast && sg.fits && sg.num != 0:
			if !built {
				sc, scErr = money.NewScaler(sg.num, sg.den, mode)
				built = true
			}
			if scErr != nil {
				interest, err = bal.MulDiv(sg.num, sg.den, mode)
			} else {
				interest, err = sc.Apply(bal)
			}
		case fast && sg.fits:
			interest = zero
		default:
			interest, err = am.interest(sg, bal)
		}
		if err != nil {
			return Table{}, fmt.Errorf("installment %d: %w", k+1, err)
		}
		due := pp.level
		if am.shape != kindLevel || k <= pp.ioEnd || sg.change && sg.from == k {
			if due, err = pp.due(k, bal, interest); err != nil {
				return Table{}, err
			}
		}
		if k == 0 && !am.oddInterest.IsZero() {
			interest = interest.Add(am.oddInterest)
			due = due.Add(am.oddInterest)
		}
		// The payoff is bal + interest; it is only built as an amount for
		// the last row.
		last := k == rowsEnd-1 || due.Minor() >= bal.Minor()+interest.Minor()
		if last {
			due = bal.Add(interest)
		}
		principal := due.Sub(interest)
		bal = bal.Sub(principal)
		r := &rows[n]
		if am.onGrid {
			r.DueDate = walk.Next()
		} else {
			r.DueDate = am.dues[k].Adjusted
		}
		r.N, r.Payment, r.Interest = k+1, due, interest
		r.Principal, r.Fees, r.Escrow, r.Balance = principal, zero, zero, bal
		n++
		totPay, totInt = totPay+due.Minor(), totInt+interest.Minor()
		if last {
			break
		}
	}
	tb.Rows = rows[:n:n]
	tb.Totals = am.sumTotals(tb.Rows, totPay, totInt)
	tb.Payment = pp.first
	if tb.Payment.IsZero() && len(tb.Rows) > 0 {
		tb.Payment = tb.Rows[0].Payment
	}
	tb.FinanceCharge = tb.Totals.Interest
	if err := tb.Check(); err != nil {
		return Table{}, err
	}
	return tb, nil
}

// sumTotals returns the Totals of rows written by run, whose payment and
// interest columns sum to pay and interest minor units: the sums as amounts
// of the loan's currency, or, when a sum leaves the money range (a table
// can owe more than money.MaxMinor in all), the columns added up as
// amounts, which Totals.add does without a range check.
func (am *amortizer) sumTotals(rows []Row, pay, interest int64) Totals {
	p, err1 := money.New(pay, am.cur)
	in, err2 := money.New(interest, am.cur)
	pr, err3 := money.New(pay-interest, am.cur)
	if err1 != nil || err2 != nil || err3 != nil {
		tt := Totals{Payment: am.zero, Interest: am.zero, Principal: am.zero, Fees: am.zero, Escrow: am.zero}
		for _, r := range rows {
			tt = tt.add(r)
		}
		return tt
	}
	return Totals{Payment: p, Interest: in, Principal: pr, Fees: am.zero, Escrow: am.zero}
}

// due returns installment k's scheduled payment (before the payoff cap).
func (pp *payer) due(k int, bal, interest money.Amount) (money.Amount, error) {
	am := pp.am
	switch am.shape {
	case kindCustom:
		return am.t.CustomPayments[k], nil
	case kindGraduated:
		if sg := am.seg(k); pp.steps == nil || sg.change && sg.from == k {
			if err := pp.solveGraduated(k, bal); err != nil {
				return money.Amount{}, err
			}
		}
		g := am.t.Graduation
		return pp.steps[min((k-pp.from)/g.EveryInstallments, g.Steps)], nil
	}
	if k < pp.ioEnd {
		return interest, nil
	}
	if am.shape == kindEqualPrincipal {
		if k == pp.ioEnd {
			p, err := am.equalPart(bal, pp.horizon-k)
			if err != nil {
				return money.Amount{}, err
			}
			pp.prinPart = p
			pp.first = p.Add(interest)
		}
		return pp.prinPart.Add(interest), nil
	}
	switch {
	case !pp.fixed.IsZero():
		if k == pp.ioEnd {
			if err := pp.amortizes(k, bal, interest, pp.fixed); err != nil {
				return money.Amount{}, err
			}
			pp.level, pp.first = pp.fixed, pp.fixed
		}
	case k == pp.ioEnd || am.seg(k).change && am.seg(k).from == k:
		p, err := am.solveLevelFast(bal, k, pp.horizon)
		if err != nil {
			return money.Amount{}, err
		}
		pp.level = p
		if pp.first.IsZero() {
			pp.first = p
		}
	}
	return pp.level, nil
}

// equalPart is the principal part of an equal-principal loan repaying bal
// over n installments, rounded as a payment (PaymentRounding).
func (am *amortizer) equalPart(bal money.Amount, n int) (money.Amount, error) {
	return am.roundPayment(big.NewInt(bal.Minor()), big.NewInt(int64(n)))
}

// amortizes refuses a given level payment pay from installment k (balance
// bal, its interest interest) that does not exceed the interest of the
// first period or of a regular one (1/periods-per-year), whichever is less:
// a
// long first period (OddActualPeriod, or daily interest over the actual
// days) may cost more than one payment, and a short daily one less than a
// regular period, as the payment Compute solves for them does.
func (pp *payer) amortizes(k int, bal, interest, pay money.Amount) error {
	am := pp.am
	regular := interest
	if sg := am.seg(k); k == 0 && sg.yf != am.regular {
		r, err := am.fractionInterest(bal, sg.r, am.regular)
		if err != nil {
			return err
		}
		regular = money.Min(r, interest)
	}
	if pay.GreaterThan(regular) {
		return nil
	}
	var l field.List
	l.Add("Terms.Payment", pay.String(), field.ErrOutOfRange,
		fmt.Sprintf("payment too small to amortize: installment %d interest is %s", k+1, interest))
	return l.Err(ErrInvalidTerms)
}

// solveGraduated solves the graduated payment P0 exactly at installment k
// (the run's first, or a rate change) for balance bal over [k, horizon) at
// the rate of period k held to maturity (as solveLevel does), with weights
// (1+s)^m for step m counted from the run's first installment, and rounds
// each step's payment: step m pays round(P0·(1+s)^m). With s = sn/sd the
// weights are wn_m/wd, wn_m = (sd+sn)^m·sd^(Steps−m), wd = sd^Steps. At a
// rate change the rises keep their installments; only the amounts are
// recast.
func (pp *payer) solveGraduated(k int, bal money.Amount) error {
	g := pp.am.t.Graduation
	sn, sd := g.StepRate.Ratio()
	if c := gcd(sn, sd); c > 1 {
		sn, sd = sn/c, sd/c
	}
	wn := make([]*big.Int, g.Steps+1)
	up, base := big.NewInt(sd+sn), big.NewInt(sd)
	for m := range wn {
		wn[m] = pow(up, m)
		wn[m].Mul(wn[m], pow(base, g.Steps-m))
	}
	wd := pow(base, g.Steps)
	w := &weights{wn: func(j int) *big.Int { return wn[min((j-pp.from)/g.EveryInstallments, g.Steps)] }, wd: wd}
	num, den := levelRatio(bal.Minor(), k, pp.horizon, pp.am.held(k).fac, false, w)
	first := pp.steps == nil
	if first {
		pp.steps = make([]money.Amount, g.Steps+1)
	}
	for m := range pp.steps {
		p, err := pp.am.roundPayment(new(big.Int).Mul(num, wn[m]), new(big.Int).Mul(den, wd))
		if err != nil {
			return err
		}
		pp.steps[m] = p
	}
	if first {
		pp.first = pp.steps[0]
	}
	return nil
}

// addOn builds a precomputed add-on table: finance charge principal × rate ×
// installments/periods-a-year, equal installments of principal + charge
// (the last absorbing rounding), the charge earned per AddOnEarning.
func (am *amortizer) addOn() (Table, error) {
	t := am.t
	n := t.Installments
	ppy, _ := t.Frequency.PeriodsPerYear()
	yf := accrual.Fraction{Num: int64(n), Den: int64(ppy)}
	fc, err := am.fractionInterest(t.Principal, t.AnnualRate, yf)
	if err != nil {
		return Table{}, err
	}
	total := t.Principal.Add(fc)
	pay, err := am.roundPayment(big.NewInt(total.Minor()), big.NewInt(int64(n)))
	if t.AddOnEarning == RebateFlat {
		pay, err = am.flatInstallment(fc, n)
	}
	if err != nil {
		return Table{}, err
	}
	rest, err := pay.Mul(int64(n - 1))
	if err != nil {
		return Table{}, err
	}
	lastPay := total.Sub(rest)
	if !lastPay.IsPositive() {
		var l field.List
		l.Add("Terms.PaymentIncrement", t.PaymentIncrement, field.ErrOutOfRange, "rounded installments exceed the total of payments")
		return Table{}, l.Err(ErrInvalidTerms)
	}
	interests, err := am.addOnEarning(fc, pay, n)
	if err != nil {
		return Table{}, err
	}
	if lastPay.LessThan(interests[n-1]) {
		// Installments rounded up leave a last one smaller than the share
		// of the finance charge it earns: it could not pay it.
		var l field.List
		l.Add("Terms.PaymentIncrement", t.PaymentIncrement, field.ErrOutOfRange, fmt.Sprintf(
			"the last installment (%s) would be less than the finance charge it earns (%s)", lastPay, interests[n-1]))
		return Table{}, l.Err(ErrInvalidTerms)
	}
	zero := money.Zero(am.cur)
	tb := Table{Principal: t.Principal, Payment: pay, FinanceCharge: fc, Rows: make([]Row, n)}
	bal := t.Principal
	dates := am.adjustedDates(n)
	for k := range n {
		p := pay
		if k == n-1 {
			p = lastPay
		}
		in := interests[k]
		if k == n-1 {
			in = p.Sub(bal)
		}
		bal = bal.Sub(p.Sub(in))
		tb.Rows[k] = Row{N: k + 1, DueDate: dates[k], Payment: p, Interest: in, Principal: p.Sub(in),
			Fees: zero, Escrow: zero, Balance: bal}
		tb.Totals = tb.Totals.add(tb.Rows[k])
	}
	if err := tb.Check(); err != nil {
		return Table{}, err
	}
	return tb, nil
}

// addOnEarning splits the finance charge over n installments: Rule of 78s
// weights n, n−1, …, 1 (exact, largest remainder), or the actuarial method
// at the rate implied by the exact installment (the last row is fixed up by
// the caller).
func (am *amortizer) addOnEarning(fc, pay money.Amount, n int) ([]money.Amount, error) {
	if am.t.AddOnEarning == RebateRule78 {
		w := make([]int64, n)
		for k := range w {
			w[k] = int64(n - k)
		}
		return fc.Allocate(w)
	}
	if am.t.AddOnEarning == RebateFlat {
		return am.flatShares(fc, n)
	}
	exact := div(am.t.Principal.Add(fc).Decimal(), decimal.NewFromInt(int64(n)))
	i, err := solveLevelRate(am.t.Principal.Decimal(), exact, n)
	if err != nil {
		return nil, err
	}
	out := make([]money.Amount, n)
	bal, left := am.t.Principal, fc
	for k := range out {
		in, err := money.Round(bal.Decimal().Mul(i), am.cur, am.t.InterestRounding)
		if err != nil {
			return nil, err
		}
		// Earnings never pass the finance charge: with the installment
		// rounded down the rounded balance falls more slowly than the
		// exact one, and without this cap the sum could exceed the charge
		// and leave the last row (the remainder) negative.
		in = money.Min(in, left)
		out[k], left = in, left.Sub(in)
		bal = bal.Sub(pay.Sub(in))
	}
	return out, nil
}
