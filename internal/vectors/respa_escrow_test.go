package vectors

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRESPAEscrowDetectsChanges checks the checker itself: changing one
// printed balance or the monthly payment of Appendix E must fail the case.
func TestRESPAEscrowDetectsChanges(t *testing.T) {
	data, err := os.ReadFile("../../testdata/vectors/respa_escrow.json")
	require.NoError(t, err)
	for _, edit := range []struct{ from, to string }{
		{`"balance": "-780"`, `"balance": "-781"`},
		{`"monthly_escrow_payment": "130"`, `"monthly_escrow_payment": "131"`},
		{`"balance": "1040"`, `"balance": "1040.01"`},
		{`"month": "Dec"`, `"month": "Nov"`},
	} {
		bad := strings.Replace(string(data), edit.from, edit.to, 1)
		require.NotEqual(t, string(data), bad, edit.from)
		rep, err := CheckBytes("respa_escrow.json", []byte(bad))
		require.NoError(t, err)
		require.Len(t, rep.Failures(), 1, edit.from)
		require.Equal(t, "respa-appE-I-aggregate", rep.Failures()[0].ID)
	}
}

// TestRESPAEscrowItems runs the item layout of the README (expected.items)
// with the single-item figures worked by hand in escrow's TestSingleItem
// (school taxes: 30 a month, step 1 lowest −270 in September).
func TestRESPAEscrowItems(t *testing.T) {
	rows := func(bal ...string) string {
		months := []string{"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"}
		var b []string
		for i, m := range months {
			pay, dis := "30", "0"
			if i == 0 {
				pay = "0"
			}
			if m == "Sep" {
				dis = "360"
			}
			b = append(b, `{"month":"`+m+`","payment":"`+pay+`","disbursement":"`+dis+`","balance":"`+bal[i]+`"}`)
		}
		return "[" + strings.Join(b, ",") + "]"
	}
	doc := `{"cases":[{"id":"single","method":"single-item analysis","assumptions":{
	  "disbursements":[{"item":"school taxes","amount":"360","date":"September 20"},
	                   {"item":"county taxes","amount":"500","date":"July 25"},
	                   {"item":"county taxes","amount":"700","date":"December 10"}],
	  "cushion":"one-sixth","first_payment":"July 1"},
	  "expected":{"items":{"school taxes":{"monthly_payment":"30",
	    "step1_initial_trial_balance":` + rows("0", "30", "60", "-270", "-240", "-210", "-180", "-150", "-120", "-90", "-60", "-30", "0") + `,
	    "step2_adjusted_trial_balance":` + rows("270", "300", "330", "0", "30", "60", "90", "120", "150", "180", "210", "240", "270") + `,
	    "step3_trial_balance_with_cushion":` + rows("330", "360", "390", "60", "90", "120", "150", "180", "210", "240", "270", "300", "330") + `}}}}],
	  "rules":[{"id":"other","fact":"x"}]}`
	rep, err := CheckBytes("respa_escrow.json", []byte(doc))
	require.NoError(t, err)
	p, f, s := rep.Counts()
	require.Equal(t, []int{1, 0, 1}, []int{p, f, s}, "%+v", rep.Outcomes)
}
