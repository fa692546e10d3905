package strictjson

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"

	"github.com/lendcore/servicing/field"
)

// mapValue adds the members to the map, allocating it if nil; entries
// already in a preset map stay. Each value is decoded into a fresh zero
// value, as encoding/json does (map entries cannot be decoded into).
func (d *decoder) mapValue(path string, n *node, v reflect.Value) {
	switch n.kind {
	case kindNull:
		v.SetZero()
		return
	case kindObject:
	default:
		d.wrong(path, n, "an object")
		return
	}
	t := v.Type()
	kt := t.Key()
	text := reflect.PointerTo(kt).Implements(textUnmarshalerType)
	if !text && !intKind(kt.Kind()) && !uintKind(kt.Kind()) && kt.Kind() != reflect.String {
		d.add(path, nil, field.ErrNotSupported, fmt.Sprintf("strictjson cannot decode map keys of Go type %s", kt))
		return
	}
	d.flaws(path, n, true)
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(t, len(n.members)))
	}
	// Distinct texts can read as the same key through UnmarshalText; the
	// later would silently replace the earlier, so that is refused.
	var seen map[any]bool
	for _, m := range n.members {
		p := keyPath(path, m.name)
		kv, ok := d.mapKey(p, m.name, kt, text)
		if !ok {
			continue
		}
		if text {
			k := kv.Interface()
			if seen[k] {
				d.add(p, nil, field.ErrInvalid, "names the same key as an earlier member")
				continue
			}
			if seen == nil {
				seen = map[any]bool{}
			}
			seen[k] = true
		}
		ev := reflect.New(t.Elem()).Elem()
		d.value(p, m.val, ev)
		v.SetMapIndex(kv, ev)
		if d.cut {
			return
		}
	}
}

// mapKey reads a member name as a key of type kt. Dates follow ParseDate;
// other UnmarshalText keys take precedence over the key's kind, as in
// encoding/json; integer keys must be canonical (no leading zeros, no plus,
// no -0) so that two names can never read as the same key.
func (d *decoder) mapKey(path, name string, kt reflect.Type, text bool) (reflect.Value, bool) {
	raw := strconv.Quote(name)
	if kt == dateType || text && embedsDate(kt) {
		if _, err := ParseDate(name); err != nil {
			d.dateProblem(path, &node{kind: kindString, raw: []byte(raw), str: name}, err)
			return reflect.Value{}, false
		}
	}
	kv := reflect.New(kt)
	switch k := kt.Kind(); {
	case kt == dateType:
		dt, _ := ParseDate(name)
		kv.Elem().Set(reflect.ValueOf(dt))
	case text:
		if err := kv.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(name)); err != nil {
			d.leafError(path, &node{kind: kindString, raw: []byte(raw), str: name}, err)
			return reflect.Value{}, false
		}
	case k == reflect.String:
		kv.Elem().SetString(name)
	case !canonicalInteger(name):
		d.add(path, raw, field.ErrInvalid, "a key that is an integer written without leading zeros, plus sign or -0")
		return reflect.Value{}, false
	case intKind(k):
		i, err := strconv.ParseInt(name, 10, 64)
		if err != nil || kv.Elem().OverflowInt(i) {
			d.add(path, raw, field.ErrOutOfRange, fmt.Sprintf("a key that fits the Go type %s", kt))
			return reflect.Value{}, false
		}
		kv.Elem().SetInt(i)
	default:
		u, err := strconv.ParseUint(name, 10, 64)
		if err != nil || kv.Elem().OverflowUint(u) {
			d.add(path, raw, field.ErrOutOfRange, fmt.Sprintf("a key that fits the Go type %s", kt))
			return reflect.Value{}, false
		}
		kv.Elem().SetUint(u)
	}
	return kv.Elem(), true
}

// canonicalInteger reports whether s is -?(0|[1-9][0-9]*) other than "-0".
func canonicalInteger(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
		if s == "0" {
			return false
		}
	}
	if s == "" || s[0] == '0' && len(s) > 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func intKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

func uintKind(k reflect.Kind) bool {
	switch k {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}
