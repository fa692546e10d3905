package product_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/schedule"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// payload is a product boarding payload: the product, the terms members
// given as "member": raw JSON, and the borrower.
func payload(name string, terms ...string) []byte {
	return fmt.Appendf(nil, `{"product":%q,"terms":{%s},"borrower":"B-1"}`, name, strings.Join(terms, ","))
}

// fields counts the product and terms members of a payload: what a loan
// of the product has to say.
func fields(t *testing.T, b []byte) int {
	t.Helper()
	var w struct {
		Terms map[string]json.RawMessage `json:"terms"`
	}
	require.NoError(t, json.Unmarshal(b, &w))
	return 1 + len(w.Terms)
}

// boardProduct reads payload through the built-in catalogue and boards it
// through the engine (in memory), returning the store and the state on the
// funding date.
func boardProduct(t *testing.T, b []byte) (*servicingtest.MemStore, *servicing.Engine, loan.State) {
	t.Helper()
	ctx := context.Background()
	req, err := product.Builtin().ParseBoarding(b)
	require.NoError(t, err)
	store := servicingtest.NewMemStore()
	tick := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e, err := servicing.New(servicing.Config{Store: store, Now: func() time.Time { tick = tick.Add(time.Second); return tick }})
	require.NoError(t, err)
	_, err = e.Board(ctx, "L-1", req, servicing.Meta{IdempotencyKey: "board", Actor: "test"})
	require.NoError(t, err)
	s, err := e.State(ctx, "L-1", req.Terms.FundingDate)
	require.NoError(t, err)
	return store, e, s
}

// TestBuiltinProductsBoard boards each built-in product from a payload of
// at most five fields (product, principal, rate, funding date, first due
// date; the borrower is the loan's, not its terms) and checks the payment
// the borrower is told, each worked apart from the code:
//
//   - mortgage_30_fixed: 300,000.00 at 6.5 % over 360 months. The annuity
//     P·r/(1−(1+r)^−n) with r = 0.065/12 = 0.0054166…: (1+r)^360 = 6.991798,
//     so 300,000 × 0.0054166… / (1 − 1/6.991798) = 1,625.00 / 0.856975 =
//     1,896.204… → 1,896.20 (any mortgage table: 1,896.20).
//   - mortgage_15_fixed: 300,000.00 at 6 % over 180: r = 0.005, 1.005^180 =
//     2.454094, 1,500.00 / (1 − 1/2.454094) = 1,500 / 0.592518 = 2,531.570…
//     → 2,531.57 (three times the table figure 843.86 for 100,000).
//   - mortgage_arm_5_1: 400,000.00 at an initial 5.5 % over 360, solved at
//     the initial rate: r = 0.0045833…, (1+r)^360 = 5.187388, 1,833.33… /
//     (1 − 1/5.187388) = 1,833.33 / 0.807225 = 2,271.156… → 2,271.16.
//   - auto_loan: 30,000.00 at 7 % over the default 60 months, funded 10 Jan
//     2025, due the 10th from 10 Feb 2025. Daily simple interest solves
//     the level payment over the actual periods: with g_k = 0.07 × d_k/365
//     for the k-th period's d_k days (31, 28, 31, …: 1,826 days to 10 Jan
//     2030, the leap day of 2028 among them), the exact payment is
//     30,000 · Π(1+g_k) / Σ_k Π_{j>k}(1+g_j) = 593.984… → 593.98 (exact
//     fractions, worked apart; the 30/360 annuity would be 594.04).
//   - personal_loan: 10,000.00 at 12 % over the default 36 months, funded
//     10 Jan 2025, due the 10th: the same sum over 1,095 actual days with
//     g_k = 0.12 × d_k/365 gives 332.056… → 332.06 (the 30/360 annuity
//     332.14).
//   - bridge_loan: 500,000.00 at 9 %: eleven payments of interest only,
//     500,000 × 0.09/12 = 3,750.00, then the balance with its month's
//     interest, 503,750.00.
//   - consumer_add_on: 10,000.00 at a 6 % add-on rate over the default 36
//     months: finance charge 10,000 × 0.06 × 36/12 = 1,800.00, total of
//     payments 11,800.00, installment 11,800/36 = 327.777… → 327.78, the
//     last 11,800 − 35 × 327.78 = 327.70.
func TestBuiltinProductsBoard(t *testing.T) {
	for _, tt := range []struct {
		name, principal, rate, funding, firstDue string
		payment, last                            string
		installments                             int
	}{
		{"mortgage_30_fixed", "300000.00", "6.5%", "2025-01-15", "2025-03-01", "1896.20", "", 360},
		{"mortgage_15_fixed", "300000.00", "6%", "2025-01-15", "2025-03-01", "2531.57", "", 180},
		{"mortgage_arm_5_1", "400000.00", "5.5%", "2025-01-15", "2025-03-01", "2271.16", "", 360},
		{"auto_loan", "30000.00", "7%", "2025-01-10", "2025-02-10", "593.98", "", 60},
		{"personal_loan", "10000.00", "12%", "2025-01-10", "2025-02-10", "332.06", "", 36},
		{"bridge_loan", "500000.00", "9%", "2025-01-15", "2025-03-01", "3750.00", "503750.00", 12},
		{"consumer_add_on", "10000.00", "6%", "2025-01-10", "2025-02-10", "327.78", "327.70", 36},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := payload(tt.name, `"principal":"`+tt.principal+`"`, `"annual_rate":"`+tt.rate+`"`,
				`"funding_date":"`+tt.funding+`"`, `"first_due_date":"`+tt.firstDue+`"`)
			require.LessOrEqual(t, fields(t, b), 5)
			_, _, s := boardProduct(t, b)
			require.Equal(t, tt.installments, s.Terms.Installments)
			require.Equal(t, tt.principal, s.Principal.String())
			// The engine bills the boarded terms' table (amortize): its
			// first row is the first bill, its payment the state's.
			tb, err := amortize.Compute(s.Terms.Terms)
			require.NoError(t, err)
			require.Equal(t, tt.payment, tb.Rows[0].Payment.String())
			require.True(t, s.Payment.Equal(tb.Payment))
			if tt.last != "" {
				require.Equal(t, tt.last, tb.Rows[len(tb.Rows)-1].Payment.String())
			} else {
				require.Equal(t, tt.payment, s.Payment.String())
			}
		})
	}
}

