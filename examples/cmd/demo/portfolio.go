package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// product is one of the portfolio's loan shapes.
type product int

const (
	mortgage product = iota // 30-year fixed, scheduled interest, 30/360
	auto                    // 5-year, daily simple interest, Actual/365F
	personal                // 12-month, daily simple interest, Actual/365F
)

var productNames = [...]string{"mortgage 30y", "auto 5y", "personal 12m"}

func (p product) String() string { return productNames[p] }

// behaviour is how a borrower pays, drawn once per loan.
type behaviour int

const (
	onTime    behaviour = iota // pays on or a few days before the due date
	late                       // pays 5-25 days after the due date
	partial                    // sometimes pays only part of the installment
	nsf                        // some payments come back NSF three days later
	prepayer                   // pays extra principal, may pay off early
	defaulter                  // stops paying at some month; charged off later
)

var behaviourNames = [...]string{"on time", "late", "partial", "NSF", "prepayer", "default"}

// plannedLoan is a portfolio loan as the simulator plans it. Everything here is a
// function of the seed and the loan's index, so a rerun plans the same.
type plannedLoan struct {
	id       servicing.LoanID
	index    int
	product  product
	behaves  behaviour
	terms    loan.Terms
	stopsAt  int // defaulter: first installment not paid
	payoffAt int // prepayer: installment at which the loan is paid off (0: never)
}

// Simulation dates: the simulation runs from 1 January 2024, and the loans
// fund over its first originationMonths months (each loan in a month and on
// a day from the 1st to the 28th drawn from the seed), so the portfolio
// holds several vintages.
var simStart = date.New(2024, time.January, 1)

// originationMonths is how many months the portfolio's fundings spread
// over.
const originationMonths = 6

// rng returns a generator for one decision of one loan: seeded by the run's
// seed, the loan and the decision's key, so no generator state carries from
// one day to the next and a resumed run draws exactly the same numbers.
func rng(seed uint64, loan int, key uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed^uint64(loan)*0x9E3779B97F4A7C15, key))
}

// newPortfolio plans n loans: a third of each product, behaviours drawn
// from a fixed mix.
func newPortfolio(n int, seed uint64) ([]*plannedLoan, error) {
	loans := make([]*plannedLoan, n)
	for i := range loans {
		r := rng(seed, i, 0)
		l := &plannedLoan{id: servicing.LoanID(fmt.Sprintf("LN-%06d", i+1)), index: i, product: product(i % 3)}
		switch x := r.IntN(100); {
		case x < 62:
			l.behaves = onTime
		case x < 74:
			l.behaves = late
		case x < 82:
			l.behaves = partial
		case x < 87:
			l.behaves = nsf
		case x < 94:
			l.behaves = prepayer
		default:
			l.behaves = defaulter
		}
		// The funding month comes from a generator of its own, so the
		// other draws (behaviour, principal, rate) do not depend on it.
		fund := schedule.AddMonths(simStart, rng(seed, i, 1<<40).IntN(originationMonths), 1, schedule.EOMAnchor) + date.Date(r.IntN(28))
		y, m, d := fund.Date()
		first := date.New(y, m+1, d)
		var principal int64 // cents
		var bps int64
		t := loan.Terms{
			Terms: amortize.Terms{
				Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
				FundingDate: fund, FirstDueDate: first, Shape: amortize.ShapeLevel,
				InterestRounding: money.HalfAwayFromZero, PaymentRounding: money.HalfAwayFromZero,
			},
			EscrowPayment: money.Zero(money.USD),
			Delinquency:   delinquency.StandardPolicy(delinquency.ClosedEnd),
		}
		switch l.product {
		case mortgage:
			principal = (150_000 + int64(r.IntN(300))*1_000) * 100
			bps = 550 + int64(r.IntN(17))*12 // 5.50% .. 7.42%
			t.Installments = 360
			t.DayCount = accrual.DayCount{Convention: accrual.Thirty360US}
			t.Accrual, t.InterestMethod = loan.AccrualScheduled, amortize.InterestPeriodic
			t.Delinquency.LateFee = &delinquency.LateFeePolicy{GraceDays: 15, Method: delinquency.FeePercentPITI,
				PercentBasisPoints: 500, Rounding: money.HalfAwayFromZero}
		case auto:
			principal = (15_000 + int64(r.IntN(300))*100) * 100
			bps = 600 + int64(r.IntN(21))*25 // 6.00% .. 11.00%
			t.Installments = 60
			t.DayCount = accrual.DayCount{Convention: accrual.Act365Fixed}
			t.Accrual, t.InterestMethod = loan.AccrualDailySimple, amortize.InterestDaily
			t.Delinquency.LateFee = &delinquency.LateFeePolicy{GraceDays: 10, Method: delinquency.FeeFlat, FlatAmount: money.MustNew(2500, money.USD)}
		case personal:
			principal = (2_000 + int64(r.IntN(130))*100) * 100
			bps = 900 + int64(r.IntN(19))*50 // 9.00% .. 18.00%
			t.Installments = 12
			t.DayCount = accrual.DayCount{Convention: accrual.Act365Fixed}
			t.Accrual, t.InterestMethod = loan.AccrualDailySimple, amortize.InterestDaily
			t.Delinquency.LateFee = &delinquency.LateFeePolicy{GraceDays: 10, Method: delinquency.FeeFlat, FlatAmount: money.MustNew(1500, money.USD)}
		}
		t.Principal = money.MustNew(principal, money.USD)
		rt, err := rate.BasisPoints(bps)
		if err != nil {
			return nil, err
		}
		t.AnnualRate = rt
		// The payment is amortize's (the engine would solve the same at
		// boarding); the simulated borrowers pay it.
		if t.Payment, err = amortize.SolvePayment(t.Terms); err != nil {
			return nil, err
		}
		switch l.behaves {
		case defaulter:
			l.stopsAt = 2 + r.IntN(10)
		case prepayer:
			if r.IntN(2) == 0 {
				l.payoffAt = 3 + r.IntN(18)
			}
		}
		l.terms = t
		loans[i] = l
	}
	return loans, nil
}

