package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

// maxColumns is how wide the demo's terminal output may be.
const maxColumns = 100

// The tables the demo prints, each by its header: every column named. The
// last two (a cycle's transactions, a payment's trace) are left out when
// there is nothing to list.
var tableHeaders = [][]string{
	{"product", "loans", "not funded", "open", "paid off", "charged off", "funded USD", "UPB USD"},
	{"product", "principal paid", "interest paid", "fees paid", "charged off USD", "recovered USD"},
	{"bucket (loans)", "mortgage 30y", "auto 5y", "personal 12m", "total"},
	{"bucket (UPB USD)", "mortgage 30y", "auto 5y", "personal 12m", "total"},
	{"date", "event", "kind", "amount USD", "note"},
	{"installment", "component", "amount USD", "rule", "order"},
}

// cells splits a table line at runs of two or more spaces (headers and
// cells hold single spaces only).
var cellGap = regexp.MustCompile(`\s{2,}`)

func cells(line string) []string { return cellGap.Split(strings.TrimSpace(line), -1) }

// checkTables asserts that no line of out is wider than maxColumns, that
// the header of each of the first required tables is there, and that each
// row under a header found has a cell for every column (up to the blank
// line ending the table).
func checkTables(t *testing.T, out string, headers [][]string, required int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		require.LessOrEqual(t, utf8.RuneCountInString(l), maxColumns, "line %d is too wide: %q", i+1, l)
	}
	for k, h := range headers {
		at := -1
		for i, l := range lines {
			if strings.Join(cells(l), "|") == strings.Join(h, "|") {
				at = i
				break
			}
		}
		if at < 0 && k >= required {
			continue
		}
		require.GreaterOrEqual(t, at, 0, "no table headed %q in:\n%s", h, out)
		rows := 0
		for _, l := range lines[at+1:] {
			if strings.TrimSpace(l) == "" {
				break
			}
			require.Len(t, cells(l), len(h), "row %q under %q", l, h)
			rows++
		}
		require.Positive(t, rows, "table %q has no rows", h)
	}
}

// The demo's terminal report stays within 100 columns with every column
// labelled, on a small run and on the widest figures a default run of
// 1,000 loans can reach (every loan the largest mortgage, fully paid).
func TestTerminalTables(t *testing.T) {
	c := smallRun(t)
	checkTables(t, small.out, tableHeaders, 4)
	require.Contains(t, small.out, "ALLOCATION TRACE")
	for _, l := range strings.Split(small.progress, "\n") {
		if !strings.Contains(l, c.path) && !strings.Contains(l, c.report) { // a path is as long as it is
			require.LessOrEqual(t, utf8.RuneCountInString(l), maxColumns, "progress line %q", l)
		}
	}

	loans, err := newPortfolio(1000, 1)
	require.NoError(t, err)
	s := &sim{cfg: c, loans: loans}
	big := money.MustNew(449_000_00, money.USD)
	states := make([]loan.State, len(loans))
	for i, l := range loans {
		l.terms.Principal = big
		st := loan.Initial(l.terms)
		st.Status, st.AsOf = loan.StatusCurrent, l.terms.FundingDate
		st.Principal, st.PaidPrincipal, st.PaidInterest, st.PaidFees = big, big, big, big
		st.ChargedOff, st.Recovered = big, big
		states[i] = st
	}
	var wide bytes.Buffer
	s.summary(&wide, states)
	wide.WriteString("\n")
	s.aging(&wide, states)
	checkTables(t, wide.String(), tableHeaders[:4], 4)
	require.Contains(t, wide.String(), "449,000,000.00")
}
