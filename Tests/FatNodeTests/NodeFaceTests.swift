import FatCodec
import FatCrypto
import FatTesting
import Foundation
import Testing

@testable import FatNode
@testable import FatRuntime

@Suite("The Substrate node face")
struct NodeFaceTests {
    /// The native token's `balance_of(owner)`, which answers only its owner.
    func balanceOf(_ harness: NodeHarness, _ owner: AccountId) throws -> [UInt8] {
        let message = try #require(try harness.host.metadata(of: harness.token).message(named: "balance_of"))
        return message.selector + owner.bytes
    }

    /// `ContractsApi_call(origin, dest, 0, None, None, input)` as clients encode it.
    func dryRunCall(origin: AccountId, dest: AccountId, input: [UInt8]) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes(origin.bytes)
        encoder.appendBytes(dest.bytes)
        encoder.append(UInt128(0))
        encoder.append(UInt8(0))
        encoder.append(UInt8(0))
        encoder.appendByteVector(input)
        return encoder.bytes
    }

    /// The `result` of a decoded `ContractResult`: Ok flags and data, or nil for `Err`.
    func okResult(_ bytes: [UInt8]) throws -> (flags: UInt32, data: [UInt8])? {
        var decoder = ScaleDecoder(bytes)
        for _ in 0 ..< 4 { _ = try decoder.readCompact() }
        _ = try decoder.readU8()
        _ = try decoder.readU128()
        _ = try decoder.readByteVector()
        guard try decoder.readU8() == 0 else { return nil }
        let flags = try decoder.readU32()
        let data = try decoder.readByteVector()
        #expect(try decoder.readU8() == 0)
        #expect(decoder.isAtEnd)
        return (flags, data)
    }

    @Test func aClaimedOriginReadsNothingItsOwnerWouldUnlessTheOperatorRunsDev() async throws {
        let harness = try NodeHarness()
        let owner = harness.operatorAccount
        let input = try balanceOf(harness, owner)
        // Nobody signed the claim: the query runs as the anonymous caller, and the token refuses.
        let claimed = try #require(
            try okResult(try await harness.stateCall("ContractsApi_call", dryRunCall(origin: owner, dest: harness.token, input: input))))
        #expect(claimed.flags == 1, "the owner-only message answered a claimed origin")
        #expect(!claimed.data.contains(0xe8))
        let dev = try NodeHarness(dev: true)
        let trusted = try #require(
            try okResult(try await dev.stateCall("ContractsApi_call", dryRunCall(origin: owner, dest: dev.token, input: try balanceOf(dev, owner)))))
        #expect(trusted.flags == 0)
        var expected = ScaleEncoder()
        expected.append(UInt128(1_000))
        #expect(trusted.data == expected.bytes)
    }

    @Test func anExtrinsicBecomesALoggedCommandThatVerifyReplays() async throws {
        let harness = try NodeHarness()
        let wallet = try Wallet(seed: 3)
        let genesis = harness.node.genesisHash
        #expect(try await harness.result("chain_getBlockHash", [.number("0")]) == Hex.json(genesis))
        let transfer = try #require(try harness.host.metadata(of: harness.token).message(named: "my_balance"))
        let before = harness.host.snapshot.seq
        let session = NodeSession(canSubscribe: true)
        let extrinsic = try wallet.extrinsic(contractsCall(harness.token, transfer.selector), nonce: 0, genesisHash: genesis)
        let subscription = try #require(
            try await harness.result("author_submitAndWatchExtrinsic", [Hex.json(extrinsic)], session: session).stringValue)
        #expect(try await harness.next(session)["params"]?["result"] == .string("ready"))
        let inBlock = try await harness.next(session)
        #expect(inBlock["params"]?["subscription"] == .string(subscription))
        let blockHash = try #require(inBlock["params"]?["result"]?["inBlock"]?.stringValue)
        #expect(try await harness.next(session)["params"]?["result"]?["finalized"]?.stringValue == blockHash)
        #expect(harness.host.snapshot.seq == before + 1)
        // The submitting session sees its extrinsic in the block; another session does not.
        let block = try await harness.result("chain_getBlock", [.string(blockHash)], session: session)
        #expect(block["block"]?["extrinsics"] == .array([Hex.json(extrinsic)]))
        let other = try await harness.result("chain_getBlock", [.string(blockHash)])
        #expect(other["block"]?["extrinsics"] == .array([]))
        // Its events end in ExtrinsicSuccess (phase ApplyExtrinsic(0)) for the sender.
        let events = try await harness.bytes("state_getStorage", [Hex.json(NodeStorage.events), .string(blockHash)], session: session)
        #expect(events.suffix(13 + 2 + 5).prefix(7) == [0, 0, 0, 0, 0, RuntimeCall.Pallet.system, 0])
        // The nonce moved on as Substrate counts it, and the same extrinsic again is stale.
        #expect(try await harness.stateCall("AccountNonceApi_account_nonce", wallet.account.bytes) == [1, 0, 0, 0])
        #expect(try await harness.errorCode("author_submitExtrinsic", [Hex.json(extrinsic)]) == RPCError.invalidTransaction)
        #expect(harness.host.snapshot.seq == before + 1)
        // The log entry carries the extrinsic as its proof: the replay agrees.
        let report = try harness.host.verify()
        #expect(report.ok, "\(report.mismatches)")
    }

    @Test func extrinsicsForAnotherChainOrAnotherNonceNeverReachTheLog() async throws {
        let harness = try NodeHarness()
        let wallet = try Wallet(seed: 4)
        let call = contractsCall(harness.token, [0, 0, 0, 0])
        let before = harness.host.snapshot.seq
        let foreign = try wallet.extrinsic(call, nonce: 0, genesisHash: [UInt8](repeating: 1, count: 32))
        #expect(try await harness.errorCode("author_submitExtrinsic", [Hex.json(foreign)]) == RPCError.invalidTransaction)
        let future = try wallet.extrinsic(call, nonce: 3, genesisHash: harness.node.genesisHash)
        #expect(try await harness.errorCode("author_submitExtrinsic", [Hex.json(future)]) == RPCError.invalidTransaction)
        #expect(try await harness.errorCode("author_submitExtrinsic", [.string("0x1234")]) == RPCError.invalidTransaction)
        #expect(try await harness.errorCode("author_submitExtrinsic", [.string("zz")]) == RPCError.invalidParams)
        #expect(try await harness.errorCode("no_suchMethod", []) == RPCError.methodNotFound)
        // Native code from someone who is not the operator is refused before the log.
        var upload = ScaleEncoder()
        upload.append(RuntimeCall.Pallet.contracts)
        upload.append(RuntimeCall.Index.uploadCode)
        upload.appendByteVector([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])
        upload.append(UInt8(0))
        let native = try wallet.extrinsic(upload.bytes, nonce: 0, genesisHash: harness.node.genesisHash)
        #expect(try await harness.errorCode("author_submitExtrinsic", [Hex.json(native)]) == RPCError.invalidTransaction)
        #expect(harness.host.snapshot.seq == before)
    }

    @Test func twoCopiesOfOneExtrinsicSubmittedAtOnceAreLoggedOnce() async throws {
        let harness = try NodeHarness()
        let wallet = try Wallet(seed: 5)
        let extrinsic = try wallet.extrinsic(contractsCall(harness.token, [0, 0, 0, 0]), nonce: 0, genesisHash: harness.node.genesisHash)
        let before = harness.host.snapshot.seq
        let answers = await withTaskGroup(of: JSONValue?.self) { group in
            for _ in 0 ..< 8 { group.addTask { try? await harness.call("author_submitExtrinsic", [Hex.json(extrinsic)]) } }
            return await group.reduce(into: [JSONValue?]()) { $0.append($1) }
        }
        #expect(answers.filter { $0?["result"] != nil }.count == 1)
        #expect(harness.host.snapshot.seq == before + 1)
    }

    @Test func malformedAndHostileRequestsGetJSONRPCErrors() async throws {
        let harness = try NodeHarness()
        func send(_ text: String) async throws -> JSONValue {
            let session = NodeSession(canSubscribe: false)
            await harness.node.receive(Array(text.utf8), session: session)
            return try await harness.next(session)
        }
        #expect(try await send("{")["error"]?["code"]?.intValue == RPCError.parseError)
        #expect(try await send("[]")["error"]?["code"]?.intValue == RPCError.invalidRequest)
        #expect(try await send("42")["error"]?["code"]?.intValue == RPCError.invalidRequest)
        #expect(try await send(#"{"jsonrpc":"1.0","id":1,"method":"system_chain"}"#)["error"]?["code"]?.intValue == RPCError.invalidRequest)
        #expect(try await send(String(repeating: "[", count: 10_000))["error"]?["code"]?.intValue == RPCError.parseError)
        let batch = "[" + Array(repeating: #"{"jsonrpc":"2.0","id":1,"method":"system_chain"}"#, count: 257).joined(separator: ",") + "]"
        #expect(try await send(batch)["error"]?["code"]?.intValue == RPCError.invalidRequest)
        let two = try await send(#"[{"jsonrpc":"2.0","id":1,"method":"system_chain"},{"jsonrpc":"2.0","id":"b","method":"nope"}]"#)
        #expect(two.arrayValue?.count == 2)
        #expect(two.arrayValue?.last?["id"] == .string("b"))
        // Subscriptions need the WebSocket.
        #expect(try await harness.errorCode("chain_subscribeNewHeads", []) == RPCError.methodNotFound)
        // Sealed storage is not served.
        #expect(try await harness.errorCode("childstate_getStorage", [.string("0x00"), .string("0x00")]) == RPCError.invalidParams)
        var getStorage = ScaleEncoder()
        getStorage.appendBytes(harness.token.bytes)
        getStorage.appendByteVector([1, 2])
        #expect(
            try await harness.errorCode("state_call", [.string("ContractsApi_get_storage"), Hex.json(getStorage.bytes)]) == RPCError.invalidParams)
        // Arguments that do not decode, or trail, are invalid params.
        #expect(try await harness.errorCode("state_call", [.string("AccountNonceApi_account_nonce"), .string("0x01")]) == RPCError.invalidParams)
        #expect(
            try await harness.errorCode("state_call", [.string("Metadata_metadata_at_version"), .string("0x0f00000000")]) == RPCError.invalidParams)
        #expect(try await harness.errorCode("chain_getHeader", [.string("0x" + String(repeating: "ab", count: 32))]) == 4003)
    }

    @Test func metadataAndVersionsAreWhatClientsAskFor() async throws {
        let harness = try NodeHarness()
        #expect(try await harness.stateCall("Metadata_metadata_versions", []) == [8, 14, 0, 0, 0, 15, 0, 0, 0])
        let v15 = try await harness.stateCall("Metadata_metadata_at_version", [15, 0, 0, 0])
        #expect(v15.first == 1)
        #expect(try await harness.stateCall("Metadata_metadata_at_version", [16, 0, 0, 0]) == [0])
        let v14 = try await harness.bytes("state_getMetadata", [])
        #expect(Array(v14.prefix(5)) == Array("meta".utf8) + [14])
        let version = try await harness.result("state_getRuntimeVersion", [])
        #expect(version["specVersion"]?.intValue == Int(ExtrinsicProof.specVersion))
        #expect(version["apis"]?.arrayValue?.contains(.array([.string("0x37e397fc7c91f5e4"), .number("2")])) == true)
        #expect(try await harness.result("system_chain", []) == .string("Development"))
    }
}
