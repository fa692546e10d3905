package amortize

import "errors"

// Errors returned by this package. Test them with errors.Is; field problems
// also carry a *field.Error per bad field (errors.As).
var (
	// ErrInvalidTerms means a Terms (or a request built on one) has bad
	// fields; the error lists every *field.Error found.
	ErrInvalidTerms = errors.New("amortize: invalid terms")
	// ErrNotConverged means a bounded solver (rate given payment, APR) did
	// not reach the required accuracy within its iteration limit, or the
	// problem has no solution in the searched range.
	ErrNotConverged = errors.New("amortize: solver did not converge")
	// ErrInvariant means a computed table broke one of its invariants
	// (Σ principal ≠ principal, final balance ≠ 0, negative balance, row
	// arithmetic). It signals a bug, never bad input; the message has the numbers.
	ErrInvariant = errors.New("amortize: invariant violated")
	// ErrInvalidAPR means an APR request (advance, payment streams) has bad fields.
	ErrInvalidAPR = errors.New("amortize: invalid APR request")
	// ErrInvalidRebate means a rebate request has bad fields, or asks for a
	// method its profile forbids (Rule of 78s over 61 months under
	// 15 U.S.C. 1615(b)).
	ErrInvalidRebate = errors.New("amortize: invalid rebate request")
)
