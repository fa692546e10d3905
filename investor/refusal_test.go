package investor

import (
	"errors"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func TestPoolRefusals(t *testing.T) {
	p := Pool{ServicingFeeRate: rate.MustPercent("-0.25"), GuarantyFeeRate: rate.MustPercent("-0.01")}
	err := p.Validate()
	require.ErrorIs(t, err, ErrInvalidInput)
	require.ErrorIs(t, err, field.ErrRequired)
	require.Equal(t, []string{"Pool.Method", "Pool.ServicingFeeRate", "Pool.GuarantyFeeRate", "Pool.FeeRounding"}, field.Fields(err))

	p = pool("monthly")
	p.FeeRounding = "nearest"
	err = p.Validate()
	require.ErrorIs(t, err, field.ErrNotSupported)
	require.Equal(t, []string{"Pool.Method", "Pool.FeeRounding"}, field.Fields(err))
	require.NoError(t, pool(ActualActual).Validate())

	// Remit validates the pool too, with the month's problems.
	_, err = Remit(Pool{}, Month{From: apr1, To: mar1})
	require.Equal(t, []string{"Pool.Method", "Pool.FeeRounding", "Month.To"}, field.Fields(err))
}

// Every bad field of a month's loans is named at once.
func TestLoanRefusals(t *testing.T) {
	good := march()[0] // A: 120,000.00 at 6 %, the installment 119.46 + 600.00 paid
	bad := func(f func(*LoanMonth)) LoanMonth { lm := good; f(&lm); return lm }
	loans := []LoanMonth{
		// [0] a note rate of 0.70 % below the fees 0.25 % + 0.50 %.
		bad(func(l *LoanMonth) { l.LoanID = "L0"; l.NoteRate = rate.MustPercent("0.7") }),
		// [1] a duplicate id; [2] none.
		bad(func(l *LoanMonth) { l.LoanID = "L0" }),
		bad(func(l *LoanMonth) { l.LoanID = "" }),
		// [3] a negative amount and one in euros.
		bad(func(l *LoanMonth) {
			l.LoanID = "L3"
			l.ScheduledInterest = usd("-1.00")
			l.Curtailment = money.MustParse("1.00", money.EUR)
		}),
		// [4] scheduled principal above the balance.
		bad(func(l *LoanMonth) { l.LoanID = "L4"; l.ScheduledPrincipal = usd("120000.01") }),
		// [5] a curtailment above what is left (120,000.00 − 119.46 =
		// 119,880.54), more principal and interest collected than due.
		bad(func(l *LoanMonth) {
			l.LoanID = "L5"
			l.Curtailment = usd("119880.55")
			l.CollectedPrincipal = usd("119.47")
			l.CollectedInterest = usd("600.01")
		}),
		// [6] payoff figures on a loan not paid off.
		bad(func(l *LoanMonth) {
			l.LoanID = "L6"
			l.PayoffPrincipal, l.PayoffInterest, l.PayoffOn = usd("1.00"), usd("1.00"), mar1
		}),
		// [7] a payoff dated after the month, short of the balance left
		// (119,880.54), and not collecting the month's installment.
		bad(func(l *LoanMonth) {
			l.LoanID = "L7"
			l.PaidOff, l.PayoffOn = true, apr1
			l.PayoffPrincipal = usd("119880.53")
			l.CollectedPrincipal, l.CollectedInterest = usd("0"), usd("0")
		}),
	}
	_, err := Remit(pool(ScheduledScheduled), Month{From: mar1, To: apr1, Loans: loans})
	require.ErrorIs(t, err, ErrInvalidInput)
	require.ErrorIs(t, err, field.ErrOutOfRange)
	require.Equal(t, []string{
		"Month.Loans[0].NoteRate",
		"Month.Loans[1].LoanID",
		"Month.Loans[2].LoanID",
		"Month.Loans[3].ScheduledInterest", "Month.Loans[3].Curtailment",
		"Month.Loans[4].ScheduledPrincipal",
		"Month.Loans[5].Curtailment", "Month.Loans[5].CollectedPrincipal", "Month.Loans[5].CollectedInterest",
		"Month.Loans[6].PayoffPrincipal", "Month.Loans[6].PayoffInterest", "Month.Loans[6].PayoffOn",
		"Month.Loans[7].PayoffOn", "Month.Loans[7].PayoffPrincipal", "Month.Loans[7].CollectedPrincipal", "Month.Loans[7].CollectedInterest",
	}, field.Fields(err))
	var fe *field.Error
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "Month.Loans[0].NoteRate", fe.Field)

	// A note rate equal to the fees is a net rate of zero: allowed.
	zero := bad(func(l *LoanMonth) {
		l.NoteRate = rate.MustPercent("0.75")
		l.ScheduledInterest = usd("75.00")
		l.CollectedInterest = usd("75.00")
	})
	r, err := Remit(pool(ScheduledScheduled), Month{From: mar1, To: apr1, Loans: []LoanMonth{zero}})
	require.NoError(t, err)
	require.True(t, r.Loans[0].NetRate.IsZero())
}

// A carry that does not continue the pool is refused, each field named.
func TestCarryRefusals(t *testing.T) {
	p := pool(ScheduledScheduled)
	mar, err := Remit(p, Month{From: mar1, To: apr1, Loans: march()})
	require.NoError(t, err)

	c := mar.Carry
	c.Method = ActualActual
	c.To = date.New(2024, 3, 31)
	c.Loans = append([]LoanCarry(nil), c.Loans...)
	c.Loans[0], c.Loans[1] = c.Loans[1], c.Loans[0] // B before A
	c.Loans[0].AdvancedPrincipal = usd("0.00")      // B's 180.81 principal advance dropped
	apr := april()[:2]                              // C, still owing 94,918.03, left out
	apr[0].ScheduledBalance = usd("119880.55")      // A's carried balance is 119,880.54
	_, err = Remit(p, Month{From: apr1, To: may1, Loans: apr, Prior: c})
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{
		"Month.Prior.Method", "Month.Prior.To",
		"Month.Prior.Loans[0].AdvancedPrincipal", "Month.Prior.Loans[1].LoanID",
		"Month.Loans[0].ScheduledBalance",
		"Month.Prior.Loans[2]",
	}, field.Fields(err))

	// B's April collections beyond what it owes (March's and April's
	// installments) are refused as paid ahead: 2,165.68 + 0.01 interest.
	apr = april()
	apr[1].CollectedInterest = usd("2165.69")
	_, err = Remit(p, Month{From: apr1, To: may1, Loans: apr, Prior: mar.Carry})
	require.Equal(t, []string{"Month.Loans[1].CollectedInterest"}, field.Fields(err))

	// A payoff must collect the installments a loan still owes: B paying
	// off in April without March's 180.81 principal is refused.
	apr = april()
	apr[1].PaidOff, apr[1].PayoffOn = true, date.New(2024, 4, 20)
	apr[1].CollectedPrincipal, apr[1].CollectedInterest = usd("181.79"), usd("2165.68")
	apr[1].PayoffPrincipal = usd("199637.40")
	_, err = Remit(p, Month{From: apr1, To: may1, Loans: apr, Prior: mar.Carry})
	require.Equal(t, []string{"Month.Loans[1].CollectedPrincipal"}, field.Fields(err))
}
