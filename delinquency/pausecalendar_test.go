package delinquency

import (
	"testing"
	gotime "time"

	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// Days past due around pauses, counted by hand: an installment due 1 Mar
// 2024 with a pause 5 Mar – 5 Apr (31 days) and another 10 Apr – 20 Apr
// (10 days, overlapping a third 15 – 18 Apr). On 11 Apr: 41 days less the
// 31 paused and 1 (10 Apr) = 9. On 30 Apr: 60 days less 31 and 10 = 19.
// The 30th day past due is reached on 1 Mar + 30 + 31 + 10 = 11 May.
func TestPauseCalendar(t *testing.T) {
	d := func(m, day int) date.Date { return date.New(2024, gotime.Month(m), day) }
	c := NewPauseCalendar([]Pause{
		{Kind: Forbearance, From: d(4, 10), To: d(4, 20)},
		{Kind: DelinquencyPause, From: d(3, 5), To: d(4, 5)},
		{Kind: Deferment, From: d(4, 15), To: d(4, 18)},
	})
	require.Equal(t, 4, c.Days(d(3, 1), d(3, 5)))
	require.Equal(t, 4, c.Days(d(3, 1), d(4, 5)))
	require.Equal(t, 9, c.Days(d(3, 1), d(4, 11)))
	require.Equal(t, 19, c.Days(d(3, 1), d(4, 30)))
	require.Equal(t, 0, c.Days(d(4, 30), d(3, 1)))
	require.Equal(t, d(5, 11), c.Reached(d(3, 1), 30))
	require.Equal(t, d(3, 5), c.Reached(d(3, 1), 4))
	require.Equal(t, d(4, 6), c.Reached(d(3, 1), 5), "the first counted day after the pause")
	require.True(t, c.Paused(d(3, 5)) && c.Paused(d(4, 17)) && !c.Paused(d(4, 5)) && !c.Paused(d(4, 20)))
	var none PauseCalendar
	require.Equal(t, 30, none.Days(d(3, 1), d(3, 31)))
	require.Equal(t, d(3, 31), none.Reached(d(3, 1), 30))
	// Reached is Days' inverse: the first day with Days(s, t) == n.
	for n := range 90 {
		t0 := c.Reached(d(3, 1), n)
		require.Equal(t, n, c.Days(d(3, 1), t0), "n %d", n)
		if t0 > d(3, 1) {
			require.Less(t, c.Days(d(3, 1), t0-1), n, "n %d", n)
		}
	}
}
