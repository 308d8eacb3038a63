import FatStore
import Synchronization

/// The committed state of a host: the sealed store, the cache in front of it, and the summary of
/// the latest commit, which queries start from and the log replaces after each batch, with the
/// observers told of each commit. The one place state is read from and written to.
/// **Thread-safe.**
final class CommittedState: Sendable {
    let store: SealedStore
    let cache: StateCache
    private let latest: Mutex<StateSummary>
    private let observers = Mutex<[@Sendable (_ lastSeq: UInt64) -> Void]>([])

    /// Reads the summary of what `store` holds (nothing else: O(1) in the size of the state).
    init(store: SealedStore, cacheBytes: Int) throws {
        let summary = try FatHost.wrapStore { try store.readOnWriterConnection { try StateSummary.load($0) } }
        self.store = store
        cache = StateCache(capacity: cacheBytes, committedAt: summary.seq)
        latest = Mutex(summary)
    }

    var current: StateSummary { latest.withLock { $0 } }

    func observe(_ observer: @escaping @Sendable (_ lastSeq: UInt64) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    // MARK: Reading

    /// Runs `body` on the latest committed state, read through the cache and, at the first miss,
    /// a store snapshot (see `StateBase`); runs it again on a snapshot pinned from the start if
    /// the state moved on meanwhile. Whatever `body` changes in the state is dropped.
    func read<T>(_ body: (WorldState) throws -> T) throws -> T {
        var attempt = 0
        while true {
            let base = attempt == 0 ? StateBase(lazilyAt: current, store: store, cache: cache) : try StateBase(pinnedIn: store, cache: cache)
            defer { base.end() }
            attempt += 1
            let result = Result<T, Error>(catching: { try body(WorldState(base: base)) })
            if base.moved { continue }
            if let failure = base.failure { throw FatError(wrapping: failure) }
            return try result.get()
        }
    }

    // MARK: Writing

    /// Runs `body` in one store transaction on the committed state, seen through the writer's
    /// connection; persists the state `body` answers (changes over that base), updates the
    /// summary, commits, and only then tells the cache and publishes the new summary.
    func write<T>(_ body: (StoreWriter, WorldState) throws -> (T, WorldState)) throws -> T {
        var before = current
        let outcome: (value: T, summary: StateSummary, changes: StateChanges)
        do {
            outcome = try store.write { writer in
                // Another process may have committed since this host last did: start from there.
                let stored = try FatHost.wrapStore { try writer.reader.lastSeq() }
                if stored != before.seq {
                    before = try StateSummary.load(writer.reader)
                    cache.reset(committedAt: stored)
                }
                let base = StateBase(writer: writer.reader, cache: cache, summary: before)
                let (value, after) = try body(writer, WorldState(base: base))
                let (summary, changes) = try StateFlush.flush(after, from: before, into: writer)
                try FatHost.wrapStore { try writer.setLastSeq(summary.seq) }
                cache.beginCommit(changes, through: summary.seq)
                return (value, summary, changes)
            }
        } catch {
            cache.abandonCommit(backTo: before.seq)
            if before != current { publish(before) }
            throw error
        }
        cache.finishCommit(outcome.changes, at: outcome.summary.seq)
        publish(outcome.summary)
        return outcome.value
    }

    private func publish(_ summary: StateSummary) {
        latest.withLock { $0 = summary }
        for observer in observers.withLock({ $0 }) { observer(summary.seq) }
    }
}
