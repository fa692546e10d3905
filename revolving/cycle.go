package revolving

import (
	"errors"
	"fmt"
	"slices"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ErrInvalid is wrapped by every validation error of Compute.
var ErrInvalid = errors.New("revolving: invalid input")

// Method names how the finance charge is figured.
type Method string

// The finance charge methods.
const (
	// DailyBalance sums each day's balance × rate × the day's year
	// fraction and rounds once.
	DailyBalance Method = "daily_balance"
	// AverageDailyBalance charges the rate on the average daily balance
	// (rounded to the cent) over the cycle's year fraction.
	AverageDailyBalance Method = "average_daily_balance"
)

// Terms are the line's pricing and minimum payment.
type Terms struct {
	// APR is the annual percentage rate (the nominal annual rate charged).
	APR rate.Rate `json:"apr"`
	// DayCount gives each day's year fraction (actual/365 typically).
	DayCount accrual.DayCount `json:"day_count"`
	// Method is the finance charge method.
	Method Method `json:"method"`
	// Rounding rounds the finance charge, the average daily balance and
	// the minimum payment's share of the balance.
	Rounding money.RoundingMode `json:"rounding"`
	// MinPercentBasisPoints is the share of the new interest-bearing
	// balance the minimum payment takes (100 = 1 %), 0 to 10,000.
	MinPercentBasisPoints int64 `json:"min_percent_basis_points"`
	// MinFloor is the least minimum payment (when the new balance is at
	// least that much).
	MinFloor money.Amount `json:"min_floor"`
	// DueDays is the number of days from the statement date to the
	// payment due date, 1 to 90 (21 or more for a credit card account
	// under 12 CFR 1026.5(b)(2)(ii)).
	DueDays int `json:"due_days"`
}

// ActivityKind names an activity of a cycle.
type ActivityKind string

// Kind is the former name of [ActivityKind].
//
// Deprecated: use ActivityKind.
type Kind = ActivityKind

// The activity kinds. Amounts are positive; the kind says their sign.
const (
	// Draw advances money: the interest-bearing balance grows.
	Draw ActivityKind = "draw"
	// Payment is money received applied to the interest-bearing balance.
	Payment ActivityKind = "payment"
	// FeePayment is money received applied to fees owed.
	FeePayment ActivityKind = "fee_payment"
	// Credit reduces the interest-bearing balance without money received
	// (a refund, an adjustment in the borrower's favour).
	Credit ActivityKind = "credit"
	// Fee is a fee charged: owed, bearing no interest.
	Fee ActivityKind = "fee"
	// FeeCredit reduces the fees owed without money received (a waiver).
	FeeCredit ActivityKind = "fee_credit"
)

// Activity is one dated balance change of a cycle.
type Activity struct {
	On     date.Date    `json:"on"`
	Kind   ActivityKind `json:"kind"`
	Amount money.Amount `json:"amount"`
}

// Cycle is one billing cycle: the days [Start, End), End the statement
// date, the balances owed at Start, and the activity in date order.
type Cycle struct {
	Start date.Date `json:"start"`
	End   date.Date `json:"end"`
	// Balance is the interest-bearing balance at Start (draws and
	// interest charged, less payments and credits); Fees the fees owed.
	Balance money.Amount `json:"balance"`
	Fees    money.Amount `json:"fees"`
	// Activity lists the cycle's balance changes, each dated in [Start,
	// End), in date order.
	Activity []Activity `json:"activity"`
}

// Statement is a cycle's periodic statement figures (12 CFR 1026.7).
type Statement struct {
	Start date.Date `json:"start"`
	// End is the statement (closing) date; DueDate the payment due date.
	End     date.Date `json:"end"`
	DueDate date.Date `json:"due_date"`
	// PreviousBalance is what was owed at Start (balance and fees).
	PreviousBalance money.Amount `json:"previous_balance"`
	// Payments are the payments received (to the balance and to fees);
	// Credits the other credits; Draws the advances; Fees the fees charged.
	Payments money.Amount `json:"payments"`
	Credits  money.Amount `json:"credits"`
	Draws    money.Amount `json:"draws"`
	Fees     money.Amount `json:"fees"`
	// InterestCharged is the finance charge of the cycle.
	InterestCharged money.Amount `json:"interest_charged"`
	// NewBalance is what is owed at End: PreviousBalance − Payments −
	// Credits + Draws + Fees + InterestCharged. Balance is its
	// interest-bearing part (interest charged is added to it), FeesOwed the
	// rest.
	NewBalance money.Amount `json:"new_balance"`
	Balance    money.Amount `json:"balance"`
	FeesOwed   money.Amount `json:"fees_owed"`
	// AverageDailyBalance is the balance subject to interest (1026.7(b)(5)):
	// the average of the interest-bearing daily balances, rounded.
	AverageDailyBalance money.Amount `json:"average_daily_balance"`
	// Days is the number of days in the cycle.
	Days int `json:"days"`
	// APR is the annual percentage rate; DailyPeriodicRate the periodic
	// rate it corresponds to (APR over the day count's days in the year of
	// Start, to 10 decimal places), 1026.7(b)(4).
	APR               rate.Rate       `json:"apr"`
	DailyPeriodicRate decimal.Decimal `json:"daily_periodic_rate"`
	// MinimumPayment is the minimum payment due by DueDate.
	MinimumPayment money.Amount `json:"minimum_payment"`
}

// Compute returns the statement of cycle c under terms t. Errors wrap
// ErrInvalid and name every bad field.
func Compute(t Terms, c Cycle) (Statement, error) {
	cur := c.Balance.Currency()
	if err := validate(t, c, cur); err != nil {
		return Statement{}, err
	}
	z := money.Zero(cur)
	st := Statement{Start: c.Start, End: c.End, DueDate: c.End + date.Date(t.DueDays), Days: int(c.End - c.Start), APR: t.APR,
		PreviousBalance: c.Balance.Add(c.Fees), Payments: z, Credits: z, Draws: z, Fees: z}
	// The interest-bearing balance after each day's activity.
	changes := []accrual.BalanceChange{{On: c.Start, Balance: c.Balance}}
	bal, fees := c.Balance, c.Fees
	for _, a := range c.Activity {
		switch a.Kind {
		case Draw:
			bal, st.Draws = bal.Add(a.Amount), st.Draws.Add(a.Amount)
		case Payment:
			bal, st.Payments = bal.Sub(a.Amount), st.Payments.Add(a.Amount)
		case FeePayment:
			fees, st.Payments = fees.Sub(a.Amount), st.Payments.Add(a.Amount)
		case Credit:
			bal, st.Credits = bal.Sub(a.Amount), st.Credits.Add(a.Amount)
		case Fee:
			fees, st.Fees = fees.Add(a.Amount), st.Fees.Add(a.Amount)
		case FeeCredit:
			fees, st.Credits = fees.Sub(a.Amount), st.Credits.Add(a.Amount)
		}
		if n := len(changes) - 1; changes[n].On == a.On {
			changes[n].Balance = bal
		} else {
			changes = append(changes, accrual.BalanceChange{On: a.On, Balance: bal})
		}
	}
	if fees.IsNegative() || slices.ContainsFunc(changes, func(b accrual.BalanceChange) bool { return b.Balance.IsNegative() }) {
		var l field.List
		l.Add("Cycle.Activity", len(c.Activity), field.ErrOutOfRange, "payments and credits beyond the balance on a day (a credit balance is the host's)")
		return Statement{}, l.Err(ErrInvalid)
	}
	var err error
	if st.AverageDailyBalance, err = averageDaily(changes, c.End, t.Rounding); err != nil {
		return Statement{}, err
	}
	days, err := t.DayCount.DaysInYear(c.Start)
	if err != nil {
		return Statement{}, fieldErr("Terms.DayCount", t.DayCount.Convention, err)
	}
	num, den := t.APR.Ratio()
	st.DailyPeriodicRate = decimal.New(num, 0).DivRound(decimal.New(den*int64(days), 0), 10)
	switch t.Method {
	case DailyBalance:
		tl := accrual.Timeline{DayCount: t.DayCount, Principal: changes, Rates: []accrual.RateChange{{On: c.Start, Rate: t.APR}},
			Rounding: accrual.RoundAtPosting, Mode: t.Rounding}
		r, err := tl.Accrue(c.Start, c.End)
		if err != nil {
			return Statement{}, fmt.Errorf("%w: finance charge: %w", ErrInvalid, err)
		}
		st.InterestCharged = r.Interest
	default:
		yf, err := t.DayCount.YearFraction(c.Start, c.End)
		if err != nil {
			return Statement{}, fieldErr("Terms.DayCount", t.DayCount.Convention, err)
		}
		if st.InterestCharged, err = accrual.SimpleInterest(st.AverageDailyBalance, t.APR, yf, t.Rounding); err != nil {
			return Statement{}, fmt.Errorf("%w: finance charge: %w", ErrInvalid, err)
		}
	}
	st.Balance, st.FeesOwed = bal.Add(st.InterestCharged), fees
	st.NewBalance = st.Balance.Add(fees)
	if st.MinimumPayment, err = t.minimum(bal, st.InterestCharged, fees, st.NewBalance); err != nil {
		return Statement{}, err
	}
	return st, nil
}

// minimum is the minimum payment: MinPercentBasisPoints of the balance
// before interest, plus the interest charged and the fees owed, at least
// MinFloor, at most the new balance.
func (t Terms) minimum(bal, interest, fees, owed money.Amount) (money.Amount, error) {
	share, err := bal.MulDiv(t.MinPercentBasisPoints, 10_000, t.Rounding)
	if err != nil {
		return money.Amount{}, fmt.Errorf("%w: minimum payment: %w", ErrInvalid, err)
	}
	m := money.Sum(share, interest, fees)
	if !t.MinFloor.IsZero() {
		m = money.Max(m, t.MinFloor)
	}
	return money.Max(money.Zero(owed.Currency()), money.Min(m, owed)), nil
}

// averageDaily is the average of the daily balances of changes over
// [changes[0].On, end), rounded with mode.
func averageDaily(changes []accrual.BalanceChange, end date.Date, mode money.RoundingMode) (money.Amount, error) {
	var sum int64 // minor-unit days: bounded by MaxMinor × 1,000 days
	for i, b := range changes {
		to := end
		if i+1 < len(changes) {
			to = changes[i+1].On
		}
		sum += b.Balance.Minor() * int64(to-b.On)
	}
	days := int64(end - changes[0].On)
	one, err := money.New(1, changes[0].Balance.Currency())
	if err != nil {
		return money.Amount{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	total, err := one.Mul(sum)
	if err != nil {
		return money.Amount{}, fmt.Errorf("%w: average daily balance: %w", ErrInvalid, err)
	}
	return total.MulDiv(1, days, mode)
}

// MaxCycleDays bounds a cycle's length.
const MaxCycleDays = 1000

// MaxActivity bounds a cycle's activity.
const MaxActivity = 10_000

func validate(t Terms, c Cycle, cur money.Currency) error {
	var l field.List
	if !cur.Valid() {
		l.Add("Cycle.Balance", c.Balance.Format(), field.ErrRequired, "an amount with a currency")
		return l.Err(ErrInvalid)
	}
	if t.APR.IsNegative() {
		l.Add("Terms.APR", t.APR.String(), field.ErrOutOfRange, "must not be negative")
	}
	if err := t.DayCount.Validate(); err != nil {
		l.Add("Terms.DayCount", t.DayCount.Convention, field.ErrInvalid, err.Error())
	}
	switch t.Method {
	case DailyBalance, AverageDailyBalance:
	default:
		l.Add("Terms.Method", t.Method, field.ErrNotSupported, "daily_balance or average_daily_balance")
	}
	if !t.Rounding.Valid() {
		l.Add("Terms.Rounding", t.Rounding, field.ErrNotSupported, money.RoundingChoices())
	}
	if t.MinPercentBasisPoints < 0 || t.MinPercentBasisPoints > 10_000 {
		l.Add("Terms.MinPercentBasisPoints", t.MinPercentBasisPoints, field.ErrOutOfRange, "0 to 10,000")
	}
	if !t.MinFloor.IsZero() && (t.MinFloor.Currency() != cur || t.MinFloor.IsNegative()) {
		l.Add("Terms.MinFloor", t.MinFloor.Format(), field.ErrOutOfRange, "at least zero, in the balance's currency")
	}
	if t.DueDays < 1 || t.DueDays > 90 {
		l.Add("Terms.DueDays", t.DueDays, field.ErrOutOfRange, "1 to 90")
	}
	if c.End <= c.Start || c.End-c.Start > MaxCycleDays {
		l.Add("Cycle.End", c.End.String(), field.ErrOutOfRange, fmt.Sprintf("after Start, at most %d days", MaxCycleDays))
	}
	if c.Balance.IsNegative() {
		l.Add("Cycle.Balance", c.Balance.String(), field.ErrOutOfRange, "must not be negative")
	}
	if c.Fees.Currency() != cur && !c.Fees.IsZero() || c.Fees.IsNegative() {
		l.Add("Cycle.Fees", c.Fees.Format(), field.ErrOutOfRange, "at least zero, in the balance's currency")
	}
	if len(c.Activity) > MaxActivity {
		l.Add("Cycle.Activity", len(c.Activity), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxActivity))
		return l.Err(ErrInvalid)
	}
	prev := c.Start
	for i, a := range c.Activity {
		p := fmt.Sprintf("Cycle.Activity[%d]", i)
		if a.On < prev || a.On >= c.End {
			l.Add(p+".On", a.On.String(), field.ErrOutOfRange, "in date order, in [Start, End)")
		}
		prev = max(prev, a.On)
		switch a.Kind {
		case Draw, Payment, FeePayment, Credit, Fee, FeeCredit:
		default:
			l.Add(p+".Kind", a.Kind, field.ErrNotSupported, "draw, payment, fee_payment, credit, fee or fee_credit")
		}
		if a.Amount.Currency() != cur || !a.Amount.IsPositive() {
			l.Add(p+".Amount", a.Amount.Format(), field.ErrOutOfRange, "positive, in the balance's currency")
		}
	}
	return l.Err(ErrInvalid)
}

func fieldErr(path string, v any, err error) error {
	var l field.List
	l.Add(path, v, field.ErrInvalid, err.Error())
	return l.Err(ErrInvalid)
}
