package product

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
)

// termsMembers maps each member of loan.Terms' JSON form to the field
// loan's validation names it by ("annual_rate" → "AnnualRate"), read from
// the struct tags so it follows loan.Terms as it changes. "currency" is
// the member Terms.MarshalJSON adds.
var termsMembers = termsFields()

func termsFields() map[string]string {
	out := map[string]string{"currency": "Currency"}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			out[name] = f.Name
		}
	}
	walk(reflect.TypeFor[loan.Terms]())
	return out
}

// memberNames lists the terms members, sorted.
func memberNames() []string {
	out := make([]string, 0, len(termsMembers))
	for m := range termsMembers {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// membersOf returns the members of t's JSON form.
func membersOf(t loan.Terms) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode terms: %w", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode terms: %w", err)
	}
	return m, nil
}

// blankMembers returns the members of zero terms in currency cur: what a
// member left for each loan to give looks like in a product's defaults.
func blankMembers(cur money.Currency) map[string]json.RawMessage {
	m, _ := membersOf(loan.Terms{Terms: amortize.Terms{Principal: money.Zero(cur)}})
	return m
}

// concerns reports whether a field error's path (loan's: "Terms.Principal",
// or the JSON member, "Terms.principal") is about terms member m.
func concerns(path, m string) bool {
	for _, p := range [...]string{"Terms." + termsMembers[m], "Terms." + m} {
		if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
			return true
		}
	}
	return false
}
