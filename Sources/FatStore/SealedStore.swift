import CSQLite
import FatCrypto
import Foundation

/// The durable, encrypted home of everything a host knows: code, contracts, their storage, the
/// command log, receipts and events, in one SQLite database in WAL mode.
///
/// Nothing secret is on disk in plaintext: storage keys are MACed, and storage values, log
/// entries, receipts, events, code and metadata are sealed with keys derived from the master key.
/// The store never resets itself: a damaged file or a wrong key is an error that changes nothing.
///
/// **Writes happen on one thread at a time** (the command writer holds the write connection
/// through `write`); reads may use `reader()` connections from any thread, one per thread.
package final class SealedStore: @unchecked Sendable {
    /// 2 added the `nonces` table; a version 1 store gains it when opened (empty, and marked
    /// incomplete until the host refills it from the log). 3 keeps metadata documents in a
    /// `metadata` table by their own hash, the code table naming the hash its first upload
    /// carried; a version 2 store has its documents moved there when opened.
    /// 5 keeps a sealed summary of the state (see `migrate`).
    package static let schemaVersion: Int64 = 5
    package let directory: String
    package let databasePath: String
    let master: MasterKey
    /// Public, and the same for every store sealed with the same master key (every host of a
    /// cluster): signatures cover it, so a request signed for one host is refused by another.
    package let genesis: [UInt8]
    private let writer: SQLiteConnection
    private let writerLock = NSLock()
    private let sealers: [String: Sealer]
    /// Hides the accounts in the nonces table: rows are keyed by a MAC of the account.
    let nonceMacKey: [UInt8]
    private var contractSealers: [[UInt8]: ContractSealer] = [:]
    /// Read-only connections between snapshots (`beginSnapshot`).
    private var idleReaders: [SQLiteConnection] = []
    private let idleReadersLock = NSLock()
    private let sealerLock = NSLock()

    /// Opens the store in `directory` (creating the directory, the key and the database when
    /// `create` is true and they do not exist yet).
    ///
    /// - Parameter masterKeyPath: the key file; defaults to `directory/master.key`.
    /// - Parameter derivations: what the runtime derives from the store's own contents, whose
    ///   formats are the runtime's: what creating a store and migrating an older one need.
    ///   Without them a store of an older schema is refused rather than migrated incompletely.
    package init(
        directory: String, masterKeyPath: String? = nil, create: Bool = true, derivations: StoreDerivations? = nil
    ) throws {
        self.directory = directory
        databasePath = directory + "/state.sqlite"
        let keyPath = masterKeyPath ?? directory + "/master.key"
        let fm = FileManager.default
        let existed = fm.fileExists(atPath: databasePath)
        if !existed {
            guard create else { throw StoreError.corrupt(path: databasePath, detail: "no store exists here") }
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if existed, !fm.fileExists(atPath: keyPath) {
            throw StoreError.masterKey(
                path: keyPath, detail: "is missing, but the store \(databasePath) exists; it cannot be opened without the key it was sealed with")
        }
        master = try MasterKey.loadOrCreate(at: keyPath)
        if existed { try Self.checkFileIsDatabase(databasePath) }

        let masterBytes = master.bytes
        var derived: [String: Sealer] = [:]
        for purpose in ["meta", "log", "receipt", "code", "contract", "nonce"] {
            derived[purpose] = try Sealer(
                key: HKDF.sha256(inputKey: masterBytes, salt: Array("fatcontract.v1".utf8), info: Array(purpose.utf8), outputLength: 32))
        }
        sealers = derived
        nonceMacKey = HKDF.sha256(inputKey: masterBytes, salt: Array("fatcontract.v1".utf8), info: Array("nonce-account".utf8), outputLength: 32)
        genesis = Blake2b.hash256(
            Array("fat/genesis/v1".utf8)
                + HKDF.sha256(inputKey: masterBytes, salt: Array("fatcontract.v1".utf8), info: Array("genesis".utf8), outputLength: 32))

        do {
            writer = try SQLiteConnection(path: databasePath)
            let version = existed ? try verifyExisting(keyPath: keyPath) : Self.schemaVersion
            // journal_size_limit: a WAL that one large batch grew is cut back when it is next reset.
            try writer.execute(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF; PRAGMA journal_size_limit=67108864;")
            if existed { try migrate(from: version, derivations: derivations) } else { try createSchema(derivations: derivations) }
        } catch let error as SQLiteError {
            throw error.isCorruption ? StoreError.corrupt(path: databasePath, detail: error.message) : StoreError.sqlite(error)
        }
    }

    /// SQLite opens any file lazily; check the header and the size before trusting it.
    private static func checkFileIsDatabase(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.corrupt(path: path, detail: "cannot be read")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw StoreError.corrupt(path: path, detail: "the file does not start with an SQLite header")
        }
        let bytes = [UInt8](header)
        var pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        if pageSize == 1 { pageSize = 65536 }
        let pageCount = Int(bytes[28]) << 24 | Int(bytes[29]) << 16 | Int(bytes[30]) << 8 | Int(bytes[31])
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        // In WAL mode newer pages may live in the -wal file, so only a file shorter than the page
        // count its own header records is certainly truncated.
        if pageCount > 0, size < pageCount * pageSize {
            throw StoreError.corrupt(
                path: path, detail: "the file is \(size) bytes but its header records \(pageCount) pages of \(pageSize) bytes (truncated)")
        }
    }

    private func createSchema(derivations: StoreDerivations?) throws {
        try writer.transaction {
            try writer.execute(
                """
                CREATE TABLE meta(name TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE TABLE code(hash BLOB PRIMARY KEY, kind TEXT NOT NULL, sealed BLOB NOT NULL, metadata BLOB NOT NULL);
                \(Self.metadataTable)
                CREATE TABLE contracts(address BLOB PRIMARY KEY, code_hash BLOB NOT NULL, info BLOB NOT NULL);
                CREATE TABLE storage(contract BLOB NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY(contract, key)) WITHOUT ROWID;
                CREATE TABLE log(seq INTEGER PRIMARY KEY, entry BLOB NOT NULL);
                CREATE TABLE receipts(seq INTEGER PRIMARY KEY, receipt BLOB NOT NULL);
                \(Self.noncesTable)
                """)
            try putMeta("schema", withUnsafeBytes(of: Self.schemaVersion.littleEndian) { Array($0) })
            try putMeta("key_check", sealers["meta"]!.seal(Array("fatcontract key check".utf8), binding: Array("key_check".utf8)))
            try putMeta("last_seq", withUnsafeBytes(of: UInt64(0).littleEndian) { Array($0) })
            if let derivations {
                try StoreWriter(store: self, connection: writer).setStateSummary(
                    try derivations.stateSummary(StoreReader(store: self, connection: writer)))
            }
        }
    }

    private func storedSchemaVersion() throws -> Int64 {
        let schema = try writer.statement("SELECT value FROM meta WHERE name = 'schema'")
        defer { schema.reset() }
        guard try schema.step() else { return -1 }
        return schema.blob(0).withUnsafeBytes { $0.count == 8 ? Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) : -1 }
    }

    /// Checks the schema version and the master key; answers the version found.
    private func verifyExisting(keyPath: String) throws -> Int64 {
        let schema = try writer.statement("SELECT value FROM meta WHERE name = 'schema'")
        guard try schema.step() else {
            throw StoreError.corrupt(path: databasePath, detail: "the meta table has no schema version")
        }
        let version = schema.blob(0).withUnsafeBytes { $0.count == 8 ? Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) : -1 }
        guard version >= 1 else { throw StoreError.corrupt(path: databasePath, detail: "bad schema version record") }
        guard version <= Self.schemaVersion else {
            throw StoreError.unsupportedSchema(path: databasePath, found: version, supported: Self.schemaVersion)
        }
        defer { schema.reset() }
        let check = try writer.statement("SELECT value FROM meta WHERE name = 'key_check'")
        guard try check.step() else { throw StoreError.corrupt(path: databasePath, detail: "the key check record is missing") }
        do {
            _ = try sealers["meta"]!.open(check.blob(0), binding: Array("key_check".utf8), what: "key check")
        } catch {
            throw StoreError.wrongMasterKey(keyPath: keyPath, storePath: databasePath)
        }
        check.reset()
        return version
    }

    /// The last nonce of each account that signed a command with one: `account` is HMAC-SHA256 of
    /// the account under a key derived for the purpose, `sealed` holds the account and the nonce.
    static let noncesTable = "CREATE TABLE nonces(account BLOB PRIMARY KEY, sealed BLOB NOT NULL) WITHOUT ROWID;"

    /// Metadata documents by their BLAKE2b-256 hash, each sealed with the hash as associated data.
    static let metadataTable = "CREATE TABLE metadata(hash BLOB PRIMARY KEY, sealed BLOB NOT NULL);"

    /// Brings a store of an older schema to this one, in one transaction: nothing changes unless
    /// every step succeeds.
    ///
    /// - 1 → 2: the nonces table, filled with each account's last nonce from the log.
    /// - 2 → 3: metadata documents move to a table of their own (`moveMetadataDocuments`).
    /// - 3 → 4: the events table goes (receipts hold every command's events).
    /// - 4 → 5: the state summary (digest, counts) is computed once from the whole state and kept
    ///   in the meta table, where each commit updates it; opening no longer reads the state.
    private func migrate(from version: Int64, derivations: StoreDerivations?) throws {
        // Releases before schema 4 could leave a migrated store's nonces to be filled at its next open.
        let noncesPending = try version >= 2 && version < 4 && meta("nonces_complete") == [0]
        guard version < Self.schemaVersion || noncesPending else { return }
        guard let derivations else {
            throw StoreError.unsupportedSchema(path: databasePath, found: version, supported: Self.schemaVersion)
        }
        try writer.transaction {
            // Another process may have migrated the store since its version was read.
            guard try self.storedSchemaVersion() == version else { return }
            let rows = StoreWriter(store: self, connection: writer)
            if version < 2 { try writer.execute(Self.noncesTable) }
            if version < 2 || noncesPending {
                for (account, nonce) in try derivations.noncesFromLog(rows.reader) { try rows.putNonce(account: account, nonce: nonce) }
            }
            if version < 3 { try moveMetadataDocuments() }
            if version < 4 {
                try writer.execute("DROP TABLE IF EXISTS events; DELETE FROM meta WHERE name = 'nonces_complete';")
            }
            if version < 5 { try rows.setStateSummary(try derivations.stateSummary(rows.reader)) }
            try putMeta("schema", withUnsafeBytes(of: Self.schemaVersion.littleEndian) { Array($0) })
        }
    }

    private func meta(_ name: String) throws -> [UInt8]? {
        let statement = try writer.statement("SELECT value FROM meta WHERE name = ?").bind(1, name)
        defer { statement.reset() }
        return try statement.step() ? statement.blob(0) : nil
    }

    /// Schema 3: each code row's metadata document moves to the metadata table, the row keeping
    /// the document's hash.
    private func moveMetadataDocuments() throws {
        try writer.execute(Self.metadataTable)
        let rows = try writer.statement("SELECT hash, metadata FROM code")
        var documents: [(code: [UInt8], document: [UInt8])] = []
        while try rows.step() {
            let hash = rows.blob(0)
            documents.append(
                (hash, try sealer("code").open(rows.blob(1), binding: Array("metadata".utf8) + hash, what: "metadata of code \(hash.hexString)")))
        }
        rows.reset()
        for (code, document) in documents {
            let metadataHash = document.isEmpty ? nil : Blake2b.hash256(document)
            if let metadataHash {
                try writer.statement("INSERT OR IGNORE INTO metadata(hash, sealed) VALUES (?, ?)")
                    .bind(1, metadataHash).bind(2, sealMetadata(document, hash: metadataHash)).run()
            }
            try writer.statement("UPDATE code SET metadata = ? WHERE hash = ?")
                .bind(1, sealCodeMetadataHash(metadataHash, code: code)).bind(2, code).run()
        }
    }

    func sealMetadata(_ document: [UInt8], hash: [UInt8]) -> [UInt8] {
        sealer("code").seal(document, binding: Array("metadata-document".utf8) + hash)
    }

    func sealCodeMetadataHash(_ metadataHash: [UInt8]?, code: [UInt8]) -> [UInt8] {
        sealer("code").seal(metadataHash ?? [], binding: Array("code-metadata-hash".utf8) + code)
    }

    func openCodeMetadataHash(_ sealed: [UInt8], code: [UInt8]) throws -> [UInt8]? {
        let hash = try sealer("code").open(
            sealed, binding: Array("code-metadata-hash".utf8) + code, what: "the metadata hash of code \(code.hexString)")
        switch hash.count {
        case 0: return nil
        case 32: return hash
        default: throw StoreError.tampered(what: "the metadata hash of code \(code.hexString)")
        }
    }

    private func putMeta(_ name: String, _ value: [UInt8]) throws {
        try writer.statement("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)").bind(1, name).bind(2, value).run()
    }

    func sealer(_ purpose: String) -> Sealer { sealers[purpose]! }

    /// The storage sealer of one contract (derived once, then cached).
    func contractSealer(_ address: [UInt8]) throws -> ContractSealer {
        sealerLock.lock()
        defer { sealerLock.unlock() }
        if let cached = contractSealers[address] { return cached }
        let sealer = try ContractSealer(master: master.bytes, address: address)
        contractSealers[address] = sealer
        return sealer
    }

    /// A 32-byte secret for `purpose`, derived from the master key (HKDF-SHA256): for what the
    /// project's modules seal or derive outside the store (contract keys). The master key itself
    /// never leaves the store.
    package func derivedSecret(_ purpose: String) -> [UInt8] {
        HKDF.sha256(inputKey: master.bytes, salt: Array("fatcontract.v1".utf8), info: Array(purpose.utf8), outputLength: 32)
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SQLiteError {
            throw error.isCorruption ? StoreError.corrupt(path: databasePath, detail: error.message) : StoreError.sqlite(error)
        }
    }

    // MARK: Writing

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE … COMMIT`, fsync'd by WAL with
    /// synchronous=FULL). Everything `body` writes becomes durable together or not at all.
    package func write<T>(_ body: (StoreWriter) throws -> T) throws -> T {
        writerLock.lock()
        defer { writerLock.unlock() }
        return try wrap { try writer.transaction { try body(StoreWriter(store: self, connection: writer)) } }
    }

    /// Reads with the writer's connection under its lock (for short reads by the writer's side).
    package func readOnWriterConnection<T>(_ body: (StoreReader) throws -> T) throws -> T {
        writerLock.lock()
        defer { writerLock.unlock() }
        return try wrap { try writer.read { try body(StoreReader(store: self, connection: writer)) } }
    }

    /// Closes the pooled read-only connections before the writer's: SQLite checkpoints the WAL into
    /// the database and removes it when the last connection to the file closes, which a read-only
    /// connection cannot do. (Closed after the writer, they would leave the WAL behind, for the next
    /// process to read through whole when it opens the store.)
    deinit {
        idleReadersLock.withLock { idleReaders.removeAll() }
    }

    /// A new read-only connection for one thread's use.
    package func reader() throws -> StoreReader {
        try wrap { StoreReader(store: self, connection: try SQLiteConnection(path: databasePath, readOnly: true)) }
    }

    /// A read snapshot: a read-only connection from the store's pool, inside a read transaction
    /// begun at once, so every read through it sees the state as of one commit (`lastSeq`), while
    /// the writer goes on. End it with `end()` (which returns the connection to the pool).
    package func beginSnapshot() throws -> StoreSnapshot {
        let connection = try idleReadersLock.withLock { idleReaders.popLast() } ?? wrap { try SQLiteConnection(path: databasePath, readOnly: true) }
        do {
            try wrap { try connection.execute("BEGIN DEFERRED") }
            let reader = StoreReader(store: self, connection: connection)
            // The first read fixes the snapshot.
            return StoreSnapshot(reader: reader, lastSeq: try reader.lastSeq())
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    func endSnapshot(_ connection: SQLiteConnection) {
        connection.resetStatements()
        guard (try? connection.execute("COMMIT")) != nil else { return }
        idleReadersLock.withLock { if idleReaders.count < 64 { idleReaders.append(connection) } }
    }

    /// Runs SQLite's full integrity check.
    package func integrityCheck() throws -> [String] {
        try readOnWriterConnection { reader in try reader.integrityCheck() }
    }
}

/// What the runtime derives from a store's own contents, in formats only it knows: what creating a
/// store and migrating an older one need.
package struct StoreDerivations: Sendable {
    /// The last nonce of each account, read from the log entries.
    package let noncesFromLog: @Sendable (StoreReader) throws -> [(account: [UInt8], nonce: UInt64)]
    /// The sealed state summary of everything the store holds, computed from scratch.
    package let stateSummary: @Sendable (StoreReader) throws -> [UInt8]

    package init(
        noncesFromLog: @escaping @Sendable (StoreReader) throws -> [(account: [UInt8], nonce: UInt64)],
        stateSummary: @escaping @Sendable (StoreReader) throws -> [UInt8]
    ) {
        self.noncesFromLog = noncesFromLog
        self.stateSummary = stateSummary
    }
}

/// An open read transaction (see `SealedStore.beginSnapshot`). **Use from one thread at a time**,
/// and end it once.
package final class StoreSnapshot: @unchecked Sendable {
    package let reader: StoreReader
    /// The sequence number of the last command in this snapshot.
    package let lastSeq: UInt64
    private var ended = false

    init(reader: StoreReader, lastSeq: UInt64) {
        self.reader = reader
        self.lastSeq = lastSeq
    }

    /// Ends the read transaction and gives the connection back to the store.
    package func end() {
        guard !ended else { return }
        ended = true
        reader.store.endSnapshot(reader.connection)
    }

    deinit { end() }
}
