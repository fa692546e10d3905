package tape_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/tape"
	"github.com/stretchr/testify/require"
)

// losColumns are the sample LOS export's own header names.
var losColumns = map[string]string{"Loan Number": "loan_id", "Borrower ID": "borrower", "Program": "product",
	"Note Amount": "principal", "Note Rate": "annual_rate", "Funded": "funding_date",
	"First Payment": "first_due_date", "Escrow Amt": "escrow_payment"}

func readFile(t *testing.T, name string, o tape.Options) (tape.Tape, error) {
	t.Helper()
	f, err := os.Open("../testdata/tape/" + name)
	require.NoError(t, err)
	defer f.Close()
	return tape.Read(f, o)
}

// TestReadMortgagesTape reads testdata/tape/mortgages.csv: three loans
// under built-in products, their payments solved as boarding solves them.
func TestReadMortgagesTape(t *testing.T) {
	tp, err := readFile(t, "mortgages.csv", tape.Options{Products: product.Builtin()})
	require.NoError(t, err)
	require.Equal(t, 3, tp.Rows)
	require.Empty(t, tp.Errors)
	require.Len(t, tp.Loans, 3)
	want := []struct {
		row                   int
		id, product, payment  string
		escrow                string
		installments          int
		principal, annualRate string
	}{
		// 300000.00 at 6.5 %/12 over 360: P·i·(1+i)^n / ((1+i)^n − 1) with
		// i = 0.065/12 = 0.00541667, (1+i)^360 = 6.991797, so
		// 1625.00 × 6.991797 / 5.991797 = 1896.204 → 1896.20.
		{2, "MTG-3001", "mortgage_30_fixed", "1896.20", "0.00", 360, "300000.00", "6.5%"},
		// 200000.00 at 0.5 % a month over 180: 1.005^180 = 2.454094,
		// 1000.00 × 2.454094 / 1.454094 = 1687.714 → 1687.71; escrow as given.
		{3, "MTG-3002", "mortgage_15_fixed", "1687.71", "350.00", 180, "200000.00", "6%"},
		// Daily simple interest on actual/365, due on the 10th from
		// 10 Feb 2025: the level payment is 24000.00 / Σₖ Πⱼ≤ₖ 1/(1 + 7.9 % ×
		// dⱼ/365) over the 48 periods' actual days (31, 28, 31, 30, ...),
		// worked in exact fractions: 584.7092 → 584.71 (the monthly-rate
		// formula would give 584.78).
		{4, "AUTO-4001", "auto_loan", "584.71", "0.00", 48, "24000.00", "7.9%"},
	}
	for i, w := range want {
		l := tp.Loans[i]
		require.Equal(t, w.row, l.Row)
		require.Equal(t, w.id, l.ID)
		require.Equal(t, w.product, l.Request.Product)
		require.Equal(t, 1, l.Request.ProductVersion)
		n, err := l.Request.Terms.Normalized()
		require.NoError(t, err)
		require.True(t, n.Payment.Equal(money.MustParse(w.payment, money.USD)), "%s payment %s, want %s", w.id, n.Payment, w.payment)
		require.True(t, n.EscrowPayment.Equal(money.MustParse(w.escrow, money.USD)), "%s escrow %s", w.id, n.EscrowPayment)
		require.True(t, n.Principal.Equal(money.MustParse(w.principal, money.USD)))
		require.Zero(t, n.AnnualRate.Cmp(rate.MustParse(w.annualRate)))
		require.Equal(t, w.installments, n.Installments)
	}
	require.Equal(t, "LOS-2025-3002", tp.Loans[1].Request.LOSReference)
}

// TestReadLOSExport reads testdata/tape/los_export.csv under its own
// header names: one good row, and every problem of the others named by
// row and by the column as the LOS calls it.
func TestReadLOSExport(t *testing.T) {
	tp, err := readFile(t, "los_export.csv", tape.Options{Products: product.Builtin(), Columns: losColumns})
	require.ErrorIs(t, err, tape.ErrInvalidTape)
	require.Equal(t, 5, tp.Rows)
	require.Len(t, tp.Loans, 1)
	require.Equal(t, "MTG-5001", tp.Loans[0].ID)
	n, err2 := tp.Loans[0].Request.Terms.Normalized()
	require.NoError(t, err2)
	// 250000.00 at 6.25 %/12 over 360: (1+i)^360 = 9.4899, 1302.08 ×
	// 9.4899/8.4899 = 1539.29.
	require.Equal(t, "1539.29", n.Payment.String())
	type cellErr struct {
		row    int
		column string
		is     error
	}
	want := []cellErr{
		{3, "Note Rate", field.ErrInvalid},      // 6.5 without its unit
		{4, "Funded", field.ErrInvalid},         // 30 February
		{4, "Note Amount", field.ErrOutOfRange}, // above the product's 832,750.00
		{4, "First Payment", field.ErrInvalid},  // the product falls due on the 1st
		{5, "Loan Number", field.ErrInvalid},    // MTG-5001 again
		{6, "Borrower ID", field.ErrRequired},   // empty
	}
	var got []cellErr
	for _, e := range tp.Errors {
		got = append(got, cellErr{e.Row, e.Column, errors.Unwrap(e.Err)})
		require.ErrorIs(t, err, e.Err, "the returned error reaches every cell's")
	}
	require.Equal(t, want, got)
	var te *tape.Error
	require.ErrorAs(t, err, &te)
	var fe *field.Error
	require.ErrorAs(t, err, &fe)
}

