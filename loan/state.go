package loan

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/revolving"
	"github.com/rickb777/date/v2"
)

// ServicingStatus is where a loan stands in its life, from pending to paid
// off or charged off; while it is open, its delinquency (and, with a
// ladder, its rung) says which open status it has.
type ServicingStatus string

// Status is the former name of [ServicingStatus].
//
// Deprecated: use ServicingStatus.
type Status = ServicingStatus

// The servicing statuses.
const (
	StatusPending    ServicingStatus = "pending" // before the boarding event
	StatusCurrent    ServicingStatus = "current"
	StatusDelinquent ServicingStatus = "delinquent"
	// StatusDefault and StatusNonAccrual are rungs of the delinquency
	// status ladder (Terms.Ladder); without a ladder they never occur.
	StatusDefault    ServicingStatus = "default"
	StatusNonAccrual ServicingStatus = "non_accrual"
	StatusPaidOff    ServicingStatus = "paid_off"
	StatusChargedOff ServicingStatus = "charged_off"
)

// State is a loan folded from its log up to a business date. It is a value:
// the same events give the same State, byte for byte ([State.MarshalBinary]).
// All amounts are in the loan's currency.
type State struct {
	// Terms is the contract as boarded.
	Terms Terms
	// TermsVersion counts terms versions: 1 at boarding, +1 per
	// modification or rate change.
	TermsVersion int
	// Rate is the note rate in force.
	Rate rate.Rate
	// Payment is the periodic principal-and-interest payment in force.
	Payment money.Amount
	// Installments is the number of installments in force (extensions,
	// deferments and re-ages add to it). A down payment
	// (amortize.Terms.DownPayment) is installment 1, due on the funding
	// date; amortize's rows follow it.
	Installments int
	// DueOffset shifts installment due dates by whole periods (deferment,
	// forbearance, re-age).
	DueOffset int
	// Rules is the version of the servicing rules the loan is folded under:
	// the one it was boarded with (Boarded.Rules), or a later one a
	// RulesMigrated event moved it to. See [RulesVersion].
	Rules int
	// Rates is the rate path after boarding under rules 2 and later: each
	// rate change (RateChanged, IndexReset, a modification's rate) from its
	// effective date, oldest first. Billing reads it as amortize reads a
	// RatePath. Treat as read-only.
	Rates []accrual.RateChange
	// Payments is the payment path under rules 2 and later: the amount a
	// recast put in force from each installment on (amortize.Biller.Recast
	// and Reamortize steps: the level or graduated payment, or an equal
	// principal part); before the first, the shape's own payments apply.
	// Treat as read-only.
	Payments []PaymentStep

	// AsOf is the business date the state is folded through.
	AsOf date.Date
	// Version is the highest Seq folded.
	Version int64
	// Status is the loan's status on AsOf.
	Status ServicingStatus
	// Principal is the unpaid principal balance (UPB).
	Principal money.Amount
	// AccruedInterest is interest recognised but unpaid: daily simple
	// interest accrued up to AccrualFrom, plus interest adjustments.
	AccruedInterest money.Amount
	// AccrualFrom is the date daily simple interest runs from.
	AccrualFrom date.Date
	// NextInstallment is the 1-based number of the oldest unpaid installment
	// (Installments+1 when all are paid).
	NextInstallment int
	// Suspense is money received and held unapplied.
	Suspense money.Amount
	// CreditBalance is money received beyond everything owed.
	CreditBalance money.Amount
	// LateFees, NSFFees and OtherFees are fees outstanding.
	LateFees, NSFFees, OtherFees money.Amount
	// LateFeesThrough is the highest installment already charged a late fee.
	LateFeesThrough int
	// Escrow is the escrow balance.
	Escrow money.Amount
	// ChargedOff is the balance written off at charge-off, less recoveries.
	ChargedOff money.Amount
	// Recovered is money received after charge-off.
	Recovered money.Amount
	// ChargeOff is the charge-off behaviour applied (empty while open): the
	// terms' StatusPolicy.ChargeOff with a status ladder, else
	// delinquency.ChargeOffRegular. Regular keeps the contract: interest
	// keeps accruing on ChargedOffPrincipal at the note rate from the
	// charge-off date (booked into ChargedOff at each recovery, see
	// [State.ChargedOffBalance]). Stop interest accrues nothing more.
	// Accelerate maturity accrues nothing more and makes the whole balance
	// due on the charge-off date: DPD then runs from ClosedOn and the
	// statement's past-due amount is the charged-off balance.
	ChargeOff delinquency.ChargeOffBehavior
	// ChargedOffPrincipal is the principal part of ChargedOff (recoveries
	// reduce interest and fees first).
	ChargedOffPrincipal money.Amount
	// DelinquentSince is the due date of the oldest unpaid installment when
	// the current delinquency episode began (0: not delinquent). Rolling
	// payments keep it; a cure clears it.
	DelinquentSince date.Date
	// LastDayClosed is the latest end-of-day date run.
	LastDayClosed date.Date
	// ClosedOn is the payoff or charge-off date (0: open).
	ClosedOn date.Date
	// PaidPrincipal, PaidInterest, PaidEscrow and PaidFees total what
	// payments have covered since boarding.
	PaidPrincipal, PaidInterest, PaidEscrow, PaidFees money.Amount
	// EscrowAdvance is what the servicer advanced to pay escrow
	// disbursements beyond the escrow balance; escrow money received repays
	// it before it adds to Escrow.
	EscrowAdvance money.Amount
	// CapMax, CapFrom and CapTo are the rate cap in force over [CapFrom,
	// CapTo) (RateCapped; zero CapTo: none).
	CapMax         rate.Rate
	CapFrom, CapTo date.Date
	// InterestForgiven totals interest above the cap, forgiven (reported
	// separately, never charged): booked when an installment's interest is
	// first paid (scheduled interest) or as it accrues (daily simple).
	InterestForgiven money.Amount
	// NonAccrualInterest is a memo, never a receivable nor income: the
	// contractual interest of the loan's non-accrual periods, totalled since
	// boarding. Daily simple interest that would have accrued while on
	// non-accrual is booked here instead of AccruedInterest (it is not
	// owed in the payoff, as before). Scheduled (mortgage-style) interest
	// stays owed — installments are billed as the contract says — but the
	// scheduled interest of each installment whose due date falls while the
	// loan is on non-accrual (its whole period, also when the loan entered
	// non-accrual within it) is recorded here as not recognised; money later
	// paid to it is cash-basis income. Interest recognised before non-accrual
	// is not reversed (a host general ledger can reverse it). Accrual
	// resumes, and the memo stops growing, when the loan is brought current.
	NonAccrualInterest money.Amount
	// Rebated is the unearned finance charge of a precomputed loan
	// (InterestPrecomputed) subtracted when it was paid off (zero
	// otherwise).
	Rebated money.Amount
	// NonAccrualThrough is the highest installment whose scheduled interest
	// the non-accrual memo has decided (scheduled interest loans).
	NonAccrualThrough int
	// IndexResets lists the index values of the adjustable rate's changes so
	// far (IndexReset events), oldest first. Treat as read-only.
	IndexResets []IndexObservation
	// Partial lists the installments from NextInstallment on that hold part
	// of their periodic payment (rules with a partial policy of apply), in
	// installment order; empty under whole-installment rules. Treat it as
	// read-only: states share it.
	Partial []PartialInstallment

	// Pauses are the payment pauses granted (Paused events), oldest first:
	// delinquency counts no day inside one, and each moves the installments
	// due in it past its end. Treat as read-only.
	Pauses []Pause
	// DeferredInterest is the interest of pauses that deferred it (
	// PauseDefer): bears no interest, and is due with the last installment
	// or in a payoff.
	DeferredInterest money.Amount
	// InterestWaived totals the interest of pauses that waived it
	// (PauseWaive): a memo, never owed.
	InterestWaived money.Amount
	// Draws totals the draws after funding (Drawn events; Terms.Draws, or
	// a line's).
	Draws money.Amount

	// A line of credit's cycle (Terms.Line): the current cycle's start,
	// its opening balance and fees, and its activity so far; the
	// statements issued (each one's minimum payment is an installment);
	// and the first repayment installment (0: in the draw period)
	// (State.FinanceCharges totals the statements' interest). Treat the
	// lists as read-only.
	CycleStart           date.Date
	CycleOpen, CycleFees money.Amount
	Activity             []revolving.Activity
	Statements           []LineStatement
	RepayFrom            int
	// EscrowSteps are the escrow payments escrow analyses put in force,
	// each from an installment on (before the first, Terms.EscrowPayment).
	// Treat as read-only.
	EscrowSteps []PaymentStep
	// EscrowPaidThrough is the last date the engine paid scheduled escrow
	// items (EscrowItem.DueDay); MIEndedOn the date mortgage insurance
	// ended under the Homeowners Protection Act (0: not ended).
	EscrowPaidThrough, MIEndedOn date.Date
	// ItemBalances are the escrow items' balances under single-item
	// accounting (Terms.EscrowMethod), in Terms.EscrowItems' order; they
	// sum to Escrow − EscrowAdvance. Treat as read-only.
	ItemBalances []money.Amount
	// Charges are the charges owed with installments (FeeAssessed with a
	// DueOn), in the order assessed, paid ones kept. Treat as read-only.
	Charges []InstallmentCharge
	// Credits are what payments credited to each installment's principal
	// and interest, in the order applied, under an interest recalculation
	// mode (Terms.Recalculation; empty otherwise). Treat as read-only.
	Credits []Credit
	// RecalcEMIs are the installments' EMIs the credits left under the
	// recalculation mode (amortize.Progressive.EMIs; empty before the
	// first credit): with Credits they rebuild the mode's schedule in one
	// computation. Treat as read-only.
	RecalcEMIs []money.Amount
	// Hold is the status hold of the latest payment arrangement when it
	// asked for one (ArrangementMade.HoldStatus; zero: none): from the day
	// it was made, while the plan is kept (collections.HoldingUntil), the
	// status does not climb above Hold.Cap; days past due still count and
	// non-accrual and charge-off come on their thresholds. Treat as
	// read-only.
	Hold ArrangementHold
}

