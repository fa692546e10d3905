package sqlstore_test

import (
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
)

// pgSkips records why PostgreSQL tests skipped, for the notice TestMain
// prints: go test shows a passing package's output only with -v, so
// without this a run with no server would pass looking as if PostgreSQL had
// been tested.
var pgSkips struct {
	sync.Mutex
	n      int
	reason string
}

// skipPostgres skips t for reason and counts it.
func skipPostgres(t testing.TB, reason string) {
	t.Helper()
	pgSkips.Lock()
	pgSkips.n++
	pgSkips.reason = reason
	pgSkips.Unlock()
	t.Skip("PostgreSQL tests skipped: " + reason)
}

// TestMain runs the tests, then, when PostgreSQL tests skipped, says so
// where a person running go test sees it: on the terminal (go test keeps a
// passing package's stderr to itself unless -v), else on stderr.
func TestMain(m *testing.M) {
	code := m.Run()
	if pgSkips.n > 0 && !testing.Verbose() {
		var w io.Writer = os.Stderr
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			w = tty
		}
		// A notice on the terminal: if it cannot be written there is
		// nothing else to tell.
		_, _ = fmt.Fprintf(w, "NOTICE examples/sqlstore: %d PostgreSQL tests skipped: %s\n", pgSkips.n, pgSkips.reason)
	}
	os.Exit(code)
}
