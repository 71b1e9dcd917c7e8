#!/usr/bin/env bash
# Memory benchmark (issue 14): the product's resident memory against the real control plane of the end-to-end tier
# (bench/ControlPlaneMemory), under each garbage-collector configuration in turn, at N namespaces.
#
#   bench/memory.sh [--namespaces N] [--idle-seconds S] [--configs 0,2,3]
#
# Default: 200 namespaces, 30 s idle per configuration. Needs the control plane (`bash .ci/control-plane`).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release -m:1 bench/ControlPlaneMemory >/dev/null
exec dotnet bench/ControlPlaneMemory/bin/Release/net10.0/ControlPlaneMemory.dll "$@"