// PaymentStep is the amount a recast put in force from installment From
// on: the level or graduated payment, or an equal-principal loan's
// principal part (amortize.Step, renumbered by the loan's due offset).
type PaymentStep struct {
	From    int
	Payment money.Amount
}

// IndexObservation is one rate change of an adjustable rate: its change
// date and the index value the note reads for it.
type IndexObservation struct {
	On    date.Date
	Index rate.Rate
}

// PartialInstallment is an installment billed and partly paid: the amounts
// billed when money first reached it, and what payments credited to it.
type PartialInstallment struct {
	// Seq is the installment number.
	Seq int
	// Principal, Interest and Escrow are the billed components.
	Principal, Interest, Escrow money.Amount
	// PaidPrincipal, PaidInterest and PaidEscrow are what was credited to
	// them; PaidFees is the installment's shortfall that only late charges
	// caused (delinquency.FeeShortfall; under rules 1, the fees the same
	// payments paid), for the no-pyramiding rule (Reg Z §1026.36(c)(2)).
	PaidPrincipal, PaidInterest, PaidEscrow, PaidFees money.Amount
	// Deferred is interest beyond the installment's payment (negative
	// amortization), capitalized into principal when it is paid.
	Deferred money.Amount
	// LastPaidOn is the receipt date of the latest credit.
	LastPaidOn date.Date
}

