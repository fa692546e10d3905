package payment

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/stretchr/testify/require"
)

// scenario is a mortgage-like loan on 10 Apr 2024: installments 1–3 past due
// (each with a $15 late charge on two of them), an NSF fee assessed 20 Mar,
// installment 4 due 1 May (the current cycle), 5 and 6 in advance.
func scenario(t testing.TB) []Receivable {
	rs := join(
		inst(t, 1, d(2024, time.February, 1), "100.00", "200.00", "50.00"),
		[]Receivable{{Installment: 1, Component: Penalty, DueDate: d(2024, time.February, 16), Open: usd(t, "15.00")}},
		inst(t, 2, d(2024, time.March, 1), "99.00", "201.00", "50.00"),
		[]Receivable{{Installment: 2, Component: Penalty, DueDate: d(2024, time.March, 16), Open: usd(t, "15.00")}},
		[]Receivable{{Installment: 0, Component: Fee, DueDate: d(2024, time.March, 20), Open: usd(t, "25.00"), Ref: "NSF"}},
		inst(t, 3, d(2024, time.April, 1), "98.00", "202.00", "50.00"),
		inst(t, 4, d(2024, time.May, 1), "97.00", "203.00", "50.00"),
		inst(t, 5, d(2024, time.June, 1), "96.00", "204.00", "50.00"),
		inst(t, 6, d(2024, time.July, 1), "95.00", "9000.00", "50.00"),
	)
	return rs
}

var scenarioOn = d(2024, time.April, 10)

