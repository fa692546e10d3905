#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:
#
#   ./scripts/postgres.sh go test ./...
#
# It installs PostgreSQL from Debian's packages if it is missing (needs root:
# apt-get), creates a cluster in a temporary directory (Unix socket only, no
# TCP port), starts it, creates the role and database "servicing", exports
# SERVICING_PG_DSN for the command, runs the command, then stops the server
# and deletes the directory, whatever the command's outcome. Its exit status
# is the command's.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 2
fi

find_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; fi
}

bindir=$(find_bindir)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres.sh: PostgreSQL is not installed and installing it needs root (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "== installing PostgreSQL from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Keep the package's own cluster from starting; this script runs its own.
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_created=1
  fi
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  if [ "$policy_created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  bindir=$(find_bindir)
  if [ -z "$bindir" ]; then echo "postgres.sh: initdb not found after installing postgresql" >&2; exit 1; fi
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/servicing-pg.XXXXXX")
# The server refuses to run as root; as root, run it as the postgres user.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
chmod 700 "$dir"

started=0
cleanup() {
  status=$?
  if [ "$started" = 1 ]; then
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "== starting PostgreSQL ($("$bindir/postgres" --version)) in $dir"
"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# A test server: no TCP, no durability on crash (fsync off) for speed.
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
started=1
"$bindir/psql" -h "$dir" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE ROLE servicing LOGIN" -c "CREATE DATABASE servicing OWNER servicing"

export SERVICING_PG_DSN="host=$dir port=5432 user=servicing dbname=servicing sslmode=disable"
echo "== SERVICING_PG_DSN=$SERVICING_PG_DSN"
set +e
"$@"
status=$?
set -e
exit "$status"
