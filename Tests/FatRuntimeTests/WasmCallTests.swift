import FatCodec
import FatCrypto
import FatInk
import FatRuntime
import FatTesting
import Foundation
import Testing

/// How Wasm contracts call, delegate to, deploy and end one another through the dispatcher:
/// the depth limit, reentry, tail calls, delegate calls, instantiate, terminate, and a callee's
/// writes rolled back while its caller carries on.
@Suite("Wasm contracts calling contracts")
struct WasmCallTests {
    /// A contract that does one thing per call, chosen by the input's first byte (storage keys are
    /// 4 bytes; values 4-byte little-endian unless set raw):
    /// (Inputs are at least 4 bytes, a selector's length: the host refuses shorter ones.)
    ///  1        count this frame in key 0, call itself again allowing reentry; a failed call's
    ///           return code goes to key 1
    ///  2        call itself without allowing reentry
    ///  3 A …    tail-call contract A with the rest of the input
    ///  4 H …    delegate to code H with the rest of the input; answers rc ‖ output
    ///  5 H s …  instantiate code H with salt byte s and the rest as constructor input; answers rc ‖ address
    ///  6        terminate
    ///  7 K      answer the raw value at key K (nothing when absent)
    ///  8 V      write V at key 0, then revert with data [8]
    ///  9 A …    call A with the rest of the input, then write rc + 100 at key 2; answers rc ‖ output
    /// 10 K V    write V at key K
    /// 11 V      write V at key 0, then loop forever
    static let probe = """
        (module
          (import "seal0" "seal_input" (func $input (param i32 i32)))
          (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
          (import "seal0" "seal_address" (func $address (param i32 i32)))
          (import "seal1" "call" (func $call (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)))
          (import "seal0" "delegate_call" (func $delegate (param i32 i32 i32 i32 i32 i32) (result i32)))
          (import "seal1" "instantiate" (func $instantiate (param i32 i64 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
          (import "seal1" "terminate" (func $terminate (param i32)))
          (import "seal1" "get_storage" (func $get (param i32 i32 i32 i32) (result i32)))
          (import "seal2" "set_storage" (func $set (param i32 i32 i32 i32) (result i32)))
          (import "env" "memory" (memory 1 1))
          ;; 0 key 0, 4 key 1, 8 key 2, 16 input length, 32 input, 1100 value length, 1104 value,
          ;; 1200 output length, 1204 output, 1800 zeros (value, beneficiary), 1900 address length,
          ;; 1904 address.
          (data (i32.const 4) "\\01\\00\\00\\00\\02\\00\\00\\00")

          (func $store (param $key i32) (param $value i32)
            (i32.store (i32.const 1104) (local.get $value))
            (drop (call $set (local.get $key) (i32.const 4) (i32.const 1104) (i32.const 4))))

          (func $load0 (result i32)
            (i32.store (i32.const 1100) (i32.const 64))
            (if (call $get (i32.const 0) (i32.const 4) (i32.const 1104) (i32.const 1100)) (then (return (i32.const 0))))
            (i32.load (i32.const 1104)))

          ;; Answers rc followed by what the callee wrote at 1204 (nothing unless it returned or reverted).
          (func $answer (param $rc i32)
            (local $length i32)
            (local.set $length (i32.load (i32.const 1200)))
            (if (i32.and (i32.ne (local.get $rc) (i32.const 0)) (i32.ne (local.get $rc) (i32.const 2)))
              (then (local.set $length (i32.const 0))))
            (i32.store (i32.const 1200) (local.get $rc))
            (call $return (i32.const 0) (i32.const 1200) (i32.add (i32.const 4) (local.get $length))))

          (func (export "deploy"))

          (func (export "call")
            (local $length i32) (local $op i32) (local $rc i32)
            (i32.store (i32.const 16) (i32.const 1024))
            (call $input (i32.const 32) (i32.const 16))
            (local.set $length (i32.load (i32.const 16)))
            (if (i32.eqz (local.get $length)) (then unreachable))
            (local.set $op (i32.load8_u (i32.const 32)))
            (i32.store (i32.const 1200) (i32.const 512))
            (i32.store (i32.const 1900) (i32.const 32))
            (call $address (i32.const 1904) (i32.const 1900))

            (if (i32.eq (local.get $op) (i32.const 1)) (then
              (call $store (i32.const 0) (i32.add (call $load0) (i32.const 1)))
              (local.set $rc (call $call (i32.const 8) (i32.const 1904) (i64.const 0) (i32.const 1800)
                                         (i32.const 32) (i32.const 4) (i32.const 1204) (i32.const 1200)))
              (if (local.get $rc) (then (call $store (i32.const 4) (local.get $rc))))
              (call $answer (local.get $rc))))
            (if (i32.eq (local.get $op) (i32.const 2)) (then
              (i32.store8 (i32.const 32) (i32.const 7))
              (call $answer (call $call (i32.const 0) (i32.const 1904) (i64.const 0) (i32.const 1800)
                                        (i32.const 32) (i32.const 5) (i32.const 1204) (i32.const 1200)))))
            (if (i32.eq (local.get $op) (i32.const 3)) (then
              (drop (call $call (i32.const 4) (i32.const 33) (i64.const 0) (i32.const 1800)
                                (i32.const 65) (i32.sub (local.get $length) (i32.const 33)) (i32.const 1204) (i32.const 1200)))
              unreachable))
            (if (i32.eq (local.get $op) (i32.const 4)) (then
              (call $answer (call $delegate (i32.const 0) (i32.const 33) (i32.const 65) (i32.sub (local.get $length) (i32.const 33))
                                            (i32.const 1204) (i32.const 1200)))))
            (if (i32.eq (local.get $op) (i32.const 5)) (then
              (local.set $rc (call $instantiate (i32.const 33) (i64.const 0) (i32.const 1800)
                                                (i32.const 66) (i32.sub (local.get $length) (i32.const 34))
                                                (i32.const 1904) (i32.const 1900) (i32.const 1204) (i32.const 1200)
                                                (i32.const 65) (i32.const 1)))
              (i32.store (i32.const 1900) (local.get $rc))
              (call $return (i32.const 0) (i32.const 1900) (i32.const 36))))
            (if (i32.eq (local.get $op) (i32.const 6)) (then (call $terminate (i32.const 1800))))
            (if (i32.eq (local.get $op) (i32.const 7)) (then
              (i32.store (i32.const 1100) (i32.const 64))
              (if (call $get (i32.const 33) (i32.const 4) (i32.const 1104) (i32.const 1100))
                (then (call $return (i32.const 0) (i32.const 1104) (i32.const 0))))
              (call $return (i32.const 0) (i32.const 1104) (i32.load (i32.const 1100)))))
            (if (i32.eq (local.get $op) (i32.const 8)) (then
              (drop (call $set (i32.const 0) (i32.const 4) (i32.const 33) (i32.const 4)))
              (call $return (i32.const 1) (i32.const 32) (i32.const 1))))
            (if (i32.eq (local.get $op) (i32.const 9)) (then
              (local.set $rc (call $call (i32.const 0) (i32.const 33) (i64.const 0) (i32.const 1800)
                                         (i32.const 65) (i32.sub (local.get $length) (i32.const 33)) (i32.const 1204) (i32.const 1200)))
              (call $store (i32.const 8) (i32.add (local.get $rc) (i32.const 100)))
              (call $answer (local.get $rc))))
            (if (i32.eq (local.get $op) (i32.const 10)) (then
              (drop (call $set (i32.const 33) (i32.const 4) (i32.const 37) (i32.const 4)))
              (call $return (i32.const 0) (i32.const 1104) (i32.const 0))))
            (if (i32.eq (local.get $op) (i32.const 11)) (then
              (drop (call $set (i32.const 0) (i32.const 4) (i32.const 33) (i32.const 4)))
              (loop $forever (br $forever))))
            unreachable)
        )
        """

