package strictjson_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	valid := []struct{ in, want string }{
		{"2024-02-29", "2024-02-29"},
		{"2024-01-05", "2024-01-05"},
		{"2000-02-29", "2000-02-29"},
		{"0001-01-01", "0001-01-01"},
		{"9999-12-31", "9999-12-31"},
		{"2023-04-30", "2023-04-30"},
	}
	for _, tt := range valid {
		t.Run(tt.in, func(t *testing.T) {
			got, err := strictjson.ParseDate(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got.String())
		})
	}
	invalid := []string{
		"2024-13-45", "2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31", "2024-00-10", "2024-01-00",
		"0000-01-01", "24-01-01", "2024-1-5", " 2024-01-05", "2024-01-05 ", "2024-01-05T00:00:00Z",
		"+2024-01-05", "-2024-01-05", "+12345-01-05", "2024/01/05", "20240105", "２０２４-01-05", "", "2024-0a-05",
	}
	for _, in := range invalid {
		t.Run(in, func(t *testing.T) {
			_, err := strictjson.ParseDate(in)
			require.ErrorIs(t, err, field.ErrInvalid)
		})
	}
}

func TestParseDateSaysWhy(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-02-30", `strictjson: date "2024-02-30": February 2024 has 29 days`},
		{"2023-02-29", `strictjson: date "2023-02-29": February 2023 has 28 days`},
		{"2024-13-45", `strictjson: date "2024-13-45": month 13 is not 01-12`},
		{"24-01-01", `strictjson: date "24-01-01": want an ISO date YYYY-MM-DD`},
	}
	for _, tt := range tests {
		_, err := strictjson.ParseDate(tt.in)
		require.EqualError(t, err, tt.want) // the text is the API for flag and CSV errors
	}
}

func TestDecodeDates(t *testing.T) {
	tests := []struct {
		name, doc, path, detail string
	}{
		{"month 13", `{"terms":{"first_due":"2024-13-45"}}`, "terms.first_due", "2024-13-45: month 13 is not 01-12"},
		{"Feb 30", `{"terms":{"first_due":"2024-02-30"}}`, "terms.first_due", "2024-02-30: February 2024 has 29 days"},
		{"Feb 29 non-leap", `{"terms":{"first_due":"2023-02-29"}}`, "terms.first_due", "2023-02-29: February 2023 has 28 days"},
		{"two-digit year", `{"terms":{"first_due":"24-01-01"}}`, "terms.first_due", "an ISO date YYYY-MM-DD"},
		{"one-digit month", `{"terms":{"first_due":"2024-1-5"}}`, "terms.first_due", "an ISO date YYYY-MM-DD"},
		{"leading space", `{"terms":{"first_due":" 2024-01-05"}}`, "terms.first_due", "an ISO date YYYY-MM-DD"},
		{"timestamp", `{"terms":{"first_due":"2024-01-05T00:00:00Z"}}`, "terms.first_due", "an ISO date YYYY-MM-DD"},
		{"number", `{"terms":{"first_due":20240105}}`, "terms.first_due", "an ISO date YYYY-MM-DD"},
		{"null", `{"terms":{"first_due":null}}`, "terms.first_due", "an ISO date YYYY-MM-DD"},
		{"in a slice", `{"payments":[{"date":"2024-01-05"},{"date":"2024-02-30"}]}`, "payments[1].date", "2024-02-30: February 2024 has 29 days"},
		{"map key", `{"holidays":{"2024-12-25":"xmas","2024-12-32":"bad"}}`, "holidays[2024-12-32]", "2024-12-32: December 2024 has 31 days"},
		{"pointer", `{"next":"2024-04-31"}`, "next", "2024-04-31: April 2024 has 30 days"},
		{"array", `{"window":["2024-01-01","2024-06-31"]}`, "window[1]", "2024-06-31: June 2024 has 30 days"},
		{"promoted from embedded", `{"stamp":"2024-02-30"}`, "stamp", "2024-02-30: February 2024 has 29 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b boarding
			p := only(t, strictjson.Decode([]byte(tt.doc), &b))
			require.Equal(t, problem{tt.path, field.ErrInvalid, tt.detail}, p)
		})
	}
}

