package strictjson

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects. It is the limit
// encoding/json applies, so both accept the same documents.
const maxDepth = 10000

// kind is the JSON type of a node.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindObject
	kindArray
)

// node is one JSON value of the scanned document.
type node struct {
	kind    kind
	raw     []byte   // the value exactly as written, without surrounding space
	str     string   // kindString: the decoded text
	flaw    string   // kindString: why the text is refused, or ""
	members []member // kindObject: in document order, repeated names dropped
	flaws   []flaw   // kindObject: repeated or badly encoded member names
	elems   []*node  // kindArray
	flawed  bool     // a flaw is somewhere in this value (so audits skip clean ones)
}

// flaw is a problem with a member name, reported when the object is decoded
// (only then is it known whether the member is a field or a map key).
type flaw struct {
	name   string
	detail string
}

// member is one name/value pair of an object.
type member struct {
	name string
	val  *node
}

// syntaxError is a document that is not JSON. It stops decoding.
type syntaxError struct {
	offset int
	msg    string
}

// scanner reads a whole document into a tree of nodes. It owns the text-level
// rules: syntax, repeated member names and the encoding of strings. Problems
// that are not syntax errors (a repeated name, invalid UTF-8) are kept on the
// nodes as flaws, and scanning goes on.
type scanner struct {
	data  []byte
	off   int
	depth int
}

// document scans data, which must hold exactly one JSON value.
func (s *scanner) document() (*node, *syntaxError) {
	s.skipSpace()
	if s.off == len(s.data) {
		return nil, &syntaxError{s.off, "empty document, want a JSON value"}
	}
	n, err := s.value()
	if err != nil {
		return nil, err
	}
	s.skipSpace()
	if s.off < len(s.data) {
		return nil, &syntaxError{s.off, "trailing data after the JSON document"}
	}
	return n, nil
}

func (s *scanner) value() (*node, *syntaxError) {
	start := s.off
	switch c := s.peek(); {
	case c == '{':
		return s.object()
	case c == '[':
		return s.array()
	case c == '"':
		str, bad, err := s.string()
		if err != nil {
			return nil, err
		}
		return &node{kind: kindString, raw: s.data[start:s.off], str: str, flaw: bad, flawed: bad != ""}, nil
	case c == '-' || c >= '0' && c <= '9':
		if err := s.number(); err != nil {
			return nil, err
		}
		return &node{kind: kindNumber, raw: s.data[start:s.off]}, nil
	case c == 't':
		return s.literal("true", kindBool)
	case c == 'f':
		return s.literal("false", kindBool)
	case c == 'n':
		return s.literal("null", kindNull)
	}
	return nil, s.unexpected("a JSON value")
}

func (s *scanner) literal(word string, k kind) (*node, *syntaxError) {
	start := s.off
	for i := 0; i < len(word); i++ {
		if s.peek() != word[i] {
			return nil, s.unexpected(fmt.Sprintf("the literal %s", word))
		}
		s.off++
	}
	return &node{kind: k, raw: s.data[start:s.off]}, nil
}

func (s *scanner) object() (*node, *syntaxError) {
	start := s.off
	if err := s.enter(); err != nil {
		return nil, err
	}
	n := &node{kind: kindObject}
	var names map[string]bool // built once the object is big enough to need it
	s.skipSpace()
	if s.peek() == '}' {
		s.off++
		s.depth--
		n.raw = s.data[start:s.off]
		return n, nil
	}
	for {
		s.skipSpace()
		if s.peek() != '"' {
			return nil, s.unexpected("a member name (a JSON string)")
		}
		name, bad, err := s.string()
		if err != nil {
			return nil, err
		}
		if bad != "" {
			n.flaws = append(n.flaws, flaw{name: name, detail: "a member name of " + bad})
		}
		s.skipSpace()
		if s.peek() != ':' {
			return nil, s.unexpected("':' after the member name")
		}
		s.off++
		s.skipSpace()
		val, err := s.value()
		if err != nil {
			return nil, err
		}
		if repeated(n.members, &names, name) {
			n.flaws = append(n.flaws, flaw{name: name, detail: "repeated member name; each member may appear once"})
		} else {
			n.members = append(n.members, member{name: name, val: val})
		}
		n.flawed = n.flawed || val.flawed || len(n.flaws) > 0
		s.skipSpace()
		switch s.peek() {
		case ',':
			s.off++
			continue
		case '}':
			s.off++
			s.depth--
			n.raw = s.data[start:s.off]
			return n, nil
		}
		return nil, s.unexpected("',' or '}' in the object")
	}
}

// repeated reports whether an earlier member has the name. Objects in wire
// payloads are small and a linear scan serves them; past 16 members a set
// keeps hostile wide objects linear in time.
func repeated(ms []member, names *map[string]bool, name string) bool {
	const linearMax = 16
	if len(ms) < linearMax {
		for i := range ms {
			if ms[i].name == name {
				return true
			}
		}
		return false
	}
	if *names == nil {
		*names = make(map[string]bool, 2*len(ms))
		for i := range ms {
			(*names)[ms[i].name] = true
		}
	}
	if (*names)[name] {
		return true
	}
	(*names)[name] = true
	return false
}

func (s *scanner) array() (*node, *syntaxError) {
	start := s.off
	if err := s.enter(); err != nil {
		return nil, err
	}
	n := &node{kind: kindArray}
	s.skipSpace()
	if s.peek() == ']' {
		s.off++
		s.depth--
		n.raw = s.data[start:s.off]
		return n, nil
	}
	for {
		s.skipSpace()
		val, err := s.value()
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, val)
		n.flawed = n.flawed || val.flawed
		s.skipSpace()
		switch s.peek() {
		case ',':
			s.off++
			continue
		case ']':
			s.off++
			s.depth--
			n.raw = s.data[start:s.off]
			return n, nil
		}
		return nil, s.unexpected("',' or ']' in the array")
	}
}

