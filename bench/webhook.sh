#!/usr/bin/env bash
# Webhook load benchmark (issue 7): PullSecretWebhook's POST /mutate next to two baselines measured in the same run,
# on the same machine, payload, certificate and TLS settings — a bare Kestrel endpoint (the framework floor,
# bench/KestrelFloor) and nginx answering a constant AdmissionReview (a static-server ceiling).
#
#   bench/webhook.sh [--quick] [--jit] [--rounds N] [--duration SECONDS]
#
# The product is measured as the image ships it (Native AOT); --jit measures the JIT build instead (the floor, a JIT
# build of bare Kestrel, stays as it is).
#
# Load shapes, each run against the three servers back to back (order rotated per round, median over rounds):
#   http1   wrk, HTTP/1.1 keep-alive (the API server's protocol for webhooks), 32 connections, saturation
#   http2   h2load, HTTP/2, 4 connections x 8 streams, saturation
#   newconn wrk, "Connection: close": a new TLS connection (full handshake) per request, 16 connections
#   rate    h2load --h1 --rps: HTTP/1.1 at a fixed 5,000 requests/s (10 connections x 500/s)
# plus start -> /readyz time, requests/s in the first 10 s after ready, and peak RSS (VmHWM).
# Servers run on CPU 1, the load generator on CPU 0 (taskset). Traffic goes to 127.0.0.1 only; every load is
# bounded in time or count; every process started here is stopped on exit.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

QUICK=0
JIT=0
ROUNDS=3
DURATION=10
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; ROUNDS=1; DURATION=2 ;;
    --jit) JIT=1 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (try --help)" ;;
  esac
  shift
done

RATE=5000
RATE_CONNECTIONS=10
OUT="$(results_dir webhook)"
RAW="$OUT/raw.tsv"
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -f "$FIXTURE" ] || die "fixture $FIXTURE is missing"
ensure_commands wrk h2load nginx openssl curl taskset
cp "$FIXTURE" "$OUT/request.json"

if [ "$JIT" = 1 ]; then
  build webhook-jit "$OUT/build.log"
  WEBHOOK_DIR="$ARTIFACTS/webhook-jit"; WEBHOOK_CMD=(dotnet pullsecret-webhook.dll)
else
  build webhook "$OUT/build.log"
  WEBHOOK_DIR="$ARTIFACTS/webhook"; WEBHOOK_CMD=(./pullsecret-webhook)
fi
build floor "$OUT/build.log"

# One certificate for all three servers: ECDSA P-256 like the webhook's development certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$OUT/tls.key" -out "$OUT/tls.crt" 2>/dev/null

{
  echo "# Webhook benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), mode $([ $QUICK = 1 ] && echo quick || echo full): $ROUNDS round(s) of ${DURATION}s per load"
  machine_info
} >"$OUT/machine.md"
printf 'round\tload\tserver\trps\tp50_ms\tp99_ms\tp999_ms\terrors\n' >"$RAW"

# --- servers -------------------------------------------------------------------------------------------------------
declare -A URL PID READY_MS FIRST10

start_webhook() {
  local port; port=$(free_port)
  local start; start=$(now_ns)
  # No kubeconfig and no in-cluster files: the webhook runs alone, as the load test wants (namespace facts unknown).
  # The publish folder is the content root (the program's own folder): appsettings.json (log levels, JSON logs) applies.
  (cd "$WEBHOOK_DIR" && exec env -u KUBECONFIG -u KUBERNETES_SERVICE_HOST HOME="$OUT" POD_NAMESPACE=psw-system "${RUNTIME_ENV[@]}" \
    taskset -c "$SERVER_CPU" "${WEBHOOK_CMD[@]}" --urls "https://127.0.0.1:$port" \
    --Tls:CertFile="$OUT/tls.crt" --Tls:KeyFile="$OUT/tls.key") >"$OUT/webhook.log" 2>&1 &
  PID[webhook]=$!; track "${PID[webhook]}"
  URL[webhook]="https://127.0.0.1:$port"
  READY_MS[webhook]=$(wait_ready "${URL[webhook]}/readyz" "$start" 60 "${PID[webhook]}")
}

start_floor() {
  local port; port=$(free_port)
  local start; start=$(now_ns)
  (cd "$ARTIFACTS/kestrel-floor" && exec env "${RUNTIME_ENV[@]}" taskset -c "$SERVER_CPU" dotnet kestrel-floor.dll --urls "https://127.0.0.1:$port" \
    --cert "$OUT/tls.crt" --key "$OUT/tls.key" --response "$OUT/response.json") >"$OUT/floor.log" 2>&1 &
  PID[floor]=$!; track "${PID[floor]}"
  URL[floor]="https://127.0.0.1:$port"
  READY_MS[floor]=$(wait_ready "${URL[floor]}/readyz" "$start" 60 "${PID[floor]}")
}

