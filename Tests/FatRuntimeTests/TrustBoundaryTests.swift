import FatCodec
import FatCrypto
import FatInk
import FatTesting
import Foundation
import Testing

@testable import FatRuntime

/// The host's side of the trust boundary: only logged code runs, metadata belongs to whoever
/// deployed with it, a reused instance is a fresh one, signatures are bound to the host and the
/// moment, native code is the operator's, sealed at rest, and what one request may ask for is
/// bounded.
@Suite("The host's trust boundary")
struct TrustBoundaryTests {
    /// Instantiates the code whose hash is the first 32 bytes of its input (constructor input:
    /// the next 4 bytes) and answers the host's return code as a u32.
    static let instantiator = """
        (module
          (import "seal0" "seal_input" (func $input (param i32 i32)))
          (import "seal1" "seal_instantiate" (func $instantiate (param i32 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
          (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
          (import "env" "memory" (memory 1 1))
          (data (i32.const 12) "\\24")
          (func (export "deploy"))
          (func (export "call")
            (call $input (i32.const 16) (i32.const 12))
            (i32.store (i32.const 8)
              (call $instantiate (i32.const 16) (i64.const 0) (i32.const 100) (i32.const 48) (i32.const 4)
                (i32.const 0xffffffff) (i32.const 0) (i32.const 0xffffffff) (i32.const 0) (i32.const 0) (i32.const 0)))
            (call $return (i32.const 0) (i32.const 8) (i32.const 4))))
        """

    /// `call` with first input byte 1 grows memory and marks it and a global; any other input
    /// answers the memory size in pages, the byte at 70000 (or 0xff past the end), the byte at
    /// 8 and the global.
    static let stateful = """
        (module
          (import "seal0" "seal_input" (func $input (param i32 i32)))
          (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
          (import "env" "memory" (memory 1 2))
          (global $g (mut i32) (i32.const 0))
          (data (i32.const 4) "\\10")
          (func (export "deploy"))
          (func (export "call")
            (call $input (i32.const 16) (i32.const 4))
            (if (i32.eq (i32.load8_u (i32.const 16)) (i32.const 1))
              (then
                (drop (memory.grow (i32.const 1)))
                (i32.store8 (i32.const 70000) (i32.const 9))
                (i32.store8 (i32.const 8) (i32.const 9))
                (global.set $g (i32.const 9))
                (call $return (i32.const 0) (i32.const 0) (i32.const 0))))
            (i32.store8 (i32.const 32) (memory.size))
            (i32.store8 (i32.const 33) (i32.const 0xff))
            (if (i32.gt_u (memory.size) (i32.const 1)) (then (i32.store8 (i32.const 33) (i32.load8_u (i32.const 70000)))))
            (i32.store8 (i32.const 34) (i32.load8_u (i32.const 8)))
            (i32.store8 (i32.const 35) (global.get $g))
            (call $return (i32.const 0) (i32.const 32) (i32.const 4))))
        """

    static func wat(_ text: String) throws -> CodeUpload { CodeUpload(kind: .wasm, bytes: try InkCode.compileWAT(text), metadata: []) }

    func deploy(_ upload: CodeUpload, on host: FatHost, input: [UInt8] = [], as caller: TestAccount = .alice) throws -> AccountId {
        var command = Command.deploy(upload, input: input, salt: SecureRandom.bytes(8), caller: caller.account)
        command.gasLimit = host.limits.maxCommandGas
        let receipt = try host.submit(caller.signed(command, for: host))
        #expect(receipt.outcome == .success, "\(receipt.outcome)")
        return receipt.contract
    }

    func call(_ contract: AccountId, _ input: [UInt8], on host: FatHost, as caller: TestAccount = .alice) throws -> Receipt {
        try host.submit(caller.signed(Command(caller: caller.account, action: .call(contract: contract, input: input)), for: host))
    }

    @Test func codeOnlyStagedCannotBeInstantiatedByACommandAndReplayAgrees() throws {
        try withHost { host in
            let instantiator = try deploy(try Self.wat(Self.instantiator), on: host)
            let target = try Self.wat(Self.stateful)
            // Prepared (validated, compiled, cached), as staging does — but never logged.
            _ = try host.prepare(target)
            let staged = try call(instantiator, target.codeHash + [0, 0, 0, 0], on: host)
            #expect(staged.outcome == .success)
            #expect(staged.output == le32(7), "CodeNotFound: the code is not in the log")
            // Once an upload command logs it, the same call instantiates it.
            let uploaded = try host.submit(
                TestAccount.alice.signed(
                    Command(
                        caller: TestAccount.alice.account, action: .upload(codeHash: target.codeHash, metadataHash: nil), code: target), for: host))
            #expect(uploaded.outcome == .success)
            #expect(try call(instantiator, target.codeHash + [0, 0, 0, 0], on: host).output == le32(0))
            let report = try host.verify()
            #expect(report.ok, "\(report.mismatches)")
            // The replay rebuilt the code from the log alone: the upload entry carries it.
            #expect(try host.logEntries()[2].entry.command.code?.bytes == target.bytes)
        }
    }

