package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
)

func init() {
	commands["apr"] = command{
		summary: "Regulation Z Appendix J APR of a single-advance loan",
		run:     runAPR,
	}
}

// streamFlags collects repeated -stream values.
type streamFlags []string

func (s *streamFlags) String() string     { return strings.Join(*s, " ") }
func (s *streamFlags) Set(v string) error { *s = append(*s, v); return nil }

func runAPR(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("apr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	amount := fs.String("amount", "", "amount financed, e.g. 5000.00")
	currency := fs.String("currency", "USD", "ISO 4217 currency")
	advance := fs.String("advance", "", "advance (consummation) date YYYY-MM-DD")
	var streams streamFlags
	fs.Var(&streams, "stream", "payment stream AMOUNT,COUNT,FIRST,UNIT[:EVERY] (unit month, semimonth, week, day); repeatable")
	fs.Usage = func() {
		fprintln(stderr, "Usage: servicing apr -amount A -advance DATE -stream AMOUNT,COUNT,FIRST,UNIT[:EVERY] ...")
		fprintln(stderr, "\nExample (Reg Z App. J (c)(1)(i)): servicing apr -amount 5000 -advance 1978-01-10 -stream 230,24,1978-02-10,month")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	req, err := aprRequest(*amount, *currency, *advance, streams)
	if err != nil {
		fprintf(stderr, "servicing apr: %v\n", err)
		return 2
	}
	res, err := amortize.APR(req)
	if err != nil {
		fprintf(stderr, "servicing apr: %v\n", err)
		return 1
	}
	apr2, _ := money.RoundDecimal(res.APR.PercentValue(), 2, money.HalfUp)
	perYear := strconv.Itoa(res.UnitPeriodsPerYear)
	if f := res.UnitPeriodsPerYearFraction; res.UnitPeriodsPerYear == 0 && f.Den > 0 {
		perYear = fmt.Sprintf("%d/%d", f.Num, f.Den) // a single payment within a year: the term is the unit-period
	}
	fprintf(stdout, "APR %s%% (exact %s; unit-period rate %s, %s unit-periods a year, %d iterations)\n",
		apr2.StringFixed(2), res.APR, res.UnitPeriodRate.StringFixed(12), perYear, res.Iterations)
	return 0
}

func aprRequest(amount, currency, advance string, streams []string) (amortize.APRRequest, error) {
	var req amortize.APRRequest
	cur, err := money.CurrencyOf(currency)
	if err != nil {
		return req, err
	}
	if req.AmountFinanced, err = money.Parse(amount, cur); err != nil {
		return req, fmt.Errorf("-amount: %w", err)
	}
	if req.Advance, err = strictjson.ParseDate(advance); err != nil {
		return req, fmt.Errorf("-advance: %w", err)
	}
	for _, s := range streams {
		parts := strings.Split(s, ",")
		if len(parts) != 4 {
			return req, fmt.Errorf("-stream %q: want AMOUNT,COUNT,FIRST,UNIT[:EVERY]", s)
		}
		var st amortize.PaymentStream
		if st.Amount, err = money.Parse(parts[0], cur); err != nil {
			return req, fmt.Errorf("-stream %q: %w", s, err)
		}
		if st.Count, err = strconv.Atoi(parts[1]); err != nil {
			return req, fmt.Errorf("-stream %q: count: %w", s, err)
		}
		if st.First, err = strictjson.ParseDate(parts[2]); err != nil {
			return req, fmt.Errorf("-stream %q: %w", s, err)
		}
		unit, everyText, _ := strings.Cut(parts[3], ":")
		every := 1
		if everyText != "" {
			if every, err = strconv.Atoi(everyText); err != nil {
				return req, fmt.Errorf("-stream %q: every: %w", s, err)
			}
		}
		switch unit {
		case "month":
			st.Frequency = schedule.EveryMonths(every)
		case "semimonth", "semi_month":
			d := st.First.Day()
			if d > 15 {
				d -= 15
			}
			st.Frequency = schedule.SemiMonthly(d, d+15)
		case "week":
			st.Frequency = schedule.Frequency{Unit: schedule.UnitWeek, Every: every}
		case "day":
			st.Frequency = schedule.EveryDays(every)
		default:
			return req, fmt.Errorf("-stream %q: unit must be month, semimonth, week or day", s)
		}
		req.Streams = append(req.Streams, st)
	}
	return req, nil
}
