#!/usr/bin/env bash
# Property-based tests of the HTTP API against its OpenAPI document (schemathesis, from PyPI, in a
# venv under .build-venv): a live `fat serve` over a fresh data directory holding a native
# counter, bombarded for SECONDS (default 60) with requests generated from the document, valid
# and not. It must never answer a 5xx, and it must still answer afterwards.
# Usage: scripts/schemathesis.sh [SECONDS]   (after `swift build`)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
venv=.build-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5
fi
bin=$(swift build --show-bin-path)
data=$(mktemp -d /tmp/fat-schemathesis.XXXXXX)
trap 'kill "${serve_pid:-}" 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin/fat" key new operator --data "$data" > /dev/null
counter=$("$bin/fat" deploy "$bin/libcounter.so" --args '[1]' --as operator --data "$data" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["address"])')
account=$("$bin/fat" key list --data "$data" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"][0]["account"])')
# Path parameters that name what exists, so operations reach past a 404.
cat > "$data/schemathesis.toml" <<TOML
[parameters]
"path.address" = "$counter"
"path.account" = "$account"
TOML
"$bin/fat" serve --data "$data" --listen 127.0.0.1:0 --json --operator operator > "$data/serve.out" 2> "$data/serve.err" &
serve_pid=$!
for _ in $(seq 100); do [ -s "$data/serve.out" ] && break; sleep 0.1; done
url=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["listening"])' "$data/serve.out")
echo "schemathesis against $url for ${seconds}s"
status=0
# The event stream never ends by design, so it is left out; every other operation is exercised.
"$venv/bin/schemathesis" --config-file "$data/schemathesis.toml" run Sources/FatServer/openapi.json --url "$url" --checks not_a_server_error \
    --exclude-path /v1/events --max-time "$seconds" --request-timeout 15 --workers 1 --suppress-health-check all || status=$?
if ! python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/health", timeout=5)' "$url"; then
    echo "fat serve no longer answers after the run" >&2
    status=1
fi
if ! kill -0 "$serve_pid" 2>/dev/null; then
    echo "fat serve died during the run:" >&2
    tail -20 "$data/serve.err" >&2
    status=1
fi
exit $status
