#!/usr/bin/env bash
# Scale-out check of sharded end of day and the transactional outbox on
# PostgreSQL (examples/cmd/worker):
#
#   ./scripts/scaleout.sh          # 3 workers, one killed mid-run; exits 1 on any loss
#   ./scripts/scaleout.sh bench    # loan-days per second with 1, 2 and 4 workers
#
# It uses the server named by SERVICING_PG_DSN, or starts a throwaway one
# with scripts/postgres.sh, and works in a schema of its own, dropped at the
# end. The check boards SCALEOUT_LOANS loans (default 300), starts three
# workers, waits until the one holding the outbox relay lock has recorded
# progress on a shard, kills it with SIGKILL, lets the other two finish
# (one takes the dead shard over when its lease expires, one takes over
# the relay), and runs `worker check`, which prints the summary line and
# fails on any loan not closed exactly once, any outbox record lost, or any
# duplicate delivery the consumer's deduplication did not remove.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SERVICING_PG_DSN:-}" ]; then
  exec ./scripts/postgres.sh "$0" "$@"
fi
mode=${1:-check}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scaleout.XXXXXX")
schemas=()
pids=()
cleanup() {
  status=$?
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "${SCALEOUT_KEEP:-}" ] || for s in "${schemas[@]}"; do "$tmp/worker" -schema "$s" drop || true; done
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "== scaleout: building examples/cmd/worker"
(cd examples && go build -o "$tmp/worker" ./cmd/worker)
w="$tmp/worker"

now() { date +%s.%N; }

# fresh NAME: a new schema for one scenario.
fresh() {
  local s="scaleout_$$_$1"
  schemas+=("$s")
  "$w" -schema "$s" drop
  echo "$s"
}

# run_workers SCHEMA N LOG_PREFIX ARGS...: start N workers in the background.
run_workers() {
  local s=$1 n=$2 prefix=$3; shift 3
  pids=()
  for i in $(seq 1 "$n"); do
    "$w" -schema "$s" -name "w$i" run "$@" >"$prefix.w$i.log" 2>&1 &
    pids+=($!)
  done
}

# wait_workers: wait for the started workers; fails if any failed (a killed
# one is waited for separately).
wait_workers() {
  local rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  pids=()
  return $rc
}

case "$mode" in
check)
  loans=${SCALEOUT_LOANS:-300}
  s=$(fresh check)
  "$w" -schema "$s" board -loans "$loans"
  start=$(now)
  # A short run: the pause after each chunk stretches it so the kill lands
  # mid-shard; the 1-second lease keeps the takeover quick.
  run_workers "$s" 3 "$tmp/check" -shards 12 -chunk 5 -chunk-delay 40ms -lease 1s
  victim=""
  for _ in $(seq 1 400); do
    for i in 1 2 3; do
      log="$tmp/check.w$i.log"
      if grep -q "relay: holding" "$log" 2>/dev/null && grep -q " shard " "$log" 2>/dev/null; then
        victim=$i; break 2
      fi
    done
    sleep 0.025
  done
  if [ -z "$victim" ]; then
    echo "scaleout: no worker held the relay lock and a shard; logs:" >&2; cat "$tmp"/check.w*.log >&2; exit 1
  fi
  vpid=${pids[$((victim - 1))]}
  echo "== scaleout: kill -9 w$victim (pid $vpid): $(grep -c ' shard ' "$tmp/check.w$victim.log") chunks recorded, holding the relay lock"
  kill -9 "$vpid"
  wait "$vpid" 2>/dev/null || true
  survivors=()
  for i in 1 2 3; do [ "$i" = "$victim" ] || survivors+=("${pids[$((i - 1))]}"); done
  pids=("${survivors[@]}")
  if ! wait_workers; then
    echo "scaleout: a surviving worker failed; logs:" >&2; cat "$tmp"/check.w*.log >&2; exit 1
  fi
  elapsed=$(echo "$(now) - $start" | bc)
  grep -h "done:\|relay: delivered" "$tmp"/check.w*.log | sed 's/^/   /'
  "$w" -schema "$s" check -loans "$loans" -elapsed "${elapsed}s"
  ;;
bench)
  loans=${SCALEOUT_LOANS:-1000}
  echo "== scaleout bench: $loans loans, end of day 2024-03-17 after 2024-03-16 was closed; $(nproc) CPUs"
  for n in 1 2 4; do
    s=$(fresh "bench$n")
    "$w" -schema "$s" board -loans "$loans" >/dev/null
    run_workers "$s" "$n" "$tmp/prep$n" -day 2024-03-16 -shards 16 -chunk 25
    wait_workers
    start=$(now)
    run_workers "$s" "$n" "$tmp/bench$n" -day 2024-03-17 -shards 16 -chunk 25
    wait_workers
    elapsed=$(echo "$(now) - $start" | bc)
    printf 'bench: workers=%d loans=%d seconds=%.2f loan_days_per_s=%.0f\n' "$n" "$loans" "$elapsed" "$(echo "$loans / $elapsed" | bc -l)"
    "$w" -schema "$s" check -loans "$loans" -day 2024-03-16,2024-03-17 >/dev/null
    "$w" -schema "$s" drop
  done
  ;;
*)
  echo "usage: $0 [check|bench]" >&2; exit 2 ;;
esac
