package main

import (
	"errors"
	"fmt"
	"io"
)

// output is the report's or the progress lines' stream. It keeps the first
// write error and refuses every later write, so the demo prints without
// checking each line and checks once, at the end of the run: a report that
// did not reach its file (a full disk, a closed pipe) fails the run instead
// of passing as printed.
type output struct {
	w   io.Writer
	err error
}

func (o *output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}

// join adds the first write error, named by what the stream carries, to
// err, the error its writer is returning, unless err already is it (a
// tabwriter's Flush returned it).
func (o *output) join(err error, what string) error {
	if o.err == nil || errors.Is(err, o.err) {
		return err
	}
	return errors.Join(err, fmt.Errorf("writing %s: %w", what, o.err))
}

// fprintf and fprintln write to one of the demo's streams, or to a
// writer over one such as a tabwriter. Their errors are not lost: run and
// boardTape wrap each stream in an *output, which keeps the first one and
// is checked before they return.
func fprintf(w io.Writer, format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }

func fprintln(w io.Writer, a ...any) { _, _ = fmt.Fprintln(w, a...) }

// closeRead closes a file the demo only read. What was read has been read
// and checked by then, so a failed Close cannot change the result.
func closeRead(c io.Closer) { _ = c.Close() }
