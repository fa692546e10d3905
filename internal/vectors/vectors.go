// Package vectors checks the library against outside reference cases: JSON
// files in the layout of testdata/vectors (each file names its sources). The
// `servicing vectors` command and the Go tests both run through CheckFile, so a
// case passes in one exactly when it passes in the other.
//
// Each family (daycount, fed_holidays, regz_apr, rule78, respa_escrow,
// fineract_schedules) has a
// checker in its own file, registered in families. A file whose family has no
// checker is reported as skipped, never as passed.
package vectors

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Outcome is the result of one reference case.
type Outcome struct {
	Family   string
	ID       string
	Passed   bool
	Skipped  bool
	Expected string // what the source says, when the case failed
	Actual   string // what the library computed, when the case failed
	Note     string // why a case was skipped or failed to run
}

// Report sums the outcomes of one or more files.
type Report struct {
	Outcomes []Outcome
}

// Counts returns the number of passed, failed and skipped cases.
func (r Report) Counts() (passed, failed, skipped int) {
	for _, o := range r.Outcomes {
		switch {
		case o.Skipped:
			skipped++
		case o.Passed:
			passed++
		default:
			failed++
		}
	}
	return
}

// Failures returns the failed outcomes.
func (r Report) Failures() []Outcome {
	var out []Outcome
	for _, o := range r.Outcomes {
		if !o.Skipped && !o.Passed {
			out = append(out, o)
		}
	}
	return out
}

// checker checks every case of a family's file.
type checker func(data []byte) ([]Outcome, error)

// families maps a family name to its checker. Families are found by the
// file's base name (daycount.json → daycount) or, failing that, by sniffing.
var families = map[string]checker{}

func register(name string, c checker) { families[name] = c }

// Families returns the names of the implemented families, sorted.
func Families() []string {
	var out []string
	for k := range families {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Family returns the family of a vector file: its base name when that is a
// known family, else a guess from the first case's fields.
func Family(path string, data []byte) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	for _, f := range []string{"daycount", "fed_holidays", "regz_apr", "rule78", "respa_escrow", "fineract_schedules"} {
		if base == f || strings.HasPrefix(base, f) {
			return f
		}
	}
	var top struct {
		Cases []map[string]json.RawMessage `json:"cases"`
	}
	if json.Unmarshal(data, &top) != nil || len(top.Cases) == 0 {
		return base
	}
	c := top.Cases[0]
	has := func(k string) bool { _, ok := c[k]; return ok }
	switch {
	case has("convention"):
		return "daycount"
	case has("reserve_banks_closed_on"):
		return "fed_holidays"
	case has("method") && has("inputs") && strings.Contains(string(c["method"]), "78"):
		return "rule78"
	case has("inputs") && strings.Contains(string(c["inputs"]), "payment_streams"):
		return "regz_apr"
	case has("assumptions"):
		return "respa_escrow"
	}
	return base
}

// CheckFile checks every case in the file at path.
func CheckFile(path string) (Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Report{}, err
	}
	return CheckBytes(path, data)
}

// CheckBytes checks a vector file already read; path names its family.
func CheckBytes(path string, data []byte) (Report, error) {
	fam := Family(path, data)
	c, ok := families[fam]
	if !ok {
		n, err := countCases(data)
		if err != nil {
			return Report{}, fmt.Errorf("%s: %w", path, err)
		}
		out := make([]Outcome, n)
		for i := range out {
			out[i] = Outcome{Family: fam, ID: fmt.Sprintf("%s#%d", fam, i), Skipped: true, Note: "family not implemented"}
		}
		return Report{Outcomes: out}, nil
	}
	outs, err := c(data)
	if err != nil {
		return Report{}, fmt.Errorf("%s: %w", path, err)
	}
	for i := range outs {
		outs[i].Family = fam
	}
	return Report{Outcomes: outs}, nil
}

func countCases(data []byte) (int, error) {
	var top struct {
		Cases []json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return 0, err
	}
	return len(top.Cases), nil
}

// pass and fail build outcomes.
func pass(id string) Outcome { return Outcome{ID: id, Passed: true} }

func fail(id, expected, actual string) Outcome {
	return Outcome{ID: id, Expected: expected, Actual: actual}
}

func skip(id, why string) Outcome { return Outcome{ID: id, Skipped: true, Note: why} }
