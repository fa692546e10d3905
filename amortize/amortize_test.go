package amortize

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestReferenceMortgage is the reference fact: 200,000.00 at 6.5 %
// monthly over 360, interest = balance × 0.065/12 rounded half-up.
func TestReferenceMortgage(t *testing.T) {
	tb, err := Compute(mortgage(t, "200000.00", "6.5", 360))
	require.NoError(t, err)
	require.Len(t, tb.Rows, 360)
	moneytest.Equal(t, "1264.14", tb.Payment)
	moneytest.Equal(t, "1264.14", tb.Rows[0].Payment)
	moneytest.Equal(t, "1259.56", tb.Rows[359].Payment)
	moneytest.Equal(t, "255085.82", tb.Totals.Interest)
	moneytest.Equal(t, "0.00", tb.Rows[359].Balance)
	moneytest.Equal(t, "200000.00", tb.Totals.Principal)
	// 200,000 × 0.065/12 = 1,083.333… → 1,083.33.
	moneytest.Equal(t, "1083.33", tb.Rows[0].Interest)
	require.Equal(t, date.New(2024, time.February, 1), tb.Rows[0].DueDate)
	require.Equal(t, date.New(2054, time.January, 1), tb.Rows[359].DueDate)
}

// TestFedDSI checks the Federal Reserve's daily simple interest example
// (RULES.md): $18,800, 48 months, 9 % → payment $467.84, first month's
// interest $141.00 (= 18,800 × 0.09 / 12).
func TestFedDSI(t *testing.T) {
	tm := mortgage(t, "18800.00", "9", 48)
	tb, err := Compute(tm)
	require.NoError(t, err)
	moneytest.Equal(t, "467.84", tb.Payment)
	moneytest.Equal(t, "141.00", tb.Rows[0].Interest)

	// Daily method on 30/360 dates: every whole month is 30/360 = 1/12.
	tm.InterestMethod = InterestDaily
	tb, err = Compute(tm)
	require.NoError(t, err)
	moneytest.Equal(t, "467.84", tb.Payment)
	moneytest.Equal(t, "141.00", tb.Rows[0].Interest)

	// Actual/365: January has 31 days: 18,800 × 0.09 × 31/365 = 143.704… → 143.70.
	tm.DayCount = accrual.DayCount{Convention: accrual.Act365Fixed}
	tb, err = Compute(tm)
	require.NoError(t, err)
	moneytest.Equal(t, "143.70", tb.Rows[0].Interest)
	require.NoError(t, tb.Check())
}

func rows(t *testing.T, tb Table) [][4]string {
	t.Helper()
	out := make([][4]string, len(tb.Rows))
	for i, r := range tb.Rows {
		out[i] = [4]string{r.Payment.String(), r.Interest.String(), r.Principal.String(), r.Balance.String()}
	}
	return out
}

