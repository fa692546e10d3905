package main

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"strings"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The charts' drawing: numbers become float64 only here, to place marks on
// a canvas; every figure printed beside a chart is formatted from the exact
// amounts.

// chartFont is the face every chart's text is set in: Liberation Sans,
// which the report embeds, so text is measured and shown with one font.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Chart sizes: the width every chart is drawn at, and the height of a
// single-row chart.
const (
	chartWidth  = 9 * vg.Inch
	chartHeight = 4 * vg.Inch
	legendRowH  = 20 // points: the legend row above a chart's plots
)

// Colours. Delinquency buckets run from amber to dark plum as loans age;
// the rest are distinct hues for lines.
var (
	bucketColors = []color.Color{rgb(0xf2c14e), rgb(0xf08a24), rgb(0xd9534f), rgb(0xa8323e), rgb(0x73205f), rgb(0x3a1040)}
	seriesColors = []color.Color{rgb(0x1f5fa8), rgb(0xd9731a), rgb(0x2a9d5b), rgb(0xc0392b), rgb(0x7b4fa0), rgb(0x8c564b), rgb(0xcf5c9b), rgb(0x5f6b7a)}
	inkColor     = rgb(0x222222)
	gridColor    = rgb(0xe3e6ea)
	missingColor = rgb(0xf1f1f1)
)

func rgb(v uint32) color.Color {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// newPlot is a plot with the chart font and sizes and the axis labels
// given; grid adds light horizontal grid lines.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(chartFont, 12)
	p.Title.Padding = 6
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(chartFont, 10)
		ax.Tick.Label.Font = font.From(chartFont, 9)
		ax.Tick.Label.Color = inkColor
		ax.Label.TextStyle.Color = inkColor
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.Legend.TextStyle.Font = font.From(chartFont, 9)
	return p
}

func grid(p *plot.Plot) *plot.Plot {
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color = gridColor
	p.Add(g)
	return p
}

// legendItem is one entry of a chart's legend row: a filled square (bars,
// cells) or a short line (series).
type legendItem struct {
	name  string
	color color.Color
	line  bool
	dash  []vg.Length
}

// drawLegendRow draws the items in centred rows (as many as their width
// needs) along the top of c and returns the canvas below them.
func drawLegendRow(c draw.Canvas, items []legendItem) draw.Canvas {
	if len(items) == 0 {
		return c
	}
	sty := text.Style{Color: inkColor, Font: font.From(chartFont, 9), Handler: plot.DefaultTextHandler, YAlign: draw.YCenter}
	const mark, gap, between = vg.Length(14), vg.Length(4), vg.Length(14)
	width := func(it legendItem) vg.Length { return mark + gap + sty.Width(it.name) }
	avail := c.Max.X - c.Min.X - 20
	var rows [][]legendItem
	var rowW vg.Length
	for _, it := range items {
		if n := len(rows); n == 0 || rowW+between+width(it) > avail {
			rows, rowW = append(rows, []legendItem{it}), width(it)
			continue
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], it)
		rowW += between + width(it)
	}
	for r, row := range rows {
		total := vg.Length(0)
		for i, it := range row {
			if i > 0 {
				total += between
			}
			total += width(it)
		}
		x := c.Min.X + (c.Max.X-c.Min.X-total)/2
		y := c.Max.Y - legendRowH/2 - vg.Length(r)*legendRowH
		for _, it := range row {
			if it.line {
				c.StrokeLine2(draw.LineStyle{Color: it.color, Width: 2, Dashes: it.dash}, x, y, x+mark, y)
			} else {
				c.FillPolygon(it.color, []vg.Point{{X: x + 2, Y: y - 5}, {X: x + 12, Y: y - 5}, {X: x + 12, Y: y + 5}, {X: x + 2, Y: y + 5}})
			}
			c.FillText(sty, vg.Point{X: x + mark + gap, Y: y}, it.name)
			x += width(it) + between
		}
	}
	return draw.Crop(c, 0, 0, 0, -legendRowH*vg.Length(len(rows)))
}

