package delinquency

import (
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

func feePolicy(t *testing.T, m FeeMethod, bps int64, flat string) *LateFeePolicy {
	return &LateFeePolicy{GraceDays: 15, Method: m, PercentBasisPoints: bps, FlatAmount: usd(t, flat), Rounding: money.HalfUp}
}

// TestLateFee uses a $1,000 P&I + $200 escrow payment due 1 Jan 2024 with a
// 15-day grace period: the payment is on time through Jan 16, and a fee may
// be charged from Jan 17. Expected fees are hand computed in each row.
func TestLateFee(t *testing.T) {
	tests := []struct {
		name   string
		policy func(t *testing.T) *LateFeePolicy
		paid   []struct{ on, amt string }
		state  LateFeeState
		asOf   string
		charge bool
		amount string
		reason LateFeeReason
	}{
		{name: "5% of P&I = 50.00", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPI, 500, "0") },
			asOf: "2024-01-17", charge: true, amount: "50.00", reason: FeeLate},
		{name: "5% of PITI = 60.00", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPITI, 500, "0") },
			asOf: "2024-01-17", charge: true, amount: "60.00", reason: FeeLate},
		{name: "4% of past due 500 = 20.00", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPastDue, 400, "0") },
			paid: []struct{ on, amt string }{{"2024-01-10", "700.00"}}, asOf: "2024-01-20", charge: true, amount: "20.00", reason: FeeLate},
		{name: "flat 25", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeeFlat, 0, "25.00") },
			asOf: "2024-02-01", charge: true, amount: "25.00", reason: FeeLate},
		{name: "last grace day is not late", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPI, 500, "0") },
			asOf: "2024-01-16", reason: FeeNotYet},
		{name: "paid on the last grace day", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPI, 500, "0") },
			paid: []struct{ on, amt string }{{"2024-01-16", "1200.00"}}, asOf: "2024-01-20", reason: FeePaidInTime},
		{name: "paid after grace is still late", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPI, 500, "0") },
			paid: []struct{ on, amt string }{{"2024-01-17", "1200.00"}}, asOf: "2024-01-20", charge: true, amount: "50.00", reason: FeeLate},
		{name: "already assessed", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPI, 500, "0") },
			state: LateFeeAssessed, asOf: "2024-01-20", reason: FeeAlreadyAssessed},
		{name: "waived", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPI, 500, "0") },
			state: LateFeeWaived, asOf: "2024-01-20", reason: FeeWaived},
		{name: "no policy", policy: func(t *testing.T) *LateFeePolicy { return nil }, asOf: "2024-01-20", reason: FeeNoPolicy},
		{name: "minimum: 1% of 1000 = 10 < 15", policy: func(t *testing.T) *LateFeePolicy {
			p := feePolicy(t, FeePercentPI, 100, "0")
			p.Minimum = usd(t, "15.00")
			return p
		}, asOf: "2024-01-20", charge: true, amount: "15.00", reason: FeeLate},
		{name: "maximum: 5% of 1000 = 50 > 40", policy: func(t *testing.T) *LateFeePolicy {
			p := feePolicy(t, FeePercentPI, 500, "0")
			p.Maximum = usd(t, "40.00")
			return p
		}, asOf: "2024-01-20", charge: true, amount: "40.00", reason: FeeLate},
		// 3.33 % of 1000 = 33.30 exactly; 0.05% of 1000 = 0.50.
		{name: "3.33%", policy: func(t *testing.T) *LateFeePolicy { return feePolicy(t, FeePercentPI, 333, "0") },
			asOf: "2024-01-20", charge: true, amount: "33.30", reason: FeeLate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ins := monthly(t, 2024, time.January, 3, "800.00", "200.00", "200.00")
			ins[0].LateFee = tc.state
			for _, p := range tc.paid {
				pay(t, ins, 1, p.on, p.amt)
			}
			pol := StandardPolicy(ClosedEnd)
			pol.LateFee = tc.policy(t)
			got, err := mustNew(t, loanOf(ins), pol).LateFee(1, d(tc.asOf))
			require.NoError(t, err)
			require.Equal(t, tc.reason, got.Reason)
			require.Equal(t, tc.charge, got.Charge)
			if tc.charge {
				moneytest.Equal(t, tc.amount, got.Amount)
				require.Equal(t, d("2024-01-17"), got.ChargeableOn)
			}
		})
	}
}

