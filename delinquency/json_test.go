package delinquency

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

// TestJSONRoundTrip: loans and policies are stored by hosts as JSON and must
// read back to values that give the same answers.
func TestJSONRoundTrip(t *testing.T) {
	p := StandardPolicy(ClosedEnd)
	p.ToleranceAmount = usd(t, "5.00")
	p.Buckets = DefaultBuckets()
	p.LateFee = &LateFeePolicy{GraceDays: 15, Method: FeePercentPI, PercentBasisPoints: 500, Rounding: money.HalfUp, Maximum: usd(t, "40.00")}
	ins := monthly(t, 2024, time.January, 3, "800.00", "200.00", "50.00")
	ins[0].Fees = usd(t, "10.00")
	ins[0].LateFee = LateFeeWaived
	pay(t, ins, 1, "2024-02-03", "1050.00")
	l := loanOf(ins)
	co := d("2024-09-01")
	l.ChargedOffOn = &co
	l.Pauses = []Pause{{Kind: Deferment, From: d("2024-05-01"), To: d("2024-06-01")}}

	b, err := json.Marshal(p)
	require.NoError(t, err)
	require.Contains(t, string(b), `"tolerance_amount":"USD 5.00"`)
	require.Contains(t, string(b), `"late_fee":{"grace_days":15,"method":"percent_pi"`)
	var p2 Policy
	require.NoError(t, json.Unmarshal(b, &p2))
	b2, err := json.Marshal(p2)
	require.NoError(t, err)
	require.JSONEq(t, string(b), string(b2))

	b, err = json.Marshal(l)
	require.NoError(t, err)
	var l2 Loan
	require.NoError(t, json.Unmarshal(b, &l2))
	b2, err = json.Marshal(l2)
	require.NoError(t, err)
	require.JSONEq(t, string(b), string(b2))

	e1, e2 := mustNew(t, l, p), mustNew(t, l2, p2)
	for x := d("2023-12-25"); x < d("2024-10-01"); x++ {
		require.Equal(t, e1.Assess(x), e2.Assess(x))
	}

	// A zero policy (no amounts set) round-trips too; a bare number does not
	// read into an amount without currency.
	b, err = json.Marshal(Policy{})
	require.NoError(t, err)
	var p3 Policy
	require.NoError(t, json.Unmarshal(b, &p3))
	require.Error(t, json.Unmarshal([]byte(`{"tolerance_amount":"5.00"}`), &p3))
	var in Installment
	require.Error(t, json.Unmarshal([]byte(`{"principal":"5.00"}`), &in))
	var c Credit
	require.Error(t, json.Unmarshal([]byte(`{"interest":"5.00"}`), &c))
	var lf LateFeePolicy
	require.Error(t, json.Unmarshal([]byte(`{"maximum":"5.00"}`), &lf))
}