start_nginx() {
  local port; port=$(free_port)
  mkdir -p "$OUT/nginx-tmp"
  local response; response=$(cat "$OUT/response.json")
  case "$response" in *"'"*|*'$'*) die "the constant response cannot be embedded in nginx.conf" ;; esac
  sed -e "s|@DIR@|$OUT|g" -e "s|@PORT@|$port|g" "$BENCH_DIR/webhook/nginx.conf.template" \
    | awk -v r="$response" '{ gsub(/@RESPONSE@/, r); print }' >"$OUT/nginx.conf"
  local start; start=$(now_ns)
  taskset -c "$SERVER_CPU" nginx -p "$OUT" -c "$OUT/nginx.conf" -e "$OUT/nginx-error.log" >"$OUT/nginx.log" 2>&1 &
  PID[nginx]=$!; track "${PID[nginx]}"
  URL[nginx]="https://127.0.0.1:$port"
  READY_MS[nginx]=$(wait_ready "${URL[nginx]}/readyz" "$start" 30 "${PID[nginx]}")
}

# --- loads ---------------------------------------------------------------------------------------------------------
# Each prints "rps p50 p99 p999 errors" (milliseconds).
load_wrk() {
  local url="$1" close="$2" connections="$3" seconds="$4" log="$5"
  BENCH_BODY="$OUT/request.json" BENCH_CLOSE="$close" on_load_cpu wrk -t1 -c"$connections" -d"${seconds}s" --timeout 5s \
    -s "$BENCH_DIR/webhook/post.lua" "$url/mutate" >"$log" 2>&1 || true
  awk '/^BENCH / { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
        print f["rps"], f["p50"], f["p99"], f["p999"], f["socket_errors"] + f["non2xx"]; found = 1 }
       END { if (!found) print "n/a n/a n/a n/a n/a" }' "$log"
}

load_h2load() {
  local url="$1" log="$2"; shift 2
  local requests="$log.requests"
  on_load_cpu h2load -t1 --log-file="$requests" -d "$OUT/request.json" -H 'content-type: application/json' "$@" \
    "$url/mutate" >"$log" 2>&1 || true
  local rps errors lat
  rps=$(awk '/^finished in/ { gsub(",", "", $4); print $4 }' "$log")
  errors=$(awk '/^requests:/ { print $10 + $12 }' "$log")
  non200=$(awk -F'\t' '$2 != 200 { n++ } END { print n + 0 }' "$requests" 2>/dev/null || echo 0)
  lat=$(awk -F'\t' '{ printf "%.3f\n", $3 / 1000 }' "$requests" 2>/dev/null | percentiles)
  rm -f "$requests"
  echo "${rps:-n/a} $lat $(( ${errors:-0} + non200 ))"
}

run_load() {
  local round="$1" load="$2" server="$3" url="${URL[$3]}" result
  local log="$OUT/$load-$server-r$round.log"
  case "$load" in
    http1) result=$(load_wrk "$url" 0 32 "$DURATION" "$log") ;;
    http2) result=$(load_h2load "$url" "$log" -c4 -m8 -D "$DURATION") ;;
    newconn) result=$(load_wrk "$url" 1 16 "$DURATION" "$log") ;;
    rate) result=$(load_h2load "$url" "$log" --h1 -c"$RATE_CONNECTIONS" -m1 --rps $(( RATE / RATE_CONNECTIONS )) -n $(( RATE * DURATION ))) ;;
  esac
  printf '%s\t%s\t%s\t%s\n' "$round" "$load" "$server" "$(tr ' ' '\t' <<<"$result")" >>"$RAW"
  log "round $round $load $server: $result"
}

# --- run -----------------------------------------------------------------------------------------------------------
log "results in $OUT"
log "starting the webhook (Release, HTTPS) on CPU $SERVER_CPU"
start_webhook
# The response the webhook gives is the constant both baselines answer; it must carry the patch.
curl -sk -H 'Content-Type: application/json' --data-binary @"$OUT/request.json" "${URL[webhook]}/mutate" >"$OUT/response.json"
grep -q '"patchType":"JSONPatch"' "$OUT/response.json" || die "the webhook did not patch the 4 KB review: $(cat "$OUT/response.json")"
log "webhook ready in ${READY_MS[webhook]} ms; first 10 s of load"
FIRST10[webhook]=$(load_wrk "${URL[webhook]}" 0 32 10 "$OUT/first10-webhook.log" | cut -d' ' -f1)

log "starting the Kestrel floor"
start_floor
if [ "$QUICK" = 1 ]; then
  load_wrk "${URL[floor]}" 0 32 2 "$OUT/warmup-floor.log" >/dev/null
  FIRST10[floor]="n/a"
else
  FIRST10[floor]=$(load_wrk "${URL[floor]}" 0 32 10 "$OUT/first10-floor.log" | cut -d' ' -f1)
fi
log "starting nginx"
start_nginx
FIRST10[nginx]="n/a"

SERVERS=(webhook floor nginx)
for round in $(seq "$ROUNDS"); do
  for load in http1 http2 newconn rate; do
    for i in 0 1 2; do
      run_load "$round" "$load" "${SERVERS[$(( (i + round - 1) % 3 ))]}"
    done
  done
done

