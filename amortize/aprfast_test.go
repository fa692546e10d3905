package amortize

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// fuzzUnit is the unit-period of a fuzz case.
func fuzzUnit(kind, every uint8) schedule.Frequency {
	switch kind % 4 {
	case 0:
		return schedule.EveryMonths(1 + int(every)%12)
	case 1:
		return schedule.SemiMonthly(1, 16)
	case 2:
		return schedule.Frequency{Unit: schedule.UnitWeek, Every: 1 + int(every)%4}
	}
	return schedule.EveryDays(1 + int(every)%400)
}

// FuzzUnitPeriodsQuick holds unitPeriodsQuick equal to unitPeriodsBetween
// (whole unit-periods and the fraction) for advances from 1970 to 2100,
// payments up to 100 years later and every unit.
func FuzzUnitPeriodsQuick(f *testing.F) {
	f.Add(int64(3000), int64(31), uint8(0), uint8(0))
	f.Add(int64(3030), int64(10950), uint8(0), uint8(2))
	f.Add(int64(59), int64(400), uint8(1), uint8(0))
	f.Add(int64(12345), int64(1000), uint8(2), uint8(1))
	f.Add(int64(777), int64(99), uint8(3), uint8(98))
	f.Fuzz(func(t *testing.T, adv, span int64, kind, every uint8) {
		a := date.New(1970, time.January, 1) + date.Date(abs(adv)%47_000)
		p := a + 1 + date.Date(abs(span)%36_500)
		u := fuzzUnit(kind, every)
		w, f := unitPeriodsBetween(a, p, u)
		qw, fn, fd := unitPeriodsQuick(a, p, u)
		if w != qw || !f.Equal(ratio(fn, fd)) {
			t.Fatalf("%s → %s by %s: reference %d + %s, quick %d + %d/%d", a, p, u, w, f, qw, fn, fd)
		}
	})
}

// FuzzAPRFast holds APR (the fixed-point enclosure, falling back to the
// decimal solver) equal to aprExact (the decimal solver alone): the same
// APR to the rate unit, the same error, and unit-period rates within
// 10^-14, over one regular stream with optional odd first and final
// payments, every unit and single payments.
func FuzzAPRFast(f *testing.F) {
	f.Add(int64(19_700_000), int64(126_414), 360, uint8(0), uint8(0), int64(31), int64(0), int64(0))
	f.Add(int64(500_000), int64(23_000), 24, uint8(0), uint8(0), int64(31), int64(25_000), int64(28_000))
	f.Add(int64(50_000), int64(1_760), 30, uint8(2), uint8(0), int64(32), int64(0), int64(0))
	f.Add(int64(500_000), int64(21_917), 24, uint8(1), uint8(0), int64(6), int64(0), int64(0))
	f.Add(int64(100_000), int64(103_000), 1, uint8(3), uint8(99), int64(100), int64(0), int64(0))
	f.Add(int64(800_000), int64(46_500), 18, uint8(0), uint8(1), int64(50), int64(44_936), int64(0))
	f.Fuzz(func(t *testing.T, amount, pay int64, count int, kind, every uint8, first, oddFirst, oddLast int64) {
		adv := date.New(2024, time.January, 15)
		amt := 1 + abs(amount)%100_000_000_000
		req := APRRequest{AmountFinanced: money.MustNew(amt, money.USD), Advance: adv}
		u := fuzzUnit(kind, every)
		start := adv + 1 + date.Date(abs(first)%120)
		p := 1 + abs(pay)%(2*amt)
		st := PaymentStream{Amount: money.MustNew(p, money.USD), Count: 1 + int(abs(int64(count))%400), First: start, Frequency: u}
		if u.Unit == schedule.UnitSemiMonth {
			st.First = date.New(2024, time.February, 1)
		}
		req.Streams = append(req.Streams, st)
		if oddFirst > 0 {
			req.Payments = append(req.Payments, Payment{Date: adv + 1, Amount: money.MustNew(1+oddFirst%amt, money.USD)})
		}
		if oddLast > 0 {
			req.Payments = append(req.Payments, Payment{Date: start + 20_000, Amount: money.MustNew(1+oddLast%amt, money.USD)})
		}
		got, gerr := APR(req)
		want, werr := aprExact(req)
		if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("errors differ: fast %v, exact %v", gerr, werr)
		}
		if gerr != nil {
			return
		}
		if got.APR != want.APR || got.UnitPeriod != want.UnitPeriod || got.UnitPeriodsPerYearFraction != want.UnitPeriodsPerYearFraction {
			t.Fatalf("%+v: fast %s, exact %s", req, got.APR, want.APR)
		}
		if d := got.UnitPeriodRate.Sub(want.UnitPeriodRate).Abs(); d.GreaterThan(decimal.New(1, -14)) {
			t.Fatalf("unit-period rates %s and %s", got.UnitPeriodRate, want.UnitPeriodRate)
		}
	})
}

