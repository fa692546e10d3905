package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/investor"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/report"
	"github.com/rickb777/date/v2"
)

// remittancePool is the demo's investor pool: its scheduled-interest
// mortgages, sold scheduled/scheduled with a 0.25 % servicing fee and a
// 0.50 % guaranty fee (typical of a conventional agency pool).
var remittancePool = investor.Pool{Method: investor.ScheduledScheduled, ServicingFeeRate: rate.MustPercent("0.25"),
	GuarantyFeeRate: rate.MustPercent("0.5"), FeeRounding: money.HalfUp}

// export writes every report of the period, read from the store, into
// dir as NAME.csv and NAME.json: aging and summary on the last month end,
// the roll-rate matrix of the last month, performance for each month,
// vintages, the mortgage pool's investor remittance for each month (and
// the loans left out of it, with why), and the showcase loan's audit
// trail.
func (s *sim) export(ctx context.Context, dir string, series []report.Snapshot, showcase *plannedLoan) error {
	if len(series) == 0 {
		return fmt.Errorf("export: no loan is funded on any month end")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	last := series[len(series)-1]
	write := func(name string, v any, t report.Table) error {
		f, err := os.Create(filepath.Join(dir, name+".csv"))
		if err != nil {
			return err
		}
		if err := t.WriteCSV(f); err != nil {
			return errors.Join(err, f.Close())
		}
		if err := f.Close(); err != nil {
			return err
		}
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".json"), append(b, '\n'), 0o644)
	}
	ag, err := report.AgingOf(states(last))
	if err != nil {
		return err
	}
	if err := write("aging", ag, ag.Table()); err != nil {
		return err
	}
	sm, err := report.Summarize(states(last))
	if err != nil {
		return err
	}
	if err := write("summary", sm, sm.Table()); err != nil {
		return err
	}
	if len(series) > 1 {
		roll, err := report.RollRates(series[len(series)-2].States, last.States)
		if err != nil {
			return err
		}
		if err := write("rolls", roll, roll.Table()); err != nil {
			return err
		}
	}
	ps := []report.PeriodPerformance{}
	for i := 1; i < len(series); i++ {
		p, err := report.Performance(series[i-1], series[i])
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	if err := write("performance", ps, report.PeriodsTable(ps)); err != nil {
		return err
	}
	vs, err := report.Vintages(series)
	if err != nil {
		return err
	}
	if err := write("vintages", vs, report.VintagesTable(vs)); err != nil {
		return err
	}
	rs, left, err := s.remittances(series)
	if err != nil {
		return err
	}
	t := report.Table{Name: "remittance"}
	for _, r := range rs {
		t.Header = append([]string{"month"}, r.Header()...)
		for _, row := range r.Rows() {
			t.Rows = append(t.Rows, append([]string{r.From.Format("2006-01")}, row...))
		}
	}
	if err := write("remittance", rs, t); err != nil {
		return err
	}
	ex := report.Table{Name: "remittance_exceptions", Header: []string{"loan", "month", "reason"}}
	for _, e := range left {
		ex.Rows = append(ex.Rows, []string{e.Loan, e.Month.Format("2006-01"), e.Reason})
	}
	if err := write("remittance_exceptions", left, ex); err != nil {
		return err
	}
	if showcase != nil {
		a, err := s.eng.AuditTrail(ctx, showcase.id, servicing.AuditFilter{To: last.On})
		if err != nil {
			return err
		}
		if err := write("audit", a, servicing.AuditTable(a)); err != nil {
			return err
		}
	}
	fprintf(s.cfg.progress, "demo: reports in %s (remittance: %d mortgages, %d left out)\n",
		dir, len(s.pool(series))-len(left), len(left))
	return nil
}

// exception is a loan left out of the remittance pool: the first month
// the investor package refused to report, and why (a charge-off, a
// reversal of an earlier month's payment, an installment paid ahead — work
// a servicer's investor-reporting desk handles by hand).
type exception struct {
	Loan   string    `json:"loan"`
	Month  date.Date `json:"month"`
	Reason string    `json:"reason"`
}

// pool is the ids of the scheduled-interest mortgages funded by the last
// month end, sorted.
func (s *sim) pool(series []report.Snapshot) []string {
	var ids []string
	for id, st := range series[len(series)-1].States {
		if st.Terms.Accrual == loan.AccrualScheduled {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// remittances are the mortgage pool's monthly remittances over the
// month-end series (each month from the day after one month end through
// the next), the loans the investor package refuses in any month left out.
func (s *sim) remittances(series []report.Snapshot) ([]investor.Remittance, []exception, error) {
	ids := s.pool(series)
	months := make([][]investor.LoanMonth, len(series))
	var left []exception
	out := map[string]bool{}
	for i := 1; i < len(series); i++ {
		for _, id := range ids {
			start, ok := series[i-1].States[id]
			if out[id] || !ok || start.Status == loan.StatusPaidOff || start.Status == loan.StatusChargedOff {
				continue
			}
			lm, err := investor.FromStates(id, start, series[i].States[id])
			if err != nil {
				out[id] = true
				left = append(left, exception{Loan: id, Month: series[i-1].On + 1, Reason: err.Error()})
				continue
			}
			months[i] = append(months[i], lm)
		}
	}
	// A month the investor package refuses for a loan (Remit validates
	// each loan's month against what the carry says it still owes) leaves
	// that loan out of the pool too, and the pool is remitted again.
	for {
		rs, bad, err := remitAll(series, months, out)
		if err != nil {
			return nil, nil, err
		}
		if bad == nil {
			return rs, left, nil
		}
		out[bad.Loan] = true
		left = append(left, *bad)
	}
}

// remitAll remits the pool's months, the loans in out left out. It stops
// at the first loan the investor package refuses, returned as an
// exception; other errors are returned as errors.
func remitAll(series []report.Snapshot, months [][]investor.LoanMonth, out map[string]bool) ([]investor.Remittance, *exception, error) {
	var rs []investor.Remittance
	var prior investor.Carry
	for i := 1; i < len(series); i++ {
		var loans []investor.LoanMonth
		for _, lm := range months[i] {
			if !out[lm.LoanID] {
				loans = append(loans, lm)
			}
		}
		if len(loans) == 0 && len(prior.Loans) == 0 {
			continue
		}
		from := series[i-1].On + 1
		r, err := investor.Remit(remittancePool, investor.Month{From: from, To: series[i].On + 1, Loans: loans, Prior: prior})
		if errors.Is(err, investor.ErrInvalidInput) {
			for _, fe := range field.Errors(err) {
				var k int
				if _, scan := fmt.Sscanf(fe.Field, "Month.Loans[%d]", &k); scan == nil && k < len(loans) {
					return nil, &exception{Loan: loans[k].LoanID, Month: from, Reason: fe.Error()}, nil
				}
			}
		}
		if err != nil {
			return nil, nil, fmt.Errorf("remittance of %s: %w", from, err)
		}
		rs, prior = append(rs, r), r.Carry
	}
	return rs, nil, nil
}
