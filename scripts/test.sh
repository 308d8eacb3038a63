#!/usr/bin/env bash
# Runs every test: builds first (the tests dlopen the example contracts the build produces and
# run the crash-test writer), then `swift test`. Fixtures are read from ../shared/fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift test "$@"