// TestBridgeLoanPaidAsScheduled pays the bridge loan as its product says:
// 500,000.00 at 9 %, eleven payments of 3,750.00 on the 1st from 1 Mar
// 2025, then 503,750.00 on 1 Feb 2026, which pays it off with 45,000.00
// of interest (12 × 3,750.00).
func TestBridgeLoanPaidAsScheduled(t *testing.T) {
	ctx := context.Background()
	_, e, s := boardProduct(t, payload("bridge_loan", `"principal":"500000.00"`, `"annual_rate":"9%"`,
		`"funding_date":"2025-01-15"`, `"first_due_date":"2025-03-01"`))
	require.Equal(t, 11, s.Terms.InterestOnly)
	due := schedule.Plan{FirstDue: s.Terms.FirstDueDate, Frequency: s.Terms.Frequency, EOM: s.Terms.EOM}
	for k := range 12 {
		amount := "3750.00"
		if k == 11 {
			amount = "503750.00"
		}
		_, err := e.PostPayment(ctx, "L-1", due.DueDate(k), money.MustParse(amount, money.USD),
			servicing.Meta{IdempotencyKey: fmt.Sprint("p", k)})
		require.NoError(t, err, "installment %d", k+1)
	}
	s, err := e.State(ctx, "L-1", date.New(2026, 2, 1))
	require.NoError(t, err)
	require.Equal(t, loan.StatusPaidOff, s.Status)
	require.Equal(t, "45000.00", s.PaidInterest.String())
}

