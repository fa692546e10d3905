package product

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// payloadMembers are the members of a product boarding payload: the
// product reference, the loan's terms members, and loan.ParseBoarding's
// own.
var payloadMembers = []string{"borrower", "history", "los_reference", "product", "product_version", "terms"}

// ParseBoarding reads an LOS payload that names a product of the
// catalogue and gives only the loan's own values:
//
//	{"product": "mortgage_30_fixed", "product_version": 1,
//	 "terms": {"principal": "300000.00", "annual_rate": "6.5%",
//	           "funding_date": "2025-01-15", "first_due_date": "2025-03-01"},
//	 "borrower": "B-1", "los_reference": "…", "history": […]}
//
// "product" is required; "product_version" is optional (the latest by
// default). The "terms" members are laid over the product's defaults — a
// member given replaces the default whole; amounts are in the product's
// currency, bare or with its code — and the result is read and validated by
// loan.ParseBoarding, which also reads borrower, los_reference and history.
// Every problem is reported at once with its path: a required member
// missing ("Terms.principal", field.ErrRequired), a member the product does
// not let a loan change or that the terms do not have, and a payload
// member that is none of the above (field.ErrNotSupported), a principal,
// rate or term outside the product's limits (field.ErrOutOfRange), a first
// due date off the product's due day (field.ErrInvalid), and what loan
// finds. An unknown product ("Product", wrapping ErrUnknownProduct) or
// version ("ProductVersion") is reported alone: without the product there
// are no defaults to check the rest against.
// Errors wrap loan.ErrInvalidInput, and loan.ErrInvalidTerms when a term is
// bad. The request names the product and the version used (Product,
// ProductVersion); the payment, unless given, is solved at boarding.
func (c Catalogue) ParseBoarding(payload []byte) (loan.BoardingRequest, error) {
	var top map[string]json.RawMessage
	if err := strictjson.Decode(payload, &top); err != nil {
		return loan.BoardingRequest{}, fmt.Errorf("%w: %w", loan.ErrInvalidInput, err)
	}
	var l field.List
	e, ok := c.resolve(&l, top)
	if !ok {
		return loan.BoardingRequest{}, c.boardingErr(&l, top)
	}
	p := e.p
	var given map[string]json.RawMessage
	if raw, ok := top["terms"]; ok {
		if err := strictjson.DecodeAt("Terms", raw, &given); err != nil {
			l.Append(err)
			return loan.BoardingRequest{}, fmt.Errorf("%w: %w: %w", loan.ErrInvalidInput, loan.ErrInvalidTerms, l.Err(nil))
		}
	}
	terms, missing := p.merge(&l, e.defaults, given)
	rest := map[string]json.RawMessage{"terms": terms}
	for _, m := range slices.Sorted(maps.Keys(top)) {
		switch {
		case m == "product" || m == "product_version" || m == "terms":
		case slices.Contains(payloadMembers, m):
			rest[m] = top[m]
		default:
			l.Add(m, nil, field.ErrNotSupported, "not a member of a product boarding (it takes: "+strings.Join(payloadMembers, ", ")+")")
		}
	}
	whole, err := json.Marshal(rest)
	if err != nil {
		return loan.BoardingRequest{}, fmt.Errorf("%w: %w", loan.ErrInvalidInput, err)
	}
	req, err := loan.ParseBoarding(whole)
	var found []*field.Error
	if err != nil {
		found = field.Errors(err)
		if len(found) == 0 {
			l.Append(err)
		}
	}
	for _, fe := range found {
		// A missing required member is reported once, as missing, not
		// again as the zero value loan then sees.
		if !slices.ContainsFunc(missing, func(m string) bool { return concerns(fe.Field, m) }) {
			l.Append(fe)
		}
	}
	p.checkLimits(&l, terms, found)
	if l.Len() > 0 {
		return loan.BoardingRequest{}, c.boardingErr(&l, top)
	}
	req.Product, req.ProductVersion = p.Name, p.Version
	return req, nil
}

// boardingErr wraps the problems found in a boarding payload: always
// loan.ErrInvalidInput, ErrUnknownProduct when the product is not in the
// catalogue, loan.ErrInvalidTerms when a term is bad.
func (c Catalogue) boardingErr(l *field.List, top map[string]json.RawMessage) error {
	err := l.Err(nil)
	fes := field.Errors(err)
	switch {
	case slices.ContainsFunc(fes, func(fe *field.Error) bool { return errors.Is(fe.Err, ErrUnknownProduct) }):
		return fmt.Errorf("%w: %w: %w", loan.ErrInvalidInput, ErrUnknownProduct, err)
	case slices.ContainsFunc(fes, func(fe *field.Error) bool { return strings.HasPrefix(fe.Field, "Terms") }):
		return fmt.Errorf("%w: %w: %w", loan.ErrInvalidInput, loan.ErrInvalidTerms, err)
	}
	return fmt.Errorf("%w: %w", loan.ErrInvalidInput, err)
}

