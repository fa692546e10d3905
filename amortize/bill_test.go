package amortize

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// billRows bills a loan paid exactly as scheduled with the Biller: each
// period from the balance the previous left, each installment's payment
// the shape's own (Scheduled) until a level payment is re-solved where the
// rate of an amortizing period differs from the previous one's (Compute's
// recast), the last row (Last) final.
func billRows(t *testing.T, tm Terms) []Row {
	t.Helper()
	b, err := NewBiller(tm)
	require.NoError(t, err)
	bal := tm.Principal
	var steps []Step
	var rows []Row
	prev := rate.Rate{}
	for n := 1; n <= b.Last() && bal.IsPositive(); n++ {
		start, end := b.Period(n)
		r := b.rateOn(start)
		if tm.InterestMethod == InterestDaily {
			r = b.rateOn(end - 1) // a split period recasts at the rate of its end
		}
		if n > 1 && r != prev && tm.Payment.IsZero() && b.ResolvesAtRateChange() && (tm.Shape != ShapeLevel || n > tm.InterestOnly+1) {
			steps, err = b.Recast(n, tm.Installments, bal)
			require.NoError(t, err)
		}
		prev = r
		pay := money.Amount{}
		for _, s := range steps {
			if s.From <= n {
				pay = s.Amount
			}
		}
		row, err := b.Bill(n, bal, pay, n == b.Last())
		require.NoError(t, err)
		rows = append(rows, row)
		bal = row.Balance
	}
	return rows
}

// TestBillerMatchesCompute: the Biller's rows, period by period from the
// balance the previous row left, equal Compute's table row for row on
// random level terms — periodic and daily interest, every odd-first-period
// treatment on long and short first periods, monthly, quarterly, semi-monthly
// and biweekly frequencies, rounding modes, zero and high rates, fixed
// payments and dated rate paths (changes on and between due dates).
func TestBillerMatchesCompute(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	modes := []money.RoundingMode{money.HalfUp, money.HalfEven, money.TowardZero, money.Ceiling}
	compared, recast := 0, 0
	shapes := map[Shape]int{}
	defer func() {
		require.Greater(t, compared, 900, "cases compared")
		require.Greater(t, recast, 50, "cases with a rate path")
		for _, sh := range []Shape{ShapeLevel, ShapeEqualPrincipal, ShapeGraduated, ShapeCustom} {
			require.Greater(t, shapes[sh], 60, "cases of shape %s", sh)
		}
	}()
	for i := range 1000 {
		n := 1 + r.IntN(120)
		if i%10 == 0 {
			n = 360
		}
		tm := mortgage(t, "1.00", "0", n)
		tm.Principal = money.MustNew(100+r.Int64N(50_000_000), money.USD)
		tm.AnnualRate = rate.MustPercent([]string{"0", "3.25", "6", "7.125", "18", "36"}[r.IntN(6)])
		tm.InterestRounding, tm.PaymentRounding = modes[r.IntN(len(modes))], modes[r.IntN(len(modes))]
		switch r.IntN(4) {
		case 1:
			tm.Frequency, tm.FirstDueDate = schedule.EveryMonths(3), date.New(2024, time.April, 1)
		case 2:
			tm.Frequency, tm.FirstDueDate = schedule.SemiMonthly(1, 16), date.New(2024, time.January, 16)
		case 3:
			tm.Frequency, tm.FirstDueDate = schedule.Biweekly(), date.New(2024, time.January, 15)
			tm.InterestMethod = InterestDaily
		}
		if r.IntN(2) == 0 {
			tm.InterestMethod = InterestDaily
			tm.DayCount = accrual.DayCount{Convention: []accrual.Convention{accrual.Act365Fixed, accrual.Act360, accrual.Thirty360US, accrual.ActActISDA}[r.IntN(4)]}
		}
		if tm.InterestMethod == InterestDaily && tm.Frequency.Unit == schedule.UnitSemiMonth {
			tm.Frequency, tm.FirstDueDate = schedule.Monthly(), date.New(2024, time.February, 1)
		}
		switch r.IntN(5) { // an irregular first period
		case 1:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-date.Date(1+r.IntN(25)), OddDaysInterest
		case 2:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-date.Date(1+r.IntN(25)), OddActualPeriod
		case 3:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate+date.Date(1+r.IntN(10)), OddPrepaid
		case 4:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-date.Date(1+r.IntN(25)), OddPrepaid
		}
		if r.IntN(4) == 0 {
			a, b := rate.MustPercent("4.5"), rate.MustPercent("8")
			d1 := tm.FirstDueDate + date.Date(30*(1+r.IntN(6)))
			tm.RatePath = []accrual.RateChange{{On: d1, Rate: a}, {On: d1 + date.Date(40+r.IntN(200)), Rate: b}}
		}
		if r.IntN(6) == 0 && tm.RatePath == nil {
			tb, err := Compute(tm)
			require.NoError(t, err)
			tm.Payment = tb.Payment.Add(money.MustNew(r.Int64N(5000), money.USD))
		}
		shapeCase(r, &tm)
		tb, err := Compute(tm)
		if err != nil {
			continue // terms the table refuses (a fixed payment too small, ...) have no rows to match
		}
		got := billRows(t, tm)
		shapes[tm.Shape]++
		compared++
		if tm.RatePath != nil {
			recast++
		}
		require.Equal(t, len(tb.Rows), len(got), "case %d %+v", i, tm)
		for k := range got {
			want := tb.Rows[k]
			require.True(t, want.Interest.Equal(got[k].Interest) && want.Payment.Equal(got[k].Payment) &&
				want.Principal.Equal(got[k].Principal) && want.Balance.Equal(got[k].Balance),
				"case %d row %d: table %+v, biller %+v (terms %+v)", i, k+1, want, got[k], tm)
		}
	}
}

