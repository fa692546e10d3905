package strictjson

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"unicode/utf8"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// maxProblems bounds the problems one call reports.
const maxProblems = 100

// maxValueBytes bounds the raw JSON kept as a problem's Value.
const maxValueBytes = 80

var (
	dateType            = reflect.TypeFor[date.Date]()
	datePtrType         = reflect.TypeFor[*date.Date]()
	numberType          = reflect.TypeFor[json.Number]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Decode decodes the JSON document data into v (a non-nil pointer) strictly:
// every member must name a field, no member may repeat, dates must be real
// calendar dates (see [ParseDate]), integers must be written as integers in
// range, and each value must have the JSON type its field needs. Members
// absent from the document leave their fields as they were, so fields preset
// before the call keep their values. See the package documentation for the
// full rules.
//
// Decode returns nil or the errors.Join of one [*field.Error] per problem, in
// document order, each naming the member's path ("terms.installments",
// "payments[3].date", "fees[late]"). At most 100 problems are reported; if
// there are more, a last *field.Error wrapping [field.ErrOutOfRange] says the
// list was cut short. A document that is not JSON gives a single
// *field.Error wrapping [field.ErrInvalid] with the byte offset in its
// Detail. After an error, *v may be partly decoded and must not be used.
func Decode(data []byte, v any) error { return DecodeAt("", data, v) }

// DecodeAt is [Decode] with every reported field path prefixed by prefix
// (e.g. "boarding.terms"); problems with the document as a whole are
// reported at prefix itself. It suits an UnmarshalJSON method decoding its
// own wire type: its caller re-prefixes the paths with the member's path.
func DecodeAt(prefix string, data []byte, v any) error {
	d := &decoder{prefix: prefix}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		d.add(prefix, nil, field.ErrNotSupported, fmt.Sprintf("strictjson: Decode needs a non-nil pointer, got %T", v))
		return d.problems.Err(nil)
	}
	s := &scanner{data: data}
	root, serr := s.document()
	if serr != nil {
		var l field.List
		l.Add(prefix, nil, field.ErrInvalid, fmt.Sprintf("invalid JSON at byte offset %d: %s", serr.offset, serr.msg))
		return l.Err(nil)
	}
	// An unnamed pointee may still have methods promoted from an embedded
	// field; encoding/json calls them, so look at the pointer itself first.
	if rv.Type().Elem().Name() != "" || !d.leaf(prefix, root, rv) {
		d.value(prefix, root, rv.Elem())
	}
	if d.cut {
		d.problems.Add(prefix, nil, field.ErrOutOfRange,
			fmt.Sprintf("more than %d problems; decoding stopped", maxProblems))
	}
	return d.problems.Err(nil)
}

// decoder holds the state of one Decode call.
type decoder struct {
	prefix   string
	problems field.List
	seen     map[string]bool // problems already recorded, to drop repeats
	cut      bool            // maxProblems reached: stop
	structs  map[reflect.Type]*structInfo
}

// add records a problem unless the same one is already recorded.
func (d *decoder) add(path string, value any, err error, detail string) {
	d.append(field.New(path, value, err, detail))
}

func (d *decoder) append(fe *field.Error) {
	if d.cut {
		return
	}
	key := fmt.Sprintf("%s\x00%v\x00%s", fe.Field, fe.Err, fe.Detail)
	if d.seen[key] {
		return
	}
	if d.problems.Len() >= maxProblems {
		d.cut = true
		return
	}
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	d.seen[key] = true
	d.problems.Append(fe)
}

// wrong records a value of the wrong JSON type; want says what is allowed.
func (d *decoder) wrong(path string, n *node, want string) {
	d.add(path, rawValue(n.raw), field.ErrInvalid, want)
}

