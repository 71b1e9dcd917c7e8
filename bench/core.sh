#!/usr/bin/env bash
# Admission core micro-benchmark (issue 7): BenchmarkDotNet, in process, on the 4 KB Pod CREATE review — parse the
# review, read the envelope, decide, build the patch, write the response bytes — with time and bytes allocated per
# review. Targets: ≤ 10 µs and ≤ 8 KB per review.
#
#   bench/core.sh [--quick]      (--quick: BenchmarkDotNet's ShortRun job; default: its Default job)
#
# The benchmark process runs on CPU 1 (taskset) so that it does not migrate between cores mid-measurement.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

QUICK=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=(--quick) ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (try --help)" ;;
  esac
  shift
done

OUT="$(results_dir core)"
trap cleanup EXIT
trap 'exit 130' INT TERM
[ -f "$FIXTURE" ] || die "fixture $FIXTURE is missing"

build core "$OUT/build.log"
{
  echo "# Admission core benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), mode $([ ${#QUICK[@]} -gt 0 ] && echo "quick (ShortRun)" || echo "full (Default job)")"
  machine_info
} >"$OUT/machine.md"

log "running BenchmarkDotNet (results in $OUT)"
BENCH_BODY="$FIXTURE" on_server_cpu dotnet "$ARTIFACTS/admission-core/AdmissionCore.Benchmarks.dll" "${QUICK[@]}" --artifacts "$OUT" \
  >"$OUT/benchmarkdotnet.log" 2>&1 &
pid=$!; track "$pid"
wait "$pid" || { tail -30 "$OUT/benchmarkdotnet.log"; die "BenchmarkDotNet failed"; }

value() { awk -F'\t' -v m="$1" -v c="$2" '$1 == m { print $c }' "$OUT/core.tsv"; }
us() { awk -v v="$1" 'BEGIN { if (v == "n/a" || v == "") print "n/a"; else printf "%.2f", v / 1000 }'; }
kib() { awk -v v="$1" 'BEGIN { if (v == "n/a" || v == "") print "n/a"; else printf "%.2f", v / 1024 }'; }

SUMMARY="$OUT/summary.md"
{
  cat "$OUT/machine.md"
  echo
  echo "| figure | value | target | result |"
  echo "|---|---|---|---|"
  t=$(us "$(value ReadDecidePatchWrite 2)"); a=$(kib "$(value ReadDecidePatchWrite 4)")
  echo "| admission core (read, decide, patch, write), mean µs per review | $t | ≤ 10 | $(verdict "$t" le 10) |"
  echo "| admission core, KiB allocated per review | $a | ≤ 8 | $(verdict "$a" le 8) |"
  for stage in Scan DecideAndBuildPatch WriteResponse WriteResponseWithWriter ReferenceReadDecidePatchWrite Parse CheckStrings ReadEnvelope; do
    [ -n "$(value "$stage" 2)" ] || continue   # --quick runs the headline stages only
    echo "| stage $stage: mean µs / bytes allocated | $(us "$(value "$stage" 2)") / $(value "$stage" 4) | | |"
  done
  echo
  echo "- full BenchmarkDotNet report: results/*.md and benchmarkdotnet.log"
} >"$SUMMARY"
cat "$SUMMARY"
