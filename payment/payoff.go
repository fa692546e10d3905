package payment

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// PayoffInterest names a payoff interest rule that is more than a day count.
type PayoffInterest string

const (
	// FannieMaeConventional is the conventional-loan payoff rule (RULES.md
	// "Interest methods"; Fannie Mae Servicing Guide F-1-09): interest for the
	// whole months from InterestFrom on a 360-day year (each month 30/360 =
	// 1/12 of a year), then the days of the part month on a 365-day year (in
	// leap years too), up to but not including On, the day the funds
	// arrive. Whole months step from InterestFrom's day, clamped to shorter
	// months (31 Jan → 29 Feb → 31 Mar). The per diem is one day on the
	// 365-day year.
	FannieMaeConventional PayoffInterest = "fannie_mae_conventional"
)

// QuoteRequest asks for the amount that pays a loan in full on a date
// (Reg Z §1026.36(c)(3)).
type QuoteRequest struct {
	// On is the payoff date: the quote is good through it, for funds received
	// that day. Interest accrues up to but not including it.
	On date.Date
	// Currency is the loan currency; required.
	Currency money.Currency
	// Receivables are the loan's open items, including the principal of every
	// remaining installment (see [Receivable]).
	Receivables []Receivable
	// InterestFrom is the first day whose interest is not yet billed in an
	// interest receivable (the last due date billed, for interest in arrears);
	// InterestFrom ≤ On.
	InterestFrom date.Date
	// AccrualDays, when > 0, is the number of days of interest to add (e.g. a
	// 30/360 count from accrual); zero means the actual days in
	// [InterestFrom, On). It may not be combined with DayCount or Method.
	AccrualDays int
	// DayCount, when its Convention is set, is the loan's day-count
	// convention: the accrued interest is UPB × Rate × the convention's year
	// fraction of [InterestFrom, On), and the per diem is the interest of one
	// ordinary day of On's month under it ([15th, 16th): a 30/360 convention
	// counts a 31st as no day and the end of February as several, which is
	// no per diem to quote). With PerDiemFirst the accrued interest is the
	// rounded per diem times the convention's day count. The zero DayCount
	// means not set: days and DaysInYear decide.
	DayCount accrual.DayCount
	// Method, when set, is a payoff interest rule such as
	// [FannieMaeConventional]; it may not be combined with DayCount. Zero
	// means DayCount, or days over DaysInYear.
	Method PayoffInterest
	// Rate is the annual nominal rate, ≥ 0.
	Rate rate.Rate
	// DaysInYear is the per-diem divisor: 360, 364, 365 or 366. It is
	// required without DayCount and Method, and must be zero with them (their
	// own year applies).
	DaysInYear int
	// Rounding rounds the accrued interest (or the per diem); required.
	Rounding money.RoundingMode
	// PerDiemFirst rounds the per diem to the minor unit first and multiplies
	// it by the days, as payoff letters show it (with FannieMaeConventional
	// the monthly interest, UPB × Rate / 12, is rounded too and multiplied by
	// the whole months); false rounds the interest once (balance × rate ×
	// days / DaysInYear, or the year fraction).
	PerDiemFirst bool
	// Suspense is unapplied money held, ≥ 0; it reduces the payoff.
	Suspense money.Amount
	// EscrowBalance is the escrow account balance: positive when held for the
	// borrower, negative when the servicer has advanced funds (the advance is
	// owed and added to the payoff).
	EscrowBalance money.Amount
	// NetEscrow subtracts a positive escrow balance from the payoff instead of
	// refunding it after payoff (Reg X §1024.34(b) allows either).
	NetEscrow bool
}

