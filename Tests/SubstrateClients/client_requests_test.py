#!/usr/bin/env python3
"""The Substrate JSON-RPC of `fat serve`, asked exactly what @polkadot/api, subxt / cargo-contract
and py-substrate-interface ask a substrate-contracts-node, and its answers decoded to the shapes
those clients decode.

Where py_substrate_interface_test.py runs one client unmodified, this test speaks raw JSON-RPC (a
WebSocket through websocket-client, POST through urllib): each request is the object the named
client sends, and each answer is decoded as that client decodes it, SCALE by hand (runtime API
results, metadata V15) or with scalecodec through the node's own metadata (storage values).
py-substrate-interface is used only to sign extrinsics and to deploy contracts.

Sources, as read for this project: @polkadot/api 16.x `packages/api/src/base/{Init,Decorate}.ts`,
`packages/api/src/submittable/createClass.ts`, `packages/api-contract/src/base/{Base,Contract}.ts`,
`packages/api-derive/src/tx/signingInfo.ts`; subxt 0.38 `subxt/src/client/online_client.rs`,
`subxt/src/backend/legacy/rpc_methods.rs`; cargo-contract 5.0.3
`crates/extrinsics/src/{call,instantiate,upload,contract_info}.rs`; py-substrate-interface 1.8
`substrateinterface/{base.py,transport/http.py}`.

Usage: client_requests_test.py BIN_DIR   (scripts/substrate-clients.sh runs it)
Without the fixtures the tests are skipped, except under CI=true, where that is a failure.
"""
import hashlib
import itertools
import json
import shutil
import tempfile
import unittest
import urllib.error
import urllib.request
from pathlib import Path

import websocket
import xxhash
from substrateinterface import ContractCode, Keypair, SubstrateInterface

import fat_server
from fat_server import FIXTURES, REPO, fat, start_server, stop_server

FLIPPER = FIXTURES / "ink" / "polkadot-js-api" / "ink" / "v5" / "flipper"

ALICE = Keypair.create_from_uri("//Alice")
NOBODY = bytes(32)  # the all-zero account: an anonymous caller
TIMEOUT = 30  # seconds, for any one answer or notification

# Runtime API ids in `state_getRuntimeVersion`: blake2_64 of the API's name.
METADATA_API = "0x37e397fc7c91f5e4"
CONTRACTS_API = "0x68b66ba122c93fa7"

# The bit of pallet-contracts' ReturnFlags that marks a reverted call.
REVERT = 1

# --- JSON-RPC as each client words it ------------------------------------------------------------

class PolkadotJs:
    """@polkadot/rpc-provider's coder (src/coder/index.ts): ids count from 1, `params` is always there."""
    first_id = 1

    @staticmethod
    def request(id: int, method: str, params: list) -> dict:
        return {"id": id, "jsonrpc": "2.0", "method": method, "params": params}


class Subxt:
    """jsonrpsee as subxt drives it: ids count from 0, and no `params` at all when there are none
    (subxt's `RpcParams::build` gives None for an empty list)."""
    first_id = 0

    @staticmethod
    def request(id: int, method: str, params: list) -> dict:
        request = {"jsonrpc": "2.0", "id": id, "method": method}
        if params:
            request["params"] = params
        return request


class Connection:
    """One WebSocket to the node, sending requests as `client` words them. Notifications that
    arrive while an answer is awaited are kept for `notification`."""

    def __init__(self, url: str, client):
        self.client = client
        self.socket = websocket.create_connection(url, timeout=TIMEOUT)
        self.ids = itertools.count(client.first_id)
        self.pending: list[dict] = []  # notifications not taken yet, in arrival order

    def close(self):
        self.socket.close()

    def request(self, method: str, *params) -> tuple[dict, dict]:
        """Sends one request; returns it and its answer."""
        request = self.client.request(next(self.ids), method, list(params))
        self.socket.send(json.dumps(request))
        while True:
            message = json.loads(self.socket.recv())
            if "id" in message and message["id"] == request["id"]:
                return request, message
            self.pending.append(message)

    def result(self, method: str, *params):
        """The result of one request; an error answer fails, showing the request and the answer."""
        request, answer = self.request(method, *params)
        if "result" not in answer:
            raise AssertionError(f"no result\n  sent:     {json.dumps(request)[:500]}\n  answered: {json.dumps(answer)[:2000]}")
        return answer["result"]

    def notification(self, subscription: str) -> dict:
        """The next notification of `subscription`, whole (`method`, `params`)."""
        while True:
            for index, message in enumerate(self.pending):
                if message.get("params", {}).get("subscription") == subscription:
                    return self.pending.pop(index)
            self.pending.append(json.loads(self.socket.recv()))


def post(url: str, body: bytes) -> tuple[int, object]:
    """POSTs a JSON-RPC body; returns the HTTP status and the JSON answer, whatever the status."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def runtime_call(connection: Connection, method: str, data: bytes, *at) -> bytes:
    """`state_call`: a runtime API's SCALE answer."""
    result = connection.result("state_call", method, "0x" + data.hex(), *at)
    if not (isinstance(result, str) and result.startswith("0x")):
        raise AssertionError(f"state_call {method} answered {result!r}, not 0x-prefixed hex")
    return bytes.fromhex(result[2:])