// EncodingVersion is the first byte of every state encoding, bumped
// whenever the encoding changes: golden hashes are part of the API (see the
// Compatibility section of the package doc).
const EncodingVersion = 11

// MarshalBinary returns the canonical encoding of the state: a version byte,
// the terms' canonical JSON (length-prefixed), then every field in
// declaration order as varints and length-prefixed strings. Equal states
// give equal bytes.
func (s State) MarshalBinary() ([]byte, error) {
	return s.appendBinary(make([]byte, 0, 1024)), nil
}

// Hash returns the SHA-256 of the canonical encoding.
func (s State) Hash() [32]byte {
	var buf [2048]byte
	return sha256.Sum256(s.appendBinary(buf[:0]))
}

func (s State) appendBinary(b []byte) []byte { return s.AppendBinary(b, nil) }

// AppendBinary appends the canonical encoding of s to b. A non-nil terms
// must be the encoding of s.Terms as TermsEncoding found it in an earlier
// encoding of the same loan (terms never change in a fold), which saves
// encoding them again.
func (s State) AppendBinary(b, terms []byte) []byte {
	if terms == nil {
		terms = appendTerms(nil, s.Terms)
	}
	w := writer{b: append(b, EncodingVersion)}
	w.b = binary.AppendUvarint(w.b, uint64(len(terms)))
	w.b = append(w.b, terms...)
	w.int(int64(s.TermsVersion))
	w.int(s.Rate.Units())
	w.amount(s.Payment)
	w.int(int64(s.Installments))
	w.int(int64(s.DueOffset))
	w.int(int64(s.Rules))
	w.int(int64(len(s.Rates)))
	for _, c := range s.Rates {
		w.date(c.On)
		w.int(c.Rate.Units())
	}
	w.int(int64(len(s.Payments)))
	for _, p := range s.Payments {
		w.int(int64(p.From))
		w.amount(p.Payment)
	}
	w.date(s.AsOf)
	w.int(s.Version)
	w.sym(string(s.Status))
	for _, a := range []money.Amount{s.Principal, s.AccruedInterest} {
		w.amount(a)
	}
	w.date(s.AccrualFrom)
	w.int(int64(s.NextInstallment))
	for _, a := range []money.Amount{s.Suspense, s.CreditBalance, s.LateFees, s.NSFFees, s.OtherFees} {
		w.amount(a)
	}
	w.int(int64(s.LateFeesThrough))
	for _, a := range []money.Amount{s.Escrow, s.ChargedOff, s.Recovered} {
		w.amount(a)
	}
	w.sym(string(s.ChargeOff))
	w.amount(s.ChargedOffPrincipal)
	w.date(s.DelinquentSince)
	w.date(s.LastDayClosed)
	w.date(s.ClosedOn)
	for _, a := range []money.Amount{s.PaidPrincipal, s.PaidInterest, s.PaidEscrow, s.PaidFees} {
		w.amount(a)
	}
	w.amount(s.EscrowAdvance)
	w.int(s.CapMax.Units())
	w.date(s.CapFrom)
	w.date(s.CapTo)
	w.amount(s.InterestForgiven)
	w.amount(s.NonAccrualInterest)
	w.amount(s.Rebated)
	w.int(int64(s.NonAccrualThrough))
	w.int(int64(len(s.IndexResets)))
	for _, o := range s.IndexResets {
		w.date(o.On)
		w.int(o.Index.Units())
	}
	w.int(int64(len(s.Partial)))
	for _, p := range s.Partial {
		w.int(int64(p.Seq))
		for _, a := range []money.Amount{p.Principal, p.Interest, p.Escrow, p.PaidPrincipal, p.PaidInterest, p.PaidEscrow, p.PaidFees, p.Deferred} {
			w.amount(a)
		}
		w.date(p.LastPaidOn)
	}
	held := s.Hold.Cap != ""
	if len(s.Pauses) > 0 || !s.DeferredInterest.IsZero() || !s.InterestWaived.IsZero() || !s.Draws.IsZero() || s.line() || len(s.EscrowSteps) > 0 || s.EscrowPaidThrough != 0 || s.MIEndedOn != 0 || len(s.ItemBalances) > 0 || len(s.Charges) > 0 || len(s.Credits) > 0 || len(s.RecalcEMIs) > 0 || held {
		// An optional trailing section: a state that never paused encodes
		// as it did before pauses existed, so its hash is unchanged.
		w.int(int64(len(s.Pauses)))
		for _, p := range s.Pauses {
			w.date(p.From)
			w.date(p.To)
			w.sym(string(p.Type))
			w.sym(string(p.Interest))
			w.int(int64(p.First))
			w.int(int64(p.Periods))
			w.date(p.Start)
			w.date(p.End)
			w.amount(p.Accrued)
			w.bool(p.Booked)
		}
		w.amount(s.DeferredInterest)
		w.amount(s.InterestWaived)
		w.amount(s.Draws)
		w.date(s.CycleStart)
		w.amount(s.CycleOpen)
		w.amount(s.CycleFees)
		w.int(int64(len(s.Activity)))
		for _, a := range s.Activity {
			w.date(a.On)
			w.sym(string(a.Kind))
			w.amount(a.Amount)
		}
		w.int(int64(len(s.Statements)))
		for _, st := range s.Statements {
			w.date(st.On)
			w.date(st.Due)
			w.amount(st.Minimum)
			w.amount(st.Interest)
			w.bool(st.LateFee)
		}
		w.int(int64(s.RepayFrom))
		w.int(int64(len(s.EscrowSteps)))
		for _, p := range s.EscrowSteps {
			w.int(int64(p.From))
			w.amount(p.Payment)
		}
		w.date(s.EscrowPaidThrough)
		w.date(s.MIEndedOn)
		w.int(int64(len(s.ItemBalances)))
		for _, a := range s.ItemBalances {
			w.amount(a)
		}
		if len(s.Charges) > 0 || len(s.Credits) > 0 || len(s.RecalcEMIs) > 0 || held {
			// A second optional section: states without installment
			// charges and recalculation credits encode as before them.
			w.int(int64(len(s.Charges)))
			for _, c := range s.Charges {
				w.int(int64(c.Installment))
				w.date(c.DueOn)
				w.sym(string(c.Type))
				w.amount(c.Amount)
				w.amount(c.Open)
			}
			w.int(int64(len(s.Credits)))
			for _, c := range s.Credits {
				w.int(int64(c.Installment))
				w.date(c.On)
				w.bool(c.Interest)
				w.amount(c.Amount)
			}
			w.int(int64(len(s.RecalcEMIs)))
			for _, a := range s.RecalcEMIs {
				w.amount(a)
			}
			if held {
				// A third optional section: states without a status hold
				// encode as before it.
				h := &s.Hold
				w.date(h.Made)
				w.sym(string(h.Cap))
				w.int(int64(len(h.Payments)))
				for _, p := range h.Payments {
					w.date(p.On)
					w.amount(p.Amount)
				}
				w.int(int64(len(h.Receipts)))
				for _, r := range h.Receipts {
					w.date(r.On)
					w.amount(r.Amount)
				}
			}
		}
	}
	return w.b
}

