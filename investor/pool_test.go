package investor

import (
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

// pool is the test pool: a 0.25 % servicing fee and a 0.50 % guaranty fee,
// strips rounded half up to the cent.
func pool(m Method) Pool {
	return Pool{Method: m, ServicingFeeRate: rate.MustPercent("0.25"), GuarantyFeeRate: rate.MustPercent("0.5"),
		FeeRounding: money.HalfUp}
}

// The three-loan pool, 30-year level-payment mortgages on 30/360 with the
// installment due on the 1st (the scheduled figures are amortize's rows,
// see TestPoolInputsAreTheSchedule):
//
//	A 120,000.00 at 6 %,   payment 719.46,  current both months.
//	B 200,000.00 at 6.5 %, payment 1264.14, pays nothing in March, both
//	  installments in April.
//	C 100,000.00 at 7 %,   payment 665.30,  pays March's installment and
//	  curtails 5,000.00, pays April's and pays off on 16 April with
//	  interest from 1 to 16 April (15 days of 30/360):
//	  94,806.42 × 0.07 × 15/360 = 276.518725 → 276.52.
//
// March (the installments due 1 March; February's interest):
//
//	A 120,000.00 × 0.06/12 = 600.00 interest, 719.46 − 600.00 = 119.46 principal
//	B 200,000.00 × 0.065/12 = 1,083.333 → 1,083.33, principal 180.81
//	C 100,000.00 × 0.07/12 = 583.333 → 583.33, principal 81.97
//
// April (due 1 April, on the scheduled balances after March):
//
//	A 119,880.54 × 0.005 = 599.4027 → 599.40, principal 120.06
//	B 199,819.19 × 0.065/12 = 1,082.3539 → 1,082.35, principal 181.79
//	C 94,918.03 (100,000.00 − 81.97 − 5,000.00; the payment is not
//	  recast) × 0.07/12 = 553.6885 → 553.69, principal 665.30 − 553.69 = 111.61;
//	  payoff principal 94,918.03 − 111.61 = 94,806.42.
func march() []LoanMonth {
	return []LoanMonth{
		{LoanID: "A", NoteRate: rate.MustPercent("6"), ScheduledBalance: usd("120000.00"),
			ScheduledPrincipal: usd("119.46"), ScheduledInterest: usd("600.00"),
			CollectedPrincipal: usd("119.46"), CollectedInterest: usd("600.00")},
		{LoanID: "B", NoteRate: rate.MustPercent("6.5"), ScheduledBalance: usd("200000.00"),
			ScheduledPrincipal: usd("180.81"), ScheduledInterest: usd("1083.33")},
		{LoanID: "C", NoteRate: rate.MustPercent("7"), ScheduledBalance: usd("100000.00"),
			ScheduledPrincipal: usd("81.97"), ScheduledInterest: usd("583.33"),
			CollectedPrincipal: usd("81.97"), CollectedInterest: usd("583.33"), Curtailment: usd("5000.00")},
	}
}

func april() []LoanMonth {
	return []LoanMonth{
		{LoanID: "A", NoteRate: rate.MustPercent("6"), ScheduledBalance: usd("119880.54"),
			ScheduledPrincipal: usd("120.06"), ScheduledInterest: usd("599.40"),
			CollectedPrincipal: usd("120.06"), CollectedInterest: usd("599.40")},
		// B catches up: 180.81 + 181.79 = 362.60 principal, 1,083.33 +
		// 1,082.35 = 2,165.68 interest (2 × 1,264.14 = 2,528.28).
		{LoanID: "B", NoteRate: rate.MustPercent("6.5"), ScheduledBalance: usd("199819.19"),
			ScheduledPrincipal: usd("181.79"), ScheduledInterest: usd("1082.35"),
			CollectedPrincipal: usd("362.60"), CollectedInterest: usd("2165.68")},
		{LoanID: "C", NoteRate: rate.MustPercent("7"), ScheduledBalance: usd("94918.03"),
			ScheduledPrincipal: usd("111.61"), ScheduledInterest: usd("553.69"),
			CollectedPrincipal: usd("111.61"), CollectedInterest: usd("553.69"),
			PaidOff: true, PayoffOn: date.New(2024, 4, 16), PayoffPrincipal: usd("94806.42"), PayoffInterest: usd("276.52")},
	}
}

var (
	mar1, apr1, may1 = date.New(2024, 3, 1), date.New(2024, 4, 1), date.New(2024, 5, 1)
)

// want is a line's figures as worked by hand.
type want struct {
	collected, rp, ri, remitted, retained, gty, advP, advI, recP, recI, outstanding string
}

func requireFigures(t *testing.T, w want, f Figures, what string) {
	t.Helper()
	moneytest.Equal(t, w.collected, f.Collected, what, "collected")
	moneytest.Equal(t, w.rp, f.RemittedPrincipal, what, "remitted principal")
	moneytest.Equal(t, w.ri, f.RemittedInterest, what, "remitted interest")
	moneytest.Equal(t, w.remitted, f.Remitted, what, "remitted")
	moneytest.Equal(t, w.retained, f.Retained, what, "retained")
	moneytest.Equal(t, w.gty, f.GuarantyFee, what, "guaranty fee")
	moneytest.Equal(t, w.advP, f.AdvancedPrincipal, what, "advanced principal")
	moneytest.Equal(t, w.advI, f.AdvancedInterest, what, "advanced interest")
	moneytest.Equal(t, w.recP, f.RecoveredPrincipal, what, "recovered principal")
	moneytest.Equal(t, w.recI, f.RecoveredInterest, what, "recovered interest")
	moneytest.Equal(t, w.outstanding, f.AdvanceOutstanding, what, "advance outstanding")
	require.NoError(t, f.Reconciliation().Check(), what)
}

// The fee strips, on each loan's scheduled balance at the start of the
// month, balance × rate / 12 rounded half up; the investor's net interest
// is the scheduled interest less both:
//
//	March  A 120,000.00: svc 300.00/12 = 25.00, gty 600.00/12 = 50.00, net 600.00 − 75.00 = 525.00
//	       B 200,000.00: svc 500.00/12 = 41.6667 → 41.67, gty 1,000.00/12 = 83.3333 → 83.33,
//	                     net 1,083.33 − 41.67 − 83.33 = 958.33
//	       C 100,000.00: svc 250.00/12 = 20.8333 → 20.83, gty 500.00/12 = 41.6667 → 41.67,
//	                     net 583.33 − 62.50 = 520.83
//	April  A 119,880.54: svc 299.70135/12 = 24.9751 → 24.98, gty 599.4027/12 = 49.9502 → 49.95,
//	                     net 599.40 − 24.98 − 49.95 = 524.47
//	       B 199,819.19: svc 499.547975/12 = 41.6290 → 41.63, gty 999.09595/12 = 83.2580 → 83.26,
//	                     net 1,082.35 − 41.63 − 83.26 = 957.46
//	       C 94,918.03:  svc 237.295075/12 = 19.7746 → 19.77, gty 474.59015/12 = 39.5492 → 39.55,
//	                     net 553.69 − 19.77 − 39.55 = 494.37
//
// C's payoff interest 276.52 is split on the same days basis (fee rate /
// note rate): svc 276.52 × 0.25/7 = 9.8757 → 9.88, gty 276.52 × 0.5/7 =
// 19.7514 → 19.75, net 276.52 − 9.88 − 19.75 = 246.89: the net rate 6.25 %
// to the payoff date, 94,806.42 × 0.0625 × 15/360 = 246.8917 → 246.89.
func TestThreeLoanPool(t *testing.T) {
	type loanWant struct {
		a, b, c, total want
	}
	// Loans A and C are the same under every method (everything due was
	// collected):
	//   A March: collected 719.46; principal 119.46, interest 525.00,
	//     remitted 644.46; retained 25.00; guaranty 50.00.
	//   A April: collected 719.46; principal 120.06, interest 524.47,
	//     remitted 644.53; retained 24.98; guaranty 49.95.
	//   C March: collected 81.97 + 583.33 + 5,000.00 = 5,665.30;
	//     principal 81.97 + 5,000.00 = 5,081.97, interest 520.83, remitted
	//     5,602.80; retained 20.83; guaranty 41.67.
	//   C April: collected 111.61 + 553.69 + 94,806.42 + 276.52 =
	//     95,748.24; principal 111.61 + 94,806.42 = 94,918.03, interest
	//     494.37 + 246.89 = 741.26, remitted 95,659.29; retained 19.77 +
	//     9.88 = 29.65; guaranty 39.55 + 19.75 = 59.30.
	//     Check: 95,659.29 + 29.65 + 59.30 = 95,748.24.
	aMar := want{"719.46", "119.46", "525.00", "644.46", "25.00", "50.00", "0", "0", "0", "0", "0"}
	aApr := want{"719.46", "120.06", "524.47", "644.53", "24.98", "49.95", "0", "0", "0", "0", "0"}
	cMar := want{"5665.30", "5081.97", "520.83", "5602.80", "20.83", "41.67", "0", "0", "0", "0", "0"}
	cApr := want{"95748.24", "94918.03", "741.26", "95659.29", "29.65", "59.30", "0", "0", "0", "0", "0"}
	tests := []struct {
		method     Method
		mar, apr   loanWant
		carryAfter string // B's advance outstanding after March
	}{
		{
			// S/S. B in March: nothing collected; the investor still gets
			// principal 180.81 and net interest 958.33 (remitted 1,139.14),
			// the guarantor 83.33; the servicer advances 180.81 principal
			// and 958.33 + 83.33 = 1,041.66 interest (1,222.47) and keeps
			// no fee. Check: 0 = 1,139.14 + 0 + 83.33 + 0 − 1,222.47.
			// B in April: 2,528.28 collected pays March first (recovering
			// 180.81 principal and 1,041.66 interest = 1,222.47, and the
			// servicer's March fee 41.67), then April: remitted 181.79 +
			// 957.46 = 1,139.25, retained 41.67 + 41.63 = 83.30, guaranty
			// 83.26. Check: 1,139.25 + 83.30 + 83.26 + 1,222.47 = 2,528.28.
			// Totals March: collected 719.46 + 0 + 5,665.30 = 6,384.76;
			// principal 119.46 + 180.81 + 5,081.97 = 5,382.24; interest
			// 525.00 + 958.33 + 520.83 = 2,004.16; remitted 7,386.40;
			// retained 25.00 + 20.83 = 45.83; guaranty 50.00 + 83.33 +
			// 41.67 = 175.00; advanced 1,222.47.
			// Check: 7,386.40 + 45.83 + 175.00 − 1,222.47 = 6,384.76.
			// Totals April: collected 719.46 + 2,528.28 + 95,748.24 =
			// 98,995.98; principal 120.06 + 181.79 + 94,918.03 = 95,219.88;
			// interest 524.47 + 957.46 + 741.26 = 2,223.19; remitted
			// 97,443.07; retained 24.98 + 83.30 + 29.65 = 137.93; guaranty
			// 49.95 + 83.26 + 59.30 = 192.51; recovered 1,222.47.
			// Check: 97,443.07 + 137.93 + 192.51 + 1,222.47 = 98,995.98.
			method: ScheduledScheduled,
			mar: loanWant{a: aMar, c: cMar,
				b:     want{"0", "180.81", "958.33", "1139.14", "0", "83.33", "180.81", "1041.66", "0", "0", "1222.47"},
				total: want{"6384.76", "5382.24", "2004.16", "7386.40", "45.83", "175.00", "180.81", "1041.66", "0", "0", "1222.47"}},
			apr: loanWant{a: aApr, c: cApr,
				b:     want{"2528.28", "181.79", "957.46", "1139.25", "83.30", "83.26", "0", "0", "180.81", "1041.66", "0"},
				total: want{"98995.98", "95219.88", "2223.19", "97443.07", "137.93", "192.51", "0", "0", "180.81", "1041.66", "0"}},
			carryAfter: "1222.47",
		},
		{
			// S/A. B in March: net interest 958.33 remitted, guaranty 83.33,
			// both advanced (1,041.66); no principal.
			// Check: 0 = 958.33 + 0 + 83.33 + 0 − 1,041.66.
			// B in April: the actual principal 362.60 passes through; net
			// interest 957.46 (remitted 1,320.06); retained 83.30; guaranty
			// 83.26; recovered March's interest advance 1,041.66.
			// Check: 1,320.06 + 83.30 + 83.26 + 1,041.66 = 2,528.28.
			// Totals March: principal 119.46 + 5,081.97 = 5,201.43;
			// interest 2,004.16; remitted 7,205.59; retained 45.83;
			// guaranty 175.00; advanced 1,041.66.
			// Check: 7,205.59 + 45.83 + 175.00 − 1,041.66 = 6,384.76.
			// Totals April: principal 120.06 + 362.60 + 94,918.03 =
			// 95,400.69; interest 2,223.19; remitted 97,623.88; retained
			// 137.93; guaranty 192.51; recovered 1,041.66.
			// Check: 97,623.88 + 137.93 + 192.51 + 1,041.66 = 98,995.98.
			method: ScheduledActual,
			mar: loanWant{a: aMar, c: cMar,
				b:     want{"0", "0", "958.33", "958.33", "0", "83.33", "0", "1041.66", "0", "0", "1041.66"},
				total: want{"6384.76", "5201.43", "2004.16", "7205.59", "45.83", "175.00", "0", "1041.66", "0", "0", "1041.66"}},
			apr: loanWant{a: aApr, c: cApr,
				b:     want{"2528.28", "362.60", "957.46", "1320.06", "83.30", "83.26", "0", "0", "0", "1041.66", "0"},
				total: want{"98995.98", "95400.69", "2223.19", "97623.88", "137.93", "192.51", "0", "0", "0", "1041.66", "0"}},
			carryAfter: "1041.66",
		},
		{
			// A/A. B in March: nothing. B in April: principal 362.60,
			// interest both months' net 958.33 + 957.46 = 1,915.79
			// (remitted 2,278.39), retained 41.67 + 41.63 = 83.30, guaranty
			// 83.33 + 83.26 = 166.59. Check: 2,278.39 + 83.30 + 166.59 =
			// 2,528.28.
			// Totals March: principal 5,201.43; interest 525.00 + 520.83 =
			// 1,045.83; remitted 6,247.26; retained 45.83; guaranty 50.00 +
			// 41.67 = 91.67. Check: 6,247.26 + 45.83 + 91.67 = 6,384.76.
			// Totals April: principal 95,400.69; interest 524.47 + 1,915.79
			// + 741.26 = 3,181.52; remitted 98,582.21; retained 137.93;
			// guaranty 49.95 + 166.59 + 59.30 = 275.84.
			// Check: 98,582.21 + 137.93 + 275.84 = 98,995.98.
			method: ActualActual,
			mar: loanWant{a: aMar, c: cMar,
				b:     want{"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"},
				total: want{"6384.76", "5201.43", "1045.83", "6247.26", "45.83", "91.67", "0", "0", "0", "0", "0"}},
			apr: loanWant{a: aApr, c: cApr,
				b:     want{"2528.28", "362.60", "1915.79", "2278.39", "83.30", "166.59", "0", "0", "0", "0", "0"},
				total: want{"98995.98", "95400.69", "3181.52", "98582.21", "137.93", "275.84", "0", "0", "0", "0", "0"}},
			carryAfter: "0",
		},
	}
	for _, tc := range tests {
		t.Run(string(tc.method), func(t *testing.T) {
			p := pool(tc.method)
			mar, err := Remit(p, Month{From: mar1, To: apr1, Loans: march()})
			require.NoError(t, err)
			for i, w := range []want{tc.mar.a, tc.mar.b, tc.mar.c} {
				requireFigures(t, w, mar.Loans[i].Figures, "March "+mar.Loans[i].LoanID)
			}
			requireFigures(t, tc.mar.total, mar.Totals, "March totals")
			require.NoError(t, mar.Reconciliation.Check())
			moneytest.Equal(t, "0", mar.Reconciliation.Difference)
			// Balances: 420,000.00 at the start; after March A 119,880.54,
			// B 199,819.19 (scheduled: the unpaid 180.81 is still owed, but
			// not scheduled), C 94,918.03: 414,617.76.
			moneytest.Equal(t, "420000.00", mar.Totals.ScheduledBalance)
			moneytest.Equal(t, "414617.76", mar.Totals.EndingBalance)
			require.Equal(t, []bool{false, true, false}, []bool{mar.Loans[0].Delinquent, mar.Loans[1].Delinquent, mar.Loans[2].Delinquent})

			// The carry: B owes March's installment, 180.81 principal and
			// 958.33 / 41.67 / 83.33 of interest, under every method.
			require.Len(t, mar.Carry.Loans, 3)
			b := mar.Carry.Loans[1]
			require.Equal(t, "B", b.LoanID)
			moneytest.Equal(t, "199819.19", b.Balance)
			moneytest.Equal(t, "180.81", b.UnpaidPrincipal)
			moneytest.Equal(t, "958.33", b.UnpaidNetInterest)
			moneytest.Equal(t, "41.67", b.UnpaidServicingFee)
			moneytest.Equal(t, "83.33", b.UnpaidGuarantyFee)
			moneytest.Equal(t, tc.carryAfter, b.AdvancedPrincipal.Add(b.AdvancedInterest))

			apr, err := Remit(p, Month{From: apr1, To: may1, Loans: april(), Prior: mar.Carry})
			require.NoError(t, err)
			for i, w := range []want{tc.apr.a, tc.apr.b, tc.apr.c} {
				requireFigures(t, w, apr.Loans[i].Figures, "April "+apr.Loans[i].LoanID)
			}
			requireFigures(t, tc.apr.total, apr.Totals, "April totals")
			require.True(t, apr.Loans[2].PaidOff)
			// After April: A 119,760.48, B 199,637.40 (199,819.19 −
			// 181.79), C gone: 319,397.88; nothing unpaid, no advance.
			moneytest.Equal(t, "319397.88", apr.Totals.EndingBalance)
			require.Len(t, apr.Carry.Loans, 2)
			require.Equal(t, "A", apr.Carry.Loans[0].LoanID)
			moneytest.Equal(t, "119760.48", apr.Carry.Loans[0].Balance)
			moneytest.Equal(t, "199637.40", apr.Carry.Loans[1].Balance)
			require.False(t, apr.Loans[1].Delinquent)
			require.Equal(t, may1, apr.Carry.To)
		})
	}
}

// Over the two months every method pays the guarantor and the servicer the
// same (all interest was collected in the end); only the timing differs:
// guaranty S/S and S/A 175.00 + 192.51 = 367.51, A/A 91.67 + 275.84 =
// 367.51; retained 45.83 + 137.93 = 183.76 under all three.
func TestMethodsAgreeOverTheCycle(t *testing.T) {
	for _, m := range []Method{ScheduledScheduled, ScheduledActual, ActualActual} {
		mar, err := Remit(pool(m), Month{From: mar1, To: apr1, Loans: march()})
		require.NoError(t, err)
		apr, err := Remit(pool(m), Month{From: apr1, To: may1, Loans: april(), Prior: mar.Carry})
		require.NoError(t, err)
		moneytest.Equal(t, "367.51", mar.Totals.GuarantyFee.Add(apr.Totals.GuarantyFee), m)
		moneytest.Equal(t, "183.76", mar.Totals.Retained.Add(apr.Totals.Retained), m)
	}
}

// The pool's scheduled figures are the schedule's, not restated: A's and
// B's March and April rows and C's March row are amortize's (C's April is
// after its curtailment, which amortize's original table does not know;
// TestFromStates has the loan's own billing of a curtailed loan).
func TestPoolInputsAreTheSchedule(t *testing.T) {
	rows := func(principal, annual string) []amortize.Row {
		tb, err := amortize.Compute(amortize.Terms{Principal: usd(principal), AnnualRate: rate.MustPercent(annual), Installments: 360,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, FundingDate: date.New(2024, 2, 1), FirstDueDate: mar1,
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic, OddFirstPeriod: amortize.OddPrepaid,
			DayCount: accrual.DayCount{Convention: accrual.Thirty360US}, InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp})
		require.NoError(t, err)
		return tb.Rows
	}
	a, b, c := rows("120000.00", "6"), rows("200000.00", "6.5"), rows("100000.00", "7")
	for k, month := range [][]LoanMonth{march(), april()} {
		for i, r := range [][]amortize.Row{a, b, c} {
			if i == 2 && k == 1 {
				continue
			}
			lm := month[i]
			moneytest.Equal(t, r[k].Principal, lm.ScheduledPrincipal, lm.LoanID, k)
			moneytest.Equal(t, r[k].Interest, lm.ScheduledInterest, lm.LoanID, k)
			moneytest.Equal(t, r[k].Balance.Add(r[k].Principal), lm.ScheduledBalance, lm.LoanID, k)
		}
	}
}
