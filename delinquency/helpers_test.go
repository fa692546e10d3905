package delinquency

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
)

// d parses an ISO date for tests.
func d(s string) date.Date { return date.MustParseISO(s) }

func usd(t testing.TB, s string) money.Amount { return moneytest.USD(t, s) }

// monthly returns n installments due on day 1 from the first of (y, m), each
// with the given principal, interest and escrow.
func monthly(t testing.TB, y int, m time.Month, n int, p, i, e string) []Installment {
	t.Helper()
	out := make([]Installment, n)
	for k := range out {
		out[k] = Installment{
			Seq: k + 1, DueDate: addMonths(date.New(y, m, 1), k),
			Principal: usd(t, p), Interest: usd(t, i), Escrow: usd(t, e),
		}
	}
	return out
}

// pay credits amount to installment seq, received on, in the GSE order
// interest → principal → escrow against what the installment still lacks;
// anything beyond that is credited as principal.
func pay(t testing.TB, ins []Installment, seq int, on string, amount string) {
	t.Helper()
	in := &ins[seq-1]
	left := usd(t, amount)
	var got [3]money.Amount
	for _, c := range in.Credits {
		got[0], got[1], got[2] = got[0].Add(c.Interest), got[1].Add(c.Principal), got[2].Add(c.Escrow)
	}
	due := [3]money.Amount{in.Interest, in.Principal, in.Escrow}
	var part [3]money.Amount
	for k := range part {
		part[k] = money.Min(left, money.Max(due[k].Sub(got[k]), money.Zero(money.USD)))
		left = left.Sub(part[k])
	}
	part[1] = part[1].Add(left)
	in.Credits = append(in.Credits, Credit{ReceivedOn: d(on), Interest: part[0], Principal: part[1], Escrow: part[2]})
}

func mustNew(t testing.TB, l Loan, p Policy) *Evaluator {
	t.Helper()
	e, err := New(l, p)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

func loanOf(ins []Installment) Loan { return Loan{Currency: money.USD, Installments: ins} }

func policyWith(r Recognition, m Method) Policy {
	p := StandardPolicy(ClosedEnd)
	p.Recognition, p.Method = r, m
	return p
}
