package vectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/fineract"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The fineract_schedules family: Apache Fineract end-to-end scenarios. Each
// case is boarded through the fineract profile into an Engine on an
// in-memory store, its steps are run on their dates, and every expected
// schedule row, transaction and figure is compared to the cent. A step
// the checker cannot run yet, or a setting the profile refuses, fails the
// case with "unsupported: …" (never a pass).
func init() { register("fineract_schedules", checkFineract) }

type fineractCase struct {
	ID      string `json:"id"`
	Product struct {
		Settings json.RawMessage `json:"settings"`
	} `json:"product"`
	Loan struct {
		Principal                     string `json:"principal"`
		AnnualInterestRatePercent     string `json:"annual_interest_rate_percent"`
		InterestType                  string `json:"interest_type"`
		InterestCalculationPeriod     string `json:"interest_calculation_period"`
		AmortizationType              string `json:"amortization_type"`
		RepaymentEvery                int    `json:"repayment_every"`
		RepaymentFrequencyType        string `json:"repayment_frequency_type"`
		NumberOfRepayments            int    `json:"number_of_repayments"`
		GraceOnPrincipalPeriods       int    `json:"grace_on_principal_periods"`
		GraceOnInterestPaymentPeriods int    `json:"grace_on_interest_payment_periods"`
		GraceOnInterestChargedPeriods int    `json:"grace_on_interest_charged_periods"`
		TransactionProcessingStrategy string `json:"transaction_processing_strategy"`
		ExpectedDisbursementDate      string `json:"expected_disbursement_date"`
	} `json:"loan"`
	Events []fineractEvent `json:"events"`
}

type fineractEvent struct {
	Op          string            `json:"op"`
	Date        string            `json:"date"`
	Amount      *string           `json:"amount"`
	PeriodCount *int              `json:"period_count"`
	Rows        []json.RawMessage `json:"rows"`
	Totals      map[string]*string
	ExactCount  bool   `json:"exact_count"`
	Status      string `json:"status"`
	// undo_transaction / expect_transaction_reverted: the nth transaction
	// of a type on a date.
	Nth             int    `json:"nth"`
	TransactionType string `json:"transaction_type"`
	TransactionDate string `json:"transaction_date"`
	// update_product_payment_allocation
	FutureRule string `json:"future_installment_allocation_rule"`
	// add_charge
	Charge          string `json:"charge"`
	IsPenalty       bool   `json:"is_penalty"`
	ChargeTime      string `json:"charge_time"`
	CalculationType string `json:"calculation_type"`
	DueDate         string `json:"due_date"`
}

// product reads the case's settings (Fineract's loan-product field names;
// the transcription writes paymentAllocation entries in snake case).
func (c fineractCase) product() (fineract.Product, error) {
	var p fineract.Product
	if err := json.Unmarshal(c.Product.Settings, &p); err != nil {
		return p, err
	}
	var alloc struct {
		PaymentAllocation []struct {
			TransactionType string   `json:"transaction_type"`
			Future          string   `json:"future_installment_allocation_rule"`
			Order           []string `json:"allocation_order"`
		} `json:"paymentAllocation"`
	}
	if err := json.Unmarshal(c.Product.Settings, &alloc); err != nil {
		return p, err
	}
	if strings.HasPrefix(p.LoanScheduleType, "CUMULATIVE") {
		p.LoanScheduleType = "CUMULATIVE" // the transcription's "CUMULATIVE (default; not set)"
	}
	p.PaymentAllocation = nil
	for _, a := range alloc.PaymentAllocation {
		p.PaymentAllocation = append(p.PaymentAllocation, fineract.PaymentAllocation{TransactionType: a.TransactionType,
			FutureInstallmentAllocationRule: a.Future, AllocationOrder: a.Order})
	}
	return p, nil
}

