//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// processUsage returns the process's CPU time (user and system) and its
// peak resident set in bytes (getrusage; ru_maxrss is kilobytes on Linux,
// bytes on Darwin).
func processUsage() (cpu time.Duration, peak int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	peak = int64(ru.Maxrss)
	if runtime.GOOS != "darwin" {
		peak *= 1024
	}
	return cpu, peak
}