func TestDecodeValidDates(t *testing.T) {
	doc := `{"stamp":"2024-02-29","terms":{"first_due":"2024-03-01"},"payments":[{"date":"2000-02-29"}],
		"holidays":{"2024-12-25":"xmas"},"next":"9999-12-31","window":["0001-01-01","2024-01-05"]}`
	var b boarding
	require.NoError(t, strictjson.Decode([]byte(doc), &b))
	require.Equal(t, d("2024-02-29"), b.Stamp)
	require.Equal(t, d("2024-03-01"), b.Terms.FirstDue)
	require.Equal(t, d("2000-02-29"), b.Payments[0].Date)
	require.Equal(t, map[date.Date]string{d("2024-12-25"): "xmas"}, b.Holidays)
	require.Equal(t, d("9999-12-31"), *b.Next)
	require.Equal(t, [2]date.Date{d("0001-01-01"), d("2024-01-05")}, b.Window)
}

// A type that embeds date.Date gets date's lax UnmarshalText by promotion;
// it is held to the strict rule as well.
type dueDate struct{ date.Date }

func TestDecodeTypeEmbeddingDate(t *testing.T) {
	var v struct {
		Due dueDate `json:"due"`
	}
	p := only(t, strictjson.Decode([]byte(`{"due":"2024-02-30"}`), &v))
	require.Equal(t, problem{"due", field.ErrInvalid, "2024-02-30: February 2024 has 29 days"}, p)
	require.NoError(t, strictjson.Decode([]byte(`{"due":"2024-02-29"}`), &v))
	require.Equal(t, d("2024-02-29"), v.Due.Date)
}

func TestDecodeUnknownMembers(t *testing.T) {
	allowedTop := "unknown member; allowed: created_by, fees, holidays, loan_id, next, notes, payments, stamp, terms, window"
	allowedTerms := "unknown member; allowed: first_due, grace, installments, principal, rate"
	tests := []struct {
		name, doc, path, detail string
	}{
		{"depth 1", `{"loan_id":"L1","comands":[]}`, "comands", allowedTop},
		{"depth 2", `{"terms":{"instalments":360}}`, "terms.instalments", allowedTerms},
		{"in an array", `{"payments":[{"date":"2024-01-05"},{"amont":"USD 1.00"}]}`, "payments[1].amont",
			"unknown member; allowed: amount, date"},
		{"case differs", `{"Loan_ID":"L1"}`, "Loan_ID", allowedTop},
		{"json:\"-\" field", `{"Internal":1}`, "Internal", allowedTop},
		{"embedded struct by its Go name", `{"audit":{}}`, "audit", allowedTop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b boarding
			p := only(t, strictjson.Decode([]byte(tt.doc), &b))
			require.Equal(t, problem{tt.path, field.ErrNotSupported, tt.detail}, p)
		})
	}
}

type inner struct {
	Shared string `json:"shared"`
	Deep   int    `json:"deep"`
}

// Outer embeds a pointer to an exported struct and a value of another.
type Outer struct {
	*Inner2
	inner
	Shared string `json:"shared"` // depth 0 hides inner.Shared
}

type Inner2 struct {
	Ptr int `json:"ptr"`
}

func TestDecodeEmbedded(t *testing.T) {
	var o Outer
	require.NoError(t, strictjson.Decode([]byte(`{"shared":"top","deep":7,"ptr":3}`), &o))
	require.Equal(t, "top", o.Shared)
	require.Equal(t, "", o.inner.Shared)
	require.Equal(t, 7, o.Deep)
	require.NotNil(t, o.Inner2)
	require.Equal(t, 3, o.Ptr)

	p := only(t, strictjson.Decode([]byte(`{"deep":1,"deeper":2}`), &o))
	require.Equal(t, problem{"deeper", field.ErrNotSupported, "unknown member; allowed: deep, ptr, shared"}, p)

	// The same document gives encoding/json the same value.
	var want Outer
	require.NoError(t, json.Unmarshal([]byte(`{"shared":"top","deep":7,"ptr":3}`), &want))
	var got Outer
	require.NoError(t, strictjson.Decode([]byte(`{"shared":"top","deep":7,"ptr":3}`), &got))
	require.Equal(t, want, got)
}

