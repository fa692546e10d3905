package servicing_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/report"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
)

// losPayload is a boarding payload as an LOS sends it: 200,000.00 at 6%
// for 30 years on 30/360, first due 1 Mar 2024 (January's odd days paid at
// closing), a 5% late fee after 15 days of grace.
const losPayload = `{
  "terms": {
    "currency": "USD", "principal": "200000.00", "annual_rate": "6%", "installments": 360,
    "frequency": {"unit": "month", "every": 1}, "eom": "anchor",
    "funding_date": "2024-01-15", "first_due_date": "2024-03-01",
    "shape": "level", "interest_method": "periodic", "odd_first_period": "prepaid",
    "day_count": {"convention": "30U_360_EOM"},
    "interest_rounding": "half_away_from_zero", "payment_rounding": "half_away_from_zero",
    "accrual": "scheduled", "escrow_payment": "0.00",
    "delinquency": {
      "recognition": "full", "method": "days_past_due",
      "late_fee": {"grace_days": 15, "method": "percent_piti", "percent_basis_points": 500, "rounding": "half_away_from_zero"},
      "status": {"delinquent_days": 1, "default_days": 90, "non_accrual_days": 90, "charge_off_days": 120, "charge_off": "regular"}
    }
  },
  "borrower": "BRW-1", "los_reference": "LOS-1"
}`

// exampleEngine is an engine over the in-memory store with a clock that
// ticks a second per call, and the payload above boarded as MTG-1.
func exampleEngine() (*servicing.Engine, context.Context) {
	ctx := context.Background()
	tick := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	e, err := servicing.New(servicing.Config{
		Store: servicingtest.NewMemStore(),
		Now:   func() time.Time { tick = tick.Add(time.Second); return tick },
	})
	if err != nil {
		panic(err)
	}
	req, err := loan.ParseBoarding([]byte(losPayload))
	if err != nil {
		panic(err)
	}
	if _, err := e.Board(ctx, "MTG-1", req, servicing.Meta{IdempotencyKey: "board"}); err != nil {
		panic(err)
	}
	return e, ctx
}

func usdEx(s string) money.Amount { return money.MustParse(s, money.USD) }

func keyEx(k string) servicing.Meta { return servicing.Meta{IdempotencyKey: k} }

func printDomain(r servicing.Result) {
	for _, d := range r.Domain {
		fmt.Println(" ", d.On, d.Type, d.From, d.To, d.DaysPastDue, d.Amount.Format(), d.Retracted)
	}
}

// Boarding a loan from its LOS payload: the payment, 200,000.00 × 0.005 /
// (1 − 1.005^−360) = 1,199.10, is solved by amortize when the payload leaves
// it out; the loan is serviced under the current rules version.
func ExampleEngine_Board() {
	e, ctx := exampleEngine()
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 1, 15))
	fmt.Println(s.Status, s.Principal, s.Payment, s.Rules)
	// Output:
	// current 200000.00 1199.10 2
}

// A wire covering the payoff quote pays the loan off. After March's
// installment the balance is 199,800.90; 15 days' interest to 16 Mar on
// 30/360 is 199,800.90 × 6% × 15/360 = 499.50, so the quote is 200,300.40.
// The 10.00 sent beyond it is a credit balance to refund.
func ExampleEngine_PostPaymentWith() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	q, _ := e.PayoffQuote(ctx, "MTG-1", date.New(2024, 3, 16))
	r, err := e.PostPaymentWith(ctx, "MTG-1", date.New(2024, 3, 16), q.Total.Add(usdEx("10.00")),
		servicing.PaymentOptions{Type: payment.Payoff, Method: "wire", Reference: "W-77"}, keyEx("payoff"))
	fmt.Println(q.Total, err)
	printDomain(r)
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 16))
	fmt.Println(s.Status, s.Principal, s.CreditBalance)
	// Output:
	// 200300.40 <nil>
	//   2024-03-16 status_changed current paid_off 0 0 false
	//   2024-03-16 loan_paid_off   0 0 false
	// paid_off 0.00 10.00
}

