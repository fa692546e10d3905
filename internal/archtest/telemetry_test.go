package archtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoTelemetryDependency fails when the core module requires any part of
// OpenTelemetry: the engine reports through its own servicing.Observer and
// log/slog, and adapters (examples/otelobserver) live in the examples
// module, so a host that embeds the library pulls in no telemetry stack.
func TestNoTelemetryDependency(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "go.opentelemetry.io") {
			t.Errorf("go.mod: %s", strings.TrimSpace(line))
		}
	}
}