// Ambiguous fields at one depth hide each other, as in encoding/json.
type left struct {
	X int
}
type right struct {
	X int
}
type ambiguous struct {
	left
	right
	Y int `json:"y"`
}

func TestDecodeAmbiguousEmbeddedHidden(t *testing.T) {
	var a ambiguous
	p := only(t, strictjson.Decode([]byte(`{"X":1}`), &a))
	require.Equal(t, problem{"X", field.ErrNotSupported, "unknown member; allowed: y"}, p)
}

type hidden struct {
	V int `json:"v"`
}

func TestDecodeNilEmbeddedPointerToUnexported(t *testing.T) {
	var v struct {
		*hidden
	}
	p := only(t, strictjson.Decode([]byte(`{"v":1}`), &v))
	require.Equal(t, "v", p.Path)
	require.ErrorIs(t, p.Err, field.ErrNotSupported)
}

func TestDecodeTypeErrors(t *testing.T) {
	tests := []struct {
		name, doc, path string
		err             error
		detail          string
	}{
		{"fraction for int", `{"terms":{"installments":360.5}}`, "terms.installments", field.ErrInvalid, "an integer"},
		{"exponent for int", `{"terms":{"installments":1e3}}`, "terms.installments", field.ErrInvalid, "an integer"},
		{"string for int", `{"terms":{"installments":"360"}}`, "terms.installments", field.ErrInvalid, "an integer"},
		{"int overflow", `{"fees":{"late":9223372036854775808}}`, "fees[late]", field.ErrOutOfRange,
			"an integer from -9223372036854775808 to 9223372036854775807"},
		{"number for string", `{"loan_id":17}`, "loan_id", field.ErrInvalid, "a string"},
		{"array for struct", `{"terms":[]}`, "terms", field.ErrInvalid, "an object"},
		{"object for slice", `{"payments":{}}`, "payments", field.ErrInvalid, "an array"},
		{"string for map", `{"fees":"none"}`, "fees", field.ErrInvalid, "an object"},
		{"short array", `{"window":["2024-01-01"]}`, "window", field.ErrInvalid, "an array of exactly 2 elements"},
		{"number for text leaf", `{"terms":{"rate":6.5}}`, "terms.rate", field.ErrInvalid, "a string"},
		{"pointer to int", `{"terms":{"grace":true}}`, "terms.grace", field.ErrInvalid, "an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b boarding
			p := only(t, strictjson.Decode([]byte(tt.doc), &b))
			require.Equal(t, problem{tt.path, tt.err, tt.detail}, p)
		})
	}
}

func TestDecodeScalarKinds(t *testing.T) {
	type kinds struct {
		B   bool        `json:"b"`
		I8  int8        `json:"i8"`
		U8  uint8       `json:"u8"`
		U   uint        `json:"u"`
		F   float64     `json:"f"`
		N   json.Number `json:"n"`
		Raw json.RawMessage
	}
	var k kinds
	require.NoError(t, strictjson.Decode([]byte(`{"b":true,"i8":-128,"u8":255,"u":0,"f":1.5,"n":12.30,"Raw":{"a":[1]}}`), &k))
	require.Equal(t, kinds{B: true, I8: -128, U8: 255, F: 1.5, N: "12.30", Raw: json.RawMessage(`{"a":[1]}`)}, k)

	tests := []struct {
		doc    string
		err    error
		detail string
	}{
		{`{"b":1}`, field.ErrInvalid, "true or false"},
		{`{"i8":128}`, field.ErrOutOfRange, "an integer from -128 to 127"},
		{`{"u8":-1}`, field.ErrOutOfRange, "an integer from 0 to 255"},
		{`{"u":-0}`, field.ErrOutOfRange, "an integer from 0 to 18446744073709551615"},
		{`{"f":"1.5"}`, field.ErrInvalid, "a number"},
		{`{"f":1e999}`, field.ErrOutOfRange, "a number within the range of float64"},
		{`{"n":"12"}`, field.ErrInvalid, "a number"},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			p := only(t, strictjson.Decode([]byte(tt.doc), &k))
			require.Equal(t, tt.err, p.Err)
			require.Equal(t, tt.detail, p.Detail)
		})
	}
}