def is_hash(value) -> bool:
    return isinstance(value, str) and value.startswith("0x") and len(value) == 66


# --- SCALE ---------------------------------------------------------------------------------------

class Reader:
    """Reads SCALE values off `data`, front to back; `done()` insists that nothing is left over."""

    def __init__(self, data: bytes):
        self.data = data
        self.offset = 0

    def take(self, count: int) -> bytes:
        if self.offset + count > len(self.data):
            raise ValueError(f"{count} bytes wanted at offset {self.offset}, {len(self.data) - self.offset} left")
        self.offset += count
        return self.data[self.offset - count:self.offset]

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "little")

    def u8(self) -> int:
        return self.uint(1)

    def u32(self) -> int:
        return self.uint(4)

    def u128(self) -> int:
        return self.uint(16)

    def compact(self) -> int:
        first = self.u8()
        mode = first & 3
        if mode == 3:  # big-integer mode: the byte count, less 4, in the upper six bits
            return self.uint((first >> 2) + 4)
        return (first | self.uint((1, 2, 4)[mode] - 1) << 8) >> 2

    def vec_u8(self) -> bytes:
        return self.take(self.compact())

    def string(self) -> str:
        return self.vec_u8().decode()

    def vec(self, item) -> list:
        return [item() for _ in range(self.compact())]

    def option(self, item):
        tag = self.u8()
        if tag > 1:
            raise ValueError(f"Option tag {tag} at offset {self.offset - 1}")
        return item() if tag else None

    def rest(self) -> bytes:
        return self.take(len(self.data) - self.offset)

    def done(self):
        if self.offset != len(self.data):
            raise ValueError(f"{len(self.data) - self.offset} bytes left over past offset {self.offset}")


def compact(n: int) -> bytes:
    if n < 1 << 6:
        return bytes([n << 2])
    if n < 1 << 14:
        return (n << 2 | 1).to_bytes(2, "little")
    if n < 1 << 30:
        return (n << 2 | 2).to_bytes(4, "little")
    size = (n.bit_length() + 7) // 8
    return bytes([(size - 4) << 2 | 3]) + n.to_bytes(size, "little")


def scale_bytes(data: bytes) -> bytes:
    return compact(len(data)) + data


def u128(n: int) -> bytes:
    return n.to_bytes(16, "little")


NONE = b"\x00"


# --- runtime API results (pallet_contracts::primitives, sp_weights, sp_runtime) -----------------

def weight(r: Reader) -> dict:
    return {"ref_time": r.compact(), "proof_size": r.compact()}


def dispatch_error(r: Reader):
    """`sp_runtime::DispatchError`: Module{index, error: [u8; 4]}, or a variant with one byte
    (Token, Arithmetic, Transactional) or none."""
    variant = r.u8()
    if variant == 3:
        return {"Module": {"index": r.u8(), "error": r.take(4).hex()}}
    if variant in (7, 8, 9):
        return {variant: r.u8()}
    if variant > 13:
        raise ValueError(f"DispatchError variant {variant}")
    return variant


def dispatch_result(r: Reader, ok) -> dict:
    """`Result<T, DispatchError>`."""
    variant = r.u8()
    if variant == 0:
        return {"Ok": ok(r)}
    if variant == 1:
        return {"Err": dispatch_error(r)}
    raise ValueError(f"Result variant {variant}")


def exec_return_value(r: Reader) -> dict:
    return {"flags": r.u32(), "data": r.vec_u8()}


def instantiate_return_value(r: Reader) -> dict:
    return {"result": exec_return_value(r), "account_id": r.take(32)}


def code_upload_return_value(r: Reader) -> dict:
    return {"code_hash": r.take(32), "deposit": r.u128()}


def contract_result(data: bytes, ok, substrate: SubstrateInterface) -> dict:
    """`ContractResult<Result<T, DispatchError>, u128, EventRecord>`, every byte of it: gas consumed
    and required, the storage deposit (0 Refund, 1 Charge), the debug message, the result, and
    the events, decoded by scalecodec with the node's metadata when there are any."""
    r = Reader(data)
    decoded = {"gas_consumed": weight(r), "gas_required": weight(r)}
    deposit = r.u8()
    if deposit > 1:
        raise ValueError(f"StorageDeposit variant {deposit}")
    decoded["storage_deposit"] = {("Refund", "Charge")[deposit]: r.u128()}
    decoded["debug_message"] = r.vec_u8()
    decoded["result"] = dispatch_result(r, ok)
    decoded["events"] = substrate.decode_scale("Option<Vec<frame_system::eventrecord>>", "0x" + r.rest().hex())
    return decoded


# --- metadata V15 (frame-metadata v15.rs, scale-info's PortableRegistry) ------------------------

COMPOSITE, VARIANT = 0, 1


