package main

import (
	"fmt"
	"io"
)

// output is a command's stdout or stderr. It keeps the first write error
// and refuses every later write, so a command prints without checking each
// line and run checks once, when the command returns: output that did not
// reach its file (a full disk, a closed pipe) fails the command instead of
// passing as printed.
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

// fprintf, fprintln and fprint write to a command's stream, or to a
// writer over one such as a tabwriter. Their errors are not lost: every
// stream run hands a command is an *output, which keeps the first one for
// run to report (and a tabwriter's Flush returns it too).
func fprintf(w io.Writer, format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }

func fprintln(w io.Writer, a ...any) { _, _ = fmt.Fprintln(w, a...) }

func fprint(w io.Writer, a ...any) { _, _ = fmt.Fprint(w, a...) }

// closeRead closes a file the command only read. What was read has been
// read and checked by then, so a failed Close cannot change the result.
func closeRead(c io.Closer) { _ = c.Close() }
