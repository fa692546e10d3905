package delinquency

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestRegX_Feb3Example is the Reg X §1024.31 comment example (RULES.md,
// "Definition of delinquency"): the Jan 1 payment is missed, so the loan is
// 30 days delinquent on Jan 31; a payment on Feb 3 is applied to January, so
// on Feb 4 the oldest unpaid payment is February's and DPD is 3.
func TestRegX_Feb3Example(t *testing.T) {
	ins := monthly(t, 2024, time.January, 3, "800.00", "200.00", "0.00")
	pay(t, ins, 1, "2024-02-03", "1000.00")
	e := mustNew(t, loanOf(ins), StandardPolicy(ClosedEnd))
	tests := []struct {
		asOf  string
		dpd   int
		since string
	}{
		{"2024-01-01", 0, ""},           // due, not past due
		{"2024-01-02", 1, "2024-01-01"}, // Jan 2 − Jan 1
		{"2024-01-31", 30, "2024-01-01"},
		{"2024-02-02", 32, "2024-01-01"}, // 31 days of January + 1
		{"2024-02-03", 2, "2024-02-01"},  // credited as of receipt (Reg Z 1026.36(c)(1))
		{"2024-02-04", 3, "2024-02-01"},  // the rule's example
	}
	for _, tc := range tests {
		t.Run(tc.asOf, func(t *testing.T) {
			require.Equal(t, tc.dpd, e.DaysPastDue(d(tc.asOf)))
			a := e.Assess(d(tc.asOf))
			require.Equal(t, tc.dpd, a.DPD)
			require.Equal(t, tc.since != "", a.Delinquent)
			if tc.since != "" {
				require.Equal(t, d(tc.since), a.DelinquentSince)
			}
		})
	}
}

// TestFFIEC_PartialPayments is the FFIEC Uniform Retail Credit Classification
// example (65 FR 36903): $300 due monthly, $150 paid each month for six
// months is $900 short, i.e. 3 payments past due under the aggregate method.
// Under the 90 % method each $150 (50 %) counts for nothing, so all 6 are past
// due. Dates are ours: due 1 Jan – 1 Jun 2024, assessed 2 Jun 2024.
func TestFFIEC_PartialPayments(t *testing.T) {
	// The engine credited $150 to each installment on its due date.
	perInstallment := func(t *testing.T, amt string) []Installment {
		ins := monthly(t, 2024, time.January, 6, "250.00", "50.00", "0.00")
		for k := range ins {
			pay(t, ins, k+1, ins[k].DueDate.String(), amt)
		}
		return ins
	}
	// 2 Jun − 1 Apr = 30 (April) + 31 (May) + 1 = 62; 2 Jun − 1 Jan = 31+29+31+30+31+1 = 153.
	tests := []struct {
		name     string
		rec      Recognition
		amt      string
		count    int
		dpd      int
		toCure   string
		pastDueP string
	}{
		{"aggregate $150", RecognizeAggregate, "150.00", 3, 62, "900.00", "900.00"},
		{"ninety percent $150", RecognizeNinetyPercent, "150.00", 6, 153, "900.00", "900.00"},
		{"full $150", RecognizeFull, "150.00", 6, 153, "900.00", "900.00"},
		// $270 is exactly 90 % of $300: counts as full under method 1.
		{"ninety percent $270", RecognizeNinetyPercent, "270.00", 0, 0, "0.00", "180.00"},
		{"ninety percent $269.99", RecognizeNinetyPercent, "269.99", 6, 153, "180.06", "180.06"},
		// Aggregate $270: $180 short in total, less than one $300 payment,
		// so only June is past due (62 − 61 = 1 day: 2 Jun − 1 Jun).
		{"aggregate $270", RecognizeAggregate, "270.00", 1, 1, "180.00", "180.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := mustNew(t, loanOf(perInstallment(t, tc.amt)), policyWith(tc.rec, MethodDaysPastDue))
			a := e.Assess(d("2024-06-02"))
			require.Equal(t, tc.count, a.PaymentsPastDue)
			require.Equal(t, tc.dpd, a.DPD)
			moneytest.Equal(t, tc.toCure, a.ToCure)
			moneytest.Equal(t, tc.pastDueP, a.PastDue.Principal)
		})
	}
	t.Run("oldest-first application gives the same 3 under full recognition", func(t *testing.T) {
		ins := monthly(t, 2024, time.January, 6, "250.00", "50.00", "0.00")
		for k, on := range []string{"2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"} {
			pay(t, ins, k/2+1, on, "150.00")
		}
		a := mustNew(t, loanOf(ins), policyWith(RecognizeFull, MethodDaysPastDue)).Assess(d("2024-06-02"))
		require.Equal(t, 3, a.PaymentsPastDue)
		require.Equal(t, 62, a.DPD)
	})
}

