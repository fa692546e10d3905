package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var errDiskFull = errors.New("no space left on device")

// fullWriter fails every write, as a file on a full disk does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, errDiskFull }

// A report or a progress line that did not reach its stream fails the run,
// naming the stream and the write error; so does a tape's listing, whose
// tabwriter returns the error it shares with the stream: it is said once.
func TestFailedOutputFailsTheDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var buf bytes.Buffer
	err := run(ctx, config{path: filepath.Join(dir, "out.db"), loans: 6, months: 1, seed: 3, workers: 2, out: fullWriter{}, progress: &buf})
	require.ErrorIs(t, err, errDiskFull)
	require.ErrorContains(t, err, "writing the report")
	err = run(ctx, config{path: filepath.Join(dir, "progress.db"), loans: 6, months: 1, seed: 3, workers: 2, out: &buf, progress: fullWriter{}})
	require.ErrorIs(t, err, errDiskFull)
	require.ErrorContains(t, err, "writing progress")

	now := func() time.Time { return time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC) }
	err = boardTape(ctx, filepath.Join(dir, "tape.db"), "../../../testdata/tape/mortgages.csv", now, fullWriter{})
	require.ErrorIs(t, err, errDiskFull)
	require.ErrorContains(t, err, "writing the boarded loans")
	require.Equal(t, 1, strings.Count(err.Error(), errDiskFull.Error()), "reported once: %v", err)
}
