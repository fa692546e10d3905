package report_test

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/report"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func usd(s string) money.Amount { return money.MustParse(s, money.USD) }

// mortgage is a 30-year monthly loan of principal at annual, 30/360,
// funded 15 Jan 2024, first due 1 Mar 2024, the payment solved.
func mortgage(principal, annual string) loan.Terms {
	t := loan.Terms{
		Terms: amortize.Terms{Principal: usd(principal), AnnualRate: rate.MustPercent(annual), Installments: 360,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, FundingDate: date.New(2024, 1, 15), FirstDueDate: date.New(2024, 3, 1),
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic, OddFirstPeriod: amortize.OddPrepaid,
			DayCount: accrual.DayCount{Convention: accrual.Thirty360US}, InterestRounding: money.HalfAwayFromZero, PaymentRounding: money.HalfAwayFromZero},
		Accrual: loan.AccrualScheduled, EscrowPayment: usd("0.00"), Delinquency: delinquency.StandardPolicy(delinquency.ClosedEnd),
	}
	nt, err := t.Normalized()
	if err != nil {
		panic(err)
	}
	return nt
}

// state folds a loan that paid its first paid installments on their due
// dates, as of asOf.
func state(t *testing.T, terms loan.Terms, paid int, asOf date.Date) loan.State {
	t.Helper()
	evs := []loan.Event{{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: terms.FundingDate, Payload: loan.Boarded{Terms: terms, Rules: loan.RulesVersion}}}
	for k := range paid {
		evs = append(evs, loan.Event{Seq: int64(k + 2), Kind: loan.KindPaymentReceived, EffectiveOn: date.New(2024, time.March+time.Month(k), 1),
			Payload: loan.PaymentReceived{Amount: terms.Payment}})
	}
	s, err := loan.Replay(terms, evs, asOf)
	require.NoError(t, err)
	return s
}

// portfolio is ten loans funded 15 Jan 2024 (first due 1 Mar), as of on:
// L1–L2 100,000.00 at 7.2 % (678.79 a month) and L3–L6 200,000.00 at 6 %
// (1,199.10) paying every installment; L7–L8 (200,000.00 at 6 %) stopping
// after May, L9 after April, L10 after March.
func portfolio(t *testing.T, on date.Date) map[string]loan.State {
	a, b := mortgage("100000.00", "7.2"), mortgage("200000.00", "6")
	paid := func(max int) int { return min(max, monthsDue(on)) }
	out := map[string]loan.State{}
	for i, c := range []struct {
		terms loan.Terms
		paid  int
	}{{a, 4}, {a, 4}, {b, 4}, {b, 4}, {b, 4}, {b, 4}, {b, 3}, {b, 3}, {b, 2}, {b, 1}} {
		out[string(rune('A'+i))] = state(t, c.terms, paid(c.paid), on)
	}
	return out
}

// monthsDue is how many installments (from 1 Mar 2024) are due by on.
func monthsDue(on date.Date) int {
	n := 0
	for d := date.New(2024, 3, 1); d <= on; d = d.AddDate(0, 1, 0) {
		n++
	}
	return n
}

func values(m map[string]loan.State) []loan.State {
	var out []loan.State
	for _, k := range []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"} {
		out = append(out, m[k])
	}
	return out
}

// The ten-loan portfolio on 15 Jun 2024, worked from the loans' tables
// (balances after k payments: 99,921.21, 99,841.95, 99,762.21, 99,681.99 at
// 7.2 %; 199,800.90, 199,600.80, 199,399.70, 199,197.60 at 6 %):
//
//   - aging (days past due, Reg X): current L1–L6, 2 × 99,681.99 + 4 ×
//     199,197.60 = 996,154.38; 1-29 L7–L8 (due 1 Jun, 14 days),
//     2 × 199,399.70 = 398,799.40; 30-59 L9 (due 1 May, 45 days),
//     199,600.80; 60-89 L10 (due 1 Apr, 75 days), 199,800.90; in all
//     1,794,355.48;
//   - WAC (7.2 % × 199,363.98 + 6 % × 1,594,991.50) / 1,794,355.48 =
//     6.1333 %; WAM (356 × 996,154.38 + 357 × 398,799.40 + 358 ×
//     199,600.80 + 359 × 199,800.90) / 1,794,355.48 = 356.78; WALA 5.00
//     (15 Jan – 15 Jun);
//   - rolls from 15 May (L1–L8 current, L9 14 days, L10 44 days): current →
//     current 6, current → 1-29 2, 1-29 → 30-59 1, 30-59 → 60-89 1.
func TestPortfolioReports(t *testing.T) {
	jun, may := portfolio(t, date.New(2024, 6, 15)), portfolio(t, date.New(2024, 5, 15))
	ag, err := report.AgingOf(values(jun))
	require.NoError(t, err)
	got := map[string][2]string{}
	for _, b := range ag.Buckets {
		got[b.Name] = [2]string{decimal.NewFromInt(int64(b.Count)).String(), b.UPB.String()}
	}
	require.Equal(t, [2]string{"6", "996154.38"}, got["current"])
	require.Equal(t, [2]string{"2", "398799.40"}, got["1-29"])
	require.Equal(t, [2]string{"1", "199600.80"}, got["30-59"])
	require.Equal(t, [2]string{"1", "199800.90"}, got["60-89"])
	require.Equal(t, [2]string{"0", "0.00"}, got["90-119"])
	require.Equal(t, "1794355.48", ag.UPB.String())
	require.Equal(t, "current", ag.Buckets[0].Name)

	sm, err := report.Summarize(values(jun))
	require.NoError(t, err)
	require.Equal(t, []string{"6.1333", "356.78", "5"}, []string{sm.WAC.String(), sm.WAM.String(), sm.WALA.String()})

	roll, err := report.RollRates(may, jun)
	require.NoError(t, err)
	at := func(from, to string) int {
		i, j := index(roll.Buckets, from), index(roll.Buckets, to)
		return roll.Counts[i][j]
	}
	require.Equal(t, 6, at("current", "current"))
	require.Equal(t, 2, at("current", "1-29"))
	require.Equal(t, 1, at("1-29", "30-59"))
	require.Equal(t, 1, at("30-59", "60-89"))
}

func index(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// SMM to CPR and MDR to CDR: a month prepaying 1 % of what could prepay is
// 1 − 0.99^12 = 11.3615 % a year (the PSA convention's figure); defaults of
// 0.5 % a month are 1 − 0.995^12 = 5.8377 % a year. 1,000.00 prepaid of a
// 100,500.00 balance with 500.00 scheduled is an SMM of exactly 1 %.
func TestRates(t *testing.T) {
	smm, err := report.SMM(usd("1000.00"), usd("100500.00"), usd("500.00"))
	require.NoError(t, err)
	require.Equal(t, "0.01", smm.String())
	require.Equal(t, "0.1136151283", report.Annualize(smm).String())
	mdr, err := report.MDR(usd("500.00"), usd("100000.00"))
	require.NoError(t, err)
	require.Equal(t, "0.0583771931", report.Annualize(mdr).String())
	_, err = report.MDR(usd("1.00"), usd("0.00"))
	require.ErrorIs(t, err, report.ErrInvalid)
}
