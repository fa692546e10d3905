package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestOneMeaningPerTypeName fails when an exported type name is declared in
// more than one package of the module and is not in sharedNames: a reader
// who meets the noun in one package must not find it meaning something else
// in another (README, Glossary). Two declarations need no entry:
//   - a deprecated alias (type X = Y, with a "Deprecated: use Y." paragraph)
//     keeps a former name compiling while its package uses the new one;
//   - an alias of the same-named type of another package (type Calendar =
//     schedule.Calendar) is that type, not a second one.
//
// An entry must name every package that declares the type, as pkg.Name, so
// a new declaration elsewhere fails until its meaning is justified; an entry
// no longer shared fails too, so the list says only what is true.
func TestOneMeaningPerTypeName(t *testing.T) {
	type decl struct{ pkg, dir, pos string }
	decls := map[string][]decl{}
	fset := token.NewFileSet()
	for dir, files := range packages(t) {
		for _, f := range files {
			af, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range af.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.TYPE {
					continue
				}
				for _, s := range g.Specs {
					ts := s.(*ast.TypeSpec)
					if !ts.Name.IsExported() {
						continue
					}
					doc := ts.Doc
					if doc == nil && g.Lparen == 0 {
						doc = g.Doc
					}
					pos := fset.Position(ts.Pos()).String()
					if ts.Assign != 0 {
						if target, ok := deprecatedTarget(doc); ok {
							switch got := aliasName(ts.Type); {
							case target == "":
								t.Errorf("%s: %s's Deprecated paragraph does not begin \"Deprecated: use %s.\"", pos, ts.Name.Name, got)
							case got != target:
								t.Errorf("%s: %s is an alias of %s but its Deprecated paragraph says use %s", pos, ts.Name.Name, got, target)
							}
							continue
						}
						if sel, ok := ts.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == ts.Name.Name {
							continue
						}
					}
					decls[ts.Name.Name] = append(decls[ts.Name.Name], decl{af.Name.Name, dir, pos})
				}
			}
		}
	}
	names := make([]string, 0, len(decls))
	for name := range decls {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ds := decls[name]
		reason, listed := sharedNames[name]
		if len(ds) < 2 {
			if listed {
				t.Errorf("sharedNames lists %s, which only package %s declares now: drop the entry", name, ds[0].pkg)
			}
			continue
		}
		if !listed {
			var where []string
			for _, d := range ds {
				where = append(where, d.pkg+"."+name+" ("+d.pos+")")
			}
			slices.Sort(where)
			t.Errorf("type %s is declared in %d packages: %s; rename or qualify one, or justify the shared name in sharedNames", name, len(ds), strings.Join(where, ", "))
			continue
		}
		for _, d := range ds {
			if !strings.Contains(reason, d.pkg+"."+name) {
				t.Errorf("%s: sharedNames[%q] does not say what %s.%s means", d.pos, name, d.pkg, name)
			}
		}
	}
	for name := range sharedNames {
		if _, ok := decls[name]; !ok {
			t.Errorf("sharedNames lists %s, which no package declares: drop the entry", name)
		}
	}
}

// deprecatedTarget returns Y from a doc comment's "Deprecated: use Y."
// paragraph (Go's convention for deprecated identifiers), and whether it
// has one.
func deprecatedTarget(doc *ast.CommentGroup) (string, bool) {
	if doc == nil {
		return "", false
	}
	for _, para := range strings.Split(doc.Text(), "\n\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(para), "Deprecated: use ")
		if ok {
			return strings.TrimSuffix(strings.Fields(rest)[0], "."), true
		}
		if strings.HasPrefix(strings.TrimSpace(para), "Deprecated:") {
			return "", true
		}
	}
	return "", false
}

// aliasName is the name an alias points at: Y for "= Y", pkg.Y for
// "= pkg.Y".
func aliasName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.Name + "." + x.Sel.Name
		}
	}
	return ""
}

// sharedNames are the type names more than one package declares with one
// meaning, each package's type being that meaning for what the package
// holds. Each entry says, for every package, what its type is.
var sharedNames = map[string]string{
	"Action":         "something to do: escrow.Action one Reg X §1024.17(f) lets a servicer take with a surplus or shortage; workflow.Action the task or command a workflow rule asks for",
	"Carry":          "what one call hands the next so it need not start over: investor.Carry a pool's balances into the next month; loan.Carry the fold's biller into the next fold",
	"Credit":         "money credited on the day it was received: delinquency.Credit to one installment; loan.Credit to interest and principal, for a recalculation mode",
	"Error":          "a problem with one input field: field.Error any input's; tape.Error a tape cell's, which is a field.Error with its row and column",
	"Fraction":       "an exact ratio: accrual.Fraction a year fraction; escrow.Fraction the cushion (escrow is accrual's sibling layer and cannot import it)",
	"Kind":           "the persisted name of a sort of record: loan.Kind an event's payload type; notice.Kind a notice's",
	"Loan":           "one loan as the package's input: delinquency.Loan its installments and credits; fineract.Loan a Fineract loan application; tape.Loan a tape row read as a boarding request",
	"Method":         "how the package's figure is computed: delinquency.Method days past due (MBA/OTS); escrow.Method the trial balance; investor.Method the remittance owed; revolving.Method the finance charge",
	"Outcome":        "how something came out: servicing.Outcome a command's, for a metric label; collections.Outcome a promise's or arrangement's; vectors.Outcome a reference case's",
	"Pause":          "a payment pause (no aging, no billing): delinquency.Pause the days aging stops; loan.Pause the pause as the fold applied it",
	"Payment":        "an amount paid on a date: amortize.Payment as scheduled (an APR cash flow); delinquency.Payment as received (the re-age check)",
	"PayoffInterest": "how a payoff quote prices interest: payment.PayoffInterest the rules beyond a day count Quote applies; loan.PayoffInterest the terms' choice among the fold's accrual, a day count and payment's rules",
	"Period":         "a half-open interval of dates: accrual.Period any accrual interval; schedule.Period a schedule's, with how it compares to the frequency",
	"PeriodKind":     "how a period compares with the regular one: schedule.PeriodKind regular, short or long; accrual.PeriodKind where an ACT/ACT ICMA period sits in its schedule",
	"Product":        "a loan product's defaults and limits: product.Product the module's own; fineract.Product one in Fineract's settings",
	"Profile":        "a set of statutory limits: amortize.Profile a rebate's; delinquency.Profile a late fee's",
	"Reason":         "why something happened: collections.Reason why a loan is in the contact queue; delinquency.Reason why the ladder moved",
	"Recalculation":  "interest recalculation between payments: amortize.Recalculation the mode; fineract.Recalculation Fineract's settings for it",
	"Result":         "what the package's main call returned: accrual.Result interest over an interval; escrow.Result an analysis; servicing.Result a command",
	"Row":            "one line of a table: amortize.Row an installment of an amortization table; escrow.Row a month of an escrow analysis",
	"Rule":           "a rule held as data: payment.Rule the waterfall rule that sent an amount; workflow.Rule a workflow trigger with its action",
	"Statement":      "a periodic statement's figures: loan.Statement Reg Z §1026.41's; revolving.Statement a cycle's under §1026.7",
	"Table":          "rows under one heading: amortize.Table an amortization table; report.Table a report's rows for a terminal or a CSV",
	"Terms":          "a contract's terms at the level of the package that holds them: amortize.Terms what a schedule needs; loan.Terms the whole contract (embedding amortize.Terms); revolving.Terms a billing cycle's pricing",
}
