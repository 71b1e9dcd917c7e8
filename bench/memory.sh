#!/usr/bin/env bash
# Memory benchmark (issue 14): the product's resident memory against the real control plane of the end-to-end tier
# (bench/ControlPlaneMemory), under each garbage-collector configuration in turn, at N namespaces.
#
#   bench/memory.sh [--aot] [--namespaces N] [--idle-seconds S] [--configs 0,2,3]
#
# Default: 200 namespaces, 30 s idle per configuration, the product as `dotnet build` builds it (JIT). --aot publishes it
# with Native AOT first (bench/.artifacts/webhook-aot; needs clang, and 2-5 minutes) and measures that executable;
# README "Native AOT" says what that build is and what it still lacks. Needs the control plane (`bash .ci/control-plane`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh

ARGS=()
AOT=0
for arg in "$@"; do
  if [ "$arg" = --aot ]; then AOT=1; else ARGS+=("$arg"); fi
done

if [ "$AOT" = 1 ]; then
  compiler=$(command -v clang || command -v clang-14 || true)
  [ -n "$compiler" ] || ensure_commands clang
  compiler=$(command -v clang || command -v clang-14)
  output="$ARTIFACTS/webhook-aot"
  log "publishing the product with Native AOT into $output (2-5 minutes)"
  # ILC ignores changed settings on an incremental publish: start from a clean native folder. The AOT build still has
  # trim warnings (README "Native AOT"), so they are not errors here.
  rm -rf src/PullSecretWebhook/obj/Release/net10.0/linux-x64/native
  dotnet publish src/PullSecretWebhook -c Release -r linux-x64 -p:PublishAot=true -p:TreatWarningsAsErrors=false \
    -p:CppCompilerAndLinker="$compiler" -o "$output" -v q -nologo >"$ARTIFACTS/webhook-aot.log" 2>&1 \
    || { tail -30 "$ARTIFACTS/webhook-aot.log"; die "Native AOT publish failed"; }
  export PSW_PRODUCT_DLL="$output/pullsecret-webhook"
fi

dotnet build -c Release -m:1 bench/ControlPlaneMemory >/dev/null
exec dotnet bench/ControlPlaneMemory/bin/Release/net10.0/ControlPlaneMemory.dll "${ARGS[@]}"
