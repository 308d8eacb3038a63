import Testing

@testable import FatRuntime

/// The cache's versioning rules: what a reader of an older state may take, what it may add, and
/// what a commit does to entries.
struct StateCacheTests {
    static let contract = TestAccount.alice.account
    static func key(_ byte: UInt8) -> StateKey { .storage(contract, ByteKey([byte])) }
    static func value(_ byte: UInt8) -> StateValue { .storage([byte]) }
    static func bytes(_ value: StateValue?) -> [UInt8]?? {
        guard case let .storage(bytes)? = value else { return nil }
        return .some(bytes)
    }

    @Test func aReaderOfAnOlderStateDoesNotSeeANewerValue() {
        let cache = StateCache(capacity: 1 << 20, committedAt: 5)
        cache.keep(Self.key(1), Self.value(1), readAt: 5)
        #expect(Self.bytes(cache.value(Self.key(1), at: 5)) == [1])
        // Batch 6 rewrites key 1.
        var changes = StateChanges()
        changes.values = [(Self.key(1), Self.value(2))]
        cache.beginCommit(changes, through: 6)
        #expect(cache.value(Self.key(1), at: 5) == nil, "removed before the commit")
        cache.finishCommit(changes, at: 6)
        #expect(Self.bytes(cache.value(Self.key(1), at: 6)) == [2])
        #expect(cache.value(Self.key(1), at: 5) == nil, "a snapshot of 5 reads the store, not the value of 6")
        // A reader of the older state may not add what it read.
        cache.keep(Self.key(3), Self.value(3), readAt: 5)
        #expect(cache.value(Self.key(3), at: 6) == nil)
        cache.keep(Self.key(3), Self.value(3), readAt: 6)
        #expect(Self.bytes(cache.value(Self.key(3), at: 6)) == [3])
        // Nor may a reader of a state the cache has not heard of use it.
        #expect(!cache.covers(7))
        #expect(cache.value(Self.key(3), at: 7) == nil)
    }

    @Test func aBatchThatDoesNotCommitLeavesOnlyCommittedValues() {
        let cache = StateCache(capacity: 1 << 20, committedAt: 1)
        cache.keep(Self.key(1), Self.value(1), readAt: 1)
        var changes = StateChanges()
        changes.values = [(Self.key(1), Self.value(9))]
        cache.beginCommit(changes, through: 2)
        cache.abandonCommit(backTo: 1)
        #expect(cache.value(Self.key(1), at: 1) == nil)
        cache.keep(Self.key(1), Self.value(1), readAt: 1)
        #expect(Self.bytes(cache.value(Self.key(1), at: 1)) == [1])
    }

    @Test func removingAContractForgetsItsStorage() {
        let cache = StateCache(capacity: 1 << 20, committedAt: 1)
        let other = TestAccount.bob.account
        cache.keep(Self.key(1), Self.value(1), readAt: 1)
        cache.keep(.storage(other, ByteKey([1])), Self.value(7), readAt: 1)
        var changes = StateChanges()
        changes.clearedContracts = [Self.contract]
        changes.values = [(.contract(Self.contract), .contract(nil))]
        cache.beginCommit(changes, through: 2)
        cache.finishCommit(changes, at: 2)
        #expect(cache.value(Self.key(1), at: 2) == nil)
        #expect(Self.bytes(cache.value(.storage(other, ByteKey([1])), at: 2)) == [7])
    }

    @Test func theCacheStaysWithinItsSize() {
        let capacity = 4096
        let cache = StateCache(capacity: capacity, committedAt: 1)
        for index in 0 ..< 500 {
            cache.keep(.storage(Self.contract, ByteKey(le32(UInt32(index)))), .storage([UInt8](repeating: 1, count: 32)), readAt: 1)
            #expect(cache.statistics.bytes <= capacity)
        }
        let statistics = cache.statistics
        #expect(statistics.evictions > 0 && statistics.entries > 0)
        // The most recent entries are there.
        #expect(cache.value(.storage(Self.contract, ByteKey(le32(499))), at: 1) != nil)
        // An entry larger than the whole cache is not kept; nothing is with a size of 0.
        cache.keep(Self.key(9), .storage([UInt8](repeating: 0, count: 8192)), readAt: 1)
        #expect(cache.value(Self.key(9), at: 1) == nil)
        let none = StateCache(capacity: 0, committedAt: 0)
        none.keep(Self.key(1), Self.value(1), readAt: 0)
        #expect(none.statistics.entries == 0)
    }
}
