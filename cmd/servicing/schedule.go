package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

func init() {
	commands["schedule"] = command{
		summary: "print an amortization table (aligned text, CSV or JSON)",
		run:     runSchedule,
	}
}

func runSchedule(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schedule", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("terms", "", "read amortize.Terms from this JSON file (flags below are then ignored)")
	principal := fs.String("principal", "", "principal, e.g. 200000.00")
	currency := fs.String("currency", "USD", "ISO 4217 currency")
	pct := fs.String("rate", "", "annual nominal rate in percent, e.g. 6.5")
	n := fs.Int("n", 0, "number of installments")
	freq := fs.String("frequency", "monthly", "monthly, quarterly, semiannual, annual, semimonthly, weekly, biweekly")
	funding := fs.String("funding", "", "funding date YYYY-MM-DD")
	first := fs.String("first-due", "", "first due date YYYY-MM-DD (default: one period after funding)")
	shape := fs.String("shape", "level", "level, equal_principal, graduated, custom, add_on")
	method := fs.String("method", "periodic", "interest method: periodic or daily")
	dc := fs.String("day-count", "30U_360_EOM", "day-count convention (daily method, odd days)")
	odd := fs.String("odd", "", "odd first period: odd_days_interest or actual_period")
	rounding := fs.String("rounding", "half_away_from_zero", "interest rounding mode")
	payRounding := fs.String("payment-rounding", "half_away_from_zero", "payment rounding mode (ceiling = up to the cent)")
	payInc := fs.Int64("payment-increment", 0, "round payments to a multiple of this many minor units")
	io_ := fs.Int("interest-only", 0, "interest-only installments at the start")
	balloon := fs.Int("balloon-at", 0, "installment at which the balance falls due")
	earning := fs.String("add-on-earning", "rule_of_78s", "add-on earning: actuarial or rule_of_78s")
	format := fs.String("format", "table", "output: table, csv or json")
	fs.Usage = func() {
		fprintln(stderr, "Usage: servicing schedule [flags]   or   servicing schedule -terms terms.json")
		fprintln(stderr, "\nExample: servicing schedule -principal 200000 -rate 6.5 -n 360 -funding 2024-01-01")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var t amortize.Terms
	var err error
	if *file != "" {
		t, err = readTerms(*file)
	} else {
		t, err = flagTerms(*principal, *currency, *pct, *n, *freq, *funding, *first)
		t.Shape, t.InterestMethod, t.OddFirstPeriod = amortize.Shape(*shape), amortize.InterestMethod(*method), amortize.OddFirstPeriod(*odd)
		t.DayCount = accrual.DayCount{Convention: accrual.Convention(*dc)}
		t.InterestRounding, t.PaymentRounding, t.PaymentIncrement = flagRounding(*rounding), flagRounding(*payRounding), *payInc
		t.InterestOnly, t.BalloonAt, t.AddOnEarning = *io_, *balloon, amortize.RebateMethod(*earning)
	}
	if err != nil {
		fprintf(stderr, "servicing schedule: %v\n", err)
		return 2
	}
	tb, err := amortize.Compute(t)
	if err != nil {
		fprintf(stderr, "servicing schedule: %v\n", err)
		return 1
	}
	if err := writeTable(stdout, tb, *format); err != nil {
		fprintf(stderr, "servicing schedule: %v\n", err)
		return 2
	}
	return 0
}

// readTerms reads Terms as JSON; amounts may be "USD 200000.00" or plain
// numbers when "currency" is given at the top level.
func readTerms(path string) (amortize.Terms, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return amortize.Terms{}, err
	}
	// A top-level "currency" sets the currency of bare amounts; the rest
	// is an amortize.Terms, read strictly (unknown members and impossible
	// dates refused, each named by its path).
	var head struct {
		Currency string `json:"currency"`
	}
	_ = json.Unmarshal(data, &head)
	w := struct {
		Currency string `json:"currency"`
		amortize.Terms
	}{}
	if head.Currency != "" {
		cur, err := money.CurrencyOf(head.Currency)
		if err != nil {
			return amortize.Terms{}, fmt.Errorf("currency: %w", err)
		}
		w.Principal, w.Payment, w.DownPayment = money.Zero(cur), money.Zero(cur), money.Zero(cur)
	}
	if err := strictjson.Decode(data, &w); err != nil {
		return amortize.Terms{}, err
	}
	if w.DownPayment.IsZero() {
		w.DownPayment = money.Amount{}
	}
	return w.Terms, nil
}

