#!/usr/bin/env bash
# Long variants of the CI hardening tests: the same tests, with more cases, steps and repetitions.
#   bench/hardening/long-run.sh [--quick]
# Environment: FUZZ_CASES (default 200000; quick 20000), CHAOS_STEPS (default 1000; quick 200),
#              FAILOVER_RUNS (default 5; quick 1), PSW_FUZZ_SEED / PSW_CHAOS_SEED to replay a run.
# Everything runs on loopback (the server on 127.0.0.1, the fake API server in-process) and ends by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true
fuzz_cases=${FUZZ_CASES:-$($quick && echo 20000 || echo 200000)}
chaos_steps=${CHAOS_STEPS:-$($quick && echo 200 || echo 1000)}
failover_runs=${FAILOVER_RUNS:-$($quick && echo 1 || echo 5)}

out="bench/results/hardening-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
dotnet build tests/PullSecretWebhook.Tests -c Release --nologo -v q > "$out/build.log"

run() { # name, filter, env...
  local name=$1 filter=$2; shift 2
  local start end status
  start=$(date +%s)
  if env "$@" dotnet test tests/PullSecretWebhook.Tests -c Release --no-build --nologo \
      --filter "FullyQualifiedName~$filter" --logger "console;verbosity=normal" > "$out/$name.log" 2>&1; then
    status=PASS
  else
    status=FAIL
  fi
  end=$(date +%s)
  printf '| %s | %s | %s s | %s |\n' "$name" "$*" "$((end - start))" "$status" | tee -a "$out/summary.md"
}

printf '| run | parameters | duration | result |\n|---|---|---|---|\n' | tee "$out/summary.md"
run fuzz AdmissionFuzzTests PSW_FUZZ_CASES="$fuzz_cases"
run chaos ChaosTests PSW_CHAOS_STEPS="$chaos_steps"
for i in $(seq 1 "$failover_runs"); do
  run "failover-$i" AbruptFailoverTests RUN="$i"
done
echo "logs: $out"
! grep -q FAIL "$out/summary.md"
