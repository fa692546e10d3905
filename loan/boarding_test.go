package loan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/stretchr/testify/require"
)

// boardingJSON is a boarding payload in the current format with member
// values replaced by the given raw JSON.
func boardingJSON(over map[string]string) []byte {
	m := map[string]string{
		"principal": `"200000.00"`, "annual_rate": `"6%"`, "installments": `360`, "funding_date": `"2024-01-15"`,
		"first_due_date": `"2024-03-01"`, "index": `""`,
	}
	for k, v := range over {
		m[k] = v
	}
	return fmt.Appendf(nil, `{"terms":{"currency":"USD","principal":%s,"annual_rate":%s,"installments":%s,
	  "frequency":{"unit":"month","every":1},"eom":"anchor","funding_date":%s,"first_due_date":%s,
	  "shape":"level","interest_method":"periodic","odd_first_period":"prepaid","day_count":{"convention":"30U_360_EOM"},
	  "interest_rounding":"half_away_from_zero","payment_rounding":"half_away_from_zero","index":%s,
	  "accrual":"scheduled","escrow_payment":"0.00",
	  "delinquency":{"recognition":"full","method":"days_past_due",
	    "status":{"delinquent_days":1,"default_days":90,"non_accrual_days":90,"charge_off_days":120,"charge_off":"regular"}}},
	  "borrower":"B-1"}`, m["principal"], m["annual_rate"], m["installments"], m["funding_date"], m["first_due_date"], m["index"])
}

// TestIssue12_BadInputNamesField: every bad value of a boarding payload is
// refused with an error naming its field and what is allowed (the first
// release reported some as "out of range (0001-01-01)" or named an internal
// type), impossible dates are refused rather than moved, and a 70,000-byte
// index name (whose length the first release wrote in two bytes, making the
// loan unreadable) is refused at boarding.
func TestIssue12_BadInputNamesField(t *testing.T) {
	req, err := loan.ParseBoarding(boardingJSON(nil))
	require.NoError(t, err)
	_, err = req.Terms.Normalized()
	require.NoError(t, err)
	for _, tt := range []struct {
		member, value, path string
	}{
		{"principal", `"200000.005"`, "Terms.principal"},
		{"principal", `"1e30"`, "Terms.principal"},
		{"principal", `"-1.00"`, "Terms.Principal"},
		{"annual_rate", `"NaN"`, "Terms.annual_rate"},
		{"annual_rate", `"6.5"`, "Terms.annual_rate"},
		{"installments", `360.5`, "Terms.installments"},
		{"installments", `"360"`, "Terms.installments"},
		{"funding_date", `"2024-13-45"`, "Terms.funding_date"},
		{"funding_date", `"2024-02-30"`, "Terms.funding_date"},
		{"first_due_date", `"2023-02-29"`, "Terms.first_due_date"},
		{"index", `"` + strings.Repeat("x", 70000) + `"`, "Terms.Index"},
	} {
		_, err := loan.ParseBoarding(boardingJSON(map[string]string{tt.member: tt.value}))
		require.ErrorIs(t, err, loan.ErrInvalidInput, "%s = %.20s", tt.member, tt.value)
		require.Contains(t, field.Fields(err), tt.path, "%s = %.20s: %v", tt.member, tt.value, err)
	}
	// Unknown members at any depth, named.
	bad := strings.Replace(string(boardingJSON(nil)), `"recognition":"full"`, `"recognition":"full","tolerance":"5.00"`, 1)
	_, err = loan.ParseBoarding([]byte(bad))
	require.Contains(t, field.Fields(err), "Terms.delinquency.tolerance")
	bad = strings.Replace(string(boardingJSON(nil)), `"borrower":"B-1"`, `"borrower":"B-1","histroy":[]`, 1)
	_, err = loan.ParseBoarding([]byte(bad))
	require.Contains(t, field.Fields(err), "histroy")
}

// TestLegacyBoardingFormat: a payload in the first release's terms format
// (interest_method scheduled, late_fee with percent) still boards, with its
// meaning: the day-count fraction of each period (interest method daily),
// the odd days prepaid, payments rounded half away from zero, and the late
// fee as the delinquency policy it stood for (5 % of the periodic payment
// after 15 days).
func TestLegacyBoardingFormat(t *testing.T) {
	req, err := loan.ParseBoarding([]byte(`{"terms":{"currency":"USD","principal":"200000.00","annual_rate":"6%",
	  "installments":360,"frequency":{"unit":"month","every":1},"eom":"anchor","funding_date":"2024-01-15",
	  "first_due_date":"2024-03-01","day_count":{"convention":"30U_360_EOM"},"interest_method":"scheduled",
	  "interest_rounding":"half_away_from_zero","payment":"1199.10","escrow_payment":"0.00",
	  "allocation":{"extra":"principal"},"late_fee":{"grace_days":15,"percent":"5%","flat":"0","max":"0",
	  "rounding":"half_away_from_zero"}},"borrower":"B"}`))
	require.NoError(t, err)
	tm := req.Terms
	require.Equal(t, loan.AccrualScheduled, tm.Accrual)
	require.Equal(t, "daily", string(tm.InterestMethod))
	require.Equal(t, "prepaid", string(tm.OddFirstPeriod))
	require.Equal(t, "half_away_from_zero", string(tm.PaymentRounding))
	require.NotNil(t, tm.Delinquency.LateFee)
	require.Equal(t, int64(500), tm.Delinquency.LateFee.PercentBasisPoints)
	require.Equal(t, 15, tm.Delinquency.LateFee.GraceDays)
	require.Nil(t, tm.Allocation, "extra principal is the preset")
}

// TestTermsLateFeeAmountsTakeTermsCurrency: in the current format the late
// fee's amounts are written bare like every other amount of the terms and
// take the "currency" member's; "late_fee": null means no late fee.
func TestTermsLateFeeAmountsTakeTermsCurrency(t *testing.T) {
	in := strings.Replace(string(boardingJSON(nil)), `"method":"days_past_due",`,
		`"method":"days_past_due","late_fee":{"grace_days":15,"method":"flat","flat_amount":"25.00","maximum":"40.00"},`, 1)
	b, err := loan.ParseBoarding([]byte(in))
	require.NoError(t, err)
	lf := b.Terms.Delinquency.LateFee
	require.NotNil(t, lf)
	require.Equal(t, "USD 25.00", lf.FlatAmount.Format())
	require.Equal(t, "USD 40.00", lf.Maximum.Format())
	require.True(t, lf.Minimum.IsZero())

	in = strings.Replace(string(boardingJSON(nil)), `"method":"days_past_due",`, `"method":"days_past_due","late_fee":null,`, 1)
	b, err = loan.ParseBoarding([]byte(in))
	require.NoError(t, err)
	require.Nil(t, b.Terms.Delinquency.LateFee)
}
