package product

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
)

// Bounds of a product's text, so a catalogue a host ships stays small.
const (
	// MaxName bounds Product.Name, in bytes.
	MaxName = 64
	// MaxDescription bounds Product.Description, in bytes of UTF-8.
	MaxDescription = 2048
)

// Product is a loan product: the terms every loan of it starts from, what
// each loan must give, what it may change, and the ranges its values must
// fall in. A loan records the product's name and version, so a product
// changes by a new version, never by editing one a loan was boarded under.
// Treat the pointers inside Defaults as read-only (catalogues share them).
type Product struct {
	// Name is how payloads name the product ("mortgage_30_fixed"):
	// lower-case letters, digits and underscores, starting with a letter,
	// at most MaxName bytes.
	Name string `json:"name"`
	// Version numbers the product's revisions from 1; a catalogue holds
	// each (Name, Version) once.
	Version int `json:"version"`
	// Description says what the product is and where its conventions come
	// from, for people; at most MaxDescription bytes of UTF-8.
	Description string `json:"description,omitempty"`
	// Defaults are the terms of a loan of the product, but for the members
	// in Required, which are left zero. Its Principal's currency
	// (money.Zero(currency)) is the product's currency. With an ARM, the
	// ARM's InitialRate is not a default: a loan's adjustable rate starts
	// at the loan's AnnualRate, and the product sets it so.
	Defaults loan.Terms `json:"defaults"`
	// Required lists the terms members (their JSON names: "principal",
	// "annual_rate", "funding_date", "first_due_date", …) each loan must
	// give; the product has no default for them.
	Required []string `json:"required"`
	// Overridable lists the terms members a loan may give in place of the
	// default. A member given replaces the default whole (a "delinquency"
	// given is the loan's whole policy). Every other member is the
	// product's own, and a loan giving it is refused.
	Overridable []string `json:"overridable,omitempty"`
	// Limits bound the values a loan gives.
	Limits Limits `json:"limits"`
}

// Limits are the ranges a product lends in; a zero bound is none. They
// narrow what loan accepts, never widen it.
type Limits struct {
	// PrincipalMin and PrincipalMax bound the principal, in the product's
	// currency.
	PrincipalMin money.Amount `json:"principal_min,omitzero"`
	PrincipalMax money.Amount `json:"principal_max,omitzero"`
	// RateMin and RateMax bound the annual rate.
	RateMin rate.Rate `json:"rate_min,omitzero"`
	RateMax rate.Rate `json:"rate_max,omitzero"`
	// InstallmentsMin and InstallmentsMax bound the number of installments.
	InstallmentsMin int `json:"installments_min,omitempty"`
	InstallmentsMax int `json:"installments_max,omitempty"`
	// DueDay is the day of the month the first due date must fall on (a
	// monthly loan's due dates then keep it: GSE loans fall due on the
	// 1st); zero is any day.
	DueDay int `json:"due_day,omitempty"`
}

// ref names the product and its version in messages.
func (p Product) ref() string { return fmt.Sprintf("%s v%d", p.Name, p.Version) }

// Currency returns the product's currency (that of Defaults.Principal).
func (p Product) Currency() money.Currency { return p.Defaults.Currency() }

// Validate reports every bad field of the product at once, wrapped in
// ErrInvalidProduct: its name, version and description; Required and
// Overridable (terms members, each once, never both, never the currency);
// the defaults, which must be valid loan terms (loan.Terms.Validate) but
// for the members each loan gives, those left zero; the limits, in the
// product's currency and in order, and the defaults within them.
func (p Product) Validate() error {
	var l field.List
	p.validate(&l)
	return l.Err(ErrInvalidProduct)
}

