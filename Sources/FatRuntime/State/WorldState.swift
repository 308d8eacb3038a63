import HashTreeCollections

/// The state as one transaction sees it: the committed state at one sequence number (`StateBase`:
/// the cache, then the sealed store) under the changes made since (`StateChangeSet`), a value.
///
/// The changes are persistent hash tries, so a copy costs O(1) and a write copies only one path:
/// a frame takes a checkpoint on entry and a call that reverts restores it; what a command leaves
/// is what the writer persists, and what a query leaves is dropped. Reads fall through to the
/// base for anything not changed. **Confined to the thread running the transaction.**
public struct WorldState {
    let base: StateBase
    var changes = StateChangeSet()
    /// Sequence number and timestamp of the last command applied to this state.
    public internal(set) var seq: UInt64
    public internal(set) var timestampMs: UInt64

    init(base: StateBase) {
        self.base = base
        seq = base.seq
        timestampMs = base.timestampMs
    }

    // MARK: Contracts

    /// The contract at `address`, or nil when there is none.
    public func contract(_ address: AccountId) -> ContractState? {
        if !changes.contracts.isEmpty, let change = changes.contracts[address] { return change.state }
        guard case let .contract(state) = base.read(.contract(address)) else { return nil }
        return state
    }

    /// Puts a contract at `address`, or with nil removes it with all its storage.
    mutating func setContract(_ address: AccountId, _ state: ContractState?) {
        if let state {
            var change = changes.contracts[address] ?? ContractChange(state: nil, cleared: false)
            change.state = state
            changes.contracts[address] = change
        } else {
            changes.contracts[address] = ContractChange(state: nil, cleared: true)
            changes.storage = changes.storage.filter { $0.key.contract != address }
        }
    }

    // MARK: Storage

    /// The value `address` keeps under `key`.
    public func storage(_ address: AccountId, _ key: [UInt8]) -> [UInt8]? {
        let key = ByteKey(key)
        if !changes.storage.isEmpty, let value = changes.storage[StorageSlot(contract: address, key: key)] { return value }
        if !changes.contracts.isEmpty, changes.contracts[address]?.cleared == true { return nil }
        guard case let .storage(value) = base.read(.storage(address, key)) else { return nil }
        return value
    }

    /// Stores `value` under `key` for `address`, or removes the key when `value` is nil. A
    /// contract removed in this transaction keeps nothing.
    mutating func setStorage(_ address: AccountId, _ key: [UInt8], _ value: [UInt8]?) {
        if let change = changes.contracts[address], change.state == nil { return }
        changes.storage.updateValue(value, forKey: StorageSlot(contract: address, key: ByteKey(key)))
    }

    // MARK: Code, metadata, nonces

    /// What the state knows of stored code `hash`; nil when it is not stored.
    public func code(_ hash: CodeHash) -> CodeInfo? {
        let key = ByteKey(hash)
        if let info = changes.ledger?.codes[key] { return info }
        guard case let .code(info) = base.read(.code(key)) else { return nil }
        return info
    }

    mutating func addCode(_ hash: CodeHash, _ info: CodeInfo) { changes.uniqueLedger().codes[ByteKey(hash)] = info }

    /// Whether the metadata document with this hash is stored.
    public func hasMetadata(_ hash: MetadataHash) -> Bool {
        let key = ByteKey(hash)
        if changes.ledger?.metadata.contains(key) == true { return true }
        guard case let .metadata(present) = base.read(.metadata(key)) else { return false }
        return present
    }

    mutating func addMetadata(_ hash: MetadataHash) { changes.uniqueLedger().metadata.insert(ByteKey(hash)) }

    /// The highest nonce logged for `account` (0 when it has none). Not part of the state root:
    /// every logged nonce is in its log entry, so replay rebuilds them.
    public func nonce(_ account: AccountId) -> UInt64 {
        if let nonce = changes.ledger?.nonces[account] { return nonce }
        guard case let .nonce(nonce) = base.read(.nonce(account)) else { return 0 }
        return nonce
    }

    mutating func setNonce(_ account: AccountId, _ nonce: UInt64) { changes.uniqueLedger().nonces[account] = nonce }
}

/// A storage entry's place: the contract and the key.
struct StorageSlot: Hashable, Sendable {
    let contract: AccountId
    let key: ByteKey
}

/// A contract put or removed by a transaction. `cleared`: its storage in the base is gone (it was
/// removed, and perhaps put again since).
struct ContractChange {
    var state: ContractState?
    var cleared: Bool
}

/// What a transaction changed, over the base it reads.
struct StateChangeSet {
    /// Storage written; a nil value is a removed key.
    var storage: TreeDictionary<StorageSlot, [UInt8]?> = [:]
    var contracts: TreeDictionary<AccountId, ContractChange> = [:]
    /// What changes rarely, behind one reference (nil until something changes): every call copies
    /// the changes a few times (a checkpoint per frame), and each field is a reference to retain.
    private(set) var ledger: Ledger?

    var isEmpty: Bool { storage.isEmpty && contracts.isEmpty && ledger == nil }

    /// The ledger, copied first if it is shared with another copy of the changes.
    mutating func uniqueLedger() -> Ledger {
        if isKnownUniquelyReferenced(&ledger) { return ledger! }
        let copy = Ledger(codes: ledger?.codes ?? [:], metadata: ledger?.metadata ?? [], nonces: ledger?.nonces ?? [:])
        ledger = copy
        return copy
    }

    /// Code and metadata stored, and nonces logged. Changed only while uniquely referenced (see
    /// `uniqueLedger`), so sharing it is safe.
    final class Ledger {
        var codes: TreeDictionary<ByteKey, CodeInfo>
        var metadata: TreeSet<ByteKey>
        var nonces: TreeDictionary<AccountId, UInt64>

        init(codes: TreeDictionary<ByteKey, CodeInfo>, metadata: TreeSet<ByteKey>, nonces: TreeDictionary<AccountId, UInt64>) {
            self.codes = codes
            self.metadata = metadata
            self.nonces = nonces
        }
    }
}

/// What the state knows of a stored code: its kind, and the metadata document its first upload
/// carried (which describes contracts instantiated from it without one of their own).
public struct CodeInfo: Sendable, Equatable {
    public let kind: CodeKind
    public let metadataHash: MetadataHash?
}

/// One contract: the code it runs and who deployed it (its storage is kept apart, key by key).
public struct ContractState: Sendable, Equatable {
    public internal(set) var codeHash: CodeHash
    public internal(set) var deployer: AccountId
    public internal(set) var deployedAt: UInt64
    /// The metadata document that describes this contract, chosen by its deployer; nil: the one
    /// its code's first upload carried.
    public internal(set) var metadataHash: MetadataHash?

    public init(codeHash: CodeHash, deployer: AccountId, deployedAt: UInt64, metadataHash: MetadataHash? = nil) {
        self.codeHash = codeHash
        self.deployer = deployer
        self.deployedAt = deployedAt
        self.metadataHash = metadataHash
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
