package amortize

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// Recalculation names an interest recalculation mode: how a schedule's
// installments follow the principal actually outstanding between
// payments, where the table alone bills the contract.
type Recalculation string

const (
	// RecalculationNone bills the table: interest on the scheduled
	// balance, whatever was paid when.
	RecalculationNone Recalculation = ""
	// RecalculationProgressive is [Progressive]: Apache Fineract's
	// progressive loan with interest recalculation (compounding NONE, rest
	// DAILY, ADJUST_LAST_UNPAID_PERIOD).
	RecalculationProgressive Recalculation = "progressive"
	// RecalculationProgressiveToDueDate is RecalculationProgressive where
	// money received on a day inside a period, before its due date,
	// counts on that due date (the rest date): the installment pays the
	// interest of its whole period and every principal the receipt pays
	// corrects the balance on that date (Fineract's
	// preClosureInterestCalculationStrategy TILL_REST_FREQUENCY_DATE:
	// AdvancedPaymentScheduleTransactionProcessor.calculateNewPayDateInCaseOfInAdvancePayment).
	RecalculationProgressiveToDueDate Recalculation = "progressive_to_due_date"
	// RecalculationCumulativeReduceEMI is Fineract's cumulative schedule
	// with interest recalculation (rest DAILY, compounding NONE) under
	// rescheduleStrategyMethod REDUCE_EMI_AMOUNT: each installment's
	// interest is its period's on the balance actually outstanding (cut at
	// the days principal is paid), money before a due date pays principal
	// (the installment's interest falls due on its due date), an
	// installment's principal is what was paid to it when that is more
	// than EMI − interest, and the installments after the last one money
	// reached are re-solved (SolvePayment30) on the balance left.
	RecalculationCumulativeReduceEMI Recalculation = "cumulative_reduce_emi"
	// RecalculationCumulativeReduceTerm is RecalculationCumulativeReduceEMI
	// under REDUCE_NUMBER_OF_INSTALLMENTS: the EMI is kept, and the
	// installments the balance no longer reaches fall away.
	RecalculationCumulativeReduceTerm Recalculation = "cumulative_reduce_term"
	// RecalculationCumulativeRescheduleNext is RecalculationCumulativeReduceEMI
	// under RESCHEDULE_NEXT_REPAYMENTS: the EMI is kept, and what the
	// installments money reached were paid beyond their EMI less interest
	// pays the principal of the next installments, in order (each then
	// asks its interest and what is left of its principal).
	RecalculationCumulativeRescheduleNext Recalculation = "cumulative_reschedule_next"
)

// Progressive is a level-payment loan under interest recalculation as
// Apache Fineract's progressive schedule keeps it
// (ProgressiveLoanInterestScheduleModel with ProgressiveEMICalculator,
// interestRecalculationCompoundingMethod NONE, rest frequency DAILY,
// ADJUST_LAST_UNPAID_PERIOD): interest accrues on the actual outstanding
// principal between its changes, each installment's EMI stays as the table
// solved it, and only the last unpaid installment absorbs the difference.
//
// The rules, for each installment k (period [from, due), the first period
// including its start) in order:
//
//   - The period is cut into interest periods at every date in it where
//     principal was paid (a balance correction). Each interest period's
//     interest is its opening balance × the rate × the period's year
//     fraction (Terms.DayCount) × its days ÷ the period's days, rounded
//     half even to the cent (InterestPeriod.getCalculatedDueInterest);
//     the period's calculated interest is their sum plus the interest the
//     previous installment did not recognise.
//   - Principal paid on a date is a correction on that date (PayDate),
//     late or not: principal left unpaid past its due date stays in the
//     balance and bears interest until it is paid. Seen on a date (At),
//     principal still overdue then is taken as paid that day, so the
//     later installments show the interest it bore so far.
//   - The installment's interest is what was paid to it when its paid
//     principal exceeds EMI − calculated interest (an early repayment
//     closes the installment with the interest to that day), else the
//     larger of the calculated interest and the interest paid; the
//     unrecognised rest moves to the next installment. Its principal is
//     the larger of EMI − interest and the principal paid to it
//     (RepaymentPeriod.getDueInterest, getDuePrincipal).
//   - The next installment opens on the balance the period ends with
//     (its corrections applied) less the principal due, plus the
//     principal paid to it (paid principal was already a correction).
//   - After each payment the last installment not fully paid takes
//     disbursed + Σ interest − Σ EMI onto its EMI
//     (calculateLastUnpaidRepaymentPeriodEMI).
//
// Payable gives what an installment asks on a date before its due date:
// the interest to that date (the interest periods cut at it) and EMI less
// that interest (getPayableDetails). Before its period starts, the
// interest it asks is what the previous installment's period has accrued
// to that date beyond the interest that installment recognised (an
// installment closed early leaves the rest of its period's interest to
// the next one).
//
// Progressive is a value: its methods return a new one and never change
// the receiver. It is pure: no clock, no I/O.
type Progressive struct {
	t       Terms
	mode    Recalculation
	level   money.Amount // the table's level payment
	periods []progressivePeriod
	// corrections are the principal payments as balance changes, in the
	// order paid.
	corrections []correction
	// asOf is the date the loan is seen on (0: none).
	asOf date.Date
}