func (p Product) validate(l *field.List) {
	switch {
	case p.Name == "":
		l.Add("Name", nil, field.ErrRequired, "")
	case !validName(p.Name):
		l.Add("Name", p.Name, field.ErrInvalid, fmt.Sprintf("lower-case letters, digits and underscores, starting with a letter, at most %d bytes", MaxName))
	}
	if p.Version < 1 {
		l.Add("Version", p.Version, field.ErrOutOfRange, "from 1")
	}
	if len(p.Description) > MaxDescription || !utf8.ValidString(p.Description) {
		l.Add("Description", len(p.Description), field.ErrOutOfRange, fmt.Sprintf("at most %d bytes of UTF-8", MaxDescription))
	}
	required := memberSet(l, "Required", p.Required, nil)
	memberSet(l, "Overridable", p.Overridable, required)
	cur := p.Currency()
	if !cur.Valid() {
		l.Add("Defaults.Currency", nil, field.ErrRequired, "the product's currency: Defaults.Principal as money.Zero(currency)")
		return
	}
	p.validateDefaults(l, required)
	p.Limits.validate(l, cur)
	d := p.Defaults
	for _, c := range []struct {
		member string
		value  any
		detail string
	}{
		{"principal", d.Principal.String(), p.Limits.principal(d.Principal)},
		{"annual_rate", d.AnnualRate.String(), p.Limits.rate(d.AnnualRate)},
		{"installments", d.Installments, p.Limits.installments(d.Installments)},
	} {
		if !required[c.member] && c.detail != "" {
			l.Add("Defaults."+termsMembers[c.member], c.value, field.ErrOutOfRange, "outside the product's limits: "+c.detail)
		}
	}
}

