package delinquency

import "errors"

// Errors returned by this package. Test them with errors.Is; bad-input errors
// also hold one [*field.Error] per bad field, reachable with errors.As.
var (
	// ErrInvalidLoan means a [Loan] failed validation; the wrapped field
	// errors name every bad field ("Loan.Installments[2].DueDate").
	ErrInvalidLoan = errors.New("delinquency: invalid loan")
	// ErrInvalidPolicy means a [Policy] failed validation
	// ("Policy.LateFee.PercentBasisPoints").
	ErrInvalidPolicy = errors.New("delinquency: invalid policy")
	// ErrInvalidInput means an argument of a query (a date range, an
	// installment number, a re-age request) is bad; the field errors name it.
	ErrInvalidInput = errors.New("delinquency: invalid input")
	// ErrProfileViolation means a late-fee policy breaks a regulatory
	// [Profile]; the wrapped field errors name each offending field.
	ErrProfileViolation = errors.New("delinquency: late-fee policy violates regulatory profile")

	// ErrReAgeRefused means [CanReAge] refused a re-age. It is joined with
	// one or more of the reason sentinels below, so errors.Is works with
	// both the general and the specific reason.
	ErrReAgeRefused = errors.New("delinquency: re-age refused")
	// ErrAccountTooNew is a re-age refusal reason: the account has been
	// open less than nine months (FFIEC Uniform Retail Credit
	// Classification, 65 FR 36903).
	ErrAccountTooNew = errors.New("account open less than 9 months")
	// ErrTooFewPayments is a re-age refusal reason: the borrower has not
	// made three consecutive minimum payments, or the same cumulative
	// amount, with their own funds in the last three months.
	ErrTooFewPayments = errors.New("fewer than 3 qualifying minimum payments in the last 3 months")
	// ErrReAgedWithin12Months is a re-age refusal reason: the account was
	// already re-aged in the last 12 months.
	ErrReAgedWithin12Months = errors.New("re-aged within the last 12 months")
	// ErrReAgedTwiceIn5Years is a re-age refusal reason: the account was
	// already re-aged twice in the last 5 years.
	ErrReAgedTwiceIn5Years = errors.New("re-aged twice within the last 5 years")

	// ErrWorkoutRefused means [CanWorkout] refused a workout program; it is
	// joined with the reason below.
	ErrWorkoutRefused = errors.New("delinquency: workout refused")
	// ErrWorkoutWithin5Years is a workout refusal reason: another workout
	// program started in the last 5 years (FFIEC: at most once per 5 years).
	ErrWorkoutWithin5Years = errors.New("workout program within the last 5 years")
)