// A borrower sends two installments on 1 Mar and says the extra is to pay
// ahead: installment 1 (interest 200,000 × 0.5 % = 1,000.00, principal
// 199.10) and installment 2 (interest 199,800.90 × 0.5 % = 999.00,
// principal 200.10) are both paid, so the next installment is the third,
// due 1 May, and nothing is late in April.
func ExampleEngine_PostPaymentWith_payAhead() {
	e, ctx := exampleEngine()
	_, err := e.PostPaymentWith(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("2398.20"),
		servicing.PaymentOptions{Extra: payment.ExtraPayAhead}, keyEx("p1"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 4, 20))
	fmt.Println(err, s.Principal, s.NextInstallment, s.Status, s.LateFees)
	// Output:
	// <nil> 199600.80 3 current 0.00
}

// A credit balance left by a payoff is refunded; a paid-off loan takes no
// new fees (ErrLoanClosed).
func ExampleEngine_RefundCredit() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 16), usdEx("200310.40"), keyEx("payoff"))
	_, err := e.RefundCredit(ctx, "MTG-1", date.New(2024, 3, 20), usdEx("10.00"), keyEx("refund"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 20))
	fmt.Println(err, s.Status, s.CreditBalance)
	_, err = e.AssessFee(ctx, "MTG-1", date.New(2024, 3, 21), loan.FeeOther, usdEx("5.00"), keyEx("fee"))
	fmt.Println(errors.Is(err, servicing.ErrLoanClosed))
	// Output:
	// <nil> paid_off 0.00
	// true
}

// March's payment is returned unpaid on 20 Mar with a 25.00 NSF fee: the
// loan is past due from 2 Mar as if the payment never came, March's late
// fee (5% × 1,199.10 = 59.96, charged 17 Mar: 1 Mar + 15 days' grace + 1)
// is reported on its own date, and the loan is 19 days past due.
func ExampleEngine_ReversePayment() {
	e, ctx := exampleEngine()
	r, _ := e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	rv, err := e.ReversePayment(ctx, "MTG-1", date.New(2024, 3, 20), r.Events[0].Seq, usdEx("25.00"), keyEx("nsf"))
	fmt.Println(err)
	printDomain(rv)
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 20))
	fmt.Println(s.Principal, s.DaysPastDue(), s.LateFees, s.NSFFees)
	// Output:
	// <nil>
	//   2024-03-02 status_changed current delinquent 1 0 false
	//   2024-03-17 fee_assessed   0 USD 59.96 false
	//   2024-03-20 payment_reversed   0 USD 25.00 false
	//   2024-03-20 fee_assessed   0 USD 25.00 false
	// 200000.00 19 59.96 25.00
}

// End of day reports what happened on each business date up to it: the
// unpaid March installment makes the loan delinquent on 2 Mar, its late fee
// falls on 17 Mar and the 30-day milestone (Reg X) on 31 Mar.
func ExampleEngine_EndOfDay() {
	e, ctx := exampleEngine()
	r, _ := e.EndOfDay(ctx, "MTG-1", date.New(2024, 4, 2), keyEx("eod"))
	printDomain(r)
	// Output:
	// 2024-03-02 status_changed current delinquent 1 0 false
	//   2024-03-17 fee_assessed   0 USD 59.96 false
	//   2024-03-31 milestone_reached   30 0 false
}

// The statement for the cycle after March's payment (Reg Z §1026.41(d)):
// April's installment due 1 Apr, and the late fee it would bear from 17 Apr.
func ExampleEngine_Statement() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	st, _ := e.Statement(ctx, "MTG-1", date.New(2024, 3, 2), date.New(2024, 4, 1))
	fmt.Println(st.DueDate, st.AmountDue, st.LateFee, st.LateFeeAppliesOn, st.DaysPastDue)
	// Output:
	// 2024-04-01 1199.10 59.96 2024-04-17 0
}

