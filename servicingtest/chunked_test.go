package servicingtest

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestChunked checks the chunk arithmetic against a plain slice (the
// oracle) across the growing chunks and several whole ones.
func TestChunked(t *testing.T) {
	var c chunked[int]
	var want []int
	for n := range 400 {
		c.append(n)
		want = append(want, n)
		require.Equal(t, n+1, c.n)
		for _, i := range []int{0, n / 2, n} {
			require.Equal(t, want[i], c.at(i), "at(%d) of %d", i, n+1)
			require.Equal(t, want[i:], c.from(i), "from(%d) of %d", i, n+1)
		}
	}
	require.Equal(t, []int{-1, 399}, c.appendFrom([]int{-1}, 399))
	require.Equal(t, []int{-1}, c.appendFrom([]int{-1}, 400))
	for k, ch := range c.chunks {
		want := chunkLen
		if k < 4 {
			want = firstChunk << k
		}
		require.Equal(t, want, cap(ch), "chunk %d", k)
	}
}
