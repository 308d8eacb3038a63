import FatCodec
import FatRuntime

/// The node face's runtime metadata, generated from `RuntimeTypes`: V14 (what `state_getMetadata`
/// and `Metadata_metadata` answer; py-substrate-interface reads only V14) and V15 (what
/// `Metadata_metadata_at_version(15)` answers; polkadot.js and subxt prefer it). Both are
/// `"meta" ‖ version ‖ body`, encoded once.
struct RuntimeMetadata: Sendable {
    let v14: [UInt8]
    let v15: [UInt8]

    /// Spec values the runtime version and the signed extensions carry.
    static let specName = "fat-contract-node"
    static let ss58Prefix: UInt16 = 42
    static let blockHashCount: UInt32 = 2400
    /// pallet-contracts' storage version, which its `:__STORAGE_VERSION__:` key answers (clients
    /// read it to learn the shape of dry-run results: from 10 on, with `events`).
    static let contractsStorageVersion: UInt16 = 16
    static let maxCodeLength: UInt32 = 256 * 1024

    init() {
        let types = RuntimeTypes()
        v14 = Self.encode(types, version: 14)
        v15 = Self.encode(types, version: 15)
    }

    private enum Entry {
        case plain(name: String, value: UInt32, defaultValue: [UInt8])
        case map(name: String, hasher: UInt8, key: UInt32, value: UInt32, optional: Bool, defaultValue: [UInt8])
    }

    private struct Pallet {
        let name: String
        let index: UInt8
        var storage: [Entry] = []
        var calls: UInt32?
        var event: UInt32?
        var constants: [(String, UInt32, [UInt8])] = []
        var error: UInt32?
    }

    private static func pallets(_ t: RuntimeTypes) -> [Pallet] {
        func weight(_ refTime: UInt64, _ proofSize: UInt64) -> [UInt8] {
            var encoder = ScaleEncoder()
            Weight(refTime: refTime, proofSize: proofSize).encode(into: &encoder)
            return encoder.bytes
        }
        let perClass =
            weight(0, 0) + [1] + weight(Command.defaultGasLimit, .max) + [1] + weight(Command.defaultGasLimit, .max) + [1] + weight(0, 0)
        let blockWeights = weight(0, 0) + weight(Command.defaultGasLimit, .max) + perClass + perClass + perClass
        var accountDefault = [UInt8](repeating: 0, count: 16 + 48 + 16)
        accountDefault[accountDefault.count - 1] = 0x80
        let blake2_128Concat: UInt8 = 2
        let twox64Concat: UInt8 = 5
        let identity: UInt8 = 6
        var system = Pallet(name: "System", index: RuntimeCall.Pallet.system)
        system.storage = [
            .map(name: "Account", hasher: blake2_128Concat, key: t.accountId, value: t.accountInfo, optional: false, defaultValue: accountDefault),
            .map(name: "BlockHash", hasher: twox64Concat, key: t.u32, value: t.h256, optional: false, defaultValue: [UInt8](repeating: 0, count: 32)),
            .plain(name: "Number", value: t.u32, defaultValue: [0, 0, 0, 0]),
            .plain(name: "ParentHash", value: t.h256, defaultValue: [UInt8](repeating: 0, count: 32)),
            .plain(name: "Events", value: t.eventRecords, defaultValue: [0]),
            .plain(name: "EventCount", value: t.u32, defaultValue: [0, 0, 0, 0]),
        ]
        system.calls = t.systemCall
        system.event = t.systemEvent
        system.error = t.systemError
        system.constants = [
            ("BlockWeights", t.blockWeights, blockWeights), ("BlockHashCount", t.u32, le(blockHashCount)), ("SS58Prefix", t.u16, le(ss58Prefix)),
        ]
        var balances = Pallet(name: "Balances", index: 4)
        balances.storage = [.plain(name: "TotalIssuance", value: t.u128, defaultValue: [UInt8](repeating: 0, count: 16))]
        balances.calls = t.balancesCall
        balances.event = t.balancesEvent
        balances.error = t.balancesError
        balances.constants = [("ExistentialDeposit", t.u128, [UInt8](repeating: 0, count: 16))]
        var payment = Pallet(name: "TransactionPayment", index: 6)
        payment.event = t.paymentEvent
        var contracts = Pallet(name: "Contracts", index: RuntimeCall.Pallet.contracts)
        contracts.storage = [
            .map(name: "PristineCode", hasher: identity, key: t.h256, value: t.pristineCode, optional: true, defaultValue: [0]),
            .map(name: "CodeInfoOf", hasher: identity, key: t.h256, value: t.codeInfo, optional: true, defaultValue: [0]),
            .plain(name: "Nonce", value: t.u64, defaultValue: [UInt8](repeating: 0, count: 8)),
            .map(name: "ContractInfoOf", hasher: twox64Concat, key: t.accountId, value: t.contractInfo, optional: true, defaultValue: [0]),
        ]
        contracts.calls = t.contractsCall
        contracts.event = t.contractsEvent
        contracts.error = t.contractsError
        contracts.constants = [
            ("Environment", t.environment, []), ("ApiVersion", t.apiVersion, le(UInt16(4))), ("MaxCodeLen", t.u32, le(maxCodeLength)),
        ]
        return [system, balances, payment, contracts]
    }

