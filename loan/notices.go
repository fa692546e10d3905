package loan

import (
	"slices"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// NoticeOptions choose what [State.Notices] lists.
type NoticeOptions struct {
	// From is the earliest due date listed: notices due before it are
	// left out, sent or not. Zero lists the loan's whole history.
	From date.Date
	// Servicer, when set, keeps only this servicer's notices across a
	// transfer of servicing (ServicingTransferred): the transferor's own
	// notice and what fell due before the transfer date for From, the
	// transferee's notice and what falls due from then on for To. Empty
	// lists every notice.
	Servicer string
	// ARMPaymentChanges are the due dates of the first payment at each
	// adjusted level of an adjustable rate, oldest first (change dates are
	// not terms: the host knows its notes' schedules). The first is the
	// initial adjustment (Reg Z §1026.20(d) and (c)); each later one takes
	// a §1026.20(c) notice.
	ARMPaymentChanges []date.Date
	// ARMShortCycle marks an ARM whose rate adjusts every 60 days or more
	// often (§1026.20(c)(2): 25 days' notice).
	ARMShortCycle bool
	// Kinds, when set, lists only these kinds (a host whose loans are not
	// mortgages leaves the mortgage rules out).
	Kinds []notice.Kind
}

// Notices returns the loan's notice calendar on s.AsOf: every notice that
// has opened by then (Opens ≤ AsOf) and is due on or after o.From, each
// marked sent when a NoticeSent event in events names its key (a live
// contact also by a right-party ContactAttempted inside its window), sorted by
// notice.Sort. events is the loan's log (events after AsOf are ignored);
// s is its state on the as-of date. The notices:
//
//   - early intervention for the current delinquency, from delinquency's
//     milestone dates (Reg X §1024.39);
//   - a periodic statement after each due date (Reg Z §1026.41; courtesy
//     period from delinquency.CourtesyEnd);
//   - the initial escrow statement (Reg X §1024.17(g)), the annual escrow
//     statement after each computation year, the 12
//     months from the first due date (Reg X §1024.17(b), (i)(1)), and a
//     short-year statement after a payoff or a transfer (§1024.17(i)(4));
//   - the transfer notices of each ServicingTransferred (§1024.33(b));
//   - the payoff statement or loss mitigation acknowledgment of each
//     RequestReceived, in business days on [State.Calendar];
//   - the ARM notices of o.ARMPaymentChanges (§1026.20(c), (d)).
//
// It returns an error only when the delinquency evaluator does (a state
// that could not be folded).
func (s State) Notices(events []Event, o NoticeOptions) ([]notice.Notice, error) {
	var ns []notice.Notice
	var transfers []ServicingTransferred
	sent := map[string]date.Date{}
	var live []date.Date // right-party contacts: §1024.39(a) live contact made
	for _, e := range events {
		if e.EffectiveOn > s.AsOf {
			continue
		}
		switch p := e.Payload.(type) {
		case ServicingTransferred:
			transfers = append(transfers, p)
			out, in := notice.Transfer(e.EffectiveOn, p.TransferOn)
			if o.Servicer == "" || o.Servicer == p.From {
				ns = append(ns, out)
			}
			if o.Servicer == "" || o.Servicer == p.To {
				ns = append(ns, in)
			}
			if s.hasEscrow() && (o.Servicer == "" || o.Servicer == p.From) {
				ns = append(ns, notice.EscrowShortYear(p.TransferOn))
			}
		case RequestReceived:
			ns = append(ns, recordedNotices(&s, e.EffectiveOn, p)...)
		case NoticeSent:
			if _, ok := sent[p.Notice]; !ok {
				sent[p.Notice] = e.EffectiveOn
			}
		case ContactAttempted:
			if p.Outcome == ContactRightParty {
				live = append(live, e.EffectiveOn)
			}
		}
	}
	ms, err := s.earlyIntervention()
	if err != nil {
		return nil, err
	}
	ns = append(ns, ms...)
	ns = append(ns, s.recurringNotices(o, transfers)...)
	for i, c := range o.ARMPaymentChanges {
		if i == 0 {
			ns = append(ns, notice.ARMInitial(s.Terms.FundingDate, c))
		}
		ns = append(ns, notice.ARMPaymentChange(c, o.ARMShortCycle))
	}
	out := ns[:0]
	for _, n := range ns {
		if n.Opens > s.AsOf || n.Due < o.From || len(o.Kinds) > 0 && !slices.Contains(o.Kinds, n.Kind) {
			continue
		}
		if on, ok := sent[n.Key()]; ok {
			n.Sent, n.SentOn = true, on
		}
		if n.Kind == notice.KindLiveContact && !n.Sent {
			// A right-party contact inside the window is the live contact.
			if i := slices.IndexFunc(live, func(c date.Date) bool { return c >= n.Opens && c <= n.Due }); i >= 0 {
				n.Sent, n.SentOn = true, live[i]
			}
		}
		out = append(out, n)
	}
	notice.Sort(out)
	return slices.Clip(out), nil
}

// earlyIntervention returns the §1024.39 notices of the current
// delinquency on s.AsOf, from delinquency's milestones.
func (s State) earlyIntervention() ([]notice.Notice, error) {
	m, ok, err := s.Milestones()
	if err != nil || !ok {
		return nil, err
	}
	return notice.EarlyIntervention(m.DelinquentSince, m.LiveContacts, m.WrittenNotices,
		delinquency.LiveContactDay, delinquency.WrittenNoticeDay), nil
}

// Milestones returns delinquency's milestone dates of the loan's current
// delinquency at the end of s.AsOf (Reg X §1024.39 live contact and
// written notice deadlines, the §1024.41(f) first filing date, the
// charge-off date), and false when nothing periodic is past due or the
// loan is closed.
func (s State) Milestones() (delinquency.Milestones, bool, error) {
	if s.Status == StatusPaidOff || s.Status == StatusChargedOff || s.Status == StatusPending || s.NextInstallment > s.Installments {
		return delinquency.Milestones{}, false, nil
	}
	f := folder{s: s}
	ev, err := f.evaluator(s.AsOf, maxWindow)
	if err != nil || ev == nil {
		return delinquency.Milestones{}, false, err
	}
	m, ok := ev.Milestones(s.AsOf)
	return m, ok, nil
}

// recurringNotices are the periodic and escrow statements due on or after
// o.From that have opened by s.AsOf.
func (s State) recurringNotices(o NoticeOptions, transfers []ServicingTransferred) []notice.Notice {
	var ns []notice.Notice
	f := folder{s: s}
	mine := func(on date.Date) bool {
		return o.Servicer == "" || len(transfers) == 0 || servicerOn(on, transfers) == o.Servicer
	}
	if !s.line() {
		grace := s.Terms.Delinquency.LateFee
		// The statement after installment k's due date bills installment
		// k+1: none follows the last.
		for k := s.firstRow(); k < s.Installments; k++ {
			due := f.dueDate(k)
			if due > s.AsOf {
				break
			}
			if n := notice.PeriodicStatement(due, delinquency.CourtesyEnd(due, grace)); n.Due >= o.From && mine(due) {
				ns = append(ns, n)
			}
		}
	}
	if s.hasEscrow() {
		if mine(s.Terms.FundingDate) {
			if n := notice.EscrowInitial(s.Terms.FundingDate); n.Due >= o.From {
				ns = append(ns, n)
			}
		}
		first := f.dueDate(f.s.firstRow())
		for j := 1; ; j++ {
			end := schedule.AddMonths(first, 12*j, 0, s.Terms.EOM) - 1
			if end >= s.AsOf || j > s.Installments {
				break
			}
			if n := notice.EscrowAnnual(end); n.Due >= o.From && mine(end) {
				ns = append(ns, n)
			}
		}
		if s.Status == StatusPaidOff && mine(s.ClosedOn) {
			ns = append(ns, notice.EscrowShortYear(s.ClosedOn))
		}
	}
	return ns
}

// servicerOn names who serviced the loan on date on, from the transfers
// (oldest first): the first transferor before the first transfer, each
// transferee from its transfer date on.
func servicerOn(on date.Date, transfers []ServicingTransferred) string {
	who := ""
	for i, t := range transfers {
		if i == 0 {
			who = t.From
		}
		if on >= t.TransferOn {
			who = t.To
		}
	}
	return who
}
