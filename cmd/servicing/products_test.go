package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/product"
	"github.com/stretchr/testify/require"
)

// TestSimulateProductScenario runs testdata/scenarios/mortgage_product.json:
// a 30-year fixed mortgage boarded from its product with four terms
// members (300,000.00 at 6.5 %, funded 15 Jan 2025, first due 1 Mar 2025).
// Worked by hand: payment 1,896.20 (the annuity, see product's
// TestBuiltinProductsBoard); installment 1's interest 300,000 × 0.065/12 =
// 1,625.00, principal 271.20, balance 299,728.80; installment 2's
// 299,728.80 × 0.065/12 = 1,623.531 → 1,623.53 (299,456.13 left),
// installment 3's 1,622.054 → 1,622.05 (299,181.98 left). April unpaid:
// the product's late charge, 5 % of 1,896.20 = 94.81, is assessed after
// 15 days' grace, and on 30 April the loan is 29 days past due. On 1 May
// 3,887.21 = 2 × 1,896.20 + 94.81 pays both installments and the charge.
// The payoff for 15 May prices the 14 days from 1 May on 365 days (the
// product's Fannie Mae payoff interest): 299,181.98 × 0.065 × 14/365 =
// 745.91, total 299,927.89.
func TestSimulateProductScenario(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"simulate", "../../testdata/scenarios/mortgage_product.json"}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var sim struct {
		Results []struct {
			Error string `json:"error"`
		} `json:"results"`
		Schedule []struct {
			Payment  string `json:"payment"`
			Interest string `json:"interest"`
			Balance  string `json:"balance"`
		} `json:"schedule"`
		States []struct {
			Status      string `json:"status"`
			Principal   string `json:"principal"`
			LateFees    string `json:"late_fees"`
			DaysPastDue int    `json:"days_past_due"`
		} `json:"states"`
		Payoffs []struct {
			Interest string `json:"interest"`
			Total    string `json:"total"`
		} `json:"payoff_quotes"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &sim))
	for _, r := range sim.Results {
		require.Empty(t, r.Error)
	}
	require.Len(t, sim.Schedule, 360)
	require.Equal(t, "USD 1896.20", sim.Schedule[0].Payment)
	require.Equal(t, "USD 1625.00", sim.Schedule[0].Interest)
	require.Equal(t, "USD 1623.53", sim.Schedule[1].Interest)
	require.Equal(t, "USD 299181.98", sim.Schedule[2].Balance)
	require.Equal(t, "delinquent", sim.States[0].Status)
	require.Equal(t, "USD 94.81", sim.States[0].LateFees)
	require.Equal(t, 29, sim.States[0].DaysPastDue)
	require.Equal(t, "current", sim.States[1].Status)
	require.Equal(t, "USD 299181.98", sim.States[1].Principal)
	require.Equal(t, "USD 0.00", sim.States[1].LateFees)
	require.Equal(t, "USD 745.91", sim.Payoffs[0].Interest)
	require.Equal(t, "USD 299927.89", sim.Payoffs[0].Total)
}

// TestSimulateProductBoardingStrict: a product boarding is read as
// strictly as the rest of a scenario: an unknown product, a member the
// product does not let a loan give and a value outside its limits stop the
// scenario, each named.
func TestSimulateProductBoardingStrict(t *testing.T) {
	in, err := os.ReadFile("../../testdata/scenarios/mortgage_product.json")
	require.NoError(t, err)
	for _, tt := range []struct {
		old, new string
		paths    []string
	}{
		{`"product": "mortgage_30_fixed"`, `"product": "mortgage_31_fixed"`, []string{"Product"}},
		{`"principal": "300000.00"`, `"principal": "900000.00", "shape": "add_on"`, []string{"Terms.shape", "Terms.principal"}},
		{`"borrower": "BRW-3001"`, `"borower": "BRW-3001"`, []string{"borower", "Borrower"}},
	} {
		b := strings.Replace(string(in), tt.old, tt.new, 1)
		require.NotEqual(t, string(in), b)
		_, err := simulate(t.Context(), []byte(b))
		require.ErrorContains(t, err, "boarding: ")
		require.Equal(t, tt.paths, field.Fields(err), "%v", err)
	}
}

// TestProductsCommand: servicing products prints the built-in catalogue
// in the format a host's own is read in (it reads back to the same
// products), one product with -name, and checks a host's file with
// -products, which simulate then looks products up in.
func TestProductsCommand(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"products"}, &out, &errb), errb.String())
	c, err := product.ParseCatalogue(out.Bytes())
	require.NoError(t, err)
	require.Equal(t, product.Builtin().Products(), c.Products())

	out.Reset()
	require.Equal(t, 0, run([]string{"products", "-name", "bridge_loan"}, &out, &errb), errb.String())
	var p product.Product
	require.NoError(t, json.Unmarshal(out.Bytes(), &p))
	require.Equal(t, 11, p.Defaults.InterestOnly)
	require.Equal(t, 1, run([]string{"products", "-name", "bridge_loan", "-version", "2"}, &out, &errb))
	require.Equal(t, 2, run([]string{"products", "-version", "2"}, &out, &errb))

	// A host's catalogue: the built-in one with the 30-year product's
	// maximum lowered to 250,000.00; the scenario's 300,000.00 is refused.
	dir := t.TempDir()
	ps := c.Products()
	for i := range ps {
		if ps[i].Name == "mortgage_30_fixed" {
			ps[i].Limits.PrincipalMax = money.MustParse("250000.00", money.USD)
		}
	}
	hc, err := product.NewCatalogue(ps...)
	require.NoError(t, err)
	b, err := json.Marshal(hc)
	require.NoError(t, err)
	host := filepath.Join(dir, "products.json")
	require.NoError(t, os.WriteFile(host, b, 0o600))
	out.Reset()
	errb.Reset()
	require.Equal(t, 0, run([]string{"products", "-products", host, "-name", "mortgage_30_fixed"}, &out, &errb), errb.String())
	require.Contains(t, out.String(), `"principal_max": "USD 250000.00"`)
	require.Equal(t, 1, run([]string{"simulate", "-products", host, "../../testdata/scenarios/mortgage_product.json"}, &out, &errb))
	require.Contains(t, errb.String(), "Terms.principal: out of range (300000.00): mortgage_30_fixed v1 lends at most 250000.00")

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"products":[{"name":"x","version":1,"defaults":{"currency":"USD","accrual":"scheduled"},"required":[],"limits":{"due_day":40}}]}`), 0o600))
	errb.Reset()
	require.Equal(t, 1, run([]string{"products", "-products", bad}, &out, &errb))
	require.Contains(t, errb.String(), "Products[0].Limits.DueDay")
}
