package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestValueTypesHaveString fails when a small exported value type (a struct
// of at most four fields, none a slice, map or pointer) holds a field of a
// basic non-string type and has no String method: fmt's %s would print it as
// "{1-29 %!s(int=1)}" in a host's log line or a CLI table. Types whose
// fields are all strings or types with their own String (dates, amounts,
// rates) print well without one. Inputs and event payloads, which hosts write
// and read as JSON rather than print, are listed in notPrinted.
func TestValueTypesHaveString(t *testing.T) {
	fset := token.NewFileSet()
	for pkg, files := range packages(t) {
		if strings.HasPrefix(pkg, "cmd/") || strings.HasPrefix(pkg, "internal/") {
			continue
		}
		structs := map[string]*ast.StructType{}
		pos := map[string]token.Pos{}
		hasString := map[string]bool{}
		for _, f := range files {
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range af.Decls {
				switch d := d.(type) {
				case *ast.GenDecl:
					for _, s := range d.Specs {
						if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() {
							if st, ok := ts.Type.(*ast.StructType); ok {
								structs[ts.Name.Name], pos[ts.Name.Name] = st, ts.Pos()
							}
						}
					}
				case *ast.FuncDecl:
					if d.Recv != nil && (d.Name.Name == "String" || d.Name.Name == "Error") {
						hasString[receiverName(d.Recv.List[0].Type)] = true
					}
				}
			}
		}
		for name, st := range structs {
			if !hasString[name] && !notPrinted[pkg+"."+name] && smallWithBasic(st) {
				t.Errorf("%s: %s.%s is a small value type with a basic field and no String method", fset.Position(pos[name]), pkg, name)
			}
		}
	}
}

// notPrinted are the small structs that are inputs or event payloads: a
// host builds them and stores them as JSON; none is a value shown in a
// table or a log line.
var notPrinted = map[string]bool{
	"accrual.Compounding": true, "amortize.Modification": true, "amortize.VariableRate": true,
	"amortize.PaymentStream": true, "amortize.Rebater": true, "amortize.Graduation": true,
	"loan.RulesMigrated": true, "loan.Paused": true, "loan.PaymentReversed": true,
	"collections.QueuePolicy": true, ".TapeOptions": true,
}

// receiverName is the type name of a method receiver (T or *T).
func receiverName(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// smallWithBasic reports a struct of at most four fields, none a slice, map,
// pointer, function or embedded type, with at least one field of a basic
// numeric or boolean type.
func smallWithBasic(st *ast.StructType) bool {
	n, basic := 0, false
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			return false
		}
		n += len(f.Names)
		switch x := f.Type.(type) {
		case *ast.Ident:
			switch x.Name {
			case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "bool":
				basic = true
			}
		case *ast.ArrayType, *ast.MapType, *ast.StarExpr, *ast.FuncType, *ast.InterfaceType, *ast.ChanType:
			return false
		}
	}
	return n <= 4 && basic
}
