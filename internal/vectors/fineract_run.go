package vectors

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/fineract"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// The steps of a Fineract scenario after disbursement: repayments posted
// to the engine on their dates, and the schedule's paid columns, the
// transactions and the loan's figures read back from the engine's ledger.

// repayment posts the step's amount as a payment received on its date (the
// business date when the step has none).
func (r *fineractRun) repayment(i int, e fineractEvent) error {
	if err := r.board(); err != nil {
		return err
	}
	if e.Amount == nil {
		return fmt.Errorf("repayment without an amount")
	}
	on, err := r.dateOf(e.Date)
	if err != nil {
		return err
	}
	amt, err := money.Parse(*e.Amount, r.cur)
	if err != nil {
		return err
	}
	return r.post(i, on, amt)
}

// post posts amt received on on, checked first against the product's
// interest recalculation.
func (r *fineractRun) post(i int, on date.Date, amt money.Amount) error {
	if r.recalc != nil {
		s, err := r.eng.State(context.Background(), "fineract", on)
		if err != nil {
			return err
		}
		if err := r.recalc.Repayment(s, on, amt); err != nil {
			return err
		}
	}
	_, err := r.eng.PostPayment(context.Background(), "fineract", on, amt,
		servicing.Meta{IdempotencyKey: fmt.Sprintf("repayment-%d", i), Actor: "vectors"})
	if err != nil {
		return fmt.Errorf("repayment: %w", err)
	}
	r.paid = true
	return nil
}

// payoff pays the loan off on the step's date (the business date when it
// has none): the amount is the profile's pay-off (Recalculation.Payoff),
// or the step's own amount when it gives one.
func (r *fineractRun) payoff(i int, e fineractEvent) error {
	if err := r.board(); err != nil {
		return err
	}
	if r.recalc == nil {
		return &fineract.UnsupportedError{Setting: "transaction", Value: "payoff", Reason: "a pay-off without interest recalculation"}
	}
	on, err := r.dateOf(e.Date)
	if err != nil {
		return err
	}
	if e.Amount != nil {
		amt, err := money.Parse(*e.Amount, r.cur)
		if err != nil {
			return err
		}
		return r.post(i, on, amt)
	}
	s, err := r.eng.State(context.Background(), "fineract", on)
	if err != nil {
		return err
	}
	amt, err := r.recalc.Payoff(s, on)
	if err != nil {
		return err
	}
	return r.post(i, on, amt)
}

// recalculated checks, under interest recalculation, that the contractual
// schedule is Fineract's on the business date (Recalculation.Schedule).
func (r *fineractRun) recalculated() error {
	if err := r.board(); err != nil {
		return err
	}
	if r.recalc == nil {
		return nil
	}
	s, err := r.state()
	if err != nil {
		return err
	}
	on, err := r.dateOf("")
	if err != nil {
		return err
	}
	return r.recalc.Schedule(s, on)
}

func (r *fineractRun) dateOf(s string) (date.Date, error) {
	if s == "" {
		s = r.today
	}
	if s == "" {
		s = r.disbOn
	}
	return date.ParseISO(s)
}

// ledger is the engine's ledger through the business date.
func (r *fineractRun) ledger() (loan.Ledger, error) {
	on, err := r.dateOf("")
	if err != nil {
		return loan.Ledger{}, err
	}
	if d, _ := date.ParseISO(r.disbOn); on < d {
		on = d
	}
	return r.eng.History(context.Background(), "fineract", on)
}

// payments are the ledger's payments still in force, oldest first.
func payments(l loan.Ledger) []loan.Transaction {
	var out []loan.Transaction
	for _, t := range l.Transactions {
		if t.Kind == loan.TransactionKind(loan.KindPaymentReceived) && !t.Reversed {
			out = append(out, t)
		}
	}
	return out
}

// split is a transaction's amount by Fineract's portions: principal,
// interest, fees (the engine's charges other than penalties) and
// penalties (late and NSF fees); money beyond them (a credit balance,
// suspense) is in none.
type split struct{ principal, interest, fees, penalties money.Amount }

func (r *fineractRun) zeroSplit() split {
	z := money.Zero(r.cur)
	return split{z, z, z, z}
}

func (sp *split) add(component loan.Account, a money.Amount) {
	switch component {
	case loan.AccountPrincipal:
		sp.principal = sp.principal.Add(a)
	case loan.AccountInterest:
		sp.interest = sp.interest.Add(a)
	case loan.AccountLateFee, loan.AccountNSFFee:
		sp.penalties = sp.penalties.Add(a)
	case loan.AccountOtherFee, "fee":
		sp.fees = sp.fees.Add(a)
	}
}

func (sp split) total() money.Amount {
	return sp.principal.Add(sp.interest).Add(sp.fees).Add(sp.penalties)
}

