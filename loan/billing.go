package loan

import (
	"fmt"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/revolving"
	"github.com/rickb777/date/v2"
)

// This file turns a loan's state into the inputs of the pure packages —
// payment.Receivable values for the waterfall, delinquency.Installment values
// for days past due and late fees — and folds their answers back.

// bill is one installment of the open window as the engine bills it.
type bill struct {
	k   int
	due date.Date
	// billed components, and what is still open of each.
	p, i, e          money.Amount
	openP, openI     money.Amount
	openE            money.Amount
	paidFees         money.Amount
	cP, cI, cE       money.Amount // credited so far (partly paid)
	forgiven         money.Amount // interest above a rate cap (billed now)
	deferred         money.Amount // interest beyond the payment: capitalized when paid (rules 2)
	lastPaid         date.Date
	idxP, idxI, idxE int // receivable indexes (-1: none)
}

// maxWindow bounds the installments billed at once (a loan years behind is
// billed this many at a time).
const maxWindow = 480

// bills lays out the open window on date d: every installment from the
// oldest unpaid one that is past due on d, and the one due in d's cycle
// (the first due on or after d), with their components. A partly paid
// installment keeps the amounts billed when money first reached it; the
// others are billed now: scheduled interest on the scheduled balance over
// the installment's period, daily simple interest from what has accrued
// (oldest installment first). The final installment, or one the payment
// would exceed, takes the whole balance. It returns the principal and the
// accrued interest the window leaves unbilled.
func (f *folder) bills(d date.Date) (rest money.Amount, accrued money.Amount, err error) {
	return f.billsN(d, maxWindow)
}

