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
public final class SealedStore: @unchecked Sendable {
    /// 2 added the `nonces` table; a version 1 store gains it when opened (empty, and marked
    /// incomplete until the host refills it from the log).
    public static let schemaVersion: Int64 = 2
    public let directory: String
    public let databasePath: String
    public let master: MasterKey
    private let writer: SQLiteConnection
    private let writerLock = NSLock()
    private let sealers: [String: Sealer]
    /// Hides the accounts in the nonces table: rows are keyed by a MAC of the account.
    let nonceMacKey: [UInt8]
    private var contractSealers: [[UInt8]: ContractSealer] = [:]
    private let sealerLock = NSLock()

    /// Opens the store in `directory` (creating the directory, the key and the database when
    /// `create` is true and they do not exist yet).
    ///
    /// - Parameter masterKeyPath: the key file; defaults to `directory/master.key`.
    public init(directory: String, masterKeyPath: String? = nil, create: Bool = true) throws {
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
            throw StoreError.masterKey(path: keyPath, detail: "is missing, but the store \(databasePath) exists; it cannot be opened without the key it was sealed with")
        }
        master = try MasterKey.loadOrCreate(at: keyPath)
        if existed { try Self.checkFileIsDatabase(databasePath) }

        let masterBytes = master.bytes
        var derived: [String: Sealer] = [:]
        for purpose in ["meta", "log", "receipt", "event", "code", "contract", "nonce"] {
            derived[purpose] = try Sealer(key: HKDF.sha256(inputKey: masterBytes, salt: Array("fatcontract.v1".utf8), info: Array(purpose.utf8), outputLength: 32))
        }
        sealers = derived
        nonceMacKey = HKDF.sha256(inputKey: masterBytes, salt: Array("fatcontract.v1".utf8), info: Array("nonce-account".utf8), outputLength: 32)

        do {
            writer = try SQLiteConnection(path: databasePath)
            let version = existed ? try verifyExisting(keyPath: keyPath) : Self.schemaVersion
            try writer.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;")
            if existed { try migrate(from: version) } else { try createSchema() }
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
            throw StoreError.corrupt(path: path, detail: "the file is \(size) bytes but its header records \(pageCount) pages of \(pageSize) bytes (truncated)")
        }
    }

    private func createSchema() throws {
        try writer.transaction {
            try writer.execute("""
                CREATE TABLE meta(name TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE TABLE code(hash BLOB PRIMARY KEY, kind TEXT NOT NULL, sealed BLOB NOT NULL, metadata BLOB NOT NULL);
                CREATE TABLE contracts(address BLOB PRIMARY KEY, code_hash BLOB NOT NULL, info BLOB NOT NULL);
                CREATE TABLE storage(contract BLOB NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY(contract, key)) WITHOUT ROWID;
                CREATE TABLE log(seq INTEGER PRIMARY KEY, entry BLOB NOT NULL);
                CREATE TABLE receipts(seq INTEGER PRIMARY KEY, receipt BLOB NOT NULL);
                CREATE TABLE events(seq INTEGER NOT NULL, idx INTEGER NOT NULL, contract BLOB NOT NULL, event BLOB NOT NULL, PRIMARY KEY(seq, idx)) WITHOUT ROWID;
                \(Self.noncesTable)
                """)
            try putMeta("nonces_complete", [1])
            try putMeta("schema", withUnsafeBytes(of: Self.schemaVersion.littleEndian) { Array($0) })
            try putMeta("key_check", sealers["meta"]!.seal(Array("fatcontract key check".utf8), binding: Array("key_check".utf8)))
            try putMeta("last_seq", withUnsafeBytes(of: UInt64(0).littleEndian) { Array($0) })
        }
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

    /// Brings a store of an older schema to this one, in one transaction.
    private func migrate(from version: Int64) throws {
        guard version < Self.schemaVersion else { return }
        try writer.transaction {
            if version < 2 {
                try writer.execute(Self.noncesTable)
                try putMeta("nonces_complete", [0])
            }
            try putMeta("schema", withUnsafeBytes(of: Self.schemaVersion.littleEndian) { Array($0) })
        }
    }

    private func putMeta(_ name: String, _ value: [UInt8]) throws {
        try writer.statement("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)").bind(1, name).bind(2, value).run()
    }

    func sealer(_ purpose: String) -> Sealer { sealers[purpose]! }

    /// The storage sealer of one contract (derived once, then cached).
    public func contractSealer(_ address: [UInt8]) throws -> ContractSealer {
        sealerLock.lock()
        defer { sealerLock.unlock() }
        if let cached = contractSealers[address] { return cached }
        let sealer = try ContractSealer(master: master.bytes, address: address)
        contractSealers[address] = sealer
        return sealer
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SQLiteError {
            throw error.isCorruption ? StoreError.corrupt(path: databasePath, detail: error.message) : StoreError.sqlite(error)
        }
    }

    // MARK: Writing

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE … COMMIT`, fsync'd by WAL with
    /// synchronous=FULL). Everything `body` writes becomes durable together or not at all.
    public func write<T>(_ body: (StoreWriter) throws -> T) throws -> T {
        writerLock.lock()
        defer { writerLock.unlock() }
        return try wrap { try writer.transaction { try body(StoreWriter(store: self, connection: writer)) } }
    }

    /// Reads with the writer's connection under its lock (for short reads by the writer's side).
    public func readLatest<T>(_ body: (StoreReader) throws -> T) throws -> T {
        writerLock.lock()
        defer { writerLock.unlock() }
        return try wrap { try writer.read { try body(StoreReader(store: self, connection: writer)) } }
    }

    /// A new read-only connection for one thread's use.
    public func reader() throws -> StoreReader {
        try wrap { StoreReader(store: self, connection: try SQLiteConnection(path: databasePath, readOnly: true)) }
    }

    /// Runs SQLite's full integrity check.
    public func integrityCheck() throws -> [String] {
        try readLatest { reader in try reader.integrityCheck() }
    }
}
