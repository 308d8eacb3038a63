#!/usr/bin/env bash
# The main job: set everything up, then deploy native and Wasm contracts into a fresh data
# directory and send them commands and queries, including calls from one kind to the other; then
# serve them, and run a two-host cluster ordered by etcd.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
bin=$(swift build --show-bin-path)
fat="$bin/fat"
data=$(mktemp -d /tmp/fat-demo.XXXXXX)
export FAT_DATA="$data"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
json() { "$fat" "$@" --json; }
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

step "keys"
"$fat" key new alice
"$fat" key new bob

step "deploy native contracts: C counter, Swift counter, confidential token, caller"
counter=$(json deploy "$bin/libcounter.so" --args '[10]' --as alice | field address)
swift_counter=$(json deploy "$bin/libswift_counter.so" --args '[100]' --as alice | field address)
token=$(json deploy "$bin/libtoken.so" --args '[1000000]' --as alice | field address)
caller=$(json deploy "$bin/libcaller.so" --as alice | field address)
echo "counter $counter"; echo "swift_counter $swift_counter"; echo "token $token"; echo "caller $caller"
rust_so=Contracts/rust-counter/target/release/librust_counter.so
if [ -f "$rust_so" ]; then
    rust_counter=$(json deploy "$rust_so" --args '[1000]' --as alice | field address)
    echo "rust_counter $rust_counter"
fi

step "inspect the counter"
"$fat" inspect "$counter"

step "commands and queries"
json call "$counter" increment --args '[5]' --as alice
json query "$counter" get
json call "$swift_counter" increment --args '{"by": 7}' --as alice
[ -n "${rust_counter:-}" ] && json call "$rust_counter" increment --args '[1]' --as alice
json call "$token" transfer --args '["bob", 2500]' --as alice
json query "$token" balance_of --args '["bob"]' --as bob
echo "bob asking for alice's balance is refused by the contract:"
json query "$token" balance_of --args '["alice"]' --as bob || true
echo "a transfer beyond the balance reverts and changes nothing:"
json call "$token" transfer --args '["alice", 999999999]' --as bob || true

step "a native contract calls another native contract"
json call "$caller" forward_increment --args "[\"$counter\", 3]" --as alice
json query "$counter" get

step "Wasm (ink! convention) contracts beside the native ones"
flipper=$(json deploy Contracts/wasm/flipper.wat --constructor new --args '[false]' --as alice | field address)
echo "flipper $flipper"
json call "$flipper" flip --as alice
json query "$flipper" get
relay=$(json deploy Contracts/wasm/relay.wat --as alice | field address)
echo "relay $relay"
echo "the Wasm relay calls the native counter through seal_call:"
json call "$relay" increment_native --args "[\"$counter\", 100]" --as alice
echo "the native caller calls the Wasm flipper (call_raw with flipper's get selector):"
json call "$caller" call_raw --args "[\"$flipper\", \"0x2f865bd9\"]" --as alice

step "capabilities: a native oracle answers a query over HTTP; the same request in a command is refused"
site=$(mktemp -d /tmp/fat-demo-site.XXXXXX)
echo '{"pair": "DOT/USD", "price": {"usd": 7.42, "at": "2026-11-24T12:00:00Z"}}' > "$site/price.json"
python3 -m http.server 8731 --bind 127.0.0.1 --directory "$site" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do python3 -c 'import socket; socket.create_connection(("127.0.0.1", 8731), 1)' 2>/dev/null && break; sleep 0.1; done
caps=(--plugin "$bin/libjson.so" --plugin "$bin/libethereum.so" --allow-host 127.0.0.1 --allow-private-addresses)
oracle=$(json deploy "$bin/liboracle.so" --as alice "${caps[@]}" | field address)
echo "oracle $oracle"
json query "$oracle" fetch --args '["http://127.0.0.1:8731/price.json", "/price/usd"]' "${caps[@]}"
json call "$oracle" record --args '["http://127.0.0.1:8731/price.json", "/price/usd"]' --as alice "${caps[@]}"
echo "a Wasm contract reaches pink and the modules through call_chain_extension:"
extension=$(json deploy Contracts/wasm/extension.wat --as alice "${caps[@]}" | field address)
echo "pink runtime_version (func 21):"
json query "$extension" call --args '[21, "0x"]' "${caps[@]}"
echo "ethereum.address (extension 2, func 1) of the key 0x46…46:"
json query "$extension" call --args '[131073, "0x4646464646464646464646464646464646464646464646464646464646464646"]' "${caps[@]}"