func TestDecodeValueIsRawJSONCut(t *testing.T) {
	var v struct {
		S string `json:"s"`
	}
	long := `[` + strings.Repeat(`"é",`, 40) + `1]`
	err := strictjson.Decode([]byte(`{"s":`+long+`}`), &v)
	var fe *field.Error
	require.ErrorAs(t, err, &fe)
	got := fe.Value.(string)
	require.LessOrEqual(t, len(got), 80)
	require.True(t, strings.HasPrefix(long, strings.TrimSuffix(got, "...")))
	require.True(t, strings.HasSuffix(got, "..."))
}

func TestDecodeNull(t *testing.T) {
	grace := 5
	b := boarding{
		LoanID:   "keep",
		Terms:    terms{Installments: 12, Grace: &grace},
		Payments: []payment{{}},
		Fees:     map[string]int64{"late": 1},
		Window:   [2]date.Date{d("2024-01-01"), d("2024-02-01")},
		Notes:    "x",
	}
	doc := `{"loan_id":null,"terms":{"installments":null,"grace":null},"payments":null,"fees":null,"window":null,"notes":null,"next":null}`
	require.NoError(t, strictjson.Decode([]byte(doc), &b))
	require.Equal(t, "keep", b.LoanID)
	require.Equal(t, 12, b.Terms.Installments)
	require.Nil(t, b.Terms.Grace)
	require.Nil(t, b.Payments)
	require.Nil(t, b.Fees)
	require.Equal(t, [2]date.Date{d("2024-01-01"), d("2024-02-01")}, b.Window)
	require.Nil(t, b.Notes)
	require.Nil(t, b.Next)
}

func TestDecodePresets(t *testing.T) {
	b := boarding{LoanID: "L-preset", Fees: map[string]int64{"late": 15}}
	b.Terms.Principal = money.Zero(money.USD)
	b.Terms.Installments = 360
	doc := `{"terms":{"principal":"12.30","rate":"6.5%"},"fees":{"nsf":25}}`
	require.NoError(t, strictjson.Decode([]byte(doc), &b))
	require.Equal(t, "L-preset", b.LoanID)                                   // absent member: preset kept
	require.Equal(t, 360, b.Terms.Installments)                              // absent nested member: preset kept
	require.Equal(t, money.MustParse("12.30", money.USD), b.Terms.Principal) // bare amount read in the preset currency
	require.Equal(t, money.USD, b.Terms.Principal.Currency())
	require.Equal(t, rate.MustPercent("6.5"), b.Terms.Rate)
	require.Equal(t, map[string]int64{"late": 15, "nsf": 25}, b.Fees) // preset map entries kept

	// Without the preset the bare amount has no currency: refused, not guessed.
	var fresh boarding
	p := only(t, strictjson.Decode([]byte(doc), &fresh))
	require.Equal(t, "terms.principal", p.Path)
	require.Equal(t, field.ErrInvalid, p.Err)

	// A custom leaf is called on the preset receiver, never a zeroed one.
	var v struct {
		C  counter  `json:"c"`
		PC *counter `json:"pc"`
	}
	v.C.N = 100
	v.PC = &counter{N: 1000}
	require.NoError(t, strictjson.Decode([]byte(`{"c":5,"pc":7}`), &v))
	require.Equal(t, 105, v.C.N)
	require.Equal(t, 1007, v.PC.N)

	// A preset pointer inside an interface is decoded into, strictly.
	t2 := &terms{Installments: 9}
	b2 := boarding{Notes: t2}
	require.NoError(t, strictjson.Decode([]byte(`{"notes":{"first_due":"2024-01-05"}}`), &b2))
	require.Equal(t, 9, t2.Installments)
	require.Equal(t, d("2024-01-05"), t2.FirstDue)
	p = only(t, strictjson.Decode([]byte(`{"notes":{"first_due":"2024-01-55"}}`), &b2))
	require.Equal(t, "notes.first_due", p.Path)
}

