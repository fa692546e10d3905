package product

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
)

// Catalogue holds products by name and version: what a boarding payload
// may name. It is an immutable value, safe for concurrent use; the zero
// value holds no product.
type Catalogue struct {
	// byName holds each name's versions, ascending.
	byName map[string][]entry
}

// entry is one product with its defaults as JSON members, laid under each
// loan's at boarding.
type entry struct {
	p        Product
	defaults map[string]json.RawMessage
}

// NewCatalogue returns a catalogue of the products, each validated
// (Product.Validate) and each (Name, Version) held once. Errors wrap
// ErrInvalidProduct and name the products by their place,
// "Products[2].Limits.PrincipalMax".
func NewCatalogue(products ...Product) (Catalogue, error) {
	var l field.List
	c := Catalogue{byName: map[string][]entry{}}
	seen := map[string]int{}
	for i, p := range products {
		prefix := fmt.Sprintf("Products[%d]", i)
		if err := p.Validate(); err != nil {
			for _, fe := range field.Errors(err) {
				l.Add(prefix+"."+fe.Field, fe.Value, fe.Err, fe.Detail)
			}
			continue
		}
		if j, dup := seen[p.ref()]; dup {
			l.Add(prefix+".Version", p.Version, field.ErrInvalid, fmt.Sprintf("%s is already Products[%d]", p.ref(), j))
			continue
		}
		seen[p.ref()] = i
		// The catalogue keeps its own lists: a caller's later change to
		// the slices it passed changes nothing here.
		p.Required, p.Overridable = slices.Clone(p.Required), slices.Clone(p.Overridable)
		d, err := p.defaultMembers()
		if err != nil {
			l.Add(prefix+".Defaults", nil, field.ErrInvalid, err.Error())
			continue
		}
		c.byName[p.Name] = append(c.byName[p.Name], entry{p: p, defaults: d})
	}
	if err := l.Err(ErrInvalidProduct); err != nil {
		return Catalogue{}, err
	}
	for _, es := range c.byName {
		slices.SortFunc(es, func(a, b entry) int { return a.p.Version - b.p.Version })
	}
	return c, nil
}

// Builtin returns the built-in catalogue: Mortgage30Fixed, Mortgage15Fixed,
// ARM51, AutoLoan, PersonalLoan, BridgeLoan and ConsumerAddOn, each at
// version 1. A host adds its own with NewCatalogue(append(Builtin().Products(),
// mine...)...).
func Builtin() Catalogue {
	c, err := NewCatalogue(Mortgage30Fixed(), Mortgage15Fixed(), ARM51(), AutoLoan(), PersonalLoan(), BridgeLoan(), ConsumerAddOn(), ConstructionLoan(), HELOC())
	if err != nil {
		panic(err) // the tests hold every built-in product valid
	}
	return c
}

// catalogueJSON is the written form of a catalogue.
type catalogueJSON struct {
	Products []Product `json:"products"`
}

// ParseCatalogue reads a catalogue written by Catalogue.MarshalJSON
// ({"products": [...]}) strictly (see Product.UnmarshalJSON) and validates
// it as NewCatalogue does, reporting every problem at once. Errors wrap
// ErrInvalidProduct.
func ParseCatalogue(b []byte) (Catalogue, error) {
	var w catalogueJSON
	if err := strictjson.Decode(b, &w); err != nil {
		return Catalogue{}, fmt.Errorf("%w: %w", ErrInvalidProduct, err)
	}
	return NewCatalogue(w.Products...)
}

// MarshalJSON writes the catalogue's products by name, then version.
func (c Catalogue) MarshalJSON() ([]byte, error) {
	return json.Marshal(catalogueJSON{Products: c.Products()})
}

// UnmarshalJSON reads a catalogue as ParseCatalogue does.
func (c *Catalogue) UnmarshalJSON(b []byte) error {
	v, err := ParseCatalogue(b)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Products returns the catalogue's products by name, then version.
func (c Catalogue) Products() []Product {
	out := []Product{}
	for _, n := range c.Names() {
		for _, e := range c.byName[n] {
			out = append(out, e.p)
		}
	}
	return out
}

// Names returns the names of the catalogue's products, sorted.
func (c Catalogue) Names() []string {
	out := make([]string, 0, len(c.byName))
	for n := range c.byName {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Lookup returns version version of the product named name, and whether
// the catalogue holds it.
func (c Catalogue) Lookup(name string, version int) (Product, bool) {
	e, ok := c.entry(name, version)
	return e.p, ok
}

// Latest returns the highest version of the product named name, and
// whether the catalogue holds any.
func (c Catalogue) Latest(name string) (Product, bool) {
	e, ok := c.entry(name, 0)
	return e.p, ok
}

// entry finds a product; version 0 is the latest.
func (c Catalogue) entry(name string, version int) (entry, bool) {
	es := c.byName[name]
	if len(es) == 0 {
		return entry{}, false
	}
	if version == 0 {
		return es[len(es)-1], true
	}
	i := slices.IndexFunc(es, func(e entry) bool { return e.p.Version == version })
	if i < 0 {
		return entry{}, false
	}
	return es[i], true
}

// versions lists the versions held of name, for messages.
func (c Catalogue) versions(name string) string {
	var vs []string
	for _, e := range c.byName[name] {
		vs = append(vs, fmt.Sprint(e.p.Version))
	}
	return strings.Join(vs, ", ")
}
