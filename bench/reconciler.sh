#!/usr/bin/env bash
# Reconciler benchmark (issue 7): the webhook against the standalone fake API server (tests/FakeKubeApiServer), at
# the default write rate limit Kube:Qps=20. Measures cold start to every namespace correct, a source rotation to
# every namespace updated (both against the floor namespaces ÷ Qps), new namespace → Secret latency over one-at-a-time
# creations while idle, API calls and writes during an idle window, and the webhook's peak RSS.
#
#   bench/reconciler.sh [--quick] [--jit] [--namespaces N] [--creations K] [--idle-seconds S] [-- WEBHOOK-SETTINGS...]
#
# Full mode: 1,000 namespaces, 100 creations, a 10-minute idle window. --quick: 100 namespaces, 20 creations, 15 s
# idle (figures per minute scaled from it). Settings after -- go to the webhook (e.g. --LeaderElection:Enabled=false).
# The webhook is the image's build (Native AOT; --jit: the JIT build). It runs on CPU 1, the fake and the bench driver on CPU 0 (taskset); everything on 127.0.0.1.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

NAMESPACES=1000
CREATIONS=100
IDLE=600
MODE=full
WEBHOOK=webhook
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick; NAMESPACES=100; CREATIONS=20; IDLE=15 ;;
    --jit) WEBHOOK=webhook-jit ;;
    --namespaces) NAMESPACES="$2"; shift ;;
    --creations) CREATIONS="$2"; shift ;;
    --idle-seconds) IDLE="$2"; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (try --help)" ;;
  esac
  shift
done

OUT="$(results_dir "reconciler-$NAMESPACES")"
stop_children() {
  local pid
  if [ -f "$OUT/pids" ]; then
    while read -r pid; do stop_pid "$pid"; done <"$OUT/pids"
  fi
  cleanup
}
trap stop_children EXIT
trap 'exit 130' INT TERM

build "$WEBHOOK" "$OUT/build.log"
build fake "$OUT/build.log"
build reconciler-bench "$OUT/build.log"

{
  echo "# Reconciler benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), mode $MODE: $NAMESPACES namespaces, $CREATIONS creations, ${IDLE}s idle window"
  machine_info
  echo
} >"$OUT/summary.md"

log "results in $OUT"
# The webhook, a child of the bench process, inherits the image's runtime settings.
env "${RUNTIME_ENV[@]}" taskset -c "$LOAD_CPU" dotnet "$ARTIFACTS/reconciler-bench/reconciler-bench.dll" --out "$OUT" \
  --fake "$ARTIFACTS/fake/FakeKubeApiServer.dll" --webhook "$ARTIFACTS/$WEBHOOK/pullsecret-webhook$([ "$WEBHOOK" = webhook-jit ] && echo .dll)" \
  --namespaces "$NAMESPACES" --creations "$CREATIONS" --idle-seconds "$IDLE" --qps 20 \
  --server-cpu "$SERVER_CPU" --load-cpu "$LOAD_CPU" -- "${EXTRA[@]}" >/dev/null 2> >(tee "$OUT/bench.log" >&2) &
pid=$!; track "$pid"
wait "$pid" || die "the reconciler bench failed (see $OUT/bench.log)"
cat "$OUT/table.md" >>"$OUT/summary.md"
cat "$OUT/summary.md"
