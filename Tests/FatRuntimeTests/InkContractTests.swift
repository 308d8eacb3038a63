import FatCodec
import FatInk
import FatRuntime
import FatTesting
import Foundation
import Testing

@Suite("ink! contracts through the same dispatcher")
struct InkContractTests {
    static let flippers = [
        "ink/phala-blockchain/crates/pink/runtime/tests/fixtures/flip/flip.contract",
        "ink/contracts-ui/4.0.0-alpha-1/flipper.contract",
        "ink/contracts-ui/4.0.1/flipper.contract",
        "ink/contracts-ui/flipper.contract",
        "ink/polkadot-js-api/ink/v4/flipper.contract.json",
        "ink/polkadot-js-api/ink/v5/flipper.contract.json",
        "ink/smart-bench/ink/flipper.contract",
    ]

    @Test(Fixtures.required, arguments: flippers)
    func unmodifiedFlippersFlip(_ fixture: String) throws {
        let path = try Fixtures.path(fixture)
        try withHost { host in
            let (flipper, deployed) = try host.deployWasm(path, constructor: "new", args: "[false]")
            #expect(deployed.outcome == .success, "\(deployed.outcome) \(deployed.logs)")
            #expect(unwrapped(try host.read(flipper, "get")) == .bool(false))
            let (flip, _) = try host.send(flipper, "flip")
            #expect(flip.outcome == .success)
            #expect(unwrapped(try host.read(flipper, "get")) == .bool(true))
        }
    }

    static let erc20s = [
        "ink/contracts-ui/4.0.1/erc20.contract",
        "ink/contracts-ui/erc20.contract",
        "ink/polkadot-js-api/ink/v4/erc20.contract.json",
        "ink/polkadot-js-api/ink/v5/erc20.contract.json",
        "ink/smart-bench/ink/erc20.contract",
    ]