// billsN is bills with at most n installments.
func (f *folder) billsN(d date.Date, n int) (rest money.Amount, accrued money.Amount, err error) {
	s := &f.s
	f.bs = f.bs[:0]
	if s.recalculating() {
		f.deferredK = 0
		rest, err = f.recalcBills(d, n)
		return rest, s.AccruedInterest, err
	}
	bal, accrued := s.Principal, s.AccruedInterest
	dsi := s.Terms.Accrual == AccrualDailySimple
	z := money.Zero(bal.Currency())
	pi := 0
	f.deferredK = 0
	for k := s.NextInstallment; k <= s.Installments && len(f.bs) < n; k++ {
		for pi < len(s.Partial) && s.Partial[pi].Seq < k {
			pi++
		}
		partial := pi < len(s.Partial) && s.Partial[pi].Seq == k
		if !bal.IsPositive() && !partial {
			break
		}
		b := bill{k: k, due: f.dueDate(k), paidFees: z, cP: z, cI: z, cE: z, forgiven: z, deferred: z, idxP: -1, idxI: -1, idxE: -1}
		if partial {
			p := &s.Partial[pi]
			b.p, b.i, b.e = p.Principal, p.Interest, p.Escrow
			b.openP, b.openI, b.openE = p.Principal.Sub(p.PaidPrincipal), p.Interest.Sub(p.PaidInterest), p.Escrow.Sub(p.PaidEscrow)
			b.paidFees, b.lastPaid, b.deferred = p.PaidFees, p.LastPaidOn, p.Deferred.Add(z)
			b.cP, b.cI, b.cE = p.PaidPrincipal, p.PaidInterest, p.PaidEscrow
			final := s.DeferredInterest.IsPositive() && (k >= s.Installments || !b.openP.LessThan(bal))
			if final {
				f.deferredK = k // billed with it when first billed
			}
			if dsi && !(k == 1 && s.downPayment()) && !s.line() {
				// Daily simple interest: what is left of the periodic
				// payment pays the interest accrued first.
				left := b.openP.Add(b.openI)
				acc := accrued
				if final {
					acc = acc.Add(s.DeferredInterest)
				}
				b.openI = money.Min(acc, left)
				b.openP = left.Sub(b.openI)
			}
			b.openP = money.Min(b.openP, money.Max(z, bal))
		} else {
			var interest money.Amount
			pay := s.Payment
			switch {
			case s.line():
				// A statement's minimum payment, all of it principal: the
				// finance charge was added to the balance.
				interest, pay = z, money.Min(s.Statements[k-1].Minimum, money.Max(z, bal))
			case k == 1 && s.downPayment():
				// The down payment: principal due on the funding date.
				interest, pay = z, s.Terms.DownPayment
			case dsi && s.rules2():
				// The shape's payment for the interest accrued.
				bl, err := f.biller()
				if err != nil {
					return z, z, err
				}
				interest = accrued
				pay = bl.Scheduled(f.row(k), interest, f.paymentFor(k))
			case dsi:
				interest = accrued
			case s.Terms.Accrual == AccrualPrecomputed:
				// The add-on table's installment and the charge it earns.
				tb, err := f.addOnTable()
				if err != nil {
					return z, z, err
				}
				interest = z
				if k <= len(tb.Rows) {
					interest, pay = tb.Rows[k-1].Interest, tb.Rows[k-1].Payment
				}
			case s.rules2():
				if interest, pay, b.forgiven, err = f.billRow(k, bal, f.paymentFor(k)); err != nil {
					return z, z, err
				}
			default:
				// Rules 1: the period's day-count fraction at the rate in
				// force when billed.
				if interest, b.forgiven, err = f.interestOn(bal, f.periodStart(k), b.due); err != nil {
					return z, z, err
				}
			}
			// SCRA (50 U.S.C. §3937): the periodic payment drops by the
			// interest forgiven for the period; it is not paid to principal.
			pay = pay.Sub(b.forgiven)
			if all := bal.Add(interest); !s.line() && (k >= s.Installments || all.Cmp(pay) <= 0) {
				pay = all
				if s.DeferredInterest.IsPositive() {
					// A pause's deferred interest is due with the last
					// installment.
					interest, pay, f.deferredK = interest.Add(s.DeferredInterest), pay.Add(s.DeferredInterest), k
				}
			}
			if interest.GreaterThan(pay) && s.rules2() && !dsi {
				// Negative amortization (a long first period, amortize's
				// table has negative principal): the interest the payment
				// does not cover is capitalized when the installment is paid.
				b.deferred = interest.Sub(pay)
			}
			interest = money.Min(interest, pay)
			b.p, b.i, b.e = pay.Sub(interest), interest, s.escrowFor(k)
			if k == 1 && s.downPayment() || s.line() {
				b.e = z // escrow is collected with the periodic installments
			}
			b.openP, b.openI, b.openE = b.p, b.i, b.e
		}
		if dsi {
			accrued = money.Max(z, accrued.Sub(b.openI))
		}
		bal = bal.Sub(b.openP).Add(b.deferred)
		f.bs = append(f.bs, b)
		if b.due >= d {
			if !f.ahead.IsPositive() {
				break
			}
			// A pay-ahead receipt: bill the next installment too while the
			// money reaches past this one.
			f.ahead = f.ahead.Sub(b.openP).Sub(b.openI).Sub(b.openE)
		} else if f.ahead.IsPositive() {
			f.ahead = f.ahead.Sub(b.openP).Sub(b.openI).Sub(b.openE)
		}
	}
	if !dsi {
		accrued = s.AccruedInterest // interest adjustments, outside installments
	}
	return money.Max(z, bal), accrued, nil
}

// billRow bills scheduled installment k on the scheduled balance bal with
// amortize's row rule (amortize.Biller: the table's interest for the
// installment's own period under the rate path, the odd first period as the
// terms say, the shape's payment with the recast amount in force, or the
// payoff when it is the last); a rate cap
// over the period forgives what is above it (accrual.Timeline's cap
// override), returned apart for the caller to take off interest and
// payment.
func (f *folder) billRow(k int, bal, recast money.Amount) (interest, due, forgiven money.Amount, err error) {
	s := &f.s
	z := money.Zero(bal.Currency())
	bl, err := f.biller()
	if err != nil {
		return z, z, z, err
	}
	n := f.row(k)
	rowInterest, rowPayment, err := f.rows.bill(bl, n, bal, recast, k >= s.Installments)
	if err != nil {
		return z, z, z, fmt.Errorf("bill installment %d: %w", k, err)
	}
	forgiven = z
	if s.CapTo == 0 {
		return rowInterest, rowPayment, forgiven, nil
	}
	if start, end := bl.Period(n); s.CapTo > start && s.CapFrom < end {
		if _, forgiven, err = f.interestOn(bal, start, end); err != nil {
			return z, z, z, err
		}
		forgiven = money.Min(forgiven, rowInterest)
	}
	return rowInterest.Sub(forgiven), rowPayment, forgiven, nil
}

