package money

import (
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in    string
		cur   Currency
		minor int64
		err   error
	}{
		{"1234.56", USD, 123456, nil},
		{"-0.07", USD, -7, nil},
		{"+7", USD, 700, nil},
		{".5", USD, 50, nil},
		{"5.", USD, 500, nil},
		{"17.00", JPY, 17, nil},
		{"17", JPY, 17, nil},
		{"1.234", BHD, 1234, nil},
		{"1.5", JPY, 0, ErrInvalidAmount},
		{"1.234", USD, 0, ErrInvalidAmount},
		{"", USD, 0, ErrInvalidAmount},
		{"-", USD, 0, ErrInvalidAmount},
		{"1e3", USD, 0, ErrInvalidAmount},
		{"1,000.00", USD, 0, ErrInvalidAmount},
		{"12345678901234567890", USD, 0, ErrOverflow},
		{"10000000000000.01", USD, 0, ErrOverflow},
		{"1", Currency{"XYZ", 2}, 0, ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in, tt.cur)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.minor, got.Minor())
		})
	}
}

func TestString(t *testing.T) {
	require.Equal(t, "1234.50", MustParse("1234.5", USD).String())
	require.Equal(t, "-0.07", MustNew(-7, USD).String())
	require.Equal(t, "0.00", Zero(USD).String())
	require.Equal(t, "17", MustNew(17, JPY).String())
	require.Equal(t, "-1.005", MustNew(-1005, BHD).String())
	require.Equal(t, "USD 5.00", MustNew(500, USD).Format())
}

// TestRoundModes checks every mode against the worked lines of the IEEE 754 /
// GDA rounding tables (half cases and non-half cases, both signs).
func TestRoundModes(t *testing.T) {
	in := []string{"2.5", "3.5", "-2.5", "2.1", "-2.1", "2.9", "-2.9", "2.0", "-0.5"}
	want := map[RoundingMode][]int64{
		HalfEven:         {2, 4, -2, 2, -2, 3, -3, 2, 0},
		HalfAwayFromZero: {3, 4, -3, 2, -2, 3, -3, 2, -1},
		TowardZero:       {2, 3, -2, 2, -2, 2, -2, 2, 0},
		AwayFromZero:     {3, 4, -3, 3, -3, 3, -3, 2, -1},
		Floor:            {2, 3, -3, 2, -3, 2, -3, 2, -1},
		Ceiling:          {3, 4, -2, 3, -2, 3, -2, 2, 0},
	}
	for mode, ws := range want {
		for i, s := range in {
			d := decimal.RequireFromString(s)
			// decimal path
			got, err := Round(d, JPY, mode)
			require.NoError(t, err)
			require.Equal(t, ws[i], got.Minor(), "Round(%s, %s)", s, mode)
			// integer path: s = n/10
			n := d.Shift(1).IntPart()
			q, err := MustNew(n, JPY).MulDiv(1, 10, mode)
			require.NoError(t, err)
			require.Equal(t, ws[i], q.Minor(), "MulDiv(%s, %s)", s, mode)
			// rational path
			r, err := RoundRat(big.NewRat(n, 10), JPY, mode)
			require.NoError(t, err)
			require.Equal(t, ws[i], r.Minor(), "RoundRat(%s, %s)", s, mode)
		}
	}
}

func TestInvalidMode(t *testing.T) {
	_, err := Round(decimal.NewFromInt(1), USD, "")
	require.ErrorIs(t, err, ErrInvalidRounding)
	_, err = MustNew(1, USD).MulDiv(1, 2, "up")
	require.ErrorIs(t, err, ErrInvalidRounding)
	_, err = RoundDecimal(decimal.NewFromInt(1), 2, "")
	require.ErrorIs(t, err, ErrInvalidRounding)
}

// TestMulDivInterest: 200,000.00 × 6.5 % / 12 = 1,083.333… → 1,083.33, the
// first month's interest of the reference mortgage (issue fact).
func TestMulDivInterest(t *testing.T) {
	b := MustParse("200000.00", USD)
	got, err := b.MulDiv(65, 12_000, HalfAwayFromZero)
	require.NoError(t, err)
	require.Equal(t, "1083.33", got.String())
	_, err = b.MulDiv(1, 0, HalfEven)
	require.ErrorIs(t, err, ErrDivisionByZero)
	_, err = MustNew(MaxMinor, USD).MulDiv(1<<62, 1, HalfEven)
	require.ErrorIs(t, err, ErrOverflow)
}

