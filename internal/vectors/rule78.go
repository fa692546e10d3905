package vectors

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/money"
	"github.com/shopspring/decimal"
)

func init() { register("rule78", checkRule78) }

type rule78File struct {
	Cases []struct {
		ID     string `json:"id"`
		Method string `json:"method"`
		Inputs struct {
			FinanceCharge string `json:"finance_charge"`
			N             int    `json:"number_of_payments"`
			Remaining     *int   `json:"payments_remaining"`
		} `json:"inputs"`
		Expected map[string]json.RawMessage `json:"expected"`
	} `json:"cases"`
}

// checkRule78 compares amortize's Rule of 78s fractions and rebates with
// every expected figure of a case: rebate_fraction, rebate, sum_of_digits,
// and earned_fraction/earned_percent after k months.
func checkRule78(data []byte) ([]Outcome, error) {
	var f rule78File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	out := make([]Outcome, 0, len(f.Cases))
	for _, c := range f.Cases {
		var bad []string
		for key, raw := range c.Expected {
			want := strings.Trim(string(raw), `"`)
			got, err := rule78Figure(key, c.Inputs.FinanceCharge, c.Inputs.N, c.Inputs.Remaining)
			if err != nil {
				bad = append(bad, fmt.Sprintf("%s: %v", key, err))
				continue
			}
			if !sameFigure(want, got) {
				bad = append(bad, fmt.Sprintf("%s want %s got %s", key, want, got))
			}
		}
		if len(bad) > 0 {
			out = append(out, fail(c.ID, "all figures", strings.Join(bad, "; ")))
			continue
		}
		out = append(out, pass(c.ID))
	}
	return out, nil
}

// rule78Figure computes one named figure of a Rule of 78s case.
func rule78Figure(key, fc string, n int, remaining *int) (string, error) {
	switch { //nolint:staticcheck // QF1002: one case tests a prefix
	case key == "sum_of_digits":
		return fmt.Sprint(amortize.SumOfDigits(n)), nil
	case key == "rebate_fraction" || key == "rebate":
		if remaining == nil {
			return "", fmt.Errorf("no payments_remaining")
		}
		if key == "rebate_fraction" {
			num, den, err := amortize.Rule78Fraction(n, *remaining)
			return fmt.Sprintf("%d/%d", num, den), err
		}
		charge, err := money.Parse(fc, money.USD)
		if err != nil {
			return "", err
		}
		r, err := amortize.UnearnedFinanceCharge(amortize.RebateRequest{Method: amortize.RebateRule78, Profile: amortize.ProfileNone,
			FinanceCharge: charge, Payments: n, PaymentsMade: n - *remaining, Rounding: money.HalfUp})
		return r.Unearned.String(), err
	}
	var k int
	if _, err := fmt.Sscanf(key[strings.LastIndex(key, "after_")+len("after_"):], "%d", &k); err != nil {
		return "", fmt.Errorf("unknown figure %q", key)
	}
	num, den, err := amortize.Rule78Fraction(n, n-k)
	if err != nil {
		return "", err
	}
	earned := den - num // earned fraction (den−num)/den, printed over the sum of digits n(n+1)/2
	switch {
	case strings.HasPrefix(key, "earned_fraction"):
		return fmt.Sprintf("%d/%d", earned/2, den/2), nil
	case strings.HasPrefix(key, "earned_percent"):
		p := decimal.NewFromInt(earned*100).DivRound(decimal.NewFromInt(den), 10)
		// The source truncates its percentages (23/78 = 29.487… is printed 29.48).
		r, err := money.RoundDecimal(p, 2, money.TowardZero)
		return r.StringFixed(2), err
	}
	return "", fmt.Errorf("unknown figure %q", key)
}

// sameFigure compares decimals by value and fractions a/b by value.
func sameFigure(want, got string) bool {
	if strings.Contains(want, "/") || strings.Contains(got, "/") {
		var a, b, c, d int64
		if _, err := fmt.Sscanf(want, "%d/%d", &a, &b); err != nil {
			return false
		}
		if _, err := fmt.Sscanf(got, "%d/%d", &c, &d); err != nil {
			return false
		}
		return b != 0 && d != 0 && a*d == b*c
	}
	w, err1 := decimal.NewFromString(want)
	g, err2 := decimal.NewFromString(got)
	return err1 == nil && err2 == nil && w.Equal(g)
}
