package loan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
)

// Kind names an event's payload type. Kinds are persisted; never rename one.
type Kind string

// The event kinds.
const (
	KindBoarded         Kind = "boarded"
	KindPaymentReceived Kind = "payment_received"
	KindPaymentReversed Kind = "payment_reversed"
	KindFeeAssessed     Kind = "fee_assessed"
	KindFeeWaived       Kind = "fee_waived"
	KindRateChanged     Kind = "rate_changed"
	KindModified        Kind = "modified"
	KindChargedOff      Kind = "charged_off"
	KindRecovery        Kind = "recovery_received"
	KindAdjustment      Kind = "adjustment"
	KindDayClosed       Kind = "day_closed"
	KindEscrowDisbursed Kind = "escrow_disbursed"
	KindRateCapped      Kind = "rate_capped"
	KindIndexReset      Kind = "index_reset"
	KindCreditRefunded  Kind = "credit_refunded"
	KindRulesMigrated   Kind = "rules_migrated"
	KindPaused          Kind = "paused"
	KindDrawn           Kind = "drawn"
	KindEscrowRefunded  Kind = "escrow_refunded"
	KindEscrowAnalyzed  Kind = "escrow_analyzed"
)

// Event is one immutable entry of a loan's log: an envelope and a typed
// payload. Events are never edited or deleted; a reversal is a later event.
// Pass events by value.
type Event struct {
	// Seq is the 1-based position in the loan's log, assigned at commit.
	Seq int64
	// Kind is the payload's kind.
	Kind Kind
	// EffectiveOn is the business date the event takes effect, e.g. the
	// date a payment was received (Reg Z §1026.36(c)(1)(i)).
	EffectiveOn date.Date
	// RecordedAt is when the engine recorded the event, from its injected
	// clock; as-known-at queries filter on it.
	RecordedAt time.Time
	// Actor names who or what issued the command (user, job, system).
	Actor string
	// Reason is a free reason code ("NSF", "borrower request", ...).
	Reason string
	// IdempotencyKey is the key of the command that wrote the event.
	IdempotencyKey string
	// Payload is the event's data; Payload.Kind() equals Kind.
	Payload Payload
}

// Payload is the typed data of an event. The set of payloads is closed: the
// types in this package.
type Payload interface {
	// Kind returns the payload's kind.
	Kind() Kind
	// currency returns the currency of the payload's amounts ("" if none).
	currency() money.Currency
}

// PaymentReceived is money received from the borrower, effective on the date
// of receipt.
type PaymentReceived struct {
	// Amount is the amount received, > 0.
	Amount money.Amount `json:"amount"`
	// Method is how it came (ach, check, card, wire...); informational.
	Method string `json:"method,omitempty"`
	// Reference is the host's payment reference; informational.
	Reference string `json:"reference,omitempty"`
	// ReceivedByPriorServicer marks a payment the prior servicer received
	// during a transfer window (Reg X §1024.33(c)); informational here.
	ReceivedByPriorServicer bool `json:"received_by_prior_servicer,omitempty"`
	// Type is the transaction type the waterfall allocates the money as
	// (payment.Rules.ByType chooses its order): payment.GoodwillCredit,
	// payment.MerchantRefund, ... Empty is payment.Repayment. A receipt
	// that covers the payoff quote is a payoff (payment.Payoff) whatever
	// its type (rules 2).
	Type payment.TransactionType `json:"type,omitempty"`
	// Extra is what money left after everything due is paid does, for
	// this receipt (the borrower said what it is for): pay_ahead (the next
	// installments are paid and the due date advances), curtail,
	// reduce_term, recast or hold. Empty is the loan's own rule
	// (Terms.Allocation's Extra, or the preset's).
	Extra payment.Extra `json:"extra,omitempty"`
}

// transactionType is the type the waterfall allocates the payment as.
func (p PaymentReceived) transactionType() payment.TransactionType {
	if p.Type == "" {
		return payment.Repayment
	}
	return p.Type
}

