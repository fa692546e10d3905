package servicing_test

import (
	"testing"

	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// BenchmarkFoldNoticeDue folds a 30-year mortgage's 360 payments, on time
// or 20 days late each month, without and with Terms.NoticeDue (every
// calendar kind): what reporting the calendar's notices as domain events
// costs the fold. Compare the ratios within one run.
func BenchmarkFoldNoticeDue(b *testing.B) {
	for _, c := range []struct {
		name string
		late date.Date
		on   bool
	}{{"ontime/off", 0, false}, {"ontime/on", 0, true}, {"late/off", 20, false}, {"late/on", 20, true}} {
		t := mortgage()
		if c.on {
			t.NoticeDue = loan.NoticeDueKinds
		}
		l := newLog(t)
		for k := range 360 {
			l.pay(d(2024, 3, 1).AddDate(0, k, 0)+c.late, "1199.10")
		}
		asOf := d(2054, 3, 1)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := loan.Fold(loan.Initial(l.terms), l.events, asOf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
