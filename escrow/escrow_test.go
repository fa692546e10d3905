package escrow_test

import (
	"errors"
	"testing"
	"time"

	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/moneytest"
	"github.com/lendcore/servicing/money"
	"github.com/stretchr/testify/require"
)

// appendixE is the input of Reg X (12 CFR 1024) Appendix E: school taxes $360
// paid Sep 20, county taxes $500 paid Jul 25 and $700 paid Dec 10, cushion
// 1/6, settlement May 15, first payment Jul 1.
func appendixE(t testing.TB, m escrow.Method) escrow.Analysis {
	return escrow.Analysis{
		Method:            m,
		Currency:          money.USD,
		FirstPaymentMonth: time.July,
		Disbursements: []escrow.Disbursement{
			{Item: "school taxes", Month: time.September, Amount: moneytest.USD(t, "360")},
			{Item: "county taxes", Month: time.July, Amount: moneytest.USD(t, "500")},
			{Item: "county taxes", Month: time.December, Amount: moneytest.USD(t, "700")},
		},
		Cushion:         escrow.MaxCushion(),
		Rounding:        money.HalfUp,
		CurrentBalance:  money.Zero(money.USD),
		BorrowerCurrent: true,
	}
}

var months = []time.Month{time.June, time.July, time.August, time.September, time.October, time.November,
	time.December, time.January, time.February, time.March, time.April, time.May, time.June}

// requireRows checks months, payments, disbursements and balances of a trial
// balance whose payment is the same every month and whose bills are those
// of Appendix E (Jul 500, Sep 360, Dec 700).
func requireRows(t *testing.T, rows []escrow.Row, payment string, balances []string) {
	t.Helper()
	require.Len(t, rows, escrow.Rows)
	bills := map[time.Month]string{time.July: "500", time.September: "360", time.December: "700"}
	for i, r := range rows {
		require.Equal(t, months[i], r.Month, "row %d", i)
		wantPay, wantBill := payment, "0"
		if b, ok := bills[r.Month]; ok {
			wantBill = b
		}
		if i == 0 {
			wantPay, wantBill = "0", "0"
		}
		moneytest.Equal(t, wantPay, r.Payment, "row %d payment", i)
		moneytest.Equal(t, wantBill, r.Disbursement, "row %d disbursement", i)
		moneytest.Equal(t, balances[i], r.Balance, "row %d balance", i)
	}
}

// TestAppendixEAggregate checks Appendix E part I ("Example illustrating
// aggregate analysis"): monthly payment $130 (1,560 / 12) and the three trial
// balance tables as printed in the regulation
// (https://www.law.cornell.edu/cfr/text/12/appendix-E_to_part_1024).
func TestAppendixEAggregate(t *testing.T) {
	r, err := escrow.Analyze(appendixE(t, escrow.Aggregate))
	require.NoError(t, err)
	moneytest.Equal(t, "1560", r.AnnualDisbursements)
	moneytest.Equal(t, "130", r.MonthlyPayment)
	moneytest.Equal(t, "260", r.Cushion)
	requireRows(t, r.Step1, "130", []string{"0", "-370", "-240", "-470", "-340", "-210", "-780", "-650", "-520", "-390", "-260", "-130", "0"})
	requireRows(t, r.Step2, "130", []string{"780", "410", "540", "310", "440", "570", "0", "130", "260", "390", "520", "650", "780"})
	requireRows(t, r.Step3, "130", []string{"1040", "670", "800", "570", "700", "830", "260", "390", "520", "650", "780", "910", "1040"})
	moneytest.Equal(t, "1040", r.TargetBalance)
	moneytest.Equal(t, "260", r.LowPoint)
	require.Equal(t, 6, r.LowPointRow) // December
	// A new account (balance 0) is short the whole target: the initial deposit.
	moneytest.Equal(t, "1040", r.Shortage)
	moneytest.Equal(t, "0", r.Surplus)
	moneytest.Equal(t, "0", r.Deficiency)
	require.Nil(t, r.Items)
}