// PaymentReversed undoes an earlier payment (returned check, NSF, error
// correction). On replay the payment's effects disappear as if it never came;
// history keeps both events. An NSF fee, if any, is assessed on the reversal's
// effective date.
type PaymentReversed struct {
	// PaymentSeq is the Seq of the PaymentReceived event being reversed.
	PaymentSeq int64 `json:"payment_seq"`
	// PaymentEffectiveOn is the reversed payment's effective date; the
	// engine fills it in, and replay restarts from a checkpoint before it.
	PaymentEffectiveOn date.Date `json:"payment_effective_on"`
	// NSFFee is the returned-payment fee to assess (zero: none).
	NSFFee money.Amount `json:"nsf_fee"`
}

// FeeType names a kind of fee.
type FeeType string

// Fee types the engine knows; hosts may use others.
const (
	FeeLate  FeeType = "late"
	FeeNSF   FeeType = "nsf"
	FeeOther FeeType = "other"
)

// FeeAssessed charges a fee to the borrower. Without DueOn it is owed from
// its effective date, outside the installments; with DueOn it is a charge
// owed with the installment whose period holds that date
// ([InstallmentCharge]).
type FeeAssessed struct {
	// Type is the kind of fee.
	Type FeeType `json:"type"`
	// Amount is the fee, > 0.
	Amount money.Amount `json:"amount"`
	// DueOn, when set, is the charge's due date: it is owed with the
	// installment whose period holds it ([State.ChargeInstallment]). Zero
	// means a fee owed from the event's date on.
	DueOn date.Date `json:"due_on,omitzero"`
}

// FeeWaived forgives up to Amount of outstanding fees of Type, oldest first.
// Late fees the engine charges by policy can be waived this way too.
type FeeWaived struct {
	// Type is the kind of fee waived.
	Type FeeType `json:"type"`
	// Amount is the most to waive, > 0.
	Amount money.Amount `json:"amount"`
}

// RateChanged sets a new annual nominal rate from its effective date. For
// scheduled-interest loans the periodic payment is recast over the remaining
// installments from the next due date.
type RateChanged struct {
	// Rate is the new annual nominal rate.
	Rate rate.Rate `json:"rate"`
}

// ChargedOff moves the loan's receivables off the books (FFIEC 120/180 DPD);
// later money received is a recovery.
type ChargedOff struct {
	// Behavior is the charge-off behaviour chosen for this charge-off
	// (delinquency.ChargeOffRegular, ChargeOffStopInterest or
	// ChargeOffAccelerate); empty: the terms' StatusPolicy.ChargeOff, or
	// regular without a status ladder. See [State.ChargeOff].
	Behavior delinquency.ChargeOffBehavior `json:"behavior,omitempty"`
}

// RecoveryReceived is money received after charge-off.
type RecoveryReceived struct {
	// Amount is the amount recovered, > 0.
	Amount money.Amount `json:"amount"`
}

// Balance names a balance an Adjustment corrects: the loan's principal,
// interest, fees, escrow or suspense.
type Balance string

// Bucket is the former name of [Balance].
//
// Deprecated: use Balance.
type Bucket = Balance

// The adjustable balances.
const (
	BalancePrincipal Balance = "principal"
	BalanceInterest  Balance = "interest"
	BalanceFees      Balance = "fees"
	BalanceEscrow    Balance = "escrow"
	BalanceSuspense  Balance = "suspense"
)

// The former names of the adjustable balances.
//
// Deprecated: use BalancePrincipal, BalanceInterest, BalanceFees,
// BalanceEscrow and BalanceSuspense.
const (
	BucketPrincipal = BalancePrincipal
	BucketInterest  = BalanceInterest
	BucketFees      = BalanceFees
	BucketEscrow    = BalanceEscrow
	BucketSuspense  = BalanceSuspense
)

