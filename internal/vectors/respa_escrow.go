package vectors

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/money"
)

func init() { register("respa_escrow", checkRESPAEscrow) }

type respaRow struct {
	Month        string `json:"month"`
	Payment      string `json:"payment"`
	Disbursement string `json:"disbursement"`
	Balance      string `json:"balance"`
}

// respaSteps is the expected figures of one trial balance: the account's
// (monthly_escrow_payment) or one item's (monthly_payment).
type respaSteps struct {
	MonthlyEscrowPayment string     `json:"monthly_escrow_payment"`
	MonthlyPayment       string     `json:"monthly_payment"`
	Step1                []respaRow `json:"step1_initial_trial_balance"`
	Step2                []respaRow `json:"step2_adjusted_trial_balance"`
	Step3                []respaRow `json:"step3_trial_balance_with_cushion"`
}

type respaCase struct {
	ID          string `json:"id"`
	Method      string `json:"method"`
	Assumptions struct {
		Disbursements []struct {
			Item   string `json:"item"`
			Amount string `json:"amount"`
			Date   string `json:"date"`
		} `json:"disbursements"`
		Cushion      string `json:"cushion"`
		FirstPayment string `json:"first_payment"`
	} `json:"assumptions"`
	Expected struct {
		respaSteps
		Items map[string]respaSteps `json:"items"`
	} `json:"expected"`
}

type respaRule struct {
	ID     string                     `json:"id"`
	Values map[string]json.RawMessage `json:"values"`
	Flags  []string                   `json:"flags"`
}

type respaFile struct {
	Cases []respaCase `json:"cases"`
	Rules []respaRule `json:"rules"`
}

// checkRESPAEscrow runs each Reg X Appendix E case through escrow.Analyze and
// compares the monthly payment and every row (month, payment, disbursement,
// balance) of the step 1–3 trial balances, by numeric value; item-level
// figures when the case has them. Rule facts that map to code constants and
// behaviour (cushion cap, $50 surplus threshold, small-shortage options) are
// checked as cases of their own; other rules are skipped with the reason.
func checkRESPAEscrow(data []byte) ([]Outcome, error) {
	var f respaFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	out := make([]Outcome, 0, len(f.Cases)+len(f.Rules))
	for _, c := range f.Cases {
		bad, err := respaCheckCase(c)
		switch {
		case err != nil:
			out = append(out, Outcome{ID: c.ID, Note: err.Error()})
		case len(bad) > 0:
			out = append(out, fail(c.ID, "every figure as printed", strings.Join(bad, "; ")))
		default:
			out = append(out, pass(c.ID))
		}
	}
	for _, r := range f.Rules {
		out = append(out, respaCheckRule(r))
	}
	return out, nil
}

// respaCheckCase returns the mismatches of one case, or an error when the
// case cannot be run.
func respaCheckCase(c respaCase) ([]string, error) {
	a, err := respaAnalysis(c)
	if err != nil {
		return nil, err
	}
	r, err := escrow.Analyze(a)
	if err != nil {
		return nil, err
	}
	var bad []string
	e := c.Expected
	if e.MonthlyEscrowPayment != "" || len(e.Step1) > 0 {
		bad = respaCompare(bad, "", e.respaSteps, e.MonthlyEscrowPayment, r.Item)
	}
	for name, want := range e.Items {
		it, ok := respaItem(r, name)
		if !ok {
			bad = append(bad, fmt.Sprintf("item %q not in the analysis", name))
			continue
		}
		bad = respaCompare(bad, name+": ", want, want.MonthlyPayment, it)
	}
	if e.MonthlyEscrowPayment == "" && len(e.Step1) == 0 && len(e.Items) == 0 {
		return nil, errors.New("case has no expected figures")
	}
	return bad, nil
}

func respaItem(r escrow.Result, name string) (escrow.Item, bool) {
	for _, it := range r.Items {
		if strings.EqualFold(it.Name, name) {
			return it, true
		}
	}
	return escrow.Item{}, false
}

