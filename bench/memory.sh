#!/usr/bin/env bash
# Memory benchmark (issue 14): the product's resident memory against the real control plane of the end-to-end tier
# (bench/ControlPlaneMemory), under each garbage-collector configuration in turn, at N namespaces.
#
#   bench/memory.sh [--jit] [--namespaces N] [--idle-seconds S] [--configs 0,2,3]
#
# Default: 200 namespaces, 30 s idle per configuration, the image's build (the Native AOT executable of
# `dotnet publish -r linux-x64`, published first: needs clang, 2-5 minutes when the sources changed). --jit measures
# the JIT build (`dotnet build`) instead, the one the GC configurations other than 0 are about. Needs the control plane
# (`bash .ci/control-plane`).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh

ARGS=()
JIT=0
for arg in "$@"; do
  if [ "$arg" = --jit ]; then JIT=1; else ARGS+=("$arg"); fi
done

dotnet build -c Release -m:1 bench/ControlPlaneMemory >/dev/null
if [ "$JIT" = 1 ]; then
  export PSW_PRODUCT="$PWD/bench/ControlPlaneMemory/bin/Release/net10.0/pullsecret-webhook.dll"
fi
exec dotnet bench/ControlPlaneMemory/bin/Release/net10.0/ControlPlaneMemory.dll "${ARGS[@]}"