// TestLateFeeRounding: 5 % of $333.33 = $16.6665, rounded per policy.
func TestLateFeeRounding(t *testing.T) {
	for _, tc := range []struct {
		mode money.RoundingMode
		want string
	}{{money.HalfUp, "16.67"}, {money.TowardZero, "16.66"}, {money.HalfEven, "16.67"}} {
		ins := monthly(t, 2024, time.January, 1, "333.33", "0.00", "0.00")
		pol := StandardPolicy(ClosedEnd)
		pol.LateFee = &LateFeePolicy{GraceDays: 10, Method: FeePercentPI, PercentBasisPoints: 500, Rounding: tc.mode}
		got, err := mustNew(t, loanOf(ins), pol).LateFee(1, d("2024-02-01"))
		require.NoError(t, err)
		moneytest.Equal(t, tc.want, got.Amount, tc.mode)
	}
}

// TestNoPyramiding follows Reg Z comment 36(c)(2)-1's situation: the
// borrower's full periodic payment arrives on time, but $10 of it was taken
// for an earlier late fee, leaving the installment $10 short. No late fee may
// be charged on that installment (§1026.36(c)(2)).
func TestNoPyramiding(t *testing.T) {
	ins := monthly(t, 2024, time.January, 3, "400.00", "100.00", "0.00")
	ins[0].Fees = usd(t, "10.00")
	ins[0].LateFee = LateFeeAssessed
	pay(t, ins, 1, "2024-01-20", "500.00")
	ins[1].Credits = []Credit{{ReceivedOn: d("2024-02-01"), Interest: usd(t, "100.00"), Principal: usd(t, "390.00"), Fees: usd(t, "10.00")}}
	pol := StandardPolicy(ClosedEnd)
	pol.LateFee = &LateFeePolicy{GraceDays: 15, Method: FeeFlat, FlatAmount: usd(t, "10.00")}
	e := mustNew(t, loanOf(ins), pol)
	got, err := e.LateFee(2, d("2024-02-20"))
	require.NoError(t, err)
	require.Equal(t, FeePyramiding, got.Reason)
	require.False(t, got.Charge)
	// The periodic shortfall still makes February past due (DPD), as the
	// rule allows; only the fee is barred.
	require.Equal(t, 19, e.DaysPastDue(d("2024-02-20")))
	require.Empty(t, e.LateFees(d("2024-02-20")))
}

func TestLateFeeEdges(t *testing.T) {
	ins := monthly(t, 2024, time.January, 3, "400.00", "100.00", "0.00")
	l := loanOf(ins)
	l.Pauses = []Pause{{Kind: Deferment, From: d("2024-01-10"), To: d("2024-01-20")}}
	pol := StandardPolicy(ClosedEnd)
	pol.LateFee = &LateFeePolicy{GraceDays: 15, Method: FeeFlat, FlatAmount: usd(t, "10.00")}
	e := mustNew(t, l, pol)
	got, err := e.LateFee(1, d("2024-01-25"))
	require.NoError(t, err)
	require.Equal(t, FeePaused, got.Reason)

	_, err = e.LateFee(99, d("2024-01-25"))
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"seq"}, field.Fields(err))

	// January paused; February and March charged on Apr 1.
	fees := e.LateFees(d("2024-04-01"))
	require.Len(t, fees, 2)
	require.Equal(t, 2, fees[0].Seq)
	require.Equal(t, 3, fees[1].Seq)

	// A zero-rounded percent fee is not charged.
	ins2 := monthly(t, 2024, time.January, 1, "0.10", "0.00", "0.00")
	pol.LateFee = &LateFeePolicy{GraceDays: 0, Method: FeePercentPI, PercentBasisPoints: 1, Rounding: money.HalfEven}
	got, err = mustNew(t, loanOf(ins2), pol).LateFee(1, d("2024-01-05"))
	require.NoError(t, err)
	require.Equal(t, FeeZero, got.Reason)
}

