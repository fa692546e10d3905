package main

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The JSON Schemas in schema/ are generated from the Go types simulate
// reads and writes, by reflection over their JSON tags with the fields' doc
// comments as descriptions, so that a Go field added, removed or renamed
// shows as a difference from the committed file (TestSchemaFilesMatchGoTypes)
// until the file is regenerated and reviewed:
//
//	go test ./cmd/servicing -run TestSchemaFilesMatchGoTypes -update-schema

const schemaModule = "github.com/lendcore/servicing"

// schemaGen builds one schema document: every named struct type becomes a
// $def, referenced where it is used.
type schemaGen struct {
	// output marks the output document: a member Go always writes (no
	// omitempty, omitzero) is required there. Input documents require only
	// what the reader itself refuses to go without.
	output bool
	defs   map[string]any
	docs   map[string]map[string]string // package dir → "Type" / "Type.Field" → doc
	err    []string
}

var (
	amountType  = reflect.TypeFor[money.Amount]()
	rateType    = reflect.TypeFor[rate.Rate]()
	dateType    = reflect.TypeFor[date.Date]()
	timeType    = reflect.TypeFor[time.Time]()
	rawType     = reflect.TypeFor[json.RawMessage]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
	termsType   = reflect.TypeFor[loan.Terms]()
	// wireTermsType is loan.Terms without its JSON methods: its fields.
	wireTermsType = reflect.TypeFor[wireTerms]()
	textMarshal   = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshal   = reflect.TypeFor[json.Marshaler]()
)

// amountPattern is money.Amount's text: an ISO 4217 code and a decimal, or
// (in input, where the currency is given beside it) a bare decimal; "0" is
// the amount without currency.
const amountPattern = `^([A-Z]{3} )?-?[0-9]+(\.[0-9]+)?$`

// ratePattern is rate.Rate's text: a decimal with its unit, % or bp.
const ratePattern = `^-?[0-9]+(\.[0-9]+)?(%|bp)$`

func newSchemaGen(output bool) *schemaGen {
	return &schemaGen{output: output, defs: map[string]any{}, docs: map[string]map[string]string{}}
}

// of is the schema of a value of type t.
func (g *schemaGen) of(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		return nullable(g.of(t.Elem()))
	}
	switch t {
	case decimalType:
		return ref("decimal.Decimal")
	case amountType:
		return ref("money.Amount")
	case rateType:
		return ref("rate.Rate")
	case dateType:
		return ref("date.Date")
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case rawType:
		return map[string]any{}
	case termsType:
		g.terms()
		return ref("loan.Terms")
	}
	switch {
	case t.Implements(jsonMarshal) || reflect.PointerTo(t).Implements(jsonMarshal):
		g.err = append(g.err, fmt.Sprintf("%s has its own JSON form: teach the schema generator it", t))
		return map[string]any{}
	case t.Implements(textMarshal) || reflect.PointerTo(t).Implements(textMarshal):
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Slice:
		return map[string]any{"type": []any{"array", "null"}, "items": g.of(t.Elem())}
	case reflect.Array:
		return map[string]any{"type": "array", "items": g.of(t.Elem()), "minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		return map[string]any{"type": []any{"object", "null"}, "additionalProperties": g.of(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := defName(t)
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = nil // reserved: recursive types refer to it
			g.defs[name] = g.object(t, nil)
		}
		return ref(name)
	}
	g.err = append(g.err, fmt.Sprintf("%s: kind %s has no schema", t, t.Kind()))
	return map[string]any{}
}

// object is the schema of a struct's JSON object (encoding/json's rules:
// embedded structs without a tag are flattened, the outer name wins),
// closed to other members; extra properties are added to it.
func (g *schemaGen) object(t reflect.Type, extra map[string]any) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, props, &required, map[string]int{}, 0)
	if t == wireTermsType {
		t = termsType
	}
	for k, v := range extra {
		props[k] = v
	}
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if d := g.doc(t, ""); d != "" {
		o["description"] = d
	}
	if len(required) > 0 {
		slices.Sort(required)
		o["required"] = required
	}
	return o
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string, depth map[string]int, d int) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				g.fields(et, props, required, depth, d+1)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if prev, ok := depth[name]; ok && prev <= d {
			continue // encoding/json: the shallower field wins
		}
		depth[name] = d
		s := g.of(f.Type)
		dt := t
		if dt == wireTermsType {
			dt = termsType // the wire type's fields are documented on loan.Terms
		}
		if doc := g.doc(dt, f.Name); doc != "" {
			s = withDescription(s, doc)
		}
		props[name] = s
		omit := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		if g.output && !omit {
			*required = append(*required, name)
		}
	}
}