// As the log stood when March's payment was recorded, April's (posted
// later) had not come: 199,800.90 then, 199,600.80 now.
func ExampleEngine_KnownAt() {
	e, ctx := exampleEngine()
	r, _ := e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 4, 1), usdEx("1199.10"), keyEx("p2"))
	then, _ := e.KnownAt(ctx, "MTG-1", date.New(2024, 4, 10), r.Events[0].RecordedAt)
	now, _ := e.State(ctx, "MTG-1", date.New(2024, 4, 10))
	fmt.Println(then.Principal, now.Principal)
	// Output:
	// 199800.90 199600.80
}

// The loan's ledger: boarding, March's payment, and April's late fee
// (April unpaid by 17 Apr).
func ExampleEngine_History() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	h, _ := e.History(ctx, "MTG-1", date.New(2024, 5, 1))
	for _, tx := range h.Transactions {
		fmt.Println(tx.Date, tx.Kind, tx.Amount)
	}
	// Output:
	// 2024-01-15 boarded 200000.00
	// 2024-03-01 payment_received 1199.10
	// 2024-04-17 late_fee 59.96
}

// A 30.00 fee, 10.00 of it waived.
func ExampleEngine_AssessFee() {
	e, ctx := exampleEngine()
	_, _ = e.AssessFee(ctx, "MTG-1", date.New(2024, 2, 1), loan.FeeOther, usdEx("30.00"), keyEx("fee"))
	_, _ = e.WaiveFee(ctx, "MTG-1", date.New(2024, 2, 5), loan.FeeOther, usdEx("10.00"), keyEx("waive"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 2, 5))
	fmt.Println(s.OtherFees)
	// Output:
	// 20.00
}

// A rate change recasts the payment over the remaining term (amortize's
// billing): 199,800.90 at 7% over 359 months is 1,330.37.
func ExampleEngine_ChangeRate() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, err := e.ChangeRate(ctx, "MTG-1", date.New(2024, 3, 1), rate.MustPercent("7"), keyEx("rate"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 2))
	fmt.Println(err, s.Rate, s.Payment)
	// Output:
	// <nil> 7.0000% 1330.37
}

// A re-age is held to the FFIEC limits (delinquency.CanReAge): this loan,
// open four months with no payment, is refused. Deferring its three unpaid
// installments brings it current and lengthens it to 363 installments.
func ExampleEngine_Modify() {
	e, ctx := exampleEngine()
	_, err := e.Modify(ctx, "MTG-1", date.New(2024, 5, 15), loan.Modified{Type: loan.ModReage}, keyEx("reage"))
	fmt.Println(errors.Is(err, servicing.ErrInvalidCommand), errors.Is(err, delinquency.ErrReAgeRefused))
	_, err = e.Modify(ctx, "MTG-1", date.New(2024, 5, 15), loan.Modified{Type: loan.ModDeferment, DeferInstallments: 3}, keyEx("defer"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 5, 15))
	fmt.Println(err, s.DaysPastDue(), s.Installments)
	// Output:
	// true true
	// <nil> 0 363
}

// A forbearance after the first payment (1,199.10 on 1 Mar pays 1,000.00
// of interest and leaves 199,800.90): paused from 2 Mar to 1 Jun, the
// installments due 1 Apr and 1 May move two months, so the next is due 1
// Jun. Their periods' interest, 2 × 199,800.90 × 0.5 % = 2 × 999.00, is
// capitalized on 1 May (201,798.90) and the payment re-solved over the 359
// installments left: 201,798.90 × 0.005 / (1 − 1.005^−359) = 1,211.09.
// Nothing is past due while paused.
func ExampleEngine_Pause() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, err := e.Pause(ctx, "MTG-1", date.New(2024, 3, 2), loan.Paused{To: date.New(2024, 6, 1), Interest: loan.PauseCapitalize}, keyEx("forbear"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 5, 15))
	next, _ := s.NextDueDate()
	a, _ := s.Delinquency()
	fmt.Println(err, s.Principal, s.Payment, next, s.DaysPastDue(), a.Paused)
	// Output:
	// <nil> 201798.90 1211.09 2024-06-01 0 forbearance
}

