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
  build webhook-aot "$ARTIFACTS/webhook-aot.log"
  export PSW_PRODUCT_DLL="$ARTIFACTS/webhook-aot/pullsecret-webhook"
fi

dotnet build -c Release -m:1 bench/ControlPlaneMemory >/dev/null
exec dotnet bench/ControlPlaneMemory/bin/Release/net10.0/ControlPlaneMemory.dll "${ARGS[@]}"
