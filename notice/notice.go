package notice

import (
	"cmp"
	"errors"
	"slices"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// ErrInvalidNotice is wrapped by [Validate]'s errors.
var ErrInvalidNotice = errors.New("notice: invalid notice")

// Kind names a notice. Kinds are persisted (in NoticeSent events); never
// rename one.
type Kind string

// The notice kinds.
const (
	KindLiveContact       Kind = "live_contact"                // Reg X §1024.39(a)
	KindWrittenNotice     Kind = "early_intervention_notice"   // Reg X §1024.39(b)
	KindARMInitial        Kind = "arm_initial_adjustment"      // Reg Z §1026.20(d)
	KindARMPaymentChange  Kind = "arm_payment_change"          // Reg Z §1026.20(c)
	KindPeriodicStatement Kind = "periodic_statement"          // Reg Z §1026.41
	KindEscrowInitial     Kind = "escrow_initial_statement"    // Reg X §1024.17(g)
	KindEscrowAnnual      Kind = "escrow_annual_statement"     // Reg X §1024.17(i)(1)
	KindEscrowShortYear   Kind = "escrow_short_year_statement" // Reg X §1024.17(i)(4)
	KindTransferorNotice  Kind = "transfer_notice_transferor"  // Reg X §1024.33(b)(3)
	KindTransfereeNotice  Kind = "transfer_notice_transferee"  // Reg X §1024.33(b)(3)
	KindPayoffStatement   Kind = "payoff_statement"            // Reg Z §1026.36(c)(3)
	KindLossMitigationAck Kind = "loss_mitigation_ack"         // Reg X §1024.41(b)(2)(i)(B)
)

// Kinds lists every kind, in the order [Sort] breaks ties by.
var Kinds = []Kind{KindLiveContact, KindWrittenNotice, KindARMInitial, KindARMPaymentChange, KindPeriodicStatement, KindEscrowInitial, KindEscrowAnnual,
	KindEscrowShortYear, KindTransferorNotice, KindTransfereeNotice, KindPayoffStatement, KindLossMitigationAck}

// Day counts of the rules, so a host can show them.
const (
	ARMInitialMinDays     = 210 // §1026.20(d): at least 210 days before
	ARMInitialMaxDays     = 240 // §1026.20(d): no more than 240 days before
	ARMChangeMinDays      = 60  // §1026.20(c)(2): at least 60 days before
	ARMChangeMaxDays      = 120 // §1026.20(c)(2): no more than 120 days before
	ARMShortCycleMinDays  = 25  // §1026.20(c)(2): 25 days for rate changes every 60 days or more often
	StatementDays         = 4   // comment 41(b)-1: four days after the courtesy period
	EscrowInitialDays     = 45  // §1024.17(g)(1)
	EscrowAnnualDays      = 30  // §1024.17(i)(1)
	EscrowShortYearDays   = 60  // §1024.17(i)(4)(ii), (iii)
	TransferDays          = 15  // §1024.33(b)(3)(i)
	PayoffBusinessDays    = 7   // §1026.36(c)(3)
	LossMitigationAckDays = 5   // §1024.41(b)(2)(i)(B), business days
)

// Notice is one thing to send: its kind, the rule, the date that triggers
// it and the window it must be sent in, [Opens, Due].
type Notice struct {
	// Kind is what to send.
	Kind Kind `json:"kind"`
	// Rule cites the regulation.
	Rule string `json:"rule"`
	// Trigger is the date the deadline counts from: a due date, the
	// transfer's effective date, a request's receipt.
	Trigger date.Date `json:"trigger"`
	// Opens is the first day the notice may be sent (or the day the duty
	// arises); Due is the last. Opens ≤ Due.
	Opens date.Date `json:"opens"`
	Due   date.Date `json:"due"`
	// Sent is set by the loan's calendar when a NoticeSent event names the
	// notice's Key; SentOn is that event's date.
	Sent   bool      `json:"sent,omitempty"`
	SentOn date.Date `json:"sent_on,omitzero"`
}

// Key identifies the notice within its loan: kind, trigger and due date.
// A NoticeSent event names it.
func (n Notice) Key() string {
	return string(n.Kind) + "|" + n.Trigger.String() + "|" + n.Due.String()
}

// Overdue reports whether the notice is unsent after its due date on asOf.
func (n Notice) Overdue(asOf date.Date) bool { return !n.Sent && asOf > n.Due }

// Validate checks a notice: a known kind, a rule, and Opens ≤ Due. It
// returns an error wrapping ErrInvalidNotice naming every bad field.
func Validate(n Notice) error {
	var l field.List
	if !slices.Contains(Kinds, n.Kind) {
		l.Add("Notice.Kind", string(n.Kind), field.ErrNotSupported, "")
	}
	if n.Rule == "" {
		l.Add("Notice.Rule", nil, field.ErrRequired, "")
	}
	if n.Opens > n.Due {
		l.Add("Notice.Opens", n.Opens.String(), field.ErrInvalid, "after Due "+n.Due.String())
	}
	return l.Err(ErrInvalidNotice)
}

// Sort orders notices by due date, then kind (in [Kinds] order), then
// trigger: a deterministic to-do list.
func Sort(ns []Notice) {
	slices.SortStableFunc(ns, func(a, b Notice) int {
		if c := cmp.Compare(a.Due, b.Due); c != 0 {
			return c
		}
		if c := cmp.Compare(slices.Index(Kinds, a.Kind), slices.Index(Kinds, b.Kind)); c != 0 {
			return c
		}
		return cmp.Compare(a.Trigger, b.Trigger)
	})
}

// EarlyIntervention returns the §1024.39 notices of one delinquency:
// delinquentSince is the due date of the oldest unpaid installment, and
// liveContacts and writtenNotices are the deadlines delinquency computes
// (delinquency.Milestones.LiveContacts and WrittenNotices: "no later than
// the 36th day of a borrower's delinquency and again no later than 36 days
// after each payment due date so long as the borrower remains delinquent";
// the written notice "no later than the 45th day", at most once in 180
// days). liveDays and writtenDays are those day counts (delinquency's
// LiveContactDay and WrittenNoticeDay). Each notice's trigger is the due
// date it counts from: delinquentSince for the first of each kind, the
// later due date for a repeat (deadline − days), so a repeat keeps its key
// when a payment rolls the delinquency forward to that due date. Each
// opens on the first day of the delinquency it counts from: the day after
// delinquentSince for the first, the day after the later due date for a
// repeat (deadline − days + 1; a pause, which pushes the deadline out,
// only shortens the window).
func EarlyIntervention(delinquentSince date.Date, liveContacts, writtenNotices []date.Date, liveDays, writtenDays int) []Notice {
	out := make([]Notice, 0, len(liveContacts)+len(writtenNotices))
	add := func(k Kind, rule string, deadlines []date.Date, days int) {
		for i, due := range deadlines {
			trigger := delinquentSince
			if i > 0 {
				trigger = max(delinquentSince, due-date.Date(days))
			}
			out = append(out, window(k, rule, trigger, min(due, max(delinquentSince+1, due-date.Date(days)+1)), due))
		}
	}
	add(KindLiveContact, "12 CFR 1024.39(a)", liveContacts, liveDays)
	add(KindWrittenNotice, "12 CFR 1024.39(b)", writtenNotices, writtenDays)
	return out
}

// ARMInitial returns the §1026.20(d) notice of an adjustable-rate
// mortgage's first rate adjustment: "at least 210, but no more than 240,
// days before the first payment at the adjusted level is due", or at
// consummation when that payment is due within the first 210 days after
// it. firstPayment is the due date of the first payment at the adjusted
// level (comment 20(d)-3: excluding any grace or courtesy period).
func ARMInitial(consummation, firstPayment date.Date) Notice {
	if firstPayment-ARMInitialMinDays < consummation {
		return window(KindARMInitial, "12 CFR 1026.20(d)", firstPayment, consummation, consummation)
	}
	return window(KindARMInitial, "12 CFR 1026.20(d)", firstPayment, firstPayment-ARMInitialMaxDays, firstPayment-ARMInitialMinDays)
}

// ARMPaymentChange returns the §1026.20(c) notice of a rate adjustment that
// changes the payment: "at least 60, but no more than 120, days before the
// first payment at the adjusted level is due", or at least 25 days before
// it for an ARM "with uniformly scheduled interest rate adjustments
// occurring every 60 days or more frequently" (shortCycle). firstPayment
// is the due date of the first payment at the new level.
func ARMPaymentChange(firstPayment date.Date, shortCycle bool) Notice {
	lo := date.Date(ARMChangeMinDays)
	if shortCycle {
		lo = ARMShortCycleMinDays
	}
	return window(KindARMPaymentChange, "12 CFR 1026.20(c)", firstPayment, firstPayment-ARMChangeMaxDays, firstPayment-lo)
}

// PeriodicStatement returns the §1026.41 statement of the billing cycle
// that follows the due date previousDue: it must be delivered "within a
// reasonable time after the payment due date or the end of any courtesy
// period provided for the previous billing cycle" (§1026.41(b)), which
// comment 41(b)-1 reads as within four days after the courtesy period
// closes. courtesyEnd is the last day of that courtesy period (the last
// day before a late fee may be charged; previousDue itself when there is
// none).
func PeriodicStatement(previousDue, courtesyEnd date.Date) Notice {
	courtesyEnd = max(courtesyEnd, previousDue)
	return window(KindPeriodicStatement, "12 CFR 1026.41(b)", previousDue, previousDue, courtesyEnd+StatementDays)
}

// EscrowInitial returns the §1024.17(g) initial escrow account statement
// of an account established at settlement: "at settlement or within 45
// calendar days of settlement" (§1024.17(g)(1)).
func EscrowInitial(settlement date.Date) Notice {
	return window(KindEscrowInitial, "12 CFR 1024.17(g)", settlement, settlement, settlement+EscrowInitialDays)
}

// EscrowAnnual returns the §1024.17(i)(1) annual escrow account statement:
// "within 30 days of the completion of the escrow account computation
// year". yearEnd is the computation year's last day.
func EscrowAnnual(yearEnd date.Date) Notice {
	return window(KindEscrowAnnual, "12 CFR 1024.17(i)(1)", yearEnd, yearEnd+1, yearEnd+EscrowAnnualDays)
}

// EscrowShortYear returns the §1024.17(i)(4) short year statement that
// ends an escrow account's year early: within 60 days after the effective
// date of a servicing transfer (by the transferor, (i)(4)(ii)) or after
// receiving the payoff funds ((i)(4)(iii)). on is that date.
func EscrowShortYear(on date.Date) Notice {
	return window(KindEscrowShortYear, "12 CFR 1024.17(i)(4)", on, on, on+EscrowShortYearDays)
}

// Transfer returns the two §1024.33(b)(3) notices of a transfer of
// servicing effective on transferOn, decided on decidedOn: the transferor's
// "not less than 15 days before the effective date of transfer" and the
// transferee's "not more than 15 days after" it (a single combined notice
// meets both when sent by the first deadline). A transfer decided less
// than 15 days ahead opens and falls due on decidedOn.
func Transfer(decidedOn, transferOn date.Date) (transferor, transferee Notice) {
	due := transferOn - TransferDays
	transferor = window(KindTransferorNotice, "12 CFR 1024.33(b)(3)", transferOn, min(decidedOn, due), max(due, min(decidedOn, transferOn)))
	transferee = window(KindTransfereeNotice, "12 CFR 1024.33(b)(3)", transferOn, min(decidedOn, transferOn), transferOn+TransferDays)
	return transferor, transferee
}

// Payoff returns the §1026.36(c)(3) payoff statement for a written request
// received on receivedOn: "within a reasonable time but in no case more
// than seven business days, after receiving a written request", business
// days counted on cal (the loan's calendar; receivedOn itself not
// counted).
func Payoff(receivedOn date.Date, cal schedule.Calendar) Notice {
	return window(KindPayoffStatement, "12 CFR 1026.36(c)(3)", receivedOn, receivedOn,
		schedule.AddBusinessDays(receivedOn, PayoffBusinessDays, cal))
}

// LossMitigationAck returns the §1024.41(b)(2)(i)(B) acknowledgment of a
// loss mitigation application received on receivedOn: "within 5 days
// (excluding legal public holidays, Saturdays, and Sundays) after
// receiving the loss mitigation application", counted on cal (a calendar
// closed on those days, such as schedule.USFederalReserve). The rule
// applies to an application received 45 days or more before a foreclosure
// sale; that judgement is the host's.
func LossMitigationAck(receivedOn date.Date, cal schedule.Calendar) Notice {
	return window(KindLossMitigationAck, "12 CFR 1024.41(b)(2)(i)(B)", receivedOn, receivedOn,
		schedule.AddBusinessDays(receivedOn, LossMitigationAckDays, cal))
}

func window(k Kind, rule string, trigger, opens, due date.Date) Notice {
	return Notice{Kind: k, Rule: rule, Trigger: trigger, Opens: min(opens, due), Due: due}
}
