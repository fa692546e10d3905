package main

import (
	"errors"
	"flag"
	"io"
	"strings"

	"github.com/lendcore/servicing/internal/vectors"
)

func init() {
	commands["vectors"] = command{
		summary: "check reference vector files (layout of testdata/vectors)",
		run:     runVectors,
	}
}

func runVectors(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vectors", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print every case, not only failures")
	fs.Usage = func() {
		fprintln(stderr, "Usage: servicing vectors [-v] FILE...")
		fprintln(stderr)
		fprintln(stderr, "Checks every case of each family the library implements and prints each")
		fprintln(stderr, "failing case with its expected and actual values. Families not implemented")
		fprintln(stderr, "are reported as skipped. Exit status 1 on any failure.")
		fprintf(stderr, "Implemented families: %s\n", strings.Join(vectors.Families(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	var all vectors.Report
	status := 0
	for _, path := range fs.Args() {
		rep, err := vectors.CheckFile(path)
		if err != nil {
			fprintf(stderr, "servicing vectors: %v\n", err)
			status = 1
			continue
		}
		p, f, s := rep.Counts()
		fprintf(stdout, "%s: %d passed, %d failed, %d skipped\n", path, p, f, s)
		for _, o := range rep.Outcomes {
			switch {
			case !o.Skipped && !o.Passed:
				fprintf(stdout, "  FAIL %s: expected %s, got %s", o.ID, o.Expected, o.Actual)
				if o.Note != "" {
					fprintf(stdout, " (%s)", o.Note)
				}
				fprintln(stdout)
			case *verbose && o.Skipped:
				fprintf(stdout, "  skip %s: %s\n", o.ID, o.Note)
			case *verbose:
				fprintf(stdout, "  ok   %s\n", o.ID)
			}
		}
		all.Outcomes = append(all.Outcomes, rep.Outcomes...)
	}
	p, f, s := all.Counts()
	if s > 0 {
		fprintf(stdout, "%d passed, %d failed, %d skipped\n", p, f, s)
	} else {
		fprintf(stdout, "%d passed, %d failed\n", p, f)
	}
	if f > 0 {
		status = 1
	}
	return status
}