// TestShapes checks small tables computed by hand (shown per case).
func TestShapes(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Terms)
		want  [][4]string // payment, interest, principal, balance
		terms func(t *testing.T) Terms
	}{
		{
			// 1,000 / 3 = 333.333… → 333.33 twice; the last absorbs 0.01.
			name: "zero rate", terms: func(t *testing.T) Terms { return mortgage(t, "1000.00", "0", 3) },
			want: [][4]string{{"333.33", "0.00", "333.33", "666.67"}, {"333.33", "0.00", "333.33", "333.34"}, {"333.34", "0.00", "333.34", "0.00"}},
		},
		{
			// 400 principal each; interest 1 % of 1,200, 800, 400.
			name: "equal principal", terms: func(t *testing.T) Terms { return mortgage(t, "1200.00", "12", 3) },
			edit: func(tm *Terms) { tm.Shape = ShapeEqualPrincipal },
			want: [][4]string{{"412.00", "12.00", "400.00", "800.00"}, {"408.00", "8.00", "400.00", "400.00"}, {"404.00", "4.00", "400.00", "0.00"}},
		},
		{
			// One interest-only month (12.00), then 1,200·0.01·1.01³/(1.01³−1)
			// = 408.0265… → 408.03; interest 8.0397 → 8.04, 4.0398 → 4.04.
			name: "interest only then level", terms: func(t *testing.T) Terms { return mortgage(t, "1200.00", "12", 4) },
			edit: func(tm *Terms) { tm.InterestOnly = 1 },
			want: [][4]string{{"12.00", "12.00", "0.00", "1200.00"}, {"408.03", "12.00", "396.03", "803.97"},
				{"408.03", "8.04", "399.99", "403.98"}, {"408.02", "4.04", "403.98", "0.00"}},
		},
		{
			// 10.00 interest, 490.00 principal; 5.10 and 485... then the payoff 15.10 + 0.151 → 0.15.
			name: "custom", terms: func(t *testing.T) Terms { return mortgage(t, "1000.00", "12", 3) },
			edit: func(tm *Terms) {
				tm.Shape = ShapeCustom
				tm.CustomPayments = []money.Amount{moneytest.USD(t, "500"), moneytest.USD(t, "500"), moneytest.USD(t, "0")}
			},
			want: [][4]string{{"500.00", "10.00", "490.00", "510.00"}, {"500.00", "5.10", "494.90", "15.10"}, {"15.25", "0.15", "15.10", "0.00"}},
		},
		{
			// Odd days: funding 17 Jan, regular start 1 Feb: 30/360 counts 14
			// days; 1,200 × 0.12 × 14/360 = 5.60 added to the first payment,
			// which is otherwise the regular 408.03.
			name: "odd days interest", terms: func(t *testing.T) Terms { return mortgage(t, "1200.00", "12", 3) },
			edit: func(tm *Terms) {
				tm.FundingDate, tm.FirstDueDate, tm.OddFirstPeriod = date.New(2024, 1, 17), date.New(2024, 3, 1), OddDaysInterest
			},
			want: [][4]string{{"413.63", "17.60", "396.03", "803.97"}, {"408.03", "8.04", "399.99", "403.98"}, {"408.02", "4.04", "403.98", "0.00"}},
		},
		{
			// Actual first period: factor 0.01 + 0.12·14/360; payment
			// 1,200(1+g₀)1.01²/(1.01²+1.01+1) = 409.9118… → 409.91; first
			// interest 1,200·g₀ = 17.60; then 8.0769 → 8.08, 4.0586 → 4.06.
			name: "odd actual period", terms: func(t *testing.T) Terms { return mortgage(t, "1200.00", "12", 3) },
			edit: func(tm *Terms) {
				tm.FundingDate, tm.FirstDueDate, tm.OddFirstPeriod = date.New(2024, 1, 17), date.New(2024, 3, 1), OddActualPeriod
			},
			want: [][4]string{{"409.91", "17.60", "392.31", "807.69"}, {"409.91", "8.08", "401.83", "405.86"}, {"409.92", "4.06", "405.86", "0.00"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm := tc.terms(t)
			if tc.edit != nil {
				tc.edit(&tm)
			}
			tb, err := Compute(tm)
			require.NoError(t, err)
			require.Equal(t, tc.want, rows(t, tb))
		})
	}
}

