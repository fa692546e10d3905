package delinquency_test

import (
	"errors"
	"fmt"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

// The Reg X §1024.31 example: January's payment is missed and a payment on
// Feb 3 is applied to January, so on Feb 4 the loan is 3 days past due
// (measured from February's due date), while the episode's date of first
// delinquency stays Jan 1.
func Example() {
	loan := delinquency.Loan{Currency: money.USD}
	for i, due := range []string{"2024-01-01", "2024-02-01", "2024-03-01"} {
		loan.Installments = append(loan.Installments, delinquency.Installment{
			Seq: i + 1, DueDate: date.MustParseISO(due),
			Principal: usd("600.00"), Interest: usd("250.00"), Escrow: usd("150.00"),
		})
	}
	loan.Installments[0].Credits = []delinquency.Credit{{
		ReceivedOn: date.MustParseISO("2024-02-03"),
		Principal:  usd("600.00"), Interest: usd("250.00"), Escrow: usd("150.00"),
	}}
	policy := delinquency.StandardPolicy(delinquency.ClosedEnd)
	policy.LateFee = &delinquency.LateFeePolicy{GraceDays: 15, Method: delinquency.FeePercentPI,
		PercentBasisPoints: 500, Rounding: money.HalfUp}

	e, err := delinquency.New(loan, policy)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, day := range []string{"2024-01-31", "2024-02-04"} {
		a := e.Assess(date.MustParseISO(day))
		fmt.Printf("%s: %d DPD, bucket %s, since %s, to bring current %s\n",
			day, a.DPD, a.Bucket.Name, a.DelinquentSince, a.BringCurrent)
	}
	fee, _ := e.LateFee(1, date.MustParseISO("2024-02-04"))
	fmt.Printf("January late fee: %s (%s, from %s)\n", fee.Amount, fee.Reason, fee.ChargeableOn)
	m, _ := e.Milestones(date.MustParseISO("2024-02-04"))
	fmt.Println("first foreclosure filing allowed on", m.FirstFilingEligibleOn)
	st, _ := e.Status(date.MustParseISO("2024-02-04"))
	fmt.Println("status", st.Status, "first delinquent on", st.Episode.FirstDelinquentOn)
	// Output:
	// 2024-01-31: 30 DPD, bucket 30-59, since 2024-01-01, to bring current 1000.00
	// 2024-02-04: 3 DPD, bucket 1-29, since 2024-02-01, to bring current 1000.00
	// January late fee: 42.50 (late, from 2024-01-17)
	// first foreclosure filing allowed on 2024-06-01
	// status delinquent first delinquent on 2024-01-01
}

// FFIEC partial payments: $300 due monthly, $150 paid each month. Pooling
// the partial payments (aggregate method) leaves 3 payments past due after six
// months; under the 90 % method every $150 payment falls short, so all 6 are.
func ExampleRecognition() {
	loan := delinquency.Loan{Currency: money.USD}
	for i, s := range []string{"2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"} {
		due := date.MustParseISO(s)
		in := delinquency.Installment{Seq: i + 1, DueDate: due, Principal: usd("250.00"), Interest: usd("50.00")}
		in.Credits = []delinquency.Credit{{ReceivedOn: due, Interest: usd("50.00"), Principal: usd("100.00")}}
		loan.Installments = append(loan.Installments, in)
	}
	for _, r := range []delinquency.Recognition{delinquency.RecognizeAggregate, delinquency.RecognizeNinetyPercent} {
		p := delinquency.StandardPolicy(delinquency.ClosedEnd)
		p.Recognition = r
		a, _ := delinquency.Assess(loan, p, date.MustParseISO("2024-06-02"))
		fmt.Printf("%s: %d payments past due, %d DPD\n", r, a.PaymentsPastDue, a.DPD)
	}
	// Output:
	// aggregate: 3 payments past due, 62 DPD
	// ninety_percent: 6 payments past due, 153 DPD
}

func ExampleProfile_Check() {
	p := delinquency.LateFeePolicy{GraceDays: 10, Method: delinquency.FeePercentPastDue,
		PercentBasisPoints: 500, Rounding: money.HalfUp}
	err := delinquency.HighCostMortgage().Check(p)
	fmt.Println(errors.Is(err, delinquency.ErrProfileViolation))
	fmt.Println(err)
	// Output:
	// true
	// delinquency: late-fee policy violates regulatory profile: LateFee.PercentBasisPoints: out of range (500): above the cap of profile hoepa
	// LateFee.GraceDays: out of range (10): below the minimum of profile hoepa
}

func ExampleCanReAge() {
	err := delinquency.CanReAge(delinquency.ReAgeRequest{
		AsOf:           date.MustParseISO("2024-07-01"),
		OpenedOn:       date.MustParseISO("2024-01-15"),
		MinimumPayment: usd("100.00"),
		Payments:       []delinquency.Payment{{ReceivedOn: date.MustParseISO("2024-06-20"), Amount: usd("300.00")}},
	})
	fmt.Println(errors.Is(err, delinquency.ErrReAgeRefused), errors.Is(err, delinquency.ErrAccountTooNew),
		errors.Is(err, delinquency.ErrTooFewPayments))
	// Output:
	// true true false
}
