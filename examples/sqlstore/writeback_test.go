package sqlstore

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The early writeback skips a file that does not exist yet, picks it up once
// it does, never changes its bytes, and stops when asked (Close waits for
// it, so a closed store leaves no goroutine behind).
func TestWritebackLeavesTheFileAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	stop := startWriteback(path, time.Millisecond)
	time.Sleep(5 * time.Millisecond) // ticks with no file
	want := bytes.Repeat([]byte("wal frame "), 100_000)
	require.NoError(t, os.WriteFile(path, want, 0o600))
	time.Sleep(5 * time.Millisecond) // ticks with the file's pages dirty
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("stop did not return")
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, want, got)
}
