import FatCodec
import FatCrypto
import FatStore
import FatTesting
import Foundation
import Testing

@testable import FatRuntime

/// The sealed store is the state: reads go through a bounded cache, each query sees one
/// committed state, the summary (root) is carried forward by each commit, and a damaged store is
/// refused without a byte of it changing.
@Suite("State in the store")
struct StateStoreTests {
    static func kvValue(_ seed: UInt64) -> [UInt8] { Blake2b.hash256(le64(seed)) }

    /// `set_many(from, count, value)` as a command.
    static func setMany(_ host: FatHost, _ kv: AccountId, from: UInt64, count: UInt32, value: [UInt8]) throws -> Receipt {
        try host.command(kv, "set_many", le64(from) + le32(count) + value)
    }

    static func get(_ host: FatHost, _ kv: AccountId, _ key: UInt64) throws -> [UInt8]? {
        let output = try host.ask(kv, "get", le64(key)).output
        return output == [0] ? nil : Array(output.dropFirst())
    }

    /// Deploys the `kv` contract on `host` and answers its address.
    static func deployKV(_ host: FatHost, salt: [UInt8] = SecureRandom.bytes(8)) throws -> AccountId {
        try host.deployNative(try Products.library("kv"), constructor: "new", salt: salt).0
    }

    static func openHost(_ dir: String, cacheBytes: Int = HostLimits.defaultStateCacheBytes) throws -> FatHost {
        var limits = HostLimits()
        limits.stateCacheBytes = cacheBytes
        return try FatHost(dataDirectory: dir, limits: limits)
    }

    /// Every query sees one committed state: while commands rewrite a run of 64 keys with one
    /// value each, queries reading the whole run (through a cache too small to hold it, so some
    /// reads hit and some go to the store) never see two values.
    @Test func aQuerySeesOneCommittedStateWhileCommandsRewriteIt() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let host = try Self.openHost(dir.path, cacheBytes: 6 << 10)
        defer { host.close() }
        let kv = try Self.deployKV(host)
        _ = try Self.setMany(host, kv, from: 0, count: 64, value: Self.kvValue(0))
        let uniform = try #require(try host.metadata(of: kv).messages.first { $0.label == "uniform" }).selector + le64(0) + le32(64)