type progressivePeriod struct {
	from, due    date.Date
	emi          money.Amount
	paidP, paidI money.Amount
	// derived by compute: the opening balance, the interest carried in
	// from the previous installment, and the schedule's figures.
	open, unrecIn                money.Amount
	virtIn                       money.Amount // overdue principal of earlier installments taken as paid on asOf
	interest, principal, balance money.Amount
}

type correction struct {
	on     date.Date
	amount money.Amount // principal paid (a balance reduction)
}

// ProgressivePeriod is one installment of a Progressive loan as its
// schedule shows it.
type ProgressivePeriod struct {
	// N is the installment number, from 1; DueDate its due date.
	N       int
	DueDate date.Date
	// EMI is the installment's amount in force (the last unpaid one
	// adjusted); Principal and Interest its parts, Balance the principal
	// balance the schedule shows after it (the disbursed principal less
	// the principal of the installments up to it).
	EMI, Principal, Interest, Balance money.Amount
	// PaidPrincipal and PaidInterest are what payments credited to it.
	PaidPrincipal, PaidInterest money.Amount
}

// NewProgressive returns the loan of terms t under Fineract's interest
// recalculation mode (RecalculationProgressive or
// RecalculationProgressiveToDueDate), before any payment: the installments
// of Compute(t) (a level shape on daily interest, Fineract's PROGRESSIVE
// schedule). It returns an error wrapping ErrInvalidTerms for terms
// Compute refuses, another mode, a shape other than ShapeLevel, an
// interest method other than InterestDaily, a down payment or a rate path.
func NewProgressive(t Terms, mode Recalculation) (Progressive, error) {
	var fl field.List
	if mode != RecalculationProgressive && mode != RecalculationProgressiveToDueDate && !mode.cumulative() {
		fl.Add("mode", mode, field.ErrNotSupported, "progressive, progressive_to_due_date, cumulative_reduce_emi or cumulative_reduce_term")
	}
	if t.Shape != ShapeLevel {
		fl.Add("Terms.Shape", t.Shape, field.ErrNotSupported, "a progressive loan is level")
	}
	if t.InterestMethod != InterestDaily {
		fl.Add("Terms.InterestMethod", t.InterestMethod, field.ErrNotSupported, "a progressive loan accrues daily")
	}
	if t.DownPayment.IsPositive() {
		fl.Add("Terms.DownPayment", t.DownPayment.String(), field.ErrNotSupported, "not with interest recalculation")
	}
	if len(t.RateSteps) > 0 || len(t.RatePath) > 0 || t.Variable != nil {
		fl.Add("Terms.RatePath", nil, field.ErrNotSupported, "a fixed rate")
	}
	if err := fl.Err(ErrInvalidTerms); err != nil {
		return Progressive{}, err
	}
	tb, err := Compute(t)
	if err != nil {
		return Progressive{}, err
	}
	z := money.Zero(t.Principal.Currency())
	p := Progressive{t: t, mode: mode, level: tb.Payment, periods: make([]progressivePeriod, len(tb.Rows))}
	from := t.FundingDate
	for i, r := range tb.Rows {
		p.periods[i] = progressivePeriod{from: from, due: r.DueDate, emi: r.Payment, paidP: z, paidI: z}
		from = r.DueDate
	}
	compute := p.compute
	if mode.cumulative() {
		compute = p.cumulativePass
	}
	if err := compute(); err != nil {
		return Progressive{}, err
	}
	return p, nil
}

