import FatCodec
import FatInk
import FatRuntime
import Testing

/// What an ink! contract pays for the bytes a host function touches: hashing, storing, emitting
/// and copying cost in proportion to their size, charged before the work, so a big buffer is
/// never worked on for a flat fee.
@Suite("Wasm host functions: weights by the byte")
struct HostWeightTests {
    /// Input: op (1 byte), n (u32), k (u32).
    ///  1: hash the first n bytes of memory with BLAKE2b-256, k times
    ///  2: store the first n bytes of memory under a 4-byte key
    ///  3: emit the first n bytes of memory as an event with no topics
    static let weigher = """
        (module
          (import "seal0" "seal_input" (func $input (param i32 i32)))
          (import "seal0" "seal_hash_blake2_256" (func $hash (param i32 i32 i32)))
          (import "seal2" "set_storage" (func $set (param i32 i32 i32 i32) (result i32)))
          (import "seal0" "seal_deposit_event" (func $event (param i32 i32 i32 i32)))
          (import "env" "memory" (memory 16 16))
          ;; 1040000 input length, 1040004 input, 1040100 hash output, 1040200 storage key
          (func (export "deploy"))
          (func (export "call")
            (local $op i32) (local $n i32) (local $k i32)
            (i32.store (i32.const 1040000) (i32.const 64))
            (call $input (i32.const 1040004) (i32.const 1040000))
            (local.set $op (i32.load8_u (i32.const 1040004)))
            (local.set $n (i32.load (i32.const 1040005)))
            (local.set $k (i32.load (i32.const 1040009)))
            (if (i32.eq (local.get $op) (i32.const 1)) (then
              (block $done (loop $again
                (br_if $done (i32.eqz (local.get $k)))
                (call $hash (i32.const 0) (local.get $n) (i32.const 1040100))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $again)))))
            (if (i32.eq (local.get $op) (i32.const 2)) (then
              (drop (call $set (i32.const 1040200) (i32.const 4) (i32.const 0) (local.get $n)))))
            (if (i32.eq (local.get $op) (i32.const 3)) (then
              (call $event (i32.const 1040200) (i32.const 0) (i32.const 0) (local.get $n)))))
        )
        """

    static let megabyte: UInt32 = 1_000_000

    func input(_ op: UInt8, _ n: UInt32, _ k: UInt32 = 1) -> [UInt8] {
        [op] + withUnsafeBytes(of: n.littleEndian) { Array($0) } + withUnsafeBytes(of: k.littleEndian) { Array($0) }
    }

    func deploy(_ host: FatHost) throws -> AccountId {
        let upload = CodeUpload(kind: .wasm, bytes: try InkCode.compileWAT(Self.weigher), metadata: [])
        let receipt = try host.submit(Command.deploy(upload, input: [], salt: [], caller: TestAccount.alice.account))
        try #require(receipt.outcome == .success, "deploying the weigher: \(receipt.outcome)")
        return receipt.contract
    }

    func failureCode(_ outcome: Outcome) -> FatError.Code? {
        if case let .failed(error) = outcome { return error.code }
        return nil
    }

    func gas(_ host: FatHost, _ contract: AccountId, _ input: [UInt8]) throws -> UInt64 {
        let result = try host.query(contract, input: input)
        try #require(result.outcome == .success, "\(input): \(result.outcome)")
        return result.gasUsed
    }

    @Test func hashingCostsByTheByteHashed() throws {
        try withHost { host in
            let weigher = try deploy(host)
            let small = try gas(host, weigher, input(1, 16))
            let large = try gas(host, weigher, input(1, Self.megabyte))
            // At least one unit per byte hashed, and one per 64 bytes read from memory.
            #expect(large - small >= UInt64(Self.megabyte - 16) + UInt64(Self.megabyte - 16) / 64, "small \(small), large \(large)")
            // Hashing a megabyte a thousand times no longer fits a budget that a thousand flat
            // fees would: the query runs out of gas, it does not do the work.
            let limited = try host.query(weigher, input: input(1, Self.megabyte, 1_000), gasLimit: 50_000_000)
            #expect(failureCode(limited.outcome) == .outOfGas, "\(limited.outcome)")
            #expect(limited.gasUsed <= 50_000_000)
            let hashes = try gas(host, weigher, input(1, Self.megabyte, 3)) - small
            #expect(hashes >= 3 * UInt64(Self.megabyte - 16))
        }
    }

    @Test func storingAndEmittingCostByTheByte() throws {
        try withHost { host in
            let weigher = try deploy(host)
            let limit = UInt32(16 * 1024)
            let stored = try host.submit(Command(caller: TestAccount.alice.account, action: .call(contract: weigher, input: input(2, limit))))
            let storedSmall = try host.submit(Command(caller: TestAccount.alice.account, action: .call(contract: weigher, input: input(2, 1))))
            try #require(stored.outcome == .success && storedSmall.outcome == .success)
            #expect(stored.gasUsed - storedSmall.gasUsed >= 2 * UInt64(limit - 1))
            let emitted = try host.submit(Command(caller: TestAccount.alice.account, action: .call(contract: weigher, input: input(3, limit))))
            let emittedSmall = try host.submit(Command(caller: TestAccount.alice.account, action: .call(contract: weigher, input: input(3, 1))))
            try #require(emitted.outcome == .success && emittedSmall.outcome == .success)
            #expect(emitted.gasUsed - emittedSmall.gasUsed >= 2 * UInt64(limit - 1))
            // A value too large for the gas given is not stored, and nothing else is changed.
            let root = host.snapshot.root
            var poor = Command(caller: TestAccount.alice.account, action: .call(contract: weigher, input: input(2, limit)))
            poor.gasLimit = 30_000
            let refused = try host.submit(poor)
            #expect(failureCode(refused.outcome) == .outOfGas, "\(refused.outcome)")
            #expect(host.snapshot.root == root)
        }
    }

    /// pallet-contracts' payload limit: a storage value or an event payload over 16 KiB traps
    /// naming the limit, and nothing is kept.
    @Test func aValueOrAnEventOverSixteenKibibytesTraps() throws {
        try withHost { host in
            let weigher = try deploy(host)
            let root = host.snapshot.root
            for op: UInt8 in [2, 3] {
                let receipt = try host.submit(
                    Command(caller: TestAccount.alice.account, action: .call(contract: weigher, input: input(op, 16 * 1024 + 1))))
                guard case let .failed(error) = receipt.outcome else {
                    Issue.record("op \(op) ended \(receipt.outcome)")
                    continue
                }
                #expect(error.code == .trapped)
                #expect(error.message.contains("16384-byte limit"), "\(error.message)")
                #expect(receipt.events.isEmpty)
            }
            #expect(host.snapshot.root == root)
        }
    }
}