func TestAllocate(t *testing.T) {
	parts, err := MustParse("100.00", USD).Split(3)
	require.NoError(t, err)
	require.Equal(t, []string{"33.34", "33.33", "33.33"}, strs(parts))

	parts, err = MustParse("-100.00", USD).Split(3)
	require.NoError(t, err)
	require.Equal(t, []string{"-33.34", "-33.33", "-33.33"}, strs(parts))

	// 10.00 by 1:1:1:0 — the zero weight gets nothing.
	parts, err = MustParse("10.00", USD).Allocate([]int64{1, 1, 1, 0})
	require.NoError(t, err)
	require.Equal(t, []string{"3.34", "3.33", "3.33", "0.00"}, strs(parts))

	// Largest remainder: 1.00 by 70:20:10 is exact; 0.05 by 2:2:1 → 0.02,0.02,0.01.
	parts, err = MustParse("0.05", USD).Allocate([]int64{2, 2, 1})
	require.NoError(t, err)
	require.Equal(t, []string{"0.02", "0.02", "0.01"}, strs(parts))

	_, err = MustParse("1", USD).Allocate([]int64{0, 0})
	require.ErrorIs(t, err, ErrDivisionByZero)
	_, err = MustParse("1", USD).Allocate([]int64{1, -1})
	require.ErrorIs(t, err, ErrInvalidAmount)
	_, err = MustParse("1", USD).Split(0)
	require.ErrorIs(t, err, ErrDivisionByZero)
}

func strs(as []Amount) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}

// TestJSONAndText: an amount is written with its code, so it reads back
// into a zero Amount; a bare number reads only into an amount that carries
// its currency already (or as the currency-less zero); a different code is
// refused, never converted.
func TestJSONAndText(t *testing.T) {
	type row struct {
		Amount Amount `json:"amount"`
	}
	b, err := json.Marshal(row{MustParse("12.30", USD)})
	require.NoError(t, err)
	require.JSONEq(t, `{"amount":"USD 12.30"}`, string(b))

	var back row
	require.NoError(t, json.Unmarshal(b, &back), "the code makes the text self-describing")
	require.True(t, back.Amount.Equal(MustParse("12.30", USD)))
	require.Equal(t, USD, back.Amount.Currency())

	r := row{Amount: Zero(USD)}
	require.NoError(t, json.Unmarshal([]byte(`{"amount":"12.30"}`), &r))
	require.Equal(t, int64(1230), r.Amount.Minor())

	var bare row
	require.ErrorIs(t, json.Unmarshal([]byte(`{"amount":"12.30"}`), &bare), ErrInvalidAmount, "no currency: refuse to guess")
	require.NoError(t, json.Unmarshal([]byte(`{"amount":"0"}`), &bare), "zero needs no currency")
	require.True(t, bare.Amount.IsZero())

	eur := row{Amount: Zero(EUR)}
	require.ErrorIs(t, json.Unmarshal(b, &eur), ErrCurrencyMismatch)

	var coded Amount
	require.NoError(t, coded.UnmarshalText([]byte("JPY 500")))
	require.Equal(t, JPY, coded.Currency())
	require.Equal(t, int64(500), coded.Minor())

	zb, err := json.Marshal(Amount{})
	require.NoError(t, err)
	require.Equal(t, `"0"`, string(zb))
	for _, a := range []Amount{MustParse("-0.07", USD), MustParse("1234567.891", BHD), MustNew(42, JPY), {}} {
		text, err := a.MarshalText()
		require.NoError(t, err)
		var got Amount
		require.NoError(t, got.UnmarshalText(text), "%s", text)
		require.Equal(t, a, got, "%s round-trips", text)
	}
}

