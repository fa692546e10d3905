package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"fmt"
	"github.com/lendcore/servicing/report"
	"html/template"
	"io"
	"os"
	"strings"
	"time"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

//go:embed report.html.tmpl
var pageTemplate string

var reportPage = template.Must(template.New("report").Parse(pageTemplate))

// fontFace is the CSS rule that embeds the charts' font (Liberation Sans,
// SIL Open Font License) as a data URL: the report needs no font from the
// network or the system to look as it was drawn.
var fontFace = template.CSS(`@font-face { font-family: "Liberation Sans"; font-style: normal; font-weight: 400; src: url(data:font/ttf;base64,` +
	base64.StdEncoding.EncodeToString(liberationsansregular.TTF) + `) format("truetype"); }`)

// pageData is what the template shows.
type pageData struct {
	Title, Subtitle, Footer string
	FontFace                template.CSS
	Cards                   []card
	Figures                 []figure
}

type card struct{ Value, Label string }

// figure is one chart: its anchor, title, the SVG, the paragraphs under
// it and, optionally, its numbers as a table.
type figure struct {
	ID, Title string
	SVG       template.HTML
	Caption   []string
	Table     *dataTable
}

type dataTable struct {
	Summary string
	Header  []string
	Rows    [][]string
}

// writeReport writes the HTML report of the month-end series and the
// showcase loan's history (read from the store) to cfg.report.
func (s *sim) writeReport(ctx context.Context, asOf date.Date, series []report.Snapshot, showcase *plannedLoan) error {
	t0 := time.Now()
	r, err := buildReport(series)
	if err != nil {
		return err
	}
	r.Planned, r.Seed = len(s.loans), s.cfg.seed
	if showcase != nil {
		if r.Showcase, err = s.amortizationOf(ctx, showcase, asOf); err != nil {
			return fmt.Errorf("amortization of %s: %w", showcase.id, err)
		}
	}
	var b bytes.Buffer
	if err := r.writeHTML(&b); err != nil {
		return err
	}
	if err := os.WriteFile(s.cfg.report, b.Bytes(), 0o644); err != nil {
		return err
	}
	fprintf(s.cfg.progress, "demo: report %s (%d KB) written in %s\n", s.cfg.report, b.Len()/1024, time.Since(t0).Round(time.Millisecond))
	return nil
}

// writeHTML renders the report page.
func (r portfolioReport) writeHTML(w io.Writer) error {
	figs, err := r.figures()
	if err != nil {
		return err
	}
	upb := r.End.UPB
	d := pageData{
		Title: "Loan portfolio report",
		Subtitle: fmt.Sprintf("%d simulated loans (seed %d), month ends %s to %s, read back from the servicing store. Amounts in US dollars.",
			r.Planned, r.Seed, r.From, r.To),
		Footer: "Made by the servicing demo (examples/cmd/demo) with gonum.org/v1/plot. The page is self-contained: " +
			"charts are inline SVG, the font is embedded, and it loads nothing from the network. " +
			"Append #" + figs[0].ID + " (or another chart's id) to the address to show one chart alone.",
		FontFace: fontFace,
		Figures:  figs,
		Cards: []card{
			{thousands(r.Loans), "loans funded"},
			{"$" + wholeUSD(r.Funded), "principal funded"},
			{thousands(r.End.Loans), "open on " + r.To.String()},
			{"$" + wholeUSD(upb), "unpaid principal on " + r.To.String()},
			{thousands(r.PaidOff), "paid off"},
			{thousands(r.Charged), "charged off"},
		},
	}
	return reportPage.Execute(w, d)
}

// wholeUSD is an amount in whole dollars (cents dropped) with separators,
// for the headline figures only.
func wholeUSD(a money.Amount) string {
	return strings.TrimSuffix(usd(money.MustNew(a.Minor()/100*100, a.Currency())), ".00")
}

// pct writes a rate (a fraction) in percent with two places.
func pct(d decimal.Decimal) string { return d.Mul(decimal.NewFromInt(100)).StringFixed(2) + "%" }

