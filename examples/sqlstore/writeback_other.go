//go:build !linux

package sqlstore

import "time"

// startWriteback does nothing where sync_file_range is missing (see the
// Linux version): SQLite's own fsyncs are all there is.
func startWriteback(string, time.Duration) (stop func()) { return func() {} }
