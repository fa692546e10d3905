package product_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/rate"
	"github.com/stretchr/testify/require"
)

// TestBuiltinCatalogue: the built-in products are valid, each once, at
// version 1, with descriptions, asking each loan for at most its principal,
// rate and two dates (and a construction loan for its draw terms too).
func TestBuiltinCatalogue(t *testing.T) {
	c := product.Builtin()
	require.Equal(t, []string{"auto_loan", "bridge_loan", "construction_loan", "consumer_add_on", "heloc", "mortgage_15_fixed", "mortgage_30_fixed",
		"mortgage_arm_5_1", "personal_loan"}, c.Names())
	for _, p := range c.Products() {
		require.NoError(t, p.Validate(), p.Name)
		require.Equal(t, 1, p.Version)
		require.NotEmpty(t, p.Description)
		asked := len(p.Required)
		if slices.Contains(p.Required, "draws") || slices.Contains(p.Required, "line") {
			asked--
		}
		require.LessOrEqual(t, asked, 4, p.Name)
		got, ok := c.Latest(p.Name)
		require.True(t, ok)
		require.Equal(t, p.Name, got.Name)
	}
	_, ok := c.Lookup("mortgage_30_fixed", 2)
	require.False(t, ok)
	_, ok = c.Latest("mortgage_40_fixed")
	require.False(t, ok)
	var zero product.Catalogue
	require.Empty(t, zero.Products())
}

// TestProductJSONRoundTrip: every built-in product, and the catalogue,
// written as JSON reads back to the same value and the same bytes.
func TestProductJSONRoundTrip(t *testing.T) {
	c := product.Builtin()
	for _, p := range c.Products() {
		b, err := json.Marshal(p)
		require.NoError(t, err, p.Name)
		var back product.Product
		require.NoError(t, json.Unmarshal(b, &back), p.Name)
		require.Equal(t, p, back, p.Name)
		again, err := json.Marshal(back)
		require.NoError(t, err)
		require.Equal(t, string(b), string(again), p.Name)
		require.NotContains(t, string(b), `"principal":`, "a member each loan gives has no default")
	}
	b, err := json.Marshal(c)
	require.NoError(t, err)
	back, err := product.ParseCatalogue(b)
	require.NoError(t, err)
	require.Equal(t, c.Products(), back.Products())
	var viaJSON product.Catalogue
	require.NoError(t, json.Unmarshal(b, &viaJSON))
	require.Equal(t, c.Products(), viaJSON.Products())
}

// TestProductJSONStrict: a product is read strictly: unknown members at
// any depth, impossible dates, a default for a member each loan gives, and
// defaults without an accrual (the first release's terms format) are
// refused by path.
func TestProductJSONStrict(t *testing.T) {
	b, err := json.Marshal(product.AutoLoan())
	require.NoError(t, err)
	good := string(b)
	for _, tt := range []struct {
		old, new, path string
	}{
		{`"version":1`, `"version":1,"flavour":"x"`, "flavour"},
		{`"grace_days":10`, `"grace_days":10,"grace":3`, "defaults.delinquency.late_fee.grace"},
		{`"installments":60`, `"installments":60,"principal":"100.00"`, "defaults.principal"},
		{`"accrual":"daily_simple",`, ``, "defaults.accrual"},
		{`"installments":60`, `"installments":"60"`, "defaults.installments"},
		{`"installments":60`, `"installments":60,"funding_date":"2025-02-30"`, "defaults.funding_date"},
		{`"principal_min":"USD 5000.00"`, `"principal_min":"5000.005"`, "limits.principal_min"},
		{`"installments_max":84`, `"installments_max":84,"rate_cap":"9%"`, "limits.rate_cap"},
	} {
		in := strings.Replace(good, tt.old, tt.new, 1)
		require.NotEqual(t, good, in, tt.old)
		var p product.Product
		err := json.Unmarshal([]byte(in), &p)
		require.ErrorIs(t, err, product.ErrInvalidProduct, tt.path)
		require.Contains(t, field.Fields(err), tt.path, "%v", err)
	}
	// Bare limit amounts take the product's currency.
	var p product.Product
	require.NoError(t, json.Unmarshal([]byte(strings.Replace(good, `"USD 5000.00"`, `"5000.00"`, 1)), &p))
	require.Equal(t, "USD 5000.00", p.Limits.PrincipalMin.Format())
}

