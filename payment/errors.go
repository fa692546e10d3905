package payment

import "errors"

// Errors returned by this package. Test them with errors.Is; the field-level
// detail is reachable with errors.As(err, **field.Error).
var (
	// ErrInvalidRules means the allocation rules are malformed: an unknown
	// bucket, a bucket named twice or left out, an unknown policy.
	ErrInvalidRules = errors.New("payment: invalid rules")
	// ErrInvalidInput means the payment or its receivables are malformed:
	// a negative amount, an unknown component, a currency mismatch.
	ErrInvalidInput = errors.New("payment: invalid input")
	// ErrInvalidQuote means the payoff quote request is malformed.
	ErrInvalidQuote = errors.New("payment: invalid payoff request")
	// ErrInvariant means an internal consistency check failed (money not
	// conserved, a receivable overpaid). It is a bug; the error carries the
	// numbers.
	ErrInvariant = errors.New("payment: invariant violated")
)
