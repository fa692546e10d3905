package servicing_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/investor"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

// TestWireRoundingSpellings: a boarding payload may write a rounding mode as
// users do ("half_up", "HalfUp", "HALF-UP"); it boards the same terms as the
// canonical name. A name that is no mode is refused by path, and the error
// lists the accepted names, as it does for a day count it does not know.
func TestWireRoundingSpellings(t *testing.T) {
	want, err := loan.ParseBoarding([]byte(losPayload))
	require.NoError(t, err)
	require.Equal(t, money.HalfUp, want.Terms.InterestRounding)
	for _, spelling := range []string{"half_up", "HalfUp", "HALF-UP", "ROUND_HALF_UP"} {
		got, err := loan.ParseBoarding([]byte(strings.ReplaceAll(losPayload, `"half_away_from_zero"`, `"`+spelling+`"`)))
		require.NoError(t, err, spelling)
		require.Equal(t, want, got, spelling)
	}
	_, err = loan.ParseBoarding([]byte(strings.Replace(losPayload, `"interest_rounding": "half_away_from_zero"`, `"interest_rounding": "nearest"`, 1)))
	require.Equal(t, []string{"Terms.InterestRounding"}, field.Fields(err))
	require.ErrorContains(t, err, "one of half_even, half_away_from_zero (or half_up), toward_zero, away_from_zero, floor, ceiling")
	_, err = loan.ParseBoarding([]byte(strings.Replace(losPayload, `"30U_360_EOM"`, `"30/360"`, 1)))
	require.ErrorContains(t, err, "Terms.DayCount")
	require.ErrorContains(t, err, "one of 30_360_BOND_BASIS, 30U_360_EOM,")
	_, err = loan.ParseBoarding([]byte(strings.Replace(losPayload, `"rounding": "half_away_from_zero"`, `"rounding": "nearest"`, 1)))
	require.Equal(t, []string{"Terms.Delinquency.LateFee.Rounding"}, field.Fields(err))
	require.ErrorContains(t, err, "one of half_even")
}

// TestWirePoolRounding: an investor pool's fee rounding written "half_up"
// reads as HalfUp; one that is no mode is "not supported" (not "required")
// and the error lists the accepted names.
func TestWirePoolRounding(t *testing.T) {
	var p investor.Pool
	require.NoError(t, json.Unmarshal([]byte(`{"method": "scheduled_scheduled", "fee_rounding": "half_up"}`), &p))
	require.Equal(t, money.HalfUp, p.FeeRounding)
	require.NoError(t, p.Validate())
	p.FeeRounding = "nearest"
	err := p.Validate()
	var fe *field.Error
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "Pool.FeeRounding", fe.Field)
	require.ErrorIs(t, err, field.ErrNotSupported)
	require.ErrorContains(t, err, "one of half_even, half_away_from_zero (or half_up)")
}