func (c fineractCase) loan(disbursedOn string) fineract.Loan {
	l := c.Loan
	return fineract.Loan{Principal: l.Principal, InterestRatePerPeriod: l.AnnualInterestRatePercent, InterestType: l.InterestType,
		InterestCalculationPeriodType: l.InterestCalculationPeriod, AmortizationType: l.AmortizationType,
		NumberOfRepayments: l.NumberOfRepayments, RepaymentEvery: l.RepaymentEvery, RepaymentFrequencyType: l.RepaymentFrequencyType,
		GraceOnPrincipalPayment: l.GraceOnPrincipalPeriods, GraceOnInterestPayment: l.GraceOnInterestPaymentPeriods,
		GraceOnInterestCharged: l.GraceOnInterestChargedPeriods, ExpectedDisbursementDate: disbursedOn,
		TransactionProcessingStrategyCode: l.TransactionProcessingStrategy}
}

func checkFineract(data []byte) ([]Outcome, error) {
	var top struct {
		Cases []fineractCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	out := make([]Outcome, 0, len(top.Cases))
	for _, c := range top.Cases {
		out = append(out, runFineract(c))
	}
	return out, nil
}

// fineractRun is one case played into an engine.
type fineractRun struct {
	c        fineractCase
	eng      *servicing.Engine
	boarded  bool
	disbOn   string
	table    amortize.Table
	cur      money.Currency
	principa money.Amount
	// recalc is the product's interest recalculation (nil when off): its
	// checks refuse the steps whose recalculated schedule is not the
	// contractual one.
	recalc *fineract.Recalculation
	today  string // the business date (set_business_date)
	paid   bool   // a repayment was posted
	// undone are the reversed repayments by payment seq, as they stood
	// when they were reversed (Fineract keeps a reversed transaction's
	// portions from its last processing).
	undone map[int64]txRow
	// future are the products' future-installment rules changed before
	// disbursement (update_product_payment_allocation), by transaction
	// type.
	future map[string]string
}

func runFineract(c fineractCase) Outcome {
	r := &fineractRun{c: c, disbOn: c.Loan.ExpectedDisbursementDate}
	for i, e := range c.Events {
		at := fmt.Sprintf("events[%d] %s", i, e.Op)
		var err error
		switch e.Op {
		case "set_business_date":
			if e.Date != "" {
				r.today = e.Date
			}
		case "update_product_payment_allocation":
			err = r.updateAllocation(e)
		case "submit_loan", "approve", "run_cob":
			// run_cob posts Fineract's accruals, which are not compared.
		case "disburse":
			if r.boarded {
				return unsupportedOutcome(c.ID, at, "a second disbursement")
			}
			r.disbOn = e.Date
			if e.Amount == nil || !sameNumber(*e.Amount, c.Loan.Principal) {
				return unsupportedOutcome(c.ID, at, "a disbursement other than the whole principal")
			}
			err = r.board()
		case "expect_schedule":
			err = r.expectSchedule(e)
		case "expect_schedule_totals":
			err = r.expectTotals(e.Totals)
		case "expect_transactions":
			err = r.expectTransactions(e)
		case "repayment":
			err = r.repayment(i, e)
		case "payoff":
			err = r.payoff(i, e)
		case "expect_status":
			err = r.expectStatus(e.Status)
		case "expect_total_outstanding":
			err = r.expectOutstanding(e.Amount)
		case "expect_total_overpaid":
			err = r.expectOverpaid(e.Amount)
		case "add_charge":
			err = r.addCharge(i, e)
		case "expect_all_installments_obligations_met":
			err = r.expectObligationsMet()
		case "expect_charges":
			err = r.expectCharges(e)
		case "undo_transaction":
			err = r.undo(i, e)
		case "expect_transaction_reverted":
			err = r.expectReverted(e)
		default:
			return unsupportedOutcome(c.ID, at, e.Op)
		}
		var u *fineract.UnsupportedError
		switch {
		case errors.As(err, &u):
			return unsupportedOutcome(c.ID, at, u.Error())
		case err != nil:
			o := fail(c.ID, "", "")
			var m mismatch
			if errors.As(err, &m) {
				o.Expected, o.Actual, o.Note = m.expected, m.actual, at+": "+m.where
			} else {
				o.Expected, o.Actual, o.Note = "to run", err.Error(), at
			}
			return o
		}
	}
	return pass(c.ID)
}

// updateAllocation changes the product's future-installment rule of a
// transaction type before the loan is disbursed.
func (r *fineractRun) updateAllocation(e fineractEvent) error {
	if r.boarded {
		return &fineract.UnsupportedError{Setting: "paymentAllocation", Value: e.FutureRule, Reason: "changed after disbursement"}
	}
	if r.future == nil {
		r.future = map[string]string{}
	}
	r.future[e.TransactionType] = e.FutureRule
	return nil
}

func unsupportedOutcome(id, at, what string) Outcome {
	return Outcome{ID: id, Expected: "supported", Actual: "unsupported: " + what, Note: at}
}

type mismatch struct{ where, expected, actual string }

func (m mismatch) Error() string { return m.where + ": expected " + m.expected + ", got " + m.actual }

// board boards the loan through the profile into a fresh engine and keeps
// its contractual schedule (amortize.Compute of the terms the engine
// holds).
func (r *fineractRun) board() error {
	if r.boarded {
		return nil
	}
	p, err := r.c.product()
	if err != nil {
		return err
	}
	for i := range p.PaymentAllocation {
		if a := &p.PaymentAllocation[i]; r.future[a.TransactionType] != "" {
			a.FutureInstallmentAllocationRule = r.future[a.TransactionType]
		}
	}
	terms, err := fineract.Terms(p, r.c.loan(r.disbOn))
	if err != nil {
		return err
	}
	if r.recalc, err = fineract.RecalculationOf(p, r.c.loan(r.disbOn)); err != nil {
		return err
	}
	tick := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	r.eng, err = servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: func() time.Time {
		tick = tick.Add(time.Second)
		return tick
	}})
	if err != nil {
		return err
	}
	ctx := context.Background()
	if _, err := r.eng.Board(ctx, "fineract", loan.BoardingRequest{Terms: terms, Borrower: "fineract"}, servicing.Meta{IdempotencyKey: "board", Actor: "vectors"}); err != nil {
		return fmt.Errorf("boarding: %w", err)
	}
	s, err := r.eng.State(ctx, "fineract", terms.FundingDate)
	if err != nil {
		return err
	}
	if r.table, err = amortize.Compute(s.Terms.Terms); err != nil {
		return err
	}
	r.cur, r.principa, r.boarded = terms.Currency(), terms.Principal, true
	return nil
}