// TestPresets checks each preset against allocations worked by hand in the
// comments (amounts in dollars; "k:c" is installment k, component c; 0 is the
// stand-alone NSF fee).
func TestPresets(t *testing.T) {
	tests := []struct {
		name     string
		rules    Rules
		amount   string
		want     map[string]string
		suspense string
		credit   string
	}{
		{
			// GSE: whole installments oldest first, I→P→E: inst 1 (350) and 2
			// (350) fit in 800; inst 3 needs 350 > 100 left → 100 to suspense.
			name: "gse partial held", rules: GSEMortgage(), amount: "800.00",
			want: map[string]string{"1:interest": "100.00", "1:principal": "200.00", "1:escrow": "50.00",
				"2:interest": "99.00", "2:principal": "201.00", "2:escrow": "50.00"},
			suspense: "100.00",
		},
		{
			// GSE 1500: inst 1–4 take 1400; late charges 15+15 → 70 left; NSF
			// fee 25 → 45; 45 curtails principal from the last installment.
			name: "gse late charges then curtailment", rules: GSEMortgage(), amount: "1500.00",
			want: map[string]string{"1:interest": "100.00", "1:principal": "200.00", "1:escrow": "50.00",
				"2:interest": "99.00", "2:principal": "201.00", "2:escrow": "50.00",
				"3:interest": "98.00", "3:principal": "202.00", "3:escrow": "50.00",
				"4:interest": "97.00", "4:principal": "203.00", "4:escrow": "50.00",
				"1:penalty": "15.00", "2:penalty": "15.00", "0:fee": "25.00", "6:principal": "45.00"},
		},
		{
			// Consumer, vertical, past due before due: penalties 15+15, NSF
			// 25 → 745; past-due interest 100+99+98 → 448; past-due
			// principal 200 (inst 1), 201 (inst 2), 47 of inst 3's 202; the
			// due installment 4 gets nothing (its interest is not taken
			// before past-due principal).
			name: "consumer fees interest principal", rules: Consumer(), amount: "800.00",
			want: map[string]string{"1:penalty": "15.00", "2:penalty": "15.00", "0:fee": "25.00",
				"1:interest": "100.00", "2:interest": "99.00", "3:interest": "98.00",
				"1:principal": "200.00", "2:principal": "201.00", "3:principal": "47.00"},
		},
		{
			// Oldest first, horizontal, penalty→fee→interest→principal→escrow:
			// inst 1 takes 15+100+200+50 = 365 → 435 left; inst 2 takes
			// 15+99+201+50 = 365 → 70; NSF 25 → 45; inst 3 interest 45.
			name: "oldest first", rules: OldestFirst(), amount: "800.00",
			want: map[string]string{"1:penalty": "15.00", "1:interest": "100.00", "1:principal": "200.00",
				"1:escrow": "50.00", "2:penalty": "15.00", "2:interest": "99.00", "2:principal": "201.00",
				"2:escrow": "50.00", "0:fee": "25.00", "3:interest": "45.00"},
		},
		{
			// Mifos standard pays ahead: past due 365+365+25+350 = 1105, due
			// inst 4 350 → 2000−1455 = 545; inst 5 I 96, P 204, E 50 → 195;
			// inst 6 I 95, P 100.
			name: "fineract mifos standard pays ahead", rules: FineractMifosStandard(), amount: "2000.00",
			want: map[string]string{"1:penalty": "15.00", "1:interest": "100.00", "1:principal": "200.00",
				"1:escrow": "50.00", "2:penalty": "15.00", "2:interest": "99.00", "2:principal": "201.00",
				"2:escrow": "50.00", "0:fee": "25.00", "3:interest": "98.00", "3:principal": "202.00",
				"3:escrow": "50.00", "4:interest": "97.00", "4:principal": "203.00", "4:escrow": "50.00",
				"5:interest": "96.00", "5:principal": "204.00", "5:escrow": "50.00",
				"6:interest": "95.00", "6:principal": "100.00"},
		},
		{
			// Same money, in advance principal first: inst 5 P 204, I 96, E 50
			// → 195; inst 6 P 195.
			name: "fineract due pfip in advance ppfi", rules: FineractDuePFIPInAdvancePPFI(), amount: "2000.00",
			want: map[string]string{"1:penalty": "15.00", "1:interest": "100.00", "1:principal": "200.00",
				"1:escrow": "50.00", "2:penalty": "15.00", "2:interest": "99.00", "2:principal": "201.00",
				"2:escrow": "50.00", "0:fee": "25.00", "3:interest": "98.00", "3:principal": "202.00",
				"3:escrow": "50.00", "4:interest": "97.00", "4:principal": "203.00", "4:escrow": "50.00",
				"5:interest": "96.00", "5:principal": "204.00", "5:escrow": "50.00", "6:principal": "195.00"},
		},
		{
			// Fineract advanced, horizontal: penalty→fee→principal→interest:
			// inst 1 15+200+100+50 = 365 → 435; inst 2 365 → 70; NSF 25 → 45;
			// inst 3 principal 45.
			name: "fineract advanced horizontal", rules: FineractAdvanced(Horizontal, NextInstallment), amount: "800.00",
			want: map[string]string{"1:penalty": "15.00", "1:principal": "200.00", "1:interest": "100.00",
				"1:escrow": "50.00", "2:penalty": "15.00", "2:principal": "201.00", "2:interest": "99.00",
				"2:escrow": "50.00", "0:fee": "25.00", "3:principal": "45.00"},
		},
		{
			// Vertical: penalties 30, fee 25 → 745; past-due principal 200, 201,
			// 202 → 142; past-due interest 100 → 42 to inst 2.
			name: "fineract advanced vertical", rules: FineractAdvanced(Vertical, NextInstallment), amount: "800.00",
			want: map[string]string{"1:penalty": "15.00", "2:penalty": "15.00", "0:fee": "25.00",
				"1:principal": "200.00", "2:principal": "201.00", "3:principal": "202.00",
				"1:interest": "100.00", "2:interest": "42.00"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{On: scenarioOn, Amount: usd(t, tc.amount), Type: Repayment, Receivables: scenario(t)}
			a, err := Allocate(tc.rules, in)
			require.NoError(t, err)
			conserved(t, in, a)
			require.Equal(t, tc.want, applied(a))
			moneytest.Equal(t, orZero(tc.suspense), a.Suspense)
			moneytest.Equal(t, orZero(tc.credit), a.Credit)
		})
	}
}

func orZero(s string) string {
	if s == "" {
		return "0.00"
	}
	return s
}