    static let key0: [UInt8] = [0, 0, 0, 0], key1: [UInt8] = [1, 0, 0, 0], key2: [UInt8] = [2, 0, 0, 0]
    /// flipper.wat's selectors and its constructor `new(true)`.
    static let flip: [UInt8] = [0x63, 0x3A, 0xA5, 0x51], get: [UInt8] = [0x2F, 0x86, 0x5B, 0xD9]
    static let newTrue: [UInt8] = [0x9B, 0xAE, 0x9D, 0x5E, 1]

    func deployProbe(_ host: FatHost, salt: UInt8 = 0) throws -> AccountId {
        let upload = CodeUpload(kind: .wasm, bytes: try InkCode.compileWAT(Self.probe), metadata: [])
        let receipt = try host.submit(Command.deploy(upload, input: [], salt: [salt], caller: TestAccount.alice.account))
        try #require(receipt.outcome == .success, "deploying the probe: \(receipt.outcome)")
        return receipt.contract
    }

    func deployFlipper(_ host: FatHost) throws -> (AccountId, CodeHash) {
        let wasm = try InkCode.compileWAT(String(contentsOfFile: Repository.path("Contracts/wasm/flipper.wat"), encoding: .utf8))
        let upload = CodeUpload(kind: .wasm, bytes: wasm, metadata: [])
        let receipt = try host.submit(Command.deploy(upload, input: Self.newTrue, salt: [], caller: TestAccount.alice.account))
        try #require(receipt.outcome == .success, "deploying flipper: \(receipt.outcome)")
        return (receipt.contract, upload.codeHash)
    }