// render draws plots (rows of columns, aligned) under a legend row into an
// SVG element labelled for assistive technology with label.
func render(label string, w, h vg.Length, legend []legendItem, plots [][]*plot.Plot) (template.HTML, error) {
	c := vgsvg.New(w, h)
	dc := draw.New(c)
	dc = drawLegendRow(dc, legend)
	tiles := draw.Tiles{Rows: len(plots), Cols: len(plots[0]), PadX: 28, PadY: 14, PadTop: 2, PadBottom: 4, PadLeft: 4, PadRight: 10}
	canvases := plot.Align(plots, tiles, dc)
	for i, row := range plots {
		for j, p := range row {
			p.Draw(canvases[i][j])
		}
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	svg := b.String()
	i := strings.Index(svg, "<svg")
	if i < 0 {
		return "", fmt.Errorf("chart %q: no svg element in the output", label)
	}
	// Drop the XML prelude (the SVG sits inside HTML), name the chart, and
	// let CSS size it (the viewBox keeps its proportions).
	svg = strings.Replace(svg[i:], "<svg ", fmt.Sprintf(`<svg role="img" aria-label="%s" class="chart" `, template.HTMLEscapeString(label)), 1)
	return template.HTML(svg), nil
}

// percentTicks labels an axis in percent (the values are percentages).
type percentTicks struct{ places int }

func (t percentTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = trimZeros(fmt.Sprintf("%.*f", t.places, ts[i].Value)) + "%"
		}
	}
	return ts
}

// dollarTicks labels an axis in whole dollars with thousands separators.
type dollarTicks struct{}

func (dollarTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = "$" + usd(money.MustNew(int64(math.Round(ts[i].Value))*100, money.USD))
			ts[i].Label = strings.TrimSuffix(ts[i].Label, ".00")
		}
	}
	return ts
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// monthTicks labels positions 0..n-1 with their months: every k-th month
// (k of 1, 2, 3, 6 or 12, the least that gives at most most labels), the
// others minor ticks.
func monthTicks(months []date.Date, most int) plot.ConstantTicks {
	k := 1
	for _, step := range []int{1, 2, 3, 6, 12} {
		k = step
		if (len(months)+step-1)/step <= most {
			break
		}
	}
	var ts plot.ConstantTicks
	for i, d := range months {
		t := plot.Tick{Value: float64(i)}
		if _, m, _ := d.Date(); (int(m)-1)%k == 0 {
			t.Label = d.Format("Jan 2006")
		}
		ts = append(ts, t)
	}
	return ts
}

func amountFloat(a money.Amount) float64 { return float64(a.Minor()) / 100 }

func percentFloat(d decimal.Decimal) float64 { return d.Mul(decimal.NewFromInt(100)).InexactFloat64() }

// barWidth is the width of one of n bars across a plot about w wide.
func barWidth(n int, w vg.Length) vg.Length {
	return vg.Length(math.Min(22, math.Max(2, float64(w)/float64(max(n, 1))*0.7)))
}

// delinquencyChart stacks the delinquent buckets' shares of the open loans
// each month end: by count on the left, by unpaid principal on the right.
func delinquencyChart(points []agingPoint) (template.HTML, error) {
	if len(points) == 0 {
		return "", fmt.Errorf("delinquency chart: no month ends")
	}
	buckets := points[0].Aging.Buckets
	if len(buckets) < 2 {
		return "", fmt.Errorf("delinquency chart: no delinquent buckets")
	}
	names := make([]string, 0, len(buckets)-1)
	for _, b := range buckets[1:] { // the first bucket is current (0 days)
		names = append(names, b.Name)
	}
	months := make([]date.Date, len(points))
	for i, p := range points {
		months[i] = p.On
	}
	share := func(byUPB bool, bucket string) plotter.Values {
		v := make(plotter.Values, len(points))
		for i, p := range points {
			for _, b := range p.Aging.Buckets {
				if b.Name != bucket {
					continue
				}
				switch {
				case byUPB && p.Aging.UPB.IsPositive():
					v[i] = 100 * float64(b.UPB.Minor()) / float64(p.Aging.UPB.Minor())
				case !byUPB && p.Aging.Loans > 0:
					v[i] = 100 * float64(b.Count) / float64(p.Aging.Loans)
				}
			}
		}
		return v
	}
	var legend []legendItem
	var row []*plot.Plot
	for _, byUPB := range []bool{false, true} {
		title, y := "By number of loans", "delinquent loans (% of open loans)"
		if byUPB {
			title, y = "By unpaid principal", "delinquent UPB (% of open UPB)"
		}
		p := grid(newPlot(title, "month end", y))
		p.X.Tick.Marker = monthTicks(months, 5)
		p.Y.Tick.Marker = percentTicks{places: 1}
		p.X.Min, p.X.Max = -0.6, float64(len(points))-0.4
		p.Y.Min = 0
		var below *plotter.BarChart
		for k, name := range names {
			bars, err := plotter.NewBarChart(share(byUPB, name), barWidth(len(points), chartWidth/2-60))
			if err != nil {
				return "", err
			}
			bars.Color = bucketColors[min(k, len(bucketColors)-1)]
			bars.LineStyle.Width = 0
			if below != nil {
				bars.StackOn(below)
			}
			below = bars
			p.Add(bars)
			if !byUPB {
				legend = append(legend, legendItem{name: name + " days", color: bars.Color})
			}
		}
		_, _, _, ymax := below.DataRange()
		p.Y.Max = math.Max(1, ymax*1.08)
		row = append(row, p)
	}
	return render("Delinquency by bucket over time", chartWidth, chartHeight, legend, [][]*plot.Plot{row})
}

