import CSQLite

/// A failed SQLite call: the result code, SQLite's own message, and what the store was doing.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary or extended SQLite result code (`SQLITE_CORRUPT`, `SQLITE_NOTADB`, …).
    public let code: Int32
    public let message: String
    public let context: String

    public var isCorruption: Bool {
        let primary = code & 0xff
        return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB
    }

    public var description: String { "\(context): \(message) (SQLite code \(code))" }
}
