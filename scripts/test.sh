#!/usr/bin/env bash
# The project's test command (see README): format, vet, lint, race tests, vectors,
# the examples module and the scale-out check.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== golangci-lint"
./scripts/lint.sh

echo "== go test -race"
go test -race -count=1 ./...

echo "== reference vectors"
go run ./cmd/servicing vectors testdata/vectors/*.json

if [ -d examples ] && [ -f examples/go.mod ]; then
  # The examples module (SQL stores, demo). In CI its PostgreSQL tests run
  # against a throwaway server that scripts/postgres.sh installs and starts,
  # and the demo's browser test opens its HTML report in the headless
  # Chromium that scripts/chromium.sh installs; elsewhere they use
  # SERVICING_PG_DSN and SERVICING_CHROMIUM (or a chromium on the PATH) if
  # set, or skip.
  echo "== examples module"
  examples_start=$SECONDS
  # vet with -race so it shares the race-instrumented build of the drivers
  # (modernc.org/sqlite is large) with the tests instead of compiling it twice.
  # scripts/scaleout.sh (three workers on PostgreSQL, one killed mid-run)
  # runs on the same server.
  if [ "${CI:-}" = "true" ]; then
    ./scripts/postgres.sh ./scripts/chromium.sh bash -c 'cd examples && go vet -race ./... && go test -race -count=1 ./... && cd .. && echo "== scaleout" && ./scripts/scaleout.sh'
  else
    [ -n "${SERVICING_PG_DSN:-}" ] || echo "NOTICE: SERVICING_PG_DSN is not set: the PostgreSQL tests of examples/sqlstore skip (scripts/postgres.sh runs them)"
    (cd examples && go vet -race ./... && go test -race -count=1 ./...)
    if [ -n "${SERVICING_PG_DSN:-}" ]; then
      echo "== scaleout"
      ./scripts/scaleout.sh
    else
      echo "== scaleout skipped: set SERVICING_PG_DSN (or run ./scripts/scaleout.sh, which starts PostgreSQL itself)"
    fi
  fi
  echo "== examples module done in $((SECONDS - examples_start))s"
fi
