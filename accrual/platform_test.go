package accrual

import (
	"math/rand/v2"
	"testing"

	"github.com/rickb777/date/v2"
)

// TestBasisMatchesNamedConventions backs the settings table in doc.go: each
// platform setting that has a named ISDA equivalent gives the same year
// fraction on random intervals spanning month ends, Februaries and leap
// years (1999–2026).
func TestBasisMatchesNamedConventions(t *testing.T) {
	pairs := []struct {
		name  string
		basis DayCount
		named DayCount
	}{
		{"360/30 = 30/360 Bond Basis", DayCount{Convention: Basis, YearDays: Year360, MonthDays: Month30}, DayCount{Convention: Thirty360BondBasis}},
		{"360/actual = Act/360", DayCount{Convention: Basis, YearDays: Year360, MonthDays: MonthActual}, DayCount{Convention: Act360}},
		{"365/actual = Act/365F", DayCount{Convention: Basis, YearDays: Year365, MonthDays: MonthActual}, DayCount{Convention: Act365Fixed}},
		{"actual/actual whole year = Act/Act ISDA", DayCount{Convention: Basis, YearDays: YearActual, MonthDays: MonthActual, Leap: LeapWholeYear}, DayCount{Convention: ActActISDA}},
	}
	rng := rand.New(rand.NewPCG(7, 11))
	lo := int(date.New(1999, 1, 1))
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			for range 5000 {
				a := date.Date(lo + rng.IntN(28*365))
				b := a + date.Date(rng.IntN(800))
				got, err := p.basis.YearFraction(a, b)
				if err != nil {
					t.Fatal(err)
				}
				want, err := p.named.YearFraction(a, b)
				if err != nil {
					t.Fatal(err)
				}
				if got.Cmp(want) != 0 {
					t.Fatalf("[%s, %s): basis %d/%d, named %d/%d", a, b, got.Num, got.Den, want.Num, want.Den)
				}
			}
		})
	}
}
