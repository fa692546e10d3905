#!/usr/bin/env bash
# bench.sh — run the performance benchmarks of issue 18 and print one line
# per target: name, measured, baseline, ratio, target, met.
#
# Each benchmark runs beside its float64/int64 baseline in the same
# `go test -bench` run (-count 3, -benchmem); the medians are compared, so
# the ratio survives a busy machine better than absolute times do.
#
# To add a target, add one line to TARGETS:
#   name|package|benchmark|baseline benchmark|conditions[|shown]
# conditions are comma-separated, each ns<=N, allocs<=N, ratio<=N (ratio
# is measured ns/op over baseline ns/op) or UNIT<=N for a metric the
# benchmark reports (b.ReportMetric), or UNIT>=N for a floor (such as the
# size of the run measured); a target is met when all hold. shown lists
# further metrics to print beside the measurement, comma-separated.
# A baseline of - means none (an absolute target, such as a whole run);
# conditions of - mean the line is shown beside the targets, not one (met
# is -): end of day on a store without the day-close record, which writes
# a marker per loan-day.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(
  "amortize table 360 rows kept|./amortize/|BenchmarkCompute360|BenchmarkFloat64Loop|ratio<=2"
  "amortize SolvePayment|./amortize/|BenchmarkSolvePayment360|BenchmarkSolvePaymentFloat64|ns<=1000,allocs<=2"
  "amortize Reg Z APR 360|./amortize/|BenchmarkAPR360|BenchmarkAPRFloat64|ns<=50000,allocs<=50"
  "post one payment (memory)|.|BenchmarkPostPayment|BenchmarkPostPaymentFloat64|ns<=5000"
  "backdated insert 360 vs 60|.|BenchmarkBackdated360|BenchmarkBackdated60|ratio<=1.2"
  "8x500 backdated, one loan|.|BenchmarkConcurrentBackdated|-|ns<=10000000000,commands>=4000|commands/s,cpu-s"
  "end of day 100k, markers|.|BenchmarkEndOfDayPortfolioHeads|BenchmarkEndOfDayFloat64|-|cpu-µs/loan,loans/s"
  "end of day 100k, day-close|.|BenchmarkEndOfDayPortfolioDayCloser|BenchmarkEndOfDayFloat64|ns<=100000000,cpu-µs/loan<=2|loans/s"
  "end of day 100k, a month|.|BenchmarkEndOfDayPortfolioMonth|-|cpu-µs/loan<=2"
)

COUNT=${COUNT:-3}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# One go test run per package, every benchmark of its targets together.
declare -A regex
for t in "${TARGETS[@]}"; do
  IFS='|' read -r _ pkg bench base _ <<<"$t"
  [ "$base" = - ] && base=$bench
  regex[$pkg]="${regex[$pkg]:+${regex[$pkg]}|}$bench|$base"
done
for pkg in "${!regex[@]}"; do
  go test -run '^$' -bench "^(${regex[$pkg]})\$" -benchmem -count "$COUNT" "$pkg" | sed "s|^|$pkg |" >>"$out"
done

# median PKG BENCH COLUMN: the median of a benchmark's ns/op or allocs/op.
median() {
  awk -v pkg="$1" -v b="$2" -v unit="$3" '
    $1 == pkg { name = $2; sub(/-[0-9]+$/, "", name)
      if (name == b) for (i = 3; i <= NF; i++) if ($(i+1) == unit) v[n++] = $i }
    END { if (n == 0) { print "NaN"; exit }
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      print v[int((n - 1) / 2)] }' "$out"
}

printf '%-30s %-40s %-14s %-8s %-26s %s\n' name measured baseline ratio target met
for t in "${TARGETS[@]}"; do
  IFS='|' read -r name pkg bench base cond shown <<<"$t"
  ns=$(median "$pkg" "$bench" ns/op)
  allocs=$(median "$pkg" "$bench" allocs/op)
  bns=$(median "$pkg" "$base" ns/op)
  ratio=$(awk -v a="$ns" -v b="$bns" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "NaN" }')
  [ "$base" = - ] && bns=- ratio=- # an absolute target: no baseline
  met=yes extra=
  [ "$cond" = - ] && met=- cond=- # shown beside the targets, not one
  IFS=',' read -ra cs <<<"${cond#-}"
  for c in "${cs[@]}"; do
    if [[ $c == *'>='* ]]; then
      key=${c%%>=*} lim=${c#*>=} op=ge
    else
      key=${c%%<=*} lim=${c#*<=} op=le
    fi
    case $key in
      ns) v=$ns ;; allocs) v=$allocs ;; ratio) v=$ratio ;; *) v=$(median "$pkg" "$bench" "$key") extra="$extra, $v $key" ;;
    esac
    awk -v v="$v" -v l="$lim" -v op="$op" 'BEGIN { exit !(v != "NaN" && (op == "ge" ? v + 0 >= l + 0 : v + 0 <= l + 0)) }' || met=no
  done
  IFS=',' read -ra ss <<<"$shown"
  for u in "${ss[@]}"; do
    extra="$extra, $(median "$pkg" "$bench" "$u") $u"
  done
  [ "$bns" = - ] || bns="$bns ns" ratio="${ratio}x"
  printf '%-30s %-40s %-14s %-8s %-26s %s\n' "$name" "${ns} ns, ${allocs} allocs${extra}" "$bns" "$ratio" "$cond" "$met"
done

# The demo on SQLite (examples/cmd/demo -stats), a whole run in a fresh
# database: loan-days per second, database KB per loan-month (file size
# over loans × months), peak RSS and CPU cores busy (process CPU time over
# wall time). Targets: ≥ 100,000 loan-days/s, ≤ 1 KB per loan-month,
# ≤ 250 MB peak for 1,000 loans. DEMO_LOANS and DEMO_MONTHS change the run
# (1000 and 24; about 10 s on two idle cores); DEMO=0 skips it.
if [ "${DEMO:-1}" != 0 ]; then
  dir=$(mktemp -d)
  trap 'rm -f "$out"; rm -rf "$dir"' EXIT
  loans=${DEMO_LOANS:-1000} months=${DEMO_MONTHS:-24}
  (cd examples && go build -o "$dir/demo" ./cmd/demo)
  line=$("$dir/demo" -db "$dir/demo.db" -loans "$loans" -months "$months" -stats 2>&1 >/dev/null | grep 'stats:')
  read -r rate kb mb cores < <(awk '{
      for (i = 1; i <= NF; i++) {
        if ($(i+1) == "loan-days/s,") r = $i
        if ($(i+1) == "KB") k = $i
        if ($i == "RSS") m = $(i+1)
        if ($i == "CPU" && $(i+2) == "of") c = $(i+1)
      }
      print r, k, m, c }' <<<"$line")
  met=yes
  awk -v r="$rate" -v k="$kb" -v m="$mb" 'BEGIN { exit !(r >= 100000 && k <= 1 && m <= 250) }' || met=no
  printf '%-30s %-40s %-14s %-8s %-26s %s\n' "demo SQLite ${loans}x${months}m" \
    "${rate} loan-days/s, ${kb} KB/loan-month, ${mb} MB, ${cores} cores" - - "ld/s>=100000,KB<=1,MB<=250" "$met"
fi
