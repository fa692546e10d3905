package servicing_test

import (
	"testing"

	"github.com/lendcore/servicing/loan"
)

// FuzzReplay folds random logs (seeded) and checks the fold never panics,
// replays deterministically, and that every encoded state decodes back to
// the same hash.
func FuzzReplay(f *testing.F) {
	for _, s := range []uint64{0, 1, 7, 42, 99} {
		f.Add(s, uint8(40))
	}
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		l := randomLog(seed, int(n))
		a, errA := loan.Replay(l.terms, l.events, d(2030, 1, 1))
		b, errB := loan.Replay(l.terms, l.events, d(2030, 1, 1))
		if (errA == nil) != (errB == nil) || errA == nil && a.Hash() != b.Hash() {
			t.Fatalf("replay not deterministic: %v / %v", errA, errB)
		}
		if errA != nil {
			return
		}
		enc, _ := a.MarshalBinary()
		var back loan.State
		if err := back.UnmarshalBinary(enc); err != nil || back.Hash() != a.Hash() {
			t.Fatalf("encoding round trip: %v", err)
		}
	})
}

// FuzzUnmarshalState feeds arbitrary bytes to the checkpoint decoder: it
// must return an error or a state, never panic.
func FuzzUnmarshalState(f *testing.F) {
	s, _ := loan.Replay(mortgage(), newLog(mortgage()).events, d(2024, 5, 1))
	enc, _ := s.MarshalBinary()
	f.Add(enc)
	f.Add([]byte{1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var st loan.State
		_ = st.UnmarshalBinary(b)
	})
}
