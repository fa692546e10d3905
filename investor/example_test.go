package investor_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"time"

	"github.com/lendcore/servicing/investor"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

// march is a two-loan pool's March: A (120,000.00 at 6 %) pays its
// installment, B (200,000.00 at 6.5 %) pays nothing.
func march() investor.Month {
	return investor.Month{From: date.New(2024, 3, 1), To: date.New(2024, 4, 1), Loans: []investor.LoanMonth{
		{LoanID: "A", NoteRate: rate.MustPercent("6"), ScheduledBalance: usd("120000.00"),
			ScheduledPrincipal: usd("119.46"), ScheduledInterest: usd("600.00"),
			CollectedPrincipal: usd("119.46"), CollectedInterest: usd("600.00")},
		{LoanID: "B", NoteRate: rate.MustPercent("6.5"), ScheduledBalance: usd("200000.00"),
			ScheduledPrincipal: usd("180.81"), ScheduledInterest: usd("1083.33")},
	}}
}

// The same month under the three remittance types, with a 0.25 %
// servicing fee and a 0.50 % guaranty fee: A's 719.46 is 644.46 to the
// investor (119.46 principal, 600.00 − 25.00 − 50.00 = 525.00 interest),
// 25.00 kept, 50.00 to the guarantor. B's unpaid installment is advanced:
// under S/S its principal 180.81, net interest 1,083.33 − 41.67 − 83.33 =
// 958.33 and guaranty fee 83.33 (1,222.47); under S/A the interest only
// (1,041.66); under A/A nothing. Every month ties out: collected =
// remitted + retained + guaranty fee + recovered − advanced.
func ExampleRemit() {
	for _, m := range []investor.Method{investor.ScheduledScheduled, investor.ScheduledActual, investor.ActualActual} {
		p := investor.Pool{Method: m, ServicingFeeRate: rate.MustPercent("0.25"), GuarantyFeeRate: rate.MustPercent("0.5"),
			FeeRounding: money.HalfUp}
		r, err := investor.Remit(p, march())
		if err != nil {
			fmt.Println(err)
			return
		}
		t := r.Totals
		fmt.Println(m, t.Collected, t.Remitted, t.Retained, t.GuarantyFee, t.Advanced, r.Reconciliation.Check())
	}
	// Output:
	// scheduled_scheduled 719.46 1783.60 25.00 133.33 1222.47 <nil>
	// scheduled_actual 719.46 1602.79 25.00 133.33 1041.66 <nil>
	// actual_actual 719.46 644.46 25.00 50.00 0.00 <nil>
}

// A remittance is a table of labelled columns, ready for CSV: one row per
// loan, then the totals.
func ExampleRemittance_Rows() {
	p := investor.Pool{Method: investor.ScheduledActual, ServicingFeeRate: rate.MustPercent("0.25"),
		GuarantyFeeRate: rate.MustPercent("0.5"), FeeRounding: money.HalfUp}
	r, _ := investor.Remit(p, march())
	w := csv.NewWriter(os.Stdout)
	_ = w.Write(r.Header()[:13])
	for _, row := range r.Rows() {
		_ = w.Write(row[:13])
	}
	w.Flush()
	// Output:
	// loan_id,note_rate,net_rate,paid_off,delinquent,scheduled_balance,ending_balance,collected,remitted_principal,remitted_interest,remitted,retained,guaranty_fee
	// A,0.06,0.0525,false,false,120000.00,119880.54,719.46,119.46,525.00,644.46,25.00,50.00
	// B,0.065,0.0575,false,true,200000.00,199819.19,0.00,0.00,958.33,958.33,0.00,83.33
	// total,,,,,320000.00,319699.73,719.46,119.46,1483.33,1602.79,25.00,133.33
}

// FromStates reads a loan's month from its states: a 200,000.00 loan at 6
// % that paid March and missed April. April's installment (999.00 interest
// on 199,800.90, 200.10 principal) was not collected, so an S/S pool
// advances 200.10 + 874.12 net interest + 83.25 guaranty fee.
func ExampleFromStates() {
	b, err := loan.ParseBoarding([]byte(`{
	  "terms": {
	    "currency": "USD", "principal": "200000.00", "annual_rate": "6%", "installments": 360,
	    "frequency": {"unit": "month", "every": 1}, "eom": "anchor",
	    "funding_date": "2024-01-15", "first_due_date": "2024-03-01",
	    "shape": "level", "interest_method": "periodic", "odd_first_period": "prepaid",
	    "day_count": {"convention": "30U_360_EOM"},
	    "interest_rounding": "half_away_from_zero", "payment_rounding": "half_away_from_zero",
	    "accrual": "scheduled", "escrow_payment": "0.00",
	    "delinquency": {"recognition": "full", "method": "days_past_due",
	      "status": {"delinquent_days": 1, "default_days": 90, "non_accrual_days": 90, "charge_off_days": 120, "charge_off": "regular"}}
	  },
	  "borrower": "BRW-1"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	terms, _ := b.Terms.Normalized()
	at := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	events := []loan.Event{
		{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: terms.FundingDate, RecordedAt: at, Payload: loan.Boarded{Terms: terms, Rules: loan.RulesVersion}},
		{Seq: 2, Kind: loan.KindPaymentReceived, EffectiveOn: date.New(2024, 3, 1), RecordedAt: at, Payload: loan.PaymentReceived{Amount: usd("1199.10")}},
	}
	start, _ := loan.Replay(terms, events, date.New(2024, 3, 31))
	end, _ := loan.Replay(terms, events, date.New(2024, 4, 30))
	lm, err := investor.FromStates("L1", start, end)
	fmt.Println(lm.ScheduledBalance, lm.ScheduledPrincipal, lm.ScheduledInterest, lm.CollectedPrincipal, lm.CollectedInterest, err)

	p := investor.Pool{Method: investor.ScheduledScheduled, ServicingFeeRate: rate.MustPercent("0.25"),
		GuarantyFeeRate: rate.MustPercent("0.5"), FeeRounding: money.HalfUp}
	r, err := investor.Remit(p, investor.Month{From: date.New(2024, 4, 1), To: date.New(2024, 5, 1), Loans: []investor.LoanMonth{lm}})
	fmt.Println(r.Totals.AdvancedPrincipal, r.Totals.AdvancedInterest, r.Carry.Loans[0].UnpaidNetInterest, err)
	// Output:
	// 199800.90 200.10 999.00 0.00 0.00 <nil>
	// 200.10 957.37 874.12 <nil>
}
