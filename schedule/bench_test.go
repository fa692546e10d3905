package schedule

import (
	"testing"
	"time"

	"github.com/rickb777/date/v2"
)

var (
	sinkDues []Due
	sinkBool bool
	sinkTime time.Time
)

func plan360(cal Calendar, adj BusinessDayConvention) Plan {
	return Plan{Start: d("2024-01-01"), FirstDue: d("2024-01-31"), Count: 360, Frequency: Monthly(),
		EOM: EOMAnchor, Calendar: cal, Adjust: adj}
}

// BenchmarkDueDates360 generates a 30-year monthly schedule (on the 31st,
// so the end-of-month rule works every other month), unadjusted.
func BenchmarkDueDates360(b *testing.B) {
	p := plan360(nil, Unadjusted)
	b.ReportAllocs()
	for b.Loop() {
		sinkDues, _ = DueDates(p)
	}
}

// BenchmarkDueDates360Fed is the same schedule adjusted to Federal Reserve
// business days (modified following).
func BenchmarkDueDates360Fed(b *testing.B) {
	p := plan360(USFederalReserve(), ModifiedFollowing)
	b.ReportAllocs()
	for b.Loop() {
		sinkDues, _ = DueDates(p)
	}
}

// BenchmarkDueDates360Baseline is the naive way for comparison: 360 calls of
// time.Time.AddDate from the first due date (which is wrong at month ends,
// rolling 31 Jan + 1 month into March, and does no validation or
// adjustment). The ratio DueDates360 / Baseline is the cost of being right.
func BenchmarkDueDates360Baseline(b *testing.B) {
	first := time.Date(2024, time.January, 31, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, 360)
	b.ReportAllocs()
	for b.Loop() {
		for i := range out {
			out[i] = first.AddDate(0, i, 0)
		}
		sinkTime = out[359]
	}
}

// BenchmarkFedIsBusinessDay asks the Fed calendar about each day of a year
// in turn; ns/op is per call.
func BenchmarkFedIsBusinessDay(b *testing.B) {
	cal := USFederalReserve()
	start := d("2024-01-01")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkBool = cal.IsBusinessDay(start + date.Date(i%366))
		i++
	}
}

// BenchmarkAddBusinessDays7 is a payoff good-through date.
func BenchmarkAddBusinessDays7(b *testing.B) {
	cal := USFederalReserve()
	day := d("2024-07-03")
	b.ReportAllocs()
	for b.Loop() {
		day2 := AddBusinessDays(day, 7, cal)
		sinkBool = day2 > day
	}
}
