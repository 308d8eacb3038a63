import FatCrypto
import HashTreeCollections

/// The plaintext state of every deployed contract at one point in the log: an immutable value.
///
/// Built on persistent hash tries, so a copy costs O(1) and a write copies only one path. That is
/// what makes the host's concurrency and rollback simple: a query runs on the snapshot it took
/// while commands move on; a call that reverts restores the copy it took on entry.
/// **A value type: share copies across threads freely.**
public struct WorldState: Sendable {
    /// Sequence number and timestamp of the last applied command.
    public internal(set) var seq: UInt64
    public internal(set) var timestampMs: UInt64
    public internal(set) var contracts: TreeDictionary<AccountId, ContractState>
    /// What changes rarely, kept behind one reference: every call copies the world a few times
    /// (a snapshot, a checkpoint per frame), and each field of it is a reference to retain.
    private var ledger = Ledger()

    /// The highest nonce each account has had logged. Not part of the state root: it is rebuilt
    /// from the log (every logged nonce is in its entry), so replay gives the same map.
    public internal(set) var nonces: TreeDictionary<AccountId, UInt64> {
        get { ledger.nonces }
        _modify {
            uniqueLedger()
            yield &ledger.nonces
        }
    }
    /// The code stored by the commands logged so far (by hash): only these can be deployed,
    /// instantiated, delegated to or switched to, whatever else a host has seen.
    public internal(set) var codes: TreeDictionary<ByteKey, CodeInfo> {
        get { ledger.codes }
        _modify {
            uniqueLedger()
            yield &ledger.codes
        }
    }
    /// The metadata documents stored by the commands logged so far (by hash).
    public internal(set) var metadata: TreeSet<ByteKey> {
        get { ledger.metadata }
        _modify {
            uniqueLedger()
            yield &ledger.metadata
        }
    }

    /// Copy on write, by hand: a ledger shared with another world is copied before a change.
    private mutating func uniqueLedger() {
        if !isKnownUniquelyReferenced(&ledger) { ledger = Ledger(nonces: ledger.nonces, codes: ledger.codes, metadata: ledger.metadata) }
    }

    /// Changed only while uniquely referenced (see `uniqueLedger`), so sharing it is safe.
    private final class Ledger: @unchecked Sendable {
        var nonces: TreeDictionary<AccountId, UInt64>
        var codes: TreeDictionary<ByteKey, CodeInfo>
        var metadata: TreeSet<ByteKey>

        init(nonces: TreeDictionary<AccountId, UInt64> = [:], codes: TreeDictionary<ByteKey, CodeInfo> = [:], metadata: TreeSet<ByteKey> = []) {
            self.nonces = nonces
            self.codes = codes
            self.metadata = metadata
        }
    }

    init(seq: UInt64, timestampMs: UInt64, contracts: TreeDictionary<AccountId, ContractState>) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.contracts = contracts
    }

    public static let empty = WorldState(seq: 0, timestampMs: 0, contracts: [:])

    /// The state root: BLAKE2b-256 over the stored code hashes (with their kinds) in hash order,
    /// then the roots of all contracts in address order.
    public var root: [UInt8] {
        var hasher = Blake2b.Hasher(outputLength: 32)
        hasher.update(Array("fat/world-root/v2".utf8))
        for hash in codes.keys.sorted() {
            hasher.update(hash.bytes)
            hasher.update([codes[hash]!.kind.tag])
        }
        hasher.update(lengthPrefix(contracts.count))
        for address in contracts.keys.sorted() {
            hasher.update(address.bytes)
            hasher.update(contracts[address]!.root(address: address))
        }
        return hasher.finalize()
    }

    func code(_ hash: CodeHash) -> CodeInfo? { codes[ByteKey(hash)] }
    func hasMetadata(_ hash: MetadataHash) -> Bool { metadata.contains(ByteKey(hash)) }
}

/// What the state knows of a stored code: its kind, and the metadata document its first upload
/// carried (which describes contracts instantiated from it without one of their own).
public struct CodeInfo: Sendable, Equatable {
    public let kind: CodeKind
    public let metadataHash: MetadataHash?
}

/// One contract: the code it runs and its storage.
public struct ContractState: Sendable {
    public internal(set) var codeHash: CodeHash
    public internal(set) var deployer: AccountId
    public internal(set) var deployedAt: UInt64
    /// The metadata document that describes this contract, chosen by its deployer; nil: the one
    /// its code's first upload carried.
    public internal(set) var metadataHash: MetadataHash?
    public internal(set) var storage: TreeDictionary<ByteKey, [UInt8]>

    public init(
        codeHash: CodeHash, deployer: AccountId, deployedAt: UInt64, metadataHash: MetadataHash? = nil,
        storage: TreeDictionary<ByteKey, [UInt8]> = [:]
    ) {
        self.codeHash = codeHash
        self.deployer = deployer
        self.deployedAt = deployedAt
        self.metadataHash = metadataHash
        self.storage = storage
    }

    /// The contract's state root: BLAKE2b-256 over its address, code hash and every storage entry
    /// in key order, each length-prefixed. Every replica computes it identically from plaintext.
    public func root(address: AccountId) -> [UInt8] {
        var hasher = Blake2b.Hasher(outputLength: 32)
        hasher.update(Array("fat/contract-root/v1".utf8))
        hasher.update(address.bytes)
        hasher.update(codeHash)
        for key in storage.keys.sorted() {
            let value = storage[key]!
            hasher.update(lengthPrefix(key.bytes.count))
            hasher.update(key.bytes)
            hasher.update(lengthPrefix(value.count))
            hasher.update(value)
        }
        return hasher.finalize()
    }

    /// The host bookkeeping kept sealed in the contracts table: deployer, sequence number of the
    /// deploy, and the metadata hash when there is one (40 or 72 bytes).
    var info: [UInt8] {
        deployer.bytes + withUnsafeBytes(of: deployedAt.littleEndian) { Array($0) } + (metadataHash ?? [])
    }

    init(codeHash: CodeHash, info: [UInt8]) throws {
        guard info.count == 40 || info.count == 72 else {
            throw FatError(.storeCorrupt, "contract record has \(info.count) bytes of bookkeeping, expected 40 or 72")
        }
        self.init(
            codeHash: codeHash, deployer: AccountId(unchecked: Array(info[0 ..< 32])),
            deployedAt: info[32 ..< 40].reversed().reduce(0) { $0 << 8 | UInt64($1) },
            metadataHash: info.count == 72 ? Array(info[40...]) : nil)
    }
}

private func lengthPrefix(_ count: Int) -> [UInt8] {
    withUnsafeBytes(of: UInt32(count).littleEndian) { Array($0) }
}