// rollGrid is the roll-rate matrix as a heat map's grid: columns the
// buckets a month later, rows the buckets before (the first at the top),
// each cell its row's percentage (NaN for a row with no loans).
type rollGrid struct{ m rollMatrix }

func (g rollGrid) Dims() (c, r int) { return len(g.m.To), len(g.m.From) }
func (g rollGrid) Z(c, r int) float64 {
	v, ok := g.m.share(len(g.m.From)-1-r, c)
	if !ok {
		return math.NaN()
	}
	return v
}
func (g rollGrid) X(c int) float64 { return float64(c) }
func (g rollGrid) Y(r int) float64 { return float64(r) }

// blues is a palette from white to deep blue in n steps.
type blues int

func (n blues) Colors() []color.Color {
	lo, hi := [3]float64{0xff, 0xff, 0xff}, [3]float64{0x17, 0x3f, 0x7a}
	out := make([]color.Color, n)
	for i := range out {
		t := math.Pow(float64(i)/float64(n-1), 0.6) // more contrast among small shares
		var c [3]uint8
		for k := range c {
			c[k] = uint8(math.Round(lo[k] + (hi[k]-lo[k])*t))
		}
		out[i] = color.RGBA{R: c[0], G: c[1], B: c[2], A: 0xff}
	}
	return out
}

// categoryName is a roll-rate category as the charts write it.
func categoryName(c string) string {
	switch c {
	case report.PaidOff:
		return "paid off"
	case report.ChargedOff:
		return "charged off"
	}
	return c
}

