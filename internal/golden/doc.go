// Package golden compares test output with reviewed files in testdata.
//
// # Representation
//
// A golden file is testdata/<name>.golden next to the test that owns it.
// [Assert] fails the test, showing the first differing line, when the output
// differs from the file; run the tests with -update to rewrite the files,
// then review the change as a diff before committing it. A golden file only
// freezes output: the test that owns it must still check its content
// against an outside source or an independent oracle at least once.
package golden
