package servicing_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	servicing "github.com/lendcore/servicing"
)

// TestEveryEngineMethodHasExample: go doc shows an Example for each exported
// Engine method (ExampleEngine_Method, or ExampleEngine_Method_case), so a
// host learns every command and query from a run that checks its output.
func TestEveryEngineMethodHasExample(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	examples := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil {
				continue
			}
			if rest, ok := strings.CutPrefix(fd.Name.Name, "ExampleEngine_"); ok {
				method, _, _ := strings.Cut(rest, "_")
				examples[method] = true
			}
		}
	}
	typ := reflect.TypeFor[*servicing.Engine]()
	for i := range typ.NumMethod() {
		if m := typ.Method(i).Name; !examples[m] {
			t.Errorf("Engine.%s has no ExampleEngine_%s", m, m)
		}
	}
}
