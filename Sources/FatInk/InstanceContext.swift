import WasmKit

/// The per-instance state host functions work with: the environment of the call in progress,
/// its input, the imported linear memory, and bounds-checked access to it.
///
/// Every guest pointer is checked here before WasmKit sees it: an out-of-range access is a trap
/// of the contract (`HostStop.trap`), never a crash of the host.
/// **Confined to the thread running the instance's current call.**
final class InstanceContext {
    var environment: InkEnvironment?
    var input: [UInt8] = []
    var inputTaken = false
    /// Set after instantiation; cleared when the instance is discarded, which breaks the cycle
    /// store → host functions → context → memory → store.
    var memory: Memory?
    /// The store whose fuel pays for the host call in progress (set by `HostDefinition` around
    /// each call, nil between calls).
    var meter: Store?

    func env() throws -> InkEnvironment {
        guard let environment else { throw HostStop.trap("a host function ran outside a call") }
        return environment
    }

    /// Host calls since the deadline was last read.
    private var callsSinceClock: UInt32 = 0

    /// Every 16th host call of a query reads the clock and stops the contract once its deadline
    /// has passed (reading it on every call would cost a tight loop of host calls a few percent).
    /// A loop that never calls the host is bounded by its gas alone.
    func checkDeadline() throws {
        callsSinceClock &+= 1
        guard callsSinceClock >= 16 else { return }
        callsSinceClock = 0
        if let deadline = environment?.deadline, ContinuousClock.now > deadline { throw HostStop.pastDeadline }
    }

    /// Charges `units` of gas to the call in progress; out of gas traps.
    func charge(_ units: UInt64) throws {
        if let meter, units > 0 { try HostFunctions.charge(meter, units) }
    }

    /// Stores (or with nil removes) a value, paying for the bytes stored; answers the previous
    /// value's length.
    func storageSet(_ key: [UInt8], _ value: [UInt8]?) throws -> Int? {
        if let value { try HostFunctionLimits.checkPayload(value.count, "set_storage: a value") }
        try charge(HostWeights.stored(value?.count ?? 0))
        return try env().storageSet(key, value)
    }

    private func checked(_ pointer: UInt32, _ count: UInt32) throws -> Memory {
        guard let memory else { throw HostStop.trap("the contract has no memory") }
        guard UInt64(pointer) + UInt64(count) <= UInt64(memory.byteCount) else {
            throw HostStop.trap("guest pointer out of bounds: \(count) bytes at \(pointer), memory is \(memory.byteCount) bytes")
        }
        return memory
    }

    func read(_ pointer: UInt32, _ count: UInt32) throws -> [UInt8] {
        guard count <= 16 << 20 else { throw HostStop.trap("a buffer of \(count) bytes is over the 16 MiB limit") }
        let memory = try checked(pointer, count)
        if count == 0 { return [] }
        try charge(HostWeights.copied(Int(count)))
        return memory.withUnsafeBufferPointer(offset: UInt(pointer), count: Int(count)) { Array($0) }
    }

    func write(_ pointer: UInt32, _ bytes: [UInt8]) throws {
        let memory = try checked(pointer, UInt32(clamping: bytes.count))
        if bytes.isEmpty { return }
        try charge(HostWeights.copied(bytes.count))
        memory.withUnsafeMutableBufferPointer(offset: UInt(pointer), count: bytes.count) { $0.copyBytes(from: bytes) }
    }

    func readU32(_ pointer: UInt32) throws -> UInt32 {
        try read(pointer, 4).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * $1.offset) }
    }

    func writeU32(_ pointer: UInt32, _ value: UInt32) throws {
        try write(pointer, withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    func readU128(_ pointer: UInt32) throws -> UInt128 {
        try read(pointer, 16).enumerated().reduce(0) { $0 | UInt128($1.element) << (8 * $1.offset) }
    }

    /// pallet-contracts' output protocol: `*out_len_ptr` holds the capacity; a larger output traps;
    /// otherwise the bytes and their length are written. `u32::MAX` as `out_ptr` skips the copy
    /// where the host function allows it.
    func writeOutput(_ outPointer: UInt32, _ lengthPointer: UInt32, _ bytes: [UInt8], allowSkip: Bool = false) throws {
        if allowSkip, outPointer == UInt32.max { return }
        let capacity = try readU32(lengthPointer)
        guard bytes.count <= Int(capacity) else {
            throw HostStop.trap("output buffer too small: \(bytes.count) bytes into \(capacity)")
        }
        try write(outPointer, bytes)
        try writeU32(lengthPointer, UInt32(bytes.count))
    }
}
