#!/usr/bin/env bash
# Runs every test: builds first (the tests dlopen the example contracts the build produces and
# run the crash-test writer), then `swift test`, then (with no arguments) a real Substrate client,
# py-substrate-interface, against a live `fat serve`. Fixtures are read from ../shared/fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift test "$@"
if [ $# -eq 0 ]; then
    scripts/substrate-clients.sh
fi