// Periods returns the installments as the schedule shows them now.
func (p Progressive) Periods() []ProgressivePeriod {
	out := make([]ProgressivePeriod, 0, len(p.periods))
	for i, q := range p.periods {
		if p.mode == RecalculationCumulativeReduceTerm && i > 0 && q.principal.IsZero() && q.interest.IsZero() && q.paidI.IsZero() {
			break // the balance no longer reaches it
		}
		out = append(out, ProgressivePeriod{N: i + 1, DueDate: q.due, EMI: q.emi, Principal: q.principal, Interest: q.interest,
			Balance: q.balance, PaidPrincipal: q.paidP, PaidInterest: q.paidI})
	}
	return out
}

// PayDate is the date money received on on counts: on, or under
// RecalculationProgressiveToDueDate the due date of the period on falls
// inside (after its start, before its due date). Payable and PayPrincipal
// take it.
func (p Progressive) PayDate(on date.Date) date.Date {
	if p.mode != RecalculationProgressiveToDueDate {
		return on
	}
	for _, q := range p.periods {
		if on > q.from && on < q.due {
			return q.due
		}
	}
	return on
}

// At returns the loan seen on date asOf: principal of an installment due
// before asOf and not yet paid is taken as paid on asOf, so the interest
// it bore while overdue shows in the installments after it, and the last
// installment not fully paid takes the difference. A receipt is priced on
// the loan seen on its PayDate. The zero date sees no overdue principal
// paid.
func (p Progressive) At(asOf date.Date) (Progressive, error) {
	p.asOf = asOf
	p.periods = slices.Clone(p.periods)
	return p.settle()
}

// PayInterest returns the loan with amount of interest paid to
// installment k (1-based).
func (p Progressive) PayInterest(k int, amount money.Amount) (Progressive, error) {
	if err := p.check(k, amount); err != nil {
		return Progressive{}, err
	}
	p.periods = slices.Clone(p.periods)
	q := &p.periods[k-1]
	q.paidI = q.paidI.Add(amount)
	q.emi = money.Max(q.emi, q.paidP.Add(q.paidI)) // paid beyond its EMI: the EMI is what was paid
	return p.settle()
}

// PayPrincipal returns the loan with amount of principal paid to
// installment k on date on (a PayDate): a balance correction on on.
func (p Progressive) PayPrincipal(k int, on date.Date, amount money.Amount) (Progressive, error) {
	if err := p.check(k, amount); err != nil {
		return Progressive{}, err
	}
	if on < p.t.FundingDate {
		return Progressive{}, fmt.Errorf("%w: %v", ErrInvalidTerms, field.New("on", on.String(), field.ErrOutOfRange, "before funding"))
	}
	p.periods = slices.Clone(p.periods)
	q := &p.periods[k-1]
	q.paidP = q.paidP.Add(amount)
	if !p.mode.cumulative() {
		q.emi = money.Max(q.emi, q.paidP.Add(q.paidI)) // paid beyond its EMI: the EMI is what was paid
	}
	// kept sorted by date (insertion after equal dates)
	at, _ := slices.BinarySearchFunc(p.corrections, on+1, func(c correction, d date.Date) int { return int(c.on - d) })
	p.corrections = slices.Insert(slices.Clip(p.corrections), at, correction{on: on, amount: amount})
	return p.settle()
}

// ProgressiveCredit is money a payment credited to one installment's
// interest or principal: PayInterest, or PayPrincipal on On (a PayDate).
type ProgressiveCredit struct {
	Installment int
	On          date.Date
	Interest    bool
	Amount      money.Amount
}

// Credit returns the loan with c applied (PayInterest or PayPrincipal).
func (p Progressive) Credit(c ProgressiveCredit) (Progressive, error) {
	if c.Interest {
		return p.PayInterest(c.Installment, c.Amount)
	}
	return p.PayPrincipal(c.Installment, c.On, c.Amount)
}

// EMIs returns every installment's EMI in force: what the credits so far
// left of the table's after the last unpaid installments' adjustments
// (for RestoreProgressive).
func (p Progressive) EMIs() []money.Amount {
	out := make([]money.Amount, len(p.periods))
	for i, q := range p.periods {
		out[i] = q.emi
	}
	return out
}