// shapeCase turns level terms tm into another shape, or gives them
// interest-only installments or a balloon, at random: equal principal (with
// or without interest-only installments), graduated, custom payments around the level payment, a
// balloon.
func shapeCase(r *rand.Rand, tm *Terms) {
	n := tm.Installments
	switch r.IntN(6) {
	case 1:
		tm.Shape, tm.Payment = ShapeEqualPrincipal, money.Amount{}
		if r.IntN(2) == 0 && n > 2 {
			tm.InterestOnly = 1 + r.IntN(n/2)
		}
	case 2:
		if n >= 4 {
			tm.Shape, tm.Payment = ShapeGraduated, money.Amount{}
			tm.Graduation = Graduation{StepRate: rate.MustPercent([]string{"2.5", "7.5"}[r.IntN(2)]), EveryInstallments: 1 + r.IntN(n/2), Steps: 1 + r.IntN(3)}
		}
	case 3:
		lv, err := Compute(*tm)
		if err != nil {
			return
		}
		tm.Shape, tm.Payment = ShapeCustom, money.Amount{}
		tm.CustomPayments = make([]money.Amount, n)
		for k := range tm.CustomPayments {
			tm.CustomPayments[k] = lv.Payment.Add(money.MustNew(r.Int64N(2000)-500, money.USD))
		}
	case 4:
		if n > 2 && tm.Payment.IsZero() {
			tm.InterestOnly = 1 + r.IntN(n/2)
		}
	case 5:
		if n > 2 {
			tm.BalloonAt = 1 + r.IntN(n-1)
		}
	}
}

// TestBillerPrepaid: 200,000.00 at 6 % funded 15 Jan 2024, first due 1 Mar
// (a long first period). With OddPrepaid the interest of 15 Jan – 1 Feb is
// collected at closing and the first installment carries one month,
// 200000 × 0.06 / 12 = 1,000.00; the level payment is the 360-month payment
// 1,199.10 (200000·0.005/(1−1.005^−360) = 1199.101...). Under interest method
// daily on ACT/365F the first period is [1 Feb, 1 Mar): 29 days, 200000 ×
// 0.06 × 29/365 = 953.42.
func TestBillerPrepaid(t *testing.T) {
	tm := mortgage(t, "200000.00", "6", 360)
	tm.FundingDate, tm.FirstDueDate, tm.OddFirstPeriod = date.New(2024, time.January, 15), date.New(2024, time.March, 1), OddPrepaid
	tb, err := Compute(tm)
	require.NoError(t, err)
	moneytest.Equal(t, "1199.10", tb.Payment)
	moneytest.Equal(t, "1000.00", tb.Rows[0].Interest)
	b, err := NewBiller(tm)
	require.NoError(t, err)
	start, end := b.Period(1)
	require.Equal(t, date.New(2024, time.February, 1), start)
	require.Equal(t, date.New(2024, time.March, 1), end)

	tm.InterestMethod, tm.DayCount = InterestDaily, accrual.DayCount{Convention: accrual.Act365Fixed}
	b, err = NewBiller(tm)
	require.NoError(t, err)
	in, err := b.Interest(1, tm.Principal)
	require.NoError(t, err)
	moneytest.Equal(t, "953.42", in)
}

