import WasmKit

/// One host function: its Wasm signature and what it does.
struct HostDefinition: @unchecked Sendable {
    let parameters: [ValueType]
    let results: [ValueType]
    /// Base gas charged per call, on top of the instructions the contract runs.
    let weight: UInt64
    let body: @Sendable (InstanceContext, [Value], Store) throws -> [Value]

    func function(store: Store, context: InstanceContext) -> Function {
        Function(store: store, parameters: parameters, results: results) { caller, arguments in
            try HostFunctions.charge(caller.store, weight)
            try context.checkDeadline()
            context.meter = caller.store
            defer { context.meter = nil }
            return try body(context, arguments, caller.store)
        }
    }
}

/// What a host function pays for the bytes it touches, on top of its base weight, so that nothing
/// a contract asks of the host costs a flat fee whatever its size. One unit is about one Wasm
/// operator, as in WasmKit's metering (which also charges its bulk memory operators 1 per 64 bytes).
/// Charged before the work is done: a contract that cannot pay gets no work for free.
enum HostWeights {
    /// Bytes copied between linear memory and the host: 1 per 64 bytes, as `memory.copy`.
    static func copied(_ bytes: Int) -> UInt64 { UInt64(bytes) / 64 }
    /// Bytes hashed: 1 per byte (a hash costs a few cycles a byte, an operator a few cycles).
    static func hashed(_ bytes: Int) -> UInt64 { UInt64(bytes) }
    /// Bytes given to a chain extension (pink, a capability module), which decodes them and may
    /// hash or sign them: 1 per byte, as hashing.
    static func processed(_ bytes: Int) -> UInt64 { hashed(bytes) }
    /// Bytes written to storage: 2 per byte of the value (sealed, written to disk, kept).
    static func stored(_ bytes: Int) -> UInt64 { 2 * UInt64(bytes) }
    /// Bytes of an event (topics and data): 2 per byte (sealed into the receipt, kept).
    static func emitted(_ bytes: Int) -> UInt64 { 2 * UInt64(bytes) }
}

/// The sizes pallet-contracts allows (its `Schedule`'s `Limits`), refused with a trap that names
/// the limit, as the pallet refuses them with `ValueTooLarge`.
enum HostFunctionLimits {
    /// The largest storage value and the largest event payload (`payload_len`, 16 KiB).
    static let maxPayloadLength = 16 * 1024
    /// Topics one event may carry (`event_topics`).
    static let maxEventTopics = 4

    static func checkPayload(_ bytes: Int, _ what: String) throws {
        guard bytes <= maxPayloadLength else {
            throw HostStop.trap("\(what) of \(bytes) bytes is over the \(maxPayloadLength)-byte limit (pallet-contracts' payload_len)")
        }
    }
}

/// The pallet-contracts host API (module `seal0`, `seal1`, `seal2`), each name also under its
/// `seal_`-prefixed alias, with pallet-contracts' return codes and buffer protocol.
enum HostFunctions {
    /// pallet-contracts `ReturnCode` values.
    enum ReturnCode: UInt32 {
        case success = 0
        case calleeTrapped = 1
        case calleeReverted = 2
        case keyNotFound = 3
        case transferFailed = 5
        case codeNotFound = 7
        case notCallable = 8
        case callRuntimeFailed = 10
        case ecdsaRecoverFailed = 11
        case sr25519VerifyFailed = 12
    }

    static let sentinel = UInt32.max
    static let maxStorageKeyLength = 128

    static func charge(_ store: Store, _ amount: UInt64) throws {
        guard let fuel = store.fuel else { return }
        guard fuel.remaining >= amount else { throw HostStop.outOfGas }
        store.fuel = Fuel(remaining: fuel.remaining - amount)
    }

    static func definition(module: String, name: String) -> HostDefinition? {
        let bare = name.hasPrefix("seal_") ? String(name.dropFirst(5)) : name
        return table[module]?[bare]
    }

    static let table: [String: [String: HostDefinition]] = [
        "seal0": Seal0.functions,
        "seal1": Seal1.functions,
        "seal2": Seal2.functions,
    ]
}

// Argument helpers.
extension Array where Element == Value {
    func u32(_ index: Int) -> UInt32 { if case let .i32(value) = self[index] { return value } else { return 0 } }
    func u64(_ index: Int) -> UInt64 { if case let .i64(value) = self[index] { return value } else { return 0 } }
}

func define(
    _ parameters: [ValueType], _ results: [ValueType] = [], weight: UInt64 = 1_000,
    _ body: @escaping @Sendable (InstanceContext, [Value], Store) throws -> [Value]
) -> HostDefinition {
    HostDefinition(parameters: parameters, results: results, weight: weight, body: body)
}

let i32 = ValueType.i32
let i64 = ValueType.i64

func code(_ value: HostFunctions.ReturnCode) -> [Value] { [.i32(value.rawValue)] }

func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
