package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/lendcore/servicing/field"
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

// withCommands is the mortgage scenario with its commands replaced.
func withCommands(t *testing.T, cmds string, extra ...string) []byte {
	t.Helper()
	in, err := os.ReadFile("../../testdata/scenarios/mortgage_nsf.json")
	require.NoError(t, err)
	var sc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(in, &sc))
	sc["commands"] = json.RawMessage(cmds)
	for i := 0; i+1 < len(extra); i += 2 {
		sc[extra[i]] = json.RawMessage(extra[i+1])
	}
	b, err := json.Marshal(sc)
	require.NoError(t, err)
	return b
}

// TestIssue12_StrictScenario: a scenario is read strictly and checked
// whole before anything runs, each problem named by its path: an
// impossible date (2024-13-45 was read as 2025-02-14, 2024-02-30 as
// 2024-03-01), a misspelt top-level member ("comands" ran nothing and
// exited 0), a member the command's type does not take ("nsf_fees" on a
// reversal reversed without the fee; "payee" on a payment), a missing "on"
// (was "out of range (0001-01-01)"), an amount with too many decimals and a
// rate without its unit, and a key in simulate's own namespace.
func TestIssue12_StrictScenario(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		path string
	}{
		{"impossible date", withCommands(t, `[{"type":"payment","on":"2024-13-45","amount":"1199.10"}]`), "commands[0].on"},
		{"30 February", withCommands(t, `[{"type":"payment","on":"2024-02-30","amount":"1199.10"}]`), "commands[0].on"},
		{"misspelt member", withCommands(t, `[]`, "comands", `[]`), "comands"},
		{"member of another type", withCommands(t, `[{"type":"reverse_payment","on":"2024-05-02","payment_seq":3,"nsf_fees":"25.00"}]`), "commands[0].nsf_fees"},
		{"payee on a payment", withCommands(t, `[{"type":"payment","on":"2024-03-01","amount":"1199.10","payee":"x"}]`), "commands[0].payee"},
		{"missing on", withCommands(t, `[{"type":"payment","amount":"1199.10"}]`), "commands[0].on"},
		{"three decimals", withCommands(t, `[{"type":"payment","on":"2024-03-01","amount":"1199.105"}]`), "commands[0].amount"},
		{"rate without unit", withCommands(t, `[{"type":"rate_change","on":"2024-03-01","rate":"6.5"}]`), "commands[0].rate"},
		{"reserved key", withCommands(t, `[{"type":"payment","on":"2024-03-01","amount":"1.00","key":"scenario:0"}]`), "commands[0].key"},
		{"unknown type", withCommands(t, `[{"type":"pay","on":"2024-03-01"}]`), "commands[0].type"},
		{"impossible as_of", withCommands(t, `[]`, "as_of", `["2024-02-30"]`), "as_of[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := simulate(t.Context(), tt.in)
			require.Error(t, err)
			require.Contains(t, field.Fields(err), tt.path, "%v", err)
		})
	}
	// A bad funding date in the boarding payload too.
	in := bytes.Replace(withCommands(t, `[]`), []byte(`"2024-01-15"`), []byte(`"2024-02-30"`), 1)
	_, err := simulate(t.Context(), in)
	require.Error(t, err)
	require.Contains(t, field.Fields(err), "Terms.funding_date")
	// And on the command line.
	var out, errb bytes.Buffer
	require.NotEqual(t, 0, run([]string{"schedule", "-principal", "1000", "-rate", "6", "-n", "12", "-funding", "2024-02-30"}, &out, &errb))
	require.Contains(t, errb.String(), "February 2024 has 29 days")
}

