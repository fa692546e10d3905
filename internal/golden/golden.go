package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update is the -update test flag: rewrite golden files instead of
// comparing with them.
var update = flag.Bool("update", false, "rewrite testdata/*.golden files with the current output")

// Path returns the golden file path of name: testdata/<name>.golden.
func Path(name string) string { return filepath.Join("testdata", name+".golden") }

// Assert fails t unless got equals the content of testdata/<name>.golden,
// byte for byte. With -update it writes got to the file instead (creating
// testdata if needed). name must be a plain file name (no path separators).
func Assert(t testing.TB, name string, got []byte) {
	t.Helper()
	if name == "" || strings.ContainsAny(name, `/\`) || name != filepath.Clean(name) {
		t.Fatalf("golden: bad name %q", name)
	}
	path := Path(name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run the test with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	line, g, w := firstDiff(got, want)
	t.Errorf("golden: %s differs at line %d\n got: %q\nwant: %q\n(run with -update to rewrite, then review the diff)", path, line, g, w)
}

// firstDiff returns the 1-based number of the first line where a and b
// differ, and those lines ("" past the end).
func firstDiff(a, b []byte) (int, string, string) {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return i + 1, x, y
		}
	}
	return 0, "", ""
}
