// Command worker runs a portfolio's end of day across processes on
// PostgreSQL: every process claims shards of the day's run (sqlstore.Runs),
// closes their loans' days, and the one holding the relay lock drains the
// transactional outbox meanwhile. Start as many as you like, on any
// machines that reach the database; kill any of them: its shard is taken
// over when its lease expires.
//
//	worker -dsn DSN board -loans 300            # a demonstration portfolio
//	worker -dsn DSN -name w1 run -day 2024-03-17  # run the day (all workers alike)
//	worker -dsn DSN status -day 2024-03-17        # progress per shard
//	worker -dsn DSN check -day 2024-03-17         # exactly once, nothing lost
//	worker -dsn DSN -schema S drop                # drop the schema and its tables
//
// The DSN defaults to $SERVICING_PG_DSN; -schema puts every table in a
// schema of its own. The relay delivers to a demonstration consumer in the
// same database: scaleout_deliveries is every delivery (at least once),
// scaleout_seen the consumer's deduplication by outbox id. Delivery and
// acknowledgement are separate transactions, as they are with a real
// webhook or queue, so a relay killed between them delivers a page twice.
// scripts/scaleout.sh drives it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	var c config
	flag.StringVar(&c.dsn, "dsn", os.Getenv("SERVICING_PG_DSN"), "PostgreSQL DSN (default $SERVICING_PG_DSN)")
	flag.StringVar(&c.schema, "schema", "", "schema for every table (created by board; default: the DSN's search_path)")
	flag.StringVar(&c.name, "name", "", "this worker's name in the shard rows (default worker-PID)")
	flag.Parse()
	if c.dsn == "" {
		fail("no DSN: pass -dsn or set SERVICING_PG_DSN")
	}
	if !identifier(c.schema) {
		fail("-schema must be a plain identifier (letters, digits, _)")
	}
	if c.name == "" {
		c.name = fmt.Sprint("worker-", os.Getpid())
	}
	if !identifier(strings.ReplaceAll(c.name, "-", "_")) {
		fail("-name must be letters, digits, _ and -")
	}
	args := flag.Args()
	if len(args) == 0 {
		fail("usage: worker [-dsn DSN] [-schema S] [-name N] board|run|status|check|drop [flags]")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch args[0] {
	case "board":
		err = c.board(ctx, args[1:])
	case "run":
		err = c.run(ctx, args[1:])
	case "status":
		err = c.status(ctx, args[1:])
	case "check":
		err = c.check(ctx, args[1:])
	case "drop":
		err = c.drop(ctx)
	default:
		fail("unknown command " + args[0])
	}
	if err != nil {
		fail(err.Error())
	}
}

// identifier reports whether s is empty or a plain SQL identifier, safe to
// put in a statement unquoted.
func identifier(s string) bool {
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "worker:", msg)
	os.Exit(1)
}

// config is the global flags.
type config struct {
	dsn, schema, name string
}

// conn is the DSN with the schema and the worker's name (application_name,
// so pg_stat_activity and pg_locks show which worker holds what).
func (c config) conn() string {
	params := map[string]string{"application_name": c.name}
	if c.schema != "" {
		params["search_path"] = c.schema
	}
	if strings.HasPrefix(c.dsn, "postgres://") || strings.HasPrefix(c.dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(c.dsn, "?") {
			sep = "&"
		}
		var b strings.Builder
		b.WriteString(c.dsn)
		for _, k := range []string{"application_name", "search_path"} {
			if v, ok := params[k]; ok {
				b.WriteString(sep + k + "=" + v)
				sep = "&"
			}
		}
		return b.String()
	}
	s := c.dsn
	for _, k := range []string{"application_name", "search_path"} {
		if v, ok := params[k]; ok {
			s += " " + k + "=" + v
		}
	}
	return s
}

// clock is the engine's clock: the host's wall clock (the library never
// reads one itself).
func clock() time.Time { return time.Now().UTC() }
