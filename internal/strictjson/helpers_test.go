package strictjson_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// Wire types shaped like the project's boarding payloads.

type terms struct {
	Installments int          `json:"installments"`
	FirstDue     date.Date    `json:"first_due"`
	Principal    money.Amount `json:"principal"`
	Rate         rate.Rate    `json:"rate"`
	Grace        *int         `json:"grace,omitempty"`
}

type payment struct {
	Date   date.Date    `json:"date"`
	Amount money.Amount `json:"amount"`
}

// audit is embedded unexported: its fields are promoted.
type audit struct {
	CreatedBy string    `json:"created_by"`
	Stamp     date.Date `json:"stamp"`
}

type boarding struct {
	audit
	LoanID   string               `json:"loan_id"`
	Terms    terms                `json:"terms"`
	Payments []payment            `json:"payments"`
	Holidays map[date.Date]string `json:"holidays"`
	Fees     map[string]int64     `json:"fees"`
	Next     *date.Date           `json:"next"`
	Window   [2]date.Date         `json:"window"`
	Notes    any                  `json:"notes"`
	Internal int                  `json:"-"`
}

// problem is a *field.Error flattened for comparison.
type problem struct {
	Path   string
	Err    error
	Detail string
}

// problems returns every *field.Error of err, in order, and fails if the
// join holds anything else.
func problems(t *testing.T, err error) []problem {
	t.Helper()
	require.Error(t, err)
	var out []problem
	var walk func(error)
	walk = func(e error) {
		// The shape of the tree is checked, so this walks it itself.
		if fe, ok := e.(*field.Error); ok { //nolint:errorlint // checks the tree's shape
			out = append(out, problem{fe.Field, fe.Err, fe.Detail})
			return
		}
		u, ok := e.(interface{ Unwrap() []error }) //nolint:errorlint // checks the tree's shape
		require.True(t, ok, "not a field error: %T %v", e, e)
		for _, c := range u.Unwrap() {
			walk(c)
		}
	}
	walk(err)
	require.Len(t, field.Fields(err), len(out))
	return out
}

// only requires that err holds exactly one problem and returns it.
func only(t *testing.T, err error) problem {
	t.Helper()
	ps := problems(t, err)
	require.Len(t, ps, 1, "problems: %v", ps)
	return ps[0]
}

func d(s string) date.Date {
	v, err := date.ParseISO(s)
	if err != nil {
		panic(err)
	}
	return v
}

// counter is a custom leaf that adds the JSON integer to whatever it holds,
// so a test can see that it was called on the preset receiver.
type counter struct{ N int }

func (c *counter) UnmarshalJSON(b []byte) error {
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("counter: %q is not a count", b)
	}
	c.N += n
	return nil
}

var errBadPlan = errors.New("plan: invalid")

// plan is a custom leaf that decodes itself with DecodeAt and wraps the
// result in its own sentinel, as the project's wire types do.
type plan struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

func (p *plan) UnmarshalJSON(b []byte) error {
	type wire plan
	w := wire(*p)
	if err := strictjson.DecodeAt("", b, &w); err != nil {
		return fmt.Errorf("%w: %w", errBadPlan, err)
	}
	var l field.List
	if w.Count > 12 {
		l.Add("count", w.Count, field.ErrOutOfRange, "at most 12")
	}
	if err := l.Err(errBadPlan); err != nil {
		return err
	}
	*p = plan(w)
	return nil
}
