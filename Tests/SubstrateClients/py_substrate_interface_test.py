#!/usr/bin/env python3
"""py-substrate-interface, used unmodified, against the Substrate JSON-RPC of `fat serve`.

Each test class starts its own `fat serve` over a fresh data directory holding a native counter
deployed by the CLI, and talks to it over the WebSocket as a client talks to a
substrate-contracts-node: the ink! v4 and v5 flipper and erc20 of ../shared/fixtures are uploaded,
deployed, read and called; the native counter is read and called through the ink! metadata that
`fat inspect --ink-metadata` writes; and extrinsics that must be refused are refused, with the
code a node answers, before they reach the log.

Usage: py_substrate_interface_test.py BIN_DIR   (scripts/substrate-clients.sh runs it)
Without the fixtures the tests are skipped, except under CI=true, where that is a failure.
"""
import json
import shutil
import tempfile
import unittest
import urllib.request
from pathlib import Path

from substrateinterface import ContractCode, ContractInstance, Keypair, SubstrateInterface
from substrateinterface.exceptions import SubstrateRequestException

import fat_server
from fat_server import FIXTURES, fat, start_server, stop_server

INK = FIXTURES / "ink" / "polkadot-js-api" / "ink"

ALICE = Keypair.create_from_uri("//Alice")
BOB = Keypair.create_from_uri("//Bob")

# JSON-RPC error codes a substrate node answers.
INVALID_TRANSACTION = 1010
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602

def ink_code(substrate: SubstrateInterface, version: str, name: str) -> ContractCode:
    folder = INK / version
    return ContractCode.create_from_contract_files(
        wasm_file=str(folder / f"{name}.wasm"), metadata_file=str(folder / f"{name}.json"), substrate=substrate)


def read(contract: ContractInstance, message: str, args: dict = None):
    """What a query returns, decoded by the client with the contract's metadata."""
    return contract.read(ALICE, message, args).contract_result_data.value


def unwrap_ok(value):
    """An ink! message's value without the `Result<T, LangError>` that ink! 4 and 5 wrap it in."""
    if isinstance(value, dict) and set(value) == {"Ok"}:
        return value["Ok"]
    return value


def event_names(receipt) -> list[str]:
    return [f"{event.value['module_id']}.{event.value['event_id']}" for event in receipt.triggered_events]


class NodeTestCase(unittest.TestCase):
    """A `fat serve` for the class, over a data directory holding a native counter (initial value
    1) deployed by the CLI before serving, and a client connected to it over the WebSocket."""

    @classmethod
    def setUpClass(cls):
        cls.data = Path(tempfile.mkdtemp(prefix="fat-substrate-clients."))
        cls.addClassCleanup(shutil.rmtree, cls.data, ignore_errors=True)
        fat("key", "new", "operator", "--data", cls.data)
        counter = fat_server.bin_dir / "libcounter.so"
        deployed = json.loads(fat("deploy", counter, "--args", "[1]", "--as", "operator", "--data", cls.data, "--json"))
        cls.counter_address = deployed["address"]
        # Kept as an error rather than raised: only the native tests need the metadata.
        cls.counter_metadata = cls.data / "counter.json"
        try:
            cls.counter_metadata.write_text(fat("inspect", counter, "--ink-metadata"))
            cls.counter_metadata_error = None
        except RuntimeError as error:
            cls.counter_metadata_error = str(error)
        server, cls.http_url = start_server(cls.data)
        cls.addClassCleanup(stop_server, server)
        cls.ws_url = cls.http_url.replace("http://", "ws://", 1)
        cls.substrate = SubstrateInterface(url=cls.ws_url)
        cls.addClassCleanup(cls.substrate.close)

    def log_seq(self) -> int:
        """The sequence number of the last command in the server's log (GET /v1/info)."""
        with urllib.request.urlopen(f"{self.http_url}/v1/info", timeout=10) as response:
            return json.load(response)["seq"]

    def assertRefused(self, code: int, method: str, params: list) -> dict:
        """Sends one request that must be answered with the JSON-RPC error `code` and leave the
        log as it was; returns the error."""
        before = self.log_seq()
        with self.assertRaises(SubstrateRequestException, msg=f"{method} was not refused") as caught:
            self.substrate.rpc_request(method, params)
        error = caught.exception.args[0]
        self.assertEqual(error.get("code"), code, f"{method}: {error}")
        self.assertEqual(self.log_seq(), before, f"{method} was refused ({error}) but reached the log")
        return error


