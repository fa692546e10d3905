package servicing_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestValueTypesPrint formats the value types hosts print (in log lines,
// CLI tables, error details) with %s and %v: each reads as what it means,
// and none shows fmt's "%!s(int=1)" for a field without a String method.
// internal/archtest finds the types that need one.
func TestValueTypesPrint(t *testing.T) {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	mar1, apr1 := date.New(2025, 3, 1), date.New(2025, 4, 1)
	for _, c := range []struct {
		v    any
		want string
	}{
		{delinquency.DefaultBuckets()[1], "1-29"},
		{delinquency.AgingBucket{MinDays: 30}, "30+ days"},
		{delinquency.AgingBucketSpan{Bucket: delinquency.DefaultBuckets()[2], Entered: mar1, Left: apr1, Ongoing: true},
			"30-59 [2025-03-01, 2025-04-01) ongoing"},
		{delinquency.Payment{ReceivedOn: mar1, Amount: usd("1896.20")}, "1896.20 received 2025-03-01"},
		{report.AgingRow{Name: "30-59", Count: 12, UPB: usd("2345678.90")}, "30-59: 12 loans, UPB 2345678.90"},
		{amortize.Step{From: 13, Amount: usd("1500.00")}, "1500.00 from installment 13"},
		{amortize.RateStep{FromInstallment: 61, AnnualRate: rate.MustPercent("7.25")}, "7.2500% from installment 61"},
		{loan.PaymentStep{From: 13, Payment: usd("1500.00")}, "1500.00 from installment 13"},
		{loan.DelinquencyChange{Date: apr1, Since: mar1, Delinquent: true}, "delinquent 2025-04-01 (since 2025-03-01)"},
		{money.HalfUp, "half_away_from_zero"},
	} {
		for _, verb := range []string{"%s", "%v"} {
			got := fmt.Sprintf(verb, c.v)
			require.Equal(t, c.want, got, "%T with %s", c.v, verb)
			require.False(t, strings.Contains(got, "%!"), got)
		}
	}
}