// TestSQL: Value writes the coded text, Scan reads it back into a zero
// Amount; an integer column is minor units of the receiver's currency, and
// scanning one into an amount without currency is an error.
func TestSQL(t *testing.T) {
	a := MustParse("99.95", USD)
	v, err := a.Value()
	require.NoError(t, err)
	require.Equal(t, "USD 99.95", v)
	var got Amount
	require.NoError(t, got.Scan(v))
	require.True(t, got.Equal(a))
	got = Zero(USD)
	require.NoError(t, got.Scan([]byte("99.95")))
	require.True(t, got.Equal(a))
	require.NoError(t, got.Scan(int64(12345)))
	require.Equal(t, int64(12345), got.Minor(), "an integer column is minor units: 123.45")
	var none Amount
	require.ErrorIs(t, none.Scan(int64(12345)), ErrInvalidAmount)
	require.Error(t, got.Scan(struct{}{}))
}

// TestCurrencyMismatch: combining two currencies panics with
// ErrCurrencyMismatch (a programming error); the currency-less zero mixes
// with any currency; Equal is false across currencies; CheckSame reports it
// as an error for amounts from outside.
func TestCurrencyMismatch(t *testing.T) {
	usd, eur := MustParse("5.00", USD), MustParse("5.00", EUR)
	for name, f := range map[string]func(){
		"Add": func() { usd.Add(eur) }, "Sub": func() { usd.Sub(eur) }, "Cmp": func() { usd.Cmp(eur) },
		"LessThan": func() { usd.LessThan(eur) }, "GreaterThan": func() { usd.GreaterThan(eur) },
		"Min": func() { Min(usd, eur) }, "Max": func() { Max(usd, eur) }, "Sum": func() { Sum(usd, eur) },
	} {
		func() {
			defer func() {
				r := recover()
				err, ok := r.(error)
				require.True(t, ok && errors.Is(err, ErrCurrencyMismatch), "%s: recovered %v", name, r)
			}()
			f()
			t.Errorf("%s of USD and EUR did not panic", name)
		}()
	}
	require.False(t, usd.Equal(eur))
	require.True(t, Amount{}.Equal(Zero(EUR)))
	require.True(t, Zero(USD).Equal(Zero(EUR)), "nothing is nothing in any currency")
	require.Equal(t, USD, Zero(EUR).Add(usd).Currency(), "a zero operand takes the other's currency")
	require.Equal(t, USD, Amount{}.Add(usd).Currency())
	require.ErrorIs(t, CheckSame(usd, eur), ErrCurrencyMismatch)
	require.NoError(t, CheckSame(usd, Amount{}))
}

func TestCurrency(t *testing.T) {
	c, err := CurrencyOf("bhd")
	require.NoError(t, err)
	require.Equal(t, BHD, c)
	_, err = CurrencyOf("ZZZ")
	require.True(t, errors.Is(err, ErrUnknownCurrency))
	require.False(t, Currency{"USD", 3}.Valid())
}

// FuzzAllocate: parts always sum exactly to the amount, each part differs
// from its exact share by less than one minor unit, and nothing panics.
func FuzzAllocate(f *testing.F) {
	f.Add(int64(10000), int64(1), int64(1), int64(1))
	f.Add(int64(-5), int64(2), int64(2), int64(1))
	f.Add(int64(MaxMinor), int64(1<<40), int64(3), int64(0))
	f.Fuzz(func(t *testing.T, minor, w1, w2, w3 int64) {
		a, err := New(minor, USD)
		if err != nil {
			return
		}
		ws := []int64{w1, w2, w3}
		parts, err := a.Allocate(ws)
		if err != nil {
			return
		}
		var sum int64
		total := new(big.Int)
		for _, w := range ws {
			total.Add(total, big.NewInt(w))
		}
		for i, p := range parts {
			sum += p.Minor()
			exact := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(minor), big.NewInt(ws[i])), total)
			diff := new(big.Rat).Sub(exact, new(big.Rat).SetInt64(p.Minor()))
			if diff.Abs(diff).Cmp(big.NewRat(1, 1)) >= 0 {
				t.Fatalf("part %d = %d, exact share %s", i, p.Minor(), exact.FloatString(3))
			}
		}
		if sum != minor {
			t.Fatalf("parts sum to %d, want %d", sum, minor)
		}
	})
}