// PayoffQuote is the amount that pays the loan in full on GoodThrough, by
// part.
type PayoffQuote struct {
	// GoodThrough is the date the quote is good through.
	GoodThrough date.Date
	// PerDiem is one day's interest on Principal, for each day after
	// GoodThrough, rounded with the request's mode.
	PerDiem money.Amount
	// InterestMonths is the whole months of interest in AccruedInterest
	// ([FannieMaeConventional] only; 0 otherwise).
	InterestMonths int
	// AccrualDays is the days of interest in AccruedInterest (beyond
	// InterestMonths): the actual days, AccrualDays as requested, or the
	// DayCount's count.
	AccrualDays int
	// Principal is the unpaid principal balance.
	Principal money.Amount
	// Interest is billed interest still owed (due on or before GoodThrough).
	Interest money.Amount
	// AccruedInterest is interest accrued since InterestFrom, not yet billed.
	AccruedInterest money.Amount
	// Escrow is billed escrow still owed; EscrowAdvance is escrow the
	// servicer advanced.
	Escrow        money.Amount
	EscrowAdvance money.Amount
	// Fees and Penalties are charges assessed on or before GoodThrough.
	Fees      money.Amount
	Penalties money.Amount
	// Suspense and EscrowCredit are money on hand that reduces the payoff.
	Suspense     money.Amount
	EscrowCredit money.Amount
	// Total is what the borrower sends; Refund is what the borrower gets back
	// when the money on hand exceeds everything owed (then Total is zero).
	Total  money.Amount
	Refund money.Amount
	// Receivables are exactly the items the quote prices: the request's items
	// owed on GoodThrough (all principal; other items due on or before it),
	// then the accrued interest and any escrow advance as stand-alone items
	// dated GoodThrough. Posting Total against them clears every one.
	Receivables []Receivable
}

// Quote prices a payoff. It returns ErrInvalidQuote naming every bad field.
// Items due after On other than principal (future interest, escrow and
// charges) are not owed at payoff and are left out.
func Quote(q QuoteRequest) (PayoffQuote, error) {
	if err := q.validate(); err != nil {
		return PayoffQuote{}, err
	}
	cur := q.Currency
	z := money.Zero(cur)
	p := PayoffQuote{
		GoodThrough: q.On, Principal: z, Interest: z, Escrow: z, EscrowAdvance: z, Fees: z,
		Penalties: z, Suspense: q.Suspense.Add(z), EscrowCredit: z, Total: z, Refund: z,
	}
	p.Receivables = make([]Receivable, 0, len(q.Receivables)+2)
	for _, r := range q.Receivables {
		if r.Component != Principal && r.DueDate > q.On {
			continue
		}
		p.Receivables = append(p.Receivables, r)
		part := p.part(r.Component)
		*part = part.Add(r.Open)
	}
	if err := p.accrue(q); err != nil {
		return PayoffQuote{}, fmt.Errorf("%w: %w", ErrInvalidQuote, err)
	}
	if p.AccruedInterest.IsPositive() {
		p.Receivables = append(p.Receivables, Receivable{
			Component: Interest, DueDate: q.On, Open: p.AccruedInterest, Ref: "accrued interest"})
	}
	if q.EscrowBalance.IsNegative() {
		p.EscrowAdvance = q.EscrowBalance.Neg()
		p.Receivables = append(p.Receivables, Receivable{
			Component: Escrow, DueDate: q.On, Open: p.EscrowAdvance, Ref: "escrow advance"})
	} else if q.NetEscrow {
		p.EscrowCredit = q.EscrowBalance.Add(z)
	}
	owed := p.Principal.Add(p.Interest).Add(p.AccruedInterest).Add(p.Escrow).Add(p.EscrowAdvance).
		Add(p.Fees).Add(p.Penalties)
	net := owed.Sub(p.Suspense).Sub(p.EscrowCredit)
	if net.IsNegative() {
		p.Refund = net.Neg()
	} else {
		p.Total = net
	}
	return p, nil
}

func (p *PayoffQuote) part(c Component) *money.Amount {
	switch c {
	case Principal:
		return &p.Principal
	case Interest:
		return &p.Interest
	case Escrow:
		return &p.Escrow
	case Fee:
		return &p.Fees
	}
	return &p.Penalties
}

// accrue sets the per diem, the accrued interest and the months and days it
// covers, by the request's method, day count or days.
func (p *PayoffQuote) accrue(q QuoteRequest) error {
	var err error
	switch {
	case q.Method == FannieMaeConventional:
		p.InterestMonths, p.AccrualDays = wholeMonths(q.InterestFrom, q.On)
		p.PerDiem, p.AccruedInterest, err = fannieMae(p.Principal, q, p.InterestMonths, p.AccrualDays)
	case q.DayCount.Convention != "":
		p.AccrualDays, p.PerDiem, p.AccruedInterest, err = byDayCount(p.Principal, q)
	default:
		p.AccrualDays = q.AccrualDays
		if p.AccrualDays == 0 {
			p.AccrualDays = int(q.On - q.InterestFrom)
		}
		p.PerDiem, p.AccruedInterest, err = interest(p.Principal, q, p.AccrualDays)
	}
	return err
}