    @Test func aQueryThatGrowsMemoryAndSetsAGlobalLeavesNothingForALaterCommand() throws {
        try withHost { host in
            let contract = try deploy(try Self.wat(Self.stateful), on: host)
            let fresh = try host.query(contract, input: [0, 0, 0, 0])
            #expect(fresh.output == [1, 0xff, 0, 0])
            for _ in 0 ..< 3 { _ = try host.query(contract, input: [1, 0, 0, 0]) }
            let later = try call(contract, [0, 0, 0, 0], on: host)
            #expect(later.output == fresh.output, "a warm instance answered differently from a fresh one")
            #expect(try host.verify().ok)
        }
    }

    @Test(Fixtures.required) func eachDeployerDescribesItsContractWithItsOwnMetadata() throws {
        let bundlePath = try Fixtures.path("ink/contracts-ui/flipper.contract")
        let bundle = [UInt8](try Data(contentsOf: URL(fileURLWithPath: bundlePath)))
        let wasm = try #require(try ContractMetadata.parse(json: bundle).wasm)
        // A first uploader's document for the same code, renamed and with its messages relabelled.
        let hostile = Array(
            String(decoding: bundle, as: UTF8.self).replacingOccurrences(of: "\"label\":\"flip\"", with: "\"label\":\"drain_all\"")
                .replacingOccurrences(of: "\"name\":\"flipper\"", with: "\"name\":\"trust-me\"").utf8)
        #expect(hostile != bundle)
        try withHost { host in
            let first = CodeUpload(kind: .wasm, bytes: wasm, metadata: hostile)
            let uploaded = try host.submit(
                TestAccount.bob.signed(
                    Command(
                        caller: TestAccount.bob.account, action: .upload(codeHash: first.codeHash, metadataHash: first.metadataHash), code: first),
                    for: host))
            #expect(uploaded.outcome == .success)
            let genuine = CodeUpload(kind: .wasm, bytes: wasm, metadata: bundle)
            let new = try #require(try host.prepare(genuine).metadata.constructors.first { $0.label == "new" })
            let mine = try deploy(genuine, on: host, input: new.selector + [0])
            let described = try host.metadata(of: mine)
            #expect(described.name == "flipper")
            #expect(described.messages.contains { $0.label == "flip" } && !described.messages.contains { $0.label == "drain_all" })
            // Deployed by hash alone, a contract takes the document its code's first upload carried.
            let byHash = try host.submit(
                TestAccount.alice.signed(
                    Command(
                        caller: TestAccount.alice.account,
                        action: .deploy(codeHash: first.codeHash, metadataHash: nil, input: new.selector + [1], salt: [9])),
                    for: host))
            #expect(try host.metadata(of: byHash.contract).name == "trust-me")
            #expect(try host.metadata(of: mine).name == "flipper", "one deployer's choice does not change another's")
            #expect(try host.verify().ok)
        }
    }

    @Test func theCodeCacheStaysWithinItsBudgetAndPreparesEvictedCodeAgain() throws {
        var limits = HostLimits()
        limits.codeCacheBytes = 1
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let host = try FatHost(dataDirectory: dir.path, limits: limits)
        defer { host.close() }
        // Three codes (each module differs by its data segment), used in turn.
        let contracts = try (0 ..< 3).map { index in
            try deploy(try Self.wat(Self.stateful.replacingOccurrences(of: "\"\\10\"", with: "\"\\1\(index)\"")), on: host)
        }
        for round in 0 ..< 2 {
            for (index, contract) in contracts.enumerated() {
                let answer = try host.query(contract, input: [0, 0, 0, 0])
                #expect(answer.outcome == .success, "round \(round), contract \(index): \(answer.outcome)")
                #expect(host.codes.usage.codes <= 1, "the cache holds \(host.codes.usage.codes) Wasm codes over a 1-byte budget")
            }
        }
    }

