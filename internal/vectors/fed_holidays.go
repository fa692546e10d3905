package vectors

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

func init() { register("fed_holidays", checkFedHolidays) }

// fedHolidayCase is one row of fed_holidays.json: a holiday as the Federal
// Reserve lists it and the day the Reserve Banks close for it (null when it
// falls on a Saturday and the Banks stay open on the Friday before).
type fedHolidayCase struct {
	ID                   string  `json:"id"`
	Holiday              string  `json:"holiday"`
	Date                 string  `json:"date"`
	Weekday              string  `json:"weekday"`
	ReserveBanksClosedOn *string `json:"reserve_banks_closed_on"`
}

// checkFedHolidays checks schedule.USFederalReserve against every case: the
// closure day is not a business day; for a Saturday holiday (no closure) the
// preceding Friday is one. The listed weekday is checked too, so a mistyped
// date cannot pass silently.
func checkFedHolidays(data []byte) ([]Outcome, error) {
	var top struct {
		Cases []fedHolidayCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	cal := schedule.USFederalReserve()
	out := make([]Outcome, 0, len(top.Cases))
	for _, c := range top.Cases {
		out = append(out, checkFedHoliday(cal, c))
	}
	return out, nil
}

func checkFedHoliday(cal schedule.Calendar, c fedHolidayCase) Outcome {
	hd, err := date.ParseISO(c.Date)
	if err != nil {
		return fail(c.ID, "a valid date", fmt.Sprintf("date %q: %v", c.Date, err))
	}
	if got := hd.Weekday().String(); got != c.Weekday {
		return fail(c.ID, fmt.Sprintf("%s on %s", c.Date, c.Weekday), fmt.Sprintf("%s is a %s", c.Date, got))
	}
	if c.ReserveBanksClosedOn == nil {
		if hd.Weekday() != time.Saturday {
			return fail(c.ID, "a Saturday holiday when reserve_banks_closed_on is null", c.Weekday)
		}
		fri := hd - 1
		if !cal.IsBusinessDay(fri) {
			return fail(c.ID, fmt.Sprintf("%s (Friday before %s, %s) is a business day", fri, c.Holiday, c.Date),
				fmt.Sprintf("%s is not a business day", fri))
		}
		return pass(c.ID)
	}
	closed, err := date.ParseISO(*c.ReserveBanksClosedOn)
	if err != nil {
		return fail(c.ID, "a valid closure date", fmt.Sprintf("reserve_banks_closed_on %q: %v", *c.ReserveBanksClosedOn, err))
	}
	if cal.IsBusinessDay(closed) {
		return fail(c.ID, fmt.Sprintf("%s (%s) is not a business day", closed, c.Holiday),
			fmt.Sprintf("%s is a business day", closed))
	}
	return pass(c.ID)
}
