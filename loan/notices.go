package loan

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
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
	// adjusted level of an adjustable rate, oldest first, for an ARM whose
	// terms do not carry its Change Dates (accrual.ARM.FirstChangeOn):
	// when set, they replace the dates the terms give. The first is the
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
//     milestone dates (Reg X §1024.39), each repeat keyed by the due date
//     it counts from;
//   - a periodic statement after each due date of the due-date grid up to
//     a payoff (Reg Z §1026.41; courtesy period from
//     delinquency.CourtesyEnd);
//   - the initial escrow statement (Reg X §1024.17(g)), the annual escrow
//     statement after each computation year, the 12
//     months from the first due date (Reg X §1024.17(b), (i)(1)), and a
//     short-year statement after a payoff or a transfer (§1024.17(i)(4));
//   - the transfer notices of each ServicingTransferred (§1024.33(b));
//   - the payoff statement or loss mitigation acknowledgment of each
//     RequestReceived, in business days on [State.Calendar];
//   - the ARM notices (§1026.20(c), (d)) of the Change Dates of
//     Terms.ARM, or of o.ARMPaymentChanges.
//
// With Terms.NoticeDue the fold reports the statements and early
// intervention notices as DomainNoticeDue events, from the same calls
// (calendar, earlyIntervention), on the first day this lists each.
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
	ms, since, err := s.earlyIntervention()
	if err != nil {
		return nil, err
	}
	ns = append(ns, ms...)
	ns = append(ns, s.recurringNotices(o, transfers)...)
	if len(o.ARMPaymentChanges) > 0 {
		// The host's dates replace the terms' Change Dates.
		ns = slices.DeleteFunc(ns, func(n notice.Notice) bool {
			return n.Kind == notice.KindARMInitial || n.Kind == notice.KindARMPaymentChange
		})
	}
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
		} else if lk := legacyKey(n, since); lk != "" {
			if on, ok := sent[lk]; ok {
				n.Sent, n.SentOn = true, on
			}
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
// delinquency on s.AsOf, from delinquency's milestones, and the due date
// it counts from (0 without one).
func (s State) earlyIntervention() ([]notice.Notice, date.Date, error) {
	f := folder{s: s}
	return f.earlyIntervention()
}

// earlyIntervention is State.earlyIntervention of f's state, with what f
// built (its biller, its add-on table).
func (f *folder) earlyIntervention() ([]notice.Notice, date.Date, error) {
	m, ok, err := f.milestones()
	if err != nil || !ok {
		return nil, 0, err
	}
	return notice.EarlyIntervention(m.DelinquentSince, m.LiveContacts, m.WrittenNotices,
		delinquency.LiveContactDay, delinquency.WrittenNoticeDay), m.DelinquentSince, nil
}

// legacyKey is the key an early intervention repeat had before each
// notice's trigger became its own due date (the delinquency's first due
// date, since): a NoticeSent recorded under it still marks the notice
// sent. Other notices have none.
func legacyKey(n notice.Notice, since date.Date) string {
	if since == 0 || n.Trigger == since || n.Kind != notice.KindLiveContact && n.Kind != notice.KindWrittenNotice {
		return ""
	}
	n.Trigger = since
	return n.Key()
}

// Milestones returns delinquency's milestone dates of the loan's current
// delinquency at the end of s.AsOf (Reg X §1024.39 live contact and
// written notice deadlines, the §1024.41(f) first filing date, the
// charge-off date), and false when nothing periodic is past due or the
// loan is closed.
func (s State) Milestones() (delinquency.Milestones, bool, error) {
	f := folder{s: s}
	return f.milestones()
}

// milestones is State.Milestones of f's state, with what f built.
func (f *folder) milestones() (delinquency.Milestones, bool, error) {
	s := &f.s
	if s.Status == StatusPaidOff || s.Status == StatusChargedOff || s.Status == StatusPending || s.NextInstallment > s.Installments {
		return delinquency.Milestones{}, false, nil
	}
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
	f := folder{s: s}
	ns := f.calendar(s.Terms.FundingDate-1, s.AsOf, nil)
	out := ns[:0]
	for _, n := range ns {
		if n.Due >= o.From && (o.Servicer == "" || len(transfers) == 0 || servicerOn(n.Trigger, transfers) == o.Servicer) {
			out = append(out, n)
		}
	}
	return out
}

// calendar appends to out the periodic and escrow statements of the loan
// that open in the days (from, to], as the state f holds knows them at the
// end of to: the one owner of those dates, for [State.Notices] and for the
// fold's DomainNoticeDue events (Terms.NoticeDue).
//
//   - A periodic statement opens on each date of the due-date grid from the
//     first due date to the last installment's but one (the statement
//     after installment k's due date bills installment k+1; a deferment
//     moves the installments along the grid, not the cycles that passed),
//     due four days after that due date's courtesy period (Reg Z
//     §1026.41(b), comment 41(b)-1; the courtesy period is
//     delinquency.CourtesyEnd's); none for a due date after a payoff
//     (nothing left to bill). A charged-off loan keeps them: the
//     §1026.41(e)(6) exemption needs its own notice, which the calendar
//     does not model.
//   - The ARM notices of the terms' Change Dates (armNotices).
//   - The initial escrow statement opens at funding (Reg X §1024.17(g)),
//     each annual one the day after a computation year, the 12 months from
//     the first due date, ends (§1024.17(b), (i)(1)), for the years that
//     ended before a payoff, and the short-year statement on the payoff
//     date (§1024.17(i)(4)(iii)).
func (f *folder) calendar(from, to date.Date, out []notice.Notice) []notice.Notice {
	s := &f.s
	closed := date.Date(0) // the payoff date: no statement from then on
	if s.Status == StatusPaidOff {
		closed = s.ClosedOn
	}
	if !s.line() && s.Installments > s.firstRow() {
		grace := s.Terms.Delinquency.LateFee
		// The due-date grid from the first due date to that of the last
		// installment but one: a deferment or a re-age moves installments
		// along the grid, not the billing cycles that have passed.
		// The first grid date after from: on from the fold's cursor (the
		// grid is the terms', so its indexes stay), else by bisection.
		lo, hi := 0, f.row(s.Installments-1)
		if f.stmtOK && f.stmtFrom <= from {
			lo = f.stmtIdx
		} else {
			for lo < hi {
				if m := lo + (hi-lo)/2; f.gridAt(m) <= from {
					lo = m + 1
				} else {
					hi = m
				}
			}
			hi = f.row(s.Installments - 1)
		}
		for lo < hi && f.gridAt(lo) <= from {
			lo++
		}
		idx := lo
		for ; idx < hi; idx++ {
			due := f.gridAt(idx)
			if due > to || closed != 0 && due > closed {
				break
			}
			out = append(out, notice.PeriodicStatement(due, delinquency.CourtesyEnd(due, grace)))
		}
		f.stmtIdx, f.stmtFrom, f.stmtOK = idx, min(to, f.gridAt(idx)-1), true
	}
	out = f.armNotices(from, to, closed, out)
	if !s.hasEscrow() {
		return out
	}
	if fd := s.Terms.FundingDate; fd > from && fd <= to {
		out = append(out, notice.EscrowInitial(fd))
	}
	first := s.Terms.FirstDueDate
	for j := 1; j <= s.Installments; j++ {
		end := schedule.AddMonths(first, 12*j, 0, s.Terms.EOM) - 1
		if end >= to || closed != 0 && end >= closed {
			break
		}
		if end >= from {
			out = append(out, notice.EscrowAnnual(end))
		}
	}
	if closed > from && closed <= to {
		out = append(out, notice.EscrowShortYear(closed))
	}
	return out
}

// armNotices appends to out the Reg Z §1026.20(c), (d) notices of the
// Change Dates of Terms.ARM (FirstChangeOn, ChangeEveryMonths) that open
// in (from, to]. The first payment at the adjusted level is the first due
// date of the grid after the Change Date ("I will pay the amount of my
// new monthly payment beginning on the first monthly payment date after
// the Change Date", the uniform ARM notes' Effective Date of Changes);
// the first change takes a §1026.20(d) notice as well as the §1026.20(c)
// one, which goes out whether or not the index moves the payment (the
// servicer cannot know it so early). A change whose first payment would
// come after the last installment takes none, nor does a notice that
// would open after a payoff. An ARM
// that changes every month is a short-cycle one (§1026.20(c)(2):
// adjustments every 60 days or more often, 25 days' notice); every
// other schedule takes the 60 days, which also meets the short rule.
func (f *folder) armNotices(from, to, closed date.Date, out []notice.Notice) []notice.Notice {
	s := &f.s
	a := s.Terms.ARM
	if a == nil || a.FirstChangeOn == 0 || s.line() || s.Installments < s.firstRow() {
		return out
	}
	last := f.row(s.Installments) - 1 // the last installment's grid index
	for i := 0; ; i++ {
		c := schedule.AddMonths(a.FirstChangeOn, i*a.ChangeEveryMonths, 0, schedule.EOMAnchor)
		if i > 0 && a.ChangeEveryMonths == 0 || c-ARMNoticeLead > to {
			break // every later notice opens later still
		}
		// The first grid date after c, by bisection over the installments'.
		lo, hi := 0, last+1
		for lo < hi {
			if m := lo + (hi-lo)/2; f.gridAt(m) <= c {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo > last {
			break
		}
		pay := f.gridAt(lo)
		if closed != 0 && pay-ARMNoticeLead > closed {
			break
		}
		if i == 0 {
			if n := notice.ARMInitial(s.Terms.FundingDate, pay); n.Opens > from && n.Opens <= to && (closed == 0 || n.Opens <= closed) {
				out = append(out, n)
			}
		}
		if n := notice.ARMPaymentChange(pay, a.ChangeEveryMonths == 1); n.Opens > from && n.Opens <= to && (closed == 0 || n.Opens <= closed) {
			out = append(out, n)
		}
	}
	return out
}

// ARMNoticeLead bounds how long before a Change Date its notices can open:
// §1026.20(d)'s 240 days before the first payment at the adjusted level,
// which comes after the change.
const ARMNoticeLead = notice.ARMInitialMaxDays

// NoticeDueKinds are the kinds Terms.NoticeDue may list: the calendar
// notices that open on a date the loan's own terms and history give. The
// ARM notices are among them for an ARM whose terms carry its Change Dates
// (accrual.ARM.FirstChangeOn): their dates count back from the first
// payment at each adjusted level (Reg Z §1026.20(c), (d)), before the
// IndexReset event that comes on the change date. The transfer, payoff
// and loss mitigation notices are reported by the events that make them
// due, always.
var NoticeDueKinds = []notice.Kind{notice.KindLiveContact, notice.KindWrittenNotice, notice.KindARMInitial,
	notice.KindARMPaymentChange, notice.KindPeriodicStatement, notice.KindEscrowInitial, notice.KindEscrowAnnual,
	notice.KindEscrowShortYear}

// validateNoticeDue checks Terms.NoticeDue: kinds of NoticeDueKinds, each
// once. A kind the loan never has (an ARM notice on a fixed rate, an
// escrow statement without escrow) is accepted and reports nothing, so a
// host can give every loan of a portfolio one list.
func (t Terms) validateNoticeDue(l *field.List, p string) {
	for i, k := range t.NoticeDue {
		path := fmt.Sprintf("%s.NoticeDue[%d]", p, i)
		switch {
		case !slices.Contains(NoticeDueKinds, k):
			l.Add(path, string(k), field.ErrNotSupported, "a calendar notice kind (loan.NoticeDueKinds)")
		case slices.Contains(t.NoticeDue[:i], k):
			l.Add(path, string(k), field.ErrInvalid, "listed twice")
		}
	}
}

// emitNotices reports, as DomainNoticeDue events, the calendar notices of
// Terms.NoticeDue that the loan's calendar ([State.Notices]) comes to list
// by day to, whose state f holds (at the end of to, or before its
// receipts): each on the first day it is listed (On; By is its due date,
// NoticeKey its key).
//
// The statements are listed from the day they open, whatever the state
// (a payoff ends them for later dates only), and are reported once per
// day (noticesThrough); the short-year statement of a payoff is reported
// by the payoff itself (setStatus). The early intervention notices depend
// on the delinquency: they are read at each step of the fold, before the
// receipts of an event's day and after them, and one not listed at the
// previous step is reported, on the day it opens or on the day of the
// change that made it (a payment that rolls the delinquency forward, a
// pause that moves a deadline: new keys). So a notice listed on a day,
// before that day's events, between them or after them, is reported once,
// on that day; one the calendar stops listing (the delinquency cured) is
// not retracted. A fold starts where the one that reached its state
// stopped (startNotices), so the same log reports the same notices however
// its commands were grouped, a command of a day already folded included;
// a change of history reports what it changed (DomainDiff). (Events of one
// day in another order make another log: what is listed between them may
// differ.)
//
// It returns an error only when the delinquency evaluator does.
func (f *folder) emitNotices(to date.Date) error {
	s := &f.s
	if !f.recording || len(s.Terms.NoticeDue) == 0 || s.Status == StatusPending {
		return nil
	}
	ns := f.noticeEvs[:0]
	if from := f.noticesThrough; to > from {
		f.noticesThrough = to
		f.noticeBuf = f.calendar(from, to, f.noticeBuf[:0])
		for _, n := range f.noticeBuf {
			if n.Kind != notice.KindEscrowShortYear && slices.Contains(s.Terms.NoticeDue, n.Kind) {
				ns = append(ns, noticeDue(n.Opens, n))
			}
		}
	}
	if f.earlyNotices() && to >= f.noticesOn {
		// The state has not changed since the previous step but on the
		// step's own day: what is listed now and was not then came on the
		// day it opens, or on the first day after that step (the day of
		// the change that made it).
		listed, err := f.earlyListed(to)
		if err != nil {
			return err
		}
		since := min(f.noticesOn+1, to)
		for _, n := range listed {
			if !slices.Contains(f.noticesListed, listedOf(n)) {
				ns = append(ns, noticeDue(max(n.Opens, since), n))
			}
		}
		f.noticesOn = to
		f.noticesListed = f.noticesListed[:0]
		for _, n := range listed {
			f.noticesListed = append(f.noticesListed, listedOf(n))
		}
	}
	slices.SortStableFunc(ns, func(a, b DomainEvent) int {
		if c := cmp.Compare(a.On, b.On); c != 0 {
			return c
		}
		return cmp.Compare(slices.Index(notice.Kinds, a.Notice), slices.Index(notice.Kinds, b.Notice))
	})
	for _, de := range ns {
		f.emit(de)
	}
	f.noticeEvs = ns[:0]
	return nil
}

// emitShortYear reports the short-year escrow statement of a payoff on
// the payoff date (Reg X §1024.17(i)(4)(iii)), when Terms.NoticeDue lists
// it.
func (f *folder) emitShortYear() {
	s := &f.s
	if s.hasEscrow() && slices.Contains(s.Terms.NoticeDue, notice.KindEscrowShortYear) {
		f.emit(noticeDue(s.ClosedOn, notice.EscrowShortYear(s.ClosedOn)))
	}
}

// startNotices reads what the calendar lists of early intervention at the
// end of the fold's first day, which the fold that reached it reported.
func (f *folder) startNotices() error {
	if !f.recording || f.s.Status == StatusPending || !f.earlyNotices() {
		return nil
	}
	f.noticesOn = f.s.AsOf
	listed, err := f.earlyListed(f.s.AsOf)
	for _, n := range listed {
		f.noticesListed = append(f.noticesListed, listedOf(n))
	}
	return err
}

// earlyNotices reports whether Terms.NoticeDue lists an early
// intervention kind.
func (f *folder) earlyNotices() bool {
	k := f.s.Terms.NoticeDue
	return slices.Contains(k, notice.KindLiveContact) || slices.Contains(k, notice.KindWrittenNotice)
}

// earlyListed is the early intervention notices of Terms.NoticeDue the
// calendar lists at the end of day on, the state unchanged since.
func (f *folder) earlyListed(on date.Date) ([]notice.Notice, error) {
	if st := f.s.Status; st == StatusPaidOff || st == StatusChargedOff || st == StatusPending {
		return nil, nil
	}
	// Nothing past due, no milestones (the fold's own test of lateness,
	// without building the evaluator when it can).
	if due, late, err := f.lateDue(on); err != nil || !late || due >= on {
		return nil, err
	}
	// The state at the end of on, with what the fold built (a biller
	// or an add-on table is the same for every day of one state's
	// path); what it builds the fold keeps.
	day := folder{s: f.s, bl: f.bl, addOn: f.addOn, rebater: f.rebater}
	day.s.AsOf = on
	ms, _, err := day.earlyIntervention()
	if err != nil {
		return nil, err
	}
	f.bl, f.addOn, f.rebater = day.bl, day.addOn, day.rebater
	out := ms[:0]
	for _, n := range ms {
		if n.Opens <= on && slices.Contains(f.s.Terms.NoticeDue, n.Kind) {
			out = append(out, n)
		}
	}
	return out, nil
}

// listedNotice is what notice.Notice.Key names (kind, trigger, due date),
// compared without formatting it: the fold compares what is listed every
// day of a delinquency.
type listedNotice struct {
	kind         notice.Kind
	trigger, due date.Date
}

func listedOf(n notice.Notice) listedNotice { return listedNotice{n.Kind, n.Trigger, n.Due} }

// noticeDue is the DomainNoticeDue event of notice n, reported on on.
func noticeDue(on date.Date, n notice.Notice) DomainEvent {
	return DomainEvent{Type: DomainNoticeDue, On: on, By: n.Due, Notice: n.Kind, NoticeKey: n.Key()}
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
