package field

import (
	"errors"
	"fmt"
)

// Constraint sentinels. An [*Error] wraps one of these (or a package-specific
// sentinel) so callers can test the kind of problem with errors.Is.
var (
	// ErrRequired means the field is missing or zero where a value is needed.
	ErrRequired = errors.New("required")
	// ErrOutOfRange means the value lies outside the allowed range.
	ErrOutOfRange = errors.New("out of range")
	// ErrNotSupported means the value is not one of the supported choices.
	ErrNotSupported = errors.New("not supported")
	// ErrInvalid means the value is malformed or inconsistent with other fields.
	ErrInvalid = errors.New("invalid")
)

// Error is a problem with one input field.
type Error struct {
	// Field is the path of the field, e.g. "Terms.Payments[3].Amount".
	Field string
	// Value is the offending value, as given.
	Value any
	// Err is the constraint that failed; usually one of the sentinels above.
	Err error
	// Detail says why, in words, when Err alone does not (may be empty).
	Detail string
}

// Error formats the problem as "Field: constraint (value): detail".
func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %v", e.Field, e.Err)
	if e.Value != nil {
		msg += fmt.Sprintf(" (%v)", e.Value)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the constraint error so errors.Is works.
func (e *Error) Unwrap() error { return e.Err }

// New returns an *Error for the field.
func New(path string, value any, err error, detail string) *Error {
	return &Error{Field: path, Value: value, Err: err, Detail: detail}
}

// List collects field errors during validation. The zero value is ready to use.
type List struct {
	errs []error
}

// Add records a problem with the field at path.
func (l *List) Add(path string, value any, err error, detail string) {
	l.errs = append(l.errs, New(path, value, err, detail))
}

// Append records errors that are already formed (nil ones are skipped).
func (l *List) Append(errs ...error) {
	for _, e := range errs {
		if e != nil {
			l.errs = append(l.errs, e)
		}
	}
}

// Len returns how many problems were recorded.
func (l *List) Len() int { return len(l.errs) }

// Err returns nil when nothing was recorded, otherwise sentinel wrapped around
// the joined list: errors.Is(err, sentinel) holds, and errors.As reaches every
// *Error in the list.
func (l *List) Err(sentinel error) error {
	if len(l.errs) == 0 {
		return nil
	}
	if sentinel == nil {
		return errors.Join(l.errs...)
	}
	return fmt.Errorf("%w: %w", sentinel, errors.Join(l.errs...))
}

// Fields returns the paths of every *Error inside err, in order. It is a
// convenience for tests and for hosts that map problems back to form fields.
func Fields(err error) []string {
	var out []string
	for _, fe := range Errors(err) {
		out = append(out, fe.Field)
	}
	return out
}

// Errors returns every *Error inside err, in order (nil when there is
// none).
func Errors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		// The walk itself: errors.As would stop at the first *Error.
		if fe, ok := e.(*Error); ok { //nolint:errorlint // walks the tree itself
			out = append(out, fe)
			return
		}
		switch u := e.(type) { //nolint:errorlint // walks the tree itself
		case interface{ Unwrap() []error }:
			for _, c := range u.Unwrap() {
				walk(c)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

// Rebase returns the *Error values inside err joined, each path that
// starts with from starting with to instead ("Rules.Extra" from "Rules" to
// "Terms.Allocation" is "Terms.Allocation.Extra"): how a validator that
// calls another package's reports the fields by its own paths. The
// sentinels that wrapped them are dropped (the caller wraps its own); an
// err without field errors comes back as it is.
func Rebase(err error, from, to string) error {
	fes := Errors(err)
	if len(fes) == 0 {
		return err
	}
	out := make([]error, len(fes))
	for i, fe := range fes {
		p := fe.Field
		if p == from || len(p) > len(from) && p[:len(from)] == from && (p[len(from)] == '.' || p[len(from)] == '[') {
			p = to + p[len(from):]
		}
		out[i] = New(p, fe.Value, fe.Err, fe.Detail)
	}
	return errors.Join(out...)
}