// terms defines loan.Terms: the current format (with an "accrual"
// member), and in input the first release's format, which
// loan.Terms.UnmarshalJSON still reads (frozen: its Go type is package
// loan's own, mirrored by legacyTermsShape).
func (g *schemaGen) terms() {
	if _, ok := g.defs["loan.Terms"]; ok {
		return
	}
	g.defs["loan.Terms"] = nil
	cur := map[string]any{"type": "string", "pattern": "^[A-Z]{3}$",
		"description": "The ISO 4217 code of every amount in the terms, which are written as bare decimals."}
	current := g.object(wireTermsType, map[string]any{"currency": cur})
	current["description"] = g.doc(termsType, "")
	current["required"] = []string{"accrual", "currency"}
	g.defs["loan.TermsCurrent"] = current
	if g.output {
		g.defs["loan.Terms"] = ref("loan.TermsCurrent")
		return
	}
	// A product boarding's terms: any of the current members, laid over
	// the product's defaults.
	partial := map[string]any{}
	for k, v := range current {
		if k != "required" && k != "description" {
			partial[k] = v
		}
	}
	partial["description"] = "The loan's own values, laid over the product's defaults (a member given replaces the default whole); amounts in the product's currency."
	g.defs["product.Terms"] = partial
	legacy := g.object(reflect.TypeFor[legacyTermsShape](), map[string]any{"currency": cur})
	legacy["description"] = "Terms in the first release's format (no accrual member), read with their meaning kept and boarded under the current rules."
	legacy["required"] = []string{"currency", "interest_method"}
	g.defs["loan.TermsFirstRelease"] = legacy
	g.defs["loan.Terms"] = map[string]any{
		"description": "The funded contract: the current format when it has an accrual member, the first release's otherwise.",
		"if":          map[string]any{"type": "object", "required": []string{"accrual"}},
		"then":        ref("loan.TermsCurrent"),
		"else":        ref("loan.TermsFirstRelease"),
	}
}

type wireTerms loan.Terms

// legacyTermsShape mirrors the JSON members of package loan's legacyTerms,
// the first release's terms format (loan/legacy.go), which never changes.
type legacyTermsShape struct {
	Principal      money.Amount           `json:"principal"`
	AnnualRate     rate.Rate              `json:"annual_rate"`
	Index          string                 `json:"index,omitempty"`
	Margin         rate.Rate              `json:"margin,omitzero"`
	Installments   int                    `json:"installments"`
	Frequency      schedule.Frequency     `json:"frequency"`
	EOM            schedule.EOMPolicy     `json:"eom"`
	FundingDate    date.Date              `json:"funding_date"`
	FirstDueDate   date.Date              `json:"first_due_date"`
	DayCount       accrual.DayCount       `json:"day_count"`
	InterestMethod legacyInterestMethod   `json:"interest_method"`
	Rounding       money.RoundingMode     `json:"interest_rounding"`
	Payment        money.Amount           `json:"payment"`
	EscrowPayment  money.Amount           `json:"escrow_payment"`
	Allocation     legacyAllocationShape  `json:"allocation"`
	LateFee        legacyLateFeeShape     `json:"late_fee"`
	ARM            *accrual.ARM           `json:"arm,omitempty"`
	Reporting      delinquency.Method     `json:"reporting,omitempty"`
	CreditKind     delinquency.CreditType `json:"credit_kind,omitempty"`
	StatusPolicy   *legacyStatusShape     `json:"status_policy,omitempty"`
	PayoffInterest loan.PayoffInterest    `json:"payoff_interest,omitempty"`
	AddOnEarning   string                 `json:"add_on_earning,omitempty"`
}

// defNames name the $defs of the first release's terms members and of
// simulate's own output types.
var defNames = map[reflect.Type]string{
	reflect.TypeFor[legacyAllocationShape](): "loan.TermsFirstRelease.Allocation",
	reflect.TypeFor[legacyLateFeeShape]():    "loan.TermsFirstRelease.LateFee",
	reflect.TypeFor[legacyStatusShape]():     "loan.TermsFirstRelease.StatusPolicy",
	reflect.TypeFor[stateOut]():              "State",
	reflect.TypeFor[delinquencyOut]():        "StateDelinquency",
}

// legacyInterestMethod is the first release's interest method: scheduled,
// daily_simple or precomputed.
type legacyInterestMethod string

type legacyAllocationShape struct {
	// Extra is what money beyond what is due does: principal or suspense.
	Extra string `json:"extra,omitempty"`
	// Rules are payment rules, instead of Extra.
	Rules *payment.Rules `json:"rules,omitempty"`
}

