import FatCodec
import FatRuntime
import FatStore
import Foundation
import Testing

/// A store written by the release before the state moved out of memory (schema 4: no state
/// summary; every host opened by loading the whole state) opens, is migrated once — its summary
/// computed from the whole state in the migration's one transaction — and keeps every contract,
/// value and nonce; its log still replays to the same root. A damaged one is refused unchanged.
@Suite("Stores of schema 4")
struct StoreV4MigrationTests {
    static let counter = AccountId(hex: "0x8d49e96d2574906c0538c3759bbda075660c29fbf6797a47283238465637d9ea")!
    static let flipper = AccountId(hex: "0x8bb20b0c8a65d916b5f8b791891579be8190d3d6171896f950b6314efe91a22a")!
    static let token = AccountId(hex: "0x71b36d92be902d299e415741a9c821b8480831abaad7158e22108c71d6f598a6")!
    static let alice = AccountId(hex: "0x9c05a302fbc00117825ca9d9ce510347d9797e5f016f12f98a14cbe100e53d43")!
    static let bob = AccountId(hex: "0xc047c5dc17cd7d01292fdd0650d0814aec077338763aba558ea9ae1bd0bb4d9e")!

    static func copy() throws -> TemporaryDirectory { try copyStoreFixture("store-v4") }

    static func summaryRecord(_ directory: String) throws -> [UInt8]? {
        let connection = try SQLiteConnection(path: directory + "/state.sqlite", readOnly: true)
        let statement = try connection.statement("SELECT value FROM meta WHERE name = 'state'")
        defer { statement.reset() }
        return try statement.step() ? statement.blob(0) : nil
    }

    @Test func aSchemaFourStoreOpensWithItsStateAndReplaysToItsRoot() throws {
        let dir = try Self.copy()
        defer { dir.remove() }
        #expect(try Self.summaryRecord(dir.path) == nil)
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        #expect(u64(try host.ask(Self.counter, "get").output) == 7)
        #expect(try host.ask(Self.flipper, "get").output == [0, 1])  // Ok(true)
        #expect(u128(try host.ask(Self.token, "balance_of", Self.alice.bytes, as: Self.alice).output) == 750)
        #expect(u128(try host.ask(Self.token, "balance_of", Self.bob.bytes, as: Self.bob).output) == 250)
        #expect(try host.lastNonce(of: Self.alice) > 0)
        #expect(host.snapshot.seq == 7)
        #expect(host.snapshot.contractCount == 3)
        let connection = try SQLiteConnection(path: dir.path + "/state.sqlite", readOnly: true)
        #expect(try LegacyStoreTests.schema(connection) == SealedStore.schemaVersion)
        let report = try host.verify()
        #expect(report.ok, "\(report.mismatches)")
        #expect(report.commandsReplayed == 7)
        #expect(report.liveRoot == host.snapshot.root)
    }

    @Test func theMigrationHappensOnceAndLaterCommandsCarryTheSummaryForward() throws {
        let dir = try Self.copy()
        defer { dir.remove() }
        do {
            let host = try FatHost(dataDirectory: dir.path)
            host.close()
        }
        let migrated = try #require(try Self.summaryRecord(dir.path))
        do {
            let host = try FatHost(dataDirectory: dir.path)
            host.close()
        }
        // Sealed with a fresh nonce whenever written: the same bytes mean it was not written again.
        #expect(try Self.summaryRecord(dir.path) == migrated)
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        let before = host.snapshot.root
        _ = try host.command(Self.counter, "increment", le32(3))
        #expect(u64(try host.ask(Self.counter, "get").output) == 10)
        #expect(host.snapshot.root != before)
        #expect(try host.verify().ok)
    }

    /// A stored value altered on disk stops the migration (which reads every value): the store is
    /// refused with the cause, and is left as it was, still of schema 4.
    @Test func aDamagedSchemaFourStoreIsRefusedUnchanged() throws {
        let dir = try Self.copy()
        defer { dir.remove() }
        do {
            let connection = try SQLiteConnection(path: dir.path + "/state.sqlite")
            try connection.execute("UPDATE storage SET value = substr(value, 1, length(value) - 1) WHERE key = (SELECT min(key) FROM storage)")
        }
        let rows = try StateStoreTests.rows(dir.path)
        #expect {
            _ = try FatHost(dataDirectory: dir.path)
        } throws: { error in
            (error as? FatError)?.code == .storeCorrupt && "\(error)".contains("storage of contract")
        }
        #expect(try StateStoreTests.rows(dir.path) == rows)
        let connection = try SQLiteConnection(path: dir.path + "/state.sqlite", readOnly: true)
        #expect(try LegacyStoreTests.schema(connection) == 4)
    }
}