// wholeMonths splits [from, on) into whole months stepped from from's day
// (clamped to shorter months) and the days left.
func wholeMonths(from, on date.Date) (months, days int) {
	fy, fm, _ := from.Date()
	oy, om, _ := on.Date()
	months = (oy-fy)*12 + int(om) - int(fm)
	if months > 0 && schedule.AddMonths(from, months, 0, schedule.EOMAnchor) > on {
		months--
	}
	months = max(months, 0)
	return months, int(on - schedule.AddMonths(from, months, 0, schedule.EOMAnchor))
}

// fannieMae prices [FannieMaeConventional]: months/12 + days/365 of a year.
func fannieMae(balance money.Amount, q QuoteRequest, months, days int) (perDiem, accrued money.Amount, err error) {
	day := accrual.Fraction{Num: 1, Den: 365}
	if perDiem, err = accrual.SimpleInterest(balance, q.Rate, day, q.Rounding); err != nil {
		return perDiem, accrued, err
	}
	if q.PerDiemFirst {
		monthly, err := accrual.SimpleInterest(balance, q.Rate, accrual.Fraction{Num: 1, Den: 12}, q.Rounding)
		if err != nil {
			return perDiem, accrued, err
		}
		m, err1 := monthly.Mul(int64(months))
		d, err2 := perDiem.Mul(int64(days))
		return perDiem, m.Add(d), errors.Join(err1, err2)
	}
	yf, err := accrual.NewFraction(int64(months)*365+int64(days)*12, 12*365)
	if err != nil {
		return perDiem, accrued, err
	}
	accrued, err = accrual.SimpleInterest(balance, q.Rate, yf, q.Rounding)
	return perDiem, accrued, err
}

// byDayCount prices interest under the request's day-count convention.
func byDayCount(balance money.Amount, q QuoteRequest) (days int, perDiem, accrued money.Amount, err error) {
	dc := q.DayCount
	if days, err = dc.Days(q.InterestFrom, q.On); err != nil {
		return days, perDiem, accrued, err
	}
	y, m, _ := q.On.Date()
	mid := date.New(y, m, 15)
	day, err := dc.YearFraction(mid, mid+1)
	if err != nil {
		return days, perDiem, accrued, err
	}
	if perDiem, err = accrual.SimpleInterest(balance, q.Rate, day, q.Rounding); err != nil {
		return days, perDiem, accrued, err
	}
	if q.PerDiemFirst {
		accrued, err = perDiem.Mul(int64(days))
		return days, perDiem, accrued, err
	}
	yf, err := dc.YearFraction(q.InterestFrom, q.On)
	if err != nil {
		return days, perDiem, accrued, err
	}
	accrued, err = accrual.SimpleInterest(balance, q.Rate, yf, q.Rounding)
	return days, perDiem, accrued, err
}

// interest returns the per diem and the accrued interest on balance.
func interest(balance money.Amount, q QuoteRequest, days int) (perDiem, accrued money.Amount, err error) {
	num := new(big.Rat).SetFrac(
		new(big.Int).Mul(big.NewInt(balance.Minor()), big.NewInt(q.Rate.Units())),
		new(big.Int).Mul(big.NewInt(rate.Unit), big.NewInt(int64(q.DaysInYear))))
	// num is the per diem in minor units; scale to major units for RoundRat.
	minorPerMajor := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(q.Currency.Scale)), nil))
	daily := new(big.Rat).Quo(num, minorPerMajor)
	if perDiem, err = money.RoundRat(daily, q.Currency, q.Rounding); err != nil {
		return perDiem, accrued, err
	}
	if q.PerDiemFirst {
		accrued, err = perDiem.Mul(int64(days))
		return perDiem, accrued, err
	}
	total := new(big.Rat).Mul(daily, new(big.Rat).SetInt64(int64(days)))
	accrued, err = money.RoundRat(total, q.Currency, q.Rounding)
	return perDiem, accrued, err
}