// UnmarshalBinary decodes what MarshalBinary wrote. Errors wrap
// ErrCorruptState.
func (s *State) UnmarshalBinary(b []byte) error { return s.UnmarshalBinaryTerms(b, nil) }

// UnmarshalBinaryTerms is UnmarshalBinary taking the terms from terms when
// it is not nil: the caller decoded TermsEncoding(b) before (a loan's
// checkpoints all carry the same terms, and decoding them is most of the
// cost), and vouches that terms is what those bytes decode to.
func (s *State) UnmarshalBinaryTerms(b []byte, terms *Terms) error {
	tb := TermsEncoding(b)
	if tb == nil {
		return fmt.Errorf("%w: not a state encoding of version %d", ErrCorruptState, EncodingVersion)
	}
	var t State
	if terms != nil {
		t.Terms = *terms
	} else {
		var err error
		if t.Terms, err = decodeTerms(tb); err != nil {
			return fmt.Errorf("%w: terms: %v", ErrCorruptState, err)
		}
	}
	cur := t.Terms.Currency()
	r := reader{b: b[termsEnd(b):]}
	r.one, _ = money.New(1, cur)
	t.TermsVersion = int(r.int())
	t.Rate = r.rate()
	t.Payment = r.amount(cur)
	t.Installments = int(r.int())
	t.DueOffset = int(r.int())
	t.Rules = int(r.int())
	if n := r.count(MaxChanges); n > 0 {
		t.Rates = make([]accrual.RateChange, n)
		for i := range t.Rates {
			t.Rates[i] = accrual.RateChange{On: r.date(), Rate: r.rate()}
		}
	}
	if n := r.count(MaxChanges); n > 0 {
		t.Payments = make([]PaymentStep, n)
		for i := range t.Payments {
			t.Payments[i] = PaymentStep{From: int(r.int()), Payment: r.amount(cur)}
		}
	}
	t.AsOf = r.date()
	t.Version = r.int()
	t.Status = ServicingStatus(r.sym())
	t.Principal, t.AccruedInterest = r.amount(cur), r.amount(cur)
	t.AccrualFrom = r.date()
	t.NextInstallment = int(r.int())
	t.Suspense, t.CreditBalance = r.amount(cur), r.amount(cur)
	t.LateFees, t.NSFFees, t.OtherFees = r.amount(cur), r.amount(cur), r.amount(cur)
	t.LateFeesThrough = int(r.int())
	t.Escrow, t.ChargedOff, t.Recovered = r.amount(cur), r.amount(cur), r.amount(cur)
	t.ChargeOff = delinquency.ChargeOffBehavior(r.sym())
	t.ChargedOffPrincipal = r.amount(cur)
	t.DelinquentSince, t.LastDayClosed, t.ClosedOn = r.date(), r.date(), r.date()
	t.PaidPrincipal, t.PaidInterest, t.PaidEscrow, t.PaidFees = r.amount(cur), r.amount(cur), r.amount(cur), r.amount(cur)
	t.EscrowAdvance = r.amount(cur)
	t.CapMax = r.rate()
	t.CapFrom, t.CapTo = r.date(), r.date()
	t.InterestForgiven = r.amount(cur)
	t.NonAccrualInterest = r.amount(cur)
	t.Rebated = r.amount(cur)
	t.NonAccrualThrough = int(r.int())
	if n := r.count(MaxChanges); n > 0 {
		t.IndexResets = make([]IndexObservation, n)
		for i := range t.IndexResets {
			t.IndexResets[i] = IndexObservation{On: r.date(), Index: r.rate()}
		}
	}
	if n := r.count(MaxInstallments); n > 0 {
		t.Partial = make([]PartialInstallment, n)
		for i := range t.Partial {
			p := &t.Partial[i]
			p.Seq = int(r.int())
			p.Principal, p.Interest, p.Escrow = r.amount(cur), r.amount(cur), r.amount(cur)
			p.PaidPrincipal, p.PaidInterest, p.PaidEscrow, p.PaidFees = r.amount(cur), r.amount(cur), r.amount(cur), r.amount(cur)
			p.Deferred = r.amount(cur)
			p.LastPaidOn = r.date()
		}
	}
	if len(r.b) > 0 && r.err == nil {
		if n := r.count(MaxPauses); n > 0 {
			t.Pauses = make([]Pause, n)
			for i := range t.Pauses {
				p := &t.Pauses[i]
				p.From, p.To = r.date(), r.date()
				p.Type, p.Interest = delinquency.PauseKind(r.sym()), PauseInterest(r.sym())
				p.First, p.Periods = int(r.int()), int(r.int())
				p.Start, p.End = r.date(), r.date()
				p.Accrued = r.amount(cur)
				p.Booked = r.bool()
			}
		}
		t.DeferredInterest, t.InterestWaived, t.Draws = r.amount(cur), r.amount(cur), r.amount(cur)
		t.CycleStart, t.CycleOpen, t.CycleFees = r.date(), r.amount(cur), r.amount(cur)
		if n := r.count(revolving.MaxActivity); n > 0 {
			t.Activity = make([]revolving.Activity, n)
			for i := range t.Activity {
				t.Activity[i] = revolving.Activity{On: r.date(), Kind: revolving.ActivityKind(r.sym()), Amount: r.amount(cur)}
			}
		}
		if n := r.count(MaxChanges); n > 0 {
			t.Statements = make([]LineStatement, n)
			for i := range t.Statements {
				t.Statements[i] = LineStatement{On: r.date(), Due: r.date(), Minimum: r.amount(cur), Interest: r.amount(cur), LateFee: r.bool()}
			}
		}
		t.RepayFrom = int(r.int())
		if n := r.count(MaxChanges); n > 0 {
			t.EscrowSteps = make([]PaymentStep, n)
			for i := range t.EscrowSteps {
				t.EscrowSteps[i] = PaymentStep{From: int(r.int()), Payment: r.amount(cur)}
			}
		}
		t.EscrowPaidThrough, t.MIEndedOn = r.date(), r.date()
		if n := r.count(MaxEscrowItems); n > 0 {
			t.ItemBalances = make([]money.Amount, n)
			for i := range t.ItemBalances {
				t.ItemBalances[i] = r.amount(cur)
			}
		}
		if len(r.b) > 0 && r.err == nil {
			if n := r.count(MaxInstallments); n > 0 {
				t.Charges = make([]InstallmentCharge, n)
				for i := range t.Charges {
					c := &t.Charges[i]
					c.Installment, c.DueOn, c.Type = int(r.int()), r.date(), FeeType(r.sym())
					c.Amount, c.Open = r.amount(cur), r.amount(cur)
				}
			}
			if n := r.count(MaxCredits); n > 0 {
				t.Credits = make([]Credit, n)
				for i := range t.Credits {
					c := &t.Credits[i]
					c.Installment, c.On, c.Interest, c.Amount = int(r.int()), r.date(), r.bool(), r.amount(cur)
				}
			}
			if n := r.count(MaxInstallments); n > 0 {
				t.RecalcEMIs = make([]money.Amount, n)
				for i := range t.RecalcEMIs {
					t.RecalcEMIs[i] = r.amount(cur)
				}
			}
			if len(r.b) > 0 && r.err == nil {
				t.Hold = r.hold(cur)
			}
		}
	} else {
		z := money.Zero(cur)
		t.DeferredInterest, t.InterestWaived, t.Draws = z, z, z
		t.CycleOpen, t.CycleFees = z, z
	}
	if r.err != nil || len(r.b) != 0 {
		return fmt.Errorf("%w: %v (%d trailing bytes)", ErrCorruptState, r.err, len(r.b))
	}
	*s = t
	return nil
}