    /// Calls the probe; an input shorter than a selector is padded with zeros, which no operation reads.
    func send(_ host: FatHost, _ contract: AccountId, _ input: [UInt8]) throws -> Receipt {
        let padded = input + [UInt8](repeating: 0, count: max(0, 4 - input.count))
        return try host.submit(Command(caller: TestAccount.alice.account, action: .call(contract: contract, input: padded)))
    }

    func read(_ host: FatHost, _ contract: AccountId, _ key: [UInt8]) throws -> [UInt8] {
        let result = try host.query(contract, input: [7] + key)
        try #require(result.outcome == .success, "reading \(key): \(result.outcome)")
        return result.output
    }

    @Test func aContractCallingItselfWithReentryAllowedStopsAtTheDepthLimit() throws {
        try withHost { host in
            let probe = try deployProbe(host)
            let receipt = try send(host, probe, [1])
            #expect(receipt.outcome == .success, "\(receipt.outcome)")
            // One frame per level counted itself; the call one level deeper failed with CalleeTrapped (1).
            #expect(try read(host, probe, Self.key0) == le32(UInt32(Dispatcher.maxDepth)))
            #expect(try read(host, probe, Self.key1) == le32(1))
            #expect(receipt.logs.contains { $0.contains("call depth limit of \(Dispatcher.maxDepth)") }, "\(receipt.logs)")
            // Each level answered its rc: 0 from the top seven, 1 from the deepest.
            #expect(receipt.output == [UInt8](repeating: 0, count: 4 * (Dispatcher.maxDepth - 1)) + le32(1))
        }
    }

    @Test func reentryWithoutTheFlagTrapsTheCaller() throws {
        try withHost { host in
            let probe = try deployProbe(host)
            #expect(try send(host, probe, [10] + Self.key0 + le32(5)).outcome == .success)
            let rootBefore = host.snapshot.root
            let receipt = try send(host, probe, [2])
            guard case let .failed(error) = receipt.outcome else {
                Issue.record("expected a failure, got \(receipt.outcome)")
                return
            }
            #expect(error.message.contains("reentrant call"), "\(error.message)")
            #expect(host.snapshot.root == rootBefore)
        }
    }

    @Test func aTailCallAnswersWithTheCalleesOutputAndOutcome() throws {
        try withHost { host in
            let probe = try deployProbe(host)
            let (flipper, _) = try deployFlipper(host)
            let answered = try send(host, probe, [3] + flipper.bytes + Self.get)
            #expect(answered.outcome == .success)
            #expect(answered.output == [0x00, 0x01])  // flipper's Ok(true), not the probe's own answer
            // A tail call to a callee that reverts ends the caller reverted, with the callee's data,
            // and the callee's write is gone.
            let other = try deployProbe(host, salt: 1)
            let reverted = try send(host, probe, [3] + other.bytes + [8] + le32(9))
            #expect(reverted.outcome == .reverted)
            #expect(reverted.output == [8])
            #expect(try read(host, other, Self.key0) == [])
        }
    }

    @Test func aDelegateCallRunsTheOtherCodeOnTheCallersStorage() throws {
        try withHost { host in
            let probe = try deployProbe(host)
            let (flipper, flipperCode) = try deployFlipper(host)
            let receipt = try send(host, probe, [4] + flipperCode + Self.flip)
            #expect(receipt.outcome == .success, "\(receipt.outcome)")
            #expect(receipt.output == le32(0) + [0x00])  // rc Success, then flip's Ok(())
            // flip read the probe's (empty) flag and stored true there; flipper's own flag is untouched.
            #expect(try read(host, probe, Self.key0) == [1])
            #expect(try host.query(flipper, input: Self.get).output == [0x00, 0x01])
            // Code nobody stored: CodeNotFound (7), nothing written.
            let missing = try send(host, probe, [4] + [UInt8](repeating: 0xEE, count: 32) + Self.flip)
            #expect(missing.output == le32(7))
            #expect(try read(host, probe, Self.key0) == [1])
        }
    }