// A construction loan drawn in parts: 100,000.00 at funding of a
// 300,000.00 commitment, interest only for six months at 6 % (30/360 daily
// simple), then 24 level payments. Draws on 15 Feb and 10 Apr bring the
// balance to 300,000.00, and the last one re-solves the level payment
// after the interest-only months: 300,000 × 0.005 / (1 − 1.005^−24) =
// 13,296.18. A draw beyond the commitment is refused, naming Amount.
func ExampleEngine_Draw() {
	e, ctx := exampleEngine()
	req := loan.BoardingRequest{Terms: constructionLoan(), Borrower: "BRW-2"} // draw_test.go: constructionLoan
	_, _ = e.Board(ctx, "CON-1", req, keyEx("board-con"))
	_, _ = e.Draw(ctx, "CON-1", date.New(2024, 2, 15), usdEx("100000.00"), keyEx("d1"))
	_, _ = e.Draw(ctx, "CON-1", date.New(2024, 4, 10), usdEx("100000.00"), keyEx("d2"))
	_, err := e.Draw(ctx, "CON-1", date.New(2024, 5, 1), usdEx("0.01"), keyEx("d3"))
	s, _ := e.State(ctx, "CON-1", date.New(2024, 4, 10))
	fmt.Println(s.Principal, s.Payment, s.Undrawn(), errors.Is(err, loan.ErrOverCommitment))
	// Output:
	// 300000.00 13296.18 0.00 true
}

// Escrow left at payoff is refunded within 20 business days (Reg X
// §1024.34(b)): the payoff on Friday 15 Mar 2024 reports 300.00 due back
// by Friday 12 Apr, and RefundEscrow pays it out.
func ExampleEngine_RefundEscrow() {
	e, ctx := exampleEngine()
	tm := mortgage() // helpers_test.go: 200,000.00 at 6 %, first due 1 Mar 2024
	tm.EscrowPayment = usdEx("300.00")
	_, _ = e.Board(ctx, "ESC-1", loan.BoardingRequest{Terms: tm, Borrower: "BRW-3"}, keyEx("board-esc"))
	_, _ = e.PostPayment(ctx, "ESC-1", date.New(2024, 3, 1), usdEx("1499.10"), keyEx("p1"))
	q, _ := e.PayoffQuote(ctx, "ESC-1", date.New(2024, 3, 15))
	_, _ = e.PostPayment(ctx, "ESC-1", date.New(2024, 3, 15), q.Total, keyEx("payoff"))
	s, _ := e.State(ctx, "ESC-1", date.New(2024, 3, 15))
	by, _ := s.EscrowRefundBy()
	_, err := e.RefundEscrow(ctx, "ESC-1", date.New(2024, 3, 20), s.Escrow, keyEx("refund"))
	after, _ := e.State(ctx, "ESC-1", date.New(2024, 3, 20))
	fmt.Println(s.Status, s.Escrow, by, err, after.Escrow)
	// Output:
	// paid_off 300.00 2024-04-12 <nil> 0.00
}

