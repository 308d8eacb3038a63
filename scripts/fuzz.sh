#!/usr/bin/env bash
# Runs the fuzz targets under libFuzzer: scripts/fuzz.sh [TARGET|all] [SECONDS per target].
# Builds fat-fuzz with Swift's -sanitize=fuzzer (every Swift module instrumented for coverage)
# into .build-fuzz, seeds a corpus per target from ../shared/fixtures and Fuzz/Seeds, replays
# Fuzz/Regressions, and fuzzes each target for SECONDS. A crash, a timeout (an input taking more
# than 10 s) or a memory blow-up (over 2 GiB) fails the run; the input is kept in
# .build-fuzz/crashes/ — add it to Fuzz/Regressions/TARGET/ once fixed. The C capability
# modules are fuzzed with clang's libFuzzer too (target `modules`).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-all}
seconds=${2:-60}
scratch=.build-fuzz
fixtures=${FAT_FIXTURES:-../shared/fixtures}
all=(json scale metadata wasm bundle request extrinsic modules)
if [ "$target" = all ]; then targets=("${all[@]}"); else targets=("$target"); fi

swift build -c release --product fat-fuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING 2>&1 | grep -E "error|warning: unre|Compiling FatFuzz|Build complete" || true
bin="$scratch/release/fat-fuzz"
[ -x "$bin" ] || { echo "fuzz build failed" >&2; exit 1; }

corpus="$scratch/corpus"
crashes="$scratch/crashes"
mkdir -p "$corpus" "$crashes"
if [ ! -d "$fixtures" ]; then
    case "${CI:-}" in # CI is set when it is anything but empty, 0, false or no (as the tests read it)
        ""|0|[Ff][Aa][Ll][Ss][Ee]|[Nn][Oo]) ;;
        *) echo "fuzz: $fixtures is missing" >&2; exit 1 ;;
    esac
    echo "fuzz: $fixtures is missing; seeding from the repository only"
fi
seed() { # seed TARGET: copies of the fixtures and seeds a target starts from (outside the repository)
    local dir="$corpus/$1"
    mkdir -p "$dir"
    if [ -d "Fuzz/Seeds/$1" ]; then cp -n Fuzz/Seeds/"$1"/* "$dir"/ 2>/dev/null || true; fi
    if [ ! -d "$fixtures" ]; then return 0; fi
    case "$1" in
        json|metadata) find "$fixtures" Contracts/wasm -name '*.json' -o -name '*.contract' | while read -r f; do cp -n "$f" "$dir/$(basename "$f")"; done
                       if [ "$1" = json ]; then cp -n Sources/FatServer/openapi.json "$dir/"; fi ;;
        bundle) find "$fixtures" -name '*.contract' | while read -r f; do cp -n "$f" "$dir/$(basename "$f")"; done ;;
        wasm) find "$fixtures" -name '*.wasm' | while read -r f; do cp -n "$f" "$dir/$(basename "$f")"; done
              python3 - "$fixtures" "$dir" <<'PY'
import json, os, sys
for root, _, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".contract"):
            try: code = json.load(open(os.path.join(root, name)))["source"]["wasm"]
            except Exception: continue
            open(os.path.join(sys.argv[2], name + ".wasm"), "wb").write(bytes.fromhex(code[2:]))
PY
              ;;
    esac
    return 0
}

modules_fuzzer() { # builds the C modules' fuzzer with clang, each module with its entry renamed
    local out="$scratch/fat-fuzz-modules" flags=(-g -O1 -fsanitize=fuzzer-no-link,address,undefined -I ABI/include -I Plugins/support/include)
    clang "${flags[@]}" -c Plugins/json/json.c -Dfat_module_entry=json_module_entry -o "$scratch/json.o"
    clang "${flags[@]}" -c Plugins/ethereum/ethereum.c -Dfat_module_entry=ethereum_module_entry -o "$scratch/ethereum.o"
    clang "${flags[@]}" -c Plugins/support/fat_scale.c -o "$scratch/fat_scale.o"
    clang -g -O1 -fsanitize=fuzzer,address,undefined -I ABI/include Fuzz/modules/modules_fuzzer.c \
        "$scratch/json.o" "$scratch/ethereum.o" "$scratch/fat_scale.o" -lsecp256k1 -o "$out" 2>&1 | grep -v "Cannot export local symbol" >&2 || true
    echo "$out"
}

status=0
summary=()
for t in "${targets[@]}"; do
    seed "$t"
    regressions=()
    if [ -d "Fuzz/Regressions/$t" ]; then regressions=("Fuzz/Regressions/$t"); fi
    log="$scratch/$t.log"
    if [ "$t" = modules ]; then
        runner=$(modules_fuzzer)
        env=()
    else
        runner="$bin"
        env=(FAT_FUZZ_TARGET="$t")
    fi
    echo "== fuzz $t for ${seconds}s"
    if env "${env[@]}" SWIFT_BACKTRACE=enable=no "$runner" "$corpus/$t" "${regressions[@]}" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="$crashes/$t-" -print_final_stats=1 > "$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
        grep -E "ERROR|Fatal error|fuzz property|SUMMARY|Test unit written" "$log" | head -20
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
    summary+=("$(printf '%-9s %-7s %10s inputs run  coverage %6s  corpus %5s files' "$t" "$result" "$runs" "$coverage" "$(ls "$corpus/$t" | wc -l)")")
done
echo
printf '%s\n' "${summary[@]}"
exit $status