// respaAnalysis builds the Analysis of an Appendix E case: dates like
// "September 20" give the month, the cushion text names the fraction, and
// the account starts empty (an initial analysis at settlement).
func respaAnalysis(c respaCase) (escrow.Analysis, error) {
	as := c.Assumptions
	first, err := respaMonth(as.FirstPayment)
	if err != nil {
		return escrow.Analysis{}, fmt.Errorf("first_payment: %w", err)
	}
	cushion, err := respaCushion(as.Cushion)
	if err != nil {
		return escrow.Analysis{}, err
	}
	m := escrow.Aggregate
	if strings.Contains(strings.ToLower(c.Method), "single") {
		m = escrow.SingleItem
	}
	a := escrow.Analysis{
		Method: m, Currency: money.USD, FirstPaymentMonth: first, Cushion: cushion,
		// Appendix E divides exactly (1,560 / 12 = 130); any mode gives its figures.
		Rounding:        money.HalfUp,
		CurrentBalance:  money.Zero(money.USD),
		BorrowerCurrent: true,
	}
	for i, d := range as.Disbursements {
		month, err := respaMonth(d.Date)
		if err != nil {
			return escrow.Analysis{}, fmt.Errorf("disbursement %d: %w", i, err)
		}
		amt, err := money.Parse(d.Amount, money.USD)
		if err != nil {
			return escrow.Analysis{}, fmt.Errorf("disbursement %d: %w", i, err)
		}
		a.Disbursements = append(a.Disbursements, escrow.Disbursement{Item: d.Item, Month: month, Amount: amt})
	}
	return a, nil
}

// respaMonth reads the month of "September 20" or "Sep".
func respaMonth(s string) (time.Month, error) {
	word := strings.ToLower(strings.Fields(s + " ")[0])
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if len(word) >= 3 && strings.HasPrefix(name, word) {
			return m, nil
		}
	}
	return 0, fmt.Errorf("no month in %q", s)
}

func respaCushion(s string) (escrow.Fraction, error) {
	t := strings.ToLower(s)
	switch {
	case strings.Contains(t, "one-sixth") || strings.Contains(t, "1/6"):
		return escrow.Fraction{Num: 1, Den: 6}, nil
	case strings.Contains(t, "one-twelfth") || strings.Contains(t, "1/12"):
		return escrow.Fraction{Num: 1, Den: 12}, nil
	case t == "none" || t == "0" || strings.Contains(t, "no cushion"):
		return escrow.Fraction{Num: 0, Den: 1}, nil
	}
	return escrow.Fraction{}, fmt.Errorf("cushion %q not understood", s)
}

// respaCompare appends the mismatches between the expected steps and it.
func respaCompare(bad []string, prefix string, want respaSteps, monthly string, it escrow.Item) []string {
	if monthly != "" && !respaEqual(monthly, it.MonthlyPayment) {
		bad = append(bad, fmt.Sprintf("%smonthly payment want %s got %s", prefix, monthly, it.MonthlyPayment))
	}
	steps := []struct {
		name string
		want []respaRow
		got  []escrow.Row
	}{{"step1", want.Step1, it.Step1}, {"step2", want.Step2, it.Step2}, {"step3", want.Step3, it.Step3}}
	for _, s := range steps {
		if len(s.want) != len(s.got) {
			bad = append(bad, fmt.Sprintf("%s%s: want %d rows got %d", prefix, s.name, len(s.want), len(s.got)))
			continue
		}
		for i, w := range s.want {
			g := s.got[i]
			if !strings.EqualFold(w.Month, g.Month.String()[:3]) || !respaEqual(w.Payment, g.Payment) ||
				!respaEqual(w.Disbursement, g.Disbursement) || !respaEqual(w.Balance, g.Balance) {
				bad = append(bad, fmt.Sprintf("%s%s row %d: want %s %s %s %s got %.3s %s %s %s", prefix, s.name, i,
					w.Month, w.Payment, w.Disbursement, w.Balance, g.Month, g.Payment, g.Disbursement, g.Balance))
			}
		}
	}
	return bad
}

// respaEqual compares a decimal string with an amount by value ("130" = 130.00).
func respaEqual(want string, got money.Amount) bool {
	w, err := money.Parse(want, got.Currency())
	return err == nil && w.Equal(got)
}

// respaCheckRule checks a rule fact against the escrow package's constants
// and behaviour, or skips it when no code corresponds to it.
func respaCheckRule(r respaRule) Outcome {
	checks := map[string]func(respaRule) []string{
		"respa-rule-cushion":        respaRuleCushion,
		"respa-rule-surplus":        respaRuleSurplus,
		"respa-rule-shortage-small": respaRuleShortageSmall,
	}
	check, ok := checks[r.ID]
	if !ok {
		return skip(r.ID, "rule fact has no code mapping")
	}
	if bad := check(r); len(bad) > 0 {
		return fail(r.ID, "code matches the rule", strings.Join(bad, "; "))
	}
	o := pass(r.ID)
	if len(r.Flags) > 0 {
		o.Note = "source flags: " + strings.Join(r.Flags, " ")
	}
	return o
}