// TestAddOn: 1,000.00 at 10 % add-on for 12 months: finance charge
// 1,000 × 0.10 × 12/12 = 100.00; 1,100/12 = 91.666… → 91.67; the last is
// 1,100 − 11 × 91.67 = 91.63. Rule of 78s: 10,000¢ × w/78 for w = 12…1
// truncates to 9,995¢; the 5 leftover cents go to the largest remainders
// (w = 9 .85, 4 .82, 8 .64, 3 .62, 12 .46), so the first row earns
// 1,538 + 1 = 15.39.
func TestAddOn(t *testing.T) {
	for _, earn := range []RebateMethod{RebateRule78, RebateActuarial} {
		t.Run(string(earn), func(t *testing.T) {
			tm := mortgage(t, "1000.00", "10", 12)
			tm.Shape, tm.AddOnEarning = ShapeAddOn, earn
			tb, err := Compute(tm)
			require.NoError(t, err)
			moneytest.Equal(t, "100.00", tb.FinanceCharge)
			moneytest.Equal(t, "100.00", tb.Totals.Interest)
			moneytest.Equal(t, "91.67", tb.Payment)
			moneytest.Equal(t, "91.63", tb.Rows[11].Payment)
			if earn == RebateRule78 {
				moneytest.Equal(t, "15.39", tb.Rows[0].Interest)
			} else {
				// The actuarial first month earns more than 1/12 of the charge
				// and less than the Rule of 78s (12/78).
				require.True(t, tb.Rows[0].Interest.GreaterThan(moneytest.USD(t, "8.33")))
				require.True(t, tb.Rows[0].Interest.LessThan(moneytest.USD(t, "15.38")))
			}
		})
	}
}

// TestBalloon: amortize over 360, due at 84. Rows 1–83 equal the full
// table's; the balloon pays the full table's balance after row 84 plus its
// regular payment.
func TestBalloon(t *testing.T) {
	full, err := Compute(mortgage(t, "200000.00", "6.5", 360))
	require.NoError(t, err)
	tm := mortgage(t, "200000.00", "6.5", 360)
	tm.BalloonAt = 84
	tb, err := Compute(tm)
	require.NoError(t, err)
	require.Len(t, tb.Rows, 84)
	require.Equal(t, rows(t, Table{Rows: full.Rows[:83]}), rows(t, Table{Rows: tb.Rows[:83]}))
	moneytest.Equal(t, full.Rows[83].Balance.Add(full.Payment), tb.Rows[83].Payment)
}

// TestRateStep: at a rate step the payment is re-solved; the new payment
// must equal the oracle's for the balance, the remaining term and new rate.
func TestRateStep(t *testing.T) {
	tm := mortgage(t, "100000.00", "5", 360)
	tm.RateSteps = []RateStep{{FromInstallment: 61, AnnualRate: moneytest.Percent(t, "7")}}
	tb, err := Compute(tm)
	require.NoError(t, err)
	fresh := mortgage(t, tb.Rows[59].Balance.String(), "7", 300)
	want := ratOracle(t, fresh, 12)
	moneytest.Equal(t, want[0].Payment, tb.Rows[60].Payment)
	moneytest.Equal(t, want[0].Interest, tb.Rows[60].Interest)
	moneytest.Equal(t, want[299].Payment, tb.Rows[359].Payment)
}

// TestGraduated: payments rise 7.5 % a year for 5 years, then stay level;
// the solved first payment makes the last one close to the final step.
func TestGraduated(t *testing.T) {
	tm := mortgage(t, "200000.00", "6.5", 360)
	tm.Shape = ShapeGraduated
	tm.Graduation = Graduation{StepRate: moneytest.Percent(t, "7.5"), EveryInstallments: 12, Steps: 5}
	tb, err := Compute(tm)
	require.NoError(t, err)
	p0, p5 := tb.Rows[0].Payment, tb.Rows[60].Payment
	require.True(t, p0.LessThan(tb.Rows[0].Interest), "negative amortization at first")
	require.True(t, tb.Rows[12].Payment.GreaterThan(p0))
	diff := tb.Rows[359].Payment.Sub(p5).Abs()
	require.True(t, diff.LessThan(moneytest.USD(t, "5.00")), "last %s vs step %s", tb.Rows[359].Payment, p5)
}

