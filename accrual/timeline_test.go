package accrual

import (
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

func flat(conv Convention, bal, pct string, from date.Date, policy RoundingPolicy) Timeline {
	return Timeline{
		DayCount:  DayCount{Convention: conv},
		Principal: []BalanceChange{{On: from, Balance: usd(bal)}},
		Rates:     []RateChange{{On: from, Rate: rate.MustPercent(pct)}},
		Rounding:  policy,
		Mode:      money.HalfEven,
	}
}

// TestRoundingPolicyDiffers shows the two rounding points on a real loan:
// $10,000 at 7 % Act/365 for the 30 days of June 2024.
// Daily: 10,000 × 0.07 / 365 = 1.917808… → 1.92 a day, × 30 = 57.60.
// Once:  10,000 × 0.07 × 30 / 365 = 57.534246… → 57.53.
func TestRoundingPolicyDiffers(t *testing.T) {
	start, end := d(2024, 6, 1), d(2024, 7, 1)
	daily, err := flat(Act365Fixed, "10000.00", "7", start, RoundDaily).Accrue(start, end)
	require.NoError(t, err)
	moneytest.Equal(t, "57.60", daily.Interest)
	once, err := flat(Act365Fixed, "10000.00", "7", start, RoundAtPosting).Accrue(start, end)
	require.NoError(t, err)
	moneytest.Equal(t, "57.53", once.Interest)
	require.Equal(t, 30, once.Days)
}

// piecewise: $10,000 from 1 Jan 2024, paid down to $9,000 on 16 Jan; 6 %
// then 7.2 % from 21 Jan; Act/360 over January. By hand:
//
//	[1 Jan, 16 Jan)  15 d × 10,000 × 0.06  / 360 = 25.00
//	[16 Jan, 21 Jan)  5 d ×  9,000 × 0.06  / 360 =  7.50
//	[21 Jan, 1 Feb)  11 d ×  9,000 × 0.072 / 360 = 19.80   total 52.30
func piecewise(policy RoundingPolicy) Timeline {
	return Timeline{
		DayCount: DayCount{Convention: Act360},
		Principal: []BalanceChange{
			{On: d(2024, 1, 1), Balance: usd("10000.00")},
			{On: d(2024, 1, 16), Balance: usd("9000.00")},
		},
		Rates: []RateChange{
			{On: d(2023, 12, 1), Rate: rate.MustPercent("6")},
			{On: d(2024, 1, 21), Rate: rate.MustPercent("7.2")},
		},
		Rounding: policy,
		Mode:     money.HalfEven,
	}
}

func TestPiecewiseTimeline(t *testing.T) {
	for _, p := range []RoundingPolicy{RoundAtPosting, RoundDaily} {
		t.Run(string(p), func(t *testing.T) {
			r, err := piecewise(p).Accrue(d(2024, 1, 1), d(2024, 2, 1))
			require.NoError(t, err)
			// 10,000 × 0.06/360 = 1.666… a day is not a whole cent, so the
			// two policies differ on the first run.
			if p == RoundAtPosting {
				moneytest.Equal(t, "52.30", r.Interest)
			} else {
				// Daily: 15 × 1.67 + 5 × 1.50 + 11 × 1.80 = 25.05 + 7.50 + 19.80.
				moneytest.Equal(t, "52.35", r.Interest)
			}
			require.Len(t, r.Segments, 3)
			require.Equal(t, 31, r.Days)
			moneytest.Equal(t, "0.00", r.Forgiven)
		})
	}
}

// Non-accrual 10–13 Jan removes 3 days × 10,000 × 0.06/360 = 5.00: 47.30.
func TestNonAccrual(t *testing.T) {
	tl := piecewise(RoundAtPosting)
	tl.NonAccrual = []Period{{Start: d(2024, 1, 10), End: d(2024, 1, 13)}}
	r, err := tl.Accrue(d(2024, 1, 1), d(2024, 2, 1))
	require.NoError(t, err)
	moneytest.Equal(t, "47.30", r.Interest)
	require.Equal(t, 3, r.NonAccrualDays)
	require.Equal(t, 28, r.Days)
	pd, err := tl.PerDiem(d(2024, 1, 11))
	require.NoError(t, err)
	moneytest.Equal(t, "0.00", pd)
}

// SCRA: $100,000 at 9 %, capped at 6 % from 16 Jan 2024, Act/360, January.
// Charged: 100,000×0.09×15/360 = 375.00 plus 100,000×0.06×16/360 = 266.666…
// = 641.666… → 641.67. Contract: 375.00 + 100,000×0.09×16/360 = 400.00 →
// 775.00. Forgiven: 775.00 − 641.67 = 133.33.
func TestSCRACapForgiven(t *testing.T) {
	tl := flat(Act360, "100000.00", "9", d(2024, 1, 1), RoundAtPosting)
	tl.Caps = []RateCap{{From: d(2024, 1, 16), To: d(2025, 1, 16), Max: rate.MustPercent("6")}}
	r, err := tl.Accrue(d(2024, 1, 1), d(2024, 2, 1))
	require.NoError(t, err)
	moneytest.Equal(t, "641.67", r.Interest)
	moneytest.Equal(t, "133.33", r.Forgiven)
	// Per diem under the cap: 100,000 × 0.06 / 360 = 16.666… → 16.67.
	pd, err := tl.PerDiem(d(2024, 3, 1))
	require.NoError(t, err)
	moneytest.Equal(t, "16.67", pd)
}

// Monthly compounding: $1,000 at 12 % 30/360 from 1 Jan 2024 for 3 months.
// Jan 10.00 → 1,010.00; Feb 10.10 → 1,020.10; Mar 10.201 → 10.20. Total
// 30.30, all capitalized (the last on 1 Apr, the end date).
func TestCompoundingMonthly(t *testing.T) {
	tl := flat(Thirty360US, "1000.00", "12", d(2024, 1, 1), RoundAtPosting)
	tl.Compounding = Compounding{EveryMonths: 1, Anchor: d(2024, 1, 1)}
	r, err := tl.Accrue(d(2024, 1, 1), d(2024, 4, 1))
	require.NoError(t, err)
	moneytest.Equal(t, "30.30", r.Interest)
	moneytest.Equal(t, "30.30", r.Capitalized)
	// Simple interest for comparison: 1,000 × 0.12 × 90/360 = 30.00.
	tl.Compounding = Compounding{}
	r, err = tl.Accrue(d(2024, 1, 1), d(2024, 4, 1))
	require.NoError(t, err)
	moneytest.Equal(t, "30.00", r.Interest)
}

// Daily compounding: $10,000 at 36.5 % Act/365 for 3 days: 10.00 →
// 10,010.00; 10.01 → 10,020.01; 10.02001 → 10.02. Total 30.03.
func TestCompoundingDaily(t *testing.T) {
	tl := flat(Act365Fixed, "10000.00", "36.5", d(2024, 1, 1), RoundAtPosting)
	tl.Compounding = Compounding{Daily: true}
	r, err := tl.Accrue(d(2024, 1, 1), d(2024, 1, 4))
	require.NoError(t, err)
	moneytest.Equal(t, "30.03", r.Interest)
	moneytest.Equal(t, "30.03", r.Capitalized)
}

// Accrued-but-unpaid as of 1 Feb: 52.30 accrued (see piecewise) less 25.00
// paid on 16 Jan = 27.30. A payment after asOf does not count.
func TestAccruedUnpaid(t *testing.T) {
	tl := piecewise(RoundAtPosting)
	got, err := tl.AccruedUnpaid(d(2024, 1, 1), d(2024, 2, 1), []InterestPayment{
		{On: d(2024, 1, 16), Amount: usd("25.00")},
		{On: d(2024, 2, 2), Amount: usd("99.00")},
	})
	require.NoError(t, err)
	moneytest.Equal(t, "27.30", got)
	_, err = tl.AccruedUnpaid(d(2024, 1, 1), d(2024, 2, 1), []InterestPayment{{On: d(2024, 1, 2), Amount: money.MustParse("1", money.EUR)}})
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"paid[0].Amount"}, field.Fields(err))
}

