package servicing_test

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

func d(y int, m time.Month, day int) date.Date { return date.New(y, m, day) }

// mortgage is a 30-year fixed 6% loan of 200,000.00 funded 2024-01-15,
// first due 2024-03-01 (the odd days of January prepaid at closing). The
// payment 1,199.10 is the standard level payment 200000·0.005/(1−1.005^−360)
// = 1199.101... (any mortgage table). Late fee: 5% of the periodic payment
// after 15 days of grace.
func mortgage() loan.Terms {
	return loan.Terms{
		Terms: amortize.Terms{
			Principal: usd("200000.00"), AnnualRate: rate.MustPercent("6"), Installments: 360,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			FundingDate: d(2024, 1, 15), FirstDueDate: d(2024, 3, 1),
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic, OddFirstPeriod: amortize.OddPrepaid,
			DayCount:         accrual.DayCount{Convention: accrual.Thirty360US},
			InterestRounding: money.HalfAwayFromZero, PaymentRounding: money.HalfAwayFromZero,
			Payment: usd("1199.10"),
		},
		Accrual: loan.AccrualScheduled, EscrowPayment: usd("0.00"),
		Delinquency: policy(&delinquency.LateFeePolicy{GraceDays: 15, Method: delinquency.FeePercentPITI,
			PercentBasisPoints: 500, Rounding: money.HalfAwayFromZero, Minimum: usd("0.00"), Maximum: usd("0.00")}),
	}
}

// policy is delinquency's FFIEC closed-end policy with late fee lf.
func policy(lf *delinquency.LateFeePolicy) delinquency.Policy {
	p := delinquency.StandardPolicy(delinquency.ClosedEnd)
	p.LateFee = lf
	return p
}

// ladder puts terms on the status ladder sp.
func ladder(t loan.Terms, sp delinquency.StatusPolicy) loan.Terms {
	t.Delinquency.Status, t.Ladder = sp, true
	return t
}

// autoLoan is the Federal Reserve daily-simple-interest example: 18,800.00
// at 9% over 48 months, payment 467.84.
func autoLoan() loan.Terms {
	return loan.Terms{
		Terms: amortize.Terms{
			Principal: usd("18800.00"), AnnualRate: rate.MustPercent("9"), Installments: 48,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			FundingDate: d(2024, 1, 1), FirstDueDate: d(2024, 2, 1),
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestDaily,
			DayCount:         accrual.DayCount{Convention: accrual.Act365Fixed},
			InterestRounding: money.HalfAwayFromZero, PaymentRounding: money.HalfAwayFromZero,
			Payment: usd("467.84"),
		},
		Accrual: loan.AccrualDailySimple, EscrowPayment: usd("0.00"),
		Delinquency: policy(nil),
	}
}

// log builds events with consecutive seqs from the boarding event.
type log struct {
	terms  loan.Terms
	events []loan.Event
}

func newLog(t loan.Terms) *log {
	l := &log{terms: t}
	l.add(t.FundingDate, loan.Boarded{Terms: t, Rules: loan.RulesVersion})
	return l
}

func (l *log) add(on date.Date, p loan.Payload) int64 {
	seq := int64(len(l.events) + 1)
	l.events = append(l.events, loan.Event{Seq: seq, Kind: p.Kind(), EffectiveOn: on,
		RecordedAt: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Second), Payload: p})
	return seq
}

func (l *log) pay(on date.Date, amt string) int64 {
	return l.add(on, loan.PaymentReceived{Amount: usd(amt)})
}

func (l *log) replay(t *testing.T, asOf date.Date) loan.State {
	t.Helper()
	s, err := loan.Replay(l.terms, l.events, asOf)
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	return s
}

func mustMinor(m int64) money.Amount { return money.MustNew(m, money.USD) }