    @Test func gasIsCappedByTheOperatorsLimits() throws {
        var limits = HostLimits()
        limits.maxCommandGas = 1_000_000
        limits.maxQueryGas = 2_000_000
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let host = try FatHost(dataDirectory: dir.path, limits: limits)
        defer { host.close() }
        let loop = try Self.wat(#"(module (import "env" "memory" (memory 1 1)) (func (export "deploy")) (func (export "call") (loop $l (br $l))))"#)
        let contract = try deploy(loop, on: host)
        var greedy = Command(caller: TestAccount.alice.account, action: .call(contract: contract, input: [0, 0, 0, 0]), gasLimit: 1_000_001)
        greedy = TestAccount.alice.signed(greedy, for: host)
        #expect { try host.submit(greedy) } throws: { ($0 as? FatError)?.code == .badArguments && "\($0)".contains("at most 1000000") }
        let answer = try host.query(contract, input: [0, 0, 0, 0], gasLimit: .max)
        guard case let .failed(error) = answer.outcome else {
            Issue.record("the loop ended: \(answer.outcome)")
            return
        }
        #expect(error.code == .outOfGas)
        #expect(answer.gasUsed <= limits.maxQueryGas)
    }

    @Test func aSignedCommandNeedsANonceAnExpiryToComeAndThisHostsGenesis() throws {
        try withHost { host in
            let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(0))
            let input = try #require(try host.metadata(of: counter).messages.first { $0.label == "increment" }).selector + le32(1)
            let base = Command(caller: TestAccount.alice.account, action: .call(contract: counter, input: input), nonce: 100)
            func signed(_ command: Command, genesis: [UInt8]) -> Command {
                var command = command
                command.signature = Signature(scheme: .ed25519, bytes: TestAccount.alice.key.sign(command.signingPayload(genesis: genesis)))
                return command
            }
            var zero = base
            zero.expiresAtMs = 0
            #expect { try host.submit(signed(zero, genesis: host.genesis)) } throws: { ($0 as? FatError)?.code == .expired }
            var unbound = base
            unbound.expiresAtMs = FatHost.nowMs + 60_000
            let other = TemporaryDirectory()
            defer { other.remove() }
            let elsewhere = try FatHost(dataDirectory: other.path)
            defer { elsewhere.close() }
            #expect(elsewhere.genesis != host.genesis)
            #expect { try host.submit(signed(unbound, genesis: elsewhere.genesis)) } throws: { ($0 as? FatError)?.code == .badSignature }
            var withoutNonce = unbound
            withoutNonce.nonce = nil
            #expect { try host.submit(signed(withoutNonce, genesis: host.genesis)) } throws: { ($0 as? FatError)?.code == .badArguments }
            #expect(try host.submit(signed(unbound, genesis: host.genesis)).outcome == .success)
            #expect(try host.logEntries().count == 2)
        }
    }

    @Test func onANetworkFaceNativeCodeIsTheOperatorsAndCommandsAreSigned() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let host = try FatHost(dataDirectory: dir.path, authority: .network(operators: [TestAccount.bob.account]))
        defer { host.close() }
        let counter = CodeUpload(
            kind: .native, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Products.library("counter")))), metadata: [])
        let new = Array(Blake2b.hash256(Array("new".utf8)).prefix(4)) + le64(5)
        let byAlice = TestAccount.alice.signed(Command.deploy(counter, input: new, salt: [1], caller: TestAccount.alice.account), for: host)
        #expect { try host.submit(byAlice) } throws: { ($0 as? FatError)?.code == .notAllowed }
        #expect { try host.submit(Command.deploy(counter, input: new, salt: [1], caller: TestAccount.bob.account)) } throws: {
            ($0 as? FatError)?.code == .signatureRequired
        }
        #expect(try host.logEntries().isEmpty)
        let byBob = try host.submit(
            TestAccount.bob.signed(Command.deploy(counter, input: new, salt: [1], caller: TestAccount.bob.account), for: host))
        #expect(byBob.outcome == .success)
        // Once the operator has brought it, anyone may instantiate it by hash.
        let again = try host.submit(
            TestAccount.alice.signed(
                Command(
                    caller: TestAccount.alice.account, action: .deploy(codeHash: counter.codeHash, metadataHash: nil, input: new, salt: [2])),
                for: host))
        #expect(again.outcome == .success)
        #expect(try host.authority.disclosure(of: try host.logEntries()[1].entry, to: TestAccount.alice.account) == .full)
        #expect(try host.authority.disclosure(of: try host.logEntries()[1].entry, to: nil) == .order)
        #expect(try host.authority.disclosure(of: try host.logEntries()[1].entry, to: TestAccount.bob.account) == .full)
    }

    @Test func codeKnownToTheCacheAsNativeIsNotTakenForWasm() throws {
        try withHost { host in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Products.library("counter"))))
            _ = try host.prepare(CodeUpload(kind: .native, bytes: bytes, metadata: []))
            #expect { try host.prepare(CodeUpload(kind: .wasm, bytes: bytes, metadata: [])) } throws: { ($0 as? FatError)?.code == .badArtifact }
        }
    }

    @Test func nativeCodeIsSealedAtRest() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Products.library("counter"))))
        do {
            let host = try FatHost(dataDirectory: dir.path)
            defer { host.close() }
            let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(3))
            #expect(u64(try host.ask(counter, "get").output) == 3)
        }
        // No file in the data directory is the shared object or holds a stretch of it.
        let probe = Array(bytes[bytes.count / 2 ..< bytes.count / 2 + 48])
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir.path) {
            guard let data = FileManager.default.contents(atPath: dir.path + "/" + name) else { continue }
            let content = [UInt8](data)
            #expect(!content.starts(with: [0x7f, 0x45, 0x4c, 0x46]), "\(name) is a shared object")
            #expect(content.firstRange(of: probe) == nil, "\(name) holds the code in plaintext")
        }
        // And it loads again from the store, from memory.
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        let counter = try #require(try host.contractAddresses().first)
        #expect(u64(try host.ask(counter, "get").output) == 3)
    }
}
