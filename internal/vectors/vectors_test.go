package vectors

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestVectors runs every reference file in testdata/vectors through the same
// checker as the command line: no implemented case may fail.
func TestVectors(t *testing.T) {
	files, err := filepath.Glob("../../testdata/vectors/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			rep, err := CheckFile(f)
			require.NoError(t, err)
			p, fl, s := rep.Counts()
			t.Logf("%s: %d passed, %d failed, %d skipped", filepath.Base(f), p, fl, s)
			for _, o := range rep.Failures() {
				t.Errorf("%s: expected %s, got %s %s", o.ID, o.Expected, o.Actual, o.Note)
			}
		})
	}
}