// Adjustment corrects one balance by a signed amount (error resolution, Reg X
// §1024.35): a corrective event, never an in-place edit.
type Adjustment struct {
	// Bucket is the balance corrected. The field keeps the name its wire
	// form has ("bucket"); its type is a [Balance].
	Bucket Balance `json:"bucket"`
	// Amount is added to the balance; negative reduces it.
	Amount money.Amount `json:"amount"`
}

// DayClosed marks the end of day of its effective date: the day's accrual,
// delinquency status and late fees are final, and running end of day for that
// date again does nothing.
type DayClosed struct{}

// EscrowDisbursed is a payment out of the escrow account (taxes, insurance)
// on its effective date. When the balance is short the servicer advances the
// rest (Reg X §1024.17(k): disbursements are made on time even with a
// shortage); escrow money received later repays the advance first.
type EscrowDisbursed struct {
	// Amount is the amount paid out, > 0.
	Amount money.Amount `json:"amount"`
	// Payee names who was paid (tax authority, insurer); informational.
	Payee string `json:"payee,omitempty"`
}

// RateCapped caps the rate charged at Max from the event's effective date
// until To (exclusive): the Servicemembers Civil Relief Act 6 % cap (50
// U.S.C. §3937) for obligations incurred before military service. Interest
// above the cap is forgiven, not deferred: accrual.Timeline's cap override
// computes it, and State.InterestForgiven reports it. A later RateCapped
// replaces the cap; a zero To ends it at once.
type RateCapped struct {
	// Max is the rate charged at most.
	Max rate.Rate `json:"max"`
	// To is the first day without the cap (the end of service plus one year
	// for a mortgage, §3937(a)(1)(A)).
	To date.Date `json:"to"`
}

// IndexReset is a change date of an adjustable rate (Terms.ARM): Index is
// the index value the note reads for it (LookBackDays before). The new rate
// is accrual.ARM.Adjust's over every reset so far (caps need the history);
// the payment is recast from the next due date.
type IndexReset struct {
	// Index is the published index value.
	Index rate.Rate `json:"index"`
}

// CreditRefunded returns money of the credit balance to the borrower (an
// overpayment, or what was left after payoff, Reg Z §1026.36(c)(1)): it
// works on a closed loan too. The engine refunds at most the credit
// balance; if a later change of history (the reversal of the payment that
// made the credit) leaves less credit than was paid out, the rest is owed
// back as other fees.
type CreditRefunded struct {
	// Amount is the amount refunded, > 0 and at most the credit balance.
	Amount money.Amount `json:"amount"`
}

// Kind returns KindCreditRefunded.
func (CreditRefunded) Kind() Kind { return KindCreditRefunded }

func (p CreditRefunded) currency() money.Currency { return p.Amount.Currency() }

// RulesMigrated moves the loan to a later version of the servicing rules
// from its effective date: what happened before keeps the numbers it had,
// what happens from then on follows the new rules (see [RulesVersion]). It
// is the only way an old loan's numbers change under a new release.
type RulesMigrated struct {
	// Rules is the version moved to: above the loan's, at most RulesVersion.
	Rules int `json:"rules"`
}

// Kind returns KindRulesMigrated.
func (RulesMigrated) Kind() Kind { return KindRulesMigrated }

func (RulesMigrated) currency() money.Currency { return money.Currency{} }

// Kind returns KindIndexReset.
func (IndexReset) Kind() Kind { return KindIndexReset }

func (IndexReset) currency() money.Currency { return money.Currency{} }

// Kind returns KindEscrowDisbursed.
func (EscrowDisbursed) Kind() Kind { return KindEscrowDisbursed }

// Kind returns KindRateCapped.
func (RateCapped) Kind() Kind { return KindRateCapped }

func (p EscrowDisbursed) currency() money.Currency { return p.Amount.Currency() }
func (RateCapped) currency() money.Currency        { return money.Currency{} }

// Kind returns KindPaymentReceived.
func (PaymentReceived) Kind() Kind { return KindPaymentReceived }

// Kind returns KindPaymentReversed.
func (PaymentReversed) Kind() Kind { return KindPaymentReversed }

