package report_test

import (
	"os"
	"strings"
	"testing"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// The June aging of the ten-loan portfolio (TestPortfolioReports) as CSV:
// shares 6/10 and 996,154.38 / 1,794,355.48 = 0.555160, 398,799.40 /
// 1,794,355.48 = 0.222252, 199,600.80 → 0.111238, 199,800.90 → 0.111350.
func TestAgingCSV(t *testing.T) {
	ag, err := report.AgingOf(values(portfolio(t, date.New(2024, 6, 15))))
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, ag.Table().WriteCSV(&b))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	require.Equal(t, "bucket,loans,upb,loans_share,upb_share", lines[0])
	require.Contains(t, lines, "current,6,996154.38,0.600000,0.555160")
	require.Contains(t, lines, "1-29,2,398799.40,0.200000,0.222252")
	require.Contains(t, lines, "30-59,1,199600.80,0.100000,0.111238")
	require.Contains(t, lines, "60-89,1,199800.90,0.100000,0.111350")
	require.Equal(t, "total,10,1794355.48,1.000000,1.000000", lines[len(lines)-1])
	for _, tb := range []report.Table{ag.Table(), report.PeriodsTable(nil), report.VintagesTable(nil)} {
		for _, r := range tb.Rows {
			require.Len(t, r, len(tb.Header), tb.Name)
		}
	}
}

// Every report is a Table of labelled columns, written as CSV: three
// current loans of 100,000.00 and one 1-29 days past due.
func ExampleTable_WriteCSV() {
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	a := report.Aging{Loans: 4, UPB: usd("400000.00"), Buckets: []report.AgingRow{
		{Name: "current", Count: 3, UPB: usd("300000.00")}, {Name: "1-29", Count: 1, UPB: usd("100000.00")}}}
	_ = a.Table().WriteCSV(os.Stdout)
	// Output:
	// bucket,loans,upb,loans_share,upb_share
	// current,3,300000.00,0.750000,0.750000
	// 1-29,1,100000.00,0.250000,0.250000
	// total,4,400000.00,1.000000,1.000000
}