// TestModify checks recast, re-amortization and extension against the oracle.
func TestModify(t *testing.T) {
	tm := mortgage(t, "200000.00", "6.5", 360)
	full, err := Compute(tm)
	require.NoError(t, err)
	bal60 := full.Rows[59].Balance

	rc, err := Recast(tm, 60, moneytest.USD(t, "10000.00"))
	require.NoError(t, err)
	require.Equal(t, 61, rc.Rows[0].N)
	require.Len(t, rc.Rows, 300)
	moneytest.Equal(t, bal60.Sub(moneytest.USD(t, "10000.00")), rc.Principal)
	want := ratOracle(t, mortgage(t, rc.Principal.String(), "6.5", 300), 12)
	moneytest.Equal(t, want[0].Payment, rc.Payment)
	moneytest.Equal(t, want[299].Payment, rc.Rows[299].Payment)

	past := bal60.Add(moneytest.USD(t, "2500.00"))
	ra, err := Reamortize(tm, 60, past)
	require.NoError(t, err)
	moneytest.Equal(t, ratOracle(t, mortgage(t, past.String(), "6.5", 300), 12)[0].Payment, ra.Payment)

	ex, err := Extend(tm, 60, 60)
	require.NoError(t, err)
	require.Len(t, ex.Rows, 360)
	require.Equal(t, 420, ex.Rows[359].N)
	moneytest.Equal(t, ratOracle(t, mortgage(t, bal60.String(), "6.5", 360), 12)[0].Payment, ex.Payment)

	_, err = Modify(tm, Modification{AfterInstallment: 400})
	require.ErrorIs(t, err, ErrInvalidTerms)
	require.Contains(t, field.Fields(err), "Modification.AfterInstallment")
}

// TestSolvers: the reference loan's payment gives back its term and rate.
func TestSolvers(t *testing.T) {
	tm := mortgage(t, "200000.00", "6.5", 360)
	p, err := SolvePayment(tm)
	require.NoError(t, err)
	moneytest.Equal(t, "1264.14", p)

	n, err := SolveInstallments(tm, p)
	require.NoError(t, err)
	require.Equal(t, 360, n)
	// 200,000 × 0.065/12 = 1,083.33: a payment equal to it never amortizes.
	_, err = SolveInstallments(tm, moneytest.USD(t, "1083.33"))
	require.ErrorIs(t, err, ErrInvalidTerms)
	require.Contains(t, field.Fields(err), "Terms.Payment")

	r, err := SolveRate(tm, p)
	require.NoError(t, err)
	got, err := money.RoundDecimal(r.PercentValue(), 3, money.HalfUp)
	require.NoError(t, err)
	moneytest.DecimalEqual(t, "6.5", got) // 1264.14 is 1264.136… rounded up: a hair above 6.5 %

	tm.InterestMethod = InterestDaily
	tm.DayCount = accrual.DayCount{Convention: accrual.Act365Fixed}
	r2, err := SolveRate(tm, p)
	require.NoError(t, err)
	require.InDelta(t, 6.5, mustFloat(r2), 0.05)

	_, err = SolveRate(tm, moneytest.USD(t, "100.00")) // 36,000 < 200,000
	require.ErrorIs(t, err, ErrInvalidTerms)
}

func mustFloat(r rate.Rate) float64 { f, _ := r.PercentValue().Float64(); return f }

// TestEffectiveAnnualRate: 1.01¹² = 1.126825030131969720661201, so 12 %
// monthly is 12.6825030132 % effective (12 decimals of fraction).
func TestEffectiveAnnualRate(t *testing.T) {
	r, err := EffectiveAnnualRate(rate.MustPercent("12"), 12)
	require.NoError(t, err)
	require.Equal(t, rate.MustPercent("12.6825030132"), r)
	_, err = EffectiveAnnualRate(rate.MustPercent("12"), 0)
	require.ErrorIs(t, err, ErrInvalidTerms)
}

