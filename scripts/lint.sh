#!/usr/bin/env bash
# Lints both modules with golangci-lint at the version pinned here, built
# from the Go module proxy on first use (about a minute), under the
# repository's .golangci.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
version=2.15.0
bin="$(go env GOPATH)/bin/golangci-lint"
if ! "$bin" version 2>/dev/null | grep -q "version $version "; then
  GOFLAGS= go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$version"
fi
"$bin" run ./...
if [ -f examples/go.mod ]; then
  (cd examples && "$bin" run --config ../.golangci.yml ./...)
fi