type fineractRow struct {
	Nr               *int    `json:"nr"`
	Days             *int    `json:"days"`
	DueDate          string  `json:"due_date"`
	PaidDate         *string `json:"paid_date"`
	PrincipalBalance *string `json:"principal_balance"`
	Principal        *string `json:"principal"`
	Interest         *string `json:"interest"`
	Fees             *string `json:"fees"`
	Penalties        *string `json:"penalties"`
	Due              *string `json:"due"`
	Paid             *string `json:"paid"`
	PaidInAdvance    *string `json:"paid_in_advance"`
	PaidLate         *string `json:"paid_late"`
	Outstanding      *string `json:"outstanding"`
}

// rows are the schedule as Fineract lists it: the down payment (if any)
// and the table's rows, numbered from 1; under interest recalculation the
// engine's recalculated installments on the business date
// (loan.State.Recalculated).
func (r *fineractRun) rows() []amortize.Row {
	if r.recalc != nil {
		if s, err := r.state(); err == nil {
			if p, err := s.Recalculated(); err == nil {
				var rows []amortize.Row
				z := money.Zero(r.cur)
				for _, q := range p.Periods() {
					rows = append(rows, amortize.Row{N: q.N, DueDate: q.DueDate, Payment: q.Principal.Add(q.Interest),
						Interest: q.Interest, Principal: q.Principal, Fees: z, Escrow: z, Balance: q.Balance})
				}
				return rows
			}
		}
	}
	var rows []amortize.Row
	if r.table.DownPayment.Payment.IsPositive() {
		rows = append(rows, r.table.DownPayment)
	}
	return append(rows, r.table.Rows...)
}