// TestProductValidate: a product's definition is checked whole, every
// problem named: its name and version, the members it lists, defaults
// loan refuses (asked of loan's own validation), a default for a value
// each loan gives, and limits out of order or outside the defaults.
func TestProductValidate(t *testing.T) {
	p := product.PersonalLoan()
	p.Name, p.Version = "Personal Loan", 0
	p.Required = append(p.Required, "principle")
	p.Overridable = []string{"installments", "currency", "principal", "installments"}
	p.Defaults.Shape = "balloon"
	p.Defaults.AnnualRate = rate.MustPercent("5")
	p.Limits.PrincipalMin = money.MustParse("60000.00", money.USD)
	p.Limits.InstallmentsMax = 24
	p.Limits.DueDay = 32
	err := p.Validate()
	require.ErrorIs(t, err, product.ErrInvalidProduct)
	require.ElementsMatch(t, []string{"Name", "Version", "Required[4]", "Overridable[1]", "Overridable[2]", "Overridable[3]",
		"Defaults.AnnualRate", "Defaults.Shape", "Limits.PrincipalMin", "Limits.DueDay", "Defaults.Installments"}, field.Fields(err))

	q := product.AutoLoan()
	q.Defaults.Principal = money.Amount{}
	require.Equal(t, []string{"Defaults.Currency"}, field.Fields(q.Validate()))
	_, err = json.Marshal(p)
	require.ErrorIs(t, err, product.ErrInvalidProduct, "a default for a member each loan gives is not written without it")
}

// TestCatalogueVersions: a catalogue holds each (name, version) once and
// gives the latest by default; a payload may name an older version, which
// the loan records.
func TestCatalogueVersions(t *testing.T) {
	v1 := product.AutoLoan()
	v2 := product.AutoLoan()
	v2.Version = 2
	v2.Defaults.Installments = 72
	v2.Limits.InstallmentsMax = 96
	c, err := product.NewCatalogue(v2, v1)
	require.NoError(t, err)
	latest, ok := c.Latest("auto_loan")
	require.True(t, ok)
	require.Equal(t, 2, latest.Version)
	old, ok := c.Lookup("auto_loan", 1)
	require.True(t, ok)
	require.Equal(t, 60, old.Defaults.Installments)

	in := `{"product":"auto_loan",%s"terms":{"principal":"30000.00","annual_rate":"7%","funding_date":"2025-01-10",
	  "first_due_date":"2025-02-10"},"borrower":"B"}`
	req, err := c.ParseBoarding([]byte(strings.Replace(in, "%s", "", 1)))
	require.NoError(t, err)
	require.Equal(t, 2, req.ProductVersion)
	require.Equal(t, 72, req.Terms.Installments)
	req, err = c.ParseBoarding([]byte(strings.Replace(in, "%s", `"product_version":1,`, 1)))
	require.NoError(t, err)
	require.Equal(t, 1, req.ProductVersion)
	require.Equal(t, 60, req.Terms.Installments)

	_, err = product.NewCatalogue(v1, v2, v1)
	require.ErrorIs(t, err, product.ErrInvalidProduct)
	require.Equal(t, []string{"Products[2].Version"}, field.Fields(err))
	bad := v1
	bad.Name = ""
	_, err = product.NewCatalogue(v1, bad)
	require.Equal(t, []string{"Products[1].Name"}, field.Fields(err))

	_, err = product.ParseCatalogue([]byte(`{"products":[{"name":"x"}],"extra":1}`))
	require.ErrorIs(t, err, product.ErrInvalidProduct)
	require.Contains(t, field.Fields(err), "extra")
}

// TestARMStartsAtLoanRate: the ARM product's adjustable rate starts at the
// rate the loan gives; a loan may give its own ARM terms, held by loan to
// start at its rate too.
func TestARMStartsAtLoanRate(t *testing.T) {
	c := product.Builtin()
	terms := `"principal":"400000.00","annual_rate":"5.5%","funding_date":"2025-01-15","first_due_date":"2025-03-01"`
	req, err := c.ParseBoarding(payload("mortgage_arm_5_1", terms))
	require.NoError(t, err)
	require.Zero(t, req.Terms.ARM.InitialRate.Cmp(rate.MustPercent("5.5")))
	require.Zero(t, req.Terms.ARM.Margin.Cmp(rate.MustPercent("2.75")))
	require.Equal(t, amortize.ShapeLevel, req.Terms.Shape)

	own := `"arm":{"initial_rate":"5.5%","margin":"3%","rounding_step":"0.125%","rounding_mode":"half_even","look_back_days":45}`
	req, err = c.ParseBoarding(payload("mortgage_arm_5_1", terms, own))
	require.NoError(t, err)
	require.Zero(t, req.Terms.ARM.Margin.Cmp(rate.MustPercent("3")))
	_, err = c.ParseBoarding(payload("mortgage_arm_5_1", terms, strings.Replace(own, `"initial_rate":"5.5%"`, `"initial_rate":"4%"`, 1)))
	require.Equal(t, []string{"Terms.ARM.InitialRate"}, field.Fields(err))
}
