import Synchronization

/// One thing the state holds, as the cache and a transaction's changes name it.
enum StateKey: Hashable, Sendable {
    case storage(AccountId, ByteKey)
    case contract(AccountId)
    case code(ByteKey)
    case metadata(ByteKey)
    case nonce(AccountId)
}

/// What the state holds under a `StateKey` (absence included: a miss on disk is cached too).
enum StateValue: Sendable {
    case storage([UInt8]?)
    case contract(ContractState?)
    case code(CodeInfo?)
    case metadata(Bool)
    case nonce(UInt64)

    /// What a key holds when the store has nothing under it.
    static func absent(_ key: StateKey) -> StateValue {
        switch key {
        case .storage: .storage(nil)
        case .contract: .contract(nil)
        case .code: .code(nil)
        case .metadata: .metadata(false)
        case .nonce: .nonce(0)
        }
    }

    /// Bytes the entry is counted for against the cache's budget: what it costs in memory, not
    /// just its key and value — each byte array is a heap allocation with a header and malloc's
    /// rounding, and the entry takes a slot and an index bucket (measured: a 43-byte storage
    /// entry costs about 370 bytes of resident memory).
    static func footprint(_ key: StateKey, _ value: StateValue) -> Int {
        func heap(_ count: Int) -> Int { 48 + (count + 15) / 16 * 16 }
        let keyBytes =
            switch key {
            case let .storage(_, k): heap(32) + heap(k.bytes.count)
            default: heap(32)
            }
        let valueBytes =
            switch value {
            case let .storage(v): v.map { heap($0.count) } ?? 0
            case let .contract(state): state.map { 2 * heap(32) + ($0.metadataHash == nil ? 0 : heap(32)) } ?? 0
            case let .code(info): info?.metadataHash == nil ? 0 : heap(32)
            case .metadata, .nonce: 0
            }
        return keyBytes + valueBytes + 160
    }
}

/// The committed state's values, in memory, bounded in bytes: what keeps reads of a state far
/// larger than memory fast. Plaintext lives here only; nothing of it is written anywhere.
///
/// Coherent with read snapshots by version: every entry records the sequence number from which
/// its value holds, and holds until a commit changes it. The writer removes what a batch changes
/// before the batch commits (`beginCommit`) and puts the new values after (`finishCommit`); a
/// reader of the state as of command `s` takes an entry only if it held at `s`, and adds what it
/// read from the store only when `s` is the latest state the cache knows of. So a query on an
/// older snapshot never sees a newer value, and nothing a rolled-back batch wrote is ever cached.
///
/// Evicts by CLOCK (second chance). **Thread-safe.**
final class StateCache: Sendable {
    struct Statistics: Sendable {
        var hits: UInt64 = 0
        var misses: UInt64 = 0
        var evictions: UInt64 = 0
        var entries = 0
        var bytes = 0
        var capacity = 0
    }

    private struct Entry {
        var key: StateKey
        var value: StateValue
        var validFrom: UInt64
        var size: Int
        var referenced: Bool
    }

    private struct Contents: ~Copyable {
        var index: [StateKey: Int] = [:]
        var slots: [Entry?] = []
        var free: [Int] = []
        var hand = 0
        /// Every commit up to this sequence number has had its changes removed or put here.
        var knownThrough: UInt64
        var statistics = Statistics()

        mutating func put(_ key: StateKey, _ value: StateValue, validFrom: UInt64) {
            let size = StateValue.footprint(key, value)
            guard size <= statistics.capacity else { return }
            let entry = Entry(key: key, value: value, validFrom: validFrom, size: size, referenced: true)
            if let slot = index[key] {
                statistics.bytes += size - slots[slot]!.size
                slots[slot] = entry
            } else if let slot = free.popLast() {
                slots[slot] = entry
                index[key] = slot
                statistics.bytes += size
            } else {
                index[key] = slots.count
                slots.append(entry)
                statistics.bytes += size
            }
            while statistics.bytes > statistics.capacity { evictOne() }
        }

