#!/usr/bin/env bash
# Checks the Swift sources against .swift-format with the toolchain's `swift format lint`; any
# finding fails. `scripts/lint.sh --fix` rewrites the files in place first.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Benchmarks Fuzz Contracts)
if [ "${1:-}" = "--fix" ]; then
    swift format format --in-place --recursive --parallel "${paths[@]}"
fi
swift format lint --strict --recursive --parallel "${paths[@]}"
echo "swift format lint: clean"