        let stop = Flag()
        let writer = Thread {
            var round: UInt64 = 1
            while !stop.isSet {
                _ = try? Self.setMany(host, kv, from: 0, count: 64, value: Self.kvValue(round))
                round += 1
            }
        }
        writer.start()
        let seen = Counter()
        let group = DispatchGroup()
        for _ in 0 ..< 4 {
            group.enter()
            Thread {
                defer { group.leave() }
                for _ in 0 ..< 300 {
                    guard let result = try? host.query(kv, input: uniform) else {
                        seen.fail("a query failed")
                        continue
                    }
                    if result.output != le32(64) { seen.fail("a query saw \(u64(result.output + [0, 0, 0, 0])) of 64 keys alike") }
                    seen.add()
                }
            }.start()
        }
        group.wait()
        stop.set()
        while !writer.isFinished { usleep(1000) }
        #expect(seen.failures.isEmpty, "\(seen.failures.prefix(3))")
        #expect(seen.count == 1200)
        #expect(host.snapshot.seq > 3, "the commands ran alongside the queries")
        let cache = host.stateCache
        #expect(cache.evictions > 0 && cache.misses > 0, "the run did not fit the cache: \(cache)")
    }

    /// A cache far smaller than the state evicts and stays within its size, and every value still
    /// reads back right (from the store).
    @Test func aSmallCacheEvictsAndEveryValueStillReadsBack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let host = try Self.openHost(dir.path, cacheBytes: 16 << 10)
        defer { host.close() }
        let kv = try Self.deployKV(host)
        for run in 0 ..< 8 {
            _ = try Self.setMany(host, kv, from: UInt64(run * 256), count: 256, value: Self.kvValue(UInt64(run)))
        }
        for pass in 0 ..< 2 {
            for key in stride(from: UInt64(0), to: 2048, by: 7) {
                #expect(try Self.get(host, kv, key) == Self.kvValue(key / 256), "key \(key), pass \(pass)")
            }
        }
        #expect(try Self.get(host, kv, 5000) == nil)
        let cache = host.stateCache
        #expect(cache.evictions > 0)
        #expect(cache.bytes <= cache.capacity && cache.capacity == 16 << 10)
        #expect(cache.entries > 0)
        // No cache at all: the store alone answers.
        let uncached = try Self.openHost(dir.path + "-none", cacheBytes: 0)
        defer {
            uncached.close()
            try? FileManager.default.removeItem(atPath: dir.path + "-none")
        }
        let other = try Self.deployKV(uncached)
        _ = try Self.setMany(uncached, other, from: 10, count: 3, value: Self.kvValue(9))
        #expect(try Self.get(uncached, other, 11) == Self.kvValue(9))
        #expect(uncached.stateCache.entries == 0 && uncached.stateCache.hits == 0)
    }

    /// A host that goes away leaves its database whole: the WAL is checkpointed into the file and
    /// removed, even after queries read through pooled snapshots, so the next process to open the
    /// store (every CLI invocation) does not read a WAL that grows with each one.
    @Test func aHostThatGoesAwayLeavesNoWriteAheadLog() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let wal = dir.path + "/state.sqlite-wal"
        let kv: AccountId
        do {
            let host = try Self.openHost(dir.path)
            defer { host.close() }
            kv = try Self.deployKV(host)
            _ = try Self.setMany(host, kv, from: 0, count: 100, value: Self.kvValue(1))
            #expect(FileManager.default.fileExists(atPath: wal), "the host writes through a WAL while it is open")
        }
        #expect(!FileManager.default.fileExists(atPath: wal))
        for round in 0 ..< 3 {
            do {
                let host = try Self.openHost(dir.path)
                defer { host.close() }
                #expect(try Self.get(host, kv, UInt64(round)) == Self.kvValue(1))  // a miss: read through a pooled snapshot
                #expect(host.stateCache.misses > 0)
                _ = try Self.setMany(host, kv, from: 200, count: 10, value: Self.kvValue(2))
            }
            #expect(!FileManager.default.fileExists(atPath: wal), "round \(round)")
        }
    }

    /// A host reopened has the same state, root and answers; it read nothing to open (its cache
    /// is empty) and its summary agrees with the state recomputed from scratch.
    @Test func aReopenedHostHasTheSameStateAndRoot() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let kv: AccountId
        let before: StateSummary
        do {
            let host = try Self.openHost(dir.path)
            defer { host.close() }
            kv = try Self.deployKV(host)
            _ = try Self.setMany(host, kv, from: 0, count: 100, value: Self.kvValue(1))
            _ = try Self.setMany(host, kv, from: 50, count: 100, value: Self.kvValue(2))
            before = host.snapshot
        }
        let host = try Self.openHost(dir.path)
        defer { host.close() }
        #expect(host.snapshot == before)
        #expect(host.stateCache.entries == 0)
        #expect(try Self.get(host, kv, 10) == Self.kvValue(1))
        #expect(try Self.get(host, kv, 120) == Self.kvValue(2))
        #expect(host.snapshot.contractCount == 1)
        let report = try host.verify()
        #expect(report.ok, "\(report.mismatches)")
        #expect(report.liveRoot == before.root)
        let scanned = try host.store.readOnWriterConnection { try StateScan.summary($0) }
        #expect(scanned == before)
    }

    /// The same state built in two orders has the same root; a different state, another.
    @Test func theRootDependsOnTheStateNotOnHowItWasBuilt() throws {
        func build(_ runs: [(UInt64, UInt32, UInt64)]) throws -> [UInt8] {
            try withHost { host in
                let kv = try Self.deployKV(host, salt: [7])
                for (from, count, seed) in runs { _ = try Self.setMany(host, kv, from: from, count: count, value: Self.kvValue(seed)) }
                return host.snapshot.root
            }
        }
        let a = try build([(0, 10, 1), (5, 10, 2), (0, 5, 1)])
        let b = try build([(5, 10, 2), (0, 5, 1)])
        let c = try build([(5, 10, 2), (0, 5, 3)])
        #expect(a == b)
        #expect(a != c)
    }

    /// Another process's commit (a CLI command on a served data directory) is seen: the writer
    /// notices the store moved, forgets its cache and goes on from the stored state.
    @Test func aCommitByAnotherProcessIsSeenAfterTheNextCommit() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let first = try Self.openHost(dir.path)
        defer { first.close() }
        let kv = try Self.deployKV(first)
        _ = try Self.setMany(first, kv, from: 0, count: 1, value: Self.kvValue(1))
        #expect(try Self.get(first, kv, 0) == Self.kvValue(1))  // now cached by `first`
        do {
            let second = try Self.openHost(dir.path)
            defer { second.close() }
            _ = try Self.setMany(second, kv, from: 0, count: 1, value: Self.kvValue(2))
        }
        // `first` has not heard of that commit (nor of the nonce it used): a nonce of its own.
        let setMany = try #require(try first.metadata(of: kv).messages.first { $0.label == "set_many" }).selector
        let command = Command(
            caller: TestAccount.alice.account, action: .call(contract: kv, input: setMany + le64(1) + le32(1) + Self.kvValue(3)), nonce: 100)
        #expect(try first.submit(TestAccount.alice.signed(command, for: first)).outcome == .success)
        #expect(try Self.get(first, kv, 0) == Self.kvValue(2))
        #expect(first.snapshot.seq == 4)
        #expect(try first.verify().ok)
    }

    /// A summary that disagrees with what the store holds is found by `verify`.
    @Test func verifyFindsASummaryThatDisagreesWithTheState() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let host = try Self.openHost(dir.path)
        defer { host.close() }
        let kv = try Self.deployKV(host)
        _ = try Self.setMany(host, kv, from: 0, count: 4, value: Self.kvValue(1))
        try host.store.write { writer in
            var wrong = try StateSummary.load(writer.reader)
            wrong.digest.insert(Array("not in the state".utf8))
            try writer.setStateSummary(wrong.encoded)
        }
        let report = try host.verify()
        #expect(!report.ok)
        #expect(report.mismatches.contains { $0.contains("state summary kept with the store") }, "\(report.mismatches)")
    }

    /// A sealed value altered on disk is an error naming the damage, never an absent value, and
    /// a command that reads it is refused with nothing logged.
    @Test func aTamperedValueIsAnErrorAndNothingIsWritten() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let kv: AccountId
        do {
            let host = try Self.openHost(dir.path)
            defer { host.close() }
            kv = try Self.deployKV(host)
            _ = try Self.setMany(host, kv, from: 0, count: 4, value: Self.kvValue(1))
        }
        do {
            let connection = try SQLiteConnection(path: dir.path + "/state.sqlite")
            try connection.execute("UPDATE storage SET value = substr(value, 1, length(value) - 1)")
        }
        let host = try Self.openHost(dir.path)
        defer { host.close() }
        let seq = host.snapshot.seq
        #expect {
            _ = try Self.get(host, kv, 1)
        } throws: { error in
            (error as? FatError)?.code == .storeCorrupt && "\(error)".contains("storage of contract")
        }
        let rows = try Self.rows(dir.path)
        #expect(throws: FatError.self) { _ = try Self.setMany(host, kv, from: 2, count: 1, value: Self.kvValue(2)) }
        #expect(host.snapshot.seq == seq)
        #expect(try Self.rows(dir.path) == rows)
    }

    /// Every row of every table of the store at `directory`, in order: what "nothing written"
    /// compares (the file's own bytes change when SQLite opens it, whatever is written).
    static func rows(_ directory: String) throws -> [[UInt8]] {
        let connection = try SQLiteConnection(path: directory + "/state.sqlite", readOnly: true)
        let tables = try connection.statement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        var names: [String] = []
        while try tables.step() { names.append(tables.text(0)) }
        tables.reset()
        var rows: [[UInt8]] = []
        for name in names {
            let statement = try connection.statement("SELECT * FROM \(name) ORDER BY 1, 2")
            while try statement.step() {
                rows.append(Array(name.utf8) + (0 ..< statement.columnCount).flatMap { statement.isNull($0) ? [] : statement.blob($0) })
            }
            statement.reset()
        }
        return rows
    }

    /// A store whose summary is missing, or is of another command than the store's last, does not
    /// open, and the file is left exactly as it was.
    @Test(arguments: ["DELETE FROM meta WHERE name = 'state'", "UPDATE meta SET value = x'0900000000000000' WHERE name = 'last_seq'"])
    func aStoreWithABrokenSummaryDoesNotOpenAndIsNotChanged(_ damage: String) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let host = try Self.openHost(dir.path)
            defer { host.close() }
            let kv = try Self.deployKV(host)
            _ = try Self.setMany(host, kv, from: 0, count: 4, value: Self.kvValue(1))
        }
        do {
            let connection = try SQLiteConnection(path: dir.path + "/state.sqlite")
            try connection.execute(damage)
        }
        let before = try Self.rows(dir.path)
        #expect {
            _ = try Self.openHost(dir.path)
        } throws: { error in
            (error as? FatError)?.code == .storeCorrupt && "\(error)".contains("state summary")
        }
        #expect(try Self.rows(dir.path) == before)
    }
}

/// A flag and counters shared by test threads.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var count = 0
    private(set) var failures: [String] = []
    func add() { lock.withLock { count += 1 } }
    func fail(_ why: String) { lock.withLock { failures.append(why) } }
}