// RestoreProgressive returns the loan of terms t under mode with credits
// applied, given the EMIs those credits left (EMIs of the loan they were
// applied to one by one with Credit): the same loan, computed once
// instead of once per credit. A host that keeps a loan's credits and its
// EMIs rebuilds it in time proportional to them. It returns an error
// wrapping ErrInvalidTerms when emis does not have one EMI per
// installment or a credit is invalid.
func RestoreProgressive(t Terms, mode Recalculation, emis []money.Amount, credits []ProgressiveCredit) (Progressive, error) {
	p, err := NewProgressive(t, mode)
	if err != nil {
		return Progressive{}, err
	}
	if len(emis) != len(p.periods) {
		return Progressive{}, fmt.Errorf("%w: %v", ErrInvalidTerms, field.New("emis", len(emis), field.ErrInvalid, fmt.Sprintf("want %d", len(p.periods))))
	}
	for i := range p.periods {
		if !emis[i].SameCurrency(t.Principal) {
			return Progressive{}, fmt.Errorf("%w: %v", ErrInvalidTerms, field.New(fmt.Sprintf("emis[%d]", i), emis[i].String(), field.ErrInvalid, "not in the loan's currency"))
		}
		p.periods[i].emi = emis[i]
	}
	for _, c := range credits {
		if err := p.check(c.Installment, c.Amount); err != nil {
			return Progressive{}, err
		}
		q := &p.periods[c.Installment-1]
		if c.Interest {
			q.paidI = q.paidI.Add(c.Amount)
			continue
		}
		if c.On < t.FundingDate {
			return Progressive{}, fmt.Errorf("%w: %v", ErrInvalidTerms, field.New("On", c.On.String(), field.ErrOutOfRange, "before funding"))
		}
		q.paidP = q.paidP.Add(c.Amount)
		p.corrections = append(p.corrections, correction{on: c.On, amount: c.Amount})
	}
	slices.SortStableFunc(p.corrections, func(a, b correction) int { return int(a.on - b.on) })
	compute := p.compute
	if p.mode.cumulative() {
		compute = p.computeCumulative
	}
	if err := compute(); err != nil {
		return Progressive{}, err
	}
	return p, nil
}

// Payable returns what installment k asks on date on: the interest to on
// (its interest periods cut at on; none before the period starts, all of
// it after its due date) and the principal, EMI less that interest, both
// less what was paid to it.
func (p Progressive) Payable(k int, on date.Date) (interest, principal money.Amount, err error) {
	if err := p.check(k, money.Zero(p.t.Principal.Currency())); err != nil {
		return money.Amount{}, money.Amount{}, err
	}
	q := p.periods[k-1]
	z := money.Zero(p.t.Principal.Currency())
	if p.mode.cumulative() && on <= q.due {
		// Interest falls due on the due date; money up to it pays the
		// installment's principal, up to the balance.
		if on == q.due {
			interest = money.Max(z, q.interest.Sub(q.paidI))
		} else {
			interest = z
		}
		return interest, money.Max(z, q.open.Sub(q.paidP)), nil
	}
	switch {
	case on >= q.due:
		interest = q.interest
	case k > 1 && on <= q.from:
		interest = z
		if prev := p.periods[k-2]; on > prev.from {
			acc, _, err := p.periodInterest(k-2, prev.open, on)
			if err != nil {
				return money.Amount{}, money.Amount{}, err
			}
			interest = money.Max(z, acc.Add(prev.unrecIn).Sub(prev.interest))
		}
	default:
		if interest, _, err = p.periodInterest(k-1, q.open, min(on, q.due)); err != nil {
			return money.Amount{}, money.Amount{}, err
		}
		interest = interest.Add(q.unrecIn)
	}
	emi := q.emi
	if k > 1 && on <= q.from {
		// A period not started asks the level payment (the last one's
		// EMI may be a few cents off it), up to the balance.
		emi = money.Max(emi, p.level)
	}
	principal = money.Max(z, emi.Sub(interest).Sub(q.paidP))
	interest = money.Max(z, interest.Sub(q.paidI))
	return interest, principal, nil
}

func (p Progressive) check(k int, amount money.Amount) error {
	var fl field.List
	if k < 1 || k > len(p.periods) {
		fl.Add("k", k, field.ErrOutOfRange, fmt.Sprintf("installments are 1..%d", len(p.periods)))
	}
	if amount.IsNegative() || !amount.SameCurrency(p.t.Principal) {
		fl.Add("amount", amount.String(), field.ErrInvalid, "a non-negative amount in the loan's currency")
	}
	return fl.Err(ErrInvalidTerms)
}

