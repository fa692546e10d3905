// Package field reports problems with named input fields.
//
// Every package of the library validates its inputs before computing and reports
// each bad field as an [*Error] that names it with a path such as
// "Terms.FirstDueDate". Validators collect all problems with a [List] and
// return them at once, so a caller can fix every field in one round trip.
//
// Both errors.Is (against the constraint sentinels below, or a package's own
// sentinel) and errors.As (against *Error) work on the joined result.
package field