// value decodes n into v, which is settable.
func (d *decoder) value(path string, n *node, v reflect.Value) {
	if d.cut {
		return
	}
	if n.flaw != "" {
		d.add(path, rawValue(n.raw), field.ErrInvalid, "a string of "+n.flaw)
	}
	t := v.Type()
	if t == dateType {
		d.date(path, n, v)
		return
	}
	if t.Name() != "" && t.Kind() != reflect.Pointer && d.leaf(path, n, v.Addr()) {
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		d.pointer(path, n, v)
	case reflect.Interface:
		d.iface(path, n, v)
	case reflect.Struct:
		d.structValue(path, n, v)
	case reflect.Map:
		d.mapValue(path, n, v)
	case reflect.Slice:
		d.slice(path, n, v)
	case reflect.Array:
		d.array(path, n, v)
	case reflect.String:
		d.stringValue(path, n, v)
	case reflect.Bool:
		switch n.kind {
		case kindBool:
			v.SetBool(n.raw[0] == 't')
		case kindNull:
		default:
			d.wrong(path, n, "true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.intValue(path, n, v)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		d.uintValue(path, n, v)
	case reflect.Float32, reflect.Float64:
		d.floatValue(path, n, v)
	default:
		d.add(path, nil, field.ErrNotSupported, fmt.Sprintf("strictjson cannot decode into a Go %s", t.Kind()))
	}
}

// leaf decodes n through p's UnmarshalJSON or UnmarshalText method, if p (a
// non-nil pointer) has one, and reports whether it did. The method receives
// the existing value, so presets reach it. *date.Date is never a leaf: its
// UnmarshalText normalises impossible dates.
func (d *decoder) leaf(path string, n *node, p reflect.Value) bool {
	pt := p.Type()
	if pt == datePtrType || !p.CanInterface() {
		return false
	}
	ju, isJSON := p.Interface().(json.Unmarshaler)
	tu, isText := p.Interface().(encoding.TextUnmarshaler)
	if !isJSON && !isText {
		return false
	}
	d.audit(path, n)
	if embedsDate(pt.Elem()) {
		// A type embedding date.Date may have its lax UnmarshalText
		// promoted; hold it to the date rule first.
		if n.kind != kindString {
			d.wrong(path, n, dateWords)
			return true
		}
		if _, err := ParseDate(n.str); err != nil {
			d.dateProblem(path, n, err)
			return true
		}
	}
	if isJSON {
		d.leafError(path, n, ju.UnmarshalJSON(n.raw))
		return true
	}
	switch n.kind {
	case kindNull: // unchanged, as encoding/json leaves it
	case kindString:
		d.leafError(path, n, tu.UnmarshalText([]byte(n.str)))
	default:
		d.wrong(path, n, "a string")
	}
	return true
}

// embedsDate reports whether struct type t embeds date.Date directly.
func embedsDate(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		if sf := t.Field(i); sf.Anonymous && (sf.Type == dateType || sf.Type == datePtrType) {
			return true
		}
	}
	return false
}

// leafError records what an UnmarshalJSON or UnmarshalText method returned.
// Field errors inside it keep their identity, with paths made relative to
// the member; any other error becomes one field error at the member.
func (d *decoder) leafError(path string, n *node, err error) {
	if err == nil {
		return
	}
	found := field.Errors(err)
	if len(found) == 0 {
		d.add(path, rawValue(n.raw), field.ErrInvalid, err.Error())
		return
	}
	for _, fe := range found {
		d.append(&field.Error{Field: joinPath(path, fe.Field), Value: fe.Value, Err: fe.Err, Detail: fe.Detail})
	}
}

func (d *decoder) date(path string, n *node, v reflect.Value) {
	if n.kind != kindString {
		d.wrong(path, n, dateWords)
		return
	}
	dt, err := ParseDate(n.str)
	if err != nil {
		d.dateProblem(path, n, err)
		return
	}
	v.Set(reflect.ValueOf(dt))
}

func (d *decoder) dateProblem(path string, n *node, err error) {
	detail := dateWords
	var de *dateError
	if errors.As(err, &de) {
		detail = de.detail()
	}
	d.add(path, rawValue(n.raw), field.ErrInvalid, detail)
}

func (d *decoder) pointer(path string, n *node, v reflect.Value) {
	if n.kind == kindNull {
		v.SetZero()
		return
	}
	if v.IsNil() {
		v.Set(reflect.New(v.Type().Elem()))
	}
	if v.Type().Elem().Name() == "" && d.leaf(path, n, v) {
		return
	}
	d.value(path, n, v.Elem())
}

// iface decodes into an interface. A preset non-nil pointer inside it is
// decoded into, as encoding/json does; otherwise an empty interface gets
// the generic form (map[string]any, []any, json.Number, string, bool, nil).
func (d *decoder) iface(path string, n *node, v reflect.Value) {
	if n.kind == kindNull {
		v.SetZero()
		return
	}
	if e := v.Elem(); e.Kind() == reflect.Pointer && !e.IsNil() {
		if e.Type().Elem().Name() != "" || !d.leaf(path, n, e) {
			d.value(path, n, e.Elem())
		}
		return
	}
	if v.NumMethod() != 0 {
		d.add(path, nil, field.ErrNotSupported,
			fmt.Sprintf("strictjson cannot decode into the non-empty interface type %s", v.Type()))
		return
	}
	d.audit(path, n)
	v.Set(reflect.ValueOf(generic(n)))
}

// audit reports the text-level flaws anywhere in n, for values that are not
// walked member by member (raw JSON for a leaf method, generic values).
func (d *decoder) audit(path string, n *node) {
	if !n.flawed {
		return
	}
	switch n.kind {
	case kindString:
		if n.flaw != "" {
			d.add(path, rawValue(n.raw), field.ErrInvalid, "a string of "+n.flaw)
		}
	case kindObject:
		d.flaws(path, n, false)
		for _, m := range n.members {
			d.audit(memberPath(path, m.name), m.val)
		}
	case kindArray:
		for i, e := range n.elems {
			d.audit(indexPath(path, i), e)
		}
	}
}

// flaws reports the repeated and badly encoded member names of object n,
// with map-key paths ("[key]") if the object is decoded into a map.
func (d *decoder) flaws(path string, n *node, mapKeys bool) {
	for _, f := range n.flaws {
		p := memberPath(path, f.name)
		if mapKeys {
			p = keyPath(path, f.name)
		}
		d.add(p, nil, field.ErrInvalid, f.detail)
	}
}

// generic is n in encoding/json's form for interface values, with UseNumber.
func generic(n *node) any {
	switch n.kind {
	case kindBool:
		return n.raw[0] == 't'
	case kindNumber:
		return json.Number(n.raw)
	case kindString:
		return n.str
	case kindArray:
		a := make([]any, len(n.elems))
		for i, e := range n.elems {
			a[i] = generic(e)
		}
		return a
	case kindObject:
		m := make(map[string]any, len(n.members))
		for _, mb := range n.members {
			m[mb.name] = generic(mb.val)
		}
		return m
	}
	return nil
}

// structValue sets the fields named by the members present; the others keep
// their values.
func (d *decoder) structValue(path string, n *node, v reflect.Value) {
	switch n.kind {
	case kindNull:
		return
	case kindObject:
	default:
		d.wrong(path, n, "an object")
		return
	}
	d.flaws(path, n, false)
	info := d.structInfoOf(v.Type())
	for _, m := range n.members {
		p := memberPath(path, m.name)
		f := info.byName[m.name]
		switch {
		case f == nil && info.allowed == "":
			d.add(p, nil, field.ErrNotSupported, "unknown member; the object has no members")
		case f == nil:
			d.add(p, nil, field.ErrNotSupported, "unknown member; allowed: "+info.allowed)
		case f.quoted:
			d.add(p, nil, field.ErrNotSupported, "strictjson does not support the ,string tag option")
		default:
			if fv, ok := d.fieldOf(p, v, f.index); ok {
				d.value(p, m.val, fv)
			}
		}
		if d.cut {
			return
		}
	}
}

// fieldOf walks index from struct v, allocating nil embedded pointers as
// encoding/json does. Go cannot set a nil embedded pointer to an unexported
// struct type; that is reported.
func (d *decoder) fieldOf(path string, v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					d.add(path, nil, field.ErrNotSupported,
						fmt.Sprintf("strictjson cannot set the nil embedded pointer to unexported struct type %s", v.Type().Elem()))
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func (d *decoder) slice(path string, n *node, v reflect.Value) {
	t := v.Type()
	bytes := t.Elem().Kind() == reflect.Uint8
	switch {
	case n.kind == kindNull:
		v.SetZero()
		return
	case n.kind == kindString && bytes:
		b, err := base64.StdEncoding.Strict().DecodeString(n.str)
		if err != nil {
			d.wrong(path, n, "an array of bytes or standard padded base64 text")
			return
		}
		v.SetBytes(b)
		return
	case n.kind != kindArray && bytes:
		d.wrong(path, n, "an array of bytes or standard padded base64 text")
		return
	case n.kind != kindArray:
		d.wrong(path, n, "an array")
		return
	}
	// A JSON array replaces the slice: its elements start from zero values,
	// or from the slice's own elements at the same index when it has them
	// (a caller presets, say, each element's currency).
	s := reflect.MakeSlice(t, len(n.elems), len(n.elems))
	reflect.Copy(s, v)
	for i, e := range n.elems {
		d.value(indexPath(path, i), e, s.Index(i))
		if d.cut {
			return
		}
	}
	v.Set(s)
}

// array decodes into a Go array, whose length the JSON array must have.
// Elements are decoded into, so presets survive.
func (d *decoder) array(path string, n *node, v reflect.Value) {
	switch {
	case n.kind == kindNull:
		return
	case n.kind != kindArray:
		d.wrong(path, n, "an array")
		return
	case len(n.elems) != v.Len():
		d.wrong(path, n, fmt.Sprintf("an array of exactly %d elements", v.Len()))
		return
	}
	for i, e := range n.elems {
		d.value(indexPath(path, i), e, v.Index(i))
	}
}

func (d *decoder) stringValue(path string, n *node, v reflect.Value) {
	switch {
	case n.kind == kindNull:
	case v.Type() == numberType && n.kind == kindNumber:
		v.SetString(string(n.raw))
	case v.Type() == numberType:
		d.wrong(path, n, "a number")
	case n.kind == kindString:
		v.SetString(n.str)
	default:
		d.wrong(path, n, "a string")
	}
}

// intValue accepts only an optional minus and digits: no fraction and no
// exponent, even when they would give an integer.
func (d *decoder) intValue(path string, n *node, v reflect.Value) {
	if n.kind == kindNull {
		return
	}
	if n.kind != kindNumber || !isInteger(n.raw) {
		d.wrong(path, n, "an integer")
		return
	}
	i, err := strconv.ParseInt(string(n.raw), 10, 64)
	if err != nil || v.OverflowInt(i) {
		shift := 64 - v.Type().Bits()
		lo, hi := int64(math.MinInt64)>>shift, int64(math.MaxInt64)>>shift
		d.add(path, rawValue(n.raw), field.ErrOutOfRange, fmt.Sprintf("an integer from %d to %d", lo, hi))
		return
	}
	v.SetInt(i)
}

func (d *decoder) uintValue(path string, n *node, v reflect.Value) {
	if n.kind == kindNull {
		return
	}
	if n.kind != kindNumber || !isInteger(n.raw) {
		d.wrong(path, n, "an integer")
		return
	}
	u, err := strconv.ParseUint(string(n.raw), 10, 64)
	if err != nil || v.OverflowUint(u) {
		hi := uint64(math.MaxUint64) >> (64 - v.Type().Bits())
		d.add(path, rawValue(n.raw), field.ErrOutOfRange, fmt.Sprintf("an integer from 0 to %d", hi))
		return
	}
	v.SetUint(u)
}

// floatValue exists only for callers' types with float fields; the
// project's wire types have none. The number is read as encoding/json reads
// it.
func (d *decoder) floatValue(path string, n *node, v reflect.Value) {
	switch n.kind {
	case kindNull:
		return
	case kindNumber:
	default:
		d.wrong(path, n, "a number")
		return
	}
	f, err := strconv.ParseFloat(string(n.raw), v.Type().Bits())
	if err != nil || v.OverflowFloat(f) {
		d.add(path, rawValue(n.raw), field.ErrOutOfRange, fmt.Sprintf("a number within the range of float%d", v.Type().Bits()))
		return
	}
	v.SetFloat(f)
}

// isInteger reports whether a JSON number has no fraction or exponent.
func isInteger(raw []byte) bool {
	for i, c := range raw {
		if (c < '0' || c > '9') && !(i == 0 && c == '-') {
			return false
		}
	}
	return true
}

// rawValue is the JSON text of a value for a problem's Value, cut to at
// most maxValueBytes bytes on a character boundary.
func rawValue(raw []byte) string {
	if len(raw) <= maxValueBytes {
		return string(raw)
	}
	end := maxValueBytes - len("...")
	for end > 0 && !utf8.RuneStart(raw[end]) {
		end--
	}
	return string(raw[:end]) + "..."
}

// memberPath is the path of member name inside the value at path.
func memberPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// keyPath is the path of the map entry with key name inside the map at path.
func keyPath(path, name string) string {
	return path + "[" + name + "]"
}

// indexPath is the path of element i of the array at path.
func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// joinPath prefixes a path reported from inside a value with that value's
// path.
func joinPath(path, sub string) string {
	switch {
	case sub == "":
		return path
	case path == "":
		return sub
	case sub[0] == '[':
		return path + sub
	}
	return path + "." + sub
}