// settle recomputes the schedule and moves the difference onto the last
// installment not fully paid.
func (p Progressive) settle() (Progressive, error) {
	if p.mode.cumulative() {
		return p, p.computeCumulative()
	}
	if err := p.compute(); err != nil {
		return Progressive{}, err
	}
	diff := p.t.Principal
	for _, q := range p.periods {
		diff = diff.Add(q.interest).Sub(q.emi)
	}
	if diff.IsZero() {
		return p, nil
	}
	for i := len(p.periods) - 1; i >= 0; i-- {
		if q := &p.periods[i]; !q.emi.Equal(q.paidP.Add(q.paidI)) {
			q.emi = q.emi.Add(diff)
			break
		}
	}
	return p, p.compute()
}

// compute derives every installment's interest, principal and balance from
// the EMIs, the payments and the corrections (and, seen on asOf, the
// overdue principal taken as paid then).
func (p *Progressive) compute() error {
	z := money.Zero(p.t.Principal.Currency())
	open, unrec, shown, virt := p.t.Principal, z, p.t.Principal, z
	for i := range p.periods {
		q := &p.periods[i]
		q.open, q.unrecIn, q.virtIn = open, unrec, virt
		calc, end, err := p.periodInterest(i, open, q.due)
		if err != nil {
			return err
		}
		calc = calc.Add(unrec)
		if q.paidP.GreaterThan(q.emi.Sub(calc)) {
			q.interest = q.paidI
		} else {
			q.interest = money.Max(calc, q.paidI)
		}
		q.principal = money.Max(q.emi.Sub(q.interest), q.paidP)
		unrec = calc.Sub(q.interest)
		paid := q.paidP
		if u := q.principal.Sub(q.paidP); p.asOf != 0 && q.due < p.asOf && u.IsPositive() {
			// Overdue on asOf: in the balance until then.
			virt = virt.Add(u)
			paid = q.principal
		}
		open = money.Max(z, end.Sub(q.principal).Add(paid))
		shown = money.Max(z, shown.Sub(q.principal))
		q.balance = shown
	}
	return nil
}

// periodInterest is the interest of installment i's period from its start
// to until (≤ its due date) on the opening balance open, cut at the
// corrections inside it (the first period takes one on its start date
// too; overdue principal of earlier installments taken as paid on asOf),
// each interest period rounded half even; end is the balance at until with
// the corrections up to it (a correction on the due date included)
// applied. The corrections are kept sorted by date, so a period costs a
// binary search and its own corrections.
func (p Progressive) periodInterest(i int, open money.Amount, until date.Date) (interest, end money.Amount, err error) {
	q := p.periods[i]
	z := money.Zero(open.Currency())
	yf, err := p.t.DayCount.YearFraction(q.from, q.due)
	if err != nil {
		return z, z, err
	}
	days := int64(q.due - q.from)
	bal := open
	interest, start := z, q.from
	step := func(to date.Date) error {
		if to <= start || days == 0 {
			return nil
		}
		f, err := accrual.NewFraction(yf.Num*int64(to-start), yf.Den*days)
		if err != nil {
			return err
		}
		x, err := accrual.SimpleInterest(money.Max(z, bal), p.t.AnnualRate, f, money.HalfEven)
		if err != nil {
			return err
		}
		interest, start = interest.Add(x), to
		return nil
	}
	first := q.from + 1
	if i == 0 {
		first = q.from
	}
	virt := q.virtIn.IsPositive() && p.asOf >= first && p.asOf <= q.due
	c, _ := slices.BinarySearchFunc(p.corrections, first, func(c correction, d date.Date) int { return int(c.on - d) })
	for {
		// the next cut: a correction's date or asOf, whichever is first
		next, ok := date.Date(0), false
		if c < len(p.corrections) && p.corrections[c].on <= q.due {
			next, ok = p.corrections[c].on, true
		}
		if virt && (!ok || p.asOf < next) {
			next, ok = p.asOf, true
		}
		if !ok || next > until {
			break
		}
		if err := step(next); err != nil {
			return z, z, err
		}
		for c < len(p.corrections) && p.corrections[c].on == next {
			bal = bal.Sub(p.corrections[c].amount)
			c++
		}
		if virt && next == p.asOf {
			bal, virt = bal.Sub(q.virtIn), false
		}
	}
	if err := step(until); err != nil {
		return z, z, err
	}
	return interest, bal, nil
}
