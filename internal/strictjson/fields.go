package strictjson

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
	"unicode"
)

// structInfo is how JSON members map onto the fields of one struct type.
type structInfo struct {
	byName  map[string]*fieldInfo
	allowed string // the member names, sorted and joined, for error details
}

// fieldInfo is one decodable field, possibly promoted from embedded structs.
type fieldInfo struct {
	name   string
	index  []int // as for reflect.Value.FieldByIndex, through embedded structs
	tagged bool  // the name came from a json tag
	quoted bool  // the ,string option, which this package refuses
}

// structInfoOf returns the fields of t, computed once per Decode call.
// It keeps no cache between calls: the package has no mutable globals.
func (d *decoder) structInfoOf(t reflect.Type) *structInfo {
	if info, ok := d.structs[t]; ok {
		return info
	}
	fields := typeFields(t)
	info := &structInfo{byName: make(map[string]*fieldInfo, len(fields))}
	names := make([]string, 0, len(fields))
	for i := range fields {
		info.byName[fields[i].name] = &fields[i]
		names = append(names, fields[i].name)
	}
	slices.Sort(names)
	info.allowed = strings.Join(names, ", ")
	if d.structs == nil {
		d.structs = map[reflect.Type]*structInfo{}
	}
	d.structs[t] = info
	return info
}

// typeFields lists the fields encoding/json decodes for struct type t, by
// the same rules (it follows typeFields in encoding/json/encode.go): exported
// fields, named by their json tag or else the Go name; `json:"-"` skipped;
// fields of embedded structs without a tag promoted; and among fields of the
// same name the shallowest wins, a tagged one breaking a tie, while a tie that
// remains hides them all.
func typeFields(t reflect.Type) []fieldInfo {
	type queued struct {
		typ   reflect.Type
		index []int
	}
	var fields []fieldInfo
	current, next := []queued{}, []queued{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, q := range current {
			if visited[q.typ] {
				continue
			}
			visited[q.typ] = true
			for i := 0; i < q.typ.NumField(); i++ {
				sf := q.typ.Field(i)
				if !decodable(sf) {
					continue
				}
				name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
				if !validTag(name) {
					name = ""
				}
				index := append(slices.Clip(q.index), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					f := fieldInfo{name: name, index: index, tagged: name != "", quoted: quotable(ft, opts)}
					if f.name == "" {
						f.name = sf.Name
					}
					fields = append(fields, f)
					if count[q.typ] > 1 {
						// The type was embedded twice at this depth: add a
						// second copy so the tie below hides the field.
						fields = append(fields, f)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, queued{typ: ft, index: index})
				}
			}
		}
	}
	return dominant(fields)
}

// decodable reports whether encoding/json considers the struct field at all.
func decodable(sf reflect.StructField) bool {
	if sf.Tag.Get("json") == "-" {
		return false
	}
	if sf.Anonymous {
		t := sf.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		// Embedded unexported structs may still promote exported fields.
		return sf.IsExported() || t.Kind() == reflect.Struct
	}
	return sf.IsExported()
}

// quotable reports whether the ,string option applies, which encoding/json
// honours only for strings, numbers and booleans.
func quotable(ft reflect.Type, opts string) bool {
	if !slices.Contains(strings.Split(opts, ","), "string") {
		return false
	}
	switch ft.Kind() {
	case reflect.Bool, reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// dominant keeps, for each name, the one field Go's embedding rules (with
// json tags promoted) let through, and returns them in field order.
func dominant(fields []fieldInfo) []fieldInfo {
	slices.SortFunc(fields, func(a, b fieldInfo) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return +1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		tie := j-i > 1 && len(fields[i].index) == len(fields[i+1].index) && fields[i].tagged == fields[i+1].tagged
		if !tie {
			out = append(out, fields[i])
		}
		i = j
	}
	slices.SortFunc(out, func(a, b fieldInfo) int { return slices.Compare(a.index, b.index) })
	return out
}

// validTag is encoding/json's rule for a usable tag name: letters, digits
// and punctuation other than backslash and quotes.
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
