package escrow

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/money"
)

// Rows is the number of rows of a trial balance: the opening balance at the
// end of the month before the first payment, then one row per payment month.
const Rows = MonthsPerYear + 1

// Row is one month of a trial balance. Balance = previous Balance + Payment −
// Disbursement; the first row (the opening balance) has no payment and no
// disbursement. Disbursements due in the month before the first payment fall
// in the last row, one year later.
type Row struct {
	Month        time.Month
	Payment      money.Amount
	Disbursement money.Amount
	Balance      money.Amount
}

// Item is the trial balance of one group of disbursements: the whole account
// in aggregate analysis, or one bill in single-item analysis.
type Item struct {
	// Name is the Disbursement.Item of the group ("" for the aggregate).
	Name string
	// AnnualDisbursements is the sum of the group's projected bills.
	AnnualDisbursements money.Amount
	// MonthlyPayment is AnnualDisbursements / 12 rounded with
	// Analysis.Rounding (§1024.17(c)(1)(ii)).
	MonthlyPayment money.Amount
	// Cushion is AnnualDisbursements × Analysis.Cushion rounded down to the
	// minor unit, so it never exceeds the 1/6 cap.
	Cushion money.Amount
	// TargetBalance is Step3[0].Balance: the balance needed at the start of
	// the year so the lowest month-end balance equals the cushion.
	TargetBalance money.Amount
	// Step1 is the initial trial balance from a zero opening balance.
	Step1 []Row
	// Step2 is Step1 raised so that its lowest balance is exactly zero.
	Step2 []Row
	// Step3 is Step2 raised by the cushion: its lowest balance is the cushion.
	Step3 []Row
}

// Result is the outcome of [Analyze]. All amounts are in Analysis.Currency.
type Result struct {
	Method Method
	// Item holds the account's totals and trial balances. In single-item
	// analysis each row is the sum of the Items' rows.
	Item
	// LowPoint is the lowest Step3 balance and LowPointRow its first row
	// index. In aggregate analysis LowPoint equals Cushion.
	LowPoint    money.Amount
	LowPointRow int
	// Projected is the trial balance from Analysis.CurrentBalance with
	// MonthlyPayment, i.e. what happens if nothing is collected or refunded.
	Projected []Row
	// Surplus is CurrentBalance − TargetBalance when positive (§1024.17(b)).
	Surplus money.Amount
	// Shortage is TargetBalance − CurrentBalance when positive, measured
	// from zero when the balance is negative (the negative part is the
	// Deficiency). Shortage + Deficiency = TargetBalance − CurrentBalance.
	Shortage money.Amount
	// Deficiency is −CurrentBalance when the balance is negative (§1024.17(b)).
	Deficiency money.Amount
	// SurplusOptions, ShortageOptions and DeficiencyOptions list what Reg X
	// §1024.17(f) allows the servicer to do; nil when the amount is zero.
	SurplusOptions    []Option
	ShortageOptions   []Option
	DeficiencyOptions []Option
	// Items holds each item's own analysis in single-item analysis, in the
	// order the items first appear in Analysis.Disbursements; nil for
	// aggregate analysis.
	Items []Item
}

// Analyze runs an escrow account analysis (Reg X §1024.17(c), (d) and
// Appendix E): the monthly payment, the step 1–3 trial balances, the target
// balance (the initial deposit of a new account), the low point, and the
// surplus, shortage or deficiency of Analysis.CurrentBalance against the
// target with the dispositions §1024.17(f) allows.
//
// Analyze returns an error if:
//   - the analysis is invalid (errors.Is [ErrInvalidAnalysis], with one
//     *field.Error per bad field; a cushion above 1/6 is [ErrCushionAboveCap]);
//   - a result breaks an invariant ([ErrInvariant]; a bug).
func Analyze(a Analysis) (Result, error) {
	if err := a.Validate(); err != nil {
		return Result{}, err
	}
	r := Result{Method: a.Method}
	var err error
	if a.Method == Aggregate {
		r.Item, err = runItem(a, "", a.Disbursements)
	} else {
		if r.Items, err = runItems(a); err == nil {
			r.Item, err = sumItems(a, r.Items)
		}
	}
	if err != nil {
		return Result{}, err
	}
	r.LowPoint, r.LowPointRow = lowest(r.Step3)
	r.Projected = project(a, r.Step1)
	classify(&r, a)
	if err := check(r); err != nil {
		return Result{}, err
	}
	return r, nil
}

// rowOf returns the trial-balance row (1..12) of a bill paid in month m.
func rowOf(first, m time.Month) int {
	return (int(m)-int(first)+MonthsPerYear)%MonthsPerYear + 1
}

// monthOf returns the calendar month of row i (row 0 is the month before first).
func monthOf(first time.Month, i int) time.Month {
	return time.Month((int(first)-2+i+MonthsPerYear)%MonthsPerYear + 1)
}