// TestFixedPaymentOfActualPeriod: a loan funded two months before its
// first due date with OddActualPeriod solves a level payment below the
// long first period's interest (200,000.00 at 6 %: 2,000.00 of interest
// for the two months, negative amortization in period 1); given back as a
// fixed Payment, the same payment gives the same table instead of being
// refused as too small to amortize (it exceeds a regular period's 1,000.00).
func TestFixedPaymentOfActualPeriod(t *testing.T) {
	tm := mortgage(t, "200000.00", "6", 360)
	tm.FundingDate, tm.FirstDueDate, tm.OddFirstPeriod = date.New(2024, time.January, 1), date.New(2024, time.March, 1), OddActualPeriod
	solved, err := Compute(tm)
	require.NoError(t, err)
	moneytest.Equal(t, "2000.00", solved.Rows[0].Interest)
	require.True(t, solved.Payment.LessThan(solved.Rows[0].Interest))
	tm.Payment = solved.Payment
	fixed, err := Compute(tm)
	require.NoError(t, err)
	require.Equal(t, solved.Rows, fixed.Rows)
	tm.Payment = moneytest.USD(t, "1000.00")
	_, err = Compute(tm)
	require.ErrorIs(t, err, ErrInvalidTerms, "no more than a regular period's interest")
}

// TestSolvedPaymentGivenBack: the level payment Compute solves, given back
// as a fixed Payment, gives the same table (a host stores the solved
// payment with the loan and boards it again). Random level terms as in
// TestBillerMatchesCompute, also with the odd first period left unset for
// daily interest (its actual days), long and short first periods and
// quarterly daily periods shorter or longer than a quarter-year.
func TestSolvedPaymentGivenBack(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	modes := []money.RoundingMode{money.HalfUp, money.HalfEven, money.TowardZero, money.Ceiling}
	checked := 0
	for range 800 {
		tm := mortgage(t, "1.00", "0", 1+r.IntN(360))
		tm.Principal = money.MustNew(100+r.Int64N(50_000_000), money.USD)
		tm.AnnualRate = rate.MustPercent([]string{"0", "3.25", "6", "7.125", "19.3", "36"}[r.IntN(6)])
		tm.InterestRounding, tm.PaymentRounding = modes[r.IntN(len(modes))], modes[r.IntN(len(modes))]
		if r.IntN(2) == 0 {
			tm.Frequency, tm.FirstDueDate = schedule.EveryMonths(3), date.New(2024, time.April, 1)
		}
		if r.IntN(2) == 0 {
			tm.InterestMethod = InterestDaily
			tm.DayCount = accrual.DayCount{Convention: []accrual.Convention{accrual.Act365Fixed, accrual.Act360, accrual.ActActISDA}[r.IntN(3)]}
		}
		switch r.IntN(4) {
		case 1:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-date.Date(1+r.IntN(60)), OddActualPeriod
		case 2:
			tm.FundingDate, tm.OddFirstPeriod = tm.FundingDate-date.Date(1+r.IntN(60)), OddPrepaid
		case 3:
			if tm.InterestMethod == InterestDaily {
				tm.FundingDate = tm.FundingDate - date.Date(1+r.IntN(60)) // unset: daily over the actual days
			}
		}
		tb, err := Compute(tm)
		if err != nil || len(tb.Rows) > 2 && !tb.Rows[1].Principal.IsPositive() {
			continue // refused, or a payment rounded down to the interest: it never amortizes
		}
		tm.Payment = tb.Payment
		again, err := Compute(tm)
		require.NoError(t, err, "terms %+v", tm)
		require.Equal(t, tb.Rows, again.Rows, "terms %+v", tm)
		checked++
	}
	require.Greater(t, checked, 600)
}