// TestSingleItem checks single-item analysis of the Appendix E bills, with
// the two county bills as one item. Hand calculation:
//
//	county: annual 1,200, monthly 100, cushion 200. Step 1 from Jun 0:
//	  Jul −400, Aug −300, Sep −200, Oct −100, Nov 0, Dec −600, Jan −500, Feb −400,
//	  Mar −300, Apr −200, May −100, Jun 0. Lowest −600 → target 600 + 200 = 800.
//	school: annual 360, monthly 30, cushion 60. Step 1: Jul 30, Aug 60, Sep −270,
//	  then +30 a month to Jun 0. Lowest −270 → target 270 + 60 = 330.
//	account: monthly 130, cushion 260, target 1,130 (90 more than aggregate);
//	  step 3 = county + school: Jun 1130, Jul 760, Aug 890, Sep 660, Oct 790,
//	  Nov 920, Dec 350, Jan 480, Feb 610, Mar 740, Apr 870, May 1000, Jun 1130.
func TestSingleItem(t *testing.T) {
	r, err := escrow.Analyze(appendixE(t, escrow.SingleItem))
	require.NoError(t, err)
	require.Len(t, r.Items, 2)
	school, county := r.Items[0], r.Items[1]
	require.Equal(t, "school taxes", school.Name)
	require.Equal(t, "county taxes", county.Name)
	moneytest.Equal(t, "100", county.MonthlyPayment)
	moneytest.Equal(t, "200", county.Cushion)
	moneytest.Equal(t, "800", county.TargetBalance)
	moneytest.Equal(t, "30", school.MonthlyPayment)
	moneytest.Equal(t, "60", school.Cushion)
	moneytest.Equal(t, "330", school.TargetBalance)
	wantCounty := []string{"0", "-400", "-300", "-200", "-100", "0", "-600", "-500", "-400", "-300", "-200", "-100", "0"}
	wantSchool := []string{"0", "30", "60", "-270", "-240", "-210", "-180", "-150", "-120", "-90", "-60", "-30", "0"}
	for i := range escrow.Rows {
		moneytest.Equal(t, wantCounty[i], county.Step1[i].Balance, "county row %d", i)
		moneytest.Equal(t, wantSchool[i], school.Step1[i].Balance, "school row %d", i)
	}
	moneytest.Equal(t, "130", r.MonthlyPayment)
	moneytest.Equal(t, "260", r.Cushion)
	moneytest.Equal(t, "1130", r.TargetBalance)
	requireRows(t, r.Step3, "130", []string{"1130", "760", "890", "660", "790", "920", "350", "480", "610", "740", "870", "1000", "1130"})
	moneytest.Equal(t, "350", r.LowPoint)
	require.Equal(t, 6, r.LowPointRow)
}

// TestRounding checks the declared rounding of the monthly payment and the
// floor of the cushion. One bill of 1,000.00 paid in December, first payment
// in January (so the bill falls in the last row), cushion 1/6:
//
//	cushion = ⌊1000.00 / 6⌋ = 166.66 in every case.
//	Ceiling: monthly ⌈83.333…⌉ = 83.34; Dec row = 12·83.34 − 1000 = 0.08; lowest
//	  balance 0 (opening row) → target 166.66, low point at row 0.
//	Floor: monthly 83.33; Dec row = 999.96 − 1000 = −0.04 → target 0.04 + 166.66
//	  = 166.70, low point in December (row 12).
//	HalfEven: 83.333… → 83.33, as Floor.
func TestRounding(t *testing.T) {
	tests := []struct {
		name     string
		mode     money.RoundingMode
		monthly  string
		lastBal1 string
		target   string
		lowRow   int
	}{
		{"ceiling", money.Ceiling, "83.34", "0.08", "166.66", 0},
		{"floor", money.Floor, "83.33", "-0.04", "166.70", 12},
		{"half even", money.HalfEven, "83.33", "-0.04", "166.70", 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := escrow.Analysis{
				Method: escrow.Aggregate, Currency: money.USD, FirstPaymentMonth: time.January,
				Disbursements: []escrow.Disbursement{{Month: time.December, Amount: moneytest.USD(t, "1000.00")}},
				Cushion:       escrow.MaxCushion(), Rounding: tt.mode, BorrowerCurrent: true,
			}
			r, err := escrow.Analyze(a)
			require.NoError(t, err)
			moneytest.Equal(t, tt.monthly, r.MonthlyPayment)
			moneytest.Equal(t, "166.66", r.Cushion)
			moneytest.Equal(t, tt.lastBal1, r.Step1[12].Balance)
			require.Equal(t, time.December, r.Step1[12].Month)
			moneytest.Equal(t, tt.target, r.TargetBalance)
			moneytest.Equal(t, "166.66", r.LowPoint)
			require.Equal(t, tt.lowRow, r.LowPointRow)
		})
	}
}

