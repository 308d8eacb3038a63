import CSQLite

/// One SQLite table written one fsync'd transaction per row: the durable-write ceiling a host
/// without group commit could reach on this disk.
final class SQLiteBaseline {
    private var db: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BaselineError() }
        try run("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE log(seq INTEGER PRIMARY KEY, entry BLOB);")
    }

    deinit { sqlite3_close(db) }

    func insertCommitted(_ seq: Int) throws {
        try run("BEGIN IMMEDIATE; INSERT INTO log VALUES (\(seq), randomblob(120)); COMMIT;")
    }

    private func run(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BaselineError() }
    }

    struct BaselineError: Error {}
}
