// Package report computes portfolio reports over loan states: delinquency
// aging by count and unpaid principal per bucket, the roll-rate matrix
// between two dates, the weighted average coupon, remaining term and loan
// age; over a period between two snapshots, the measured prepayment and
// default rates (SMM and CPR, MDR and CDR), curtailments, payoffs,
// charge-offs, recoveries, net loss and severity; and static-pool
// (vintage) curves by funding month. Every report is also a Table of
// labelled columns, written as CSV.
//
// Every figure is read from loan.State and its owners' answers (the
// delinquency assessment gives each loan's bucket and past-due principal,
// the loan's billing its scheduled principal); nothing is restated. A
// Snapshot is what the host's store gives for a date — the engine's
// Snapshot gives one as known at any time, so a month's report can be
// reproduced after later backdated corrections. The package is pure: no
// clock, no I/O beyond the writer a Table is given.
package report

import (
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ErrInvalid is wrapped by the errors of bad input (no loans, mixed
// currencies, a rate's base that is not positive).
var ErrInvalid = errors.New("report: invalid input")

// The categories of a closed loan in a roll-rate matrix.
const (
	PaidOff    = "paid_off"
	ChargedOff = "charged_off"
)

// AgingRow is one row of a portfolio aging report: an aging bucket, how
// many open loans are in it and their unpaid principal.
type AgingRow struct {
	Name  string       `json:"name"`
	Count int          `json:"count"`
	UPB   money.Amount `json:"upb"`
}

// Bucket is the former name of [AgingRow].
//
// Deprecated: use AgingRow.
type Bucket = AgingRow

// Aging is a portfolio's delinquency aging: the open loans by the bucket
// their own delinquency policy puts them in (State.Delinquency: days past
// due, MBA or OTS as the policy reports), in the buckets' order.
type Aging struct {
	Buckets []AgingRow   `json:"buckets"`
	Loans   int          `json:"loans"`
	UPB     money.Amount `json:"upb"`
}

// AgingOf ages the open loans of states (closed ones are left out).
func AgingOf(states []loan.State) (Aging, error) {
	cur, err := currency(states)
	if err != nil {
		return Aging{}, err
	}
	z := money.Zero(cur)
	a := Aging{UPB: z}
	minDays := map[string]int{}
	for _, s := range states {
		if closed(s) {
			continue
		}
		as, err := s.Delinquency()
		if err != nil {
			return Aging{}, fmt.Errorf("aging: %w", err)
		}
		i := slices.IndexFunc(a.Buckets, func(b AgingRow) bool { return b.Name == as.Bucket.Name })
		if i < 0 {
			a.Buckets = append(a.Buckets, AgingRow{Name: as.Bucket.Name, UPB: z})
			minDays[as.Bucket.Name] = as.Bucket.MinDays
			i = len(a.Buckets) - 1
		}
		a.Buckets[i].Count++
		a.Buckets[i].UPB = a.Buckets[i].UPB.Add(s.Principal)
		a.Loans++
		a.UPB = a.UPB.Add(s.Principal)
	}
	// Every bucket of the policies met, empty ones too, in day order.
	for _, s := range states {
		bs := s.Terms.Delinquency.Buckets
		if bs == nil {
			bs = delinquency.DefaultBuckets()
		}
		for _, b := range bs {
			if _, ok := minDays[b.Name]; !ok {
				minDays[b.Name] = b.MinDays
				a.Buckets = append(a.Buckets, AgingRow{Name: b.Name, UPB: z})
			}
		}
	}
	slices.SortStableFunc(a.Buckets, func(x, y AgingRow) int { return minDays[x.Name] - minDays[y.Name] })
	return a, nil
}

// Summary holds a portfolio's weighted averages over its open loans, each
// weighted by unpaid principal: WAC the note rate in percent (4 places),
// WAM the installments left in months (2 places), WALA the months since
// funding (whole months to the state's date; 2 places).
type Summary struct {
	Loans int             `json:"loans"`
	UPB   money.Amount    `json:"upb"`
	WAC   decimal.Decimal `json:"wac"`
	WAM   decimal.Decimal `json:"wam"`
	WALA  decimal.Decimal `json:"wala"`
}

// Summarize computes the summary of the open loans of states.
func Summarize(states []loan.State) (Summary, error) {
	cur, err := currency(states)
	if err != nil {
		return Summary{}, err
	}
	sm := Summary{UPB: money.Zero(cur)}
	wac, wam, wala, total := new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)
	for _, s := range states {
		if closed(s) || !s.Principal.IsPositive() {
			continue
		}
		upb := new(big.Rat).SetInt64(s.Principal.Minor())
		num, den := s.Rate.Ratio()
		wac.Add(wac, new(big.Rat).Mul(upb, big.NewRat(num*100, den)))
		wam.Add(wam, new(big.Rat).Mul(upb, big.NewRat(int64(s.Installments-s.NextInstallment+1), 1)))
		wala.Add(wala, new(big.Rat).Mul(upb, big.NewRat(int64(months(s.Terms.FundingDate, s.AsOf)), 1)))
		total.Add(total, upb)
		sm.Loans++
		sm.UPB = sm.UPB.Add(s.Principal)
	}
	if sm.Loans == 0 {
		return sm, nil
	}
	sm.WAC = ratio(wac, total, 4)
	sm.WAM = ratio(wam, total, 2)
	sm.WALA = ratio(wala, total, 2)
	return sm, nil
}

// Roll is the roll-rate matrix between two dates: Counts[i][j] loans were
// in From[i] before and in To[j] after (the aging buckets, then PaidOff
// and ChargedOff for loans closed by the later date).
type Roll struct {
	Buckets []string `json:"buckets"`
	Counts  [][]int  `json:"counts"`
}

// RollRates tallies the loans open in before by where they stand in
// after (both keyed by loan id; a loan missing from after is left out).
func RollRates(before, after map[string]loan.State) (Roll, error) {
	var all []loan.State
	for _, s := range before {
		all = append(all, s)
	}
	for _, s := range after {
		all = append(all, s)
	}
	ag, err := AgingOf(all)
	if err != nil {
		return Roll{}, err
	}
	r := Roll{}
	for _, b := range ag.Buckets {
		r.Buckets = append(r.Buckets, b.Name)
	}
	r.Buckets = append(r.Buckets, PaidOff, ChargedOff)
	r.Counts = make([][]int, len(r.Buckets))
	for i := range r.Counts {
		r.Counts[i] = make([]int, len(r.Buckets))
	}
	ids := make([]string, 0, len(before))
	for id := range before {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		b, a := before[id], after[id]
		if closed(b) || a.Status == "" {
			continue
		}
		from, err := category(b)
		if err != nil {
			return Roll{}, err
		}
		to, err := category(a)
		if err != nil {
			return Roll{}, err
		}
		r.Counts[slices.Index(r.Buckets, from)][slices.Index(r.Buckets, to)]++
	}
	return r, nil
}

// category is a loan's bucket, or PaidOff / ChargedOff when closed.
func category(s loan.State) (string, error) {
	switch s.Status {
	case loan.StatusPaidOff:
		return PaidOff, nil
	case loan.StatusChargedOff:
		return ChargedOff, nil
	}
	a, err := s.Delinquency()
	if err != nil {
		return "", fmt.Errorf("roll rates: %w", err)
	}
	return a.Bucket.Name, nil
}

// SMM is the single monthly mortality: prepaid principal (beyond what was
// scheduled) over the balance that could have prepaid, the month's
// beginning balance less its scheduled principal; 10 places.
func SMM(prepaid, beginning, scheduled money.Amount) (decimal.Decimal, error) {
	return share(prepaid, beginning.Sub(scheduled))
}

// MDR is the monthly default rate: the balance of loans defaulting in the
// month over the month's beginning balance; 10 places.
func MDR(defaulted, beginning money.Amount) (decimal.Decimal, error) {
	return share(defaulted, beginning)
}

// Annualize turns a monthly rate into its annual equivalent, 1 − (1 −
// m)^12: CPR from SMM, CDR from MDR; 10 places.
func Annualize(monthly decimal.Decimal) decimal.Decimal {
	left := decimal.NewFromInt(1).Sub(monthly).Pow(decimal.NewFromInt(12))
	return decimal.NewFromInt(1).Sub(left).Round(10)
}

func share(part, base money.Amount) (decimal.Decimal, error) {
	if !base.IsPositive() || part.Currency() != base.Currency() && !part.IsZero() {
		return decimal.Decimal{}, fmt.Errorf("%w: %s of a base of %s", ErrInvalid, part, base)
	}
	return decimal.NewFromInt(part.Minor()).DivRound(decimal.NewFromInt(base.Minor()), 10), nil
}

func ratio(num, den *big.Rat, places int32) decimal.Decimal {
	// big.Rat.FloatString rounds to the nearest, halves away from zero.
	d, _ := decimal.NewFromString(new(big.Rat).Quo(num, den).FloatString(int(places)))
	return d
}

// months is the whole months from a to b.
func months(a, b date.Date) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	n := (yb-ya)*12 + int(mb) - int(ma)
	if db < da {
		n--
	}
	return max(n, 0)
}

func closed(s loan.State) bool {
	return s.Status == loan.StatusPaidOff || s.Status == loan.StatusChargedOff || s.Status == loan.StatusPending
}

func currency(states []loan.State) (money.Currency, error) {
	if len(states) == 0 {
		return money.Currency{}, fmt.Errorf("%w: no loans", ErrInvalid)
	}
	cur := states[0].Terms.Currency()
	for _, s := range states {
		if s.Terms.Currency() != cur {
			return money.Currency{}, fmt.Errorf("%w: loans in %s and %s", ErrInvalid, cur.Code, s.Terms.Currency().Code)
		}
	}
	return cur, nil
}