    @Test(Fixtures.required, arguments: erc20s)
    func erc20TransfersMoveBalancesEmitEventsAndRefuseOverdrafts(_ fixture: String) throws {
        let path = try Fixtures.path(fixture)
        try withHost { host in
            let (token, deployed) = try host.deployWasm(path, constructor: "new", args: "[1000000]")
            #expect(deployed.outcome == .success, "\(deployed.outcome) \(deployed.logs)")
            let (transfer, _) = try host.send(token, "transfer", #"["bob", 250]"#)
            #expect(transfer.outcome == .success, "\(transfer.outcome) \(transfer.logs)")
            #expect(transfer.events.count == 1)
            let event = try ValueCodec(registry: token.metadata.registry)
                .decodeEvent(data: transfer.events[0].data, topics: transfer.events[0].topics, metadata: token.metadata)
            #expect(event["name"] == .string("Transfer"))
            #expect(event["fields"]?["value"] == .number("250"))
            #expect(unwrapped(try host.read(token, "balance_of", #"["bob"]"#)) == .number("250"))
            #expect(unwrapped(try host.read(token, "balance_of", #"["alice"]"#)) == .number("999750"))
            let before = try host.contractDigest(token.address)
            let (overdraft, output) = try host.send(token, "transfer", #"["alice", 251]"#, as: .bob)
            #expect(overdraft.outcome != .success)
            #expect(output?.serialized().contains("InsufficientBalance") == true)
            #expect(overdraft.events.isEmpty)
            #expect(try host.contractDigest(token.address) == before)
            #expect(try host.verify().ok)
        }
    }

    @Test(Fixtures.required) func incrementerIncrements() throws {
        let path = try Fixtures.path("ink/smart-bench/ink/incrementer.contract")
        try withHost { host in
            let (incrementer, deployed) = try host.deployWasm(path, constructor: "new", args: "[5]")
            #expect(deployed.outcome == .success, "\(deployed.outcome) \(deployed.logs)")
            let (receipt, _) = try host.send(incrementer, "inc", "[3]")
            #expect(receipt.outcome == .success, "\(receipt.outcome)")
            #expect(unwrapped(try host.read(incrementer, "get")) == .number("8"))
        }
    }

    @Test(Fixtures.required) func smartBenchComputationAgreesWithItsNativeTwin() throws {
        let path = try Fixtures.path("ink/smart-bench/ink/computation.contract")
        try withHost { host in
            let (wasm, _) = try host.deployWasm(path, constructor: "new")
            let (native, _) = try host.deployNative(try Products.library("computation"), constructor: "new")
            for n: Int32 in [0, 1, 10, 1000, 100_000] {
                for message in ["triangle_number", "odd_product"] {
                    let expected = try host.ask(native, message, withUnsafeBytes(of: n.littleEndian) { Array($0) }).output
                    let answer = unwrapped(try host.read(wasm, message, "[\(n)]"))
                    let nativeValue = Int64(bitPattern: u64(expected))
                    #expect(answer == .number(String(nativeValue)) || answer == .string(String(nativeValue)), "\(message)(\(n))")
                }
            }
        }
    }

    @Test(Fixtures.required) func motherAndMultisigDeployAndAnswer() throws {
        let mother = try Fixtures.path("ink/contracts-ui/mother.contract")
        let multisig = try Fixtures.path("ink/contracts-ui/multisig.contract")
        try withHost { host in
            let (contract, deployed) = try host.deployWasm(mother, constructor: "new_default")
            #expect(deployed.outcome == .success, "\(deployed.outcome)")
            let (logged, _) = try host.send(contract, "debug_log", #"["hello"]"#)
            #expect(logged.outcome == .success)
            #expect(logged.logs.contains { $0.contains("hello") }, "\(logged.logs)")
            let (panicked, _) = try host.send(contract, "revert_or_trap", #"[{"Panic": null}]"#)
            guard case let .failed(error) = panicked.outcome else {
                Issue.record("expected a trap, got \(panicked.outcome)")
                return
            }
            #expect(error.code == .trapped)
            #expect(!error.message.contains("\n"))
            let (wallet, created) = try host.deployWasm(multisig, constructor: "new", args: "[1, [\"\(TestAccount.alice.account.hex)\"]]")
            #expect(created.outcome == .success, "\(created.outcome)")
            let (added, _) = try host.send(wallet, "change_requirement", "[1]")
            // Only the wallet itself may change its requirement: a direct call is refused by the contract.
            #expect(added.outcome != .success)
        }
    }

    @Test func aWasmContractCallsANativeOneAndANativeOneCallsAWasmOne() throws {
        try withHost { host in try Self.callAcrossEngines(host) }
    }

    /// A Wasm contract calls a native counter, and a native caller calls a Wasm flipper: what
    /// every engine of native code (in process, in a worker) must do alike.
    static func callAcrossEngines(_ host: FatHost) throws {
        let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(10))
        let relayPath = Repository.root.appendingPathComponent("Contracts/wasm/relay.wat").path
        let (relay, _) = try host.deployWasm(relayPath, constructor: "new")
        let (relayed, output) = try host.send(relay, "increment_native", "[\"\(counter.hex)\", 100]")
        #expect(relayed.outcome == .success, "\(relayed.outcome) \(relayed.logs)")
        #expect(unwrapped(output) == .number("110"))
        #expect(u64(try host.ask(counter, "get").output) == 110)

        let flipperPath = Repository.root.appendingPathComponent("Contracts/wasm/flipper.wat").path
        let (flipper, _) = try host.deployWasm(flipperPath, constructor: "new", args: "[true]")
        let (caller, _) = try host.deployNative(try Products.library("caller"))
        var input = ScaleEncoder()
        input.appendBytes(flipper.address.bytes)
        input.appendByteVector([0x2f, 0x86, 0x5b, 0xd9])
        let answer = try host.command(caller, "call_raw", input.bytes)
        #expect(answer.outcome == .success)
        // Result<Vec<u8>, i32>::Ok(vec![Ok(true)]) = 00, len 2, 00 01
        #expect(answer.output == [0x00, 0x08, 0x00, 0x01])
    }

    @Test(Fixtures.required) func aContractThatLoopsForeverIsStoppedByGasAndRolledBack() throws {
        let path = try Fixtures.path("pallet-contracts-wat/run_out_of_gas.wat")
        try withHost { host in
            let wasm = try InkCode.compileWAT(String(contentsOfFile: path, encoding: .utf8))
            let upload = CodeUpload(kind: .wasm, bytes: wasm, metadata: [])
            let deployed = try host.submit(Command.deploy(upload, input: [], salt: [1], caller: TestAccount.alice.account))
            #expect(deployed.outcome == .success, "\(deployed.outcome)")
            let before = host.snapshot
            let looped = try host.submit(
                Command(caller: TestAccount.alice.account, action: .call(contract: deployed.contract, input: [0, 0, 0, 0]), gasLimit: 2_000_000))
            guard case let .failed(error) = looped.outcome else {
                Issue.record("expected out of gas, got \(looped.outcome)")
                return
            }
            #expect(error.code == .outOfGas)
            #expect(host.snapshot.seq == before.seq + 1)
            #expect(host.snapshot.root == before.root)
            let report = try host.verify()
            #expect(report.ok, "\(report.mismatches)")
        }
    }

    @Test func anImportTheHostDoesNotProvideIsListed() throws {
        let wasm = try InkCode.compileWAT(
            """
            (module
              (import "seal0" "no_such_function" (func (param i32)))
              (import "seal9" "other" (func))
              (import "env" "memory" (memory 1 1))
              (func (export "deploy")) (func (export "call")))
            """)
        do {
            _ = try InkCode.prepare(wasm: wasm)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("seal0.no_such_function") && "\(error)".contains("seal9.other"))
        }
        let unbalanced = try InkCode.compileWAT(
            #"(module (import "env" "memory" (memory 1)) (func (export "deploy")) (func (export "call") (i32.const 7)))"#)
        do {
            _ = try InkCode.prepare(wasm: unbalanced)
            Issue.record("an invalid function body was accepted")
        } catch {
            #expect("\(error)".contains("does not validate"), "\(error)")
        }
        let big = try InkCode.compileWAT(#"(module (import "env" "memory" (memory 17)) (func (export "deploy")) (func (export "call")))"#)
        #expect(throws: InkCodeError.self) { try InkCode.prepare(wasm: big) }
    }

    /// A contract whose `call` hands the host a pointer far outside its memory, and whose state
    /// lives in a mutable global: the first traps the contract (not the host), the second must
    /// not leak from one call into the next through the reused instance.
    static let probe = """
        (module
          (import "seal0" "seal_input" (func $input (param i32 i32)))
          (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
          (import "seal0" "seal_caller" (func $caller (param i32 i32)))
          (import "env" "memory" (memory 1 1))
          (global $calls (mut i32) (i32.const 0))
          (func (export "deploy"))
          (func (export "call")
            (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
            (i32.store (i32.const 0) (i32.const 16))
            (call $input (i32.const 100) (i32.const 0))
            (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 1))
              (then (i32.store (i32.const 0) (i32.const 32)) (call $caller (i32.const 0xfffffff0) (i32.const 0))))
            (i32.store (i32.const 200) (global.get $calls))
            (call $return (i32.const 0) (i32.const 200) (i32.const 4))))
        """

    @Test func aGuestPointerOutOfBoundsTrapsTheContractAndWarmInstancesStartClean() throws {
        try withHost { host in
            let wasm = try InkCode.compileWAT(Self.probe)
            let upload = CodeUpload(kind: .wasm, bytes: wasm, metadata: [])
            let deployed = try host.submit(Command.deploy(upload, input: [], salt: [2], caller: TestAccount.alice.account))
            let first = try host.query(deployed.contract, input: [0, 0, 0, 0])
            let second = try host.query(deployed.contract, input: [0, 0, 0, 0])
            #expect(first.output == [1, 0, 0, 0])
            #expect(second.output == [1, 0, 0, 0], "the global kept its value from the previous call")
            let wild = try host.query(deployed.contract, input: [1, 0, 0, 0])
            guard case let .failed(error) = wild.outcome else {
                Issue.record("expected a trap, got \(wild.outcome)")
                return
            }
            #expect(error.message.contains("out of bounds"))
            #expect(try host.query(deployed.contract, input: [0, 0, 0, 0]).output == [1, 0, 0, 0])
        }
    }
}
