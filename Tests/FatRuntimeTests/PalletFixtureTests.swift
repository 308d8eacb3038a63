import FatCrypto
import FatInk
import FatRuntime
import FatTesting
import Foundation
import Testing

@Suite("pallet-contracts WAT fixtures", Fixtures.required)
struct PalletFixtureTests {
    /// The fixtures pallet-contracts itself expects to be refused, with what the refusal must name.
    static let invalid: [String: String] = [
        "invalid_module.wat": "env.memory", "invalid_contract_no_call.wat": "call",
        "invalid_contract_no_memory.wat": "memory", "float_instruction.wat": "floating-point",
    ]

    @Test func everyFixtureEitherLoadsOrIsRefusedWithAReason() throws {
        let root = try Fixtures.path("pallet-contracts-wat")
        let names = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".wat") }.sorted()
        #expect(names.count == 48)
        for name in names {
            let text = try String(contentsOfFile: root + "/" + name, encoding: .utf8)
            do {
                _ = try InkCode.prepare(wasm: try InkCode.compileWAT(text))
                #expect(Self.invalid[name] == nil, "\(name) should be refused")
            } catch {
                let reason = try #require(Self.invalid[name], "\(name) was refused: \(error)")
                #expect("\(error)".contains(reason), "\(name) was refused for another reason: \(error)")
            }
        }
    }

    /// Deploys a fixture with `input` as the constructor's input.
    func deploy(_ name: String, _ host: FatHost, input: [UInt8] = []) throws -> AccountId {
        let root = try Fixtures.path("pallet-contracts-wat")
        let wasm = try InkCode.compileWAT(String(contentsOfFile: root + "/" + name, encoding: .utf8))
        let upload = CodeUpload(kind: .wasm, bytes: wasm, metadata: [])
        let receipt = try host.submit(Command.deploy(upload, input: input, salt: [9], caller: TestAccount.alice.account))
        #expect(receipt.outcome == .success, "deploying \(name): \(receipt.outcome)")
        return receipt.contract
    }

    func call(_ host: FatHost, _ contract: AccountId, _ input: [UInt8]) throws -> Outcome {
        try host.submit(Command(caller: TestAccount.alice.account, action: .call(contract: contract, input: input))).outcome
    }

    @Test func okTrapRevertEndsAsItsInputSays() throws {
        try withHost { host in
            let contract = try deploy("ok_trap_revert.wat", host, input: [0, 0, 0, 0])
            #expect(try call(host, contract, [0, 0, 0, 0]) == .success)
            #expect(try call(host, contract, [1, 0, 0, 0]) == .reverted)
            guard case let .failed(error) = try call(host, contract, [2, 0, 0, 0]) else {
                Issue.record("expected a trap")
                return
            }
            #expect(error.code == .trapped)
        }
    }

    @Test func ecdsaRecoverAnswersTheSignersKey() throws {
        try withHost { host in
            let contract = try deploy("ecdsa_recover.wat", host)
            let secret = Keccak256.hash(Array("signer".utf8))
            let hash = Keccak256.hash(Array("what was signed".utf8))
            let signature = try #require(Secp256k1.sign(messageHash: hash, secretKey: secret))
            let receipt = try host.submit(Command(caller: TestAccount.alice.account, action: .call(contract: contract, input: signature + hash)))
            #expect(receipt.outcome == .success, "\(receipt.outcome)")
            #expect(receipt.output == Secp256k1.publicKey(secretKey: secret))
        }
    }

    /// The inputs of pallet-contracts' own `sr25519_verify` test (frame/contracts/src/tests.rs):
    /// Alice's signature over "hello world" in the "substrate" context, then her public key, then
    /// the 11-byte message. The contract returns the host function's return code.
    @Test func sr25519VerifyAnswersSuccessOnlyForTheSignedMessage() throws {
        try withHost { host in
            let contract = try deploy("sr25519_verify.wat", host)
            let signature = [UInt8](
                hex:
                    "b8314aee4ea566fc165c9cb07c76a874f763005e022d09aa49deb64a3c204b4062ae45375355b462d04be739cd3e04691a88ac117b635affe436733f1ecfcd83"
            )!
            let alice = [UInt8](hex: "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")!
            for (message, expected) in [("hello world", UInt32(0)), ("hello worlD", 12)] {
                let receipt = try host.submit(
                    Command(caller: TestAccount.alice.account, action: .call(contract: contract, input: signature + alice + Array(message.utf8))))
                #expect(receipt.outcome == .success, "\(receipt.outcome)")
                #expect(receipt.output == withUnsafeBytes(of: expected.littleEndian) { Array($0) }, "\(message)")
            }
        }
    }

    @Test func theInputCanBeReadOnce() throws {
        try withHost { host in
            let once = try deploy("seal_input_once.wat", host)
            let twice = try deploy("seal_input_twice.wat", host)
            #expect(try call(host, once, [1, 2, 3, 4]) == .success)
            guard case .failed = try call(host, twice, [1, 2, 3, 4]) else {
                Issue.record("a second input read was allowed")
                return
            }
        }
    }

    // MARK: Fixtures that need code uploaded on its own

    /// Stores a fixture's code with an upload command, as pallet-contracts' upload_code does.
    func upload(_ name: String, _ host: FatHost) throws -> CodeHash {
        let root = try Fixtures.path("pallet-contracts-wat")
        let wasm = try InkCode.compileWAT(String(contentsOfFile: root + "/" + name, encoding: .utf8))
        let upload = CodeUpload(kind: .wasm, bytes: wasm, metadata: [])
        let hash = Blake2b.hash256(wasm)
        let receipt = try host.submit(
            Command(caller: TestAccount.alice.account, action: .upload(codeHash: hash, metadataHash: upload.metadataHash), code: upload))
        #expect(receipt.outcome == .success, "uploading \(name): \(receipt.outcome)")
        return hash
    }

    func output(_ host: FatHost, _ contract: AccountId, _ input: [UInt8]) throws -> Receipt {
        try host.submit(Command(caller: TestAccount.alice.account, action: .call(contract: contract, input: input)))
    }

    @Test func setCodeHashSwitchesToUploadedCodeAndTheSwitchSurvivesReopening() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let contract: AccountId
        do {
            let host = try FatHost(dataDirectory: dir.path)
            defer { host.close() }
            contract = try deploy("set_code_hash.wat", host)
            let newCode = try upload("new_set_code_hash_contract.wat", host)
            // The call that switches still runs the old code and answers 1; the next runs the new and answers 2.
            let first = try output(host, contract, newCode)
            #expect(first.outcome == .success)
            #expect(first.output == [1, 0, 0, 0])
            let second = try output(host, contract, newCode)
            #expect(second.output == [2, 0, 0, 0])
            #expect(try host.contract(contract)?.codeHash == newCode)
        }
        // The switch is state: the reopened host runs the new code, and a replay of the log agrees.
        let reopened = try FatHost(dataDirectory: dir.path)
        defer { reopened.close() }
        #expect(try reopened.query(contract, input: [UInt8](repeating: 0, count: 32)).output == [2, 0, 0, 0])
        let report = try reopened.verify()
        #expect(report.ok, "\(report.mismatches)")
    }

    @Test func instantiateReturnCodes() throws {
        try withHost { host in
            let contract = try deploy("instantiate_return_code.wat", host)
            let callee = try upload("return_with_data.wat", host)
            // Unknown code: CodeNotFound (7).
            #expect(try output(host, contract, [UInt8](repeating: 0xAB, count: 32) + [0, 0, 0, 0]).output == le32(7))
            // The fixture sends 10 000 units of value; this host has no currency: TransferFailed (5).
            #expect(try output(host, contract, callee + [0, 0, 0, 0]).output == le32(5))
        }
    }

    @Test func cryptoHashesThroughAnIndirectCallTable() throws {
        try withHost { host in
            let contract = try deploy("crypto_hashes.wat", host)
            let data = Array("_DEAD_BEEF".utf8)
            let expected = [SHA256.hash(data), Keccak256.hash(data), Blake2b.hash256(data), Blake2b.hash(data, outputLength: 16)]
            // Table slots 1 to 4 hold the four hash functions; the fixture returns more bytes than
            // the digest (its length table is ASCII), so the digest is the output's prefix, as
            // pallet-contracts' own test reads it.
            for (index, digest) in expected.enumerated() {
                let receipt = try output(host, contract, [UInt8(index + 1)] + data)
                #expect(receipt.outcome == .success)
                #expect(Array(receipt.output.prefix(digest.count)) == digest, "hash \(index + 1)")
            }
            // Slot 0 is empty: calling through it traps.
            #expect(try output(host, contract, [0] + data).outcome != .success)
        }
    }

    @Test func returnWithDataRevertsOnAFlagAndKeepsTheData() throws {
        try withHost { host in
            let contract = try deploy("return_with_data.wat", host, input: [0, 0, 0, 0])
            let success = try output(host, contract, [0, 0, 0, 0, 7, 8])
            #expect(success.outcome == .success)
            #expect(success.output == [7, 8])
            let reverted = try output(host, contract, [1, 0, 0, 0, 9])
            #expect(reverted.outcome == .reverted)
            #expect(reverted.output == [9])
        }
    }

    @Test func eventAndReturnOnDeployAndDebugMessages() throws {
        try withHost { host in
            let root = try Fixtures.path("pallet-contracts-wat")
            let wasm = try InkCode.compileWAT(String(contentsOfFile: root + "/event_and_return_on_deploy.wat", encoding: .utf8))
            let upload = CodeUpload(kind: .wasm, bytes: wasm, metadata: [])
            let receipt = try host.submit(Command.deploy(upload, input: [], salt: [], caller: TestAccount.alice.account))
            #expect(receipt.outcome == .success)
            #expect(receipt.output == [1, 2, 3, 4])
            #expect(receipt.events.map(\.data) == [[1, 2, 3, 4]])

            let debug = try deploy("debug_message_works.wat", host)
            let logged = try output(host, debug, [0, 0, 0, 0])
            #expect(logged.outcome == .success)
            #expect(logged.logs.contains { $0.hasSuffix("Hello World!") })
        }
    }

    @Test func anUploadWithoutItsCodeOrWithTheWrongHashIsRefusedAndNotLogged() throws {
        try withHost { host in
            let before = try host.logEntries().count
            #expect(throws: FatError.self) {
                try host.submit(
                    Command(caller: TestAccount.alice.account, action: .upload(codeHash: [UInt8](repeating: 1, count: 32), metadataHash: nil)))
            }
            let upload = CodeUpload(kind: .wasm, bytes: [0, 97, 115, 109], metadata: [])
            #expect(throws: FatError.self) {
                try host.submit(
                    Command(
                        caller: TestAccount.alice.account,
                        action: .upload(codeHash: [UInt8](repeating: 1, count: 32), metadataHash: upload.metadataHash), code: upload))
            }
            #expect(try host.logEntries().count == before)
        }
    }
}