// TestAPRFastDecidesVectors: every Appendix J example in the shared vectors
// and the benchmark mortgage is decided by the fixed-point path itself (no
// fallback) and agrees with the decimal solver.
func TestAPRFastDecidesVectors(t *testing.T) {
	raw, err := os.ReadFile("../testdata/vectors/regz_apr.json")
	require.NoError(t, err)
	var file struct {
		Cases []struct {
			ID     string `json:"id"`
			Inputs struct {
				Amount  string `json:"amount_financed"`
				Advance string `json:"advance_date"`
				Streams []struct {
					Amount   string `json:"amount"`
					First    string `json:"first_date"`
					Count    int    `json:"count"`
					Interval struct {
						Unit      string `json:"unit"`
						Multiple  int    `json:"multiple"`
						SecondDay int    `json:"second_day"`
					}
				} `json:"payment_streams"`
			} `json:"inputs"`
		} `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	reqs := []APRRequest{aprMortgage(t)}
	for _, c := range file.Cases {
		req := APRRequest{AmountFinanced: money.MustParse(c.Inputs.Amount, money.USD), Advance: must(date.ParseISO(c.Inputs.Advance))}
		for _, s := range c.Inputs.Streams {
			first := must(date.ParseISO(s.First))
			var fr schedule.Frequency
			switch s.Interval.Unit {
			case "month":
				fr = schedule.EveryMonths(s.Interval.Multiple)
			case "semimonth":
				d1, d2 := first.Day(), s.Interval.SecondDay
				if d2 < d1 {
					d1, d2 = d2, d1
				}
				fr = schedule.SemiMonthly(d1, d2)
			case "week":
				fr = schedule.Frequency{Unit: schedule.UnitWeek, Every: s.Interval.Multiple}
			default:
				fr = schedule.EveryDays(s.Interval.Multiple)
			}
			req.Streams = append(req.Streams, PaymentStream{Amount: money.MustParse(s.Amount, money.USD), Count: s.Count, First: first, Frequency: fr})
		}
		reqs = append(reqs, req)
	}
	for k, req := range reqs {
		pays, unit, err := req.expand()
		require.NoError(t, err)
		py, err := unitPeriodsPerYear(unit)
		require.NoError(t, err)
		got, ok := aprFast(req.AmountFinanced, req.Advance, pays, unit, py)
		require.True(t, ok, "case %d undecided: %+v", k, req)
		want, err := aprExact(req)
		require.NoError(t, err)
		require.Equal(t, want.APR, got.APR, "case %d", k)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestAPRSingleAdvanceSinglePayment: a single advance repaid by a single
// payment has the term as its unit-period (Appendix J (b)(4)(ii), (b)(5)):
//   - 1,000.00 on 1 Jan 2024, 1,030.00 100 days later (10 Apr): a 100-day
//     unit, 365/100 unit-periods a year, i = 3 %, APR 3 % × 3.65 = 10.95 %;
//   - 1,000.00 on 15 Jan, 1,080.00 on 15 Jul: six whole months, 2 a year,
//     i = 8 %, APR 16.00 %;
//   - 1,000.00 on 15 Jan 2024, 1,200.00 on 15 Jul 2025 (18 months): a
//     one-year unit, t = 1 and f = 6/12: (1 + i/2)(1 + i) = 1.2, i = √2.65 −
//     1.5 = 12.788 %, APR 12.79 %.
func TestAPRSingleAdvanceSinglePayment(t *testing.T) {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	cases := []struct {
		adv, pay  date.Date
		amt, p    string
		unit      schedule.Frequency
		num, den  int64
		whole     int
		apr2, exp string
	}{
		{date.New(2024, 1, 1), date.New(2024, 4, 10), "1000", "1030", schedule.EveryDays(100), 73, 20, 0, "10.95", "0.1095"},
		{date.New(2024, 1, 15), date.New(2024, 7, 15), "1000", "1080", schedule.EveryMonths(6), 2, 1, 2, "16.00", "0.16"},
		{date.New(2024, 1, 15), date.New(2025, 7, 15), "1000", "1200", schedule.EveryMonths(12), 1, 1, 1, "12.79", ""},
	}
	for _, c := range cases {
		req := APRRequest{AmountFinanced: usd(c.amt), Advance: c.adv, Payments: []Payment{{Date: c.pay, Amount: usd(c.p)}}}
		res, err := APR(req)
		require.NoError(t, err)
		require.Equal(t, c.unit, res.UnitPeriod)
		require.Equal(t, c.num, res.UnitPeriodsPerYearFraction.Num)
		require.Equal(t, c.den, res.UnitPeriodsPerYearFraction.Den)
		require.Equal(t, c.whole, res.UnitPeriodsPerYear)
		got, _ := money.RoundDecimal(res.APR.PercentValue(), 2, money.HalfUp)
		require.Equal(t, c.apr2, got.StringFixed(2))
		if c.exp != "" {
			require.True(t, res.APR.Fraction().Equal(decimal.RequireFromString(c.exp)), "APR %s", res.APR.Fraction())
		}
		ex, err := aprExact(req)
		require.NoError(t, err)
		require.Equal(t, ex.APR, res.APR)
	}
	// The same 100-day payment with a stream of one: the unit is still the term.
	res, err := APR(APRRequest{AmountFinanced: usd("1000"), Advance: date.New(2024, 1, 1),
		Streams: []PaymentStream{{Amount: usd("1030"), Count: 1, First: date.New(2024, 4, 10), Frequency: schedule.Monthly()}}})
	require.NoError(t, err)
	require.Equal(t, schedule.EveryDays(100), res.UnitPeriod)
}
