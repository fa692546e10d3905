package party

import (
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
)

// ErrInvalid is wrapped by validation errors.
var ErrInvalid = errors.New("party: invalid party")

// Role is a party's place on the loan.
type Role string

// The roles.
const (
	Borrower   Role = "borrower"
	CoBorrower Role = "co_borrower"
	Guarantor  Role = "guarantor"
)

// Roles lists the roles.
var Roles = []Role{Borrower, CoBorrower, Guarantor}

// Channel is a way to reach a party.
type Channel string

// The channels.
const (
	Phone Channel = "phone"
	Email Channel = "email"
	Mail  Channel = "mail"
	SMS   Channel = "sms"
)

// Channels lists the channels.
var Channels = []Channel{Phone, Email, Mail, SMS}

// Limits on a contact record.
const (
	MaxText    = 256 // bytes per text field
	MaxWindows = 64  // do-not-contact windows, and active-duty periods
)

// Window is a half-open range of days [From, To); zero To is open-ended.
type Window struct {
	From date.Date `json:"from"`
	To   date.Date `json:"to,omitzero"`
	// Channel limits a do-not-contact window to one channel; empty is all.
	Channel Channel `json:"channel,omitempty"`
}

// Contains reports whether day is in the window.
func (w Window) Contains(day date.Date) bool { return day >= w.From && (w.To == 0 || day < w.To) }

// Contact is a party's personal data and preferences: what a vault keeps
// and erasure removes. Every field is the party's own; none enters a
// loan's money.
type Contact struct {
	// Name, Email, Phone and Address reach the party; at most MaxText
	// bytes of UTF-8 each.
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
	// Preferred is the channel the party asked for; empty is none.
	Preferred Channel `json:"preferred,omitempty"`
	// Language is the party's language as a BCP 47 tag ("en", "es").
	Language string `json:"language,omitempty"`
	// EConsent is consent to electronic delivery of notices (E-SIGN Act,
	// 15 U.S.C. 7001(c)), given on EConsentOn.
	EConsent   bool      `json:"e_consent,omitempty"`
	EConsentOn date.Date `json:"e_consent_on,omitzero"`
	// DoNotContact are windows in which the party may not be contacted
	// (a cease request, a dispute, a disaster), on one channel or all.
	DoNotContact []Window `json:"do_not_contact,omitempty"`
	// ActiveDuty are periods of military service (50 U.S.C. 3911); the
	// rate cap they entitle to is a money event of its own (RateCapped).
	ActiveDuty []Window `json:"active_duty,omitempty"`
}

// Party is one person on a loan as the log knows it: no personal data.
type Party struct {
	// ID is the host's party reference; required, at most MaxText bytes,
	// not personal data (never a name or a tax id).
	ID string `json:"id"`
	// Role is the party's role on the loan.
	Role Role `json:"role"`
}

// Validate returns an error wrapping ErrInvalid naming every bad field of
// p, under path.
func (p Party) Validate(path string) error {
	var l field.List
	text(&l, path+".ID", p.ID)
	if p.ID == "" {
		l.Add(path+".ID", nil, field.ErrRequired, "")
	}
	if !slices.Contains(Roles, p.Role) {
		l.Add(path+".Role", string(p.Role), field.ErrNotSupported, "borrower, co_borrower or guarantor")
	}
	return l.Err(ErrInvalid)
}

// Validate returns an error wrapping ErrInvalid naming every bad field of
// c, under path. Personal values are never echoed: a bad field reports
// its length.
func (c Contact) Validate(path string) error {
	var l field.List
	for _, f := range [...]struct{ p, v string }{{".Name", c.Name}, {".Email", c.Email}, {".Phone", c.Phone},
		{".Address", c.Address}, {".Language", c.Language}} {
		text(&l, path+f.p, f.v)
	}
	if c.Name == "" {
		l.Add(path+".Name", nil, field.ErrRequired, "")
	}
	if c.Preferred != "" && !slices.Contains(Channels, c.Preferred) {
		l.Add(path+".Preferred", string(c.Preferred), field.ErrNotSupported, "phone, email, mail or sms")
	}
	if c.EConsent && c.EConsentOn == 0 {
		l.Add(path+".EConsentOn", nil, field.ErrRequired, "the day consent was given")
	}
	windows(&l, path+".DoNotContact", c.DoNotContact)
	windows(&l, path+".ActiveDuty", c.ActiveDuty)
	return l.Err(ErrInvalid)
}

func text(l *field.List, path, s string) {
	if len(s) > MaxText || !utf8.ValidString(s) {
		l.Add(path, len(s), field.ErrOutOfRange, fmt.Sprintf("at most %d bytes of UTF-8", MaxText))
	}
}

func windows(l *field.List, path string, ws []Window) {
	if len(ws) > MaxWindows {
		l.Add(path, len(ws), field.ErrOutOfRange, fmt.Sprintf("at most %d", MaxWindows))
		return
	}
	for i, w := range ws {
		wp := fmt.Sprintf("%s[%d]", path, i)
		if w.To != 0 && w.To <= w.From {
			l.Add(wp+".To", w.To.String(), field.ErrOutOfRange, "not after From")
		}
		if w.Channel != "" && !slices.Contains(Channels, w.Channel) {
			l.Add(wp+".Channel", string(w.Channel), field.ErrNotSupported, "phone, email, mail or sms")
		}
	}
}

// Blocked reports whether the party may not be contacted on day through
// channel ch (empty: any channel at all).
func (c Contact) Blocked(day date.Date, ch Channel) bool {
	for _, w := range c.DoNotContact {
		if w.Contains(day) && (w.Channel == "" || ch == "" || w.Channel == ch) {
			return true
		}
	}
	return false
}

// OnActiveDuty reports whether day falls in an active-duty period.
func (c Contact) OnActiveDuty(day date.Date) bool {
	for _, w := range c.ActiveDuty {
		if w.Contains(day) {
			return true
		}
	}
	return false
}

// Changed returns the names of the fields (JSON names) that differ
// between a and b, in declaration order: what the log records of a change
// without recording the values.
func Changed(a, b Contact) []string {
	var out []string
	add := func(name string, diff bool) {
		if diff {
			out = append(out, name)
		}
	}
	add("name", a.Name != b.Name)
	add("email", a.Email != b.Email)
	add("phone", a.Phone != b.Phone)
	add("address", a.Address != b.Address)
	add("preferred", a.Preferred != b.Preferred)
	add("language", a.Language != b.Language)
	add("e_consent", a.EConsent != b.EConsent || a.EConsentOn != b.EConsentOn)
	add("do_not_contact", !slices.Equal(a.DoNotContact, b.DoNotContact))
	add("active_duty", !slices.Equal(a.ActiveDuty, b.ActiveDuty))
	return out
}