// hold decodes the status hold section.
func (r *reader) hold(cur money.Currency) ArrangementHold {
	h := ArrangementHold{Made: r.date(), Cap: delinquency.Status(r.sym())}
	if h.Cap == "" {
		r.fail("status hold without a cap")
	}
	if n := r.count(collections.MaxPlanPayments); n > 0 {
		h.Payments = make([]collections.Planned, n)
		for i := range h.Payments {
			h.Payments[i] = collections.Planned{On: r.date(), Amount: r.amount(cur)}
		}
	} else {
		r.fail("status hold without planned payments")
	}
	if n := r.count(MaxEvents); n > 0 {
		h.Receipts = make([]collections.Receipt, n)
		for i := range h.Receipts {
			h.Receipts[i] = collections.Receipt{On: r.date(), Amount: r.amount(cur)}
		}
	}
	return h
}

// count reads a list length, failing past max.
func (r *reader) count(max int) int {
	n := r.int()
	if n < 0 || n > int64(max) {
		r.fail("bad list length")
		return 0
	}
	return int(n)
}

type writer struct{ b []byte }

func (w *writer) int(v int64)           { w.b = binary.AppendVarint(w.b, v) }
func (w *writer) date(d date.Date)      { w.int(int64(d)) }
func (w *writer) amount(a money.Amount) { w.int(a.Minor()) }
func (w *writer) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}
func (w *writer) bool(v bool) {
	if v {
		w.int(1)
	} else {
		w.int(0)
	}
}