// respaValue reads a rule value: a JSON string or number, as text.
func respaValue(r respaRule, key string) (string, bool) {
	raw, ok := r.Values[key]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	return string(raw), true
}

// respaInt reads a whole-number rule value and compares it with code.
func respaInt(bad []string, r respaRule, key string, code int) []string {
	v, ok := respaValue(r, key)
	if !ok {
		return append(bad, "missing "+key)
	}
	var n int
	if _, err := fmt.Sscanf(v, "%d", &n); err != nil || n != code {
		return append(bad, fmt.Sprintf("%s: rule %s, code %d", key, v, code))
	}
	return bad
}

// respaRuleCushion: the cap equals escrow.MaxCushion(), a cushion of exactly
// the cap is accepted and one a millionth above it is rejected.
func respaRuleCushion(r respaRule) []string {
	v, _ := respaValue(r, "cushion_max_fraction")
	var num, den int64
	if _, err := fmt.Sscanf(v, "%d/%d", &num, &den); err != nil || den <= 0 {
		return []string{fmt.Sprintf("cushion_max_fraction %q not a fraction", v)}
	}
	var bad []string
	if num*escrow.MaxCushion().Den != den*escrow.MaxCushion().Num {
		bad = append(bad, fmt.Sprintf("cap: rule %s, code %s", v, escrow.MaxCushion()))
	}
	a := escrow.Analysis{Method: escrow.Aggregate, Currency: money.USD, FirstPaymentMonth: time.January,
		Rounding: money.HalfUp, Cushion: escrow.Fraction{Num: num, Den: den}}
	if err := a.Validate(); err != nil {
		bad = append(bad, "cushion at the cap rejected: "+err.Error())
	}
	a.Cushion = escrow.Fraction{Num: num*1_000_000 + 1, Den: den * 1_000_000}
	if err := a.Validate(); !errors.Is(err, escrow.ErrCushionAboveCap) {
		bad = append(bad, fmt.Sprintf("cushion %s above the cap not rejected: %v", a.Cushion, err))
	}
	return bad
}

// respaRuleSurplus: $50 and 30 days match the constants; a current
// borrower's $50.00 surplus must be refunded within 30 days, and $49.99 may
// also be credited.
func respaRuleSurplus(r respaRule) []string {
	bad := respaInt(nil, r, "surplus_refund_threshold_usd", escrow.SurplusRefundThreshold)
	bad = respaInt(bad, r, "refund_within_days", escrow.SurplusRefundDays)
	at := money.MustNew(escrow.SurplusRefundThreshold*100, money.USD)
	want := []escrow.Option{{Action: escrow.Refund, Days: escrow.SurplusRefundDays}}
	if got := escrow.SurplusOptions(at, true); !respaSameOptions(got, want) {
		bad = append(bad, fmt.Sprintf("surplus %s: options %v", at, got))
	}
	below := at.Sub(money.MustNew(1, money.USD))
	want = []escrow.Option{{Action: escrow.Refund}, {Action: escrow.Credit}}
	if got := escrow.SurplusOptions(below, true); !respaSameOptions(got, want) {
		bad = append(bad, fmt.Sprintf("surplus %s: options %v", below, got))
	}
	return bad
}

// respaRuleShortageSmall: below one month's escrow payment the options are
// ignore, collect within 30 days, or spread over at least 12 months; at one
// month the 30-day collection is no longer offered.
func respaRuleShortageSmall(r respaRule) []string {
	bad := respaInt(nil, r, "lump_sum_within_days", escrow.ShortageCollectDays)
	bad = respaInt(bad, r, "min_spread_months", escrow.ShortageSpreadMonths)
	monthly := money.MustNew(130_00, money.USD)
	small := monthly.Sub(money.MustNew(1, money.USD))
	want := []escrow.Option{{Action: escrow.Ignore}, {Action: escrow.Collect, Days: escrow.ShortageCollectDays},
		{Action: escrow.Spread, MinMonths: escrow.ShortageSpreadMonths}}
	if got := escrow.ShortageOptions(small, monthly); !respaSameOptions(got, want) {
		bad = append(bad, fmt.Sprintf("shortage %s of %s: options %v", small, monthly, got))
	}
	want = []escrow.Option{{Action: escrow.Ignore}, {Action: escrow.Spread, MinMonths: escrow.ShortageSpreadMonths}}
	if got := escrow.ShortageOptions(monthly, monthly); !respaSameOptions(got, want) {
		bad = append(bad, fmt.Sprintf("shortage %s of %s: options %v", monthly, monthly, got))
	}
	return bad
}

func respaSameOptions(a, b []escrow.Option) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
