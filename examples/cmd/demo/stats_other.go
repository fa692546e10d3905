//go:build !unix

package main

import (
	"runtime"
	"time"
)

// processUsage returns no CPU time and, for peak memory, the bytes the Go
// runtime obtained from the system (where getrusage is missing).
func processUsage() (cpu time.Duration, peak int64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return 0, int64(ms.Sys)
}