def decode_metadata_v15(blob: bytes) -> dict:
    """Decodes `RuntimeMetadataPrefixed` holding V15, strictly: the magic, every type's id equal to
    its position, and every byte consumed. Types are kept as (TypeDef tag, definition)."""
    r = Reader(blob)
    if (magic := r.take(4)) != b"meta":
        raise ValueError(f"magic {magic!r}, not b'meta'")
    if (version := r.u8()) != 15:
        raise ValueError(f"metadata version {version}, not 15")

    def docs():
        return r.vec(r.string)

    def field():
        return {"name": r.option(r.string), "type": r.compact(), "type_name": r.option(r.string), "docs": docs()}

    def variant():
        return {"name": r.string(), "fields": r.vec(field), "index": r.u8(), "docs": docs()}

    type_defs = [
        lambda: r.vec(field),  # Composite
        lambda: r.vec(variant),  # Variant
        r.compact,  # Sequence
        lambda: (r.u32(), r.compact()),  # Array: length (a fixed u32), element
        lambda: r.vec(r.compact),  # Tuple
        r.u8,  # Primitive
        r.compact,  # Compact
        lambda: (r.compact(), r.compact()),  # BitSequence
    ]

    def portable_type(position):
        if (id := r.compact()) != position:
            raise ValueError(f"type id {id} at position {position}")
        path, params = r.vec(r.string), r.vec(lambda: (r.string(), r.option(r.compact)))
        if (tag := r.u8()) >= len(type_defs):
            raise ValueError(f"TypeDef tag {tag} in type {id}")
        return {"path": path, "params": params, "def": (tag, type_defs[tag]()), "docs": docs()}

    def storage_entry():
        name, modifier, kind = r.string(), r.u8(), r.u8()
        if modifier > 1 or kind > 1:
            raise ValueError(f"storage entry {name}: modifier {modifier}, kind {kind}")
        shape = r.compact() if kind == 0 else {"hashers": r.vec(r.u8), "key": r.compact(), "value": r.compact()}
        return {"name": name, "type": shape, "default": r.vec_u8(), "docs": docs()}

    def pallet():
        return {
            "name": r.string(),
            "storage": r.option(lambda: {"prefix": r.string(), "entries": r.vec(storage_entry)}),
            "calls": r.option(r.compact), "event": r.option(r.compact),
            "constants": r.vec(lambda: {"name": r.string(), "type": r.compact(), "value": r.vec_u8(), "docs": docs()}),
            "error": r.option(r.compact), "index": r.u8(), "docs": docs(),
        }

    def api_method():
        return {"name": r.string(), "inputs": r.vec(lambda: (r.string(), r.compact())), "output": r.compact(), "docs": docs()}

    metadata = {
        "types": [portable_type(position) for position in range(r.compact())],
        "pallets": r.vec(pallet),
        "extrinsic": {
            "version": r.u8(), "address": r.compact(), "call": r.compact(), "signature": r.compact(), "extra": r.compact(),
            "signed_extensions": r.vec(lambda: (r.string(), r.compact(), r.compact())),
        },
        "runtime": r.compact(),
        "apis": r.vec(lambda: {"name": r.string(), "methods": r.vec(api_method), "docs": docs()}),
        "outer_enums": {"call": r.compact(), "event": r.compact(), "error": r.compact()},
        "custom": r.vec(lambda: (r.string(), r.compact(), r.vec_u8())),
    }
    r.done()
    return metadata


def metadata_v15(connection: Connection, *at) -> dict:
    """`state_call ["Metadata_metadata_at_version", "0x0f000000", at?]`, decoded: its
    `Option<OpaqueMetadata>` is Some, a Vec<u8> holding exactly the V15 metadata."""
    r = Reader(runtime_call(connection, "Metadata_metadata_at_version", (15).to_bytes(4, "little"), *at))
    blob = r.option(r.vec_u8)
    r.done()
    if blob is None:
        raise ValueError("Metadata_metadata_at_version(15) answered None")
    return decode_metadata_v15(blob)


# --- storage keys (twox128(pallet) ++ twox128(item) ++ hashed key) -------------------------------

def twox64(data: bytes) -> bytes:
    return xxhash.xxh64(data, seed=0).intdigest().to_bytes(8, "little")


def twox128(name: str) -> bytes:
    data = name.encode()
    return twox64(data) + xxhash.xxh64(data, seed=1).intdigest().to_bytes(8, "little")


def storage_key(pallet: str, item: str, hashed_key: bytes = b"") -> str:
    return "0x" + (twox128(pallet) + twox128(item) + hashed_key).hex()