// validName reports whether s is a product name.
func validName(s string) bool {
	if len(s) > MaxName || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// memberSet checks a list of terms members and returns it as a set:
// each a member of loan.Terms' JSON form, once, not in other, and not the
// currency (a product lends in one currency).
func memberSet(l *field.List, path string, ms []string, other map[string]bool) map[string]bool {
	set := make(map[string]bool, len(ms))
	for i, m := range ms {
		p := fmt.Sprintf("%s[%d]", path, i)
		_, known := termsMembers[m]
		switch {
		case !known:
			l.Add(p, m, field.ErrNotSupported, "a member of the terms: "+strings.Join(memberNames(), ", "))
		case m == "currency":
			l.Add(p, m, field.ErrNotSupported, "a product lends in one currency (its defaults'): ship one product per currency")
		case set[m]:
			l.Add(p, m, field.ErrInvalid, "listed twice")
		case other[m]:
			l.Add(p, m, field.ErrInvalid, "also in Required: a value each loan gives is not a default it may change")
		}
		set[m] = true
	}
	return set
}

// validateDefaults holds the defaults to loan's own validation, leaving out
// what concerns the members each loan gives, and those members to zero.
func (p Product) validateDefaults(l *field.List, required map[string]bool) {
	have, err := membersOf(p.Defaults)
	if err != nil {
		l.Add("Defaults", nil, field.ErrInvalid, err.Error())
		return
	}
	blank := blankMembers(p.Currency())
	for _, m := range p.Required {
		if v, ok := have[m]; ok && termsMembers[m] != "" && !bytes.Equal(v, blank[m]) {
			l.Add("Defaults."+termsMembers[m], string(v), field.ErrInvalid, "each loan gives it (Required): leave the default zero")
		}
	}
	d := p.Defaults
	if d.ARM != nil {
		arm := *d.ARM
		arm.InitialRate = d.AnnualRate
		d.ARM = &arm
	}
	if d.Line == nil && slices.Contains(p.Required, "line") {
		// A line's product: its defaults are checked as a line's (the
		// line terms themselves are each loan's).
		d.Line = &loan.LineTerms{}
	}
	for _, fe := range field.Errors(d.Validate()) {
		if slices.ContainsFunc(p.Required, func(m string) bool { return concerns(fe.Field, m) }) {
			continue
		}
		path := "Defaults" + strings.TrimPrefix(fe.Field, "Terms")
		l.Add(path, fe.Value, fe.Err, fe.Detail)
	}
}

// validate checks the limits: amounts in cur and not negative, rates not
// negative, counts within loan's, each minimum at most its maximum.
func (lim Limits) validate(l *field.List, cur money.Currency) {
	for _, a := range []struct {
		path string
		v    money.Amount
	}{{"Limits.PrincipalMin", lim.PrincipalMin}, {"Limits.PrincipalMax", lim.PrincipalMax}} {
		switch {
		case a.v.IsNegative():
			l.Add(a.path, a.v.String(), field.ErrOutOfRange, "must not be negative")
		case !a.v.IsZero() && a.v.Currency() != cur:
			l.Add(a.path, a.v.Format(), field.ErrInvalid, "in the product's currency "+cur.Code)
		}
	}
	if !lim.PrincipalMax.IsZero() && lim.PrincipalMin.SameCurrency(lim.PrincipalMax) && lim.PrincipalMin.GreaterThan(lim.PrincipalMax) {
		l.Add("Limits.PrincipalMin", lim.PrincipalMin.String(), field.ErrInvalid, "above PrincipalMax "+lim.PrincipalMax.String())
	}
	for _, r := range []struct {
		path string
		v    rate.Rate
	}{{"Limits.RateMin", lim.RateMin}, {"Limits.RateMax", lim.RateMax}} {
		if r.v.IsNegative() {
			l.Add(r.path, r.v.String(), field.ErrOutOfRange, "must not be negative")
		}
	}
	if !lim.RateMax.IsZero() && lim.RateMin.Cmp(lim.RateMax) > 0 {
		l.Add("Limits.RateMin", lim.RateMin.String(), field.ErrInvalid, "above RateMax "+lim.RateMax.String())
	}
	for _, n := range []struct {
		path string
		v    int
	}{{"Limits.InstallmentsMin", lim.InstallmentsMin}, {"Limits.InstallmentsMax", lim.InstallmentsMax}} {
		if n.v < 0 || n.v > loan.MaxInstallments {
			l.Add(n.path, n.v, field.ErrOutOfRange, fmt.Sprintf("0 to %d", loan.MaxInstallments))
		}
	}
	if lim.InstallmentsMax != 0 && lim.InstallmentsMin > lim.InstallmentsMax {
		l.Add("Limits.InstallmentsMin", lim.InstallmentsMin, field.ErrInvalid, fmt.Sprintf("above InstallmentsMax %d", lim.InstallmentsMax))
	}
	if lim.DueDay < 0 || lim.DueDay > 31 {
		l.Add("Limits.DueDay", lim.DueDay, field.ErrOutOfRange, "0 (any day) to 31")
	}
}

// principal returns "" when a lies within the limits, else the range in
// words.
func (lim Limits) principal(a money.Amount) string {
	lo, hi := lim.PrincipalMin, lim.PrincipalMax
	if (lo.IsZero() || !a.LessThan(lo)) && (hi.IsZero() || !a.GreaterThan(hi)) {
		return ""
	}
	return span(lo.IsZero(), hi.IsZero(), lo.String(), hi.String())
}

// rate returns "" when r lies within the limits, else the range in words.
func (lim Limits) rate(r rate.Rate) string {
	lo, hi := lim.RateMin, lim.RateMax
	if (lo.IsZero() || r.Cmp(lo) >= 0) && (hi.IsZero() || r.Cmp(hi) <= 0) {
		return ""
	}
	return span(lo.IsZero(), hi.IsZero(), lo.String(), hi.String())
}

// installments returns "" when n lies within the limits, else the range in
// words.
func (lim Limits) installments(n int) string {
	lo, hi := lim.InstallmentsMin, lim.InstallmentsMax
	if (lo == 0 || n >= lo) && (hi == 0 || n <= hi) {
		return ""
	}
	return span(lo == 0, hi == 0, fmt.Sprint(lo), fmt.Sprint(hi))
}

// span writes a range whose ends may be open.
func span(noMin, noMax bool, lo, hi string) string {
	switch {
	case noMin:
		return "at most " + hi
	case noMax:
		return "at least " + lo
	}
	return lo + " to " + hi
}

// defaultMembers returns the members of the defaults' JSON form less those
// each loan gives: what a loan's own members are laid over.
func (p Product) defaultMembers() (map[string]json.RawMessage, error) {
	m, err := membersOf(p.Defaults)
	if err != nil {
		return nil, err
	}
	for _, r := range p.Required {
		delete(m, r)
	}
	return m, nil
}

// productJSON is the written form of a Product.
type productJSON struct {
	Name        string                     `json:"name"`
	Version     int                        `json:"version"`
	Description string                     `json:"description,omitempty"`
	Defaults    map[string]json.RawMessage `json:"defaults"`
	Required    []string                   `json:"required"`
	Overridable []string                   `json:"overridable,omitempty"`
	Limits      Limits                     `json:"limits"`
}

// MarshalJSON writes the product with its defaults as loan.Terms writes
// them ("currency" member, amounts with their code), less the members each
// loan gives, in sorted order. A product whose defaults hold a value for a
// required member is refused rather than written without it.
func (p Product) MarshalJSON() ([]byte, error) {
	d, err := p.defaultMembers()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalidProduct, p.ref(), err)
	}
	have, _ := membersOf(p.Defaults)
	blank := blankMembers(p.Currency())
	for _, m := range p.Required {
		if v, ok := have[m]; ok && !bytes.Equal(v, blank[m]) {
			return nil, fmt.Errorf("%w: %s: Defaults.%s (%s) is required of each loan: leave the default zero", ErrInvalidProduct, p.ref(), termsMembers[m], v)
		}
	}
	req := p.Required
	if req == nil {
		req = []string{}
	}
	return json.Marshal(productJSON{Name: p.Name, Version: p.Version, Description: p.Description, Defaults: d,
		Required: req, Overridable: p.Overridable, Limits: p.Limits})
}