func TestTimelineErrors(t *testing.T) {
	good := piecewise(RoundAtPosting)
	tests := []struct {
		name   string
		mutate func(*Timeline)
		start  date.Date
		end    date.Date
		fields []string
	}{
		{"end before start", func(*Timeline) {}, d(2024, 2, 1), d(2024, 1, 1), []string{"end"}},
		{"negative balance", func(t *Timeline) { t.Principal[1].Balance = usd("-1.00") }, d(2024, 1, 1), d(2024, 2, 1), []string{"Timeline.Principal[1].Balance"}},
		{"unknown convention", func(t *Timeline) { t.DayCount.Convention = "NOPE" }, d(2024, 1, 1), d(2024, 2, 1), []string{"Timeline.DayCount.Convention"}},
		{"ICMA without reference", func(t *Timeline) { t.DayCount.Convention = ActActICMA }, d(2024, 1, 1), d(2024, 2, 1), []string{"Timeline.DayCount.Reference"}},
		{"balance starts late", func(*Timeline) {}, d(2023, 12, 15), d(2024, 2, 1), []string{"Timeline.Principal[0].On"}},
		{"no rounding", func(t *Timeline) { t.Rounding = ""; t.Mode = "" }, d(2024, 1, 1), d(2024, 2, 1), []string{"Timeline.Rounding", "Timeline.Mode"}},
		{"unsorted rates", func(t *Timeline) { t.Rates[1].On = t.Rates[0].On }, d(2024, 1, 1), d(2024, 2, 1), []string{"Timeline.Rates[1].On"}},
		{"negative rate", func(t *Timeline) { t.Rates[0].Rate = rate.MustPercent("-1") }, d(2024, 1, 1), d(2024, 2, 1), []string{"Timeline.Rates[0].Rate"}},
		{"compounding anchor", func(t *Timeline) { t.Compounding = Compounding{EveryMonths: 1, Anchor: date.Date(-1)} }, d(2024, 1, 1), d(2024, 2, 1), []string{"Timeline.Compounding.Anchor"}},
		{"empty timelines", func(t *Timeline) { t.Principal = nil; t.Rates = nil }, d(2024, 1, 1), d(2024, 2, 1), []string{"Timeline.Principal", "Timeline.Rates"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := good
			tl.Principal = append([]BalanceChange(nil), good.Principal...)
			tl.Rates = append([]RateChange(nil), good.Rates...)
			tc.mutate(&tl)
			_, err := tl.Accrue(tc.start, tc.end)
			require.ErrorIs(t, err, ErrInvalidInput)
			require.Equal(t, tc.fields, field.Fields(err))
		})
	}
	require.NoError(t, good.Validate())
}