step "the HTTP API: fat serve, and the CLI through it"
"$fat" serve --listen 127.0.0.1:0 --json --operator alice "${caps[@]}" > "$data/serve.out" &
serve_pid=$!
trap 'kill $server $serve_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$data/serve.out" ] && break; sleep 0.1; done
url=$(head -1 "$data/serve.out" | field listening)
echo "listening on $url"
python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/v1/info").read().decode())' "$url"
json --remote "$url" call "$counter" increment --args '[1]' --as alice
json --remote "$url" query "$counter" get
json --remote "$url" query "$flipper" get
json --remote "$url" events --from 1 --limit 2
echo "bob cannot bring native code to the server; alice, its operator, can:"
json --remote "$url" upload "$bin/libcomputation.so" --as bob || true
json --remote "$url" upload "$bin/libcomputation.so" --as alice
echo "native contracts run in worker processes under fat serve: a query that crashes its contract fails alone, and the server goes on:"
unruly=$(json --remote "$url" deploy "$bin/libunruly.so" --as alice | field address)
json --remote "$url" query "$unruly" misbehave --args '[1]' || true
json --remote "$url" call "$unruly" increment --as alice
json --remote "$url" query "$unruly" get
echo "read anonymously, the log shows the order; signed by bob, his own commands in full:"
"$fat" --remote "$url" log --from 9 --limit 2
"$fat" --remote "$url" log --from 9 --limit 2 --as bob
echo "the same server is a Substrate node to ink! tools (JSON-RPC at /): its chain, and the flipper's get as a dry run:"
get=$(json --remote "$url" inspect "$flipper" | python3 -c 'import json,sys; print([m["selector"] for m in json.load(sys.stdin)["messages"] if m["name"]=="get"][0])')
python3 - "$url" "$flipper" "$get" <<'PY'
import json, sys, urllib.request
url, flipper, get = sys.argv[1], bytes.fromhex(sys.argv[2][2:]), bytes.fromhex(sys.argv[3][2:])
def rpc(method, *params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
    return json.load(urllib.request.urlopen(urllib.request.Request(url + "/", body, {"Content-Type": "application/json"})))["result"]
print("chain:", rpc("system_chain"), "| best block:", int(rpc("chain_getHeader")["number"], 16), "| genesis:", rpc("chain_getBlockHash", 0))
# ContractsApi_call(origin, dest, value: u128, gas_limit: None, storage_deposit_limit: None, input: Vec<u8>)
call = bytes(32) + flipper + bytes(16) + b"\0\0" + bytes([len(get) * 4]) + get
print("ContractsApi_call(get) →", rpc("state_call", "ContractsApi_call", "0x" + call.hex()))
PY
kill -TERM "$serve_pid"
wait "$serve_pid"
echo "fat serve stopped cleanly on SIGTERM"

step "a cluster: two hosts, one order kept by etcd, one state"
cluster="$data/cluster"
mkdir -p "$cluster"
head -c 32 /dev/urandom > "$cluster/master.key" && chmod 600 "$cluster/master.key"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
client_port=$(free_port) peer_port=$(free_port)
etcd --name demo --data-dir "$cluster/etcd" --listen-client-urls "http://127.0.0.1:$client_port" \
    --advertise-client-urls "http://127.0.0.1:$client_port" --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" --initial-cluster "demo=http://127.0.0.1:$peer_port" >/dev/null 2>&1 &
etcd_pid=$!
trap 'kill $server $etcd_pid ${host_pids:-} 2>/dev/null || true' EXIT
for _ in $(seq 100); do python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1])' "http://127.0.0.1:$client_port/health" 2>/dev/null && break; sleep 0.1; done
alice_account=$("$fat" key list | awk '/^alice:/ {print $2}')
host_pids=""
for host in a b; do
    "$fat" serve --data "$cluster/$host" --master-key "$cluster/master.key" --order "etcd://127.0.0.1:$client_port" \
        --listen 127.0.0.1:0 --json --operator "$alice_account" > "$cluster/$host.out" &
    host_pids="$host_pids $!"
done
for host in a b; do for _ in $(seq 100); do [ -s "$cluster/$host.out" ] && break; sleep 0.1; done; done
url_a=$(head -1 "$cluster/a.out" | field listening) url_b=$(head -1 "$cluster/b.out" | field listening)
echo "host a: $url_a   host b: $url_b   etcd: 127.0.0.1:$client_port"
cluster_counter=$(json --remote "$url_a" deploy "$bin/libcounter.so" --args '[0]' --as alice | field address)
echo "deployed through host a; incremented through host b:"
json --remote "$url_b" call "$cluster_counter" increment --args '[5]' --as alice
echo "host a answers a query that asks for that command (min_seq 2), and both hosts show one state:"
python3 - "$url_a" "$url_b" "$cluster_counter" "$(json --remote "$url_a" inspect "$cluster_counter" | python3 -c 'import json,sys; print([m["selector"] for m in json.load(sys.stdin)["messages"] if m["name"]=="get"][0])')" <<'PY'
import json, sys, urllib.request
url_a, url_b, counter, get = sys.argv[1:]
body = json.dumps({"contract": counter, "input": get, "min_seq": 2}).encode()
print("get on host a:", json.load(urllib.request.urlopen(urllib.request.Request(url_a + "/v1/queries", body, {"Content-Type": "application/json"})))["output"])
for name, url in (("a", url_a), ("b", url_b)):
    info = json.load(urllib.request.urlopen(url + "/v1/info"))
    print(f"host {name}: seq {info['seq']}, state root {info['state_root'][:18]}…, applied etcd revision {info['cluster']['applied_revision']}")
PY
kill -TERM $host_pids && wait $host_pids
kill "$etcd_pid" && wait "$etcd_pid" 2>/dev/null || true

step "the command log"
"$fat" log

step "verify: replay the log into a scratch store and compare state roots"
"$fat" verify "${caps[@]}"
echo
echo "data directory: $data"