// rowMemo remembers the interest and payment of the last rows amortize
// billed in one fold, by exactly the inputs of amortize.Biller.Bill: the
// biller (immutable: the same pointer bills the same rows) and its
// arguments. A fold bills the open window again for every receipt and
// sweep, mostly with the same inputs (the balance moves only when an
// installment is paid), and each Bill prices the period's interest anew.
// Slots are direct-mapped by period, so a window of up to rowSlots
// consecutive periods stays whole; a longer one only misses more.
// TestRowMemoMatchesBiller holds it equal to the biller.
type rowMemo [rowSlots]rowSlot

// rowSlots is the rows a fold remembers: a window is seldom longer.
const rowSlots = 8

// rowSlot is one remembered row: the key (Bill's inputs; bl nil: empty)
// and the parts of its answer billing uses.
type rowSlot struct {
	bl                *amortize.Biller
	n                 int
	bal, recast       money.Amount
	final             bool
	interest, payment money.Amount
}

// bill returns bl.Bill(n, bal, recast, final)'s interest and payment,
// from the memo when it holds them (errors are not remembered).
func (m *rowMemo) bill(bl *amortize.Biller, n int, bal, recast money.Amount, final bool) (interest, payment money.Amount, err error) {
	sl := &m[uint(n)%rowSlots]
	if sl.bl == bl && sl.n == n && sl.bal == bal && sl.recast == recast && sl.final == final {
		return sl.interest, sl.payment, nil
	}
	row, err := bl.Bill(n, bal, recast, final)
	if err != nil {
		return money.Amount{}, money.Amount{}, err
	}
	*sl = rowSlot{bl: bl, n: n, bal: bal, recast: recast, final: final, interest: row.Interest, payment: row.Payment}
	return row.Interest, row.Payment, nil
}

// biller returns the amortize biller of the loan's table under its rate
// path (State.Rates), built once per path (setRate drops it).
func (f *folder) biller() (*amortize.Biller, error) {
	s := &f.s
	if f.bl != nil {
		return f.bl, nil
	}
	t := s.Terms.Terms
	t.RatePath = s.Rates
	bl, err := amortize.NewBiller(t)
	if err != nil {
		return nil, fmt.Errorf("billing terms: %w", err)
	}
	f.bl = bl
	return bl, nil
}

// fitTerm sets the maturity to the installments the balance needs at the
// payments in force, projected from the next installment with amortize's
// row rule (amortize.Biller.Bill), the last of them taking the rest: in
// after a reduce-term receipt (payment.ExtraReduceTerm: same payment, fewer
// installments), and, with grow, out after a draw under DrawExtend. A later
// recast re-solves over the new term.
func (f *folder) fitTerm(grow bool) error {
	s := &f.s
	if !s.Principal.IsPositive() || s.Terms.Accrual == AccrualPrecomputed {
		return nil
	}
	bl, err := f.biller()
	if err != nil {
		return err
	}
	bal := s.Principal
	k := s.NextInstallment
	if k < s.firstRow() {
		bal, k = bal.Sub(s.Terms.DownPayment), s.firstRow() // not reached: extra money pays the down payment first
	}
	end := s.Installments
	if grow {
		end = MaxInstallments
	}
	for ; k < end; k++ {
		n := f.row(k)
		row, err := bl.Bill(n, bal, f.paymentFor(k), false)
		if err != nil {
			return fmt.Errorf("fit the term from installment %d: %w", k, err)
		}
		if !row.Balance.IsPositive() {
			break
		}
		if grow && !row.Principal.IsPositive() && n > s.Terms.InterestOnly {
			return fmt.Errorf("%w: the payment %s does not amortize %s (installment %d): recast instead", ErrInvalidEvent, row.Payment, bal, k)
		}
		bal = row.Balance
	}
	if grow && k >= end {
		return fmt.Errorf("%w: more than %d installments at the payment in force", ErrLimit, MaxInstallments)
	}
	if grow {
		s.Installments = max(s.Installments, k)
	} else {
		s.Installments = min(s.Installments, k)
	}
	return nil
}