// TestIssue12_AutoKeysNeverCollide: two identical payments without keys
// and one with the key "cmd-1" (the first release's automatic key for the
// second command) all apply: three payments.
func TestIssue12_AutoKeysNeverCollide(t *testing.T) {
	in := withCommands(t, `[{"type":"payment","on":"2024-03-01","amount":"100.00"},
		{"type":"payment","on":"2024-03-01","amount":"100.00"},
		{"type":"payment","on":"2024-03-01","amount":"100.00","key":"cmd-1"}]`)
	sim, err := simulate(t.Context(), in)
	require.NoError(t, err)
	seqs := map[int64]bool{}
	for _, r := range sim.Results {
		require.Empty(t, r.Error)
		seqs[r.Seq] = true
	}
	require.Len(t, seqs, 3)
}

// TestSimulateAutoPayoff: the daily simple interest auto loan of
// testdata/scenarios/auto_payoff.json, in the current terms format
// (24,000.00 at 7.9%, Actual/365 Fixed, 48 months, a 5.00 tolerance and a
// flat 25.00 late fee after 10 days' grace). Hand calculation:
//   - 10 Feb, 585.66: interest 24000 × 7.9% × 31/365 = 161.03;
//     principal 424.63 → 23575.37.
//   - 10 Mar, 582.00 (2.71 short of the 584.71 installment, within the
//     tolerance): interest 23575.37 × 7.9% × 28/365 = 142.87; principal
//     439.13 → 23136.24; not past due on 31 Mar.
//   - April missed: delinquent from 11 Apr, one 25.00 late fee on 21 Apr,
//     20 days past due on 30 Apr.
//   - 2 May, 1200.00: the fee, then 53 days' interest 23136.24 × 7.9% ×
//     53/365 = 265.40, then principal 909.60 → 22226.64; current.
//   - Quote for 10 Jun: 22226.64 + 39 days' interest (187.62) = 22414.26,
//     per diem 22226.64 × 7.9% / 365 = 4.81.
//   - 16 Jun, 22500.00 as a payoff: 45 days' interest 216.48, so the quote
//     that day is 22443.12; the loan is paid off and 56.88 left as a credit,
//     1.00 of it refunded on 20 Jun (55.88 left).
func TestSimulateAutoPayoff(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"simulate", "../../testdata/scenarios/auto_payoff.json"}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var sim struct {
		Results []struct {
			Error  string `json:"error"`
			Domain []struct {
				Type   string `json:"type"`
				On     string `json:"on"`
				Amount string `json:"amount"`
			} `json:"domain"`
		} `json:"results"`
		States []struct {
			Status       string `json:"status"`
			Principal    string `json:"principal"`
			LateFees     string `json:"late_fees"`
			DaysPastDue  int    `json:"days_past_due"`
			PaidInterest string `json:"paid_interest"`
			Credit       string `json:"credit_balance"`
		} `json:"states"`
		Payoffs []struct {
			Total   string `json:"total"`
			PerDiem string `json:"per_diem"`
		} `json:"payoff_quotes"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &sim))
	for _, r := range sim.Results {
		require.Empty(t, r.Error)
	}
	st := sim.States
	require.Equal(t, "USD 23136.24", st[0].Principal)
	require.Equal(t, "USD 303.90", st[0].PaidInterest) // 161.03 + 142.87
	require.Equal(t, 0, st[0].DaysPastDue)
	require.Equal(t, 20, st[1].DaysPastDue)
	require.Equal(t, "USD 25.00", st[1].LateFees)
	require.Equal(t, "current", st[2].Status)
	require.Equal(t, "USD 22226.64", st[2].Principal)
	require.Equal(t, "USD 569.30", st[2].PaidInterest) // + 265.40
	require.Equal(t, "paid_off", st[3].Status)
	require.Equal(t, "USD 0.00", st[3].Principal)
	require.Equal(t, "USD 55.88", st[3].Credit)
	require.Equal(t, "USD 785.78", st[3].PaidInterest) // + 216.48
	require.Equal(t, "USD 22414.26", sim.Payoffs[0].Total)
	require.Equal(t, "USD 4.81", sim.Payoffs[0].PerDiem)
	fees := 0
	for _, r := range sim.Results {
		for _, d := range r.Domain {
			if d.Type == "fee_assessed" {
				fees++
				require.Equal(t, "2025-04-21", d.On)
				require.Equal(t, "USD 25.00", d.Amount)
			}
		}
	}
	require.Equal(t, 1, fees)
}

// TestSimulateEqualPrincipalPayAhead runs
// testdata/scenarios/equal_principal_pay_ahead.json: 12,000.00 at 12 %
// over 12 months repaying 1,000.00 of principal a month with 1 % interest
// on the balance before it (installment k pays 1,000.00 + 10·(13 − k)):
// 1,120.00 on 1 Feb; on 1 Mar 2,210.00 paying ahead installments 2
// (1,110.00) and 3 (1,100.00), so on 17 Apr nothing is late (no fee) and on
// 20 Apr the balance is 9,000.00, 0 days past due; installment 4 (1,090.00)
// on 1 May leaves 8,000.00.
func TestSimulateEqualPrincipalPayAhead(t *testing.T) {
	var sim struct {
		States []struct {
			Status      string `json:"status"`
			Principal   string `json:"principal"`
			LateFees    string `json:"late_fees"`
			DaysPastDue int    `json:"days_past_due"`
		} `json:"states"`
	}
	simulateFile(t, "equal_principal_pay_ahead.json", &sim)
	require.Equal(t, "USD 9000.00", sim.States[0].Principal)
	require.Equal(t, "current", sim.States[0].Status)
	require.Equal(t, 0, sim.States[0].DaysPastDue)
	require.Equal(t, "USD 0.00", sim.States[0].LateFees)
	require.Equal(t, "USD 8000.00", sim.States[1].Principal)
}

// TestBoardingSolvesTheSchedulePayment: terms boarded without a payment get
// the payment `servicing schedule` solves for the same amortize terms (one
// solver: amortize.Compute), for each shape. 100,000.00 at 6 % monthly on
// 30/360 from 1 Jan 2024: level over 360 months 100,000 × 0.005 / (1 −
// 1.005^−360) = 599.55 (a balloon at 60 keeps it); equal principal over
// 360 months after 12 interest-only ones: the first amortizing installment
// pays 100,000 / 348 = 287.36 of principal and 500.00 interest, 787.36;
// graduated at 7.5 % a year for five years pays 607.88 at 9 %
// (TestShapeGraduated's figure).
func TestBoardingSolvesTheSchedulePayment(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, extra, rate, want string
	}{
		{"balloon", `"shape":"level","balloon_at":60`, "6%", "599.55"},
		{"equal_principal", `"shape":"equal_principal","interest_only":12`, "6%", "787.36"},
		{"graduated", `"shape":"graduated","graduation":{"step_rate":"7.5%","every_installments":12,"steps":5}`, "9%", "607.88"},
	} {
		t.Run(c.name, func(t *testing.T) {
			terms := `"currency":"USD","principal":"100000.00","annual_rate":"` + c.rate + `","installments":360,` +
				`"frequency":{"unit":"month","every":1},"eom":"anchor","funding_date":"2024-01-01","first_due_date":"2024-02-01",` +
				`"interest_method":"periodic","day_count":{"convention":"30U_360_EOM"},` +
				`"interest_rounding":"half_away_from_zero","payment_rounding":"half_away_from_zero",` + c.extra
			tf := dir + "/" + c.name + "_terms.json"
			require.NoError(t, os.WriteFile(tf, []byte("{"+terms+"}"), 0o600))
			code, out, errs := cliRun(t, "schedule", "-terms", tf, "-format", "json")
			require.Equal(t, 0, code, errs)
			var tb struct {
				Payment string `json:"payment"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &tb))
			require.Equal(t, "USD "+c.want, tb.Payment)

			sc := `{"loan":"L","boarding":{"borrower":"B","terms":{` + terms + `,"accrual":"scheduled","escrow_payment":"0.00",` +
				`"delinquency":{"recognition":"full","method":"days_past_due","status":{"delinquent_days":30,"default_days":90,` +
				`"non_accrual_days":90,"charge_off_days":180,"charge_off":"regular"}}}},"commands":[],"as_of":["2024-01-02"]}`
			sf := dir + "/" + c.name + "_scenario.json"
			require.NoError(t, os.WriteFile(sf, []byte(sc), 0o600))
			code, out, errs = cliRun(t, "simulate", sf)
			require.Equal(t, 0, code, errs)
			var sim struct {
				States []struct {
					Payment string `json:"payment"`
				} `json:"states"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &sim))
			require.Equal(t, "USD "+c.want, sim.States[0].Payment)
		})
	}
}

// TestSimulateForbearance runs testdata/scenarios/forbearance_capitalize.json:
// 12,000.00 at 12 % over 12 months (1,066.19 a month) paid three times
// leaves 9,132.95; a forbearance from 2 Apr to 1 Jul 2024 moves installments
// 4 and 5 two months, and on 1 Jun capitalizes their periods' interest, 2 ×
// 91.33 = 182.66 (9,315.61), re-solving the payment over the nine left:
// 1,087.51. The 1 Jul payment (installment 4) pays 93.16 of interest and
// leaves 8,321.26. The 15 May payoff owes 44 days of interest from 1 Apr,
// 133.95. Nothing is past due while paused; the state says it is paused.
func TestSimulateForbearance(t *testing.T) {
	var sim struct {
		States []struct {
			Principal   string `json:"principal"`
			Payment     string `json:"payment"`
			DaysPastDue int    `json:"days_past_due"`
			Delinquency struct {
				Paused string `json:"paused"`
			} `json:"delinquency"`
		} `json:"states"`
		Transactions []struct {
			Kind  string `json:"kind"`
			Lines []struct {
				Component string `json:"component"`
				Amount    string `json:"amount"`
			} `json:"lines"`
		} `json:"transactions"`
		Payoffs []struct {
			Total string `json:"total"`
		} `json:"payoff_quotes"`
	}
	simulateFile(t, "forbearance_capitalize.json", &sim)
	require.Equal(t, "USD 9132.95", sim.States[0].Principal)
	require.Equal(t, "forbearance", sim.States[0].Delinquency.Paused)
	require.Equal(t, "USD 9315.61", sim.States[1].Principal)
	require.Equal(t, "USD 1087.51", sim.States[1].Payment)
	require.Equal(t, 0, sim.States[1].DaysPastDue)
	require.Equal(t, "USD 8321.26", sim.States[2].Principal)
	require.Empty(t, sim.States[2].Delinquency.Paused)
	require.Equal(t, "USD 9266.90", sim.Payoffs[0].Total)
	capitalized := ""
	for _, tx := range sim.Transactions {
		for _, ln := range tx.Lines {
			if tx.Kind == "pause_interest" && ln.Component == "capitalized_interest" {
				capitalized = ln.Amount
			}
		}
	}
	require.Equal(t, "USD 182.66", capitalized)
}

// TestSimulateCreditLine runs testdata/scenarios/credit_line.json, the
// line of TestLineThreeCycles (worked there by hand): three statements of
// 18.84, 35.38 and 49.05 interest with minimums 42.84, 98.90 and 111.30;
// four days past due on 30 Mar with a 30.00 late fee (35.00 capped by the
// card safe harbour), current on 1 Apr at 3,161.53.
func TestSimulateCreditLine(t *testing.T) {
	var sim struct {
		States []struct {
			Principal   string `json:"principal"`
			DaysPastDue int    `json:"days_past_due"`
			LateFees    string `json:"late_fees"`
			Undrawn     string `json:"undrawn"`
		} `json:"states"`
		Statements []struct {
			Interest string `json:"interest_charged"`
			Minimum  string `json:"minimum_payment"`
			Due      string `json:"due_date"`
		} `json:"statements"`
	}
	simulateFile(t, "credit_line.json", &sim)
	require.Len(t, sim.Statements, 3)
	for i, w := range [][3]string{{"USD 18.84", "USD 42.84", "2025-02-26"}, {"USD 35.38", "USD 98.90", "2025-03-26"}, {"USD 49.05", "USD 111.30", "2025-04-26"}} {
		require.Equal(t, w, [3]string{sim.Statements[i].Interest, sim.Statements[i].Minimum, sim.Statements[i].Due})
	}
	require.Equal(t, 4, sim.States[0].DaysPastDue)
	require.Equal(t, "USD 30.00", sim.States[0].LateFees)
	require.Equal(t, "USD 3161.53", sim.States[1].Principal)
	require.Equal(t, "USD 6838.47", sim.States[1].Undrawn)
}

// TestSimulateEscrowAnalysis runs testdata/scenarios/escrow_appendix_e.json:
// the mortgage with Reg X Appendix E's items (500.00 July, 360.00
// September, 700.00 December) and 1,100.00 in escrow on 2 June 2024; the
// analysis finds Appendix E's figures — monthly payment 130.00, target
// balance 1,040.00, surplus 60.00 refunded — so the escrow holds 1,040.00,
// and the 1 Jul payment of 1,199.10 + 130.00 adds 130.00 (1,170.00).
func TestSimulateEscrowAnalysis(t *testing.T) {
	var sim struct {
		States []struct {
			Escrow string `json:"escrow"`
		} `json:"states"`
		Analyses []struct {
			MonthlyPayment, TargetBalance, Surplus string
		} `json:"escrow_analyses"`
		Statements []struct {
			NewPayment string   `json:"new_payment"`
			Reasons    []string `json:"reasons"`
		} `json:"escrow_statements"`
	}
	simulateFile(t, "escrow_appendix_e.json", &sim)
	require.Len(t, sim.Analyses, 1)
	a := sim.Analyses[0]
	require.Equal(t, []string{"USD 130.00", "USD 1040.00", "USD 60.00"}, []string{a.MonthlyPayment, a.TargetBalance, a.Surplus})
	require.Equal(t, "USD 1040.00", sim.States[0].Escrow)
	require.Equal(t, "USD 1170.00", sim.States[1].Escrow)
	// The statement on 2 June sees the log whole: the analysis has put
	// 130.00 in force and refunded the surplus, so a new one changes
	// nothing.
	require.Len(t, sim.Statements, 1)
	require.Equal(t, "USD 130.00", sim.Statements[0].NewPayment)
	require.Equal(t, []string{"no change"}, sim.Statements[0].Reasons)
}

// TestSimulateAudit: the output's audit trail of
// testdata/scenarios/mortgage_nsf.json lists the recorded events with
// their actor and the engine's own movements — the suspense sweep of 2
// Apr and the 59.96 late charge of 17 Apr (5 % of 1,199.10) — marked
// generated (a movement after the last recorded event has no command to
// name: the fold to the trail's date made it).
func TestSimulateAudit(t *testing.T) {
	var sim struct {
		Audit []struct {
			On        string `json:"effective_on"`
			Kind      string `json:"kind"`
			Actor     string `json:"actor"`
			Generated bool   `json:"generated"`
			Amount    string `json:"amount"`
		} `json:"audit"`
	}
	simulateFile(t, "mortgage_nsf.json", &sim)
	require.Equal(t, "boarded", sim.Audit[0].Kind)
	found := false
	for _, a := range sim.Audit {
		if !a.Generated {
			require.Equal(t, "simulate", a.Actor)
		}
		if a.Kind == "late_fee" && a.On == "2024-04-17" {
			found = a.Generated && a.Amount == "USD 59.96"
		}
	}
	require.True(t, found)
}

// simulateFile runs servicing simulate on scenario file name (under
// testdata/scenarios), requires it to succeed with no command refused, and
// decodes its output into v.
func simulateFile(t *testing.T, name string, v any) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run([]string{"simulate", "../../testdata/scenarios/" + name}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	var res struct {
		Results []struct {
			Error string `json:"error"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	for _, r := range res.Results {
		require.Empty(t, r.Error)
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), v))
}
