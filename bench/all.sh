#!/usr/bin/env bash
# Every benchmark, one after the other (never two at once: they would share the two cores), into one results folder:
#
#   bench/all.sh --quick     the whole set in under 2 minutes of measurement (after the builds)
#   bench/all.sh             full mode: webhook 3 rounds x 10 s per load, core with BenchmarkDotNet's default job,
#                            reconciler at 1,000 namespaces with a 10-minute idle window (about 20 minutes in all)
#
# Prints the combined summary (markdown) at the end and writes it to bench/results/<timestamp>/summary.md.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ARGS=()
case "${1:-}" in
  --quick) ARGS=(--quick) ;;
  "") ;;
  -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
  *) die "unknown argument $1 (try --help)" ;;
esac

export BENCH_OUT="$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BENCH_OUT"
for what in webhook floor core fake reconciler-bench; do
  build "$what" "$BENCH_OUT/build.log"
done
export BENCH_SKIP_BUILD=1

started=$(date +%s)
"$BENCH_DIR/core.sh" "${ARGS[@]}"
"$BENCH_DIR/webhook.sh" "${ARGS[@]}"
"$BENCH_DIR/reconciler.sh" "${ARGS[@]}"
elapsed=$(( $(date +%s) - started ))

{
  echo "# PullSecretWebhook benchmarks ($([ ${#ARGS[@]} -gt 0 ] && echo quick || echo full) mode, ${elapsed} s of measurement after the builds)"
  for part in $(cd "$BENCH_OUT" && ls -d core webhook reconciler-*); do
    echo
    echo "## $part"
    echo
    tail -n +2 "$BENCH_OUT/$part/summary.md"
  done
} >"$BENCH_OUT/summary.md"
cat "$BENCH_OUT/summary.md"
