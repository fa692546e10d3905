package servicing_test

import (
	"math/rand/v2"
	"testing"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestDaysPastDueMatchesDelinquencyPackage is a differential test: the
// engine's DPD (folded incrementally) must equal delinquency.Assess (Reg X
// §1024.31, full recognition) run over the installments and the credits the
// engine's allocation trace reports, on random logs of on-time, late,
// partial, extra and reversed payments.
func TestDaysPastDueMatchesDelinquencyPackage(t *testing.T) {
	amounts := []string{"1199.10", "1199.10", "600.00", "2398.20", "1500.00", "100.00"}
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 3))
		l := newLog(mortgage())
		on := d(2024, 2, 20)
		var pays []int64
		for range 30 {
			on += date.Date(r.IntN(40))
			if r.IntN(8) == 0 && len(pays) > 0 {
				i := r.IntN(len(pays))
				p := l.events[pays[i]-1]
				l.add(on, loan.PaymentReversed{PaymentSeq: p.Seq, PaymentEffectiveOn: p.EffectiveOn, NSFFee: money.Zero(money.USD)})
				pays = append(pays[:i], pays[i+1:]...)
				continue
			}
			pays = append(pays, l.pay(on, amounts[r.IntN(len(amounts))]))
		}
		for _, asOf := range []date.Date{on, on + 17, on + 95} {
			led, err := loan.ReplayLedger(l.terms, l.events, asOf)
			require.NoError(t, err)
			a, err := delinquency.Assess(oracleLoan(l.terms, led), delinquency.StandardPolicy(delinquency.ClosedEnd), asOf)
			require.NoError(t, err)
			require.Equal(t, a.DPD, led.State.DaysPastDue(), "seed %d as of %s", seed, asOf)
		}
	}
}

// oracleLoan lays the engine's allocation trace out as the delinquency
// package's installments and credits.
func oracleLoan(t loan.Terms, led loan.Ledger) delinquency.Loan {
	z := money.Zero(money.USD)
	inst := make([]delinquency.Installment, t.Installments)
	for k := range inst {
		inst[k] = delinquency.Installment{Seq: k + 1, DueDate: schedule.AddMonths(t.FirstDueDate, k, t.FirstDueDate.Day(), t.EOM),
			Principal: t.Payment, Interest: z, Escrow: z, Fees: z}
	}
	paid := map[int]*delinquency.Credit{}
	for _, tx := range led.Transactions {
		for _, ln := range tx.Lines {
			if ln.Installment == 0 || ln.Component != "principal" && ln.Component != "interest" {
				continue
			}
			c := paid[ln.Installment]
			if c == nil {
				c = &delinquency.Credit{ReceivedOn: tx.Date, Principal: z, Interest: z, Escrow: z, Fees: z}
				paid[ln.Installment] = c
			}
			c.Principal = c.Principal.Add(ln.Amount)
		}
	}
	for k, c := range paid {
		// Whole installments only: the engine applies nothing partial.
		inst[k-1].Principal = c.Principal
		inst[k-1].Credits = []delinquency.Credit{*c}
	}
	return delinquency.Loan{Currency: money.USD, Installments: inst}
}