// TestDispositions checks surplus, shortage and deficiency against the
// Appendix E target of 1,040 and monthly payment of 130 (Reg X
// §1024.17(f)(2)–(4)); each amount is 1,040 minus the balance, worked by hand,
// and the projected low point is the balance + −780 (the step-1 low point).
func TestDispositions(t *testing.T) {
	refund30 := escrow.Option{Action: escrow.Refund, Days: 30}
	ignore := escrow.Option{Action: escrow.Ignore}
	collect30 := escrow.Option{Action: escrow.Collect, Days: 30}
	spread12 := escrow.Option{Action: escrow.Spread, MinMonths: 12}
	spread2 := escrow.Option{Action: escrow.Spread, MinMonths: 2}
	tests := []struct {
		name                          string
		balance                       string
		current                       bool
		surplus, shortage, deficiency string
		surOpt, shortOpt, defOpt      []escrow.Option
		projectedLow                  string
	}{
		{"on target", "1040", true, "0", "0", "0", nil, nil, nil, "260"},
		{"surplus 60 current: refund", "1100", true, "60", "0", "0", []escrow.Option{refund30}, nil, nil, "320"},
		{"surplus exactly 50: refund", "1090", true, "50", "0", "0", []escrow.Option{refund30}, nil, nil, "310"},
		{"surplus 49.99: refund or credit", "1089.99", true, "49.99", "0", "0",
			[]escrow.Option{{Action: escrow.Refund}, {Action: escrow.Credit}}, nil, nil, "309.99"},
		{"surplus not current: retain", "1100", false, "60", "0", "0", []escrow.Option{{Action: escrow.Retain}}, nil, nil, "320"},
		{"shortage 40 < one month", "1000", true, "0", "40", "0", nil, []escrow.Option{ignore, collect30, spread12}, nil, "220"},
		{"shortage 130 = one month", "910", true, "0", "130", "0", nil, []escrow.Option{ignore, spread12}, nil, "130"},
		{"shortage 140 > one month", "900", false, "0", "140", "0", nil, []escrow.Option{ignore, spread12}, nil, "120"},
		{"deficiency 100 < one month", "-100", true, "0", "1040", "100", nil,
			[]escrow.Option{ignore, spread12}, []escrow.Option{ignore, collect30, spread2}, "-880"},
		{"deficiency 130 = one month", "-130", true, "0", "1040", "130", nil,
			[]escrow.Option{ignore, spread12}, []escrow.Option{ignore, spread2}, "-910"},
		{"deficiency not current", "-200", false, "0", "1040", "200", nil,
			[]escrow.Option{ignore, spread12}, []escrow.Option{{Action: escrow.PerLoanDocuments}}, "-980"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appendixE(t, escrow.Aggregate)
			a.CurrentBalance = moneytest.USD(t, tt.balance)
			a.BorrowerCurrent = tt.current
			r, err := escrow.Analyze(a)
			require.NoError(t, err)
			moneytest.Equal(t, tt.surplus, r.Surplus)
			moneytest.Equal(t, tt.shortage, r.Shortage)
			moneytest.Equal(t, tt.deficiency, r.Deficiency)
			require.Equal(t, tt.surOpt, r.SurplusOptions)
			require.Equal(t, tt.shortOpt, r.ShortageOptions)
			require.Equal(t, tt.defOpt, r.DeficiencyOptions)
			low := r.Projected[0].Balance
			for _, row := range r.Projected {
				low = money.Min(low, row.Balance)
			}
			moneytest.Equal(t, tt.projectedLow, low, "projected low point")
			moneytest.Equal(t, tt.balance, r.Projected[0].Balance)
		})
	}
}