// TestBadInput: every bad field is named and typed.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Terms)
		field string
	}{
		{"zero principal", func(tm *Terms) { tm.Principal = money.Zero(money.USD) }, "Terms.Principal"},
		{"negative principal", func(tm *Terms) { tm.Principal = moneytest.USD(t, "-1.00") }, "Terms.Principal"},
		{"negative rate", func(tm *Terms) { tm.AnnualRate = rate.MustPercent("-1") }, "Terms.AnnualRate"},
		{"too many payments", func(tm *Terms) { tm.Installments = 1201 }, "Terms.Installments"},
		{"balloon after maturity", func(tm *Terms) { tm.BalloonAt = 361 }, "Terms.BalloonAt"},
		{"payment too small", func(tm *Terms) { tm.Payment = moneytest.USD(t, "1000.00") }, "Terms.Payment"},
		{"no rounding", func(tm *Terms) { tm.InterestRounding = "" }, "Terms.InterestRounding"},
		{"no shape", func(tm *Terms) { tm.Shape = "" }, "Terms.Shape"},
		{"no method", func(tm *Terms) { tm.InterestMethod = "" }, "Terms.InterestMethod"},
		{"odd period untreated", func(tm *Terms) { tm.FundingDate = date.New(2024, 1, 10) }, "Terms.OddFirstPeriod"},
		{"all interest only", func(tm *Terms) { tm.InterestOnly = 360 }, "Terms.InterestOnly"},
		{"custom length", func(tm *Terms) { tm.Shape = ShapeCustom }, "Terms.CustomPayments"},
		{"bad rate step", func(tm *Terms) { tm.RateSteps = []RateStep{{FromInstallment: 1}} }, "Terms.RateSteps[0].FromInstallment"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm := mortgage(t, "200000.00", "6.5", 360)
			tc.edit(&tm)
			_, err := Compute(tm)
			require.ErrorIs(t, err, ErrInvalidTerms)
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
			require.Contains(t, field.Fields(err), tc.field)
		})
	}
}

// TestRebates checks the statutory profile and the actuarial method's ends.
func TestRebates(t *testing.T) {
	req := RebateRequest{Method: RebateRule78, Profile: ProfileUSConsumer, FinanceCharge: moneytest.USD(t, "3000.00"),
		AmountFinanced: moneytest.USD(t, "10000.00"), Payments: 72, PaymentsMade: 10, Rounding: money.HalfUp}
	_, err := UnearnedFinanceCharge(req)
	require.ErrorIs(t, err, ErrInvalidRebate)
	require.Contains(t, field.Fields(err), "RebateRequest.Method")

	// 10.00 × (1·2)/(12·13) = 0.128… → 0.13: under $1, not owed (§1615(a)(2)).
	small := RebateRequest{Method: RebateRule78, Profile: ProfileUSConsumer, FinanceCharge: moneytest.USD(t, "10.00"),
		Payments: 12, PaymentsMade: 11, Rounding: money.HalfUp}
	r, err := UnearnedFinanceCharge(small)
	require.NoError(t, err)
	moneytest.Equal(t, "0.13", r.Unearned)
	moneytest.Equal(t, "0.00", r.Refund)
	require.True(t, r.Waived)

	// Actuarial: nothing paid → the whole charge; all paid → nothing; in
	// between at least the Rule of 78s (§1615(b): actuarial is the floor).
	act := req
	act.Method, act.Profile = RebateActuarial, ProfileNone
	for _, k := range []int{0, 1, 10, 36, 71, 72} {
		act.PaymentsMade = k
		a, err := UnearnedFinanceCharge(act)
		require.NoError(t, err)
		r78 := act
		r78.Method = RebateRule78
		b, err := UnearnedFinanceCharge(r78)
		require.NoError(t, err)
		require.False(t, a.Unearned.LessThan(b.Unearned), "k=%d actuarial %s < rule78 %s", k, a.Unearned, b.Unearned)
		switch k {
		case 0:
			moneytest.Equal(t, "3000.00", a.Unearned)
		case 72:
			moneytest.Equal(t, "0.00", a.Unearned)
		}
	}
}

