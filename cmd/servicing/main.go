// Command servicing runs the loan-servicing library from the command line:
// reference-vector checks, amortization tables, APR, and scenario simulation.
//
// Usage:
//
//	servicing <command> [flags] [args]
//	servicing help <command>
package main

import (
	"io"
	"os"
	"sort"
)

// command is one subcommand. run returns the process exit status.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file.
var commands = map[string]command{}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command args name. Its streams are *outputs, and a write
// that failed fails a command that would have succeeded: exit status 1,
// with the error on stderr when stdout failed (a failed stderr cannot be
// told). A command that failed anyway has said why; its status stands.
func run(args []string, stdout, stderr io.Writer) int {
	out, errs := &output{w: stdout}, &output{w: stderr}
	status := dispatch(args, out, errs)
	if status != 0 {
		return status
	}
	if out.err != nil {
		fprintf(errs, "servicing: writing output: %v\n", out.err)
		return 1
	}
	if errs.err != nil {
		return 1
	}
	return 0
}

func dispatch(args []string, stdout, stderr *output) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" && len(args) == 1 {
		usage(stdout)
		return 0
	}
	if args[0] == "help" {
		args = []string{args[1], "--help"}
	}
	c, ok := commands[args[0]]
	if !ok {
		fprintf(stderr, "servicing: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fprintln(w, "servicing — exact loan-servicing math from the command line")
	fprintln(w)
	fprintln(w, "Usage: servicing <command> [flags] [args]   (servicing <command> --help for details)")
	fprintln(w)
	fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}
