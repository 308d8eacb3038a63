import FatCodec
import FatCrypto
import FatRuntime

/// The storage keys the node face answers, each computed from the host (nothing is stored as
/// Substrate storage): `twox128(pallet) ‖ twox128(item) ‖ hashed key`, as the metadata declares.
///
/// Per block: `System.Events`, `Number`, `ParentHash`, `BlockHash`. From the latest state (a node
/// would answer the state at the block asked; the host keeps only its latest): `System.Account`
/// (the nonce; no balance), `Contracts.ContractInfoOf` and `CodeInfoOf` (what exists, by hash or
/// address: public in the log's order), the pallet's storage version. `Contracts.PristineCode`
/// (the code itself) is served only under `--dev`; contract storage never is.
enum NodeStorage {
    static let system = XXHash64.twox128(Array("System".utf8))
    static let contracts = XXHash64.twox128(Array("Contracts".utf8))
    static let events = system + XXHash64.twox128(Array("Events".utf8))
    static let number = system + XXHash64.twox128(Array("Number".utf8))
    static let parentHash = system + XXHash64.twox128(Array("ParentHash".utf8))
    static let eventCount = system + XXHash64.twox128(Array("EventCount".utf8))
    static let blockHash = system + XXHash64.twox128(Array("BlockHash".utf8))
    static let account = system + XXHash64.twox128(Array("Account".utf8))
    static let contractInfoOf = contracts + XXHash64.twox128(Array("ContractInfoOf".utf8))
    static let codeInfoOf = contracts + XXHash64.twox128(Array("CodeInfoOf".utf8))
    static let pristineCode = contracts + XXHash64.twox128(Array("PristineCode".utf8))
    static let contractsNonce = contracts + XXHash64.twox128(Array("Nonce".utf8))
    static let contractsVersion = contracts + XXHash64.twox128(Array(":__STORAGE_VERSION__:".utf8))

    static func accountKey(_ id: AccountId) -> [UInt8] { account + Blake2b.hash128(id.bytes) + id.bytes }
    static func contractInfoKey(_ address: AccountId) -> [UInt8] { contractInfoOf + XXHash64.twox64(address.bytes) + address.bytes }
    static func codeInfoKey(_ hash: [UInt8]) -> [UInt8] { codeInfoOf + hash }

    /// AccountInfo: the account's next nonce, no balance (flags as a new account has them).
    static func accountInfo(nonce: UInt64) -> [UInt8] {
        var bytes = le(UInt32(clamping: nonce)) + le(UInt32(0)) + le(UInt32(1)) + le(UInt32(0))
        bytes += [UInt8](repeating: 0, count: 48)
        bytes += [UInt8](repeating: 0, count: 15) + [0x80]
        return bytes
    }

    /// ContractInfo: the code hash; no deposits, and no sizes (the storage is sealed).
    static func contractInfo(address: AccountId, codeHash: [UInt8]) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendByteVector(address.bytes)
        encoder.appendBytes(codeHash)
        encoder.append(UInt32(0))
        encoder.append(UInt32(0))
        encoder.append(UInt128(0))
        encoder.append(UInt128(0))
        encoder.append(UInt128(0))
        encoder.appendCompact(0)
        return encoder.bytes
    }

    /// CodeInfo: no owner recorded (the zero account), no deposit, deterministic.
    static func codeInfo(length: Int) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes([UInt8](repeating: 0, count: 32))
        encoder.appendCompact(0)
        encoder.appendCompact(1)
        encoder.append(UInt8(0))
        encoder.append(UInt32(clamping: length))
        return encoder.bytes
    }
}
