package main

import (
	_ "embed"
	"io"
)

// The JSON Schemas (draft 2020-12) of simulate's input and output, for
// harnesses in other languages that drive the engine through it. They are
// generated from the Go types simulate reads and writes, and a test fails
// when a type changes without them.
var (
	//go:embed schema/scenario.schema.json
	scenarioSchemaJSON []byte
	//go:embed schema/simulation.schema.json
	simulationSchemaJSON []byte
)

// printSchema writes one of the schemas to stdout.
func printSchema(stdout, stderr io.Writer, schema []byte) int {
	if _, err := stdout.Write(schema); err != nil {
		fprintln(stderr, "servicing simulate:", err)
		return 1
	}
	return 0
}
