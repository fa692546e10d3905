package delinquency

import (
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func TestDateBounds(t *testing.T) {
	require.Equal(t, date.New(1900, 1, 1), MinDate)
	require.Equal(t, date.New(2199, 12, 31), MaxDate)
}

func TestLoanValidation(t *testing.T) {
	good := func(t *testing.T) Loan { return loanOf(monthly(t, 2024, time.January, 3, "900.00", "100.00", "0.00")) }
	eur := money.MustNew(100, money.MustCurrency("EUR"))
	tests := []struct {
		name   string
		mutate func(l *Loan)
		fields []string
	}{
		{"no currency", func(l *Loan) { l.Currency = money.Currency{} }, []string{"Loan.Currency"}},
		{"no installments", func(l *Loan) { l.Installments = nil }, []string{"Loan.Installments"}},
		{"seq and date order", func(l *Loan) {
			l.Installments[1].Seq = 1
			l.Installments[2].DueDate = l.Installments[0].DueDate
		}, []string{"Loan.Installments[1].Seq", "Loan.Installments[2].DueDate"}},
		{"zero date", func(l *Loan) { l.Installments[0].DueDate = 0 }, []string{"Loan.Installments[0].DueDate"}},
		{"negative and foreign amounts", func(l *Loan) {
			l.Installments[0].Principal = money.MustNew(-1, money.USD)
			l.Installments[1].Escrow = eur
		}, []string{"Loan.Installments[0].Principal", "Loan.Installments[1].Escrow"}},
		{"bad credit", func(l *Loan) {
			l.Installments[2].Credits = []Credit{{ReceivedOn: date.New(2300, 1, 1), Fees: money.MustNew(-5, money.USD)}}
		}, []string{"Loan.Installments[2].Credits[0].ReceivedOn", "Loan.Installments[2].Credits[0].Fees"}},
		{"late fee state", func(l *Loan) { l.Installments[0].LateFee = "maybe" }, []string{"Loan.Installments[0].LateFee"}},
		{"pause", func(l *Loan) {
			l.Pauses = []Pause{{From: date.New(2024, 2, 1), To: date.New(2024, 1, 1)}}
		}, []string{"Loan.Pauses[0].Kind", "Loan.Pauses[0].To"}},
		{"records", func(l *Loan) {
			bad := date.Date(5)
			l.ReAgedOn = []date.Date{0}
			l.ChargedOffOn, l.ClosedOn = &bad, &bad
		}, []string{"Loan.ReAgedOn[0]", "Loan.ChargedOffOn", "Loan.ClosedOn"}},
		{"total too large", func(l *Loan) {
			for i := range l.Installments {
				l.Installments[i].Principal = money.MustNew(money.MaxMinor, money.USD)
			}
		}, []string{"Loan.Installments"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := good(t)
			tc.mutate(&l)
			err := l.Validate()
			require.ErrorIs(t, err, ErrInvalidLoan)
			require.Equal(t, tc.fields, field.Fields(err))
			_, err = New(l, StandardPolicy(ClosedEnd))
			require.ErrorIs(t, err, ErrInvalidLoan)
			_, err = Assess(l, StandardPolicy(ClosedEnd), date.New(2024, 1, 1))
			require.ErrorIs(t, err, ErrInvalidLoan)
		})
	}
	require.NoError(t, good(t).Validate())
}

func TestPolicyValidation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Policy)
		fields []string
	}{
		{"zero policy", func(p *Policy) { *p = Policy{} }, []string{"Policy.Recognition", "Policy.Method",
			"Policy.Status.DelinquentDays", "Policy.Status.DefaultDays", "Policy.Status.NonAccrualDays",
			"Policy.Status.ChargeOffDays", "Policy.Status.ChargeOff"}},
		{"unknown enums", func(p *Policy) { p.Recognition, p.Method = "both", "fico" }, []string{"Policy.Recognition", "Policy.Method"}},
		{"two tolerances", func(p *Policy) {
			p.ToleranceAmount, p.TolerancePercentBps = money.MustNew(500, money.USD), 10
		}, []string{"Policy.TolerancePercentBps"}},
		{"tolerance range", func(p *Policy) {
			p.ToleranceAmount, p.TolerancePercentBps = money.MustNew(-1, money.USD), 10001
		}, []string{"Policy.ToleranceAmount", "Policy.TolerancePercentBps", "Policy.TolerancePercentBps"}},
		{"buckets", func(p *Policy) {
			p.Buckets = []AgingBucket{{Name: "a", MinDays: 1}, {Name: "a", MinDays: 1}, {MinDays: 5}}
		}, []string{"Policy.Buckets[0].MinDays", "Policy.Buckets[1].Name", "Policy.Buckets[1].MinDays", "Policy.Buckets[2].Name"}},
		{"empty buckets", func(p *Policy) { p.Buckets = []AgingBucket{} }, []string{"Policy.Buckets"}},
		{"threshold order", func(p *Policy) {
			p.Status.DefaultDays, p.Status.DelinquentDays, p.Status.ChargeOffDays = 10, 20, 15
		}, []string{"Policy.Status.DefaultDays", "Policy.Status.ChargeOffDays"}},
		{"late fee flat", func(p *Policy) {
			p.LateFee = &LateFeePolicy{GraceDays: -1, Method: FeeFlat, PercentBasisPoints: 5,
				Minimum: money.MustNew(500, money.USD), Maximum: money.MustNew(100, money.USD)}
		}, []string{"Policy.LateFee.GraceDays", "Policy.LateFee.Maximum", "Policy.LateFee.FlatAmount", "Policy.LateFee.PercentBasisPoints"}},
		{"late fee percent", func(p *Policy) {
			p.LateFee = &LateFeePolicy{Method: FeePercentPI, FlatAmount: money.MustNew(1, money.USD)}
		}, []string{"Policy.LateFee.PercentBasisPoints", "Policy.LateFee.FlatAmount", "Policy.LateFee.Rounding"}},
		{"late fee method", func(p *Policy) { p.LateFee = &LateFeePolicy{} }, []string{"Policy.LateFee.Method"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := StandardPolicy(ClosedEnd)
			tc.mutate(&p)
			err := p.Validate()
			require.ErrorIs(t, err, ErrInvalidPolicy)
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
			require.Equal(t, tc.fields, field.Fields(err))
		})
	}
	require.NoError(t, StandardPolicy(OpenEnd).Validate())

	// Loan currency is enforced on policy amounts through New.
	p := StandardPolicy(ClosedEnd)
	p.ToleranceAmount = money.MustNew(100, money.MustCurrency("EUR"))
	_, err := New(loanOf(monthly(t, 2024, time.January, 1, "1.00", "0.00", "0.00")), p)
	require.ErrorIs(t, err, ErrInvalidPolicy)
	require.Equal(t, []string{"Policy.ToleranceAmount"}, field.Fields(err))
}

// TestEvaluatorOwnsItsInputs: changing the caller's slices after New does not
// change answers.
func TestEvaluatorOwnsItsInputs(t *testing.T) {
	ins := monthly(t, 2024, time.January, 3, "900.00", "100.00", "0.00")
	pay(t, ins, 1, "2024-01-01", "1000.00")
	p := StandardPolicy(ClosedEnd)
	p.LateFee = &LateFeePolicy{Method: FeeFlat, FlatAmount: usd(t, "5.00")}
	e := mustNew(t, loanOf(ins), p)
	ins[0].Credits[0].Principal = usd(t, "0.00")
	p.LateFee.FlatAmount = usd(t, "99.00")
	require.Equal(t, 0, e.DaysPastDue(d("2024-01-20")))
	got, _ := e.LateFee(2, d("2024-02-10"))
	require.Equal(t, "5.00", got.Amount.String())
	require.Len(t, e.Buckets(), 7)
	require.Equal(t, "180+", e.Bucket(10000).Name)
	require.Equal(t, "current", e.Bucket(-3).Name)
}