func (r *fineractRun) expectSchedule(e fineractEvent) error {
	if err := r.board(); err != nil {
		return err
	}
	if err := r.recalculated(); err != nil {
		return err
	}
	rows := r.rows()
	if e.PeriodCount != nil && *e.PeriodCount != len(rows) {
		return mismatch{"period count", fmt.Sprint(*e.PeriodCount), fmt.Sprint(len(rows))}
	}
	prev := rows[0].DueDate
	if r.table.DownPayment.Payment.IsZero() {
		d, _ := date.ParseISO(r.disbOn)
		prev = d
	}
	chg, err := r.charges()
	if err != nil {
		return err
	}
	view, err := r.paidView(r.dues(chg))
	if err != nil {
		return err
	}
	n := 0
	for i, raw := range e.Rows {
		var x fineractRow
		if err := json.Unmarshal(raw, &x); err != nil {
			return err
		}
		where := fmt.Sprintf("rows[%d]", i)
		if x.Nr == nil {
			if err := cmpMoney(where+".principal_balance", x.PrincipalBalance, r.principa); err != nil {
				return err
			}
			continue
		}
		if *x.Nr != n+1 || n >= len(rows) {
			return mismatch{where + ".nr", fmt.Sprint(*x.Nr), fmt.Sprint(n + 1)}
		}
		row, iv := rows[n], view[n]
		n++
		where = fmt.Sprintf("period %d", *x.Nr)
		if x.DueDate != row.DueDate.String() {
			return mismatch{where + " due_date", x.DueDate, row.DueDate.String()}
		}
		days := int(row.DueDate - prev)
		prev = row.DueDate
		if x.Days != nil && *x.Days != days {
			return mismatch{where + " days", fmt.Sprint(*x.Days), fmt.Sprint(days)}
		}
		if x.PaidDate != nil && *x.PaidDate != dateOrEmpty(iv.paidOn) {
			return mismatch{where + " paid_date", *x.PaidDate, dateOrEmpty(iv.paidOn)}
		}
		fees, pens := row.Fees.Add(chg[n-1].fees), chg[n-1].penalties
		due := row.Principal.Add(row.Interest).Add(fees).Add(pens)
		for _, f := range []struct {
			name string
			want *string
			got  money.Amount
		}{
			{"principal_balance", x.PrincipalBalance, row.Balance}, {"principal", x.Principal, row.Principal},
			{"interest", x.Interest, row.Interest}, {"fees", x.Fees, fees}, {"penalties", x.Penalties, pens},
			{"due", x.Due, due}, {"paid", x.Paid, iv.paid.total()}, {"paid_in_advance", x.PaidInAdvance, iv.inAdvance.total()},
			{"paid_late", x.PaidLate, iv.late.total()}, {"outstanding", x.Outstanding, due.Sub(iv.paid.total())},
		} {
			if err := cmpMoney(where+" "+f.name, f.want, f.got); err != nil {
				return err
			}
		}
	}
	return r.expectTotals(e.Totals)
}

func (r *fineractRun) expectTotals(t map[string]*string) error {
	if len(t) == 0 {
		return nil
	}
	if err := r.recalculated(); err != nil {
		return err
	}
	chg, err := r.charges()
	if err != nil {
		return err
	}
	zero := money.Zero(r.cur)
	prin, intr, fees, pens := zero, zero, zero, zero
	for i, row := range r.rows() {
		prin, intr, fees = prin.Add(row.Principal), intr.Add(row.Interest), fees.Add(row.Fees).Add(chg[i].fees)
		pens = pens.Add(chg[i].penalties)
	}
	due := prin.Add(intr).Add(fees).Add(pens)
	view, err := r.paidView(r.dues(chg))
	if err != nil {
		return err
	}
	paid, adv, late := zero, zero, zero
	for _, iv := range view {
		paid, adv, late = paid.Add(iv.paid.total()), adv.Add(iv.inAdvance.total()), late.Add(iv.late.total())
	}
	for k, got := range map[string]money.Amount{"principal": prin, "interest": intr, "fees": fees, "penalties": pens, "due": due,
		"paid": paid, "paid_in_advance": adv, "paid_late": late, "waived": zero, "outstanding": due.Sub(paid)} {
		if err := cmpMoney("totals "+k, t[k], got); err != nil {
			return err
		}
	}
	return nil
}

func cmpMoney(where string, want *string, got money.Amount) error {
	if want == nil {
		return nil
	}
	w, err := decimal.NewFromString(*want)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if !w.Equal(got.Decimal()) {
		return mismatch{where, *want, got.Decimal().StringFixed(got.Currency().Scale)}
	}
	return nil
}

func dateOrEmpty(d date.Date) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func sameNumber(a, b string) bool {
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	return err1 == nil && err2 == nil && x.Equal(y)
}