    @Test func aContractInstantiatesAnotherFromStoredCode() throws {
        try withHost { host in
            let probe = try deployProbe(host)
            let (_, flipperCode) = try deployFlipper(host)
            let receipt = try send(host, probe, [5] + flipperCode + [7] + Self.newTrue)
            #expect(receipt.outcome == .success, "\(receipt.outcome)")
            try #require(receipt.output.count == 36)
            #expect(Array(receipt.output.prefix(4)) == le32(0))
            let child = try #require(AccountId(Array(receipt.output.dropFirst(4))))
            #expect(child != probe)
            let state = try #require(try host.contract(child))
            #expect(state.deployer == probe)
            #expect(state.codeHash == flipperCode)
            #expect(try host.query(child, input: Self.get).output == [0x00, 0x01])
            // The same code, input and salt again: the address is taken, so the deploy fails and
            // the caller gets CalleeTrapped (1).
            let again = try send(host, probe, [5] + flipperCode + [7] + Self.newTrue)
            #expect(Array(again.output.prefix(4)) == le32(1))
            #expect(try host.verify().ok)
        }
    }

    @Test func aTerminatedContractIsGoneAndTheLogStillReplays() throws {
        try withHost { host in
            let probe = try deployProbe(host)
            _ = try send(host, probe, [10] + Self.key0 + le32(42))
            let ended = try send(host, probe, [6])
            #expect(ended.outcome == .success, "\(ended.outcome)")
            #expect(try host.contract(probe) == nil)
            // A call to it is refused before it is logged, as for an address that never held one.
            let refused = try #require(throws: FatError.self) { try send(host, probe, [7] + Self.key0) }
            #expect(refused.code == .unknownContract)
            #expect(throws: FatError.self) { try host.query(probe, input: [7] + Self.key0) }
            let report = try host.verify()
            #expect(report.ok, "\(report.mismatches)")
        }
    }

    @Test func aCalleesWritesAreRolledBackWhileItsCallerCarriesOn() throws {
        try withHost { host in
            let caller = try deployProbe(host)
            let callee = try deployProbe(host, salt: 1)
            _ = try send(host, callee, [10] + Self.key1 + le32(3))
            let calleeRoot = try #require(try host.contractDigest(callee))
            // The callee writes key 0 and reverts: CalleeReverted (2) and its data reach the caller,
            // which then writes key 2 itself; that write stays, the callee's does not.
            let receipt = try send(host, caller, [9] + callee.bytes + [8] + le32(77))
            #expect(receipt.outcome == .success, "\(receipt.outcome)")
            #expect(receipt.output == le32(2) + [8])
            #expect(try read(host, caller, Self.key2) == le32(102))
            #expect(try read(host, callee, Self.key0) == [])
            #expect(try host.contractDigest(callee) == calleeRoot)

            // The same from a native caller: caller.c's call_raw answers Err(CALLEE_REVERTED) as data.
            let (native, _) = try host.deployNative(try Products.library("caller"))
            var forward = ScaleEncoder()
            forward.appendBytes(callee.bytes)
            forward.appendByteVector([8] + le32(78))
            let viaNative = try host.command(native, "call_raw", forward.bytes)
            #expect(viaNative.outcome == .success)
            #expect(viaNative.output == [0x01] + le32(UInt32(bitPattern: -6)))  // Err(FAT_ERR_CALLEE_REVERTED)
            #expect(try read(host, callee, Self.key0) == [])
            // call_fail: the callee's `fail` reverts; the caller answers the status and succeeds.
            let failed = try host.command(native, "call_fail", native.bytes)
            #expect(failed.outcome == .success)
            #expect(failed.output == le32(UInt32(bitPattern: -6)))
            #expect(try host.verify().ok)
        }
    }

    /// A query already past its deadline stops, its nested call with it, and fails with
    /// `deadline_exceeded`; with time left the same query calls through.
    @Test func aQueryPastItsDeadlineStopsWithItsNestedCall() throws {
        try withHost { host in
            let caller = try deployProbe(host)
            let callee = try deployProbe(host, salt: 1)
            let input: [UInt8] = [9] + callee.bytes + [7] + Self.key0
            let late = try host.query(caller, input: input, timeout: .zero)
            guard case let .failed(error) = late.outcome else {
                Issue.record("the late query ended \(late.outcome)")
                return
            }
            #expect(error.code == .deadlineExceeded, "\(error)")
            let inTime = try host.query(caller, input: input)
            #expect(inTime.outcome == .success)
            #expect(inTime.output == le32(0))
        }
    }

