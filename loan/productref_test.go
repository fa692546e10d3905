package loan_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/stretchr/testify/require"
)

// TestBoardedProductReference: the product a loan was boarded under is
// written in the Boarded event and read back; an event without it (every
// event written before products) reads as none and is written back
// byte for byte as it was.
func TestBoardedProductReference(t *testing.T) {
	req, err := loan.ParseBoarding(boardingJSON(nil))
	require.NoError(t, err)
	terms, err := req.Terms.Normalized()
	require.NoError(t, err)
	ev := loan.Event{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: terms.FundingDate,
		RecordedAt: time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC),
		Payload: loan.Boarded{Terms: terms, Borrower: "B-1", Rules: loan.RulesVersion,
			Product: "mortgage_30_fixed", ProductVersion: 1}}
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	require.Contains(t, string(b), `"product":"mortgage_30_fixed","product_version":1`)
	var back loan.Event
	require.NoError(t, json.Unmarshal(b, &back))
	got := back.Payload.(loan.Boarded)
	require.Equal(t, "mortgage_30_fixed", got.Product)
	require.Equal(t, 1, got.ProductVersion)

	ev.Payload = loan.Boarded{Terms: terms, Borrower: "B-1", Rules: loan.RulesVersion}
	old, err := json.Marshal(ev)
	require.NoError(t, err)
	require.NotContains(t, string(old), "product")
	require.NoError(t, json.Unmarshal(old, &back))
	require.Empty(t, back.Payload.(loan.Boarded).Product)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	require.Equal(t, string(old), string(again))
}

// TestBoardingRequestProductFields: a product reference needs a name of at
// most MaxText bytes and a version from 1; a version without a product is
// refused.
func TestBoardingRequestProductFields(t *testing.T) {
	req, err := loan.ParseBoarding(boardingJSON(nil))
	require.NoError(t, err)
	for _, tt := range []struct {
		product string
		version int
		bad     []string
	}{
		{"", 0, nil},
		{"mortgage_30_fixed", 2, nil},
		{"mortgage_30_fixed", 0, []string{"ProductVersion"}},
		{"mortgage_30_fixed", -1, []string{"ProductVersion"}},
		{"", 3, []string{"ProductVersion"}},
		{strings.Repeat("p", loan.MaxText+1), 1, []string{"Product"}},
	} {
		r := req
		r.Product, r.ProductVersion = tt.product, tt.version
		err := r.Validate()
		if tt.bad == nil {
			require.NoError(t, err, "%.20s v%d", tt.product, tt.version)
			continue
		}
		require.ErrorIs(t, err, loan.ErrInvalidInput)
		require.Equal(t, tt.bad, field.Fields(err), "%.20s v%d", tt.product, tt.version)
	}
}

// TestParseBoardingRefusesProduct: a payload naming a product is the
// product catalogue's to read (it fills in the defaults); loan.ParseBoarding
// refuses it by name rather than boarding terms it never checked against
// the product.
func TestParseBoardingRefusesProduct(t *testing.T) {
	in := strings.Replace(string(boardingJSON(nil)), `"borrower":"B-1"`, `"borrower":"B-1","product":"mortgage_30_fixed"`, 1)
	_, err := loan.ParseBoarding([]byte(in))
	require.ErrorIs(t, err, loan.ErrInvalidInput)
	require.Equal(t, []string{"Product"}, field.Fields(err))
	require.ErrorContains(t, err, "product.Catalogue.ParseBoarding")
}
