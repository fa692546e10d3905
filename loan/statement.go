package loan

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/revolving"
	"github.com/rickb777/date/v2"
)

// Breakdown splits money by component.
type Breakdown struct {
	Principal money.Amount `json:"principal"`
	Interest  money.Amount `json:"interest"`
	Escrow    money.Amount `json:"escrow"`
	Fees      money.Amount `json:"fees"`
	Suspense  money.Amount `json:"suspense"`
}

func (b *Breakdown) add(l JournalLine) {
	switch l.Component {
	case AccountPrincipal:
		b.Principal = b.Principal.Add(l.Amount)
	case AccountInterest:
		b.Interest = b.Interest.Add(l.Amount)
	case AccountEscrow:
		b.Escrow = b.Escrow.Add(l.Amount)
	case AccountLateFee, AccountNSFFee, AccountOtherFee:
		b.Fees = b.Fees.Add(l.Amount)
	case AccountSuspense, AccountFromSuspense:
		b.Suspense = b.Suspense.Add(l.Amount)
	}
}

// CyclePastDue is one billing cycle of the delinquency history: the amount
// past due on the cycle's due date.
type CyclePastDue struct {
	DueDate date.Date    `json:"due_date"`
	PastDue money.Amount `json:"past_due"`
}

// Statement is the data of a periodic statement for the cycle [From, To)
// (Reg Z §1026.41(d)); hosts render it.
type Statement struct {
	From, To date.Date `json:"-"`
	// (d)(1) amount due, due date, late fee and when it applies.
	AmountDue        money.Amount `json:"amount_due"`
	DueDate          date.Date    `json:"due_date"`
	LateFee          money.Amount `json:"late_fee"`
	LateFeeAppliesOn date.Date    `json:"late_fee_applies_on"`
	// (d)(2) the periodic payment's split, fees charged this cycle, past due.
	Payment       Breakdown    `json:"payment"`
	FeesSinceLast money.Amount `json:"fees_since_last"`
	PastDue       money.Amount `json:"past_due"`
	// (d)(3) payments this cycle and year to date, by component.
	PaidSinceLast Breakdown `json:"paid_since_last"`
	PaidYTD       Breakdown `json:"paid_ytd"`
	// (d)(4) the cycle's transactions.
	Transactions []Transaction `json:"transactions"`
	// (d)(5) suspense held, and what completes a periodic payment.
	Suspense money.Amount `json:"suspense"`
	// Escrow is the escrow account's balance and EscrowAdvance what the
	// servicer advanced beyond it, at the end of the cycle.
	Escrow          money.Amount `json:"escrow"`
	EscrowAdvance   money.Amount `json:"escrow_advance"`
	ToApplySuspense money.Amount `json:"to_apply_suspense"`
	// (d)(7) account information.
	Principal money.Amount `json:"principal"`
	Rate      string       `json:"rate"`
	// (d)(8) delinquency information (filled when more than 45 days past
	// due): start, last six cycles, amount to bring current.
	DaysPastDue     int            `json:"days_past_due"`
	DelinquentSince date.Date      `json:"delinquent_since,omitzero"`
	History         []CyclePastDue `json:"history,omitempty"`
	ToBringCurrent  money.Amount   `json:"to_bring_current"`
	// Line is a line of credit's periodic statement (Reg Z §1026.7) issued
	// on To, or the last one before it; AmountDue and DueDate are then
	// its minimum payment (with what is past due) and due date.
	Line *revolving.Statement `json:"line,omitempty"`
}

// pastDue is what the delinquency package finds unpaid of the periodic
// payments due before s.AsOf (Assessment.ToCure: the engine's assessment,
// tolerance included), less suspense.
func pastDue(s State) (money.Amount, error) {
	z := money.Zero(s.Terms.Currency())
	if s.Status == StatusChargedOff && s.ChargeOff == delinquency.ChargeOffAccelerate {
		// Accelerated: the whole balance is due since the charge-off.
		return money.Max(z, s.ChargedOff.Sub(s.Suspense)), nil
	}
	a, err := s.Delinquency()
	if err != nil {
		return z, fmt.Errorf("statement past due: %w", err)
	}
	return money.Max(z, a.ToCure.Sub(s.Suspense)), nil
}