// FuzzMulDiv compares the 128-bit path with math/big for every mode.
func FuzzMulDiv(f *testing.F) {
	f.Add(int64(20000000), int64(65), int64(12000))
	f.Add(int64(-1), int64(1), int64(2))
	f.Add(int64(MaxMinor), int64(1_000_000_000_000), int64(-7))
	f.Fuzz(func(t *testing.T, a, num, den int64) {
		x, err := New(a, USD)
		if err != nil || den == 0 {
			return
		}
		for _, mode := range []RoundingMode{HalfEven, HalfAwayFromZero, TowardZero, AwayFromZero, Floor, Ceiling} {
			got, err := x.MulDiv(num, den, mode)
			want, okRef := divRoundBig(new(big.Int).Mul(big.NewInt(a), big.NewInt(num)), big.NewInt(den), mode)
			if !okRef {
				t.Fatal("reference failed")
			}
			if err != nil {
				if want.IsInt64() && inRange(want.Int64()) {
					t.Fatalf("%d×%d/%d %s: unexpected error %v", a, num, den, mode, err)
				}
				continue
			}
			if got.Minor() != want.Int64() {
				t.Fatalf("%d×%d/%d %s = %d, want %s", a, num, den, mode, got.Minor(), want)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.00", "-0.5", "", ".", "1e5", "99999999999999999999", "+.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s, USD)
		if err != nil {
			return
		}
		b, err := Parse(a.String(), USD)
		require.NoError(t, err)
		require.True(t, a.Equal(b))
	})
}

var sink Amount
var sinkF float64

// BenchmarkMulDiv: one month's exact interest on a balance.
func BenchmarkMulDiv(b *testing.B) {
	bal := MustParse("187654.32", USD)
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = bal.MulDiv(65_000_000_000, 12_000_000_000_000, HalfEven)
	}
}

// BenchmarkMulDivFloat64 is the plain float64 baseline of the same step.
func BenchmarkMulDivFloat64(b *testing.B) {
	bal := 187654.32
	b.ReportAllocs()
	for b.Loop() {
		sinkF = float64(int64(bal*0.065/12*100+0.5)) / 100
	}
}

// TestRoundingSpellings: the spellings hosts write for a mode read as the
// canonical one. The Java and Python meanings come from their documentation:
// java.math.RoundingMode.HALF_UP "round towards nearest neighbor unless both
// neighbors are equidistant, in which case round up" (away from zero), DOWN
// "round towards zero"; Python's decimal.ROUND_HALF_UP likewise rounds ties
// away from zero.
func TestRoundingSpellings(t *testing.T) {
	for in, want := range map[string]RoundingMode{
		"half_up": HalfUp, "half-up": HalfUp, "HalfUp": HalfUp, "HALF_UP": HalfUp,
		"half up": HalfUp, "ROUND_HALF_UP": HalfUp, "HalfAwayFromZero": HalfUp,
		"half_away_from_zero": HalfUp, "HALF_EVEN": HalfEven, "HalfEven": HalfEven,
		"round_half_even": HalfEven, "bankers": HalfEven, "DOWN": TowardZero,
		"TowardZero": TowardZero, "UP": AwayFromZero, "Floor": Floor, "CEILING": Ceiling,
	} {
		got, err := ParseRoundingMode(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
		var v struct {
			M RoundingMode `json:"m"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"m":"`+in+`"}`), &v), in)
		require.Equal(t, want, v.M, in)
	}
	// HALF_DOWN (ties toward zero) is not a mode: refused, and the error
	// says what is accepted.
	for _, in := range []string{"half_down", "nearest", ""} {
		_, err := ParseRoundingMode(in)
		require.ErrorIs(t, err, ErrInvalidRounding, in)
		require.ErrorContains(t, err, "half_even, half_away_from_zero (or half_up), toward_zero", in)
	}
	// Unknown text survives decoding as written, for validation to name.
	var m RoundingMode
	require.NoError(t, m.UnmarshalText([]byte("nearest")))
	require.Equal(t, RoundingMode("nearest"), m)
	for _, m := range RoundingModes() {
		require.True(t, m.Valid(), m)
		require.Contains(t, RoundingChoices(), m.String())
	}
}
