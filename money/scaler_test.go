package money

import (
	"math"
	"testing"
)

// scalerModes are the modes FuzzScalerMatchesMulDiv draws from, two invalid
// ones included.
var scalerModes = []RoundingMode{HalfEven, HalfAwayFromZero, TowardZero, AwayFromZero, Floor, Ceiling, "", "half_down"}

// FuzzScalerMatchesMulDiv holds the Scaler's reciprocal path equal to
// MulDiv, result and error, for any amount (in range or not), ratio and
// mode.
func FuzzScalerMatchesMulDiv(f *testing.F) {
	f.Add(int64(20000000), int64(13), int64(2400), uint8(0))
	f.Add(int64(-1), int64(1), int64(2), uint8(1))
	f.Add(int64(MaxMinor), int64(1_000_000_000_000), int64(-7), uint8(2))
	f.Add(int64(math.MinInt64), int64(-1), int64(math.MinInt64), uint8(3))
	f.Add(int64(5), int64(1), int64(0), uint8(4))
	f.Add(int64(7), int64(1), int64(1), uint8(6))
	f.Add(int64(-15), int64(1), int64(-10), uint8(5))
	f.Fuzz(func(t *testing.T, a, num, den int64, m uint8) {
		mode := scalerModes[int(m)%len(scalerModes)]
		for _, ci := range []uint16{0, indexOf(USD), indexOf(JPY)} {
			x := Amount{minor: a, ci: ci}
			want, wantErr := x.MulDiv(num, den, mode)
			s, err := NewScaler(num, den, mode)
			if err != nil {
				if wantErr == nil || err.Error() != wantErr.Error() {
					t.Fatalf("NewScaler(%d, %d, %q): %v, MulDiv: %v", num, den, mode, err, wantErr)
				}
				continue
			}
			got, gotErr := s.Apply(x)
			if got != want || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Fatalf("%d×%d/%d %q: Apply %v, %v; MulDiv %v, %v", a, num, den, mode, got, gotErr, want, wantErr)
			}
		}
	})
}

// TestScalerEdges checks divisors and quotients at the ends of the ranges
// against MulDiv for every mode.
func TestScalerEdges(t *testing.T) {
	vals := []int64{0, 1, -1, 2, -2, 3, 7, 1 << 31, 1<<32 - 1, 1 << 32, 1<<62 + 1, MaxMinor, -MaxMinor, MaxMinor + 1,
		math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 999_999_999_999_999, 12000, 2400}
	for _, mode := range scalerModes[:6] {
		for _, num := range vals {
			for _, den := range vals {
				if den == 0 {
					continue
				}
				s, err := NewScaler(num, den, mode)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range vals {
					x := Amount{minor: a, ci: indexOf(USD)}
					want, wantErr := x.MulDiv(num, den, mode)
					got, gotErr := s.Apply(x)
					if got != want || (gotErr == nil) != (wantErr == nil) {
						t.Fatalf("%d×%d/%d %s: Apply %v, %v; MulDiv %v, %v", a, num, den, mode, got, gotErr, want, wantErr)
					}
				}
			}
		}
	}
}

func BenchmarkScalerApply(b *testing.B) {
	s, _ := NewScaler(13, 2400, HalfEven)
	x := Amount{minor: 20_000_000, ci: indexOf(USD)}
	for b.Loop() {
		y, _ := s.Apply(x)
		x.minor = y.minor + 20_000_000
	}
}