func TestTolerance(t *testing.T) {
	tests := []struct {
		name  string
		amt   string
		bps   int64
		paid  string
		delin bool
	}{
		{"amount: $5 short is tolerated", "5.00", 0, "995.00", false},
		{"amount: $5.01 short is not", "5.00", 0, "994.99", true},
		{"percent: 0.5 % of 1000 = 5.00", "0.00", 50, "995.00", false},
		{"percent: 5.01 short is not", "0.00", 50, "994.99", true},
		{"none", "0.00", 0, "999.99", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ins := monthly(t, 2024, time.January, 2, "900.00", "100.00", "0.00")
			pay(t, ins, 1, "2024-01-01", tc.paid)
			p := StandardPolicy(ClosedEnd)
			p.ToleranceAmount, p.TolerancePercentBps = usd(t, tc.amt), tc.bps
			a := mustNew(t, loanOf(ins), p).Assess(d("2024-01-20"))
			require.Equal(t, tc.delin, a.Delinquent)
		})
	}
}

// TestMBAandOTS checks the reporting-method examples in RULES.md. AD&Co
// (Apr 2005): due Apr 1, nothing by Apr 30 → MBA 30 days, OTS current; nothing
// by May 31 → MBA 60, OTS 30. markettransfer.info "OTS Method": due Jul 1,
// unpaid at close of business Aug 1 → 30 days delinquent, reported current at
// the end of July and delinquent at the end of August.
func TestMBAandOTS(t *testing.T) {
	tests := []struct {
		name   string
		start  time.Month
		asOf   string
		method Method
		days   int
		bucket string
	}{
		{"Apr 30 MBA", time.April, "2024-04-30", MethodMBA, 30, "30-59"},
		{"Apr 30 OTS", time.April, "2024-04-30", MethodOTS, 0, "current"},
		{"Apr 29 MBA", time.April, "2024-04-29", MethodMBA, 0, "current"},
		{"May 31 MBA", time.April, "2024-05-31", MethodMBA, 60, "60-89"},
		{"May 31 OTS", time.April, "2024-05-31", MethodOTS, 30, "30-59"},
		{"Apr 30 plain days", time.April, "2024-04-30", MethodDaysPastDue, 29, "1-29"},
		{"Jul 31 OTS", time.July, "2024-07-31", MethodOTS, 0, "current"},
		{"Jul 31 MBA", time.July, "2024-07-31", MethodMBA, 30, "30-59"},
		{"Aug 1 OTS", time.July, "2024-08-01", MethodOTS, 30, "30-59"},
		{"Aug 31 OTS", time.July, "2024-08-31", MethodOTS, 30, "30-59"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ins := monthly(t, 2024, tc.start, 12, "900.00", "100.00", "0.00")
			a := mustNew(t, loanOf(ins), policyWith(RecognizeFull, tc.method)).Assess(d(tc.asOf))
			require.Equal(t, tc.days, a.Days)
			require.Equal(t, tc.method, a.Method)
			require.Equal(t, tc.bucket, a.Bucket.Name)
		})
	}
	t.Run("Nov 1 2006 MBA", func(t *testing.T) {
		// personal-finances-advisor: due Nov 1 2006, nothing by Nov 30 →
		// delinquent on the November statement under MBA, not under OTS.
		ins := monthly(t, 2006, time.November, 3, "900.00", "100.00", "0.00")
		require.Equal(t, 30, mustNew(t, loanOf(ins), policyWith(RecognizeFull, MethodMBA)).Assess(d("2006-11-30")).Days)
		require.Equal(t, 0, mustNew(t, loanOf(ins), policyWith(RecognizeFull, MethodOTS)).Assess(d("2006-11-30")).Days)
	})
	t.Run("a payment before the threshold keeps it current", func(t *testing.T) {
		ins := monthly(t, 2024, time.April, 3, "900.00", "100.00", "0.00")
		pay(t, ins, 1, "2024-04-29", "1000.00")
		require.Equal(t, 0, mustNew(t, loanOf(ins), policyWith(RecognizeFull, MethodMBA)).Assess(d("2024-04-30")).Days)
	})
}

