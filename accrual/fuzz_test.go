package accrual

import (
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// FuzzAccrue: any inputs give a result or an error, never a panic; with a
// non-negative balance and rate, interest and forgiven interest are never
// negative.
func FuzzAccrue(f *testing.F) {
	f.Add(int64(1880000), int64(900), int64(738000), uint16(31), uint8(0), uint8(0), int64(600), uint16(10))
	f.Add(int64(100), int64(1), int64(1), uint16(1), uint8(7), uint8(1), int64(0), uint16(0))
	f.Add(int64(money.MaxMinor), int64(1_000_000), int64(3650000), uint16(9000), uint8(10), uint8(2), int64(-5), uint16(400))
	f.Add(int64(-5), int64(-5), int64(-5), uint16(0), uint8(200), uint8(3), int64(1<<40), uint16(1))
	f.Fuzz(func(t *testing.T, bal, bps, startDay int64, span uint16, conv, flags uint8, capBps int64, capLen uint16) {
		convs := Conventions()
		start := date.Date(startDay)
		ref := Period{Start: start, End: start + 91}
		dc := DayCount{Convention: convs[int(conv)%len(convs)], FrequencyMonths: 3, Reference: &ref,
			YearDays: YearActual, MonthDays: MonthActual, Leap: LeapWholeYear}
		if conv >= 128 {
			dc.Convention = "BOGUS"
		}
		amt, err := money.New(bal, money.USD)
		if err != nil {
			return
		}
		r, err := rate.BasisPoints(bps)
		if err != nil {
			return
		}
		cp, _ := rate.BasisPoints(capBps % 100000)
		tl := Timeline{DayCount: dc, Mode: money.HalfEven, Rounding: RoundAtPosting,
			Principal: []BalanceChange{{On: start, Balance: amt}},
			Rates:     []RateChange{{On: start, Rate: r}},
			Caps:      []RateCap{{From: start + 3, To: start + 3 + date.Date(capLen), Max: cp}},
		}
		if flags&1 != 0 {
			tl.Rounding = RoundDaily
		}
		if flags&2 != 0 {
			tl.Compounding = Compounding{EveryMonths: 1, Anchor: start}
		}
		end := start + date.Date(span%2000)
		res, err := tl.Accrue(start, end)
		if err != nil {
			return
		}
		if bal >= 0 && bps >= 0 && (res.Interest.IsNegative() || res.Forgiven.IsNegative()) {
			t.Fatalf("negative interest %s forgiven %s", res.Interest, res.Forgiven)
		}
		if _, err := dc.YearFraction(start, end); err != nil {
			t.Fatalf("valid accrual but year fraction failed: %v", err)
		}
	})
}

// FuzzYearFraction: every convention over any dates returns a non-negative
// fraction or an error, never a panic.
func FuzzYearFraction(f *testing.F) {
	f.Add(int64(738000), int64(738400), uint8(0), int64(30), int64(120))
	f.Add(int64(0), int64(3652058), uint8(9), int64(-1), int64(0))
	f.Add(int64(730000), int64(729000), uint8(10), int64(5), int64(5))
	f.Fuzz(func(t *testing.T, a, b int64, conv uint8, refOff, refLen int64) {
		convs := Conventions()
		ref := Period{Start: date.Date(a + refOff%4000), End: date.Date(a + refOff%4000 + refLen%800)}
		dc := DayCount{Convention: convs[int(conv)%len(convs)], Reference: &ref, FrequencyMonths: int(conv % 13),
			EOM: conv&1 == 1, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapFeb29Period}
		yf, err := dc.YearFraction(date.Date(a), date.Date(b))
		if err != nil {
			return
		}
		if yf.Den <= 0 || yf.Num < 0 {
			t.Fatalf("%s: bad fraction %s", dc.Convention, yf)
		}
	})
}