type legacyLateFeeShape struct {
	// GraceDays are the days after the due date before a late charge.
	GraceDays int `json:"grace_days"`
	// Percent of the basis, in whole basis points.
	Percent rate.Rate `json:"percent"`
	// Basis is the percentage's basis (delinquency.FeeMethod).
	Basis string `json:"basis,omitempty"`
	// Flat is the flat charge, or the minimum with a percentage.
	Flat money.Amount `json:"flat"`
	// Max caps the charge.
	Max money.Amount `json:"max"`
	// Rounding of a percentage charge.
	Rounding money.RoundingMode `json:"rounding,omitempty"`
}

// legacyStatusShape is the first release's status policy, written with Go
// field names.
type legacyStatusShape struct {
	DelinquentDays, DefaultDays, NonAccrualDays, ChargeOffDays int
	ChargeOff                                                  string
}

// leaves are the $defs of the types with a text form.
func (g *schemaGen) leaves() {
	amount := map[string]any{"type": "string", "pattern": amountPattern,
		"description": "An exact amount: its ISO 4217 code and a decimal with the currency's scale (\"USD 1199.10\"); where the currency is given beside it, a bare decimal (\"1199.10\")."}
	if !g.output {
		// money.Amount reads a bare JSON number as its text, never through a float.
		amount = map[string]any{"anyOf": []any{amount, map[string]any{"type": "number"}}, "description": amount["description"]}
	}
	g.defs["money.Amount"] = amount
	dec := map[string]any{"type": "string", "pattern": `^-?[0-9]+(\.[0-9]+)?$`,
		"description": "An exact decimal quantity that is not money (a factor, a fraction), as a string."}
	if !g.output {
		dec = map[string]any{"anyOf": []any{dec, map[string]any{"type": "number"}}, "description": dec["description"]}
	}
	g.defs["decimal.Decimal"] = dec
	g.defs["rate.Rate"] = map[string]any{"type": "string", "pattern": ratePattern,
		"description": "An annual rate with its unit: \"6.5%\" or \"650bp\" (never a bare fraction)."}
	g.defs["date.Date"] = map[string]any{"type": "string", "format": "date", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`,
		"description": "A business date, ISO 8601 YYYY-MM-DD (an impossible date is refused)."}
}

// document is the finished schema with its $defs.
func (g *schemaGen) document(id, title, description string, root map[string]any) ([]byte, error) {
	g.leaves()
	if len(g.err) > 0 {
		return nil, fmt.Errorf("schema: %s", strings.Join(g.err, "; "))
	}
	doc := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         id,
		"title":       title,
		"description": description,
		"$defs":       g.defs,
	}
	for k, v := range root {
		doc[k] = v
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// scenarioSchema is the input document of servicing simulate.
func scenarioSchema() ([]byte, error) {
	g := newSchemaGen(false)
	root := g.object(reflect.TypeFor[scenario](), nil)
	props := root["properties"].(map[string]any)
	props["boarding"] = withDescription(map[string]any{
		"if":   map[string]any{"type": "object", "required": []string{"product"}},
		"then": g.productBoarding(),
		"else": g.of(reflect.TypeFor[loan.BoardingRequest]()),
	}, "The LOS payload: terms given whole (loan.ParseBoarding), or naming a product whose defaults the terms are laid over (product.Catalogue.ParseBoarding).")
	props["commands"] = map[string]any{"type": []any{"array", "null"}, "items": g.commands(),
		"description": "Commands in recorded order."}
	props["loan"] = withDescription(props["loan"].(map[string]any), "The loan id (loan-1 when absent).")
	root["required"] = []string{"boarding"}
	return g.document(schemaModule+"/cmd/servicing/schema/scenario.schema.json", "servicing simulate scenario",
		"The input of servicing simulate: a loan's boarding, dated commands and the dates to report on. It is read strictly: a member not in this schema is refused.", root)
}

// productBoarding is a boarding naming a product.
func (g *schemaGen) productBoarding() map[string]any {
	req := g.of(reflect.TypeFor[loan.BoardingRequest]())
	g.terms()
	full := g.defs[strings.TrimPrefix(req["$ref"].(string), "#/$defs/")].(map[string]any)
	props := map[string]any{}
	for k, v := range full["properties"].(map[string]any) {
		props[k] = v
	}
	props["terms"] = ref("product.Terms")
	g.defs["product.Boarding"] = map[string]any{"type": "object", "properties": props, "additionalProperties": false,
		"required":    []string{"product"},
		"description": "A boarding naming a loan product of the catalogue (built-in, or -products FILE); product_version defaults to the latest."}
	return ref("product.Boarding")
}

// commands is a command's schema, one $def per type from commandMembers:
// the members a type takes and those it requires, each typed as
// scenarioCommand types it.
func (g *schemaGen) commands() map[string]any {
	ct := reflect.TypeFor[scenarioCommand]()
	member := map[string]map[string]any{}
	for i := range ct.NumField() {
		f := ct.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		s := g.of(f.Type)
		if d := g.doc(ct, f.Name); d != "" {
			s = withDescription(s, d)
		}
		member[name] = s
	}
	// Members simulate holds as text but reads as an amount or a rate.
	for _, m := range []string{"amount", "nsf_fee"} {
		member[m] = map[string]any{"type": "string", "pattern": amountPattern, "description": member[m]["description"]}
	}
	member["rate"] = map[string]any{"type": "string", "pattern": ratePattern, "description": member["rate"]["description"]}
	types := make([]string, 0, len(commandMembers))
	for t := range commandMembers {
		types = append(types, t)
	}
	slices.Sort(types)
	var branches []any
	for _, t := range types {
		spec := commandMembers[t]
		props := map[string]any{"type": map[string]any{"const": t}, "on": member["on"], "key": member["key"]}
		for _, m := range spec.allowed {
			s, ok := member[m]
			if !ok {
				g.err = append(g.err, fmt.Sprintf("command %s takes %s, which scenarioCommand does not have", t, m))
			}
			props[m] = s
		}
		req := append([]string{"on", "type"}, spec.required...)
		slices.Sort(req)
		name := "Command." + t
		g.defs[name] = map[string]any{"type": "object", "properties": props, "required": req, "additionalProperties": false}
		branches = append(branches, map[string]any{
			"if":   map[string]any{"properties": map[string]any{"type": map[string]any{"const": t}}},
			"then": ref(name),
		})
	}
	g.defs["Command"] = map[string]any{
		"description": "One dated command; the members it takes are those of its type.",
		"type":        "object",
		"required":    []string{"type"},
		"properties":  map[string]any{"type": map[string]any{"enum": types}},
		"allOf":       branches,
	}
	return ref("Command")
}

// simulationSchema is the output document of servicing simulate.
func simulationSchema() ([]byte, error) {
	g := newSchemaGen(true)
	root := g.object(reflect.TypeFor[simulation](), nil)
	return g.document(schemaModule+"/cmd/servicing/schema/simulation.schema.json", "servicing simulate output",
		"What servicing simulate prints for a scenario: each command's result, the contractual schedule, states, transactions, delinquency episodes, payoff quotes, statements, escrow analyses and statements, and the audit trail. Every member is listed; amounts carry their currency.", root)
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/$defs/" + name} }

func nullable(s map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

func withDescription(s map[string]any, d string) map[string]any {
	out := map[string]any{"description": d}
	for k, v := range s {
		out[k] = v
	}
	return out
}

// defName names a struct type's $def: its package and name
// ("amortize.Row"), or the name capitalized for this command's own.
func defName(t reflect.Type) string {
	if n, ok := defNames[t]; ok {
		return n
	}
	if t.PkgPath() == "main" || t.PkgPath() == schemaModule+"/cmd/servicing" {
		r := []rune(t.Name())
		r[0] = unicode.ToUpper(r[0])
		return string(r)
	}
	return filepath.Base(t.PkgPath()) + "." + t.Name()
}

// doc is the doc comment of a type ("") or of one of its fields, read from
// the type's source in this module.
func (g *schemaGen) doc(t reflect.Type, fieldName string) string {
	dir, ok := strings.CutPrefix(t.PkgPath(), schemaModule)
	switch {
	case t.PkgPath() == "main" || t.PkgPath() == schemaModule+"/cmd/servicing":
		dir = "."
	case !ok:
		return ""
	default:
		dir = "../.." + dir
	}
	docs, ok := g.docs[dir]
	if !ok {
		docs = readDocs(dir)
		g.docs[dir] = docs
	}
	key := t.Name()
	if fieldName != "" {
		key += "." + fieldName
	}
	return docs[key]
}

// readDocs maps "Type" and "Type.Field" to their doc comments, as one line.
func readDocs(dir string) map[string]string {
	out := map[string]string{}
	fset := token.NewFileSet()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") && n != "schemagen_test.go" {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				out[ts.Name.Name] = oneLine(doc)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, fl := range st.Fields.List {
					d := oneLine(fl.Doc)
					if d == "" {
						d = oneLine(fl.Comment)
					}
					for _, nm := range fl.Names {
						out[ts.Name.Name+"."+nm.Name] = d
					}
				}
			}
		}
	}
	return out
}

func oneLine(c *ast.CommentGroup) string {
	if c == nil {
		return ""
	}
	return strings.Join(strings.Fields(c.Text()), " ")
}
