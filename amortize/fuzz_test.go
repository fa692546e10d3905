package amortize

import (
	"errors"
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/stretchr/testify/require"
)

// FuzzCompute asserts, over principal 0.01 to 10¹² (in cents), rate 0 to
// 100 % (basis points), term 1 to 1,200 and every shape, that Compute never
// panics and every table it returns keeps its invariants: Σ principal =
// principal, final balance 0, no negative balance, balance = previous −
// principal, interest ≥ 0 for the amortizing shapes.
func FuzzCompute(f *testing.F) {
	f.Add(int64(20_000_000), int64(650), 360, uint8(0), uint8(0))
	f.Add(int64(1), int64(10_000), 1200, uint8(1), uint8(1))
	f.Add(int64(100_000_000_000_000), int64(10_000), 1200, uint8(0), uint8(2))
	f.Add(int64(1_880_000), int64(900), 48, uint8(4), uint8(3))
	f.Add(int64(120_000), int64(1200), 3, uint8(2), uint8(4))
	f.Add(int64(5_000), int64(0), 7, uint8(3), uint8(5))
	f.Add(int64(25_000_000), int64(725), 360, uint8(0), uint8(6))
	f.Add(int64(1_000_000), int64(1999), 60, uint8(4), uint8(7))
	f.Fuzz(func(t *testing.T, cents, bps int64, n int, shape, opts uint8) {
		cents = 1 + abs(cents)%100_000_000_000_000
		bps = abs(bps) % 10_001
		n = 1 + int(abs(int64(n))%MaxPayments)
		tm := mortgage(t, "1.00", "0", n)
		tm.Principal = money.MustNew(cents, money.USD)
		tm.AnnualRate, _ = rate.BasisPoints(bps)
		tm.Shape = []Shape{ShapeLevel, ShapeEqualPrincipal, ShapeGraduated, ShapeAddOn, ShapeLevel, ShapeLevel}[shape%6]
		tm.Graduation = Graduation{StepRate: rate.MustPercent("7.5"), EveryInstallments: 12, Steps: 5}
		tm.AddOnEarning = RebateRule78
		switch opts % 8 {
		case 1:
			tm.InterestOnly = n / 3
		case 2:
			tm.BalloonAt = (n + 1) / 2
		case 3:
			tm.InterestMethod = InterestDaily
		case 4:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-9, OddActualPeriod
		case 5:
			tm.PaymentIncrement, tm.PaymentRounding = 100, money.Ceiling
		case 6, 7: // a dated rate path: two changes, the second mid-period (split under daily interest)
			half, _ := rate.BasisPoints(bps / 2)
			tm.RatePath = []accrual.RateChange{{On: tm.FirstDueDate + 31, Rate: half}, {On: tm.FirstDueDate + 200, Rate: tm.AnnualRate}}
			if opts%8 == 7 {
				tm.InterestMethod = InterestDaily
			}
		}
		if tm.Shape == ShapeAddOn {
			tm.InterestOnly, tm.BalloonAt, tm.RatePath = 0, 0, nil
		}
		tb, err := Compute(tm)
		if err != nil {
			if errors.Is(err, ErrInvariant) {
				t.Fatal(err)
			}
			return // overflow or rejected input: typed, no panic
		}
		if err := tb.Check(); err != nil {
			t.Fatal(err)
		}
		if !tb.Totals.Principal.Equal(tm.Principal) {
			t.Fatalf("Σ principal %s ≠ %s", tb.Totals.Principal, tm.Principal)
		}
		for _, r := range tb.Rows {
			if r.Interest.IsNegative() && tm.Shape != ShapeAddOn {
				t.Fatalf("row %d: negative interest %s", r.N, r.Interest)
			}
		}
	})
}

func abs(v int64) int64 {
	if v < 0 {
		if v == -v {
			return 0
		}
		return -v
	}
	return v
}

// An add-on loan whose rounded-up installments leave a last one smaller
// than the finance charge it earns is refused, naming the increment:
// 1,200.04 at 11.91 % for 87 months charges 1,200.04 × 11.91 % × 87/12 =
// 1,036.20; 2,236.24 over 87 rounded up to whole dollars is 26.00, so the
// last installment is 2,236.24 − 86 × 26.00 = 0.24, while the Rule of 78s
// earns it 1,036.20 × 1/3,828 = 0.27. (FuzzCompute found it: the table
// ended 0.03 below zero.)
func TestAddOnLastInstallmentBelowItsCharge(t *testing.T) {
	tm := mortgage(t, "1200.04", "11.91", 87)
	tm.Shape, tm.AddOnEarning = ShapeAddOn, RebateRule78
	tm.PaymentIncrement, tm.PaymentRounding = 100, money.Ceiling
	_, err := Compute(tm)
	require.ErrorIs(t, err, ErrInvalidTerms)
	require.Equal(t, []string{"Terms.PaymentIncrement"}, field.Fields(err))
	require.ErrorContains(t, err, "the last installment (0.24) would be less than the finance charge it earns (0.27)")
}
