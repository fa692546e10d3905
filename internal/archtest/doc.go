// Package archtest holds tests that guard the library's architecture: the
// layer order of imports, no floating point in library code, no wall clock
// in the pure packages, a String method on small value types, and one
// meaning per exported type name across the packages. It has no non-test
// code of its own.
package archtest
