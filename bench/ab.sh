#!/usr/bin/env bash
# Head-to-head throughput of two builds of the webhook: both started at once, then loaded alternately with the same
# wrk HTTP/1.1 keep-alive load (32 connections, the 4 KB review), the order swapped every round, so that drift in the
# machine's speed falls on both. For a change whose effect is smaller than bench/webhook.sh's run-to-run spread.
#
#   bench/ab.sh [--rounds N] [--seconds S] A B
#
# A and B: `aot` (the image's build), `jit` (the JIT build), or a folder holding a published build (a
# pullsecret-webhook.dll is started with dotnet, otherwise the pullsecret-webhook executable). Default 8 rounds of 5 s.
# Prints each round and the mean of each with B ÷ A. Server on CPU 1, wrk on CPU 0; 127.0.0.1 only.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ROUNDS=8
SECONDS_PER_ROUND=5
BUILDS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --seconds) SECONDS_PER_ROUND="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) BUILDS+=("$1") ;;
  esac
  shift
done
[ "${#BUILDS[@]}" = 2 ] || die "give two builds, A and B (try --help)"

OUT="$(results_dir ab)"
trap cleanup EXIT
trap 'exit 130' INT TERM
ensure_commands wrk openssl curl taskset

folder_of() {
  case "$1" in
    aot) build webhook "$OUT/build.log"; echo "$ARTIFACTS/webhook" ;;
    jit) build webhook-jit "$OUT/build.log"; echo "$ARTIFACTS/webhook-jit" ;;
    *) [ -d "$1" ] || die "$1 is neither aot, jit nor a folder"; (cd "$1" && pwd) ;;
  esac
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$OUT/tls.key" -out "$OUT/tls.crt" 2>/dev/null

declare -A URL
SIDES=(A B)
for i in 0 1; do
  side="${SIDES[$i]}"; dir=$(folder_of "${BUILDS[$i]}")
  if [ -f "$dir/pullsecret-webhook.dll" ]; then command=(dotnet pullsecret-webhook.dll); else command=(./pullsecret-webhook); fi
  port=$(free_port); start=$(now_ns)
  (cd "$dir" && exec env -u KUBECONFIG -u KUBERNETES_SERVICE_HOST HOME="$OUT" POD_NAMESPACE=psw-system "${RUNTIME_ENV[@]}" \
    taskset -c "$SERVER_CPU" "${command[@]}" --urls "https://127.0.0.1:$port" \
    --Tls:CertFile="$OUT/tls.crt" --Tls:KeyFile="$OUT/tls.key") >"$OUT/$side.log" 2>&1 &
  pid=$!; track "$pid"; URL[$side]="https://127.0.0.1:$port"
  wait_ready "${URL[$side]}/readyz" "$start" 60 "$pid" >/dev/null || die "build $side did not become ready (see $OUT/$side.log)"
  log "$side: ${BUILDS[$i]} ($dir); warming up"
  BENCH_BODY="$FIXTURE" taskset -c "$LOAD_CPU" wrk -t1 -c32 -d8s -s "$BENCH_DIR/webhook/post.lua" "${URL[$side]}/mutate" >/dev/null
done

for round in $(seq "$ROUNDS"); do
  order="A B"; [ $((round % 2)) = 0 ] && order="B A"
  for side in $order; do
    rps=$(BENCH_BODY="$FIXTURE" taskset -c "$LOAD_CPU" wrk -t1 -c32 -d"${SECONDS_PER_ROUND}s" -s "$BENCH_DIR/webhook/post.lua" "${URL[$side]}/mutate" \
      | sed -n 's/.*rps=\([0-9.]*\).*/\1/p')
    echo "$round $side $rps"
  done
done | tee "$OUT/rounds.txt"
awk '{ s[$2] += $3; n[$2]++ } END { printf "A %.0f req/s  B %.0f req/s  B ÷ A %.3f\n", s["A"]/n["A"], s["B"]/n["B"], (s["B"]/n["B"])/(s["A"]/n["A"]) }' "$OUT/rounds.txt"