// paymentFor is the recast amount in force for installment k under rules
// 2: the last step from k or earlier (State.Payments; a step of 0.00 is a
// recast to zero), or the zero Amount without a currency when the shape's
// payments as boarded apply (amortize.Biller.Scheduled).
func (f *folder) paymentFor(k int) money.Amount {
	ps := f.s.Payments
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].From <= k {
			return ps[i].Payment
		}
	}
	return money.Amount{}
}

// standalone receivables: what a receivable index that belongs to no
// installment of the window stands for.
const (
	recvInstallment = iota
	recvInterest
	recvLate
	recvNSF
	recvOther
	recvFuture
	recvAdvance
	// recvCharge + i is installment charge i (State.Charges[i]).
	recvCharge = 1 << 20
)

// receivables fills f.rs from the window (and, unless only, the fees, the
// unbilled interest and the principal beyond the window, when future).
func (f *folder) receivables(d date.Date, rest, accrued money.Amount, only, future bool) {
	s := &f.s
	f.rs, f.rk = f.rs[:0], f.rk[:0]
	add := func(r payment.Receivable, kind int) int {
		if i := len(f.rs); i < cap(f.rs) {
			// The slot of the last allocation: most receivables of a fold
			// are the ones before them again, and writing an equal one
			// (strings: pointers) costs write barriers while the GC marks.
			f.rs = f.rs[:i+1]
			if f.rs[i] != r {
				f.rs[i] = r
			}
		} else {
			f.rs = append(f.rs, r)
		}
		f.rk = append(f.rk, kind)
		return len(f.rs) - 1
	}
	addBills := func(bs []bill) {
		for i := range bs {
			b := &bs[i]
			b.idxI = add(payment.Receivable{Installment: b.k, Component: payment.Interest, DueDate: b.due, Open: b.openI}, recvInstallment)
			b.idxP = add(payment.Receivable{Installment: b.k, Component: payment.Principal, DueDate: b.due, Open: b.openP}, recvInstallment)
			if !b.e.IsZero() {
				b.idxE = add(payment.Receivable{Installment: b.k, Component: payment.Escrow, DueDate: b.due, Open: b.openE}, recvInstallment)
			}
		}
	}
	// The waterfall takes the receivables unit by unit, earliest due date
	// first and an installment before the stand-alone ones dated the same
	// day, and sorts them into that order unless they come in it (the
	// result is the same either way: the order is total). Without
	// installment charges the window's installments due on or before d,
	// the stand-alone ones (all dated d) and the rest are already in it.
	cut := len(f.bs)
	if !only && len(s.Charges) == 0 {
		cut = 0
		for cut < len(f.bs) && f.bs[cut].due <= d {
			cut++
		}
	}
	addBills(f.bs[:cut])
	for i, c := range s.Charges {
		if c.Open.IsPositive() {
			add(payment.Receivable{Installment: c.Installment, Component: c.component(), DueDate: c.DueOn, Open: c.Open, Ref: "charge"}, recvCharge+i)
		}
	}
	if only {
		return
	}
	if accrued.IsPositive() {
		add(payment.Receivable{Component: payment.Interest, DueDate: d, Open: accrued, Ref: "accrued"}, recvInterest)
	}
	if s.LateFees.IsPositive() {
		add(payment.Receivable{Component: payment.Penalty, DueDate: d, Open: s.LateFees, Ref: "late"}, recvLate)
	}
	if s.NSFFees.IsPositive() {
		add(payment.Receivable{Component: payment.Fee, DueDate: d, Open: s.NSFFees, Ref: "nsf"}, recvNSF)
	}
	if s.OtherFees.IsPositive() {
		add(payment.Receivable{Component: payment.Fee, DueDate: d, Open: s.OtherFees, Ref: "other"}, recvOther)
	}
	if s.EscrowAdvance.IsPositive() {
		add(payment.Receivable{Component: payment.Escrow, DueDate: d, Open: s.EscrowAdvance, Ref: "escrow_advance"}, recvAdvance)
	}
	addBills(f.bs[cut:])
	if future && rest.IsPositive() {
		k := s.NextInstallment
		if n := len(f.bs); n > 0 {
			k = f.bs[n-1].k + 1
		}
		add(payment.Receivable{Installment: k, Component: payment.Principal, DueDate: f.dueDate(k), Open: rest}, recvFuture)
	}
}