// TestProductOverride: a loan gives a member the product lets it change
// (the auto loan's term, 72 months within 12 to 84) and the default gives
// way: 30,000.00 at 7 % over 72 actual periods from 10 Jan 2025 (2,191
// days to 10 Jan 2031), g_k = 0.07 × d_k/365, solves to 511.434… → 511.43
// (exact fractions as in TestBuiltinProductsBoard; the 30/360 annuity is
// 511.47). The mortgage's escrow payment is the loan's too.
func TestProductOverride(t *testing.T) {
	_, _, s := boardProduct(t, payload("auto_loan", `"principal":"30000.00"`, `"annual_rate":"7%"`,
		`"funding_date":"2025-01-10"`, `"first_due_date":"2025-02-10"`, `"installments":72`))
	require.Equal(t, 72, s.Terms.Installments)
	require.Equal(t, "511.43", s.Payment.String())

	_, _, s = boardProduct(t, payload("mortgage_30_fixed", `"principal":"300000.00"`, `"annual_rate":"6.5%"`,
		`"funding_date":"2025-01-15"`, `"first_due_date":"2025-03-01"`, `"escrow_payment":"412.50"`))
	require.Equal(t, "412.50", s.Terms.EscrowPayment.String())
	require.Equal(t, "1896.20", s.Payment.String())
}

// TestProductReferencePersisted: the request names the product and the
// version used (the latest, when the payload names none), and the engine
// writes both in the Boarded event, which reads back from its JSON form.
func TestProductReferencePersisted(t *testing.T) {
	b := payload("mortgage_30_fixed", `"principal":"300000.00"`, `"annual_rate":"6.5%"`,
		`"funding_date":"2025-01-15"`, `"first_due_date":"2025-03-01"`)
	req, err := product.Builtin().ParseBoarding(b)
	require.NoError(t, err)
	require.Equal(t, "mortgage_30_fixed", req.Product)
	require.Equal(t, 1, req.ProductVersion)

	store, _, _ := boardProduct(t, b)
	evs, err := store.Events(context.Background(), "L-1", 1)
	require.NoError(t, err)
	raw, err := json.Marshal(evs[0])
	require.NoError(t, err)
	var back loan.Event
	require.NoError(t, json.Unmarshal(raw, &back))
	bd := back.Payload.(loan.Boarded)
	require.Equal(t, "mortgage_30_fixed", bd.Product)
	require.Equal(t, 1, bd.ProductVersion)
	require.Equal(t, "1896.20", bd.Terms.Payment.String(), "the solved payment is boarded")
}

// TestProductBoardingMissingAndOutOfRange: every problem is named at once
// — the required values missing, the values outside the product's limits,
// and a bad value loan finds — each by its path, and nothing is boarded.
func TestProductBoardingMissingAndOutOfRange(t *testing.T) {
	_, err := product.Builtin().ParseBoarding(payload("personal_loan",
		`"principal":"100.00"`, `"annual_rate":"39.9%"`, `"installments":72`))
	require.ErrorIs(t, err, loan.ErrInvalidInput)
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
	require.ElementsMatch(t, []string{"Terms.funding_date", "Terms.first_due_date", "Terms.principal", "Terms.annual_rate",
		"Terms.installments"}, field.Fields(err))
	kinds := map[string]error{}
	for _, fe := range field.Errors(err) {
		kinds[fe.Field] = fe.Err
	}
	require.Equal(t, field.ErrRequired, kinds["Terms.funding_date"])
	require.Equal(t, field.ErrRequired, kinds["Terms.first_due_date"])
	require.Equal(t, field.ErrOutOfRange, kinds["Terms.principal"])
	require.Equal(t, field.ErrOutOfRange, kinds["Terms.annual_rate"])
	require.Equal(t, field.ErrOutOfRange, kinds["Terms.installments"])
	require.ErrorContains(t, err, "personal_loan v1 lends 1000.00 to 50000.00")

	// Over the conforming limit, off the 1st, an impossible funding date
	// and no borrower: the product's limits and loan's own checks together.
	_, err = product.Builtin().ParseBoarding([]byte(`{"product":"mortgage_30_fixed","terms":{"principal":"900000.00",
	  "annual_rate":"6.5%","funding_date":"2025-02-30","first_due_date":"2025-03-15"}}`))
	require.ErrorIs(t, err, loan.ErrInvalidInput)
	require.ElementsMatch(t, []string{"Terms.funding_date", "Borrower", "Terms.principal", "Terms.first_due_date"}, field.Fields(err))

	// No terms at all: each value a loan gives is missing, and nothing
	// else is said about them.
	_, err = product.Builtin().ParseBoarding([]byte(`{"product":"auto_loan","borrower":"B-1"}`))
	require.Equal(t, []string{"Terms.principal", "Terms.annual_rate", "Terms.funding_date", "Terms.first_due_date"}, field.Fields(err))
}

