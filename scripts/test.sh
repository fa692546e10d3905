#!/usr/bin/env bash
# The project's test command (see README): format, vet, race tests, vectors.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

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
  if [ "${CI:-}" = "true" ]; then
    ./scripts/postgres.sh ./scripts/chromium.sh bash -c 'cd examples && go vet -race ./... && go test -race -count=1 ./...'
  else
    [ -n "${SERVICING_PG_DSN:-}" ] || echo "NOTICE: SERVICING_PG_DSN is not set: the PostgreSQL tests of examples/sqlstore skip (scripts/postgres.sh runs them)"
    (cd examples && go vet -race ./... && go test -race -count=1 ./...)
  fi
  echo "== examples module done in $((SECONDS - examples_start))s"
fi