// TestInstallmentFeeOrder tells the two Fineract due orders apart: one past
// due installment owing penalty 15, fee 10, interest 100, principal 200,
// escrow 50, paid 320.
func TestInstallmentFeeOrder(t *testing.T) {
	rs := join(inst(t, 1, d(2024, time.January, 1), "100.00", "200.00", "50.00"), []Receivable{
		{Installment: 1, Component: Penalty, DueDate: d(2024, time.January, 16), Open: usd(t, "15.00")},
		{Installment: 1, Component: Fee, DueDate: d(2024, time.January, 1), Open: usd(t, "10.00")},
	})
	tests := []struct {
		name  string
		rules Rules
		want  map[string]string
	}{
		// 15 + 10 + 100 = 125, principal 195 of 200.
		{"pfip", FineractDuePFIPInAdvancePPFI(), map[string]string{"1:penalty": "15.00", "1:fee": "10.00", "1:interest": "100.00", "1:principal": "195.00"}},
		// 15 + 100 + 200 = 315, fee 5 of 10.
		{"pipf", FineractDuePIPFInAdvancePIPF(), map[string]string{"1:penalty": "15.00", "1:interest": "100.00", "1:principal": "200.00", "1:fee": "5.00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{On: d(2024, time.February, 5), Amount: usd(t, "320.00"), Type: Repayment, Receivables: rs}
			a, err := Allocate(tc.rules, in)
			require.NoError(t, err)
			conserved(t, in, a)
			require.Equal(t, tc.want, applied(a))
		})
	}
}

func allPresets() map[string]Rules {
	adv := FineractAdvanced(Vertical, Reamortize)
	adv.ByType = map[TransactionType]Order{GoodwillCredit: FineractAdvanced(Horizontal, LastInstallment).Default}
	adv.ShortfallToleranceMinor = 5000
	return map[string]Rules{
		"gse": GSEMortgage(), "consumer": Consumer(), "oldest": OldestFirst(),
		"mifos": FineractMifosStandard(), "pfip": FineractDuePFIPInAdvancePPFI(),
		"pipf": FineractDuePIPFInAdvancePIPF(), "advanced": adv,
	}
}

func TestPresetsValidAndJSONRoundTrip(t *testing.T) {
	for name, r := range allPresets() {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, r.Validate())
			b, err := json.Marshal(r)
			require.NoError(t, err)
			var back Rules
			require.NoError(t, json.Unmarshal(b, &back))
			require.Equal(t, r, back)
			b2, err := json.Marshal(back)
			require.NoError(t, err)
			require.Equal(t, string(b), string(b2))
		})
	}
	b, err := json.Marshal(OldestFirst())
	require.NoError(t, err)
	require.JSONEq(t, `{"default":{"name":"oldest_first","processing":"horizontal","buckets":[
		"past_due_penalty","past_due_fee","past_due_interest","past_due_principal","past_due_escrow",
		"due_penalty","due_fee","due_interest","due_principal","due_escrow",
		"in_advance_penalty","in_advance_fee","in_advance_interest","in_advance_principal","in_advance_escrow"],
		"future":"next_installment"},"partial":"apply","shortfall_tolerance_minor":0,"extra":"curtail"}`, string(b))
}

func TestRulesValidation(t *testing.T) {
	r := OldestFirst()
	r.Default.Processing = ""
	r.Default.Future = "sideways"
	r.Default.Buckets = r.Default.Buckets[:14]
	r.ByType = map[TransactionType]Order{"": OldestFirst().Default}
	r.Extra = ""
	r.ShortfallToleranceMinor = -1
	err := r.Validate()
	require.ErrorIs(t, err, ErrInvalidRules)
	require.Equal(t, []string{"Rules.Default.Processing", "Rules.Default.Future", "Rules.Default.Buckets",
		"Rules.ByType[]", "Rules.Extra", "Rules.ShortfallToleranceMinor"}, fieldsOf(err))
}

func TestBucketParts(t *testing.T) {
	b := NewBucket(InAdvance, Principal)
	require.Equal(t, Bucket("in_advance_principal"), b)
	require.Equal(t, InAdvance, b.Timing())
	require.Equal(t, Principal, b.Component())
	require.False(t, Bucket("due_tip").Valid())
	require.Equal(t, Timing(""), Bucket("soon_fee").Timing())
	require.Equal(t, Component(""), Bucket("due_tip").Component())
}