func (q QuoteRequest) validate() error {
	var l field.List
	if !q.Currency.Valid() {
		l.Add("QuoteRequest.Currency", q.Currency.Code, field.ErrRequired, "a known ISO 4217 currency")
	}
	if q.On == 0 {
		l.Add("QuoteRequest.On", q.On, field.ErrRequired, "")
	}
	if q.InterestFrom == 0 || q.InterestFrom > q.On {
		l.Add("QuoteRequest.InterestFrom", q.InterestFrom, field.ErrOutOfRange, "required, on or before On")
	}
	if q.AccrualDays < 0 || q.AccrualDays > 36600 {
		l.Add("QuoteRequest.AccrualDays", q.AccrualDays, field.ErrOutOfRange, "0 to 36600")
	}
	if q.Rate.IsNegative() {
		l.Add("QuoteRequest.Rate", q.Rate.String(), field.ErrOutOfRange, "must be ≥ 0")
	}
	q.validateInterest(&l)
	if !q.Rounding.Valid() {
		l.Add("QuoteRequest.Rounding", q.Rounding, field.ErrNotSupported, money.RoundingChoices())
	}
	if q.Suspense.IsNegative() {
		l.Add("QuoteRequest.Suspense", q.Suspense.String(), field.ErrOutOfRange, "must be ≥ 0")
	} else if !sameCur(q.Suspense, q.Currency) {
		l.Add("QuoteRequest.Suspense", q.Suspense.Format(), field.ErrInvalid, "currency differs")
	}
	if !sameCur(q.EscrowBalance, q.Currency) {
		l.Add("QuoteRequest.EscrowBalance", q.EscrowBalance.Format(), field.ErrInvalid, "currency differs")
	}
	validateReceivables(&l, "QuoteRequest.Receivables", q.Receivables, q.Currency)
	return l.Err(ErrInvalidQuote)
}

// validateInterest checks the fields that choose how interest accrues.
func (q QuoteRequest) validateInterest(l *field.List) {
	own := q.Method != "" || q.DayCount.Convention != ""
	switch {
	case !own && (q.DaysInYear < 360 || q.DaysInYear > 366 || (q.DaysInYear > 360 && q.DaysInYear < 364)):
		l.Add("QuoteRequest.DaysInYear", q.DaysInYear, field.ErrNotSupported, "want 360, 364, 365 or 366")
	case own && q.DaysInYear != 0:
		l.Add("QuoteRequest.DaysInYear", q.DaysInYear, field.ErrInvalid, "must be zero with DayCount or Method")
	}
	if own && q.AccrualDays != 0 {
		l.Add("QuoteRequest.AccrualDays", q.AccrualDays, field.ErrInvalid, "must be zero with DayCount or Method")
	}
	switch q.Method {
	case "", FannieMaeConventional:
	default:
		l.Add("QuoteRequest.Method", q.Method, field.ErrNotSupported, "want fannie_mae_conventional")
	}
	if q.Method != "" && q.DayCount.Convention != "" {
		l.Add("QuoteRequest.DayCount", q.DayCount.Convention, field.ErrInvalid, "set DayCount or Method, not both")
	} else if q.DayCount.Convention != "" {
		addPrefixed(l, "QuoteRequest.", q.DayCount.Validate())
	}
}

// addPrefixed records the *field.Error values inside err with prefix added
// to their paths.
func addPrefixed(l *field.List, prefix string, err error) {
	for _, fe := range field.Errors(err) {
		l.Add(prefix+fe.Field, fe.Value, fe.Err, fe.Detail)
	}
}

// Posting returns the input that posts amount as the payoff on GoodThrough:
// the quoted receivables, the money on hand (suspense and netted escrow) as
// suspense, partial money applied, and future principal paid by curtailment.
// Allocating it with amount = Total leaves every receivable at zero, suspense
// at zero and no credit.
func (p PayoffQuote) Posting(amount money.Amount) Input {
	return Input{
		On: p.GoodThrough, Amount: amount, Type: Payoff, Receivables: p.Receivables,
		Suspense: p.Suspense.Add(p.EscrowCredit), Partial: PartialApply, Extra: ExtraCurtail,
	}
}
