import FatCodec
import FatCrypto
import FatStore

/// What a host knows of its whole state without reading it: the sequence number and timestamp of
/// the last command, the number of contracts, and the state's digest. Kept sealed in the store
/// and updated by every commit, so opening a host reads this and nothing else.
public struct StateSummary: Sendable, Equatable {
    public internal(set) var seq: UInt64
    public internal(set) var timestampMs: UInt64
    public internal(set) var contractCount: UInt64
    /// The multiset digest of every stored code, contract and storage entry (`StateElement`).
    var digest: LatticeHash

    static let empty = StateSummary(seq: 0, timestampMs: 0, contractCount: 0, digest: LatticeHash())

    /// The state root: BLAKE2b-256 over the digest of every stored code (hash and kind), every
    /// contract (address and code hash) and every storage entry (contract, key, value). Every
    /// replica computes it identically from plaintext, whatever order the state was built in.
    public var root: [UInt8] {
        var hasher = Blake2b.Hasher(outputLength: 32)
        hasher.update(Array("fat/world-root/v3".utf8))
        hasher.update(digest.bytes)
        return hasher.finalize()
    }

    /// `1 ‖ seq:u64 ‖ timestamp_ms:u64 ‖ contracts:u64 ‖ digest[2048]`, sealed in the meta table.
    var encoded: [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(UInt8(1))
        encoder.append(seq)
        encoder.append(timestampMs)
        encoder.append(contractCount)
        encoder.appendBytes(digest.bytes)
        return encoder.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> StateSummary {
        guard bytes.count == 1 + 24 + LatticeHash.byteCount, bytes[0] == 1 else {
            throw FatError(.storeCorrupt, "the state summary has \(bytes.count) bytes or an unknown version; the store is damaged")
        }
        var decoder = ScaleDecoder(bytes)
        _ = try decoder.readU8()
        let seq = try decoder.readU64()
        let timestamp = try decoder.readU64()
        let count = try decoder.readU64()
        let digest = LatticeHash(bytes: try decoder.readBytes(count: LatticeHash.byteCount))!
        return StateSummary(seq: seq, timestampMs: timestamp, contractCount: count, digest: digest)
    }

    /// The summary `reader` sees, checked against the sequence number the store records.
    static func load(_ reader: StoreReader) throws -> StateSummary {
        try FatHost.wrapStore {
            guard let sealed = try reader.stateSummary() else {
                throw FatError(.storeCorrupt, "the store has no state summary; it is damaged")
            }
            let summary = try decode(sealed)
            let lastSeq = try reader.lastSeq()
            guard summary.seq == lastSeq else {
                throw FatError(.storeCorrupt, "the state summary is of command #\(summary.seq) but the store's last is #\(lastSeq); it is damaged")
            }
            return summary
        }
    }
}

/// The elements the state digest is made of, each with its own domain tag.
enum StateElement {
    static func code(_ hash: [UInt8], kind: CodeKind) -> [UInt8] {
        Array("code".utf8) + hash + [kind.tag]
    }

    static func contract(_ address: AccountId, codeHash: CodeHash) -> [UInt8] {
        Array("contract".utf8) + address.bytes + codeHash
    }

    static func storage(_ address: AccountId, key: [UInt8], value: [UInt8]) -> [UInt8] {
        var element = Array("storage".utf8)
        element.reserveCapacity(7 + 32 + 8 + key.count + value.count)
        element += address.bytes
        element += lengthPrefix(key.count)
        element += key
        element += lengthPrefix(value.count)
        element += value
        return element
    }

    private static func lengthPrefix(_ count: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian) { Array($0) }
    }
}