// enter consumes '{' or '[' and checks the nesting bound.
func (s *scanner) enter() *syntaxError {
	s.depth++
	if s.depth > maxDepth {
		return &syntaxError{s.off, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	s.off++
	return nil
}

// number consumes a number of the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() *syntaxError {
	if s.peek() == '-' {
		s.off++
	}
	switch c := s.peek(); {
	case c == '0':
		s.off++
	case c >= '1' && c <= '9':
		s.skipDigits()
	default:
		return s.unexpected("a digit in the number")
	}
	if s.peek() == '.' {
		s.off++
		if c := s.peek(); c < '0' || c > '9' {
			return s.unexpected("a digit after the decimal point")
		}
		s.skipDigits()
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.off++
		if c := s.peek(); c == '+' || c == '-' {
			s.off++
		}
		if c := s.peek(); c < '0' || c > '9' {
			return s.unexpected("a digit in the exponent")
		}
		s.skipDigits()
	}
	return nil
}

func (s *scanner) skipDigits() {
	for s.off < len(s.data) && s.data[s.off] >= '0' && s.data[s.off] <= '9' {
		s.off++
	}
}

// string consumes a JSON string and returns its text, and why the text is
// refused if it is. Most strings hold plain ASCII with no escapes and are
// sliced directly.
func (s *scanner) string() (text, bad string, err *syntaxError) {
	s.off++ // the opening quote
	start := s.off
	for i := start; i < len(s.data); i++ {
		c := s.data[i]
		if c == '"' {
			s.off = i + 1
			return string(s.data[start:i]), "", nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
	}
	return s.slowString(start)
}

// slowString decodes a string with escapes or non-ASCII text. Invalid UTF-8
// and unpaired UTF-16 surrogates are valid JSON syntax, but encoding/json
// silently replaces them with U+FFFD; here they make the string refused.
func (s *scanner) slowString(start int) (string, string, *syntaxError) {
	b := make([]byte, 0, 32)
	bad := ""
	for s.off < len(s.data) {
		c := s.data[s.off]
		switch {
		case c == '"':
			s.off++
			return string(b), bad, nil
		case c < 0x20:
			return "", "", &syntaxError{s.off, fmt.Sprintf("control character 0x%02x in a string (escape it)", c)}
		case c == '\\':
			var err *syntaxError
			if b, err = s.escape(b, &bad); err != nil {
				return "", "", err
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			s.off++
		default:
			r, size := utf8.DecodeRune(s.data[s.off:])
			if r == utf8.RuneError && size == 1 {
				bad = "valid UTF-8 text"
			}
			b = utf8.AppendRune(b, r)
			s.off += size
		}
	}
	return "", "", &syntaxError{s.off, "unexpected end of input in a string"}
}

// escape consumes one backslash escape and appends what it stands for.
func (s *scanner) escape(b []byte, bad *string) ([]byte, *syntaxError) {
	s.off++ // the backslash
	c := s.peek()
	if c != 'u' {
		r := unescape(c)
		if r == 0 {
			return nil, s.unexpected("an escape character (one of \"\\/bfnrtu)")
		}
		s.off++
		return append(b, r), nil
	}
	r, err := s.hex4()
	if err != nil {
		return nil, err
	}
	if utf16.IsSurrogate(r) {
		// A pair is written as two escapes; take the second only if it
		// completes the pair, as encoding/json does.
		if save := s.off; s.peek() == '\\' && s.off+1 < len(s.data) && s.data[s.off+1] == 'u' {
			s.off++
			r2, err := s.hex4()
			if err != nil {
				return nil, err
			}
			if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
				return utf8.AppendRune(b, pair), nil
			}
			s.off = save
		}
		*bad = fmt.Sprintf("text without unpaired UTF-16 surrogates (\\u%04x)", r)
		r = utf8.RuneError
	}
	return utf8.AppendRune(b, r), nil
}

// unescape returns the byte a one-letter escape stands for, or 0.
func unescape(c byte) byte {
	switch c {
	case '"', '\\', '/':
		return c
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return 0
}

// hex4 consumes 'u' and four hex digits.
func (s *scanner) hex4() (rune, *syntaxError) {
	s.off++ // the 'u'
	if s.off+4 > len(s.data) {
		return 0, &syntaxError{s.off, "unexpected end of input in a \\u escape"}
	}
	v, err := strconv.ParseUint(string(s.data[s.off:s.off+4]), 16, 16)
	if err != nil {
		return 0, &syntaxError{s.off, "want four hex digits after \\u"}
	}
	s.off += 4
	return rune(v), nil
}

func (s *scanner) skipSpace() {
	for s.off < len(s.data) {
		switch s.data[s.off] {
		case ' ', '\t', '\n', '\r':
			s.off++
		default:
			return
		}
	}
}

// peek returns the next byte, or 0 at the end of the input (0 is never
// valid where a byte is expected, so callers need not check twice).
func (s *scanner) peek() byte {
	if s.off < len(s.data) {
		return s.data[s.off]
	}
	return 0
}

func (s *scanner) unexpected(want string) *syntaxError {
	if s.off >= len(s.data) {
		return &syntaxError{s.off, "unexpected end of input, want " + want}
	}
	c := s.data[s.off]
	got := fmt.Sprintf("byte 0x%02x", c)
	if c >= 0x20 && c < 0x7f {
		got = strconv.QuoteRune(rune(c))
	}
	return &syntaxError{s.off, fmt.Sprintf("unexpected %s, want %s", got, want)}
}