def blake2_128_concat(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest() + data


def twox64_concat(data: bytes) -> bytes:
    return twox64(data) + data


def blake2_256(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def decode_storage(substrate: SubstrateInterface, pallet: str, item: str, value: str):
    """A storage value decoded by scalecodec as the metadata types the item (strictly)."""
    function = substrate.metadata.get_metadata_pallet(pallet).get_storage_function(item)
    return substrate.decode_scale(function.get_value_type_string(), value)


# --- contracts -----------------------------------------------------------------------------------

def selector(metadata: dict, kind: str, label: str) -> bytes:
    """The selector of an ink! metadata's constructor or message."""
    entry = next(entry for entry in metadata["spec"][kind] if entry["label"] == label)
    return bytes.fromhex(entry["selector"][2:])


def call_request(origin: bytes, dest: bytes, input_data: bytes) -> bytes:
    """`ContractsApi_call`'s arguments, as cargo-contract's `CallRequest` encodes them: origin, dest,
    value 0, no gas limit, no storage deposit limit, the input."""
    return origin + dest + u128(0) + NONE + NONE + scale_bytes(input_data)


def instantiate_request(origin: bytes, code: bytes, data: bytes, salt: bytes = b"") -> bytes:
    """`ContractsApi_instantiate`'s arguments, as cargo-contract's `InstantiateRequest` encodes them:
    origin, value 0, no gas limit, no storage deposit limit, `Code::Upload(code)`, data, salt."""
    return origin + u128(0) + NONE + NONE + b"\x00" + scale_bytes(code) + scale_bytes(data) + scale_bytes(salt)


class NodeTestCase(unittest.TestCase):
    """A `fat serve` for the class over a fresh data directory (`prepare` adds to it before the
    server starts), and a py-substrate-interface client to sign and deploy with."""

    @classmethod
    def setUpClass(cls):
        cls.data = Path(tempfile.mkdtemp(prefix="fat-client-requests."))
        cls.addClassCleanup(shutil.rmtree, cls.data, ignore_errors=True)
        fat("key", "new", "operator", "--data", cls.data)
        cls.prepare()
        server, cls.http_url = start_server(cls.data)
        cls.addClassCleanup(stop_server, server)
        cls.ws_url = cls.http_url.replace("http://", "ws://", 1)
        cls.substrate = SubstrateInterface(url=cls.ws_url)
        cls.addClassCleanup(cls.substrate.close)

    @classmethod
    def prepare(cls):
        """Runs before the server starts, on `cls.data`."""

    def connect(self, client) -> Connection:
        connection = Connection(self.ws_url, client)
        self.addCleanup(connection.close)
        return connection

    def flipper_code(self) -> bytes:
        return FLIPPER.with_suffix(".wasm").read_bytes()

    def flipper_metadata(self) -> dict:
        return json.loads(FLIPPER.with_suffix(".json").read_text())


class PolkadotJsTests(NodeTestCase):
    """@polkadot/api: what `ApiPromise.create` asks on connecting, a transaction sent as it sends
    one by default (mortal, watched), and fee queries."""

    @classmethod
    def prepare(cls):
        # A first block, so that a mortal era's birth block is not the genesis.
        fat("deploy", fat_server.bin_dir / "libcounter.so", "--args", "[1]", "--as", "operator", "--data", cls.data)

    def setUp(self):
        self.node = self.connect(PolkadotJs)

    def test_chain_identity(self):
        """@polkadot/api Init.ts `_metaFromChain`: `chain_getBlockHash [0]`, `system_chain`,
        `system_properties`, `rpc_methods`."""
        self.assertTrue(is_hash(self.node.result("chain_getBlockHash", 0)))
        self.assertIsInstance(self.node.result("system_chain"), str)
        properties = self.node.result("system_properties")
        self.assertEqual(properties.get("ss58Format"), 42, properties)
        methods = self.node.result("rpc_methods")
        self.assertIsInstance(methods.get("methods"), list, methods)
        self.assertTrue(all(isinstance(method, str) for method in methods["methods"]), methods)
        for method in ("state_call", "state_subscribeRuntimeVersion", "chain_subscribeNewHeads", "author_submitAndWatchExtrinsic"):
            self.assertIn(method, methods["methods"])

    def test_runtime_version(self):
        """@polkadot/api Init.ts: `state_getRuntimeVersion []`; the metadata is read through the
        Metadata API only if it is listed at version 2, and api-contract needs ContractsApi."""
        version = self.node.result("state_getRuntimeVersion")
        self.assertIsInstance(version.get("specVersion"), int, version)
        self.assertIsInstance(version.get("transactionVersion"), int, version)
        self.assertIn([METADATA_API, 2], version.get("apis"), version)
        self.assertIn(CONTRACTS_API, [api for api, _ in version["apis"]], version)

    def test_metadata_versions(self):
        """@polkadot/api Init.ts: `state_call ["Metadata_metadata_versions", "0x"]` → Vec<u32> [14, 15]."""
        self.assertEqual(self.node.result("state_call", "Metadata_metadata_versions", "0x"), "0x080e0000000f000000")

    def test_metadata_v15(self):
        """@polkadot/api Init.ts: `state_call ["Metadata_metadata_at_version", "0x0f000000"]`, decoded as
        Option<OpaqueMetadata>; api-contract Base.ts then needs `api.call.contractsApi.call` (from the
        V15 apis) and `api.tx.contracts.instantiateWithCode` with 6 arguments."""
        metadata = metadata_v15(self.node)
        apis = {api["name"]: {method["name"]: method for method in api["methods"]} for api in metadata["apis"]}
        self.assertIn("call", apis.get("ContractsApi", {}), list(apis))
        inputs = [name for name, _ in apis["ContractsApi"]["call"]["inputs"]]
        self.assertEqual(inputs, ["origin", "dest", "value", "gas_limit", "storage_deposit_limit", "input_data"])

        contracts = next(pallet for pallet in metadata["pallets"] if pallet["name"] == "Contracts")
        tag, calls = metadata["types"][contracts["calls"]]["def"]
        self.assertEqual(tag, VARIANT)
        instantiate_with_code = next(call for call in calls if call["name"] == "instantiate_with_code")
        self.assertEqual([field["name"] for field in instantiate_with_code["fields"]],
                         ["value", "gas_limit", "storage_deposit_limit", "code", "data", "salt"])

    def test_subscribe_runtime_version(self):
        """@polkadot/api Init.ts subscribes `state_subscribeRuntimeVersion []` after connecting: a
        subscription id, then a `state_runtimeVersion` notification with the version."""
        subscription = self.node.result("state_subscribeRuntimeVersion")
        self.assertIsInstance(subscription, str)
        notification = self.node.notification(subscription)
        self.assertEqual(notification["method"], "state_runtimeVersion", notification)
        self.assertIsInstance(notification["params"]["result"].get("specVersion"), int, notification)

    def test_subscribe_new_heads(self):
        """@polkadot/api (api-derive `chain.subscribeNewHeads`): `chain_subscribeNewHeads []` → a
        `chain_newHead` notification carrying a header whose number is hex."""
        subscription = self.node.result("chain_subscribeNewHeads")
        notification = self.node.notification(subscription)
        self.assertEqual(notification["method"], "chain_newHead", notification)
        header = notification["params"]["result"]
        self.assertRegex(header["number"], "^0x[0-9a-f]+$")
        self.assertEqual(header["number"], self.node.result("chain_getHeader")["number"], header)
        self.assertTrue(is_hash(header["parentHash"]), header)
        self.assertEqual(header["digest"], {"logs": []}, header)

    def test_finalized_head_and_health(self):
        """@polkadot/api: api-derive signingInfo.ts asks `chain_getFinalizedHead []` to choose a
        mortal era's birth block; the WS provider keeps the connection alive with `system_health []`."""
        self.assertTrue(is_hash(self.node.result("chain_getFinalizedHead")))
        health = self.node.result("system_health")
        self.assertIsInstance(health.get("peers"), int, health)
        self.assertIsInstance(health.get("isSyncing"), bool, health)
        self.assertIsInstance(health.get("shouldHavePeers"), bool, health)

    def instantiate_call(self, salt: bytes):
        """`Contracts.instantiate_with_code` of the v5 flipper, with the gas a dry run asks for."""
        metadata = self.flipper_metadata()
        data = selector(metadata, "constructors", "new") + b"\x01"
        dry_run = contract_result(
            runtime_call(self.node, "ContractsApi_instantiate", instantiate_request(ALICE.public_key, self.flipper_code(), data, salt)),
            instantiate_return_value, self.substrate)
        return self.substrate.compose_call(call_module="Contracts", call_function="instantiate_with_code", call_params={
            "value": 0, "gas_limit": dry_run["gas_required"], "storage_deposit_limit": None,
            "code": "0x" + self.flipper_code().hex(), "data": "0x" + data.hex(), "salt": "0x" + salt.hex(),
        })

    def test_mortal_extrinsic(self):
        """@polkadot/api signs with a mortal era by default (signingInfo.ts: 64 blocks from the best
        block) and sends `author_submitAndWatchExtrinsic`; it then reads the block with
        `chain_getBlock` and `state_getStorage [System.Events, block]`. The block's extrinsic and its
        events are shown only to the connection that submitted it."""
        best = int(self.node.result("chain_getHeader")["number"], 16)
        self.assertGreater(best, 0, "the era must be born after the genesis")
        # py-substrate-interface signs the era's birth block hash, fetched by number (base.py).
        era = {"period": 64, "current": best}
        sent = str(self.substrate.create_signed_extrinsic(self.instantiate_call(b"mortal"), ALICE, era=era).data)

        subscription = self.node.result("author_submitAndWatchExtrinsic", sent)
        updates = [self.node.notification(subscription)["params"]["result"] for _ in range(3)]
        block = updates[1].get("inBlock") if isinstance(updates[1], dict) else None
        self.assertEqual(updates, ["ready", {"inBlock": block}, {"finalized": block}])
        self.assertTrue(is_hash(block), updates)

        self.assertEqual(self.node.result("chain_getBlock", block)["block"]["extrinsics"], [sent])
        events_key = storage_key("System", "Events")
        events = decode_storage(self.substrate, "System", "Events", self.node.result("state_getStorage", events_key, block))
        self.assertTrue(events, "the submitter sees its extrinsic's events")
        # scalecodec gives Phase::ApplyExtrinsic(n) as phase "ApplyExtrinsic" and extrinsic_idx n.
        self.assertTrue(all((record["phase"], record["extrinsic_idx"]) == ("ApplyExtrinsic", 0) for record in events), events)
        last = events[-1]["event"]
        self.assertEqual((last["module_id"], last["event_id"]), ("System", "ExtrinsicSuccess"), events)

        other = self.connect(PolkadotJs)
        self.assertEqual(other.result("chain_getBlock", block)["block"]["extrinsics"], [])
        raw_events = other.result("state_getStorage", events_key, block)
        self.assertNotIn(ALICE.public_key.hex(), raw_events, "another connection must not see the sender")
        others = decode_storage(self.substrate, "System", "Events", raw_events)
        self.assertTrue(all(record["phase"] == "Initialization" for record in others), others)

    def fee_query_extrinsic(self) -> bytes:
        """A signed extrinsic to price (never submitted): a flip sent to Alice's own account."""
        call = self.substrate.compose_call(call_module="Contracts", call_function="call", call_params={
            "dest": ALICE.ss58_address, "value": 0, "gas_limit": {"ref_time": 1_000_000, "proof_size": 0},
            "storage_deposit_limit": None, "data": "0x633aa551",
        })
        return bytes(self.substrate.create_signed_extrinsic(call, ALICE).data.data)

    def test_payment_query_info(self):
        """`payment_queryInfo [extrinsic]`, the RPC that py-substrate-interface's `get_payment_info`
        falls back to (base.py) and @polkadot/api used before 9.2: a node answers RuntimeDispatchInfo
        as JSON, `weight` as sp_weights' Weight serializes (`ref_time`, `proof_size`), `class` in
        lower case, `partialFee` a decimal string."""
        info = self.node.result("payment_queryInfo", "0x" + self.fee_query_extrinsic().hex())
        self.assertEqual(set(info), {"weight", "class", "partialFee"}, info)
        self.assertEqual(set(info["weight"]), {"ref_time", "proof_size"}, info)
        self.assertIn(info["class"], ("normal", "operational", "mandatory"), info)
        self.assertGreaterEqual(int(info["partialFee"]), 0, info)

    def test_transaction_payment_api(self):
        """py-substrate-interface `get_payment_info` (base.py) and @polkadot/api `tx.paymentInfo`
        (submittable/createClass.ts): `state_call TransactionPaymentApi_query_info` with (extrinsic,
        u32 length) → RuntimeDispatchInfo: Weight, DispatchClass (u8), partial fee (u128)."""
        extrinsic = self.fee_query_extrinsic()
        r = Reader(runtime_call(self.node, "TransactionPaymentApi_query_info", extrinsic + len(extrinsic).to_bytes(4, "little")))
        weight(r)
        self.assertLessEqual(r.u8(), 2, "DispatchClass is Normal, Operational or Mandatory")
        r.u128()  # the partial fee
        r.done()

    def test_metadata_declares_transaction_payment_api(self):
        """@polkadot/api builds `api.call` from the V15 metadata's apis (Decorate.ts), and
        `tx.paymentInfo` throws unless `api.call.transactionPaymentApi.queryInfo` exists
        (submittable/createClass.ts): the V15 apis must declare TransactionPaymentApi.query_info."""
        metadata = metadata_v15(self.node)
        apis = {api["name"]: [method["name"] for method in api["methods"]] for api in metadata["apis"]}
        self.assertIn("query_info", apis.get("TransactionPaymentApi", []), apis)


class CargoContractTests(NodeTestCase):
    """subxt 0.38 connecting as cargo-contract 5 does, its dry runs and its storage reads, with the
    v5 flipper deployed by Alice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        code = ContractCode.create_from_contract_files(
            wasm_file=str(FLIPPER.with_suffix(".wasm")), metadata_file=str(FLIPPER.with_suffix(".json")), substrate=cls.substrate)
        flipper = code.deploy(keypair=ALICE, constructor="new", args={"init_value": True}, upload_code=True)
        cls.flipper = bytes.fromhex(cls.substrate.ss58_decode(flipper.contract_address))

    def setUp(self):
        self.node = self.connect(Subxt)
        # cargo-contract reads "at best": `chain_getBlockHash [null]`.
        self.best = self.node.result("chain_getBlockHash", None)

    def test_connect(self):
        """subxt online_client.rs (legacy backend): `chain_getFinalizedHead`, then
        `state_call ["Metadata_metadata_at_version", "0x0f000000", finalized]`."""
        finalized = self.node.result("chain_getFinalizedHead")
        self.assertTrue(is_hash(finalized))
        metadata = metadata_v15(self.node, finalized)
        self.assertIn("Contracts", [pallet["name"] for pallet in metadata["pallets"]])

    def alice_nonce(self) -> int:
        answer = runtime_call(self.node, "AccountNonceApi_account_nonce", ALICE.public_key, self.best)
        self.assertEqual(len(answer), 4, "AccountNonceApi answers a u32")
        return int.from_bytes(answer, "little")

    def test_account_nonce(self):
        """cargo-contract (crates/extrinsics, through subxt's `account_nonce`): `state_call
        ["AccountNonceApi_account_nonce", alice, best]` → u32 LE; Alice deployed the flipper, so 1."""
        self.assertEqual(self.alice_nonce(), 1)

    def test_instantiate_dry_run(self):
        """cargo-contract instantiate.rs: `state_call ContractsApi_instantiate` with an
        InstantiateRequest uploading the code → ContractResult<Result<InstantiateReturnValue>>."""
        data = selector(self.flipper_metadata(), "constructors", "new") + b"\x01"
        request = instantiate_request(ALICE.public_key, self.flipper_code(), data, b"dry")
        answer = runtime_call(self.node, "ContractsApi_instantiate", request, self.best)
        run = contract_result(answer, instantiate_return_value, self.substrate)
        self.assertIn("Ok", run["result"], run)
        # ink! 5 constructors return ConstructorResult<Result<(), _>>: Ok(Ok(())).
        self.assertEqual(run["result"]["Ok"]["result"], {"flags": 0, "data": b"\x00\x00"}, run)
        self.assertEqual(len(run["result"]["Ok"]["account_id"]), 32)
        self.assertGreater(run["gas_consumed"]["ref_time"], 0, run)
        self.assertGreaterEqual(run["gas_required"]["ref_time"], run["gas_consumed"]["ref_time"], run)

    def test_upload_code_dry_run(self):
        """cargo-contract upload.rs: `state_call ContractsApi_upload_code` with a CodeUploadRequest
        (origin, code, no deposit limit, determinism Enforced) → Ok(code hash, deposit)."""
        code = self.flipper_code()
        request = ALICE.public_key + scale_bytes(code) + NONE + b"\x00"
        r = Reader(runtime_call(self.node, "ContractsApi_upload_code", request, self.best))
        upload = dispatch_result(r, code_upload_return_value)
        r.done()
        self.assertEqual(upload["Ok"]["code_hash"], blake2_256(code), upload)

    def test_call_dry_run(self):
        """cargo-contract call.rs: `state_call ContractsApi_call` with a CallRequest for `get` →
        ContractResult<Result<ExecReturnValue>>, whose data is the message's `Ok(true)`."""
        get = selector(self.flipper_metadata(), "messages", "get")
        run = contract_result(
            runtime_call(self.node, "ContractsApi_call", call_request(ALICE.public_key, self.flipper, get), self.best),
            exec_return_value, self.substrate)
        self.assertEqual(run["result"], {"Ok": {"flags": 0, "data": b"\x00\x01"}}, run)

    def test_contract_info(self):
        """cargo-contract contract_info.rs: `state_getStorage [Contracts.ContractInfoOf(address), best]`
        (Twox64Concat) → ContractInfo, with the code hash of the deployed Wasm."""
        key = storage_key("Contracts", "ContractInfoOf", twox64_concat(self.flipper))
        value = self.node.result("state_getStorage", key, self.best)
        info = decode_storage(self.substrate, "Contracts", "ContractInfoOf", value)
        self.assertEqual(info["code_hash"], "0x" + blake2_256(self.flipper_code()).hex(), info)

    def test_all_contracts(self):
        """cargo-contract `info --all` (contract_info.rs, subxt rpc_methods.rs): `state_getKeysPaged
        [ContractInfoOf prefix, 10, null, best]` lists the flipper's key."""
        prefix = storage_key("Contracts", "ContractInfoOf")
        keys = self.node.result("state_getKeysPaged", prefix, 10, None, self.best)
        self.assertIn(storage_key("Contracts", "ContractInfoOf", twox64_concat(self.flipper)), keys)

    def test_account_info(self):
        """cargo-contract contract_info.rs reads accounts with `state_getStorage [System.Account(id),
        best]` (Blake2_128Concat) → AccountInfo; Alice's nonce is what AccountNonceApi answers."""
        key = storage_key("System", "Account", blake2_128_concat(ALICE.public_key))
        value = self.node.result("state_getStorage", key, self.best)
        account = decode_storage(self.substrate, "System", "Account", value)
        self.assertEqual(account["nonce"], self.alice_nonce(), account)

    def test_storage_version(self):
        """cargo-contract `storage --version` (subxt `storage_version("Contracts")`): the pallet's
        `:__STORAGE_VERSION__:` key → u16 16."""
        key = storage_key("Contracts", ":__STORAGE_VERSION__:")
        self.assertEqual(self.node.result("state_getStorage", key, self.best), "0x1000")


class HttpTransportTests(NodeTestCase):
    """JSON-RPC over HTTP POST at `/`, as a node's RPC port (jsonrpsee) serves it: one request or a
    batch per POST, and JSON-RPC errors in a 200 answer, which is where py-substrate-interface's
    HttpTransport (transport/http.py) looks for them (any other status loses the error)."""

    def rpc(self, body: bytes):
        status, answer = post(self.http_url + "/", body)
        self.assertEqual(status, 200, answer)
        return answer

    def test_batch(self):
        """A JSON-RPC 2.0 batch (as jsonrpsee's `batch_request` sends it) of two requests → an array
        of two answers, matched by id."""
        batch = [PolkadotJs.request(1, "system_chain", []), PolkadotJs.request(2, "chain_getBlockHash", [0])]
        answers = self.rpc(json.dumps(batch).encode())
        self.assertIsInstance(answers, list, answers)
        self.assertEqual(sorted(answer.get("id") for answer in answers), [1, 2], answers)
        by_id = {answer["id"]: answer for answer in answers}
        self.assertIsInstance(by_id[1].get("result"), str, answers)
        self.assertTrue(is_hash(by_id[2].get("result")), answers)

    def test_subscription_needs_websocket(self):
        """A subscription asked over HTTP (@polkadot/api's HttpProvider would) gets an error answer
        with its id, not a dropped connection."""
        answer = self.rpc(json.dumps(PolkadotJs.request(7, "chain_subscribeNewHeads", [])).encode())
        self.assertEqual(answer.get("id"), 7, answer)
        self.assertIsInstance(answer.get("error", {}).get("code"), int, answer)

    def test_parse_error(self):
        """A body that is not JSON → -32700 (Parse error), id null."""
        answer = self.rpc(b'{"jsonrpc": "2.0", "id": 1, "method": ')
        self.assertEqual(answer.get("error", {}).get("code"), -32700, answer)
        self.assertIsNone(answer.get("id"), answer)

    def test_empty_batch(self):
        """An empty batch → -32600 (Invalid request)."""
        answer = self.rpc(b"[]")
        self.assertEqual(answer.get("error", {}).get("code"), -32600, answer)


class TlsTransportTests(unittest.TestCase):
    """`fat serve --tls-cert --tls-key`: the WebSocket upgrade at `/` inside TLS (`wss://`), as a
    wallet reaches a node behind TLS, with the certificate of the server's own TLS tests as the only
    trusted authority."""

    CERTIFICATE = REPO / "Tests" / "FatServerTests" / "Fixtures" / "loopback-cert.pem"
    KEY = REPO / "Tests" / "FatServerTests" / "Fixtures" / "loopback-key.pem"

    @classmethod
    def setUpClass(cls):
        cls.data = Path(tempfile.mkdtemp(prefix="fat-client-tls."))
        cls.addClassCleanup(shutil.rmtree, cls.data, ignore_errors=True)
        fat("key", "new", "operator", "--data", cls.data)
        server, url = start_server(cls.data, "--tls-cert", cls.CERTIFICATE, "--tls-key", cls.KEY)
        cls.addClassCleanup(stop_server, server)
        cls.wss_url = url.replace("https://", "wss://", 1)

    def test_websocket_over_tls(self):
        """A request and a subscription over `wss://`."""
        socket = websocket.create_connection(self.wss_url + "/", timeout=TIMEOUT, sslopt={"ca_certs": str(self.CERTIFICATE)})
        self.addCleanup(socket.close)
        socket.send(json.dumps(PolkadotJs.request(1, "system_chain", [])))
        self.assertEqual(json.loads(socket.recv()).get("result"), "Development")
        socket.send(json.dumps(PolkadotJs.request(2, "chain_subscribeNewHeads", [])))
        subscription = json.loads(socket.recv()).get("result")
        head = json.loads(socket.recv())
        self.assertEqual(head.get("method"), "chain_newHead", head)
        self.assertEqual(head["params"]["subscription"], subscription, head)
        self.assertEqual(head["params"]["result"]["number"], "0x0", head)


class DryRunOriginTests(NodeTestCase):
    """A dry run's `origin` is a claim nobody signed: the native token, which answers a balance to its
    owner alone, answers a `ContractsApi_call` claiming to come from the owner as it answers anybody."""

    @classmethod
    def prepare(cls):
        token = fat_server.bin_dir / "libtoken.so"
        deployed = json.loads(fat("deploy", token, "--args", "[1000]", "--as", "operator", "--data", cls.data, "--json"))
        cls.token = bytes.fromhex(deployed["address"][2:])
        cls.token_metadata = json.loads(fat("inspect", token, "--ink-metadata"))
        keys = json.loads(fat("key", "list", "--data", cls.data, "--json"))["keys"]
        cls.owner = bytes.fromhex(next(key["account"] for key in keys if key["name"] == "operator")[2:])

    def setUp(self):
        self.node = self.connect(Subxt)

    def dry_run(self, origin: bytes, input_data: bytes) -> dict:
        answer = runtime_call(self.node, "ContractsApi_call", call_request(origin, self.token, input_data))
        return contract_result(answer, exec_return_value, self.substrate)

    def test_owner_only_messages(self):
        """cargo-contract call.rs and @polkadot/api-contract Contract.ts (`query`): `state_call
        ContractsApi_call` with origin = the owner gets what the anonymous caller gets (a revert),
        not the owner's balance."""
        messages = {
            "my_balance": selector(self.token_metadata, "messages", "my_balance"),
            "balance_of": selector(self.token_metadata, "messages", "balance_of") + self.owner,
        }
        for name, input_data in messages.items():
            with self.subTest(message=name):
                claimed, anonymous = self.dry_run(self.owner, input_data), self.dry_run(NOBODY, input_data)
                self.assertEqual(claimed["result"], anonymous["result"], claimed)
                self.assertEqual(claimed["result"]["Ok"]["flags"], REVERT, claimed)

    def test_signed_query_answers_the_owner(self):
        """The contrast: the owner's signed query (`fat query --as`, over /v1) gets the balance."""
        address = "0x" + self.token.hex()
        answer = json.loads(
            fat("query", address, "my_balance", "--as", "operator", "--remote", self.http_url, "--data", self.data, "--json"))
        self.assertEqual(answer.get("output"), 1000, answer)


if __name__ == "__main__":
    fat_server.main()
