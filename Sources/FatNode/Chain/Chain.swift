import FatCodec
import FatCrypto
import FatRuntime
import Synchronization

/// The chain the node face shows Substrate clients, derived from the log: block `n` holds the
/// command with sequence number `n` (one command per block, so a command's block is known the
/// moment it commits), block 0 is the genesis. Headers chain by parent hash; a header's
///
/// - `state_root` commits to every outcome so far: BLAKE2b-256 of `"fat/block-state/v1"`, the
///   parent's `state_root` and the block's receipt. (The host's full state root, over every
///   contract's storage, is `GET /v1/info`'s `state_root`, checked by `fat verify`; computing it
///   per block would cost a pass over the state per command.)
/// - `extrinsics_root` commits to the log entry: BLAKE2b-256 of `"fat/block-body/v1"` and the entry.
///
/// Hashes are computed once, on first use, and kept (64 bytes per block).
/// **Thread-safe.**
final class Chain: Sendable {
    let host: FatHost
    let genesis: BlockHeader
    let genesisHash: [UInt8]

    private struct Known {
        /// Hash and state root of block n at [64n, 64n + 64).
        var blocks: [UInt8] = []
        var numbers: [Hash32: UInt32] = [:]
        var count: Int { blocks.count / 64 }
    }

    private let known = Mutex(Known())

    init(host: FatHost) {
        self.host = host
        genesis = BlockHeader.genesis(host.genesis)
        genesisHash = genesis.hash
        known.withLock { known in
            known.blocks = genesisHash + genesis.stateRoot
            known.numbers[Hash32(genesisHash)] = 0
        }
    }

    /// The best (and finalized) block: the last committed command's.
    var bestNumber: UInt32 { UInt32(clamping: host.snapshot.seq) }

    /// The hash of block `number`, nil past the best block.
    func hash(_ number: UInt32) throws -> [UInt8]? {
        try extend(to: number)
        return known.withLock { known in
            Int(number) < known.count ? Array(known.blocks[Int(number) * 64 ..< Int(number) * 64 + 32]) : nil
        }
    }

    /// The number of the block with hash `hash`, nil for a hash this chain never had.
    func number(of hash: [UInt8]) throws -> UInt32? {
        if let number = known.withLock({ $0.numbers[Hash32(hash)] }) { return number }
        try extend(to: bestNumber)
        return known.withLock { $0.numbers[Hash32(hash)] }
    }

    /// A block: its header and, past genesis, its log entry and receipt.
    func block(_ number: UInt32) throws -> Block? {
        guard number > 0 else { return Block(header: genesis, hash: genesisHash, entry: nil, receipt: nil) }
        guard number <= bestNumber, let hash = try hash(number), let parent = try self.hash(number - 1) else { return nil }
        guard let row = try host.logEntries(from: UInt64(number), limit: 1).first, row.entry.seq == UInt64(number), let receipt = row.receipt else {
            return nil
        }
        let stateRoot = known.withLock { Array($0.blocks[Int(number) * 64 + 32 ..< Int(number) * 64 + 64]) }
        let header = BlockHeader(parentHash: parent, number: number, stateRoot: stateRoot, extrinsicsRoot: Self.extrinsicsRoot(row.entry))
        return Block(header: header, hash: hash, entry: row.entry, receipt: receipt)
    }

    /// The block a request names: by hash, or the best block when none is named. An unknown hash
    /// is an error, as on a node.
    func block(at hash: [UInt8]?) throws -> Block {
        let number: UInt32
        if let hash {
            guard let found = try self.number(of: hash) else {
                throw RPCError(4003, "Client error: UnknownBlock: block 0x\(hash.hexString) is not in this chain")
            }
            number = found
        } else {
            number = bestNumber
        }
        guard let block = try block(number) else { throw RPCError(RPCError.internalError, "block \(number) cannot be read") }
        return block
    }

    /// Computes hashes up to block `number` (at most the best block), reading the log in pages.
    private func extend(to number: UInt32) throws {
        let target = min(Int(number), Int(bestNumber))
        while true {
            let (count, lastHash, lastRoot) = known.withLock { known in
                (
                    known.count, Array(known.blocks[(known.count - 1) * 64 ..< (known.count - 1) * 64 + 32]),
                    Array(known.blocks[(known.count - 1) * 64 + 32 ..< known.count * 64])
                )
            }
            guard count <= target else { return }
            let rows = try host.logEntries(from: UInt64(count), limit: 1024)
            guard !rows.isEmpty else { return }
            var parent = lastHash
            var root = lastRoot
            var computed: [UInt8] = []
            var numbers: [(Hash32, UInt32)] = []
            var expected = UInt64(count)
            for row in rows {
                guard row.entry.seq == expected, let receipt = row.receipt, let blockNumber = UInt32(exactly: expected) else { break }
                root = Blake2b.hash256(Array("fat/block-state/v1".utf8) + root + receipt.encoded())
                let header = BlockHeader(parentHash: parent, number: blockNumber, stateRoot: root, extrinsicsRoot: Self.extrinsicsRoot(row.entry))
                parent = header.hash
                computed += parent + root
                numbers.append((Hash32(parent), blockNumber))
                expected += 1
            }
            guard !numbers.isEmpty else { return }
            known.withLock { known in
                // Another thread may have extended the chain meanwhile: keep the first computation.
                guard known.count == count else { return }
                known.blocks += computed
                for (hash, number) in numbers { known.numbers[hash] = number }
            }
        }
    }

    static func extrinsicsRoot(_ entry: LogEntry) -> [UInt8] {
        Blake2b.hash256(Array("fat/block-body/v1".utf8) + entry.encoded())
    }
}

/// One block of the chain.
struct Block: Sendable {
    let header: BlockHeader
    let hash: [UInt8]
    /// The command (nil for genesis) and what it did.
    let entry: LogEntry?
    let receipt: Receipt?

    /// The extrinsic the command came as, if it came as one.
    var extrinsic: Extrinsic? {
        guard let signature = entry?.command.signature, signature.scheme == .extrinsic else { return nil }
        var decoder = ScaleDecoder(signature.bytes)
        guard let bytes = try? decoder.readByteVector() else { return nil }
        return try? Extrinsic.decode(bytes)
    }
}

/// A 32-byte hash as a dictionary key.
struct Hash32: Hashable, Sendable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(_ bytes: [UInt8]) {
        func word(_ i: Int) -> UInt64 {
            guard bytes.count >= i + 8 else { return 0 }
            return (0 ..< 8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) }
        }
        a = word(0)
        b = word(8)
        c = word(16)
        d = word(24) ^ UInt64(bytes.count == 32 ? 0 : 1 << 63 | bytes.count)
    }
}