// installmentView is one schedule row's paid columns as Fineract shows
// them: what was paid to it, before its due date (in advance), after it
// (late), and the date it was paid in full.
type installmentView struct {
	paid, inAdvance, late split
	paidOn                date.Date
}

// paidView reads the paid columns of every installment (the engine's
// numbering: a down payment is installment 1) from the ledger's allocation
// lines.
func (r *fineractRun) paidView(due []money.Amount) ([]installmentView, error) {
	v := make([]installmentView, len(due))
	for i := range v {
		v[i] = installmentView{paid: r.zeroSplit(), inAdvance: r.zeroSplit(), late: r.zeroSplit()}
	}
	if !r.paid {
		return v, nil
	}
	l, err := r.ledger()
	if err != nil {
		return nil, err
	}
	rows := r.rows()
	for _, t := range payments(l) {
		for _, ln := range t.Lines {
			k := ln.Installment
			if k == 0 && (ln.Component == "principal" || ln.Component == "interest") {
				return nil, fmt.Errorf("payment of %s: %s %s not tied to an installment", t.Date, ln.Component, ln.Amount)
			}
			if k < 1 || k > len(v) {
				continue
			}
			iv := &v[k-1]
			iv.paid.add(ln.Component, ln.Amount)
			switch dueOn := rows[k-1].DueDate; {
			case t.Date < dueOn:
				iv.inAdvance.add(ln.Component, ln.Amount)
			case t.Date > dueOn:
				iv.late.add(ln.Component, ln.Amount)
			}
			if iv.paidOn == 0 && !iv.paid.total().LessThan(due[k-1]) {
				iv.paidOn = t.Date
			}
		}
	}
	return v, nil
}

// dues are the schedule rows' amounts due (principal, interest, fees and
// the installments' charges chg).
func (r *fineractRun) dues(chg []split) []money.Amount {
	rows := r.rows()
	out := make([]money.Amount, len(rows))
	for i, row := range rows {
		out[i] = row.Principal.Add(row.Interest).Add(row.Fees).Add(chg[i].total())
	}
	return out
}

// charges are the charges owed with each schedule row's installment, in
// the engine's state on the business date (fees and penalties).
func (r *fineractRun) charges() ([]split, error) {
	out := make([]split, len(r.rows()))
	for i := range out {
		out[i] = r.zeroSplit()
	}
	s, err := r.state()
	if err != nil {
		return nil, err
	}
	for _, c := range s.Charges {
		if c.Installment < 1 || c.Installment > len(out) {
			return nil, fmt.Errorf("charge due %s owed with installment %d of %d", c.DueOn, c.Installment, len(out))
		}
		sp := &out[c.Installment-1]
		if c.Type == loan.FeeLate {
			sp.penalties = sp.penalties.Add(c.Amount)
		} else {
			sp.fees = sp.fees.Add(c.Amount)
		}
	}
	return out, nil
}

// addCharge assesses the step's charge on the business date through the
// profile (fineract.ChargeFee) as a charge owed with its installment.
func (r *fineractRun) addCharge(i int, e fineractEvent) error {
	if err := r.board(); err != nil {
		return err
	}
	t, amt, due, err := fineract.ChargeFee(r.cur, fineract.Charge{Name: e.Charge, Penalty: e.IsPenalty, ChargeTimeType: e.ChargeTime,
		ChargeCalculationType: e.CalculationType, DueDate: e.DueDate, Amount: deref(e.Amount)})
	if err != nil {
		return err
	}
	on, err := r.dateOf("")
	if err != nil {
		return err
	}
	_, err = r.eng.AssessCharge(context.Background(), "fineract", on, t, amt, due,
		servicing.Meta{IdempotencyKey: fmt.Sprintf("charge-%d", i), Actor: "vectors"})
	if err != nil {
		return fmt.Errorf("charge: %w", err)
	}
	return nil
}

// fineractTx is a transaction row of the scenario.
type fineractTx struct {
	Date      string  `json:"date"`
	Type      string  `json:"type"`
	Amount    *string `json:"amount"`
	Principal *string `json:"principal"`
	Interest  *string `json:"interest"`
	Fees      *string `json:"fees"`
	Penalties *string `json:"penalties"`
	After     *string `json:"principal_balance_after"`
	Reversed  *bool   `json:"reversed"`
}

// txRow is one transaction as Fineract lists it.
type txRow struct {
	seq      int64
	date     string
	typ      string
	amount   money.Amount
	sp       split
	after    money.Amount
	reversed bool
}