// The annual escrow analysis on a loan with Reg X Appendix E's items
// (500.00 in July, 360.00 in September, 700.00 in December) and 1,100.00
// in escrow on 2 June 2024: Appendix E's monthly payment 130.00 and target
// balance 1,040.00, so the 60.00 surplus is refunded and the installments
// from 1 July carry 130.00 of escrow.
func ExampleEngine_AnalyzeEscrow() {
	e, ctx := exampleEngine()
	tm := escrowMortgage() // escrow_test.go: mortgage() with Appendix E's items
	_, _ = e.Board(ctx, "ESC-2", loan.BoardingRequest{Terms: tm, Borrower: "BRW-4"}, keyEx("board-esc2"))
	for _, m := range []time.Month{time.March, time.April, time.May, time.June} {
		_, _ = e.PostPayment(ctx, "ESC-2", date.New(2024, m, 1), usdEx("1199.10"), keyEx("p"+m.String()))
	}
	_, _ = e.Adjust(ctx, "ESC-2", date.New(2024, 6, 2), loan.Adjustment{Bucket: loan.BalanceEscrow, Amount: usdEx("1100.00")}, keyEx("deposit"))
	r, from, _ := e.EscrowAnalysis(ctx, "ESC-2", date.New(2024, 6, 2))
	_, err := e.AnalyzeEscrow(ctx, "ESC-2", date.New(2024, 6, 2), keyEx("analysis"))
	s, _ := e.State(ctx, "ESC-2", date.New(2024, 6, 2))
	fmt.Println(r.MonthlyPayment, r.TargetBalance, r.Surplus, from, err, s.Escrow)
	// Output:
	// 130.00 1040.00 60.00 5 <nil> 1040.00
}

// The annual escrow statement data of a new account: Appendix E's items,
// 1,100.00 deposited on 16 Jan 2024, the statement that day — twelve
// months of history (January – December 2023, empty) and the analysis of
// the year from the first installment (1 Mar 2024): 130.00 a month, and a
// target balance of 520.00 for a March start (TestEscrowStatement works it
// by hand), so a surplus of 580.00, refunded.
func ExampleEngine_EscrowStatement() {
	e, ctx := exampleEngine()
	_, _ = e.Board(ctx, "ESC-3", loan.BoardingRequest{Terms: escrowMortgage(), Borrower: "BRW-5"}, keyEx("board-esc3"))
	_, _ = e.Adjust(ctx, "ESC-3", date.New(2024, 1, 16), loan.Adjustment{Bucket: loan.BalanceEscrow, Amount: usdEx("1100.00")}, keyEx("deposit"))
	st, err := e.EscrowStatement(ctx, "ESC-3", date.New(2024, 1, 16))
	fmt.Println(err, len(st.History), st.History[0].Month, st.PreviousPayment, st.NewPayment)
	for _, r := range st.Reasons {
		fmt.Println(r)
	}
	// Output:
	// <nil> 12 2023-01-01 0.00 130.00
	// projected disbursements of 1560.00 a year: 130.00 a month, was 0.00
	// a surplus of 580.00, refunded (Reg X 1024.17(f)(2)(i))
}

// The audit trail: each recorded event with who recorded it and why, and
// the late charge the engine made itself (5 % × 1,199.10 = 59.96 on 17
// Apr, when the 15 days of grace after 1 Apr have run), attributed to the
// end of day whose fold made it.
func ExampleEngine_AuditTrail() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), servicing.Meta{IdempotencyKey: "p1", Actor: "teller"})
	_, _ = e.EndOfDay(ctx, "MTG-1", date.New(2024, 4, 20), servicing.Meta{Actor: "batch"})
	trail, _ := e.AuditTrail(ctx, "MTG-1", servicing.AuditFilter{From: date.New(2024, 3, 1)})
	for _, a := range trail {
		fmt.Println(a.EffectiveOn, a.Kind, a.Actor, a.Generated, a.Amount)
	}
	// Output:
	// 2024-03-01 payment_received teller false 1199.10
	// 2024-04-17 late_fee batch true 59.96
	// 2024-04-20 day_closed batch false 0
}