// compiled returns the loan's payment rules, compiled once per folder (the
// presets without tolerance once per process). The shortfall tolerance is
// the delinquency policy's (Reg X §1024.31): a payment within it is a full
// periodic payment for the waterfall as for days past due.
func (f *folder) compiled() (*payment.Compiled, error) {
	if f.rules != nil {
		return f.rules, nil
	}
	t := &f.s.Terms
	tol := t.Delinquency.ToleranceAmount.Minor()
	switch {
	case t.Allocation == nil && tol == 0 && t.Accrual == AccrualDailySimple && f.s.rules2():
		f.rules = &consumerRules
	case t.Allocation == nil && tol == 0 && t.Accrual == AccrualDailySimple:
		f.rules = &legacyConsumerRules
	case t.Allocation == nil && tol == 0 && t.Accrual != AccrualDailySimple:
		f.rules = &gseRules
	default:
		r := t.RulesFor(f.s.Rules)
		r.ShortfallToleranceMinor = tol
		c, err := r.Compile()
		if err != nil {
			return nil, fmt.Errorf("allocation rules: %w", err)
		}
		f.rules = &c
	}
	return f.rules, nil
}

// The presets, compiled once; a Compiled is immutable.
var (
	gseRules, consumerRules = mustCompile(payment.GSEMortgage()), mustCompile(payment.Consumer())
	legacyConsumerRules     = mustCompile(legacyConsumer())
)

func mustCompile(r payment.Rules) payment.Compiled {
	c, err := r.Compile()
	if err != nil {
		panic("servicing: preset rules invalid: " + err.Error()) // a bug in payment, found at init
	}
	return c
}