class InkContractTests(NodeTestCase):
    """The ink! fixtures, uploaded, deployed, read and called the way a dApp does."""

    def check_flipper(self, version: str):
        code = ink_code(self.substrate, version, "flipper")
        upload = code.upload_wasm(ALICE)
        self.assertTrue(upload.is_success, upload.error_message)

        flipper = code.deploy(keypair=ALICE, constructor="new", args={"init_value": True}, upload_code=True)
        self.assertEqual(read(flipper, "get"), {"Ok": True})

        receipt = flipper.exec(ALICE, "flip")
        self.assertTrue(receipt.is_success, receipt.error_message)
        self.assertIn("System.ExtrinsicSuccess", event_names(receipt))
        self.assertIn("Contracts.Called", event_names(receipt))
        # The flipper of these versions declares no events, so it emits none.
        self.assertEqual(code.metadata.metadata_dict["spec"]["events"], [])
        self.assertEqual(receipt.contract_events, [])
        self.assertEqual(read(flipper, "get"), {"Ok": False})

    def check_erc20(self, version: str):
        code = ink_code(self.substrate, version, "erc20")
        erc20 = code.deploy(keypair=ALICE, constructor="new", args={"total_supply": 1_000_000}, upload_code=True)
        self.assertEqual(read(erc20, "total_supply"), {"Ok": 1_000_000})
        self.assertEqual(read(erc20, "balance_of", {"owner": ALICE.ss58_address}), {"Ok": 1_000_000})

        receipt = erc20.exec(ALICE, "transfer", args={"to": BOB.ss58_address, "value": 1000})
        self.assertTrue(receipt.is_success, receipt.error_message)
        events = [event.value for event in receipt.contract_events]
        self.assertEqual([event["name"] for event in events], ["Transfer"], events)
        transfer = {arg["label"]: arg["value"] for arg in events[0]["args"]}
        self.assertEqual(transfer, {"from": ALICE.ss58_address, "to": BOB.ss58_address, "value": 1000}, events)

        self.assertEqual(read(erc20, "balance_of", {"owner": BOB.ss58_address}), {"Ok": 1000})
        self.assertEqual(read(erc20, "balance_of", {"owner": ALICE.ss58_address}), {"Ok": 999_000})

    def test_ink_v4_flipper(self):
        self.check_flipper("v4")

    def test_ink_v5_flipper(self):
        self.check_flipper("v5")

    def test_ink_v4_erc20(self):
        self.check_erc20("v4")

    def test_ink_v5_erc20(self):
        self.check_erc20("v5")


class NativeContractTests(NodeTestCase):
    """The native counter, deployed by the CLI, through the ink! metadata fat generates for it."""

    def test_counter_get_and_increment(self):
        if self.counter_metadata_error:
            self.fail(f"no ink! metadata for the native counter: {self.counter_metadata_error}")
        counter = ContractInstance.create_from_address(
            contract_address=self.substrate.ss58_encode(self.counter_address),
            metadata_file=str(self.counter_metadata), substrate=self.substrate)
        # The generated metadata may declare `u64` or ink!'s `Result<u64, LangError>`: both are fine.
        self.assertEqual(unwrap_ok(read(counter, "get")), 1)

        receipt = counter.exec(ALICE, "increment", args={"by": 2})
        self.assertTrue(receipt.is_success, receipt.error_message)
        self.assertIn("System.ExtrinsicSuccess", event_names(receipt))
        self.assertEqual(unwrap_ok(read(counter, "get")), 3)


class RefusalTests(NodeTestCase):
    """Requests a node refuses, refused with its error codes, and nothing of them in the log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.flipper = ink_code(cls.substrate, "v4", "flipper").deploy(
            keypair=ALICE, constructor="new", args={"init_value": True}, upload_code=True)

    def flip_call(self):
        return self.substrate.compose_call(call_module="Contracts", call_function="call", call_params={
            "dest": self.flipper.contract_address,
            "value": 0,
            "gas_limit": {"ref_time": 1_000_000_000, "proof_size": 0},
            "storage_deposit_limit": None,
            "data": "0x633aa551",  # flip()
        })

    def test_bad_signature(self):
        call = self.flip_call()
        nonce = self.substrate.get_account_nonce(ALICE.ss58_address)
        good = self.substrate.create_signed_extrinsic(call=call, keypair=ALICE, nonce=nonce)
        signature = bytearray.fromhex(good.value["signature"]["Sr25519"][2:])
        signature[3] ^= 0x01
        # The same extrinsic, with the tampered signature given to the client as an external one.
        bad = self.substrate.create_signed_extrinsic(call=call, keypair=ALICE, nonce=nonce, signature=bytes(signature))
        self.assertRefused(INVALID_TRANSACTION, "author_submitExtrinsic", [str(bad.data)])
        # The untampered extrinsic goes through: it was the signature that was refused.
        receipt = self.substrate.submit_extrinsic(good, wait_for_inclusion=True)
        self.assertTrue(receipt.is_success, receipt.error_message)

    def test_wrong_nonce(self):
        call = self.flip_call()
        nonce = self.substrate.get_account_nonce(ALICE.ss58_address)
        self.assertGreater(nonce, 0, "Alice deployed the flipper, so her nonce has moved")
        for wrong in (nonce + 5, nonce - 1):
            with self.subTest(nonce=wrong, next=nonce):
                extrinsic = self.substrate.create_signed_extrinsic(call=call, keypair=ALICE, nonce=wrong)
                self.assertRefused(INVALID_TRANSACTION, "author_submitExtrinsic", [str(extrinsic.data)])

    def test_unknown_method(self):
        self.assertRefused(METHOD_NOT_FOUND, "foo_bar", [])

    def test_malformed_extrinsic(self):
        self.assertRefused(INVALID_TRANSACTION, "author_submitExtrinsic", ["0x1234"])

    def test_extrinsic_not_hex(self):
        self.assertRefused(INVALID_PARAMS, "author_submitExtrinsic", ["not hex"])

    def test_child_storage_is_sealed(self):
        # A contract's storage lives in a child trie; without --dev the host serves none of it.
        account = self.substrate.ss58_decode(self.flipper.contract_address)
        child_key = "0x" + b":child_storage:default:".hex() + account
        before = self.log_seq()
        with self.assertRaises(SubstrateRequestException, msg="childstate_getStorage answered"):
            self.substrate.rpc_request("childstate_getStorage", [child_key, "0x00000000"])
        self.assertEqual(self.log_seq(), before)

    def test_contracts_api_get_storage_is_sealed(self):
        with self.assertRaises(SubstrateRequestException, msg="state_call ContractsApi_get_storage answered"):
            self.substrate.runtime_call(
                "ContractsApi", "get_storage", {"address": self.flipper.contract_address, "key": "0x00000000"})


if __name__ == "__main__":
    fat_server.main()