// runItem runs Appendix E steps 1–3 over one group of disbursements.
func runItem(a Analysis, name string, ds []Disbursement) (Item, error) {
	cur := a.Currency
	zero := money.Zero(cur)
	var out [Rows]money.Amount
	annual := zero
	for _, d := range ds {
		i := rowOf(a.FirstPaymentMonth, d.Month)
		out[i] = out[i].Add(d.Amount)
		annual = annual.Add(d.Amount)
	}
	// Validate bounds annual by money.MaxMinor and checks the mode and the
	// denominator, so neither MulDiv fails on valid input.
	monthly, err := annual.MulDiv(1, MonthsPerYear, a.Rounding)
	if err != nil {
		return Item{}, fmt.Errorf("monthly payment of %s: %w", annual, err)
	}
	cushion, err := annual.MulDiv(a.Cushion.Num, a.Cushion.Den, money.Floor)
	if err != nil {
		return Item{}, fmt.Errorf("cushion of %s: %w", annual, err)
	}
	it := Item{Name: name, AnnualDisbursements: annual, MonthlyPayment: monthly, Cushion: cushion}
	buf := make([]Row, 3*Rows) // one allocation for the three steps
	it.Step1, it.Step2, it.Step3 = buf[:Rows:Rows], buf[Rows:2*Rows:2*Rows], buf[2*Rows:]
	it.Step1[0] = Row{Month: monthOf(a.FirstPaymentMonth, 0), Payment: zero, Disbursement: zero, Balance: zero}
	for i := 1; i < Rows; i++ {
		prev := it.Step1[i-1].Balance
		it.Step1[i] = Row{Month: monthOf(a.FirstPaymentMonth, i), Payment: monthly, Disbursement: zero.Add(out[i]),
			Balance: prev.Add(monthly).Sub(out[i])}
	}
	low, _ := lowest(it.Step1) // ≤ 0: row 0 is zero
	shift(it.Step2, it.Step1, low.Neg())
	shift(it.Step3, it.Step2, cushion)
	it.TargetBalance = it.Step3[0].Balance
	return it, nil
}

// runItems groups the disbursements by item, in order of first appearance,
// and runs each group.
func runItems(a Analysis) ([]Item, error) {
	var names []string
	groups := map[string][]Disbursement{}
	for _, d := range a.Disbursements {
		if _, ok := groups[d.Item]; !ok {
			names = append(names, d.Item)
		}
		groups[d.Item] = append(groups[d.Item], d)
	}
	items := make([]Item, len(names))
	for i, n := range names {
		it, err := runItem(a, n, groups[n])
		if err != nil {
			return nil, fmt.Errorf("item %q: %w", n, err)
		}
		items[i] = it
	}
	return items, nil
}

// sumItems adds the items' figures and rows into the account's Item.
func sumItems(a Analysis, items []Item) (Item, error) {
	sum, err := runItem(a, "", nil) // all-zero rows with the right months
	if err != nil {
		return Item{}, err
	}
	for _, it := range items {
		sum.AnnualDisbursements = sum.AnnualDisbursements.Add(it.AnnualDisbursements)
		sum.MonthlyPayment = sum.MonthlyPayment.Add(it.MonthlyPayment)
		sum.Cushion = sum.Cushion.Add(it.Cushion)
		sum.TargetBalance = sum.TargetBalance.Add(it.TargetBalance)
		for i := range Rows {
			addRow(&sum.Step1[i], it.Step1[i])
			addRow(&sum.Step2[i], it.Step2[i])
			addRow(&sum.Step3[i], it.Step3[i])
		}
	}
	return sum, nil
}

func addRow(dst *Row, r Row) {
	dst.Payment = dst.Payment.Add(r.Payment)
	dst.Disbursement = dst.Disbursement.Add(r.Disbursement)
	dst.Balance = dst.Balance.Add(r.Balance)
}

// shift sets dst to rows with every balance raised by by.
func shift(dst, rows []Row, by money.Amount) {
	for i, r := range rows {
		r.Balance = r.Balance.Add(by)
		dst[i] = r
	}
}

// lowest returns the lowest balance of rows and its first index.
func lowest(rows []Row) (money.Amount, int) {
	low, at := rows[0].Balance, 0
	for i, r := range rows {
		if r.Balance.LessThan(low) {
			low, at = r.Balance, i
		}
	}
	return low, at
}

// project reruns the Step1 payments and bills from the current balance.
func project(a Analysis, step1 []Row) []Row {
	out := make([]Row, len(step1))
	shift(out, step1, money.Zero(a.Currency).Add(a.CurrentBalance))
	return out
}

// check verifies the result's invariants (pair assertions for Analyze).
func check(r Result) error {
	if len(r.Step3) != Rows {
		return fmt.Errorf("%w: %d step-3 rows", ErrInvariant, len(r.Step3))
	}
	// cushion ≤ annual/6 ⇔ 6·cushion ≤ annual (both ≤ MaxMinor: no overflow)
	if 6*r.Cushion.Minor() > r.AnnualDisbursements.Minor() {
		return fmt.Errorf("%w: cushion %s above 1/6 of annual %s", ErrInvariant, r.Cushion, r.AnnualDisbursements)
	}
	if c := r.LowPoint.Cmp(r.Cushion); c < 0 || (r.Method == Aggregate && c != 0) {
		return fmt.Errorf("%w: low point %s vs cushion %s", ErrInvariant, r.LowPoint, r.Cushion)
	}
	if !r.TargetBalance.Equal(r.Step3[0].Balance) {
		return fmt.Errorf("%w: target %s vs opening step-3 balance %s", ErrInvariant, r.TargetBalance, r.Step3[0].Balance)
	}
	gap := r.TargetBalance.Sub(r.Projected[0].Balance)
	if !r.Shortage.Add(r.Deficiency).Sub(r.Surplus).Equal(gap) {
		return fmt.Errorf("%w: shortage %s + deficiency %s − surplus %s ≠ target − balance %s",
			ErrInvariant, r.Shortage, r.Deficiency, r.Surplus, gap)
	}
	return nil
}
