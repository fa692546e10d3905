package vectors

import (
	"encoding/json"
	"fmt"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func init() { register("regz_apr", checkRegZAPR) }

type regzFile struct {
	Cases []struct {
		ID     string `json:"id"`
		Inputs struct {
			AmountFinanced string `json:"amount_financed"`
			AdvanceDate    string `json:"advance_date"`
			Streams        []struct {
				Amount    string `json:"amount"`
				Count     int    `json:"count"`
				FirstDate string `json:"first_date"`
				Interval  struct {
					Unit      string `json:"unit"`
					Multiple  int    `json:"multiple"`
					SecondDay int    `json:"second_day"`
				} `json:"interval"`
			} `json:"payment_streams"`
		} `json:"inputs"`
		Expected struct {
			APRPercent string `json:"apr_percent"`
		} `json:"expected"`
	} `json:"cases"`
}

// checkRegZAPR solves each Appendix J example with amortize.APR and compares
// the APR rounded half-up to two decimals of percent with the stated one.
func checkRegZAPR(data []byte) ([]Outcome, error) {
	var f regzFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	out := make([]Outcome, 0, len(f.Cases))
	for _, c := range f.Cases {
		req, err := regzRequest(c.Inputs.AmountFinanced, c.Inputs.AdvanceDate)
		if err == nil {
			for _, s := range c.Inputs.Streams {
				var st amortize.PaymentStream
				st, err = regzStream(s.Amount, s.Count, s.FirstDate, s.Interval.Unit, s.Interval.Multiple, s.Interval.SecondDay)
				if err != nil {
					break
				}
				req.Streams = append(req.Streams, st)
			}
		}
		if err != nil {
			out = append(out, Outcome{ID: c.ID, Note: err.Error()})
			continue
		}
		res, err := amortize.APR(req)
		if err != nil {
			out = append(out, Outcome{ID: c.ID, Expected: c.Expected.APRPercent, Note: err.Error()})
			continue
		}
		got, _ := money.RoundDecimal(res.APR.PercentValue(), 2, money.HalfUp)
		want, err := decimal.NewFromString(c.Expected.APRPercent)
		if err != nil || !got.Equal(want) {
			out = append(out, fail(c.ID, c.Expected.APRPercent, got.StringFixed(2)))
			continue
		}
		out = append(out, pass(c.ID))
	}
	return out, nil
}

func regzRequest(amount, advance string) (amortize.APRRequest, error) {
	a, err := money.Parse(amount, money.USD)
	if err != nil {
		return amortize.APRRequest{}, err
	}
	d, err := date.ParseISO(advance)
	if err != nil {
		return amortize.APRRequest{}, err
	}
	return amortize.APRRequest{AmountFinanced: a, Advance: d}, nil
}

func regzStream(amount string, count int, first, unit string, multiple, secondDay int) (amortize.PaymentStream, error) {
	a, err := money.Parse(amount, money.USD)
	if err != nil {
		return amortize.PaymentStream{}, err
	}
	d, err := date.ParseISO(first)
	if err != nil {
		return amortize.PaymentStream{}, err
	}
	var f schedule.Frequency
	switch unit {
	case "month":
		f = schedule.EveryMonths(multiple)
	case "semimonth":
		d1 := d.Day()
		if secondDay == 0 {
			secondDay = d1 + 15
		}
		if secondDay < d1 {
			d1, secondDay = secondDay, d1
		}
		f = schedule.SemiMonthly(d1, secondDay)
	case "week":
		f = schedule.Frequency{Unit: schedule.UnitWeek, Every: multiple}
	case "day":
		f = schedule.EveryDays(multiple)
	default:
		return amortize.PaymentStream{}, fmt.Errorf("unknown interval unit %q", unit)
	}
	return amortize.PaymentStream{Amount: a, Count: count, First: d, Frequency: f}, nil
}