// rollChart draws the roll-rate matrix as a heat map with each cell's row
// percentage written in it.
func rollChart(m rollMatrix) (template.HTML, error) {
	if len(m.From) == 0 {
		return "", fmt.Errorf("roll-rate chart: no transitions (one month end only)")
	}
	p := newPlot("", "bucket at the next month end", "bucket at a month end (loans observed)")
	p.Add(&plotter.HeatMap{GridXYZ: rollGrid{m}, Palette: blues(101), Min: 0, Max: 100, NaN: missingColor, Underflow: color.White, Overflow: rgb(0x173f7a)})
	var light, dark plotter.XYLabels
	for i := range m.From {
		for j := range m.To {
			v, ok := m.share(i, j)
			label := "–"
			if ok {
				label = trimZeros(fmt.Sprintf("%.1f", v)) + "%"
				if m.Counts[i][j] == 0 {
					label = "0"
				}
			}
			xy := plotter.XY{X: float64(j), Y: float64(len(m.From) - 1 - i)}
			if ok && v > 45 {
				dark.XYs, dark.Labels = append(dark.XYs, xy), append(dark.Labels, label)
			} else {
				light.XYs, light.Labels = append(light.XYs, xy), append(light.Labels, label)
			}
		}
	}
	for _, set := range []struct {
		l   plotter.XYLabels
		ink color.Color
	}{{light, inkColor}, {dark, color.White}} {
		if len(set.l.XYs) == 0 {
			continue
		}
		labels, err := plotter.NewLabels(set.l)
		if err != nil {
			return "", err
		}
		for i := range labels.TextStyle {
			labels.TextStyle[i] = text.Style{Color: set.ink, Font: font.From(chartFont, 9), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
		}
		p.Add(labels)
	}
	var xt, yt plot.ConstantTicks
	for j, to := range m.To {
		xt = append(xt, plot.Tick{Value: float64(j), Label: categoryName(to)})
	}
	for i, from := range m.From {
		yt = append(yt, plot.Tick{Value: float64(len(m.From) - 1 - i), Label: fmt.Sprintf("%s (%s)", from, thousands(m.rowTotal(i)))})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = xt, yt
	p.X.Min, p.X.Max = -0.5, float64(len(m.To))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(m.From))-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Length, p.Y.Tick.Length = 0, 0
	pal := blues(101).Colors()
	legend := []legendItem{{name: "share of the row's loans: 5%", color: pal[5]}, {name: "25%", color: pal[25]},
		{name: "50%", color: pal[50]}, {name: "100%", color: pal[100]}, {name: "no loans in the row", color: missingColor}}
	return render("Roll-rate matrix", chartWidth, chartHeight+vg.Inch/2, legend, [][]*plot.Plot{{p}})
}

// thousands writes n with thousands separators.
func thousands(n int) string {
	s := usd(money.MustNew(int64(n)*100, money.USD))
	return strings.TrimSuffix(s, ".00")
}

// rateChart draws the annualized prepayment (CPR) and default (CDR) rates
// of each month.
func rateChart(periods []report.PeriodPerformance) (template.HTML, error) {
	if len(periods) == 0 {
		return "", fmt.Errorf("CPR/CDR chart: no periods (one month end only)")
	}
	months := make([]date.Date, len(periods))
	cpr, cdr := make(plotter.XYs, len(periods)), make(plotter.XYs, len(periods))
	for i, p := range periods {
		months[i] = p.To
		cpr[i] = plotter.XY{X: float64(i), Y: percentFloat(p.CPR)}
		cdr[i] = plotter.XY{X: float64(i), Y: percentFloat(p.CDR)}
	}
	p := grid(newPlot("", "month (ending on the date shown)", "annualized rate (% of balance per year)"))
	p.X.Tick.Marker = monthTicks(months, 10)
	p.Y.Tick.Marker = percentTicks{places: 1}
	p.X.Min, p.X.Max = -0.5, float64(len(periods))-0.5
	p.Y.Min = 0
	legend := []legendItem{}
	ymax := 1.0
	for k, s := range []struct {
		name string
		xys  plotter.XYs
	}{{"CPR: conditional prepayment rate", cpr}, {"CDR: conditional default rate", cdr}} {
		line, points, err := plotter.NewLinePoints(s.xys)
		if err != nil {
			return "", err
		}
		line.Color, line.Width = seriesColors[k*3], 2
		points.Color, points.Shape, points.Radius = seriesColors[k*3], draw.CircleGlyph{}, 2.5
		p.Add(line, points)
		legend = append(legend, legendItem{name: s.name, color: line.Color, line: true})
		for _, xy := range s.xys {
			ymax = math.Max(ymax, xy.Y)
		}
	}
	p.Y.Max = ymax * 1.08
	return render("CPR and CDR over time", chartWidth, chartHeight, legend, [][]*plot.Plot{{p}})
}

// vintageChart draws each vintage's cumulative default rate and its 60+
// days delinquent share by months on book.
func vintageChart(vs []report.Vintage) (template.HTML, error) {
	if len(vs) == 0 {
		return "", fmt.Errorf("vintage chart: no vintages")
	}
	var legend []legendItem
	var row []*plot.Plot
	for _, panel := range []struct {
		title, y string
		rate     func(report.VintagePoint) decimal.Decimal
	}{
		{"Cumulative defaults", "charged-off principal (% of original)", func(p report.VintagePoint) decimal.Decimal { return p.CumDefaultRate }},
		{"60+ days delinquent", "UPB 60+ days past due (% of original)", func(p report.VintagePoint) decimal.Decimal { return p.Delinquent60Rate }},
	} {
		p := grid(newPlot(panel.title, "months on book", panel.y))
		p.Y.Tick.Marker = percentTicks{places: 1}
		p.Y.Min, p.X.Min = 0, 0
		ymax, xmax := 0.5, 1.0
		for k, v := range vs {
			xys := make(plotter.XYs, len(v.Points))
			for i, pt := range v.Points {
				xys[i] = plotter.XY{X: float64(pt.Age), Y: percentFloat(panel.rate(pt))}
				ymax, xmax = math.Max(ymax, xys[i].Y), math.Max(xmax, xys[i].X)
			}
			line, points, err := plotter.NewLinePoints(xys)
			if err != nil {
				return "", err
			}
			c := seriesColors[k%len(seriesColors)]
			line.Color, line.Width = c, 1.6
			points.Color, points.Shape, points.Radius = c, draw.CircleGlyph{}, 1.8
			p.Add(line, points)
			if len(row) == 0 {
				legend = append(legend, legendItem{name: fmt.Sprintf("%s (%d loans)", v.Month, v.Loans), color: c, line: true})
			}
		}
		p.Y.Max, p.X.Max = ymax*1.08, xmax
		row = append(row, p)
	}
	return render("Vintage curves", chartWidth, chartHeight, legend, [][]*plot.Plot{row})
}

// amortizationChart draws one loan's installments as paid (stacked:
// interest, principal, principal beyond the installment, fees) under its
// balance on each due date beside the balance its schedule expected.
func amortizationChart(a *amortization) (template.HTML, error) {
	if a == nil || len(a.Rows) == 0 {
		return "", fmt.Errorf("amortization chart: no installment due yet")
	}
	n := len(a.Rows)
	xmin, xmax := 0.4, float64(n)+0.6
	top := grid(newPlot("", "", "principal balance (USD)"))
	top.Y.Tick.Marker = dollarTicks{}
	top.X.Min, top.X.Max = xmin, xmax
	top.X.Tick.Marker = plot.ConstantTicks{}
	actual, scheduled := plotter.XYs{{X: 0.5, Y: amountFloat(a.Principal)}}, plotter.XYs{{X: 0.5, Y: amountFloat(a.Principal)}}
	ymin, ymax := amountFloat(a.Principal), amountFloat(a.Principal)
	for _, r := range a.Rows {
		actual = append(actual, plotter.XY{X: float64(r.N), Y: amountFloat(r.Balance)})
		scheduled = append(scheduled, plotter.XY{X: float64(r.N), Y: amountFloat(r.ScheduledBalance)})
		ymin = math.Min(ymin, math.Min(amountFloat(r.Balance), amountFloat(r.ScheduledBalance)))
	}
	sl, err := plotter.NewLine(scheduled)
	if err != nil {
		return "", err
	}
	sl.Color, sl.Width, sl.Dashes = seriesColors[7], 1.5, []vg.Length{5, 3}
	al, ap, err := plotter.NewLinePoints(actual)
	if err != nil {
		return "", err
	}
	al.Color, al.Width = seriesColors[0], 2
	ap.Color, ap.Shape, ap.Radius = seriesColors[0], draw.CircleGlyph{}, 2
	top.Add(sl, al, ap)
	pad := math.Max(1, (ymax-ymin)*0.06)
	top.Y.Min, top.Y.Max = math.Max(0, ymin-pad), ymax+pad

	bottom := grid(newPlot("", "installment (due date shown)", "paid per installment (USD)"))
	bottom.Y.Tick.Marker = dollarTicks{}
	bottom.X.Min, bottom.X.Max = xmin, xmax
	k := max(1, (n+11)/12)
	var xt plot.ConstantTicks
	for _, r := range a.Rows {
		t := plot.Tick{Value: float64(r.N)}
		if (r.N-1)%k == 0 {
			t.Label = fmt.Sprintf("%d\n%s", r.N, r.Due.Format("Jan 2006"))
		}
		xt = append(xt, t)
	}
	bottom.X.Tick.Marker = xt
	parts := []struct {
		name  string
		color color.Color
		get   func(amortRow) money.Amount
	}{
		{"interest", seriesColors[1], func(r amortRow) money.Amount { return r.Interest }},
		{"principal", seriesColors[0], func(r amortRow) money.Amount { return r.Principal }},
		{"principal beyond the installment", seriesColors[2], func(r amortRow) money.Amount { return r.Extra }},
		{"fees", seriesColors[3], func(r amortRow) money.Amount { return r.Fees }},
	}
	legend := []legendItem{{name: "balance on the due date", color: al.Color, line: true}, {name: "scheduled balance", color: sl.Color, line: true, dash: sl.Dashes}}
	var below *plotter.BarChart
	for _, part := range parts {
		v := make(plotter.Values, n)
		any := false
		for i, r := range a.Rows {
			v[i] = amountFloat(part.get(r))
			any = any || v[i] != 0
		}
		if !any && part.name != "interest" && part.name != "principal" {
			continue
		}
		bars, err := plotter.NewBarChart(v, barWidth(n, chartWidth-90))
		if err != nil {
			return "", err
		}
		bars.XMin, bars.Color, bars.LineStyle.Width = 1, part.color, 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		bottom.Add(bars)
		legend = append(legend, legendItem{name: part.name, color: part.color})
	}
	bottom.Y.Min = 0
	label := fmt.Sprintf("Amortization of %s", a.ID)
	return render(label, chartWidth, chartHeight+vg.Inch*3/2, legend, [][]*plot.Plot{{top}, {bottom}})
}
