package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/shopspring/decimal"
)

// Table is a report as labelled columns of text, the form the CSV and
// terminal exports write: one header, then rows of the same width. Money
// is written in its currency's minor-unit scale, rates as decimals (0.25
// is 25 %), dates ISO 8601.
type Table struct {
	Name   string     `json:"name"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

// WriteCSV writes the table as RFC 4180 CSV, header first, to w (the only
// output the package makes, to a writer the caller gives).
func (t Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return fmt.Errorf("report %s: %w", t.Name, err)
	}
	return nil
}

// Table is the aging as rows of bucket, loans, unpaid principal and the
// bucket's shares of both, then a total row.
func (a Aging) Table() Table {
	t := Table{Name: "aging", Header: []string{"bucket", "loans", "upb", "loans_share", "upb_share"}}
	for _, b := range a.Buckets {
		t.Rows = append(t.Rows, []string{b.Name, itoa(b.Count), b.UPB.String(),
			fraction(int64(b.Count), int64(a.Loans)), fraction(b.UPB.Minor(), a.UPB.Minor())})
	}
	t.Rows = append(t.Rows, []string{"total", itoa(a.Loans), a.UPB.String(), fraction(int64(a.Loans), int64(a.Loans)), fraction(a.UPB.Minor(), a.UPB.Minor())})
	return t
}

// Table is the summary as one row.
func (s Summary) Table() Table {
	return Table{Name: "summary", Header: []string{"loans", "upb", "wac_percent", "wam_months", "wala_months"},
		Rows: [][]string{{itoa(s.Loans), s.UPB.String(), s.WAC.String(), s.WAM.String(), s.WALA.String()}}}
}

// Table is the matrix as one row per starting bucket: its loans, then the
// count that rolled to each bucket.
func (r Roll) Table() Table {
	t := Table{Name: "roll_rates", Header: append([]string{"from", "loans"}, prefixed("to_", r.Buckets)...)}
	for i, from := range r.Buckets {
		n := 0
		row := []string{from, ""}
		for _, c := range r.Counts[i] {
			n += c
			row = append(row, itoa(c))
		}
		row[1] = itoa(n)
		t.Rows = append(t.Rows, row)
	}
	return t
}

// PeriodsTable lists measured periods, one row each.
func PeriodsTable(ps []PeriodPerformance) Table {
	t := Table{Name: "performance", Header: []string{"from", "to", "loans", "beginning", "scheduled", "curtailments", "payoffs",
		"paid_off", "defaulted", "charged_off", "recovered", "net_loss", "smm", "cpr", "mdr", "cdr", "severity"}}
	for _, p := range ps {
		t.Rows = append(t.Rows, []string{p.From.String(), p.To.String(), itoa(p.Loans), p.Beginning.String(), p.Scheduled.String(),
			p.Curtailments.String(), p.Payoffs.String(), itoa(p.PaidOff), p.Defaulted.String(), itoa(p.ChargedOff),
			p.Recovered.String(), p.NetLoss.String(), p.SMM.String(), p.CPR.String(), p.MDR.String(), p.CDR.String(), p.Severity.String()})
	}
	return t
}

// VintagesTable lists every vintage's points, one row per vintage and
// date (the long form a chart or spreadsheet pivots).
func VintagesTable(vs []Vintage) Table {
	t := Table{Name: "vintages", Header: []string{"vintage", "loans", "original", "on", "age_months", "outstanding", "defaulted",
		"net_loss", "delinquent_60", "cum_default_rate", "cum_net_loss_rate", "delinquent_60_rate"}}
	for _, v := range vs {
		for _, p := range v.Points {
			t.Rows = append(t.Rows, []string{v.Month, itoa(v.Loans), v.Original.String(), p.On.String(), itoa(p.Age),
				p.Outstanding.String(), p.Defaulted.String(), p.NetLoss.String(), p.Delinquent60.String(),
				p.CumDefaultRate.String(), p.CumNetLossRate.String(), p.Delinquent60Rate.String()})
		}
	}
	return t
}

func itoa(n int) string { return strconv.Itoa(n) }

// fraction is n/d to 6 places (0 over an empty base).
func fraction(n, d int64) string {
	if d == 0 {
		return "0.000000"
	}
	return decimal.NewFromInt(n).DivRound(decimal.NewFromInt(d), 6).StringFixed(6)
}

func prefixed(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}
