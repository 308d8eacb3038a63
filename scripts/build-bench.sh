#!/usr/bin/env bash
# Builds, in release, what the benchmarks run: fat-bench, the programs it starts and the contracts
# and module it loads. Usage: scripts/build-bench.sh [DIR] (a checkout; this one by default).
# Products a checkout lacks (an older commit has no fat-serve) are skipped.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
for product in fat-bench fat fat-serve fat-worker counter token computation oracle json unruly kv; do
    swift build -c release --product "$product" 2>&1 | grep -E "error:|warning: unre" | grep -v "no product named" || true
done