// Charged off on 1 Sep: 200,000.00 principal and six late fees of 59.96
// (200,359.76). Under regular charge-off interest keeps accruing on the
// principal (200,000.00 × 6% × 30/360 = 1,000.00 to 1 Oct), so a 50,000.00
// recovery leaves 151,359.76.
func ExampleEngine_ChargeOff() {
	e, ctx := exampleEngine()
	_, _ = e.ChargeOff(ctx, "MTG-1", date.New(2024, 9, 1), keyEx("co"))
	_, _ = e.Recover(ctx, "MTG-1", date.New(2024, 10, 1), usdEx("50000.00"), keyEx("rec"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 10, 1))
	fmt.Println(s.Status, s.ChargedOff)
	// Output:
	// charged_off 151359.76
}

// A loan boarded today is already on the current rules; moving it to the
// same version is refused. (A loan boarded under rules 1 keeps its numbers
// until migrated; see testdata/compat.)
func ExampleEngine_MigrateRules() {
	e, ctx := exampleEngine()
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 1, 15))
	_, err := e.MigrateRules(ctx, "MTG-1", date.New(2024, 2, 1), loan.RulesVersion, keyEx("migrate"))
	fmt.Println(s.Rules, errors.Is(err, servicing.ErrInvalidCommand))
	// Output:
	// 2 true
}

// End of day over a portfolio: each loan's outcome is reported apart, so
// one bad loan stops no other.
func ExampleEngine_EndOfDayPortfolio() {
	e, ctx := exampleEngine()
	rep, _ := e.EndOfDayPortfolio(ctx, []servicing.LoanID{"MTG-1", "NO-SUCH-LOAN"}, date.New(2024, 3, 31))
	for _, o := range rep.Outcomes {
		fmt.Println(o.Loan, o.Err != nil)
	}
	// Output:
	// MTG-1 false
	// NO-SUCH-LOAN true
}

// An index reset on an ARM (margin 2.75%, nearest 1/8 point, first change
// within ±2%): index 4.10% gives 6.85% → 6.875%, applied from the first
// period starting on or after 15 Mar, [1 Apr, 1 May). April's installment
// keeps 6% (999.00 interest, 200.10 principal: 199,600.80) and the payment
// is recast over the 358 installments left: 1,313.45.
func ExampleEngine_ResetIndex() {
	e, ctx := exampleEngine()
	req, _ := loan.ParseBoarding([]byte(losPayload))
	req.Terms.ARM = &accrual.ARM{InitialRate: rate.MustPercent("6"), Margin: rate.MustPercent("2.75"),
		RoundingStep: rate.MustPercent("0.125"), RoundingMode: money.HalfAwayFromZero,
		FirstChange: &accrual.Bound{Up: rate.MustPercent("2"), Down: rate.MustPercent("2")}}
	_, _ = e.Board(ctx, "ARM-1", req, keyEx("board-arm"))
	_, _ = e.PostPayment(ctx, "ARM-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, err := e.ResetIndex(ctx, "ARM-1", date.New(2024, 3, 15), rate.MustPercent("4.10"), keyEx("reset"))
	s, _ := e.State(ctx, "ARM-1", date.New(2024, 3, 15))
	fmt.Println(err, s.Rate, s.Payment)
	// Output:
	// <nil> 6.8750% 1313.45
}

// An SCRA cap (50 U.S.C. 3937) at 4% from 1 Feb: March's interest is
// 200,000.00 × 4% / 12 = 666.67, the 333.33 above the cap is forgiven, and
// the rest of the 1,199.10 payment, 532.43, reduces principal.
func ExampleEngine_CapRate() {
	e, ctx := exampleEngine()
	_, err := e.CapRate(ctx, "MTG-1", date.New(2024, 2, 1), loan.RateCapped{Max: rate.MustPercent("4"), To: date.New(2025, 2, 1)}, keyEx("scra"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 3, 1))
	fmt.Println(err, s.PaidInterest, s.InterestForgiven, s.Principal)
	// Output:
	// <nil> 666.67 333.33 199467.57
}

// A tax bill paid from an empty escrow account is an escrow advance
// (Reg X §1024.17(k)), recovered from later payments.
func ExampleEngine_DisburseEscrow() {
	e, ctx := exampleEngine()
	_, err := e.DisburseEscrow(ctx, "MTG-1", date.New(2024, 2, 20), loan.EscrowDisbursed{Amount: usdEx("1450.00"), Payee: "county tax"}, keyEx("tax"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 2, 20))
	fmt.Println(err, s.Escrow, s.EscrowAdvance)
	// Output:
	// <nil> 0.00 1450.00
}

// A servicer's correction lowers principal by 100.00.
func ExampleEngine_Adjust() {
	e, ctx := exampleEngine()
	_, err := e.Adjust(ctx, "MTG-1", date.New(2024, 2, 1), loan.Adjustment{Bucket: loan.BalancePrincipal, Amount: usdEx("-100.00")}, keyEx("adj"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 2, 1))
	fmt.Println(err, s.Principal)
	// Output:
	// <nil> 199900.00
}

// Charged off with interest stopped: the 200,359.76 written off (principal
// and six late fees) grows no further, so a 50,000.00 recovery leaves
// 150,359.76.
func ExampleEngine_ChargeOffWith() {
	e, ctx := exampleEngine()
	_, err := e.ChargeOffWith(ctx, "MTG-1", date.New(2024, 9, 1), servicing.ChargeOffOptions{Behavior: delinquency.ChargeOffStopInterest}, keyEx("co"))
	_, _ = e.Recover(ctx, "MTG-1", date.New(2024, 10, 1), usdEx("50000.00"), keyEx("rec"))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, 10, 1))
	fmt.Println(err, s.Status, s.ChargeOff, s.ChargedOff)
	// Output:
	// <nil> charged_off stop_interest 150359.76
}