        mutating func remove(_ key: StateKey) {
            guard let slot = index.removeValue(forKey: key) else { return }
            statistics.bytes -= slots[slot]!.size
            slots[slot] = nil
            free.append(slot)
        }

        /// The next entry the hand finds unreferenced since it last passed.
        private mutating func evictOne() {
            while true {
                if hand >= slots.count { hand = 0 }
                defer { hand += 1 }
                guard let entry = slots[hand] else { continue }
                if entry.referenced {
                    slots[hand]!.referenced = false
                } else {
                    remove(entry.key)
                    statistics.evictions += 1
                    return
                }
            }
        }

        mutating func removeAll(knownThrough seq: UInt64) {
            index = [:]
            slots = []
            free = []
            hand = 0
            statistics.bytes = 0
            knownThrough = seq
        }
    }

    private let contents: Mutex<Contents>

    /// A cache of at most `capacity` bytes (0 caches nothing) of the state committed at `seq`.
    init(capacity: Int, committedAt seq: UInt64) {
        var contents = Contents(knownThrough: seq)
        contents.statistics.capacity = max(0, capacity)
        self.contents = Mutex(contents)
    }

    /// The value of `key` in the state as of command `seq`, if the cache holds it.
    func value(_ key: StateKey, at seq: UInt64) -> StateValue? {
        contents.withLock { contents in
            guard seq <= contents.knownThrough, let slot = contents.index[key], contents.slots[slot]!.validFrom <= seq else {
                contents.statistics.misses += 1
                return nil
            }
            contents.statistics.hits += 1
            contents.slots[slot]!.referenced = true
            return contents.slots[slot]!.value
        }
    }

    /// Keeps what a reader found in the store in the state as of command `seq`; ignored unless
    /// that is the latest state the cache knows of.
    func keep(_ key: StateKey, _ value: StateValue, readAt seq: UInt64) {
        contents.withLock { contents in
            guard seq == contents.knownThrough else { return }
            contents.put(key, value, validFrom: seq)
        }
    }

    /// Whether a reader of the state as of `seq` may use the cache at all: not when another
    /// process committed a later state this cache has not heard of.
    func covers(_ seq: UInt64) -> Bool { contents.withLock { seq <= $0.knownThrough } }

    /// Before a batch ending at `seq` commits: forgets every key it changed (and every storage
    /// entry of the contracts it removed).
    func beginCommit(_ changes: StateChanges, through seq: UInt64) {
        contents.withLock { contents in
            for (key, _) in changes.values { contents.remove(key) }
            if !changes.clearedContracts.isEmpty {
                let stale = contents.index.keys.filter { key in
                    if case let .storage(address, _) = key { return changes.clearedContracts.contains(address) }
                    return false
                }
                for key in stale { contents.remove(key) }
            }
            contents.knownThrough = seq
        }
    }

    /// After the batch committed: its new values, holding from `seq` on.
    func finishCommit(_ changes: StateChanges, at seq: UInt64) {
        contents.withLock { contents in
            guard contents.knownThrough == seq else { return }
            for (key, value) in changes.values { contents.put(key, value, validFrom: seq) }
        }
    }

    /// The batch did not commit: the state is still the one as of `seq`.
    func abandonCommit(backTo seq: UInt64) {
        contents.withLock { $0.knownThrough = seq }
    }

    /// Forgets everything: the store holds a state (as of `seq`) this cache did not follow.
    func reset(committedAt seq: UInt64) {
        contents.withLock { $0.removeAll(knownThrough: seq) }
    }

    var statistics: Statistics {
        contents.withLock { contents in
            var statistics = contents.statistics
            statistics.entries = contents.index.count
            return statistics
        }
    }
}

/// What one commit changed, as the cache learns it.
struct StateChanges {
    var values: [(StateKey, StateValue)] = []
    var clearedContracts: Set<AccountId> = []
}
