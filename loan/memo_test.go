package loan

import (
	"slices"
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// memoTerms draws amortizing terms the fold's memos see: monthly to weekly
// grids, anchored or last-day month ends, first due dates on days 1 to 31,
// periodic or daily interest, a rate change inside the table or none.
func memoTerms(t *rapid.T) amortize.Terms {
	funding := date.New(2024, time.January, 1) + date.Date(rapid.IntRange(0, 400).Draw(t, "fundingDay"))
	freq := rapid.SampledFrom([]schedule.Frequency{schedule.Monthly(), schedule.Quarterly(), schedule.EveryMonths(2),
		schedule.Biweekly(), schedule.Weekly()}).Draw(t, "frequency")
	first := funding + date.Date(rapid.IntRange(7, 31).Draw(t, "firstDueAfter"))
	if freq.Unit == schedule.UnitMonth {
		first = schedule.AddMonths(funding, freq.Every, funding.Day(), schedule.EOMAnchor)
	}
	at := amortize.Terms{
		Principal:        money.MustNew(rapid.Int64Range(100_00, 2_000_000_00).Draw(t, "principal"), money.USD),
		AnnualRate:       rate.MustPercent(rapid.SampledFrom([]string{"0", "2.125", "6", "7.375", "18"}).Draw(t, "rate")),
		Installments:     rapid.IntRange(1, 480).Draw(t, "installments"),
		Frequency:        freq,
		EOM:              rapid.SampledFrom([]schedule.EOMPolicy{schedule.EOMAnchor, schedule.EOMLastDay}).Draw(t, "eom"),
		FundingDate:      funding,
		FirstDueDate:     first,
		Shape:            amortize.ShapeLevel,
		InterestMethod:   rapid.SampledFrom([]amortize.InterestMethod{amortize.InterestPeriodic, amortize.InterestDaily}).Draw(t, "method"),
		DayCount:         accrual.DayCount{Convention: rapid.SampledFrom([]accrual.Convention{accrual.Thirty360US, accrual.Act365Fixed}).Draw(t, "dayCount")},
		InterestRounding: money.HalfUp,
		PaymentRounding:  money.HalfUp,
	}
	if rapid.Bool().Draw(t, "rateChange") {
		at.RatePath = []accrual.RateChange{{On: first + date.Date(rapid.IntRange(0, 900).Draw(t, "changeAfter")), Rate: rate.MustPercent("4.5")}}
	}
	return at
}

// TestRowMemoMatchesBiller holds the fold's row memo equal to the owner of
// the row rule: for random terms, two billers (the rate path as boarded
// and one with a later change, as a fold holds after setRate) and a run of
// Bill queries drawn from a small pool (so that rows repeat, collide in a
// slot and come back), every answer of rowMemo.bill is amortize.Biller.Bill's
// interest and payment for the same inputs, and an error of the biller is
// the memo's error.
func TestRowMemoMatchesBiller(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		at := memoTerms(t)
		a, err := amortize.NewBiller(at)
		if err != nil {
			t.Skip(err)
		}
		at2 := at
		at2.RatePath = append(append([]accrual.RateChange(nil), at.RatePath...),
			accrual.RateChange{On: at.FirstDueDate + 2000, Rate: rate.MustPercent("9")})
		b, err := amortize.NewBiller(at2)
		if err != nil {
			t.Skip(err)
		}
		var m rowMemo
		bals := []money.Amount{at.Principal, at.Principal.Sub(money.MustNew(1, money.USD)), money.MustNew(rapid.Int64Range(0, 100_000_00).Draw(t, "bal"), money.USD)}
		recasts := []money.Amount{{}, money.Zero(money.USD), money.MustNew(1234_56, money.USD)}
		for i := range rapid.IntRange(1, 200).Draw(t, "queries") {
			bl := []*amortize.Biller{a, b}[rapid.IntRange(0, 1).Draw(t, "biller")]
			n := rapid.IntRange(1, at.Installments+rowSlots*3).Draw(t, "n")
			bal := rapid.SampledFrom(bals).Draw(t, "balance")
			recast := rapid.SampledFrom(recasts).Draw(t, "recast")
			final := rapid.Bool().Draw(t, "final")
			gi, gp, gerr := m.bill(bl, n, bal, recast, final)
			row, werr := bl.Bill(n, bal, recast, final)
			if (gerr != nil) != (werr != nil) {
				t.Fatalf("query %d (n %d bal %s recast %v final %v): memo error %v, biller error %v", i, n, bal, recast, final, gerr, werr)
			}
			if werr == nil && (gi != row.Interest || gp != row.Payment) {
				t.Fatalf("query %d (n %d bal %s recast %v final %v): memo %s/%s, biller %s/%s", i, n, bal, recast, final, gi, gp, row.Interest, row.Payment)
			}
		}
	})
}

// TestDueMemoMatchesGrid holds the fold's due-date memo equal to the
// schedule grid it remembers (schedule.Grid.At of the terms' plan): random
// terms and lookups of indexes -1 to 80 in any order, so that slots fill,
// collide and are asked again.
func TestDueMemoMatchesGrid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		at := memoTerms(t)
		terms := Terms{Terms: at}
		f := folder{s: State{Terms: terms}}
		g := planOf(&terms, at.FirstDueDate.Day()).Grid()
		for range rapid.IntRange(1, 300).Draw(t, "lookups") {
			idx := rapid.IntRange(-1, 80).Draw(t, "idx")
			if got, want := f.gridAt(idx), g.At(idx); got != want {
				t.Fatalf("grid date %d: memo %s, grid %s", idx, got, want)
			}
		}
	})
}