// txRows are the loan's transactions in Fineract's list: the disbursement
// and every repayment, in force or reversed, by date then posting order.
// A repayment in force shows its portions and the principal balance after
// it under the current processing; a reversed one shows them as they
// stood when it was reversed (Fineract marks the transaction reversed and
// keeps its last portions; the later repayments are processed again
// without it).
func (r *fineractRun) txRows() ([]txRow, error) {
	all := []txRow{{date: r.disbOn, typ: "Disbursement", amount: r.principa, sp: r.zeroSplit(), after: r.principa}}
	if !r.paid {
		return all, nil
	}
	l, err := r.ledger()
	if err != nil {
		return nil, err
	}
	bal := r.principa
	for _, t := range l.Transactions {
		if t.Kind != loan.TransactionKind(loan.KindPaymentReceived) {
			continue
		}
		if t.Reversed {
			row, ok := r.undone[t.Seq]
			if !ok {
				return nil, fmt.Errorf("payment %d of %s reversed outside the scenario", t.Seq, t.Date)
			}
			all = append(all, row)
			continue
		}
		sp := r.zeroSplit()
		for _, ln := range t.Lines {
			sp.add(ln.Component, ln.Amount)
		}
		bal = bal.Sub(sp.principal)
		all = append(all, txRow{seq: t.Seq, date: t.Date.String(), typ: "Repayment", amount: t.Amount, sp: sp, after: bal})
	}
	return all, nil
}

// undo reverses the step's nth repayment in force on its date, on the
// business date, keeping its row as it stands (Fineract's undo of a
// repayment: the transaction is reversed and the loan's later
// transactions are processed again; Engine.ReversePayment replays the
// log without it).
func (r *fineractRun) undo(i int, e fineractEvent) error {
	if e.TransactionType != "Repayment" {
		return &fineract.UnsupportedError{Setting: "transaction", Value: e.TransactionType, Reason: "the checker undoes repayments"}
	}
	rows, err := r.txRows()
	if err != nil {
		return err
	}
	nth := max(e.Nth, 1)
	for _, row := range rows {
		if row.typ != "Repayment" || row.reversed || row.date != e.TransactionDate {
			continue
		}
		if nth--; nth > 0 {
			continue
		}
		on, err := r.dateOf("")
		if err != nil {
			return err
		}
		row.reversed = true
		if r.undone == nil {
			r.undone = map[int64]txRow{}
		}
		r.undone[row.seq] = row
		_, err = r.eng.ReversePayment(context.Background(), "fineract", on, row.seq, money.Zero(r.cur),
			servicing.Meta{IdempotencyKey: fmt.Sprintf("undo-%d", i), Actor: "vectors"})
		if err != nil {
			return fmt.Errorf("undo: %w", err)
		}
		return nil
	}
	return mismatch{"undo", fmt.Sprintf("repayment %d on %s", max(e.Nth, 1), e.TransactionDate), "none in force"}
}

// expectReverted checks that a repayment of the step's date is reversed.
func (r *fineractRun) expectReverted(e fineractEvent) error {
	rows, err := r.txRows()
	if err != nil {
		return err
	}
	for _, row := range rows {
		if row.typ == e.TransactionType && row.date == e.TransactionDate && row.reversed {
			return nil
		}
	}
	return mismatch{"reverted", e.TransactionType + " on " + e.TransactionDate + " reversed", "none reversed"}
}

// expectTransactions compares the loan's transactions (see txRows).
// Fineract's accrual rows are accounting artefacts and are dropped.
func (r *fineractRun) expectTransactions(e fineractEvent) error {
	if err := r.board(); err != nil {
		return err
	}
	all, err := r.txRows()
	if err != nil {
		return err
	}
	n := 0
	for i, raw := range e.Rows {
		var x fineractTx
		if err := json.Unmarshal(raw, &x); err != nil {
			return err
		}
		switch x.Type {
		case "Accrual", "Accrual Activity":
			continue
		case "Disbursement", "Repayment":
		default:
			return &fineract.UnsupportedError{Setting: "transaction", Value: x.Type, Reason: "the checker compares disbursements and repayments"}
		}
		where := fmt.Sprintf("rows[%d]", i)
		if n >= len(all) {
			return mismatch{where, x.Type + " on " + x.Date, "no more transactions"}
		}
		g := all[n]
		n++
		if x.Type != g.typ || x.Date != g.date {
			return mismatch{where, x.Type + " on " + x.Date, g.typ + " on " + g.date}
		}
		if x.Reversed != nil && *x.Reversed != g.reversed {
			return mismatch{where + ".reversed", fmt.Sprint(*x.Reversed), fmt.Sprint(g.reversed)}
		}
		for _, f := range []struct {
			name string
			want *string
			got  money.Amount
		}{
			{"amount", x.Amount, g.amount}, {"principal", x.Principal, g.sp.principal}, {"interest", x.Interest, g.sp.interest},
			{"fees", x.Fees, g.sp.fees}, {"penalties", x.Penalties, g.sp.penalties}, {"principal_balance_after", x.After, g.after},
		} {
			if err := cmpMoney(where+"."+f.name, f.want, f.got); err != nil {
				return err
			}
		}
	}
	if e.ExactCount && n != len(all) {
		return mismatch{"transaction count", fmt.Sprint(n), fmt.Sprint(len(all))}
	}
	return nil
}

