package accrual

import (
	"math/big"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestActActFineract works Fineract's Actual/Actual by hand: 31 December
// counts in the following year.
func TestActActFineract(t *testing.T) {
	dc := DayCount{Convention: ActActFineract}
	d := func(y int, m time.Month, day int) date.Date { return date.New(y, m, day) }
	for _, c := range []struct {
		name       string
		start, end date.Date
		want       *big.Rat // the fraction worked by hand
	}{
		{"one month in a leap year", d(2024, time.January, 12), d(2024, time.February, 12), big.NewRat(31, 366)},
		{"one month in a common year", d(2023, time.March, 1), d(2023, time.April, 1), big.NewRat(31, 365)},
		// 19/365 + 12/366 (ISDA: 20/365 + 11/366).
		{"across 1 January", d(2023, time.December, 12), d(2024, time.January, 12),
			new(big.Rat).Add(big.NewRat(19, 365), big.NewRat(12, 366))},
		{"31 December alone", d(2023, time.December, 31), d(2024, time.January, 1), big.NewRat(1, 366)},
		{"to 31 December", d(2023, time.December, 1), d(2023, time.December, 31), big.NewRat(30, 365)},
		// 30/365 (1 Dec → 31 Dec 2023) + 1 (2024 whole) + 1/365 (31 Dec 2024 → 1 Jan 2025).
		{"two years", d(2023, time.December, 1), d(2025, time.January, 1),
			new(big.Rat).Add(big.NewRat(31, 365), big.NewRat(1, 1))},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := dc.YearFraction(c.start, c.end)
			require.NoError(t, err)
			require.Zero(t, f.Rat().Cmp(c.want), "got %s, want %s", f, c.want.RatString())
		})
	}
	isda, err := DayCount{Convention: ActActISDA}.YearFraction(d(2023, time.December, 12), d(2024, time.January, 12))
	require.NoError(t, err)
	want := new(big.Rat).Add(big.NewRat(20, 365), big.NewRat(11, 366))
	require.Zero(t, isda.Rat().Cmp(want), "ISDA counts 31 December in its own year")

	n, err := dc.DaysInYear(d(2023, time.December, 31))
	require.NoError(t, err)
	require.Equal(t, 366, n, "31 December 2023 is counted in 2024")
	n, err = dc.DaysInYear(d(2023, time.December, 30))
	require.NoError(t, err)
	require.Equal(t, 365, n)
}
