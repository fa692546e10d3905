package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

type fuzzLeaf struct {
	N   int8       `json:"n"`
	U   uint16     `json:"u,omitempty"`
	S   string     `json:"s"`
	B   bool       `json:"b"`
	D   date.Date  `json:"d"`
	PD  *date.Date `json:"pd"`
	Any any        `json:"any"`
}

type fuzzBase struct {
	E      int    `json:"e"`
	Shadow string `json:"shadow"` // hidden by fuzzDoc.Shadow
}

type FuzzPtrBase struct {
	Q []string `json:"q"`
}

type fuzzDoc struct {
	fuzzBase
	*FuzzPtrBase
	Shadow string                `json:"shadow"`
	In     fuzzLeaf              `json:"in"`
	P      *fuzzLeaf             `json:"p"`
	L      []fuzzLeaf            `json:"l"`
	M      map[string]*fuzzLeaf  `json:"m"`
	MI     map[int]string        `json:"mi"`
	MD     map[date.Date]int     `json:"md"`
	A      [2]int                `json:"a"`
	Ints   []int64               `json:"ints"`
	Bytes  []byte                `json:"bytes"`
	Amount money.Amount          `json:"amount"`
	Raw    json.RawMessage       `json:"raw"`
	Nested map[string][]fuzzLeaf `json:"nested"`
	Skip   int                   `json:"-"`
}

// FuzzDecode checks that Decode never panics, that every problem is a
// *field.Error, and, differentially, that whenever Decode accepts a document
// encoding/json (DisallowUnknownFields, UseNumber) accepts it too and gives
// the same value: strictjson only ever refuses more.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"e":1,"shadow":"s","q":["a"],"in":{"n":-128,"u":65535,"s":"x\u00e9","b":true,"d":"2024-02-29","pd":null,"any":{"k":[1.5,null]}}}`,
		`{"p":{"d":"2024-02-30"},"l":[{"n":1},{"n":2.5}],"m":{"a":null,"b":{"s":"y"}}}`,
		`{"mi":{"-3":"a","07":"b"},"md":{"2024-01-05":1},"a":[1,2],"ints":[9223372036854775807]}`,
		`{"bytes":"aGk=","amount":"USD 12.30","raw":{"z":[true]},"nested":{"k":[{"any":"v"}]}}`,
		`{"in":{"n":1,"n":2}}`,
		`{"In":{}}`,
		`[1,2]`,
		`{"a":[1,2,3]} x`,
		"{\"s\":\"\xff\"}",
		`{"in":{"s":"\ud800"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(checkAgainstEncodingJSON)
}

// FuzzDecodeShaped runs the checks of FuzzDecode on documents built from
// the fuzz bytes out of fuzzDoc's member names and boundary values, so that
// most of them nearly fit and the differential check is reached often.
func FuzzDecodeShaped(f *testing.F) {
	for _, seed := range []string{"", "\x00\x01\x02", "\x01\x05\x02\x07\x03\x09\x04", "\xff\xfe\xfd\xfc\xfb\xfa"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g := &shaper{b: b}
		checkAgainstEncodingJSON(t, []byte(g.object(0)))
	})
}

func checkAgainstEncodingJSON(t *testing.T, data []byte) {
	var got fuzzDoc
	err := strictjson.Decode(data, &got)
	if err != nil {
		requireOnlyFieldErrors(t, err)
		return
	}
	var want fuzzDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	require.NoError(t, dec.Decode(&want), "strictjson accepted what encoding/json refuses: %q", data)
	_, err = dec.Token()
	require.ErrorIs(t, err, io.EOF, "strictjson accepted trailing data: %q", data)
	require.Equal(t, want, got, "input %q", data)
}

// shaper turns fuzz bytes into JSON text, one choice per byte.
type shaper struct {
	b []byte
	i int
}

var (
	shapeNames = []string{"e", "shadow", "q", "in", "p", "l", "m", "mi", "md", "a", "ints", "bytes", "amount", "raw",
		"nested", "n", "u", "s", "b", "d", "pd", "any", "Skip", "E", "x", "-3", "07", "2024-01-05", "2024-02-30", "k"}
	shapeScalars = []string{`0`, `-0`, `1`, `-128`, `127`, `128`, `255`, `65535`, `65536`, `-1`, `1.5`, `1e3`, `1E+2`,
		`9223372036854775807`, `9223372036854775808`, `-9223372036854775809`, `true`, `false`, `null`,
		`""`, `"x"`, `"2024-02-29"`, `"2023-02-29"`, `"2024-1-5"`, `"aGk="`, `"aGk"`, `"USD 12.30"`, `"12.30"`,
		`"\u00e9\ud83d\ude00"`, `"\ud800"`, "\"\xff\"", `"a\/b"`, `"06"`}
)

func (g *shaper) next() int {
	if g.i >= len(g.b) {
		return 0
	}
	g.i++
	return int(g.b[g.i-1])
}

func (g *shaper) value(depth int) string {
	c := g.next()
	switch {
	case depth < 4 && c%8 == 0:
		return g.object(depth + 1)
	case depth < 4 && c%8 == 1:
		n := g.next() % 4
		out := "["
		for k := range n {
			if k > 0 {
				out += ","
			}
			out += g.value(depth + 1)
		}
		return out + "]"
	}
	return shapeScalars[g.next()%len(shapeScalars)]
}

func (g *shaper) object(depth int) string {
	n := g.next() % 5
	out := "{"
	for k := range n {
		if k > 0 {
			out += ","
		}
		out += `"` + shapeNames[g.next()%len(shapeNames)] + `":` + g.value(depth)
	}
	return out + "}"
}

func requireOnlyFieldErrors(t *testing.T, err error) {
	t.Helper()
	u, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "%T", err)
	require.NotEmpty(t, u.Unwrap())
	require.LessOrEqual(t, len(u.Unwrap()), 101)
	for _, e := range u.Unwrap() {
		var fe *field.Error
		require.True(t, errors.As(e, &fe) && error(fe) == e, //nolint:errorlint // identity: e is the field error itself
			"%T %v", e, e)
		require.NotNil(t, fe.Err)
	}
}

// FuzzDecodeAny checks the scanner against encoding/json on arbitrary
// documents: a syntax error exactly when json.Valid says the document is
// not JSON, and, when Decode accepts, the same generic value.
func FuzzDecodeAny(f *testing.F) {
	for _, seed := range []string{
		`{"a":[1,-0.5e+3,"x\n\u00e9\ud83d\ude00",true,false,null,{}]}`,
		`  [ ]  `, `"\ud800"`, `{"a":1,"a":2}`, `01`, `1.`, `-`, `{"a" 1}`, `[1,]`, "\"\xff\"", `"\/"`, `[[[[]]]]]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got any
		err := strictjson.Decode(data, &got)
		var fe *field.Error
		syntax := err != nil && errors.As(err, &fe) && len(fe.Detail) > 12 && fe.Detail[:12] == "invalid JSON"
		require.Equal(t, !json.Valid(data), syntax, "input %q: %v", data, err)
		if err != nil {
			requireOnlyFieldErrors(t, err)
			return
		}
		var want any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&want))
		require.Equal(t, want, got, "input %q", data)
	})
}
