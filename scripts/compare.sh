#!/usr/bin/env bash
# Compares the release benchmarks of this checkout with those of an earlier commit, on this
# machine, in one session: both are built (the earlier one in a worktree under .build/compare/),
# then each benchmark runs N times (default 5), the two builds alternating, and for every row
# present in both the median figures and their ratio are printed.
# Usage: scripts/compare.sh [-n N] REV [query|commands|wasm|http|crypto|serve …]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
rev=${1:?usage: scripts/compare.sh [-n N] REV [bench …]}
shift
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(query commands serve)
short=$(git rev-parse --short "$rev")
base=.build/compare/$short
if [ ! -e "$base/Package.swift" ]; then
    mkdir -p .build/compare
    git worktree add --detach "$base" "$rev" >/dev/null
fi
scripts/build-bench.sh "$base"
scripts/build-bench.sh
out=$(mktemp /tmp/fat-compare.XXXXXX)
trap 'rm -f "$out"' EXIT
echo "scripts/compare.sh -n $runs $short ${benches[*]} — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, HEAD $(git rev-parse --short HEAD)"
for run in $(seq "$runs"); do
    for bench in "${benches[@]}"; do
        for side in base head; do
            dir=$([ $side = base ] && echo "$base" || echo .)
            "$dir/.build/release/fat-bench" "$bench" | grep -P '^row\t' | sed "s/^/$side\t/" >> "$out" \
                || { echo "fat-bench $bench failed on $side" >&2; exit 1; }
        done
    done
    echo "run $run of $runs done" >&2
done
python3 - "$out" "$short" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    side, _, name, baseline, subject, unit, ratio = line.rstrip("\n").split("\t")
    rows.setdefault(name, {}).setdefault(side, []).append((float(subject), float(ratio), unit))
rev = sys.argv[2]
print()
print(f"| row | {rev}, median | HEAD, median | unit | HEAD / {rev}, per run: median (range) | same-run ratio, {rev} → HEAD | runs |")
print("|---|---|---|---|---|---|---|")
for name, sides in rows.items():
    if "base" not in sides or "head" not in sides:
        continue
    pairs = [(old[0], new[0]) for old, new in zip(sides["base"], sides["head"]) if old[0]]
    ratios = [new / old for old, new in pairs]
    print(f"| {name} | {statistics.median(v[0] for v in sides['base']):,.1f} | {statistics.median(v[0] for v in sides['head']):,.1f} "
          f"| {sides['head'][0][2]} | {statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f}) "
          f"| {statistics.median(v[1] for v in sides['base']):.3f} → {statistics.median(v[1] for v in sides['head']):.3f} | {len(pairs)} |")
PY
