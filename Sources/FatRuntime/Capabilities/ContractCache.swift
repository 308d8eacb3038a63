import Synchronization

/// The contracts' volatile key/value cache (pink's `cache_*`): per contract, in memory only, capped
/// in total size, each entry with a lifetime. It is not state: it is not sealed, not in the state
/// root, not replayed, and lost when the host stops. **Thread-safe.**
final class ContractCache: Sendable {
    struct Entry {
        var value: [UInt8]
        var expires: ContinuousClock.Instant
        var order: UInt64
    }

    private struct State {
        var entries: [AccountId: [[UInt8]: Entry]] = [:]
        var bytes = 0
        var counter: UInt64 = 0
    }

    let capacityBytes: Int
    let defaultLifetime: Duration
    private let state = Mutex(State())

    init(capacityBytes: Int, defaultLifetime: Duration) {
        self.capacityBytes = capacityBytes
        self.defaultLifetime = defaultLifetime
    }

    private static func size(_ key: [UInt8], _ value: [UInt8]) -> Int { key.count + value.count }

    /// Stores `value`; false when the entry alone is larger than the cache. Older entries are
    /// evicted (expired ones first, then the least recently written) to make room.
    func set(_ contract: AccountId, key: [UInt8], value: [UInt8]) -> Bool {
        let size = Self.size(key, value)
        guard size <= capacityBytes else { return false }
        let now = ContinuousClock.now
        state.withLock { state in
            Self.remove(&state, contract, key)
            state.counter += 1
            state.entries[contract, default: [:]][key] = Entry(value: value, expires: now + defaultLifetime, order: state.counter)
            state.bytes += size
            if state.bytes > capacityBytes { Self.evict(&state, capacity: capacityBytes, now: now) }
        }
        return true
    }

    /// Sets the lifetime of `key` to `seconds` from now; no effect when the key is absent.
    func setExpiration(_ contract: AccountId, key: [UInt8], seconds: UInt64) {
        let lifetime = Duration.seconds(Int64(clamping: seconds))
        state.withLock { state in
            state.entries[contract]?[key]?.expires = ContinuousClock.now + lifetime
        }
    }

    func get(_ contract: AccountId, key: [UInt8]) -> [UInt8]? {
        state.withLock { state in
            guard let entry = state.entries[contract]?[key] else { return nil }
            if entry.expires <= ContinuousClock.now {
                Self.remove(&state, contract, key)
                return nil
            }
            return entry.value
        }
    }

    /// Removes `key` and returns its value, if it was present and alive.
    func remove(_ contract: AccountId, key: [UInt8]) -> [UInt8]? {
        state.withLock { state in
            let entry = Self.remove(&state, contract, key)
            guard let entry, entry.expires > ContinuousClock.now else { return nil }
            return entry.value
        }
    }

    /// Total bytes held (keys and values).
    var usedBytes: Int { state.withLock { $0.bytes } }

    @discardableResult
    private static func remove(_ state: inout State, _ contract: AccountId, _ key: [UInt8]) -> Entry? {
        guard let entry = state.entries[contract]?.removeValue(forKey: key) else { return nil }
        state.bytes -= size(key, entry.value)
        if state.entries[contract]?.isEmpty == true { state.entries[contract] = nil }
        return entry
    }

    private static func evict(_ state: inout State, capacity: Int, now: ContinuousClock.Instant) {
        var candidates: [(contract: AccountId, key: [UInt8], expired: Bool, order: UInt64)] = []
        for (contract, entries) in state.entries {
            for (key, entry) in entries { candidates.append((contract, key, entry.expires <= now, entry.order)) }
        }
        candidates.sort { ($0.expired ? 0 : 1, $0.order) < ($1.expired ? 0 : 1, $1.order) }
        for candidate in candidates where state.bytes > capacity {
            remove(&state, candidate.contract, candidate.key)
        }
    }
}