func flat(minor int64, cur money.Currency) LateFeePolicy {
	return LateFeePolicy{Method: FeeFlat, FlatAmount: money.MustNew(minor, cur)}
}

func capped(p LateFeePolicy, minimum, maximum int64) LateFeePolicy {
	p.Minimum, p.Maximum = money.MustNew(minimum, money.USD), money.MustNew(maximum, money.USD)
	return p
}

// TestCardSafeHarborFeeCap: Reg Z §1026.52(b) as summarised in RULES.md —
// $30 for a first late payment, $41 for another in one of the next 6
// billing cycles, and never above the minimum payment due.
func TestCardSafeHarborFeeCap(t *testing.T) {
	pr := CardSafeHarbor()
	tests := []struct {
		name    string
		cycle   int
		earlier []int
		minPay  string
		want    string
	}{
		{"first violation", 1, nil, "35.00", "30.00"},
		{"repeat 3 cycles later", 4, []int{1}, "100.00", "41.00"},
		{"repeat in the 6th cycle after", 7, []int{1}, "100.00", "41.00"},
		{"7 cycles later is a first violation again", 8, []int{1}, "100.00", "30.00"},
		{"nearest earlier counts", 10, []int{1, 5}, "100.00", "41.00"},
		{"a later cycle is not earlier", 3, []int{5}, "100.00", "30.00"},
		{"same cycle is not earlier", 5, []int{5}, "100.00", "30.00"},
		{"minimum payment below $30", 1, nil, "25.00", "25.00"},
		{"minimum payment below $41 on a repeat", 2, []int{1}, "38.50", "38.50"},
		{"zero minimum payment", 1, nil, "0.00", "0.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := pr.FeeCap(tc.cycle, tc.earlier, usd(t, tc.minPay))
			require.True(t, ok)
			moneytest.Equal(t, usd(t, tc.want), got)
		})
	}
	// Mortgage profiles set no amount cap.
	_, ok := HighCostMortgage().FeeCap(1, nil, usd(t, "100.00"))
	require.False(t, ok)
	// Only the payment cap.
	got, ok := Profile{FeeAtMostPayment: true}.FeeCap(1, nil, usd(t, "12.00"))
	require.True(t, ok)
	moneytest.Equal(t, usd(t, "12.00"), got)
}

func TestProfiles(t *testing.T) {
	ok := func(m FeeMethod, bps int64, grace int) LateFeePolicy {
		return LateFeePolicy{GraceDays: grace, Method: m, PercentBasisPoints: bps, Rounding: money.HalfUp}
	}
	tests := []struct {
		name    string
		profile Profile
		policy  LateFeePolicy
		fields  []string
	}{
		{"hoepa 4% past due after day 15", HighCostMortgage(), ok(FeePercentPastDue, 400, 14), nil},
		{"hoepa 5% too high", HighCostMortgage(), ok(FeePercentPastDue, 500, 15), []string{"LateFee.PercentBasisPoints"}},
		{"hoepa grace 10 too short", HighCostMortgage(), ok(FeePercentPastDue, 400, 10), []string{"LateFee.GraceDays"}},
		{"hoepa fee on whole payment", HighCostMortgage(), ok(FeePercentPI, 400, 15), []string{"LateFee.Method"}},
		{"hoepa everything wrong", HighCostMortgage(), LateFeePolicy{Method: FeeFlat, FlatAmount: money.MustNew(5000, money.USD)},
			[]string{"LateFee.Method", "LateFee.GraceDays"}},
		{"conventional 5% after 15", ConventionalMortgage(), ok(FeePercentPI, 500, 15), nil},
		{"conventional 6%", ConventionalMortgage(), ok(FeePercentPI, 600, 15), []string{"LateFee.PercentBasisPoints"}},
		{"fha 4% PITI after 15", FHA(), ok(FeePercentPITI, 400, 15), nil},
		{"fha 5%", FHA(), ok(FeePercentPITI, 500, 15), []string{"LateFee.PercentBasisPoints"}},
		// Reg Z §1026.52(b)(1)(ii): $30 first violation.
		{"card flat $30", CardSafeHarbor(), flat(3000, money.USD), nil},
		{"card flat $30.01", CardSafeHarbor(), flat(3001, money.USD), []string{"LateFee.FlatAmount"}},
		{"card flat $41 (repeat cap only)", CardSafeHarbor(), flat(4100, money.USD), []string{"LateFee.FlatAmount"}},
		{"card flat in EUR", CardSafeHarbor(), flat(2000, money.MustCurrency("EUR")), []string{"LateFee.FlatAmount"}},
		{"card percent without cap", CardSafeHarbor(), ok(FeePercentPITI, 500, 0), []string{"LateFee.Maximum"}},
		{"card percent capped at $30", CardSafeHarbor(), capped(ok(FeePercentPITI, 500, 0), 0, 3000), nil},
		{"card percent min and max too high", CardSafeHarbor(), capped(ok(FeePercentPITI, 500, 0), 3500, 4000),
			[]string{"LateFee.Maximum", "LateFee.Minimum"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.profile.Check(tc.policy)
			if tc.fields == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrProfileViolation)
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
			require.Equal(t, tc.fields, field.Fields(err))
		})
	}
}