    /// A query that loops on host calls stops at its deadline with `deadline_exceeded`, long
    /// before its gas would run out; the same loop in a command (no deadline) ends out of gas.
    @Test func aQueryLoopingOnHostCallsStopsAtItsDeadline() throws {
        let spinner = """
            (module
              (import "seal0" "seal_address" (func $address (param i32 i32)))
              (import "env" "memory" (memory 1 1))
              (func (export "deploy"))
              (func (export "call")
                (loop $again
                  (i32.store (i32.const 0) (i32.const 32))
                  (call $address (i32.const 32) (i32.const 0))
                  (br $again))))
            """
        try withHost { host in
            let upload = CodeUpload(kind: .wasm, bytes: try InkCode.compileWAT(spinner), metadata: [])
            let deployed = try host.submit(Command.deploy(upload, input: [], salt: [], caller: TestAccount.alice.account))
            try #require(deployed.outcome == .success, "\(deployed.outcome)")
            let started = ContinuousClock.now
            let stopped = try host.query(deployed.contract, input: [0, 0, 0, 0], gasLimit: FatHost.defaultQueryGas, timeout: .milliseconds(200))
            let elapsed = ContinuousClock.now - started
            guard case let .failed(error) = stopped.outcome else {
                Issue.record("the spinning query ended \(stopped.outcome)")
                return
            }
            #expect(error.code == .deadlineExceeded, "\(error)")
            #expect(elapsed < .milliseconds(1_200), "stopped after \(elapsed)")
            #expect(stopped.gasUsed < FatHost.defaultQueryGas)
            var command = Command(caller: TestAccount.alice.account, action: .call(contract: deployed.contract, input: [0, 0, 0, 0]))
            command.gasLimit = 10_000_000
            let receipt = try host.submit(command)
            guard case let .failed(commandError) = receipt.outcome else {
                Issue.record("the spinning command ended \(receipt.outcome)")
                return
            }
            #expect(commandError.code == .outOfGas, "\(commandError)")
        }
    }

    /// A loop that never calls the host, given all the gas there is, still stops at the query's
    /// deadline: the deadline empties its fuel from outside.
    @Test func aQueryLoopingWithoutHostCallsAndAllTheGasStopsAtItsDeadline() throws {
        let spinner = """
            (module
              (import "env" "memory" (memory 1 1))
              (func (export "deploy"))
              (func (export "call") (local $i i64)
                (loop $again
                  (local.set $i (i64.add (local.get $i) (i64.const 1)))
                  (br $again))))
            """
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var limits = HostLimits()
        limits.maxQueryGas = .max
        let host = try FatHost(dataDirectory: dir.path, limits: limits)
        defer { host.close() }
        let upload = CodeUpload(kind: .wasm, bytes: try InkCode.compileWAT(spinner), metadata: [])
        let deployed = try host.submit(Command.deploy(upload, input: [], salt: [], caller: TestAccount.alice.account))
        try #require(deployed.outcome == .success, "\(deployed.outcome)")
        for _ in 0 ..< 3 {
            let started = ContinuousClock.now
            let stopped = try host.query(deployed.contract, input: [0, 0, 0, 0], gasLimit: .max, timeout: .milliseconds(300))
            let elapsed = ContinuousClock.now - started
            guard case let .failed(error) = stopped.outcome else {
                Issue.record("the spinning query ended \(stopped.outcome)")
                return
            }
            #expect(error.code == .deadlineExceeded, "\(error)")
            #expect(elapsed < .milliseconds(300 + 100), "stopped after \(elapsed)")
            #expect(stopped.gasUsed > 0 && stopped.gasUsed < .max)
        }
        // The deadline stopped those calls only: other Wasm queries run as before.
        let flipperPath = Repository.root.appendingPathComponent("Contracts/wasm/flipper.wat").path
        let (flipper, _) = try host.deployWasm(flipperPath, constructor: "new", args: "[true]")
        #expect(try host.query(flipper.address, input: [0x2f, 0x86, 0x5b, 0xd9]).outcome == .success)
    }

    @Test func aContractThatWritesAndThenLoopsEndsOutOfGasWithTheWriteRolledBack() throws {
        try withHost { host in
            let probe = try deployProbe(host)
            let before = host.snapshot
            let receipt = try host.submit(
                Command(
                    caller: TestAccount.alice.account, action: .call(contract: probe, input: [11] + le32(1)),
                    gasLimit: 2_000_000))
            guard case let .failed(error) = receipt.outcome else {
                Issue.record("expected out of gas, got \(receipt.outcome)")
                return
            }
            #expect(error.code == .outOfGas)
            #expect(host.snapshot.seq == before.seq + 1)  // logged, as every admitted command is
            #expect(host.snapshot.root == before.root)
            #expect(try read(host, probe, Self.key0) == [])
        }
    }
}