// TestSurplusThresholdJPY checks that the $50 threshold is 50 major units in a
// zero-scale currency: 50 yen refunds, 49 yen may be credited.
func TestSurplusThresholdJPY(t *testing.T) {
	require.Equal(t, []escrow.Option{{Action: escrow.Refund, Days: 30}},
		escrow.SurplusOptions(money.MustNew(50, money.JPY), true))
	require.Equal(t, []escrow.Option{{Action: escrow.Refund}, {Action: escrow.Credit}},
		escrow.SurplusOptions(money.MustNew(49, money.JPY), true))
}

func TestOptionString(t *testing.T) {
	require.Equal(t, "collect within 30 days", escrow.Option{Action: escrow.Collect, Days: 30}.String())
	require.Equal(t, "spread over ≥ 12 months", escrow.Option{Action: escrow.Spread, MinMonths: 12}.String())
	require.Equal(t, "ignore", escrow.Option{Action: escrow.Ignore}.String())
}

// TestCushionCap checks the 1/6 cap of §1024.17(c)(1) on the exact fraction.
func TestCushionCap(t *testing.T) {
	tests := []struct {
		name    string
		cushion escrow.Fraction
		ok      bool
		amount  string // cushion of the Appendix E annual 1,560
	}{
		{"none", escrow.Fraction{Num: 0, Den: 1}, true, "0"},
		{"one sixth", escrow.Fraction{Num: 1, Den: 6}, true, "260"},
		{"two twelfths", escrow.Fraction{Num: 2, Den: 12}, true, "260"},
		{"one twelfth", escrow.Fraction{Num: 1, Den: 12}, true, "130"},
		{"just above one sixth", escrow.Fraction{Num: 1_000_001, Den: 6_000_000}, false, ""},
		{"one fifth", escrow.Fraction{Num: 1, Den: 5}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appendixE(t, escrow.Aggregate)
			a.Cushion = tt.cushion
			r, err := escrow.Analyze(a)
			if tt.ok {
				require.NoError(t, err)
				moneytest.Equal(t, tt.amount, r.Cushion)
				return
			}
			require.ErrorIs(t, err, escrow.ErrInvalidAnalysis)
			require.ErrorIs(t, err, escrow.ErrCushionAboveCap)
			require.ErrorIs(t, err, field.ErrOutOfRange)
			require.Equal(t, []string{"Analysis.Cushion"}, field.Fields(err))
		})
	}
}

