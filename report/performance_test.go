package report_test

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// history folds a loan's events (after boarding) as of asOf.
func history(t *testing.T, terms loan.Terms, asOf date.Date, evs ...loan.Event) loan.State {
	t.Helper()
	all := []loan.Event{{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: terms.FundingDate, Payload: loan.Boarded{Terms: terms, Rules: loan.RulesVersion}}}
	for i, ev := range evs {
		ev.Seq = int64(i + 2)
		all = append(all, ev)
	}
	s, err := loan.Replay(terms, all, asOf)
	require.NoError(t, err)
	return s
}

func pay(on date.Date, amount string) loan.Event {
	return loan.Event{Kind: loan.KindPaymentReceived, EffectiveOn: on, Payload: loan.PaymentReceived{Amount: usd(amount)}}
}

// performancePortfolio is ten loans of 200,000.00 at 6 % for 30 years
// (1,199.10 a month; funded 15 Jan 2024, first due 1 Mar), as of on:
//
//   - A, G, H, I, J pay every installment on its due date;
//   - B does, and on 1 Jun pays 10,000.00 more (a curtailment);
//   - C does, and pays off on 10 Jun (the quote of that day);
//   - D pays March only, is charged off on 10 Jun and recovers 50,000.00
//     on 14 Jun;
//   - E pays March and April, and on 1 May 5,000.00 more with May's;
//   - F pays March and April, misses May, and on 5 Jun pays May's and
//     June's (2,398.20): a catch-up, not a prepayment.
func performancePortfolio(t *testing.T, on date.Date) map[string]loan.State {
	terms := mortgage("200000.00", "6")
	due := func(m int) date.Date { return date.New(2024, time.February+time.Month(m), 1) } // m = 1: 1 Mar
	regular := func(n int) []loan.Event {
		var evs []loan.Event
		for m := 1; m <= n; m++ {
			evs = append(evs, pay(due(m), "1199.10"))
		}
		return evs
	}
	out := map[string]loan.State{}
	for _, id := range []string{"A", "G", "H", "I", "J"} {
		out[id] = history(t, terms, on, regular(4)...)
	}
	out["B"] = history(t, terms, on, append(regular(3), pay(due(4), "11199.10"))...)
	c := regular(4)
	if on >= date.New(2024, 6, 10) {
		quote, err := history(t, terms, date.New(2024, 6, 10), c...).Payoff(date.New(2024, 6, 10))
		require.NoError(t, err)
		c = append(c, loan.Event{Kind: loan.KindPaymentReceived, EffectiveOn: date.New(2024, 6, 10), Payload: loan.PaymentReceived{Amount: quote.Total}})
	}
	out["C"] = history(t, terms, on, c...)
	out["D"] = history(t, terms, on, pay(due(1), "1199.10"),
		loan.Event{Kind: loan.KindChargedOff, EffectiveOn: date.New(2024, 6, 10), Payload: loan.ChargedOff{}},
		loan.Event{Kind: loan.KindRecovery, EffectiveOn: date.New(2024, 6, 14), Payload: loan.RecoveryReceived{Amount: usd("50000.00")}})
	out["E"] = history(t, terms, on, append(regular(2), pay(due(3), "6199.10"), pay(due(4), "1199.10"))...)
	out["F"] = history(t, terms, on, append(regular(2), pay(date.New(2024, 6, 5), "2398.20"))...)
	return out
}

