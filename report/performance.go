package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Snapshot is a portfolio on one date: every loan's state as of On, keyed
// by loan id (as the host's store knew it at some time: see the engine's
// Snapshot, which takes a knownAt for the bi-temporal view).
type Snapshot struct {
	On     date.Date
	States map[string]loan.State
}

// ids is the snapshot's loan ids, sorted: every sum runs in one order.
func (s Snapshot) ids() []string {
	ids := make([]string, 0, len(s.States))
	for id := range s.States {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// PeriodPerformance is a portfolio's measured performance over the period
// (From, To]: the loans open on From and what became of their principal by
// To. Loans boarded within the period enter the next one.
//
//   - Scheduled is the principal the schedule asked of the period
//     (State.ScheduledDue: installments falling due in it, as billed, with
//     one due on From itself and unpaid at its end).
//   - Prepaid is principal paid beyond what was due — the past-due
//     principal on From plus Scheduled, per loan — split into Payoffs (loans
//     paid off in the period) and Curtailments (the rest).
//   - Defaulted is the principal written off by charge-offs in the period:
//     the loan's principal on From, less principal paid and plus draws in
//     the period. Recovered is money received in the period on charged-off
//     loans (any period's); NetLoss = Defaulted − Recovered.
//   - SMM = Prepaid / (Beginning − Scheduled) and MDR = Defaulted /
//     Beginning (10 places; zero over an empty base); CPR and CDR are their
//     annual equivalents (Annualize). Severity is the share of Defaulted
//     not recovered within the period on the loans that defaulted in it.
type PeriodPerformance struct {
	From         date.Date       `json:"from"`
	To           date.Date       `json:"to"`
	Loans        int             `json:"loans"`
	Beginning    money.Amount    `json:"beginning"`
	Scheduled    money.Amount    `json:"scheduled"`
	Prepaid      money.Amount    `json:"prepaid"`
	Curtailments money.Amount    `json:"curtailments"`
	Payoffs      money.Amount    `json:"payoffs"`
	PaidOff      int             `json:"paid_off"`
	Defaulted    money.Amount    `json:"defaulted"`
	ChargedOff   int             `json:"charged_off"`
	Recovered    money.Amount    `json:"recovered"`
	NetLoss      money.Amount    `json:"net_loss"`
	SMM          decimal.Decimal `json:"smm"`
	CPR          decimal.Decimal `json:"cpr"`
	MDR          decimal.Decimal `json:"mdr"`
	CDR          decimal.Decimal `json:"cdr"`
	Severity     decimal.Decimal `json:"severity"`
}

// Period is the former name of [PeriodPerformance]: a period is the
// interval itself (accrual.Period, schedule.Period), not its measures.
//
// Deprecated: use PeriodPerformance.
type Period = PeriodPerformance

// Performance measures the period between two snapshots of the same
// portfolio. Every loan open on from.On must be in to.
func Performance(from, to Snapshot) (PeriodPerformance, error) {
	if to.On <= from.On {
		return PeriodPerformance{}, fmt.Errorf("%w: period from %s to %s", ErrInvalid, from.On, to.On)
	}
	cur, err := currency(append(values(from.States), values(to.States)...))
	if err != nil {
		return PeriodPerformance{}, err
	}
	z := money.Zero(cur)
	p := PeriodPerformance{From: from.On, To: to.On, Beginning: z, Scheduled: z, Prepaid: z, Curtailments: z, Payoffs: z,
		Defaulted: z, Recovered: z, NetLoss: z}
	recoveredOnNew := z
	for _, id := range from.ids() {
		b := from.States[id]
		a, ok := to.States[id]
		if !ok {
			if closed(b) {
				continue
			}
			return PeriodPerformance{}, fmt.Errorf("%w: loan %s open on %s is not in the snapshot of %s", ErrInvalid, id, from.On, to.On)
		}
		if b.Status == loan.StatusChargedOff {
			p.Recovered = p.Recovered.Add(a.Recovered.Sub(b.Recovered))
		}
		if closed(b) {
			continue
		}
		m, err := measure(b, a, to.On)
		if err != nil {
			return PeriodPerformance{}, fmt.Errorf("performance of loan %s: %w", id, err)
		}
		p.Loans++
		p.Beginning = p.Beginning.Add(b.Principal)
		p.Scheduled = p.Scheduled.Add(m.scheduled)
		switch {
		case m.defaulted:
			p.ChargedOff++
			p.Defaulted = p.Defaulted.Add(m.principal)
			p.Recovered = p.Recovered.Add(a.Recovered)
			recoveredOnNew = recoveredOnNew.Add(a.Recovered)
		case m.paidOff:
			p.PaidOff++
			p.Payoffs = p.Payoffs.Add(m.prepaid)
		default:
			p.Curtailments = p.Curtailments.Add(m.prepaid)
		}
	}
	p.Prepaid = p.Payoffs.Add(p.Curtailments)
	p.NetLoss = p.Defaulted.Sub(p.Recovered)
	if p.SMM, err = rateOf(p.Prepaid, p.Beginning.Sub(p.Scheduled)); err != nil {
		return PeriodPerformance{}, err
	}
	if p.MDR, err = rateOf(p.Defaulted, p.Beginning); err != nil {
		return PeriodPerformance{}, err
	}
	p.CPR, p.CDR = Annualize(p.SMM), Annualize(p.MDR)
	if p.Severity, err = rateOf(money.Max(z, p.Defaulted.Sub(recoveredOnNew)), p.Defaulted); err != nil {
		return PeriodPerformance{}, err
	}
	return p, nil
}

// measured is one loan's period: the principal scheduled in it, and either
// the principal it prepaid (paid off or not) or the principal written off.
type measured struct {
	scheduled, prepaid, principal money.Amount
	paidOff, defaulted            bool
}

// measure follows one loan open on b.AsOf to a on to.
func measure(b, a loan.State, to date.Date) (measured, error) {
	z := money.Zero(b.Terms.Currency())
	// One due on b.AsOf and unpaid at its end is owed in the period.
	sched, _, err := b.ScheduledDue(b.AsOf-1, to)
	if err != nil {
		return measured{}, err
	}
	m := measured{scheduled: sched, prepaid: z, principal: z}
	paid := a.PaidPrincipal.Sub(b.PaidPrincipal)
	switch a.Status {
	case loan.StatusChargedOff:
		m.defaulted = true
		m.principal = money.Max(z, b.Principal.Sub(paid).Add(a.Draws.Sub(b.Draws)))
		return m, nil
	case loan.StatusPaidOff:
		m.paidOff = true
	}
	as, err := b.Delinquency()
	if err != nil {
		return measured{}, err
	}
	m.prepaid = money.Max(z, paid.Sub(as.PastDue.Principal).Sub(sched))
	return m, nil
}

// Vintage is a static pool: the loans funded in one month, followed over
// the snapshots on or after it. Original is their funded principal.
type Vintage struct {
	Month    string         `json:"month"`
	Loans    int            `json:"loans"`
	Original money.Amount   `json:"original"`
	Points   []VintagePoint `json:"points"`
}

// VintagePoint is a vintage on one snapshot's date: Age whole months after
// its funding month began; Outstanding the unpaid principal of its open
// loans; Defaulted the principal charged off so far (as Performance
// measures it, or the charged-off principal of a loan first seen already
// charged off) and NetLoss that less the recoveries so far; Delinquent60
// the unpaid principal of open loans 60 or more days delinquent as their
// policy reports (Assessment.Days). The rates are over Original, 10 places.
type VintagePoint struct {
	On               date.Date       `json:"on"`
	Age              int             `json:"age"`
	Outstanding      money.Amount    `json:"outstanding"`
	Defaulted        money.Amount    `json:"defaulted"`
	NetLoss          money.Amount    `json:"net_loss"`
	Delinquent60     money.Amount    `json:"delinquent_60"`
	CumDefaultRate   decimal.Decimal `json:"cum_default_rate"`
	CumNetLossRate   decimal.Decimal `json:"cum_net_loss_rate"`
	Delinquent60Rate decimal.Decimal `json:"delinquent_60_rate"`
}

// Vintages builds the static-pool curves of a series of snapshots (taken
// in date order), one vintage per funding month, oldest first.
func Vintages(series []Snapshot) ([]Vintage, error) {
	series = slices.Clone(series)
	slices.SortStableFunc(series, func(a, b Snapshot) int { return int(a.On - b.On) })
	var all []loan.State
	for _, sn := range series {
		all = append(all, values(sn.States)...)
	}
	cur, err := currency(all)
	if err != nil {
		return nil, err
	}
	z := money.Zero(cur)
	byMonth := map[string]*Vintage{}
	starts := map[string]date.Date{} // month → its first day
	vintageOf := map[string]string{}
	defaulted := map[string]money.Amount{} // loan id → principal written off
	for i, sn := range series {
		for _, id := range sn.ids() {
			s := sn.States[id]
			if s.Status == loan.StatusPending {
				continue
			}
			if _, ok := vintageOf[id]; !ok {
				m := s.Terms.FundingDate.Format("2006-01")
				vintageOf[id] = m
				v := byMonth[m]
				if v == nil {
					v = &Vintage{Month: m, Original: z}
					byMonth[m] = v
					y, mo, _ := s.Terms.FundingDate.Date()
					starts[m] = date.New(y, mo, 1)
				}
				v.Loans++
				v.Original = v.Original.Add(s.Terms.Principal)
			}
			if _, ok := defaulted[id]; ok || s.Status != loan.StatusChargedOff {
				continue
			}
			if i > 0 {
				if b, ok := series[i-1].States[id]; ok && !closed(b) {
					m, err := measure(b, s, sn.On)
					if err != nil {
						return nil, fmt.Errorf("vintage of loan %s: %w", id, err)
					}
					defaulted[id] = m.principal
					continue
				}
			}
			defaulted[id] = s.ChargedOffPrincipal
		}
		for _, v := range byMonth {
			start := starts[v.Month]
			if sn.On < start {
				continue
			}
			pt := VintagePoint{On: sn.On, Age: months(start, sn.On), Outstanding: z, Defaulted: z, NetLoss: z, Delinquent60: z}
			v.Points = append(v.Points, pt)
		}
		for _, id := range sn.ids() {
			m, ok := vintageOf[id]
			if !ok {
				continue
			}
			v := byMonth[m]
			if len(v.Points) == 0 || v.Points[len(v.Points)-1].On != sn.On {
				continue
			}
			pt := &v.Points[len(v.Points)-1]
			s := sn.States[id]
			if d, ok := defaulted[id]; ok {
				pt.Defaulted = pt.Defaulted.Add(d)
				pt.NetLoss = pt.NetLoss.Add(d).Sub(s.Recovered)
			}
			if closed(s) {
				continue
			}
			pt.Outstanding = pt.Outstanding.Add(s.Principal)
			as, err := s.Delinquency()
			if err != nil {
				return nil, fmt.Errorf("vintage of loan %s: %w", id, err)
			}
			if as.Days >= 60 {
				pt.Delinquent60 = pt.Delinquent60.Add(s.Principal)
			}
		}
	}
	out := make([]Vintage, 0, len(byMonth))
	for _, v := range byMonth {
		for i := range v.Points {
			pt := &v.Points[i]
			var err error
			if pt.CumDefaultRate, err = rateOf(pt.Defaulted, v.Original); err != nil {
				return nil, err
			}
			if pt.CumNetLossRate, err = rateOf(pt.NetLoss, v.Original); err != nil {
				return nil, err
			}
			if pt.Delinquent60Rate, err = rateOf(pt.Delinquent60, v.Original); err != nil {
				return nil, err
			}
		}
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b Vintage) int { return strings.Compare(a.Month, b.Month) })
	return out, nil
}

// rateOf is part over base, 10 places; zero over a base that is not
// positive (an empty pool has no rate).
func rateOf(part, base money.Amount) (decimal.Decimal, error) {
	if !base.IsPositive() {
		return decimal.Zero, nil
	}
	return share(part, base)
}

func values(m map[string]loan.State) []loan.State {
	out := make([]loan.State, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	return out
}
