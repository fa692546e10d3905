package loan

import (
	"fmt"
	"slices"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/revolving"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// This file holds revolving lines of credit (open-end credit: a HELOC, a
// business line): draws and payments in any order, monthly billing cycles
// whose statements package revolving computes, each statement's minimum
// payment an installment that delinquency measures, and, after a draw
// period, the balance amortized over a repayment term.

// LineTerms make a loan a revolving line of credit. A line reads from the
// amortize terms only Principal (the draw at opening, zero allowed),
// AnnualRate (the APR), DayCount, InterestRounding (the finance charge),
// PaymentRounding (the repayment payment), FundingDate (the opening) and
// EOM (statement dates at month ends); it accrues as daily simple interest
// computed per cycle by package revolving. Interest charged at a statement
// is added to the balance.
type LineTerms struct {
	// CreditLimit is the most that may be owed in draws; positive.
	CreditLimit money.Amount `json:"credit_limit"`
	// FirstStatement is the first statement (closing) date, after the
	// opening; statements follow monthly on its day of the month. A cycle
	// is [previous statement, statement): activity dated on a statement
	// date belongs to the next cycle.
	FirstStatement date.Date `json:"first_statement"`
	// Method is the finance charge method (revolving.DailyBalance when
	// empty).
	Method revolving.Method `json:"method,omitempty"`
	// MinPercentBasisPoints, MinFloor and DueDays are the minimum payment
	// (a share of the balance plus interest and fees, at least the floor)
	// and the days from a statement to its due date (revolving.Terms).
	MinPercentBasisPoints int64        `json:"min_percent_basis_points"`
	MinFloor              money.Amount `json:"min_floor"`
	DueDays               int          `json:"due_days"`
	// DrawUntil is the last day of the draw period (zero: the line
	// revolves while open). The first statement after it converts the
	// balance to RepaymentInstallments level monthly payments (a HELOC's
	// repayment period), solved by amortize.
	DrawUntil             date.Date `json:"draw_until,omitempty"`
	RepaymentInstallments int       `json:"repayment_installments,omitempty"`
	// OverLimit allows draws beyond the credit limit.
	OverLimit bool `json:"over_limit,omitempty"`
	// LateFeeCap, when "card_safe_harbor", caps each late fee as
	// delinquency.CardSafeHarbor does (Reg Z §1026.52(b)): first and
	// repeat violations, never more than the minimum payment due.
	LateFeeCap string `json:"late_fee_cap,omitempty"`
}

// LineStatement is an issued statement as the fold keeps it: its minimum
// payment is installment k of the line (k = its position + 1).
type LineStatement struct {
	// On is the statement date; Due the payment due date.
	On, Due date.Date
	// Minimum is the minimum payment due; Interest the finance charge.
	Minimum, Interest money.Amount
	// LateFee is set once a late fee was charged on this statement's
	// minimum (the card safe harbour's repeat violations count them).
	LateFee bool
}

// line reports whether the loan is a revolving line.
func (s *State) line() bool { return s.Terms.Line != nil }

// validate checks the line terms of t.
func (lt *LineTerms) validate(l *field.List, p string, t *Terms) {
	cur := t.Currency()
	if t.Accrual != AccrualDailySimple {
		l.Add(p+".Accrual", t.Accrual, field.ErrNotSupported, "a line accrues daily simple interest")
	}
	if !lt.CreditLimit.IsPositive() || lt.CreditLimit.Currency() != cur || lt.CreditLimit.Minor() > money.MaxMinor {
		l.Add(p+".Line.CreditLimit", lt.CreditLimit.Format(), field.ErrOutOfRange, "positive, in the loan's currency")
	} else if t.Principal.GreaterThan(lt.CreditLimit) && !lt.OverLimit {
		l.Add(p+".Principal", t.Principal.String(), field.ErrOutOfRange, "at most the credit limit")
	}
	if t.Principal.IsNegative() {
		l.Add(p+".Principal", t.Principal.String(), field.ErrOutOfRange, "must not be negative")
	}
	if lt.FirstStatement <= t.FundingDate || lt.FirstStatement > t.FundingDate+revolving.MaxCycleDays {
		l.Add(p+".Line.FirstStatement", lt.FirstStatement.String(), field.ErrOutOfRange, "after the opening, within 1,000 days")
	}
	rt := lt.cycleTerms(t)
	rt.DueDays = max(rt.DueDays, 1)
	if _, err := revolving.Compute(rt, revolving.Cycle{Start: 1, End: 2, Balance: money.Zero(cur), Fees: money.Zero(cur)}); err != nil {
		// revolving's names for the loan's own fields; the day count is
		// checked with the terms.
		for _, fe := range field.Errors(err) {
			switch fe.Field {
			case "Terms.DayCount":
			case "Terms.APR":
				l.Add(p+".AnnualRate", fe.Value, fe.Err, fe.Detail)
			case "Terms.Rounding":
				l.Add(p+".InterestRounding", fe.Value, fe.Err, fe.Detail)
			default:
				l.Append(field.Rebase(fe, "Terms", p+".Line"))
			}
		}
	}
	if !t.PaymentRounding.Valid() {
		l.Add(p+".PaymentRounding", t.PaymentRounding, field.ErrNotSupported, money.RoundingChoices())
	}
	if lt.DueDays < 1 || lt.DueDays > 90 {
		l.Add(p+".Line.DueDays", lt.DueDays, field.ErrOutOfRange, "1 to 90")
	}
	switch {
	case lt.DrawUntil == 0 && lt.RepaymentInstallments != 0:
		l.Add(p+".Line.RepaymentInstallments", lt.RepaymentInstallments, field.ErrInvalid, "a repayment period follows a draw period (DrawUntil)")
	case lt.DrawUntil != 0 && (lt.DrawUntil < t.FundingDate || lt.RepaymentInstallments < 1 || lt.RepaymentInstallments > MaxInstallments):
		l.Add(p+".Line.DrawUntil", lt.DrawUntil.String(), field.ErrOutOfRange, fmt.Sprintf("not before the opening, with 1 to %d repayment installments", MaxInstallments))
	}
	switch lt.LateFeeCap {
	case "", delinquency.CardSafeHarbor().Name:
	default:
		l.Add(p+".Line.LateFeeCap", lt.LateFeeCap, field.ErrNotSupported, "card_safe_harbor")
	}
	if t.Draws != nil {
		l.Add(p+".Draws", nil, field.ErrInvalid, "a line draws on its credit limit")
	}
	if t.DownPayment.IsPositive() {
		l.Add(p+".DownPayment", t.DownPayment.String(), field.ErrInvalid, "not for a line")
	}
}

// cycleTerms are the line's terms as package revolving reads them.
func (lt *LineTerms) cycleTerms(t *Terms) revolving.Terms {
	m := lt.Method
	if m == "" {
		m = revolving.DailyBalance
	}
	return revolving.Terms{APR: t.AnnualRate, DayCount: t.DayCount, Method: m, Rounding: t.InterestRounding,
		MinPercentBasisPoints: lt.MinPercentBasisPoints, MinFloor: lt.MinFloor, DueDays: lt.DueDays}
}

// statementGrid is the grid of the line's statement dates.
func (lt *LineTerms) statementGrid(t *Terms) schedule.Grid {
	return schedule.Plan{FirstDue: lt.FirstStatement, Frequency: schedule.Monthly(), EOM: t.EOM}.Grid()
}

// nextStatement is the date of the line's next statement.
func (f *folder) nextStatement() date.Date {
	s := &f.s
	if !f.lineGridOK {
		f.lineGrid, f.lineGridOK = s.Terms.Line.statementGrid(&s.Terms), true
	}
	return f.lineGrid.At(len(s.Statements))
}

// activity records a balance change of the line's current cycle (nothing
// for a loan that is not a line).
func (f *folder) activity(on date.Date, k revolving.ActivityKind, amt money.Amount) {
	s := &f.s
	if !s.line() || amt.IsZero() {
		return
	}
	if amt.IsNegative() {
		amt = amt.Neg()
		switch k {
		case revolving.Draw:
			k = revolving.Credit
		case revolving.Fee:
			k = revolving.FeeCredit
		}
	}
	s.Activity = append(slices.Clip(s.Activity), revolving.Activity{On: on, Kind: k, Amount: amt})
}

// statement issues the line's statement on T: the cycle's finance charge
// (revolving.Compute) is added to the balance, its minimum payment becomes
// the next installment, and a new cycle starts. The first statement after
// the draw period converts the balance to level repayment installments.
func (f *folder) statement(T date.Date) error {
	s := &f.s
	lt := s.Terms.Line
	fees := money.Sum(s.LateFees, s.NSFFees, s.OtherFees)
	st, err := revolving.Compute(lt.cycleTerms(&s.Terms), revolving.Cycle{Start: s.CycleStart, End: T,
		Balance: s.CycleOpen, Fees: s.CycleFees, Activity: s.Activity})
	if err != nil {
		return fmt.Errorf("statement of %s: %w", T, err)
	}
	s.Principal = s.Principal.Add(st.InterestCharged)
	if !st.Balance.Equal(s.Principal) || !st.FeesOwed.Equal(fees) {
		return fmt.Errorf("%w: statement of %s: balance %s and fees %s, the fold holds %s and %s", ErrInvariant, T,
			st.Balance, st.FeesOwed, s.Principal, fees)
	}
	min := st.MinimumPayment
	if lt.DrawUntil != 0 && T > lt.DrawUntil {
		if s.RepayFrom == 0 {
			// The draw period is over: the balance amortizes over the
			// repayment term, at the line's rate, monthly (amortize).
			s.RepayFrom = len(s.Statements) + 1
			p, err := f.repaymentPayment(T)
			if err != nil {
				return err
			}
			s.Payment = p
		}
		min = money.Min(s.Payment.Add(fees), st.NewBalance)
		if len(s.Statements)+1 >= s.RepayFrom+lt.RepaymentInstallments-1 {
			min = st.NewBalance // the last repayment installment takes the rest
		}
	}
	// What earlier statements still ask is due with them, not again.
	billed := money.Zero(min.Currency())
	for k := s.NextInstallment; k <= s.Installments; k++ {
		billed = billed.Add(f.lineMinimum(k))
	}
	min = money.Max(money.Zero(min.Currency()), money.Min(min, st.NewBalance.Sub(billed)))
	s.Statements = append(slices.Clip(s.Statements), LineStatement{On: T, Due: st.DueDate, Minimum: min, Interest: st.InterestCharged})
	s.Installments = len(s.Statements)
	s.CycleStart, s.CycleOpen, s.CycleFees, s.Activity = T, s.Principal, fees, nil
	f.j.statement(st, min)
	if c := s.CreditBalance; c.IsPositive() && s.Principal.IsPositive() {
		// A credit balance (an overpayment) pays what the statement
		// charged, as a payment on its date.
		s.CreditBalance = money.Zero(c.Currency())
		tx := f.j.begin(T, 0, TransactionCreditApplied, c)
		return f.allocate(T, c, payment.Repayment, "", tx, false)
	}
	return nil
}

// lineMinimum is what installment k of a line asks: its statement's
// minimum less what was credited to it.
func (f *folder) lineMinimum(k int) money.Amount {
	s := &f.s
	m := s.Statements[k-1].Minimum
	for _, p := range s.Partial {
		if p.Seq == k {
			m = m.Sub(p.PaidPrincipal)
		}
	}
	return m
}

// repaymentPayment solves the level payment that repays the balance over
// the repayment installments of a month each from statement date T, at
// the line's rate (amortize's annuity, a twelfth of the rate a month); the
// cycles charge the interest the daily balances earn, and the last
// repayment installment takes what is left.
func (f *folder) repaymentPayment(T date.Date) (money.Amount, error) {
	s := &f.s
	lt := s.Terms.Line
	if !s.Principal.IsPositive() {
		return money.Zero(s.Terms.Currency()), nil
	}
	p, err := amortize.SolvePayment(amortize.Terms{Principal: s.Principal, AnnualRate: s.Rate, Installments: lt.RepaymentInstallments,
		Frequency: schedule.Monthly(), EOM: s.Terms.EOM, FundingDate: T, FirstDueDate: schedule.AddMonths(T, 1, T.Day(), s.Terms.EOM),
		Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic, DayCount: s.Terms.DayCount,
		InterestRounding: s.Terms.InterestRounding, PaymentRounding: s.Terms.PaymentRounding})
	if err != nil {
		return money.Amount{}, fmt.Errorf("repayment payment from %s: %w", T, err)
	}
	return p, nil
}

// lineInterest is the line's finance charge from the cycle start to on
// (revolving's charge of a cycle ending on on, over the activity before
// it): what a payoff on on owes in interest.
func (s *State) lineInterest(on date.Date) (money.Amount, error) {
	z := money.Zero(s.Terms.Currency())
	if on <= s.CycleStart {
		return z, nil
	}
	var act []revolving.Activity
	for _, a := range s.Activity {
		if a.On < on {
			act = append(act, a)
		}
	}
	st, err := revolving.Compute(s.Terms.Line.cycleTerms(&s.Terms), revolving.Cycle{Start: s.CycleStart, End: on,
		Balance: s.CycleOpen, Fees: s.CycleFees, Activity: act})
	if err != nil {
		return z, fmt.Errorf("line interest to %s: %w", on, err)
	}
	return st.InterestCharged, nil
}

// lineLateFee caps a late fee under the card safe harbour: the cap of the
// statement's cycle given the earlier cycles with a late fee, and the
// statement's minimum payment.
func (s *State) lineLateFee(k int, amt money.Amount) money.Amount {
	lt := s.Terms.Line
	if lt.LateFeeCap != delinquency.CardSafeHarbor().Name || k < 1 || k > len(s.Statements) {
		return amt
	}
	var earlier []int
	for i, st := range s.Statements[:k-1] {
		if st.LateFee {
			earlier = append(earlier, i+1)
		}
	}
	if c, ok := delinquency.CardSafeHarbor().FeeCap(k, earlier, s.Statements[k-1].Minimum); ok {
		return money.Min(amt, c)
	}
	return amt
}

// linePayoff is a line's payoff receipt: only one of type payoff closes
// the line; any other payment, however large, leaves it open (at zero, or
// with a credit balance).
func (s *State) linePayoff(typ payment.TransactionType) bool { return typ == payment.Payoff }

// FinanceCharges totals the finance charges of the line's statements so
// far (each added to the balance when its statement was issued).
func (s State) FinanceCharges() money.Amount {
	t := money.Zero(s.Terms.Currency())
	for _, st := range s.Statements {
		t = t.Add(st.Interest)
	}
	return t
}
