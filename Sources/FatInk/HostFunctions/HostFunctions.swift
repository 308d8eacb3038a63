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
            return try body(context, arguments, caller.store)
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
        guard fuel.remaining >= amount else { throw HostStop.trap("out of fuel") }
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