// TestValidate checks that every bad field is named.
func TestValidate(t *testing.T) {
	usd := func(s string) money.Amount { return moneytest.USD(t, s) }
	tests := []struct {
		name   string
		edit   func(a *escrow.Analysis)
		fields []string
		is     error
	}{
		{"no method", func(a *escrow.Analysis) { a.Method = "" }, []string{"Analysis.Method"}, field.ErrRequired},
		{"bad method", func(a *escrow.Analysis) { a.Method = "pooled" }, []string{"Analysis.Method"}, field.ErrNotSupported},
		{"no currency", func(a *escrow.Analysis) { a.Currency = money.Currency{} }, []string{"Analysis.Currency"}, field.ErrInvalid},
		{"month 0", func(a *escrow.Analysis) { a.FirstPaymentMonth = 0 }, []string{"Analysis.FirstPaymentMonth"}, field.ErrOutOfRange},
		{"month 13", func(a *escrow.Analysis) { a.FirstPaymentMonth = 13 }, []string{"Analysis.FirstPaymentMonth"}, field.ErrOutOfRange},
		{"zero cushion fraction", func(a *escrow.Analysis) { a.Cushion = escrow.Fraction{} }, []string{"Analysis.Cushion.Den"}, field.ErrOutOfRange},
		{"negative cushion", func(a *escrow.Analysis) { a.Cushion = escrow.Fraction{Num: -1, Den: 6} }, []string{"Analysis.Cushion.Num"}, field.ErrOutOfRange},
		{"no rounding", func(a *escrow.Analysis) { a.Rounding = "" }, []string{"Analysis.Rounding"}, field.ErrRequired},
		{"bad rounding", func(a *escrow.Analysis) { a.Rounding = "up" }, []string{"Analysis.Rounding"}, field.ErrNotSupported},
		{"balance in EUR", func(a *escrow.Analysis) { a.CurrentBalance = money.MustNew(1, money.EUR) }, []string{"Analysis.CurrentBalance"}, field.ErrInvalid},
		{"bill month", func(a *escrow.Analysis) { a.Disbursements[1].Month = 0 }, []string{"Analysis.Disbursements[1].Month"}, field.ErrOutOfRange},
		{"negative bill", func(a *escrow.Analysis) { a.Disbursements[2].Amount = usd("-1") }, []string{"Analysis.Disbursements[2].Amount"}, field.ErrOutOfRange},
		{"bill in EUR", func(a *escrow.Analysis) { a.Disbursements[0].Amount = money.MustNew(1, money.EUR) }, []string{"Analysis.Disbursements[0].Amount"}, field.ErrInvalid},
		{"single item without name", func(a *escrow.Analysis) { a.Method = escrow.SingleItem; a.Disbursements[0].Item = "" },
			[]string{"Analysis.Disbursements[0].Item"}, field.ErrRequired},
		{"total too large", func(a *escrow.Analysis) {
			a.Disbursements[0].Amount = money.MustNew(money.MaxMinor, money.USD)
		}, []string{"Analysis.Disbursements"}, field.ErrOutOfRange},
		{"too many bills", func(a *escrow.Analysis) {
			a.Disbursements = make([]escrow.Disbursement, escrow.MaxDisbursements+1)
		}, []string{"Analysis.Disbursements"}, field.ErrOutOfRange},
		{"every field at once", func(a *escrow.Analysis) {
			*a = escrow.Analysis{Disbursements: []escrow.Disbursement{{Month: 14}}}
		}, []string{"Analysis.Method", "Analysis.Currency", "Analysis.FirstPaymentMonth", "Analysis.Cushion.Den",
			"Analysis.Rounding", "Analysis.Disbursements[0].Month"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appendixE(t, escrow.Aggregate)
			tt.edit(&a)
			_, err := escrow.Analyze(a)
			require.ErrorIs(t, err, escrow.ErrInvalidAnalysis)
			require.Equal(t, tt.fields, field.Fields(err))
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
		})
	}
}

// TestNoDisbursements: an account with no bills needs nothing and has no
// cushion; any balance is a surplus.
func TestNoDisbursements(t *testing.T) {
	a := appendixE(t, escrow.Aggregate)
	a.Disbursements = nil
	a.CurrentBalance = moneytest.USD(t, "75")
	r, err := escrow.Analyze(a)
	require.NoError(t, err)
	moneytest.Equal(t, "0", r.MonthlyPayment)
	moneytest.Equal(t, "0", r.TargetBalance)
	moneytest.Equal(t, "75", r.Surplus)
	require.Equal(t, []escrow.Option{{Action: escrow.Refund, Days: 30}}, r.SurplusOptions)
}