// UnmarshalJSON reads what MarshalJSON wrote, strictly (internal/strictjson:
// unknown members at any depth, impossible dates and values of the wrong
// kind are refused, each named by its path). The defaults are read by
// loan.Terms.UnmarshalJSON and must carry "currency" and "accrual"; they
// may not hold the members in "required"; the limits' amounts may be bare
// decimals in the defaults' currency. It does not validate the product
// (see Validate; NewCatalogue and ParseCatalogue do). Errors wrap
// ErrInvalidProduct; on error *p is unchanged.
func (p *Product) UnmarshalJSON(b []byte) error {
	var w struct {
		Name        string          `json:"name"`
		Version     int             `json:"version"`
		Description string          `json:"description"`
		Defaults    json.RawMessage `json:"defaults"`
		Required    []string        `json:"required"`
		Overridable []string        `json:"overridable"`
		Limits      json.RawMessage `json:"limits"`
	}
	if err := strictjson.Decode(b, &w); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidProduct, err)
	}
	out := Product{Name: w.Name, Version: w.Version, Description: w.Description, Required: w.Required, Overridable: w.Overridable}
	var l field.List
	out.readDefaults(&l, w.Defaults)
	if cur := out.Currency(); w.Limits != nil && cur.Valid() {
		z := money.Zero(cur)
		out.Limits.PrincipalMin, out.Limits.PrincipalMax = z, z
		if err := strictjson.DecodeAt("limits", w.Limits, &out.Limits); err != nil {
			l.Append(err)
		}
		// A zero bound is none, as in a Go value's zero Amount.
		for _, a := range []*money.Amount{&out.Limits.PrincipalMin, &out.Limits.PrincipalMax} {
			if a.IsZero() {
				*a = money.Amount{}
			}
		}
	}
	if err := l.Err(ErrInvalidProduct); err != nil {
		return err
	}
	*p = out
	return nil
}

// readDefaults reads the "defaults" member into p.Defaults.
func (p *Product) readDefaults(l *field.List, raw json.RawMessage) {
	if raw == nil {
		l.Add("defaults", nil, field.ErrRequired, "the product's terms (loan.Terms), less the members each loan gives")
		return
	}
	var members map[string]json.RawMessage
	if err := strictjson.DecodeAt("defaults", raw, &members); err != nil {
		l.Append(err)
		return
	}
	n := l.Len()
	if _, ok := members["accrual"]; !ok {
		// Without it loan.Terms reads the first release's format; a
		// product is written in the current one.
		l.Add("defaults.accrual", nil, field.ErrRequired, "scheduled, daily_simple or precomputed")
	}
	for _, m := range p.Required {
		if _, ok := members[m]; ok {
			l.Add("defaults."+m, nil, field.ErrInvalid, "in required: each loan gives it, the product has no default")
		}
	}
	if l.Len() > n {
		return
	}
	if err := p.Defaults.UnmarshalJSON(raw); err != nil {
		l.Append(field.Rebase(err, "Terms", "defaults"))
	}
}