// state is the engine's state on the business date.
func (r *fineractRun) state() (loan.State, error) {
	if err := r.board(); err != nil {
		return loan.State{}, err
	}
	on, err := r.dateOf("")
	if err != nil {
		return loan.State{}, err
	}
	return r.eng.State(context.Background(), "fineract", on)
}

// expectStatus compares the loan's status in Fineract's terms: ACTIVE while
// anything is owed, CLOSED_OBLIGATIONS_MET when paid off, OVERPAID when
// paid off with money left over (a credit balance).
func (r *fineractRun) expectStatus(want string) error {
	s, err := r.state()
	if err != nil {
		return err
	}
	got := "ACTIVE"
	switch s.Status {
	case loan.StatusPaidOff:
		got = "CLOSED_OBLIGATIONS_MET"
		if s.CreditBalance.IsPositive() {
			got = "OVERPAID"
		}
	case loan.StatusChargedOff:
		got = "CHARGED_OFF"
	}
	if !strings.EqualFold(want, got) {
		return mismatch{"status", want, got}
	}
	return nil
}

// expectOutstanding compares the total outstanding: what the schedule
// still asks, due or not.
func (r *fineractRun) expectOutstanding(want *string) error {
	if err := r.recalculated(); err != nil {
		return err
	}
	chg, err := r.charges()
	if err != nil {
		return err
	}
	due := r.dues(chg)
	v, err := r.paidView(due)
	if err != nil {
		return err
	}
	out := money.Zero(r.cur)
	for i := range due {
		out = out.Add(due[i].Sub(v[i].paid.total()))
	}
	return cmpMoney("total outstanding", want, out)
}

// expectOverpaid compares the overpaid amount: the engine's credit
// balance.
func (r *fineractRun) expectOverpaid(want *string) error {
	s, err := r.state()
	if err != nil {
		return err
	}
	return cmpMoney("total overpaid", want, s.CreditBalance)
}

// fineractCharge is a row of the loan's charges in a scenario.
type fineractCharge struct {
	Name        string  `json:"name"`
	IsPenalty   bool    `json:"is_penalty"`
	DueDate     string  `json:"due_date"`
	Due         *string `json:"due"`
	Paid        *string `json:"paid"`
	Waived      *string `json:"waived"`
	Outstanding *string `json:"outstanding"`
}

// expectCharges compares the loan's charges: each row is matched to an
// installment charge of the engine's state with its due date, kind
// (penalty or fee) and amount, and its paid, waived and outstanding
// amounts are compared; every charge must be listed once.
func (r *fineractRun) expectCharges(e fineractEvent) error {
	s, err := r.state()
	if err != nil {
		return err
	}
	used := make([]bool, len(s.Charges))
	for i, raw := range e.Rows {
		var x fineractCharge
		if err := json.Unmarshal(raw, &x); err != nil {
			return err
		}
		where := fmt.Sprintf("charges[%d] %s", i, x.Name)
		k := -1
		for j, c := range s.Charges {
			if used[j] || c.DueOn.String() != x.DueDate || (c.Type == loan.FeeLate) != x.IsPenalty || cmpMoney(where, x.Due, c.Amount) != nil {
				continue
			}
			k = j
			break
		}
		if k < 0 {
			return mismatch{where, fmt.Sprintf("a charge of %s due %s (penalty %t)", deref(x.Due), x.DueDate, x.IsPenalty), "none"}
		}
		used[k] = true
		c := s.Charges[k]
		for _, f := range []struct {
			name string
			want *string
			got  money.Amount
		}{{"paid", x.Paid, c.Amount.Sub(c.Open)}, {"waived", x.Waived, money.Zero(r.cur)}, {"outstanding", x.Outstanding, c.Open}} {
			if err := cmpMoney(where+" "+f.name, f.want, f.got); err != nil {
				return err
			}
		}
	}
	if len(e.Rows) != len(s.Charges) {
		return mismatch{"charge count", fmt.Sprint(len(e.Rows)), fmt.Sprint(len(s.Charges))}
	}
	return nil
}

// expectObligationsMet checks that every installment is paid in full.
func (r *fineractRun) expectObligationsMet() error {
	chg, err := r.charges()
	if err != nil {
		return err
	}
	due := r.dues(chg)
	v, err := r.paidView(due)
	if err != nil {
		return err
	}
	for i := range due {
		if left := due[i].Sub(v[i].paid.total()); !left.IsZero() {
			return mismatch{fmt.Sprintf("installment %d", i+1), "obligations met", left.String() + " outstanding"}
		}
	}
	return nil
}