func flagTerms(principal, currency, pct string, n int, freq, funding, first string) (amortize.Terms, error) {
	var t amortize.Terms
	cur, err := money.CurrencyOf(currency)
	if err != nil {
		return t, err
	}
	if t.Principal, err = money.Parse(principal, cur); err != nil {
		return t, fmt.Errorf("-principal: %w", err)
	}
	if t.AnnualRate, err = rate.Percent(pct); err != nil {
		return t, fmt.Errorf("-rate: %w", err)
	}
	t.Installments, t.EOM = n, schedule.EOMAnchor
	frequencies := map[string]schedule.Frequency{"monthly": schedule.Monthly(), "quarterly": schedule.Quarterly(),
		"semiannual": schedule.SemiAnnual(), "annual": schedule.Annual(), "semimonthly": schedule.SemiMonthly(1, 16),
		"weekly": schedule.Weekly(), "biweekly": schedule.Biweekly()}
	f, ok := frequencies[freq]
	if !ok {
		return t, fmt.Errorf("-frequency %q: not one of monthly, quarterly, semiannual, annual, semimonthly, weekly, biweekly", freq)
	}
	t.Frequency = f
	if t.FundingDate, err = strictjson.ParseDate(funding); err != nil {
		return t, fmt.Errorf("-funding: %w", err)
	}
	if first == "" {
		switch f.Unit {
		case schedule.UnitMonth:
			t.FirstDueDate = schedule.AddMonths(t.FundingDate, f.Every, t.FundingDate.Day(), schedule.EOMAnchor)
		case schedule.UnitWeek:
			t.FirstDueDate = t.FundingDate + date.Date(7*f.Every)
		default:
			return t, fmt.Errorf("-first-due is required for %s", freq)
		}
	} else if t.FirstDueDate, err = strictjson.ParseDate(first); err != nil {
		return t, fmt.Errorf("-first-due: %w", err)
	}
	return t, nil
}

func writeTable(w io.Writer, tb amortize.Table, format string) error {
	header := []string{"n", "due_date", "payment", "interest", "principal", "fees", "escrow", "balance"}
	cells := func(r amortize.Row) []string {
		n := strconv.Itoa(r.N)
		if r.N == 0 {
			n = "down" // the down payment, before the first period
		}
		return []string{n, r.DueDate.String(), r.Payment.String(), r.Interest.String(),
			r.Principal.String(), r.Fees.String(), r.Escrow.String(), r.Balance.String()}
	}
	// A down payment is printed first, due at funding; the totals are the
	// rows' (Table.Totals).
	rows := tb.Rows
	if tb.DownPayment.Payment.IsPositive() {
		rows = append([]amortize.Row{tb.DownPayment}, rows...)
	}
	tot := tb.Totals
	totals := []string{"total", "", tot.Payment.String(), tot.Interest.String(), tot.Principal.String(), tot.Fees.String(), tot.Escrow.String(), ""}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(tb)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(header)
		for _, r := range rows {
			_ = cw.Write(cells(r))
		}
		_ = cw.Write(totals)
		cw.Flush()
		return cw.Error()
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		line := func(c []string) {
			for _, s := range c {
				fprint(tw, s, "\t")
			}
			fprintln(tw)
		}
		line(header)
		for _, r := range rows {
			line(cells(r))
		}
		line(totals)
		return tw.Flush()
	}
	return fmt.Errorf("-format %q: not table, csv or json", format)
}

// flagRounding reads a rounding flag as the JSON terms read one, so
// -rounding half_up works; a name that is no mode is kept for amortize's
// validation to refuse with the accepted names.
func flagRounding(s string) money.RoundingMode {
	var m money.RoundingMode
	_ = m.UnmarshalText([]byte(s)) // never fails: unknown text is kept
	return m
}