// Two months of the ten-loan portfolio, worked from the loans' tables (the
// principal parts of installments 1–4 on the scheduled balance are 199.10,
// 200.10, 201.10, 202.10; balances 199,800.90, 199,600.80, 199,399.70,
// 199,197.60).
//
// 15 Apr – 15 May: all ten open; beginning 9 × 199,600.80 + 199,800.90 (D)
// = 1,996,208.10; scheduled: May's principal, 201.10 each (D's billed on
// its scheduled balance), 2,011.00; prepaid E's 5,000.00. SMM = 5,000.00 /
// (1,996,208.10 − 2,011.00) = 5,000.00 / 1,994,197.10 = 0.0025072747;
// CPR = 1 − (1 − SMM)^12 = 0.0296758…; no defaults.
//
// 15 May – 15 Jun: beginning 7 × 199,399.70 (A, B, C, G–J) + D 199,800.90 + E 194,399.70
// (199,600.80 − 201.10 − 5,000.00) + F 199,600.80 = 1,989,599.30;
// scheduled June's principal: 202.10 for nine loans (D and F billed on
// their scheduled balances), E's 1,199.10 − 972.00 (194,399.70 × 0.005)
// = 227.10: 2,046.00; prepaid B 10,000.00 (curtailment) and C's 199,197.60
// (its balance after June's 202.10: a payoff); F's 403.20
// pays May's past-due 201.10 and June's 202.10, no prepayment. SMM =
// 209,197.60 / (1,989,599.30 − 2,046.00) = 0.1052538314; defaulted D's 199,800.90: MDR
// = 199,800.90 / 1,989,599.30 = 0.1004226831; recovered 50,000.00, net
// loss 149,800.90, severity 149,800.90 / 199,800.90 = 0.7497508770.
func TestPerformanceHandWorked(t *testing.T) {
	apr := report.Snapshot{On: date.New(2024, 4, 15), States: performancePortfolio(t, date.New(2024, 4, 15))}
	may := report.Snapshot{On: date.New(2024, 5, 15), States: performancePortfolio(t, date.New(2024, 5, 15))}
	jun := report.Snapshot{On: date.New(2024, 6, 15), States: performancePortfolio(t, date.New(2024, 6, 15))}

	p, err := report.Performance(apr, may)
	require.NoError(t, err)
	require.Equal(t, 10, p.Loans)
	amounts := func(p report.PeriodPerformance) []string {
		return []string{p.Beginning.String(), p.Scheduled.String(), p.Curtailments.String(), p.Payoffs.String(), p.Defaulted.String(), p.Recovered.String(), p.NetLoss.String()}
	}
	require.Equal(t, []string{"1996208.10", "2011.00", "5000.00", "0.00", "0.00", "0.00", "0.00"}, amounts(p))
	require.Equal(t, "0.0025072747", p.SMM.String())
	require.Equal(t, report.Annualize(p.SMM), p.CPR)
	require.Equal(t, "0.0296758", p.CPR.Round(7).String())
	require.True(t, p.MDR.IsZero() && p.CDR.IsZero())

	p, err = report.Performance(may, jun)
	require.NoError(t, err)
	require.Equal(t, []string{"1989599.30", "2046.00", "10000.00", "199197.60", "199800.90", "50000.00", "149800.90"}, amounts(p))
	require.Equal(t, []int{10, 1, 1}, []int{p.Loans, p.PaidOff, p.ChargedOff})
	require.Equal(t, "209197.60", p.Prepaid.String())
	require.Equal(t, "0.1052538314", p.SMM.String())
	require.Equal(t, "0.1004226831", p.MDR.String())
	require.Equal(t, "0.749750877", p.Severity.String())
	require.Equal(t, report.Annualize(p.MDR), p.CDR)

	// C and D are closed on 15 Jun: a later period leaves them out but for
	// D's recoveries.
	jul := report.Snapshot{On: date.New(2024, 7, 15), States: performancePortfolio(t, date.New(2024, 7, 15))}
	p, err = report.Performance(jun, jul)
	require.NoError(t, err)
	require.Equal(t, 8, p.Loans)
	require.Equal(t, "0.00", p.Recovered.String())

	_, err = report.Performance(jun, may)
	require.ErrorIs(t, err, report.ErrInvalid)
	delete(jul.States, "A")
	_, err = report.Performance(jun, jul)
	require.ErrorIs(t, err, report.ErrInvalid)
}

// The portfolio is one vintage (January 2024, ten loans, 2,000,000.00):
// 3, 4 and 5 months on book on 15 Apr, 15 May and 15 Jun. By June D's
// 199,800.90 is charged off (cumulative default rate 199,800.90 /
// 2,000,000.00 = 0.09990045), 50,000.00 recovered (net loss 149,800.90,
// 0.07490045); outstanding then: five loans at 199,197.60, B 189,197.60
// (199,399.70 − 202.10 − 10,000.00), E 194,172.60 (194,399.70 − 227.10),
// F 199,197.60: 1,578,555.80. No loan is ever 60 days delinquent (D is 44
// on 15 May, F 14).
func TestVintagesHandWorked(t *testing.T) {
	var series []report.Snapshot
	for _, on := range []date.Date{date.New(2024, 6, 15), date.New(2024, 4, 15), date.New(2024, 5, 15)} {
		series = append(series, report.Snapshot{On: on, States: performancePortfolio(t, on)})
	}
	vs, err := report.Vintages(series)
	require.NoError(t, err)
	require.Len(t, vs, 1)
	v := vs[0]
	require.Equal(t, []string{"2024-01", "10", "2000000.00"}, []string{v.Month, decimal.NewFromInt(int64(v.Loans)).String(), v.Original.String()})
	require.Len(t, v.Points, 3)
	ages := []int{v.Points[0].Age, v.Points[1].Age, v.Points[2].Age}
	require.Equal(t, []int{3, 4, 5}, ages)
	require.True(t, v.Points[1].Defaulted.IsZero())
	last := v.Points[2]
	require.Equal(t, []string{"1578555.80", "199800.90", "149800.90", "0.00"},
		[]string{last.Outstanding.String(), last.Defaulted.String(), last.NetLoss.String(), last.Delinquent60.String()})
	require.Equal(t, []string{"0.09990045", "0.07490045", "0"},
		[]string{last.CumDefaultRate.String(), last.CumNetLossRate.String(), last.Delinquent60Rate.String()})
	for _, pt := range v.Points {
		require.True(t, pt.Delinquent60.IsZero())
	}
}

// A period starting on a due date: on 1 May (end of day) May's
// installment is unpaid but not past due; paid on 3 May, its 201.10 of
// principal is what was due — scheduled in the period, not a prepayment.
func TestPerformanceFromADueDate(t *testing.T) {
	terms := mortgage("200000.00", "6")
	evs := []loan.Event{pay(date.New(2024, 3, 1), "1199.10"), pay(date.New(2024, 4, 1), "1199.10"), pay(date.New(2024, 5, 3), "1199.10")}
	from := report.Snapshot{On: date.New(2024, 5, 1), States: map[string]loan.State{"A": history(t, terms, date.New(2024, 5, 1), evs...)}}
	to := report.Snapshot{On: date.New(2024, 5, 31), States: map[string]loan.State{"A": history(t, terms, date.New(2024, 5, 31), evs...)}}
	p, err := report.Performance(from, to)
	require.NoError(t, err)
	require.Equal(t, []string{"201.10", "0.00"}, []string{p.Scheduled.String(), p.Prepaid.String()})
}
