package loan

import (
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// The servicer-record event kinds: facts about the servicing of a loan
// that move no money. The fold checks their place in the log and reports
// the notices they make due (DomainNoticeDue); balances never depend on
// them.
const (
	KindServicingTransferred Kind = "servicing_transferred"
	KindRequestReceived      Kind = "request_received"
	KindNoticeSent           Kind = "notice_sent"
)

// DomainNoticeDue: a notice (DomainEvent.Notice, key NoticeKey) is due by
// By (its last day). A servicer-record event reports the notices it makes
// due on its own date; with Terms.NoticeDue the fold reports the calendar
// notices (periodic and escrow statements, early intervention) on the
// first day the calendar lists each.
const DomainNoticeDue DomainEventType = "notice_due"

// ServicingTransferred records a transfer of the loan's servicing from one
// servicer to another, effective on TransferOn; the event's own date is
// the day it was decided. It makes the Reg X §1024.33(b) notices due and
// opens the §1024.33(c) 60-day window in which a payment sent to From is
// not late (delinquency.PriorServicerTimely). A loan sale without a change
// of servicer is not a transfer of servicing.
type ServicingTransferred struct {
	// From and To name the transferor and transferee servicers; required,
	// different, at most MaxText bytes.
	From string `json:"from"`
	To   string `json:"to"`
	// TransferOn is the effective date of the transfer: the first day To
	// services the loan.
	TransferOn date.Date `json:"transfer_on"`
}

// Kind returns KindServicingTransferred.
func (ServicingTransferred) Kind() Kind { return KindServicingTransferred }

func (ServicingTransferred) currency() money.Currency { return money.Currency{} }

// RequestType names a borrower request with a response deadline.
type RequestType string

// The request types.
const (
	// RequestPayoff is a written request for a payoff statement (Reg Z
	// §1026.36(c)(3): within 7 business days).
	RequestPayoff RequestType = "payoff_statement"
	// RequestLossMitigation is a loss mitigation application (Reg X
	// §1024.41(b)(2)(i)(B): acknowledged within 5 business days).
	RequestLossMitigation RequestType = "loss_mitigation_application"
)

// RequestTypes lists the request types.
var RequestTypes = []RequestType{RequestPayoff, RequestLossMitigation}

// RequestReceived records a borrower's request received on the event's
// date; the notice it asks for falls due on the loan's calendar.
type RequestReceived struct {
	// Type is the request.
	Type RequestType `json:"type"`
}

// Kind returns KindRequestReceived.
func (RequestReceived) Kind() Kind { return KindRequestReceived }

func (RequestReceived) currency() money.Currency { return money.Currency{} }

// NoticeSent records that a notice of the loan's calendar was sent (or
// placed in the mail) on the event's date; Notice is its key
// (notice.Notice.Key).
type NoticeSent struct {
	// Notice is the key of the notice sent.
	Notice string `json:"notice"`
}

// Kind returns KindNoticeSent.
func (NoticeSent) Kind() Kind { return KindNoticeSent }

func (NoticeSent) currency() money.Currency { return money.Currency{} }

// Calendar is the loan's business-day calendar: Terms.Calendar when the
// host attached one (it is not serialized), else the Federal Reserve's,
// whose holidays are the legal public holidays (5 U.S.C. 6103) Reg X
// excludes.
func (s State) Calendar() schedule.Calendar {
	if s.Terms.Calendar != nil {
		return s.Terms.Calendar
	}
	return schedule.USFederalReserve()
}

// recordNotices reports the notices a servicer-record event effective on d
// makes due.
func (f *folder) recordNotices(d date.Date, p Payload) {
	if !f.recording {
		return
	}
	for _, n := range recordedNotices(&f.s, d, p) {
		f.emit(noticeDue(d, n))
	}
}

// recordedNotices are the notices an event effective on d makes due.
func recordedNotices(s *State, d date.Date, p Payload) []notice.Notice {
	switch p := p.(type) {
	case ServicingTransferred:
		out, in := notice.Transfer(d, p.TransferOn)
		ns := []notice.Notice{out, in}
		if s.hasEscrow() {
			ns = append(ns, notice.EscrowShortYear(p.TransferOn))
		}
		return ns
	case RequestReceived:
		switch p.Type {
		case RequestPayoff:
			return []notice.Notice{notice.Payoff(d, s.Calendar())}
		case RequestLossMitigation:
			return []notice.Notice{notice.LossMitigationAck(d, s.Calendar())}
		}
	}
	return nil
}

// hasEscrow reports whether the loan has an escrow account.
func (s *State) hasEscrow() bool {
	return s.Terms.EscrowPayment.IsPositive() || len(s.Terms.EscrowItems) > 0
}
