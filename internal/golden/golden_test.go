package golden

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeT records failures instead of failing the real test.
type fakeT struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.failed = true
	f.msg = format
}
func (f *fakeT) Fatalf(format string, args ...any) { f.Errorf(format, args...) }

func TestAssert(t *testing.T) {
	Assert(t, "hello", []byte("a\nb\n"))

	ft := &fakeT{TB: t}
	Assert(ft, "hello", []byte("a\nc\n"))
	require.True(t, ft.failed, "a difference fails")

	ft = &fakeT{TB: t}
	Assert(ft, "missing", []byte("x"))
	require.True(t, ft.failed, "a missing file fails")

	ft = &fakeT{TB: t}
	Assert(ft, "../escape", []byte("x"))
	require.True(t, ft.failed, "a path is refused")
}

func TestFirstDiff(t *testing.T) {
	tests := []struct {
		a, b string
		line int
		x, y string
	}{
		{"a\nb", "a\nc", 2, "b", "c"},
		{"a", "a\nb", 2, "", "b"},
		{"x", "y", 1, "x", "y"},
	}
	for _, tc := range tests {
		line, x, y := firstDiff([]byte(tc.a), []byte(tc.b))
		require.Equal(t, tc.line, line)
		require.Equal(t, tc.x, x)
		require.Equal(t, tc.y, y)
	}
}
