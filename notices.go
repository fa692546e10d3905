package servicing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/rickb777/date/v2"
)

// Notices returns the loan's notice calendar on asOf: what must be sent to
// the borrower and by when, each notice marked sent once MarkNoticeSent
// named it (loan.State.Notices lists the rules). A host runs it after end
// of day and sends what is open and unsent; the events that make a notice
// due (ReceiveRequest, TransferServicing) also report it in their
// Result.Domain as a loan.DomainNoticeDue with its deadline and key, and
// a loan boarded with Terms.NoticeDue has the calendar's statements and
// early intervention notices reported so too, by the command whose fold
// first lists each (and so through the outbox).
func (e *Engine) Notices(ctx context.Context, id LoanID, asOf date.Date, o loan.NoticeOptions) ([]notice.Notice, error) {
	terms, evs, err := e.events(ctx, id, time.Time{})
	if err != nil {
		return nil, err
	}
	s, err := loan.Replay(terms, evs, asOf)
	if err != nil {
		return nil, fmt.Errorf("notices loan %q: %w", id, err)
	}
	ns, err := s.Notices(evs, o)
	if err != nil {
		return nil, fmt.Errorf("notices loan %q: %w", id, err)
	}
	return ns, nil
}

// ReceiveRequest records a borrower's request received on on (a written
// payoff request, a loss mitigation application): its notice falls due on
// the loan's calendar and is reported as a loan.DomainNoticeDue. Errors:
// ErrInvalidCommand naming an unknown type or a date before funding,
// store errors.
func (e *Engine) ReceiveRequest(ctx context.Context, id LoanID, on date.Date, t loan.RequestType, m Meta) (Result, error) {
	return e.execute(ctx, id, command{kind: loan.KindRequestReceived, on: on, meta: m,
		payload: loan.RequestReceived{Type: t},
		check: func(l loaded, fl *field.List) {
			onOrAfterBoarding(fl, on, l)
			if !slices.Contains(loan.RequestTypes, t) {
				fl.Add("Type", string(t), field.ErrNotSupported, "payoff_statement or loss_mitigation_application")
			}
		}})
}

// MarkNoticeSent records that the notice with key (notice.Notice.Key) was
// sent or placed in the mail on on. The key must name a notice of the
// loan's calendar on on; marking one twice is refused. Errors:
// ErrInvalidCommand naming the key, store errors.
func (e *Engine) MarkNoticeSent(ctx context.Context, id LoanID, on date.Date, key string, m Meta) (Result, error) {
	c := command{kind: loan.KindNoticeSent, on: on, meta: m, payload: loan.NoticeSent{Notice: key},
		check: func(l loaded, fl *field.List) { onOrAfterBoarding(fl, on, l) }}
	if h, err := c.hash(); err == nil && m.IdempotencyKey != "" {
		// A retry returns the first result before the notice, now sent,
		// would refuse it.
		if r, done, err := e.lookup(ctx, id, m.IdempotencyKey, h); done || err != nil {
			return r, err
		}
	}
	ns, err := e.Notices(ctx, id, on, loan.NoticeOptions{})
	if err != nil {
		return Result{}, err
	}
	var fl field.List
	textField(&fl, "Notice", key)
	i := slices.IndexFunc(ns, func(n notice.Notice) bool { return n.Key() == key })
	switch {
	case key == "":
		fl.Add("Notice", nil, field.ErrRequired, "")
	case i < 0:
		fl.Add("Notice", key, field.ErrInvalid, "no such notice on the loan's calendar on "+on.String())
	case ns[i].Sent:
		fl.Add("Notice", key, field.ErrInvalid, "already sent on "+ns[i].SentOn.String())
	}
	if err := fl.Err(ErrInvalidCommand); err != nil {
		return Result{}, fmt.Errorf("notice_sent loan %q: %w", id, err)
	}
	return e.execute(ctx, id, c)
}
