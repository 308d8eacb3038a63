#!/usr/bin/env bash
# Runs the release benchmarks N times (default 5) and prints, for every row, the median and the
# range of its ratio to the baseline measured in the same run, with the median figures.
# Usage: scripts/bench.sh [-n N] [query|commands|wasm|http|crypto|serve|isolation|node|cluster|state|all …]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(all)
scripts/build-bench.sh
bin=.build/release
out=$(mktemp /tmp/fat-bench.XXXXXX)
trap 'rm -f "$out"' EXIT
echo "scripts/bench.sh -n $runs ${benches[*]} — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, commit $(git rev-parse --short HEAD)"
for run in $(seq "$runs"); do
    for bench in "${benches[@]}"; do
        "$bin/fat-bench" "$bench" | grep -P '^row\t' >> "$out" || { echo "fat-bench $bench failed" >&2; exit 1; }
    done
    echo "run $run of $runs done" >&2
done
python3 - "$out" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    _, name, baseline, subject, unit, ratio = line.rstrip("\n").split("\t")
    rows.setdefault(name, []).append((float(baseline), float(subject), float(ratio), unit))
print()
print("| row | baseline, median | subject, median (range) | unit | ratio, median (range) | runs |")
print("|---|---|---|---|---|---|")
for name, values in rows.items():
    ratios = [v[2] for v in values]
    subjects = [v[1] for v in values]
    print(f"| {name} | {statistics.median(v[0] for v in values):,.1f} "
          f"| {statistics.median(subjects):,.1f} ({min(subjects):,.1f}–{max(subjects):,.1f}) | {values[0][3]} "
          f"| {statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) | {len(values)} |")
PY
