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
  echo "== examples module"
  (cd examples && go vet ./... && go test -race -count=1 ./...)
fi