// TestProductBoardingUnknown: an unknown product or version is named with
// what the catalogue holds; members a product does not let a loan change,
// members the terms do not have and members a payload does not take are
// each refused by path.
func TestProductBoardingUnknown(t *testing.T) {
	c := product.Builtin()
	_, err := c.ParseBoarding(payload("mortgage_40_fixed", `"principal":"100000.00"`))
	require.ErrorIs(t, err, product.ErrUnknownProduct)
	require.ErrorIs(t, err, loan.ErrInvalidInput)
	require.Equal(t, []string{"Product"}, field.Fields(err))
	require.ErrorContains(t, err, "mortgage_30_fixed")

	_, err = c.ParseBoarding([]byte(`{"product":"mortgage_30_fixed","product_version":7,"borrower":"B"}`))
	require.ErrorIs(t, err, product.ErrUnknownProduct)
	require.Equal(t, []string{"ProductVersion"}, field.Fields(err))

	for _, tt := range []struct {
		in   string
		want []string
	}{
		{`{"terms":{},"borrower":"B"}`, []string{"Product"}},
		{`{"product":7,"borrower":"B"}`, []string{"Product"}},
		{`{"product":"auto_loan","product_version":0,"borrower":"B"}`, []string{"ProductVersion"}},
		{`{"product":"auto_loan","product_version":"1","borrower":"B"}`, []string{"ProductVersion"}},
		{`{"product":"auto_loan","product":"auto_loan","borrower":"B"}`, []string{"[product]"}},
		{`{"product":"auto_loan","terms":[],"borrower":"B"}`, []string{"Terms"}},
	} {
		_, err := c.ParseBoarding([]byte(tt.in))
		require.ErrorIs(t, err, loan.ErrInvalidInput, tt.in)
		require.Equal(t, tt.want, field.Fields(err), tt.in)
	}

	good := []string{`"principal":"30000.00"`, `"annual_rate":"7%"`, `"funding_date":"2025-01-10"`, `"first_due_date":"2025-02-10"`}
	in := strings.Replace(string(payload("auto_loan", append(good, `"shape":"equal_principal"`, `"instalments":72`)...)),
		`"borrower":"B-1"`, `"borrower":"B-1","los_reference":"LOS-1","histroy":[]`, 1)
	_, err = c.ParseBoarding([]byte(in))
	require.ErrorIs(t, err, loan.ErrInvalidTerms)
	require.Equal(t, []string{"Terms.instalments", "Terms.shape", "histroy"}, field.Fields(err))
	for _, fe := range field.Errors(err) {
		require.ErrorIs(t, fe, field.ErrNotSupported, fe.Field)
	}
	require.ErrorContains(t, err, "auto_loan v1 sets it")

	// A value that does not parse is loan's to name, once.
	_, err = c.ParseBoarding(payload("auto_loan", `"principal":"30000.005"`, good[1], good[2], good[3]))
	require.Equal(t, []string{"Terms.principal"}, field.Fields(err))
}