// layoutPayload is a 30-year mortgage at 6% with a 15-day grace period and
// a flat 25.00 late fee, and an escrow payment (three receivables an
// installment), for TestReceivablesLayoutKeepsAllocation.
const layoutPayload = `{
  "terms": {
    "currency": "USD", "principal": "200000.00", "annual_rate": "6%", "installments": 360,
    "frequency": {"unit": "month", "every": 1}, "eom": "anchor",
    "funding_date": "2024-01-15", "first_due_date": "2024-03-01",
    "shape": "level", "interest_method": "periodic", "odd_first_period": "prepaid",
    "day_count": {"convention": "30U_360_EOM"},
    "interest_rounding": "half_away_from_zero", "payment_rounding": "half_away_from_zero",
    "accrual": "scheduled", "escrow_payment": "250.00",
    "delinquency": {"recognition": "full", "method": "days_past_due",
      "late_fee": {"grace_days": 15, "method": "flat", "flat_amount": "25.00"},
      "status": {"delinquent_days": 1, "default_days": 90, "non_accrual_days": 90, "charge_off_days": 120, "charge_off": "regular"}}
  },
  "borrower": "BRW-1"
}`

// TestReceivablesLayoutKeepsAllocation holds the receivables' layout (laid
// out in the waterfall's processing order, so that it need not sort them)
// to the allocation of the same receivables in any other order: random
// histories of late, partial and missed payments leave late fees, suspense
// and windows of several installments; at a random later date the
// receivables the fold builds and a random permutation of them are
// allocated with a random amount, and every receivable gets the same
// lines (amount, rule, in the same order), the same open amount after,
// and suspense, credit and returned money are the same.
func TestReceivablesLayoutKeepsAllocation(t *testing.T) {
	b, err := ParseBoarding([]byte(layoutPayload))
	if err != nil {
		t.Fatal(err)
	}
	terms, err := b.Terms.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		at := time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC)
		evs := []Event{{Seq: 1, Kind: KindBoarded, EffectiveOn: terms.FundingDate, RecordedAt: at,
			Payload: Boarded{Terms: terms, Borrower: "B", Rules: RulesVersion}}}
		on := terms.FundingDate
		for i := range rapid.IntRange(0, 12).Draw(t, "payments") {
			on += date.Date(rapid.IntRange(1, 60).Draw(t, "daysAfter"))
			amt := money.MustNew(rapid.SampledFrom([]int64{1_00, 500_00, 1449_10, 1474_10, 3000_00}).Draw(t, "amount"), money.USD)
			evs = append(evs, Event{Seq: int64(i + 2), Kind: KindPaymentReceived, EffectiveOn: on, RecordedAt: at,
				Payload: PaymentReceived{Amount: amt}})
		}
		asOf := on + date.Date(rapid.IntRange(0, 90).Draw(t, "quiet"))
		s, err := Replay(terms, evs, asOf)
		if err != nil {
			t.Fatal(err)
		}
		f := folder{s: s}
		rules, err := f.compiled()
		if err != nil {
			t.Fatal(err)
		}
		rest, accrued, err := f.bills(asOf)
		if err != nil {
			t.Fatal(err)
		}
		f.receivables(asOf, rest, accrued, false, true)
		rs := slices.Clone(f.rs)
		perm := rapid.Permutation(func() []int {
			p := make([]int, len(rs))
			for i := range p {
				p[i] = i
			}
			return p
		}()).Draw(t, "order")
		other := make([]payment.Receivable, len(rs))
		for j, i := range perm {
			other[j] = rs[i]
		}
		amt := money.MustNew(rapid.Int64Range(1, 5000_00).Draw(t, "received"), money.USD)
		var got, want payment.Allocation
		if err := rules.AllocateInto(&got, payment.Input{On: asOf, Amount: amt, Type: payment.Repayment, Receivables: rs, Suspense: s.Suspense}); err != nil {
			t.Fatal(err)
		}
		if err := rules.AllocateInto(&want, payment.Input{On: asOf, Amount: amt, Type: payment.Repayment, Receivables: other, Suspense: s.Suspense}); err != nil {
			t.Fatal(err)
		}
		if got.Suspense != want.Suspense || got.Credit != want.Credit || got.Returned != want.Returned || len(got.Lines) != len(want.Lines) {
			t.Fatalf("laid out: suspense %s credit %s returned %s, %d lines; other order: %s %s %s, %d lines",
				got.Suspense, got.Credit, got.Returned, len(got.Lines), want.Suspense, want.Credit, want.Returned, len(want.Lines))
		}
		for k := range got.Lines {
			g, w := got.Lines[k], want.Lines[k]
			if perm[w.Index] != g.Index || g.Amount != w.Amount || g.Rule != w.Rule {
				t.Fatalf("line %d: laid out %+v, other order %+v (receivable %d)", k, g, w, perm[w.Index])
			}
		}
		for j, i := range perm {
			if got.Open[i] != want.Open[j] {
				t.Fatalf("receivable %d (%+v): open %s laid out, %s in another order", i, rs[i], got.Open[i], want.Open[j])
			}
		}
	})
}