// allocate offers amt (plus suspense) to the waterfall on date d through
// payment's compiled rules and folds the allocation into the state. A sweep
// offers suspense alone to the installments alone; money nothing takes
// goes back to suspense.
func (f *folder) allocate(d date.Date, amt money.Amount, typ payment.TransactionType, extra payment.Extra, tx *Transaction, sweep bool) error {
	s := &f.s
	rules, err := f.compiled()
	if err != nil {
		return err
	}
	method := rules.Extra()
	if extra != "" {
		method = extra
	}
	if method == payment.ExtraPayAhead && !sweep {
		// The future installments the money can reach are billed too, so
		// the waterfall can pay them in advance.
		f.ahead = amt.Add(s.Suspense)
	}
	rest, accrued, err := f.bills(d)
	f.ahead = money.Amount{}
	if err != nil {
		return err
	}
	f.receivables(d, rest, accrued, sweep, !sweep)
	in := payment.Input{On: d, Amount: amt, Type: typ, Receivables: f.rs, Suspense: s.Suspense, Extra: extra}
	if err := rules.AllocateInto(&f.alloc, in); err != nil {
		return fmt.Errorf("allocate %s on %s: %w", amt, d, err)
	}
	a := &f.alloc
	var rp amortize.Progressive
	if s.recalculating() {
		if rp, err = s.recalcBase(); err != nil {
			return err
		}
	}
	fees, lateFees := money.Zero(amt.Currency()), money.Zero(amt.Currency())
	for i := range a.Lines {
		ln := &a.Lines[i]
		f.book(ln)
		if s.recalculating() && f.rk[ln.Index] == recvInstallment {
			if err := f.credit(&rp, d, ln); err != nil {
				return err
			}
		}
		if k := f.rk[ln.Index]; k == recvLate || k == recvNSF || k == recvOther {
			fees = fees.Add(ln.Amount)
		}
		if f.rk[ln.Index] == recvLate {
			lateFees = lateFees.Add(ln.Amount)
		}
		if tx != nil {
			k := ln.Installment
			if f.rk[ln.Index] == recvFuture {
				k = 0 // principal beyond the window: a curtailment, no installment
			}
			name := componentName(ln, f.rk[ln.Index])
			if i := f.rk[ln.Index] - recvCharge; i >= 0 {
				name = chargeName(s.Charges[i].Type)
			}
			tx.line(k, name, ln.Amount, ln.Rule.String())
			tx.Lines[len(tx.Lines)-1].Bucket = string(ln.Rule.Bucket)
		}
	}
	if s.recalculating() {
		s.RecalcEMIs = rp.EMIs()
	}
	f.capitalized = money.Zero(amt.Currency())
	f.settle(d, fees, lateFees)
	if f.capitalized.IsPositive() {
		tx.line(f.capitalizedK, AccountCapitalizedInterest, f.capitalized, "interest beyond the payment added to principal (negative amortization, amortize's table)")
	}
	s.Suspense = a.Suspense
	switch {
	case !a.Suspense.IsPositive() || sweep:
	case tx == nil:
	case a.HeldInstallment > 0:
		tx.line(a.HeldInstallment, AccountSuspense, a.Suspense, fmt.Sprintf("installment %d needs %s in full: held (partial policy %s, Reg Z 1026.36(c)(1)(ii))", a.HeldInstallment, a.HeldNeed, a.Partial))
	default:
		tx.line(0, AccountSuspense, a.Suspense, "extra held (extra-money rule hold)")
	}
	if a.Returned.IsPositive() {
		tx.line(a.HeldInstallment, AccountReturned, a.Returned, "partial policy return")
	}
	credit := a.Credit
	if credit.IsPositive() && sweep {
		// A sweep offers suspense to the installments alone: what they do
		// not take stays in suspense.
		s.Suspense = s.Suspense.Add(credit)
		credit = money.Zero(credit.Currency())
	}
	if a.Extra.RecastNeeded {
		if err := f.recast(d, false); err != nil {
			return err
		}
	}
	if method == payment.ExtraReduceTerm && a.Extra.Principal.IsPositive() && s.rules2() {
		if err := f.fitTerm(false); err != nil {
			return err
		}
	}
	if s.Principal.IsZero() && s.AccruedInterest.IsZero() && s.DeferredInterest.IsZero() && !s.line() && !s.chargesOpen() {
		s.ClosedOn = d
		f.setStatus(StatusPaidOff, d, 0)
		s.NextInstallment = s.Installments + 1
		s.Partial = nil
		f.j.paidOff(d)
	}
	if credit.IsPositive() {
		s.CreditBalance = s.CreditBalance.Add(credit)
		tx.line(0, AccountCreditBalance, credit, "overpayment")
	}
	return nil
}

