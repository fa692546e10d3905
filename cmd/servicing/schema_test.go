package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// The schemas are checked with santhosh-tekuri/jsonschema, a maintained
// validator that passes the JSON Schema Test Suite for draft 2020-12. It is
// required by these tests only: the servicing binary and the library never
// import it (the module's go.mod lists it because test dependencies live
// there too).

var updateSchema = flag.Bool("update-schema", false, "rewrite cmd/servicing/schema/*.json from the Go types")

// TestSchemaFilesMatchGoTypes fails when a Go type simulate reads or writes
// gains, loses or renames a JSON member (or a command type its members)
// without the committed schema knowing it. A change of doc comments alone
// is only logged.
func TestSchemaFilesMatchGoTypes(t *testing.T) {
	for _, c := range []struct {
		file string
		gen  func() ([]byte, error)
	}{{"schema/scenario.schema.json", scenarioSchema}, {"schema/simulation.schema.json", simulationSchema}} {
		got, err := c.gen()
		require.NoError(t, err)
		if *updateSchema {
			require.NoError(t, os.WriteFile(c.file, got, 0o644))
			continue
		}
		want, err := os.ReadFile(c.file)
		require.NoError(t, err)
		regen := "run go test ./cmd/servicing -run TestSchemaFilesMatchGoTypes -update-schema and review the diff"
		switch gs, ws := structure(t, got), structure(t, want); {
		case !bytes.Equal(gs, ws):
			t.Errorf("%s differs from the Go types in $defs %s; %s", c.file, strings.Join(changedDefs(t, gs, ws), ", "), regen)
		case !bytes.Equal(got, want):
			// Only descriptions (doc comments) changed: the schema still
			// says what the types read and write.
			t.Logf("%s: descriptions differ from the doc comments; %s", c.file, regen)
		}
	}
}

// structure is a schema without its descriptions.
func structure(t *testing.T, doc []byte) []byte {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return doc
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			delete(x, "description")
			for _, e := range x {
				strip(e)
			}
		case []any:
			for _, e := range x {
				strip(e)
			}
		}
	}
	strip(v)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// changedDefs names the $defs (or top-level members) that differ.
func changedDefs(t *testing.T, a, b []byte) []string {
	var x, y map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(a, &x))
	if json.Unmarshal(b, &y) != nil {
		return []string{"(unreadable file)"}
	}
	var dx, dy map[string]json.RawMessage
	_ = json.Unmarshal(x["$defs"], &dx)
	_ = json.Unmarshal(y["$defs"], &dy)
	var out []string
	for k := range dx {
		if !bytes.Equal(dx[k], dy[k]) {
			out = append(out, k)
		}
	}
	for k := range dy {
		if _, ok := dx[k]; !ok {
			out = append(out, k)
		}
	}
	for k := range x {
		if k != "$defs" && !bytes.Equal(x[k], y[k]) {
			out = append(out, "(root) "+k)
		}
	}
	slices.Sort(out)
	return out
}

// compileSchema compiles one of the embedded schemas, with formats
// (date, date-time) asserted.
func compileSchema(t *testing.T, doc []byte) *jsonschema.Schema {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("schema.json", v))
	s, err := c.Compile("schema.json")
	require.NoError(t, err)
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, doc []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	require.NoError(t, err)
	return s.Validate(v)
}

// TestSchemaValidatesScenariosAndOutputs: every scenario in testdata
// validates against the input schema, and what simulate prints for it
// against the output schema, which is closed (no member it does not list).
func TestSchemaValidatesScenariosAndOutputs(t *testing.T) {
	in, out := compileSchema(t, scenarioSchemaJSON), compileSchema(t, simulationSchemaJSON)
	files, err := filepath.Glob("../../testdata/scenarios/*.json")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 8)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			require.NoError(t, validate(t, in, b))
			var stdout, stderr bytes.Buffer
			require.Equal(t, 0, run([]string{"simulate", f}, &stdout, &stderr), stderr.String())
			require.NoError(t, validate(t, out, stdout.Bytes()))
		})
	}
}

// TestSchemaRefusesWhatSimulateRefuses: the input schema refuses what the
// strict reader refuses (each case is also refused by simulate), and the
// output schema refuses a member the Go types do not write.
func TestSchemaRefusesWhatSimulateRefuses(t *testing.T) {
	in, out := compileSchema(t, scenarioSchemaJSON), compileSchema(t, simulationSchemaJSON)
	good, err := os.ReadFile("../../testdata/scenarios/auto_payoff.json")
	require.NoError(t, err)
	require.NoError(t, validate(t, in, good))
	for _, c := range []struct{ name, from, to string }{
		{"misspelt top-level member", `"as_of"`, `"as_off"`},
		{"member the command type does not take", `"type": "payment",`, `"type": "payment", "nsf_fee": "25.00",`},
		{"command type unknown", `"type": "payment",`, `"type": "paymnet",`},
		{"rate without its unit", `"annual_rate": "7.9%"`, `"annual_rate": "0.079"`},
		{"date not ISO", `"funding_date": "2025-01-10"`, `"funding_date": "01/10/2025"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := strings.Replace(string(good), c.from, c.to, 1)
			require.NotEqual(t, string(good), bad, "the case must change the scenario")
			require.Error(t, validate(t, in, []byte(bad)))
			_, err := simulate(context.Background(), []byte(bad))
			require.Error(t, err, "simulate must refuse it too")
		})
	}
	// A command without its required member.
	var sc map[string]any
	require.NoError(t, json.Unmarshal(good, &sc))
	sc["commands"] = []any{map[string]any{"type": "payment", "on": "2024-02-01"}}
	b, _ := json.Marshal(sc)
	require.Error(t, validate(t, in, b))

	// Output: a state member the Go types do not write is refused.
	sim, err := simulate(context.Background(), good)
	require.NoError(t, err)
	ob, err := json.Marshal(sim)
	require.NoError(t, err)
	require.NoError(t, validate(t, out, ob))
	var o map[string]any
	require.NoError(t, json.Unmarshal(ob, &o))
	o["states"].([]any)[0].(map[string]any)["late_charges"] = "USD 0.00"
	ob, _ = json.Marshal(o)
	require.Error(t, validate(t, out, ob))
}

func TestSimulateSchemaFlags(t *testing.T) {
	for flagName, want := range map[string][]byte{"--schema": scenarioSchemaJSON, "--output-schema": simulationSchemaJSON} {
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, run([]string{"simulate", flagName}, &stdout, &stderr), stderr.String())
		require.Equal(t, string(want), stdout.String())
		var doc map[string]any
		require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
		require.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"])
	}
	var stdout, stderr bytes.Buffer
	require.Equal(t, 2, run([]string{"simulate", "--schema", "--output-schema"}, &stdout, &stderr))
}
