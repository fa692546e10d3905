package servicing

import (
	"slices"
	"testing"

	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// TestFoldOrderMatchesSort holds foldOrder's fast paths (in order already;
// only the last event out of place, in place and copied; the counting sort
// of a log in Seq order) equal to the readable order, a stable sort by
// (EffectiveOn, Seq): random logs of up to 300 events over a few days to
// many years, in Seq order or shuffled, with the last event backdated or
// not, and the input left as it was unless the caller gave it away.
func TestFoldOrderMatchesSort(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 300).Draw(t, "events")
		span := rapid.SampledFrom([]int{1, 7, 200, 5000, 1 << 20}).Draw(t, "days")
		start := date.New(2024, 3, 1) - date.Date(rapid.IntRange(0, 1<<16).Draw(t, "before"))
		evs := make([]loan.Event, n)
		for i := range evs {
			evs[i] = loan.Event{Seq: int64(i + 1), EffectiveOn: start + date.Date(rapid.IntRange(0, span-1).Draw(t, "day"))}
		}
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 1: // in fold order already
			slices.SortFunc(evs, func(a, b loan.Event) int { return cmpFold(&a, &b) })
		case 2: // a backdated command after the rest in fold order
			if n > 0 {
				slices.SortFunc(evs[:n-1], func(a, b loan.Event) int { return cmpFold(&a, &b) })
				evs[n-1].Seq = int64(n + 1000)
			}
		case 3: // not in Seq order
			for i := range evs {
				j := rapid.IntRange(0, i).Draw(t, "swap")
				evs[i], evs[j] = evs[j], evs[i]
			}
		}
		want := slices.Clone(evs)
		slices.SortStableFunc(want, func(a, b loan.Event) int { return cmpFold(&a, &b) })
		in := slices.Clone(evs)
		own := rapid.Bool().Draw(t, "own")
		got := foldOrder(evs, own)
		if !slices.EqualFunc(got, want, func(a, b loan.Event) bool { return a.Seq == b.Seq && a.EffectiveOn == b.EffectiveOn }) {
			t.Fatalf("fold order of %v:\n got %v\nwant %v", in, got, want)
		}
		if !own && !slices.EqualFunc(evs, in, func(a, b loan.Event) bool { return a.Seq == b.Seq }) {
			t.Fatalf("foldOrder changed events it does not own")
		}
	})
}