func TestReadHeaderProblems(t *testing.T) {
	for _, c := range []struct {
		name, csv string
		columns   []string
	}{
		{"unknown header", "loan_id,borrower,Note Rate\nL1,B1,6%\n", []string{"Note Rate"}},
		{"required columns missing", "principal\n100.00\n", []string{"loan_id", "borrower"}},
		{"column twice", "loan_id,borrower,LOAN_ID\nL1,B1,L2\n", []string{"LOAN_ID"}},
		{"empty tape", "", []string{""}},
		{"mapped to no column", "loan_id,borrower,Rate\nL1,B1,6%\n", []string{"Rate"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tp, err := tape.Read(strings.NewReader(c.csv), tape.Options{Columns: map[string]string{"rate": "annual_rat"}})
			require.ErrorIs(t, err, tape.ErrInvalidTape)
			require.Empty(t, tp.Loans)
			var cols []string
			for _, e := range tp.Errors {
				require.Equal(t, 1, e.Row)
				cols = append(cols, e.Column)
			}
			require.Equal(t, c.columns, cols)
		})
	}
}

func TestReadRowProblems(t *testing.T) {
	const head = "loan_id,borrower,product,principal,annual_rate,funding_date,first_due_date\n"
	good := "L1,B1,mortgage_30_fixed,100000.00,6%,2025-01-15,2025-03-01\n"
	for _, c := range []struct {
		name, row string
		o         tape.Options
		column    string
		is        error
	}{
		{"too few cells", "L2,B2,mortgage_30_fixed\n", tape.Options{Products: product.Builtin()}, "", field.ErrInvalid},
		{"no catalogue for a product", good, tape.Options{}, "product", field.ErrNotSupported},
		{"unknown product", "L2,B2,boat_loan,100000.00,6%,2025-01-15,2025-03-01\n", tape.Options{Products: product.Builtin()}, "product", product.ErrUnknownProduct},
		{"no loan id", ",B2,mortgage_30_fixed,100000.00,6%,2025-01-15,2025-03-01\n", tape.Options{Products: product.Builtin()}, "loan_id", field.ErrRequired},
	} {
		t.Run(c.name, func(t *testing.T) {
			tp, err := tape.Read(strings.NewReader(head+c.row), c.o)
			require.ErrorIs(t, err, tape.ErrInvalidTape)
			require.ErrorIs(t, err, c.is)
			require.Empty(t, tp.Loans)
			require.Len(t, tp.Errors, 1)
			require.Equal(t, 2, tp.Errors[0].Row)
			require.Equal(t, c.column, tp.Errors[0].Column)
		})
	}
	// The limit on rows.
	tp, err := tape.Read(strings.NewReader(head+good+strings.Replace(good, "L1", "L2", 1)), tape.Options{Products: product.Builtin(), MaxRows: 1})
	require.ErrorIs(t, err, field.ErrOutOfRange)
	require.Len(t, tp.Loans, 1)
}

// TestReadWholeTerms: a row without a product gives its terms whole through
// terms.<member> columns, read as loan.ParseBoarding reads them; a member
// the terms do not have is named by its column.
func TestReadWholeTerms(t *testing.T) {
	head := "loan_id,borrower,principal,annual_rate,installments,funding_date,first_due_date,terms.currency,terms.frequency," +
		"terms.eom,terms.shape,terms.interest_method,terms.day_count,terms.interest_rounding,terms.payment_rounding,terms.accrual,terms.delinquency\n"
	row := `P1,B1,12000.00,12%,12,2025-01-01,2025-02-01,USD,"{""unit"":""month"",""every"":1}",anchor,level,periodic,"{""convention"":""30U_360_EOM""}",half_even,half_even,scheduled,"{""recognition"":""full"",""method"":""days_past_due"",""status"":{""delinquent_days"":30,""default_days"":90,""non_accrual_days"":90,""charge_off_days"":180,""charge_off"":""regular""}}"` + "\n"
	tp, err := tape.Read(strings.NewReader(head+row), tape.Options{})
	require.NoError(t, err)
	require.Len(t, tp.Loans, 1)
	n, err := tp.Loans[0].Request.Terms.Normalized()
	require.NoError(t, err)
	// 12000.00 at 1 % a month over 12: 1.01^12 = 1.126825, 120.00 ×
	// 1.126825/0.126825 = 1066.185 → 1066.19.
	require.Equal(t, "1066.19", n.Payment.String())

	bad := strings.Replace(head, "terms.accrual", "terms.acrual", 1)
	tp, err = tape.Read(strings.NewReader(bad+row), tape.Options{})
	require.ErrorIs(t, err, tape.ErrInvalidTape)
	require.Empty(t, tp.Loans)
	var cols []string
	for _, e := range tp.Errors {
		cols = append(cols, e.Column)
	}
	require.Contains(t, cols, "terms.acrual")
}