// Kind returns KindFeeAssessed.
func (FeeAssessed) Kind() Kind { return KindFeeAssessed }

// Kind returns KindFeeWaived.
func (FeeWaived) Kind() Kind { return KindFeeWaived }

// Kind returns KindRateChanged.
func (RateChanged) Kind() Kind { return KindRateChanged }

// Kind returns KindChargedOff.
func (ChargedOff) Kind() Kind { return KindChargedOff }

// Kind returns KindRecovery.
func (RecoveryReceived) Kind() Kind { return KindRecovery }

// Kind returns KindAdjustment.
func (Adjustment) Kind() Kind { return KindAdjustment }

// Kind returns KindDayClosed.
func (DayClosed) Kind() Kind { return KindDayClosed }

func (p PaymentReceived) currency() money.Currency  { return p.Amount.Currency() }
func (p PaymentReversed) currency() money.Currency  { return p.NSFFee.Currency() }
func (p FeeAssessed) currency() money.Currency      { return p.Amount.Currency() }
func (p FeeWaived) currency() money.Currency        { return p.Amount.Currency() }
func (RateChanged) currency() money.Currency        { return money.Currency{} }
func (ChargedOff) currency() money.Currency         { return money.Currency{} }
func (p RecoveryReceived) currency() money.Currency { return p.Amount.Currency() }
func (p Adjustment) currency() money.Currency       { return p.Amount.Currency() }
func (DayClosed) currency() money.Currency          { return money.Currency{} }

// newPayload returns a pointer to a zero payload of kind k for decoding, its
// amounts preset to currency c (amounts are written without their code).
func newPayload(k Kind, c money.Currency) (any, error) {
	z := money.Zero(c)
	switch k {
	case KindBoarded:
		return new(Boarded), nil
	case KindModified:
		return new(Modified), nil
	case KindPaymentReceived:
		return &PaymentReceived{Amount: z}, nil
	case KindPaymentReversed:
		return &PaymentReversed{NSFFee: z}, nil
	case KindFeeAssessed:
		return &FeeAssessed{Amount: z}, nil
	case KindFeeWaived:
		return &FeeWaived{Amount: z}, nil
	case KindRateChanged:
		return new(RateChanged), nil
	case KindChargedOff:
		return new(ChargedOff), nil
	case KindRecovery:
		return &RecoveryReceived{Amount: z}, nil
	case KindAdjustment:
		return &Adjustment{Amount: z}, nil
	case KindDayClosed:
		return new(DayClosed), nil
	case KindEscrowDisbursed:
		return &EscrowDisbursed{Amount: z}, nil
	case KindRateCapped:
		return new(RateCapped), nil
	case KindIndexReset:
		return new(IndexReset), nil
	case KindCreditRefunded:
		return &CreditRefunded{Amount: z}, nil
	case KindRulesMigrated:
		return new(RulesMigrated), nil
	case KindPaused:
		return new(Paused), nil
	case KindDrawn:
		return &Drawn{Amount: z}, nil
	case KindEscrowRefunded:
		return &EscrowRefunded{Amount: z}, nil
	case KindEscrowAnalyzed:
		return &EscrowAnalyzed{Payment: z, Refund: z, Surplus: z, Shortage: z, Deficiency: z}, nil
	case KindServicingTransferred:
		return new(ServicingTransferred), nil
	case KindRequestReceived:
		return new(RequestReceived), nil
	case KindNoticeSent:
		return new(NoticeSent), nil
	case KindPromiseMade:
		return &PromiseMade{Amount: z}, nil
	case KindArrangementMade:
		return new(ArrangementMade), nil
	case KindContactAttempted:
		return new(ContactAttempted), nil
	case KindPartyChanged:
		return new(PartyChanged), nil
	}
	return nil, fmt.Errorf("%w: unknown kind %q", ErrInvalidEvent, k)
}

