#!/usr/bin/env bash
# End-to-end test of fat serve's Substrate JSON-RPC with a client dApps use: py-substrate-interface
# (from PyPI, in a venv under .build-venv-substrate), unmodified, uploads, deploys, reads and calls
# the ink! fixtures of ../shared/fixtures and a native counter over the WebSocket, and sees bad
# extrinsics refused with a node's error codes before they reach the log. Then the requests
# @polkadot/api, subxt / cargo-contract and py-substrate-interface send, sent raw over the WebSocket
# and HTTP, get answers that decode as those clients decode them.
# Usage: scripts/substrate-clients.sh   (after `swift build`)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build-venv-substrate
# 1.8.1 is the first release that imports on Python 3.11.
if ! "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("substrate-interface") != "1.8.1")' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check substrate-interface==1.8.1
fi
bin=$(swift build --show-bin-path)
"$venv/bin/python" Tests/SubstrateClients/py_substrate_interface_test.py "$bin"
"$venv/bin/python" Tests/SubstrateClients/client_requests_test.py "$bin"