// BuildStatement returns the statement data for the cycle [from, to) of the
// loan whose whole log is events: the state at the end of to−1, the cycle's
// transactions and year-to-date totals.
func BuildStatement(terms Terms, evs []Event, from, to date.Date) (Statement, error) {
	if to <= from {
		var fl field.List
		fl.Add("To", to.String(), field.ErrInvalid, "must be after From")
		return Statement{}, fl.Err(ErrInvalidInput)
	}
	l, err := ReplayLedger(terms, evs, to-1)
	if err != nil {
		return Statement{}, err
	}
	s := l.State
	z := money.Zero(terms.Currency())
	past, err := pastDue(s)
	if err != nil {
		return Statement{}, err
	}
	st := Statement{From: from, To: to, Principal: s.Principal, Rate: s.Rate.String(), Suspense: s.Suspense,
		Escrow: s.Escrow, EscrowAdvance: s.EscrowAdvance,
		FeesSinceLast: z, PastDue: past, DaysPastDue: s.DaysPastDue(), Transactions: []Transaction{}}
	zb := Breakdown{z, z, z, z, z}
	st.PaidSinceLast, st.PaidYTD, st.Payment = zb, zb, zb
	yearStart := date.New((to - 1).Year(), time.January, 1)
	for _, t := range l.Transactions {
		if t.Reversed {
			continue
		}
		inCycle := t.Date >= from && t.Date < to
		switch t.Kind {
		case TransactionLateFee, TransactionKind(KindFeeAssessed), TransactionKind(KindPaymentReversed):
			if inCycle {
				st.FeesSinceLast = st.FeesSinceLast.Add(t.Amount)
			}
		}
		for _, ln := range t.Lines {
			if t.Kind != TransactionKind(KindPaymentReceived) {
				break
			}
			if t.Date >= from && t.Date < to {
				st.PaidSinceLast.add(ln)
			}
			if t.Date >= yearStart && t.Date < to {
				st.PaidYTD.add(ln)
			}
		}
		if t.Date >= from && t.Date < to {
			st.Transactions = append(st.Transactions, t)
		}
	}
	if terms.Line != nil {
		// The line's statement of the cycle ending on to.
		ll, err := ReplayLedger(terms, evs, to)
		if err != nil {
			return Statement{}, err
		}
		if n := len(ll.Statements); n > 0 {
			ls := ll.Statements[n-1]
			st.Line, st.AmountDue, st.DueDate = &ls, ls.MinimumPayment.Add(past), ls.DueDate
		}
	} else if err := st.upcoming(s, to); err != nil {
		return Statement{}, err
	}
	st.ToBringCurrent = money.Sum(st.PastDue, s.LateFees, s.NSFFees, s.OtherFees)
	if st.DaysPastDue > 45 {
		st.DelinquentSince = s.DelinquentSince
		st.History, err = cycleHistory(terms, evs, s)
		if err != nil {
			return Statement{}, err
		}
	}
	return st, nil
}

// upcoming fills the statement's (d)(1) and (d)(2) fields for the
// installment the cycle asks for: the first unpaid one due on or after to,
// its components as billed on its due date, the amount due with what is past
// due and the fees, and the late fee delinquency would charge if it stayed
// unpaid through its grace period, on the day delinquency says
// (LateFeeDecision.ChargeableOn).
func (st *Statement) upcoming(s State, to date.Date) error {
	if s.Status == StatusPaidOff || s.Status == StatusChargedOff {
		return nil
	}
	f := folder{s: s}
	k := s.NextInstallment
	for k <= s.Installments && f.dueDate(k) < to {
		k++
	}
	if k > s.Installments {
		return nil
	}
	due := f.dueDate(k)
	z := money.Zero(s.Terms.Currency())
	if s.Terms.Accrual == AccrualDailySimple {
		// Daily simple interest is booked only when principal or rate
		// changes; the breakdown shows the interest accrued through the
		// due date, as if paid that day.
		if err := f.crystallize(due); err != nil {
			return fmt.Errorf("statement: %w", err)
		}
	}
	if _, _, err := f.bills(due); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	pi, interest, escrow := z, z, z
	for _, b := range f.bs {
		if b.k == k {
			pi, interest, escrow = b.openP.Add(b.openI), b.openI, b.openE
		}
	}
	st.DueDate = due
	st.Payment = Breakdown{Principal: pi.Sub(interest), Interest: interest, Escrow: escrow, Fees: z, Suspense: z}
	st.AmountDue = money.Sum(pi, escrow, st.PastDue, s.LateFees, s.NSFFees, s.OtherFees)
	st.ToApplySuspense = money.Max(z, pi.Add(escrow).Sub(s.Suspense))
	st.LateFee = z
	if s.Terms.Delinquency.LateFee == nil {
		return nil
	}
	ev, err := f.evaluator(due, maxWindow)
	if err != nil || ev == nil {
		return err
	}
	dec, err := ev.LateFee(k, due)
	if err != nil {
		return fmt.Errorf("statement late fee: %w", err)
	}
	st.LateFeeAppliesOn = dec.ChargeableOn
	if dec, err = ev.LateFee(k, dec.ChargeableOn); err != nil {
		return fmt.Errorf("statement late fee: %w", err)
	}
	if dec.Charge {
		st.LateFee = dec.Amount
	}
	return nil
}

// cycleHistory lists the past-due amount on each of the last six due dates
// (or since the episode began), oldest first.
func cycleHistory(terms Terms, evs []Event, s State) ([]CyclePastDue, error) {
	f := folder{s: s}
	var out []CyclePastDue
	for k := s.NextInstallment + 6; k >= s.NextInstallment-6 && k >= 1; k-- {
		due := f.dueDate(k)
		if due >= s.AsOf || due < s.DelinquentSince || len(out) == 6 {
			continue
		}
		at, err := Replay(terms, evs, due)
		if err != nil {
			return nil, err
		}
		past, err := pastDue(at)
		if err != nil {
			return nil, err
		}
		out = append([]CyclePastDue{{DueDate: due, PastDue: past}}, out...)
	}
	return out, nil
}
