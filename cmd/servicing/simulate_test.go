package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSimulateScenario(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"simulate", "../../testdata/scenarios/mortgage_nsf.json"}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var sim struct {
		Results []struct {
			Type   string `json:"type"`
			Error  string `json:"error"`
			Domain []struct {
				Type string `json:"type"`
			} `json:"domain"`
		} `json:"results"`
		States []struct {
			AsOf        string `json:"as_of"`
			Status      string `json:"status"`
			Principal   string `json:"principal"`
			Suspense    string `json:"suspense"`
			LateFees    string `json:"late_fees"`
			NSFFees     string `json:"nsf_fees"`
			DaysPastDue int    `json:"days_past_due"`
		} `json:"states"`
		Schedule []struct {
			Interest string `json:"interest"`
		} `json:"schedule"`
		Payoffs []struct {
			Total string `json:"total"`
		} `json:"payoff_quotes"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &sim))
	for _, r := range sim.Results {
		require.Empty(t, r.Error, r.Type)
	}
	require.Len(t, sim.Schedule, 360)
	// 200000.00 × 6% / 12 = 1000.00 (hand calculation).
	require.Equal(t, "USD 1000.00", sim.Schedule[0].Interest)
	require.Equal(t, "2024-04-01", sim.States[0].AsOf)
	// After the March installment: 200000.00 − (1199.10 − 1000.00).
	require.Equal(t, "USD 199800.90", sim.States[0].Principal)
	// The NSF reversal of the 5 Apr payment: April late again (fee
	// 5% × 1199.10 = 59.96) plus the 25.00 NSF fee.
	require.Equal(t, "USD 25.00", sim.States[2].NSFFees)
	require.Equal(t, "delinquent", sim.States[2].Status)
	// Final: 500.00 (held since 15 Mar) + 2600.00 − 2 × 1199.10 = 701.80 in
	// suspense, June unpaid.
	require.Equal(t, "USD 701.80", sim.States[3].Suspense)
	require.Equal(t, 29, sim.States[3].DaysPastDue)
	types := map[string]bool{}
	for _, de := range sim.Results[3].Domain {
		types[de.Type] = true
	}
	require.True(t, types["payment_reversed"], "%+v", sim.Results[3].Domain)

	// Deterministic: the same scenario gives the same bytes.
	var again bytes.Buffer
	require.Equal(t, 0, run([]string{"simulate", "../../testdata/scenarios/mortgage_nsf.json"}, &again, &errb))
	require.Equal(t, out.String(), again.String())
}

func TestSimulateBadInput(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, 2, run([]string{"simulate"}, &out, &errb))
	require.Equal(t, 1, run([]string{"simulate", "does-not-exist.json"}, &out, &errb))
	_, err := simulate(t.Context(), []byte(`{"boarding":{"terms":{"currency":"USD","principal":"-1"}}}`))
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), "Terms.Principal"))
}

// TestSimulateChargeOffBehavior: a charge_off command chooses its
// behaviour. The 6% mortgage charged off on 2024-03-15 (nothing paid, no
// ladder) writes off its 200,000.00 principal (scheduled interest books no
// accrued interest); accelerate_maturity makes it all due that day: 31 days
// past due on 2024-04-15 (16 March days + 15 April days); stop_interest is
// not past due; an unknown behaviour fails the command, naming the field.
func TestSimulateChargeOffBehavior(t *testing.T) {
	in, err := os.ReadFile("../../testdata/scenarios/mortgage_nsf.json")
	require.NoError(t, err)
	var sc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(in, &sc))
	for _, tt := range []struct {
		behavior, err string
		dpd           int
	}{{"accelerate_maturity", "", 31}, {"stop_interest", "", 0}, {"forgive", "Behavior", 0}} {
		sc["commands"] = json.RawMessage(`[{"type": "charge_off", "on": "2024-03-15", "behavior": "` + tt.behavior + `"}]`)
		sc["as_of"] = json.RawMessage(`["2024-04-15"]`)
		sc["payoff_on"] = json.RawMessage(`[]`)
		b, err := json.Marshal(sc)
		require.NoError(t, err)
		sim, err := simulate(t.Context(), b)
		require.NoError(t, err)
		st := sim.States[0]
		if tt.err != "" {
			require.Contains(t, sim.Results[0].Error, tt.err)
			require.Equal(t, "delinquent", string(st.Status))
			continue
		}
		require.Empty(t, sim.Results[0].Error)
		require.Equal(t, tt.behavior, st.ChargeOff)
		require.Equal(t, "200000.00", st.ChargedOff.String())
		require.Equal(t, tt.dpd, st.DaysPastDue)
	}
}

// TestSimulateAddOn: the Rule of 78s add-on loan of
// testdata/scenarios/addon_rule78.json (1,000.00 at 12% add-on, 12
// months: finance charge 120.00, installment 93.33). Three installments
// leave 1000 − (279.99 − (18.46 + 16.92 + 15.38)) = 770.77; the payoff
// on 2024-04-20 is 770.77 + 69.24 unpaid charge − 120 × 90/156 = 69.23
// rebate = 770.78, and paying it closes the loan.
func TestSimulateAddOn(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"simulate", "../../testdata/scenarios/addon_rule78.json"}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var sim struct {
		Results []struct {
			Error string `json:"error"`
		} `json:"results"`
		States []struct {
			Status    string `json:"status"`
			Principal string `json:"principal"`
			Rebated   string `json:"rebated"`
		} `json:"states"`
		Schedule []struct {
			Payment  string `json:"payment"`
			Interest string `json:"interest"`
		} `json:"schedule"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &sim))
	for _, r := range sim.Results {
		require.Empty(t, r.Error)
	}
	require.Equal(t, "USD 770.77", sim.States[0].Principal)
	require.Equal(t, "paid_off", sim.States[1].Status)
	require.Equal(t, "USD 0.00", sim.States[1].Principal)
	require.Equal(t, "USD 69.23", sim.States[1].Rebated)
	// The add-on table: 120 × 12/78 = 18.4615… → 18.46 earned first,
	// 120 × 1/78 = 1.538… → 1.54 last (largest remainder); last payment
	// 1120 − 11 × 93.33 = 93.37.
	require.Len(t, sim.Schedule, 12)
	require.Equal(t, "USD 18.46", sim.Schedule[0].Interest)
	require.Equal(t, "USD 1.54", sim.Schedule[11].Interest)
	require.Equal(t, "USD 93.37", sim.Schedule[11].Payment)
}