// TestAPRErrors: bad requests are typed.
func TestAPRErrors(t *testing.T) {
	_, err := APR(APRRequest{AmountFinanced: moneytest.USD(t, "100")})
	require.ErrorIs(t, err, ErrInvalidAPR)
	require.Contains(t, field.Fields(err), "APRRequest.Payments")
	adv := date.New(2024, 1, 1)
	_, err = APR(APRRequest{AmountFinanced: moneytest.USD(t, "100"), Advance: adv,
		Payments: []Payment{{Date: adv + 30, Amount: moneytest.USD(t, "50")}}, UnitPeriod: scheduleMonthly()})
	require.ErrorIs(t, err, ErrNotConverged)
}

// TestRebaterEveryPaymentCount: a Rebater solved once answers every
// payments-made count as UnearnedFinanceCharge does for that count alone
// (15 U.S.C. 1615 example contract: 1,000.00 financed, 120.00 finance
// charge, 12 payments; the Rule of 78s after 3 payments is 120 × 90/156 =
// 69.23), and names a count out of range.
func TestRebaterEveryPaymentCount(t *testing.T) {
	for _, m := range []RebateMethod{RebateActuarial, RebateRule78} {
		req := RebateRequest{Method: m, Profile: ProfileNone, FinanceCharge: money.MustParse("120.00", money.USD),
			AmountFinanced: money.MustParse("1000.00", money.USD), Payments: 12, Rounding: money.HalfUp}
		r, err := NewRebater(req)
		require.NoError(t, err)
		for k := 0; k <= 12; k++ {
			req.PaymentsMade = k
			want, err := UnearnedFinanceCharge(req)
			require.NoError(t, err)
			got, err := r.Unearned(k)
			require.NoError(t, err)
			require.Equal(t, want, got, "%s after %d", m, k)
		}
		if m == RebateRule78 {
			got, _ := r.Unearned(3)
			moneytest.Equal(t, "69.23", got.Unearned)
		}
		_, err = r.Unearned(13)
		var fe *field.Error
		require.ErrorAs(t, err, &fe)
		require.Equal(t, "RebateRequest.PaymentsMade", fe.Field)
	}
}

// TestAddOnActuarialNeverNegative: 1,000.00 at 6% add-on over 84 months,
// half even: finance charge 1,000 × 6% × 7 = 420.00, installment 1,420 / 84
// = 16.9047… → 16.90, last 1,420 − 83 × 16.90 = 17.30. The installment
// rounded down makes the rounded balance fall more slowly than the exact
// one, so the earnings reached 420.04 before the last row, which came out
// −0.04 interest; earnings are capped at the finance charge. On random
// add-on actuarial tables every row's interest is ≥ 0 and they sum to the
// finance charge.
func TestAddOnActuarialNeverNegative(t *testing.T) {
	tm := mortgage(t, "1000.00", "6", 84)
	tm.Shape, tm.AddOnEarning = ShapeAddOn, RebateActuarial
	tm.InterestRounding, tm.PaymentRounding = money.HalfEven, money.HalfEven
	tb, err := Compute(tm)
	require.NoError(t, err)
	moneytest.Equal(t, "420.00", tb.FinanceCharge)
	moneytest.Equal(t, "16.90", tb.Payment)
	moneytest.Equal(t, "17.30", tb.Rows[83].Payment)
	moneytest.Equal(t, "420.00", tb.Totals.Interest)
	modes := []money.RoundingMode{money.HalfEven, money.HalfUp, money.TowardZero, money.Ceiling, money.Floor}
	for i := range 200 {
		tm := mortgage(t, fmt.Sprintf("%d.%02d", 100+i*37%20000, i%100), []string{"3", "6", "9.9", "18", "29.99"}[i%5], 6+i%175)
		tm.Shape, tm.AddOnEarning = ShapeAddOn, RebateActuarial
		tm.InterestRounding, tm.PaymentRounding = modes[i%5], modes[(i/5)%5]
		tb, err := Compute(tm)
		if err != nil {
			continue
		}
		for _, row := range tb.Rows {
			require.False(t, row.Interest.IsNegative(), "case %d row %d", i, row.N)
		}
		require.True(t, tb.Totals.Interest.Equal(tb.FinanceCharge), "case %d", i)
	}
}
