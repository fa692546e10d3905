package notice_test

import (
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func d(y int, m time.Month, day int) date.Date { return date.New(y, m, day) }

// window checks a notice's kind, trigger and window.
func window(t *testing.T, n notice.Notice, kind notice.Kind, trigger, opens, due date.Date) {
	t.Helper()
	require.Equal(t, kind, n.Kind)
	require.Equal(t, trigger.String(), n.Trigger.String(), "trigger")
	require.Equal(t, opens.String(), n.Opens.String(), "opens")
	require.Equal(t, due.String(), n.Due.String(), "due")
	require.NoError(t, notice.Validate(n))
}

// TestARMInitial: §1026.20(d): "at least 210, but no more than 240, days
// before the first payment at the adjusted level is due". Published
// figure: a first adjusted payment due 1 December (2014) is to be sent
// "between April 5 and May 5" (Independent Bankers Association compliance
// Q&A CQ-2014-051). By hand: 1 Dec 2014 − 240 days: back through Nov (30),
// Oct (31), Sep (30), Aug (31), Jul (31), Jun (30), May (31) = 214 days
// to 1 May, then 26 more = 5 Apr; − 210 = 5 May.
func TestARMInitial(t *testing.T) {
	n := notice.ARMInitial(d(2012, time.December, 1), d(2014, time.December, 1))
	window(t, n, notice.KindARMInitial, d(2014, time.December, 1), d(2014, time.April, 5), d(2014, time.May, 5))

	// "If the first payment at the adjusted level is due within the first
	// 210 days after consummation, the disclosures shall be provided at
	// consummation": consummated 15 Jan 2024, first adjusted payment 1 Jul
	// 2024 (168 days later).
	n = notice.ARMInitial(d(2024, time.January, 15), d(2024, time.July, 1))
	window(t, n, notice.KindARMInitial, d(2024, time.July, 1), d(2024, time.January, 15), d(2024, time.January, 15))
}

// TestARMPaymentChange: §1026.20(c)(2): "at least 60, but no more than
// 120, days before the first payment at the adjusted level is due", and
// "at least 25, but no more than 120" for ARMs "with uniformly scheduled
// interest rate adjustments occurring every 60 days or more frequently".
// First new payment 1 Mar 2031: back 28 (Feb) + 31 (Jan) + 31 (Dec) + 30
// (Nov) = 120 days is 1 Nov 2030; 60 days is 28 + 31 + 1 = 31 Dec 2030;
// 25 days is 4 Feb 2031.
func TestARMPaymentChange(t *testing.T) {
	due := d(2031, time.March, 1)
	window(t, notice.ARMPaymentChange(due, false), notice.KindARMPaymentChange, due, d(2030, time.November, 1), d(2030, time.December, 31))
	window(t, notice.ARMPaymentChange(due, true), notice.KindARMPaymentChange, due, d(2030, time.November, 1), d(2031, time.February, 4))
}

// TestPeriodicStatement: §1026.41(b) and comment 41(b)-1: the statement is
// delivered in a reasonable time when sent "within four days of the close
// of the courtesy period of the previous billing cycle". Due 1 Mar 2025
// with 15 days' grace (a late fee from 17 Mar): the courtesy period closes
// 16 Mar, the next statement is due by 20 Mar. Without grace: 5 Mar.
func TestPeriodicStatement(t *testing.T) {
	due := d(2025, time.March, 1)
	window(t, notice.PeriodicStatement(due, d(2025, time.March, 16)), notice.KindPeriodicStatement, due, due, d(2025, time.March, 20))
	window(t, notice.PeriodicStatement(due, due), notice.KindPeriodicStatement, due, due, d(2025, time.March, 5))
}

// TestEscrowStatements: §1024.17(i)(1): "within 30 days of the completion
// of the escrow account computation year" — a year ending 31 Dec 2025 is
// due by 30 Jan 2026. §1024.17(i)(4)(ii): the transferor's short year
// statement "within 60 days after the effective date of transfer" — a
// transfer on 1 Jul 2025: 30 days of July after the 1st, then 30 of
// August: 30 Aug 2025.
func TestEscrowStatements(t *testing.T) {
	// §1024.17(g)(1): "at settlement or within 45 calendar days of
	// settlement" — settled 15 Jan 2024: 16 days of January after the
	// 15th, then 29 of February: 29 Feb 2024.
	window(t, notice.EscrowInitial(d(2024, time.January, 15)), notice.KindEscrowInitial,
		d(2024, time.January, 15), d(2024, time.January, 15), d(2024, time.February, 29))
	window(t, notice.EscrowAnnual(d(2025, time.December, 31)), notice.KindEscrowAnnual,
		d(2025, time.December, 31), d(2026, time.January, 1), d(2026, time.January, 30))
	window(t, notice.EscrowShortYear(d(2025, time.July, 1)), notice.KindEscrowShortYear,
		d(2025, time.July, 1), d(2025, time.July, 1), d(2025, time.August, 30))
}

// TestTransfer: §1024.33(b)(3)(i): the transferor's notice "not less than
// 15 days before the effective date of transfer", the transferee's "not
// more than 15 days after the effective date of transfer". Transfer on
// 1 Jul 2025, decided 20 May: the transferor's by 16 Jun, the
// transferee's by 16 Jul. Decided only on 25 Jun, the transferor's
// notice is due at once.
func TestTransfer(t *testing.T) {
	on := d(2025, time.July, 1)
	out, in := notice.Transfer(d(2025, time.May, 20), on)
	window(t, out, notice.KindTransferorNotice, on, d(2025, time.May, 20), d(2025, time.June, 16))
	window(t, in, notice.KindTransfereeNotice, on, d(2025, time.May, 20), d(2025, time.July, 16))
	out, in = notice.Transfer(d(2025, time.June, 25), on)
	window(t, out, notice.KindTransferorNotice, on, d(2025, time.June, 16), d(2025, time.June, 25))
	window(t, in, notice.KindTransfereeNotice, on, d(2025, time.June, 25), d(2025, time.July, 16))
}

// TestPayoff: §1026.36(c)(3): "within a reasonable time but in no case
// more than seven business days, after receiving a written request". On
// the Federal Reserve calendar: a request on Friday 5 Jul 2024 counts Mon
// 8 … Fri 12 (5), Mon 15 (6), Tue 16 (7): 16 Jul. A request on Wednesday
// 6 Nov 2024: Thu 7 (1), Fri 8 (2), Mon 11 is Veterans Day (closed), Tue
// 12 (3) … Fri 15 (6), Mon 18 (7): 18 Nov.
func TestPayoff(t *testing.T) {
	fed := schedule.USFederalReserve()
	window(t, notice.Payoff(d(2024, time.July, 5), fed), notice.KindPayoffStatement,
		d(2024, time.July, 5), d(2024, time.July, 5), d(2024, time.July, 16))
	window(t, notice.Payoff(d(2024, time.November, 6), fed), notice.KindPayoffStatement,
		d(2024, time.November, 6), d(2024, time.November, 6), d(2024, time.November, 18))
}

// TestLossMitigationAck: §1024.41(b)(2)(i)(B): notify the borrower "within
// 5 days (excluding legal public holidays, Saturdays, and Sundays) after
// receiving the loss mitigation application". Received Thursday 23 May
// 2024: Fri 24 (1), Sat–Sun skipped, Mon 27 is Memorial Day, Tue 28 (2),
// Wed 29 (3), Thu 30 (4), Fri 31 (5): 31 May 2024.
func TestLossMitigationAck(t *testing.T) {
	window(t, notice.LossMitigationAck(d(2024, time.May, 23), schedule.USFederalReserve()), notice.KindLossMitigationAck,
		d(2024, time.May, 23), d(2024, time.May, 23), d(2024, time.May, 31))
}

// TestEarlyIntervention: §1024.39(a) live contact "no later than the 36th
// day of a borrower's delinquency", (b) written notice "no later than the
// 45th day". Due 1 Jan 2025 unpaid: delinquency starts 2 Jan (day 1);
// delinquency's deadlines are 6 Feb (day 36) and 15 Feb (day 45); both
// open on 2 Jan. The repeat live contact "again no later than 36 days
// after each payment due date so long as the borrower remains delinquent"
// counts from the 1 Feb due date (its trigger): due 9 Mar, open from 2 Feb,
// the first day that due date is delinquent.
func TestEarlyIntervention(t *testing.T) {
	due := d(2025, time.January, 1)
	ns := notice.EarlyIntervention(due, []date.Date{d(2025, time.February, 6), d(2025, time.March, 9)}, []date.Date{d(2025, time.February, 15)}, 36, 45)
	require.Len(t, ns, 3)
	window(t, ns[0], notice.KindLiveContact, due, d(2025, time.January, 2), d(2025, time.February, 6))
	window(t, ns[1], notice.KindLiveContact, d(2025, time.February, 1), d(2025, time.February, 2), d(2025, time.March, 9))
	window(t, ns[2], notice.KindWrittenNotice, due, d(2025, time.January, 2), d(2025, time.February, 15))
}

func TestSortAndKey(t *testing.T) {
	fed := schedule.USFederalReserve()
	ns := []notice.Notice{
		notice.Payoff(d(2024, time.July, 5), fed),                               // due 16 Jul
		notice.LossMitigationAck(d(2024, time.July, 5), fed),                    // due 12 Jul
		notice.PeriodicStatement(d(2024, time.July, 1), d(2024, time.July, 12)), // due 16 Jul
	}
	notice.Sort(ns)
	require.Equal(t, []notice.Kind{notice.KindLossMitigationAck, notice.KindPeriodicStatement, notice.KindPayoffStatement},
		[]notice.Kind{ns[0].Kind, ns[1].Kind, ns[2].Kind})
	require.Equal(t, "payoff_statement|2024-07-05|2024-07-16", ns[2].Key())
	require.True(t, ns[2].Overdue(d(2024, time.July, 17)))
	require.False(t, ns[2].Overdue(d(2024, time.July, 16)))
}

func TestValidate(t *testing.T) {
	err := notice.Validate(notice.Notice{Kind: "letter", Opens: 10, Due: 5})
	require.True(t, errors.Is(err, notice.ErrInvalidNotice))
	require.ElementsMatch(t, []string{"Notice.Kind", "Notice.Rule", "Notice.Opens"}, field.Fields(err))
}
