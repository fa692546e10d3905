package amortize

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// mortgage returns 30-year monthly level terms on a regular first period.
func mortgage(t testing.TB, principal, pct string, n int) Terms {
	t.Helper()
	return Terms{
		Principal:        moneytest.USD(t, principal),
		AnnualRate:       moneytest.Percent(t, pct),
		Installments:     n,
		Frequency:        schedule.Monthly(),
		EOM:              schedule.EOMAnchor,
		FundingDate:      date.New(2024, time.January, 1),
		FirstDueDate:     date.New(2024, time.February, 1),
		Shape:            ShapeLevel,
		InterestMethod:   InterestPeriodic,
		DayCount:         accrual.DayCount{Convention: accrual.Thirty360US},
		InterestRounding: money.HalfUp,
		PaymentRounding:  money.HalfUp,
	}
}

func scheduleMonthly() schedule.Frequency { return schedule.Monthly() }