// book moves one allocated line into the state's balances.
func (f *folder) book(ln *payment.AllocationLine) {
	s := &f.s
	x := ln.Amount
	switch ln.Component {
	case payment.Principal:
		s.Principal, s.PaidPrincipal = s.Principal.Sub(x), s.PaidPrincipal.Add(x)
		f.activity(s.AsOf, revolving.Payment, x)
	case payment.Interest:
		s.PaidInterest = s.PaidInterest.Add(x)
		dsi := s.Terms.Accrual == AccrualDailySimple
		switch {
		case ln.Installment != 0 && ln.Installment == f.deferredK && dsi:
			// The last installment's interest: what has accrued, then the
			// deferred interest.
			y := money.Min(x, money.Max(money.Zero(x.Currency()), s.AccruedInterest))
			s.AccruedInterest = s.AccruedInterest.Sub(y)
			s.DeferredInterest = s.DeferredInterest.Sub(x.Sub(y))
		case ln.Installment != 0 && ln.Installment == f.deferredK:
			// The last installment's interest pays its deferred part first.
			s.DeferredInterest = s.DeferredInterest.Sub(money.Min(x, s.DeferredInterest))
		case dsi || ln.Installment == 0:
			s.AccruedInterest = s.AccruedInterest.Sub(x)
		}
	case payment.Escrow:
		s.PaidEscrow = s.PaidEscrow.Add(x)
		// Escrow money repays the servicer's advance first, whether it came
		// as an installment's escrow or for the advance itself; what the
		// advance no longer needs (an installment's escrow in the same
		// receipt repaid it) is escrow balance. Either order gives the same.
		back := money.Min(x, s.EscrowAdvance)
		s.EscrowAdvance = s.EscrowAdvance.Sub(back)
		s.Escrow = s.Escrow.Add(x.Sub(back))
	default:
		if i := f.rk[ln.Index] - recvCharge; i >= 0 {
			f.payCharge(i, x)
			f.activity(s.AsOf, revolving.FeePayment, x)
			return
		}
		b := &s.OtherFees
		switch f.rk[ln.Index] {
		case recvLate:
			b = &s.LateFees
		case recvNSF:
			b = &s.NSFFees
		}
		*b = b.Sub(x)
		s.PaidFees = s.PaidFees.Add(x)
		f.activity(s.AsOf, revolving.FeePayment, x)
	}
}

// settle updates the installment bookkeeping after an allocation on d:
// NextInstallment moves past the installments paid in full, and partly
// paid ones are kept (with the fees the payment paid: no pyramiding).
func (f *folder) settle(d date.Date, fees, lateFees money.Amount) {
	s := &f.s
	a := &f.alloc
	var partial []PartialInstallment
	next := 0
	// Under rules 2 a partly paid installment's PaidFees is its fee-caused
	// shortfall (delinquency.FeeShortfall): the late charges this payment
	// paid, and what the installments it completed carried, move to the
	// first installment it leaves short.
	carry, moved := money.Zero(fees.Currency()), false
	for i := range f.bs {
		b := &f.bs[i]
		open := func(idx int, was money.Amount) money.Amount {
			if idx < 0 {
				return was
			}
			return a.Open[idx]
		}
		oP, oI, oE := open(b.idxP, b.openP), open(b.idxI, b.openI), open(b.idxE, b.openE)
		paid := oP.Cmp(b.openP) != 0 || oI.Cmp(b.openI) != 0 || oE.Cmp(b.openE) != 0
		done := oP.IsZero() && oI.IsZero() && oE.IsZero()
		if paid && b.lastPaid == 0 {
			// First money on a freshly billed installment: its interest
			// (and what a cap forgave of it) is final.
			s.InterestForgiven = s.InterestForgiven.Add(b.forgiven)
		}
		if done && next == i {
			next = i + 1
			carry = carry.Add(b.paidFees)
			f.capitalize(b)
			continue
		}
		if !paid && b.lastPaid == 0 {
			continue // billed again next time
		}
		pi := PartialInstallment{Seq: b.k, Principal: b.p, Interest: b.i, Escrow: b.e, Deferred: b.deferred,
			PaidPrincipal: b.cP.Add(b.openP).Sub(oP), PaidInterest: b.cI.Add(b.openI).Sub(oI), PaidEscrow: b.cE.Add(b.openE).Sub(oE),
			PaidFees: b.paidFees, LastPaidOn: b.lastPaid}
		switch {
		case paid && s.rules2():
			pi.LastPaidOn = d
			short := b.p.Add(b.i).Add(b.e).Sub(pi.PaidPrincipal).Sub(pi.PaidInterest).Sub(pi.PaidEscrow)
			if !moved {
				pi.PaidFees, moved = delinquency.FeeShortfall(b.paidFees.Add(carry), lateFees, short), true
			} else {
				pi.PaidFees = delinquency.FeeShortfall(b.paidFees, money.Zero(short.Currency()), short)
			}
		case paid:
			pi.LastPaidOn = d
			if fees.IsPositive() {
				pi.PaidFees, fees = pi.PaidFees.Add(fees), money.Zero(fees.Currency())
			}
		}
		if s.Terms.Accrual == AccrualDailySimple {
			// The split is decided at each payment: keep the periodic
			// total, with the interest credited and open now.
			pi.Interest = pi.PaidInterest.Add(oI)
			pi.Principal = b.p.Add(b.i).Sub(pi.Interest)
		}
		partial = append(partial, pi)
	}
	if len(f.bs) > 0 {
		s.NextInstallment = f.bs[0].k + next
	}
	// Keep partial entries beyond the window untouched (none in practice).
	for _, p := range s.Partial {
		if len(f.bs) == 0 || p.Seq > f.bs[len(f.bs)-1].k {
			partial = append(partial, p)
		}
	}
	s.Partial = partial
}