// symbols are the strings the encoding writes as one-byte codes (code i+1
// is symbols[i]; code 0 is followed by the string itself). The list is part
// of the encoding: append only, and bump EncodingVersion otherwise.
var symbols = [...]string{
	"", string(StatusPending), string(StatusCurrent), string(StatusDelinquent), string(StatusDefault),
	string(StatusNonAccrual), string(StatusPaidOff), string(StatusChargedOff),
	string(delinquency.ChargeOffRegular), string(delinquency.ChargeOffStopInterest), string(delinquency.ChargeOffAccelerate),
	string(delinquency.Forbearance), string(delinquency.Deferment), string(delinquency.DelinquencyPause),
	string(PauseCapitalize), string(PauseDefer), string(PauseWaive),
	string(revolving.Draw), string(revolving.Payment), string(revolving.FeePayment), string(revolving.Credit),
	string(revolving.Fee), string(revolving.FeeCredit),
}

// symbolCodes maps each symbol to its code; built once, never changed.
var symbolCodes = func() map[string]byte {
	m := make(map[string]byte, len(symbols))
	for i, s := range symbols {
		m[s] = byte(i + 1)
	}
	return m
}()

// sym writes s as its symbol code, or 0 and the string.
func (w *writer) sym(s string) {
	if c, ok := symbolCodes[s]; ok {
		w.b = append(w.b, c)
		return
	}
	w.b = append(w.b, 0)
	w.str(s)
}