// A month-end series of the portfolio, and its aging on the last date:
// March and April paid, May not, so on 31 May the loan is 30 days past due
// (1 May) in the 30-59 bucket with 199,600.80 unpaid.
func ExampleEngine_Series() {
	e, ctx := exampleEngine()
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 4, 1), usdEx("1199.10"), keyEx("p2"))
	ends := []date.Date{date.New(2024, 3, 31), date.New(2024, 4, 30), date.New(2024, 5, 31)}
	series, _ := e.Series(ctx, []servicing.LoanID{"MTG-1"}, ends, time.Time{})
	for _, sn := range series {
		s := sn.States["MTG-1"]
		fmt.Println(sn.On, s.Principal, s.DaysPastDue())
	}
	ag, _ := report.AgingOf([]loan.State{series[2].States["MTG-1"]})
	for _, b := range ag.Buckets {
		if b.Count > 0 {
			fmt.Println(b.Name, b.Count, b.UPB)
		}
	}
	// Output:
	// 2024-03-31 199800.90 0
	// 2024-04-30 199600.80 0
	// 2024-05-31 199600.80 30
	// 30-59 1 199600.80
}

// The portfolio on 10 Apr as known when March's payment was recorded, and
// as known now (April's payment recorded since): 199,800.90, 199,600.80.
func ExampleEngine_Snapshot() {
	e, ctx := exampleEngine()
	r, _ := e.PostPayment(ctx, "MTG-1", date.New(2024, 3, 1), usdEx("1199.10"), keyEx("p1"))
	_, _ = e.PostPayment(ctx, "MTG-1", date.New(2024, 4, 1), usdEx("1199.10"), keyEx("p2"))
	ids := []servicing.LoanID{"MTG-1"}
	then, _ := e.Snapshot(ctx, ids, date.New(2024, 4, 10), r.Events[0].RecordedAt)
	now, _ := e.Snapshot(ctx, ids, date.New(2024, 4, 10), time.Time{})
	fmt.Println(then.States["MTG-1"].Principal, now.States["MTG-1"].Principal)
	// Output:
	// 199800.90 199600.80
}
