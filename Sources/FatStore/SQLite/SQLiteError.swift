import CSQLite

/// A failed SQLite call: the result code, SQLite's own message, and what the store was doing.
package struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary or extended SQLite result code (`SQLITE_CORRUPT`, `SQLITE_NOTADB`, …).
    package let code: Int32
    package let message: String
    package let context: String

    package var isCorruption: Bool {
        let primary = code & 0xff
        return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB
    }

    package var description: String { "\(context): \(message) (SQLite code \(code))" }
}