func TestDecodeLeafErrors(t *testing.T) {
	var v struct {
		Plans []plan  `json:"plans"`
		C     counter `json:"c"`
	}
	doc := `{"plans":[{"kind":"monthly","count":12},{"kind":"weekly","count":52},{"kind":"x","cuont":1,"count":"2"}],"c":"seven"}`
	ps := problems(t, strictjson.Decode([]byte(doc), &v))
	require.Equal(t, []problem{
		{"plans[1].count", field.ErrOutOfRange, "at most 12"},
		{"plans[2].cuont", field.ErrNotSupported, "unknown member; allowed: count, kind"},
		{"plans[2].count", field.ErrInvalid, "an integer"},
		{"c", field.ErrInvalid, `counter: "\"seven\"" is not a count`},
	}, ps)
	var fe *field.Error
	require.ErrorAs(t, strictjson.Decode([]byte(`{"c":"seven"}`), &v), &fe)
	require.Equal(t, `"seven"`, fe.Value) // the raw JSON text

	// Prefixing composes through nested DecodeAt calls.
	err := strictjson.DecodeAt("boarding", []byte(`{"plans":[{"count":13}]}`), &v)
	require.Equal(t, []string{"boarding.plans[0].count"}, field.Fields(err))
}

func TestDecodeReportsEveryProblem(t *testing.T) {
	doc := `{"loan_id":1,"terms":{"installments":360.5,"first_due":"2024-02-30","extra":true},
		"payments":[{"date":"2024-13-01"},{"amount":"USD 1.005"}],"typo":null}`
	var b boarding
	err := strictjson.Decode([]byte(doc), &b)
	require.Equal(t, []string{
		"loan_id", "terms.installments", "terms.first_due", "terms.extra",
		"payments[0].date", "payments[1].amount", "typo",
	}, field.Fields(err))

	// Callers wrap the result with their own sentinel.
	errBoarding := errors.New("servicing: invalid boarding")
	wrapped := fmt.Errorf("%w: %w", errBoarding, err)
	require.ErrorIs(t, wrapped, errBoarding)
	require.ErrorIs(t, wrapped, field.ErrInvalid)
	require.ErrorIs(t, wrapped, field.ErrNotSupported)
	var fe *field.Error
	require.ErrorAs(t, wrapped, &fe)
	require.Equal(t, "loan_id", fe.Field)
	require.Len(t, field.Fields(wrapped), 7)
}