// resolve finds the product the payload names.
func (c Catalogue) resolve(l *field.List, top map[string]json.RawMessage) (entry, bool) {
	var name string
	var version int
	raw, ok := top["product"]
	if !ok {
		l.Add("Product", nil, field.ErrRequired, "one of the catalogue's products: "+strings.Join(c.Names(), ", "))
		return entry{}, false
	}
	n := l.Len()
	l.Append(strictjson.DecodeAt("Product", raw, &name))
	if raw, ok := top["product_version"]; ok {
		l.Append(strictjson.DecodeAt("ProductVersion", raw, &version))
		if l.Len() == n && version < 1 {
			l.Add("ProductVersion", version, field.ErrOutOfRange, "from 1 (leave it out for the latest)")
		}
	}
	if l.Len() > n {
		return entry{}, false
	}
	if _, known := c.byName[name]; !known {
		l.Add("Product", name, ErrUnknownProduct, "the catalogue holds: "+strings.Join(c.Names(), ", "))
		return entry{}, false
	}
	e, ok := c.entry(name, version)
	if !ok {
		l.Add("ProductVersion", version, ErrUnknownProduct, "the catalogue holds "+name+" versions "+c.versions(name))
	}
	return e, ok
}

// merge lays the loan's terms members over the product's defaults. A
// required member missing and a member the loan may not give are reported;
// the latter is left out (the default stays). It returns the merged terms
// and the required members missing.
func (p Product) merge(l *field.List, defaults, given map[string]json.RawMessage) (json.RawMessage, []string) {
	var missing []string
	for _, m := range p.Required {
		if _, ok := given[m]; !ok {
			missing = append(missing, m)
			l.Add("Terms."+m, nil, field.ErrRequired, fmt.Sprintf("each loan of %s gives it (no default)", p.ref()))
		}
	}
	merged := make(map[string]json.RawMessage, len(defaults)+len(given))
	for m, v := range defaults {
		merged[m] = v
	}
	for _, m := range slices.Sorted(maps.Keys(given)) {
		switch _, known := termsMembers[m]; {
		case slices.Contains(p.Required, m) || slices.Contains(p.Overridable, m):
			merged[m] = given[m]
		case known:
			l.Add("Terms."+m, nil, field.ErrNotSupported, fmt.Sprintf("%s sets it; a loan gives %s", p.ref(), p.gives()))
		default:
			l.Add("Terms."+m, nil, field.ErrNotSupported, fmt.Sprintf("not a member of the terms; a loan of %s gives %s", p.ref(), p.gives()))
		}
	}
	// The adjustable rate starts at the loan's rate (loan.Terms holds
	// them equal) unless the loan gives its own ARM.
	if arm, ok := merged["arm"]; ok && given["arm"] == nil && merged["annual_rate"] != nil && string(arm) != "null" {
		var a map[string]json.RawMessage
		if json.Unmarshal(arm, &a) == nil {
			a["initial_rate"] = merged["annual_rate"]
			if b, err := json.Marshal(a); err == nil {
				merged["arm"] = b
			}
		}
	}
	b, _ := json.Marshal(merged) // raw members of valid JSON: cannot fail
	return b, missing
}

// gives lists what a loan of the product gives and may give, for messages.
func (p Product) gives() string {
	s := strings.Join(p.Required, ", ")
	if len(p.Overridable) > 0 {
		s += " and may give " + strings.Join(p.Overridable, ", ")
	}
	return s
}

// checkLimits holds the merged terms' principal, rate, installments and
// first due date to the product's limits. A value that does not read, or
// that loan already found bad, is loan's to report.
func (p Product) checkLimits(l *field.List, terms json.RawMessage, found []*field.Error) {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(terms, &m)
	bad := func(member string) bool {
		_, ok := m[member]
		return !ok || slices.ContainsFunc(found, func(fe *field.Error) bool { return concerns(fe.Field, member) })
	}
	lim := p.Limits
	if !bad("principal") {
		a := money.Zero(p.Currency())
		if a.UnmarshalJSON(m["principal"]) == nil {
			if d := lim.principal(a); d != "" {
				l.Add("Terms.principal", a.String(), field.ErrOutOfRange, p.ref()+" lends "+d)
			}
		}
	}
	if !bad("annual_rate") {
		var r rate.Rate
		if strictjson.Decode(m["annual_rate"], &r) == nil {
			if d := lim.rate(r); d != "" {
				l.Add("Terms.annual_rate", r.String(), field.ErrOutOfRange, p.ref()+" lends at rates "+d)
			}
		}
	}
	if !bad("installments") {
		var n int
		if strictjson.Decode(m["installments"], &n) == nil {
			if d := lim.installments(n); d != "" {
				l.Add("Terms.installments", n, field.ErrOutOfRange, p.ref()+" lends over "+d+" installments")
			}
		}
	}
	if !bad("first_due_date") && lim.DueDay != 0 {
		var d date.Date
		if strictjson.Decode(m["first_due_date"], &d) == nil && d.Day() != lim.DueDay {
			l.Add("Terms.first_due_date", d.String(), field.ErrInvalid, fmt.Sprintf("%s falls due on day %d of the month", p.ref(), lim.DueDay))
		}
	}
}
