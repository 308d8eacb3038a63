import FatStore

/// The committed state as of one sequence number, as a transaction reads it: through the cache,
/// then the store. A command's base reads through the writer's own connection inside its
/// transaction; a query's through a read snapshot of its own.
///
/// A query's base is pinned lazily: it starts at the latest published state and reads from the
/// cache alone, and opens a store snapshot only at its first miss (or before its first effect on
/// the world outside, see `pinForEffects`). If by then a newer command has committed, the
/// snapshot cannot show the older state the query has read so far: the base says it `moved`,
/// answers nothing more, and the host runs the query again on a base pinned from the start.
/// A query that finds everything in the cache never touches the store.
///
/// A read that fails (a damaged store) is remembered in `failure` and answers absence; whoever
/// runs the transaction checks `failure` before trusting a result.
///
/// **Confined to the thread running the transaction.**
final class StateBase {
    let cache: StateCache
    /// The sequence number and timestamp of the last command in this state.
    let seq: UInt64
    let timestampMs: UInt64
    private let store: SealedStore?
    private var reader: StoreReader?
    private var snapshot: StoreSnapshot?
    private let usesCache: Bool
    private(set) var failure: Error?
    /// The lazily pinned store snapshot turned out newer than `seq` (see above).
    private(set) var moved = false

    /// The base of a batch the writer applies: the committed state seen through `writer`.
    init(writer: StoreReader, cache: StateCache, summary: StateSummary) {
        self.cache = cache
        seq = summary.seq
        timestampMs = summary.timestampMs
        store = nil
        reader = writer
        usesCache = true
    }

    /// The base of a query, at the latest published state, pinned at its first miss.
    init(lazilyAt summary: StateSummary, store: SealedStore, cache: StateCache) {
        self.cache = cache
        seq = summary.seq
        timestampMs = summary.timestampMs
        self.store = store
        usesCache = cache.covers(summary.seq)
    }

    /// The base of a query, pinned now to whatever the store holds.
    init(pinnedIn store: SealedStore, cache: StateCache) throws {
        let snapshot = try FatHost.wrapStore { try store.beginSnapshot() }
        let summary: StateSummary
        do { summary = try StateSummary.load(snapshot.reader) } catch {
            snapshot.end()
            throw error
        }
        self.cache = cache
        self.store = store
        self.snapshot = snapshot
        reader = snapshot.reader
        seq = summary.seq
        timestampMs = summary.timestampMs
        usesCache = cache.covers(summary.seq)
    }

    /// Ends the store snapshot, if one was opened. Reads after this answer absence.
    func end() {
        snapshot?.end()
        snapshot = nil
        if store != nil { reader = nil }
    }

    deinit { snapshot?.end() }

    /// Opens the store snapshot now, if it is not open yet; false when the state moved on (the
    /// caller must not act on what it read: the host runs the query again).
    func pinForEffects() -> Bool { storeReader() != nil }

    func read(_ key: StateKey) -> StateValue {
        if failure != nil || moved { return .absent(key) }
        if usesCache, let value = cache.value(key, at: seq) { return value }
        guard let reader = storeReader() else { return .absent(key) }
        do {
            let value = try Self.load(key, from: reader)
            if usesCache { cache.keep(key, value, readAt: seq) }
            return value
        } catch {
            failure = error
            return .absent(key)
        }
    }

    /// Every storage entry `address` has in this state, straight from the store (never cached):
    /// what removing a contract takes out of the state digest.
    func forEachStorageEntry(of address: AccountId, _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Void) throws {
        guard let reader = storeReader() else { throw FatError(.storeCorrupt, "the state moved on while it was read") }
        try FatHost.wrapStore { try reader.forEachStorageEntry(of: address.bytes, body) }
    }

    private func storeReader() -> StoreReader? {
        if let reader { return reader }
        guard let store, !moved, failure == nil else { return nil }
        do {
            let snapshot = try store.beginSnapshot()
            guard snapshot.lastSeq == seq else {
                snapshot.end()
                moved = true
                return nil
            }
            self.snapshot = snapshot
            reader = snapshot.reader
            return snapshot.reader
        } catch {
            failure = error
            return nil
        }
    }

    private static func load(_ key: StateKey, from reader: StoreReader) throws -> StateValue {
        switch key {
        case let .storage(address, storageKey):
            return .storage(try reader.storageValue(contract: address.bytes, key: storageKey.bytes))
        case let .contract(address):
            guard let record = try reader.contract(address.bytes) else { return .contract(nil) }
            return .contract(try ContractState(codeHash: record.codeHash, info: record.info))
        case let .code(hash):
            guard let record = try reader.codeInfo(hash.bytes) else { return .code(nil) }
            guard let kind = CodeKind(rawValue: record.kind) else {
                throw FatError(.storeCorrupt, "code 0x\(hash.bytes.hexString) has unknown kind \(record.kind)")
            }
            return .code(CodeInfo(kind: kind, metadataHash: record.metadataHash))
        case let .metadata(hash):
            return .metadata(try reader.hasMetadata(hash.bytes))
        case let .nonce(account):
            return .nonce(try reader.nonce(of: account.bytes))
        }
    }
}
