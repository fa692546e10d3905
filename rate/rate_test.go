package rate

import (
	"encoding/json"
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in    string
		units int64
		err   error
	}{
		{"6.5%", 65_000_000_000, nil},
		{"6.5 %", 65_000_000_000, nil},
		{"650bp", 65_000_000_000, nil},
		{"650 bps", 65_000_000_000, nil},
		{"12.5bp", 1_250_000_000, nil},
		{"0%", 0, nil},
		{"-0.25%", -2_500_000_000, nil},
		{"5.3123456789%", 53_123_456_789, nil},
		{"6.5", 0, ErrNoUnit},
		{"0.065", 0, ErrNoUnit},
		{"abc%", 0, ErrInvalidRate},
		{"1e2%", 0, ErrInvalidRate},
		{"5.31234567891%", 0, ErrPrecision},
		{"20000%", 0, ErrInvalidRate},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.units, got.Units())
		})
	}
}

func TestConstructors(t *testing.T) {
	p := MustPercent("7.25")
	b, err := BasisPoints(725)
	require.NoError(t, err)
	f, err := FromFraction(decimal.RequireFromString("0.0725"))
	require.NoError(t, err)
	require.Equal(t, p, b)
	require.Equal(t, p, f)
	require.Equal(t, "7.2500%", p.String())
	require.Equal(t, "0.0725", p.Fraction().String())
	require.Equal(t, "7.25", p.PercentValue().String())
	num, den := p.Ratio()
	require.Equal(t, int64(72_500_000_000), num)
	require.Equal(t, Unit, den)
}

func TestText(t *testing.T) {
	type terms struct {
		Rate Rate `json:"rate"`
	}
	out, err := json.Marshal(terms{MustPercent("6.5")})
	require.NoError(t, err)
	require.JSONEq(t, `{"rate":"6.5%"}`, string(out))
	var back terms
	require.NoError(t, json.Unmarshal(out, &back))
	require.Equal(t, MustPercent("6.5"), back.Rate)
	// A bare 6.5 must never be read as 650 %.
	require.ErrorIs(t, json.Unmarshal([]byte(`{"rate":"6.5"}`), &back), ErrNoUnit)
}

// TestFactors: 6 % / 12 = 0.005 exactly; 6.5 % / 12 = 0.0054166… rounded
// half-even at 20 places; 5 % / 365 likewise.
func TestFactors(t *testing.T) {
	m, err := MustPercent("6").Periodic(12)
	require.NoError(t, err)
	require.Equal(t, "0.005", m.String())
	m, err = MustPercent("6.5").Periodic(12)
	require.NoError(t, err)
	require.Equal(t, "0.00541666666666666667", m.String())
	d, err := MustPercent("5").Daily(365)
	require.NoError(t, err)
	require.Equal(t, "0.00013698630136986301", d.String())
	_, err = MustPercent("5").Daily(0)
	require.ErrorIs(t, err, ErrInvalidRate)
}

// TestRoundToStep: ARM notes round index + margin to the nearest 1/8 %.
func TestRoundToStep(t *testing.T) {
	eighth := MustPercent("0.125")
	tests := []struct{ in, want string }{
		{"5.31", "5.25"},    // 0.06 below vs 0.065 above
		{"5.32", "5.375"},   // 0.07 below vs 0.055 above
		{"5.3125", "5.375"}, // exact tie: half away from zero
		{"5.0625", "5.125"},
	}
	for _, tt := range tests {
		got, err := MustPercent(tt.in).RoundToStep(eighth, money.HalfAwayFromZero)
		require.NoError(t, err)
		require.Equal(t, MustPercent(tt.want), got, tt.in)
	}
	up, err := MustPercent("5.26").RoundToStep(eighth, money.Ceiling)
	require.NoError(t, err)
	require.Equal(t, MustPercent("5.375"), up)
	_, err = MustPercent("5").RoundToStep(Zero, money.HalfEven)
	require.ErrorIs(t, err, ErrInvalidRate)
}

func TestArithmetic(t *testing.T) {
	idx := MustPercent("4.31")
	margin := MustPercent("2.75")
	fully, err := idx.Add(margin)
	require.NoError(t, err)
	require.Equal(t, MustPercent("7.06"), fully)
	require.Equal(t, margin, Min(idx, margin))
	require.Equal(t, idx, Max(idx, margin))
	require.Equal(t, 1, idx.Cmp(margin))
	require.True(t, Zero.IsZero())
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"6.5%", "650bp", "6.5", "", "%", "-1%", "99999999999999999%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		txt, err := r.MarshalText()
		require.NoError(t, err)
		var back Rate
		require.NoError(t, back.UnmarshalText(txt))
		require.Equal(t, r, back)
	})
}