func TestPastDueComponentsAndFees(t *testing.T) {
	ins := monthly(t, 2024, time.January, 3, "700.00", "200.00", "100.00")
	ins[0].Fees = usd(t, "50.00")
	// January: periodic paid in full on time, the $50 fee not paid.
	ins[0].Credits = []Credit{{ReceivedOn: d("2024-01-01"), Principal: usd(t, "700.00"), Interest: usd(t, "200.00"), Escrow: usd(t, "100.00")}}
	// February: interest and part of principal paid.
	ins[1].Credits = []Credit{{ReceivedOn: d("2024-02-05"), Principal: usd(t, "300.00"), Interest: usd(t, "200.00")}}
	e := mustNew(t, loanOf(ins), StandardPolicy(ClosedEnd))

	a := e.Assess(d("2024-01-20"))
	require.False(t, a.Delinquent, "fees never make an installment delinquent")
	require.Equal(t, 0, a.DPD)
	moneytest.Equal(t, "50.00", a.PastDue.Fees)
	moneytest.Equal(t, "0.00", a.ToCure)
	moneytest.Equal(t, "50.00", a.BringCurrent)

	a = e.Assess(d("2024-02-10"))
	require.Equal(t, 9, a.DPD) // Feb 10 − Feb 1
	moneytest.Equal(t, "400.00", a.PastDue.Principal)
	moneytest.Equal(t, "0.00", a.PastDue.Interest)
	moneytest.Equal(t, "100.00", a.PastDue.Escrow)
	moneytest.Equal(t, "50.00", a.PastDue.Fees)
	moneytest.Equal(t, "550.00", a.PastDue.Total())
	moneytest.Equal(t, "500.00", a.ToCure)
	moneytest.Equal(t, "550.00", a.BringCurrent)
}

// TestPauses documents how a pause stops DPD: days in [From, To) are not
// counted. Jan 1 missed, forbearance [Feb 1, Mar 1): DPD is 31 on Feb 1 and
// stays 31 through Mar 1, then grows again.
func TestPauses(t *testing.T) {
	ins := monthly(t, 2024, time.January, 6, "900.00", "100.00", "0.00")
	l := loanOf(ins)
	l.Pauses = []Pause{{Kind: Forbearance, From: d("2024-02-01"), To: d("2024-03-01")}}
	e := mustNew(t, l, StandardPolicy(ClosedEnd))
	for _, tc := range []struct {
		asOf   string
		dpd    int
		paused PauseKind
	}{
		{"2024-01-31", 30, ""}, {"2024-02-01", 31, Forbearance}, {"2024-02-15", 31, Forbearance},
		{"2024-02-29", 31, Forbearance}, {"2024-03-01", 31, ""}, {"2024-03-02", 32, ""},
	} {
		a := e.Assess(d(tc.asOf))
		require.Equal(t, tc.dpd, a.DPD, tc.asOf)
		require.Equal(t, tc.paused, a.Paused, tc.asOf)
	}
	m, ok := e.Milestones(d("2024-01-20"))
	require.True(t, ok)
	// DPD 36 without the pause would be Feb 6; 29 paused days push it to Mar 6.
	require.Equal(t, d("2024-03-06"), m.LiveContactBy)
}

func TestReAgeBringsCurrent(t *testing.T) {
	ins := monthly(t, 2024, time.January, 6, "900.00", "100.00", "0.00")
	l := loanOf(ins)
	l.ReAgedOn = []date.Date{d("2024-02-15")}
	e := mustNew(t, l, StandardPolicy(ClosedEnd))
	require.Equal(t, 44, e.DaysPastDue(d("2024-02-14"))) // Feb 14 − Jan 1
	require.Equal(t, 0, e.DaysPastDue(d("2024-02-15")))
	require.Equal(t, 0, e.DaysPastDue(d("2024-03-01")))
	require.Equal(t, 1, e.DaysPastDue(d("2024-03-02")))
	a := e.Assess(d("2024-03-02"))
	moneytest.Equal(t, "1000.00", a.PastDue.Total(), "re-aged installments leave the past-due amount")
	require.Equal(t, money.USD, a.ToCure.Currency())
}

// TestOldestUnpaid: $1,050 due monthly from 1 Jan 2024 with a $50
// tolerance; 1,000.00 paid on 5 Jan is within it, so January counts as paid
// and February (due 1 Feb) is the oldest unpaid; without the tolerance
// January is. Everything paid: none.
func TestOldestUnpaid(t *testing.T) {
	ins := monthly(t, 2024, time.January, 3, "900.00", "100.00", "50.00")
	pay(t, ins, 1, "2024-01-05", "1000.00")
	p := StandardPolicy(ClosedEnd)
	seq, due, ok := mustNew(t, loanOf(ins), p).OldestUnpaid(d("2024-01-20"))
	require.True(t, ok)
	require.Equal(t, 1, seq)
	require.Equal(t, d("2024-01-01"), due)
	p.ToleranceAmount = usd(t, "50.00")
	seq, due, ok = mustNew(t, loanOf(ins), p).OldestUnpaid(d("2024-01-20"))
	require.True(t, ok)
	require.Equal(t, 2, seq)
	require.Equal(t, d("2024-02-01"), due)
	for i := 2; i <= 3; i++ {
		pay(t, ins, i, ins[i-1].DueDate.String(), "1050.00")
	}
	_, _, ok = mustNew(t, loanOf(ins), p).OldestUnpaid(d("2024-03-20"))
	require.False(t, ok)
}