// capitalize adds a paid installment's deferred interest to the principal
// (negative amortization, as the table's negative principal row does).
func (f *folder) capitalize(b *bill) {
	if !b.deferred.IsPositive() {
		return
	}
	f.s.Principal = f.s.Principal.Add(b.deferred)
	f.capitalized = f.capitalized.Add(b.deferred)
	f.capitalizedK = b.k
}

// componentName is the trace's name for a receivable component.
func componentName(ln *payment.AllocationLine, kind int) Account {
	switch kind {
	case recvLate:
		return AccountLateFee
	case recvNSF:
		return AccountNSFFee
	case recvOther:
		return AccountOtherFee
	case recvAdvance:
		return AccountEscrowAdvance
	}
	return Account(ln.Component)
}

// delinquencyLoan lays the window on d (at most n installments) out as the
// delinquency package's installments, each with what was credited to it.
func (f *folder) delinquencyLoan(d date.Date, n int) (delinquency.Loan, error) {
	if _, _, err := f.billsN(d, n); err != nil {
		return delinquency.Loan{}, err
	}
	cur := f.s.Terms.Currency()
	z := money.Zero(cur)
	l := delinquency.Loan{Currency: cur, Installments: make([]delinquency.Installment, len(f.bs)), Pauses: f.s.delinquencyPauses()}
	credits := make([]delinquency.Credit, len(f.bs))
	for i := range f.bs {
		b := &f.bs[i]
		in := delinquency.Installment{Seq: b.k, DueDate: b.due, Principal: b.p, Interest: b.i, Escrow: b.e, Fees: z}
		if b.lastPaid != 0 {
			credits[i] = delinquency.Credit{ReceivedOn: b.lastPaid, Principal: b.cP, Interest: b.cI, Escrow: b.cE, Fees: b.paidFees}
			in.Credits = credits[i : i+1]
		}
		if b.k <= f.s.LateFeesThrough {
			in.LateFee = delinquency.LateFeeAssessed
		}
		l.Installments[i] = in
	}
	return l, nil
}

// policy is the loan's delinquency policy, the terms' own. Under rules 1
// the tolerance was the waterfall's alone (days past due and late fees
// counted a tolerated shortfall as unpaid).
func (s *State) policy() delinquency.Policy {
	p := s.Terms.Delinquency
	if s.Rules < 2 {
		p.ToleranceAmount = money.Amount{}
	}
	return p
}

// evaluator builds the delinquency evaluator of the window on d (at most n
// installments); nil when nothing is billed.
func (f *folder) evaluator(d date.Date, n int) (*delinquency.Evaluator, error) {
	l, err := f.delinquencyLoan(d, n)
	if err != nil || len(l.Installments) == 0 {
		return nil, err
	}
	ev, err := delinquency.New(l, f.s.policy())
	if err != nil {
		return nil, fmt.Errorf("delinquency: %w", err)
	}
	return ev, nil
}

// lateFeeDecision asks the delinquency package about installment k's late
// fee on date on.
func (f *folder) lateFeeDecision(k int, on date.Date) (delinquency.LateFeeDecision, error) {
	ev, err := f.evaluator(on, maxWindow)
	if err != nil || ev == nil {
		return delinquency.LateFeeDecision{}, err
	}
	for i := range f.bs {
		if f.bs[i].k == k {
			return ev.LateFee(k, on)
		}
	}
	return delinquency.LateFeeDecision{Seq: k}, nil // not billed (paid off): no fee
}