func TestDecodeCapsProblems(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"payments":[`)
	for i := range 150 {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`{"date":"2024-02-30"}`)
	}
	sb.WriteString(`]}`)
	var b boarding
	ps := problems(t, strictjson.Decode([]byte(sb.String()), &b))
	require.Len(t, ps, 101)
	require.Equal(t, "payments[99].date", ps[99].Path)
	require.Equal(t, problem{"", field.ErrOutOfRange, "more than 100 problems; decoding stopped"}, ps[100])
}

func TestDecodeSyntax(t *testing.T) {
	tests := []struct{ doc, detail string }{
		{``, "invalid JSON at byte offset 0: empty document, want a JSON value"},
		{`  `, "invalid JSON at byte offset 2: empty document, want a JSON value"},
		{`{"loan_id":"L1"} {}`, "invalid JSON at byte offset 17: trailing data after the JSON document"},
		{`{"loan_id":"L1"}x`, "invalid JSON at byte offset 16: trailing data after the JSON document"},
		{`{"loan_id":"L1",}`, `invalid JSON at byte offset 16: unexpected '}', want a member name (a JSON string)`},
		{`{"loan_id" "L1"}`, `invalid JSON at byte offset 11: unexpected '"', want ':' after the member name`},
		{`{"loan_id":"L1"`, "invalid JSON at byte offset 15: unexpected end of input, want ',' or '}' in the object"},
		{`{"terms":{"installments":01}}`, `invalid JSON at byte offset 26: unexpected '1', want ',' or '}' in the object`},
		{`{"loan_id":"a` + "\n" + `"}`, "invalid JSON at byte offset 13: control character 0x0a in a string (escape it)"},
		{`{"loan_id":tru}`, "invalid JSON at byte offset 14: unexpected '}', want the literal true"},
		{`{"loan_id":"\x"}`, `invalid JSON at byte offset 13: unexpected 'x', want an escape character (one of "\/bfnrtu)`},
		{`[1.]`, "invalid JSON at byte offset 3: unexpected ']', want a digit after the decimal point"},
		{strings.Repeat("[", 10001), "invalid JSON at byte offset 10000: nesting deeper than 10000 levels"},
	}
	for _, tt := range tests {
		name := tt.doc
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			var b boarding
			err := strictjson.DecodeAt("boarding", []byte(tt.doc), &b)
			require.Equal(t, problem{"boarding", field.ErrInvalid, tt.detail}, only(t, err))
			require.Error(t, json.Unmarshal([]byte(tt.doc), new(any)), "encoding/json accepts it too")
		})
	}
}

func TestDecodeRepeatedMembers(t *testing.T) {
	tests := []struct{ name, doc, path string }{
		{"top", `{"loan_id":"a","loan_id":"b"}`, "loan_id"},
		{"nested", `{"terms":{"installments":1,"rate":"1%","installments":2}}`, "terms.installments"},
		{"in array", `{"payments":[{},{"date":"2024-01-05","date":"2024-01-06"}]}`, "payments[1].date"},
		{"map", `{"fees":{"late":1,"late":2}}`, "fees[late]"},
		{"inside any", `{"notes":{"a":{"b":1,"b":1}}}`, "notes.a.b"},
		{"inside a custom leaf", `{"terms":{"principal":{"x":1,"x":2}}}`, "terms.principal.x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b boarding
			b.Terms.Principal = money.Zero(money.USD)
			ps := problems(t, strictjson.Decode([]byte(tt.doc), &b))
			require.Equal(t, problem{tt.path, field.ErrInvalid, "repeated member name; each member may appear once"}, ps[0])
		})
	}
}

func TestDecodeMapKeys(t *testing.T) {
	var v struct {
		ByInt  map[int8]string    `json:"by_int"`
		ByRate map[rate.Rate]bool `json:"by_rate"`
	}
	require.NoError(t, strictjson.Decode([]byte(`{"by_int":{"-5":"a","0":"b","127":"c"},"by_rate":{"6.5%":true}}`), &v))
	require.Equal(t, map[int8]string{-5: "a", 0: "b", 127: "c"}, v.ByInt)
	require.Equal(t, map[rate.Rate]bool{rate.MustPercent("6.5"): true}, v.ByRate)

	tests := []struct {
		doc, path string
		err       error
	}{
		{`{"by_int":{"07":"a"}}`, "by_int[07]", field.ErrInvalid},
		{`{"by_int":{"-0":"a"}}`, "by_int[-0]", field.ErrInvalid},
		{`{"by_int":{"+1":"a"}}`, "by_int[+1]", field.ErrInvalid},
		{`{"by_int":{"128":"a"}}`, "by_int[128]", field.ErrOutOfRange},
		{`{"by_rate":{"6.5%":true,"650bp":false}}`, "by_rate[650bp]", field.ErrInvalid},
		{`{"by_rate":{"6.5":true}}`, "by_rate[6.5]", field.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			p := only(t, strictjson.Decode([]byte(tt.doc), &v))
			require.Equal(t, tt.path, p.Path)
			require.ErrorIs(t, p.Err, tt.err)
		})
	}
}

