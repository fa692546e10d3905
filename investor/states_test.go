package investor

import (
	"testing"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// mortgage is 200,000.00 at 6 % for 30 years on 30/360, funded 15 Jan
// 2024, first due 1 Mar 2024: 1,199.10 a month.
func mortgage(t *testing.T, accrue loan.Accrual) loan.Terms {
	t.Helper()
	tm := loan.Terms{
		Terms: amortize.Terms{Principal: usd("200000.00"), AnnualRate: rate.MustPercent("6"), Installments: 360,
			Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor, FundingDate: date.New(2024, 1, 15), FirstDueDate: mar1,
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic, OddFirstPeriod: amortize.OddPrepaid,
			DayCount: accrual.DayCount{Convention: accrual.Thirty360US}, InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp},
		Accrual: accrue, EscrowPayment: usd("0.00"), Delinquency: delinquency.StandardPolicy(delinquency.ClosedEnd),
	}
	if accrue == loan.AccrualDailySimple {
		tm.InterestMethod = amortize.InterestDaily
		tm.DayCount = accrual.DayCount{Convention: accrual.Act365Fixed}
	}
	n, err := tm.Normalized()
	require.NoError(t, err)
	return n
}

// history is a loan's log.

type history struct {
	terms  loan.Terms
	events []loan.Event
}

func (h *history) add(t *testing.T, on date.Date, p loan.PaymentReceived) {
	h.events = append(h.events, loan.Event{Seq: int64(len(h.events) + 1), Kind: loan.KindPaymentReceived, EffectiveOn: on, Payload: p})
}

func (h *history) at(t *testing.T, on date.Date) loan.State {
	t.Helper()
	s, err := loan.Replay(h.terms, h.events, on)
	require.NoError(t, err)
	return s
}

// loanHistory is the test loan's log: boarding, March's installment on 1
// March, April's missed, 3,398.20 on 10 May (April's and May's
// installments and 1,000.00 more, marked to curtail), June's installment
// on 1 June and a payoff on 16 June.
func loanHistory(t *testing.T) *history {
	h := &history{terms: mortgage(t, loan.AccrualScheduled)}
	h.events = []loan.Event{{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: h.terms.FundingDate,
		Payload: loan.Boarded{Terms: h.terms, Rules: loan.RulesVersion}}}
	h.add(t, mar1, loan.PaymentReceived{Amount: usd("1199.10")})
	h.add(t, date.New(2024, 5, 10), loan.PaymentReceived{Amount: usd("3398.20"), Extra: payment.ExtraCurtail})
	h.add(t, date.New(2024, 6, 1), loan.PaymentReceived{Amount: usd("1199.10")})
	payoffOn := date.New(2024, 6, 16)
	q, err := h.at(t, payoffOn).Payoff(payoffOn)
	require.NoError(t, err)
	h.add(t, payoffOn, loan.PaymentReceived{Amount: q.Total})
	return h
}

// FromStates reads a loan's months from its states, and the months chain
// through Remit (each month's scheduled balance is the carry's). The
// loan's figures, by hand (6 % / 12 = 0.005 a month on 30/360):
//
//	April: start 31 Mar, UPB 199,800.90 after March (200,000.00 − 199.10),
//	  nothing past due. April's installment: 199,800.90 × 0.005 =
//	  999.0045 → 999.00 interest, 1,199.10 − 999.00 = 200.10 principal.
//	  Nothing paid.
//	May: start 30 Apr, April's 200.10 + 999.00 past due, so the scheduled
//	  balance is 199,800.90 − 200.10 = 199,600.80; May's installment
//	  199,600.80 × 0.005 = 998.004 → 998.00, principal 201.10. The 10 May
//	  receipt pays both installments (401.20 + 1,997.00); the 1,000.00
//	  beyond is less than an installment, which the GSE preset holds in
//	  suspense (payment.PartialSuspense) rather than curtail: not collected
//	  for the investor until the loan applies it, so no Curtailment.
//	June: start 31 May, UPB 199,800.90 − 401.20 = 199,399.70, nothing past
//	  due; June's installment 199,399.70 × 0.005 = 996.9985 → 997.00,
//	  principal 202.10. On 1 June the installment is paid and the suspense
//	  curtails 1,000.00; on 16 June the loan pays off: principal 199,399.70
//	  − 202.10 − 1,000.00 = 198,197.60 and interest from 1 June, 15 days of
//	  30/360: 198,197.60 × 0.06 × 15/360 = 495.494 → 495.49. The month's
//	  curtailment is part of PayoffPrincipal: 1,000.00 + 198,197.60 =
//	  199,197.60.
//
// Through an S/S pool (0.25 % + 0.50 %, half up):
//
//	April: svc 199,800.90 × 0.0025/12 = 41.6252 → 41.63, gty × 0.005/12 =
//	  83.2504 → 83.25, net 999.00 − 124.88 = 874.12. Remitted 200.10 +
//	  874.12 = 1,074.22, guaranty 83.25, advanced 200.10 + 874.12 + 83.25
//	  = 1,157.47. Check: 0 = 1,074.22 + 83.25 − 1,157.47.
//	May: svc 199,600.80 × 0.0025/12 = 41.5835 → 41.58, gty 83.1670 →
//	  83.17, net 998.00 − 124.75 = 873.25. Collected 401.20 + 1,997.00 =
//	  2,398.20; remitted 201.10 + 873.25 = 1,074.35; retained 41.63 +
//	  41.58 = 83.21; guaranty 83.17; recovered 1,157.47.
//	  Check: 1,074.35 + 83.21 + 83.17 + 1,157.47 = 2,398.20.
//	June: svc 199,399.70 × 0.0025/12 = 41.5416 → 41.54, gty 83.0832 →
//	  83.08, net 997.00 − 124.62 = 872.38; the payoff interest 495.49: svc
//	  × 0.25/6 = 20.6454 → 20.65, gty × 0.5/6 = 41.2908 → 41.29, net
//	  495.49 − 61.94 = 433.55. Collected 202.10 + 997.00 + 199,197.60 +
//	  495.49 = 200,892.19; remitted 202.10 + 199,197.60 + 872.38 + 433.55 =
//	  200,705.63; retained 41.54 + 20.65 = 62.19; guaranty 83.08 + 41.29 =
//	  124.37. Check: 200,705.63 + 62.19 + 124.37 = 200,892.19.
func TestFromStates(t *testing.T) {
	h := loanHistory(t)
	months := []struct {
		from, to                   date.Date
		b, sp, si, cp, ci, c       string
		paidOff                    bool
		pp, pi                     string
		remitted, retained, gty    string
		advanced, recovered, owing string
		collected                  string
	}{
		{apr1, may1, "199800.90", "200.10", "999.00", "0", "0", "0", false, "0", "0",
			"1074.22", "0", "83.25", "1157.47", "0", "1157.47", "0"},
		{may1, date.New(2024, 6, 1), "199600.80", "201.10", "998.00", "401.20", "1997.00", "0", false, "0", "0",
			"1074.35", "83.21", "83.17", "0", "1157.47", "0", "2398.20"},
		{date.New(2024, 6, 1), date.New(2024, 7, 1), "199399.70", "202.10", "997.00", "202.10", "997.00", "0", true, "199197.60", "495.49",
			"200705.63", "62.19", "124.37", "0", "0", "0", "200892.19"},
	}
	p := pool(ScheduledScheduled)
	prior := Carry{}
	for _, m := range months {
		lm, err := FromStates("L1", h.at(t, m.from-1), h.at(t, m.to-1))
		require.NoError(t, err, m.from)
		what := m.from.String()
		require.Equal(t, "L1", lm.LoanID)
		require.Equal(t, rate.MustPercent("6"), lm.NoteRate)
		moneytest.Equal(t, m.b, lm.ScheduledBalance, what)
		moneytest.Equal(t, m.sp, lm.ScheduledPrincipal, what)
		moneytest.Equal(t, m.si, lm.ScheduledInterest, what)
		moneytest.Equal(t, m.cp, lm.CollectedPrincipal, what)
		moneytest.Equal(t, m.ci, lm.CollectedInterest, what)
		moneytest.Equal(t, m.c, lm.Curtailment, what)
		require.Equal(t, m.paidOff, lm.PaidOff, what)
		moneytest.Equal(t, m.pp, lm.PayoffPrincipal, what)
		moneytest.Equal(t, m.pi, lm.PayoffInterest, what)
		if m.paidOff {
			require.Equal(t, date.New(2024, 6, 16), lm.PayoffOn)
		}

		r, err := Remit(p, Month{From: m.from, To: m.to, Loans: []LoanMonth{lm}, Prior: prior})
		require.NoError(t, err, what)
		moneytest.Equal(t, m.collected, r.Totals.Collected, what)
		moneytest.Equal(t, m.remitted, r.Totals.Remitted, what)
		moneytest.Equal(t, m.retained, r.Totals.Retained, what)
		moneytest.Equal(t, m.gty, r.Totals.GuarantyFee, what)
		moneytest.Equal(t, m.advanced, r.Totals.Advanced, what)
		moneytest.Equal(t, m.recovered, r.Totals.Recovered, what)
		moneytest.Equal(t, m.owing, r.Totals.AdvanceOutstanding, what)
		require.NoError(t, r.Reconciliation.Check())
		prior = r.Carry
	}
	require.Empty(t, prior.Loans)
}

func TestFromStatesRefusals(t *testing.T) {
	h := loanHistory(t)
	// Out of order, and a start that is not open: the loan paid off on 16
	// June is not in July's pool.
	_, err := FromStates("L1", h.at(t, date.New(2024, 6, 30)), h.at(t, date.New(2024, 5, 31)))
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Equal(t, []string{"end.AsOf", "start.Status"}, field.Fields(err))

	// May's installment paid ahead in April: interest beyond what April
	// owes, without a payoff.
	ahead := &history{terms: h.terms, events: h.events[:2]}
	ahead.add(t, apr1, loan.PaymentReceived{Amount: usd("2398.20"), Extra: payment.ExtraPayAhead})
	_, err = FromStates("L1", ahead.at(t, date.New(2024, 3, 31)), ahead.at(t, date.New(2024, 4, 30)))
	require.ErrorIs(t, err, field.ErrNotSupported)
	require.Equal(t, []string{"end.PaidInterest"}, field.Fields(err))

	// Daily simple interest is not remitted from states.
	d := &history{terms: mortgage(t, loan.AccrualDailySimple)}
	d.events = []loan.Event{{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: d.terms.FundingDate,
		Payload: loan.Boarded{Terms: d.terms, Rules: loan.RulesVersion}}}
	_, err = FromStates("L1", d.at(t, date.New(2024, 3, 31)), d.at(t, date.New(2024, 4, 30)))
	require.Equal(t, []string{"start.Terms.Accrual"}, field.Fields(err))
}

// A payoff before the month's installment falls due: the month runs 15
// Apr – 14 May, the installment of 1 May is inside it, but the loan (March
// and April paid, 199,600.80 left) pays off on 28 Apr, so that
// installment is never owed. The payoff collects the principal and the
// interest from 1 Apr to 28 Apr on 30/360: 199,600.80 × 6 % × 27 / 360 =
// 898.2036 → 898.20; nothing is scheduled, nothing collected for
// installments.
func TestFromStatesPayoffBeforeDue(t *testing.T) {
	h := &history{terms: mortgage(t, loan.AccrualScheduled)}
	h.events = append(h.events, loan.Event{Seq: 1, Kind: loan.KindBoarded, EffectiveOn: h.terms.FundingDate,
		Payload: loan.Boarded{Terms: h.terms, Rules: loan.RulesVersion}})
	h.add(t, mar1, loan.PaymentReceived{Amount: usd("1199.10")})
	h.add(t, date.New(2024, 4, 1), loan.PaymentReceived{Amount: usd("1199.10")})
	q, err := h.at(t, date.New(2024, 4, 28)).Payoff(date.New(2024, 4, 28))
	require.NoError(t, err)
	h.add(t, date.New(2024, 4, 28), loan.PaymentReceived{Amount: q.Total, Type: payment.Payoff})
	lm, err := FromStates("L", h.at(t, date.New(2024, 4, 14)), h.at(t, date.New(2024, 5, 14)))
	require.NoError(t, err)
	require.True(t, lm.PaidOff)
	moneytest.Equal(t, "0.00", lm.ScheduledPrincipal)
	moneytest.Equal(t, "0.00", lm.ScheduledInterest)
	moneytest.Equal(t, "199600.80", lm.PayoffPrincipal)
	moneytest.Equal(t, "898.20", lm.PayoffInterest)
	_, err = Remit(Pool{Method: ScheduledScheduled, ServicingFeeRate: rate.MustPercent("0.25"), FeeRounding: money.HalfUp},
		Month{From: date.New(2024, 4, 15), To: date.New(2024, 5, 15), Loans: []LoanMonth{lm}})
	require.NoError(t, err)
}
