package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"time"
)

// runStats is what -stats reports about a run: throughput, the database's
// size per loan-month, peak memory and how busy the cores were.
type runStats struct {
	loanDays int
	service  time.Duration // the servicing loop's wall time
	started  time.Time     // the process's work began
	cpu0     time.Duration // process CPU time when it began
	idle0    float64       // the Go scheduler's idle processor-seconds then
}

// schedIdle returns the processor-seconds the Go scheduler had no goroutine
// to run since the process started. Unlike CPU time over wall time, it
// does not fall when other processes take the machine's cores: a busy
// processor the kernel preempts still counts as busy.
func schedIdle() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/idle:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64()
}

// line is the -stats line: loan-days per second of the servicing loop,
// the database file (with its write-ahead log, if any) over loans×months,
// the process's peak resident set, its CPU time over wall time in cores,
// and the Go scheduler's processors busy (see schedIdle). It is read after the store is closed, so the file is complete.
func (r runStats) line(path string, loans, months int) string {
	var size int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			size += fi.Size()
		}
	}
	wall := time.Since(r.started)
	cpu, peak := processUsage()
	rate := 0.0
	if r.service > 0 {
		rate = float64(r.loanDays) / r.service.Seconds()
	}
	procs := runtime.GOMAXPROCS(0)
	busy := float64(procs) - (schedIdle()-r.idle0)/wall.Seconds()
	return fmt.Sprintf("stats: %.0f loan-days/s, %.2f KB per loan-month (%.1f MB / %d loans × %d months), peak RSS %.0f MB, CPU %.2f of %d cores busy (%s CPU in %s), Go scheduler %.2f of %d processors busy",
		rate, float64(size)/1024/float64(loans*months), float64(size)/(1<<20), loans, months,
		float64(peak)/(1<<20), (cpu-r.cpu0).Seconds()/wall.Seconds(), runtime.NumCPU(),
		(cpu - r.cpu0).Round(time.Millisecond), wall.Round(time.Millisecond), busy, procs)
}