// SchemaVersion is the version of the persisted event form MarshalJSON
// writes ("schema"). Events of an older schema decode through upcasters
// into the current types (see the package doc's Compatibility section); a
// newer schema is refused.
//
//   - Schema 1 (the first release, no "schema" member): amounts as bare
//     decimals with the payload's currency in the envelope; Boarded terms in
//     the legacy format (no "accrual" member) and no rules version (rules 1).
//   - Schema 2: amounts with their code ("USD 94.81"); Boarded terms embed
//     amortize.Terms and delinquency.Policy, and carry the rules version.
const SchemaVersion = 2

// eventJSON is the persisted form of an Event.
type eventJSON struct {
	Schema         int             `json:"schema,omitempty"`
	Seq            int64           `json:"seq"`
	Kind           Kind            `json:"kind"`
	EffectiveOn    date.Date       `json:"effective_on"`
	RecordedAt     time.Time       `json:"recorded_at"`
	Actor          string          `json:"actor,omitempty"`
	Reason         string          `json:"reason,omitempty"`
	IdempotencyKey string          `json:"idempotency_key,omitempty"`
	Currency       string          `json:"currency,omitempty"`
	Payload        json.RawMessage `json:"payload"`
}

// MarshalJSON encodes the event with its payload as a nested object. The
// encoding is canonical: the same event always gives the same bytes (the
// recorded time is written in UTC).
func (e Event) MarshalJSON() ([]byte, error) {
	if e.Payload == nil || e.Payload.Kind() != e.Kind {
		return nil, fmt.Errorf("%w: seq %d: payload does not match kind %q", ErrInvalidEvent, e.Seq, e.Kind)
	}
	p, err := json.Marshal(e.Payload)
	if err != nil {
		return nil, fmt.Errorf("encode event %d payload: %w", e.Seq, err)
	}
	return json.Marshal(eventJSON{
		Schema: SchemaVersion, Seq: e.Seq, Kind: e.Kind, EffectiveOn: e.EffectiveOn, RecordedAt: e.RecordedAt.UTC(),
		Actor: e.Actor, Reason: e.Reason, IdempotencyKey: e.IdempotencyKey,
		Currency: e.Payload.currency().Code, Payload: p,
	})
}

// UnmarshalJSON decodes what MarshalJSON wrote.
func (e *Event) UnmarshalJSON(b []byte) error {
	var j eventJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidEvent, err)
	}
	switch {
	case j.Schema == 0:
		j.Schema = 1
	case j.Schema > SchemaVersion:
		return fmt.Errorf("%w: seq %d: schema %d is newer than this release's %d", ErrInvalidEvent, j.Seq, j.Schema, SchemaVersion)
	}
	var cur money.Currency
	if j.Currency != "" {
		c, err := money.CurrencyOf(j.Currency)
		if err != nil {
			return fmt.Errorf("%w: seq %d: %w", ErrInvalidEvent, j.Seq, err)
		}
		cur = c
	}
	ptr, err := newPayload(j.Kind, cur)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(j.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(ptr); err != nil {
		return fmt.Errorf("%w: seq %d %s payload: %w", ErrInvalidEvent, j.Seq, j.Kind, err)
	}
	*e = Event{
		Seq: j.Seq, Kind: j.Kind, EffectiveOn: j.EffectiveOn, RecordedAt: j.RecordedAt,
		Actor: j.Actor, Reason: j.Reason, IdempotencyKey: j.IdempotencyKey,
		Payload: upcast(j.Schema, derefPayload(ptr)),
	}
	return nil
}

// upcast brings a payload decoded from schema to the current schema. The
// schema-1 forms that differ decode into the current types already (legacy
// terms convert in Terms.UnmarshalJSON, bare amounts read in the envelope's
// currency); what is left is the rules version a schema-1 boarding implies.
func upcast(schema int, p Payload) Payload {
	if b, ok := p.(Boarded); ok && schema < 2 && b.Rules == 0 {
		b.Rules = 1
		return b
	}
	return p
}

