import FatCodec
import FatCrypto

/// A Substrate block header as the node face shows the log: block `n` is the command with
/// sequence number `n`, block 0 the genesis. Its hash is BLAKE2b-256 of the SCALE header:
///
///     parent_hash[32] ‖ number: Compact<u32> ‖ state_root[32] ‖ extrinsics_root[32] ‖ digest: Vec<DigestItem> (empty)
public struct BlockHeader: Sendable, Equatable {
    public let parentHash: [UInt8]
    public let number: UInt32
    public let stateRoot: [UInt8]
    public let extrinsicsRoot: [UInt8]

    public init(parentHash: [UInt8], number: UInt32, stateRoot: [UInt8], extrinsicsRoot: [UInt8]) {
        self.parentHash = parentHash
        self.number = number
        self.stateRoot = stateRoot
        self.extrinsicsRoot = extrinsicsRoot
    }

    public var encoded: [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes(parentHash)
        encoder.appendCompact(UInt128(number))
        encoder.appendBytes(stateRoot)
        encoder.appendBytes(extrinsicsRoot)
        encoder.appendCompact(0)
        return encoder.bytes
    }

    public var hash: [UInt8] { Blake2b.hash256(encoded) }

    /// The genesis header of a host whose genesis id is `genesis`: its state root is the genesis
    /// id, so hosts sealed with different keys have different chains.
    public static func genesis(_ genesis: [UInt8]) -> BlockHeader {
        BlockHeader(
            parentHash: [UInt8](repeating: 0, count: 32), number: 0, stateRoot: Blake2b.hash256(Array("fat/chain-genesis/v1".utf8) + genesis),
            extrinsicsRoot: Blake2b.hash256([0]))
    }
}