// TestBillerRecastMatchesModify: re-amortizing after installment k with the
// Biller (Reamortize, then Bill with the step in force) gives Modify's rows, for
// level (with interest-only installments still ahead), equal-principal and
// graduated loans, with and without a term extension and a curtailment.
func TestBillerRecastMatchesModify(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	compared := 0
	for i := range 300 {
		n := 6 + r.IntN(120)
		tm := mortgage(t, "1.00", "0", n)
		tm.Principal = money.MustNew(100_000+r.Int64N(50_000_000), money.USD)
		tm.AnnualRate = rate.MustPercent([]string{"0", "4.5", "7.125", "18"}[r.IntN(4)])
		switch i % 3 {
		case 1:
			tm.Shape = ShapeEqualPrincipal
		case 2:
			tm.Shape = ShapeGraduated
			tm.Graduation = Graduation{StepRate: rate.MustPercent("7.5"), EveryInstallments: 1 + r.IntN(n/3), Steps: 1 + r.IntN(4)}
		}
		if i%3 != 2 && r.IntN(3) == 0 {
			tm.InterestOnly = 1 + r.IntN(n/2)
		}
		orig, err := Compute(tm)
		require.NoError(t, err)
		m := Modification{AfterInstallment: r.IntN(len(orig.Rows) - 1), ExtraInstallments: r.IntN(3) * 6}
		if r.IntN(2) == 0 {
			m.Curtailment = money.MustNew(r.Int64N(tm.Principal.Minor()/4), money.USD)
		}
		want, err := Modify(tm, m)
		if err != nil {
			continue
		}
		ext := tm
		ext.Installments += m.ExtraInstallments
		b, err := NewBiller(ext)
		require.NoError(t, err)
		bal := tm.Principal
		if m.AfterInstallment > 0 {
			bal = orig.Rows[m.AfterInstallment-1].Balance
		}
		bal = bal.Sub(m.Curtailment)
		steps, err := b.Reamortize(m.AfterInstallment+1, ext.Installments, bal)
		require.NoError(t, err)
		for k, w := range want.Rows {
			nn := m.AfterInstallment + 1 + k
			rc := money.Amount{}
			for _, s := range steps {
				if s.From <= nn {
					rc = s.Amount
				}
			}
			row, err := b.Bill(nn, bal, rc, nn == ext.Installments)
			require.NoError(t, err)
			require.True(t, row.Payment.Equal(w.Payment) && row.Interest.Equal(w.Interest) && row.Balance.Equal(w.Balance),
				"case %d row %d: modify %+v, biller %+v", i, nn, w, row)
			bal = row.Balance
		}
		compared++
	}
	require.Greater(t, compared, 250)
}

// A biller of terms with a down payment bills the rows of the rest, as
// Compute's table has them (ExampleCompute_downPayment's loan), and bad
// down payments are refused naming Terms.DownPayment.
func TestBillerDownPayment(t *testing.T) {
	tm := Terms{
		Principal: money.MustParse("10000.00", money.USD), DownPayment: money.MustParse("2500.00", money.USD),
		AnnualRate: rate.MustPercent("12"), Installments: 12, Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
		FundingDate: date.New(2024, 1, 1), FirstDueDate: date.New(2024, 2, 1), Shape: ShapeLevel, InterestMethod: InterestPeriodic,
		DayCount: accrual.DayCount{Convention: accrual.Thirty360US}, InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp,
	}
	tb, err := Compute(tm)
	require.NoError(t, err)
	require.Equal(t, "7500.00", tb.Principal.String())
	bl, err := NewBiller(tm)
	require.NoError(t, err)
	bal := tb.Principal
	for _, row := range tb.Rows {
		got, err := bl.Bill(row.N, bal, money.Amount{}, row.N == len(tb.Rows))
		require.NoError(t, err)
		require.Equal(t, row, got, "row %d", row.N)
		bal = got.Balance
	}
	require.Equal(t, "10000.00", tb.DownPayment.Principal.Add(tb.Totals.Principal).String())
	for _, bad := range []string{"10000.00", "-1.00", "12000.00"} {
		tm.DownPayment = money.MustParse(bad, money.USD)
		_, err := Compute(tm)
		require.ErrorIs(t, err, ErrInvalidTerms)
		require.Equal(t, []string{"Terms.DownPayment"}, field.Fields(err), bad)
	}
}
