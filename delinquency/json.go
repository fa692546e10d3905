package delinquency

import (
	"encoding/json"

	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// jAmount writes an Amount with its currency code ("USD 12.50"), or null for
// a zero Amount that has no currency, so that Loans and Policies read back
// from JSON without outside context (money.Amount alone writes a bare number
// that cannot be read back without a currency).
type jAmount struct{ a money.Amount }

// MarshalJSON writes "CODE value" or null.
func (j jAmount) MarshalJSON() ([]byte, error) {
	if j.a.Currency().Code == "" {
		return []byte("null"), nil
	}
	return json.Marshal(j.a.Format())
}

// UnmarshalJSON reads "CODE value" or null.
func (j *jAmount) UnmarshalJSON(b []byte) error {
	return j.a.UnmarshalJSON(b)
}

type creditJSON struct {
	ReceivedOn                        date.Date
	Principal, Interest, Escrow, Fees jAmount
}

// MarshalJSON writes the credit with each amount as "CODE value".
func (c Credit) MarshalJSON() ([]byte, error) {
	return json.Marshal(creditJSON{c.ReceivedOn, jAmount{c.Principal}, jAmount{c.Interest}, jAmount{c.Escrow}, jAmount{c.Fees}})
}

// UnmarshalJSON reads what MarshalJSON writes; a bare number without a
// currency code is an error.
func (c *Credit) UnmarshalJSON(b []byte) error {
	var w creditJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Credit{w.ReceivedOn, w.Principal.a, w.Interest.a, w.Escrow.a, w.Fees.a}
	return nil
}

type installmentJSON struct {
	Seq                               int
	DueDate                           date.Date
	Principal, Interest, Escrow, Fees jAmount
	Credits                           []Credit
	LateFee                           LateFeeState
}

// MarshalJSON writes the installment with each amount as "CODE value".
func (i Installment) MarshalJSON() ([]byte, error) {
	return json.Marshal(installmentJSON{i.Seq, i.DueDate, jAmount{i.Principal}, jAmount{i.Interest},
		jAmount{i.Escrow}, jAmount{i.Fees}, i.Credits, i.LateFee})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (i *Installment) UnmarshalJSON(b []byte) error {
	var w installmentJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*i = Installment{w.Seq, w.DueDate, w.Principal.a, w.Interest.a, w.Escrow.a, w.Fees.a, w.Credits, w.LateFee}
	return nil
}

type lateFeeJSON struct {
	GraceDays          int
	Method             FeeMethod
	FlatAmount         jAmount
	PercentBasisPoints int64
	Rounding           money.RoundingMode
	Minimum, Maximum   jAmount
}

// MarshalJSON writes the policy with each amount as "CODE value".
func (p LateFeePolicy) MarshalJSON() ([]byte, error) {
	return json.Marshal(lateFeeJSON{p.GraceDays, p.Method, jAmount{p.FlatAmount}, p.PercentBasisPoints,
		p.Rounding, jAmount{p.Minimum}, jAmount{p.Maximum}})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *LateFeePolicy) UnmarshalJSON(b []byte) error {
	var w lateFeeJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = LateFeePolicy{w.GraceDays, w.Method, w.FlatAmount.a, w.PercentBasisPoints, w.Rounding, w.Minimum.a, w.Maximum.a}
	return nil
}

type policyJSON struct {
	Recognition         Recognition
	ToleranceAmount     jAmount
	TolerancePercentBps int64
	Method              Method
	Buckets             []Bucket
	LateFee             *LateFeePolicy
	Status              StatusPolicy
}

// MarshalJSON writes the policy with its amount as "CODE value".
func (p Policy) MarshalJSON() ([]byte, error) {
	return json.Marshal(policyJSON{p.Recognition, jAmount{p.ToleranceAmount}, p.TolerancePercentBps,
		p.Method, p.Buckets, p.LateFee, p.Status})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Policy) UnmarshalJSON(b []byte) error {
	var w policyJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = Policy{w.Recognition, w.ToleranceAmount.a, w.TolerancePercentBps, w.Method, w.Buckets, w.LateFee, w.Status}
	return nil
}