// figures renders the charts in the order the page shows them. The roll
// rates and CPR/CDR need two month ends, the amortization a loan with an
// installment due; without, they are left out.
func (r portfolioReport) figures() ([]figure, error) {
	makers := []func() (figure, error){r.delinquencyFigure}
	if len(r.Periods) > 0 {
		makers = append(makers, r.rollFigure, r.rateFigure)
	}
	makers = append(makers, r.vintageFigure)
	if a := r.Showcase; a != nil && len(a.Rows) > 0 {
		makers = append(makers, r.amortizationFigure)
	}
	figs := make([]figure, 0, len(makers))
	for _, mk := range makers {
		f, err := mk()
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}

func (r portfolioReport) delinquencyFigure() (figure, error) {
	header := []string{"month end", "open loans", "open UPB (USD)"}
	for _, b := range r.Aging[0].Aging.Buckets[1:] {
		header = append(header, b.Name+" loans", b.Name+" UPB (USD)")
	}
	var rows [][]string
	for _, p := range r.Aging {
		row := []string{p.On.String(), thousands(p.Aging.Loans), usd(p.Aging.UPB)}
		for _, b := range p.Aging.Buckets[1:] {
			row = append(row, thousands(b.Count), usd(b.UPB))
		}
		rows = append(rows, row)
	}
	svg, err := delinquencyChart(r.Aging)
	return figure{ID: "delinquency", Title: "Delinquency by bucket over time", SVG: svg,
		Caption: []string{
			"Each bar is one month end: the open loans that are past due, stacked by how far (each loan in the bucket its own delinquency policy gives it). " +
				"Left, as a share of the number of open loans; right, as a share of their unpaid principal. The rest of the open loans are current.",
			"Mortgages carry most of the principal, so the right panel follows them; the left one counts every loan alike.",
		},
		Table: &dataTable{Summary: "The numbers, per month end", Header: header, Rows: rows}}, err
}

func (r portfolioReport) rollFigure() (figure, error) {
	header := []string{"from \\ to"}
	for _, to := range r.Roll.To {
		header = append(header, categoryName(to))
	}
	header = append(header, "loans observed")
	var rows [][]string
	for i, from := range r.Roll.From {
		row := []string{from}
		for _, n := range r.Roll.Counts[i] {
			row = append(row, thousands(n))
		}
		rows = append(rows, append(row, thousands(r.Roll.rowTotal(i))))
	}
	svg, err := rollChart(r.Roll)
	return figure{ID: "roll-rates", Title: "Roll-rate matrix", SVG: svg,
		Caption: []string{
			"Where loans went from one month end to the next, summed over every pair of consecutive month ends: a row is the bucket a loan was in, " +
				"a column where it was a month later, and each cell the share of the row's loans (rows add up to 100 %). " +
				"The number beside a row's name is how many loan-months it holds. Cells right of the diagonal are loans rolling deeper; left of it, curing.",
		},
		Table: &dataTable{Summary: "The counts of loans", Header: header, Rows: rows}}, err
}

func (r portfolioReport) rateFigure() (figure, error) {
	var rows [][]string
	for _, p := range r.Periods {
		rows = append(rows, []string{p.To.Format("2006-01"), thousands(p.Loans), usd(p.Beginning), usd(p.Scheduled), usd(p.Prepaid),
			usd(p.Defaulted), pct(p.SMM), pct(p.CPR), pct(p.MDR), pct(p.CDR)})
	}
	svg, err := rateChart(r.Periods)
	return figure{ID: "cpr-cdr", Title: "Prepayment and default rates (CPR, CDR)", SVG: svg,
		Caption: []string{
			"Each month's measured rates (report.Performance between consecutive month ends), annualized: " +
				"SMM is the principal paid beyond what was due over the balance that could prepay; CPR = 1 − (1 − SMM)^12. " +
				"MDR is the principal charged off over the month's opening balance; CDR = 1 − (1 − MDR)^12. " +
				"Loans funded during a month enter the next one.",
		},
		Table: &dataTable{Summary: "The monthly figures", Header: []string{"month", "loans", "opening UPB (USD)", "scheduled principal (USD)",
			"prepaid (USD)", "defaulted (USD)", "SMM", "CPR", "MDR", "CDR"}, Rows: rows}}, err
}

func (r portfolioReport) vintageFigure() (figure, error) {
	var rows [][]string
	for _, v := range r.Vintages {
		last := v.Points[len(v.Points)-1]
		rows = append(rows, []string{v.Month, thousands(v.Loans), usd(v.Original), fmt.Sprint(last.Age), usd(last.Outstanding),
			usd(last.Defaulted), pct(last.CumDefaultRate), pct(last.CumNetLossRate), pct(last.Delinquent60Rate)})
	}
	svg, err := vintageChart(r.Vintages)
	return figure{ID: "vintages", Title: "Vintage curves", SVG: svg,
		Caption: []string{
			"Static pools: the loans funded in one month, followed month end by month end by their months on book (report.Vintages). " +
				"Left, the principal charged off so far as a share of the pool's original principal; right, the principal of its loans 60 or more days past due. " +
				"Younger pools have shorter curves; a curve above the others is a pool going bad faster.",
		},
		Table: &dataTable{Summary: "Each vintage at its latest month end", Header: []string{"vintage", "loans", "original (USD)", "months on book",
			"outstanding (USD)", "defaulted (USD)", "cumulative default", "cumulative net loss", "60+ days delinquent"}, Rows: rows}}, err
}

func (r portfolioReport) amortizationFigure() (figure, error) {
	a := r.Showcase
	var rows [][]string
	for _, x := range a.Rows {
		rows = append(rows, []string{fmt.Sprint(x.N), x.Due.String(), usd(x.Interest), usd(x.Principal), usd(x.Extra), usd(x.Fees),
			usd(x.Balance), usd(x.ScheduledBalance)})
	}
	svg, err := amortizationChart(a)
	return figure{ID: "amortization", Title: fmt.Sprintf("Amortization of loan %s", a.ID), SVG: svg,
		Caption: []string{
			fmt.Sprintf("%s, %s borrower, %s USD at %s. Top: the loan's principal balance on each due date as the store tells it, beside the balance its amortization schedule expected (dashed). "+
				"Bottom: what the borrower's payments paid toward each installment, from the loan's transaction history (reversed payments left out): "+
				"interest and principal of the installment, principal beyond it and fees under the installment next due when the money came.",
				a.Product, a.Behaviour, usd(a.Principal), a.Rate),
		},
		Table: &dataTable{Summary: "The installments", Header: []string{"installment", "due", "interest (USD)", "principal (USD)",
			"beyond the installment (USD)", "fees (USD)", "balance (USD)", "scheduled balance (USD)"}, Rows: rows}}, err
}