declare -A RSS
RSS[webhook]=$(peak_rss_mib "${PID[webhook]}")
RSS[floor]=$(peak_rss_mib "${PID[floor]}")
RSS[nginx]="n/a"
cleanup

# --- summary -------------------------------------------------------------------------------------------------------
# med LOAD SERVER COLUMN: the median over rounds (columns: 4 rps, 5 p50, 6 p99, 7 p99.9, 8 errors).
med() { awk -F'\t' -v l="$1" -v s="$2" -v c="$3" 'NR > 1 && $2 == l && $3 == s { print $c }' "$RAW" | median; }
sum_errors() { awk -F'\t' -v l="$1" 'NR > 1 && $2 == l { n += $8 } END { print n + 0 }' "$RAW"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
# Median over rounds of the webhook's throughput divided by a baseline's in the same round (measured back to back, so
# drift in the machine's load cancels out better than in a ratio of medians).
round_ratio() {
  awk -F'\t' -v l="$1" -v b="$2" 'NR > 1 && $2 == l && $3 == "webhook" { w[$1] = $4 } NR > 1 && $2 == l && $3 == b { x[$1] = $4 }
    END { for (r in w) if (r in x && x[r] + 0 > 0) printf "%.4f\n", w[r] / x[r] }' "$RAW" | median | xargs -I{} awk -v v={} 'BEGIN { if (v == "n/a") print v; else printf "%.2f", v }'
}
int() { awk -v v="$1" 'BEGIN { if (v == "n/a" || v == "") print "n/a"; else printf "%.0f", v }'; }
lat() { echo "$(fmt "$(med "$1" "$2" 5)") / $(fmt "$(med "$1" "$2" 6)") / $(fmt "$(med "$1" "$2" 7)")"; }

SUMMARY="$OUT/summary.md"
{
  cat "$OUT/machine.md"
  echo
  echo "| figure | webhook | Kestrel floor | nginx | target (webhook) | result |"
  echo "|---|---|---|---|---|---|"
  declare -A NAME=([http1]="HTTP/1.1 keep-alive" [http2]="HTTP/2" [newconn]="new TLS connection per request")
  for load in http1 http2 newconn; do
    w=$(med "$load" webhook 4); f=$(med "$load" floor 4); n=$(med "$load" nginx 4)
    rf=$(round_ratio "$load" floor); rn=$(round_ratio "$load" nginx)
    echo "| ${NAME[$load]}: requests/s | $(int "$w") | $(int "$f") | $(int "$n") | | |"
    echo "| ${NAME[$load]}: p50 / p99 / p99.9 ms | $(lat "$load" webhook) | $(lat "$load" floor) | $(lat "$load" nginx) | | |"
    echo "| ${NAME[$load]}: throughput ÷ floor | $rf | 1 | | ≥ 0.90 | $(verdict "$rf" ge 0.9) |"
    echo "| ${NAME[$load]}: throughput ÷ nginx | $rn | | 1 | ≥ 0.45 | $(verdict "$rn" ge 0.45) |"
  done
  echo "| HTTP/1.1 at $RATE req/s: achieved req/s | $(int "$(med rate webhook 4)") | $(int "$(med rate floor 4)") | $(int "$(med rate nginx 4)") | | |"
  echo "| HTTP/1.1 at $RATE req/s: p50 / p99 / p99.9 ms | $(lat rate webhook) | $(lat rate floor) | $(lat rate nginx) | | |"
  p99=$(med rate webhook 6)
  echo "| HTTP/1.1 at $RATE req/s: p99 ms | $(fmt "$p99") | $(fmt "$(med rate floor 6)") | $(fmt "$(med rate nginx 6)") | ≤ 2 | $(verdict "$p99" le 2) |"
  echo "| start → /readyz ms | ${READY_MS[webhook]} | ${READY_MS[floor]} | ${READY_MS[nginx]} | ≤ 1500 | $(verdict "${READY_MS[webhook]}" le 1500) |"
  steady=$(med http1 webhook 4); steady_floor=$(med http1 floor 4)
  early=$(ratio "${FIRST10[webhook]}" "$steady"); early_floor=$(ratio "${FIRST10[floor]}" "$steady_floor")
  echo "| first 10 s after ready: requests/s | $(int "${FIRST10[webhook]}") | $(int "${FIRST10[floor]}") | | | |"
  echo "| first 10 s ÷ steady (HTTP/1.1) | $early | $early_floor | | ≥ 0.50 | $(verdict "$early" ge 0.5) |"
  echo "| peak RSS MiB (VmHWM) | ${RSS[webhook]} | ${RSS[floor]} | | ≤ 128 | $(verdict "${RSS[webhook]}" le 128) |"
  echo
  for load in http1 http2 newconn rate; do
    e=$(sum_errors "$load")
    [ "$e" = 0 ] || echo "- $load: $e socket errors or non-200 answers in total (see $load-*.log)"
  done
  echo "- figures are medians over $ROUNDS round(s); a ratio is the median of the per-round ratios (servers measured back to back); raw figures in raw.tsv, logs beside it"
} >"$SUMMARY"
cat "$SUMMARY"
