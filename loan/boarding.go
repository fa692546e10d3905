package loan

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// BoardingRequest is the LOS handoff: the funded terms, the borrower
// reference, and optionally the payments a seasoned loan already received.
type BoardingRequest struct {
	// Terms is the funded contract. Required.
	Terms Terms `json:"terms"`
	// Borrower is the host's borrower reference. Required.
	Borrower string `json:"borrower"`
	// LOSReference is the origination system's loan number.
	LOSReference string `json:"los_reference,omitempty"`
	// History lists payments received before boarding (a seasoned loan),
	// posted in order after the boarding event.
	History []HistoricPayment `json:"history,omitempty"`
	// Product names the loan product the terms were filled in from (its
	// defaults and ranges; see package product), so the loan's log says
	// which product and version it was boarded under; empty for terms
	// given whole. At most MaxText bytes of UTF-8; recorded in the
	// Boarded event.
	Product string `json:"product,omitempty"`
	// ProductVersion is the version of Product, ≥ 1 with a product and
	// zero without: a product's later versions may change its defaults,
	// and the loan keeps the version it was boarded under.
	ProductVersion int `json:"product_version,omitempty"`
}

// HistoricPayment is one payment of a seasoned loan's history.
type HistoricPayment struct {
	// ReceivedOn is the date of receipt, on or after the funding date.
	ReceivedOn date.Date `json:"received_on"`
	// Amount is the amount received, > 0.
	Amount money.Amount `json:"amount"`
}

// Validate reports every bad field of the request at once, wrapped in
// ErrInvalidInput (and ErrInvalidTerms when a term is bad).
func (r BoardingRequest) Validate() error {
	var l field.List
	r.Terms.validate(&l, "Terms")
	if r.Borrower == "" {
		l.Add("Borrower", nil, field.ErrRequired, "")
	}
	for _, f := range [...]struct{ path, s string }{{"Borrower", r.Borrower}, {"LOSReference", r.LOSReference}, {"Product", r.Product}} {
		if len(f.s) > MaxText || !utf8.ValidString(f.s) {
			l.Add(f.path, len(f.s), field.ErrOutOfRange, fmt.Sprintf("at most %d bytes of UTF-8", MaxText))
		}
	}
	switch {
	case r.ProductVersion < 0 || r.Product != "" && r.ProductVersion == 0:
		l.Add("ProductVersion", r.ProductVersion, field.ErrOutOfRange, "a product's version, from 1")
	case r.Product == "" && r.ProductVersion != 0:
		l.Add("ProductVersion", r.ProductVersion, field.ErrInvalid, "a version without a product")
	}
	if len(r.History) > MaxInstallments*4 {
		l.Add("History", len(r.History), field.ErrOutOfRange, fmt.Sprintf("at most %d payments", MaxInstallments*4))
	}
	cur := r.Terms.Currency()
	for i, h := range r.History {
		p := fmt.Sprintf("History[%d]", i)
		if h.ReceivedOn < r.Terms.FundingDate {
			l.Add(p+".ReceivedOn", h.ReceivedOn.String(), field.ErrOutOfRange, "before the funding date")
		}
		if !h.Amount.IsPositive() || h.Amount.Currency() != cur {
			l.Add(p+".Amount", h.Amount.String(), field.ErrOutOfRange, "must be positive, in the loan's currency")
		}
	}
	err := l.Err(ErrInvalidInput)
	if err != nil && r.Terms.Validate() != nil {
		return fmt.Errorf("%w: %w", ErrInvalidTerms, err)
	}
	return err
}

// ParseBoarding reads an LOS handoff payload (JSON; "terms" carries a
// "currency" member, amounts are decimal strings with or without their
// code, dates ISO 8601, rates "6.5%") strictly and validates it, reporting
// every bad field at once: unknown members at any depth, impossible dates
// and values of the wrong kind are refused (internal/strictjson), so a
// misspelt field cannot be silently dropped nor a date silently moved.
// Terms without an "accrual" member are read in the first release's format
// (see Terms.UnmarshalJSON). A payload naming a product ("product",
// "product_version") gives only part of the terms and is refused here: the
// product catalogue reads it (product.Catalogue.ParseBoarding), filling in
// the product's defaults and checking its ranges before it asks this
// function. Errors wrap ErrInvalidInput, and ErrInvalidTerms when a term is
// bad.
func ParseBoarding(payload []byte) (BoardingRequest, error) {
	var w struct {
		Terms        json.RawMessage `json:"terms"`
		Borrower     string          `json:"borrower"`
		LOSReference string          `json:"los_reference"`
		History      []struct {
			ReceivedOn date.Date `json:"received_on"`
			Amount     string    `json:"amount"`
		} `json:"history"`
		Product        json.RawMessage `json:"product"`
		ProductVersion json.RawMessage `json:"product_version"`
	}
	var l field.List
	if err := strictjson.Decode(payload, &w); err != nil {
		return BoardingRequest{}, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	if w.Product != nil || w.ProductVersion != nil {
		l.Add("Product", nil, field.ErrNotSupported,
			"a payload naming a product is read by the product catalogue (product.Catalogue.ParseBoarding), which fills in the product's defaults")
	}
	var req BoardingRequest
	termsErr := req.Terms.UnmarshalJSON(w.Terms)
	if w.Terms == nil {
		termsErr = field.New("Terms", nil, field.ErrRequired, "")
	}
	if fes := field.Errors(termsErr); len(fes) > 0 {
		for _, fe := range fes {
			l.Append(fe)
		}
	} else if termsErr != nil {
		l.Append(termsErr)
	}
	req.Borrower, req.LOSReference = w.Borrower, w.LOSReference
	cur := req.Terms.Currency()
	for i, h := range w.History {
		a := money.Zero(cur)
		if err := a.UnmarshalText([]byte(h.Amount)); err != nil {
			l.Add(fmt.Sprintf("History[%d].Amount", i), h.Amount, field.ErrInvalid, err.Error())
		}
		req.History = append(req.History, HistoricPayment{ReceivedOn: h.ReceivedOn, Amount: a})
	}
	if termsErr != nil {
		// The terms are bad: check what does not need them whole.
		if req.Borrower == "" {
			l.Add("Borrower", nil, field.ErrRequired, "")
		}
		for i, h := range req.History {
			if h.ReceivedOn < req.Terms.FundingDate {
				l.Add(fmt.Sprintf("History[%d].ReceivedOn", i), h.ReceivedOn.String(), field.ErrOutOfRange, "before the funding date")
			}
		}
		return BoardingRequest{}, fmt.Errorf("%w: %w: %w", ErrInvalidInput, ErrInvalidTerms, l.Err(nil))
	}
	if err := req.Validate(); err != nil {
		l.Append(err)
	}
	if l.Len() > 0 {
		sentinel := ErrInvalidInput
		if req.Terms.Validate() != nil {
			return BoardingRequest{}, fmt.Errorf("%w: %w: %w", ErrInvalidInput, ErrInvalidTerms, l.Err(nil))
		}
		return BoardingRequest{}, l.Err(sentinel)
	}
	return req, nil
}
