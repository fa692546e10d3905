package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/lendcore/servicing/product"
)

func init() {
	commands["products"] = command{
		summary: "print the loan product catalogue (built-in, or a host's checked) as JSON",
		run:     runProducts,
	}
}

func runProducts(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("products", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "print only the product `NAME`")
	version := fs.Int("version", 0, "with -name, that version (default the latest)")
	file := fs.String("products", "", "read and check the catalogue `FILE` instead of the built-in one")
	fs.Usage = func() {
		fprintln(stderr, "Usage: servicing products [-products FILE] [-name NAME [-version N]]")
		fprintln(stderr)
		fprintln(stderr, "Prints the loan products a boarding may name, as the JSON a host's own")
		fprintln(stderr, "catalogue is written in ({\"products\": [...]}): defaults, the values each")
		fprintln(stderr, "loan gives, what it may change, and the limits. With -products, the file is")
		fprintln(stderr, "read strictly and checked first (every problem named, exit status 1).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 0 || *version != 0 && *name == "" {
		fs.Usage()
		return 2
	}
	cat := product.Builtin()
	if *file != "" {
		var err error
		if cat, err = readCatalogue(*file); err != nil {
			fprintln(stderr, "servicing products:", err)
			return 1
		}
	}
	var out any = cat
	if *name != "" {
		p, ok := cat.Lookup(*name, *version)
		if !ok {
			fprintf(stderr, "servicing products: no product %q version %d (the catalogue holds: %v)\n", *name, *version, cat.Names())
			return 1
		}
		out = p
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fprintln(stderr, "servicing products:", err)
		return 1
	}
	return 0
}

// readCatalogue reads and checks a catalogue file (product.ParseCatalogue).
func readCatalogue(path string) (product.Catalogue, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return product.Catalogue{}, err
	}
	c, err := product.ParseCatalogue(b)
	if err != nil {
		return product.Catalogue{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