func derefPayload(p any) Payload {
	switch v := p.(type) {
	case *Boarded:
		return *v
	case *Modified:
		return *v
	case *PaymentReceived:
		return *v
	case *PaymentReversed:
		return *v
	case *FeeAssessed:
		return *v
	case *FeeWaived:
		return *v
	case *RateChanged:
		return *v
	case *ChargedOff:
		return *v
	case *RecoveryReceived:
		return *v
	case *Adjustment:
		return *v
	case *DayClosed:
		return *v
	case *EscrowDisbursed:
		return *v
	case *RateCapped:
		return *v
	case *IndexReset:
		return *v
	case *CreditRefunded:
		return *v
	case *RulesMigrated:
		return *v
	case *Paused:
		return *v
	case *Drawn:
		return *v
	case *EscrowRefunded:
		return *v
	case *EscrowAnalyzed:
		return *v
	case *ServicingTransferred:
		return *v
	case *RequestReceived:
		return *v
	case *NoticeSent:
		return *v
	case *PromiseMade:
		return *v
	case *ArrangementMade:
		return *v
	case *ContactAttempted:
		return *v
	case *PartyChanged:
		return *v
	}
	return nil
}

// Boarded starts a loan's log: the LOS handed the funded loan over and the
// principal was disbursed on the event's effective date (the funding date).
type Boarded struct {
	// Terms is the contract as funded.
	Terms Terms `json:"terms"`
	// Borrower is the host's borrower reference.
	Borrower string `json:"borrower,omitempty"`
	// LOSReference is the origination system's loan number.
	LOSReference string `json:"los_reference,omitempty"`
	// Rules is the version of the servicing rules the loan is folded under
	// (RulesVersion when the engine boards it; 1 for schema-1 events). A
	// release folds each loan under its own rules version, so an old log
	// keeps its numbers until a RulesMigrated event moves it on.
	Rules int `json:"rules,omitempty"`
	// Product and ProductVersion name the loan product the terms were
	// filled in from (BoardingRequest.Product), so the log says which
	// product version a loan was sold under; empty for terms given whole
	// and in events written before products (they decode as none).
	// Informational: the fold reads only Terms.
	Product        string `json:"product,omitempty"`
	ProductVersion int    `json:"product_version,omitempty"`
}

// ModType names a loan modification.
type ModType string

// The modification types.
const (
	// ModRecast keeps rate and maturity and solves a new payment for the
	// current principal.
	ModRecast ModType = "recast"
	// ModReamortize sets a new rate (optional) and extends the term by
	// ExtendInstallments (optional), then solves a new payment.
	ModReamortize ModType = "re_amortize"
	// ModReage moves every installment due and unpaid to the end of the
	// term: the loan is current again, history keeps the delinquency.
	ModReage ModType = "re_age"
	// ModDeferment postpones the next DeferInstallments installments to the
	// end of the term; the payment stays the same.
	ModDeferment ModType = "deferment"
	// ModForbearance is a deferment granted as forbearance (reported as such).
	ModForbearance ModType = "forbearance"
	// ModTermExtension adds ExtendInstallments installments and solves a new
	// payment for the longer term.
	ModTermExtension ModType = "term_extension"
)

// Modified changes the terms from its effective date: a new terms version.
type Modified struct {
	// Type is the modification.
	Type ModType `json:"type"`
	// Rate, when set, is the new note rate (re_amortize).
	Rate *rate.Rate `json:"rate,omitempty"`
	// ExtendInstallments adds installments (re_amortize, term_extension).
	ExtendInstallments int `json:"extend_installments,omitempty"`
	// DeferInstallments is how many installments to postpone (deferment,
	// forbearance).
	DeferInstallments int `json:"defer_installments,omitempty"`
}

func (p Boarded) currency() money.Currency { return p.Terms.Currency() }
func (Modified) currency() money.Currency  { return money.Currency{} }

// Kind returns KindBoarded.
func (Boarded) Kind() Kind { return KindBoarded }

// Kind returns KindModified.
func (Modified) Kind() Kind { return KindModified }
