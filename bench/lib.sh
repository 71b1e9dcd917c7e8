# Shared helpers of the bench scripts: sourced, not run. Everything here stays on 127.0.0.1 and cleans up after itself.
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
ARTIFACTS="$BENCH_DIR/.artifacts"
FIXTURE="${BENCH_FIXTURE:-$REPO_DIR/tests/Fixtures/bench/pod-create-review-4k.json}"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# CPU pinning: the server under test on one core, the load generator on the other, so that they do not take turns on
# the same core. On a single-core machine nothing is pinned.
if [ "$(nproc)" -ge 2 ]; then
  SERVER_CPU="${BENCH_SERVER_CPU:-1}"
  LOAD_CPU="${BENCH_LOAD_CPU:-0}"
  on_server_cpu() { taskset -c "$SERVER_CPU" "$@"; }
  on_load_cpu() { taskset -c "$LOAD_CPU" "$@"; }
else
  SERVER_CPU="-"
  LOAD_CPU="-"
  on_server_cpu() { "$@"; }
  on_load_cpu() { "$@"; }
fi

# Processes this script started, killed by PID (and only those) on exit, however the script ends.
BENCH_PIDS=()
track() { BENCH_PIDS+=("$1"); }
cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
}
stop_pid() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# Installs the Debian packages that provide the given commands, only when one is missing.
ensure_commands() {
  local missing=() cmd pkg
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 && continue
    case "$cmd" in
      h2load) pkg=nghttp2-client ;;
      nginx) pkg=nginx ;;
      taskset) pkg=util-linux ;;
      *) pkg="$cmd" ;;
    esac
    missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
}

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  local port
  while true; do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

now_ns() { date +%s%N; }

# The runtime settings the image sets (the Dockerfile's `ENV DOTNET_...` lines), for every server the benches start:
# the webhook runs as it would in its container. Use as: env "${RUNTIME_ENV[@]}" command...
mapfile -t RUNTIME_ENV < <(sed -n 's/^ENV \(DOTNET_[A-Za-z_]*=[^ ]*\)$/\1/p' "$REPO_DIR/Dockerfile")

# Polls URL until it answers 200 or DEADLINE seconds pass; prints the milliseconds since START_NS.
wait_ready() {
  local url="$1" start_ns="$2" deadline="${3:-60}" pid="${4:-}" limit
  limit=$(( start_ns + deadline * 1000000000 ))
  while [ "$(now_ns)" -lt "$limit" ]; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      die "process $pid exited before $url was ready"
    fi
    if [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null)" = 200 ]; then
      echo $(( ($(now_ns) - start_ns) / 1000000 ))
      return 0
    fi
    sleep 0.01
  done
  die "$url not ready within ${deadline}s"
}

# Peak resident set size (VmHWM) of a process in MiB, one decimal.
peak_rss_mib() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "n/a"; }
current_rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "n/a"; }

# Percentiles (nearest rank) of the numbers on standard input, one per line: prints "p50 p99 p99.9".
percentiles() {
  sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a n/a n/a"; exit }
    split("50 99 99.9", ps, " ")
    out = ""
    for (i = 1; i <= 3; i++) { r = int(ps[i] / 100 * NR + 0.999999); if (r < 1) r = 1; if (r > NR) r = NR; out = out (i > 1 ? " " : "") v[r] }
    print out }'
}

# Median of the numbers on standard input.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Compares a value with a target: verdict VALUE OP TARGET (OP is le or ge); prints PASS, MISS or n/a.
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    if (v == "n/a" || v == "") { print "n/a"; exit }
    if ((op == "le" && v + 0 <= t + 0) || (op == "ge" && v + 0 >= t + 0)) print "PASS"; else print "MISS" }'
}

fmt() { awk -v v="$1" -v d="${2:-2}" 'BEGIN { if (v == "n/a" || v == "") print "n/a"; else printf "%.*f", d, v }'; }

results_dir() {
  local dir
  dir="${BENCH_OUT:-$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)}/$1"
  mkdir -p "$dir"
  echo "$dir"
}

# Describes the machine and its load at the time of the run.
machine_info() {
  echo "- CPU: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores; memory $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); .NET SDK $(dotnet --version 2>/dev/null)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- pinning: server on CPU $SERVER_CPU, load generator on CPU $LOAD_CPU (taskset)"
}

# Release builds of what the benchmarks run, into bench/.artifacts. BENCH_SKIP_BUILD=1 (set by all.sh after it has
# built everything once) skips them.
build() {
  local what="$1" logfile="$2" project output
  [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && return 0
  case "$what" in
    webhook) project="$REPO_DIR/src/PullSecretWebhook"; output="$ARTIFACTS/webhook" ;;
    webhook-jit) project="$REPO_DIR/src/PullSecretWebhook"; output="$ARTIFACTS/webhook-jit" ;;
    floor) project="$BENCH_DIR/KestrelFloor"; output="$ARTIFACTS/kestrel-floor" ;;
    core) project="$BENCH_DIR/AdmissionCore"; output="$ARTIFACTS/admission-core" ;;
    fake) project="$REPO_DIR/tests/FakeKubeApiServer"; output="$ARTIFACTS/fake" ;;
    reconciler-bench) project="$BENCH_DIR/ReconcilerBench"; output="$ARTIFACTS/reconciler-bench" ;;
    *) die "unknown build $what" ;;
  esac
  log "building $what (Release) into $output"
  if [ "$what" = webhook ]; then
    # The image's build (the Dockerfile's publish): Native AOT, needs clang; 2-5 minutes when the sources changed.
    dotnet publish "$project" -c Release -r linux-x64 -o "$output" -v q -nologo >>"$logfile" 2>&1 || { tail -30 "$logfile"; die "$what build failed"; }
  elif [ "$what" = webhook-jit ]; then
    dotnet publish "$project" -c Release -p:PublishAot=false -o "$output" -v q -nologo >>"$logfile" 2>&1 || { cat "$logfile"; die "$what build failed"; }
  else
    dotnet build "$project" -c Release -o "$output" -v q -nologo >>"$logfile" 2>&1 || { cat "$logfile"; die "$what build failed"; }
  fi
}