// TestFeeShortfallChain is the chain the FTC Credit Practices Rule (16 CFR
// 444.4) and Reg Z §1026.36(c)(2) forbid charging on: $500 due monthly, a
// $25 late fee on installment 1, paid late with 500.00 of which fees-first
// allocation takes 25.00, so installment 1 is short 25.00 (all of it the
// fee's). February's 500.00 completes installment 1 with 25.00 and leaves
// installment 2 short 25.00: the shortfall carried from installment 1 is
// 25.00, no larger than the new one, so installment 2's 25.00 is fee-caused
// and earns no late fee (FeePyramiding). A genuine shortfall on top (a
// 480.00 payment: short 45.00, 25.00 of it the fee's) is chargeable again.
func TestFeeShortfallChain(t *testing.T) {
	z := usd(t, "0.00")
	first := FeeShortfall(z, usd(t, "25.00"), usd(t, "25.00"))
	moneytest.Equal(t, "25.00", first)
	second := FeeShortfall(first, z, usd(t, "25.00"))
	moneytest.Equal(t, "25.00", second)
	moneytest.Equal(t, "25.00", FeeShortfall(second, z, usd(t, "45.00")))
	moneytest.Equal(t, "10.00", FeeShortfall(second, z, usd(t, "10.00")), "never more than the shortfall")
	moneytest.Equal(t, "0.00", FeeShortfall(second, z, z), "made up: nothing carried")

	p := StandardPolicy(ClosedEnd)
	p.LateFee = &LateFeePolicy{GraceDays: 10, Method: FeeFlat, FlatAmount: usd(t, "25.00")}
	ins := monthly(t, 2024, time.February, 2, "480.00", "20.00", "0.00")
	ins[1].Credits = []Credit{{ReceivedOn: d("2024-03-01"), Principal: usd(t, "455.00"), Interest: usd(t, "20.00"), Escrow: z, Fees: second}}
	dec, err := mustNew(t, loanOf(ins), p).LateFee(2, d("2024-03-12"))
	require.NoError(t, err)
	require.Equal(t, FeePyramiding, dec.Reason, "short 25.00, all of it carried from the fee")
	ins[1].Credits[0].Principal = usd(t, "435.00")
	dec, err = mustNew(t, loanOf(ins), p).LateFee(2, d("2024-03-12"))
	require.NoError(t, err)
	require.True(t, dec.Charge, "short 45.00: 20.00 of it is the borrower's own")
}

// TestRung: the ladder rungs of StandardPolicy(ClosedEnd) — delinquent from
// 1 day, default and non-accrual from 90 (non-accrual wins at equal
// thresholds), current at 0.
func TestRung(t *testing.T) {
	sp := StandardPolicy(ClosedEnd).Status
	for dpd, want := range map[int]Status{0: StatusCurrent, 1: StatusDelinquent, 89: StatusDelinquent, 90: StatusNonAccrual, 400: StatusNonAccrual} {
		require.Equal(t, want, sp.Rung(dpd), "dpd %d", dpd)
	}
	sp.NonAccrualDays = 120
	require.Equal(t, StatusDefault, sp.Rung(100))
}