// dueDate is installment k's due date (1-based), anchored on the first due
// date's day of month.
func (l *plannedLoan) dueDate(k int) date.Date {
	_, _, d := l.terms.FirstDueDate.Date()
	return schedule.AddMonths(l.terms.FirstDueDate, k-1, d, schedule.EOMAnchor)
}

// action is what a borrower does on one day.
type action struct {
	kind   string // "pay", "payoff", "reverse"
	k      int    // installment the action belongs to
	amount money.Amount
}

// plan returns what the borrower of l does for installment k: on which day
// and what.
func (l *plannedLoan) plan(seed uint64, k int) (on date.Date, a action, ok bool) {
	if k < 1 || k > l.terms.Installments {
		return 0, action{}, false
	}
	if l.behaves == defaulter && k >= l.stopsAt {
		return 0, action{}, false
	}
	r := rng(seed, l.index, uint64(k))
	due := l.dueDate(k)
	pay := l.terms.Payment
	a = action{kind: "pay", k: k, amount: pay}
	on = due - date.Date(r.IntN(4))
	switch l.behaves {
	case late:
		if r.IntN(3) > 0 {
			on = due + date.Date(5+r.IntN(21))
		}
	case partial:
		if r.IntN(3) == 0 {
			cents := pay.Minor() * int64(50+r.IntN(40)) / 100
			a.amount = money.MustNew(cents, money.USD)
		}
	case prepayer:
		if l.payoffAt == k && k < l.terms.Installments {
			a.kind = "payoff"
		} else if r.IntN(4) == 0 {
			a.amount = pay.Add(money.MustNew(int64(5+r.IntN(20))*1000, money.USD))
		}
	}
	if k == l.terms.Installments {
		// The last installment: the borrower pays whatever the payoff quote
		// says (daily simple interest moves the final amount).
		a.kind = "payoff"
	}
	return on, a, true
}

// nsfReturned reports whether installment k's payment of an NSF-prone
// borrower comes back, three days after it was posted.
func (l *plannedLoan) nsfReturned(seed uint64, k int) bool {
	return l.behaves == nsf && rng(seed, l.index, uint64(k)+1<<32).IntN(3) == 0
}

// actionsOn returns the borrower's actions on day d: payments whose planned
// date is d, reversals of NSF payments posted three days earlier, and the
// borrower's second try five days after a reversal.
func (l *plannedLoan) actionsOn(seed uint64, d date.Date) []action {
	var out []action
	// The installments whose payment could fall on d are due within
	// [d-30, d+5]: at most the two months either side of d's month.
	yd, md, _ := d.Date()
	yf, mf, _ := l.terms.FirstDueDate.Date()
	kd := (yd*12 + int(md)) - (yf*12 + int(mf)) + 1
	for k := kd - 2; k <= kd+1; k++ {
		if on, a, ok := l.plan(seed, k); ok {
			if on == d {
				out = append(out, a)
			}
			if a.kind == "pay" && l.nsfReturned(seed, k) {
				switch d {
				case on + 3: // the payment comes back NSF
					out = append(out, action{kind: "reverse", k: k})
				case on + 8: // the borrower pays it again, with the NSF fee
					out = append(out, action{kind: "repay", k: k, amount: a.amount.Add(nsfFee)})
				}
			}
		}
	}
	return out
}
