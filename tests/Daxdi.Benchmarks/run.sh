#!/usr/bin/env bash
# Runs the delivery benchmark (see docs/performance.md), installing wrk first if it is missing.
# Arguments go to the program, e.g.: tests/Daxdi.Benchmarks/run.sh --articles 100000 --out results.md
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v wrk >/dev/null 2>&1; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

exec dotnet run -c Release --project tests/Daxdi.Benchmarks -- "$@"
