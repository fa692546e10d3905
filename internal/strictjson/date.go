package strictjson

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/rickb777/date/v2"
	"github.com/rickb777/date/v2/gregorian"
)

// dateWords is what a date member must hold, in the words of an error detail.
const dateWords = "an ISO date YYYY-MM-DD"

// ParseDate parses an ISO 8601 calendar date "YYYY-MM-DD" strictly: exactly
// ten bytes, a four-digit year 0001-9999, a two-digit month 01-12 and a
// two-digit day that exists in that month (29 February only in leap years).
// There is no sign, no expanded year, no surrounding space and no time part.
//
// It exists because date.ParseISO (behind date.Date.UnmarshalText) normalises
// impossible dates ("2024-02-30" reads as 2024-03-01, "2024-13-45" as
// 2025-02-14), which a system of record must refuse.
//
// ParseDate returns an error wrapping [field.ErrInvalid] if s is not such a
// date; its text says which part is wrong.
func ParseDate(s string) (date.Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, &dateError{value: s}
	}
	y, okY := digits(s[0:4])
	m, okM := digits(s[5:7])
	d, okD := digits(s[8:10])
	if !okY || !okM || !okD {
		return 0, &dateError{value: s}
	}
	switch {
	case y < 1:
		return 0, &dateError{value: s, why: "year 0000 is outside 0001-9999"}
	case m < 1 || m > 12:
		return 0, &dateError{value: s, why: fmt.Sprintf("month %s is not 01-12", s[5:7])}
	}
	n := gregorian.DaysIn(y, time.Month(m))
	switch {
	case d < 1:
		return 0, &dateError{value: s, why: "day 00 does not exist"}
	case d > n:
		return 0, &dateError{value: s, why: fmt.Sprintf("%s %d has %d days", time.Month(m), y, n)}
	}
	return date.New(y, time.Month(m), d), nil
}

// digits reads an unsigned decimal made only of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// dateError is what ParseDate returns. An empty why means the text does not
// have the shape YYYY-MM-DD at all.
type dateError struct {
	value string
	why   string
}

// Error says which date was refused and why.
func (e *dateError) Error() string {
	if e.why == "" {
		return fmt.Sprintf("strictjson: date %q: want %s", e.value, dateWords)
	}
	return fmt.Sprintf("strictjson: date %q: %s", e.value, e.why)
}

// Unwrap returns field.ErrInvalid so errors.Is works.
func (e *dateError) Unwrap() error { return field.ErrInvalid }

// detail is the field-error detail for this problem: the expected form, or
// the date followed by the calendar reason.
func (e *dateError) detail() string {
	if e.why == "" {
		return dateWords
	}
	return e.value + ": " + e.why
}