func TestDecodeStrings(t *testing.T) {
	var v struct {
		S string `json:"s"`
	}
	require.NoError(t, strictjson.Decode([]byte(`{"s":"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00é"}`), &v))
	require.Equal(t, "a\"\\/\b\f\n\r\té😀é", v.S)

	for _, doc := range []string{"{\"s\":\"\xff\"}", `{"s":"\ud800"}`, `{"s":"\udc00\ud800"}`, `{"s":"\ud800\u0041"}`} {
		p := only(t, strictjson.Decode([]byte(doc), &v))
		require.Equal(t, "s", p.Path)
		require.Equal(t, field.ErrInvalid, p.Err)
	}
	ps := problems(t, strictjson.Decode([]byte("{\"s\xff\":1}"), &v))
	require.Equal(t, problem{"s\uFFFD", field.ErrInvalid, "a member name of valid UTF-8 text"}, ps[0])
}

func TestDecodeBytesAndAny(t *testing.T) {
	var v struct {
		B []byte `json:"b"`
		A any    `json:"a"`
	}
	require.NoError(t, strictjson.Decode([]byte(`{"b":"aGk=","a":{"n":12.30,"l":[true,null,"s"]}}`), &v))
	require.Equal(t, []byte("hi"), v.B)
	require.Equal(t, map[string]any{"n": json.Number("12.30"), "l": []any{true, nil, "s"}}, v.A)
	p := only(t, strictjson.Decode([]byte(`{"b":"aGk"}`), &v))
	require.Equal(t, "b", p.Path)
}

func TestDecodeRefusesStringOption(t *testing.T) {
	var v struct {
		N int `json:"n,string"`
	}
	p := only(t, strictjson.Decode([]byte(`{"n":"5"}`), &v))
	require.Equal(t, problem{"n", field.ErrNotSupported, "strictjson does not support the ,string tag option"}, p)
}

func TestDecodeMisuse(t *testing.T) {
	var b boarding
	for _, v := range []any{nil, b, (*boarding)(nil)} {
		p := only(t, strictjson.Decode([]byte(`{}`), v))
		require.Equal(t, field.ErrNotSupported, p.Err)
	}
	var ch struct {
		C chan int     `json:"c"`
		S fmt.Stringer `json:"s"`
	}
	ps := problems(t, strictjson.Decode([]byte(`{"c":1,"s":"x"}`), &ch))
	require.Equal(t, []string{"c", "s"}, []string{ps[0].Path, ps[1].Path})
}

func TestDecodeTopLevelValues(t *testing.T) {
	var dt date.Date
	require.NoError(t, strictjson.Decode([]byte(`"2024-02-29"`), &dt))
	require.Equal(t, d("2024-02-29"), dt)
	require.Equal(t, problem{"", field.ErrInvalid, "2024-02-30: February 2024 has 29 days"},
		only(t, strictjson.Decode([]byte(`"2024-02-30"`), &dt)))

	var ps []payment
	err := strictjson.Decode([]byte(`[{"date":"2024-01-05"},{"x":1}]`), &ps)
	require.Equal(t, []string{"[1].x"}, field.Fields(err))
	err = strictjson.DecodeAt("payments", []byte(`[{"date":"2024-01-05"},{"x":1}]`), &ps)
	require.Equal(t, []string{"payments[1].x"}, field.Fields(err))
}

func BenchmarkDecodeBoarding(b *testing.B) {
	doc := []byte(`{"loan_id":"L-1","created_by":"los","stamp":"2024-01-02",
		"terms":{"installments":360,"first_due":"2024-02-29","principal":"250000.00","rate":"6.5%","grace":15},
		"payments":[{"date":"2024-02-29","amount":"USD 1580.17"},{"date":"2024-03-29","amount":"USD 1580.17"}],
		"holidays":{"2024-12-25":"xmas"},"fees":{"late":35},"window":["2024-01-01","2024-12-31"]}`)
	b.ReportAllocs()
	for b.Loop() {
		v := boarding{}
		v.Terms.Principal = money.Zero(money.USD)
		if err := strictjson.Decode(doc, &v); err != nil {
			b.Fatal(err)
		}
	}
}
