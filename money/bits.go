package money

import "math/bits"

// mulu128 returns the 128-bit product of a and b.
func mulu128(a, b uint64) (hi, lo uint64) { return bits.Mul64(a, b) }

// divu128 divides the 128-bit (hi, lo) by d; the caller guarantees hi < d.
func divu128(hi, lo, d uint64) (q, r uint64) { return bits.Div64(hi, lo, d) }

// abs64 returns |v| as a uint64 (correct for math.MinInt64 too).
func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}

// MulRatio returns the exact 128-bit magnitude of a·b and whether it is negative,
// ready for [DivRound]. Together they compute a·b/c rounded, without allocation.
func MulRatio(a, b int64) (hi, lo uint64, neg bool) {
	hi, lo = mulu128(abs64(a), abs64(b))
	return hi, lo, (a < 0) != (b < 0) && (hi|lo) != 0
}
