package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/lendcore/servicing"

// rank is each package's layer. A package may import another of the module
// only when that one's rank is strictly lower: imports point down, and
// packages of equal rank (siblings such as payment and delinquency) never
// import each other. A package missing here fails the test, so every new
// package is placed deliberately.
var rank = map[string]int{
	"field":               0,
	"money":               0,
	"internal/golden":     0,
	"rate":                1,
	"internal/moneytest":  2, // test helper: imported only by _test files
	"internal/strictjson": 2,
	"schedule":            2,
	"accrual":             3,
	"escrow":              3, // RESPA escrow analysis (money + dates only)
	"amortize":            4, // may import accrual, never the reverse
	"payment":             5,
	"delinquency":         5,
	"revolving":           5, // open-end credit billing cycles (accrual's interest, Reg Z 1026.7 figures)
	"notice":              5, // the notice calendar: regulatory deadlines from trigger dates (schedule only)
	"collections":         5, // promises, arrangements and the collections queue (money + dates only)
	"party":               5, // parties on a loan: roles, contact data and preferences (no money)
	"loan":                6, // the pure loan: contract, events, state, fold
	"product":             7, // loan products: defaults and limits over loan.Terms
	"report":              7, // portfolio reports over loan states (the engine's Snapshot gives them theirs)
	"investor":            7, // investor remittance over loan states
	"workflow":            7, // workflow rules as data over domain events and the notice calendar
	"fineract":            7, // Apache Fineract compatibility profile: its settings → loan.Terms
	"tape":                7, // CSV loan tapes → loan.BoardingRequest (products through an interface product.Catalogue satisfies)
	"":                    8, // the engine (module root)
	"servicingtest":       9,
	"internal/vectors":    10,
	"internal/archtest":   10,
	"cmd/servicing":       11,
}

// pure lists the packages that must not read the clock or do I/O.
var pure = []string{"field", "money", "rate", "schedule", "accrual", "escrow", "amortize", "payment", "delinquency", "revolving", "notice", "collections", "party", "loan", "product", "report", "investor", "fineract", "workflow", "tape"}

func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// packages returns module-relative package dirs holding non-test Go files,
// outside examples/ (its own module) and testdata.
func packages(t *testing.T) map[string][]string {
	t.Helper()
	base := root(t)
	out := map[string][]string{}
	err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, path)
		if d.IsDir() {
			if rel == "examples" || strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			dir := filepath.ToSlash(filepath.Dir(rel))
			if dir == "." {
				dir = ""
			}
			out[dir] = append(out[dir], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLayers(t *testing.T) {
	fset := token.NewFileSet()
	for pkg, files := range packages(t) {
		r, ok := rank[pkg]
		if !ok {
			t.Errorf("package %q has no layer in archtest's rank table", pkg)
			continue
		}
		for _, f := range files {
			af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if p != module && !strings.HasPrefix(p, module+"/") {
					continue
				}
				dep := strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
				dr, ok := rank[dep]
				if !ok {
					t.Errorf("%s imports %q, which has no layer", f, p)
					continue
				}
				if dr >= r {
					t.Errorf("%s (layer %d) imports %q (layer %d): imports must point down", f, r, p, dr)
				}
			}
		}
	}
}

// TestNoFloat fails when non-test library code names float32 or float64:
// money and rates stay exact. cmd/ and examples/ are outside the library.
// floatGuess are the files allowed float64 arithmetic: a fast path's
// starting guess, never an answer — each brackets the root or rounding it
// guesses by exact integer arithmetic and falls back to the exact path when
// the bracket does not decide, and a differential fuzz test holds it equal
// to that path (FuzzSolvePaymentFast, FuzzAPRFast).
var floatGuess = map[string]bool{"amortize/fastpay.go": true, "amortize/aprfast.go": true}

func TestNoFloat(t *testing.T) {
	fset := token.NewFileSet()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for pkg, files := range packages(t) {
		if strings.HasPrefix(pkg, "cmd/") {
			continue
		}
		for _, f := range files {
			if rel, err := filepath.Rel(root, f); err == nil && floatGuess[filepath.ToSlash(rel)] {
				continue
			}
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(af, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.Ident:
					if x.Name == "float64" || x.Name == "float32" {
						t.Errorf("%s: uses %s", fset.Position(x.Pos()), x.Name)
					}
				case *ast.SelectorExpr:
					if x.Sel.Name == "NewFromFloat" || x.Sel.Name == "NewFromFloat32" || x.Sel.Name == "InexactFloat64" {
						t.Errorf("%s: uses %s", fset.Position(x.Pos()), x.Sel.Name)
					}
				}
				return true
			})
		}
	}
}

// TestPurity fails when a pure package reads the wall clock, prints, or
// touches the file system: the same inputs must give the same outputs.
func TestPurity(t *testing.T) {
	banned := map[string]bool{
		"time.Now": true, "date.Today": true, "date.TodayUTC": true, "date.TodayIn": true,
		"time.Since": true, "time.Until": true, "rand.Int": true, "rand.Intn": true,
	}
	bannedImports := map[string]bool{"os": true, "math/rand": true, "math/rand/v2": true, "context": true, "log": true, "net/http": true}
	all := packages(t)
	fset := token.NewFileSet()
	for _, pkg := range pure {
		for _, f := range all[pkg] {
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if bannedImports[p] {
					t.Errorf("%s: pure package imports %q", f, p)
				}
			}
			ast.Inspect(af, func(n ast.Node) bool {
				if x, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := x.X.(*ast.Ident); ok && banned[id.Name+"."+x.Sel.Name] {
						t.Errorf("%s: pure package calls %s.%s", fset.Position(x.Pos()), id.Name, x.Sel.Name)
					}
				}
				return true
			})
		}
	}
}
