package accrual

import (
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// series is a hand-written IndexSeries over fixed publications.
type series map[date.Date]rate.Rate

func (s series) ValueOn(d date.Date) (rate.Rate, bool) { v, ok := s[d]; return v, ok }

func pct(s string) rate.Rate { return rate.MustPercent(s) }

// TestARMAdjust walks a 5 % ARM, margin 2.75 %, nearest 1/8 %, 45-day
// look-back, first-change ±2, periodic ±1, lifetime +2.5/−5, floor 2.75 %.
// By hand (index read 45 days before each change):
//
//	2025-01-01: 4.02 + 2.75 = 6.77 → 6.750 (nearest 1/8); within 5 ± 2 → 6.75
//	2026-01-01: 6.50 + 2.75 = 9.25 → 9.250; periodic 6.75 + 1 = 7.75; lifetime 5 + 2.5 = 7.50 → 7.50
//	2027-01-01: 0.10 + 2.75 = 2.85 → 2.875; periodic floor 7.50 − 1 = 6.50 → 6.50
//	2028-01-01: 0.00 + 2.75 = 2.75; periodic floor 5.50 → 5.50
func TestARMAdjust(t *testing.T) {
	changes := []date.Date{d(2025, 1, 1), d(2026, 1, 1), d(2027, 1, 1), d(2028, 1, 1)}
	idx := series{}
	for i, v := range []string{"4.02", "6.5", "0.1", "0"} {
		idx[changes[i]-45] = pct(v)
	}
	arm := ARM{
		InitialRate: pct("5"), Margin: pct("2.75"),
		RoundingStep: pct("0.125"), RoundingMode: money.HalfUp, LookBackDays: 45,
		FirstChange: &Bound{Up: pct("2"), Down: pct("2")},
		Periodic:    &Bound{Up: pct("1"), Down: pct("1")},
		Lifetime:    &Bound{Up: pct("2.5"), Down: pct("5")},
		Floor:       ptr(pct("2.75")),
	}
	adjs, err := arm.Adjust(changes, idx)
	require.NoError(t, err)
	want := []string{"6.75", "7.5", "6.5", "5.5"}
	full := []string{"6.75", "9.25", "2.875", "2.75"}
	for i, a := range adjs {
		require.Equal(t, pct(want[i]), a.Rate, "change %d", i)
		require.Equal(t, pct(full[i]), a.FullyIndexed, "change %d", i)
		require.Equal(t, changes[i]-45, a.IndexDate)
	}
	tl := arm.RateTimeline(d(2024, 1, 1), adjs)
	require.Len(t, tl, 5)
	require.Equal(t, pct("5"), tl[0].Rate)

	_, err = arm.Adjust([]date.Date{d(2029, 1, 1)}, idx)
	require.ErrorIs(t, err, ErrIndexMissing)
	require.Equal(t, []string{"changes[0]"}, field.Fields(err))

	bad := arm
	bad.RoundingMode = ""
	bad.LookBackDays = -1
	_, err = bad.Adjust([]date.Date{d(2026, 1, 1), d(2025, 1, 1)}, nil)
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"idx", "ARM.RoundingMode", "ARM.LookBackDays", "changes[1]"}, field.Fields(err))
}

// An ARM's rates feed a timeline: $100,000, 5 % in 2024 then 6.75 % from
// 1 Jan 2025, Act/365, accrued over 30 Dec 2024 – 3 Jan 2025:
// 2 days × 100,000 × 0.05/365 = 27.397… plus 2 days × 100,000 × 0.0675/365
// = 36.986…; total 64.383… → 64.38.
func TestARMTimeline(t *testing.T) {
	arm := ARM{InitialRate: pct("5"), Margin: pct("2.75")}
	adjs, err := arm.Adjust([]date.Date{d(2025, 1, 1)}, series{d(2025, 1, 1): pct("4")})
	require.NoError(t, err)
	tl := Timeline{
		DayCount:  DayCount{Convention: Act365Fixed},
		Principal: []BalanceChange{{On: d(2024, 1, 1), Balance: usd("100000.00")}},
		Rates:     arm.RateTimeline(d(2024, 1, 1), adjs),
		Rounding:  RoundAtPosting, Mode: money.HalfEven,
	}
	r, err := tl.Accrue(d(2024, 12, 30), d(2025, 1, 3))
	require.NoError(t, err)
	require.Equal(t, "64.38", r.Interest.Decimal().StringFixed(2))
}
