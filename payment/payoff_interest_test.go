package payment

import (
	"math/big"
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// bullet is a loan whose only open item is principal due after the payoff
// date, so the quote is principal + accrued interest.
func bullet(t testing.TB, principal string) []Receivable {
	return []Receivable{{Installment: 1, Component: Principal, DueDate: d(2030, time.January, 1), Open: usd(t, principal)}}
}

// TestQuoteFannieMaeByHand checks the conventional payoff rule (RULES.md
// "Interest methods": whole months on a 360-day year, the part month on a
// 365-day year, up to but not including the day funds arrive) on
// 200,000.00 at 6.5 %: a year's interest is 13,000.00, a month's
// 13,000 / 12 = 1,083.333…, a day's 13,000 / 365 = 35.6164… → 35.62.
func TestQuoteFannieMaeByHand(t *testing.T) {
	tests := []struct {
		name           string
		from, on       date.Date
		months, days   int
		accrued, first string // rounded once; per diem (and month) first
	}{
		// 1 Mar → 1 Apr → 1 May: 2 months; 1 May → 17 May: 16 days (the 17th,
		// when funds arrive, excluded). 2,166.666… + 13,000 × 16 / 365 =
		// 569.863… → 2,736.5296… → 2,736.53. First: 1,083.33 × 2 + 35.62 ×
		// 16 = 2,166.66 + 569.92 = 2,736.58. 2024 is a leap year: still 365.
		{"two months and 16 days", d(2024, time.March, 1), d(2024, time.May, 17), 2, 16, "2736.53", "2736.58"},
		// Exactly two months: 2,166.666… → 2,166.67; first 2,166.66.
		{"whole months only", d(2024, time.March, 1), d(2024, time.May, 1), 2, 0, "2166.67", "2166.66"},
		// Under a month: 13,000 × 14 / 365 = 498.630… → 498.63; 35.62 × 14 = 498.68.
		{"part month only", d(2024, time.March, 1), d(2024, time.March, 15), 0, 14, "498.63", "498.68"},
		// From 31 Jan the months end 29 Feb, 31 Mar: 31 Mar > 30 Mar, so 1
		// month and 29 Feb → 30 Mar = 30 days. 1,083.333… + 13,000 × 30 / 365
		// = 1,068.493… → 2,151.8265… → 2,151.83; first 1,083.33 + 35.62 × 30
		// = 1,083.33 + 1,068.60 = 2,151.93.
		{"month end anchor", d(2024, time.January, 31), d(2024, time.March, 30), 1, 30, "2151.83", "2151.93"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := QuoteRequest{
				On: tc.on, Currency: money.USD, Receivables: bullet(t, "200000.00"), InterestFrom: tc.from,
				Method: FannieMaeConventional, Rate: rate.MustPercent("6.5"), Rounding: money.HalfEven,
			}
			q, err := Quote(req)
			require.NoError(t, err)
			require.Equal(t, tc.months, q.InterestMonths)
			require.Equal(t, tc.days, q.AccrualDays)
			moneytest.Equal(t, "35.62", q.PerDiem)
			moneytest.Equal(t, tc.accrued, q.AccruedInterest)
			moneytest.Equal(t, usd(t, "200000.00").Add(usd(t, tc.accrued)), q.Total)
			a, err := Allocate(GSEMortgage(), q.Posting(q.Total))
			require.NoError(t, err)
			allPaid(t, q.Posting(q.Total), a)

			req.PerDiemFirst = true
			q, err = Quote(req)
			require.NoError(t, err)
			moneytest.Equal(t, tc.first, q.AccruedInterest)
		})
	}
}

// TestQuoteDayCountByHand: 100,000.00 at 5 % (5,000.00 a year) under the
// loan's convention.
func TestQuoteDayCountByHand(t *testing.T) {
	tests := []struct {
		name       string
		dc         accrual.DayCount
		from, on   date.Date
		days       int
		perDiem    string
		accrued    string
		firstTotal string // per diem × days
	}{
		// Act/Act ISDA, 15 Dec 2023 → 15 Jan 2024: 17 days of 2023 over 365
		// and 14 of 2024 over 366: 5,000 × (17/365 + 14/366) = 232.876… +
		// 191.256… = 424.1335… → 424.13. Per diem on a January 2024 day:
		// 5,000 / 366 = 13.661… → 13.66; × 31 = 423.46.
		{"act/act isda across a year end", accrual.DayCount{Convention: accrual.ActActISDA},
			d(2023, time.December, 15), d(2024, time.January, 15), 31, "13.66", "424.13", "423.46"},
		// 30U/360, 31 Jan → 15 Mar 2024: D1 31 → 30, 2 × 30 + 15 − 30 = 45
		// days; 5,000 × 45 / 360 = 625.00. Per diem 5,000 / 360 = 13.888… →
		// 13.89; × 45 = 625.05.
		{"30/360 US", accrual.DayCount{Convention: accrual.Thirty360US},
			d(2024, time.January, 31), d(2024, time.March, 15), 45, "13.89", "625.00", "625.05"},
		// Act/360, the same 31 days: 5,000 × 31 / 360 = 430.555… → 430.56;
		// 13.89 × 31 = 430.59.
		{"act/360", accrual.DayCount{Convention: accrual.Act360},
			d(2023, time.December, 15), d(2024, time.January, 15), 31, "13.89", "430.56", "430.59"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := QuoteRequest{
				On: tc.on, Currency: money.USD, Receivables: bullet(t, "100000.00"), InterestFrom: tc.from,
				DayCount: tc.dc, Rate: rate.MustPercent("5"), Rounding: money.HalfEven,
			}
			q, err := Quote(req)
			require.NoError(t, err)
			require.Equal(t, tc.days, q.AccrualDays)
			require.Zero(t, q.InterestMonths)
			moneytest.Equal(t, tc.perDiem, q.PerDiem)
			moneytest.Equal(t, tc.accrued, q.AccruedInterest)
			req.PerDiemFirst = true
			q, err = Quote(req)
			require.NoError(t, err)
			moneytest.Equal(t, tc.firstTotal, q.AccruedInterest)
		})
	}
}