// sym reads what writer.sym wrote; a symbol costs no allocation.
func (r *reader) sym() string {
	if r.err != nil {
		return ""
	}
	if len(r.b) == 0 {
		r.fail("bad symbol")
		return ""
	}
	c := int(r.b[0])
	r.b = r.b[1:]
	if c == 0 {
		return r.str()
	}
	if c > len(symbols) {
		r.fail("bad symbol")
		return ""
	}
	return symbols[c-1]
}

type reader struct {
	b   []byte
	err error
	one money.Amount // one minor unit of the state's currency, once known
}

// TermsEncoding returns the encoding of the terms inside the state encoding
// b (their canonical JSON; nil when b is not a state encoding of this
// version).
func TermsEncoding(b []byte) []byte {
	end := termsEnd(b)
	if end == 0 {
		return nil
	}
	n, k := binary.Uvarint(b[1:])
	return b[1+k : 1+k+int(n) : 1+k+int(n)]
}

// termsEnd returns the offset just past the terms in the state encoding b
// (0 when b is not one of this version).
func termsEnd(b []byte) int {
	if len(b) < 2 || b[0] != EncodingVersion {
		return 0
	}
	n, k := binary.Uvarint(b[1:])
	if k <= 0 || n > uint64(len(b)-1-k) {
		return 0
	}
	return 1 + k + int(n)
}

