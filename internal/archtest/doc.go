// Package archtest holds tests that guard the library's architecture: the
// layer order of imports, no floating point in library code, and no wall
// clock in the pure packages. It has no non-test code of its own.
package archtest