func TestQuoteInterestValidation(t *testing.T) {
	base := QuoteRequest{
		On: d(2024, time.March, 15), Currency: money.USD, Receivables: bullet(t, "1000.00"),
		InterestFrom: d(2024, time.March, 1), Rate: rate.MustPercent("5"), Rounding: money.HalfEven,
	}
	tests := []struct {
		name   string
		change func(*QuoteRequest)
		fields []string
	}{
		{"days in year with a method", func(q *QuoteRequest) { q.Method, q.DaysInYear = FannieMaeConventional, 365 },
			[]string{"QuoteRequest.DaysInYear"}},
		{"accrual days with a day count", func(q *QuoteRequest) {
			q.DayCount, q.AccrualDays = accrual.DayCount{Convention: accrual.Act360}, 14
		}, []string{"QuoteRequest.AccrualDays"}},
		{"method and day count", func(q *QuoteRequest) {
			q.Method, q.DayCount = FannieMaeConventional, accrual.DayCount{Convention: accrual.Act360}
		}, []string{"QuoteRequest.DayCount"}},
		{"unknown method", func(q *QuoteRequest) { q.Method = "rule_of_78s" }, []string{"QuoteRequest.Method"}},
		{"bad day count", func(q *QuoteRequest) {
			q.DayCount = accrual.DayCount{Convention: accrual.Basis, YearDays: "400"}
		}, []string{"QuoteRequest.DayCount.YearDays", "QuoteRequest.DayCount.MonthDays"}},
		{"neither day count nor days in year", func(q *QuoteRequest) {}, []string{"QuoteRequest.DaysInYear"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := base
			tc.change(&q)
			_, err := Quote(q)
			require.ErrorIs(t, err, ErrInvalidQuote)
			require.Equal(t, tc.fields, fieldsOf(err))
		})
	}
}

// checkAccruedByMethod is the math/big oracle for the DayCount and
// FannieMaeConventional paths of the random quote test, with its own month
// stepping (time.Date normalisation, clamped) and day-by-day Act/Act sum.
func checkAccruedByMethod(t *testing.T, req QuoteRequest, q PayoffQuote) {
	t.Helper()
	var upb int64
	for _, r := range req.Receivables {
		if r.Component == Principal {
			upb += r.Open.Minor()
		}
	}
	yearly := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(upb), big.NewInt(req.Rate.Units())), big.NewInt(rate.Unit))
	var yf, day *big.Rat
	days := 0
	switch {
	case req.Method == FannieMaeConventional:
		fy, fm, fd := req.InterestFrom.Date()
		step := func(k int) date.Date {
			last := time.Date(fy, fm+time.Month(k)+1, 0, 0, 0, 0, 0, time.UTC) // last day of month fm+k
			return date.New(last.Year(), last.Month(), min(fd, last.Day()))
		}
		months := 0
		for step(months+1) <= req.On {
			months++
		}
		days = int(req.On - step(months))
		require.Equal(t, months, q.InterestMonths)
		yf = new(big.Rat).Add(big.NewRat(int64(months), 12), big.NewRat(int64(days), 365))
		day = big.NewRat(1, 365)
	case req.DayCount.Convention == accrual.Act360 || req.DayCount.Convention == accrual.Act365Fixed:
		den := int64(360)
		if req.DayCount.Convention == accrual.Act365Fixed {
			den = 365
		}
		days = int(req.On - req.InterestFrom)
		yf, day = big.NewRat(int64(days), den), big.NewRat(1, den)
	case req.DayCount.Convention == accrual.ActActISDA:
		yearLen := func(x date.Date) int64 {
			y, _, _ := x.Date()
			return int64(time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).YearDay())
		}
		yf = new(big.Rat)
		for x := req.InterestFrom; x < req.On; x++ {
			yf.Add(yf, big.NewRat(1, yearLen(x)))
		}
		days = int(req.On - req.InterestFrom)
		day = big.NewRat(1, yearLen(req.On))
	default:
		t.Fatalf("no oracle for %+v", req)
	}
	require.Equal(t, days, q.AccrualDays)
	within := func(got int64, exact *big.Rat) {
		lo := new(big.Int).Quo(exact.Num(), exact.Denom()).Int64()
		require.True(t, got == lo || got == lo+1, "got %d vs exact %s", got, exact.FloatString(4))
	}
	daily := new(big.Rat).Mul(yearly, day)
	within(q.PerDiem.Minor(), daily)
	if req.PerDiemFirst && req.Method == "" {
		require.Equal(t, q.PerDiem.Minor()*int64(days), q.AccruedInterest.Minor())
		return
	}
	if req.PerDiemFirst {
		// Months and days rounded separately: within one unit per part.
		exact := new(big.Rat).Mul(yearly, yf)
		lo := new(big.Int).Quo(exact.Num(), exact.Denom()).Int64()
		slack := int64(q.InterestMonths + days + 1)
		require.InDelta(t, lo, q.AccruedInterest.Minor(), float64(slack))
		return
	}
	within(q.AccruedInterest.Minor(), new(big.Rat).Mul(yearly, yf))
}