// decodeTerms decodes the terms' canonical encoding b (their JSON).
func decodeTerms(b []byte) (Terms, error) {
	var t Terms
	if err := json.Unmarshal(b, &t); err != nil {
		return Terms{}, err
	}
	return t, nil
}

// appendTerms appends the canonical encoding of t: its JSON, which
// encoding/json writes in field order with map keys sorted.
func appendTerms(b []byte, t Terms) []byte {
	j, err := json.Marshal(t)
	if err != nil {
		// Terms hold only values with total JSON encoders (amounts, rates,
		// dates, strings, integers): Marshal cannot fail on them.
		panic(fmt.Sprintf("loan: terms encoding: %v", err))
	}
	return append(b, j...)
}

func (r *reader) int() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = fmt.Errorf("bad varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str() string {
	if r.err != nil {
		return ""
	}
	l, n := binary.Uvarint(r.b)
	if n <= 0 || uint64(len(r.b)-n) < l {
		r.err = fmt.Errorf("bad string")
		return ""
	}
	s := string(r.b[n : n+int(l)])
	r.b = r.b[n+int(l):]
	return s
}

func (r *reader) date() date.Date { return date.Date(r.int()) }
func (r *reader) bool() bool      { return r.int() != 0 }

func (r *reader) amount(cur money.Currency) money.Amount {
	v := r.int()
	if r.err != nil {
		return money.Amount{}
	}
	if r.one.Currency() == cur && !r.one.IsZero() {
		a, err := r.one.Mul(v) // no currency lookup
		if err != nil {
			r.err = err
		}
		return a
	}
	a, err := money.New(v, cur)
	if err != nil {
		r.err = err
	}
	return a
}

func (r *reader) rate() rate.Rate {
	v := r.int()
	if r.err != nil {
		return rate.Rate{}
	}
	x, err := rate.FromUnits(v)
	if err != nil {
		r.err = err
	}
	return x
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = errors.New(msg)
	}
}
