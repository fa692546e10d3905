// Package strictjson decodes JSON from hosts (LOS boarding payloads, scenario
// files, command payloads) strictly, reporting every problem as a
// [field.Error] with the path of the member at fault.
//
// The library is a system of record: bad input must be refused, never
// silently repaired or ignored. encoding/json alone falls short in three ways:
//
//   - date.Date (github.com/rickb777/date/v2) reads text through
//     date.ParseISO, which normalises impossible dates: "2024-02-30" becomes
//     2024-03-01 and "2024-13-45" becomes 2025-02-14.
//   - DisallowUnknownFields reports `json: unknown field "x"` without saying
//     where, and does not reach types with their own UnmarshalJSON.
//   - Type errors name internal Go types ("Go struct field
//     termsWire.installments of type int") instead of a member path and what
//     is allowed; and it stops at the first problem.
//
// [Decode] walks the Go type of its target with package reflect alongside the
// document and applies the rules below. [ParseDate] is the date rule on its
// own, for dates read from flags or CSV.
//
// # Members
//
// Struct fields are found as encoding/json finds them: the json tag name,
// else the Go field name; `json:"-"` skipped; fields of untagged embedded
// structs promoted, the shallowest (then the tagged) winning among equal
// names. The omitempty and omitzero options do not matter for decoding; the
// ,string option is refused. Unlike encoding/json, names match exactly,
// case included: "Installments" does not fill `json:"installments"`. A
// member that names no field is a problem whose Detail lists the allowed
// names, sorted. A name that appears twice in one object is a problem
// wherever the object is decoded, including inside raw values handed to an
// UnmarshalJSON method and values decoded into any (the values of unknown
// members and of members with the wrong JSON type are not looked into).
//
// # Values
//
//   - date.Date: a JSON string accepted by [ParseDate]; null is refused (the
//     zero date 0001-01-01 is a real date, so use *date.Date for an optional
//     one). This holds in fields, slices, arrays, map values and keys,
//     pointers and embedded structs, and for struct types that embed
//     date.Date (whose promoted UnmarshalText would be date.ParseISO).
//   - Types with an UnmarshalJSON method (on the value or its pointer) get
//     the member's raw JSON, null included, as encoding/json gives it. Types
//     with only UnmarshalText need a JSON string; null leaves them unchanged.
//     Either is called on the existing value, never a zeroed one.
//   - Integers of every size: an optional minus and digits only, within the
//     type's range; 360.5 and 1e3 are refused. Floats (which the project's
//     wire types do not use) are read as encoding/json reads them. Strings
//     must be valid UTF-8 with no unpaired UTF-16 surrogate escapes, which
//     encoding/json would replace with U+FFFD. Booleans are true or false.
//   - Pointers: null sets nil; otherwise the existing pointee, or a new one
//     if nil, is decoded into.
//   - Slices: null sets nil; an array replaces the slice with new elements
//     that start from zero values. []byte also takes standard padded base64
//     text. Go arrays need a JSON array of exactly their length and are
//     decoded element by element in place.
//   - Maps (keys of string or integer kind, or with UnmarshalText): null sets
//     nil; members are added to the existing map (allocated if nil), each
//     value decoded from a zero value. Integer keys must be canonical
//     ("7", not "07").
//   - Empty interfaces get map[string]any, []any, json.Number, string, bool
//     or nil (encoding/json with UseNumber); a preset non-nil pointer in an
//     interface is decoded into instead.
//   - null for any other type leaves the value unchanged, as in encoding/json.
//
// # Presets
//
// Decoding a struct sets only the members present, and leaf methods see the
// existing value, so a caller can preset fields before decoding. The project
// presets money.Amount fields with money.Zero(currency): Amount.UnmarshalJSON
// then reads a bare "12.30" in that currency.
//
// # Errors
//
// Decode returns nil or an errors.Join of *field.Error values, one per
// problem, in document order, at most 100 (then one more saying the list was
// cut). Each wraps a field sentinel: [field.ErrInvalid] for malformed values
// and wrong JSON types, with the allowed form in words in Detail ("an
// integer", "a string", "true or false", "an object", "an array", "an ISO
// date YYYY-MM-DD"); [field.ErrOutOfRange] for numbers outside their type;
// [field.ErrNotSupported] for unknown members and Go types this package
// cannot fill. Value holds the offending JSON text, cut to 80 bytes (nil
// for unknown and repeated members, whose path says it all).
//
// Paths join member names with "." and write array indexes as "[3]" and
// map keys as "[key]": "payments[3].date", "fees[late]". [DecodeAt]
// prefixes them. When an UnmarshalJSON or UnmarshalText method returns an
// error holding *field.Error values (wrapped or joined), each is re-emitted
// with the member's path in front of its Field; wrapping text and sentinels
// around them are not carried over. Any other error becomes one
// *field.Error at the member, wrapping field.ErrInvalid, with the error's
// text as Detail. Callers add their own sentinel with
// fmt.Errorf("%w: %w", ErrInvalidX, err); errors.As and field.Fields reach
// every problem.
//
// A document that is not JSON (including trailing data after the value, and
// nesting deeper than encoding/json's 10000 levels) is one *field.Error at
// the prefix, wrapping field.ErrInvalid, whose Detail gives the byte offset
// (0-based) and what was expected.
//
// # Determinism
//
// The package keeps no state between calls: field tables are built per call.
// The same input gives the same value and the same problems in the same order.
package strictjson
