package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var errDiskFull = errors.New("no space left on device")

// fullWriter takes room bytes and then fails every write, as a file on a
// disk that fills up does.
type fullWriter struct{ room int }

func (w *fullWriter) Write(p []byte) (int, error) {
	if len(p) <= w.room {
		w.room -= len(p)
		return len(p), nil
	}
	n := w.room
	w.room = 0
	return n, errDiskFull
}

// A command whose output does not reach stdout fails, with the write
// error on stderr, whether the failure is at the first byte or midway,
// and whichever way the command writes (fmt lines, a tabwriter, a JSON
// encoder, CSV, a schema copied out).
func TestFailedOutputFailsTheCommand(t *testing.T) {
	sched := []string{"schedule", "-principal", "1000", "-rate", "6", "-n", "12", "-funding", "2024-01-01"}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"usage", nil},
		{"apr", []string{"apr", "-amount", "5000", "-advance", "1978-01-10", "-stream", "230,24,1978-02-10,month"}},
		{"schedule table", sched},
		{"schedule csv", append(append([]string{}, sched...), "-format", "csv")},
		{"schedule json", append(append([]string{}, sched...), "-format", "json")},
		{"simulate", []string{"simulate", "../../testdata/scenarios/mortgage_nsf.json"}},
		{"simulate --schema", []string{"simulate", "--schema"}},
		{"products", []string{"products"}},
		{"report", []string{"report", "summary", "../../testdata/scenarios/mortgage_nsf.json"}},
	} {
		// The command succeeds when its output has room.
		var ok, okErr bytes.Buffer
		require.Equal(t, 0, run(tc.args, &ok, &okErr), "%s: %s", tc.name, okErr.String())
		require.NotZero(t, ok.Len(), tc.name)
		for _, room := range []int{0, ok.Len() / 2, ok.Len() - 1} {
			var stderr bytes.Buffer
			code := run(tc.args, &fullWriter{room: room}, &stderr)
			require.NotEqual(t, 0, code, "%s with room for %d of %d bytes", tc.name, room, ok.Len())
			require.Contains(t, stderr.String(), errDiskFull.Error(), tc.name)
			require.Equal(t, 1, strings.Count(stderr.String(), errDiskFull.Error()), "%s: reported once: %s", tc.name, stderr.String())
		}
	}
}

// A failed stderr cannot carry a message, but the command still fails.
func TestFailedStderrFailsTheCommand(t *testing.T) {
	var stdout bytes.Buffer
	require.Equal(t, 2, run([]string{"no-such-command"}, &stdout, &fullWriter{}))
	// help writes its usage to stderr and exits 0 when it reaches it.
	require.Equal(t, 0, run([]string{"help", "apr"}, &stdout, &bytes.Buffer{}))
	require.Equal(t, 1, run([]string{"help", "apr"}, &stdout, &fullWriter{}))
}
