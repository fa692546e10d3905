//go:build linux

package sqlstore

import (
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// startWriteback starts a goroutine that, every interval, asks the kernel to
// start writing the file at path's dirty pages to disk (sync_file_range
// with SYNC_FILE_RANGE_WRITE: it starts the writes and does not wait for
// them). SQLite in WAL mode with synchronous=NORMAL fsyncs the log before
// each checkpoint; without this the log's pages since the last checkpoint
// (up to wal_autocheckpoint pages) are all still dirty then, and the
// writer, the one goroutine every commit waits for, stalls while they go
// to disk. Started early, the writes overlap the commits, and that fsync
// waits only for the last ones. It changes no durability guarantee: the
// fsyncs SQLite does are the same. A missing file (not created yet) is
// skipped. The returned function stops the goroutine.
func startWriteback(path string, interval time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			// Opened each time: SQLite may delete and recreate the file.
			fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
			if err != nil {
				continue
			}
			_ = unix.SyncFileRange(fd, 0, 0, unix.SYNC_FILE_RANGE_WRITE)
			_ = unix.Close(fd)
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