// TestProductSeasonedHistory: the payload's other members are loan's: a
// seasoned loan's history is posted after boarding.
func TestProductSeasonedHistory(t *testing.T) {
	b := strings.Replace(string(payload("auto_loan", `"principal":"30000.00"`, `"annual_rate":"7%"`,
		`"funding_date":"2025-01-10"`, `"first_due_date":"2025-02-10"`)), `"borrower":"B-1"`,
		`"borrower":"B-1","los_reference":"LOS-9","history":[{"received_on":"2025-02-10","amount":"593.98"}]`, 1)
	req, err := product.Builtin().ParseBoarding([]byte(b))
	require.NoError(t, err)
	require.Equal(t, "LOS-9", req.LOSReference)
	require.Len(t, req.History, 1)
	require.Equal(t, "USD 593.98", req.History[0].Amount.Format())
}

// TestConstructionLoanProduct boards the construction loan from its
// product: 100,000.00 drawn at funding on 15 Jan 2025 of a 400,000.00
// commitment, 7.2 % on actual/360, first due 1 Mar 2025. A 150,000.00
// draw on 1 Feb: the 1 Mar installment (interest only) is the interest
// accrued, 100,000 × 0.072 × 17/360 = 340.00 to the draw and 250,000 ×
// 0.072 × 28/360 = 1,400.00 after it, 1,740.00; paid, nothing is accrued
// or past due, the principal is still 250,000.00 and 150,000.00 is
// undrawn.
func TestConstructionLoanProduct(t *testing.T) {
	ctx := context.Background()
	b := payload("construction_loan", `"principal":"100000.00"`, `"annual_rate":"7.2%"`,
		`"funding_date":"2025-01-15"`, `"first_due_date":"2025-03-01"`, `"draws":{"commitment":"400000.00","until":"2026-01-31"}`)
	_, e, s := boardProduct(t, b)
	require.Equal(t, 12, s.Terms.InterestOnly)
	require.Equal(t, "300000.00", s.Undrawn().String())
	_, err := e.Draw(ctx, "L-1", date.New(2025, 2, 1), money.MustParse("150000.00", money.USD), servicing.Meta{IdempotencyKey: "d1"})
	require.NoError(t, err)
	_, err = e.PostPayment(ctx, "L-1", date.New(2025, 3, 1), money.MustParse("1740.00", money.USD), servicing.Meta{IdempotencyKey: "p1"})
	require.NoError(t, err)
	s, err = e.State(ctx, "L-1", date.New(2025, 3, 1))
	require.NoError(t, err)
	require.Equal(t, "250000.00", s.Principal.String())
	require.True(t, s.AccruedInterest.IsZero() && s.Suspense.IsZero())
	require.Equal(t, 2, s.NextInstallment)
	require.Equal(t, "150000.00", s.Undrawn().String())
}

// TestHELOCProduct boards a home equity line from its product with no
// draw at opening (15 Jan 2025), a 100,000.00 limit at 8 % and statements
// on the 15th. A 20,000.00 draw on 20 Jan: the 15 Feb statement charges 26
// days, 20,000 × 0.08 × 26/365 = 113.97, and asks 1 % × 20,000.00 + 113.97
// = 313.97 by 12 Mar (25 days).
func TestHELOCProduct(t *testing.T) {
	ctx := context.Background()
	b := payload("heloc", `"principal":"0.00"`, `"annual_rate":"8%"`, `"funding_date":"2025-01-15"`,
		`"line":{"credit_limit":"100000.00","first_statement":"2025-02-15","min_percent_basis_points":100,"min_floor":"100.00","due_days":25,"draw_until":"2035-01-14","repayment_installments":240}`)
	_, e, s := boardProduct(t, b)
	require.Equal(t, "100000.00", s.Undrawn().String())
	_, err := e.Draw(ctx, "L-1", date.New(2025, 1, 20), money.MustParse("20000.00", money.USD), servicing.Meta{IdempotencyKey: "d1"})
	require.NoError(t, err)
	s, err = e.State(ctx, "L-1", date.New(2025, 2, 15))
	require.NoError(t, err)
	require.Len(t, s.Statements, 1)
	st := s.Statements[0]
	require.Equal(t, "113.97", st.Interest.String())
	require.Equal(t, "313.97", st.Minimum.String())
	require.Equal(t, date.New(2025, 3, 12), st.Due)
	require.Equal(t, "20113.97", s.Principal.String())
}