    private static func encode(_ t: RuntimeTypes, version: UInt8) -> [UInt8] {
        var e = ScaleEncoder()
        e.appendBytes(Array("meta".utf8))
        e.append(version)
        t.registry.encode(into: &e)
        let pallets = pallets(t)
        e.appendCompact(UInt128(pallets.count))
        for pallet in pallets {
            e.appendString(pallet.name)
            if pallet.storage.isEmpty {
                e.append(UInt8(0))
            } else {
                e.append(UInt8(1))
                e.appendString(pallet.name)
                e.appendCompact(UInt128(pallet.storage.count))
                for entry in pallet.storage {
                    switch entry {
                    case let .plain(name, value, defaultValue):
                        e.appendString(name)
                        e.append(UInt8(1))
                        e.append(UInt8(0))
                        e.appendCompact(UInt128(value))
                        e.appendByteVector(defaultValue)
                    case let .map(name, hasher, key, value, optional, defaultValue):
                        e.appendString(name)
                        e.append(UInt8(optional ? 0 : 1))
                        e.append(UInt8(1))
                        e.appendCompact(1)
                        e.append(hasher)
                        e.appendCompact(UInt128(key))
                        e.appendCompact(UInt128(value))
                        e.appendByteVector(defaultValue)
                    }
                    e.appendStrings([])
                }
            }
            for reference in [pallet.calls, pallet.event] { e.appendOptionalCompact(reference) }
            e.appendCompact(UInt128(pallet.constants.count))
            for (name, type, value) in pallet.constants {
                e.appendString(name)
                e.appendCompact(UInt128(type))
                e.appendByteVector(value)
                e.appendStrings([])
            }
            e.appendOptionalCompact(pallet.error)
            e.append(pallet.index)
            if version >= 15 { e.appendStrings([]) }
        }
        if version == 14 {
            e.appendCompact(UInt128(t.uncheckedExtrinsic))
            e.append(UInt8(4))
        } else {
            e.append(UInt8(4))
            for type in [t.multiAddress, t.runtimeCall, t.multiSignature, t.extra] { e.appendCompact(UInt128(type)) }
        }
        e.appendCompact(UInt128(t.signedExtensions.count))
        for signed in t.signedExtensions {
            e.appendString(signed.identifier)
            e.appendCompact(UInt128(signed.type))
            e.appendCompact(UInt128(signed.additional))
        }
        e.appendCompact(UInt128(t.runtime))
        if version >= 15 {
            let apis: [(String, [(String, [(String, UInt32)], UInt32)])] = [
                ("Core", [("version", [], t.runtimeVersion)]),
                (
                    "Metadata",
                    [
                        ("metadata", [], t.opaqueMetadata), ("metadata_at_version", [("version", t.u32)], t.optionOpaqueMetadata),
                        ("metadata_versions", [], t.vecU32),
                    ]
                ),
                ("AccountNonceApi", [("account_nonce", [("account", t.accountId)], t.u32)]),
                (
                    "TransactionPaymentApi",
                    [
                        ("query_info", [("uxt", t.uncheckedExtrinsic), ("len", t.u32)], t.runtimeDispatchInfo),
                        ("query_fee_details", [("uxt", t.uncheckedExtrinsic), ("len", t.u32)], t.feeDetails),
                    ]
                ),
                (
                    "ContractsApi",
                    [
                        (
                            "call",
                            [
                                ("origin", t.accountId), ("dest", t.accountId), ("value", t.u128), ("gas_limit", t.optionWeight),
                                ("storage_deposit_limit", t.optionU128), ("input_data", t.bytes),
                            ], t.execResult
                        ),
                        (
                            "instantiate",
                            [
                                ("origin", t.accountId), ("value", t.u128), ("gas_limit", t.optionWeight), ("storage_deposit_limit", t.optionU128),
                                ("code", t.code), ("data", t.bytes), ("salt", t.bytes),
                            ], t.instantiateResult
                        ),
                        (
                            "upload_code",
                            [("origin", t.accountId), ("code", t.bytes), ("storage_deposit_limit", t.optionU128), ("determinism", t.determinism)],
                            t.uploadResult
                        ),
                        ("get_storage", [("address", t.accountId), ("key", t.bytes)], t.storageResult),
                    ]
                ),
            ]
            e.appendCompact(UInt128(apis.count))
            for (name, methods) in apis {
                e.appendString(name)
                e.appendCompact(UInt128(methods.count))
                for (method, inputs, output) in methods {
                    e.appendString(method)
                    e.appendCompact(UInt128(inputs.count))
                    for (input, type) in inputs {
                        e.appendString(input)
                        e.appendCompact(UInt128(type))
                    }
                    e.appendCompact(UInt128(output))
                    e.appendStrings([])
                }
                e.appendStrings([])
            }
            for type in [t.runtimeCall, t.runtimeEvent, t.runtimeError] { e.appendCompact(UInt128(type)) }
            e.appendCompact(0)
        }
        return e.bytes
    }
}

func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
