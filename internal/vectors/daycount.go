package vectors

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/lendcore/servicing/accrual"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func init() { register("daycount", checkDaycount) }

// daycountCase is one case of daycount.json (see testdata/vectors/README.md).
type daycountCase struct {
	ID         string `json:"id"`
	Convention string `json:"convention"`
	Start      string `json:"start"`
	End        string `json:"end"`
	Params     struct {
		TerminationDate      string `json:"termination_date"`
		EndIsTerminationDate *bool  `json:"end_is_termination_date"`
		EOM                  *bool  `json:"eom"`
		RefPeriodStart       string `json:"ref_period_start"`
		RefPeriodEnd         string `json:"ref_period_end"`
		FrequencyMonths      int    `json:"frequency_months"`
		ScheduleStart        string `json:"schedule_start"`
		ScheduleEnd          string `json:"schedule_end"`
		SchedulePeriodEnd    string `json:"schedule_period_end"`
		FinalPeriod          *bool  `json:"final_period"`
	} `json:"params"`
	Expected struct {
		DayCount          *int   `json:"day_count"`
		YearFraction      string `json:"year_fraction"`
		YearFractionExact string `json:"year_fraction_exact"`
	} `json:"expected"`
}

// yearFractionTolerance is the tolerance of decimal year fractions: the
// sources (QuantLib) print 12 digits and compare within 1e-10.
var yearFractionTolerance = decimal.New(1, -10)

func checkDaycount(data []byte) ([]Outcome, error) {
	var top struct {
		Cases []daycountCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	out := make([]Outcome, 0, len(top.Cases))
	for _, c := range top.Cases {
		out = append(out, checkDaycountCase(c))
	}
	return out, nil
}

func checkDaycountCase(c daycountCase) Outcome {
	start, err1 := date.ParseISO(c.Start)
	end, err2 := date.ParseISO(c.End)
	if err1 != nil || err2 != nil {
		return fail(c.ID, c.Start+".."+c.End, "unparseable dates")
	}
	dc, err := daycountOf(c, start, end)
	if err != nil {
		return fail(c.ID, "a day count", err.Error())
	}
	var want, got []string
	if c.Expected.DayCount != nil {
		n, err := dc.Days(start, end)
		if err != nil {
			return fail(c.ID, fmt.Sprint(*c.Expected.DayCount), err.Error())
		}
		want, got = append(want, fmt.Sprintf("days %d", *c.Expected.DayCount)), append(got, fmt.Sprintf("days %d", n))
	}
	yf, err := dc.YearFraction(start, end)
	if err != nil {
		return fail(c.ID, c.Expected.YearFractionExact+c.Expected.YearFraction, err.Error())
	}
	if e := c.Expected.YearFractionExact; e != "" {
		w, ok := new(big.Rat).SetString(strings.TrimSpace(e))
		if !ok {
			return fail(c.ID, e, "unparseable expected fraction")
		}
		want, got = append(want, "yf "+w.RatString()), append(got, "yf "+yf.Rat().RatString())
	}
	if e := c.Expected.YearFraction; e != "" {
		w, err := decimal.NewFromString(e)
		if err != nil {
			return fail(c.ID, e, "unparseable expected decimal")
		}
		// Compare the exact fraction with the printed decimal: |yf − w| ≤ 1e-10.
		diff := new(big.Rat).Sub(yf.Rat(), w.Rat())
		ok := diff.Abs(diff).Cmp(yearFractionTolerance.Rat()) <= 0
		want = append(want, "yf≈"+e)
		if ok {
			got = append(got, "yf≈"+e)
		} else {
			got = append(got, "yf "+yf.String())
		}
	}
	if strings.Join(want, ", ") != strings.Join(got, ", ") {
		return fail(c.ID, strings.Join(want, ", "), strings.Join(got, ", "))
	}
	return pass(c.ID)
}

// daycountOf maps a case's convention and params onto accrual.DayCount.
func daycountOf(c daycountCase, start, end date.Date) (accrual.DayCount, error) {
	dc := accrual.DayCount{Convention: accrual.Convention(c.Convention)}
	p := c.Params
	switch dc.Convention {
	case accrual.Thirty360EISDA:
		if p.TerminationDate != "" {
			t, err := date.ParseISO(p.TerminationDate)
			if err != nil {
				return dc, err
			}
			dc.Termination = &t
		} else if p.EndIsTerminationDate != nil && *p.EndIsTerminationDate {
			dc.Termination = &end
		}
	case accrual.ActActICMA:
		return icmaOf(c, start, end)
	}
	return dc, nil
}

func icmaOf(c daycountCase, start, end date.Date) (accrual.DayCount, error) {
	p := c.Params
	dc := accrual.DayCount{Convention: accrual.ActActICMA, FrequencyMonths: p.FrequencyMonths}
	if p.EOM != nil {
		dc.EOM = *p.EOM
	}
	if p.RefPeriodStart != "" {
		rs, err1 := date.ParseISO(p.RefPeriodStart)
		re, err2 := date.ParseISO(p.RefPeriodEnd)
		if err1 != nil || err2 != nil {
			return dc, fmt.Errorf("bad reference period %s..%s", p.RefPeriodStart, p.RefPeriodEnd)
		}
		dc.Reference = &accrual.Period{Start: rs, End: re}
		return dc, nil
	}
	// Strata's schedule information: the first period rolls back from its
	// end, the final one forward from its start, others are regular.
	ss, err1 := date.ParseISO(p.ScheduleStart)
	pe, err2 := date.ParseISO(p.SchedulePeriodEnd)
	if err1 != nil || err2 != nil {
		return dc, fmt.Errorf("bad schedule dates")
	}
	kind := accrual.RegularPeriod
	switch {
	case p.FinalPeriod != nil && *p.FinalPeriod:
		kind = accrual.FinalPeriod
	case start == ss:
		kind = accrual.FirstPeriod
	}
	ref, err := accrual.ICMAReference(start, pe, p.FrequencyMonths, dc.EOM, kind)
	if err != nil {
		return dc, err
	}
	dc.Reference = &ref
	return dc, nil
}
