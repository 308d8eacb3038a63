import CSQLite

/// A prepared statement. Bind parameters by 1-based index, step, read columns by 0-based index.
///
/// **Owned by its connection and used on that connection's thread.**
package final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection
    private let sql: String

    init(connection: SQLiteConnection, sql: String) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw connection.error(rc, "preparing \(sql)") }
        handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    @discardableResult
    package func bind(_ index: Int32, _ bytes: [UInt8]) -> Self {
        bytes.withUnsafeBytes { raw in
            // A zero-length blob still binds as a blob (not NULL) when given a non-nil pointer.
            // The 64-bit form: a blob past 2 GiB is SQLite's error (SQLITE_TOOBIG), not a trap here.
            _ = sqlite3_bind_blob64(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64(raw.count), csqlite_transient())
        }
        return self
    }

    @discardableResult
    package func bind(_ index: Int32, _ value: Int64) -> Self {
        sqlite3_bind_int64(handle, index, value)
        return self
    }

    @discardableResult
    package func bind(_ index: Int32, _ text: String) -> Self {
        sqlite3_bind_text(handle, index, text, -1, csqlite_transient())
        return self
    }

    /// Steps once; true when a row is available.
    package func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(rc, "running \(sql.prefix(80))")
        }
    }

    /// Steps until done, for statements that return no rows.
    package func run() throws {
        while try step() {}
    }

    package func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    package func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// How many columns a row of this statement has.
    package var columnCount: Int32 { sqlite3_column_count(handle) }

    package func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: pointer)
    }

    package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
}
