import FatCodec
import FatRuntime
import FatStore
import Foundation
import Testing

/// A store written by an earlier version (schema 2: metadata inside the code table, native code
/// also kept as plaintext files, log entries without code) opens, is migrated once, and keeps
/// every contract, value and nonce; its log still replays.
@Suite("Stores from earlier versions")
struct LegacyStoreTests {
    static let counter = AccountId(hex: "0xbd7488db57b2a43875561c416f638904aa850be5f1d24d0b48c06009d834fe52")!
    static let flipper = AccountId(hex: "0x8bb20b0c8a65d916b5f8b791891579be8190d3d6171896f950b6314efe91a22a")!
    static let alice = AccountId(hex: "0x9c05a302fbc00117825ca9d9ce510347d9797e5f016f12f98a14cbe100e53d43")!

    /// A copy of `Fixtures/store-v2` in a fresh directory (the key made private, as the host
    /// requires), with a stray plaintext code file as that version left them.
    static func copy() throws -> TemporaryDirectory {
        let dir = try copyStoreFixture("store-v2")
        try FileManager.default.createDirectory(atPath: dir.path + "/code", withIntermediateDirectories: true)
        try #require(
            FileManager.default.createFile(
                atPath: dir.path + "/code/d42df997679233fd3ae182b4eda9f0b8992a734e695e1882ef272aa28315f94c.so",
                contents: Data([0x7f, 0x45, 0x4c, 0x46])))
        return dir
    }

    @Test func aSchemaTwoStoreOpensWithItsStateAndReplays() throws {
        let dir = try Self.copy()
        defer { dir.remove() }
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        #expect(u64(try host.ask(Self.counter, "get").output) == 7)
        #expect(try host.ask(Self.flipper, "get").output == [0, 1])  // Ok(true)
        #expect(try host.metadata(of: Self.flipper).name == "flipper")
        #expect(try host.metadata(of: Self.counter).name == "counter")
        #expect(try host.lastNonce(of: Self.alice) > 0)
        let entries = try host.logEntries()
        #expect(entries.map(\.entry.seq) == [1, 2, 3, 4, 5])
        #expect(entries.allSatisfy { $0.entry.format == 2 })
        let report = try host.verify()
        #expect(report.ok, "\(report.mismatches)")
        #expect(report.commandsReplayed == 5)
        // Native code lives sealed in the store only: the plaintext copy is gone.
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/code"))
    }

    @Test func theMigrationHappensOnceAndLaterCommandsAppendInTheNewFormat() throws {
        let dir = try Self.copy()
        defer { dir.remove() }
        do {
            let host = try FatHost(dataDirectory: dir.path)
            defer { host.close() }
            _ = try host.command(Self.counter, "increment", le32(3))
        }
        let store = try SealedStore(directory: dir.path)
        let schema = try store.readOnWriterConnection { reader in try reader.codeInfos() }
        #expect(schema.count == 2)
        #expect(schema.first { $0.kind == "wasm" }?.metadataHash != nil, "the flipper's metadata document moved to the metadata table")
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        #expect(u64(try host.ask(Self.counter, "get").output) == 10)
        #expect(try host.logEntries().last?.entry.format == LogEntry.currentFormat)
        #expect(try host.verify().ok)
    }

    @Test func aSchemaOneStoreGetsItsNoncesFromItsLog() throws {
        let dir = try Self.copy()
        defer { dir.remove() }
        // Schema 1 had no nonces table: take it away again.
        do {
            let connection = try SQLiteConnection(path: dir.path + "/state.sqlite")
            try connection.execute(
                """
                DROP TABLE nonces; DELETE FROM meta WHERE name = 'nonces_complete';
                UPDATE meta SET value = x'0100000000000000' WHERE name = 'schema';
                """)
        }
        let last: UInt64
        do {
            let host = try FatHost(dataDirectory: dir.path)
            defer { host.close() }
            last = try host.lastNonce(of: Self.alice)
            #expect(last > 0)
            let logged = try host.logEntries().compactMap(\.entry.command.nonce).max()
            #expect(last == logged)
        }
        // The table was filled within the migration, and the store is of the current schema.
        let connection = try SQLiteConnection(path: dir.path + "/state.sqlite")
        #expect(try Self.schema(connection) == SealedStore.schemaVersion)
        let store = try SealedStore(directory: dir.path)
        let rows = try store.readOnWriterConnection { reader in try reader.nonces() }
        #expect(rows.map(\.nonce) == [last])
        #expect(rows.first?.account == Self.alice.bytes)
    }

    /// A store an earlier release migrated to schema 2 but left with its nonces still to be read
    /// from its log (`nonces_complete` = 0) gets them at its next open.
    @Test func aMigratedStoreWhoseNoncesWereLeftPendingGetsThemFromItsLog() throws {
        let dir = try Self.copy()
        defer { dir.remove() }
        do {
            let connection = try SQLiteConnection(path: dir.path + "/state.sqlite")
            try connection.execute("DELETE FROM nonces; INSERT OR REPLACE INTO meta(name, value) VALUES ('nonces_complete', x'00');")
        }
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        let logged = try host.logEntries().compactMap(\.entry.command.nonce).max()
        #expect(try logged != nil && host.lastNonce(of: Self.alice) == logged)
    }

    /// Receipts hold every command's events; the events table of earlier schemas goes.
    @Test func theEventsTableOfEarlierSchemasIsGone() throws {
        let dir = try Self.copy()
        defer { dir.remove() }
        do {
            let host = try FatHost(dataDirectory: dir.path)
            host.close()
        }
        let connection = try SQLiteConnection(path: dir.path + "/state.sqlite")
        let tables = try connection.statement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        var names: [String] = []
        while try tables.step() { names.append(tables.text(0)) }
        tables.reset()
        #expect(!names.contains("events"))
        #expect(names.contains("nonces") && names.contains("metadata"))
        let pending = try connection.statement("SELECT count(*) FROM meta WHERE name = 'nonces_complete'")
        #expect(try pending.step() && pending.int64(0) == 0)
        pending.reset()
    }

    static func schema(_ connection: SQLiteConnection) throws -> Int64 {
        let statement = try connection.statement("SELECT value FROM meta WHERE name = 'schema'")
        defer { statement.reset() }
        guard try statement.step() else { return -1 }
        return statement.blob(0).withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
    }
}

/// A copy of the data directory `Fixtures/<name>` (its key and database) in a fresh directory,
/// the key made private as the host requires: a store written by an earlier release.
func copyStoreFixture(_ name: String) throws -> TemporaryDirectory {
    let dir = TemporaryDirectory()
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    for file in ["master.key", "state.sqlite"] {
        try FileManager.default.copyItem(atPath: fixture.appendingPathComponent(file).path, toPath: dir.path + "/" + file)
    }
    chmod(dir.path + "/master.key", 0o600)
    return dir
}
